//! Local fields: one neuron, every neuron, incremental updates and the quadratic form.

use super::*;

impl Weights {
    /// The local field `h_i = Σ_j W_ij S_j` on neuron `i`.
    pub fn field(&self, state: &[i8], i: usize) -> f64 {
        match self.repr() {
            Repr::Dense { matrix, scale } => {
                let r = i * self.n..(i + 1) * self.n;
                each_type!(matrix, m => scale * dot_int(&m[r], state) as f64,
                    m => scale * dot_f32(&m[r], state))
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
                each_type!(matrix, m => Some(i64::from(m[i * self.n + i])), _m => None)
            }
            Repr::Factored { f, .. } => Some(f.get(i, i)),
        }
    }

    /// A field buffer for the states of a run from `state` whose neurons take the values
    /// `levels`: `i16` fields when the row bound keeps every field in range.
    pub(crate) fn field_buf_for(&self, state: &[i8], levels: (i8, i8)) -> FieldBuf {
        if let (
            Repr::Dense {
                matrix: DenseMatrix::I8(_) | DenseMatrix::I16(_),
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
                matrix: DenseMatrix::F32(_),
                ..
            } => FieldBuf::Float(vec![0.0; self.n]),
            // Dense i8 and i16 (N < 32768) fields fit in i32: |h_i| ≤ 2 · N · max|W_ij|.
            Repr::Dense {
                matrix: m @ (DenseMatrix::I8(_) | DenseMatrix::I16(_)),
                scale,
            } if self.n < 32_768 || matches!(m, DenseMatrix::I8(_)) => FieldBuf::Int32 {
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
        let par = n * n >= PARALLEL_WORK && !crate::parallel::on_worker();
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
        /// Every row of the integer `matrix` times `state`, narrowed into `out`.
        fn int_rows<O: Send>(
            matrix: &DenseMatrix,
            state: &[i8],
            out: &mut [O],
            par: bool,
            narrow: impl Fn(i64) -> O + Sync,
        ) {
            let n = out.len();
            match matrix {
                DenseMatrix::I8(m) if is_ternary(state) => {
                    rows(m, n, out, par, |r| narrow(dot_i8_ternary(r, state)))
                }
                DenseMatrix::I16(m) => {
                    let wide: Vec<i16> = state.iter().map(|&s| i16::from(s)).collect();
                    rows(m, n, out, par, |r| narrow(dot_i16(r, &wide)))
                }
                m => each_type!(m, m => rows(m, n, out, par, |r| narrow(dot_int(r, state))),
                    _f => unreachable!("float matrices use float buffers")),
            }
        }
        match (self.repr(), buf) {
            (
                Repr::Dense {
                    matrix: DenseMatrix::F32(m),
                    scale,
                },
                FieldBuf::Float(h),
            ) => rows(m, n, h, par, |r| scale * dot_f32(r, state)),
            (Repr::Dense { matrix, .. }, FieldBuf::Int32 { h, .. }) => {
                int_rows(matrix, state, h, par, |v| v as i32)
            }
            (Repr::Dense { matrix, .. }, FieldBuf::Int { h, .. }) => {
                int_rows(matrix, state, h, par, |v| v)
            }
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
        /// `h += d · column j` for each change `(j, d)`, by `axpy`; symmetric, so column
        /// `j` is row `j`.
        fn add<W, H>(
            h: &mut [H],
            m: &[W],
            changes: &[(usize, i64)],
            axpy: impl Fn(&mut [H], &[W], i64),
        ) {
            let n = h.len();
            for &(j, d) in changes {
                axpy(h, &m[j * n..(j + 1) * n], d);
            }
        }
        match (matrix, buf) {
            // Wrapping sums are exact: every final field is within `i16`.
            (DenseMatrix::I8(m), FieldBuf::Int16 { h, .. }) => {
                add(h, m, changes, |h, c, d| axpy_i8_i16(h, c, d as i16))
            }
            (DenseMatrix::I16(m), FieldBuf::Int16 { h, .. }) => {
                add(h, m, changes, |h, c, d| axpy_i16_i16(h, c, d as i16))
            }
            (DenseMatrix::I8(m), FieldBuf::Int32 { h, .. }) => {
                add(h, m, changes, |h, c, d| axpy_i8_i32(h, c, d as i32))
            }
            (DenseMatrix::I16(m), FieldBuf::Int32 { h, .. }) => {
                add(h, m, changes, |h, c, d| axpy_i16_i32(h, c, d as i32))
            }
            (DenseMatrix::I8(m), FieldBuf::Int { h, .. }) => add(h, m, changes, axpy_i8),
            (DenseMatrix::I16(m), FieldBuf::Int { h, .. }) => add(h, m, changes, axpy_i16),
            (DenseMatrix::I32(m), FieldBuf::Int { h, .. }) => add(h, m, changes, axpy_int),
            _ => return false,
        }
        true
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
                }
                crate::kernel::decide::changed(state, next, changes);
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
        each_buf!(self, h, _s => q(h, state), _f => 0)
    }

    /// The field of neuron `i`.
    #[inline]
    pub(crate) fn value(&self, i: usize) -> f64 {
        each_buf!(self, h, scale => scale * h[i] as f64, h => h[i])
    }

    /// `Σ_i S_i h_i = Sᵀ W S`, exact before the final scaling for integer fields.
    pub(crate) fn quadratic(&self, state: &[i8]) -> f64 {
        fn q<T: Copy + Into<i64>>(h: &[T], state: &[i8]) -> i64 {
            h.iter()
                .zip(state)
                .map(|(&h, &s)| h.into() * i64::from(s))
                .sum()
        }
        each_buf!(self, h, scale => scale * q(h, state) as f64,
            h => h.iter().zip(state).map(|(h, &s)| h * f64::from(s)).sum())
    }
}
