//! The AVX2 build: 3-bit codes and `vpshufb` look-ups, 16-bit steps, the wide layouts'
//! codes and steps, and steps through the distances.

use std::arch::x86_64::*;

use std::mem::MaybeUninit;

use super::layout::{
    AVX2_GROUP as GROUP, Cue, Decisions, FILLED, LANES, Packed, RUNS, Scratch, Segment, add_masks,
    column_shift, half, lanes, nibble_lane,
};
use crate::kernel::bits::BitMatrix;
use crate::neuron::Tie;
use crate::parallel::*;

/// Wide layouts: the bytes of codes of the stretch of blocks that each group of runs of a
/// step reads in turn (read from memory by the first group, from the second-level cache
/// by the others).
const STRETCH: usize = 256 << 10;

/// Pairs of groups whose tables stay in registers at a time (two registers a pair).
const HELD: usize = 5;

/// Lane `l` holds bit `l`: to spread 16 mask bits over 16 lanes.
#[inline]
#[target_feature(enable = "avx2")]
fn selectors() -> __m256i {
    let bits: [u16; 16] = std::array::from_fn(|l| 1 << l);
    // SAFETY: `bits` holds 16 lanes.
    unsafe { _mm256_loadu_si256(bits.as_ptr().cast()) }
}

/// All ones in the lanes `l` whose bit `l` of `bits` is set, zero elsewhere.
#[inline]
#[target_feature(enable = "avx2")]
fn spread(bits: u16, sel: __m256i) -> __m256i {
    let v = _mm256_set1_epi16(bits as i16);
    _mm256_cmpeq_epi16(_mm256_and_si256(v, sel), sel)
}

/// `m_μ += 2 S_j ξ^μ_j` for every neuron `j` the last step changed, `s` the state
/// after it.
///
/// # Safety
/// AVX2 must be available; `scratch` comes from [`Packed::scratch`].
#[target_feature(enable = "avx2")]
pub(super) unsafe fn update_overlaps(k: &Packed, s: &[u64], scratch: &mut Scratch) {
    let chunks = k.chunks;
    assert!(scratch.m16.len() >= chunks * LANES);
    scratch.masks_of_changes(s, chunks);
    let moves = &scratch.moves;
    // Every change adds −2, and 4 more where its (inverted) mask is set: the sum of the
    // spread masks (−1 per set bit) times −4. Sums wrap; the results are exact.
    let base = _mm256_set1_epi16((moves.len() as i16).wrapping_mul(-2));
    let sel = selectors();
    for c in 0..chunks {
        let valid = lanes(k.p, c);
        for h in 0..2 {
            let at = c * LANES + 16 * h;
            let zero = _mm256_setzero_si256();
            let (e0, e1) = add_masks(&k.cols, moves, c, (zero, zero), |e, x| {
                _mm256_add_epi16(e, spread((x >> (16 * h)) as u16, sel))
            });
            let e = _mm256_add_epi16(e0, e1);
            let ptr = scratch.m16.as_mut_ptr().wrapping_add(at).cast();
            // SAFETY: `at + 16 ≤ m16.len()` (asserted above).
            let m = unsafe { _mm256_loadu_si256(ptr) };
            let m = _mm256_add_epi16(m, _mm256_sub_epi16(base, _mm256_slli_epi16::<2>(e)));
            // The overlaps past `P` stay zero (the tables read them).
            let m = _mm256_and_si256(m, spread((valid >> (16 * h)) as u16, sel));
            // SAFETY: as above.
            unsafe { _mm256_storeu_si256(ptr, m) };
        }
    }
}

/// The table of group `ms` (three overlaps): entry `c < 8` holds the low byte and entry
/// `c + 8` the high byte of `Σ_t (bit t of c ? +1 : −1)·m_t`. Sums wrap, and are exact
/// in the end (see the module's notes).
#[inline]
#[target_feature(enable = "avx2")]
fn table(ms: &[i16]) -> __m128i {
    let base = ms.iter().fold(0i16, |a, &x| a.wrapping_sub(x));
    let mut t = _mm_set1_epi16(base);
    // The entries whose index has bit 0, 1 or 2 set.
    let has = [
        _mm_setr_epi16(0, -1, 0, -1, 0, -1, 0, -1),
        _mm_setr_epi16(0, 0, -1, -1, 0, 0, -1, -1),
        _mm_setr_epi16(0, 0, 0, 0, -1, -1, -1, -1),
    ];
    for (bit, &x) in ms[..GROUP].iter().enumerate() {
        let add = _mm_and_si128(has[bit], _mm_set1_epi16(x.wrapping_mul(2)));
        t = _mm_add_epi16(t, add);
    }
    let bytes = _mm_setr_epi8(0, 2, 4, 6, 8, 10, 12, 14, 1, 3, 5, 7, 9, 11, 13, 15);
    _mm_shuffle_epi8(t, bytes)
}

/// Adds the looked-up partial sums of `Q` pairs of groups, from pair `first`, to the
/// partial fields (which start at zero when `fresh`).
///
/// # Safety
/// AVX2 must be available; the lengths are those [`look_ups!`] checks.
#[inline]
#[target_feature(enable = "avx2")]
unsafe fn look_up<const Q: usize>(
    k: &Packed,
    m: &[i16],
    first: usize,
    fields: &mut [i16],
    fresh: bool,
) {
    // The tables broadcast to both halves.
    let t: [[__m256i; 2]; Q] = std::array::from_fn(|q| {
        let at = (first + q) * 2 * GROUP;
        [at, at + GROUP].map(|g| _mm256_broadcastsi128_si256(table(&m[g..g + GROUP])))
    });
    let low = _mm256_set1_epi16(0x0F0F);
    for b in 0..k.blocks {
        for h in 0..2 {
            let out = fields.as_mut_ptr().wrapping_add(b * LANES + 16 * h).cast();
            // SAFETY: `b · 32 + 32 ≤ fields.len()` (asserted above).
            let mut acc = if fresh {
                _mm256_setzero_si256()
            } else {
                unsafe { _mm256_loadu_si256(out) }
            };
            for (q, [ta, tb]) in t.iter().enumerate() {
                let at = (b * k.pairs + first + q) * LANES + 16 * h;
                // SAFETY: `at + 16 ≤ codes.len()` (asserted above).
                let c = unsafe { _mm256_loadu_si256(k.codes.as_ptr().add(at).cast()) };
                // Low nibbles: group 2q; high nibbles: group 2q + 1.
                let a = _mm256_and_si256(c, low);
                acc = _mm256_add_epi16(acc, _mm256_shuffle_epi8(*ta, a));
                let b = _mm256_and_si256(_mm256_srli_epi16::<4>(c), low);
                acc = _mm256_add_epi16(acc, _mm256_shuffle_epi8(*tb, b));
            }
            // SAFETY: as above.
            unsafe { _mm256_storeu_si256(out, acc) };
        }
    }
}

/// The step of [`Packed::step`].
///
/// # Safety
/// AVX2 and POPCNT must be available; `s` and `next` have `words` words; `scratch`
/// comes from [`Packed::scratch`].
#[target_feature(enable = "avx2,popcnt")]
pub(super) unsafe fn step(
    k: &Packed,
    s: &[u64],
    scratch: &mut Scratch,
    tie: Tie,
    next: &mut [u64],
) {
    let m = &scratch.m16;
    let fields = &mut scratch.fields;
    look_ups!(k, m, fields, HELD, [1, 2, 3, 4]);
    let d = _mm256_set1_epi16(k.diagonal as i16);
    let d2 = _mm256_set1_epi16((2 * k.diagonal) as i16);
    let sel = selectors();
    let (changed, diffs) = (&mut scratch.changed, &mut scratch.diffs);
    let mut out = Decisions::new(k.n, s, next, tie, changed, diffs);
    for b in 0..k.blocks {
        let on = half(s, b);
        let h: [__m256i; 2] = std::array::from_fn(|h| {
            // SAFETY: `fields` holds 32 values per block (asserted above).
            let v = unsafe { _mm256_loadu_si256(fields.as_ptr().add(b * LANES + 16 * h).cast()) };
            // h − D·S = h + D − 2D·[S = +1].
            let set = spread((on >> (16 * h)) as u16, sel);
            _mm256_sub_epi16(_mm256_add_epi16(v, d), _mm256_and_si256(set, d2))
        });
        out.block(b, signs(h));
    }
    scratch.changes = out.count;
}

/// The fields `h` of 32 neurons (`h[0]` the first 16) as masks: which are above zero,
/// which are zero.
#[inline]
#[target_feature(enable = "avx2")]
fn signs(h: [__m256i; 2]) -> (u32, u32) {
    let zero = _mm256_setzero_si256();
    // Saturated to bytes the fields keep their signs and zeros; then the lanes back in
    // neuron order.
    let bytes = _mm256_permute4x64_epi64::<0xD8>(_mm256_packs_epi16(h[0], h[1]));
    let above = _mm256_movemask_epi8(_mm256_cmpgt_epi8(bytes, zero)) as u32;
    let zeros = _mm256_movemask_epi8(_mm256_cmpeq_epi8(bytes, zero)) as u32;
    (above, zeros)
}

/// `row[j] = popcount(c ^ v_j)` for the `n` vectors `v_j` of at most 255 bits stored
/// word by word (`by_word[w · n + j]`); returns `Σ_j |P − 2·row[j]|`.
///
/// # Safety
/// AVX2 and POPCNT must be available.
#[target_feature(enable = "avx2,popcnt")]
pub(super) unsafe fn distances_row(
    c: &[u64],
    by_word: &[u64],
    n: usize,
    p: i64,
    row: &mut [u8],
) -> i64 {
    let row = &mut row[..n];
    row.fill(0);
    for (col, &x) in by_word.chunks_exact(n.max(1)).zip(c) {
        for (r, &v) in row.iter_mut().zip(col) {
            // At most 255 bits in all: no byte overflows.
            *r += (x ^ v).count_ones() as u8;
        }
    }
    row.iter().map(|&r| (p - 2 * i64::from(r)).abs()).sum()
}

/// The step of [`Packed::column_step`].
///
/// # Safety
/// AVX2 and POPCNT must be available; `d` holds `N²` distances and 32 bytes of
/// padding; `s` and `next` have `words` words; `scratch` comes from [`Packed::scratch`].
#[target_feature(enable = "avx2,popcnt")]
pub(super) unsafe fn column_step(
    k: &Packed,
    d: &[u8],
    s: &[u64],
    scratch: &mut Scratch,
    tie: Tie,
    next: &mut [u64],
) {
    let n = k.n;
    assert!(d.len() >= n * n + LANES);
    let up = scratch.rows_of_changes(s, n);
    let (ups, downs) = (
        &scratch.moves[..up],
        &scratch.moves[up + 1..=scratch.changes],
    );
    // For a changed neuron its own W_ii = P − D instead of the P counted for d_ii = 0.
    let shift = _mm256_set1_epi16(column_shift(k.p, ups.len(), downs.len()) as i16);
    let d2 = _mm256_set1_epi16((2 * k.diagonal) as i16);
    let d4 = _mm256_set1_epi16((4 * k.diagonal) as i16);
    let sel = selectors();
    let fields = &mut scratch.fields;
    assert!(fields.len() >= k.blocks * LANES && scratch.diffs.len() >= k.blocks);
    let (changed, diffs) = (&mut scratch.changed, &mut scratch.diffs);
    let mut out = Decisions::new(n, s, next, tie, changed, diffs);
    for b in 0..k.blocks {
        let on = half(s, b);
        let moved = out.diffs[b];
        let at = b * LANES;
        // Lanes past `N` read the next row or the padding: they are never decided.
        // SAFETY: `j + at + 32 ≤ N² + 32 ≤ d.len()` (asserted above).
        let row = |j: usize| unsafe { _mm256_loadu_si256(d.as_ptr().add(j + at).cast()) };
        let (mut a0, mut a1) = (_mm256_setzero_si256(), _mm256_setzero_si256());
        for &(j, _) in ups {
            let r = row(j);
            a0 = _mm256_add_epi16(a0, _mm256_cvtepu8_epi16(_mm256_castsi256_si128(r)));
            a1 = _mm256_add_epi16(a1, _mm256_cvtepu8_epi16(_mm256_extracti128_si256::<1>(r)));
        }
        for &(j, _) in downs {
            let r = row(j);
            a0 = _mm256_sub_epi16(a0, _mm256_cvtepu8_epi16(_mm256_castsi256_si128(r)));
            a1 = _mm256_sub_epi16(a1, _mm256_cvtepu8_epi16(_mm256_extracti128_si256::<1>(r)));
        }
        let acc = [a0, a1];
        let h: [__m256i; 2] = std::array::from_fn(|h| {
            let mut delta = _mm256_sub_epi16(shift, _mm256_slli_epi16::<2>(acc[h]));
            // −2D where a changed neuron is now on, +2D where it is now off.
            let mv = spread((moved >> (16 * h)) as u16, sel);
            let up = _mm256_and_si256(mv, spread((on >> (16 * h)) as u16, sel));
            delta = _mm256_add_epi16(delta, _mm256_and_si256(mv, d2));
            delta = _mm256_sub_epi16(delta, _mm256_and_si256(up, d4));
            let ptr = fields.as_mut_ptr().wrapping_add(at + 16 * h).cast();
            // SAFETY: `at + 32 ≤ fields.len()` (asserted above). Sums wrap; the fields
            // end in range (the distances' row bound).
            let v = unsafe { _mm256_add_epi16(_mm256_loadu_si256(ptr), delta) };
            // SAFETY: as above.
            unsafe { _mm256_storeu_si256(ptr, v) };
            v
        });
        out.block(b, signs(h));
    }
    scratch.changes = out.count;
}

/// Lane `l` holds bit `l`: to spread 8 mask bits over 8 lanes of 32 bits.
#[inline]
#[target_feature(enable = "avx2")]
fn selectors8() -> __m256i {
    _mm256_setr_epi32(1, 2, 4, 8, 16, 32, 64, 128)
}

/// All ones in the 32-bit lanes `l` whose bit `l` of `bits` is set, zero elsewhere.
#[inline]
#[target_feature(enable = "avx2")]
fn spread8(bits: u8, sel: __m256i) -> __m256i {
    let v = _mm256_set1_epi32(i32::from(bits));
    _mm256_cmpeq_epi32(_mm256_and_si256(v, sel), sel)
}

/// The 3-bit groups of the low 48 bits of each 64-bit lane moved into nibbles: bits
/// `3i..3i + 3` into bits `4i..4i + 3`, so that byte `q` holds the codes of pair `q`
/// (bits 0–2 and 4–6, see [`Packed::nibbles`]).
#[inline]
#[target_feature(enable = "avx2")]
fn nibbles_of(x: __m256i) -> __m256i {
    let step = |x: __m256i, keep: u64, moved: u64, by: i32| {
        let kept = _mm256_and_si256(x, _mm256_set1_epi64x(keep as i64));
        let m = _mm256_and_si256(x, _mm256_set1_epi64x(moved as i64));
        let m = _mm256_sll_epi64(m, _mm_cvtsi32_si128(by));
        _mm256_or_si256(kept, m)
    };
    let x = step(x, 0x0000_0000_00FF_FFFF, 0x0000_FFFF_FF00_0000, 8);
    let x = step(x, 0x0000_0FFF_0000_0FFF, 0x00FF_F000_00FF_F000, 4);
    let x = step(x, 0x003F_003F_003F_003F, 0x0FC0_0FC0_0FC0_0FC0, 2);
    step(x, 0x0707_0707_0707_0707, 0x3838_3838_3838_3838, 1)
}

/// Fills blocks `16g..16g + 16` of [`Packed::nibbles`] (`out`, their codes one block
/// after another, fewer blocks at the end) from the patterns' bits neuron by neuron
/// (`cols`, `N × P`): eight pairs at a time, the 48 bits of each neuron spread into 8
/// bytes of two codes, and the bytes of a block's 32 neurons turned pair by pair.
///
/// # Safety
/// AVX2 must be available.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn fill_nibbles(
    cols: &BitMatrix,
    pairs: usize,
    g: usize,
    out: &mut [MaybeUninit<u8>],
) {
    let n = cols.rows();
    let per_block = pairs * LANES;
    let count = (out.len() / per_block.max(1)).min(FILLED);
    for i in 0..count {
        let first = 32 * (FILLED * g + i);
        // The block's rows in lane order (empty past the last neuron).
        let rows: [&[u64]; 32] = std::array::from_fn(|r| {
            let j = first + nibble_lane(r);
            if j < n { cols.row(j) } else { &[] }
        });
        for t in 0..pairs.div_ceil(8) {
            // The 48 bits of pairs 8t..8t + 8 of each row (zero past the row; the bits
            // above them are dropped by `nibbles_of`): from word `at`, and `at + 1`.
            let (at, shift) = (48 * t / 64, 48 * t % 64);
            let word = |w: usize| -> [i64; 32] {
                std::array::from_fn(|r| rows[r].get(w).map_or(0, |&x| x as i64))
            };
            let (low, high) = (word(at), if shift > 16 { word(at + 1) } else { [0; 32] });
            let (right, left) = (
                _mm_cvtsi32_si128(shift as i32),
                _mm_cvtsi32_si128(64 - shift as i32),
            );
            let v: [__m256i; 8] = std::array::from_fn(|m| {
                // Rows 2m and 2m + 1, 16 + 2m and 17 + 2m, one to a lane.
                let lanes = |w: &[i64; 32]| {
                    _mm256_setr_epi64x(w[2 * m], w[2 * m + 1], w[16 + 2 * m], w[17 + 2 * m])
                };
                let x = _mm256_or_si256(
                    _mm256_srl_epi64(lanes(&low), right),
                    _mm256_sll_epi64(lanes(&high), left),
                );
                nibbles_of(x)
            });
            for (j, c) in crate::kernel::bits::bytes_by_column(v)
                .into_iter()
                .enumerate()
            {
                let q = 8 * t + j;
                if q < pairs {
                    let o = &mut out[i * per_block + q * LANES..i * per_block + (q + 1) * LANES];
                    // SAFETY: `o` holds 32 bytes.
                    unsafe { _mm256_storeu_si256(o.as_mut_ptr().cast(), c) };
                }
            }
        }
    }
}

/// Fills blocks `16g..16g + 16` of [`Packed::nibbles`] (`out`, their codes one block
/// after another, fewer blocks at the end) from the patterns' bits (`rows`, `P × N`),
/// the same bytes as [`fill_nibbles`] from their transpose: pair by pair, the 32-bit
/// pieces of its six patterns over a block broadcast, each byte taking the byte of its
/// neuron (`vpshufb`), testing the neuron's bit there into a byte mask, and the masks
/// put into their patterns' code bits. The pair's rows are read a cache line at a time
/// for the 16 blocks, those of a pair a few ahead asked for meanwhile (rows far apart
/// in memory, which the processor does not foresee).
///
/// # Safety
/// AVX2 must be available.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn fill_from_rows(
    rows: &BitMatrix,
    pairs: usize,
    g: usize,
    out: &mut [MaybeUninit<u8>],
) {
    let p = rows.rows();
    let per_block = pairs * LANES;
    let count = (out.len() / per_block.max(1)).min(FILLED);
    let first = FILLED * g;
    // Pieces of 32 neurons per row: whole words hold every block.
    assert!(first + count <= 2 * rows.words() && out.len() >= count * per_block);
    // Byte `r` of a block's codes holds neuron `l = nibble_lane(r)`: bit `l % 8` of
    // byte `l / 8` of a piece (bytes 0–3 of each 128-bit half, where the piece is
    // broadcast).
    let place: [u8; 32] = std::array::from_fn(|r| (nibble_lane(r) / 8) as u8);
    let test: [u8; 32] = std::array::from_fn(|r| 1 << (nibble_lane(r) % 8));
    // SAFETY: both hold 32 bytes.
    let (place, test) = unsafe {
        (
            _mm256_loadu_si256(place.as_ptr().cast()),
            _mm256_loadu_si256(test.as_ptr().cast()),
        )
    };
    // Pattern `6q + k` of a pair sets code bit `k` (`k < 3`) or `k + 1`.
    let code_bits: [__m256i; 2 * GROUP] =
        std::array::from_fn(|k| _mm256_set1_epi8(1 << (k + k / GROUP)));
    // The code bits of one pattern's piece of a block, from its 32 bits.
    let bits = |piece: u32, k: usize| {
        let x = _mm256_shuffle_epi8(_mm256_set1_epi32(piece as i32), place);
        let on = _mm256_cmpeq_epi8(_mm256_and_si256(x, test), test);
        _mm256_and_si256(on, code_bits[k])
    };
    // Pairs ahead whose pieces are fetched while a pair is coded.
    const AHEAD: usize = 3;
    for q in 0..pairs {
        for mu in 2 * GROUP * (q + AHEAD)..(2 * GROUP * (q + AHEAD + 1)).min(p) {
            let row = rows.row(mu);
            // The first and the last byte of the pieces (on one or two cache lines).
            let (from, to) = (4 * first, 4 * (first + count) - 1);
            // SAFETY: both within the row (`first + count ≤ 2·words`, asserted above).
            unsafe {
                let at = row.as_ptr().cast::<i8>();
                _mm_prefetch::<_MM_HINT_T0>(at.add(from));
                _mm_prefetch::<_MM_HINT_T0>(at.add(to));
            }
        }
        let patterns = (2 * GROUP).min(p - 2 * GROUP * q);
        // The pair's rows as pieces of 32 bits (little-endian words: piece `b` is bits
        // `32b..32b + 32`); a missing pattern points at the last one and goes unread.
        let starts: [*const u32; 2 * GROUP] = std::array::from_fn(|k| {
            rows.row(2 * GROUP * q + k.min(patterns - 1))
                .as_ptr()
                .cast()
        });
        // SAFETY: `b < 2·words` (asserted above), within every row.
        let piece = |k: usize, b: usize| unsafe { starts[k].add(b).read() };
        for i in 0..count {
            let b = first + i;
            let c = if patterns == 2 * GROUP {
                // A whole pair: six patterns, unrolled.
                let [a0, a1, a2, a3, a4, a5] = [0, 1, 2, 3, 4, 5].map(|k| bits(piece(k, b), k));
                _mm256_or_si256(
                    _mm256_or_si256(_mm256_or_si256(a0, a1), _mm256_or_si256(a2, a3)),
                    _mm256_or_si256(a4, a5),
                )
            } else {
                (0..patterns).fold(_mm256_setzero_si256(), |c, k| {
                    _mm256_or_si256(c, bits(piece(k, b), k))
                })
            };
            let o = &mut out[i * per_block + q * LANES..i * per_block + (q + 1) * LANES];
            // SAFETY: `o` holds 32 bytes.
            unsafe { _mm256_storeu_si256(o.as_mut_ptr().cast(), c) };
        }
    }
}

/// `m32[r][μ − start] = N − 2·popcount(ξ^μ ⊕ s[r])` for the patterns `μ` of `mus`, for
/// `R` states at once: each pattern is read once for all of them, and counted four
/// words at a time by nibble look-ups (`vpshufb`) into byte counts, summed by
/// `vpsadbw`.
///
/// # Safety
/// AVX2 and POPCNT must be available.
#[target_feature(enable = "avx2,popcnt")]
pub(super) unsafe fn overlaps_many<const R: usize>(
    k: &Packed,
    s: &[&[u64]],
    m32: &mut [&mut [i32]],
    mus: std::ops::Range<usize>,
) {
    let (n, words) = (k.n as i64, k.words);
    let (s, m32): (&[&[u64]; R], &mut [&mut [i32]; R]) = (
        s.try_into().expect("R states"),
        m32.try_into().expect("R overlaps"),
    );
    assert!(mus.end <= k.p);
    for r in 0..R {
        assert!(s[r].len() == words && m32[r].len() >= mus.len());
    }
    let lut = _mm256_setr_epi8(
        0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3,
        3, 4,
    );
    let low = _mm256_set1_epi8(0x0F);
    let zero = _mm256_setzero_si256();
    let vectors = words / 4;
    // A byte counts at most 8 per vector: 31 vectors before it could pass 255.
    const SPAN: usize = 31;
    for (j, row) in k.rows.data()[mus.start * words..mus.end * words]
        .chunks_exact(words.max(1))
        .enumerate()
    {
        let mut total = [zero; R];
        let mut v = 0;
        while v < vectors {
            let end = (v + SPAN).min(vectors);
            let mut bytes = [zero; R];
            while v < end {
                // SAFETY: `4v + 4 ≤ words`, the length of the row and of every state.
                let x = unsafe { _mm256_loadu_si256(row.as_ptr().add(4 * v).cast()) };
                for r in 0..R {
                    // SAFETY: as above.
                    let y = unsafe { _mm256_loadu_si256(s[r].as_ptr().add(4 * v).cast()) };
                    let d = _mm256_xor_si256(x, y);
                    let lo = _mm256_shuffle_epi8(lut, _mm256_and_si256(d, low));
                    let hi =
                        _mm256_shuffle_epi8(lut, _mm256_and_si256(_mm256_srli_epi16::<4>(d), low));
                    bytes[r] = _mm256_add_epi8(bytes[r], _mm256_add_epi8(lo, hi));
                }
                v += 1;
            }
            for r in 0..R {
                total[r] = _mm256_add_epi64(total[r], _mm256_sad_epu8(bytes[r], zero));
            }
        }
        for r in 0..R {
            let mut lanes = [0i64; 4];
            // SAFETY: `lanes` holds four values.
            unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), total[r]) };
            let tail: u32 = row[4 * vectors..]
                .iter()
                .zip(&s[r][4 * vectors..])
                .map(|(&a, &b)| (a ^ b).count_ones())
                .sum();
            let count = lanes.iter().sum::<i64>() + i64::from(tail);
            m32[r][j] = (n - 2 * count) as i32;
        }
    }
}

/// `m_μ += 2 S_j ξ^μ_j` in 32 bits for every neuron `j` the last step changed, `s` the
/// state after it, from the patterns' words that hold changes: for such a word `w`,
/// with the changed neurons `d` in it, `Σ_{j ∈ d} S_j ξ^μ_j = |d| − 2·popcount((ξ^μ_w ⊕
/// s_w) ∧ d)`, so that `m_μ` gains `2·changes − 4·Σ_w popcount((ξ^μ_w ⊕ s_w) ∧ d_w)`.
///
/// # Safety
/// POPCNT must be available; `scratch` comes from [`Packed::scratch`].
#[target_feature(enable = "popcnt")]
pub(super) unsafe fn update_rows(k: &Packed, s: &[u64], scratch: &mut Scratch) {
    let changed = &scratch.changed[..scratch.changes];
    // The words holding changes, with their changed neurons and the state's bits there
    // (neurons in ascending order give each word once; a word met again would only
    // add a part of its changes).
    let mut spots: Vec<(usize, u64, u64)> = Vec::new();
    for &j in changed {
        let (w, bit) = (j as usize / 64, 1u64 << (j % 64));
        match spots.last_mut() {
            Some((v, d, _)) if *v == w => *d |= bit,
            _ => spots.push((w, bit, s[w])),
        }
    }
    let twice = 2 * changed.len() as i32;
    for (mu, m) in scratch.m32[..k.p].iter_mut().enumerate() {
        let row = k.rows.row(mu);
        let differ: u32 = spots
            .iter()
            .map(|&(w, d, sw)| ((row[w] ^ sw) & d).count_ones())
            .sum();
        *m += twice - 4 * differ as i32;
    }
}

/// The tables of the overlaps `m` (six per pair, zero past `P`), two per pair: those of
/// [`table`], one 16-byte half each.
///
/// # Safety
/// AVX2 must be available.
#[target_feature(enable = "avx2")]
pub(super) unsafe fn tables(m: &[i16], pairs: usize, out: &mut [[u8; 16]]) {
    assert!(m.len() >= pairs * 2 * GROUP && out.len() >= 2 * pairs);
    for (t, ms) in out.iter_mut().zip(m.chunks_exact(GROUP)).take(2 * pairs) {
        // SAFETY: `t` holds 16 bytes.
        unsafe { _mm_storeu_si128(t.as_mut_ptr().cast(), table(ms)) };
    }
}

/// The step of [`Packed::step_many`]: block by block, the codes of a block read once
/// for each group of up to [`RUNS`] runs (from memory once for all the groups: the
/// groups take a stretch of blocks in turn), their indices taken apart once, and each
/// run's tables read from its scratch space; the larger overlaps pattern by pattern
/// and the diagonal first, then 16-bit sums over each of the group's `segments` of
/// pairs added into 32-bit ones, up to the end or a segment after which no field of
/// the block can change sign; then the decisions.
///
/// # Safety
/// AVX2 and POPCNT must be available; `cues` holds runs of this layout, checked by
/// [`Packed::step_many`], with tables made for their overlaps; each group's segments
/// ascend to `pairs`.
#[target_feature(enable = "avx2,popcnt")]
pub(super) unsafe fn step_wide(
    k: &Packed,
    cues: &mut [Cue<'_>],
    segments: &[Vec<Segment>],
    tie: Tie,
) -> usize {
    let pairs = k.pairs;
    assert!(segments.len() == cues.len().div_ceil(RUNS));
    assert!(
        segments
            .iter()
            .all(|s| s.last().map(|s| s.end) == Some(pairs))
    );
    assert!(k.nibbles.len() >= k.blocks * pairs * LANES);
    // The blocks in parts of an even count (whole words of the states), a part a
    // thread: each part's new words, block changes and changed neurons are its own
    // (the neurons in the stretch of `changed` its blocks could fill, moved together
    // after).
    let per = k
        .blocks
        .div_ceil(threads().max(1))
        .next_multiple_of(2)
        .max(2);
    let parts = k.blocks.div_ceil(per);
    // Blocks whose codes stay in the second-level cache while every group reads them.
    let stretch = (STRETCH / (pairs * LANES).max(1)).max(2);
    // Per run: its tables (as addresses, shared by the threads), and per part its
    // decisions and its larger overlaps.
    let mut tables = vec![0usize; cues.len()];
    let mut work: Vec<Vec<Share<'_>>> =
        (0..parts).map(|_| Vec::with_capacity(cues.len())).collect();
    for (t, c) in tables.iter_mut().zip(cues.iter_mut()) {
        let Scratch {
            changed,
            diffs,
            large,
            tables,
            ..
        } = &mut *c.scratch;
        assert!(tables.len() >= 2 * pairs && diffs.len() >= k.blocks);
        assert!(changed.len() >= k.blocks * LANES && c.next.len() == k.blocks.div_ceil(2));
        *t = tables.as_ptr() as usize;
        let split = c
            .next
            .chunks_mut(per / 2)
            .zip(diffs.chunks_mut(per))
            .zip(changed.chunks_mut(per * LANES));
        for (i, (w, ((next, diffs), changed))) in work.iter_mut().zip(split).enumerate() {
            let mut out = Decisions::new(k.n, c.s, next, tie, changed, diffs);
            out.base = i * per;
            w.push((out, &large[..]));
        }
    }
    let pass = |(i, runs): (usize, &mut Vec<Share<'_>>)| {
        let part = i * per..((i + 1) * per).min(k.blocks);
        let mut skipped = 0;
        for from in part.clone().step_by(stretch) {
            let blocks = from..(from + stretch).min(part.end);
            for ((tables, runs), segments) in
                tables.chunks(RUNS).zip(runs.chunks_mut(RUNS)).zip(segments)
            {
                // SAFETY: AVX2 is available (this function's contract); every run's
                // tables hold `2·pairs` entries (asserted above).
                skipped += unsafe {
                    match tables.len() {
                        1 => pass_wide::<1>(k, tables, segments, blocks.clone(), runs),
                        2 => pass_wide::<2>(k, tables, segments, blocks.clone(), runs),
                        3 => pass_wide::<3>(k, tables, segments, blocks.clone(), runs),
                        _ => pass_wide::<4>(k, tables, segments, blocks.clone(), runs),
                    }
                };
            }
        }
        skipped
    };
    let skipped = if parts > 1 {
        work.par_iter_mut().enumerate().map(pass).sum()
    } else {
        work.iter_mut().enumerate().map(pass).sum()
    };
    // Each run's changed neurons, part after part.
    let counts: Vec<Vec<usize>> = (0..tables.len())
        .map(|r| work.iter().map(|w| w[r].0.count).collect())
        .collect();
    drop(work);
    for (c, counts) in cues.iter_mut().zip(counts) {
        let mut total = 0;
        for (i, count) in counts.into_iter().enumerate() {
            let from = i * per * LANES;
            c.scratch.changed.copy_within(from..from + count, total);
            total += count;
        }
        c.scratch.changes = total;
    }
    skipped
}

/// A run's share of a part of the blocks of [`step_wide`]: its decisions there, and its
/// larger overlaps.
type Share<'a> = (Decisions<'a>, &'a [(usize, i32)]);

/// The blocks `blocks` of [`step_wide`] for a group of `R` runs, whose tables start at
/// the addresses `tables`; returns how many pairs of these blocks were left unread.
///
/// # Safety
/// AVX2 must be available; every run's tables hold `2·pairs` entries.
#[target_feature(enable = "avx2")]
unsafe fn pass_wide<const R: usize>(
    k: &Packed,
    tables: &[usize],
    segments: &[Segment],
    blocks: std::ops::Range<usize>,
    runs: &mut [Share<'_>],
) -> usize {
    let pairs = k.pairs;
    let tables: [usize; R] = tables.try_into().expect("R runs");
    let tables = tables.map(|t| t as *const __m128i);
    let mut skipped = 0;
    let eight = _mm256_set1_epi8(0x08);
    let zero = _mm256_setzero_si256();
    let ones = _mm256_set1_epi32(-1);
    let d = _mm256_set1_epi32(k.diagonal as i32);
    let d2 = _mm256_set1_epi32((2 * k.diagonal) as i32);
    let sel = selectors8();
    for b in blocks {
        let codes = k.nibbles[b * pairs * LANES..(b + 1) * pairs * LANES].as_ptr();
        // The diagonal, h − D·S = h + D − 2D·[S = +1], and the larger overlaps: +x
        // where the pattern is on, −x elsewhere.
        let mut wide: [[__m256i; 4]; R] = std::array::from_fn(|r| {
            let (out, large) = &runs[r];
            let on = half(out.s, b);
            let mut h: [__m256i; 4] = std::array::from_fn(|i| {
                let set = spread8((on >> (8 * i)) as u8, sel);
                _mm256_sub_epi32(d, _mm256_and_si256(set, d2))
            });
            for &(mu, x) in large.iter() {
                let bits = half(k.rows.row(mu), b);
                let xv = _mm256_set1_epi32(x);
                for (i, h) in h.iter_mut().enumerate() {
                    let off = _mm256_xor_si256(spread8((bits >> (8 * i)) as u8, sel), ones);
                    let v = _mm256_sub_epi32(_mm256_xor_si256(xv, off), off);
                    *h = _mm256_add_epi32(*h, v);
                }
            }
            h
        });
        let mut q = 0;
        for segment in segments {
            let mut acc = [[zero; 2]; R];
            while q < segment.end {
                // SAFETY: `q < pairs`: 32 bytes of the block's codes.
                let v = unsafe { _mm256_loadu_si256(codes.add(q * LANES).cast()) };
                // Each 16-bit lane: the code in the low byte, the code + 8 in the high
                // byte (see `table`); neurons 0–15 of the block, then 16–31. A look-up
                // reads bits 0–3 of an index byte (and bit 7, always clear here, as
                // bit 3 of every code byte is): the other code needs no masking off.
                let a = v;
                let a8 = _mm256_or_si256(a, eight);
                let c = _mm256_srli_epi16::<4>(v);
                let c8 = _mm256_or_si256(c, eight);
                let index = [
                    _mm256_unpacklo_epi8(a, a8),
                    _mm256_unpackhi_epi8(a, a8),
                    _mm256_unpacklo_epi8(c, c8),
                    _mm256_unpackhi_epi8(c, c8),
                ];
                for (t, acc) in tables.iter().zip(acc.iter_mut()) {
                    // SAFETY: `2q + 1 < 2·pairs ≤` the run's tables.
                    let (ta, tb) = unsafe {
                        (
                            _mm256_broadcastsi128_si256(_mm_loadu_si128(t.add(2 * q))),
                            _mm256_broadcastsi128_si256(_mm_loadu_si128(t.add(2 * q + 1))),
                        )
                    };
                    let x = _mm256_add_epi16(
                        _mm256_shuffle_epi8(ta, index[0]),
                        _mm256_shuffle_epi8(tb, index[2]),
                    );
                    let y = _mm256_add_epi16(
                        _mm256_shuffle_epi8(ta, index[1]),
                        _mm256_shuffle_epi8(tb, index[3]),
                    );
                    acc[0] = _mm256_add_epi16(acc[0], x);
                    acc[1] = _mm256_add_epi16(acc[1], y);
                }
                q += 1;
            }
            for (acc, wide) in acc.iter().zip(wide.iter_mut()) {
                for (h, a) in acc.iter().enumerate() {
                    let lo = _mm256_cvtepi16_epi32(_mm256_castsi256_si128(*a));
                    let hi = _mm256_cvtepi16_epi32(_mm256_extracti128_si256::<1>(*a));
                    wide[2 * h] = _mm256_add_epi32(wide[2 * h], lo);
                    wide[2 * h + 1] = _mm256_add_epi32(wide[2 * h + 1], hi);
                }
            }
            if let Some(left) = segment.left
                && wide.iter().zip(left).all(|(h, left)| {
                    let left = _mm256_set1_epi32(left);
                    let beyond = h.iter().fold(ones, |all, &h| {
                        _mm256_and_si256(all, _mm256_cmpgt_epi32(_mm256_abs_epi32(h), left))
                    });
                    _mm256_movemask_epi8(beyond) == -1
                })
            {
                skipped += pairs - q;
                break;
            }
        }
        for ((out, _), h) in runs.iter_mut().zip(wide.iter()) {
            // Saturated to 16 bits the fields keep their signs and zeros; then the
            // lanes back in neuron order.
            let h16 = [
                _mm256_permute4x64_epi64::<0xD8>(_mm256_packs_epi32(h[0], h[1])),
                _mm256_permute4x64_epi64::<0xD8>(_mm256_packs_epi32(h[2], h[3])),
            ];
            out.block(b, signs(h16));
        }
    }
    skipped
}
