//! The cost model: what a request will cost, estimated from its sizes before any work
//! starts, so that the server refuses what would run too long instead of running it.
//!
//! Costs are in **work units** of about a nanosecond of one core of a current machine. The
//! constants were measured with the library's kernels on a busy two-core machine, so they
//! lean high: the heaviest request the limit admits takes about two seconds there. Every
//! estimate counts the worst case: every step is taken (as at `T > 0` or with
//! `stop_at_fixed_point: false`), every step changes the state (so the fields are formed
//! anew), and perceptron learning runs all of its epochs. docs/api.md gives the formulas.

use hopfield::modern::Interaction;
use hopfield::{Dynamics, Rule};

/// How the couplings of a request are held, which sets the price of a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Couplings {
    /// `P` patterns of `N` bits (Hebb's rule and the page's 0/1 rule): a field costs
    /// `O(P)`, the matrix is never formed.
    Factored,
    /// The dense `N × N` float matrix of the other rules: a field costs `O(N)`.
    Dense,
    /// A dense associative memory (dense, rectified and exponential models): no couplings,
    /// the `P` overlaps kept up to date; a neuron's update weighs every pattern, `O(P)`
    /// evaluations of the interaction, each costing `term`.
    Interaction {
        /// The work of one evaluation pair `F(m + ξ) − F(m − ξ)`.
        term: u64,
    },
    /// The continuous modern network: every update is attention over the `P` patterns,
    /// `O(N·P)`, whatever the dynamics.
    Continuous,
}

impl Couplings {
    /// The couplings `rule` trains.
    pub fn of(rule: &Rule) -> Couplings {
        if rule.is_outer_product() {
            Couplings::Factored
        } else {
            Couplings::Dense
        }
    }

    /// The couplings of a dense associative memory with this interaction: `xⁿ` costs a
    /// multiplication per bit of `n` (two powers per term), `exp(βx)` two exponentials
    /// and their log-sum-exp.
    pub fn interaction(interaction: Interaction) -> Couplings {
        let term = match interaction {
            Interaction::Polynomial { degree } | Interaction::Rectified { degree } => {
                8 + 4 * u64::from(32 - degree.leading_zeros())
            }
            Interaction::Exponential { .. } => 40,
        };
        Couplings::Interaction { term }
    }

    /// Every field of a state at once (also the price of an energy formed from scratch;
    /// for a dense associative memory, every neuron's drive, as its fixed-point check).
    pub fn fields(self, n: u64, p: u64) -> u64 {
        match self {
            Couplings::Factored => n.saturating_mul(12 + 7 * p / 10) + 3_000,
            Couplings::Dense => 2 * n * n + 3_000,
            Couplings::Interaction { term } => n.saturating_mul(p).saturating_mul(term) + 3_000,
            Couplings::Continuous => modern_update(n, p),
        }
    }

    /// One neuron's update, with the bookkeeping of a change (the fields or overlaps that
    /// follow the state, and the overlaps recorded).
    pub fn update(self, n: u64, p: u64) -> u64 {
        match self {
            Couplings::Factored => 60 + 20 * p,
            Couplings::Dense => 60 + 3 * n + 10 * p,
            Couplings::Interaction { term } => 60 + p * (term + 4),
            Couplings::Continuous => modern_update(n, p) / n.max(1),
        }
    }

    /// Storing `p` patterns of `n` neurons in a model without couplings: the check of the
    /// patterns and their copy by neuron (dense models) or as floats (the modern one).
    pub fn store(self, n: u64, p: u64) -> u64 {
        5 * n.saturating_mul(p) + 10_000
    }
}

/// One update of the continuous modern network: the similarities `Xᵀξ`, the softmax, the
/// combination `X softmax(·)`, and the energy and sign overlaps recorded after it.
fn modern_update(n: u64, p: u64) -> u64 {
    n.saturating_mul(p).saturating_mul(6) + 40 * p + 20 * n + 3_000
}

/// Diluting the dense `N × N` couplings: one draw per pair.
pub fn dilution(n: u64) -> u64 {
    20 * n * n
}

/// The overlaps of a state with the `p` patterns (bit-packed).
fn dots(n: u64, p: u64) -> u64 {
    n.saturating_mul(p) / 8 + 100
}

/// The part of a dense rule's training that every dense rule pays: forming, converting and
/// checking the `N × N` matrix.
fn dense_matrix(n: u64) -> u64 {
    60 * n * n
}

/// One epoch of perceptron learning: every neuron's row against every pattern (short rows
/// cost more per coupling).
pub fn perceptron_epoch(n: u64, p: u64) -> u64 {
    (n * (3 * n + 128)).saturating_mul(p)
}

/// Storing `p` patterns of `n` neurons with `rule`, the check of the patterns included.
/// Perceptron learning is counted with all of its `max_epochs`.
pub fn training(rule: &Rule, n: u64, p: u64) -> u64 {
    let patterns = 4 * n * p + 10_000;
    let rule_work = match rule {
        Rule::Hebb(_) | Rule::Outer01(_) => 0,
        // O(N²) per pattern; the rows written across the matrix make large networks
        // slower per coupling.
        Rule::Storkey(_) => dense_matrix(n) + (n * n * p).saturating_mul(8 + n / 256),
        // A QR factorisation, O(N·P²), and W = Q·Qᵀ, O(N²·P).
        Rule::PseudoInverse(_) => {
            let m = p.min(n);
            dense_matrix(n) + 2 * n * n * m / 5 + 2 * n * m * m
        }
        // The rows are learned one by one into the matrix: half the price of forming it.
        Rule::Perceptron(r) => (dense_matrix(n) / 2).saturating_add(
            perceptron_epoch(n, p).saturating_mul((r.max_epochs as u64).saturating_add(1)),
        ),
        Rule::Covariance(_) => dense_matrix(n) + 3 * n * n * p / 10,
        // A rule this server does not know yet: priced as the dearest one-shot rule.
        _ => dense_matrix(n) + (n * n * p).saturating_mul(8 + n / 256),
    };
    patterns.saturating_add(rule_work)
}

/// The shape of a recall, for its price.
#[derive(Debug, Clone, Copy)]
pub struct Run {
    /// How the couplings are held.
    pub couplings: Couplings,
    /// The dynamics.
    pub dynamics: Dynamics,
    /// Whether the temperature is above 0 (heat-bath updates, the energy formed anew every
    /// step).
    pub hot: bool,
    /// Neurons.
    pub n: u64,
    /// Stored patterns.
    pub p: u64,
    /// `Some(k)` when the states are recorded, every `k`-th returned.
    pub states: Option<u64>,
}

impl Run {
    /// One step: its updates, the energy and overlaps recorded after it, and their share
    /// of the response.
    pub fn step(&self) -> u64 {
        let (n, p) = (self.n, self.p);
        let fields = self.couplings.fields(n, p);
        let update = self.couplings.update(n, p);
        let bath = if self.hot { 40 } else { 0 };
        let dense = self.couplings == Couplings::Dense;
        let record = 500 + 50 * (p + 1) + self.states.map_or(0, |every| n + 4 * n / every.max(1));
        match self.couplings {
            // Every update weighs all patterns; the energy after a step is formed from the
            // overlaps (`O(P)` evaluations of the interaction).
            Couplings::Interaction { term } => {
                let update = self.couplings.update(n, p);
                let energy = p * term / 2;
                let work = match self.dynamics {
                    // Every drive, then the overlaps formed anew.
                    Dynamics::Synchronous => self
                        .couplings
                        .fields(n, p)
                        .saturating_add(n.saturating_mul(p)),
                    // One update; a fixed-point check (every drive) every N updates.
                    Dynamics::Asynchronous => 2 * update,
                    _ => n.saturating_mul(update),
                };
                return work.saturating_add(energy).saturating_add(record);
            }
            // One attention update, whatever the dynamics.
            Couplings::Continuous => {
                return modern_update(n, p).saturating_add(n).saturating_add(record);
            }
            Couplings::Factored | Couplings::Dense => {}
        }
        // The energy after a step: kept up to date for factored couplings at T = 0, formed
        // from the fields otherwise.
        let energy = if self.hot || dense { fields } else { 0 };
        let work = match self.dynamics {
            // The fields of the new state, and for T > 0 the energy's too.
            Dynamics::Synchronous => {
                n * (4 + bath) + fields * (if self.hot { 2 } else { 1 }) + dots(n, p)
            }
            // One update; a fixed-point check (all fields) every N updates.
            Dynamics::Asynchronous => update + bath + energy + fields / n.max(1),
            // Every neuron once (a shuffle for sweeps).
            _ => n * (update + bath + 2) + energy,
        };
        work.saturating_add(record)
    }

    /// What a run costs besides its steps: the fields and overlaps of the cue and of the
    /// final state, the outcome, the response's fixed part.
    pub fn fixed(&self) -> u64 {
        let fields = match self.couplings {
            // The overlaps of the cue, the patterns by neuron, the final fixed-point check.
            Couplings::Interaction { .. } => {
                self.couplings.fields(self.n, self.p) + 3 * self.n * self.p
            }
            Couplings::Continuous => self.couplings.fields(self.n, self.p),
            _ => self.couplings.fields(self.n, self.p),
        };
        3 * fields + 2 * dots(self.n, self.p) + 20 * self.n + 10_000
    }
}

/// `work` in words: `3.2e9`.
pub fn show(work: u64) -> String {
    if work < 10_000 {
        return work.to_string();
    }
    let exponent = (work as f64).log10().floor() as i32;
    let mantissa = work as f64 / 10f64.powi(exponent);
    format!("{mantissa:.1}e{exponent}")
}

#[cfg(test)]
mod tests {
    use super::*;
    use hopfield::rule::Perceptron;

    #[test]
    fn dearer_requests_cost_more() {
        let n = 1024;
        assert!(training(&Rule::storkey(), n, 8) > training(&Rule::hebb(), n, 8));
        assert!(training(&Rule::storkey(), n, 16) > training(&Rule::storkey(), n, 8));
        assert!(
            training(&Perceptron::default().max_epochs(10).into(), n, 8)
                > training(&Perceptron::default().max_epochs(5).into(), n, 8)
        );
        let run = |dynamics, hot, couplings| Run {
            couplings,
            dynamics,
            hot,
            n,
            p: 8,
            states: None,
        };
        for couplings in [Couplings::Factored, Couplings::Dense] {
            for dynamics in [
                Dynamics::Synchronous,
                Dynamics::Asynchronous,
                Dynamics::Sweep,
            ] {
                assert!(
                    run(dynamics, true, couplings).step() > run(dynamics, false, couplings).step()
                );
            }
            // A sweep updates every neuron: it costs more than one asynchronous update.
            assert!(
                run(Dynamics::Sweep, false, couplings).step()
                    > 100 * run(Dynamics::Asynchronous, false, couplings).step() / n
            );
        }
        // At T > 0 an asynchronous step of a dense network forms its N² energy.
        assert!(run(Dynamics::Asynchronous, true, Couplings::Dense).step() > n * n);
    }

    #[test]
    fn the_largest_sizes_do_not_overflow() {
        let (n, p) = (65_536, 1024);
        let all = [
            Rule::hebb(),
            Rule::storkey(),
            Rule::pseudo_inverse(),
            Perceptron::default().max_epochs(usize::MAX).into(),
            Rule::covariance(),
        ];
        for rule in all {
            assert!(training(&rule, n, p) > 0);
        }
        assert_eq!(show(2_000_000_000), "2.0e9");
        assert_eq!(show(31_000_000_000), "3.1e10");
        assert_eq!(show(512), "512");
    }
}
