//! The tour's sections, one per group of cells of the course page.

use anyhow::Result;
use hopfield::generate::{page, random_pattern, random_patterns};
use hopfield::noise::AddTo;
use hopfield::rule::{Hebb, Outer01};
use hopfield::{
    AssociativeMemory, Dynamics, Network, Normalization, Outcome, Patterns, Recall, RecallOptions,
    Record, Rule, Shape, Tie, experiment, noise,
};
use hopfield_plot::{Colormap, Figure, HLine, Image, Panel};
use serde_json::json;

use super::figures;
use super::{Context, Section};
use crate::cli::{Connectivity, SimulateArgs};
use crate::commands::simulate::simulate;

/// The sections in order.
pub const ALL: &[fn(&Context) -> Result<Section>] = &[
    random_network,
    crosstalk,
    one_pattern,
    five_neurons,
    letters,
    images,
    two_patterns,
    energy_and_overlap,
];

/// The page's unnormalised Hebb rule, `Tij = Σ outer(ξ, ξ)` with zero diagonal.
fn page_hebb() -> Rule {
    Hebb::new(Normalization::None).into()
}

fn fmt(x: f64) -> String {
    format!("{x:.2}")
}

/// The page's asynchronous loop: `updates` random single-neuron updates, `> 0` → +1,
/// recording the error to `target` and the energy after every update.
fn page_async(
    net: &Network,
    cue: &[i8],
    target: &[i8],
    updates: usize,
    ctx: &Context,
    k: u64,
) -> Result<Recall> {
    let options = RecallOptions::new(Dynamics::Asynchronous)
        .tie(Tie::Minus)
        .max_steps(updates)
        .run_to_max()
        .record(Record::new(false, true))
        .target(Some(target.to_vec()));
    Ok(net.recall(cue, &options, &mut ctx.rng(k))?)
}

/// The page's error `Σ|S − ξ| = 2 · Hamming` after each update (entry 0 is the start).
fn page_errors(r: &Recall) -> Vec<f64> {
    r.trajectory
        .as_ref()
        .map(|t| t.errors.iter().map(|&e| 2.0 * e as f64).collect())
        .unwrap_or_default()
}

fn first_zero(errors: &[f64]) -> Option<usize> {
    errors.iter().position(|&e| e == 0.0)
}

fn never_rises(energy: &[f64]) -> bool {
    energy.windows(2).all(|w| w[1] <= w[0] + 1e-9)
}

// 1 ------------------------------------------------------------------------------------

fn random_network(ctx: &Context) -> Result<Section> {
    let mut s = Section::new(
        "s1",
        "Simulate a random network",
        "Page cell: N = 20 binary neurons, Tij uniform in [0, 1), threshold 0, K = 200 random single-neuron updates.",
    );
    let args = SimulateArgs {
        n: 20,
        steps: 200,
        threshold: 0.0,
        connectivity: Connectivity::Uniform,
        seed: hopfield::random::mix(ctx.seed.wrapping_add(1)),
        out: None,
        json: false,
    };
    let sim = simulate(&args)?;
    let (n, t) = (20, 201);
    let on: Vec<usize> = (0..t)
        .map(|k| sim.raster.iter().filter(|r| r[k] == 1).count())
        .collect();
    let all_on = on.iter().position(|&c| c == n);
    ctx.figure(
        &mut s,
        "raster",
        "The state of every neuron (rows) after each update (columns).",
        figures::raster(&sim.raster),
    )?;
    let rows: Vec<Vec<String>> = sim
        .raster
        .iter()
        .enumerate()
        .map(|(i, r)| {
            std::iter::once(i.to_string())
                .chain(r.iter().map(|v| v.to_string()))
                .collect()
        })
        .collect();
    let header: Vec<String> = std::iter::once("neuron".to_string())
        .chain((0..t).map(|k| format!("t{k}")))
        .collect();
    let header: Vec<&str> = header.iter().map(String::as_str).collect();
    ctx.csv(&mut s, "raster.csv", &header, &rows)?;
    s.say("Every coupling is positive and the threshold is zero, so a neuron chosen for an update turns on as soon as any of its inputs is on. Activity therefore spreads until every neuron is on, a fixed point that no update leaves.");
    s.say("The page's loop writes only the updated neuron into each new column, so its picture is mostly blank; here each column is the whole state after that update.");
    s.number("neurons on at the start", on[0]);
    s.number("neurons on after 200 updates", on[t - 1]);
    s.number(
        "update at which all neurons were on",
        all_on.map_or("never".to_string(), |k| k.to_string()),
    );
    s.number("updates that changed a neuron", sim.flips);
    s.line = format!(
        "{} → {} of 20 neurons on; all on after update {}",
        on[0],
        on[t - 1],
        all_on.map_or("-".to_string(), |k| k.to_string())
    );
    s.record("on_start", on[0]);
    s.record("on_end", on[t - 1]);
    s.record("all_on_at", json!(all_on));
    s.record("fixed_point", sim.converged);
    Ok(s)
}

// 2 ------------------------------------------------------------------------------------

fn crosstalk(ctx: &Context) -> Result<Section> {
    let mut s = Section::new(
        "s2",
        "Information storage and pseudo-orthogonality",
        "Page cells: the term Σ ξ_i S_i for random ±1 patterns, N = 100, K = 100 samples; then S overlapping ξ on N_overlap = 50 neurons, K = 50.",
    );
    let mut rng = ctx.rng(2);
    let a = experiment::crosstalk(100, 0, 100, &mut rng)?;
    let b = experiment::crosstalk(100, 50, 50, &mut rng)?;
    let big_a = experiment::crosstalk(100, 0, 5000, &mut rng)?;
    let big_b = experiment::crosstalk(100, 50, 5000, &mut rng)?;
    let fig = Figure::new(1000, 400)
        .grid(1, 2)
        .panel(figures::crosstalk(&a, "Random S (K = 100)")?)
        .panel(figures::crosstalk(&b, "S copies ξ on 50 neurons (K = 50)")?);
    ctx.figure(
        &mut s,
        "histograms",
        "Histograms of the term, with the Gaussian that theory predicts scaled to the counts.",
        fig,
    )?;
    let fig = Figure::new(1000, 400)
        .grid(1, 2)
        .panel(figures::crosstalk(&big_a, "Random S (K = 5000)")?)
        .panel(figures::crosstalk(
            &big_b,
            "S copies ξ on 50 neurons (K = 5000)",
        )?);
    ctx.figure(
        &mut s,
        "histograms-large",
        "The same with K = 5000 samples: the histograms settle onto the predicted Gaussians.",
        fig,
    )?;
    let rows: Vec<Vec<String>> = a
        .values
        .iter()
        .map(|v| vec!["0".into(), v.to_string()])
        .chain(b.values.iter().map(|v| vec!["50".into(), v.to_string()]))
        .collect();
    ctx.csv(&mut s, "terms.csv", &["n_overlap", "term"], &rows)?;
    s.say("For two independent random patterns the N products ξ_i S_i are independent ±1 coin flips: their sum has mean 0 and standard deviation √N = 10, which is small next to the N = 100 the term reaches when S equals ξ. This near-orthogonality is what lets one network store several random patterns.");
    s.say("When S copies ξ on 50 neurons, those contribute exactly 50 and the other 50 are coin flips: mean 50, standard deviation √50 ≈ 7.1.");
    for (label, c) in [
        ("random S, K = 100", &a),
        ("overlap 50, K = 50", &b),
        ("random S, K = 5000", &big_a),
        ("overlap 50, K = 5000", &big_b),
    ] {
        s.number(
            format!("{label}: mean (theory {:.0})", c.predicted_mean),
            fmt(c.mean),
        );
        s.number(
            format!("{label}: sd (theory {:.2})", c.predicted_sd),
            fmt(c.sd),
        );
    }
    s.number(
        "K = 5000: Kolmogorov–Smirnov distance to the prediction (5 % critical value)",
        format!(
            "{:.3}, {:.3} ({:.3})",
            big_a.ks_distance, big_b.ks_distance, big_a.ks_critical
        ),
    );
    s.line = format!(
        "mean {:.1} / sd {:.1} (theory 0 / 10); overlap 50: {:.1} / {:.1} (theory 50 / 7.1)",
        big_a.mean, big_a.sd, big_b.mean, big_b.sd
    );
    for (key, c) in [
        ("random", &a),
        ("overlap", &b),
        ("random_large", &big_a),
        ("overlap_large", &big_b),
    ] {
        s.record(
            key,
            json!({
                "samples": c.values.len(),
                "mean": c.mean, "sd": c.sd,
                "predicted_mean": c.predicted_mean, "predicted_sd": c.predicted_sd,
                "ks_distance": c.ks_distance, "ks_critical": c.ks_critical,
            }),
        );
    }
    Ok(s)
}

// 3 ------------------------------------------------------------------------------------

/// The page's "one stored pattern" run: N = 100, S starts with 75 neurons of ξ and 25
/// random ones, 1000 random single-neuron updates.
pub fn one_pattern_run(ctx: &Context) -> Result<(Network, Vec<i8>, Vec<i8>, Recall)> {
    let mut rng = ctx.rng(3);
    let p = random_patterns(1, 100, 0.5, &mut rng)?;
    let xi = p.get(0).unwrap_or_default().to_vec();
    let net = Network::from_patterns(&p, &page_hebb())?;
    let mut start = xi[..75].to_vec();
    start.extend(random_pattern(25, 0.5, &mut rng)?);
    let r = page_async(&net, &start, &xi, 1000, ctx, 30)?;
    Ok((net, xi, start, r))
}

fn error_panel(errors: &[f64], title: &str) -> Panel {
    let x: Vec<f64> = (0..errors.len()).map(|k| k as f64).collect();
    Panel::new()
        .title(title)
        .xlabel("update k")
        .ylabel("error Σ|S − ξ¹|")
        .layer(hopfield_plot::Line::new(x, errors.to_vec()).label("error"))
        .layer(HLine::new(0.0))
}

/// The figures, data and numbers of the page's asynchronous runs (sections 3 and 7): the
/// weights, the start / target / final stems, and the error after each update.
fn async_report(
    ctx: &Context,
    s: &mut Section,
    net: &Network,
    (start, target, r): (&[i8], &[i8], &Recall),
    weights_caption: &str,
) -> Result<()> {
    let errors = page_errors(r);
    let zero_at = first_zero(&errors);
    let last = errors.last().copied().unwrap_or(f64::NAN);
    ctx.figure(
        s,
        "weights",
        weights_caption,
        Figure::new(560, 480).panel(figures::weights(net.weights(), "Tij", 100)),
    )?;
    ctx.figure(
        s,
        "stems",
        "The start S, the stored pattern ξ¹ and the final S.",
        figures::stems(
            &[("S original", start), ("ξ¹", target), ("S final", &r.state)],
            760,
        ),
    )?;
    ctx.figure(
        s,
        "error",
        "The error Σ|S − ξ¹| after each update.",
        Figure::new(760, 360).panel(error_panel(&errors, "Error to ξ¹")),
    )?;
    let rows: Vec<Vec<String>> = errors
        .iter()
        .enumerate()
        .map(|(k, e)| vec![k.to_string(), e.to_string()])
        .collect();
    ctx.csv(s, "error.csv", &["update", "error"], &rows)?;
    let zero = zero_at.map_or("never".to_string(), |k| k.to_string());
    s.number("error at the start", errors[0]);
    s.number("update at which the error reached 0", &zero);
    s.number(format!("error after {} updates", errors.len() - 1), last);
    s.number("outcome", r.outcome.to_string());
    s.line = format!("error {} → {last} (0 at update {zero})", errors[0]);
    s.record("start_error", errors[0]);
    s.record("final_error", last);
    s.record("zero_at", json!(zero_at));
    s.record("outcome", r.outcome.name());
    Ok(())
}

fn one_pattern(ctx: &Context) -> Result<Section> {
    let mut s = Section::new(
        "s3",
        "Hopfield dynamics with one stored pattern",
        "Page cell: N = 100, Tij = ξ¹ξ¹ᵀ with zero diagonal, S = 75 % of ξ¹ then random, 1000 random single-neuron updates.",
    );
    let (net, xi, start, r) = one_pattern_run(ctx)?;
    s.say("With one stored pattern the field on neuron i is h_i = ξ¹_i (ξ¹ · S) − S_i: whenever S agrees with ξ¹ on more than half of the neurons, every field points along ξ¹, and each update that picks a wrong neuron corrects it. The error falls in steps of 2 and reaches 0 once every wrong neuron has been picked at least once.");
    async_report(
        ctx,
        &mut s,
        &net,
        (&start, &xi, &r),
        "Tij = ξ¹_i ξ¹_j (zero diagonal): ±1 everywhere, a checkerboard of the pattern's signs.",
    )?;
    Ok(s)
}

// 4 ------------------------------------------------------------------------------------

fn five_neurons(ctx: &Context) -> Result<Section> {
    let mut s = Section::new(
        "s4",
        "Five neurons, synchronous updates",
        "Page cells: csi = [1, −1, −1, 1, 1], W = csi csiᵀ with zero diagonal, a random start, T = 10 synchronous steps with sign(x > 0).",
    );
    let csi = page::five();
    let target = csi.get(0).unwrap_or_default().to_vec();
    let net = Network::from_patterns(&csi, &page_hebb())?;
    let mut rng = ctx.rng(4);
    let start = random_pattern(5, 0.5, &mut rng)?;
    let options = RecallOptions::new(Dynamics::Synchronous)
        .tie(Tie::Minus)
        .max_steps(9)
        .run_to_max()
        .record_all(Some(target.clone()));
    let r = net.recall(&start, &options, &mut rng)?;
    let states = r
        .trajectory
        .as_ref()
        .map(|t| t.states.clone())
        .unwrap_or_default();
    let t = states.len();
    let mut matrix = vec![0.0; 5 * t];
    for (k, st) in states.iter().enumerate() {
        for i in 0..5 {
            matrix[i * t + k] = f64::from(st[i]);
        }
    }
    let w: Vec<f64> = (0..25).map(|k| net.weights().get(k / 5, k % 5)).collect();
    let fig = Figure::new(900, 320)
        .grid(1, 2)
        .panel(
            Panel::new()
                .title("W")
                .aspect(hopfield_plot::Aspect::Equal)
                .xlabel("j")
                .ylabel("i")
                .layer(
                    Image::new(5, 5, w)
                        .colormap(Colormap::RdBuR)
                        .value_range(-1.0, 1.0)
                        .colorbar(true),
                ),
        )
        .panel(
            Panel::new()
                .title("S over time (black = +1)")
                .xlabel("step")
                .ylabel("neuron")
                .layer(
                    Image::new(5, t, matrix)
                        .colormap(Colormap::GrayR)
                        .value_range(-1.0, 1.0),
                ),
        );
    ctx.figure(
        &mut s,
        "states",
        "The weights and the state of the five neurons at each of the T = 10 steps.",
        fig,
    )?;
    let correct = start.iter().zip(&target).filter(|(a, b)| a == b).count();
    // Every one of the 32 starts, grouped by how many values are correct.
    let mut by_correct = vec![[0usize; 3]; 6];
    for code in 0..32u32 {
        let st: Vec<i8> = (0..5)
            .map(|i| if code >> i & 1 == 1 { 1 } else { -1 })
            .collect();
        let k = st.iter().zip(&target).filter(|(a, b)| a == b).count();
        let o = net.recall(
            &st,
            &RecallOptions::new(Dynamics::Synchronous).tie(Tie::Minus),
            &mut rng,
        )?;
        let slot = match o.outcome {
            Outcome::Recalled { .. } => 0,
            Outcome::Reversed { .. } => 1,
            _ => 2,
        };
        by_correct[k][slot] += 1;
    }
    let rows: Vec<Vec<String>> = by_correct
        .iter()
        .enumerate()
        .map(|(k, c)| {
            vec![
                k.to_string(),
                c[0].to_string(),
                c[1].to_string(),
                c[2].to_string(),
            ]
        })
        .collect();
    ctx.csv(
        &mut s,
        "all-starts.csv",
        &[
            "correct_at_start",
            "end_at_csi",
            "end_at_minus_csi",
            "other",
        ],
        &rows,
    )?;
    s.say("With one pattern the field is h = csi (csi · S) − S. With four or five correct starting values, csi · S ≥ 3 outweighs the −S_i term on every neuron and one step reaches csi; with none or one, the state goes to −csi, the reversed pattern, which the rule stores just as well. With two or three correct values csi · S = ±1, and on the neurons where S_i = ±csi_i the field is exactly 0: the page's sign(x > 0) sends these ties to −1, so where the state ends depends on which values were wrong.");
    let sum = |slot: usize, range: std::ops::RangeInclusive<usize>| -> usize {
        range.map(|k| by_correct[k][slot]).sum()
    };
    s.say(format!(
        "Over all 32 possible starts: the {} with 4 or 5 correct values all end at csi, the {} with 0 or 1 at −csi; of the 20 with 2 or 3 correct, {} end at csi, {} at −csi and {} elsewhere.",
        sum(0, 4..=5) + sum(1, 4..=5) + sum(2, 4..=5),
        sum(0, 0..=1) + sum(1, 0..=1) + sum(2, 0..=1),
        sum(0, 2..=3),
        sum(1, 2..=3),
        sum(2, 2..=3)
    ));
    let diff: Vec<i8> = r.state.iter().zip(&target).map(|(a, b)| a - b).collect();
    s.number("start S", format!("{start:?}"));
    s.number("number of correct starting values", correct);
    s.number("S after 10 steps − csi", format!("{diff:?}"));
    s.number("outcome", r.outcome.to_string());
    s.line = format!("{correct} of 5 correct at the start → {}", r.outcome);
    s.record("correct_at_start", correct);
    s.record("outcome", r.outcome.name());
    s.record("all_starts", json!(by_correct));
    Ok(s)
}

// 5 ------------------------------------------------------------------------------------

fn letters(ctx: &Context) -> Result<Section> {
    let mut s = Section::new(
        "s5",
        "Letters: checkerboard, X and A",
        "Page cell: the three 5×5 patterns stored together, 20 % of one flipped, synchronous updates with sign(x ≥ 0) until nothing changes (at most 10 steps).",
    );
    let pats = page::letters();
    let names = ["checkerboard", "X", "A"];
    let net = Network::from_patterns(&pats, &page_hebb())?;
    let shape = Shape::new(5, 5);
    let mut rng = ctx.rng(5);
    let mut fig = Figure::new(720, 760).grid(3, 3);
    let mut held = Vec::new();
    let mut outcomes = Vec::new();
    for (mu, name) in names.iter().enumerate() {
        let xi = pats.get(mu).unwrap_or_default();
        let noisy = noise::flip_fraction(xi, 0.2, &mut rng)?;
        let r = net.recall(
            &noisy,
            &RecallOptions::new(Dynamics::Synchronous)
                .tie(Tie::Plus)
                .max_steps(10),
            &mut rng,
        )?;
        let fixed = net.is_fixed_point(xi, Tie::Plus)?;
        let h = net.fields(xi)?;
        let unstable = h
            .iter()
            .zip(xi)
            .filter(|(h, x)| (if **h >= 0.0 { 1 } else { -1 }) != **x)
            .count();
        held.push((name, fixed, unstable));
        fig.push(figures::pattern(xi, shape, &format!("{name}: true")));
        fig.push(figures::pattern(&noisy, shape, "noisy (20 %)"));
        fig.push(figures::pattern(
            &r.state,
            shape,
            &format!("result: {}", r.outcome.name()),
        ));
        outcomes.push((name, r.outcome.clone(), r.steps));
    }
    ctx.figure(&mut s, "recall", "For each stored letter: the pattern, the cue with 5 of 25 pixels flipped, and where synchronous dynamics ended.", fig)?;
    let n = 25.0;
    let m = |a: usize, b: usize| -> f64 {
        let (x, y) = (
            pats.get(a).unwrap_or_default(),
            pats.get(b).unwrap_or_default(),
        );
        x.iter().zip(y).map(|(p, q)| f64::from(p * q)).sum::<f64>() / n
    };
    let not_held: Vec<String> = held
        .iter()
        .filter(|h| !h.1)
        .map(|h| format!("{} ({} of 25 neurons unstable)", h.0, h.2))
        .collect();
    s.say("Hebb's rule makes a pattern a fixed point only if, on every neuron, its own signal outweighs the crosstalk from the other stored patterns. Random patterns of many neurons are nearly orthogonal (section 2), but these three drawings are not: they share the centre pixel, the corners of the X lie on the checkerboard's off cells, and the A overlaps both.");
    s.say(format!(
        "Overlaps ξ^a·ξ^b / N: checkerboard–X {:+.2}, checkerboard–A {:+.2}, X–A {:+.2}. {}",
        m(0, 1),
        m(0, 2),
        m(1, 2),
        if not_held.is_empty() {
            "All three are fixed points, but their basins are small.".to_string()
        } else {
            format!("This rule cannot hold: {}. A cue near such a pattern is pulled to a neighbouring state — often a mixture of the three.", not_held.join("; "))
        }
    ));
    for (name, o, steps) in &outcomes {
        s.number(
            format!("{name}: outcome from the 20 % cue"),
            format!("{o} after {steps} steps"),
        );
    }
    for (name, fixed, unstable) in &held {
        s.number(
            format!("{name}: fixed point of W?"),
            if *fixed {
                "yes".to_string()
            } else {
                format!("no ({unstable} unstable neurons)")
            },
        );
    }
    s.line = outcomes
        .iter()
        .map(|(n, o, _)| format!("{n}: {}", o.name()))
        .collect::<Vec<_>>()
        .join(", ");
    s.record(
        "outcomes",
        json!(
            outcomes
                .iter()
                .map(|(n, o, st)| json!({"pattern": n, "outcome": o.name(), "steps": st}))
                .collect::<Vec<_>>()
        ),
    );
    s.record(
        "fixed_points",
        json!(
            held.iter()
                .map(|(n, f, u)| json!({"pattern": n, "fixed": f, "unstable": u}))
                .collect::<Vec<_>>()
        ),
    );
    Ok(s)
}

// 6 ------------------------------------------------------------------------------------

fn images(ctx: &Context) -> Result<Section> {
    let mut s = Section::new(
        "s6",
        "100 × 100 images: BU, BC and a star",
        "Page cells: W = outer products of the 0/1 images (N = 10 000); recall from BC plus random ±1 noise; the 1/N-normalised two-image case with the cue's second half zeroed.",
    );
    let shape = Shape::new(100, 100);
    let (bu, bc, star) = (page::bu(), page::bc(), page::star());
    let bu1 = bu.get(0).unwrap_or_default().to_vec();
    let bc1 = bc.get(0).unwrap_or_default().to_vec();
    let mut rng = ctx.rng(6);
    let page_step = |net: &Network,
                     cue: &[i8],
                     steps: usize,
                     rng: &mut hopfield::random::SeededRng|
     -> Result<Recall> {
        Ok(net.recall(
            cue,
            &RecallOptions::new(Dynamics::Synchronous)
                .tie(Tie::Minus)
                .max_steps(steps)
                .run_to_max(),
            rng,
        )?)
    };

    // (a) The page's raw rule with BU alone, cue = BC (0/1) + random ±1.
    let raw = Network::from_patterns(&bu, &Rule::outer01())?;
    let cue_a = noise::add_noise_to(&bc1, AddTo::Binary, &mut rng)?;
    let a = page_step(&raw, &cue_a, 1, &mut rng)?;
    // (b) The page's W2: BU and BC, 0/1 vectors, 1/N; cue = BU (0/1) + noise, second half zeroed.
    let both = bu.select(&[0])?;
    let mut both = both;
    both.extend(&bc)?;
    let raw2 = Network::from_patterns(&both, &Rule::from(Outer01::new(Normalization::N)))?;
    let cue_b = noise::mask(
        &noise::add_noise_to(&bu1, AddTo::Binary, &mut rng)?,
        &noise::Region::SecondHalf,
        None,
    )?;
    let b = page_step(&raw2, &cue_b, 1, &mut rng)?;
    // (c) Bipolar Hebb with all three images: BC plus random ±1 noise, and BU with 10 % of
    // its pixels flipped and its second half zeroed.
    let mut three = bu.clone();
    three.extend(&bc)?;
    three.extend(&star)?;
    let hebb = Network::from_patterns(&three, &Rule::hebb())?;
    let cue_c = noise::add_noise(&bc1, &mut rng);
    let c = hebb.recall(
        &cue_c,
        &RecallOptions::new(Dynamics::Synchronous)
            .tie(Tie::Minus)
            .max_steps(20),
        &mut rng,
    )?;
    let cue_d = noise::mask(
        &noise::flip_fraction(&bu1, 0.1, &mut rng)?,
        &noise::Region::SecondHalf,
        None,
    )?;
    let d = hebb.recall(
        &cue_d,
        &RecallOptions::new(Dynamics::Synchronous)
            .tie(Tie::Minus)
            .max_steps(20),
        &mut rng,
    )?;

    let fig = Figure::new(900, 320)
        .grid(1, 3)
        .panel(figures::pattern(&bu1, shape, "BU"))
        .panel(figures::pattern(&bc1, shape, "BC"))
        .panel(figures::pattern(
            star.get(0).unwrap_or_default(),
            shape,
            "star",
        ));
    ctx.figure(
        &mut s,
        "images",
        "The page's three 100 × 100 drawings.",
        fig,
    )?;
    let fig = Figure::new(1000, 440)
        .grid(1, 2)
        .panel(figures::weights_by_type(
            raw.weights(),
            &bu,
            "0/1 rule, BU only (page)",
            200,
        ))
        .panel(figures::weights_by_type(
            hebb.weights(),
            &three,
            "bipolar Hebb, BU + BC + star",
            200,
        ));
    ctx.figure(&mut s, "weights", "The 10 000 × 10 000 weight matrices, block-averaged to 200 × 200 for display (the matrices themselves are never formed).", fig)?;
    let fig = Figure::new(1000, 720)
        .grid(2, 4)
        .panel(figures::pattern(&cue_a, shape, "0/1 rule: BC + noise"))
        .panel(figures::pattern(&a.state, shape, "after one step"))
        .panel(figures::pattern(
            &cue_b,
            shape,
            "W2: BU + noise, half zeroed",
        ))
        .panel(figures::pattern(&b.state, shape, "after one step"))
        .panel(figures::pattern(&cue_c, shape, "Hebb: BC + noise"))
        .panel(figures::pattern(
            &c.state,
            shape,
            &format!("result: {}", c.outcome.name()),
        ))
        .panel(figures::pattern(
            &cue_d,
            shape,
            "Hebb: BU, 10 % flipped, half zeroed",
        ))
        .panel(figures::pattern(
            &d.state,
            shape,
            &format!("result: {}", d.outcome.name()),
        ));
    ctx.figure(&mut s, "recall", "Top: the page's two cells with the 0/1 rule: the 0/1 image BC plus random ±1 noise, recalled with BU alone stored; the 0/1 BU plus random ±1 noise with its second half zeroed, recalled with BU and BC stored (normalised by 1/N). Bottom: the bipolar Hebb rule storing all three images, cued with the ±1 BC plus random ±1 noise, and with BU with 10 % of its pixels flipped and its second half zeroed. Each cue is drawn from white (its lowest value) to black (its highest); grey marks the values in between that the noise and the mask leave before the first update: 0 in the ±1 cues, 0 and 1 in the 0/1 cues.", fig)?;

    let m = |x: &[i8], y: &[i8]| -> f64 {
        x.iter().zip(y).map(|(p, q)| f64::from(p * q)).sum::<f64>() / 10_000.0
    };
    let bu_after_a = m(&a.state, &bu1);
    let overlap_b = (m(&b.state, &bu1), m(&b.state, &bc1));
    s.say("With 0/1 vectors every weight is ≥ 0, so a neuron's field only counts how many of its partners are on. Storing BU alone, the field on a BU pixel is the number of BU pixels on in the cue, and 0 elsewhere: one step turns on exactly the BU pixels, whatever the cue — here BC plus noise, which is not BU at all. With BU and BC stored, one step turns on the union of both images: the 0/1 rule cannot tell stored patterns apart.");
    s.say("The bipolar rule subtracts as much for disagreement as it adds for agreement. BU and BC share the whole B, so they are strongly correlated (overlap shown below); a cue then falls where the correlated patterns pull together, and the outcome is named in the figure.");
    s.number(
        "0/1 rule, BU stored: overlap of the result with BU after one step",
        format!("{bu_after_a:+.3}"),
    );
    s.number(
        "W2 (BU + BC, 0/1): overlaps of the result with BU and BC",
        format!("{:+.3}, {:+.3}", overlap_b.0, overlap_b.1),
    );
    s.number(
        "overlap BU·BC / N of the ±1 images",
        format!("{:+.3}", m(&bu1, &bc1)),
    );
    s.number(
        "bipolar Hebb, cue BC + noise",
        format!(
            "{} after {} steps; overlaps {:?}",
            c.outcome,
            c.steps,
            round3(&c.overlaps)
        ),
    );
    s.number(
        "bipolar Hebb, cue BU 10 % flipped, half zeroed",
        format!(
            "{} after {} steps; overlaps {:?}",
            d.outcome,
            d.steps,
            round3(&d.overlaps)
        ),
    );
    s.number(
        "weights storage (bipolar, N = 10 000)",
        format!(
            "{} ({} bytes instead of {} for a dense int8 matrix)",
            hebb.weights().storage(),
            hebb.weights().bytes(),
            10_000u64 * 10_000
        ),
    );
    s.line = format!(
        "0/1 rule → BU (m = {bu_after_a:+.2}); Hebb: BC cue {}, masked BU {}",
        c.outcome.name(),
        d.outcome.name()
    );
    s.record("raw_bu_overlap", bu_after_a);
    s.record("w2_overlaps", json!([overlap_b.0, overlap_b.1]));
    s.record(
        "hebb_bc",
        json!({"outcome": c.outcome.name(), "overlaps": c.overlaps}),
    );
    s.record(
        "hebb_bu_masked",
        json!({"outcome": d.outcome.name(), "overlaps": d.overlaps}),
    );
    Ok(s)
}

fn round3(v: &[f64]) -> Vec<f64> {
    v.iter().map(|x| (x * 1000.0).round() / 1000.0).collect()
}

// 7 ------------------------------------------------------------------------------------

/// The page's two-pattern run: S starts with 3/4 of ξ¹ and 1/4 of ξ², 1000 updates.
pub fn two_patterns_run(ctx: &Context) -> Result<(Network, Patterns, Vec<i8>, Recall)> {
    let mut rng = ctx.rng(7);
    let p = random_patterns(2, 100, 0.5, &mut rng)?;
    let net = Network::from_patterns(&p, &page_hebb())?;
    let (x1, x2) = (p.get(0).unwrap_or_default(), p.get(1).unwrap_or_default());
    let start = noise::mix(x1, x2, 0.75)?;
    let r = page_async(&net, &start, x1, 1000, ctx, 70)?;
    Ok((net, p, start, r))
}

fn two_patterns(ctx: &Context) -> Result<Section> {
    let mut s = Section::new(
        "s7",
        "Two stored patterns, asynchronous updates",
        "Page cell: N = 100, Tij = ξ¹ξ¹ᵀ + ξ²ξ²ᵀ with zero diagonal, S = 3/4 of ξ¹ then 1/4 of ξ², 1000 random single-neuron updates.",
    );
    let (net, p, start, r) = two_patterns_run(ctx)?;
    let (x1, x2) = (p.get(0).unwrap_or_default(), p.get(1).unwrap_or_default());
    let m12 = x1
        .iter()
        .zip(x2)
        .map(|(a, b)| f64::from(a * b))
        .sum::<f64>()
        / 100.0;
    s.say(format!("The start agrees with ξ¹ on its first 75 neurons and with ξ² on the last 25 — and, by chance, on about half of the others. Its overlap with ξ¹ is largest, so the fields point mostly along ξ¹, while ξ² adds crosstalk proportional to their overlap ξ¹·ξ²/N = {m12:+.2}. Updates pull the state into ξ¹."));
    async_report(
        ctx,
        &mut s,
        &net,
        (&start, x1, &r),
        "Tij = ξ¹_iξ¹_j + ξ²_iξ²_j: 0 where the two patterns disagree on i·j, ±2 where they agree.",
    )?;
    Ok(s)
}

// 8 ------------------------------------------------------------------------------------

fn energy_and_overlap(ctx: &Context) -> Result<Section> {
    let mut s = Section::new(
        "s8",
        "Beyond the page: energy and overlaps",
        "The energy E = −½ SᵀWS along the asynchronous runs of sections 3 and 7 and of the letters, and the overlap with each stored pattern over time.",
    );
    let (_, _, _, one) = one_pattern_run(ctx)?;
    let (_, p2, _, two) = two_patterns_run(ctx)?;
    // The letters again, with asynchronous sweeps from a 20 % cue.
    let letters = page::letters();
    let net = Network::from_patterns(&letters, &page_hebb())?;
    let mut rng = ctx.rng(8);
    let cue = noise::flip_fraction(letters.get(2).unwrap_or_default(), 0.2, &mut rng)?;
    let three = net.recall(
        &cue,
        &RecallOptions::new(Dynamics::Asynchronous)
            .tie(Tie::Minus)
            .max_steps(200)
            .run_to_max()
            .record_all(None),
        &mut rng,
    )?;
    let traces = [
        ("one pattern (section 3)", &one),
        ("two patterns (section 7)", &two),
        ("letters, A cue", &three),
    ];
    let mut energy_panel = Panel::new()
        .title("Energy along asynchronous recall")
        .xlabel("update")
        .ylabel("E / N");
    let mut monotone = Vec::new();
    let mut rows = Vec::new();
    for (label, r) in &traces {
        let e = r
            .trajectory
            .as_ref()
            .map(|t| t.energy.clone())
            .unwrap_or_default();
        let n = r.state.len() as f64;
        monotone.push((
            *label,
            never_rises(&e),
            e.first().copied().unwrap_or(0.0),
            e.last().copied().unwrap_or(0.0),
        ));
        for (k, v) in e.iter().enumerate() {
            rows.push(vec![label.to_string(), k.to_string(), v.to_string()]);
        }
        let scaled: Vec<f64> = e.iter().map(|v| v / n).collect();
        energy_panel.push(figures::series(&scaled, label));
    }
    ctx.figure(
        &mut s,
        "energy",
        "Energy per neuron after each single-neuron update: it never rises.",
        Figure::new(760, 380).panel(energy_panel),
    )?;
    ctx.csv(&mut s, "energy.csv", &["run", "update", "energy"], &rows)?;
    let overlaps = two
        .trajectory
        .as_ref()
        .map(|t| t.overlaps.clone())
        .unwrap_or_default();
    let mut overlap_panel = Panel::new()
        .title("Overlap with each stored pattern (section 7)")
        .xlabel("update")
        .ylabel("m_μ = ξ^μ·S / N")
        .y_range(-1.05, 1.05);
    for mu in 0..p2.len() {
        let y: Vec<f64> = overlaps.iter().map(|o| o[mu]).collect();
        overlap_panel.push(figures::series(&y, &format!("m{}", mu + 1)));
    }
    ctx.figure(
        &mut s,
        "overlaps",
        "m¹ rises to 1 while m² settles at the patterns' own overlap ξ¹·ξ²/N.",
        Figure::new(760, 380).panel(overlap_panel),
    )?;
    s.say("For symmetric couplings with a zero diagonal, an asynchronous update changes the energy by ΔE = −ΔS_i h_i ≤ 0: a neuron only flips to align with its field. The energy is a Lyapunov function — it never rises, and the dynamics must end at a local minimum: a stored pattern, its reversal, or a spurious state. Synchronous dynamics has no such guarantee and can cycle between two states.");
    for (label, ok, e0, e1) in &monotone {
        s.number(
            format!("{label}: energy start → end, never rises?"),
            format!("{e0:.1} → {e1:.1}, {}", if *ok { "yes" } else { "NO" }),
        );
    }
    let all_ok = monotone.iter().all(|m| m.1);
    s.line = format!(
        "energy never rises in {} of {} asynchronous traces",
        monotone.iter().filter(|m| m.1).count(),
        monotone.len()
    );
    s.record("energy_never_rises", all_ok);
    s.record(
        "traces",
        json!(
            monotone
                .iter()
                .map(|(l, ok, a, b)| json!({"run": l, "never_rises": ok, "start": a, "end": b}))
                .collect::<Vec<_>>()
        ),
    );
    Ok(s)
}
