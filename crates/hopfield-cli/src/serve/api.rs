//! The explorer's JSON API as plain functions: a request in, a planned computation or an
//! error out.
//!
//! Nothing here knows about HTTP: [`super::http`] parses bodies into these request types,
//! plans them (every input is checked, and the work estimated with [`super::cost`], before
//! any work starts), runs the plan on a blocking thread with a [`Cancel`] flag raised when
//! the client goes away, and turns [`ApiError`] into a status code. Every request finishes in
//! bounded time and memory (see docs/api.md).

use hopfield::generate::Kind;
use hopfield::noise::{self, Region};
use hopfield::{Cancel, Dynamics, Patterns, RecallOptions, Shape, Tie, excerpt, random};
use serde::{Deserialize, Serialize};

use super::cost::{self, Couplings, Run};
use super::model::{self, Fields, Spec};

pub use super::limits::*;

/// The computation that answers a request, given the flag that stops it.
type Work<T> = Box<dyn FnOnce(&Cancel) -> ApiResult<T> + Send>;

/// A checked request: the work it is estimated at, and the computation that answers it.
pub struct Planned<T> {
    /// The estimated work, in work units (see [`super::cost`]); at most [`MAX_WORK`].
    pub work: u64,
    run: Work<T>,
}

impl<T> Planned<T> {
    fn new(work: u64, run: impl FnOnce(&Cancel) -> ApiResult<T> + Send + 'static) -> Self {
        Planned {
            work,
            run: Box::new(run),
        }
    }

    /// Does the work. It stops early, with a 503 error, once `cancel` is raised.
    pub fn run(self, cancel: &Cancel) -> ApiResult<T> {
        (self.run)(cancel)
    }
}

impl<T> std::fmt::Debug for Planned<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Planned").field("work", &self.work).finish()
    }
}

// ---------------------------------------------------------------------------------------
// GET /api/limits

/// `GET /api/limits`: the limits every request is checked against.
#[derive(Debug, Clone, Serialize)]
pub struct Limits {
    /// [`MAX_NEURONS`].
    pub max_neurons: usize,
    /// [`MAX_PATTERNS`].
    pub max_patterns: usize,
    /// [`MAX_BODY_BYTES`].
    pub max_body_bytes: usize,
    /// [`MAX_STEPS`].
    pub max_steps: usize,
    /// [`MAX_WORK`].
    pub max_work: u64,
    /// [`QUICK_WORK`].
    pub quick_work: u64,
    /// [`MAX_MEASURES`].
    pub max_measures: u64,
    /// [`MAX_STATE_CELLS`].
    pub max_state_cells: u64,
    /// [`MAX_RETURNED_CELLS`].
    pub max_returned_cells: u64,
    /// [`MAX_WEIGHTS_SIDE`].
    pub max_weights_side: usize,
    /// [`MAX_TEXT_CHARS`].
    pub max_text_chars: usize,
    /// [`MAX_DENSE_NEURONS`].
    pub max_dense_neurons: usize,
    /// [`MAX_EPOCHS`].
    pub max_epochs: usize,
    /// The largest degree `n` of the dense and rectified models.
    pub max_degree: u32,
    /// [`MAX_SIMULATE_NEURONS`].
    pub max_simulate_neurons: usize,
    /// [`MAX_SAMPLES`].
    pub max_samples: usize,
    /// Limits of the connection and of the server as a whole.
    pub server: super::ServerLimits,
    /// The accepted names of each option.
    pub names: Names,
}

/// The names accepted for the string options.
#[derive(Debug, Clone, Serialize)]
pub struct Names {
    /// `dynamics`.
    pub dynamics: &'static [&'static str],
    /// `tie`.
    pub tie: &'static [&'static str],
    /// `rule`.
    pub rule: &'static [&'static str],
    /// `model`.
    pub model: &'static [&'static str],
    /// `normalization`.
    pub normalization: &'static [&'static str],
    /// `kind` of `/api/generate`.
    pub kind: &'static [&'static str],
    /// `mask` of `/api/corrupt` (besides `range:A..B` and `rect:TOP,LEFT,HxW`).
    pub mask: &'static [&'static str],
    /// `outcome` of `/api/recall`.
    pub outcome: &'static [&'static str],
}

/// The generator names of `/api/generate`.
pub const KINDS: &[&str] = hopfield::generate::Kind::NAMES;

/// The limits and names.
pub fn limits() -> Limits {
    Limits {
        max_neurons: MAX_NEURONS,
        max_patterns: MAX_PATTERNS,
        max_body_bytes: MAX_BODY_BYTES,
        max_steps: MAX_STEPS,
        max_work: MAX_WORK,
        quick_work: QUICK_WORK,
        max_measures: MAX_MEASURES,
        max_state_cells: MAX_STATE_CELLS,
        max_returned_cells: MAX_RETURNED_CELLS,
        max_weights_side: MAX_WEIGHTS_SIDE,
        max_text_chars: MAX_TEXT_CHARS,
        max_dense_neurons: MAX_DENSE_NEURONS,
        max_epochs: MAX_EPOCHS,
        max_degree: 1000,
        max_simulate_neurons: MAX_SIMULATE_NEURONS,
        max_samples: MAX_SAMPLES,
        server: super::ServerLimits::new(),
        names: Names {
            dynamics: &["sync", "async", "sweep", "sequential"],
            tie: &["plus", "minus", "keep"],
            rule: hopfield::Rule::NAMES,
            model: model::MODELS,
            normalization: model::NORMALIZATIONS,
            kind: KINDS,
            mask: &["top-half", "bottom-half", "left-half", "right-half"],
            outcome: &[
                "recalled",
                "reversed",
                "mixture",
                "spurious",
                "cycle",
                "unconverged",
            ],
        },
    }
}

// ---------------------------------------------------------------------------------------
// Shared checks

/// The number of neurons of a state, checked against the limits.
fn check_n(item: &str, n: usize) -> ApiResult<usize> {
    if n == 0 {
        return Err(ApiError::bad(format!("{item} is empty (N = 0)")));
    }
    if n > MAX_NEURONS {
        return Err(ApiError::bad(format!(
            "{item} has {n} values; at most {MAX_NEURONS} neurons are allowed"
        )));
    }
    Ok(n)
}

/// Checks that every value of a state is −1, 0 (unknown) or +1.
fn check_state(item: &str, state: &[i8]) -> ApiResult<()> {
    check_n(item, state.len())?;
    match state.iter().position(|s| !(-1..=1).contains(s)) {
        Some(i) => Err(ApiError::bad(format!(
            "{item}, neuron {i}: value {} is not -1, 0 or 1",
            state[i]
        ))),
        None => Ok(()),
    }
}

/// The stored patterns, checked: 1 ≤ P ≤ [`MAX_PATTERNS`], each of `n` values ±1.
fn patterns(rows: &[Vec<i8>], n: usize) -> ApiResult<Patterns> {
    if rows.is_empty() {
        return Err(ApiError::bad(
            "patterns is empty: store at least one pattern",
        ));
    }
    if rows.len() > MAX_PATTERNS {
        return Err(ApiError::bad(format!(
            "patterns holds {} patterns; at most {MAX_PATTERNS} are allowed",
            rows.len()
        )));
    }
    for (mu, row) in rows.iter().enumerate() {
        if row.len() != n {
            return Err(ApiError::bad(format!(
                "pattern {mu} has {} values, expected {n}",
                row.len()
            )));
        }
    }
    Ok(Patterns::from_rows(rows)?)
}

/// A name parsed with the core's `FromStr`, or the default when absent.
fn parse_or<T>(value: Option<&str>, default: T) -> ApiResult<T>
where
    T: std::str::FromStr<Err = hopfield::Error>,
{
    match value {
        Some(s) => Ok(s.parse()?),
        None => Ok(default),
    }
}

/// The threshold θ of every neuron, when one is given: a finite number.
fn threshold(theta: Option<f64>) -> ApiResult<Option<f64>> {
    match theta {
        Some(t) if !t.is_finite() => Err(ApiError::bad(format!(
            "threshold = {t} is invalid: must be a finite number"
        ))),
        t => Ok(t),
    }
}

/// A 400 for a request whose estimate is over [`MAX_WORK`] whatever its step limit: `what`
/// is the work in words, `work` its estimate (`None`: perceptron learning gets no epoch);
/// `fits(p)` says whether the same request with `p` patterns would fit, to name the largest
/// number of patterns that does.
fn too_large(
    what: &str,
    work: Option<u64>,
    n: usize,
    p: usize,
    fits: impl Fn(usize) -> bool,
) -> ApiError {
    // The work grows with P: the largest P that fits, by bisection.
    let (mut lo, mut hi) = (0usize, p);
    while lo < hi {
        let mid = (lo + hi).div_ceil(2);
        if fits(mid) {
            lo = mid;
        } else {
            hi = mid - 1;
        }
    }
    let estimate = match work {
        Some(w) => format!("is estimated at {} work units", cost::show(w)),
        None => "needs more work than the limit allows for one epoch of learning".into(),
    };
    let hint = if lo > 0 {
        format!("at most {lo} patterns fit at N = {n}")
    } else {
        "use fewer neurons".into()
    };
    ApiError::bad(format!(
        "{what} {estimate}, over the limit of {} (about 2 s of computation): {hint}",
        cost::show(MAX_WORK)
    ))
}

/// A grid shape from `rows` and `cols`, checked against the limits.
fn shape(rows: usize, cols: usize) -> ApiResult<Shape> {
    if rows == 0 || cols == 0 {
        return Err(ApiError::bad(format!(
            "size {rows}x{cols} is invalid: rows and cols must be at least 1"
        )));
    }
    if rows > MAX_NEURONS || cols > MAX_NEURONS || rows * cols > MAX_NEURONS {
        return Err(ApiError::bad(format!(
            "size {rows}x{cols} is too large: at most {MAX_NEURONS} neurons are allowed"
        )));
    }
    Ok(Shape::new(rows, cols))
}

// ---------------------------------------------------------------------------------------
// POST /api/recall

/// `POST /api/recall`: store `patterns`, run the dynamics from `cue`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecallRequest {
    /// The stored patterns, each `N` values ±1.
    pub patterns: Vec<Vec<i8>>,
    /// The start state: `N` values −1, 0 (unknown) or +1 (−2 to 2, the course page's
    /// additive noise, for the classical model).
    pub cue: Vec<i8>,
    /// `sync` (default), `async`, `sweep` or `sequential`.
    pub dynamics: Option<String>,
    /// `plus` (default), `minus` or `keep`.
    pub tie: Option<String>,
    /// `classical` (default: a network of `rule`), `dense`, `rectified`, `exponential` or
    /// `modern`.
    pub model: Option<String>,
    /// Dense and rectified models: the degree `n`, 2 to 1000 (default 3).
    pub degree: Option<u32>,
    /// Exponential and modern models: the inverse temperature `β > 0` (default 1).
    pub beta: Option<f64>,
    /// `hebb` (default), `outer01`, `storkey`, `pseudo-inverse`, `perceptron` or
    /// `covariance` (the last four form the dense matrix: at most 4096 neurons).
    pub rule: Option<String>,
    /// Hebb and the 0/1 rule: the scale `1/N` (Hebb's default), `1/P` or `none` (the 0/1
    /// rule's default).
    pub normalization: Option<String>,
    /// Perceptron rule: the margin `κ ≥ 0` (default 0.5).
    pub kappa: Option<f64>,
    /// Perceptron rule: the most epochs, 1 to 1000 (default 1000, fewer if the work limit
    /// says so).
    pub max_epochs: Option<usize>,
    /// Covariance rule: the mean activity `a` of the patterns, in (0, 1) (default:
    /// measured).
    pub activity: Option<f64>,
    /// The fraction `c ∈ (0, 1]` of couplings kept, in symmetric pairs (default: all).
    pub dilution: Option<f64>,
    /// The seed of the dilution's draws (default 1).
    pub dilution_seed: Option<u64>,
    /// The threshold θ of every neuron (default 0, or the covariance rule's own).
    pub threshold: Option<f64>,
    /// The step limit (default: the dynamics' default, lowered to fit the limits; 100 for
    /// the modern model).
    pub max_steps: Option<usize>,
    /// Seed of the random update order and of the stochastic updates (default 1).
    pub seed: Option<u64>,
    /// Temperature `T ≥ 0` of Glauber updates (default 0: deterministic; classical model
    /// only).
    pub temperature: Option<f64>,
    /// Stop at a fixed point or cycle (default true); false runs all `max_steps` steps.
    pub stop_at_fixed_point: Option<bool>,
    /// Also return the states along the way (default false).
    pub states: Option<bool>,
    /// With `states`: return every k-th state (and always the last); default 1.
    pub states_every: Option<usize>,
    /// Lower a `max_steps` above the limits to the largest allowed instead of refusing it
    /// (default false).
    pub clamp: Option<bool>,
}

impl RecallRequest {
    fn fields(&self) -> Fields<'_> {
        Fields {
            model: self.model.as_deref(),
            degree: self.degree,
            beta: self.beta,
            rule: self.rule.as_deref(),
            normalization: self.normalization.as_deref(),
            kappa: self.kappa,
            max_epochs: self.max_epochs,
            activity: self.activity,
            dilution: self.dilution,
            dilution_seed: self.dilution_seed,
        }
    }
}

/// The response of `POST /api/recall`.
#[derive(Debug, Clone, Serialize)]
pub struct RecallResponse {
    /// The final state.
    pub state: Vec<i8>,
    /// Steps taken (a step is one neuron for `async`, all neurons otherwise), including
    /// those that only confirmed the final state.
    pub steps: usize,
    /// The step of the last change (0 when the cue is final): `steps − hitting_time` steps
    /// only confirmed the final state.
    pub hitting_time: usize,
    /// Single-neuron updates performed.
    pub updates: u64,
    /// Updates that changed a neuron.
    pub flips: u64,
    /// Whether the final state is a fixed point.
    pub converged: bool,
    /// `recalled`, `reversed`, `mixture`, `spurious`, `cycle` or `unconverged`.
    pub outcome: &'static str,
    /// The stored pattern a `recalled` or `reversed` outcome names.
    pub pattern: Option<usize>,
    /// The outcome in words, e.g. `recalled pattern 0` or `cycle of period 2`.
    pub description: String,
    /// The step limit that applied.
    pub max_steps: usize,
    /// Energy after every step; entry 0 is the cue's.
    pub energy: Vec<f64>,
    /// Overlaps with every stored pattern after every step; entry 0 is the cue's.
    pub overlaps: Vec<Vec<f64>>,
    /// With `states`: the recorded states.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub states: Option<Vec<Vec<i8>>>,
    /// With `states`: the step of each recorded state.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub state_steps: Option<Vec<usize>>,
}

/// The largest step limit the limits on what a recall records and returns allow; `states`
/// is `Some(every)` when every `every`-th state is returned. (The work limit comes on top.)
pub fn max_steps_allowed(n: usize, p: usize, states: Option<usize>) -> usize {
    let n = n.max(1) as u64;
    let mut k = MAX_STEPS as u64;
    k = k.min((MAX_MEASURES / (p as u64 + 1)).saturating_sub(1));
    if let Some(every) = states {
        k = k.min((MAX_STATE_CELLS / n).saturating_sub(1));
        let returned = (MAX_RETURNED_CELLS / n).saturating_sub(2);
        k = k.min(returned.saturating_mul(every.max(1) as u64));
    }
    usize::try_from(k).unwrap_or(MAX_STEPS)
}

/// The memory with its epochs, the work of a recall with `p` patterns besides its steps,
/// and the work of one step (`None` when perceptron learning gets no epoch).
fn recall_work(spec: &Spec, run: &Run, p: usize) -> Option<(Spec, u64, u64)> {
    let spec = spec.within_budget(run.n as usize, p)?;
    let run = Run {
        p: p as u64,
        ..*run
    };
    let fixed = spec.training(run.n, run.p).saturating_add(run.fixed());
    Some((spec, fixed, run.step()))
}

/// Checks that every value of a cue lies in `lo..=hi`.
fn check_cue(cue: &[i8], (lo, hi): (i8, i8), spec: &Spec) -> ApiResult<()> {
    check_n("cue", cue.len())?;
    match cue.iter().position(|s| !(lo..=hi).contains(s)) {
        Some(i) if lo == -1 && (-2..=2).contains(&cue[i]) => Err(ApiError::bad(format!(
            "cue, neuron {i}: value {} is not -1, 0 or 1 (values up to ±2, the course page's \
             additive noise, are for the classical model; {} takes ±1 and 0)",
            cue[i],
            spec.name()
        ))),
        Some(i) => Err(ApiError::bad(format!(
            "cue, neuron {i}: value {} is not -1, 0 or 1 (or ±2 after additive noise)",
            cue[i]
        ))),
        None => Ok(()),
    }
}

/// Plans `POST /api/recall`: every check, and the estimate, before any work.
pub fn recall(req: RecallRequest) -> ApiResult<Planned<RecallResponse>> {
    let n = match req.patterns.first() {
        Some(p) => check_n("pattern 0", p.len())?,
        None => check_n("cue", req.cue.len())?,
    };
    let patterns = patterns(&req.patterns, n)?;
    if req.cue.len() != n {
        return Err(ApiError::bad(format!(
            "cue has {} values, expected {n} (the length of the patterns)",
            req.cue.len()
        )));
    }
    let spec = req.fields().spec()?;
    check_cue(&req.cue, spec.cue_values(), &spec)?;
    let dynamics = parse_or(req.dynamics.as_deref(), Dynamics::Synchronous)?;
    let tie = parse_or(req.tie.as_deref(), Tie::Plus)?;
    let p = patterns.len();
    let want_states = req.states.unwrap_or(false);
    let every = req.states_every.unwrap_or(1);
    if every == 0 {
        return Err(ApiError::bad(
            "states_every = 0 is invalid: must be at least 1",
        ));
    }
    let temperature = req.temperature.unwrap_or(0.0);
    // The core's checks of the options (temperature, a step limit of 0), before any work:
    // one message for every front end.
    let mut early = RecallOptions::new(dynamics).temperature(temperature);
    early.max_steps = req.max_steps;
    early.check_for(n)?;
    spec.check_temperature(temperature)?;
    let theta = threshold(req.threshold)?;
    if theta.is_some() && !spec.is_classical() {
        return Err(ApiError::bad(format!(
            "threshold applies to the classical model only ({} has none): leave it out",
            spec.name()
        )));
    }
    spec.representation(n)?;
    let modern = spec.couplings() == Couplings::Continuous;
    let run = Run {
        couplings: spec.couplings(),
        dynamics,
        hot: temperature > 0.0,
        n: n as u64,
        p: p as u64,
        states: want_states.then_some(every as u64),
    };
    let what = || {
        format!(
            "storing {p} patterns of {n} neurons with {} and running {} dynamics{}",
            spec.name(),
            if modern { "attention" } else { dynamics.name() },
            if run.hot { " at T > 0" } else { "" }
        )
    };
    let fits = |p: usize| {
        recall_work(&spec, &run, p).is_some_and(|(_, f, s)| f.saturating_add(s) <= MAX_WORK)
    };
    let Some((budgeted, fixed, step)) = recall_work(&spec, &run, p) else {
        return Err(too_large(&what(), None, n, p, fits));
    };
    if fixed.saturating_add(step) > MAX_WORK {
        return Err(too_large(&what(), Some(fixed + step), n, p, fits));
    }
    let spec = budgeted;
    let by_work = usize::try_from((MAX_WORK - fixed) / step).unwrap_or(MAX_STEPS);
    let by_records = max_steps_allowed(n, p, want_states.then_some(every));
    let allowed = by_work.min(by_records);
    if allowed == 0 {
        return Err(ApiError::bad(format!(
            "a network of {n} neurons storing {p} patterns is too large for one recall"
        )));
    }
    // 0 was refused above, with the core's message.
    let max_steps = match req.max_steps {
        Some(k) if k > allowed && req.clamp == Some(true) => allowed,
        Some(k) if k > allowed => {
            let (states, work) = if by_work < by_records {
                let estimate = fixed.saturating_add(step.saturating_mul(k as u64));
                let work = format!(
                    "; {k} steps are estimated at {} work units, over the limit of {}",
                    cost::show(estimate),
                    cost::show(MAX_WORK)
                );
                ("", work)
            } else if want_states {
                (
                    " with these states (a larger states_every returns fewer)",
                    String::new(),
                )
            } else {
                ("", String::new())
            };
            return Err(ApiError::bad(format!(
                "max_steps = {k} is too large for N = {n}, P = {p} and dynamics {dynamics}: \
                 at most {allowed} is allowed{states} (or pass \"clamp\": true){work}"
            )));
        }
        Some(k) => k,
        None if modern => 100.min(allowed),
        None => dynamics.default_max_steps(n).min(allowed),
    };
    let mut options = RecallOptions::new(dynamics)
        .tie(tie)
        .max_steps(max_steps)
        .temperature(temperature);
    options.stop_at_fixed_point = req.stop_at_fixed_point.unwrap_or(true);
    options.record.states = want_states;
    options.record.measures = true;
    let work = fixed + step * max_steps as u64;
    let (cue, seed) = (req.cue, req.seed.unwrap_or(1));
    Ok(Planned::new(work, move |cancel| {
        let built = model::build(&spec, &patterns, theta, cancel)?;
        let options = options.cancel(cancel.clone());
        let r = model::recall(&built, &cue, &options, &mut random::seeded(seed))?;
        Ok(recall_response(r, max_steps, want_states.then_some(every)))
    }))
}

/// The response of a recall; `states` is `Some(every)` when every `every`-th state (and
/// the last) is returned.
fn recall_response(r: hopfield::Recall, max_steps: usize, states: Option<usize>) -> RecallResponse {
    let trajectory = r.trajectory.unwrap_or_default();
    let (states, state_steps) = if let Some(every) = states {
        let last = trajectory.states.len().saturating_sub(1);
        let (steps, states): (Vec<usize>, Vec<Vec<i8>>) = trajectory
            .states
            .into_iter()
            .enumerate()
            .filter(|(k, _)| k % every == 0 || *k == last)
            .unzip();
        (Some(states), Some(steps))
    } else {
        (None, None)
    };
    RecallResponse {
        outcome: r.outcome.name(),
        pattern: r.outcome.pattern(),
        description: r.outcome.to_string(),
        state: r.state,
        steps: r.steps,
        hitting_time: r.hitting_time,
        updates: r.updates,
        flips: r.flips,
        converged: r.converged,
        max_steps,
        energy: trajectory.energy,
        overlaps: trajectory.overlaps,
        states,
        state_steps,
    }
}

// ---------------------------------------------------------------------------------------
// POST /api/generate

/// `POST /api/generate`: a pattern from one of the core's generators.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GenerateRequest {
    /// A generator name (see [`KINDS`]).
    pub kind: String,
    /// Grid rows.
    pub rows: usize,
    /// Grid columns.
    pub cols: usize,
    /// The character for `letter`, the text for `text`.
    pub text: Option<String>,
    /// Probability that a neuron is on for `random` (default 0.5).
    pub p_on: Option<f64>,
    /// Stripe thickness for `rows` and `columns` (default 1).
    pub width: Option<usize>,
    /// Seed for `random` (default 1).
    pub seed: Option<u64>,
}

/// The response of `POST /api/generate`.
#[derive(Debug, Clone, Serialize)]
pub struct GenerateResponse {
    /// The pattern, row-major, ±1.
    pub pattern: Vec<i8>,
    /// Grid rows.
    pub rows: usize,
    /// Grid columns.
    pub cols: usize,
    /// The generator, in words.
    pub description: String,
}

/// Plans `POST /api/generate`: the work of one pattern of `rows · cols` neurons.
pub fn generate(req: GenerateRequest) -> ApiResult<Planned<GenerateResponse>> {
    let n = shape(req.rows, req.cols)?.len() as u64;
    Ok(Planned::new(200 * n + 10_000, move |_| generate_now(req)))
}

fn generate_now(req: GenerateRequest) -> ApiResult<GenerateResponse> {
    let shape = shape(req.rows, req.cols)?;
    let text = || -> ApiResult<String> {
        let t = req.text.clone().unwrap_or_default();
        if t.is_empty() {
            return Err(ApiError::bad(format!(
                "kind {} needs a non-empty text",
                req.kind
            )));
        }
        if t.chars().count() > MAX_TEXT_CHARS {
            return Err(ApiError::bad(format!(
                "text is too long: at most {MAX_TEXT_CHARS} characters"
            )));
        }
        Ok(t)
    };
    let kind = match req.kind.as_str() {
        "random" => Kind::Random {
            p_on: req.p_on.unwrap_or(0.5),
        },
        "rows" => Kind::Rows {
            width: req.width.unwrap_or(1),
        },
        "columns" => Kind::Columns {
            width: req.width.unwrap_or(1),
        },
        "letter" => {
            let t = text()?;
            let mut chars = t.chars();
            match (chars.next(), chars.next()) {
                (Some(c), None) => Kind::Letter(c),
                _ => {
                    return Err(ApiError::bad(format!(
                        "kind letter takes one character, got {t:?} (use kind text for more)"
                    )));
                }
            }
        }
        "text" => Kind::Text(text()?),
        name if KINDS.contains(&name) => name.parse()?,
        name => {
            return Err(ApiError::bad(format!(
                "kind = \"{}\" is invalid: expected one of: {}",
                excerpt(name),
                KINDS.join(", ")
            )));
        }
    };
    if let Some(fixed) = kind.fixed_shape()
        && fixed != shape
    {
        return Err(ApiError::bad(format!(
            "kind {} is a {fixed} drawing: give rows {} and cols {}",
            req.kind, fixed.rows, fixed.cols
        )));
    }
    let mut rng = random::seeded(req.seed.unwrap_or(1));
    let p = kind.generate(shape, 1, &mut rng)?;
    Ok(GenerateResponse {
        pattern: p.as_flat().to_vec(),
        rows: shape.rows,
        cols: shape.cols,
        description: kind.to_string(),
    })
}

// ---------------------------------------------------------------------------------------
// POST /api/corrupt

/// `POST /api/corrupt`: flip a fraction of a state's neurons and/or mask a region.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CorruptRequest {
    /// The state: `N` values −1, 0 or +1.
    pub state: Vec<i8>,
    /// Grid rows (needed for 2-D masks); `rows · cols` must equal `N`.
    pub rows: Option<usize>,
    /// Grid columns.
    pub cols: Option<usize>,
    /// Fraction of the neurons to flip, exactly `⌊flip · N⌋` of them (default 0).
    pub flip: Option<f64>,
    /// A region to set to 0 ("unknown"): `top-half`, `bottom-half`, `left-half`,
    /// `right-half`, `range:A..B` or `rect:TOP,LEFT,HxW`.
    pub mask: Option<String>,
    /// First turn the ±1 state into the course page's 0/1 vector `(S + 1)/2` (default
    /// false).
    pub binary: Option<bool>,
    /// Add a random ±1 to every value, as the course page's image cells do (default
    /// false): a ±1 state then holds −2, 0 and 2, a 0/1 vector −1 to 2.
    pub add_noise: Option<bool>,
    /// Seed of the flips and of the added noise (default 1).
    pub seed: Option<u64>,
}

/// The response of `POST /api/corrupt`.
#[derive(Debug, Clone, Serialize)]
pub struct CorruptResponse {
    /// The corrupted state.
    pub state: Vec<i8>,
    /// Neurons flipped.
    pub flipped: usize,
    /// Neurons masked (set to 0).
    pub masked: usize,
}

/// Plans `POST /api/corrupt`: the work of one pass over the state.
pub fn corrupt(req: CorruptRequest) -> ApiResult<Planned<CorruptResponse>> {
    let n = check_n("state", req.state.len())? as u64;
    Ok(Planned::new(50 * n + 10_000, move |_| corrupt_now(req)))
}

fn corrupt_now(req: CorruptRequest) -> ApiResult<CorruptResponse> {
    let n = check_n("state", req.state.len())?;
    check_state("state", &req.state)?;
    let grid = match (req.rows, req.cols) {
        (Some(r), Some(c)) => {
            let s = shape(r, c)?;
            if s.len() != n {
                return Err(ApiError::bad(format!(
                    "size {s} holds {} neurons, but state has {n}",
                    s.len()
                )));
            }
            Some(s)
        }
        (None, None) => None,
        _ => return Err(ApiError::bad("give both rows and cols, or neither")),
    };
    let fraction = req.flip.unwrap_or(0.0);
    let mut rng = random::seeded(req.seed.unwrap_or(1));
    let binary = req.binary == Some(true);
    if binary && req.state.contains(&0) {
        return Err(ApiError::bad(
            "binary needs a state of ±1 values: it has unknown (0) neurons; mask after, not before",
        ));
    }
    let mut state = noise::flip_fraction(&req.state, fraction, &mut rng)?;
    if binary {
        state = state.iter().map(|&v| i8::from(v > 0)).collect();
    }
    if req.add_noise == Some(true) {
        state = noise::add_noise(&state, &mut rng);
    }
    let flipped = (fraction * n as f64).floor() as usize;
    let mut masked = 0;
    if let Some(spec) = &req.mask {
        let region: Region = spec.parse()?;
        check_region(&region, n)?;
        masked = region.indices(n, grid)?.len();
        state = noise::mask(&state, &region, grid)?;
    }
    Ok(CorruptResponse {
        state,
        flipped,
        masked,
    })
}

/// Refuses region coordinates so large that checking them could overflow.
fn check_region(region: &Region, n: usize) -> ApiResult<()> {
    let parts: &[usize] = match region {
        Region::Range { start, end } => &[*start, *end],
        Region::Rect {
            top,
            left,
            rows,
            cols,
        } => &[*top, *left, *rows, *cols],
        _ => &[],
    };
    if parts.iter().any(|&v| v > n) {
        return Err(ApiError::bad(format!(
            "mask = {region} is invalid: it must lie within the {n} neurons"
        )));
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// POST /api/simulate

/// The most neurons of `/api/simulate` (its couplings are a dense `N × N` matrix).
pub const MAX_SIMULATE_NEURONS: usize = 1024;

/// `POST /api/simulate`: the course page's first cell, binary neurons with random
/// couplings `T_ij` uniform in [0, 1), one random neuron updated per step (`h > θ` → 1).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimulateRequest {
    /// Neurons, 1 to [`MAX_SIMULATE_NEURONS`] (default 20, as on the page).
    pub n: Option<usize>,
    /// Single-neuron updates (default 200, as on the page).
    pub steps: Option<usize>,
    /// The threshold θ (default 0).
    pub threshold: Option<f64>,
    /// Seed of the couplings, the start and the updates (default 1).
    pub seed: Option<u64>,
}

/// The response of `POST /api/simulate`.
#[derive(Debug, Clone, Serialize)]
pub struct SimulateResponse {
    /// Neurons.
    pub n: usize,
    /// The state (0/1 per neuron) after every update; entry 0 is the random start.
    pub states: Vec<Vec<i8>>,
    /// Neurons on after every update.
    pub on: Vec<usize>,
    /// The first update after which every neuron is on, if any.
    pub all_on_at: Option<usize>,
    /// Updates that changed a neuron.
    pub flips: u64,
    /// Whether the final state is a fixed point.
    pub converged: bool,
}

/// Plans `POST /api/simulate`.
pub fn simulate(req: SimulateRequest) -> ApiResult<Planned<SimulateResponse>> {
    let n = req.n.unwrap_or(20);
    let steps = req.steps.unwrap_or(200);
    if n == 0 || n > MAX_SIMULATE_NEURONS {
        return Err(ApiError::bad(format!(
            "n = {n} is invalid: must lie between 1 and {MAX_SIMULATE_NEURONS}"
        )));
    }
    if steps == 0 || steps > MAX_STEPS {
        return Err(ApiError::bad(format!(
            "steps = {steps} is invalid: must lie between 1 and {MAX_STEPS}"
        )));
    }
    let cells = (steps as u64 + 1) * n as u64;
    if cells > MAX_RETURNED_CELLS {
        return Err(ApiError::bad(format!(
            "steps = {steps} at n = {n} returns {cells} values, over the limit of \
             {MAX_RETURNED_CELLS}: at most {} steps",
            MAX_RETURNED_CELLS / n as u64 - 1
        )));
    }
    let theta = threshold(req.threshold)?.unwrap_or(0.0);
    let (n64, k) = (n as u64, steps as u64);
    let work = 30 * n64 * n64 + k * (200 + 4 * n64) + n64 * n64 * 3 + 10_000;
    if work > MAX_WORK {
        return Err(ApiError::bad(format!(
            "simulating {steps} updates of {n} neurons is estimated at {} work units, over the \
             limit of {}: use fewer steps",
            cost::show(work),
            cost::show(MAX_WORK)
        )));
    }
    let seed = req.seed.unwrap_or(1);
    Ok(Planned::new(work, move |cancel| {
        let r = model::simulate(n, steps, theta, seed, cancel)?;
        let on: Vec<usize> = r
            .iter()
            .map(|s| s.iter().filter(|&&v| v == 1).count())
            .collect();
        let flips = r.windows(2).filter(|w| w[0] != w[1]).count() as u64;
        let converged = model::simulate_settled(n, theta, seed, r.last().map_or(&[][..], |v| v))?;
        Ok(SimulateResponse {
            n,
            all_on_at: on.iter().position(|&c| c == n),
            on,
            states: r,
            flips,
            converged,
        })
    }))
}

// ---------------------------------------------------------------------------------------
// POST /api/crosstalk

/// The most samples of `/api/crosstalk`.
pub const MAX_SAMPLES: usize = 100_000;

/// `POST /api/crosstalk`: the course page's term `Σ_i ξ_i S_i` for random ±1 pairs, `S`
/// copying `ξ` on its first `overlap` neurons.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrosstalkRequest {
    /// Neurons per pattern (default 100).
    pub n: Option<usize>,
    /// Neurons on which `S` copies `ξ` (default 0).
    pub overlap: Option<usize>,
    /// Pairs drawn, 2 to [`MAX_SAMPLES`] (default 100).
    pub samples: Option<usize>,
    /// Seed (default 1).
    pub seed: Option<u64>,
}

/// The response of `POST /api/crosstalk`.
#[derive(Debug, Clone, Serialize)]
pub struct CrosstalkResponse {
    /// Neurons.
    pub n: usize,
    /// Copied neurons.
    pub overlap: usize,
    /// The term of every pair.
    pub values: Vec<i64>,
    /// Sample mean.
    pub mean: f64,
    /// Sample standard deviation.
    pub sd: f64,
    /// Theory: `overlap`.
    pub predicted_mean: f64,
    /// Theory: `√(N − overlap)`.
    pub predicted_sd: f64,
    /// Kolmogorov–Smirnov distance to the predicted Gaussian.
    pub ks_distance: f64,
    /// Its 5 % critical value.
    pub ks_critical: f64,
}

/// Plans `POST /api/crosstalk`.
pub fn crosstalk(req: CrosstalkRequest) -> ApiResult<Planned<CrosstalkResponse>> {
    let n = check_n("n", req.n.unwrap_or(100))?;
    let overlap = req.overlap.unwrap_or(0);
    let samples = req.samples.unwrap_or(100);
    if !(2..=MAX_SAMPLES).contains(&samples) {
        return Err(ApiError::bad(format!(
            "samples = {samples} is invalid: must lie between 2 and {MAX_SAMPLES}"
        )));
    }
    let work = (samples as u64) * (n as u64) * 12 + 10_000;
    if work > MAX_WORK {
        return Err(ApiError::bad(format!(
            "{samples} samples of {n} neurons are estimated at {} work units, over the limit of \
             {}: draw fewer",
            cost::show(work),
            cost::show(MAX_WORK)
        )));
    }
    let seed = req.seed.unwrap_or(1);
    Ok(Planned::new(work, move |_| {
        let c = hopfield::experiment::crosstalk(n, overlap, samples, &mut random::seeded(seed))?;
        Ok(CrosstalkResponse {
            n,
            overlap,
            mean: c.mean,
            sd: c.sd,
            predicted_mean: c.predicted_mean,
            predicted_sd: c.predicted_sd,
            ks_distance: c.ks_distance,
            ks_critical: c.ks_critical,
            values: c.values,
        })
    }))
}

// ---------------------------------------------------------------------------------------
// POST /api/weights

/// `POST /api/weights`: the weight matrix of the stored patterns as a small image.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeightsRequest {
    /// The stored patterns, each `N` values ±1.
    pub patterns: Vec<Vec<i8>>,
    /// `hebb` (default), `outer01`, `storkey`, `pseudo-inverse`, `perceptron` or
    /// `covariance` (the last four form the dense matrix: at most 4096 neurons).
    pub rule: Option<String>,
    /// As for `/api/recall`.
    pub normalization: Option<String>,
    /// As for `/api/recall`.
    pub kappa: Option<f64>,
    /// As for `/api/recall`.
    pub max_epochs: Option<usize>,
    /// As for `/api/recall`.
    pub activity: Option<f64>,
    /// As for `/api/recall`.
    pub dilution: Option<f64>,
    /// As for `/api/recall`.
    pub dilution_seed: Option<u64>,
    /// The image side: `min(N, side)` (default 128, at most [`MAX_WEIGHTS_SIDE`]).
    pub side: Option<usize>,
}

/// The response of `POST /api/weights`.
#[derive(Debug, Clone, Serialize)]
pub struct WeightsResponse {
    /// The number of neurons.
    pub n: usize,
    /// The image side.
    pub side: usize,
    /// Whether the image is the whole matrix (`side == n`) rather than a sample of it.
    pub exact: bool,
    /// `side × side` couplings, row-major: entry `(r, c)` is `W_ij` with
    /// `i = ⌊(r + ½) N / side⌋`, `j = ⌊(c + ½) N / side⌋`.
    pub values: Vec<f64>,
    /// The smallest value shown.
    pub min: f64,
    /// The largest value shown.
    pub max: f64,
}

/// Plans `POST /api/weights`: training and the couplings read.
pub fn weights(req: WeightsRequest) -> ApiResult<Planned<WeightsResponse>> {
    let n = match req.patterns.first() {
        Some(p) => check_n("pattern 0", p.len())?,
        None => {
            return Err(ApiError::bad(
                "patterns is empty: store at least one pattern",
            ));
        }
    };
    let patterns = patterns(&req.patterns, n)?;
    let spec = Fields {
        rule: req.rule.as_deref(),
        normalization: req.normalization.as_deref(),
        kappa: req.kappa,
        max_epochs: req.max_epochs,
        activity: req.activity,
        dilution: req.dilution,
        dilution_seed: req.dilution_seed,
        ..Fields::default()
    }
    .spec()?;
    let side = req.side.unwrap_or(128);
    if side == 0 || side > MAX_WEIGHTS_SIDE {
        return Err(ApiError::bad(format!(
            "side = {side} is invalid: must lie between 1 and {MAX_WEIGHTS_SIDE}"
        )));
    }
    let side = side.min(n);
    spec.representation(n)?;
    let (n64, cells) = (n as u64, (side * side) as u64);
    let get = match spec.couplings() {
        Couplings::Factored => 2 * patterns.len() as u64 + 20,
        _ => 20,
    };
    let work = |spec: &Spec, p: usize| {
        spec.training(n64, p as u64)
            .saturating_add(cells * (get + 30))
    };
    let fits = |p: usize| {
        spec.within_budget(n, p)
            .is_some_and(|s| work(&s, p) <= MAX_WORK)
    };
    let p = patterns.len();
    let what = format!("storing {p} patterns of {n} neurons with {}", spec.name());
    let Some(budgeted) = spec.within_budget(n, p) else {
        return Err(too_large(&what, None, n, p, fits));
    };
    let spec = budgeted;
    let estimate = work(&spec, p);
    if estimate > MAX_WORK {
        return Err(too_large(&what, Some(estimate), n, p, fits));
    }
    Ok(Planned::new(estimate, move |cancel| {
        let built = model::build(&spec, &patterns, None, cancel)?;
        let Some(net) = model::network(&built) else {
            return Err(ApiError::bad(
                "only the classical model has a weight matrix",
            ));
        };
        let w = net.weights();
        let index = |k: usize| ((2 * k + 1) * n) / (2 * side);
        let mut values = Vec::with_capacity(side * side);
        for r in 0..side {
            for c in 0..side {
                values.push(w.get(index(r), index(c)));
            }
        }
        let min = values.iter().copied().fold(f64::INFINITY, f64::min);
        let max = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Ok(WeightsResponse {
            n,
            side,
            exact: side == n,
            values,
            min,
            max,
        })
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plans and runs a request.
    fn done<T>(plan: ApiResult<Planned<T>>) -> ApiResult<T> {
        plan?.run(&Cancel::new())
    }

    fn letters() -> (Vec<Vec<i8>>, usize) {
        let p = hopfield::generate::page::letters();
        (p.iter().map(<[i8]>::to_vec).collect(), p.n())
    }

    fn recall_req(patterns: Vec<Vec<i8>>, cue: Vec<i8>) -> RecallRequest {
        RecallRequest {
            patterns,
            cue,
            dynamics: None,
            tie: None,
            model: None,
            degree: None,
            beta: None,
            rule: None,
            normalization: None,
            kappa: None,
            max_epochs: None,
            activity: None,
            dilution: None,
            dilution_seed: None,
            threshold: None,
            max_steps: None,
            seed: None,
            temperature: None,
            stop_at_fixed_point: None,
            states: None,
            states_every: None,
            clamp: None,
        }
    }

    #[test]
    fn recall_returns_measures_per_step() {
        let (p, n) = letters();
        let mut cue = p[2].clone();
        cue[0] = -cue[0];
        cue[7] = 0;
        let mut req = recall_req(p.clone(), cue);
        req.dynamics = Some("sweep".into());
        req.states = Some(true);
        let r = done(recall(req)).unwrap();
        assert_eq!(r.outcome, "recalled");
        assert_eq!(r.pattern, Some(2));
        assert_eq!(r.state, p[2]);
        assert_eq!(r.energy.len(), r.steps + 1);
        assert_eq!(r.overlaps.len(), r.steps + 1);
        assert_eq!(r.overlaps[r.steps][2], 1.0);
        let states = r.states.unwrap();
        assert_eq!(states.len(), r.steps + 1);
        assert_eq!(states.last().unwrap(), &p[2]);
        assert_eq!(r.state_steps.unwrap().len(), states.len());
        assert_eq!(states[0].len(), n);
    }

    #[test]
    fn states_every_keeps_the_last_state() {
        let (p, _) = letters();
        let mut req = recall_req(p.clone(), p[0].clone());
        req.dynamics = Some("async".into());
        req.max_steps = Some(10);
        req.stop_at_fixed_point = Some(false);
        req.states = Some(true);
        req.states_every = Some(4);
        let r = done(recall(req)).unwrap();
        assert_eq!(r.state_steps.unwrap(), vec![0, 4, 8, 10]);
        assert_eq!(r.energy.len(), 11);
    }

    #[test]
    fn limits_lower_the_default_and_refuse_too_many_steps() {
        let n = 4096;
        let allowed = max_steps_allowed(n, 5, Some(1));
        assert_eq!(allowed, 1022); // 4 Mi returned cells: 1024 states of 4096 neurons
        assert!(max_steps_allowed(n, 5, Some(64)) > allowed);
        assert!(allowed < Dynamics::Asynchronous.default_max_steps(n));
        assert!(allowed >= 1);
        let p = vec![vec![1i8; n]];
        let mut req = recall_req(p.clone(), vec![1; n]);
        req.dynamics = Some("async".into());
        req.max_steps = Some(MAX_STEPS + 1);
        let e = done(recall(req)).unwrap_err();
        assert_eq!(e.status, 400);
        assert!(e.message.contains("max_steps"), "{}", e.message);
    }

    #[test]
    fn bad_values_are_named() {
        let (p, _) = letters();
        let mut cue = p[0].clone();
        cue[3] = 3;
        let e = done(recall(recall_req(p.clone(), cue))).unwrap_err();
        assert_eq!(
            e.message,
            "cue, neuron 3: value 3 is not -1, 0 or 1 (or ±2 after additive noise)"
        );
        let mut bad = p.clone();
        bad[1][4] = 0;
        let e = done(recall(recall_req(bad, p[0].clone()))).unwrap_err();
        assert!(
            e.message.starts_with("pattern 1, neuron 4"),
            "{}",
            e.message
        );
        let mut req = recall_req(p.clone(), p[0].clone());
        req.dynamics = Some("warp".into());
        assert!(done(recall(req)).unwrap_err().message.contains("dynamics"));
    }

    #[test]
    fn generators_and_noise_use_the_core() {
        let g = done(generate(GenerateRequest {
            kind: "letter".into(),
            rows: 7,
            cols: 5,
            text: Some("A".into()),
            p_on: None,
            width: None,
            seed: None,
        }))
        .unwrap();
        assert_eq!(g.pattern[2], 1);
        let c = done(corrupt(CorruptRequest {
            state: g.pattern.clone(),
            rows: Some(7),
            cols: Some(5),
            flip: Some(0.2),
            mask: Some("rect:0,0,2x2".into()),
            binary: None,
            add_noise: None,
            seed: Some(3),
        }))
        .unwrap();
        assert_eq!((c.flipped, c.masked), (7, 4));
        assert_eq!(&c.state[..2], &[0, 0]);
        let e = done(corrupt(CorruptRequest {
            state: g.pattern,
            rows: Some(7),
            cols: Some(5),
            flip: None,
            mask: Some(format!("rect:{},0,1x1", usize::MAX)),
            binary: None,
            add_noise: None,
            seed: None,
        }))
        .unwrap_err();
        assert!(e.message.starts_with("mask ="), "{}", e.message);
        assert!(shape(usize::MAX, 2).is_err());
    }

    #[test]
    fn the_page_noise_and_models_are_served() {
        // The page's image cell: BC as a 0/1 vector plus random ±1, recalled by the 0/1 rule
        // storing BU alone: one step gives BU.
        let bu = hopfield::generate::page::bu().get(0).unwrap().to_vec();
        let bc = hopfield::generate::page::bc().get(0).unwrap().to_vec();
        let c = done(corrupt(CorruptRequest {
            state: bc,
            rows: Some(100),
            cols: Some(100),
            flip: None,
            mask: None,
            binary: Some(true),
            add_noise: Some(true),
            seed: Some(5),
        }))
        .unwrap();
        assert!(c.state.iter().all(|v| (-1..=2).contains(v)));
        assert!(c.state.contains(&2) && c.state.contains(&-1));
        let mut req = recall_req(vec![bu.clone()], c.state.clone());
        req.rule = Some("outer01".into());
        req.tie = Some("minus".into());
        let r = done(recall(req)).unwrap();
        assert_eq!(r.state, bu);
        assert_eq!((r.hitting_time, r.outcome), (1, "recalled"));
        // Other models take ±1 cues only, and say so.
        let mut req = recall_req(vec![bu.clone()], c.state);
        req.model = Some("dense".into());
        let e = done(recall(req)).unwrap_err();
        assert!(
            e.message.contains("for the classical model"),
            "{}",
            e.message
        );
        // Each model recalls a letter from a corrupted cue.
        let (p, _) = letters();
        for model in ["dense", "rectified", "exponential", "modern"] {
            let mut req = recall_req(p.clone(), flip_one(&p[2]));
            req.model = Some(model.into());
            req.dynamics = Some("sweep".into());
            let r = done(recall(req)).unwrap();
            assert_eq!((r.outcome, r.pattern), ("recalled", Some(2)), "{model}");
            assert_eq!(r.energy.len(), r.steps + 1, "{model}");
        }
        let mut req = recall_req(p.clone(), flip_one(&p[2]));
        req.model = Some("modern".into());
        req.temperature = Some(0.5);
        let e = done(recall(req)).unwrap_err();
        assert!(
            e.message
                .starts_with("temperature = 0.5 applies to the classical model only")
        );
    }

    fn flip_one(v: &[i8]) -> Vec<i8> {
        let mut v = v.to_vec();
        v[0] = -v[0];
        v
    }

    #[test]
    fn weights_image_samples_the_couplings() {
        let (p, n) = letters();
        let w = done(weights(WeightsRequest {
            patterns: p.clone(),
            rule: None,
            normalization: None,
            kappa: None,
            max_epochs: None,
            activity: None,
            dilution: None,
            dilution_seed: None,
            side: None,
        }))
        .unwrap();
        assert_eq!((w.n, w.side, w.exact), (n, n, true));
        let net = hopfield::Network::from_patterns(
            &Patterns::from_rows(&p).unwrap(),
            &hopfield::Rule::hebb(),
        )
        .unwrap();
        assert_eq!(w.values[n + 2], net.weights().get(1, 2));
        assert_eq!(w.values[0], 0.0);
    }
}
