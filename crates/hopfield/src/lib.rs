//! Hopfield networks and associative memory.
//!
//! Store patterns in couplings with a learning [`Rule`], corrupt one into a cue with
//! [`noise`], and let the [`dynamics`] recall it; [`measure`] the overlap, the Hamming
//! error and the energy on the way.
//!
//! ```
//! use hopfield::prelude::*;
//!
//! // Five random patterns of 200 neurons, stored with Hebb's rule.
//! let mut rng = random::seeded(7);
//! let patterns = generate::random_patterns(5, 200, 0.5, &mut rng)?;
//! let net = Network::from_patterns(&patterns, &Rule::hebb())?;
//!
//! // Flip 20% of the first pattern and let asynchronous sweeps repair it.
//! let xi = patterns.get(0).unwrap();
//! let cue = noise::flip_fraction(xi, 0.2, &mut rng)?;
//! let result = net.recall(&cue, &RecallOptions::new(Dynamics::Sweep), &mut rng)?;
//! assert_eq!(result.outcome, Outcome::Recalled { pattern: 0 });
//! assert_eq!(result.state, xi);
//! assert!(result.energy < net.energy(&cue)?);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Conventions: states are bipolar `±1` (`+1` = on) unless a network is built with
//! [`Activation::Binary`]; binary 0/1 data converts with S = 2V − 1 ([`pattern`]). Every
//! random operation takes the caller's generator ([`random::seeded`] gives one from a
//! seed), so a seed reproduces a result on any machine and with any number of threads.
//! Errors are values of [`Error`]; the library does not panic on user data.
//!
//! Beyond Hebb's rule and deterministic dynamics: [`Rule`] also ships Storkey's rule, the
//! pseudo-inverse rule, perceptron learning to a margin and the covariance rule for sparse
//! patterns (each variant of [`Rule`] gives its formula, reference and use); a [`Dilution`]
//! cuts connections at random; [`RecallOptions::temperature`] runs Glauber dynamics; and
//! [`modern`] holds Krotov and Hopfield's dense associative memory, the exponential model
//! and the continuous modern Hopfield network.
//!
//! Coming from the course page's numpy cells? [`course`] maps each cell to the calls that
//! do it.
//!
//! # Layers
//!
//! The modules stack in layers; a module imports only from the lines below its own, so
//! there are no circles, and a new model or dynamics plugs in at its line:
//!
//! ```text
//! experiment  modern              sweeps (capacity, basins, attractors); models beyond 1982
//! network     noise               the classical network: weights, rule, threshold; cues
//! dynamics    rule      generate  the one update engine; Hebb, Storkey, …; generators
//! outcome                         how a run ended: a pattern, a mixture, a cycle
//! measure     weights             overlap, energy; couplings in every representation
//! pattern                         patterns, kept as bits
//! kernel                          scalar, AVX2 and AVX-512 kernels
//! neuron                          tie, threshold, activation, the decision
//! random  simd  cancel  guard
//! error   parallel
//! ```
//!
//! [`dynamics`] holds the one loop (synchronous, asynchronous, sweeps, sequential; T = 0
//! and Glauber; stopping rules, exact cycle detection, recording). Every model —
//! [`Network`], [`modern::DenseMemory`], [`modern::ContinuousMemory`] — implements
//! [`Dynamical`] (its local fields, a set of flips, its energy) and gets
//! [`AssociativeMemory::recall`] and [`AssociativeMemory::recall_batch`] from it.
//!
//! # Features
//!
//! `serde` (serialisation of rules, options, results and experiments) and `rayon` (batches,
//! sweeps and large matrices spread over threads) are on by default; without them the crate
//! builds lean and gives the same results on one thread.

#![deny(missing_docs)]
#![deny(missing_debug_implementations)]
#![doc(test(attr(deny(warnings))))]

/// Builder methods: one per field, documented by the doc comments written before it, each
/// taking and returning the value, so that options and configurations can grow without
/// breaking callers.
macro_rules! setters {
    ($t:ty { $($(#[$doc:meta])* $field:ident: $ty:ty),* $(,)? }) => {
        impl $t {
            $(
                $(#[$doc])*
                #[must_use]
                pub fn $field(mut self, $field: $ty) -> Self {
                    self.$field = $field;
                    self
                }
            )*
        }
    };
}

/// Gives a fieldless enum its names: `name()`, `Display` by that name, and `FromStr`, which
/// matches the input as `fold` leaves it against each name and its aliases, and refuses
/// anything else with the error given, by default as parameter `param` listing the names.
macro_rules! names {
    ($ty:ident, |$s:ident| $fold:expr, $refused:expr,
     { $($variant:ident => $name:literal $(| $alias:literal)*),+ $(,)? }) => {
        impl $ty {
            /// The name, as parsed and displayed.
            pub fn name(self) -> &'static str {
                match self {
                    $($ty::$variant => $name,)+
                }
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.name())
            }
        }

        impl std::str::FromStr for $ty {
            type Err = crate::Error;
            fn from_str($s: &str) -> crate::Result<Self> {
                match $fold {
                    $($name $(| $alias)* => Ok($ty::$variant),)+
                    _ => Err($refused),
                }
            }
        }
    };
    ($ty:ident, $param:literal, |$s:ident| $fold:expr,
     { $($variant:ident => $name:literal $(| $alias:literal)*),+ $(,)? }) => {
        names!($ty, |$s| $fold, crate::Error::parameter(
            $param,
            $s,
            format!("expected one of: {}", [$($name),+].join(", ")),
        ), { $($variant => $name $(| $alias)*),+ });
    };
}

mod cancel;
pub mod course;
pub mod dynamics;
mod error;
pub mod experiment;

pub mod generate;
pub mod guard;
mod kernel;
pub mod measure;
pub mod modern;
mod network;
pub mod neuron;
pub mod noise;
mod outcome;
mod parallel;
pub mod pattern;
pub mod prelude;
pub mod random;
pub mod rule;
pub mod simd;
mod weights;

/// The README's Rust examples, compiled and run as documentation tests.
#[cfg(doctest)]
#[doc = include_str!("../../../README.md")]
pub struct ReadmeExamples;

pub use cancel::Cancel;
pub use dynamics::{
    AssociativeMemory, Dynamical, Dynamics, Recall, RecallOptions, Record, Trajectory,
};
pub use error::{Bytes, EXCERPT_CHARS, Error, Result, escape_controls, excerpt};
pub use network::Network;
pub use neuron::{Activation, Threshold, Tie};
pub use outcome::Outcome;
pub use pattern::{Encoding, Patterns, Shape};
pub use rule::{LearningRule, Normalization, Rule, Training};
pub use weights::{DenseMatrix, Dilution, Representation, Storage, Weights};
