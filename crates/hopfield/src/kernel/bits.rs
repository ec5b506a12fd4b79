//! Bit-packed ±1 (or 0/1) vectors: one bit per neuron, set for +1 (or 1).

use crate::parallel::*;

/// A `rows × cols` matrix of bits, each row padded to whole `u64` words (padding is 0).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BitMatrix {
    rows: usize,
    cols: usize,
    words: usize,
    data: Vec<u64>,
}

/// Words needed for `bits` bits.
#[inline]
pub(crate) fn words_for(bits: usize) -> usize {
    bits.div_ceil(64)
}

/// The "> 0" bits of a state whose every value is ±1; `None` when it holds another value.
pub(crate) fn bipolar_bits(state: &[i8]) -> Option<Vec<u64>> {
    // (s + 1) with bit 1 cleared is zero exactly for s = ±1; the fold vectorizes.
    if state
        .iter()
        .fold(0u8, |a, &s| a | ((s as u8).wrapping_add(1) & !2))
        != 0
    {
        return None;
    }
    let mut bits = vec![0u64; words_for(state.len())];
    pack_positive(state, &mut bits);
    Some(bits)
}

/// `len` zeros, in memory the system may back with large pages when there is much of it
/// (fewer page faults and translation misses for the strided reads of the layouts). The
/// memory is zeroed by the system, when first touched.
pub(crate) fn zeroed<T: Copy + Default>(len: usize) -> Vec<T> {
    let v = vec![T::default(); len];
    advise_large_pages(v.as_ptr(), len);
    v
}

/// `len` values written by `fill` (which gets them uninitialised, in memory advised as
/// [`zeroed`] advises it) and nothing else: no pass that zeroes them first.
///
/// # Safety
/// `fill` must write every one of the `len` values.
pub(crate) unsafe fn filled<T: Copy>(
    len: usize,
    fill: impl FnOnce(&mut [std::mem::MaybeUninit<T>]),
) -> Vec<T> {
    let mut v = Vec::with_capacity(len);
    advise_large_pages(v.as_ptr(), len);
    fill(&mut v.spare_capacity_mut()[..len]);
    // SAFETY: the capacity is at least `len`, and `fill` wrote every value (the caller's
    // promise).
    unsafe { v.set_len(len) };
    v
}

/// Asks the system to back the `len` values from `ptr` with large pages when there are
/// at least 8 MiB of them.
fn advise_large_pages<T>(ptr: *const T, len: usize) {
    #[cfg(target_os = "linux")]
    {
        let bytes = len.saturating_mul(std::mem::size_of::<T>());
        if bytes >= 8 << 20 {
            // Whole 2 MiB pages within the allocation.
            const HUGE: usize = 2 << 20;
            let start = (ptr as usize).next_multiple_of(HUGE);
            let end = (ptr as usize + bytes) / HUGE * HUGE;
            if end > start {
                // SAFETY: advice on pages of this allocation, which it does not change; an
                // error (no large pages here) leaves them as they are.
                unsafe {
                    libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
                }
            }
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (ptr, len);
}

/// Work (in elementary operations) above which a pass over bit rows is spread over threads.
pub(crate) const PARALLEL_WORK: usize = 1 << 17;

/// `f(r)` for `r` in `0..rows`, spread over threads when `work` is large and the caller
/// is not already on one of them.
pub(crate) fn per_row(
    rows: usize,
    work: usize,
    f: impl Fn(usize) -> i64 + Sync + Send,
) -> Vec<i64> {
    if work >= PARALLEL_WORK && !crate::parallel::on_worker() {
        (0..rows).into_par_iter().map(f).collect()
    } else {
        (0..rows).map(f).collect()
    }
}

/// `f(scratch, i, row)` for every row `i` of `out` (rows of `n` values), returning the
/// largest result (0 for none); `scratch` comes from `init`, one per thread. Spread over
/// threads unless the caller is already on one of them: a worker that waits inside a
/// once-only initialiser for its own parallel work could pick up work that waits for the
/// same initialiser, and never return.
pub(crate) fn max_over_rows<T: Send, S>(
    out: &mut [T],
    n: usize,
    init: impl Fn() -> S + Sync + Send,
    f: impl Fn(&mut S, usize, &mut [T]) -> i64 + Sync + Send,
) -> i64 {
    if !crate::parallel::on_worker() {
        out.par_chunks_mut(n)
            .enumerate()
            .map_init(&init, |s, (i, row)| f(s, i, row))
            .max()
            .unwrap_or(0)
    } else {
        let mut s = init();
        out.chunks_mut(n)
            .enumerate()
            .map(|(i, row)| f(&mut s, i, row))
            .max()
            .unwrap_or(0)
    }
}

impl BitMatrix {
    /// The dot products `Σ_j a_rj s_j` of every row read as ±1 (a set bit is +1) with a
    /// state of ±1 values: `cols − 2·popcount(row ⊕ s)`; `None` when the state holds
    /// another value.
    pub(crate) fn bipolar_dots(&self, state: &[i8]) -> Option<Vec<i64>> {
        let s = bipolar_bits(state)?;
        let n = self.cols() as i64;
        Some(per_row(self.rows(), self.rows() * s.len(), |r| {
            n - 2 * xor_count(self.row(r), &s) as i64
        }))
    }

    /// The words column by column: entry `w · rows + r` is word `w` of row `r`, so that
    /// the same word of consecutive rows sits side by side (for vector popcounts across
    /// rows).
    pub(crate) fn words_by_word(&self) -> Vec<u64> {
        let mut t = vec![0u64; self.words * self.rows];
        for r in 0..self.rows {
            for (w, &x) in self.row(r).iter().enumerate() {
                t[w * self.rows + r] = x;
            }
        }
        t
    }

    /// All-zero matrix.
    pub(crate) fn zeros(rows: usize, cols: usize) -> BitMatrix {
        let words = words_for(cols);
        BitMatrix {
            rows,
            cols,
            words,
            data: zeroed(rows * words),
        }
    }

    /// Bits set where `values > 0`, `values` holding `rows` rows of `cols` values.
    pub(crate) fn from_positive(rows: usize, cols: usize, values: &[i8]) -> BitMatrix {
        let mut m = BitMatrix::zeros(rows, cols);
        for (r, row) in values.chunks_exact(cols.max(1)).take(rows).enumerate() {
            pack_positive(row, m.row_mut(r));
        }
        m
    }

    /// Appends the rows of `other`, which has as many columns.
    pub(crate) fn append(&mut self, other: &BitMatrix) {
        assert_eq!(self.cols, other.cols, "rows of another length");
        self.data.extend_from_slice(&other.data);
        self.rows += other.rows;
    }

    /// The rows at `indices`, in that order (each below `rows`).
    pub(crate) fn select(&self, indices: &[usize]) -> BitMatrix {
        let mut data = Vec::with_capacity(indices.len() * self.words);
        for &r in indices {
            data.extend_from_slice(self.row(r));
        }
        BitMatrix {
            rows: indices.len(),
            cols: self.cols,
            words: self.words,
            data,
        }
    }

    pub(crate) fn rows(&self) -> usize {
        self.rows
    }

    pub(crate) fn cols(&self) -> usize {
        self.cols
    }

    /// Words per row.
    pub(crate) fn words(&self) -> usize {
        self.words
    }

    #[inline]
    pub(crate) fn row(&self, r: usize) -> &[u64] {
        &self.data[r * self.words..(r + 1) * self.words]
    }

    /// Every row's words, row after row.
    pub(crate) fn data_mut(&mut self) -> &mut [u64] {
        &mut self.data
    }

    #[inline]
    pub(crate) fn row_mut(&mut self, r: usize) -> &mut [u64] {
        &mut self.data[r * self.words..(r + 1) * self.words]
    }

    #[cfg(test)]
    pub(crate) fn get(&self, r: usize, c: usize) -> bool {
        (self.data[r * self.words + c / 64] >> (c % 64)) & 1 == 1
    }

    /// All words, row after row.
    pub(crate) fn data(&self) -> &[u64] {
        &self.data
    }

    /// Memory in bytes.
    pub(crate) fn bytes(&self) -> u64 {
        8 * self.data.len() as u64
    }

    /// The transpose (`cols × rows`), by 64 × 64 blocks: groups of 512 columns (a cache
    /// line of every row) at a time, in parallel for large matrices unless the caller is
    /// on a worker thread.
    pub(crate) fn transpose(&self) -> BitMatrix {
        const GROUP: usize = 8;
        let mut t = BitMatrix::zeros(self.cols, self.rows);
        let per_group = 64 * GROUP * t.words;
        if per_group == 0 {
            return t;
        }
        let avx2 = cfg!(target_arch = "x86_64") && crate::simd::allows(crate::simd::Level::Avx2);
        let (words, tw) = (self.words, t.words);
        let group = |g: usize, out: &mut [u64]| {
            let first = GROUP * g;
            let width = (words - first).min(GROUP);
            // Words `first..first + width` of 64 rows, read once (one pass over each row's
            // cache line), then zeros.
            let mut tile = [[0u64; GROUP]; 64];
            for rb in 0..words_for(self.rows) {
                let rows = (self.rows - 64 * rb).min(64);
                for (k, line) in tile[..rows].iter_mut().enumerate() {
                    let start = (64 * rb + k) * words + first;
                    if width == GROUP {
                        line.copy_from_slice(&self.data[start..start + GROUP]);
                    } else {
                        line[..width].copy_from_slice(&self.data[start..start + width]);
                    }
                }
                tile[rows..].fill([0; GROUP]);
                for c in 0..width {
                    let mut block: [u64; 64] = std::array::from_fn(|k| tile[k][c]);
                    transpose_block(&mut block, avx2);
                    // Word `rb` of columns 64·(first + c).. (those that exist).
                    let columns = (self.cols - 64 * (first + c)).min(64);
                    let dst = &mut out[64 * c * tw + rb..];
                    assert!(dst.len() > (columns - 1) * tw);
                    for (k, &b) in block[..columns].iter().enumerate() {
                        // SAFETY: `k · tw < dst.len()` (asserted above).
                        unsafe { *dst.get_unchecked_mut(k * tw) = b };
                    }
                }
            }
        };
        if self.data.len() >= PARALLEL_WORK && !crate::parallel::on_worker() {
            t.data
                .par_chunks_mut(per_group)
                .enumerate()
                .for_each(|(g, out)| group(g, out));
        } else {
            t.data
                .chunks_mut(per_group)
                .enumerate()
                .for_each(|(g, out)| group(g, out));
        }
        t
    }
}

/// The bits of up to 64 values where `test` holds, the first value in the lowest bit.
#[inline]
pub(crate) fn bits_where(values: &[i8], test: impl Fn(i8) -> bool) -> u64 {
    let mut bits = 0u64;
    for (k, &v) in values.iter().enumerate() {
        bits |= u64::from(test(v)) << k;
    }
    bits
}

/// [`transpose64`], by byte shuffles and byte masks where the level in force has AVX2
/// (`avx2`), with the same result.
#[inline]
fn transpose_block(a: &mut [u64; 64], avx2: bool) {
    #[cfg(target_arch = "x86_64")]
    if avx2 {
        // SAFETY: the level in force allows AVX2, so the processor has it.
        unsafe { transpose64_avx2(a) };
        return;
    }
    let _ = avx2;
    transpose64(a);
}

/// The bytes of 32 rows of 64 bits, byte by byte: given `v[m]` holding rows `2m, 2m + 1`
/// (low lane) and `16 + 2m, 17 + 2m` (high lane), vector `j` of the result holds byte `j`
/// of the 32 rows, in row order.
#[cfg(target_arch = "x86_64")]
#[inline]
#[target_feature(enable = "avx2")]
pub(crate) fn bytes_by_column(
    v: [std::arch::x86_64::__m256i; 8],
) -> [std::arch::x86_64::__m256i; 8] {
    use std::arch::x86_64::*;
    // Within each 128-bit lane (two rows), the bytes of the two rows interleaved: word `j`
    // holds byte `j` of both.
    let interleave = _mm256_setr_epi8(
        0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5, 13, 6, 14, 7, 15, 0, 8, 1, 9, 2, 10, 3, 11, 4, 12, 5,
        13, 6, 14, 7, 15,
    );
    let v = v.map(|x| _mm256_shuffle_epi8(x, interleave));
    // An 8 × 8 transpose of 16-bit words within each lane. s1[2p], s1[2p + 1]: words 0–3
    // and 4–7 of v[2p] and v[2p + 1], interleaved.
    let s1: [__m256i; 8] = std::array::from_fn(|i| {
        let (x, y) = (v[2 * (i / 2)], v[2 * (i / 2) + 1]);
        if i % 2 == 0 {
            _mm256_unpacklo_epi16(x, y)
        } else {
            _mm256_unpackhi_epi16(x, y)
        }
    });
    // s2[0..4]: words (0, 1), (2, 3), (4, 5), (6, 7) of v[0..4]; s2[4..8] those of v[4..8].
    let s2: [__m256i; 8] = std::array::from_fn(|i| {
        let (x, y) = match i / 2 {
            0 => (s1[0], s1[2]),
            1 => (s1[1], s1[3]),
            2 => (s1[4], s1[6]),
            _ => (s1[5], s1[7]),
        };
        if i % 2 == 0 {
            _mm256_unpacklo_epi32(x, y)
        } else {
            _mm256_unpackhi_epi32(x, y)
        }
    });
    std::array::from_fn(|j| {
        let (x, y) = (s2[j / 2], s2[4 + j / 2]);
        if j % 2 == 0 {
            _mm256_unpacklo_epi64(x, y)
        } else {
            _mm256_unpackhi_epi64(x, y)
        }
    })
}

/// [`transpose64`] with AVX2: for each half of the rows, the bytes of 32 rows gathered
/// byte by byte (a byte is eight columns), and each column's 32 bits taken by a byte mask
/// (`vpmovmskb`) of the bytes shifted into place.
///
/// # Safety
/// AVX2 must be available.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
unsafe fn transpose64_avx2(a: &mut [u64; 64]) {
    use std::arch::x86_64::*;
    let rows = *a;
    // Column `c`'s bits of rows 32h..32h + 32 are the 32-bit half `2c + h` of the result
    // (little-endian words).
    let mut out = [0u32; 128];
    for h in 0..2 {
        let base = 32 * h;
        // v[m]: rows 2m, 2m + 1 (low lane) and 16 + 2m, 17 + 2m (high lane) of the half.
        let v: [__m256i; 8] = std::array::from_fn(|m| {
            let lo = base + 2 * m;
            let hi = base + 16 + 2 * m;
            // SAFETY: rows `lo, lo + 1` and `hi, hi + 1` are within the 64 rows.
            unsafe {
                _mm256_set_m128i(
                    _mm_loadu_si128(rows.as_ptr().add(hi).cast()),
                    _mm_loadu_si128(rows.as_ptr().add(lo).cast()),
                )
            }
        });
        for (j, t) in bytes_by_column(v).into_iter().enumerate() {
            // `t`: byte `j` of the half's 32 rows, in row order.
            let mut t = t;
            for i in (0..8).rev() {
                out[2 * (8 * j + i) + h] = _mm256_movemask_epi8(t) as u32;
                t = _mm256_add_epi8(t, t);
            }
        }
    }
    for (w, half) in a.iter_mut().zip(out.chunks_exact(2)) {
        *w = u64::from(half[0]) | u64::from(half[1]) << 32;
    }
}

/// Packs `values > 0` into `out` (which must hold `⌈len/64⌉` words).
#[inline]
pub(crate) fn pack_positive(values: &[i8], out: &mut [u64]) {
    let mut full = values.chunks_exact(64);
    for (w, chunk) in out.iter_mut().zip(&mut full) {
        *w = positive_word(chunk);
    }
    if let Some(w) = out.get_mut(values.len() / 64) {
        *w = bits_where(full.remainder(), |v| v > 0);
    }
}

/// The "> 0" bits of 64 values: SSE2 compares and byte masks on x86-64 (every such
/// processor has them), eight bytes at a time elsewhere.
#[inline]
fn positive_word(chunk: &[i8]) -> u64 {
    debug_assert_eq!(chunk.len(), 64);
    #[cfg(target_arch = "x86_64")]
    {
        use std::arch::x86_64::*;
        let mut bits = 0u64;
        for (k, sixteen) in chunk.chunks_exact(16).enumerate() {
            // SAFETY: SSE2 is part of x86-64; the load reads the 16 bytes of `sixteen`.
            let mask = unsafe {
                let v = _mm_loadu_si128(sixteen.as_ptr().cast());
                _mm_movemask_epi8(_mm_cmpgt_epi8(v, _mm_setzero_si128()))
            };
            bits |= u64::from(mask as u16) << (16 * k);
        }
        bits
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        bits_where(chunk, |v| v > 0)
    }
}

/// Transposes a 64 × 64 bit block in place: bit `c` of word `r` moves to bit `r` of word
/// `c` (Hacker's Delight, recursive block swaps).
pub(crate) fn transpose64(a: &mut [u64; 64]) {
    let mut j = 32;
    let mut m: u64 = 0x0000_0000_FFFF_FFFF;
    while j != 0 {
        let mut k = 0;
        while k < 64 {
            // Swap the high j bits of a[k] with the low j bits of a[k + j].
            let t = ((a[k] >> j) ^ a[k + j]) & m;
            a[k] ^= t << j;
            a[k + j] ^= t;
            k = (k + j + 1) & !j;
        }
        j >>= 1;
        m ^= m << j;
    }
}

/// Defines a function twice, once compiled for a processor feature (`"popcnt"`,
/// `"avx2"`), and picks that one at run time when the processor has the feature (integer
/// results are identical). Type parameters, if any, go in square brackets after the name.
macro_rules! feature_dispatch {
    ($feature:tt, $(#[$meta:meta])* $vis:vis fn $name:ident $([$($g:tt)*])?
     ($($arg:ident : $ty:ty),*) -> $ret:ty $body:block) => {
        $(#[$meta])*
        $vis fn $name $(<$($g)*>)? ($($arg: $ty),*) -> $ret {
            #[inline(always)]
            fn generic $(<$($g)*>)? ($($arg: $ty),*) -> $ret $body
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = $feature)]
                fn fast $(<$($g)*>)? ($($arg: $ty),*) -> $ret {
                    generic($($arg),*)
                }
                if crate::simd::allows(crate::simd::Level::Avx2) {
                    // SAFETY: the processor has the feature (checked just above).
                    return unsafe { fast($($arg),*) };
                }
            }
            generic($($arg),*)
        }
    };
}
pub(crate) use feature_dispatch;

feature_dispatch! {
    "popcnt",
    /// `Σ popcount(a & b)`.
    #[inline]
    pub(crate) fn and_count(a: &[u64], b: &[u64]) -> u64 {
        a.iter()
            .zip(b)
            .map(|(x, y)| u64::from((x & y).count_ones()))
            .sum()
    }
}

feature_dispatch! {
    "popcnt",
    /// `Σ popcount(a ^ b)`.
    #[inline]
    pub(crate) fn xor_count(a: &[u64], b: &[u64]) -> u64 {
        a.iter()
            .zip(b)
            .map(|(x, y)| u64::from((x ^ y).count_ones()))
            .sum()
    }
}

feature_dispatch! {
    "popcnt",
    /// `Σ popcount(a)`.
    #[inline]
    pub(crate) fn count(a: &[u64]) -> u64 {
        a.iter().map(|x| u64::from(x.count_ones())).sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::{self, seeded};

    #[test]
    fn transpose_moves_every_bit() {
        let mut rng = seeded(1);
        for (rows, cols) in [(1, 1), (3, 70), (64, 64), (130, 5), (200, 129)] {
            let values: Vec<i8> = (0..rows * cols).map(|_| random::sign(&mut rng)).collect();
            let m = BitMatrix::from_positive(rows, cols, &values);
            let t = m.transpose();
            assert_eq!((t.rows(), t.cols()), (cols, rows));
            for r in 0..rows {
                for c in 0..cols {
                    assert_eq!(m.get(r, c), values[r * cols + c] > 0);
                    assert_eq!(t.get(c, r), m.get(r, c));
                }
            }
            assert_eq!(t.transpose(), m);
        }
    }

    /// Blocks transpose alike at every level: AVX2's byte masks give the bit swaps' result.
    #[test]
    fn blocks_transpose_alike() {
        let mut rng = seeded(2);
        let avx2 = cfg!(target_arch = "x86_64") && crate::simd::allows(crate::simd::Level::Avx2);
        for _ in 0..200 {
            let mut a = [0u64; 64];
            for x in a.iter_mut() {
                *x = rand::Rng::next_u64(&mut rng);
            }
            let (mut fast, mut slow) = (a, a);
            transpose_block(&mut fast, avx2);
            transpose64(&mut slow);
            assert_eq!(fast, slow);
            for (c, &col) in slow.iter().enumerate() {
                for (r, &row) in a.iter().enumerate() {
                    assert_eq!((col >> r) & 1, (row >> c) & 1);
                }
            }
        }
        // A large matrix goes in groups of columns, in parallel.
        let m = BitMatrix {
            rows: 700,
            cols: 1500,
            words: 24,
            data: (0..700 * 24)
                .map(|k| rand::Rng::next_u64(&mut rng) & if k % 24 == 23 { 0xFFF } else { !0 })
                .collect(),
        };
        let t = m.transpose();
        for r in (0..700).step_by(7) {
            for c in 0..1500 {
                assert_eq!(t.get(c, r), m.get(r, c));
            }
        }
        assert_eq!(t.transpose(), m);
    }

    #[test]
    fn counts() {
        let a = BitMatrix::from_positive(1, 3, &[1, -1, 1]);
        let b = BitMatrix::from_positive(1, 3, &[1, 1, -1]);
        assert_eq!(and_count(a.row(0), b.row(0)), 1);
        assert_eq!(xor_count(a.row(0), b.row(0)), 2);
        assert_eq!(count(a.row(0)), 2);
    }
}
