//! `hopfield serve` over a real loopback socket: the page, good API requests, every kind
//! of bad request (each answered with a JSON error, never a panic or a hang), oversized
//! bodies, and the server under load: the heaviest requests its limits admit, abandoned
//! requests, slow and stalled clients, requests from other sites.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
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

impl Server {
    /// `GET /api/status`.
    fn status(&self) -> Value {
        self.get("/api/status").json()
    }

    /// A request written as it is (its own `Host`, headers and body), on a fresh
    /// connection.
    fn raw(&self, request: &[u8]) -> Reply {
        let mut stream = TcpStream::connect(&self.addr).expect("connects");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .expect("timeout");
        let mut writer = stream.try_clone().expect("clone");
        let request = request.to_vec();
        let write = std::thread::spawn(move || {
            let _ = writer.write_all(&request);
        });
        let reply = read_reply(&mut stream);
        let _ = write.join();
        reply
    }

    /// The server's resident memory, in bytes.
    fn rss(&self) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .expect("the server is running");
        let kib: u64 = status
            .lines()
            .find_map(|l| l.strip_prefix("VmRSS:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
            .expect("VmRSS");
        kib * 1024
    }

    /// The processor time the server has used so far, in seconds.
    fn cpu_seconds(&self) -> f64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id()))
            .expect("the server is running");
        // The fields after the command's closing parenthesis; utime and stime are the
        // 14th and 15th of the line.
        let after = &stat[stat.rfind(')').expect("stat") + 2..];
        let fields: Vec<&str> = after.split(' ').collect();
        let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
        // SAFETY: sysconf only reads a configuration value.
        let per_second = unsafe { libc::sysconf(libc::_SC_CLK_TCK) } as f64;
        ticks as f64 / per_second
    }

    /// Whether the server process is still running.
    fn alive(&mut self) -> bool {
        self.child.try_wait().expect("status").is_none()
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
    assert_eq!(limits["names"]["model"][4], "modern");
    assert_eq!(limits["names"]["normalization"][2], "none");
    assert_eq!(limits["max_simulate_neurons"], 1024);
}

#[test]
fn the_tour_is_served_with_links_to_the_presets_and_written_without_them() {
    let s = Server::start();
    let started = Instant::now();
    let r = s.get("/tour/");
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(r.content_type.starts_with("text/html"));
    assert!(started.elapsed() < Duration::from_secs(10), "made at once");
    let links: Vec<&str> = r
        .body
        .split("href=\"/#preset=")
        .skip(1)
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    assert_eq!(
        links,
        [
            "random-network",
            "crosstalk",
            "one-pattern",
            "five-neurons",
            "letters",
            "images-01",
            "two-patterns",
            "two-patterns"
        ]
    );
    // Its figures and data are served beside it; the page's script knows every preset.
    let svg = s.get("/tour/figures/s5-recall.svg");
    assert_eq!(
        (svg.status, svg.content_type.as_str()),
        (200, "image/svg+xml")
    );
    assert_eq!(s.get("/tour/data/summary.json").json()["seed"], 1);
    s.get("/tour/figures/nothing.svg")
        .assert_error(404, "no such file in the tour report");
    let app = s.get("/app.js").body;
    for name in &links {
        let key = format!("'{name}'");
        let bare = format!("  {name}: ");
        assert!(
            app.contains(&key) || app.contains(&bare),
            "app.js has no preset {name}"
        );
    }
    // The report written to a folder reads offline: no link to a server.
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_hopfield"))
        .args(["tour", "--quiet", "--out"])
        .arg(dir.path())
        .output()
        .unwrap();
    assert!(out.status.success());
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    assert!(
        !html.contains("#preset="),
        "the written report links to no server"
    );
}

#[test]
fn the_page_first_cells_are_served() {
    let s = Server::start();
    let v = s.post("/api/simulate", &json!({})).json();
    assert_eq!(v["n"], 20);
    let states = v["states"].as_array().unwrap();
    assert_eq!(states.len(), 201);
    assert!(
        states
            .iter()
            .flat_map(|st| st.as_array().unwrap())
            .all(|x| x == 0 || x == 1)
    );
    // Couplings ≥ 0 and θ = 0: once on, a neuron stays on, and all end on.
    let on: Vec<u64> = v["on"]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_u64().unwrap())
        .collect();
    assert!(on.windows(2).all(|w| w[1] >= w[0]));
    assert_eq!(on[200], 20);
    assert_eq!(v["converged"], true);
    assert_eq!(
        v,
        s.post("/api/simulate", &json!({"seed": 1})).json(),
        "seeded"
    );
    s.post("/api/simulate", &json!({"n": 2000}))
        .assert_error(400, "n = 2000 is invalid: must lie between 1 and 1024");
    s.post("/api/simulate", &json!({"n": 1024, "steps": 100_000}))
        .assert_error(400, "returns 102401024 values");
    let c = s
        .post(
            "/api/crosstalk",
            &json!({"n": 100, "overlap": 50, "samples": 5000}),
        )
        .json();
    assert_eq!(c["values"].as_array().unwrap().len(), 5000);
    assert!(
        (c["mean"].as_f64().unwrap() - 50.0).abs() < 0.5,
        "{}",
        c["mean"]
    );
    assert!(
        (c["sd"].as_f64().unwrap() - 50f64.sqrt()).abs() < 0.5,
        "{}",
        c["sd"]
    );
    s.post("/api/crosstalk", &json!({"samples": 1}))
        .assert_error(400, "samples = 1 is invalid");
    s.post("/api/crosstalk", &json!({"n": 65_536, "samples": 100_000}))
        .assert_error(400, "over the limit of 2.0e9");
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
    let mut three = p[0].clone();
    three[4] = 3;
    let mut dense_two = with("cue", json!(two));
    dense_two["model"] = json!("dense");
    let cases: Vec<(Value, &str)> = vec![
        (
            with("cue", json!(three)),
            "cue, neuron 4: value 3 is not -1, 0 or 1 (or ±2 after additive noise)",
        ),
        (
            dense_two,
            "cue, neuron 4: value 2 is not -1, 0 or 1 (values up to ±2",
        ),
        (
            with("model", json!("dense"))
                .as_object()
                .map(|o| {
                    let mut o = o.clone();
                    o.insert("rule".into(), json!("storkey"));
                    Value::Object(o)
                })
                .unwrap(),
            "rule applies to the classical model only",
        ),
        (
            with("model", json!("hopfield2")),
            "model = \"hopfield2\" is invalid",
        ),
        (
            with("beta", json!(2)),
            "beta = 2 applies to model exponential or modern only",
        ),
        (
            with("kappa", json!(0.1)),
            "kappa = 0.1 applies to rule perceptron only",
        ),
        (with("dilution", json!(1.5)), "dilution = 1.5 is invalid"),
        (
            with("normalization", json!("1/Q")),
            "normalization = 1/Q is invalid",
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
             Content-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
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
    let _alone = alone();
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

// ---------------------------------------------------------------------------------------
// The server under load

/// The tests that load the server run one at a time, so that what they measure is their
/// own doing.
static UNDER_LOAD: Mutex<()> = Mutex::new(());

fn alone() -> MutexGuard<'static, ()> {
    UNDER_LOAD.lock().unwrap_or_else(|e| e.into_inner())
}

/// `p` random patterns of `n` neurons.
fn random_rows(p: usize, n: usize, seed: u64) -> Vec<Vec<i8>> {
    let patterns =
        hopfield::generate::random_patterns(p, n, 0.5, &mut hopfield::random::seeded(seed))
            .unwrap();
    patterns.iter().map(<[i8]>::to_vec).collect()
}

/// `p` copies of one random pattern of `n` neurons and a cue orthogonal to it: synchronous
/// steps flip every neuron, step after step (a 2-cycle), the dearest deterministic run.
fn flipping(p: usize, n: usize) -> (Vec<Vec<i8>>, Vec<i8>) {
    let xi = random_rows(1, n, 9).remove(0);
    let cue = xi
        .iter()
        .enumerate()
        .map(|(i, &v)| if i < n / 2 { v } else { -v })
        .collect();
    (vec![xi; p], cue)
}

/// The most patterns of `n` neurons the limits admit for `rule` with these options (and
/// one step): the number a refusal names, or all that were sent when they were accepted.
fn largest_p(s: &Server, rule: &str, n: usize, options: &Value) -> usize {
    let mut p = (3_000_000 / n).min(1024);
    if rule == "pseudo-inverse" {
        // At most N patterns are linearly independent.
        p = p.min(n);
    }
    let mut body = options.clone();
    let rows = random_rows(p, n, 2);
    body["patterns"] = json!(rows);
    body["cue"] = json!(rows[0]);
    body["rule"] = json!(rule);
    body["max_steps"] = json!(1);
    let r = s.post("/api/recall", &body);
    if r.status == 200 || r.body.contains("did not converge") {
        return p;
    }
    let message = r.json()["error"].as_str().unwrap().to_string();
    let fit = message
        .split("at most ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|k| k.parse().ok());
    fit.unwrap_or_else(|| panic!("{rule} at N = {n}: {message}"))
}

#[test]
fn requests_over_the_work_limit_are_refused_with_their_estimate() {
    let s = Server::start();
    // Storkey's rule at N = 4096, P = 32 took 20 s: refused before any work.
    let rows = random_rows(32, 4096, 1);
    for path in ["/api/recall", "/api/weights"] {
        let started = Instant::now();
        let r = s.post(
            path,
            &json!({"patterns": rows, "cue": rows[0], "rule": "storkey"})
                .as_object()
                .map(|o| {
                    let mut o = o.clone();
                    if path == "/api/weights" {
                        o.remove("cue");
                    }
                    Value::Object(o)
                })
                .unwrap(),
        );
        r.assert_error(400, "storing 32 patterns of 4096 neurons with rule storkey");
        let message = r.json()["error"].as_str().unwrap().to_string();
        assert!(message.contains("work units"), "{message}");
        assert!(message.contains("over the limit of 2.0e9"), "{message}");
        assert!(message.contains("patterns fit at N = 4096"), "{message}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "refused at once"
        );
    }
    // The 1.9 KB request: Storkey, T = 5, all of a million steps, N = 256. It ran
    // 48 s; now it is refused with the number of steps that fit, or runs those when asked.
    let one = random_rows(1, 256, 3);
    let mut hot = json!({"patterns": one, "cue": one[0], "rule": "storkey", "dynamics": "async",
                         "temperature": 5, "stop_at_fixed_point": false, "max_steps": 1_000_000});
    let r = s.post("/api/recall", &hot);
    r.assert_error(400, "max_steps = 1000000 is too large");
    assert!(r.body.contains("estimated at"), "{}", r.body);
    hot["clamp"] = json!(true);
    let started = Instant::now();
    let v = s.post("/api/recall", &hot).json();
    let took = started.elapsed();
    let steps = v["steps"].as_u64().expect("answered");
    assert!(steps < 1_000_000 && steps == v["max_steps"].as_u64().unwrap());
    assert!(took < Duration::from_secs(10), "{took:?}");
    eprintln!("storkey N = 256, T = 5, async, clamped to {steps} steps: {took:?}");
    // Perceptron learning at a size where not one epoch fits.
    let many = random_rows(700, 4096, 4);
    s.post(
        "/api/recall",
        &json!({"patterns": many, "cue": many[0], "rule": "perceptron"}),
    )
    .assert_error(400, "more work than the limit allows for one epoch");
}

#[test]
fn the_heaviest_request_of_each_rule_is_answered_in_about_two_seconds() {
    let _alone = alone();
    let s = Server::start();
    let hot_sync = json!({"dynamics": "sync", "temperature": 5});
    let hot_async = json!({"dynamics": "async", "temperature": 5});
    let cold_sync = json!({"dynamics": "sync"});
    let mut slowest = Duration::ZERO;
    for rule in [
        "hebb",
        "outer01",
        "storkey",
        "pseudo-inverse",
        "perceptron",
        "covariance",
    ] {
        let dense = !matches!(rule, "hebb" | "outer01");
        // Each rule's dearest bodies: the most neurons with the most patterns that fit,
        // and long runs of small networks, every step taken.
        let mut bodies: Vec<(String, Value)> = Vec::new();
        let sizes: &[(usize, Option<usize>)] = if dense {
            &[(4096, None), (256, None), (64, Some(1024))]
        } else {
            &[(65_536, Some(48)), (4096, Some(800)), (100, Some(3))]
        };
        for &(n, p) in sizes {
            for options in [&hot_sync, &hot_async, &cold_sync] {
                let mut p = p.unwrap_or_else(|| largest_p(&s, rule, n, options));
                if rule == "pseudo-inverse" {
                    p = p.min(n);
                }
                let (rows, cue) = if matches!(rule, "pseudo-inverse" | "perceptron") {
                    let rows = random_rows(p, n, 5);
                    let cue = rows[0].clone();
                    (rows, cue)
                } else {
                    flipping(p, n)
                };
                let mut body = options.clone();
                body["patterns"] = json!(rows);
                body["cue"] = json!(cue);
                body["rule"] = json!(rule);
                body["max_steps"] = json!(1_000_000);
                body["clamp"] = json!(true);
                body["stop_at_fixed_point"] = json!(false);
                bodies.push((format!("N = {n}, P = {p}, {options}"), body));
            }
        }
        for (what, body) in &bodies {
            let started = Instant::now();
            let r = s.post("/api/recall", body);
            let took = started.elapsed();
            // Perceptron learning past its capacity runs all of its epochs and says so.
            let learned = r.status == 200 || r.body.contains("did not converge");
            assert!(learned, "{rule}, {what}: {} {}", r.status, r.body);
            assert!(took < Duration::from_secs(10), "{rule}, {what}: {took:?}");
            eprintln!("{rule}, {what}: {} in {took:?}", r.status);
            slowest = slowest.max(took);
        }
    }
    eprintln!("slowest: {slowest:?}");
}

/// The most patterns of `n` neurons the limits admit for a model (its options in
/// `options`, one step), from the number a refusal names.
fn largest_p_of(s: &Server, n: usize, options: &Value) -> usize {
    let p = (3_000_000 / n).clamp(2, 1024);
    let rows = random_rows(p, n, 2);
    let mut body = options.clone();
    body["patterns"] = json!(rows);
    body["cue"] = json!(rows[0]);
    body["max_steps"] = json!(1);
    let r = s.post("/api/recall", &body);
    if r.status == 200 {
        return p;
    }
    let message = r.json()["error"].as_str().unwrap().to_string();
    message
        .split("at most ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|k| k.parse().ok())
        .unwrap_or_else(|| panic!("{options} at N = {n}: {message}"))
}

#[test]
fn the_heaviest_request_of_each_model_is_answered_in_about_two_seconds() {
    let _alone = alone();
    let s = Server::start();
    let mut slowest = Duration::ZERO;
    let models = [
        json!({"model": "dense", "degree": 3}),
        json!({"model": "rectified", "degree": 20}),
        json!({"model": "exponential", "beta": 0.5}),
        json!({"model": "modern", "beta": 0.01}),
        json!({"rule": "hebb", "dilution": 0.5}),
    ];
    for model in &models {
        for dynamics in ["sync", "async", "sweep"] {
            for n in [4096, 256, 16] {
                let mut options = model.clone();
                options["dynamics"] = json!(dynamics);
                let p = largest_p_of(&s, n, &options);
                // A cue far from every pattern, and every step taken: the dearest run.
                let rows = random_rows(p, n, 6);
                let cue = random_rows(1, n, 7).remove(0);
                let mut body = options.clone();
                body["patterns"] = json!(rows);
                body["cue"] = json!(cue);
                body["max_steps"] = json!(1_000_000);
                body["clamp"] = json!(true);
                body["stop_at_fixed_point"] = json!(false);
                let started = Instant::now();
                let r = s.post("/api/recall", &body);
                let took = started.elapsed();
                assert_eq!(r.status, 200, "{options}, N = {n}, P = {p}: {}", r.body);
                let steps = r.json()["steps"].as_u64().unwrap();
                eprintln!("{options}, N = {n}, P = {p}: {steps} steps in {took:?}");
                assert!(
                    took < Duration::from_secs(5),
                    "{options}, N = {n}, P = {p}: {took:?}"
                );
                slowest = slowest.max(took);
            }
        }
    }
    eprintln!("slowest: {slowest:?}");
}

#[test]
fn models_over_the_work_limit_are_refused_with_their_estimate() {
    let s = Server::start();
    // The largest bodies fit one step of every model: the step limit is what the work
    // limit lowers, and a run of a million steps is refused with its estimate.
    let rows = random_rows(700, 4096, 8);
    for (model, name) in [
        (
            json!({"model": "dense"}),
            "N = 4096, P = 700 and dynamics sweep",
        ),
        (
            json!({"model": "rectified", "degree": 5}),
            "N = 4096, P = 700 and dynamics sweep",
        ),
        (
            json!({"model": "exponential"}),
            "N = 4096, P = 700 and dynamics sweep",
        ),
        (
            json!({"model": "modern"}),
            "N = 4096, P = 700 and dynamics sweep",
        ),
    ] {
        let mut body = model.clone();
        body["patterns"] = json!(rows);
        body["cue"] = json!(rows[0]);
        body["dynamics"] = json!("sweep");
        body["max_steps"] = json!(1_000_000);
        let started = Instant::now();
        let r = s.post("/api/recall", &body);
        r.assert_error(400, &format!("max_steps = 1000000 is too large for {name}"));
        let message = r.json()["error"].as_str().unwrap().to_string();
        assert!(message.contains("steps are estimated at"), "{message}");
        assert!(message.contains("over the limit of 2.0e9"), "{message}");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "refused at once"
        );
        // The number of steps it names is admitted.
        let allowed: u64 = message
            .split("at most ")
            .nth(1)
            .and_then(|rest| rest.split(' ').next())
            .and_then(|k| k.parse().ok())
            .unwrap_or_else(|| panic!("{message}"));
        assert!(allowed >= 1, "{message}");
    }
    // Dilution forms the dense matrix: refused above its size, priced below it.
    let wide = random_rows(2, 8192, 9);
    s.post(
        "/api/recall",
        &json!({"patterns": wide, "cue": wide[0], "dilution": 0.5}),
    )
    .assert_error(400, "rule hebb diluted to 0.5 forms the dense 8192 x 8192");
}

/// Sends `body` to `/api/recall` on a new connection and returns it without reading the
/// answer.
fn send_and_keep(s: &Server, body: &Value) -> TcpStream {
    let body = body.to_string();
    let mut stream = TcpStream::connect(&s.addr).expect("connects");
    write!(
        stream,
        "POST /api/recall HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n\r\n{body}",
        s.addr,
        body.len()
    )
    .expect("sends");
    stream
}

/// Polls `/api/status` until `done` holds; the time it took, or `None` after `limit`.
fn until(s: &Server, limit: Duration, done: impl Fn(&Value) -> bool) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < limit {
        if done(&s.status()) {
            return Some(started.elapsed());
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    None
}

/// A request of about two seconds: a long hot run of a small network.
fn two_seconds() -> Value {
    let (rows, cue) = flipping(3, 100);
    json!({"patterns": rows, "cue": cue, "dynamics": "sync", "temperature": 5,
           "max_steps": 1_000_000, "clamp": true, "stop_at_fixed_point": false})
}

#[test]
fn quick_requests_do_not_wait_behind_heavy_ones() {
    let _alone = alone();
    let s = Server::start();
    let heavy: Vec<TcpStream> = (0..4).map(|_| send_and_keep(&s, &two_seconds())).collect();
    until(&s, Duration::from_secs(10), |v| {
        v["running"]["heavy"] == 2 && v["waiting"] == 2
    })
    .expect("two heavy requests run, two wait");
    let started = Instant::now();
    let g = s.post(
        "/api/generate",
        &json!({"kind": "letter", "text": "A", "rows": 7, "cols": 5}),
    );
    let generate = started.elapsed();
    assert_eq!(g.status, 200, "{}", g.body);
    let p = letters();
    let started = Instant::now();
    let r = s.post("/api/recall", &json!({"patterns": p, "cue": p[0]}));
    let recall = started.elapsed();
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        s.status()["running"]["heavy"],
        2,
        "the heavy ones still run"
    );
    eprintln!(
        "while two heavy recalls run: generate in {generate:?}, a small recall in {recall:?}"
    );
    assert!(generate < Duration::from_secs(1) && recall < Duration::from_secs(1));
    drop(heavy);
}

#[test]
fn abandoned_requests_stop_and_never_run_beyond_the_slots() {
    let _alone = alone();
    let mut s = Server::start();
    let (n, rows) = (4096, random_rows(100, 4096, 6));
    let kinds = [
        ("a long hot run", two_seconds()),
        (
            "hot asynchronous sweeps of N = 4096, P = 100",
            json!({"patterns": rows, "cue": rows[0], "dynamics": "sweep", "temperature": 5,
                   "max_steps": 1_000_000, "clamp": true, "stop_at_fixed_point": false}),
        ),
        (
            "Storkey's rule on N = 4096",
            json!({"patterns": random_rows(2, n, 7), "cue": rows[0], "rule": "storkey",
                   "max_steps": 1}),
        ),
    ];
    for (what, body) in &kinds {
        let abandoned: Vec<TcpStream> = (0..10).map(|_| send_and_keep(&s, body)).collect();
        until(&s, Duration::from_secs(20), |v| {
            v["running"]["heavy"] == 2 && v["waiting"] == 8
        })
        .unwrap_or_else(|| panic!("{what}: two run, eight wait: {}", s.status()));
        std::thread::sleep(Duration::from_millis(300));
        let cpu = s.cpu_seconds();
        for stream in &abandoned {
            let _ = stream.shutdown(Shutdown::Both);
        }
        drop(abandoned);
        let stopped = until(&s, Duration::from_secs(5), |v| {
            v["running"]["heavy"] == 0 && v["waiting"] == 0
        })
        .unwrap_or_else(|| panic!("{what}: still running: {}", s.status()));
        eprintln!("{what}: ten abandoned requests stopped {stopped:?} after their clients left");
        assert!(stopped < Duration::from_secs(2), "{what}: {stopped:?}");
        // Nothing goes on in the background: the server is idle.
        let idle = s.cpu_seconds();
        std::thread::sleep(Duration::from_secs(1));
        let spent = s.cpu_seconds() - idle;
        assert!(
            spent < 0.3,
            "{what}: {spent} s of processor time in a second of idling"
        );
        let status = s.status();
        assert!(
            status["most_running"]["heavy"].as_u64().unwrap() <= 2,
            "{status}"
        );
        eprintln!(
            "{what}: {:.2} s of processor time from the abandonment to the end",
            idle - cpu
        );
    }
    assert!(s.alive());
}

/// Whether the server closed `stream` (or answered and closed) within `limit`, and when.
fn closed_within(stream: &mut TcpStream, limit: Duration) -> Option<(Duration, Vec<u8>)> {
    let started = Instant::now();
    stream.set_read_timeout(Some(limit)).expect("timeout");
    let mut got = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        match stream.read(&mut buf) {
            Ok(0) => return Some((started.elapsed(), got)),
            Ok(k) => got.extend_from_slice(&buf[..k]),
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    || e.kind() == std::io::ErrorKind::TimedOut =>
            {
                return None;
            }
            Err(_) => return Some((started.elapsed(), got)),
        }
        if started.elapsed() > limit {
            return None;
        }
    }
}

#[test]
fn slow_and_stalled_clients_are_cut_off() {
    let _alone = alone();
    let s = Server::start();
    // Half-sent headers: closed after the header timeout (5 s).
    let mut half = TcpStream::connect(&s.addr).unwrap();
    write!(
        half,
        "POST /api/recall HTTP/1.1\r\nHost: {}\r\nContent-Ty",
        s.addr
    )
    .unwrap();
    let (after, _) = closed_within(&mut half, Duration::from_secs(15)).expect("closed");
    assert!(
        after >= Duration::from_secs(3),
        "not before its time: {after:?}"
    );
    // An idle keep-alive connection: closed after the same timeout.
    let mut idle = TcpStream::connect(&s.addr).unwrap();
    write!(idle, "GET /api/limits HTTP/1.1\r\nHost: {}\r\n\r\n", s.addr).unwrap();
    let (_, answer) = closed_within(&mut idle, Duration::from_secs(15)).expect("closed");
    assert!(answer.starts_with(b"HTTP/1.1 200"), "answered first");
    // A body that stops coming: 408 after the body timeout (10 s).
    let mut stalled = TcpStream::connect(&s.addr).unwrap();
    write!(
        stalled,
        "POST /api/recall HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Content-Length: 1000\r\n\r\n{{\"patterns\": ",
        s.addr
    )
    .unwrap();
    let (after, answer) = closed_within(&mut stalled, Duration::from_secs(20)).expect("closed");
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 408"), "{answer}");
    assert!(answer.contains("did not arrive within 10 s"), "{answer}");
    assert!(after >= Duration::from_secs(8), "{after:?}");
    // A Content-Length over the limit: 413 at once, before any of the body.
    let started = Instant::now();
    let r = s.raw(
        format!(
            "POST /api/recall HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
             Content-Length: 60000000\r\n\r\n",
            s.addr
        )
        .as_bytes(),
    );
    r.assert_error(413, "larger than the limit");
    assert!(started.elapsed() < Duration::from_secs(2));
    // Bodies held at once: four of 8 MiB fill the budget, the fifth is refused at once,
    // and small requests are still read and answered.
    let big = 8 * 1024 * 1024 - 1;
    let head = format!(
        "POST /api/recall HTTP/1.1\r\nHost: {}\r\nContent-Type: application/json\r\n\
         Content-Length: {big}\r\n\r\n",
        s.addr
    );
    let mut holding = Vec::new();
    for _ in 0..4 {
        let mut c = TcpStream::connect(&s.addr).unwrap();
        c.write_all(head.as_bytes()).unwrap();
        c.write_all(&vec![b' '; 1 << 20]).unwrap();
        holding.push(c);
    }
    until(&s, Duration::from_secs(5), |v| {
        v["buffered_bytes"].as_u64().unwrap() > 30 * 1024 * 1024
    })
    .expect("the four bodies are held");
    let r = s.raw(head.as_bytes());
    r.assert_error(503, "too many large requests");
    let p = letters();
    let r = s.post("/api/recall", &json!({"patterns": p, "cue": p[0]}));
    assert_eq!(r.status, 200, "{}", r.body);
    drop(holding);
    until(&s, Duration::from_secs(5), |v| v["buffered_bytes"] == 0)
        .expect("the bytes are given back when the clients go");
}

#[test]
fn idle_connections_are_capped_and_closed() {
    let _alone = alone();
    let s = Server::start();
    // More idle connections than the server keeps open: the ones beyond the cap wait to be
    // accepted, and every one is closed after the header timeout.
    let mut idle: Vec<TcpStream> = (0..1100)
        .map(|_| TcpStream::connect(&s.addr).expect("connects"))
        .collect();
    std::thread::sleep(Duration::from_secs(1));
    let rss = s.rss();
    let started = Instant::now();
    let status = s.status();
    let waited = started.elapsed();
    let open = status["connections"].as_u64().unwrap();
    eprintln!(
        "1100 idle connections: {open} open, {} MiB resident; a request waited {waited:?}",
        rss >> 20
    );
    assert!(open <= 1024, "{open} open connections");
    assert!(waited < Duration::from_secs(15), "{waited:?}");
    assert!(rss < 150 << 20, "{} MiB resident", rss >> 20);
    for (k, c) in idle.iter_mut().enumerate() {
        assert!(
            closed_within(c, Duration::from_secs(15)).is_some(),
            "idle connection {k} is still open"
        );
    }
}

#[test]
fn the_attack_of_slow_clients_leaves_the_server_small_and_answering() {
    let _alone = alone();
    let mut s = Server::start();
    let stop = Arc::new(AtomicBool::new(false));
    let addr = s.addr.clone();
    let mut attackers = Vec::new();
    let payload: Arc<[u8]> = vec![b' '; 8 * 1024 * 1024 - 1].into();
    // 500 connections that never finish their headers, and 300 that send 8 MiB − 1 bytes
    // of body and stall; each starts again a second after the server closes it.
    for k in 0..800 {
        let (stop, addr, payload) = (stop.clone(), addr.clone(), payload.clone());
        let attacker = std::thread::Builder::new()
            .stack_size(64 * 1024)
            .spawn(move || {
                let body = k >= 500;
                while !stop.load(Ordering::Relaxed) {
                    let Ok(mut c) = TcpStream::connect(&addr) else {
                        std::thread::sleep(Duration::from_millis(100));
                        continue;
                    };
                    let _ = c.set_read_timeout(Some(Duration::from_millis(200)));
                    let sent = if body {
                        let head = format!(
                            "POST /api/recall HTTP/1.1\r\nHost: {addr}\r\n\
                             Content-Type: application/json\r\nContent-Length: {}\r\n\r\n",
                            8 * 1024 * 1024
                        );
                        c.write_all(head.as_bytes())
                            .and_then(|()| c.write_all(&payload))
                    } else {
                        write!(c, "GET / HTTP/1.1\r\nHost: {addr}\r\nX-Slow: ")
                    };
                    // Hold the connection until the server drops it.
                    let mut buf = [0u8; 512];
                    let _ = sent;
                    while !stop.load(Ordering::Relaxed) {
                        match c.read(&mut buf) {
                            Ok(0) => break,
                            Ok(_) => {}
                            Err(e)
                                if e.kind() == std::io::ErrorKind::WouldBlock
                                    || e.kind() == std::io::ErrorKind::TimedOut => {}
                            Err(_) => break,
                        }
                    }
                    std::thread::sleep(Duration::from_secs(1));
                }
            })
            .expect("spawns");
        attackers.push(attacker);
    }
    // Meanwhile a normal client asks every 200 ms; the server's memory is sampled.
    let started = Instant::now();
    let (mut slowest, mut most, mut asked, mut connections) = (Duration::ZERO, 0u64, 0, 0);
    let mut took_ms = Vec::new();
    let p = letters();
    while started.elapsed() < Duration::from_secs(15) {
        std::thread::sleep(Duration::from_millis(200));
        let asking = Instant::now();
        let r = s.post("/api/recall", &json!({"patterns": p, "cue": p[0]}));
        let took = asking.elapsed();
        assert_eq!(r.status, 200, "{}", r.body);
        slowest = slowest.max(took);
        took_ms.push(took.as_secs_f64() * 1000.0);
        if took > Duration::from_millis(100) {
            eprintln!(
                "{:.1} s into the attack: answered in {took:?}",
                started.elapsed().as_secs_f64()
            );
        }
        asked += 1;
        most = most.max(s.rss());
        connections = connections.max(s.status()["connections"].as_u64().unwrap());
    }
    stop.store(true, Ordering::Relaxed);
    for a in attackers {
        let _ = a.join();
    }
    took_ms.sort_by(f64::total_cmp);
    eprintln!(
        "under 500 slow-header and 300 stalled-body connections (at most {connections} open): \
         {asked} requests answered in {:.1} ms (median), {:.1} ms (slowest); at most {} MiB \
         resident",
        took_ms[took_ms.len() / 2],
        took_ms[took_ms.len() - 1],
        most >> 20
    );
    assert!(
        connections >= 500,
        "the attack was on: {connections} connections"
    );
    assert!(slowest < Duration::from_secs(1), "{slowest:?}");
    assert!(most < 300 << 20, "{} MiB resident", most >> 20);
    assert!(s.alive());
}

#[test]
fn requests_from_other_sites_are_refused() {
    let s = Server::start();
    let port = s.addr.rsplit(':').next().unwrap().to_string();
    let get = |host: &str| {
        s.raw(
            format!("GET /api/limits HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n")
                .as_bytes(),
        )
    };
    // DNS rebinding: a name of another site that resolves to this machine.
    get(&format!("evil.example:{port}")).assert_error(403, "Host evil.example");
    get("evil.example").assert_error(403, "is not this server");
    assert_eq!(get(&format!("localhost:{port}")).status, 200);
    assert_eq!(get(&s.addr).status, 200);
    let p = letters();
    let body = json!({"patterns": p, "cue": p[0]}).to_string();
    let post = |extra: &str| {
        s.raw(
            format!(
                "POST /api/recall HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n{extra}\
                 Content-Length: {}\r\n\r\n{body}",
                s.addr,
                body.len()
            )
            .as_bytes(),
        )
    };
    // A page of another site posting a form-like body, with or without preflight.
    post("Origin: http://evil.example\r\nContent-Type: text/plain\r\n")
        .assert_error(403, "http://evil.example is refused");
    post("Origin: http://evil.example\r\nContent-Type: application/json\r\n")
        .assert_error(403, "is refused");
    post("Origin: null\r\nContent-Type: application/json\r\n").assert_error(403, "is refused");
    // The explorer's own page, and programs that send no Origin.
    let own = format!(
        "Origin: http://{}\r\nContent-Type: application/json\r\n",
        s.addr
    );
    assert_eq!(post(&own).status, 200, "{}", post(&own).body);
    assert_eq!(
        post("Content-Type: application/json; charset=utf-8\r\n").status,
        200
    );
    // The API takes JSON only.
    post("Content-Type: text/plain\r\n").assert_error(415, "Content-Type text/plain");
    post("").assert_error(415, "no Content-Type");
    post("Content-Type: application/x-www-form-urlencoded\r\n")
        .assert_error(415, "application/json");
}

#[test]
fn echoed_input_is_cut_and_escaped() {
    let s = Server::start();
    let p = letters();
    let long = "x".repeat(7_000_000);
    let base = json!({"patterns": p, "cue": p[0]});
    let with = |key: &str, value: Value| {
        let mut v = base.clone();
        v[key] = value;
        v
    };
    for (body, needle) in [
        (with("dynamics", json!(long)), "dynamics = xxx"),
        (with("cue", json!(long)), "invalid type: string \"xxx"),
        (with(&long, json!(1)), "unknown field `xxx"),
        (with("rule", json!(long)), "rule = xxx"),
    ] {
        let r = s.post("/api/recall", &body);
        r.assert_error(400, needle);
        let message = r.json()["error"].as_str().unwrap().to_string();
        assert!(message.contains("… (7000000 characters)"), "{message}");
        assert!(r.body.len() < 1000, "{} bytes", r.body.len());
    }
    let r = s.post(
        "/api/generate",
        &json!({"kind": long, "rows": 5, "cols": 5}),
    );
    r.assert_error(400, "(7000000 characters)");
    assert!(r.body.len() < 1000);
    // Control characters from the request come back escaped, never raw.
    for (body, escaped) in [
        (with("tie", json!("\u{1b}[2J\u{7}")), "\\u{1b}[2J\\u{7}"),
        (with("bad\u{1b}]0;x\u{7}", json!(1)), "bad\\u{1b}]0;x\\u{7}"),
    ] {
        let r = s.post("/api/recall", &body);
        r.assert_error(400, escaped);
        let message = r.json()["error"].as_str().unwrap().to_string();
        assert!(!message.chars().any(char::is_control), "{message:?}");
    }
}
