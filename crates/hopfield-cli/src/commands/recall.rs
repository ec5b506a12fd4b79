//! `hopfield recall`: store patterns, recall from cues.

use anyhow::Result;
use hopfield::modern::Memory;
use hopfield::{AssociativeMemory, Outcome, Patterns, Recall, RecallOptions, Shape, noise, random};
use hopfield_io::Layout;
use serde_json::{Value, json};

use crate::cli::{RecallArgs, UsageError};
use crate::terminal::{self, Panel};

pub fn run(args: RecallArgs) -> Result<()> {
    let loaded = load(&args)?;
    let (cues, layout) = cues(&args, &loaded)?;

    let mut options = RecallOptions::new(args.dynamics.dynamics)
        .tie(args.dynamics.tie)
        .temperature(args.dynamics.temperature);
    if let Some(k) = args.dynamics.max_steps {
        options = options.max_steps(k);
    }
    let results = loaded
        .memory
        .recall_batch(&cues, &options, args.dynamics.seed)?;

    if let Some(out) = &args.out {
        let flat: Vec<i8> = results
            .iter()
            .flat_map(|r| r.state.iter().copied())
            .collect();
        hopfield_io::write_states(out, &flat, &layout)?;
    }
    if args.json {
        let items: Vec<Value> = results
            .iter()
            .enumerate()
            .map(|(k, r)| to_json(k, r, args.from))
            .collect();
        let doc = if items.len() == 1 {
            items.into_iter().next().unwrap_or(Value::Null)
        } else {
            Value::Array(items)
        };
        println!("{}", serde_json::to_string_pretty(&doc)?);
    } else {
        for (k, (cue, r)) in cues.iter().zip(&results).enumerate() {
            print!("{}", describe(k, cues.len(), cue, r, &loaded, args.from));
        }
        if let Some(out) = &args.out {
            eprintln!(
                "wrote the final state{} to {}",
                if results.len() == 1 { "" } else { "s" },
                out.display()
            );
        }
    }
    Ok(())
}

/// What `recall` runs: the memory, the patterns it compares states with, the display shape.
struct Loaded {
    memory: Memory,
    patterns: Option<Patterns>,
    shape: Option<Shape>,
}

/// The memory: a network read from --network (with the --patterns given instead of its
/// own), or a network or another model built on --patterns.
fn load(args: &RecallArgs) -> Result<Loaded> {
    let patterns = match &args.patterns {
        Some(path) => Some(hopfield_io::read_patterns(
            path,
            args.input.size,
            args.input.encoding,
        )?),
        None => None,
    };
    match (&args.saved, patterns) {
        (Some(path), patterns) => {
            let net = match hopfield_io::read_memory(path)? {
                Memory::Classical(net) => *net,
                memory => {
                    // Another model: its own patterns, unless --patterns gives others for
                    // --from.
                    let own = match &memory {
                        Memory::Dense(m) => Some(m.patterns().clone()),
                        _ => None,
                    };
                    let patterns = patterns.or(own);
                    return Ok(Loaded {
                        shape: patterns.as_ref().and_then(Patterns::shape),
                        patterns,
                        memory,
                    });
                }
            };
            let net = match patterns {
                Some(p) => {
                    let given = args.patterns.as_deref().unwrap_or(path);
                    net.with_patterns(p).map_err(|e| {
                        anyhow::anyhow!(
                            "{}: patterns do not fit the network {}: {e}",
                            given.display(),
                            path.display()
                        )
                    })?
                }
                None => net,
            };
            Ok(Loaded {
                patterns: net.patterns().cloned(),
                shape: net.shape(),
                memory: Memory::Classical(Box::new(net)),
            })
        }
        (None, Some(p)) => Ok(Loaded {
            memory: super::memory(&p, &args.network, args.dynamics.seed)?,
            shape: p.shape(),
            patterns: Some(p),
        }),
        (None, None) => Err(UsageError("give --patterns FILE or --network NET".into()).into()),
    }
}

/// The cues: read from --cue, or a stored pattern with --from; then changed as asked
/// (--mix, --noise, --add-noise, --mask, in that order, drawing from one generator seeded
/// with --seed).
fn cues(args: &RecallArgs, loaded: &Loaded) -> Result<(Vec<Vec<i8>>, Layout)> {
    let (states, layout) = uncorrupted_cues(args, loaded)?;
    if args.mix.is_none() && args.noise.is_none() && args.add_noise.is_none() && args.mask.is_none()
    {
        return Ok((states, layout));
    }
    let other = match args.mix {
        Some(mix) => {
            let patterns = loaded.patterns.as_ref().ok_or_else(|| {
                UsageError(format!(
                    "--mix {}:{}: the network stores no patterns; give them with --patterns FILE",
                    mix.pattern, mix.fraction
                ))
            })?;
            let p = patterns
                .pattern(mix.pattern)
                .map_err(|e| UsageError(format!("--mix {}:{}: {e}", mix.pattern, mix.fraction)))?;
            Some((p.to_vec(), mix.fraction))
        }
        None => None,
    };
    let mut rng = random::seeded(args.dynamics.seed);
    let many = states.len() > 1;
    let states = states
        .into_iter()
        .enumerate()
        .map(|(k, mut cue)| {
            let item = || match (&args.cue, many) {
                (Some(path), true) => format!("{}, cue {k}", path.display()),
                (Some(path), false) => path.display().to_string(),
                (None, _) => format!("--from {}", args.from.unwrap_or_default()),
            };
            if let Some((other, kept)) = &other {
                cue = noise::mix(&cue, other, *kept)?;
            }
            if let Some(f) = args.noise {
                cue = noise::flip_fraction(&cue, f, &mut rng)?;
            }
            if let Some(to) = args.add_noise {
                cue = noise::add_noise_to(&cue, to, &mut rng)
                    .map_err(|e| UsageError(format!("--add-noise {to}: {}: {e}", item())))?;
            }
            if let Some(region) = &args.mask {
                cue = noise::mask(&cue, region, layout.shape)?;
            }
            Ok(cue)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok((states, layout))
}

/// The cues as read from --cue, or the stored pattern --from.
fn uncorrupted_cues(args: &RecallArgs, loaded: &Loaded) -> Result<(Vec<Vec<i8>>, Layout)> {
    let n = loaded.memory.n();
    if let Some(path) = &args.cue {
        let shape = args.input.size.or(loaded.shape);
        let c = hopfield_io::read_cues(path, n, shape, args.input.encoding)?;
        let mut layout = c.layout;
        if layout.shape.is_none() {
            layout.shape = loaded.shape;
        }
        return Ok((c.states, layout));
    }
    let Some(index) = args.from else {
        return Err(UsageError(
            "give a cue: --cue FILE, or --from INDEX to corrupt a stored pattern".into(),
        )
        .into());
    };
    let Some(patterns) = &loaded.patterns else {
        return Err(UsageError(format!(
            "--from {index}: the network {} stores no patterns; give them with --patterns FILE, \
             or a cue with --cue FILE",
            args.saved
                .as_deref()
                .map_or_else(String::new, |p| p.display().to_string())
        ))
        .into());
    };
    let cue = patterns
        .pattern(index)
        .map_err(|e| UsageError(format!("--from {index}: {e}")))?
        .to_vec();
    let shape = loaded.shape;
    let dims = match shape {
        Some(s) => vec![s.rows, s.cols],
        None => vec![n],
    };
    Ok((
        vec![cue],
        Layout {
            count: 1,
            n,
            shape,
            dims,
        },
    ))
}

/// The stored pattern nearest to a final state: the largest overlap in magnitude (the
/// first on a tie), with its overlap.
fn nearest(r: &Recall) -> Option<(usize, f64)> {
    r.overlaps
        .iter()
        .copied()
        .enumerate()
        .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()).then(b.0.cmp(&a.0)))
}

fn to_json(k: usize, r: &Recall, cued: Option<usize>) -> Value {
    let mut v = json!({
        "cue": k,
        "outcome": r.outcome.name(),
        "pattern": r.outcome.pattern(),
        "cued": cued,
        "nearest": nearest(r).map(|(mu, m)| json!({ "pattern": mu, "overlap": m })),
        "steps": r.steps,
        "hitting_time": r.hitting_time,
        "updates": r.updates,
        "flips": r.flips,
        "converged": r.converged,
        "overlaps": r.overlaps,
        "energy": r.energy,
    });
    match &r.outcome {
        Outcome::Cycle { period } => v["period"] = json!(period),
        Outcome::Mixture { patterns, signs } => {
            v["mixture"] = json!({ "patterns": patterns, "signs": signs });
        }
        _ => {}
    }
    v
}

/// One recall as text: the outcome; the overlap with the cued pattern (`--from`) and,
/// when it is another one, the nearest pattern; then the cue, the final state, the cued
/// pattern and the nearest pattern, each named for what it is.
fn describe(
    k: usize,
    total: usize,
    cue: &[i8],
    r: &Recall,
    loaded: &Loaded,
    cued: Option<usize>,
) -> String {
    let patterns = loaded.patterns.as_ref();
    let label = if total == 1 {
        String::new()
    } else {
        format!("cue {k}: ")
    };
    let nearest = nearest(r);
    let overlap_with = |mu: usize| r.overlaps.get(mu).copied();
    let mut measures = String::new();
    if let Some(mu) = cued
        && let Some(m) = overlap_with(mu)
    {
        measures.push_str(&format!("; cued pattern {mu}, overlap {m:+.3}"));
    }
    let nearest_other = nearest.filter(|&(mu, _)| Some(mu) != cued);
    // A negative overlap: the state is nearer the pattern's reversal.
    let reversed = |m: f64| if m < 0.0 { " reversed" } else { "" };
    if let Some((mu, m)) = nearest_other {
        measures.push_str(&format!(
            "; nearest pattern {mu}{}, overlap {m:+.3}",
            reversed(m)
        ));
    }
    // One word for the state: an unconverged outcome already says so.
    let state = match (&r.outcome, r.converged) {
        (Outcome::Unconverged, _) => "",
        (_, true) => " (converged)",
        (_, false) => " (not converged)",
    };
    let mut out = format!(
        "{label}{} after {} step{}{state}{measures}; energy {}\n",
        r.outcome,
        r.steps,
        if r.steps == 1 { "" } else { "s" },
        crate::terminal::number(r.energy),
    );
    // The panels beside the cue and the final state: the cued pattern, then the nearest
    // one when it differs.
    let mut shown: Vec<(String, &[i8])> = Vec::new();
    if let Some(mu) = cued
        && let Some(p) = patterns.and_then(|ps| ps.get(mu))
    {
        shown.push((format!("pattern {mu} (cued)"), p));
    }
    if let Some((mu, m)) = nearest_other
        && let Some(p) = patterns.and_then(|ps| ps.get(mu))
    {
        shown.push((
            format!(
                "pattern {mu} (nearest{})",
                if m < 0.0 { ", reversed" } else { "" }
            ),
            p,
        ));
    }
    match loaded.shape {
        Some(shape) => {
            let mut panels = vec![
                Panel {
                    title: "cue".into(),
                    state: cue,
                },
                Panel {
                    title: "final".into(),
                    state: &r.state,
                },
            ];
            panels.extend(
                shown
                    .into_iter()
                    .map(|(title, state)| Panel { title, state }),
            );
            out.push_str(&terminal::side_by_side(&panels, shape));
        }
        None if r.state.len() <= 120 => {
            let mut lines = vec![
                ("cue".to_string(), cue),
                ("final".to_string(), &r.state[..]),
            ];
            lines.extend(shown);
            let width = lines.iter().map(|l| l.0.chars().count()).max().unwrap_or(0);
            for (title, state) in lines {
                let pad = width - title.chars().count();
                out.push_str(&format!(
                    "{title}{}  {}\n",
                    " ".repeat(pad),
                    terminal::line(state)
                ));
            }
        }
        None => {}
    }
    out
}
