//! Dense associative memories: ±1 patterns and an interaction function sharper than the
//! classical quadratic one (Krotov & Hopfield 2016; Demircigil et al. 2017).

use std::fmt;
use std::sync::OnceLock;

use rand::Rng;
#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use super::{check_beta, log_sum_exp, powi};
use crate::dynamics::{self, AssociativeMemory, Dynamical, Recall, RecallOptions, Run};
use crate::error::{Result, check_length, check_values, require};
use crate::measure;
use crate::neuron::Tie;
use crate::pattern::Patterns;

/// The interaction function `F` of a dense associative memory, `E = −Σ_μ F(ξ^μ · S)`.
#[derive(Debug, Clone, Copy, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(
    feature = "serde",
    serde(tag = "interaction", rename_all = "kebab-case")
)]
pub enum Interaction {
    /// `F(x) = xⁿ`, `n ≥ 2` (Krotov & Hopfield 2016). Even and odd degrees alike; `n = 2` is
    /// the classical network.
    Polynomial {
        /// The degree `n` (2 to 1000).
        degree: u32,
    },
    /// `F(x) = max(x, 0)ⁿ`, `n ≥ 2` (Krotov & Hopfield 2016): only patterns that agree with
    /// the state more than they disagree pull on it, so reversed patterns are not attractors.
    Rectified {
        /// The degree `n` (2 to 1000).
        degree: u32,
    },
    /// `F(x) = exp(β x)` (Demircigil et al. 2017; `β = 1` in the paper), evaluated as a
    /// log-sum-exp so that it never overflows.
    Exponential {
        /// The inverse temperature `β > 0` scaling the overlaps.
        beta: f64,
    },
}

impl Interaction {
    /// Checks `2 ≤ n ≤ 1000` and `β` finite and positive.
    pub fn check(&self) -> Result<()> {
        match *self {
            Interaction::Polynomial { degree } | Interaction::Rectified { degree } => {
                let range =
                    "the interaction degree n must lie between 2 (the classical network) and 1000";
                require((2..=1000).contains(&degree), "degree", degree, range)
            }
            Interaction::Exponential { beta } => check_beta(beta),
        }
    }
}

impl fmt::Display for Interaction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Interaction::Polynomial { degree } => write!(f, "F(x) = x^{degree}"),
            Interaction::Rectified { degree } => write!(f, "F(x) = max(x, 0)^{degree}"),
            Interaction::Exponential { beta } => write!(f, "F(x) = exp({beta} x)"),
        }
    }
}

/// A dense associative memory: ±1 patterns and an interaction function.
///
/// The dynamics are those of [`crate::dynamics`] with the dense update rule: a neuron
/// takes the value that lowers the energy, `S_i ← sign Σ_μ [F(m_μ + ξ_i^μ) − F(m_μ − ξ_i^μ)]`
/// with `m_μ = Σ_{j≠i} ξ_j^μ S_j` ([`Tie`] decides a zero difference). The overlaps
/// `ξ^μ · S` are kept up to date, so an asynchronous update costs `O(P)` and a synchronous
/// step `O(N P)`. Runs are deterministic at temperature 0 only.
#[derive(Debug, Clone)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(try_from = "DenseMemoryFields"))]
pub struct DenseMemory {
    patterns: Patterns,
    interaction: Interaction,
    /// The patterns laid out for runs, on first use.
    #[cfg_attr(feature = "serde", serde(skip))]
    kernel: OnceLock<Kernel>,
}

impl PartialEq for DenseMemory {
    fn eq(&self, other: &DenseMemory) -> bool {
        self.patterns == other.patterns && self.interaction == other.interaction
    }
}

/// The serialised form of a [`DenseMemory`], checked on the way in.
#[cfg(feature = "serde")]
#[cfg_attr(feature = "serde", derive(Deserialize))]
struct DenseMemoryFields {
    patterns: Patterns,
    interaction: Interaction,
}

#[cfg(feature = "serde")]
impl TryFrom<DenseMemoryFields> for DenseMemory {
    type Error = crate::error::Error;
    fn try_from(f: DenseMemoryFields) -> Result<DenseMemory> {
        DenseMemory::new(f.patterns, f.interaction)
    }
}

impl DenseMemory {
    /// A memory of `patterns` with this interaction.
    pub fn new(patterns: Patterns, interaction: Interaction) -> Result<DenseMemory> {
        interaction.check()?;
        Ok(DenseMemory {
            patterns,
            interaction,
            kernel: OnceLock::new(),
        })
    }

    /// The stored patterns.
    pub fn patterns(&self) -> &Patterns {
        &self.patterns
    }

    /// The interaction function.
    pub fn interaction(&self) -> Interaction {
        self.interaction
    }

    /// The number of neurons, `N`.
    pub fn n(&self) -> usize {
        self.patterns.n()
    }

    fn kernel(&self) -> &Kernel {
        self.kernel
            .get_or_init(|| Kernel::new(&self.patterns, self.interaction))
    }

    /// The energy `E = −Σ_μ F(ξ^μ · S)`; for the exponential interaction it is reported as
    /// `−β⁻¹ ln Σ_μ exp(β ξ^μ·S)`, a monotone function of it that stays finite.
    pub fn energy(&self, state: &[i8]) -> Result<f64> {
        self.check_cue("state", state)?;
        Ok(self.kernel().energy(&measure::dots(&self.patterns, state)))
    }

    /// Whether no neuron of `state` would change under the update rule.
    pub fn is_fixed_point(&self, state: &[i8], tie: Tie) -> Result<bool> {
        self.check_cue("state", state)?;
        Ok(dynamics::is_fixed_point(self, state, tie))
    }
}

impl AssociativeMemory for DenseMemory {
    /// Values ±1, or 0 for unknown.
    fn check_cue(&self, item: &str, state: &[i8]) -> Result<()> {
        check_length(item, self.n(), state.len())?;
        check_values(item, state, "-1, 0 or 1", |s| (-1..=1).contains(&s))
    }

    fn check_options(&self, options: &RecallOptions) -> Result<()> {
        self.interaction.check()?;
        options.check_deterministic(self.n(), "dense associative memories run")
    }

    fn run<R: Rng + ?Sized>(&self, cue: &[i8], options: &RecallOptions, rng: &mut R) -> Recall {
        dynamics::run(self, cue, options, rng)
    }
}

impl Dynamical for DenseMemory {
    type Run<'a> = DenseRun<'a>;

    fn n(&self) -> usize {
        self.patterns.n()
    }

    fn start<'a>(&'a self, state: &[i8], _: &RecallOptions) -> DenseRun<'a> {
        DenseRun {
            kernel: self.kernel(),
            dots: measure::dots(&self.patterns, state),
        }
    }

    fn patterns(&self) -> Option<&Patterns> {
        Some(&self.patterns)
    }
}

/// A run of a [`DenseMemory`]: the overlaps `ξ^μ · S`, kept up to date.
#[derive(Debug)]
pub struct DenseRun<'a> {
    kernel: &'a Kernel,
    dots: Vec<i64>,
}

impl Run for DenseRun<'_> {
    fn drive(&mut self, state: &[i8], i: usize) -> f64 {
        self.kernel.drive(&self.dots, state[i], i)
    }

    fn changed(&mut self, _state: &[i8], i: usize, delta: i64) {
        self.kernel.track(&mut self.dots, i, delta);
    }

    fn moved(&mut self, _state: &[i8], changes: &[(usize, i64)]) {
        for &(i, delta) in changes {
            self.kernel.track(&mut self.dots, i, delta);
        }
    }

    fn energy(&mut self, _state: &[i8]) -> f64 {
        self.kernel.energy(&self.dots)
    }

    fn dots(&mut self, _state: &[i8]) -> Vec<i64> {
        self.dots.clone()
    }
}

/// A memory prepared for runs: the patterns by neuron, and the scale of the overlaps.
#[derive(Debug, Clone)]
struct Kernel {
    interaction: Interaction,
    p: usize,
    /// `ξ_i^μ` at `i · P + μ`.
    columns: Vec<i8>,
    /// Overlaps are multiplied by this before `F`: 1 while `N^n · P` is exact in `f64`,
    /// `1/N` otherwise (the sign of a difference does not change).
    scale: f64,
}

impl Kernel {
    fn new(patterns: &Patterns, interaction: Interaction) -> Kernel {
        let (n, p) = (patterns.n(), patterns.len());
        let flat = patterns.as_flat();
        let mut columns = vec![0i8; n * p];
        for (mu, xi) in flat.chunks_exact(n).enumerate() {
            for (i, &x) in xi.iter().enumerate() {
                columns[i * p + mu] = x;
            }
        }
        let scale = match interaction {
            Interaction::Polynomial { degree } | Interaction::Rectified { degree }
                if libm::pow(n as f64, f64::from(degree)) * p as f64 >= 9_007_199_254_740_992.0 =>
            {
                1.0 / n as f64
            }
            _ => 1.0,
        };
        Kernel {
            interaction,
            p,
            columns,
            scale,
        }
    }

    fn column(&self, i: usize) -> &[i8] {
        let p = self.p;
        &self.columns[i * p..(i + 1) * p]
    }

    /// A value whose sign is that of `Σ_μ [F(m_μ + ξ_i^μ) − F(m_μ − ξ_i^μ)]`.
    fn drive(&self, dots: &[i64], s_i: i8, i: usize) -> f64 {
        let xi = self.column(i);
        let s = self.scale;
        let terms = dots.iter().zip(xi).map(|(&d, &x)| {
            let m = (d - i64::from(x) * i64::from(s_i)) as f64;
            let x = f64::from(x);
            (m + x, m - x)
        });
        match self.interaction {
            Interaction::Polynomial { degree: n } => {
                terms.map(|(a, b)| powi(a * s, n) - powi(b * s, n)).sum()
            }
            Interaction::Rectified { degree: n } => {
                let f = |x: f64| powi((x * s).max(0.0), n);
                terms.map(|(a, b)| f(a) - f(b)).sum()
            }
            Interaction::Exponential { beta } => {
                let up = log_sum_exp(terms.clone().map(|(a, _)| beta * a));
                let down = log_sum_exp(terms.map(|(_, b)| beta * b));
                up - down
            }
        }
    }

    fn energy(&self, dots: &[i64]) -> f64 {
        let x = dots.iter().map(|&d| d as f64);
        match self.interaction {
            Interaction::Polynomial { degree } => -x.map(|x| powi(x, degree)).sum::<f64>(),
            Interaction::Rectified { degree } => -x.map(|x| powi(x.max(0.0), degree)).sum::<f64>(),
            Interaction::Exponential { beta } => -log_sum_exp(x.map(|x| beta * x)) / beta,
        }
    }

    /// Neuron `i` changes by `delta`: the overlaps follow.
    fn track(&self, dots: &mut [i64], i: usize, delta: i64) {
        for (d, &x) in dots.iter_mut().zip(self.column(i)) {
            *d += delta * i64::from(x);
        }
    }
}
