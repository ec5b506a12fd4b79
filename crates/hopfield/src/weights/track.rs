//! Bookkeeping of the fields for asynchronous dynamics, updated neuron by neuron.

use super::*;

impl Weights {
    /// Starts incremental bookkeeping of the fields for asynchronous dynamics.
    pub(crate) fn tracker(&self, state: &[i8]) -> Tracker {
        match self.repr() {
            Repr::Factored { f, .. } => Tracker::Overlaps(f.overlaps(state)),
            Repr::Dense { matrix, .. }
                if self.symmetric && !matches!(matrix, DenseMatrix::F32(_)) =>
            {
                let mut buf = self.field_buf();
                self.compute_fields(state, &mut buf);
                fn wide<T: Copy + Into<i64>>(h: &[T]) -> Tracker {
                    Tracker::Fields(h.iter().map(|&v| v.into()).collect())
                }
                each_buf!(buf, h, _s => wide(&h), _f => Tracker::Direct)
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
                each_type!(matrix, m => Field::Int(dot_int(&m[r], state)),
                    m => Field::Float(scale * dot_f32(&m[r], state)))
            }
            (_, Repr::Factored { f, .. }) => {
                let ov = f.overlaps(state);
                Field::Int(f.field_at(state, &ov, i))
            }
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

    /// `Sᵀ W S` (unscaled) from the bookkeeping, where it gives it without the fields
    /// (overlaps of a factored representation).
    pub(crate) fn tracked_quadratic(&self, tracker: &Tracker, state: &[i8]) -> Option<i64> {
        match (tracker, self.repr()) {
            (Tracker::Overlaps(ov), Repr::Factored { f, .. }) => Some(f.quadratic(state, ov)),
            _ => None,
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
                    DenseMatrix::I8(m) => axpy_i8(h, &m[r], delta),
                    DenseMatrix::I16(m) => axpy_i16(h, &m[r], delta),
                    DenseMatrix::I32(m) => axpy_int(h, &m[r], delta),
                    DenseMatrix::F32(_) => {}
                }
            }
            (Tracker::Overlaps(ov), Repr::Factored { f, .. }) => f.track(ov, i, delta),
            _ => {}
        }
    }
}

impl Weights {
    /// One pass of single-neuron updates over `order` in one loop, where the bookkeeping
    /// allows it (overlaps of a factored representation): `new(i, h, old)` is neuron `i`'s
    /// new value from its unscaled integer field `h`. Returns how many neurons changed, or
    /// `None` (nothing done) for other bookkeeping.
    pub(crate) fn sweep_tracked(
        &self,
        tracker: &mut Tracker,
        state: &mut [i8],
        order: &[usize],
        new: impl FnMut(usize, i64, i8) -> i8,
    ) -> Option<u64> {
        match (tracker, self.repr()) {
            (Tracker::Overlaps(ov), Repr::Factored { f, .. }) => {
                Some(f.sweep(ov, state, order, new))
            }
            _ => None,
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
