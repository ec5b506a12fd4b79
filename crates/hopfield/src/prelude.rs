//! What most programs use, in one import: `use hopfield::prelude::*;`.
//!
//! The types of a recall (network, patterns, options, outcome), the traits whose methods
//! they call ([`AssociativeMemory::recall`], [`LearningRule`]), and the modules of
//! generators, noise, measures and seeded randomness.

pub use crate::dynamics::{AssociativeMemory, Dynamics, Recall, RecallOptions, Record};
pub use crate::neuron::{Activation, Threshold, Tie};
pub use crate::rule::{LearningRule, Normalization, Rule};
pub use crate::{Error, Network, Outcome, Patterns, Representation, Result, Shape};
pub use crate::{generate, measure, noise, random};
