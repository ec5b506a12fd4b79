//! Couplings `W` (the page's `Tij`), behind one interface whatever their representation.
//!
//! A [`Weights`] value answers the questions dynamics and measures ask — a local field,
//! one coupling, the quadratic form `SᵀWS` — without its users knowing how it is stored:
//!
//! * **dense**: the `N × N` matrix, rows contiguous, as `i8`/`i16`/`i32` when the rule
//!   gives integers (times one scale factor such as `1/N`) and `f32` otherwise. A dense
//!   matrix of patterns (Hebb's rule, the page's 0/1 rule) is formed when first used, so
//!   that work which never needs it — synchronous recall through bit-packed states, see
//!   [`crate::dynamics`] — never pays for it;
//! * **factored**: `W = c (Σ_μ a^μ a^μᵀ − D)` kept as its `P` vectors `a^μ` and the
//!   diagonal `D` it removes, so the `N × N` matrix is never formed. A field costs `O(P)`
//!   per neuron instead of `O(N)`, and memory is `P · N` instead of `N²`.
//!
//! [`crate::Rule`]s choose the representation ([`Representation::Auto`] by default).

use std::fmt;
use std::sync::{Arc, OnceLock};

use crate::parallel::*;
use rand::Rng;
#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, check_finite, check_length, require};
use crate::guard;
use crate::kernel::bits::BitMatrix;
use crate::kernel::decide::{signs, signs_i16};
use crate::kernel::dense::{
    PairMatrix, axpy_i8, axpy_i8_i16, axpy_i8_i32, axpy_i16, axpy_i16_i16, axpy_i16_i32, axpy_int,
    dot_f32, dot_i8_ternary, dot_i16, dot_int, is_ternary,
};
use crate::kernel::factored::{Factored, Overlaps};
use crate::kernel::packed::Packed;
use crate::neuron::{Threshold, Tie, decide};
use crate::random;

/// Which representation a rule should build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Representation {
    /// Dense for small matrices with `P ≥ 32`, factored otherwise (see
    /// [`Representation::resolve`]).
    #[default]
    Auto,
    /// The full `N × N` matrix.
    Dense,
    /// The `P` pattern vectors; `W` is never formed.
    Factored,
}

names!(Representation, "representation", |s| s, {
    Auto => "auto",
    Dense => "dense",
    Factored => "factored",
});

impl Representation {
    /// Resolves [`Representation::Auto`] for `p` vectors of `n` neurons.
    ///
    /// Dense when the matrix is small (at most 32 MiB) and `P ≥ 32`: there a synchronous
    /// step near a fixed point only adds the columns of the few neurons that changed, and
    /// an asynchronous flip one column, which beats the factored form's `O(N · P / 8)`
    /// step (the matrix is formed when first used). Factored otherwise: large networks
    /// (the matrix would dominate memory and time) and few patterns (a factored step costs
    /// less than a dense one).
    pub fn resolve(self, n: usize, p: usize) -> Representation {
        match self {
            Representation::Auto => {
                let dense_bytes = guard::product(&[n, n], dense_storage(p).elem());
                if p >= 32 && dense_bytes <= 32 << 20 {
                    Representation::Dense
                } else {
                    Representation::Factored
                }
            }
            r => r,
        }
    }
}

/// How the couplings are stored, as reported to users.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "lowercase"))]
pub enum Storage {
    /// Dense `i8` matrix times a scale.
    DenseI8,
    /// Dense `i16` matrix times a scale.
    DenseI16,
    /// Dense `i32` matrix times a scale.
    DenseI32,
    /// Dense `f32` matrix.
    DenseF32,
    /// Factored: `P` vectors of `N` values; the matrix is never formed.
    Factored,
}

impl Storage {
    /// Bytes per value of a dense matrix (4 for the factored form, which has none).
    pub(crate) fn elem(self) -> usize {
        match self {
            Storage::DenseI8 => 1,
            Storage::DenseI16 => 2,
            _ => 4,
        }
    }
}

impl fmt::Display for Storage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Storage::DenseI8 => "dense int8",
            Storage::DenseI16 => "dense int16",
            Storage::DenseI32 => "dense int32",
            Storage::DenseF32 => "dense float32",
            Storage::Factored => "factored",
        })
    }
}

/// The values of a dense matrix in the type they are stored in, row-major (`W_ij` at
/// `i · N + j`), without the scale factor (see [`Weights::dense_parts`]).
#[derive(Debug, Clone, PartialEq)]
pub enum DenseMatrix {
    /// `int8` values.
    I8(Vec<i8>),
    /// `int16` values.
    I16(Vec<i16>),
    /// `int32` values.
    I32(Vec<i32>),
    /// `float32` values.
    F32(Vec<f32>),
}

/// `$e` with `$m` bound to the values of a [`DenseMatrix`], whatever their type; or, with
/// two expressions, the first for integer values and the second for floats.
macro_rules! each_type {
    ($matrix:expr, $m:ident => $e:expr) => {
        each_type!($matrix, $m => $e, $m => $e)
    };
    ($matrix:expr, $m:ident => $int:expr, $f:ident => $float:expr) => {
        match $matrix {
            $crate::weights::DenseMatrix::I8($m) => $int,
            $crate::weights::DenseMatrix::I16($m) => $int,
            $crate::weights::DenseMatrix::I32($m) => $int,
            $crate::weights::DenseMatrix::F32($f) => $float,
        }
    };
}

/// `$int` with `$h` and `$scale` bound to the fields and scale of an integer [`FieldBuf`],
/// whatever their type; `$float` with `$f` bound to float fields.
macro_rules! each_buf {
    ($buf:expr, $h:ident, $scale:ident => $int:expr, $f:ident => $float:expr) => {
        match $buf {
            FieldBuf::Int {
                h: $h,
                scale: $scale,
            } => $int,
            FieldBuf::Int16 {
                h: $h,
                scale: $scale,
            } => $int,
            FieldBuf::Int32 {
                h: $h,
                scale: $scale,
            } => $int,
            FieldBuf::Float($f) => $float,
        }
    };
}

impl DenseMatrix {
    /// The number of values.
    pub fn len(&self) -> usize {
        each_type!(self, m => m.len())
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Repr {
    /// `W = scale · matrix`, row-major.
    Dense { matrix: DenseMatrix, scale: f64 },
    /// `W = scale · (Σ_μ a^μ a^μᵀ − D)`.
    Factored { f: Factored, scale: f64 },
}

/// How a [`Weights`] value holds its representation.
#[derive(Debug, Clone)]
enum Stored {
    /// As it is.
    Now(Repr),
    /// A dense integer matrix of the factored form `f`, formed on first use (with its
    /// row bound): a run that never needs the matrix, such as synchronous dynamics
    /// through [`crate::kernel::packed`], never pays for it.
    Later {
        f: Arc<Factored>,
        scale: f64,
        /// The storage the matrix will have.
        storage: Storage,
        formed: OnceLock<(Repr, i64)>,
    },
}

/// The couplings of a network of `N` neurons.
///
/// ```
/// use hopfield::{LearningRule, Patterns, Rule, Representation};
/// let patterns = Patterns::from_rows(vec![vec![1, -1, 1, -1, 1]])?;
/// for repr in [Representation::Dense, Representation::Factored] {
///     let w = Rule::hebb().train(&patterns, repr)?;
///     assert_eq!(w.get(0, 1), -0.2);  // ξ₀ξ₁ / N
///     assert_eq!(w.get(2, 2), 0.0);   // zero diagonal
/// }
/// # Ok::<(), hopfield::Error>(())
/// ```
#[derive(Debug, Clone)]
pub struct Weights {
    n: usize,
    symmetric: bool,
    stored: Stored,
    cache: Cache,
}

impl PartialEq for Weights {
    fn eq(&self, other: &Weights) -> bool {
        self.n == other.n && self.symmetric == other.symmetric && self.repr() == other.repr()
    }
}

/// What a dense integer matrix built from patterns keeps beside it to go faster. A cache,
/// not part of the couplings' identity: it never changes a result.
#[derive(Debug, Clone, Default)]
struct Cache {
    /// The factored form the matrix was built from, when there are few patterns: the
    /// fields of a whole state then cost `O(N·P)` through its vectors neuron by neuron
    /// (`pairs`, laid out on first use) instead of `O(N²)` through the matrix.
    factored: Option<Arc<Factored>>,
    pairs: OnceLock<PairMatrix>,
    /// `max_i Σ_j |W_ij|` (unscaled) of a matrix given as it is (a matrix formed later
    /// keeps its own): every field of a state with `|S_j| ≤ s` is at most `s` times
    /// this, so small enough bounds let the dynamics keep fields in `i16`.
    row_bound: Option<i64>,
    /// Hebbian couplings laid out for synchronous steps on bit-packed states, built on
    /// first use (`None` where they do not apply).
    packed: OnceLock<Option<Arc<Packed>>>,
}

/// Work above which a dense pass is spread over threads.
const PARALLEL_WORK: usize = 1 << 18;

impl Weights {
    /// A dense matrix from `n · n` row-major `f32` values (`W_ij` at `i · n + j`).
    ///
    /// Values must be finite. Symmetry is detected and used by the dynamics.
    pub fn from_matrix(n: usize, values: Vec<f32>) -> Result<Weights> {
        Weights::from_dense_parts(n, DenseMatrix::F32(values), 1.0)
    }

    /// The stored values and scale of dense couplings (`W = scale · matrix`), or `None`
    /// for a factored representation. The values are copied.
    pub fn dense_parts(&self) -> Option<(DenseMatrix, f64)> {
        match self.repr() {
            Repr::Dense { matrix, scale } => Some((matrix.clone(), *scale)),
            Repr::Factored { .. } => None,
        }
    }

    /// Dense couplings `W = scale · matrix` from the parts [`Weights::dense_parts`] gives.
    ///
    /// `matrix` must hold `n · n` finite values and `scale` must be finite and positive (a
    /// scale of 0 would erase every coupling, a negative one reverse them all); symmetry
    /// is detected. The inverse of [`Weights::dense_parts`]: the result is identical.
    pub fn from_dense_parts(n: usize, matrix: DenseMatrix, scale: f64) -> Result<Weights> {
        if n == 0 {
            return Err(Error::no_neurons("weight matrix"));
        }
        check_length("weight matrix", n.saturating_mul(n), matrix.len())?;
        check_finite(&[scale], |_| ("weight scale".into(), 0))?;
        let positive = "must be positive (W = scale · matrix: 0 erases every coupling, a \
                        negative scale reverses them all)";
        require(scale > 0.0, "weight scale", scale, positive)?;
        if let DenseMatrix::F32(m) = &matrix {
            check_finite(m, |k| {
                (format!("weights, row {} column {}", k / n, k % n), k)
            })?;
        }
        let symmetric =
            each_type!(&matrix, m => (0..n).all(|i| (0..i).all(|j| m[i * n + j] == m[j * n + i])));
        fn row_bound<T: Copy + Into<i64>>(m: &[T], n: usize) -> i64 {
            m.chunks_exact(n)
                .map(|row| row.iter().map(|&v| v.into().abs()).sum::<i64>())
                .max()
                .unwrap_or(0)
        }
        let row_bound = match &matrix {
            DenseMatrix::I8(m) => Some(row_bound(m, n)),
            DenseMatrix::I16(m) => Some(row_bound(m, n)),
            DenseMatrix::I32(_) | DenseMatrix::F32(_) => None,
        };
        Ok(Weights {
            n,
            symmetric,
            stored: Stored::Now(Repr::Dense { matrix, scale }),
            cache: Cache {
                row_bound,
                ..Cache::default()
            },
        })
    }

    /// Random connectivity uniform in `[0, 1)`, asymmetric and with a diagonal, as the
    /// course page's first cell (`Tij = np.random.rand(N, N)`).
    pub fn uniform<R: Rng + ?Sized>(n: usize, rng: &mut R) -> Result<Weights> {
        check_dense_memory(n, 4)?;
        let values = (0..n * n).map(|_| random::unit(rng) as f32).collect();
        Weights::from_matrix(n, values)
    }

    /// Symmetric Gaussian couplings with zero diagonal, `W_ij ~ N(0, σ² / N)`
    /// (the Sherrington–Kirkpatrick spin glass).
    pub fn gaussian<R: Rng + ?Sized>(n: usize, sigma: f64, rng: &mut R) -> Result<Weights> {
        let valid = sigma.is_finite() && sigma >= 0.0;
        require(valid, "sigma", sigma, "must be finite and ≥ 0")?;
        check_dense_memory(n, 4)?;
        let sd = sigma / (n as f64).sqrt();
        let values = symmetric_matrix(n, false, |_, _| (random::normal(rng) * sd) as f32);
        Weights::from_matrix(n, values)
    }

    /// Couplings `W = scale · (Σ_μ a^μ a^μᵀ − D)` from bit-packed vectors (`P × N`, a bit
    /// set where `a^μ_i` is +1, or 1 when `binary`). With `zero_diagonal`, `D` removes the
    /// self-couplings; otherwise `D = 0`. Factored or dense as `representation` says.
    pub(crate) fn outer(
        rows: Arc<BitMatrix>,
        binary: bool,
        scale: f64,
        zero_diagonal: bool,
        representation: Representation,
    ) -> Result<Weights> {
        let n = rows.cols();
        let f = Factored::new(rows, binary, zero_diagonal);
        let p = f.p();
        let w = Weights {
            n,
            symmetric: true,
            stored: Stored::Now(Repr::Factored { f, scale }),
            cache: Cache::default(),
        };
        match representation.resolve(n, p) {
            Representation::Dense => w.to_dense(),
            _ => Ok(w),
        }
    }

    /// The representation, a deferred dense matrix formed now if it was not yet.
    fn repr(&self) -> &Repr {
        match &self.stored {
            Stored::Now(r) => r,
            Stored::Later {
                f, scale, formed, ..
            } => &formed.get_or_init(|| form_dense(f, *scale)).0,
        }
    }

    /// The representation to change in place (a deferred matrix is formed, and the
    /// caches of the couplings as they were are dropped).
    fn repr_mut(&mut self) -> &mut Repr {
        self.repr();
        let stored = std::mem::replace(
            &mut self.stored,
            Stored::Now(Repr::Dense {
                matrix: DenseMatrix::I8(Vec::new()),
                scale: 0.0,
            }),
        );
        let (repr, bound) = match stored {
            Stored::Now(r) => (r, self.cache.row_bound),
            Stored::Later { mut formed, .. } => {
                let (r, bound) = formed.take().expect("formed just above");
                (r, Some(bound))
            }
        };
        self.cache = Cache {
            row_bound: bound,
            ..Cache::default()
        };
        self.stored = Stored::Now(repr);
        match &mut self.stored {
            Stored::Now(r) => r,
            Stored::Later { .. } => unreachable!("set just above"),
        }
    }

    /// The values of a dense `f32` matrix, to change in place (caches dropped).
    pub(crate) fn dense_f32_mut(&mut self) -> Option<&mut Vec<f32>> {
        match self.repr_mut() {
            Repr::Dense {
                matrix: DenseMatrix::F32(m),
                ..
            } => Some(m),
            _ => None,
        }
    }

    /// The factored form: of a factored representation, or the one a dense matrix was
    /// built from (while it is kept).
    fn factored(&self) -> Option<&Factored> {
        match &self.stored {
            Stored::Now(Repr::Factored { f, .. }) => Some(f),
            Stored::Now(Repr::Dense { .. }) => self.cache.factored.as_deref(),
            Stored::Later { f, .. } => Some(f),
        }
    }

    /// The bit-packed vectors of a factored representation (`P × N`), or those a dense
    /// matrix was built from.
    pub(crate) fn vector_bits(&self) -> Option<&Arc<BitMatrix>> {
        self.factored().map(Factored::rows)
    }

    /// The couplings laid out for [`crate::kernel::packed`], when they are Hebbian
    /// (`c (Σ_μ ξ^μ ξ^μᵀ − D·I)` with ±1 vectors and `c > 0`) and the processor runs it.
    pub(crate) fn packed(&self) -> Option<&Packed> {
        self.cache
            .packed
            .get_or_init(|| {
                let f = self.factored()?;
                if self.scale() > 0.0 {
                    f.packed().map(Arc::new)
                } else {
                    None
                }
            })
            .as_deref()
    }

    /// The number of neurons, `N`.
    pub fn n(&self) -> usize {
        self.n
    }

    /// How the couplings are stored.
    pub fn storage(&self) -> Storage {
        if let Stored::Later { storage, .. } = &self.stored {
            return *storage;
        }
        match self.repr() {
            Repr::Dense { matrix, .. } => match matrix {
                DenseMatrix::I8(_) => Storage::DenseI8,
                DenseMatrix::I16(_) => Storage::DenseI16,
                DenseMatrix::I32(_) => Storage::DenseI32,
                DenseMatrix::F32(_) => Storage::DenseF32,
            },
            Repr::Factored { .. } => Storage::Factored,
        }
    }

    /// Whether `W_ij = W_ji` for all pairs (the energy then never rises under
    /// asynchronous dynamics when the diagonal is non-negative).
    pub fn is_symmetric(&self) -> bool {
        self.symmetric
    }

    /// The memory the couplings occupy, in bytes.
    pub fn bytes(&self) -> u64 {
        match &self.stored {
            Stored::Now(Repr::Factored { f, .. }) => f.bytes(),
            _ => self.storage().elem() as u64 * (self.n as u64).pow(2),
        }
    }

    /// The coupling `W_ij`, whatever the representation (`O(P / 64)` when factored).
    ///
    /// Returns 0 outside `0..N`.
    pub fn get(&self, i: usize, j: usize) -> f64 {
        let n = self.n;
        if i >= n || j >= n {
            return 0.0;
        }
        if let Stored::Later { f, scale, .. } = &self.stored {
            return scale * f.get(i, j) as f64;
        }
        match self.repr() {
            Repr::Dense { matrix, scale } => {
                scale * each_type!(matrix, m => f64::from(m[i * n + j]))
            }
            Repr::Factored { f, scale } => scale * f.get(i, j) as f64,
        }
    }

    /// Row `i` of `W` as `f64` (computed for a factored representation).
    pub fn row(&self, i: usize) -> Vec<f64> {
        (0..self.n).map(|j| self.get(i, j)).collect()
    }

    /// The whole matrix as row-major `f64`, refused when it would not fit in memory.
    pub fn to_matrix(&self) -> Result<Vec<f64>> {
        check_dense_memory(self.n, 8)?;
        Ok((0..self.n).flat_map(|i| self.row(i)).collect())
    }

    /// A dense copy (in the narrowest integer type that holds the couplings); dense
    /// couplings are cloned. Refused when it would not fit in memory. The matrix of a
    /// factored form is formed when first used.
    pub fn to_dense(&self) -> Result<Weights> {
        let Stored::Now(Repr::Factored { f, scale }) = &self.stored else {
            return Ok(self.clone());
        };
        let n = self.n;
        let storage = dense_storage(f.p());
        check_dense_memory(n, storage.elem())?;
        let f = Arc::new(f.clone());
        Ok(Weights {
            n,
            symmetric: true,
            cache: Cache {
                // Worth it with few patterns; overlaps of states in −2..2 (|m| ≤ 2N) must
                // fit the `i16` multiply-adds.
                factored: (2 * f.p() <= n && 2 * n <= i16::MAX as usize).then(|| f.clone()),
                ..Cache::default()
            },
            stored: Stored::Later {
                f,
                scale: *scale,
                storage,
                formed: OnceLock::new(),
            },
        })
    }

    /// `max_i Σ_j |W_ij|` (unscaled) of an integer matrix, when known.
    fn row_bound(&self) -> Option<i64> {
        match &self.stored {
            Stored::Now(_) => self.cache.row_bound,
            Stored::Later { .. } => {
                self.repr();
                match &self.stored {
                    Stored::Later { formed, .. } => formed.get().map(|(_, b)| *b),
                    Stored::Now(_) => None,
                }
            }
        }
    }

    /// The scale of integer fields (`W = scale · integers`); 1 for float couplings.
    #[inline]
    pub(crate) fn scale(&self) -> f64 {
        if let Stored::Later { scale, .. } = &self.stored {
            return *scale;
        }
        match self.repr() {
            Repr::Dense {
                matrix: DenseMatrix::F32(_),
                ..
            } => 1.0,
            Repr::Dense { scale, .. } | Repr::Factored { scale, .. } => *scale,
        }
    }
}

/// The integer type of the dense matrix of `p` ±1 or 0/1 vectors: `|W_ij| ≤ P`, and the
/// diagonal without removal is at most `P` too.
fn dense_storage(p: usize) -> Storage {
    if p <= i8::MAX as usize {
        Storage::DenseI8
    } else if p <= i16::MAX as usize {
        Storage::DenseI16
    } else {
        Storage::DenseI32
    }
}

/// The dense matrix of the factored form `f` and its row bound.
fn form_dense(f: &Factored, scale: f64) -> (Repr, i64) {
    fn fill<T: Copy + Default + Send + Sync>(
        f: &Factored,
        narrow: impl Fn(i64) -> T + Copy + Send + Sync,
        wrap: fn(Vec<T>) -> DenseMatrix,
    ) -> (DenseMatrix, i64) {
        let mut m = vec![T::default(); f.n() * f.n()];
        let bound = f.fill_dense(&mut m, narrow);
        (wrap(m), bound)
    }
    let (matrix, row_bound) = match dense_storage(f.p()) {
        Storage::DenseI8 => fill(f, |v| v as i8, DenseMatrix::I8),
        Storage::DenseI16 => fill(f, |v| v as i16, DenseMatrix::I16),
        _ => fill(f, |v| v as i32, DenseMatrix::I32),
    };
    (Repr::Dense { matrix, scale }, row_bound)
}

/// The symmetric `n × n` row-major matrix with `W_ij = W_ji = value(i, j)` for `j < i`,
/// and on the diagonal `value(i, i)` with `diagonal`, else 0; `value` is called row by row.
pub(crate) fn symmetric_matrix(
    n: usize,
    diagonal: bool,
    mut value: impl FnMut(usize, usize) -> f32,
) -> Vec<f32> {
    let mut w = vec![0f32; n * n];
    for i in 0..n {
        for j in 0..i + usize::from(diagonal) {
            let v = value(i, j);
            w[i * n + j] = v;
            w[j * n + i] = v;
        }
    }
    w
}

pub(crate) fn check_dense_memory(n: usize, elem: usize) -> Result<()> {
    guard::check(
        &format!("a dense {n} x {n} weight matrix"),
        guard::product(&[n, n], elem),
        "use the factored representation (--representation factored), which stores only the P patterns",
    )
}

mod dilution;
mod fields;
mod track;

pub use dilution::Dilution;

pub(crate) use fields::{Field, FieldBuf};
pub(crate) use track::Tracker;

#[cfg(test)]
mod tests;
