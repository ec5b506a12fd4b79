//! The memory a request describes — a classical network (a learning rule with its
//! options, a dilution) or one of the models beyond it (dense, rectified, exponential,
//! modern) — checked, priced and run with the core library.
//!
//! Every use of the core's rule and model types by the server is here, so that a change of
//! the library's API touches this file only.

use hopfield::modern::{ContinuousMemory, DenseMemory, Model};
use hopfield::rule::{Covariance, Hebb, Outer01, Perceptron};
use hopfield::{
    AssociativeMemory, Cancel, Dilution, LearningRule, Network, Normalization, Patterns, Recall,
    RecallOptions, Representation, Rule, Threshold, excerpt,
};

use super::cost::{self, Couplings};
use super::limits::{ApiError, ApiResult, MAX_DENSE_NEURONS, MAX_EPOCHS, MAX_WORK};

/// The fields of a request that choose the memory, as they arrive.
#[derive(Debug, Clone, Default)]
pub struct Fields<'a> {
    /// `model`.
    pub model: Option<&'a str>,
    /// `degree`.
    pub degree: Option<u32>,
    /// `beta`.
    pub beta: Option<f64>,
    /// `rule`.
    pub rule: Option<&'a str>,
    /// `normalization`.
    pub normalization: Option<&'a str>,
    /// `kappa`.
    pub kappa: Option<f64>,
    /// `max_epochs`.
    pub max_epochs: Option<usize>,
    /// `activity`.
    pub activity: Option<f64>,
    /// `dilution`.
    pub dilution: Option<f64>,
    /// `dilution_seed`.
    pub dilution_seed: Option<u64>,
}

/// A checked choice of memory.
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// The model (classical for a network of `rule`).
    pub model: Model,
    /// The learning rule of the classical model.
    pub rule: Rule,
    /// The dilution of the classical model's couplings.
    pub dilution: Option<Dilution>,
}

/// The model names a request may give (the core's, and `rectified`).
pub const MODELS: &[&str] = &["classical", "dense", "rectified", "exponential", "modern"];

/// The normalizations a request may give.
pub const NORMALIZATIONS: &[&str] = &["1/N", "1/P", "none"];

fn only(item: &str, value: impl std::fmt::Display, what: &str) -> ApiError {
    ApiError::bad(format!(
        "{item} = {} applies to {what} only: leave it out, or choose {what}",
        excerpt(&value.to_string())
    ))
}

impl Fields<'_> {
    /// The memory these fields describe, every option checked.
    pub fn spec(&self) -> ApiResult<Spec> {
        let mut model: Model = match self.model {
            Some(name) if MODELS.contains(&name.to_ascii_lowercase().as_str()) => name.parse()?,
            Some(name) => {
                return Err(ApiError::bad(format!(
                    "model = \"{}\" is invalid: expected one of: {}",
                    excerpt(name),
                    MODELS.join(", ")
                )));
            }
            None => Model::Classical,
        };
        let polynomial = matches!(model, Model::Dense { .. });
        let with_beta = matches!(model, Model::Exponential { .. } | Model::Modern { .. });
        if let Some(n) = self.degree {
            if !polynomial {
                return Err(only("degree", n, "model dense or rectified"));
            }
            model = model.degree(n);
        }
        if let Some(b) = self.beta {
            if !with_beta {
                return Err(only("beta", b, "model exponential or modern"));
            }
            model = model.beta(b);
        }
        model.check()?;
        let classical = model == Model::Classical;
        if !classical {
            for (item, given) in [
                ("rule", self.rule.is_some()),
                ("normalization", self.normalization.is_some()),
                ("kappa", self.kappa.is_some()),
                ("max_epochs", self.max_epochs.is_some()),
                ("activity", self.activity.is_some()),
                ("dilution", self.dilution.is_some()),
            ] {
                if given {
                    return Err(ApiError::bad(format!(
                        "{item} applies to the classical model only (model {} has no coupling \
                         matrix): leave it out, or choose model classical",
                        model.name()
                    )));
                }
            }
        }
        let mut rule: Rule = match self.rule {
            Some(name) => name.parse()?,
            None => Rule::hebb(),
        };
        if let Some(s) = self.normalization {
            let normalization: Normalization = s.parse()?;
            rule = match rule {
                Rule::Hebb(_) => Hebb::new(normalization).into(),
                Rule::Outer01(_) => Outer01::new(normalization).into(),
                _ => return Err(only("normalization", s, "rule hebb or outer01")),
            };
        }
        if let Some(k) = self.kappa {
            let Rule::Perceptron(perceptron) = rule else {
                return Err(only("kappa", k, "rule perceptron"));
            };
            rule = perceptron.kappa(k).into();
        }
        if let Some(e) = self.max_epochs {
            let Rule::Perceptron(perceptron) = rule else {
                return Err(only("max_epochs", e, "rule perceptron"));
            };
            if e > MAX_EPOCHS {
                return Err(ApiError::bad(format!(
                    "max_epochs = {e} is invalid: at most {MAX_EPOCHS} epochs here"
                )));
            }
            rule = perceptron.max_epochs(e).into();
        }
        if let Some(a) = self.activity {
            if !matches!(rule, Rule::Covariance(_)) {
                return Err(only("activity", a, "rule covariance"));
            }
            rule = Covariance::new(Some(a)).into();
        }
        rule.check()?;
        let dilution = match self.dilution {
            Some(c) => {
                let d = Dilution::new(c, self.dilution_seed.unwrap_or(1));
                d.check()?;
                Some(d)
            }
            None if self.dilution_seed.is_some() => {
                return Err(ApiError::bad(
                    "dilution_seed is given without dilution: give dilution (the fraction of \
                     couplings kept) too, or leave the seed out",
                ));
            }
            None => None,
        };
        Ok(Spec {
            model,
            rule,
            dilution,
        })
    }
}

impl Spec {
    /// Whether this is the classical network.
    pub fn is_classical(&self) -> bool {
        self.model == Model::Classical
    }

    /// The memory in words, for messages: `rule hebb`, `model dense (F(x) = x^3)`.
    pub fn name(&self) -> String {
        match (&self.model, &self.dilution) {
            (Model::Classical, None) => format!("rule {}", self.rule.name()),
            (Model::Classical, Some(d)) => {
                format!("rule {} diluted to {}", self.rule.name(), d.connectivity)
            }
            (model, _) => format!("model {model}"),
        }
    }

    /// How the couplings are held, which sets the price of the dynamics.
    pub fn couplings(&self) -> Couplings {
        match (&self.model, self.model.interaction()) {
            (Model::Classical, _) if self.dilution.is_some() => Couplings::Dense,
            (Model::Classical, _) => Couplings::of(&self.rule),
            (Model::Modern { .. }, _) => Couplings::Continuous,
            (_, Some(i)) => Couplings::interaction(i),
            _ => Couplings::Continuous,
        }
    }

    /// The representation the classical network is trained in: factored for sums of outer
    /// products (the `N × N` matrix is never formed), dense otherwise and when diluted, up to
    /// [`MAX_DENSE_NEURONS`].
    pub fn representation(&self, n: usize) -> ApiResult<Representation> {
        if !self.is_classical() {
            return Ok(Representation::Auto);
        }
        if self.rule.is_outer_product() && self.dilution.is_none() {
            return Ok(Representation::Factored);
        }
        if n > MAX_DENSE_NEURONS {
            return Err(ApiError::bad(format!(
                "{} forms the dense {n} x {n} weight matrix: at most {MAX_DENSE_NEURONS} neurons \
                 here; use rule hebb without dilution, or a model, for larger grids",
                self.name()
            )));
        }
        Ok(Representation::Auto)
    }

    /// The same memory with the epochs perceptron learning may use here: at most
    /// [`MAX_EPOCHS`], and no more than three quarters of [`MAX_WORK`]; `None` when not even
    /// one epoch fits.
    pub fn within_budget(&self, n: usize, p: usize) -> Option<Spec> {
        let Rule::Perceptron(perceptron) = self.rule else {
            return Some(self.clone());
        };
        if !self.is_classical() {
            return Some(self.clone());
        }
        let (n, p) = (n as u64, p as u64);
        let base = cost::training(&perceptron.max_epochs(0).into(), n, p);
        let epochs = (MAX_WORK / 4 * 3).saturating_sub(base) / cost::perceptron_epoch(n, p).max(1);
        let epochs = usize::try_from(epochs)
            .unwrap_or(MAX_EPOCHS)
            .min(MAX_EPOCHS);
        (epochs > 0).then(|| Spec {
            rule: perceptron
                .max_epochs(epochs.min(perceptron.max_epochs))
                .into(),
            ..self.clone()
        })
    }

    /// The work of storing `p` patterns of `n` neurons.
    pub fn training(&self, n: u64, p: u64) -> u64 {
        match self.couplings() {
            Couplings::Factored | Couplings::Dense => {
                let dilution = if self.dilution.is_some() {
                    cost::dilution(n)
                } else {
                    0
                };
                cost::training(&self.rule, n, p).saturating_add(dilution)
            }
            other => other.store(n, p),
        }
    }

    /// Whether `value` may stand in a cue: −2 to 2 for the classical network (the page's
    /// additive noise), −1, 0 and 1 for the others.
    pub fn cue_values(&self) -> (i8, i8) {
        if self.is_classical() {
            (-2, 2)
        } else {
            (-1, 1)
        }
    }

    /// Checks what the model supports of the dynamics: temperatures above 0 are the
    /// classical network's only.
    pub fn check_temperature(&self, temperature: f64) -> ApiResult<()> {
        if temperature > 0.0 && !self.is_classical() {
            return Err(ApiError::bad(format!(
                "temperature = {temperature} applies to the classical model only: model {} runs \
                 at T = 0; leave temperature out or set it to 0",
                self.model.name()
            )));
        }
        Ok(())
    }
}

/// A memory built from its patterns.
pub enum Built {
    /// The classical network.
    Network(Box<Network>),
    /// A dense associative memory.
    Dense(DenseMemory),
    /// A continuous modern Hopfield network, with the signs of its patterns.
    Modern(ContinuousMemory),
}

/// Stores `patterns` as `spec` says; stops with a 503 once `cancel` is raised.
pub fn build(
    spec: &Spec,
    patterns: &Patterns,
    threshold: Option<f64>,
    cancel: &Cancel,
) -> ApiResult<Built> {
    let n = patterns.n();
    let p = patterns.len();
    match (&spec.model, spec.model.interaction()) {
        (Model::Classical, _) => {
            let representation = spec.representation(n)?;
            let (net, training) =
                Network::train_report(patterns, &spec.rule, representation, Some(cancel))?;
            check_training(&spec.rule, &training, n, p)?;
            let net = match &spec.dilution {
                Some(d) => net.diluted(d)?,
                None => net,
            };
            let net = match threshold {
                Some(t) => net.with_threshold(Threshold::Uniform(t))?,
                None => net,
            };
            Ok(Built::Network(Box::new(net)))
        }
        (Model::Modern { beta }, _) => Ok(Built::Modern(ContinuousMemory::from_patterns(
            patterns, *beta,
        )?)),
        (_, Some(interaction)) => Ok(Built::Dense(DenseMemory::new(
            patterns.clone(),
            interaction,
        )?)),
        _ => Err(ApiError::bad(format!(
            "model {} is not served yet",
            spec.model.name()
        ))),
    }
}

/// The couplings of a classical network, for the weight image.
pub fn network(built: &Built) -> Option<&Network> {
    match built {
        Built::Network(net) => Some(net),
        _ => None,
    }
}

/// Runs the dynamics from `cue`. The modern network updates every component at once,
/// whatever the dynamics, until it stops moving (tolerance 1e-6) or `max_steps` updates;
/// its state, overlaps and outcome are those of the signs.
pub fn recall(
    built: &Built,
    cue: &[i8],
    options: &RecallOptions,
    rng: &mut hopfield::random::SeededRng,
) -> ApiResult<Recall> {
    match built {
        Built::Network(net) => Ok(net.recall(cue, options, rng)?),
        Built::Dense(m) => Ok(m.recall(cue, options, rng)?),
        Built::Modern(m) => Ok(m.recall(cue, options, rng)?),
    }
}

/// The couplings and start of the course page's first cell: `T_ij` uniform in [0, 1)
/// drawn from `seed`, then the random 0/1 start.
fn page_network(
    n: usize,
    theta: f64,
    seed: u64,
) -> ApiResult<(Network, hopfield::random::SeededRng)> {
    let mut rng = hopfield::random::seeded(seed);
    let weights = hopfield::Weights::uniform(n, &mut rng)?;
    let net = Network::new(weights)
        .with_activation(hopfield::Activation::Binary)
        .with_threshold(Threshold::Uniform(theta))?;
    Ok((net, rng))
}

/// The course page's first cell: `steps` single-neuron updates of `n` binary neurons with
/// random couplings; the state after every update (entry 0 the random start).
pub fn simulate(
    n: usize,
    steps: usize,
    theta: f64,
    seed: u64,
    cancel: &Cancel,
) -> ApiResult<Vec<Vec<i8>>> {
    let (net, mut rng) = page_network(n, theta, seed)?;
    let start: Vec<i8> = (0..n)
        .map(|_| i8::from(hopfield::random::unit(&mut rng) < 0.5))
        .collect();
    let mut options = RecallOptions::new(hopfield::Dynamics::Asynchronous)
        .tie(hopfield::Tie::Minus)
        .max_steps(steps)
        .run_to_max()
        .cancel(cancel.clone());
    options.record.states = true;
    let r = net.recall(&start, &options, &mut rng)?;
    Ok(r.trajectory.map(|t| t.states).unwrap_or_default())
}

/// Whether `state` is a fixed point of the first cell's network drawn from `seed`.
pub fn simulate_settled(n: usize, theta: f64, seed: u64, state: &[i8]) -> ApiResult<bool> {
    let (net, _) = page_network(n, theta, seed)?;
    Ok(net.is_fixed_point(state, hopfield::Tie::Minus)?)
}

/// A 400 for perceptron learning that did not converge, said for this server (the epoch
/// limit is its own).
pub fn check_training(
    rule: &Rule,
    training: &hopfield::Training,
    n: usize,
    p: usize,
) -> ApiResult<()> {
    match rule {
        Rule::Perceptron(Perceptron { kappa, max_epochs }) if !training.converged => {
            let why = if *max_epochs < MAX_EPOCHS {
                format!(", the most the work limit allows for N = {n}, P = {p}")
            } else {
                String::new()
            };
            Err(ApiError::bad(format!(
                "perceptron learning (κ = {kappa}) did not converge in {} epochs{why}: {} \
                 (neuron, pattern) pairs are below the margin; store fewer patterns (a solution \
                 exists only below P/N ≈ 0.96 at κ = 0.5)",
                training.epochs, training.unstable
            )))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Fields<'static> {
        Fields::default()
    }

    #[test]
    fn options_of_another_rule_or_model_are_named() {
        let e = Fields {
            model: Some("dense"),
            rule: Some("storkey"),
            ..fields()
        }
        .spec()
        .unwrap_err();
        assert!(
            e.message
                .starts_with("rule applies to the classical model only"),
            "{}",
            e.message
        );
        let e = Fields {
            kappa: Some(0.3),
            ..fields()
        }
        .spec()
        .unwrap_err();
        assert!(
            e.message
                .starts_with("kappa = 0.3 applies to rule perceptron only"),
            "{}",
            e.message
        );
        let e = Fields {
            model: Some("warp"),
            ..fields()
        }
        .spec()
        .unwrap_err();
        assert!(
            e.message.contains("expected one of: classical, dense"),
            "{}",
            e.message
        );
        let e = Fields {
            model: Some("dense"),
            degree: Some(1),
            ..fields()
        }
        .spec()
        .unwrap_err();
        assert!(
            e.message.starts_with("degree = 1 is invalid"),
            "{}",
            e.message
        );
        let s = Fields {
            model: Some("rectified"),
            degree: Some(4),
            ..fields()
        }
        .spec()
        .unwrap();
        assert_eq!(s.model, Model::dense().degree(4).rectified(true));
        let s = Fields {
            rule: Some("outer01"),
            normalization: Some("1/N"),
            dilution: Some(0.5),
            ..fields()
        }
        .spec()
        .unwrap();
        assert_eq!(s.rule, Outer01::new(Normalization::N).into());
        assert_eq!(s.couplings(), Couplings::Dense);
        assert!(s.representation(8192).is_err());
    }
}
