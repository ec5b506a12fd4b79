//! Steps through whole columns of `W`: the distances between neurons.

use std::sync::atomic::Ordering;

#[cfg(target_arch = "x86_64")]
use super::avx512;
use super::layout::{Kind, LANES, Packed, Scratch};
use crate::guard;
use crate::neuron::Tie;
use crate::parallel::*;

impl Packed {
    /// Turns the partial fields of the last [`Packed::step`], from `s`, into the fields
    /// `h = W S = Σ_μ ξ^μ m_μ − D·S` of `s` for [`Packed::column_step`].
    pub(crate) fn fields_for_columns(&self, s: &[u64], scratch: &mut Scratch) {
        self.check(s, scratch);
        // SAFETY: as in `overlaps`.
        match self.kind {
            Kind::Avx512 => kernel!(avx512::remove_diagonal(self, s, &mut scratch.fields)),
            Kind::Avx2 => {
                let d = self.diagonal as i16;
                for (i, h) in scratch.fields[..self.n].iter_mut().enumerate() {
                    let on = s[i / 64] >> (i % 64) & 1 == 1;
                    *h = if on {
                        h.wrapping_sub(d)
                    } else {
                        h.wrapping_add(d)
                    };
                }
            }
        }
    }

    /// The distances `d_ij` for [`Packed::column_step`], once they pay: they are formed
    /// when the `steps` just taken with few changes, with those reported before by any run,
    /// could have saved as much as forming them costs (so that runs spend at most about
    /// twice what they need). `None` while they do not pay, or when they cannot serve
    /// (`P > 255`, `N² > 64 MiB`, or fields that may leave 16 bits). `steps = 0` only asks
    /// whether they are there. The distances are followed by 32 bytes of padding, so that
    /// the last row can be read a whole block at a time.
    pub(crate) fn columns(&self, steps: u64) -> Option<&[u8]> {
        if self.wide {
            return None;
        }
        if let Some(d) = self.distances.get() {
            return d.as_deref();
        }
        let bytes = guard::product(&[self.n, self.n], 1);
        if steps == 0 || self.p > usize::from(u8::MAX) || bytes > 64 << 20 {
            return None;
        }
        let total = self
            .tally
            .steps
            .fetch_add(steps, Ordering::Relaxed)
            .saturating_add(steps);
        // Forming: N² distances of ⌈P/64⌉ vector popcounts per eight. A step saved: about
        // half of a packed step's N/32 blocks of ⌈P/12⌉ pairs of look-ups.
        let (n, p) = (self.n as u64, self.p as u64);
        let form = n * n * (3 * p.div_ceil(64) + 4) / 8;
        let saved = (n / 32 + 1) * (5 * p.div_ceil(12) + 12) / 2;
        // One thread forms them while the others go on without: nobody waits, and a
        // thread forming them in parallel may take up other runs of its batch meanwhile.
        if total.saturating_mul(saved) < form
            || guard::check("neuron distances", bytes, "").is_err()
            || self.tally.forming.swap(true, Ordering::AcqRel)
        {
            return None;
        }
        let _ = self.distances.set(self.form_distances());
        self.distances.get().and_then(|d| d.as_deref())
    }

    /// The distances row by row, and whether every field stays in 16 bits: the row sums
    /// `Σ_j |W_ij|` are at most 32767.
    pub(super) fn form_distances(&self) -> Option<Vec<u8>> {
        let n = self.n;
        let mut d = vec![0u8; n * n + LANES];
        let words = self.p.div_ceil(64);
        let by_word = &self.by_word;
        let (p, diagonal) = (self.p as i64, self.diagonal);
        // In parallel even from a batch's thread: no lock is held (see `columns`).
        let kind = self.kind;
        let bound = d[..n * n]
            .par_chunks_mut(n)
            .enumerate()
            .map_init(Vec::new, |c: &mut Vec<u64>, (i, row)| {
                c.clear();
                c.extend((0..words).map(|w| by_word[w * n + i]));
                // SAFETY: a `Packed` exists only where its build's features are available
                // (see `new`).
                let sum: i64 = by_kind!(kind, distances_row(c, by_word, n, p, row));
                // The diagonal: |P − D| rather than the |P| counted for d_ii = 0.
                sum - p + (p - diagonal).abs()
            })
            .max()
            .unwrap_or(0);
        (bound <= i64::from(i16::MAX)).then_some(d)
    }

    /// One synchronous step through the distances `d` (from [`Packed::columns`]): the
    /// fields, of the state before the last step, take the columns of the neurons that step
    /// changed (their new values in `s`) and become the fields of `s`; the new state goes
    /// into `next`. Returns how many neurons changed, and records them.
    pub(crate) fn column_step(
        &self,
        d: &[u8],
        s: &[u64],
        scratch: &mut Scratch,
        tie: Tie,
        next: &mut [u64],
    ) -> u64 {
        self.check(s, scratch);
        assert!(next.len() == self.words && d.len() >= self.n * self.n + LANES);
        // SAFETY: as in `overlaps`; the lengths were checked just above.
        by_kind!(self.kind, column_step(self, d, s, scratch, tie, next));
        scratch.changes as u64
    }
}

impl Scratch {
    /// The changed neurons' rows of the distances (`n` entries a row), those that turned
    /// on first (`moves[..ups]`) and those that turned off after a gap (`moves[ups + 1..=
    /// changes]`, last first); returns `ups`. Partitioned without branches (which way a
    /// neuron went is unpredictable): each row goes to both ends, and only one end
    /// advances.
    pub(super) fn rows_of_changes(&mut self, s: &[u64], n: usize) -> usize {
        let count = self.changes;
        self.moves.clear();
        self.moves.resize(count + 1, (0, 0));
        let (mut up, mut down) = (0usize, count);
        for &j in &self.changed[..count] {
            let j = j as usize;
            let on = ((s[j / 64] >> (j % 64)) & 1) as usize;
            self.moves[up].0 = j * n;
            self.moves[down].0 = j * n;
            up += on;
            down -= 1 - on;
        }
        up
    }
}
