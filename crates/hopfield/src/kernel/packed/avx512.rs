//! The AVX-512 build: 6-bit codes and `vpermi2w` look-ups, overlaps by vector popcounts,
//! and steps through the distances.

use std::arch::x86_64::*;

use super::layout::{
    Decisions, GROUP, HELD, LANES, Packed, Scratch, add_masks, column_shift, half, lanes,
};
use crate::kernel::bits::BitMatrix;
use crate::neuron::Tie;

/// For each of the five low code bits `t`, the entries of a 32-entry half table whose
/// index has bit `t` set.
const INDEX_BITS: [u32; 5] = [
    0xAAAA_AAAA,
    0xCCCC_CCCC,
    0xF0F0_F0F0,
    0xFF00_FF00,
    0xFFFF_0000,
];

/// Fills `codes` (see [`Packed::codes`]) from the pattern bits.
///
/// # Safety
/// AVX-512 F and BW must be available.
#[target_feature(enable = "avx512f,avx512bw")]
pub(super) unsafe fn fill_codes(rows: &BitMatrix, pairs: usize, codes: &mut [u16]) {
    let (p, n) = (rows.rows(), rows.cols());
    let blocks = n.div_ceil(LANES);
    assert!(codes.len() >= blocks * pairs * LANES);
    for b in 0..blocks {
        for q in 0..pairs {
            let mut c = _mm512_setzero_si512();
            for k in 0..(2 * GROUP).min(p - q * 2 * GROUP) {
                let bits = half(rows.row(q * 2 * GROUP + k), b);
                c = _mm512_mask_add_epi16(c, bits, c, _mm512_set1_epi16(1 << k));
            }
            let at = (b * pairs + q) * LANES;
            // SAFETY: `at + 32 ≤ codes.len()` (asserted above).
            unsafe { _mm512_storeu_si512(codes.as_mut_ptr().add(at).cast(), c) };
        }
    }
}

/// `m32[μ] = N − 2·popcount(ξ^μ ⊕ s)` for `μ < P`.
///
/// # Safety
/// AVX-512 F and VPOPCNTDQ must be available; `s.len() = words`, `m32.len() ≥ P`.
#[target_feature(enable = "avx512f,avx512vpopcntdq")]
pub(super) unsafe fn overlaps(k: &Packed, s: &[u64], m32: &mut [i32]) {
    let n = _mm512_set1_epi64(k.n as i64);
    assert!(m32.len() >= k.p && k.rows_by_word.len() >= s.len() * k.p);
    for (q, lanes) in eights(k.p) {
        // SAFETY: lengths asserted above; `eights` gives lanes below `P`.
        let acc = unsafe { popcounts8(s, &k.rows_by_word, k.p, q, lanes, false) };
        let m = _mm512_sub_epi64(n, _mm512_slli_epi64::<1>(acc));
        // SAFETY: `q + lanes ≤ P ≤ m32.len()` (asserted above).
        unsafe { _mm512_mask_cvtepi64_storeu_epi32(m32.as_mut_ptr().add(q).cast(), lanes, m) };
    }
}

/// `m_μ += 2 S_j ξ^μ_j` for every neuron `j` the last step changed, `s` the state
/// after it.
///
/// # Safety
/// AVX-512 F and BW must be available; `scratch` comes from [`Packed::scratch`].
#[target_feature(enable = "avx512f,avx512bw")]
pub(super) unsafe fn update_overlaps(k: &Packed, s: &[u64], scratch: &mut Scratch) {
    let chunks = k.chunks;
    assert!(scratch.m16.len() >= chunks * LANES);
    scratch.masks_of_changes(s, chunks);
    let moves = &scratch.moves;
    let (plus, minus) = (_mm512_set1_epi16(2), _mm512_set1_epi16(-2));
    for c in 0..chunks {
        let valid = lanes(k.p, c);
        let at = c * LANES;
        // SAFETY: `at + 32 ≤ m16.len()` (asserted above).
        let m = unsafe { _mm512_loadu_si512(scratch.m16.as_ptr().add(at).cast()) };
        let (a, b) = add_masks(&k.cols, moves, c, (m, _mm512_setzero_si512()), |a, x| {
            _mm512_add_epi16(a, _mm512_mask_blend_epi16(x, minus, plus))
        });
        let m = _mm512_maskz_add_epi16(valid, a, b);
        // SAFETY: as above.
        unsafe { _mm512_storeu_si512(scratch.m16.as_mut_ptr().add(at).cast(), m) };
    }
}

/// See [`super::popcounts_by_word`].
///
/// # Safety
/// AVX-512 F and VPOPCNTDQ must be available; `by_word.len() ≥ c.len() · n`,
/// `out.len() ≥ n`.
#[target_feature(enable = "avx512f,avx512vpopcntdq")]
pub(super) unsafe fn popcounts_by_word(
    c: &[u64],
    by_word: &[u64],
    n: usize,
    binary: bool,
    out: &mut [u32],
) {
    assert!(by_word.len() >= c.len() * n && out.len() >= n);
    for (j, lanes) in eights(n) {
        // SAFETY: lengths asserted above; `eights` gives lanes below `n`.
        let acc = unsafe { popcounts8(c, by_word, n, j, lanes, binary) };
        // SAFETY: `j + lanes ≤ out.len()` (asserted above).
        unsafe { _mm512_mask_cvtepi64_storeu_epi32(out.as_mut_ptr().add(j).cast(), lanes, acc) };
    }
}

/// The starts of eight vectors at a time among `n`, with the lanes that exist.
fn eights(n: usize) -> impl Iterator<Item = (usize, u8)> {
    // The low `min(8, n − j)` bits.
    (0..n)
        .step_by(8)
        .map(move |j| (j, 0xFF >> (8 - (n - j).min(8))))
}

/// The popcounts of vectors `j..j + 8` (the `lanes` that exist) against `c`, for
/// vectors stored word by word (`by_word[w · n + j]`).
///
/// # Safety
/// AVX-512 F and VPOPCNTDQ must be available; `by_word.len() ≥ c.len() · n` and the
/// lanes that exist are below `n`.
#[inline]
#[target_feature(enable = "avx512f,avx512vpopcntdq")]
unsafe fn popcounts8(
    c: &[u64],
    by_word: &[u64],
    n: usize,
    j: usize,
    lanes: u8,
    binary: bool,
) -> __m512i {
    let mut acc = _mm512_setzero_si512();
    for (w, &x) in c.iter().enumerate() {
        // SAFETY: the lanes that exist are in bounds (the caller's promise), the others
        // are masked off.
        let v = unsafe { _mm512_maskz_loadu_epi64(lanes, by_word.as_ptr().add(w * n + j).cast()) };
        let x = _mm512_set1_epi64(x as i64);
        let d = if binary {
            _mm512_and_si512(v, x)
        } else {
            _mm512_xor_si512(v, x)
        };
        acc = _mm512_add_epi64(acc, _mm512_popcnt_epi64(d));
    }
    acc
}

/// `Σ |m|` of 16-bit values, `m.len()` a multiple of 32.
///
/// # Safety
/// AVX-512 F and BW must be available.
#[target_feature(enable = "avx512f,avx512bw")]
pub(super) unsafe fn abs_sum(m: &[i16]) -> i64 {
    let ones = _mm512_set1_epi16(1);
    let mut acc = _mm512_setzero_si512();
    for v in m.chunks_exact(LANES) {
        // SAFETY: `v` holds 32 values.
        let x = unsafe { _mm512_loadu_si512(v.as_ptr().cast()) };
        acc = _mm512_add_epi32(acc, _mm512_madd_epi16(_mm512_abs_epi16(x), ones));
    }
    i64::from(_mm512_reduce_add_epi32(acc))
}

/// The table of group `ms` (six overlaps): entry `c` is `Σ_t (bit t of c ? +1 : −1)·m_t`,
/// in two halves of 32 (bit 5 of `c` picks the half). Sums wrap, and are exact in the
/// end (see the module's notes).
#[inline]
#[target_feature(enable = "avx512f,avx512bw")]
fn table(ms: &[i16]) -> (__m512i, __m512i) {
    let base = ms.iter().fold(0i16, |a, &x| a.wrapping_sub(x));
    let mut lo = _mm512_set1_epi16(base);
    for (bit, &x) in ms[..5].iter().enumerate() {
        lo = _mm512_mask_add_epi16(
            lo,
            INDEX_BITS[bit],
            lo,
            _mm512_set1_epi16(x.wrapping_mul(2)),
        );
    }
    let hi = _mm512_add_epi16(lo, _mm512_set1_epi16(ms[5].wrapping_mul(2)));
    (lo, hi)
}

/// Adds the looked-up partial sums of `Q` pairs of groups, from pair `first`, to the
/// partial fields (which start at zero when `fresh`).
///
/// # Safety
/// AVX-512 F and BW must be available; the lengths are those [`look_ups!`] checks.
#[inline]
#[target_feature(enable = "avx512f,avx512bw")]
unsafe fn look_up<const Q: usize>(
    k: &Packed,
    m: &[i16],
    first: usize,
    fields: &mut [i16],
    fresh: bool,
) {
    let t: [[__m512i; 4]; Q] = std::array::from_fn(|q| {
        let at = (first + q) * 2 * GROUP;
        let (lo0, hi0) = table(&m[at..at + GROUP]);
        let (lo1, hi1) = table(&m[at + GROUP..at + 2 * GROUP]);
        [lo0, hi0, lo1, hi1]
    });
    for b in 0..k.blocks {
        let out = fields.as_mut_ptr().wrapping_add(b * LANES).cast();
        // SAFETY: `b · 32 + 32 ≤ fields.len()` (asserted above).
        let mut acc = if fresh {
            _mm512_setzero_si512()
        } else {
            unsafe { _mm512_loadu_si512(out) }
        };
        for (q, [lo0, hi0, lo1, hi1]) in t.iter().enumerate() {
            let at = (b * k.pairs + first + q) * LANES;
            // SAFETY: `at + 32 ≤ codes.len()` (asserted above).
            let c = unsafe { _mm512_loadu_si512(k.codes.as_ptr().add(at).cast()) };
            // The index takes bits 0–5 of each lane: group 2q, then group 2q + 1.
            acc = _mm512_add_epi16(acc, _mm512_permutex2var_epi16(*lo0, c, *hi0));
            let c = _mm512_srli_epi16::<6>(c);
            acc = _mm512_add_epi16(acc, _mm512_permutex2var_epi16(*lo1, c, *hi1));
        }
        // SAFETY: as above.
        unsafe { _mm512_storeu_si512(out, acc) };
    }
}

/// [`Decisions::changes`] of block `b`, whose fields are `h`, the changed neurons
/// listed 16 at a time by compress stores.
#[inline]
#[target_feature(enable = "avx512f,avx512bw,popcnt")]
fn decide(out: &mut Decisions<'_>, b: usize, h: __m512i) {
    let zero = _mm512_setzero_si512();
    let above = _mm512_cmpgt_epi16_mask(h, zero);
    let diff = out.changes(b, above, _mm512_cmpeq_epi16_mask(h, zero));
    let iota = _mm512_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    let base = _mm512_add_epi32(iota, _mm512_set1_epi32((b * LANES) as i32));
    let halves = [
        (diff as u16, base),
        (
            (diff >> 16) as u16,
            _mm512_add_epi32(base, _mm512_set1_epi32(16)),
        ),
    ];
    assert!(out.changed.len() >= 32 * b + 48);
    for (part, idx) in halves {
        // SAFETY: before the half `h` (0 or 1) of block `b`, `count ≤ 32·b + 16·h`,
        // so `count + 16 ≤ changed.len()` (asserted above).
        unsafe {
            _mm512_storeu_si512(
                out.changed.as_mut_ptr().add(out.count).cast(),
                _mm512_maskz_compress_epi32(part, idx),
            );
        }
        out.count += part.count_ones() as usize;
    }
}

/// `fields[i] −= D·S_i`.
///
/// # Safety
/// AVX-512 F and BW must be available; `fields` holds 32 values per block.
#[target_feature(enable = "avx512f,avx512bw")]
pub(super) unsafe fn remove_diagonal(k: &Packed, s: &[u64], fields: &mut [i16]) {
    assert!(fields.len() >= k.blocks * LANES);
    let d = _mm512_set1_epi16(k.diagonal as i16);
    for b in 0..k.blocks {
        let at = fields.as_mut_ptr().wrapping_add(b * LANES).cast();
        // SAFETY: `b · 32 + 32 ≤ fields.len()` (asserted above).
        let h = unsafe { _mm512_loadu_si512(at) };
        let on = half(s, b);
        let h = _mm512_mask_sub_epi16(h, on, h, d);
        let h = _mm512_mask_add_epi16(h, !on, h, d);
        // SAFETY: as above.
        unsafe { _mm512_storeu_si512(at, h) };
    }
}

/// The step of [`Packed::column_step`].
///
/// # Safety
/// AVX-512 F, BW and VL must be available; `d` holds `N²` distances; `s` and `next`
/// have `words` words; `scratch` comes from [`Packed::scratch`].
#[target_feature(enable = "avx512f,avx512bw,avx512vl,popcnt")]
pub(super) unsafe fn column_step(
    k: &Packed,
    d: &[u8],
    s: &[u64],
    scratch: &mut Scratch,
    tie: Tie,
    next: &mut [u64],
) {
    let n = k.n;
    let up = scratch.rows_of_changes(s, n);
    let (ups, downs) = (
        &scratch.moves[..up],
        &scratch.moves[up + 1..=scratch.changes],
    );
    // For a changed neuron its own W_ii = P − D instead of the P counted for d_ii = 0.
    let shift = _mm512_set1_epi16(column_shift(k.p, ups.len(), downs.len()) as i16);
    let diagonal = _mm512_set1_epi16((2 * k.diagonal) as i16);
    let fields = &mut scratch.fields;
    assert!(fields.len() >= k.blocks * LANES && scratch.diffs.len() >= k.blocks);
    let (changed, diffs) = (&mut scratch.changed, &mut scratch.diffs);
    let mut out = Decisions::new(n, s, next, tie, changed, diffs);
    for b in 0..k.blocks {
        let lanes = lanes(n, b);
        let at = b * LANES;
        // The lanes past `N` are masked off: no row is read past its end.
        // SAFETY: `j + at + lanes ≤ N²` (every row has `N` entries).
        let row = |j: usize| unsafe {
            _mm512_cvtepu8_epi16(_mm256_maskz_loadu_epi8(
                lanes,
                d.as_ptr().add(j + at).cast(),
            ))
        };
        let mut acc = _mm512_setzero_si512();
        for &(j, _) in ups {
            acc = _mm512_add_epi16(acc, row(j));
        }
        for &(j, _) in downs {
            acc = _mm512_sub_epi16(acc, row(j));
        }
        let mut delta = _mm512_sub_epi16(shift, _mm512_slli_epi16::<2>(acc));
        let on = half(s, b);
        let moved = out.diffs[b];
        delta = _mm512_mask_sub_epi16(delta, moved & on, delta, diagonal);
        delta = _mm512_mask_add_epi16(delta, moved & !on, delta, diagonal);
        let ptr = fields.as_mut_ptr().wrapping_add(at).cast();
        // SAFETY: `at + 32 ≤ fields.len()` (asserted above). Sums wrap; the fields
        // end in range (the distances' row bound).
        let h = unsafe { _mm512_add_epi16(_mm512_loadu_si512(ptr), delta) };
        // SAFETY: as above.
        unsafe { _mm512_storeu_si512(ptr, h) };
        decide(&mut out, b, h);
    }
    scratch.changes = out.count;
}

/// `row[j] = popcount(c ^ v_j)` for the `n` vectors `v_j` stored word by word
/// (`by_word[w · n + j]`); returns `Σ_j |P − 2·row[j]|`.
///
/// # Safety
/// AVX-512 F, BW, VL and VPOPCNTDQ must be available; `by_word.len() ≥ c.len() · n`,
/// `row.len() ≥ n`.
#[target_feature(enable = "avx512f,avx512bw,avx512vl,avx512vpopcntdq")]
pub(super) unsafe fn distances_row(
    c: &[u64],
    by_word: &[u64],
    n: usize,
    p: i64,
    row: &mut [u8],
) -> i64 {
    assert!(by_word.len() >= c.len() * n && row.len() >= n);
    let pv = _mm512_set1_epi64(p);
    let mut sum = _mm512_setzero_si512();
    for (j, lanes) in eights(n) {
        // SAFETY: lengths asserted above; `eights` gives lanes below `n`.
        let acc = unsafe { popcounts8(c, by_word, n, j, lanes, false) };
        let w = _mm512_sub_epi64(pv, _mm512_slli_epi64::<1>(acc));
        sum = _mm512_add_epi64(sum, _mm512_maskz_abs_epi64(lanes, w));
        // SAFETY: `j + lanes ≤ row.len()` (asserted above).
        unsafe { _mm512_mask_cvtepi64_storeu_epi8(row.as_mut_ptr().add(j).cast(), lanes, acc) };
    }
    _mm512_reduce_add_epi64(sum)
}

/// The step of [`Packed::step`].
///
/// # Safety
/// AVX-512 F and BW must be available; `s` and `next` have `words` words; `scratch`
/// comes from [`Packed::scratch`].
#[target_feature(enable = "avx512f,avx512bw,popcnt")]
pub(super) unsafe fn step(
    k: &Packed,
    s: &[u64],
    scratch: &mut Scratch,
    tie: Tie,
    next: &mut [u64],
) {
    let m = &scratch.m16;
    let fields = &mut scratch.fields;
    look_ups!(k, m, fields, HELD, [1, 2, 3, 4, 5]);
    let d = _mm512_set1_epi16(k.diagonal as i16);
    let (changed, diffs) = (&mut scratch.changed, &mut scratch.diffs);
    let mut out = Decisions::new(k.n, s, next, tie, changed, diffs);
    for b in 0..k.blocks {
        // SAFETY: `fields` holds 32 values per block.
        let h = unsafe { _mm512_loadu_si512(fields.as_ptr().add(b * LANES).cast()) };
        let on = half(s, b);
        // h − D·S: subtract D where S = +1, add it where S = −1.
        let h = _mm512_mask_sub_epi16(h, on, h, d);
        let h = _mm512_mask_add_epi16(h, !on, h, d);
        decide(&mut out, b, h);
    }
    scratch.changes = out.count;
}
