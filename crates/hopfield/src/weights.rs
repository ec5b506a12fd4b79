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
use std::str::FromStr;
use std::sync::{Arc, OnceLock};

use rand::Rng;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
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

mod dilution;
pub use dilution::Dilution;

/// Which representation a rule should build.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
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

impl FromStr for Representation {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s {
            "auto" => Ok(Representation::Auto),
            "dense" => Ok(Representation::Dense),
            "factored" => Ok(Representation::Factored),
            _ => Err(Error::parameter(
                "representation",
                s,
                "expected one of: auto, dense, factored",
            )),
        }
    }
}

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
                let elem = if p <= 127 {
                    1
                } else if p <= 32_767 {
                    2
                } else {
                    4
                };
                let dense_bytes = guard::product(&[n, n], elem);
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
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

impl DenseMatrix {
    /// The number of values.
    pub fn len(&self) -> usize {
        match self {
            DenseMatrix::I8(m) => m.len(),
            DenseMatrix::I16(m) => m.len(),
            DenseMatrix::I32(m) => m.len(),
            DenseMatrix::F32(m) => m.len(),
        }
    }

    /// Whether there are no values.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Matrix {
    I8(Vec<i8>),
    I16(Vec<i16>),
    I32(Vec<i32>),
    F32(Vec<f32>),
}

#[derive(Debug, Clone, PartialEq)]
enum Repr {
    /// `W = scale · matrix`, row-major.
    Dense { matrix: Matrix, scale: f64 },
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
        if n == 0 {
            return Err(Error::NoNeurons {
                what: "weight matrix".into(),
            });
        }
        if values.len() != n * n {
            return Err(Error::length("weight matrix", n * n, values.len()));
        }
        if let Some(k) = values.iter().position(|v| !v.is_finite()) {
            return Err(Error::NotFinite {
                item: format!("weights, row {} column {}", k / n, k % n),
                position: k,
                value: f64::from(values[k]),
            });
        }
        let symmetric = (0..n).all(|i| (0..i).all(|j| values[i * n + j] == values[j * n + i]));
        Ok(Weights {
            n,
            symmetric,
            stored: Stored::Now(Repr::Dense {
                matrix: Matrix::F32(values),
                scale: 1.0,
            }),
            cache: Cache::default(),
        })
    }

    /// The stored values and scale of dense couplings (`W = scale · matrix`), or `None`
    /// for a factored representation. The values are copied.
    pub fn dense_parts(&self) -> Option<(DenseMatrix, f64)> {
        match self.repr() {
            Repr::Dense { matrix, scale } => Some((
                match matrix {
                    Matrix::I8(m) => DenseMatrix::I8(m.clone()),
                    Matrix::I16(m) => DenseMatrix::I16(m.clone()),
                    Matrix::I32(m) => DenseMatrix::I32(m.clone()),
                    Matrix::F32(m) => DenseMatrix::F32(m.clone()),
                },
                *scale,
            )),
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
            return Err(Error::NoNeurons {
                what: "weight matrix".into(),
            });
        }
        if matrix.len() != n.saturating_mul(n) {
            return Err(Error::length(
                "weight matrix",
                n.saturating_mul(n),
                matrix.len(),
            ));
        }
        if !scale.is_finite() {
            return Err(Error::NotFinite {
                item: "weight scale".into(),
                position: 0,
                value: scale,
            });
        }
        if scale <= 0.0 {
            return Err(Error::parameter(
                "weight scale",
                scale,
                "must be positive (W = scale · matrix: 0 erases every coupling, a negative \
                 scale reverses them all)",
            ));
        }
        fn symmetric<T: PartialEq>(m: &[T], n: usize) -> bool {
            (0..n).all(|i| (0..i).all(|j| m[i * n + j] == m[j * n + i]))
        }
        let (symmetric, matrix) = match matrix {
            DenseMatrix::I8(m) => (symmetric(&m, n), Matrix::I8(m)),
            DenseMatrix::I16(m) => (symmetric(&m, n), Matrix::I16(m)),
            DenseMatrix::I32(m) => (symmetric(&m, n), Matrix::I32(m)),
            DenseMatrix::F32(m) => {
                if let Some(k) = m.iter().position(|v| !v.is_finite()) {
                    return Err(Error::NotFinite {
                        item: format!("weights, row {} column {}", k / n, k % n),
                        position: k,
                        value: f64::from(m[k]),
                    });
                }
                (symmetric(&m, n), Matrix::F32(m))
            }
        };
        fn row_bound<T: Copy + Into<i64>>(m: &[T], n: usize) -> i64 {
            m.chunks_exact(n)
                .map(|row| row.iter().map(|&v| v.into().abs()).sum::<i64>())
                .max()
                .unwrap_or(0)
        }
        let row_bound = match &matrix {
            Matrix::I8(m) => Some(row_bound(m, n)),
            Matrix::I16(m) => Some(row_bound(m, n)),
            Matrix::I32(_) | Matrix::F32(_) => None,
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
        if !(sigma.is_finite() && sigma >= 0.0) {
            return Err(Error::parameter("sigma", sigma, "must be finite and ≥ 0"));
        }
        check_dense_memory(n, 4)?;
        let sd = sigma / (n as f64).sqrt();
        let mut values = vec![0f32; n * n];
        for i in 0..n {
            for j in 0..i {
                let w = (random::normal(rng) * sd) as f32;
                values[i * n + j] = w;
                values[j * n + i] = w;
            }
        }
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
                matrix: Matrix::I8(Vec::new()),
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
                matrix: Matrix::F32(m),
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
                Matrix::I8(_) => Storage::DenseI8,
                Matrix::I16(_) => Storage::DenseI16,
                Matrix::I32(_) => Storage::DenseI32,
                Matrix::F32(_) => Storage::DenseF32,
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
        if let Stored::Later { storage, .. } = &self.stored {
            let elem = match storage {
                Storage::DenseI8 => 1,
                Storage::DenseI16 => 2,
                _ => 4,
            };
            return elem * (self.n as u64).pow(2);
        }
        match self.repr() {
            Repr::Dense { matrix, .. } => match matrix {
                Matrix::I8(m) => m.len() as u64,
                Matrix::I16(m) => 2 * m.len() as u64,
                Matrix::I32(m) => 4 * m.len() as u64,
                Matrix::F32(m) => 4 * m.len() as u64,
            },
            Repr::Factored { f, .. } => f.bytes(),
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
                let k = i * n + j;
                scale
                    * match matrix {
                        Matrix::I8(m) => f64::from(m[k]),
                        Matrix::I16(m) => f64::from(m[k]),
                        Matrix::I32(m) => f64::from(m[k]),
                        Matrix::F32(m) => f64::from(m[k]),
                    }
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
        let elem = match storage {
            Storage::DenseI8 => 1,
            Storage::DenseI16 => 2,
            _ => 4,
        };
        check_dense_memory(n, elem)?;
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

    /// The local field `h_i = Σ_j W_ij S_j` on neuron `i`.
    pub fn field(&self, state: &[i8], i: usize) -> f64 {
        match self.repr() {
            Repr::Dense { matrix, scale } => {
                let r = i * self.n..(i + 1) * self.n;
                match matrix {
                    Matrix::I8(m) => scale * dot_int(&m[r], state) as f64,
                    Matrix::I16(m) => scale * dot_int(&m[r], state) as f64,
                    Matrix::I32(m) => scale * dot_int(&m[r], state) as f64,
                    Matrix::F32(m) => scale * dot_f32(&m[r], state),
                }
            }
            Repr::Factored { f, scale } => {
                let ov = f.overlaps(state);
                scale * f.field_at(state, &ov, i) as f64
            }
        }
    }

    /// All local fields `h = W S` at once (parallel for large networks; the result does
    /// not depend on the number of threads).
    pub fn fields(&self, state: &[i8], out: &mut [f64]) {
        let mut buf = self.field_buf();
        self.compute_fields(state, &mut buf);
        for (i, o) in out.iter_mut().enumerate().take(self.n) {
            *o = buf.value(i);
        }
    }

    /// The quadratic form `Sᵀ W S = Σ_ij W_ij S_i S_j`, exact for integer couplings.
    pub fn quadratic(&self, state: &[i8]) -> f64 {
        let mut buf = self.field_buf();
        self.compute_fields(state, &mut buf);
        buf.quadratic(state)
    }

    /// The unscaled integer self-coupling `W_ii`, for integer representations.
    pub(crate) fn self_coupling_int(&self, i: usize) -> Option<i64> {
        match self.repr() {
            Repr::Dense { matrix, .. } => {
                let k = i * self.n + i;
                match matrix {
                    Matrix::I8(m) => Some(i64::from(m[k])),
                    Matrix::I16(m) => Some(i64::from(m[k])),
                    Matrix::I32(m) => Some(i64::from(m[k])),
                    Matrix::F32(_) => None,
                }
            }
            Repr::Factored { f, .. } => Some(f.get(i, i)),
        }
    }

    /// A field buffer for the states of a run from `state` whose neurons take the values
    /// `levels`: `i16` fields when the row bound keeps every field in range.
    pub(crate) fn field_buf_for(&self, state: &[i8], levels: (i8, i8)) -> FieldBuf {
        if let (
            Repr::Dense {
                matrix: Matrix::I8(_) | Matrix::I16(_),
                scale,
            },
            Some(bound),
        ) = (self.repr(), self.row_bound())
        {
            let largest = state
                .iter()
                .chain([&levels.0, &levels.1])
                .map(|s| i64::from(s.unsigned_abs()))
                .max()
                .unwrap_or(1);
            if bound.saturating_mul(largest) <= i64::from(i16::MAX) {
                return FieldBuf::Int16 {
                    h: vec![0; self.n],
                    scale: *scale,
                };
            }
        }
        self.field_buf()
    }

    /// A buffer for the fields of every neuron, of the narrowest exact type.
    pub(crate) fn field_buf(&self) -> FieldBuf {
        match self.repr() {
            Repr::Dense {
                matrix: Matrix::F32(_),
                ..
            } => FieldBuf::Float(vec![0.0; self.n]),
            // Dense i8 and i16 (N < 32768) fields fit in i32: |h_i| ≤ 2 · N · max|W_ij|.
            Repr::Dense {
                matrix: Matrix::I8(_),
                scale,
            } => FieldBuf::Int32 {
                h: vec![0; self.n],
                scale: *scale,
            },
            Repr::Dense {
                matrix: Matrix::I16(_),
                scale,
            } if self.n < 32_768 => FieldBuf::Int32 {
                h: vec![0; self.n],
                scale: *scale,
            },
            Repr::Dense { scale, .. } | Repr::Factored { scale, .. } => FieldBuf::Int {
                h: vec![0; self.n],
                scale: *scale,
            },
        }
    }

    /// Computes every field of `state` into `buf` (from [`Weights::field_buf`]).
    pub(crate) fn compute_fields(&self, state: &[i8], buf: &mut FieldBuf) {
        let n = self.n;
        // Through the patterns kept beside a dense matrix when there are few (the cache
        // exists only then): `P·N/64` popcounts and `N·P/16` multiply-adds against `N²`.
        if let Some(f) = self.cache.factored.as_deref() {
            let rows = self.cache.pairs.get_or_init(|| f.neuron_rows());
            let done = match &mut *buf {
                FieldBuf::Int16 { h, .. } => f.fields_by_rows(rows, state, h).is_some(),
                FieldBuf::Int32 { h, .. } => f.fields_by_rows(rows, state, h).is_some(),
                FieldBuf::Int { .. } | FieldBuf::Float(_) => false,
            };
            if done {
                return;
            }
        }
        if let FieldBuf::Int16 { h, scale } = buf {
            let mut wide = FieldBuf::Int32 {
                h: vec![0; n],
                scale: *scale,
            };
            self.compute_fields(state, &mut wide);
            if let FieldBuf::Int32 { h: wide, .. } = wide {
                // In range: the buffer is `Int16` only when the row bound allows it.
                for (o, &v) in h.iter_mut().zip(&wide) {
                    *o = v as i16;
                }
            }
            return;
        }
        // Inside a batch the cues are already spread over the threads.
        let par = n * n >= PARALLEL_WORK && rayon::current_thread_index().is_none();
        fn rows<T: Sync, O: Send>(
            m: &[T],
            n: usize,
            out: &mut [O],
            par: bool,
            dot: impl Fn(&[T]) -> O + Sync,
        ) {
            if par {
                out.par_iter_mut()
                    .zip(m.par_chunks(n))
                    .for_each(|(o, row)| *o = dot(row));
            } else {
                for (o, row) in out.iter_mut().zip(m.chunks_exact(n)) {
                    *o = dot(row);
                }
            }
        }
        match (self.repr(), buf) {
            (Repr::Dense { matrix, .. }, FieldBuf::Int32 { h, .. }) => match matrix {
                Matrix::I8(m) => {
                    if is_ternary(state) {
                        rows(m, n, h, par, |r| dot_i8_ternary(r, state) as i32)
                    } else {
                        rows(m, n, h, par, |r| dot_int(r, state) as i32)
                    }
                }
                Matrix::I16(m) => {
                    let wide: Vec<i16> = state.iter().map(|&s| i16::from(s)).collect();
                    rows(m, n, h, par, |r| dot_i16(r, &wide) as i32)
                }
                _ => unreachable!("only i8 and i16 matrices use i32 fields"),
            },
            (Repr::Dense { matrix, .. }, FieldBuf::Int { h, .. }) => match matrix {
                Matrix::I8(m) => {
                    if is_ternary(state) {
                        rows(m, n, h, par, |r| dot_i8_ternary(r, state))
                    } else {
                        rows(m, n, h, par, |r| dot_int(r, state))
                    }
                }
                Matrix::I16(m) => {
                    let wide: Vec<i16> = state.iter().map(|&s| i16::from(s)).collect();
                    rows(m, n, h, par, |r| dot_i16(r, &wide))
                }
                Matrix::I32(m) => rows(m, n, h, par, |r| dot_int(r, state)),
                Matrix::F32(_) => unreachable!("float matrices use float buffers"),
            },
            (
                Repr::Dense {
                    matrix: Matrix::F32(m),
                    scale,
                },
                FieldBuf::Float(h),
            ) => rows(m, n, h, par, |r| scale * dot_f32(r, state)),
            (Repr::Factored { f, .. }, FieldBuf::Int { h, .. }) => {
                let ov = f.overlaps(state);
                f.fields(state, &ov, h);
            }
            (_, buf) => {
                *buf = self.field_buf();
                self.compute_fields(state, buf);
            }
        }
    }

    /// Updates the fields in `buf` after the state changed by `delta` at each `(j, delta)`,
    /// when that is cheaper than recomputing them (dense symmetric integer couplings: a
    /// column per change). Returns `false`, leaving `buf` untouched, otherwise.
    pub(crate) fn apply_changes(&self, buf: &mut FieldBuf, changes: &[(usize, i64)]) -> bool {
        let n = self.n;
        if !self.symmetric || changes.len() * 4 > n {
            return false;
        }
        // Many changes: computing the fields afresh through the patterns costs less.
        if let Some(f) = self.cache.factored.as_deref()
            && changes.len() > f.p()
        {
            return false;
        }
        let Repr::Dense { matrix, .. } = self.repr() else {
            return false;
        };
        // Symmetric: column j is row j.
        let col = |j: usize| j * n..(j + 1) * n;
        match (matrix, buf) {
            // Wrapping sums are exact: every final field is within `i16`.
            (Matrix::I8(m), FieldBuf::Int16 { h, .. }) => {
                for &(j, d) in changes {
                    axpy_i8_i16(h, &m[col(j)], d as i16);
                }
            }
            (Matrix::I16(m), FieldBuf::Int16 { h, .. }) => {
                for &(j, d) in changes {
                    axpy_i16_i16(h, &m[col(j)], d as i16);
                }
            }
            (Matrix::I8(m), FieldBuf::Int32 { h, .. }) => {
                for &(j, d) in changes {
                    axpy_i8_i32(h, &m[col(j)], d as i32);
                }
            }
            (Matrix::I16(m), FieldBuf::Int32 { h, .. }) => {
                for &(j, d) in changes {
                    axpy_i16_i32(h, &m[col(j)], d as i32);
                }
            }
            (Matrix::I8(m), FieldBuf::Int { h, .. }) => {
                for &(j, d) in changes {
                    axpy_i8(h, &m[col(j)], d);
                }
            }
            (Matrix::I16(m), FieldBuf::Int { h, .. }) => {
                for &(j, d) in changes {
                    axpy_i16(h, &m[col(j)], d);
                }
            }
            (Matrix::I32(m), FieldBuf::Int { h, .. }) => {
                for &(j, d) in changes {
                    axpy_int(h, &m[col(j)], d);
                }
            }
            _ => return false,
        }
        true
    }

    /// Starts incremental bookkeeping of the fields for asynchronous dynamics.
    pub(crate) fn tracker(&self, state: &[i8]) -> Tracker {
        match self.repr() {
            Repr::Factored { f, .. } => Tracker::Overlaps(f.overlaps(state)),
            Repr::Dense { matrix, .. } if self.symmetric && !matches!(matrix, Matrix::F32(_)) => {
                let mut buf = self.field_buf();
                self.compute_fields(state, &mut buf);
                match buf {
                    FieldBuf::Int { h, .. } => Tracker::Fields(h),
                    FieldBuf::Int32 { h, .. } => {
                        Tracker::Fields(h.into_iter().map(i64::from).collect())
                    }
                    FieldBuf::Int16 { h, .. } => {
                        Tracker::Fields(h.into_iter().map(i64::from).collect())
                    }
                    FieldBuf::Float(_) => Tracker::Direct,
                }
            }
            Repr::Dense { .. } => Tracker::Direct,
        }
    }

    /// The field on neuron `i` from the bookkeeping: exact (unscaled integer) when the
    /// couplings are integers.
    #[inline]
    pub(crate) fn tracked(&self, tracker: &Tracker, state: &[i8], i: usize) -> Field {
        match (tracker, self.repr()) {
            (Tracker::Fields(h), Repr::Dense { .. }) => Field::Int(h[i]),
            (Tracker::Overlaps(ov), Repr::Factored { f, .. }) => {
                Field::Int(f.field_at(state, ov, i))
            }
            (_, Repr::Dense { matrix, scale }) => {
                let r = i * self.n..(i + 1) * self.n;
                match matrix {
                    Matrix::I8(m) => Field::Int(dot_int(&m[r], state)),
                    Matrix::I16(m) => Field::Int(dot_int(&m[r], state)),
                    Matrix::I32(m) => Field::Int(dot_int(&m[r], state)),
                    Matrix::F32(m) => Field::Float(scale * dot_f32(&m[r], state)),
                }
            }
            (_, Repr::Factored { f, .. }) => {
                let ov = f.overlaps(state);
                Field::Int(f.field_at(state, &ov, i))
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
                matrix: Matrix::F32(_),
                ..
            } => 1.0,
            Repr::Dense { scale, .. } | Repr::Factored { scale, .. } => *scale,
        }
    }

    /// Every field from the bookkeeping (for fixed-point checks and energies).
    pub(crate) fn tracked_fields(&self, tracker: &Tracker, state: &[i8], buf: &mut FieldBuf) {
        match (tracker, self.repr(), &mut *buf) {
            (Tracker::Fields(h), _, FieldBuf::Int { h: out, .. }) => out.copy_from_slice(h),
            (Tracker::Fields(h), _, FieldBuf::Int32 { h: out, .. }) => {
                for (o, &h) in out.iter_mut().zip(h) {
                    *o = h as i32;
                }
            }
            (Tracker::Overlaps(ov), Repr::Factored { f, .. }, FieldBuf::Int { h: out, .. }) => {
                f.fields(state, ov, out)
            }
            _ => self.compute_fields(state, buf),
        }
    }

    /// Updates the bookkeeping after neuron `i` changed by `delta` (new − old).
    #[inline]
    pub(crate) fn track(&self, tracker: &mut Tracker, i: usize, delta: i64) {
        let n = self.n;
        match (tracker, self.repr()) {
            (Tracker::Fields(h), Repr::Dense { matrix, .. }) => {
                // Symmetric: column i equals row i.
                let r = i * n..(i + 1) * n;
                match matrix {
                    Matrix::I8(m) => axpy_i8(h, &m[r], delta),
                    Matrix::I16(m) => axpy_i16(h, &m[r], delta),
                    Matrix::I32(m) => axpy_int(h, &m[r], delta),
                    Matrix::F32(_) => {}
                }
            }
            (Tracker::Overlaps(ov), Repr::Factored { f, .. }) => f.track(ov, i, delta),
            _ => {}
        }
    }
}

/// A field value: an unscaled integer (times [`Weights::scale`]) or a float.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Field {
    /// Exact integer field; the physical field is `scale · value`.
    Int(i64),
    /// Float field, already scaled.
    Float(f64),
}

/// Fields of every neuron, exact for integer couplings.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum FieldBuf {
    /// Unscaled integer fields and their scale.
    Int {
        /// `Σ_j W_int_ij S_j`.
        h: Vec<i64>,
        /// The scale of the couplings.
        scale: f64,
    },
    /// Unscaled integer fields that fit in `i16` (for every state the dynamics can
    /// reach, by the matrix's row bound), and their scale.
    Int16 {
        /// `Σ_j W_int_ij S_j`.
        h: Vec<i16>,
        /// The scale of the couplings.
        scale: f64,
    },
    /// Unscaled integer fields that fit in `i32`, and their scale.
    Int32 {
        /// `Σ_j W_int_ij S_j`.
        h: Vec<i32>,
        /// The scale of the couplings.
        scale: f64,
    },
    /// Float fields, scaled.
    Float(Vec<f64>),
}

impl FieldBuf {
    /// The synchronous update of every neuron of `state` from these fields (its own):
    /// the new state into `next`, the neurons that change with their change into
    /// `changes`. With threshold 0 and a positive scale the sign of the exact integer
    /// field decides, 32 neurons at a time where the processor allows.
    pub(crate) fn decide_all(
        &self,
        theta: &Threshold,
        state: &[i8],
        next: &mut [i8],
        changes: &mut Vec<(usize, i64)>,
        tie: Tie,
        levels: (i8, i8),
    ) {
        changes.clear();
        match self {
            FieldBuf::Int { h, scale } if theta.is_zero() && *scale > 0.0 => {
                signs(h, state, next, changes, tie, levels)
            }
            FieldBuf::Int32 { h, scale } if theta.is_zero() && *scale > 0.0 => {
                signs(h, state, next, changes, tie, levels)
            }
            FieldBuf::Int16 { h, scale } if theta.is_zero() && *scale > 0.0 => {
                if !signs_i16(h, state, next, changes, tie, levels) {
                    signs(h, state, next, changes, tie, levels)
                }
            }
            _ => {
                for (i, (n, &s)) in next.iter_mut().zip(state).enumerate() {
                    *n = decide(self.value(i) - theta.at(i), s, tie, levels);
                    if *n != s {
                        changes.push((i, i64::from(*n) - i64::from(s)));
                    }
                }
            }
        }
    }

    /// `Σ_i S_i h_i`, unscaled, for integer fields (0 for float fields).
    pub(crate) fn quadratic_int(&self, state: &[i8]) -> i128 {
        fn q<T: Copy + Into<i64>>(h: &[T], state: &[i8]) -> i128 {
            h.iter()
                .zip(state)
                .map(|(&h, &s)| i128::from(h.into()) * i128::from(s))
                .sum()
        }
        match self {
            FieldBuf::Int { h, .. } => q(h, state),
            FieldBuf::Int32 { h, .. } => q(h, state),
            FieldBuf::Int16 { h, .. } => q(h, state),
            FieldBuf::Float(_) => 0,
        }
    }

    /// The field of neuron `i`.
    #[inline]
    pub(crate) fn value(&self, i: usize) -> f64 {
        match self {
            FieldBuf::Int { h, scale } => scale * h[i] as f64,
            FieldBuf::Int16 { h, scale } => scale * f64::from(h[i]),
            FieldBuf::Int32 { h, scale } => scale * f64::from(h[i]),
            FieldBuf::Float(h) => h[i],
        }
    }

    /// `Σ_i S_i h_i = Sᵀ W S`, exact before the final scaling for integer fields.
    pub(crate) fn quadratic(&self, state: &[i8]) -> f64 {
        match self {
            FieldBuf::Int { h, scale } => {
                let q: i64 = h.iter().zip(state).map(|(h, &s)| h * i64::from(s)).sum();
                scale * q as f64
            }
            FieldBuf::Int16 { h, scale } => {
                let q: i64 = h
                    .iter()
                    .zip(state)
                    .map(|(&h, &s)| i64::from(h) * i64::from(s))
                    .sum();
                scale * q as f64
            }
            FieldBuf::Int32 { h, scale } => {
                let q: i64 = h
                    .iter()
                    .zip(state)
                    .map(|(&h, &s)| i64::from(h) * i64::from(s))
                    .sum();
                scale * q as f64
            }
            FieldBuf::Float(h) => h.iter().zip(state).map(|(h, &s)| h * f64::from(s)).sum(),
        }
    }
}

/// Incremental bookkeeping for asynchronous updates.
#[derive(Debug, Clone)]
pub(crate) enum Tracker {
    /// Integer local fields of a symmetric dense integer matrix.
    Fields(Vec<i64>),
    /// Overlaps `a^μ · S` for a factored representation.
    Overlaps(Overlaps),
    /// No bookkeeping: fields are computed from the row each time.
    Direct,
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
    let n = f.n();
    let (matrix, row_bound) = match dense_storage(f.p()) {
        Storage::DenseI8 => {
            let mut m = vec![0i8; n * n];
            let bound = f.fill_dense(&mut m, |v| v as i8);
            (Matrix::I8(m), bound)
        }
        Storage::DenseI16 => {
            let mut m = vec![0i16; n * n];
            let bound = f.fill_dense(&mut m, |v| v as i16);
            (Matrix::I16(m), bound)
        }
        _ => {
            let mut m = vec![0i32; n * n];
            let bound = f.fill_dense(&mut m, |v| v as i32);
            (Matrix::I32(m), bound)
        }
    };
    (Repr::Dense { matrix, scale }, row_bound)
}

pub(crate) fn check_dense_memory(n: usize, elem: usize) -> Result<()> {
    guard::check(
        &format!("a dense {n} x {n} weight matrix"),
        guard::product(&[n, n], elem),
        "use the factored representation (--representation factored), which stores only the P patterns",
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::seeded;

    fn vectors(p: usize, n: usize, seed: u64) -> Vec<i8> {
        let mut rng = seeded(seed);
        (0..p * n).map(|_| random::sign(&mut rng)).collect()
    }

    fn outer(p: usize, n: usize, seed: u64, scale: f64, repr: Representation) -> Weights {
        let bits = Arc::new(BitMatrix::from_positive(p, n, &vectors(p, n, seed)));
        Weights::outer(bits, false, scale, true, repr).unwrap()
    }

    #[test]
    fn dense_and_factored_agree_everywhere() {
        let (n, p) = (37, 5);
        let f = outer(p, n, 1, 1.0 / n as f64, Representation::Factored);
        let d = outer(p, n, 1, 1.0 / n as f64, Representation::Dense);
        assert_eq!(f.storage(), Storage::Factored);
        assert_eq!(d.storage(), Storage::DenseI8);
        let state = vectors(1, n, 2);
        let (mut hf, mut hd) = (vec![0.0; n], vec![0.0; n]);
        f.fields(&state, &mut hf);
        d.fields(&state, &mut hd);
        assert_eq!(hf, hd);
        for (i, &h) in hd.iter().enumerate() {
            assert_eq!(f.field(&state, i), h);
            for j in 0..n {
                assert_eq!(f.get(i, j), d.get(i, j));
            }
            assert_eq!(f.get(i, i), 0.0);
        }
        assert_eq!(f.quadratic(&state), d.quadratic(&state));
        assert_eq!(f.to_dense().unwrap(), d);
    }

    #[test]
    fn integer_type_grows_with_the_number_of_patterns() {
        let n = 8;
        let d = outer(200, n, 3, 1.0, Representation::Dense);
        assert_eq!(d.storage(), Storage::DenseI16);
        let f = outer(200, n, 3, 1.0, Representation::Factored);
        for i in 0..n {
            for j in 0..n {
                assert_eq!(d.get(i, j), f.get(i, j));
            }
        }
    }

    #[test]
    fn trackers_follow_flips_exactly() {
        let (n, p) = (30, 4);
        for w in [
            outer(p, n, 5, 0.5, Representation::Factored),
            outer(p, n, 5, 0.5, Representation::Dense),
        ] {
            let mut s = vectors(1, n, 6);
            let mut t = w.tracker(&s);
            for i in [3, 7, 3, 29, 0] {
                let delta = -2 * i64::from(s[i]);
                s[i] = -s[i];
                w.track(&mut t, i, delta);
                for k in 0..n {
                    let exact = match w.tracked(&t, &s, k) {
                        Field::Int(h) => w.scale() * h as f64,
                        Field::Float(h) => h,
                    };
                    assert_eq!(exact, w.field(&s, k));
                }
            }
        }
    }

    #[test]
    fn matrices_are_validated() {
        assert!(Weights::from_matrix(2, vec![0.0, 1.0, 1.0]).is_err());
        let e = Weights::from_matrix(2, vec![0.0, f32::NAN, 1.0, 0.0]).unwrap_err();
        assert!(e.to_string().contains("row 0 column 1"), "{e}");
        assert!(Weights::from_matrix(0, vec![]).is_err());
        let w = Weights::from_matrix(2, vec![0.0, 1.0, 2.0, 0.0]).unwrap();
        assert!(!w.is_symmetric());
        assert_eq!(w.field(&[1, -1], 1), 2.0);
    }

    #[test]
    fn dense_parts_round_trip_and_are_checked() {
        let (n, p) = (9, 4);
        for w in [
            outer(p, n, 7, 1.0 / n as f64, Representation::Dense),
            outer(200, 3, 7, 0.5, Representation::Dense),
            Weights::uniform(5, &mut seeded(2)).unwrap(),
        ] {
            let (m, scale) = w.dense_parts().unwrap();
            let back = Weights::from_dense_parts(w.n(), m, scale).unwrap();
            assert_eq!(back, w);
        }
        assert!(
            outer(p, n, 7, 1.0, Representation::Factored)
                .dense_parts()
                .is_none()
        );
        let e = Weights::from_dense_parts(2, DenseMatrix::I8(vec![0; 3]), 1.0).unwrap_err();
        assert_eq!(e.to_string(), "weight matrix has 3 values, expected 4");
        let nan = DenseMatrix::F32(vec![0.0, 0.0, f32::NAN, 0.0]);
        let e = Weights::from_dense_parts(2, nan, 1.0).unwrap_err();
        assert!(e.to_string().starts_with("weights, row 1 column 0"), "{e}");
        let e = Weights::from_dense_parts(1, DenseMatrix::I16(vec![0]), f64::INFINITY);
        assert!(e.unwrap_err().to_string().starts_with("weight scale"));
        for bad in [0.0, -0.04, -0.0] {
            let e = Weights::from_dense_parts(1, DenseMatrix::I8(vec![0]), bad).unwrap_err();
            assert!(
                e.to_string()
                    .starts_with(&format!("weight scale = {bad} is invalid")),
                "{e}"
            );
        }
        assert!(Weights::from_dense_parts(0, DenseMatrix::I32(vec![]), 1.0).is_err());
        let asym = Weights::from_dense_parts(2, DenseMatrix::I32(vec![0, 1, 2, 0]), 1.0).unwrap();
        assert!(!asym.is_symmetric());
        assert_eq!(asym.get(1, 0), 2.0);
    }

    /// A loaded int8 matrix may hold −128, whose product with −1 overflows a byte.
    #[test]
    fn int8_matrices_with_the_smallest_value_give_exact_fields() {
        let n = 64;
        let mut m = vec![1i8; n * n];
        m[..n].fill(i8::MIN);
        let w = Weights::from_dense_parts(n, DenseMatrix::I8(m), 1.0).unwrap();
        let state = vec![-1i8; n];
        let mut h = vec![0.0; n];
        w.fields(&state, &mut h);
        assert_eq!(h[0], 8192.0);
        assert_eq!(w.field(&state, 0), 8192.0);
        assert!(h[1..].iter().all(|&h| h == -64.0));
        assert_eq!(w.quadratic(&state), -8192.0 + 63.0 * 64.0);
    }

    #[test]
    fn random_connectivity() {
        let u = Weights::uniform(20, &mut seeded(1)).unwrap();
        assert!(!u.is_symmetric());
        assert!((0..20).all(|i| (0..20).all(|j| (0.0..1.0).contains(&u.get(i, j)))));
        let g = Weights::gaussian(50, 1.0, &mut seeded(1)).unwrap();
        assert!(g.is_symmetric());
        assert_eq!(g.get(3, 3), 0.0);
        let var: f64 = (0..50)
            .flat_map(|i| (0..i).map(move |j| (i, j)))
            .map(|(i, j)| g.get(i, j).powi(2))
            .sum::<f64>()
            / (50.0 * 49.0 / 2.0);
        assert!((var * 50.0 - 1.0).abs() < 0.15, "{var}");
        assert_eq!(u, Weights::uniform(20, &mut seeded(1)).unwrap());
    }
}
