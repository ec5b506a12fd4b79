//! Factored couplings `W = Σ_μ a^μ a^μᵀ − D`, never formed.
//!
//! The vectors `a^μ` are ±1 (Hebb) or 0/1 (the page's 0/1 rule) and are kept bit-packed
//! twice: pattern-major (`P × N`, for overlaps by AND + popcount) and neuron-major
//! (`N × P`, for fields), the latter formed from the former the first time something asks
//! for it (the wide packed layouts never do). A synchronous step costs one pass over each:
//!
//! * overlaps `m_μ = a^μ · S`: `P · N / 64` popcounts;
//! * fields `h_i = Σ_μ a^μ_i m_μ − D_i S_i`: for every group of eight patterns a table of
//!   the 256 possible partial sums is built once per step, so each neuron costs `P / 8`
//!   table look-ups instead of `P` multiply-adds (the "four Russians" method).
//!
//! Asynchronous updates keep the overlaps up to date: a flip costs `O(P)`, a field `O(P)`.
//! On AVX2, while the overlaps fit 16 bits (±1 vectors, `2N < 2¹⁵`), a pass of single-neuron
//! updates sums sixteen signed overlaps per instruction.

use std::sync::{Arc, OnceLock};

use crate::parallel::*;

use super::bits::{
    BitMatrix, PARALLEL_WORK, and_count, bipolar_bits, bits_where, count, feature_dispatch,
    max_over_rows, per_row, words_for, xor_count,
};
use super::dense::{PairMatrix, gemv_pairs};
use super::packed::Packed;

/// What is subtracted on the diagonal.
#[derive(Debug, Clone, PartialEq)]
enum Removed {
    /// Nothing: the self-couplings `Σ_μ (a^μ_i)²` stay.
    Nothing,
    /// The same value for every neuron (±1 vectors: `P`).
    Uniform(i64),
    /// One value per neuron (0/1 vectors: how many patterns have neuron `i` on).
    PerNeuron(Vec<i32>),
}

/// Factored couplings over bit-packed vectors.
#[derive(Debug, Clone)]
pub(crate) struct Factored {
    n: usize,
    p: usize,
    /// Vectors are 0/1 (`a = b`) rather than ±1 (`a = 2b − 1`).
    binary: bool,
    rows: Arc<BitMatrix>,
    /// The vectors neuron by neuron (`N × P`), the transpose of `rows`, once asked for
    /// ([`Factored::cols`]); shared with the packed layout.
    cols: OnceLock<Arc<BitMatrix>>,
    /// How many neurons each vector has on (0/1 vectors only; empty for ±1 vectors).
    ones: Vec<i64>,
    removed: Removed,
}

/// Couplings are equal when their vectors are: the neuron-major copy follows from them,
/// formed or not.
impl PartialEq for Factored {
    fn eq(&self, other: &Self) -> bool {
        (self.n, self.p, self.binary) == (other.n, other.p, other.binary)
            && self.rows == other.rows
            && self.ones == other.ones
            && self.removed == other.removed
    }
}

/// Incremental overlaps for asynchronous dynamics.
#[derive(Debug, Clone)]
pub(crate) struct Overlaps {
    /// `m_μ = a^μ · S`.
    pub(crate) m: Vec<i64>,
    /// `Σ_μ m_μ`.
    pub(crate) total: i64,
}

impl Factored {
    /// From bits set where `a^μ_i` is +1 (or 1): `rows` is `P × N`.
    pub(crate) fn new(rows: Arc<BitMatrix>, binary: bool, zero_diagonal: bool) -> Factored {
        let (p, n) = (rows.rows(), rows.cols());
        let ones: Vec<i64> = if binary {
            (0..p).map(|mu| count(rows.row(mu)) as i64).collect()
        } else {
            Vec::new()
        };
        let mut f = Factored {
            n,
            p,
            binary,
            rows,
            cols: OnceLock::new(),
            ones,
            removed: Removed::Nothing,
        };
        f.removed = match (zero_diagonal, binary) {
            (false, _) => Removed::Nothing,
            (true, false) => Removed::Uniform(p as i64),
            (true, true) => {
                Removed::PerNeuron((0..n).map(|i| count(f.cols().row(i)) as i32).collect())
            }
        };
        f
    }

    /// The vectors neuron by neuron (`N × P`), formed from `rows` the first time.
    fn cols(&self) -> &Arc<BitMatrix> {
        self.cols.get_or_init(|| Arc::new(self.rows.transpose()))
    }

    pub(crate) fn p(&self) -> usize {
        self.p
    }

    pub(crate) fn n(&self) -> usize {
        self.n
    }

    /// The layout of [`Packed`] for ±1 vectors with a uniform diagonal; `None` for 0/1
    /// vectors or where the processor cannot run it.
    pub(crate) fn packed(&self) -> Option<Packed> {
        let diagonal = self.uniform_diagonal()?;
        Packed::new(&self.rows, || Arc::clone(self.cols()), diagonal)
    }

    /// The diagonal removed from ±1 vectors' couplings when it is the same for every
    /// neuron (`None` for 0/1 vectors).
    fn uniform_diagonal(&self) -> Option<i64> {
        match (&self.removed, self.binary) {
            (_, true) | (Removed::PerNeuron(_), _) => None,
            (Removed::Nothing, false) => Some(0),
            (Removed::Uniform(d), false) => Some(*d),
        }
    }

    pub(crate) fn rows(&self) -> &Arc<BitMatrix> {
        &self.rows
    }

    /// The memory of the vectors, counting their neuron-major copy whether it has been
    /// formed yet or not.
    pub(crate) fn bytes(&self) -> u64 {
        self.rows.bytes()
            + 8 * (self.n * words_for(self.p)) as u64
            + match &self.removed {
                Removed::PerNeuron(v) => 4 * v.len() as u64,
                _ => 0,
            }
    }

    #[inline]
    fn removed_at(&self, i: usize) -> i64 {
        match &self.removed {
            Removed::Nothing => 0,
            Removed::Uniform(d) => *d,
            Removed::PerNeuron(v) => i64::from(v[i]),
        }
    }

    /// The unscaled coupling `W_ij`.
    pub(crate) fn get(&self, i: usize, j: usize) -> i64 {
        let cols = self.cols();
        let (ci, cj) = (cols.row(i), cols.row(j));
        let s = if self.binary {
            and_count(ci, cj) as i64
        } else {
            self.p as i64 - 2 * xor_count(ci, cj) as i64
        };
        if i == j { s - self.removed_at(i) } else { s }
    }

    /// The unscaled row `i` of `W` into `out`, narrowing with `narrow`; returns the row's
    /// absolute sum `Σ_j |W_ij|`.
    /// `counts` is scratch space of `N` values.
    /// `by_word`, when given, holds the vectors' words word by word (see
    /// [`BitMatrix::words_by_word`]) for the vector popcounts.
    pub(crate) fn row_into<T>(
        &self,
        i: usize,
        out: &mut [T],
        counts: &mut [u32],
        by_word: Option<&[u64]>,
        narrow: impl Fn(i64) -> T,
    ) -> i64 {
        let cols = self.cols();
        let words = cols.words();
        let ci = cols.row(i);
        if let Some(t) = by_word {
            super::packed::popcounts_by_word(ci, t, self.n, self.binary, counts);
        } else if words == 1 {
            // One word per neuron (P ≤ 64): a tight popcount loop.
            popcounts_one_word(ci[0], cols.data(), self.binary, counts);
        } else {
            popcounts_words(ci, cols.data(), self.binary, counts);
        }
        let p = self.p as i64;
        let diagonal_count = counts[i];
        let abs = signed_counts(counts, self.p as i32, self.binary);
        for (o, &v) in out.iter_mut().zip(counts.iter()) {
            *o = narrow(i64::from(v as i32));
        }
        let diagonal = self.get(i, i);
        out[i] = narrow(diagonal);
        abs - (if self.binary {
            i64::from(diagonal_count)
        } else {
            p - 2 * i64::from(diagonal_count)
        })
        .abs()
            + diagonal.abs()
    }

    /// The overlaps `m_μ = a^μ · S` for a state with values in −2..2.
    pub(crate) fn overlaps(&self, state: &[i8]) -> Overlaps {
        if let Some(ov) = self.overlaps_bipolar(state) {
            return ov;
        }
        // S = [S ≥ 1] + [S ≥ 2] − [S ≤ −1] − [S ≤ −2], each indicator a bit vector.
        let words = words_for(self.n);
        let mut levels: Vec<(i64, Vec<u64>, i64)> = Vec::with_capacity(4);
        for (sign, test) in [
            (1i64, (|s: i8| s >= 1) as fn(i8) -> bool),
            (1, |s| s >= 2),
            (-1, |s| s <= -1),
            (-1, |s| s <= -2),
        ] {
            let mut bits = vec![0u64; words];
            let mut any = false;
            for (w, chunk) in bits.iter_mut().zip(state.chunks(64)) {
                *w = bits_where(chunk, test);
                any |= *w != 0;
            }
            if any {
                let c = count(&bits) as i64;
                levels.push((sign, bits, c));
            }
        }
        let one = |mu: usize| -> i64 {
            let row = self.rows.row(mu);
            levels
                .iter()
                .map(|(sign, bits, c)| {
                    let both = and_count(row, bits) as i64;
                    let dot = if self.binary { both } else { 2 * both - c };
                    sign * dot
                })
                .sum()
        };
        let m: Vec<i64> = if self.p * words * levels.len() >= PARALLEL_WORK {
            (0..self.p).into_par_iter().map(one).collect()
        } else {
            (0..self.p).map(one).collect()
        };
        let total = m.iter().sum();
        Overlaps { m, total }
    }

    /// [`Factored::overlaps`] for a state of ±1 only: one bit vector, one popcount pass.
    fn overlaps_bipolar(&self, state: &[i8]) -> Option<Overlaps> {
        let m = if self.binary {
            // a · S = 2·|a ∧ S⁺| − |a|.
            let bits = bipolar_bits(state)?;
            per_row(self.p, self.p * bits.len(), |mu| {
                2 * and_count(self.rows.row(mu), &bits) as i64 - self.ones[mu]
            })
        } else {
            self.rows.bipolar_dots(state)?
        };
        let total = m.iter().sum();
        Some(Overlaps { m, total })
    }

    /// The `N × P` matrix of the values `a^μ_i`, laid out for [`Factored::fields_by_rows`].
    pub(crate) fn neuron_rows(&self) -> PairMatrix {
        let off = if self.binary { 0 } else { -1 };
        let cols = self.cols();
        PairMatrix::from_fn(self.n, self.p, |i, mu| {
            if cols.row(i)[mu / 64] >> (mu % 64) & 1 == 1 {
                1
            } else {
                off
            }
        })
    }

    /// The unscaled fields `h_i = Σ_μ a^μ_i m_μ − D_i S_i`: the overlaps by popcount, then
    /// one multiply-add pass over [`Factored::neuron_rows`] (`N · P / 16` SIMD operations).
    /// `None` when an overlap or a field does not fit the narrow types (`N ≥ 2¹⁴`).
    pub(crate) fn fields_by_rows<T: TryFrom<i64>>(
        &self,
        rows: &PairMatrix,
        state: &[i8],
        out: &mut [T],
    ) -> Option<()> {
        let ov = self.overlaps(state);
        let m: Vec<i16> =
            ov.m.iter()
                .map(|&m| i16::try_from(m).ok())
                .collect::<Option<_>>()?;
        let mut h = vec![0i32; rows.padded_rows()];
        gemv_pairs(rows, &m, &mut h);
        for (i, ((o, &h), &s)) in out.iter_mut().zip(&h).zip(state).enumerate() {
            *o = T::try_from(i64::from(h) - self.removed_at(i) * i64::from(s)).ok()?;
        }
        Some(())
    }

    /// The unscaled fields `h_i = Σ_μ a^μ_i m_μ − D_i S_i` for every neuron.
    pub(crate) fn fields(&self, state: &[i8], ov: &Overlaps, out: &mut [i64]) {
        let groups = self.p.div_ceil(8);
        // tables[g][b] = Σ_{k ∈ b} m_{8g + k}.
        let mut tables = vec![0i64; groups * 256];
        for (g, t) in tables.chunks_exact_mut(256).enumerate() {
            for b in 1..256usize {
                let k = b.trailing_zeros() as usize;
                let mu = 8 * g + k;
                let add = if mu < self.p { ov.m[mu] } else { 0 };
                t[b] = t[b & (b - 1)] + add;
            }
        }
        let cols = self.cols();
        let words = cols.words();
        let block = |start: usize, out: &mut [i64]| {
            for (k, o) in out.iter_mut().enumerate() {
                let i = start + k;
                let row = cols.row(i);
                let mut acc = 0i64;
                let mut g = 0;
                'words: for &w in row.iter().take(words) {
                    let mut x = w;
                    for _ in 0..8 {
                        if g >= groups {
                            break 'words;
                        }
                        acc += tables[g * 256 + (x & 0xFF) as usize];
                        x >>= 8;
                        g += 1;
                    }
                }
                let h = if self.binary { acc } else { 2 * acc - ov.total };
                *o = h - self.removed_at(i) * i64::from(state[i]);
            }
        };
        if self.n * groups >= PARALLEL_WORK {
            const BLOCK: usize = 2048;
            out.par_chunks_mut(BLOCK)
                .enumerate()
                .for_each(|(b, o)| block(b * BLOCK, o));
        } else {
            block(0, out);
        }
    }

    /// `Sᵀ W S = Σ_μ m_μ² − Σ_i D_i S_i²` from the overlaps of `state` (`O(P + N)`).
    pub(crate) fn quadratic(&self, state: &[i8], ov: &Overlaps) -> i64 {
        let squares: i64 = ov.m.iter().map(|&m| m * m).sum();
        let removed: i64 = (state.iter().enumerate())
            .map(|(i, &s)| self.removed_at(i) * i64::from(s) * i64::from(s))
            .sum();
        squares - removed
    }

    /// The unscaled field on neuron `i` from the overlaps (`O(P)`).
    #[inline]
    pub(crate) fn field_at(&self, state: &[i8], ov: &Overlaps, i: usize) -> i64 {
        let acc = masked_sum(self.cols().row(i), &ov.m);
        let h = if self.binary { acc } else { 2 * acc - ov.total };
        h - self.removed_at(i) * i64::from(state[i])
    }

    /// One pass of single-neuron updates over `order`: neuron `i` takes
    /// `new(i, h_i, S_i)` from its unscaled field, and the overlaps follow each change.
    /// Returns how many neurons changed.
    pub(crate) fn sweep(
        &self,
        ov: &mut Overlaps,
        state: &mut [i8],
        order: &[usize],
        mut new: impl FnMut(usize, i64, i8) -> i8,
    ) -> u64 {
        #[cfg(target_arch = "x86_64")]
        if let Some(d) = self.narrow_sweeps()
            && crate::simd::allows(crate::simd::Level::Avx2)
            && ov.m.iter().all(|&m| i16::try_from(m).is_ok())
        {
            // SAFETY: the processor has AVX2 (checked just above); the overlaps and fields
            // fit as `narrow_sweeps` says.
            return unsafe { avx2::sweep(self, d, ov, state, order, &mut new) };
        }
        self.sweep_general(ov, state, order, new)
    }

    /// [`Factored::sweep`] with 64-bit overlaps, for any sizes and processor.
    fn sweep_general(
        &self,
        ov: &mut Overlaps,
        state: &mut [i8],
        order: &[usize],
        mut new: impl FnMut(usize, i64, i8) -> i8,
    ) -> u64 {
        let mut changed = 0;
        for &i in order {
            let old = state[i];
            let s = new(i, self.field_at(state, ov, i), old);
            if s != old {
                state[i] = s;
                self.track(ov, i, i64::from(s) - i64::from(old));
                changed += 1;
            }
        }
        changed
    }

    /// The diagonal removed, when single-neuron passes may keep the overlaps in 16 bits and
    /// the fields in 32: ±1 vectors, a uniform diagonal, `|m_μ| ≤ 2N < 2¹⁵` for states in
    /// −2..2, and `|h_i| ≤ 2N·P + 2D < 2³¹`.
    fn narrow_sweeps(&self) -> Option<i64> {
        let d = self.uniform_diagonal()?;
        let fits = 2 * self.n <= i16::MAX as usize
            && (2 * self.n as u64 * self.p as u64 + 2 * d.unsigned_abs()) < 1 << 31;
        fits.then_some(d)
    }

    /// Updates the overlaps after neuron `i` changed by `delta`.
    #[inline]
    pub(crate) fn track(&self, ov: &mut Overlaps, i: usize, delta: i64) {
        let row = self.cols().row(i);
        let ones = count(row) as i64;
        // Binary: m_μ += delta where a^μ_i = 1. Bipolar: m_μ += ±delta as a^μ_i = ±1.
        ov.total += if self.binary {
            delta * ones
        } else {
            delta * (2 * ones - self.p as i64)
        };
        add_signed(row, &mut ov.m, delta, self.binary);
    }

    /// The dense unscaled matrix, row by row into `out` (`n · n`), narrowing with `narrow`.
    ///
    /// With few patterns, rows repeat: neurons with the same `a^·_i` column have the same
    /// row (up to the diagonal), so each distinct row is computed once and copied.
    ///
    /// Returns the largest absolute row sum `max_i Σ_j |W_ij|`, which bounds every field.
    pub(crate) fn fill_dense<T: Copy + Send + Sync>(
        &self,
        out: &mut [T],
        narrow: impl Fn(i64) -> T + Copy + Send + Sync,
    ) -> i64 {
        let n = self.n;
        let cols = self.cols();
        let distinct_ok = self.p <= 16 && cols.words() == 1;
        if distinct_ok {
            let mut index = std::collections::HashMap::new();
            let mut keys = Vec::with_capacity(n);
            let mut reps: Vec<usize> = Vec::new();
            for i in 0..n {
                let key = cols.row(i)[0];
                let r = *index.entry(key).or_insert_with(|| {
                    reps.push(i);
                    reps.len() - 1
                });
                keys.push(r);
            }
            let mut abs = 0i64;
            let cached: Vec<Vec<T>> = reps
                .iter()
                .map(|&i| {
                    let mut row = Vec::with_capacity(n);
                    row.extend((0..n).map(|j| {
                        // The off-diagonal value; the diagonal is fixed below.
                        let v = self.get(i, j) + if i == j { self.removed_at(i) } else { 0 };
                        abs = abs.max(v.abs());
                        narrow(v)
                    }));
                    row
                })
                .collect();
            max_over_rows(
                out,
                n,
                || (),
                |_, i, row| {
                    row.copy_from_slice(&cached[keys[i]]);
                    row[i] = narrow(self.get(i, i));
                    0
                },
            );
            // Every row: at most n entries of at most `abs` each (the diagonal included).
            abs.max(self.p as i64) * n as i64
        } else {
            let by_word = super::packed::vector_popcounts().then(|| cols.words_by_word());
            max_over_rows(
                out,
                n,
                || vec![0u32; n],
                |counts, i, row| self.row_into(i, row, counts, by_word.as_deref(), narrow),
            )
        }
    }
}

feature_dispatch! {
    "avx2",
    /// `Σ_k m[k]` over the bits `k` set in `words` (bit `k % 64` of word `k / 64`): one
    /// pass without branches, whatever the bits.
    fn masked_sum(words: &[u64], m: &[i64]) -> i64 {
        let mut acc = 0i64;
        for (&word, m) in words.iter().zip(m.chunks(64)) {
            for (k, &v) in m.iter().enumerate() {
                acc += v & ((word >> k) & 1).wrapping_neg() as i64;
            }
        }
        acc
    }
}

feature_dispatch! {
    "avx2",
    /// `m[k] += delta` where bit `k` of `words` is set; elsewhere nothing (binary) or
    /// `m[k] -= delta` (bipolar).
    fn add_signed(words: &[u64], m: &mut [i64], delta: i64, binary: bool) -> () {
        for (&word, m) in words.iter().zip(m.chunks_mut(64)) {
            for (k, v) in m.iter_mut().enumerate() {
                let set = ((word >> k) & 1).wrapping_neg() as i64;
                *v += if binary { delta & set } else { (delta ^ !set) - !set };
            }
        }
    }
}

/// Single-neuron passes on AVX2 with 16-bit overlaps: the field of a neuron is the sum of
/// its patterns' overlaps, each negated where the neuron's bit is clear, sixteen per
/// vector (`vpshufb` spreads the bits over the lanes, `vpmaddwd` multiplies by ±1 and sums
/// pairs into 32 bits).
#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    use super::{Factored, Overlaps};

    /// `SPREAD[c]`: the byte shuffle that puts byte `2c` of a word in both bytes of lanes
    /// 0–7 and byte `2c + 1` in lanes 8–15.
    static SPREAD: [[i8; 32]; 4] = {
        let mut t = [[0i8; 32]; 4];
        let mut c = 0;
        while c < 4 {
            let mut b = 0;
            while b < 32 {
                // `vpshufb` works within each 128-bit half.
                let lane = b / 2;
                t[c][b] = (2 * c + lane / 8) as i8;
                b += 1;
            }
            c += 1;
        }
        t
    };

    /// Lane `l` tests bit `l % 8` (in both of its bytes).
    static BIT: [i8; 32] = {
        let mut t = [0i8; 32];
        let mut b = 0;
        while b < 32 {
            t[b] = (1u8 << ((b / 2) % 8)) as i8;
            b += 1;
        }
        t
    };

    /// The ±1 signs of patterns `16c .. 16c + 16` of a row word, as all-ones (clear bit)
    /// or zero (set bit) lanes.
    #[inline]
    #[target_feature(enable = "avx2")]
    fn negated(word: __m256i, c: usize, bit: __m256i) -> __m256i {
        // SAFETY: `SPREAD[c]` holds 32 bytes.
        let spread = unsafe { _mm256_loadu_si256(SPREAD[c].as_ptr().cast()) };
        let picked = _mm256_and_si256(_mm256_shuffle_epi8(word, spread), bit);
        _mm256_cmpeq_epi16(picked, _mm256_setzero_si256())
    }

    /// [`Factored::sweep`] with the overlaps in 16 bits (`d`: the diagonal removed).
    ///
    /// # Safety
    /// AVX2 must be available, and the sizes as [`Factored::narrow_sweeps`] requires.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn sweep(
        f: &Factored,
        d: i64,
        ov: &mut Overlaps,
        state: &mut [i8],
        order: &[usize],
        new: &mut impl FnMut(usize, i64, i8) -> i8,
    ) -> u64 {
        // SAFETY: as this function's.
        unsafe {
            match f.cols().words() {
                1 => sweep_rows::<1>(f, d, ov, state, order, new),
                2 => sweep_rows::<2>(f, d, ov, state, order, new),
                _ => sweep_rows::<0>(f, d, ov, state, order, new),
            }
        }
    }

    /// [`sweep`] for rows of `W` words (`0`: of any length).
    ///
    /// # Safety
    /// As [`sweep`]'s; `W` is 0 or the rows' length.
    #[target_feature(enable = "avx2")]
    unsafe fn sweep_rows<const W: usize>(
        f: &Factored,
        d: i64,
        ov: &mut Overlaps,
        state: &mut [i8],
        order: &[usize],
        new: &mut impl FnMut(usize, i64, i8) -> i8,
    ) -> u64 {
        let cols = f.cols();
        let words = if W == 0 { cols.words() } else { W };
        let data = cols.data();
        // Sixteen overlaps per vector, zero past the last pattern (their signs do not
        // matter: ±0).
        let mut m = vec![0i16; 64 * words];
        for (m, &v) in m.iter_mut().zip(&ov.m) {
            *m = v as i16;
        }
        // All ones for the patterns, zero past the last: changes leave those lanes at 0.
        let live: Vec<i16> = (0..64 * words).map(|mu| -i16::from(mu < f.p)).collect();
        // SAFETY: `BIT` holds 32 bytes.
        let bit = unsafe { _mm256_loadu_si256(BIT.as_ptr().cast()) };
        let ones = _mm256_set1_epi16(1);
        let mut changed = 0;
        for &i in order {
            let row = &data[i * words..i * words + words];
            let mut acc = _mm256_setzero_si256();
            for (w, &x) in row.iter().enumerate() {
                let word = _mm256_set1_epi64x(x as i64);
                for c in 0..4 {
                    let neg = negated(word, c, bit);
                    // SAFETY: `m` holds 64 values per word of the row.
                    let v = unsafe { _mm256_loadu_si256(m.as_ptr().add(64 * w + 16 * c).cast()) };
                    // ±1 (−1 where the bit is clear) times the overlaps, pairs summed.
                    let sign = _mm256_or_si256(neg, ones);
                    acc = _mm256_add_epi32(acc, _mm256_madd_epi16(v, sign));
                }
            }
            let sum = _mm_add_epi32(
                _mm256_castsi256_si128(acc),
                _mm256_extracti128_si256(acc, 1),
            );
            let sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, 0b01_00_11_10));
            let sum = _mm_add_epi32(sum, _mm_shuffle_epi32(sum, 0b10_11_00_01));
            let old = state[i];
            let h = i64::from(_mm_cvtsi128_si32(sum)) - d * i64::from(old);
            let s = new(i, h, old);
            if s != old {
                state[i] = s;
                let delta = _mm256_set1_epi16(i16::from(s) - i16::from(old));
                for (w, &x) in row.iter().enumerate() {
                    let word = _mm256_set1_epi64x(x as i64);
                    for c in 0..4 {
                        let neg = negated(word, c, bit);
                        let step = _mm256_sub_epi16(_mm256_xor_si256(delta, neg), neg);
                        let at = 64 * w + 16 * c;
                        let p: *mut __m256i = m.as_mut_ptr().wrapping_add(at).cast();
                        // SAFETY: `m` and `live` hold 64 values per word of the row.
                        unsafe {
                            let live = _mm256_loadu_si256(live.as_ptr().add(at).cast());
                            let step = _mm256_and_si256(step, live);
                            _mm256_storeu_si256(p, _mm256_add_epi16(_mm256_loadu_si256(p), step))
                        };
                    }
                }
                changed += 1;
            }
        }
        for (o, &v) in ov.m.iter_mut().zip(&m) {
            *o = i64::from(v);
        }
        ov.total = ov.m.iter().sum();
        changed
    }
}

feature_dispatch! {
    "popcnt",
    /// `out[j] = popcount(c & cols[j])` (binary) or `popcount(c ^ cols[j])` (bipolar).
    fn popcounts_one_word(c: u64, cols: &[u64], binary: bool, out: &mut [u32]) -> () {
        if binary {
            for (o, &x) in out.iter_mut().zip(cols) {
                *o = (c & x).count_ones();
            }
        } else {
            for (o, &x) in out.iter_mut().zip(cols) {
                *o = (c ^ x).count_ones();
            }
        }
    }
}

feature_dispatch! {
    "avx2",
    /// Turns popcounts into the values `v_j = counts[j]` (binary) or `P − 2·counts[j]`, in
    /// place (as `i32` bits: `|v| ≤ P < 2³¹`); returns `Σ_j |v_j|`.
    fn signed_counts(counts: &mut [u32], p: i32, binary: bool) -> i64 {
        let mut total = 0i64;
        // Sums of 1024 values stay in i32 while P < 2²⁰; beyond, one value at a time.
        let chunk = if p < 1 << 20 { 1024 } else { 1 };
        for c in counts.chunks_mut(chunk) {
            let mut abs = 0i32;
            for c in c.iter_mut() {
                let v = if binary { *c as i32 } else { p - 2 * *c as i32 };
                abs += v.abs();
                *c = v as u32;
            }
            total += i64::from(abs);
        }
        total
    }
}

feature_dispatch! {
    "popcnt",
    /// `out[j] = popcount(c & col_j)` (binary) or `popcount(c ^ col_j)` (bipolar) for
    /// columns of `c.len()` words each.
    fn popcounts_words(c: &[u64], cols: &[u64], binary: bool, out: &mut [u32]) -> () {
        /// The loop with the word count known at compile time, fully unrolled.
        #[inline(always)]
        fn fixed<const W: usize>(c: &[u64], cols: &[u64], binary: bool, out: &mut [u32]) {
            let mut a = [0u64; W];
            a.copy_from_slice(&c[..W]);
            for (o, col) in out.iter_mut().zip(cols.chunks_exact(W)) {
                let mut n = 0;
                for k in 0..W {
                    n += if binary { (a[k] & col[k]).count_ones() } else { (a[k] ^ col[k]).count_ones() };
                }
                *o = n;
            }
        }
        match c.len() {
            2 => fixed::<2>(c, cols, binary, out),
            3 => fixed::<3>(c, cols, binary, out),
            4 => fixed::<4>(c, cols, binary, out),
            words => {
                for (o, col) in out.iter_mut().zip(cols.chunks_exact(words)) {
                    let mut n = 0;
                    for (a, b) in c.iter().zip(col) {
                        n += if binary { (a & b).count_ones() } else { (a ^ b).count_ones() };
                    }
                    *o = n;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::{self, seeded};

    fn setup(p: usize, n: usize, binary: bool, zero: bool, seed: u64) -> (Factored, Vec<i8>) {
        let mut rng = seeded(seed);
        let signs: Vec<i8> = (0..p * n).map(|_| random::sign(&mut rng)).collect();
        let f = Factored::new(
            Arc::new(BitMatrix::from_positive(p, n, &signs)),
            binary,
            zero,
        );
        let a: Vec<i8> = signs
            .iter()
            .map(|&s| if binary { i8::from(s > 0) } else { s })
            .collect();
        (f, a)
    }

    fn naive_w(a: &[i8], p: usize, n: usize, zero: bool) -> Vec<i64> {
        let mut w = vec![0i64; n * n];
        for mu in 0..p {
            for i in 0..n {
                for j in 0..n {
                    if !(zero && i == j) {
                        w[i * n + j] += i64::from(a[mu * n + i]) * i64::from(a[mu * n + j]);
                    }
                }
            }
        }
        w
    }

    /// Single-neuron passes with 16-bit overlaps (AVX2) see the fields the general loop
    /// sees, make the same changes and leave the same overlaps, for pattern counts around
    /// the vectors' and words' sizes (rows of one word, two, and three as any length
    /// takes them), with and without self-couplings, and for decisions
    /// that turn neurons off (changes of one) as well as over.
    #[test]
    fn narrow_sweeps_match_the_general_loop() {
        #[cfg(target_arch = "x86_64")]
        if crate::simd::detected() >= crate::simd::Level::Avx2 {
            for (p, n) in [
                (1, 5),
                (15, 40),
                (16, 33),
                (17, 70),
                (50, 300),
                (64, 90),
                (65, 64),
                (130, 101),
            ] {
                for zero in [true, false] {
                    let (f, _) = setup(p, n, false, zero, (7 * p + n) as u64);
                    let d = f.narrow_sweeps().expect("small sizes fit 16 bits");
                    let mut rng = seeded(p as u64);
                    let start: Vec<i8> = (0..n)
                        .map(|_| random::index(&mut rng, 5) as i8 - 2)
                        .collect();
                    let order: Vec<usize> =
                        (0..3 * n).map(|_| random::index(&mut rng, n)).collect();
                    // Sign of the field; ties and every seventh neuron go to 0.
                    fn decide(seen: &mut Vec<i64>) -> impl FnMut(usize, i64, i8) -> i8 + '_ {
                        move |i, h, old| {
                            seen.push(h);
                            if i % 7 == 0 || h == 0 {
                                0
                            } else if h > 0 {
                                1
                            } else {
                                old.min(-1)
                            }
                        }
                    }
                    let (mut a, mut b) = (start.clone(), start.clone());
                    let (mut ova, mut ovb) = (f.overlaps(&start), f.overlaps(&start));
                    let (mut seen_a, mut seen_b) = (Vec::new(), Vec::new());
                    let ca = f.sweep_general(&mut ova, &mut a, &order, decide(&mut seen_a));
                    // SAFETY: the processor has AVX2 (checked above); the sizes fit.
                    let cb = unsafe {
                        avx2::sweep(&f, d, &mut ovb, &mut b, &order, &mut decide(&mut seen_b))
                    };
                    let case = format!("p={p} n={n} zero={zero}");
                    assert_eq!(seen_a, seen_b, "{case}");
                    assert_eq!((ca, &a), (cb, &b), "{case}");
                    assert_eq!((&ova.m, ova.total), (&ovb.m, ovb.total), "{case}");
                    assert!(ca > 0, "{case}: the pass changed something");
                }
            }
        }
    }

    #[test]
    fn every_operation_matches_the_matrix() {
        for (p, n) in [(1, 5), (3, 64), (9, 130), (70, 33)] {
            for binary in [false, true] {
                for zero in [true, false] {
                    let (f, a) = setup(p, n, binary, zero, (p * n) as u64);
                    let w = naive_w(&a, p, n, zero);
                    let mut rng = seeded(7);
                    let state: Vec<i8> = (0..n)
                        .map(|_| random::index(&mut rng, 5) as i8 - 2)
                        .collect();
                    let ov = f.overlaps(&state);
                    for mu in 0..p {
                        let m: i64 = (0..n)
                            .map(|j| i64::from(a[mu * n + j]) * i64::from(state[j]))
                            .sum();
                        assert_eq!(ov.m[mu], m);
                    }
                    let mut h = vec![0i64; n];
                    f.fields(&state, &ov, &mut h);
                    let q: i64 = (0..n).map(|i| h[i] * i64::from(state[i])).sum();
                    assert_eq!(
                        f.quadratic(&state, &ov),
                        q,
                        "p={p} n={n} binary={binary} zero={zero}"
                    );
                    for i in 0..n {
                        let expect: i64 = (0..n).map(|j| w[i * n + j] * i64::from(state[j])).sum();
                        assert_eq!(
                            h[i], expect,
                            "p={p} n={n} binary={binary} zero={zero} i={i}"
                        );
                        assert_eq!(f.field_at(&state, &ov, i), expect);
                        for j in 0..n {
                            assert_eq!(f.get(i, j), w[i * n + j]);
                        }
                    }
                    let mut dense = vec![0i64; n * n];
                    let bound = f.fill_dense(&mut dense, |v| v);
                    assert_eq!(dense, w);
                    let largest = (0..n)
                        .map(|i| (0..n).map(|j| w[i * n + j].abs()).sum::<i64>())
                        .max()
                        .unwrap();
                    // Exact when rows are computed one by one, an upper bound when
                    // repeated rows are copied (P ≤ 16).
                    if p <= 16 {
                        assert!(bound >= largest, "p={p} n={n}: {bound} < {largest}");
                    } else {
                        assert_eq!(bound, largest, "p={p} n={n} binary={binary} zero={zero}");
                    }
                    let rows = f.neuron_rows();
                    let mut narrow = vec![0i32; n];
                    let ternary: Vec<i8> = state.iter().map(|&s| s.clamp(-1, 1)).collect();
                    f.fields_by_rows(&rows, &ternary, &mut narrow).unwrap();
                    for i in 0..n {
                        let expect: i64 =
                            (0..n).map(|j| w[i * n + j] * i64::from(ternary[j])).sum();
                        assert_eq!(i64::from(narrow[i]), expect, "p={p} n={n} i={i}");
                    }
                }
            }
        }
    }

    #[test]
    fn tracking_follows_changes() {
        for (p, n, binary) in [
            (13, 77, false),
            (13, 77, true),
            (130, 71, false),
            (130, 71, true),
        ] {
            let (f, _) = setup(p, n, binary, true, 1);
            let mut state: Vec<i8> = vec![1; n];
            let mut ov = f.overlaps(&state);
            for (i, new) in [(3, -1i8), (70, -1), (3, 1), (0, -1)] {
                let delta = i64::from(new - state[i]);
                state[i] = new;
                f.track(&mut ov, i, delta);
                let fresh = f.overlaps(&state);
                assert_eq!(ov.m, fresh.m);
                assert_eq!(ov.total, fresh.total);
            }
        }
    }

    #[test]
    fn rows_agree_with_and_without_vector_popcounts() {
        // The portable popcounts (one word, several words) and the vector ones give the
        // same rows and row sums.
        for (p, n) in [(5, 70), (64, 9), (130, 200)] {
            for binary in [false, true] {
                let (f, _) = setup(p, n, binary, true, (p + n) as u64);
                let by_word = f.cols().words_by_word();
                let mut counts = vec![0u32; n];
                for i in 0..n {
                    let (mut a, mut b) = (vec![0i64; n], vec![0i64; n]);
                    let sa = f.row_into(i, &mut a, &mut counts, None, |v| v);
                    if super::super::packed::vector_popcounts() {
                        let sb = f.row_into(i, &mut b, &mut counts, Some(&by_word), |v| v);
                        assert_eq!((a.clone(), sa), (b, sb), "p {p} n {n} row {i}");
                    }
                    let direct: Vec<i64> = (0..n).map(|j| f.get(i, j)).collect();
                    assert_eq!(a, direct);
                    assert_eq!(sa, direct.iter().map(|v| v.abs()).sum::<i64>());
                }
            }
        }
    }
}
