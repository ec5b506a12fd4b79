//! `hopfield serve` over a real loopback socket: the page, good API requests, every kind
//! of bad request (each answered with a JSON error, never a panic or a hang), and an
//! oversized body.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

/// The real binary serving on a free port; killed when dropped.
struct Server {
    child: Child,
    addr: String,
}

impl Server {
    fn start() -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_hopfield"))
            .args(["serve", "--port", "0"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("hopfield serve starts");
        let mut line = String::new();
        BufReader::new(child.stdout.take().expect("stdout"))
            .read_line(&mut line)
            .expect("reads the address line");
        let addr = line
            .trim()
            .strip_prefix("serving the explorer on http://")
            .and_then(|a| a.strip_suffix('/'))
            .unwrap_or_else(|| panic!("unexpected first line {line:?}"))
            .to_string();
        assert!(addr.starts_with("127.0.0.1:"), "binds to loopback: {addr}");
        Server { child, addr }
    }

    fn get(&self, path: &str) -> Reply {
        self.send("GET", path, &[], &[])
    }

    fn post(&self, path: &str, body: &Value) -> Reply {
        self.post_raw(path, body.to_string().as_bytes())
    }

    fn post_raw(&self, path: &str, body: &[u8]) -> Reply {
        self.send("POST", path, &[("Content-Type", "application/json")], body)
    }

    /// One HTTP/1.1 request on a fresh connection; the body is written from another thread
    /// so that a server that answers early (413) is read, not deadlocked on.
    fn send(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(&self.addr).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        let mut head = format!(
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (k, v) in headers {
            head.push_str(&format!("{k}: {v}\r\n"));
        }
        head.push_str("\r\n");
        let mut writer = stream.try_clone().expect("clone");
        let body = body.to_vec();
        let write = std::thread::spawn(move || {
            // Errors are expected when the server refuses a body before reading it.
            let _ = writer.write_all(head.as_bytes());
            let _ = writer.write_all(&body);
            // No shutdown of the write side: hyper takes a half-closed connection as gone.
        });
        let reply = read_reply(&mut stream);
        let _ = write.join();
        reply
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    content_type: String,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// Asserts a JSON error with this status whose one-line message contains `needle`.
    fn assert_error(&self, status: u16, needle: &str) {
        assert_eq!(self.status, status, "{}", self.body);
        assert_eq!(self.content_type, "application/json");
        let v = self.json();
        let msg = v["error"].as_str().expect("an error message");
        assert!(!msg.contains('\n'), "one line: {msg}");
        assert!(msg.contains(needle), "{msg:?} does not mention {needle:?}");
    }
}

fn read_reply(stream: &mut TcpStream) -> Reply {
    let mut raw = Vec::new();
    // A reset after the full answer (the server closing on an unread body) is fine.
    let mut buf = [0u8; 65536];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(k) => raw.extend_from_slice(&buf[..k]),
            Err(e) if !raw.is_empty() => {
                eprintln!("read ended with {e}");
                break;
            }
            Err(e) => panic!("no answer: {e}"),
        }
    }
    let text = String::from_utf8(raw).expect("utf-8 answer");
    let (head, body) = text.split_once("\r\n\r\n").expect("headers end");
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("status line");
    let content_type = lines
        .filter_map(|l| l.split_once(':'))
        .find(|(k, _)| k.eq_ignore_ascii_case("content-type"))
        .map(|(_, v)| v.trim().to_string())
        .unwrap_or_default();
    Reply {
        status,
        content_type,
        body: body.to_string(),
    }
}

/// The course page's three 5×5 letters (checkerboard, X, A) as JSON arrays.
fn letters() -> Vec<Vec<i8>> {
    hopfield::generate::page::letters()
        .iter()
        .map(<[i8]>::to_vec)
        .collect()
}

fn flip(v: &[i8], at: &[usize]) -> Vec<i8> {
    let mut v = v.to_vec();
    for &i in at {
        v[i] = -v[i];
    }
    v
}

#[test]
fn the_page_and_its_files_are_served() {
    let s = Server::start();
    let r = s.get("/");
    assert_eq!(r.status, 200);
    assert!(r.content_type.starts_with("text/html"));
    assert!(r.body.contains("Hopfield network explorer"));
    for (path, kind) in [
        ("/app.js", "text/javascript"),
        ("/style.css", "text/css"),
        ("/favicon.svg", "image/svg+xml"),
    ] {
        let r = s.get(path);
        assert_eq!(r.status, 200, "{path}");
        assert!(
            r.content_type.starts_with(kind),
            "{path}: {}",
            r.content_type
        );
        assert!(r.body.len() > 100, "{path} is not empty");
    }
    let limits = s.get("/api/limits").json();
    assert_eq!(limits["max_neurons"], 65_536);
    assert_eq!(limits["max_patterns"], 1024);
    assert_eq!(limits["max_body_bytes"], 8 * 1024 * 1024);
    assert_eq!(limits["names"]["dynamics"][1], "async");
}

#[test]
fn recall_answers_the_documented_shape() {
    let s = Server::start();
    let p = letters();
    let cue = flip(&p[2], &[0, 6, 12]);
    let r = s.post(
        "/api/recall",
        &json!({"patterns": p, "cue": cue, "dynamics": "sync", "max_steps": 100, "seed": 1}),
    );
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(r.content_type, "application/json");
    let v = r.json();
    assert_eq!(v["state"], json!(p[2]));
    assert_eq!(v["outcome"], "recalled");
    assert_eq!(v["pattern"], 2);
    assert_eq!(v["converged"], true);
    let steps = v["steps"].as_u64().unwrap() as usize;
    assert!(steps >= 1);
    let energy = v["energy"].as_array().unwrap();
    let overlaps = v["overlaps"].as_array().unwrap();
    assert_eq!(energy.len(), steps + 1, "entry 0 is the cue");
    assert_eq!(overlaps.len(), steps + 1);
    assert_eq!(overlaps[0].as_array().unwrap().len(), 3);
    assert!((overlaps[0][2].as_f64().unwrap() - 19.0 / 25.0).abs() < 1e-12);
    assert_eq!(overlaps[steps][2], 1.0);
    assert!(v.get("states").is_none(), "states only when asked");
}

#[test]
fn recall_records_states_and_energy_never_rises_under_sweeps() {
    let s = Server::start();
    let p = letters();
    let mut cue = flip(&p[1], &[3, 4]);
    cue[10] = 0; // unknown
    let v = s
        .post(
            "/api/recall",
            &json!({"patterns": p, "cue": cue, "dynamics": "async", "tie": "keep",
                    "seed": 7, "states": true, "states_every": 5}),
        )
        .json();
    // The three letters are correlated: this cue settles on a fixed point, here a mixture.
    assert_eq!(v["converged"], true, "{v}");
    assert_eq!(v["outcome"], "mixture", "{v}");
    let energy: Vec<f64> = serde_json::from_value(v["energy"].clone()).unwrap();
    assert!(
        energy.windows(2).all(|w| w[1] <= w[0] + 1e-12),
        "{energy:?}"
    );
    let steps: Vec<usize> = serde_json::from_value(v["state_steps"].clone()).unwrap();
    let states = v["states"].as_array().unwrap();
    assert_eq!(states.len(), steps.len());
    assert_eq!(steps[0], 0);
    assert!(steps.windows(2).all(|w| w[1] > w[0]));
    assert_eq!(
        *steps.last().unwrap(),
        v["steps"].as_u64().unwrap() as usize
    );
    assert_eq!(states[0], json!(cue));
    assert_eq!(states.last().unwrap(), &v["state"]);
}

#[test]
fn synchronous_cycles_are_named_and_asynchronous_runs_settle() {
    let s = Server::start();
    let p = json!([[1, 1, -1, 1, 1, 1], [1, 1, 1, -1, -1, 1]]);
    let cue = json!([-1, -1, 1, -1, 1, -1]);
    let v = s
        .post("/api/recall", &json!({"patterns": p, "cue": cue}))
        .json();
    assert_eq!(v["outcome"], "cycle", "{v}");
    assert_eq!(v["description"], "cycle of period 2");
    assert_eq!(v["converged"], false);
    assert_eq!(v["pattern"], Value::Null);
    let v = s
        .post(
            "/api/recall",
            &json!({"patterns": p, "cue": cue, "dynamics": "sweep"}),
        )
        .json();
    assert_eq!(v["converged"], true, "{v}");
    assert_ne!(v["outcome"], "cycle");
}

#[test]
fn generate_corrupt_and_weights() {
    let s = Server::start();
    let g = s
        .post(
            "/api/generate",
            &json!({"kind": "letter", "text": "A", "rows": 7, "cols": 5}),
        )
        .json();
    let a: Vec<i8> = serde_json::from_value(g["pattern"].clone()).unwrap();
    assert_eq!(a.len(), 35);
    assert_eq!(&a[..5], &[-1, 1, 1, 1, -1], "the apex of the block-font A");
    for kind in ["checkerboard", "x", "star", "random", "text", "rows", "l"] {
        let r = s.post(
            "/api/generate",
            &json!({"kind": kind, "rows": 10, "cols": 12, "text": "HI", "seed": 3}),
        );
        assert_eq!(r.status, 200, "{kind}: {}", r.body);
        assert_eq!(r.json()["pattern"].as_array().unwrap().len(), 120);
    }
    let c = s
        .post(
            "/api/corrupt",
            &json!({"state": a, "rows": 7, "cols": 5, "flip": 0.2, "seed": 1}),
        )
        .json();
    let flipped: Vec<i8> = serde_json::from_value(c["state"].clone()).unwrap();
    assert_eq!(c["flipped"], 7);
    assert_eq!(flipped.iter().zip(&a).filter(|(x, y)| x != y).count(), 7);
    let m = s
        .post(
            "/api/corrupt",
            &json!({"state": a, "rows": 7, "cols": 5, "mask": "bottom-half"}),
        )
        .json();
    let masked: Vec<i8> = serde_json::from_value(m["state"].clone()).unwrap();
    assert_eq!(m["masked"], 18);
    assert!(masked[17..].iter().all(|&v| v == 0) && masked[..17] == a[..17]);
    let w = s
        .post(
            "/api/weights",
            &json!({"patterns": letters(), "rule": "hebb"}),
        )
        .json();
    assert_eq!((w["n"].as_u64(), w["side"].as_u64()), (Some(25), Some(25)));
    assert_eq!(w["exact"], true);
    let values: Vec<f64> = serde_json::from_value(w["values"].clone()).unwrap();
    assert_eq!(values.len(), 625);
    assert!((0..25).all(|i| values[i * 25 + i] == 0.0), "zero diagonal");
    assert!((0..25).all(|i| (0..25).all(|j| values[i * 25 + j] == values[j * 25 + i])));
}

#[test]
fn every_kind_of_bad_request_is_a_json_400() {
    let s = Server::start();
    let p = letters();
    let good = json!({"patterns": p, "cue": p[0]});
    let with = |key: &str, value: Value| {
        let mut v = good.clone();
        v[key] = value;
        v
    };
    let mut two = p[0].clone();
    two[4] = 2;
    let cases: Vec<(Value, &str)> = vec![
        (
            with("cue", json!(two)),
            "cue, neuron 4: value 2 is not -1, 0 or 1",
        ),
        (
            with("cue", json!([1, -1, 1])),
            "cue has 3 values, expected 25",
        ),
        (with("cue", json!([1.5])), "expected i8"),
        (with("cue", json!(["1"])), "expected i8"),
        (with("cue", json!(300)), "expected a sequence"),
        (
            with("patterns", json!([[1, -1], [1]])),
            "pattern 1 has 1 values, expected 2",
        ),
        (with("patterns", json!([two])), "pattern 0, neuron 4"),
        (with("patterns", json!([])), "patterns is empty"),
        (with("patterns", json!(vec![vec![1]; 1025])), "at most 1024"),
        (with("dynamics", json!("warp")), "dynamics"),
        (with("tie", json!("up")), "tie"),
        (with("rule", json!("oja")), "rule"),
        (
            with("max_steps", json!(0)),
            // The core's message, the same the CLI and the Python package give.
            "max_steps = 0 is invalid: must be at least 1 (omit it for the default)",
        ),
        (with("max_steps", json!(10_000_001)), "at most"),
        (with("max_steps", json!(-1)), "expected usize"),
        (with("seed", json!(-1)), "expected u64"),
        (with("states_every", json!(0)), "states_every"),
        (with("threshold", json!("high")), "expected f64"),
        (with("colour", json!("red")), "unknown field `colour`"),
    ];
    for (body, needle) in &cases {
        s.post("/api/recall", body).assert_error(400, needle);
    }
    // N over the limit: one pattern of 65 537 neurons.
    s.post(
        "/api/recall",
        &json!({"patterns": [vec![1; 65_537]], "cue": vec![1; 65_537]}),
    )
    .assert_error(400, "at most 65536 neurons");
    // Not JSON at all, NaN (not JSON either), an empty body, a JSON value of another type.
    for raw in [&b"{\"patterns\": "[..], b"{\"cue\": [NaN]}", b"", b"[1, 2]"] {
        s.post_raw("/api/recall", raw)
            .assert_error(400, "invalid request");
    }
    // The other endpoints.
    let bad = [
        (
            "/api/generate",
            json!({"kind": "zebra", "rows": 5, "cols": 5}),
            "kind",
        ),
        (
            "/api/generate",
            json!({"kind": "x", "rows": 0, "cols": 5}),
            "at least 1",
        ),
        (
            "/api/generate",
            json!({"kind": "x", "rows": 300, "cols": 300}),
            "too large",
        ),
        (
            "/api/generate",
            json!({"kind": "x", "rows": u64::MAX, "cols": u64::MAX}),
            "too large",
        ),
        (
            "/api/generate",
            json!({"kind": "letter", "rows": 7, "cols": 5}),
            "text",
        ),
        (
            "/api/generate",
            json!({"kind": "text", "text": "é", "rows": 7, "cols": 5}),
            "font",
        ),
        (
            "/api/generate",
            json!({"kind": "page-bu", "rows": 7, "cols": 5}),
            "kind page-bu is a 100x100 drawing: give rows 100 and cols 100",
        ),
        (
            "/api/corrupt",
            json!({"state": p[0], "flip": 1.5}),
            "noise = 1.5 is invalid: must lie between 0 and 1",
        ),
        (
            "/api/corrupt",
            json!({"state": p[0], "mask": "corner"}),
            "mask",
        ),
        (
            "/api/corrupt",
            json!({"state": p[0], "rows": 5, "cols": 5, "mask": "rect:18446744073709551615,0,1x1"}),
            "mask",
        ),
        (
            "/api/corrupt",
            json!({"state": p[0], "rows": 4, "cols": 5}),
            "size 4x5",
        ),
        (
            "/api/corrupt",
            json!({"state": p[0], "mask": "left-half"}),
            "2-D",
        ),
        (
            "/api/weights",
            json!({"patterns": p, "side": 0}),
            "side = 0",
        ),
        ("/api/weights", json!({"patterns": []}), "patterns is empty"),
    ];
    for (path, body, needle) in &bad {
        s.post(path, body).assert_error(400, needle);
    }
    // Wrong routes and methods are JSON too.
    s.get("/api/nothing").assert_error(404, "no such route");
    s.get("/api/recall").assert_error(405, "method not allowed");
    s.post("/api/limits", &json!({}))
        .assert_error(405, "method not allowed");
    // The server survived all of it.
    assert_eq!(s.get("/api/limits").status, 200);
}

#[test]
fn oversized_bodies_get_413() {
    let mut s = Server::start();
    let big = vec![b' '; 9 * 1024 * 1024];
    s.post_raw("/api/recall", &big)
        .assert_error(413, "larger than the limit");
    // The same without a Content-Length: chunked, and refused while it streams in.
    let mut stream = TcpStream::connect(&s.addr).expect("connects");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .expect("timeout");
    let mut writer = stream.try_clone().expect("clone");
    let host = s.addr.clone();
    let write = std::thread::spawn(move || -> std::io::Result<()> {
        write!(
            writer,
            "POST /api/recall HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\
             Transfer-Encoding: chunked\r\n\r\n"
        )?;
        let chunk = vec![b' '; 1 << 20];
        for _ in 0..9 {
            write!(writer, "{:x}\r\n", chunk.len())?;
            writer.write_all(&chunk)?;
            writer.write_all(b"\r\n")?;
        }
        writer.write_all(b"0\r\n\r\n")
    });
    read_reply(&mut stream).assert_error(413, "larger than the limit");
    let _ = write.join();
    assert_eq!(s.get("/api/limits").status, 200);
    assert!(
        s.child.try_wait().expect("status").is_none(),
        "still running"
    );
}

#[test]
fn the_largest_requests_finish_in_bounded_time() {
    let s = Server::start();
    // N = 65 536 neurons, 32 random patterns (a 5 MB body): every dynamics runs its
    // default step limit, lowered to fit the work limit, and answers.
    let mut rng = hopfield::random::seeded(5);
    let patterns = hopfield::generate::random_patterns(32, 65_536, 0.5, &mut rng).unwrap();
    let rows: Vec<Vec<i8>> = patterns.iter().map(<[i8]>::to_vec).collect();
    let cue = hopfield::noise::flip_fraction(&rows[0], 0.3, &mut rng).unwrap();
    for dynamics in ["sync", "async"] {
        let started = Instant::now();
        let v = s
            .post(
                "/api/recall",
                &json!({"patterns": rows, "cue": cue, "dynamics": dynamics,
                        "stop_at_fixed_point": false}),
            )
            .json();
        let took = started.elapsed();
        let steps = v["steps"].as_u64().expect("steps");
        assert_eq!(Some(steps), v["max_steps"].as_u64(), "ran to its limit");
        assert!(took < Duration::from_secs(30), "{dynamics}: {took:?}");
        eprintln!("{dynamics}: {steps} steps in {took:?}");
    }
    // Asking for more than the limits allow is refused at once, or clamped when asked.
    let started = Instant::now();
    s.post(
        "/api/recall",
        &json!({"patterns": rows, "cue": cue, "dynamics": "async", "max_steps": 1_000_000}),
    )
    .assert_error(400, "at most");
    assert!(started.elapsed() < Duration::from_secs(10));
    let v = s
        .post(
            "/api/recall",
            &json!({"patterns": rows, "cue": cue, "dynamics": "async", "max_steps": 1_000_000,
                    "clamp": true, "stop_at_fixed_point": false}),
        )
        .json();
    assert!(v["max_steps"].as_u64().unwrap() < 1_000_000);
}

#[test]
fn the_newer_rules_and_temperature_are_served() {
    let s = Server::start();
    let p = letters();
    let cue = flip(&p[1], &[0, 6]);
    for rule in ["storkey", "pseudo-inverse", "perceptron"] {
        let r = s.post(
            "/api/recall",
            &json!({"patterns": p, "cue": cue, "rule": rule, "dynamics": "sync", "tie": "minus"}),
        );
        assert_eq!(r.status, 200, "{rule}: {}", r.body);
        assert_eq!(r.json()["state"], json!(p[1]), "{rule}");
    }
    // A dense rule on a grid larger than the explorer forms dense matrices for.
    let big = vec![vec![1i8; 5000]];
    let r = s.post(
        "/api/recall",
        &json!({"patterns": big, "cue": big[0], "rule": "storkey"}),
    );
    assert_eq!(r.status, 400);
    assert!(r.body.contains("at most 4096 neurons"), "{}", r.body);
    // Hot dynamics forget the pattern; the same seed gives the same answer.
    let hot = json!({"patterns": p, "cue": p[1], "dynamics": "sweep", "temperature": 5.0,
                     "max_steps": 20, "stop_at_fixed_point": false, "seed": 3});
    let a = s.post("/api/recall", &hot).json();
    assert_ne!(a["state"], json!(p[1]));
    assert_eq!(a["outcome"], "unconverged");
    assert_eq!(s.post("/api/recall", &hot).json()["state"], a["state"]);
    let r = s.post(
        "/api/recall",
        &json!({"patterns": p, "cue": p[1], "temperature": -1.0}),
    );
    assert_eq!(r.status, 400);
    assert!(r.body.contains("temperature"), "{}", r.body);
}
