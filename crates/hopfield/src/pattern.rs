//! Patterns, states and the conversion between binary 0/1 and bipolar ±1 values.
//!
//! Bipolar ±1 is the internal convention: a neuron is `+1` (on, drawn dark) or `−1` (off).
//! Binary 0/1 values, as on the course page, convert with S = 2V − 1 and back with
//! V = (S + 1) / 2. A *cue* (the state a recall starts from) may also hold `0` for
//! "unknown", and the page's additive noise produces values from −2 to 2 before the first
//! update; states after an update are always ±1 (or 0/1 in a binary network).

use std::fmt;
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, check_length, check_values, require};
use crate::kernel::bits::BitMatrix;

/// A 2-D display shape: `rows × cols` neurons, stored row-major.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Shape {
    /// Number of rows (height).
    pub rows: usize,
    /// Number of columns (width).
    pub cols: usize,
}

impl Shape {
    /// A shape of `rows × cols`.
    pub fn new(rows: usize, cols: usize) -> Self {
        Shape { rows, cols }
    }

    /// A shape of `rows × cols`, refused when it holds no neuron or when `rows · cols`
    /// does not fit in a machine word.
    pub fn try_new(rows: usize, cols: usize) -> Result<Self> {
        let shape = Shape { rows, cols };
        require(rows > 0 && cols > 0, "size", shape, SIZE_SYNTAX)?;
        let most = usize::MAX;
        let reason =
            format!("{rows} x {cols} neurons is more than the {most} a machine can address");
        require(rows.checked_mul(cols).is_some(), "size", shape, reason)?;
        Ok(shape)
    }

    /// The number of neurons, `rows · cols`; saturating, so that a shape too large to
    /// address never matches a real number of neurons.
    pub fn len(&self) -> usize {
        self.rows.saturating_mul(self.cols)
    }

    /// Whether the shape holds no neurons.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Checks that the shape holds exactly `n` neurons.
    pub fn check(&self, what: &str, n: usize) -> Result<()> {
        if self.len() != n {
            return Err(Error::Shape {
                what: what.to_string(),
                rows: self.rows,
                cols: self.cols,
                n,
            });
        }
        Ok(())
    }
}

/// What a size must look like, as the errors about one say.
const SIZE_SYNTAX: &str = "expected HxW with positive integers, e.g. 5x5 or 100x100";

impl fmt::Display for Shape {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}x{}", self.rows, self.cols)
    }
}

impl FromStr for Shape {
    type Err = Error;

    /// Parses `HxW` (also `H×W` or `H,W`), e.g. `100x100`; a single number `N` means `NxN`.
    fn from_str(s: &str) -> Result<Self> {
        let bad = || Error::parameter("size", crate::error::excerpt(s), SIZE_SYNTAX);
        let parts: Vec<&str> = s.split(['x', 'X', '×', ',']).map(str::trim).collect();
        let nums: Vec<usize> = parts
            .iter()
            .map(|p| p.parse::<usize>().map_err(|_| bad()))
            .collect::<Result<_>>()?;
        let shape = match nums.as_slice() {
            [n] => Shape::new(*n, *n),
            [r, c] => Shape::new(*r, *c),
            _ => return Err(bad()),
        };
        if shape.rows == 0 || shape.cols == 0 {
            return Err(bad());
        }
        Shape::try_new(shape.rows, shape.cols)
    }
}

/// How numbers read from a file or array map to neuron values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Encoding {
    /// Decide from the values: only 0 and 1 → binary; otherwise bipolar.
    #[default]
    Auto,
    /// Values are ±1 (and 0 for "unknown" in a cue).
    Bipolar,
    /// Values are 0/1 and convert with S = 2V − 1.
    Binary,
}

names!(Encoding, "encoding", |s| s, {
    Auto => "auto",
    Bipolar => "bipolar" | "pm1" | "±1",
    Binary => "binary" | "01",
});

impl Encoding {
    /// Resolves [`Encoding::Auto`] for these values: binary when every value is 0 or 1 and
    /// at least one is 0, bipolar otherwise.
    pub fn resolve(self, values: &[f64]) -> Encoding {
        match self {
            Encoding::Auto => {
                let binary = values.iter().all(|&v| v == 0.0 || v == 1.0);
                let has_zero = values.contains(&0.0);
                if binary && has_zero {
                    Encoding::Binary
                } else {
                    Encoding::Bipolar
                }
            }
            e => e,
        }
    }
}

/// Converts numbers to a bipolar pattern (every value ±1).
///
/// `item` names the pattern in errors, e.g. `pattern 3`. With [`Encoding::Binary`] the
/// values must be 0 or 1; with [`Encoding::Bipolar`] they must be ±1; [`Encoding::Auto`]
/// chooses with [`Encoding::resolve`] over these values alone.
pub fn bipolar_pattern(item: &str, values: &[f64], encoding: Encoding) -> Result<Vec<i8>> {
    convert(item, values, encoding.resolve(values), false)
}

/// Converts numbers to a cue: like [`bipolar_pattern`], but a bipolar cue may hold 0 for
/// "unknown" (a masked neuron), and −2 to 2, the values the page's additive noise leaves
/// (`csi + np.random.choice([-1, 1])` on a 0/1 image or a ±1 pattern), which the first
/// update reads as they are.
pub fn bipolar_cue(item: &str, values: &[f64], encoding: Encoding) -> Result<Vec<i8>> {
    convert(item, values, encoding.resolve(values), true)
}

/// What a bipolar cue may hold, for messages.
pub const CUE_VALUES: &str = "±1 (0 = unknown; -2 and 2 only as the page's additive noise)";

fn convert(item: &str, values: &[f64], encoding: Encoding, cue: bool) -> Result<Vec<i8>> {
    values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            if !v.is_finite() {
                return Err(Error::not_finite(item, i, v));
            }
            match encoding {
                Encoding::Binary => match v {
                    0.0 => Ok(-1),
                    1.0 => Ok(1),
                    _ => Err(Error::value(item, i, v, "0 or 1")),
                },
                _ => match v {
                    1.0 => Ok(1),
                    -1.0 => Ok(-1),
                    -2.0 | 0.0 | 2.0 if cue => Ok(v as i8),
                    _ => Err(Error::value(
                        item,
                        i,
                        v,
                        if cue { CUE_VALUES } else { "±1" },
                    )),
                },
            }
        })
        .collect()
}

/// Binary 0/1 values of a bipolar state: V = (S + 1) / 2 (0 and −1 both map to 0).
pub fn to_binary(state: &[i8]) -> Vec<u8> {
    state.iter().map(|&s| u8::from(s > 0)).collect()
}

/// Bipolar values of a binary state: S = 2V − 1.
pub fn from_binary(values: &[u8]) -> Vec<i8> {
    values.iter().map(|&v| if v > 0 { 1 } else { -1 }).collect()
}

/// Checks that `len` values stored pattern after pattern make whole patterns of `n` values,
/// at least one.
pub(crate) fn check_layout(n: usize, len: usize) -> Result<()> {
    if n == 0 {
        return Err(Error::no_neurons("pattern set"));
    }
    if len == 0 {
        return Err(Error::empty("pattern set"));
    }
    if !len.is_multiple_of(n) {
        return Err(Error::length(format!("pattern {}", len / n), n, len % n));
    }
    Ok(())
}

/// Checks that a state holds only ±1.
pub fn check_bipolar(item: &str, state: &[i8]) -> Result<()> {
    // A branch-free scan first (it vectorises); the position only when something is wrong.
    let bad = state.chunks(4096).any(|c| {
        c.iter()
            .fold(0u8, |acc, &s| acc | u8::from(s != 1 && s != -1))
            != 0
    });
    if !bad {
        return Ok(());
    }
    check_values(item, state, "±1", |s| s == 1 || s == -1)
}

/// A set of `P` bipolar patterns of `N` neurons each, with an optional 2-D display shape.
///
/// The patterns are kept one bit per neuron (set for +1); their ±1 values are formed when
/// first asked for — all of them by [`Patterns::as_flat`] and [`Patterns::iter`], one
/// pattern of a large set by [`Patterns::get`] — and shared by the set's clones. A set
/// generated at random or trained into a network costs `N·P/8` bytes until then.
///
/// ```
/// use hopfield::{Patterns, Shape};
/// let p = Patterns::from_rows(vec![vec![1, -1, 1, -1], vec![1, 1, -1, -1]])?
///     .with_shape(Shape::new(2, 2))?;
/// assert_eq!((p.len(), p.n()), (2, 4));
/// assert_eq!(p.get(1), Some(&[1, 1, -1, -1][..]));
/// # Ok::<(), hopfield::Error>(())
/// ```
#[derive(Clone)]
pub struct Patterns {
    n: usize,
    /// `P × N`, a bit set where a pattern is +1.
    bits: Arc<BitMatrix>,
    /// The ±1 values, formed from the bits on first use.
    values: Arc<Values>,
    shape: Option<Shape>,
}

/// The ±1 values of a pattern set, formed from its bits when first asked for.
#[derive(Default)]
struct Values {
    /// Every pattern, pattern after pattern.
    all: OnceLock<Vec<i8>>,
    /// Single patterns of a large set, asked for before all of them were.
    one: OnceLock<Box<[OnceLock<Pattern>]>>,
}

/// The values of one pattern.
type Pattern = Box<[i8]>;

/// Sets of at most this many values form all their values when one pattern is asked for.
const SMALL_SET: usize = 1 << 16;

impl fmt::Debug for Patterns {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Patterns")
            .field("n", &self.n)
            .field("len", &self.len())
            .field("shape", &self.shape)
            .finish_non_exhaustive()
    }
}

/// Sets are equal when they hold the same patterns and shape.
impl PartialEq for Patterns {
    fn eq(&self, other: &Patterns) -> bool {
        self.n == other.n && self.shape == other.shape && self.bits == other.bits
    }
}

impl Eq for Patterns {}

/// The serialised form: `n`, every value pattern after pattern, and the shape.
#[cfg(feature = "serde")]
#[derive(Serialize, Deserialize)]
#[serde(rename = "Patterns")]
struct PatternsFields<T> {
    n: usize,
    data: T,
    shape: Option<Shape>,
}

#[cfg(feature = "serde")]
impl Serialize for Patterns {
    fn serialize<S: serde::Serializer>(
        &self,
        serializer: S,
    ) -> std::result::Result<S::Ok, S::Error> {
        PatternsFields {
            n: self.n,
            data: self.as_flat(),
            shape: self.shape,
        }
        .serialize(serializer)
    }
}

/// Checked on the way in, as [`Patterns::new`] and [`Patterns::with_shape`] check.
#[cfg(feature = "serde")]
impl<'de> Deserialize<'de> for Patterns {
    fn deserialize<D: serde::Deserializer<'de>>(
        deserializer: D,
    ) -> std::result::Result<Self, D::Error> {
        let f = PatternsFields::<Vec<i8>>::deserialize(deserializer)?;
        Patterns::new(f.n, f.data)
            .and_then(|p| p.with_optional_shape(f.shape))
            .map_err(serde::de::Error::custom)
    }
}

impl Patterns {
    /// A set from `P · n` values stored pattern after pattern; every value must be ±1.
    pub fn new(n: usize, data: Vec<i8>) -> Result<Self> {
        check_layout(n, data.len())?;
        // Name the pattern and the neuron within it.
        let item = |k: usize| format!("pattern {}", k / n);
        if let Err(Error::Value {
            position: k,
            value,
            allowed,
            ..
        }) = check_bipolar("", &data)
        {
            return Err(Error::value(item(k), k % n, value, allowed));
        }
        let bits = BitMatrix::from_positive(data.len() / n, n, &data);
        let values = Values::default();
        let _ = values.all.set(data);
        Ok(Patterns {
            n,
            bits: Arc::new(bits),
            values: Arc::new(values),
            shape: None,
        })
    }

    /// A set from its bits (`P × N`, at least one pattern and one neuron, bits past `N`
    /// clear), a bit set for +1.
    pub(crate) fn from_bits(bits: BitMatrix) -> Result<Self> {
        check_layout(bits.cols(), bits.rows() * bits.cols())?;
        Ok(Patterns {
            n: bits.cols(),
            bits: Arc::new(bits),
            values: Arc::default(),
            shape: None,
        })
    }

    /// A set from a list of ±1 patterns of equal length, packed into bits pattern by
    /// pattern (the list can be read as it comes: no copy of its values is kept).
    pub fn from_rows<I, V>(rows: I) -> Result<Self>
    where
        I: IntoIterator<Item = V>,
        V: AsRef<[i8]>,
    {
        let mut bits: Option<BitMatrix> = None;
        // A wrong value is told once every length is known to agree.
        let mut wrong = None;
        let mut n = None;
        for (mu, row) in rows.into_iter().enumerate() {
            let row = row.as_ref();
            let n = *n.get_or_insert(row.len());
            if row.len() != n {
                return Err(Error::length(format!("pattern {mu}"), n, row.len()));
            }
            if wrong.is_some() {
                continue;
            }
            if let Err(e) = check_bipolar(&format!("pattern {mu}"), row) {
                wrong = Some(e);
                continue;
            }
            let one = BitMatrix::from_positive(1, n, row);
            match &mut bits {
                Some(b) => b.append(&one),
                None => bits = Some(one),
            }
        }
        match (wrong, bits) {
            (Some(e), _) => Err(e),
            (None, Some(bits)) => Patterns::from_bits(bits),
            (None, None) => Err(Error::empty("pattern set")),
        }
    }

    /// A set of one pattern.
    pub fn single(pattern: &[i8]) -> Result<Self> {
        Patterns::new(pattern.len(), pattern.to_vec())
    }

    /// Attaches a 2-D display shape; it must hold exactly `n` neurons.
    pub fn with_shape(mut self, shape: Shape) -> Result<Self> {
        shape.check("each pattern", self.n)?;
        self.shape = Some(shape);
        Ok(self)
    }

    /// Attaches a shape when one is given.
    pub fn with_optional_shape(self, shape: Option<Shape>) -> Result<Self> {
        match shape {
            Some(s) => self.with_shape(s),
            None => Ok(self),
        }
    }

    /// The number of patterns, `P`.
    pub fn len(&self) -> usize {
        self.bits.rows()
    }

    /// Always `false`: a pattern set holds at least one pattern.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The number of neurons of each pattern, `N`.
    pub fn n(&self) -> usize {
        self.n
    }

    /// The display shape, if one is known.
    pub fn shape(&self) -> Option<Shape> {
        self.shape
    }

    /// The patterns bit-packed, `P × N`, a bit set where a pattern is +1.
    pub(crate) fn bits(&self) -> &Arc<BitMatrix> {
        &self.bits
    }

    /// Whether all the values were formed.
    #[cfg(test)]
    pub(crate) fn values_formed(&self) -> bool {
        self.values.all.get().is_some()
    }

    /// Pattern `mu`, or `None` past the end. Of a large set whose values were not formed
    /// yet, only this pattern's values are formed.
    pub fn get(&self, mu: usize) -> Option<&[i8]> {
        if mu >= self.len() {
            return None;
        }
        let n = self.n;
        if self.values.all.get().is_none() && self.len() * n > SMALL_SET {
            let one = self
                .values
                .one
                .get_or_init(|| (0..self.len()).map(|_| OnceLock::new()).collect());
            return Some(one[mu].get_or_init(|| {
                let mut v = vec![0i8; n];
                unpack(self.bits.row(mu), &mut v);
                v.into_boxed_slice()
            }));
        }
        self.as_flat().get(mu * n..(mu + 1) * n)
    }

    /// Pattern `mu`, or an error naming the valid range.
    pub fn pattern(&self, mu: usize) -> Result<&[i8]> {
        self.get(mu).ok_or_else(|| {
            let p = self.len();
            let held = format!("the set holds {p} patterns (indices 0..{p})");
            Error::parameter("pattern index", mu, held)
        })
    }

    /// The patterns in order (their values formed, see [`Patterns::as_flat`]).
    pub fn iter(&self) -> std::slice::ChunksExact<'_, i8> {
        self.as_flat().chunks_exact(self.n)
    }

    /// All values, pattern after pattern (`P · N`), formed from the bits on first use.
    pub fn as_flat(&self) -> &[i8] {
        self.values.all.get_or_init(|| {
            let n = self.n;
            let mut data = vec![0i8; self.len() * n];
            for (mu, row) in data.chunks_exact_mut(n).enumerate() {
                unpack(self.bits.row(mu), row);
            }
            data
        })
    }

    /// Appends a ±1 pattern of length `N`.
    pub fn push(&mut self, pattern: &[i8]) -> Result<()> {
        let item = format!("pattern {}", self.len());
        check_length(&item, self.n, pattern.len())?;
        check_bipolar(&item, pattern)?;
        let more = Patterns::new(self.n, pattern.to_vec())?;
        self.append(&more);
        Ok(())
    }

    /// Appends every pattern of `other` (same `N`); keeps this set's shape.
    pub fn extend(&mut self, other: &Patterns) -> Result<()> {
        check_length(format!("pattern {}", self.len()), self.n, other.n)?;
        self.append(other);
        Ok(())
    }

    /// Appends the patterns of `other` (same `N`), keeping the values formed of both.
    fn append(&mut self, other: &Patterns) {
        let mut bits = BitMatrix::clone(&self.bits);
        bits.append(&other.bits);
        let values = Values::default();
        if let (Some(a), Some(b)) = (self.values.all.get(), other.values.all.get()) {
            let _ = values.all.set([&a[..], &b[..]].concat());
        }
        self.bits = Arc::new(bits);
        self.values = Arc::new(values);
    }

    /// The patterns at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Result<Patterns> {
        if indices.is_empty() {
            return Err(Error::empty("pattern set"));
        }
        if let Some(&mu) = indices.iter().find(|&&mu| mu >= self.len()) {
            self.pattern(mu)?;
        }
        Patterns::from_bits(self.bits.select(indices))?.with_optional_shape(self.shape)
    }

    /// The patterns as 0/1 values, pattern after pattern.
    pub fn to_binary(&self) -> Vec<u8> {
        let n = self.n;
        let mut out = vec![0u8; self.len() * n];
        for (mu, row) in out.chunks_exact_mut(n).enumerate() {
            for (chunk, &w) in row.chunks_mut(64).zip(self.bits.row(mu)) {
                for (k, v) in chunk.iter_mut().enumerate() {
                    *v = ((w >> k) & 1) as u8;
                }
            }
        }
        out
    }
}

/// The ±1 values of the bits `words` (set for +1) into `out`, eight at a time.
fn unpack(words: &[u64], out: &mut [i8]) {
    /// The eight ±1 bytes of each byte of bits, bit `k` giving byte `k`.
    const BYTES: [[i8; 8]; 256] = {
        let mut t = [[0i8; 8]; 256];
        let mut b = 0;
        while b < 256 {
            let mut k = 0;
            while k < 8 {
                t[b][k] = if (b >> k) & 1 == 1 { 1 } else { -1 };
                k += 1;
            }
            b += 1;
        }
        t
    };
    for (chunk, &w) in out.chunks_mut(64).zip(words) {
        for (k, eight) in chunk.chunks_mut(8).enumerate() {
            let bytes = &BYTES[((w >> (8 * k)) & 0xFF) as usize];
            // Whole groups of eight as one 8-byte store, the last one byte by byte.
            match <&mut [i8; 8]>::try_from(&mut *eight) {
                Ok(whole) => *whole = *bytes,
                Err(_) => eight.copy_from_slice(&bytes[..eight.len()]),
            }
        }
    }
}

impl<'a> IntoIterator for &'a Patterns {
    type Item = &'a [i8];
    type IntoIter = std::slice::ChunksExact<'a, i8>;
    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shape_parses_and_checks() {
        assert_eq!("5x5".parse::<Shape>().unwrap(), Shape::new(5, 5));
        assert_eq!("100×80".parse::<Shape>().unwrap(), Shape::new(100, 80));
        assert_eq!("7".parse::<Shape>().unwrap(), Shape::new(7, 7));
        assert!("0x5".parse::<Shape>().is_err());
        assert!("5x".parse::<Shape>().is_err());
        assert!("axb".parse::<Shape>().is_err());
        // 3 × 6148914691236517206 wraps around to 2 in unchecked arithmetic.
        let e = "3x6148914691236517206".parse::<Shape>().unwrap_err();
        assert!(
            e.to_string()
                .starts_with("size = 3x6148914691236517206 is invalid: 3 x 6148914691236517206"),
            "{e}"
        );
        assert!("4294967296x4294967296".parse::<Shape>().is_err());
        assert_eq!(Shape::new(3, 6_148_914_691_236_517_206).len(), usize::MAX);
        assert!(
            Shape::new(3, 6_148_914_691_236_517_206)
                .check("x", 2)
                .is_err()
        );
        assert!(Shape::try_new(0, 3).is_err());
        assert!(Shape::new(2, 3).check("x", 6).is_ok());
        let e = Shape::new(2, 3).check("pattern", 7).unwrap_err();
        assert_eq!(
            e.to_string(),
            "shape 2x3 holds 6 neurons, but pattern has 7"
        );
    }

    #[test]
    fn binary_and_bipolar_round_trip() {
        let v = [0u8, 1, 1, 0];
        let s = from_binary(&v);
        assert_eq!(s, vec![-1, 1, 1, -1]);
        assert_eq!(to_binary(&s), v.to_vec());
    }

    #[test]
    fn encodings_resolve_and_reject() {
        let binary = [0.0, 1.0, 1.0];
        assert_eq!(Encoding::Auto.resolve(&binary), Encoding::Binary);
        assert_eq!(
            bipolar_pattern("p", &binary, Encoding::Auto).unwrap(),
            vec![-1, 1, 1]
        );
        assert_eq!(
            bipolar_pattern("p", &[1.0, -1.0], Encoding::Auto).unwrap(),
            vec![1, -1]
        );
        let e = bipolar_pattern("pattern 1", &[1.0, 2.0], Encoding::Auto).unwrap_err();
        assert_eq!(e.to_string(), "pattern 1, neuron 1: value 2 is not ±1");
        let e = bipolar_pattern("pattern 0", &[1.0, -1.0], Encoding::Binary).unwrap_err();
        assert!(e.to_string().contains("not 0 or 1"));
        let e = bipolar_pattern("p", &[1.0, f64::NAN], Encoding::Auto).unwrap_err();
        assert!(matches!(e, Error::NotFinite { position: 1, .. }));
        // A cue may hold 0 for unknown, a pattern may not.
        assert_eq!(
            bipolar_cue("cue", &[1.0, 0.0, -1.0], Encoding::Auto).unwrap(),
            vec![1, 0, -1]
        );
        assert!(bipolar_pattern("p", &[1.0, 0.0, -1.0], Encoding::Auto).is_err());
    }

    /// A large set forms the values of the patterns asked for only; smaller ones, or one
    /// whose values were all formed, serve patterns from all the values.
    #[test]
    fn values_are_formed_when_asked_for() {
        let mut rng = crate::random::seeded(1);
        let big = crate::generate::random_patterns(40, 40_000, 0.5, &mut rng).unwrap();
        let copy = big.clone();
        let one = big.get(3).unwrap().to_vec();
        assert!(
            big.values.all.get().is_none(),
            "all the values formed for one pattern"
        );
        assert_eq!(big.get(40), None);
        let formed: usize = big
            .values
            .one
            .get()
            .map_or(0, |one| one.iter().filter(|v| v.get().is_some()).count());
        assert_eq!(formed, 1);
        // The clone shares what was formed, and all the values agree with the pattern.
        assert_eq!(copy.as_flat()[3 * 40_000..4 * 40_000], one[..]);
        assert!(big.values.all.get().is_some());
        assert_eq!(big.get(3).unwrap(), &one[..]);
        assert_eq!(big.iter().nth(3).unwrap(), &one[..]);
        for (k, &v) in one.iter().enumerate() {
            assert_eq!(v > 0, (big.bits.row(3)[k / 64] >> (k % 64)) & 1 == 1);
        }
        let small = crate::generate::random_patterns(4, 100, 0.5, &mut rng).unwrap();
        small.get(1).unwrap();
        assert!(small.values.all.get().is_some());
        assert!(small.values.one.get().is_none());
    }

    /// Sets built from values and from bits alike compare, grow and select by their
    /// patterns.
    #[test]
    fn sets_from_bits_and_values_behave_alike() {
        let mut rng = crate::random::seeded(2);
        let bits = crate::generate::random_patterns(5, 70, 0.5, &mut rng).unwrap();
        let values = Patterns::new(70, bits.as_flat().to_vec()).unwrap();
        let fresh =
            crate::generate::random_patterns(5, 70, 0.5, &mut crate::random::seeded(2)).unwrap();
        assert_eq!(bits, values);
        assert_eq!(fresh, values);
        let mut a = fresh.clone();
        let mut b = values.clone();
        a.extend(&fresh.select(&[4, 0]).unwrap()).unwrap();
        b.extend(&values.select(&[4, 0]).unwrap()).unwrap();
        a.push(values.get(2).unwrap()).unwrap();
        b.push(values.get(2).unwrap()).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.len(), 8);
        assert_eq!(a.get(5), values.get(4));
        assert_eq!(a.get(7), values.get(2));
        assert_eq!(a.as_flat(), b.as_flat());
        assert_eq!(a.to_binary(), crate::pattern::to_binary(b.as_flat()));
        assert!(fresh.select(&[]).is_err());
        assert!(fresh.select(&[5]).is_err());
    }

    /// The serialised form is `n`, the values and the shape, checked on the way in.
    #[cfg(feature = "serde")]
    #[test]
    fn sets_serialise_as_values_and_are_checked() {
        let p = Patterns::from_rows(vec![vec![1, -1, 1, -1], vec![1, 1, -1, -1]])
            .unwrap()
            .with_shape(Shape::new(2, 2))
            .unwrap();
        let json = serde_json::to_string(&p).unwrap();
        assert_eq!(
            json,
            r#"{"n":4,"data":[1,-1,1,-1,1,1,-1,-1],"shape":{"rows":2,"cols":2}}"#
        );
        assert_eq!(serde_json::from_str::<Patterns>(&json).unwrap(), p);
        for bad in [
            r#"{"n":4,"data":[1,-1,1,0],"shape":null}"#,
            r#"{"n":4,"data":[1,-1,1],"shape":null}"#,
            r#"{"n":4,"data":[1,-1,1,1],"shape":{"rows":3,"cols":3}}"#,
        ] {
            assert!(serde_json::from_str::<Patterns>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn pattern_set_validates() {
        assert!(matches!(
            Patterns::new(0, vec![]),
            Err(Error::NoNeurons { .. })
        ));
        assert!(matches!(Patterns::new(3, vec![]), Err(Error::Empty { .. })));
        let e = Patterns::from_rows(vec![vec![1, 1], vec![1, 1, 1]]).unwrap_err();
        assert_eq!(e.to_string(), "pattern 1 has 3 values, expected 2");
        let e = Patterns::from_rows(vec![vec![1, 1], vec![1, 0]]).unwrap_err();
        assert_eq!(e.to_string(), "pattern 1, neuron 1: value 0 is not ±1");
        // A wrong length is told before a wrong value of an earlier pattern.
        let e = Patterns::from_rows(vec![vec![1, 0], vec![1, 1, 1]]).unwrap_err();
        assert_eq!(e.to_string(), "pattern 1 has 3 values, expected 2");
        assert!(matches!(
            Patterns::from_rows(Vec::<Vec<i8>>::new()),
            Err(Error::Empty { .. })
        ));
        assert!(matches!(
            Patterns::from_rows(vec![Vec::<i8>::new()]),
            Err(Error::NoNeurons { .. })
        ));
        // Rows go into bits as they come; their values are formed when asked for.
        let rows: Vec<Vec<i8>> = (0..5)
            .map(|mu| {
                (0..70)
                    .map(|i| if (i * mu) % 3 == 0 { 1 } else { -1 })
                    .collect()
            })
            .collect();
        let p = Patterns::from_rows(rows.iter()).unwrap();
        assert!(!p.values_formed());
        assert_eq!(p, Patterns::new(70, rows.concat()).unwrap());
        assert_eq!(p.get(4), Some(&rows[4][..]));
        let mut p = Patterns::single(&[1, -1, 1, -1]).unwrap();
        p.push(&[-1, -1, 1, 1]).unwrap();
        assert!(p.push(&[1, 1]).is_err());
        assert_eq!(p.len(), 2);
        assert!(p.clone().with_shape(Shape::new(3, 3)).is_err());
        assert_eq!(p.select(&[1, 0]).unwrap().get(0), Some(&[-1, -1, 1, 1][..]));
        assert!(p.pattern(5).is_err());
        assert_eq!(p.to_binary(), vec![1, 0, 1, 0, 0, 0, 1, 1]);
    }
}
