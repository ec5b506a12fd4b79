//! Dense matrix–vector kernels: integer rows times small-integer states, exactly.
//!
//! Rows are contiguous. `i8` rows against ternary states (every value −1, 0 or 1) use
//! AVX2 when the level in force allows it ([`crate::simd`]: `|w|` times `s·sign(w)` by
//! `vpabsb`/`vpsignb`, exact for −128 too, then two widening
//! pairwise sums); everything else runs a portable loop. Integer arithmetic is exact, so
//! every path gives the same result on every machine.

use super::bits::feature_dispatch;

/// Whether every value is −1, 0 or 1.
#[inline]
pub(crate) fn is_ternary(state: &[i8]) -> bool {
    state.iter().all(|&s| (-1..=1).contains(&s))
}

/// `Σ_j row_j · s_j` for any integer row type.
#[inline]
pub(crate) fn dot_int<T: Copy + Into<i64>>(row: &[T], s: &[i8]) -> i64 {
    let mut acc = 0i64;
    for (&w, &x) in row.iter().zip(s) {
        acc += w.into() * i64::from(x);
    }
    acc
}

/// `Σ_j row_j · s_j` for an `i8` row (any values, −128 included) and a ternary state.
#[inline]
pub(crate) fn dot_i8_ternary(row: &[i8], s: &[i8]) -> i64 {
    on_avx2!(avx2::dot_i8_ternary, row, s);
    dot_i8_portable(row, s)
}

/// `Σ_j row_j · s_j` for an `i16` row and a state widened to `i16`.
#[inline]
pub(crate) fn dot_i16(row: &[i16], s: &[i16]) -> i64 {
    on_avx2!(avx2::dot_i16, row, s);
    dot_blocks(row, s, 4096)
}

fn dot_i8_portable(row: &[i8], s: &[i8]) -> i64 {
    // Blocks short enough that an i32 sum of products (|w·s| ≤ 127) cannot overflow.
    dot_blocks(row, s, 1 << 20)
}

/// `Σ_j row_j · s_j`, summed in `i32` over blocks of `block` products (short enough that
/// the sum stays in range) and in `i64` over the blocks.
#[inline]
fn dot_blocks<T: Copy + Into<i32>>(row: &[T], s: &[T], block: usize) -> i64 {
    let mut acc = 0i64;
    for (c_row, c_s) in row.chunks(block).zip(s.chunks(block)) {
        let mut part = 0i32;
        for (&w, &x) in c_row.iter().zip(c_s) {
            part = part.wrapping_add(w.into() * x.into());
        }
        acc += i64::from(part);
    }
    acc
}

/// `Σ_j row_j · s_j` in `f32` with eight lanes summed in a fixed order (the same result on
/// every machine and thread count).
#[inline]
pub(crate) fn dot_f32(row: &[f32], s: &[i8]) -> f64 {
    let mut lanes = [0f32; 8];
    let mut rc = row.chunks_exact(8);
    let mut sc = s.chunks_exact(8);
    for (r, x) in (&mut rc).zip(&mut sc) {
        for k in 0..8 {
            lanes[k] += r[k] * f32::from(x[k]);
        }
    }
    let mut tail = 0f32;
    for (&r, &x) in rc.remainder().iter().zip(sc.remainder()) {
        tail += r * f32::from(x);
    }
    let pairs = [
        lanes[0] + lanes[4],
        lanes[1] + lanes[5],
        lanes[2] + lanes[6],
        lanes[3] + lanes[7],
    ];
    f64::from((pairs[0] + pairs[2]) + (pairs[1] + pairs[3]) + tail)
}

/// `h += delta · row`.
#[inline]
pub(crate) fn axpy_int<T: Copy + Into<i64>>(h: &mut [i64], row: &[T], delta: i64) {
    for (h, &w) in h.iter_mut().zip(row) {
        *h += w.into() * delta;
    }
}

/// `h += delta · row` into `i32` fields (the caller guarantees no overflow).
#[inline]
pub(crate) fn axpy_i8_i32<T: Copy + Into<i32>>(h: &mut [i32], row: &[T], delta: i32) {
    for (h, &w) in h.iter_mut().zip(row) {
        *h += w.into() * delta;
    }
}

/// `h += delta · row` into `i32` fields (the caller guarantees no overflow).
#[inline]
pub(crate) fn axpy_i16_i32(h: &mut [i32], row: &[i16], delta: i32) {
    on_avx2!(avx2::axpy_i16_i32, h, row, delta);
    axpy_i8_i32(h, row, delta)
}

feature_dispatch! {
    "avx2",
    /// `h += delta · row` into `i16` fields with wrapping arithmetic: exact whenever the
    /// final fields are within `i16`, whatever the order of the additions.
    #[inline]
    pub(crate) fn axpy_i16_i16(h: &mut [i16], row: &[i16], delta: i16) -> () {
        for (h, &w) in h.iter_mut().zip(row) {
            *h = h.wrapping_add(w.wrapping_mul(delta));
        }
    }
}

feature_dispatch! {
    "avx2",
    /// [`axpy_i16_i16`] for an `i8` row.
    #[inline]
    pub(crate) fn axpy_i8_i16(h: &mut [i16], row: &[i8], delta: i16) -> () {
        for (h, &w) in h.iter_mut().zip(row) {
            *h = h.wrapping_add(i16::from(w).wrapping_mul(delta));
        }
    }
}

/// A small `i16` matrix laid out for [`gemv_pairs`]: rows in blocks of eight, and within a
/// block the columns in pairs, so that one multiply-add takes two columns of eight rows.
#[derive(Debug, Clone)]
pub(crate) struct PairMatrix {
    /// `[block][pair][row in block][column in pair]`, zero-padded.
    data: Vec<i16>,
    blocks: usize,
    pairs: usize,
}

impl PairMatrix {
    /// From a function giving the entry at (row, column) of a `rows × cols` matrix.
    pub(crate) fn from_fn(rows: usize, cols: usize, value: impl Fn(usize, usize) -> i16) -> Self {
        let (blocks, pairs) = (rows.div_ceil(8), cols.div_ceil(2));
        let mut data = vec![0i16; blocks * pairs * 16];
        for (b, block) in data.chunks_exact_mut(pairs * 16).enumerate() {
            for (k, lanes) in block.chunks_exact_mut(16).enumerate() {
                for l in 0..8 {
                    let r = 8 * b + l;
                    for c in 0..2 {
                        let col = 2 * k + c;
                        if r < rows && col < cols {
                            lanes[2 * l + c] = value(r, col);
                        }
                    }
                }
            }
        }
        PairMatrix {
            data,
            blocks,
            pairs,
        }
    }

    /// The rows rounded up to whole blocks: the length of [`gemv_pairs`]'s output.
    pub(crate) fn padded_rows(&self) -> usize {
        self.blocks * 8
    }
}

/// `out_r = Σ_c A_rc · x_c` for a [`PairMatrix`] and `x` in `i16`, exactly in `i32` (the
/// caller guarantees `Σ_c |A_rc · x_c| < 2³¹`). `out` holds
/// [`PairMatrix::padded_rows`] values; those past the rows are zero.
pub(crate) fn gemv_pairs(a: &PairMatrix, x: &[i16], out: &mut [i32]) {
    // Two columns per 32-bit word, as `vpmaddwd` pairs them.
    let packed: Vec<i32> = (0..a.pairs)
        .map(|k| {
            let lo = x.get(2 * k).copied().unwrap_or(0) as u16 as u32;
            let hi = x.get(2 * k + 1).copied().unwrap_or(0) as u16 as u32;
            (lo | hi << 16) as i32
        })
        .collect();
    let out = &mut out[..a.blocks * 8];
    let (data, blocks, pairs, packed) = (&a.data, a.blocks, a.pairs, &packed);
    // The kernel reads `data` and writes `out` within the sizes `PairMatrix` guarantees.
    on_avx2!(avx2::gemv_pairs, data, blocks, pairs, packed, out);
    out.fill(0);
    for (b, block) in a.data.chunks_exact(a.pairs * 16).enumerate() {
        for (k, lanes) in block.chunks_exact(16).enumerate() {
            let (x0, x1) = (packed[k] as i16, (packed[k] >> 16) as i16);
            for l in 0..8 {
                out[8 * b + l] += i32::from(lanes[2 * l]) * i32::from(x0)
                    + i32::from(lanes[2 * l + 1]) * i32::from(x1);
            }
        }
    }
}

/// `h += delta · row` for an `i8` row and a small `delta` (|delta| < 2³¹).
#[inline]
pub(crate) fn axpy_i8(h: &mut [i64], row: &[i8], delta: i64) {
    on_avx2!(avx2::axpy_i8, h, row, delta);
    axpy_int(h, row, delta)
}

/// `h += delta · row` for an `i16` row and a small `delta` (|delta| < 2³¹).
#[inline]
pub(crate) fn axpy_i16(h: &mut [i64], row: &[i16], delta: i64) {
    on_avx2!(avx2::axpy_i16, h, row, delta);
    axpy_int(h, row, delta)
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    /// # Safety
    /// The caller checks that AVX2 is available, that `data` holds `blocks · pairs · 16`
    /// values, `packed` `pairs` and `out` `blocks · 8`.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn gemv_pairs(
        data: &[i16],
        blocks: usize,
        pairs: usize,
        packed: &[i32],
        out: &mut [i32],
    ) {
        debug_assert!(data.len() >= blocks * pairs * 16 && out.len() >= blocks * 8);
        for b in 0..blocks {
            // SAFETY: block b spans data[b·pairs·16 .. (b+1)·pairs·16], in bounds.
            let base = unsafe { data.as_ptr().add(b * pairs * 16) };
            let mut acc0 = _mm256_setzero_si256();
            let mut acc1 = _mm256_setzero_si256();
            let mut k = 0;
            while k + 2 <= pairs {
                // SAFETY: k + 1 < pairs: both 16-value loads are inside block b.
                let (a0, a1) = unsafe {
                    (
                        _mm256_loadu_si256(base.add(k * 16).cast()),
                        _mm256_loadu_si256(base.add(k * 16 + 16).cast()),
                    )
                };
                acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(a0, _mm256_set1_epi32(packed[k])));
                acc1 = _mm256_add_epi32(
                    acc1,
                    _mm256_madd_epi16(a1, _mm256_set1_epi32(packed[k + 1])),
                );
                k += 2;
            }
            if k < pairs {
                // SAFETY: k < pairs: the load is inside block b.
                let a0 = unsafe { _mm256_loadu_si256(base.add(k * 16).cast()) };
                acc0 = _mm256_add_epi32(acc0, _mm256_madd_epi16(a0, _mm256_set1_epi32(packed[k])));
            }
            // SAFETY: out holds blocks · 8 values; this writes out[8b .. 8b + 8].
            unsafe {
                _mm256_storeu_si256(
                    out.as_mut_ptr().add(8 * b).cast(),
                    _mm256_add_epi32(acc0, acc1),
                )
            };
        }
    }

    /// Sum of the eight `i32` lanes.
    #[target_feature(enable = "avx2")]
    fn hsum(v: __m256i) -> i64 {
        let lo = _mm256_castsi256_si128(v);
        let hi = _mm256_extracti128_si256::<1>(v);
        let s = _mm_add_epi32(lo, hi);
        let s = _mm_add_epi32(s, _mm_shuffle_epi32::<0b01_00_11_10>(s));
        let s = _mm_add_epi32(s, _mm_shuffle_epi32::<0b10_11_00_01>(s));
        i64::from(_mm_cvtsi128_si32(s))
    }

    /// The products `row_j · s_j` of the 32 values from `k`, summed in groups of four into
    /// eight `i32` lanes.
    ///
    /// # Safety
    /// The caller checks that AVX2 is available and that `k + 32` is within both slices.
    #[target_feature(enable = "avx2")]
    #[inline]
    unsafe fn products(row: &[i8], s: &[i8], k: usize) -> __m256i {
        // SAFETY: the caller guarantees 32 values from k in both slices.
        let (w, x) = unsafe {
            (
                _mm256_loadu_si256(row.as_ptr().add(k).cast()),
                _mm256_loadu_si256(s.as_ptr().add(k).cast()),
            )
        };
        let pairs = _mm256_maddubs_epi16(_mm256_abs_epi8(w), _mm256_sign_epi8(x, w));
        _mm256_madd_epi16(pairs, _mm256_set1_epi16(1))
    }

    /// # Safety
    /// The caller checks that AVX2 is available.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn dot_i8_ternary(row: &[i8], s: &[i8]) -> i64 {
        let n = row.len().min(s.len());
        let mut total = 0i64;
        let mut at = 0;
        // |w|·(s·sign w) is exact for every i8 w, −128 included (|−128| = 128 as an unsigned
        // byte), where w·s by `vpsignb` is not. Each lane gains at most 4 · 128 per 32
        // bytes: flush to i64 well before overflow.
        const BLOCK: usize = 32 * 4 * (1 << 18);
        while at + 32 <= n {
            let end = (at + BLOCK).min(n - n % 32);
            let mut a0 = _mm256_setzero_si256();
            let mut a1 = _mm256_setzero_si256();
            let mut k = at;
            while k + 64 <= end {
                // SAFETY: k + 64 ≤ n, so the 32 values at k and at k + 32 are in bounds.
                let (p0, p1) = unsafe { (products(row, s, k), products(row, s, k + 32)) };
                a0 = _mm256_add_epi32(a0, p0);
                a1 = _mm256_add_epi32(a1, p1);
                k += 64;
            }
            while k + 32 <= end {
                // SAFETY: k + 32 ≤ n.
                a0 = _mm256_add_epi32(a0, unsafe { products(row, s, k) });
                k += 32;
            }
            total += hsum(a0) + hsum(a1);
            at = k;
        }
        for j in at..n {
            total += i64::from(row[j]) * i64::from(s[j]);
        }
        total
    }

    /// # Safety
    /// The caller checks that AVX2 is available.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn axpy_i16_i32(h: &mut [i32], row: &[i16], delta: i32) {
        let n = h.len().min(row.len());
        let d = _mm256_set1_epi32(delta);
        // A flip of a ±1 neuron changes it by ±2: a shift and a sign instead of a multiply.
        let doubled = delta.abs() == 2;
        let mut k = 0;
        while k + 8 <= n {
            // SAFETY: k + 8 ≤ n for the 16-byte read of `row` and the 8 lanes of `h`.
            unsafe {
                let w = _mm256_cvtepi16_epi32(_mm_loadu_si128(row.as_ptr().add(k).cast()));
                let ptr = h.as_mut_ptr().add(k).cast::<__m256i>();
                let p = if doubled {
                    _mm256_sign_epi32(_mm256_slli_epi32::<1>(w), d)
                } else {
                    _mm256_mullo_epi32(w, d)
                };
                _mm256_storeu_si256(ptr, _mm256_add_epi32(_mm256_loadu_si256(ptr), p));
            }
            k += 8;
        }
        for j in k..n {
            h[j] += i32::from(row[j]) * delta;
        }
    }

    /// `h += delta · row` for rows of `$t`, four values widened to `i64` lanes at a time
    /// by `$widen` from the pointer `$p` to them.
    macro_rules! axpy_i64 {
        ($name:ident, $t:ty, |$p:ident| $widen:expr) => {
            /// # Safety
            /// The caller checks that AVX2 is available and that `delta` fits in 32 bits.
            #[target_feature(enable = "avx2")]
            pub(super) unsafe fn $name(h: &mut [i64], row: &[$t], delta: i64) {
                let n = h.len().min(row.len());
                let d = _mm256_set1_epi64x(delta);
                let mut k = 0;
                while k + 4 <= n {
                    // SAFETY: k + 4 ≤ n for the four values of `row` and of `h`.
                    unsafe {
                        let $p = row.as_ptr().add(k);
                        let p = _mm256_mul_epi32($widen, d);
                        let ptr = h.as_mut_ptr().add(k).cast::<__m256i>();
                        _mm256_storeu_si256(ptr, _mm256_add_epi64(_mm256_loadu_si256(ptr), p));
                    }
                    k += 4;
                }
                for j in k..n {
                    h[j] += i64::from(row[j]) * delta;
                }
            }
        };
    }

    axpy_i64!(axpy_i8, i8, |p| _mm256_cvtepi8_epi64(_mm_cvtsi32_si128(
        p.cast::<i32>().read_unaligned()
    )));
    axpy_i64!(axpy_i16, i16, |p| _mm256_cvtepi16_epi64(_mm_loadl_epi64(
        p.cast()
    )));

    /// # Safety
    /// The caller checks that AVX2 is available.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn dot_i16(row: &[i16], s: &[i16]) -> i64 {
        let n = row.len().min(s.len());
        let mut total = 0i64;
        let mut at = 0;
        // A state value is at most 2 in size, so each lane gains at most 2 · 32767 · 2 per
        // 16 values: flushing to i64 every 4096 steps keeps the i32 lanes far from overflow.
        const BLOCK: usize = 16 * 4096;
        while at + 16 <= n {
            let end = (at + BLOCK).min(n - n % 16);
            let mut a0 = _mm256_setzero_si256();
            let mut k = at;
            while k + 16 <= end {
                // SAFETY: k + 16 ≤ n.
                let (w, x) = unsafe {
                    (
                        _mm256_loadu_si256(row.as_ptr().add(k).cast()),
                        _mm256_loadu_si256(s.as_ptr().add(k).cast()),
                    )
                };
                a0 = _mm256_add_epi32(a0, _mm256_madd_epi16(w, x));
                k += 16;
            }
            total += hsum(a0);
            at = k;
        }
        for j in at..n {
            total += i64::from(row[j]) * i64::from(s[j]);
        }
        total
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::{self, seeded};

    #[test]
    fn kernels_are_exact_on_every_length() {
        let mut rng = seeded(3);
        for n in [0, 1, 31, 32, 33, 63, 64, 65, 200, 1000, 4099] {
            // Every i8 value, −128 included.
            let w8: Vec<i8> = (0..n)
                .map(|_| (random::index(&mut rng, 256) as i16 - 128) as i8)
                .collect();
            let s: Vec<i8> = (0..n)
                .map(|_| random::index(&mut rng, 3) as i8 - 1)
                .collect();
            assert_eq!(dot_i8_ternary(&w8, &s), dot_int(&w8, &s), "n = {n}");
            assert_eq!(dot_i8_portable(&w8, &s), dot_int(&w8, &s));
            let w16: Vec<i16> = (0..n)
                .map(|_| (random::index(&mut rng, 65535) as i32 - 32767) as i16)
                .collect();
            let s16: Vec<i16> = s.iter().map(|&x| i16::from(x) * 2).collect();
            let s2: Vec<i8> = s.iter().map(|&x| x * 2).collect();
            assert_eq!(dot_i16(&w16, &s16), dot_int(&w16, &s2), "n = {n}");
        }
        for n in [0usize, 3, 4, 5, 1001] {
            let w8: Vec<i8> = (0..n).map(|j| (j % 255) as i8).collect();
            let w16: Vec<i16> = (0..n).map(|j| (j as i16).wrapping_mul(97)).collect();
            for delta in [-3i64, -2, 1, 2] {
                let mut a = vec![5i64; n];
                let mut b = a.clone();
                axpy_i8(&mut a, &w8, delta);
                axpy_int(&mut b, &w8, delta);
                assert_eq!(a, b);
                axpy_i16(&mut a, &w16, delta);
                axpy_int(&mut b, &w16, delta);
                assert_eq!(a, b);
                let mut c: Vec<i32> = vec![5; n];
                let mut e: Vec<i64> = vec![5; n];
                axpy_i16_i32(&mut c, &w16, delta as i32);
                axpy_int(&mut e, &w16, delta);
                assert!(c.iter().zip(&e).all(|(&c, &e)| i64::from(c) == e));
                axpy_i8_i32(&mut c, &w8, delta as i32);
                axpy_int(&mut e, &w8, delta);
                assert!(c.iter().zip(&e).all(|(&c, &e)| i64::from(c) == e));
            }
        }
        assert!(is_ternary(&[1, 0, -1]));
        assert!(!is_ternary(&[1, 2]));
    }

    #[test]
    fn the_smallest_i8_is_multiplied_exactly() {
        for n in [1usize, 31, 32, 64, 65, 1000] {
            let row = vec![i8::MIN; n];
            for (s, expect) in [(-1i8, 128), (1, -128), (0, 0)] {
                let state = vec![s; n];
                assert_eq!(
                    dot_i8_ternary(&row, &state),
                    expect * n as i64,
                    "n = {n}, s = {s}"
                );
            }
        }
    }

    #[test]
    fn f32_dot_has_a_fixed_order() {
        let row: Vec<f32> = (0..19).map(|k| k as f32 * 0.1).collect();
        let s: Vec<i8> = (0..19).map(|k| if k % 2 == 0 { 1 } else { -1 }).collect();
        let exact: f64 = row
            .iter()
            .zip(&s)
            .map(|(&r, &x)| f64::from(r) * f64::from(x))
            .sum();
        assert!((dot_f32(&row, &s) - exact).abs() < 1e-5);
    }
}
