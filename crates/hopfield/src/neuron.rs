//! One neuron: the values it takes, the threshold its field must exceed, and how it
//! decides — by the sign of its drive at temperature 0, or by the heat bath above.

use rand::Rng;
#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::error::{Result, check_finite, check_length};
use crate::random;

/// The value a neuron takes when its field equals its threshold exactly.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Tie {
    /// +1 (`np.where(x >= 0, 1, -1)`).
    #[default]
    Plus,
    /// −1, or 0 for binary neurons (`np.where(x > 0, 1, -1)`, most of the page's cells).
    Minus,
    /// The neuron keeps its value (an unknown 0 in a bipolar cue becomes +1).
    Keep,
}

names!(Tie, "tie", |s| s, {
    Plus => "plus" | "+",
    Minus => "minus" | "-",
    Keep => "keep",
});

/// The threshold `θ` a neuron's field must exceed: one value for all, or one per neuron.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum Threshold {
    /// The same `θ` for every neuron.
    Uniform(f64),
    /// `θ_i` for neuron `i`.
    PerNeuron(Vec<f64>),
}

impl Default for Threshold {
    fn default() -> Self {
        Threshold::Uniform(0.0)
    }
}

impl Threshold {
    /// `θ_i`.
    #[inline]
    pub fn at(&self, i: usize) -> f64 {
        match self {
            Threshold::Uniform(t) => *t,
            Threshold::PerNeuron(v) => v[i],
        }
    }

    /// Whether every neuron's threshold is 0.
    pub fn is_zero(&self) -> bool {
        matches!(self, Threshold::Uniform(t) if *t == 0.0)
    }

    /// Checks length and finiteness for a network of `n` neurons.
    pub fn check(&self, n: usize) -> Result<()> {
        let values: &[f64] = match self {
            Threshold::Uniform(t) => std::slice::from_ref(t),
            Threshold::PerNeuron(v) => {
                check_length("threshold", n, v.len())?;
                v
            }
        };
        check_finite(values, |k| ("threshold".into(), k))
    }

    /// `Σ_i θ_i S_i`.
    pub fn dot(&self, state: &[i8]) -> f64 {
        match self {
            // The integer sum is exact, as a sum of small integers in f64 is.
            Threshold::Uniform(t) => t * state.iter().map(|&s| i64::from(s)).sum::<i64>() as f64,
            Threshold::PerNeuron(v) => v.iter().zip(state).map(|(t, &s)| t * f64::from(s)).sum(),
        }
    }
}

/// The values a neuron takes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Activation {
    /// `S_i ∈ {−1, +1}` (the usual Hopfield convention).
    #[default]
    Bipolar,
    /// `V_i ∈ {0, 1}`, as the course page's first cell.
    Binary,
}

impl Activation {
    /// The (on, off) values.
    #[inline]
    pub fn levels(self) -> (i8, i8) {
        match self {
            Activation::Bipolar => (1, -1),
            Activation::Binary => (1, 0),
        }
    }

    /// The energy gained by turning a neuron from off to on, per unit of its drive
    /// `h_i − θ_i`: 2 for ±1 neurons (`ΔS = 2`), 1 for 0/1 neurons.
    #[inline]
    pub fn energy_per_drive(self) -> f64 {
        match self {
            Activation::Bipolar => 2.0,
            Activation::Binary => 1.0,
        }
    }
}

/// The new value of a neuron whose drive (field minus threshold) is `x`: on for `x > 0`, off
/// for `x < 0`, the tie rule for `x = 0`. The drive is an `f64`, or the integer field itself
/// where the threshold is 0 and the scale positive (the same signs, without conversions).
#[inline]
pub(crate) fn decide<X: PartialOrd + Default>(
    x: X,
    current: i8,
    tie: Tie,
    (on, off): (i8, i8),
) -> i8 {
    let tied = match tie {
        Tie::Plus => on,
        Tie::Minus => off,
        Tie::Keep if current == on || current == off => current,
        Tie::Keep => on,
    };
    // Selections rather than branches: the sign of the drive follows the patterns, which
    // no branch predictor can guess.
    let zero = X::default();
    let below = std::hint::select_unpredictable(x < zero, off, tied);
    std::hint::select_unpredictable(x > zero, on, below)
}

/// The heat-bath (Glauber) value of a neuron whose energy is lower on than off by `gap`,
/// at inverse temperature `beta`: on with probability `1 / (1 + e^{−β·gap})`.
///
/// Draws one uniform number, except when the probability rounds to 0 or 1 in `f64` (a gap
/// far above the temperature): the value is then certain and nothing is drawn, so a run at
/// a tiny temperature without ties follows the deterministic one draw for draw. `libm`'s
/// exponential keeps the draws the same on every platform.
#[inline]
pub(crate) fn heat_bath<R: Rng + ?Sized>(
    gap: f64,
    beta: f64,
    (on, off): (i8, i8),
    rng: &mut R,
) -> i8 {
    let (favoured, other) = if gap >= 0.0 { (on, off) } else { (off, on) };
    // The probability of the favoured value, 1 / (1 + e^{−β |gap|}) ≥ ½.
    let p = 1.0 / (1.0 + libm::exp(-beta * gap.abs()));
    if p >= 1.0 || random::unit(rng) < p {
        favoured
    } else {
        other
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ties_follow_the_rule() {
        let b = (1, -1);
        assert_eq!(decide(0.0, -1, Tie::Plus, b), 1);
        assert_eq!(decide(0.0, 1, Tie::Minus, b), -1);
        assert_eq!(decide(0.0, -1, Tie::Keep, b), -1);
        assert_eq!(decide(0.0, 0, Tie::Keep, b), 1);
        assert_eq!(decide(0.0, 0, Tie::Keep, (1, 0)), 0);
        assert_eq!(decide(0.0, 1, Tie::Minus, (1, 0)), 0);
        assert_eq!(decide(-0.5, 1, Tie::Plus, b), -1);
    }

    #[test]
    fn integer_drives_decide_as_their_values_do() {
        for levels in [(1, -1), (1, 0)] {
            for tie in [Tie::Plus, Tie::Minus, Tie::Keep] {
                for current in [-1, 0, 1] {
                    for h in [i64::MIN, -7, -1, 0, 1, 7, i64::MAX] {
                        assert_eq!(
                            decide(h, current, tie, levels),
                            decide(h as f64, current, tie, levels),
                            "h = {h}, {tie:?}, current {current}, levels {levels:?}"
                        );
                    }
                }
            }
        }
    }
}
