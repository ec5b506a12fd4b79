//! `hopfield bench`: the reference workloads of `numpy_baseline.py`, timed.
//!
//! Each workload has the numpy script's letter, sizes and semantics (same dynamics, tie
//! rule and check value); the patterns come from this crate's generator, so random check
//! values agree within sampling error, and deterministic ones (B, D) exactly.

use std::hint::black_box;
use std::time::Instant;

use anyhow::Result;
use hopfield::generate::{par_random_patterns, random_patterns};
use hopfield::rule::Hebb;
use hopfield::{
    AssociativeMemory, Dynamics, Network, Normalization, Patterns, RecallOptions, Record,
    Representation, Rule, Tie, noise, random,
};
use rayon::prelude::*;
use serde_json::json;

use crate::cli::{BenchArgs, UsageError};

/// A workload: its name, what it does, and a function returning the check value.
struct Workload {
    name: &'static str,
    what: &'static str,
    run: fn() -> Result<f64>,
}

const WORKLOADS: &[Workload] = &[
    Workload {
        name: "A",
        what: "page's one-pattern async: N=100, 1000 single-neuron updates, error per step",
        run: workload_a,
    },
    Workload {
        name: "B",
        what: "page's image recall: N=10000, P=2, one sync step, second half masked (auto representation)",
        run: || workload_b(Representation::Auto),
    },
    Workload {
        name: "B-dense",
        what: "workload B with the dense int8 matrix forced (built from the patterns)",
        run: || workload_b(Representation::Dense),
    },
    Workload {
        name: "write",
        what: "reference: allocate and write a 10000 x 10000 int8 matrix once",
        run: write_matrix,
    },
    Workload {
        name: "C",
        what: "capacity sweep: N=1000, P=10..200 step 10, 5 trials, 10% noise, sync to a fixed point",
        run: workload_c,
    },
    Workload {
        name: "capacity",
        what: "`hopfield capacity` defaults: N=1000, α=0.01..0.20 (20 loads), 5 trials, fixed points + recall from 10% noise, sync",
        run: workload_capacity,
    },
    Workload {
        name: "D",
        what: "async sweeps: N=10000, P=50, 20% flipped, 5 random-order sweeps",
        run: workload_d,
    },
    Workload {
        name: "E",
        what: "large factored recall: N=100000, P=1000, 10 cues, 10% noise, sync (max 20)",
        run: workload_e,
    },
    Workload {
        name: "F",
        what: "large recall at α=0.05: N=100000, P=5000, 32 cues, 10% noise, sync to a fixed point (max 20)",
        run: workload_f,
    },
];

/// The timed result of one workload.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct Timing {
    pub name: String,
    pub seconds: f64,
    pub check: f64,
    pub runs: usize,
    /// Threads the workload ran with.
    pub threads: usize,
    /// The process's peak resident memory so far, in MB (after this workload).
    pub peak_rss_mb: f64,
}

pub fn run(args: BenchArgs) -> Result<()> {
    let names: Vec<String> = if args.workloads.is_empty() {
        [
            "A", "B", "B-dense", "write", "C", "capacity", "D", "E", "F", "step", "read",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    } else {
        args.workloads.iter().map(|s| s.to_string()).collect()
    };
    let known: Vec<&str> = WORKLOADS
        .iter()
        .map(|w| w.name)
        .chain(["step", "read"])
        .collect();
    for n in &names {
        if !known.iter().any(|k| k.eq_ignore_ascii_case(n)) {
            return Err(UsageError(format!(
                "unknown workload '{n}'; expected some of: {}",
                known.join(" ")
            ))
            .into());
        }
    }
    if args.repeat == 0 {
        return Err(UsageError("--repeat must be at least 1".into()).into());
    }
    // The threads in force, in this process; or, with --threads N, one thread and N
    // threads, each timing in a process of its own (whose main thread calls the library as
    // a program does, with the global pool of that many threads and its own peak memory).
    let counts: Vec<usize> = match args.threads {
        Some(0) => return Err(UsageError("--threads must be at least 1".into()).into()),
        Some(n) if n > 1 => vec![1, n],
        Some(_) => vec![1],
        None => Vec::new(),
    };
    let mut timings = Vec::new();
    for name in &names {
        let runs = if counts.is_empty() {
            let t = timed(name, args.repeat)?;
            vec![Timing {
                peak_rss_mb: peak_rss_mb(),
                ..t
            }]
        } else {
            counts
                .iter()
                .map(|&threads| in_child(name, args.repeat, threads))
                .collect::<Result<_>>()?
        };
        for t in runs {
            report(&t, &args, counts.len() > 1, timings.last());
            timings.push(t);
        }
    }
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&json!({
                "threads": rayon::current_num_threads(),
                "timings": timings,
            }))?
        );
    }
    Ok(())
}

/// Times workload `name` in a new process of this program with `threads` threads.
fn in_child(name: &str, repeat: usize, threads: usize) -> Result<Timing> {
    let exe = std::env::current_exe()?;
    let out = std::process::Command::new(&exe)
        .args(["bench", name, "--repeat", &repeat.to_string(), "--json"])
        .env("RAYON_NUM_THREADS", threads.to_string())
        .stderr(std::process::Stdio::inherit())
        .output()?;
    if !out.status.success() {
        anyhow::bail!(
            "timing workload {name} with {threads} threads failed ({})",
            out.status
        );
    }
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)?;
    let timing = json["timings"]
        .get(0)
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("timing workload {name}: no timing in the report"))?;
    Ok(serde_json::from_value(timing)?)
}

/// Times workload `name`.
fn timed(name: &str, repeat: usize) -> Result<Timing> {
    if name.eq_ignore_ascii_case("step") || name.eq_ignore_ascii_case("read") {
        dense_step_and_read(repeat, name.eq_ignore_ascii_case("step"))
    } else {
        let w = WORKLOADS
            .iter()
            .find(|w| w.name.eq_ignore_ascii_case(name))
            .ok_or_else(|| UsageError(format!("unknown workload '{name}'")))?;
        time(w.name, repeat, w.run)
    }
}

/// Prints one line for `t` (unless JSON is asked for): `NAME SECONDSs check=CHECK`, with
/// the thread count and the speed-up over the line before (one thread) when comparing.
fn report(t: &Timing, args: &BenchArgs, comparing: bool, before: Option<&Timing>) {
    if args.json {
        return;
    }
    let what = WORKLOADS
        .iter()
        .find(|w| w.name == t.name)
        .map(|w| w.what)
        .unwrap_or(match t.name.as_str() {
            "step" => "one dense int8 sync step at N=10000 through the matrix (already built)",
            _ => "reference: read the 10000 x 10000 int8 matrix once",
        });
    let threads = if comparing {
        let speedup = before
            .filter(|b| b.name == t.name && b.threads == 1 && t.threads > 1)
            .map(|b| format!(", {:.2}x one thread", b.seconds / t.seconds))
            .unwrap_or_default();
        format!(
            " threads={} peak_rss={:.0}MB{speedup}",
            t.threads, t.peak_rss_mb
        )
    } else {
        format!(" peak_rss={:.0}MB", t.peak_rss_mb)
    };
    println!(
        "{} {:.6}s check={}{threads}    # {what}",
        t.name,
        t.seconds,
        fmt_check(t.check)
    );
}

/// The process's peak resident memory so far, in MB (0 where it cannot be read): Linux's
/// `VmHWM` (of this program alone: `getrusage` counts the memory of a parent that forked
/// it), elsewhere `getrusage`.
fn peak_rss_mb() -> f64 {
    if let Ok(status) = std::fs::read_to_string("/proc/self/status") {
        let kb = status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok());
        if let Some(kb) = kb {
            return kb * 1024.0 / 1e6;
        }
    }
    #[cfg(unix)]
    {
        let mut usage = std::mem::MaybeUninit::<libc::rusage>::zeroed();
        // SAFETY: `getrusage` fills the struct it is given, which lives for the call.
        let ok = unsafe { libc::getrusage(libc::RUSAGE_SELF, usage.as_mut_ptr()) } == 0;
        if ok {
            // SAFETY: filled by the successful call above.
            let kb = unsafe { usage.assume_init() }.ru_maxrss;
            // Linux reports kilobytes; macOS bytes.
            let bytes = if cfg!(target_os = "macos") {
                kb as f64
            } else {
                kb as f64 * 1024.0
            };
            return bytes / 1e6;
        }
    }
    0.0
}

fn fmt_check(c: f64) -> String {
    if c.fract() == 0.0 {
        format!("{c:.0}")
    } else {
        format!("{c:.3}")
    }
}

/// Runs `f` `repeat` times and keeps the median time (the check of the last run).
fn time(name: &str, repeat: usize, f: fn() -> Result<f64>) -> Result<Timing> {
    let mut secs = Vec::with_capacity(repeat);
    let mut check = 0.0;
    for _ in 0..repeat {
        let t0 = Instant::now();
        check = black_box(f()?);
        secs.push(t0.elapsed().as_secs_f64());
    }
    Ok(Timing {
        name: name.to_string(),
        seconds: median(&mut secs),
        check,
        runs: repeat,
        threads: rayon::current_num_threads(),
        peak_rss_mb: 0.0,
    })
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn patterns(p: usize, n: usize, seed: u64) -> Result<Patterns> {
    Ok(par_random_patterns(p, n, 0.5, &mut random::seeded(seed))?)
}

/// Patterns `0..count` of `x` with each neuron flipped with probability 0.1, cue `k` from
/// the random stream `k` of `seed` (the cues drawn side by side).
fn noisy_cues(x: &Patterns, count: usize, seed: u64) -> Result<Vec<Vec<i8>>> {
    Ok((0..count)
        .into_par_iter()
        .map(|k| {
            let xi = x.get(k).unwrap_or_default();
            noise::flip_each(xi, 0.1, &mut random::stream(seed, k as u64))
        })
        .collect::<hopfield::Result<_>>()?)
}

fn unnormalized() -> Rule {
    Hebb::new(Normalization::None).into()
}

fn workload_a() -> Result<f64> {
    let mut rng = random::seeded(1);
    let p = random_patterns(1, 100, 0.5, &mut rng)?;
    let xi = p.get(0).unwrap_or_default().to_vec();
    let net = Network::from_patterns(&p, &unnormalized())?;
    let tail = random_patterns(1, 25, 0.5, &mut rng)?;
    let mut cue = xi[..75].to_vec();
    cue.extend_from_slice(tail.get(0).unwrap_or_default());
    let options = RecallOptions::new(Dynamics::Asynchronous)
        .tie(Tie::Minus)
        .max_steps(1000)
        .run_to_max()
        .record(Record::new(false, true))
        .target(Some(xi));
    let r = net.recall(&cue, &options, &mut rng)?;
    let errors = r.trajectory.map(|t| t.errors).unwrap_or_default();
    // The page's error is Σ|S − ξ| = 2 · (Hamming distance).
    Ok(2.0 * errors.last().copied().unwrap_or(0) as f64)
}

fn workload_b(representation: Representation) -> Result<f64> {
    let n = 10_000;
    let p = patterns(2, n, 2)?;
    let net = Network::train(&p, &Rule::hebb(), representation)?;
    let xi = p.get(0).unwrap_or_default();
    let cue = noise::mask(xi, &noise::Region::SecondHalf, None)?;
    let options = RecallOptions::new(Dynamics::Synchronous)
        .tie(Tie::Minus)
        .max_steps(1)
        .run_to_max();
    let r = net.recall(&cue, &options, &mut random::seeded(0))?;
    Ok(r.state.iter().zip(xi).filter(|(a, b)| a == b).count() as f64)
}

/// The reference for B-dense: allocate an N² int8 matrix and write every byte once, in
/// parallel as the dense build does (the allocation is zeroed lazily by the system, so the
/// fill is the only write).
fn write_matrix() -> Result<f64> {
    let n = 10_000;
    let mut m = vec![0i8; n * n];
    m.par_chunks_mut(n)
        .enumerate()
        .for_each(|(i, row)| row.fill((i % 7) as i8 + 1));
    Ok(f64::from(black_box(m[n * n - 1])))
}

/// One dense int8 synchronous step at N = 10 000 (`step`), or the reference it is compared
/// with (`read`): reading a buffer of the same size once, in parallel, summing its bytes.
fn dense_step_and_read(repeat: usize, step: bool) -> Result<Timing> {
    let n = 10_000;
    let p = patterns(2, n, 3)?;
    // The matrix alone: a network built from patterns would take the cheaper O(N·P)
    // path through them, and this measures the pass over the N × N matrix.
    let trained = Network::train(&p, &Rule::hebb(), Representation::Dense)?;
    let (matrix, scale) = trained
        .weights()
        .dense_parts()
        .ok_or_else(|| anyhow::anyhow!("the dense representation was not built"))?;
    let net = Network::new(hopfield::Weights::from_dense_parts(n, matrix, scale)?);
    let cue = noise::flip_fraction(p.get(0).unwrap_or_default(), 0.1, &mut random::seeded(4))?;
    let buffer: Vec<u64> = if step {
        Vec::new()
    } else {
        (0..(n * n / 8) as u64).collect()
    };
    let mut secs = Vec::new();
    let mut check = 0.0;
    for _ in 0..repeat {
        let t0 = Instant::now();
        check = if step {
            let h = net.fields(&cue)?;
            h.iter().filter(|&&h| h > 0.0).count() as f64
        } else {
            let sum = buffer
                .par_chunks(1 << 16)
                .map(|c| c.iter().fold(0u64, |a, &x| a.wrapping_add(x)))
                .reduce(|| 0, u64::wrapping_add);
            (black_box(sum) % 1000) as f64
        };
        secs.push(t0.elapsed().as_secs_f64());
    }
    Ok(Timing {
        name: if step { "step" } else { "read" }.to_string(),
        seconds: median(&mut secs),
        check,
        runs: repeat,
        threads: rayon::current_num_threads(),
        peak_rss_mb: 0.0,
    })
}

fn workload_c() -> Result<f64> {
    let n = 1000;
    let loads: Vec<usize> = (10..=200).step_by(10).collect();
    let jobs: Vec<(usize, usize)> = loads
        .iter()
        .flat_map(|&p| (0..5).map(move |t| (p, t)))
        .collect();
    let fractions: Vec<(usize, f64)> = jobs
        .par_iter()
        .map(|&(p, trial)| -> Result<(usize, f64)> {
            let seed = random::mix((p as u64) << 8 | trial as u64);
            let x = patterns(p, n, seed)?;
            let net = Network::train(&x, &unnormalized(), Representation::Auto)?;
            let mut rng = random::stream(seed, 1);
            let cues: Vec<Vec<i8>> = x
                .iter()
                .map(|xi| noise::flip_each(xi, 0.1, &mut rng))
                .collect::<hopfield::Result<_>>()?;
            let options = RecallOptions::new(Dynamics::Synchronous)
                .tie(Tie::Minus)
                .max_steps(50);
            let results = net.recall_batch(&cues, &options, seed)?;
            let exact = results
                .iter()
                .zip(x.iter())
                .filter(|(r, xi)| r.state == *xi)
                .count();
            Ok((p, exact as f64 / p as f64))
        })
        .collect::<Result<_>>()?;
    let means: Vec<f64> = loads
        .iter()
        .map(|&p| {
            let v: Vec<f64> = fractions.iter().filter(|f| f.0 == p).map(|f| f.1).collect();
            v.iter().sum::<f64>() / v.len() as f64
        })
        .collect();
    Ok((means.iter().sum::<f64>() / means.len() as f64 * 1000.0).round() / 1000.0)
}

/// The capacity sweep of `hopfield capacity` with its defaults; the check is the mean
/// final overlap over the loads.
fn workload_capacity() -> Result<f64> {
    let c = hopfield::experiment::capacity(&hopfield::experiment::CapacityConfig::default())?;
    let mean = c.points.iter().map(|p| p.mean_overlap).sum::<f64>() / c.points.len() as f64;
    Ok((mean * 1000.0).round() / 1000.0)
}

fn workload_d() -> Result<f64> {
    let n = 10_000;
    let x = patterns(50, n, 5)?;
    let net = Network::train(&x, &unnormalized(), Representation::Auto)?;
    let xi = x.get(0).unwrap_or_default();
    let mut cue = xi.to_vec();
    for s in &mut cue[..n / 5] {
        *s = -*s;
    }
    let options = RecallOptions::new(Dynamics::Sweep)
        .tie(Tie::Minus)
        .max_steps(5)
        .run_to_max();
    let r = net.recall(&cue, &options, &mut random::seeded(6))?;
    Ok(r.state.iter().zip(xi).filter(|(a, b)| a == b).count() as f64)
}

fn workload_e() -> Result<f64> {
    let (n, p) = (100_000, 1000);
    let x = patterns(p, n, 7)?;
    let net = Network::train(&x, &unnormalized(), Representation::Factored)?;
    let cues = noisy_cues(&x, 10, 8)?;
    let options = RecallOptions::new(Dynamics::Synchronous)
        .tie(Tie::Minus)
        .max_steps(20);
    let results = net.recall_batch(&cues, &options, 9)?;
    Ok(results
        .iter()
        .enumerate()
        .filter(|(k, r)| x.get(*k).is_some_and(|xi| r.state == xi))
        .count() as f64)
}

/// Workload F: recall at α = 0.05 in a large network, built inside the timed call; the
/// check is the mean final overlap with the cued patterns, to four places.
fn workload_f() -> Result<f64> {
    let (n, p, cues) = (100_000, 5_000, 32);
    let x = patterns(p, n, 10)?;
    let net = Network::train(&x, &unnormalized(), Representation::Factored)?;
    let cues = noisy_cues(&x, cues, 11)?;
    let options = RecallOptions::new(Dynamics::Synchronous)
        .tie(Tie::Minus)
        .max_steps(20);
    let results = net.recall_batch(&cues, &options, 12)?;
    let overlap: f64 = results
        .iter()
        .enumerate()
        .map(|(k, r)| {
            let xi = x.get(k).unwrap_or_default();
            let dot: i64 = r
                .state
                .iter()
                .zip(xi)
                .map(|(&a, &b)| i64::from(a * b))
                .sum();
            dot as f64 / n as f64
        })
        .sum::<f64>()
        / results.len().max(1) as f64;
    Ok((overlap * 1e4).round() / 1e4)
}
