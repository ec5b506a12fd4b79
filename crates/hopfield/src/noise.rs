//! Corrupting patterns into cues: flips, the page's additive noise, masks and mixtures.
//!
//! ```
//! use hopfield::{noise, random};
//! let xi = vec![1i8; 100];
//! let cue = noise::flip_fraction(&xi, 0.2, &mut random::seeded(1))?;
//! assert_eq!(cue.iter().filter(|&&s| s == -1).count(), 20);
//! let half = noise::mask(&xi, &"second-half".parse()?, None)?;
//! assert_eq!(&half[50..], &[0i8; 50][..]);
//! # Ok::<(), hopfield::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;

use rand::Rng;
#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, check_length};
use crate::generate::check_probability;
use crate::pattern::{self, Shape};
use crate::random;

/// Flips exactly `k` distinct neurons (chosen uniformly); `k` may not exceed `N`.
pub fn flip<R: Rng + ?Sized>(state: &[i8], k: usize, rng: &mut R) -> Result<Vec<i8>> {
    if k > state.len() {
        return Err(Error::parameter(
            "flips",
            k,
            format!("cannot flip more than the {} neurons", state.len()),
        ));
    }
    let mut out = state.to_vec();
    for i in random::sample(rng, state.len(), k) {
        out[i] = -out[i];
    }
    Ok(out)
}

/// Flips exactly `⌊fraction · N⌋` distinct neurons, as the page's `noisy_bipolar`.
pub fn flip_fraction<R: Rng + ?Sized>(state: &[i8], fraction: f64, rng: &mut R) -> Result<Vec<i8>> {
    check_probability("noise", fraction)?;
    flip(state, (fraction * state.len() as f64).floor() as usize, rng)
}

/// Flips each neuron independently with probability `p` (a binomial number of flips).
pub fn flip_each<R: Rng + ?Sized>(state: &[i8], p: f64, rng: &mut R) -> Result<Vec<i8>> {
    check_probability("noise", p)?;
    // `random::chance` as a comparison of integers: a flip is unpredictable, a select
    // costs nothing.
    let threshold = random::chance_threshold(p);
    Ok(state
        .iter()
        .map(|&s| {
            let flip = i8::from((rng.next_u64() >> 11) < threshold);
            s * (1 - 2 * flip)
        })
        .collect())
}

/// The page's additive noise: each value plus a random ±1.
///
/// On a ±1 pattern the result holds −2, 0 and 2; on the page's 0/1 images, −1 to 2. The
/// first update of a recall turns such a cue into a ±1 state.
pub fn add_noise<R: Rng + ?Sized>(values: &[i8], rng: &mut R) -> Vec<i8> {
    values
        .iter()
        .map(|&v| v.saturating_add(random::sign(rng)))
        .collect()
}

/// What the page's additive noise is added to: the ±1 state itself, or its 0/1 image.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum AddTo {
    /// The 0/1 image `V = (S + 1)/2` of the state, as the course page's image cells add
    /// it (`csi_BC + np.random.choice([-1, 1])`): the cue holds −1 to 2.
    Binary,
    /// The ±1 state itself: the cue holds −2, 0 and 2.
    Bipolar,
}

impl AddTo {
    /// The names accepted by [`AddTo::from_str`], for help texts.
    pub const NAMES: &'static str = "binary (the 0/1 image, as the page), bipolar (the ±1 state)";
}

names!(AddTo, |s| s, Error::parameter("add-noise", s, format!("expected {}", AddTo::NAMES)), {
    Binary => "binary" | "01",
    Bipolar => "bipolar" | "pm1" | "±1",
});

/// The page's additive noise on `state` ([`AddTo::Bipolar`]) or on its 0/1 image
/// `V = (S + 1)/2` ([`AddTo::Binary`]).
///
/// `add_noise_to(&s, AddTo::Binary, rng)` is the page's `csi + np.random.choice([-1, 1],
/// size=N)` for the 0/1 image `csi` of `s`, and draws what [`add_noise`] draws. A state
/// with a value other than ±1 (an unknown 0, or noise already added) has no 0/1 image and
/// is refused for [`AddTo::Binary`], naming the first such neuron: mask after the noise.
pub fn add_noise_to<R: Rng + ?Sized>(state: &[i8], to: AddTo, rng: &mut R) -> Result<Vec<i8>> {
    if to == AddTo::Bipolar {
        return Ok(add_noise(state, rng));
    }
    crate::error::check_values(
        "state to turn into 0/1",
        state,
        "±1 (an unknown or noisy value has no 0/1 image; mask after, not before)",
        |s| s.abs() == 1,
    )?;
    let binary: Vec<i8> = pattern::to_binary(state)
        .into_iter()
        .map(|v| v as i8)
        .collect();
    Ok(add_noise(&binary, rng))
}

/// Takes the first `⌊fraction · N⌋` neurons from `a` and the rest from `b`, as the page's
/// "3/4 of ξ¹, 1/4 of ξ²" start.
pub fn mix(a: &[i8], b: &[i8], fraction: f64) -> Result<Vec<i8>> {
    check_probability("fraction", fraction)?;
    check_length("second pattern", a.len(), b.len())?;
    let k = (fraction * a.len() as f64).floor() as usize;
    Ok(a[..k].iter().chain(&b[k..]).copied().collect())
}

/// A set of neurons to zero ("unknown") in a cue.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
#[non_exhaustive]
pub enum Region {
    /// The first half of the neurons in storage order (the top half of an image).
    FirstHalf,
    /// The second half in storage order (the bottom half of an image), as the page's
    /// `S[5000::] = 0`.
    SecondHalf,
    /// The left half of the columns of a 2-D pattern.
    LeftHalf,
    /// The right half of the columns of a 2-D pattern.
    RightHalf,
    /// Neurons `start..end` in storage order.
    Range {
        /// First neuron masked.
        start: usize,
        /// One past the last neuron masked.
        end: usize,
    },
    /// A rectangle of a 2-D pattern.
    Rect {
        /// Top row.
        top: usize,
        /// Left column.
        left: usize,
        /// Rows masked.
        rows: usize,
        /// Columns masked.
        cols: usize,
    },
}

impl Region {
    /// The names accepted by [`Region::from_str`], for help texts.
    pub const SYNTAX: &'static str = "first-half, second-half, top-half, bottom-half, left-half, \
                                      right-half, range:A..B, rect:TOP,LEFT,HxW";

    /// The neurons of a pattern of `n` neurons (and `shape`, when 2-D) in this region.
    pub fn indices(&self, n: usize, shape: Option<Shape>) -> Result<Vec<usize>> {
        let refused = |reason: String| Error::parameter("mask", self, reason);
        let need_shape =
            || refused("this region needs a 2-D pattern; give the size (e.g. --size 10x10)".into());
        if let Some(s) = shape {
            s.check("the pattern", n)?;
        }
        let v: Vec<usize> = match *self {
            Region::FirstHalf => (0..n / 2).collect(),
            Region::SecondHalf => (n / 2..n).collect(),
            Region::LeftHalf | Region::RightHalf => {
                let s = shape.ok_or_else(need_shape)?;
                let half = s.cols / 2;
                let left = matches!(self, Region::LeftHalf);
                (0..n).filter(|i| (i % s.cols < half) == left).collect()
            }
            Region::Range { start, end } => {
                if start > end || end > n {
                    return Err(refused(format!("the range must lie within 0..{n}")));
                }
                (start..end).collect()
            }
            Region::Rect {
                top,
                left,
                rows,
                cols,
            } => {
                let s = shape.ok_or_else(need_shape)?;
                if top + rows > s.rows || left + cols > s.cols {
                    return Err(refused(format!(
                        "the rectangle must lie within the {s} grid"
                    )));
                }
                (top..top + rows)
                    .flat_map(|r| (left..left + cols).map(move |c| r * s.cols + c))
                    .collect()
            }
        };
        Ok(v)
    }
}

impl fmt::Display for Region {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Region::FirstHalf => f.write_str("first-half"),
            Region::SecondHalf => f.write_str("second-half"),
            Region::LeftHalf => f.write_str("left-half"),
            Region::RightHalf => f.write_str("right-half"),
            Region::Range { start, end } => write!(f, "range:{start}..{end}"),
            Region::Rect {
                top,
                left,
                rows,
                cols,
            } => write!(f, "rect:{top},{left},{rows}x{cols}"),
        }
    }
}

impl FromStr for Region {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::parameter("mask", s, format!("expected one of: {}", Region::SYNTAX));
        let num = |t: &str| t.trim().parse::<usize>().map_err(|_| bad());
        let r = match s {
            "first-half" | "top-half" => Region::FirstHalf,
            "second-half" | "bottom-half" => Region::SecondHalf,
            "left-half" => Region::LeftHalf,
            "right-half" => Region::RightHalf,
            _ => {
                if let Some(range) = s.strip_prefix("range:") {
                    let (a, b) = range.split_once("..").ok_or_else(bad)?;
                    Region::Range {
                        start: num(a)?,
                        end: num(b)?,
                    }
                } else if let Some(rect) = s.strip_prefix("rect:") {
                    let parts: Vec<&str> = rect.split(',').collect();
                    let [top, left, size] = parts.as_slice() else {
                        return Err(bad());
                    };
                    let size: Shape = size.parse().map_err(|_| bad())?;
                    Region::Rect {
                        top: num(top)?,
                        left: num(left)?,
                        rows: size.rows,
                        cols: size.cols,
                    }
                } else {
                    return Err(bad());
                }
            }
        };
        Ok(r)
    }
}

/// Sets the neurons of `region` to 0 ("unknown").
pub fn mask(state: &[i8], region: &Region, shape: Option<Shape>) -> Result<Vec<i8>> {
    let mut out = state.to_vec();
    for i in region.indices(state.len(), shape)? {
        out[i] = 0;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flips_are_exact_and_seeded() {
        let xi: Vec<i8> = (0..100).map(|i| if i % 3 == 0 { 1 } else { -1 }).collect();
        let a = flip(&xi, 13, &mut random::seeded(4)).unwrap();
        let b = flip(&xi, 13, &mut random::seeded(4)).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.iter().zip(&xi).filter(|(x, y)| x != y).count(), 13);
        assert!(flip(&xi, 101, &mut random::seeded(4)).is_err());
        let f = flip_fraction(&xi, 0.25, &mut random::seeded(1)).unwrap();
        assert_eq!(f.iter().zip(&xi).filter(|(x, y)| x != y).count(), 25);
        assert!(flip_fraction(&xi, 1.5, &mut random::seeded(1)).is_err());
        let e = flip_each(&vec![1; 10_000], 0.1, &mut random::seeded(2)).unwrap();
        let k = e.iter().filter(|&&s| s == -1).count();
        assert!((900..=1100).contains(&k), "{k}");
        // Exactly one `random::chance` per neuron, for any probability and value.
        let values: Vec<i8> = (0..5000).map(|i| (i % 5) as i8 - 2).collect();
        for p in [0.0, 1e-300, 0.1, 0.5, 0.999_999, 1.0] {
            let mut rng = random::seeded(9);
            let expected: Vec<i8> = values
                .iter()
                .map(|&s| if random::chance(&mut rng, p) { -s } else { s })
                .collect();
            assert_eq!(
                flip_each(&values, p, &mut random::seeded(9)).unwrap(),
                expected
            );
        }
    }

    #[test]
    fn additive_noise_as_on_the_page() {
        let binary = vec![0i8, 1, 0, 1, 1, 0];
        let n = add_noise(&binary, &mut random::seeded(3));
        for (v, b) in n.iter().zip(&binary) {
            assert!((v - b).abs() == 1);
            assert!((-1..=2).contains(v));
        }
    }

    #[test]
    fn additive_noise_on_the_zero_one_image_or_the_state() {
        let s = vec![1i8, -1, -1, 1, 1, -1];
        let binary = add_noise_to(&s, AddTo::Binary, &mut random::seeded(3)).unwrap();
        assert_eq!(
            binary,
            add_noise(&[1, 0, 0, 1, 1, 0], &mut random::seeded(3)),
            "the same draws as add_noise on the 0/1 image"
        );
        let bipolar = add_noise_to(&s, AddTo::Bipolar, &mut random::seeded(3)).unwrap();
        assert_eq!(bipolar, add_noise(&s, &mut random::seeded(3)));
        assert!(bipolar.iter().all(|v| [-2, 0, 2].contains(v)));
        let e = add_noise_to(&[1, 0, -1], AddTo::Binary, &mut random::seeded(3)).unwrap_err();
        assert_eq!(
            e.to_string(),
            "state to turn into 0/1, neuron 1: value 0 is not ±1 (an unknown or noisy value \
             has no 0/1 image; mask after, not before)"
        );
        assert_eq!("binary".parse::<AddTo>().unwrap(), AddTo::Binary);
        assert_eq!("bipolar".parse::<AddTo>().unwrap().to_string(), "bipolar");
        assert!("both".parse::<AddTo>().is_err());
    }

    #[test]
    fn masks_and_mixes() {
        let s = Shape::new(4, 4);
        let xi = vec![1i8; 16];
        let m = mask(&xi, &Region::SecondHalf, None).unwrap();
        assert_eq!(m.iter().filter(|&&v| v == 0).count(), 8);
        assert_eq!(m[7..9], [1, 0]);
        let l = mask(&xi, &"left-half".parse().unwrap(), Some(s)).unwrap();
        assert_eq!(l[0..4], [0, 0, 1, 1]);
        let r = mask(&xi, &"rect:1,1,2x2".parse().unwrap(), Some(s)).unwrap();
        assert_eq!(r.iter().filter(|&&v| v == 0).count(), 4);
        assert_eq!(r[5], 0);
        assert!(mask(&xi, &Region::LeftHalf, None).is_err());
        assert!(mask(&xi, &"rect:3,3,2x2".parse().unwrap(), Some(s)).is_err());
        assert!(mask(&xi, &"range:10..20".parse().unwrap(), None).is_err());
        assert!("middle".parse::<Region>().is_err());
        let a = vec![1i8; 8];
        let b = vec![-1i8; 8];
        assert_eq!(mix(&a, &b, 0.75).unwrap(), [1, 1, 1, 1, 1, 1, -1, -1]);
        assert!(mix(&a, &b[..4], 0.5).is_err());
    }
}
