//! Synchronous steps of factored ±1 couplings on bit-packed states, 16 or 32 neurons per
//! instruction.
//!
//! For the unscaled couplings `W = Σ_μ ξ^μ ξ^μᵀ − D·I` (Hebb's rule; `D = P` removes the
//! self-couplings, `D = 0` keeps them) and a ±1 state `S` packed one bit per neuron, a
//! synchronous step is
//!
//! * the overlaps `m_μ = ξ^μ · S`: for a new state `N − 2·popcount(ξ^μ ⊕ S)`; after a step
//!   that changed `k` neurons, `m_μ += 2 S_j ξ^μ_j` for each of them, 16 or 32 patterns
//!   per masked addition, when that is less work;
//! * the fields `h_i = Σ_μ ξ^μ_i m_μ − D·S_i` by table look-up: the patterns go in groups,
//!   the signs of neuron `i` in a group form a code, and the partial sums `Σ_t ±m_{g+t}` of
//!   a group are built once per step, so that one permutation of a table held in a register
//!   gives the partial sums of many neurons at once;
//! * the new state from the signs of the fields, 32 neurons per comparison into a bit
//!   mask.
//!
//! Two builds ([`Kind`]):
//!
//! * **AVX-512** (F, BW, VL and VPOPCNTDQ): overlaps by vector popcounts, eight patterns
//!   at a time; groups of six patterns, 6-bit codes (two to a 16-bit lane, so that the
//!   codes of a network stay in the first-level cache), tables of 64 sums; one `vpermi2w`
//!   gives the partial sums of 32 neurons: `N·P/192` permutations instead of `N·P`
//!   multiply-adds.
//! * **AVX2**: overlaps by popcounts of words; groups of three patterns, 3-bit codes,
//!   tables of 8 sums whose low bytes sit in entries 0–7 of a 16-byte `vpshufb` table and
//!   whose high bytes in entries 8–15. A neuron's 16-bit lane holds its code `c` in the low
//!   byte and `c + 8` in the high byte, so that one `vpshufb` gives the 16-bit partial sums
//!   of 16 neurons in place, with no widening: `N·P/48` shuffles. Two codes share a lane
//!   (`c_a | c_b << 4`, and `(c_a | 8) | (c_b | 8) << 4` above), taken apart by a mask and
//!   a shift.
//!
//! Sums are 16-bit and exact when `Σ_μ |m_μ| + D ≤ 32767`, for then every partial sum is
//! in range: [`Packed::overlaps`] and [`Packed::update_overlaps`] check that for every
//! state, in either build.
//!
//! Larger networks, whose typical states would leave that range (at α = 0.05 from
//! `N ≈ 7 000`), take *wide* layouts of the AVX2 build (on processors with AVX-512 too):
//! the look-ups still sum in 16 bits, but only overlaps up to [`LARGE`](wide::LARGE) go into the tables
//! (the few larger ones, such as that of the pattern being recalled, are added pattern by
//! pattern in 32 bits), and the 16-bit sums are added into 32-bit fields before the
//! overlaps summed since the last time could take them out of range. Fields are exact
//! while `N·P + D < 2³¹`. Wide layouts keep each code once, a byte per neuron and pair of
//! groups (half the memory: the 16-bit lanes `c | (c + 8) << 8` are made by interleaving
//! the bytes with themselves `| 8`), go block by block of 32 neurons with the fields in
//! registers, and step the runs of a batch in one pass over the codes
//! ([`Packed::step_many`]): in groups of up to [`RUNS`](layout::RUNS) runs, whose look-ups share each
//! code read and taken apart, the groups in turn over each stretch of blocks (its codes
//! read from memory once, by the first group), each run looking up its own tables. The
//! larger overlaps and the diagonal go into a block's fields first; once what the pairs
//! left could add (`Σ |m_μ|` over their patterns) is below every field of the block in
//! size, for every run, the signs are final and the rest of the block's codes go unread (a
//! state near a pattern, whose overlap outweighs the others, leaves a fifth to a quarter
//! of them). [`Packed::plan`] works out the steps of a batch of runs that way. Wide layouts
//! are built from the patterns alone (their codes from 32-bit pieces of six patterns at a
//! time): their overlaps after a step are counted afresh (a few patterns at a time for
//! every run), or after few changes from the patterns' words that hold the changed
//! neurons, and they need neither the patterns neuron by neuron nor the distances.
//!
//! Once runs settle into small changes, whole columns of `W` serve better: with
//! `W_ij = P − 2 d_ij` for `i ≠ j`, `d_ij` the Hamming distance between the signs of neurons
//! `i` and `j` across the patterns, [`Packed::column_step`] adds the distances of the `k`
//! changed neurons to the fields (`k·N` byte additions) and decides from them in the same
//! pass. The `N × N` bytes of distances are formed when the steps taken without them could
//! have paid for them ([`Packed::columns`]), and only for `P ≤ 255` and `N² ≤ 64 MiB`.
//!
//! [`Packed::new`] picks the build of the level in force ([`crate::simd`]) and returns
//! `None` below AVX2 (so with `HOPFIELD_SIMD=scalar`): the dynamics then take their general
//! path.
//!
//! Here: the layouts built, their overlaps and single steps. Below them, in `layout`, the
//! layouts' types and what every build shares (the scratch space of a run, the decisions
//! of a step block by block); in `avx512` and `avx2`, the kernels of each build. Beside
//! this file, `wide` steps and plans the batches of wide layouts, and `columns` forms the
//! distances and steps through them.

// Elsewhere the kernels are never reached, and what feeds them goes unused.
#![cfg_attr(
    not(target_arch = "x86_64"),
    allow(unused_variables, unused_mut, unreachable_code, dead_code)
)]

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

/// Identities of layouts, so that scratch space serves only the layout it was made for.
static LAYOUTS: AtomicU64 = AtomicU64::new(0);

use crate::parallel::*;

use super::bits::BitMatrix;
use crate::neuron::Tie;
#[cfg(test)]
pub(crate) use layout::available;
pub(crate) use layout::{Cue, Packed, Plan, Scratch, few, vector_popcounts};
use layout::{FILLED, Kind, LANES, Tally, half, nibble_lane};

/// Calls a kernel of [`avx512`] or [`avx2`]: only reached where the processor has what
/// the build needs (a `Packed` of a [`Kind`] exists only then), so never on other
/// processors.
macro_rules! kernel {
    ($call:expr) => {{
        #[cfg(target_arch = "x86_64")]
        {
            // SAFETY: the processor has the features (see the callers' notes); the
            // callers check the lengths each kernel documents.
            unsafe { $call }
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            unreachable!("no packed kernels on this processor")
        }
    }};
}

/// Calls the kernel `$f` of the build `$kind`, [`avx512`] or [`avx2`], as [`kernel!`] does.
macro_rules! by_kind {
    ($kind:expr, $f:ident($($arg:expr),*)) => {
        match $kind {
            $crate::kernel::packed::Kind::Avx512 => kernel!($crate::kernel::packed::avx512::$f($($arg),*)),
            $crate::kernel::packed::Kind::Avx2 => kernel!($crate::kernel::packed::avx2::$f($($arg),*)),
        }
    };
}

/// Calls the AVX2 kernel `$f::<R>` for `R = $runs`, one to [`RUNS`](layout::RUNS) runs, as [`kernel!`]
/// does.
macro_rules! by_runs {
    ($runs:expr, $f:ident($($arg:expr),*)) => {
        match $runs {
            1 => kernel!($crate::kernel::packed::avx2::$f::<1>($($arg),*)),
            2 => kernel!($crate::kernel::packed::avx2::$f::<2>($($arg),*)),
            3 => kernel!($crate::kernel::packed::avx2::$f::<3>($($arg),*)),
            _ => kernel!($crate::kernel::packed::avx2::$f::<4>($($arg),*)),
        }
    };
}

impl Packed {
    /// The layout of the ±1 vectors `rows` (`P × N`, a bit set for +1; `cols` gives the
    /// same transposed, asked for only by layouts that are not wide) with diagonal removal
    /// `diagonal`, for the build of the level in force; `None` below AVX2, or when the
    /// overlaps of a typical state would not keep the sums in 16 bits.
    pub(crate) fn new(
        rows: &Arc<BitMatrix>,
        cols: impl FnOnce() -> Arc<BitMatrix>,
        diagonal: i64,
    ) -> Option<Packed> {
        Packed::build(rows, cols, diagonal, false)
    }

    /// [`Packed::new`], wide whatever the sizes when `force_wide` (for tests).
    fn build(
        rows: &Arc<BitMatrix>,
        cols: impl FnOnce() -> Arc<BitMatrix>,
        diagonal: i64,
        force_wide: bool,
    ) -> Option<Packed> {
        let (p, n) = (rows.rows(), rows.cols());
        // A state near one pattern has Σ_μ |m_μ| ≈ N + (P − 1)·√(2N/π).
        let typical = n as f64 + p as f64 * (2.0 * n as f64 / std::f64::consts::PI).sqrt();
        // Past that, the AVX2 build's wide sums (also on processors with AVX-512), while
        // every field fits 32 bits.
        let wide = force_wide || typical + diagonal as f64 > f64::from(i16::MAX);
        let widest = (n as u64)
            .saturating_mul(p as u64)
            .saturating_add(diagonal as u64);
        if diagonal < 0 || (wide && widest > i32::MAX as u64) {
            return None;
        }
        let kind = match Kind::in_force()? {
            Kind::Avx512 if wide => Kind::Avx2,
            kind => kind,
        };
        let words = rows.words();
        let pairs = p.div_ceil(2 * kind.group());
        let blocks = n.div_ceil(LANES);
        let chunks = p.div_ceil(LANES);
        // Wide layouts take everything from `rows`: they update the overlaps from the
        // patterns' words and never form the distances.
        let cols = (!wide).then(cols);
        let mut packed_cols = vec![0u32; if wide { 0 } else { n * chunks }];
        if let Some(cols) = &cols {
            for j in 0..n {
                for c in 0..chunks {
                    packed_cols[j * chunks + c] = half(cols.row(j), c);
                }
            }
        }
        let size = blocks * pairs * LANES;
        let mut codes = vec![0u16; if kind == Kind::Avx512 { size } else { 0 }];
        let mut nibbles = Vec::new();
        match kind {
            // SAFETY: `Kind::in_force` checked the processor's features above.
            Kind::Avx512 => kernel!(avx512::fill_codes(rows, pairs, &mut codes)),
            Kind::Avx2 => {
                // SAFETY: as above.
                let fill = |(g, out): (usize, &mut [std::mem::MaybeUninit<u8>])| match &cols {
                    Some(cols) => kernel!(avx2::fill_nibbles(cols, pairs, g, out)),
                    None => kernel!(avx2::fill_from_rows(rows, pairs, g, out)),
                };
                // Groups of blocks are independent: in parallel unless this runs on a
                // worker thread (inside a once-only initialiser, see `max_over_rows`).
                let per_group = (FILLED * pairs * LANES).max(1);
                // SAFETY: the groups cover the codes, and each kernel writes every byte of
                // its group (32 for each of its blocks and pairs).
                nibbles = unsafe {
                    super::bits::filled(size, |codes| {
                        if crate::parallel::on_worker() {
                            codes.chunks_mut(per_group).enumerate().for_each(fill);
                        } else {
                            codes.par_chunks_mut(per_group).enumerate().for_each(fill);
                        }
                    })
                };
            }
        }
        if kind == Kind::Avx2 && !wide {
            // The 16-bit lanes in neuron order: the code byte, and above it the same with
            // bits 3 and 7 set.
            codes = nibbles
                .chunks_exact(LANES)
                .flat_map(|c| (0..LANES).map(|l| u16::from(c[nibble_lane(l)])))
                .map(|x| x | (x | 0x88) << 8)
                .collect();
            nibbles = Vec::new();
        }
        let by_word = cols.map_or_else(Vec::new, |c| c.words_by_word());
        Some(Packed {
            id: LAYOUTS.fetch_add(1, Ordering::Relaxed),
            kind,
            wide,
            n,
            p,
            words,
            pairs,
            blocks,
            chunks,
            diagonal,
            codes,
            nibbles,
            rows_by_word: match kind {
                Kind::Avx512 => rows.words_by_word(),
                Kind::Avx2 => Vec::new(),
            },
            rows: Arc::clone(rows),
            cols: packed_cols,
            by_word,
            distances: OnceLock::new(),
            tally: Tally::default(),
        })
    }

    /// Computes the overlaps `m_μ` of the packed state `s` (bits past `N` clear) into
    /// `scratch`; `false` when `Σ_μ |m_μ| + D` exceeds 32767, where the sums of
    /// [`Packed::step`] would not be exact.
    pub(crate) fn overlaps(&self, s: &[u64], scratch: &mut Scratch) -> bool {
        self.check(s, scratch);
        // SAFETY: a `Packed` exists only where its build's features are available (see
        // `new`); the scratch space comes from `scratch()`, of the lengths the kernel writes.
        let m32 = &mut scratch.m32;
        match self.kind {
            Kind::Avx512 => kernel!(avx512::overlaps(self, s, m32)),
            Kind::Avx2 => kernel!(avx2::overlaps_many::<1>(self, &[s], &mut [m32], 0..self.p)),
        }
        if self.wide {
            return self.prepare_wide(scratch);
        }
        for (o, &x) in scratch.m16.iter_mut().zip(&scratch.m32[..self.p]) {
            // Out of range values fail the check below.
            *o = x.clamp(-i32::from(i16::MAX), i32::from(i16::MAX)) as i16;
        }
        self.in_range(scratch)
    }

    /// Updates the overlaps after the step that led to `s` (from the neurons it changed,
    /// recorded by [`Packed::step`]), or computes them afresh when that is less work; `false`
    /// as [`Packed::overlaps`].
    pub(crate) fn update_overlaps(&self, s: &[u64], scratch: &mut Scratch) -> bool {
        self.check(s, scratch);
        if !self.updates_pay(scratch.changes) {
            return self.overlaps(s, scratch);
        }
        // SAFETY: as in `overlaps`.
        if self.wide {
            kernel!(avx2::update_rows(self, s, scratch));
            return self.prepare_wide(scratch);
        }
        by_kind!(self.kind, update_overlaps(self, s, scratch));
        self.in_range(scratch)
    }

    /// Whether the overlaps after a step that changed `changes` neurons are better
    /// updated from the changes than computed afresh: in wide layouts `P` popcounts per
    /// word holding changes, each word read from a cache line of its own (against
    /// `P·⌈N/64⌉` popcounts streamed, shared by the runs of a pass); `⌈P/32⌉` masked
    /// additions per change otherwise.
    fn updates_pay(&self, changes: usize) -> bool {
        if self.wide {
            changes * 32 <= self.words
        } else {
            few(changes, self.n)
        }
    }

    fn in_range(&self, scratch: &Scratch) -> bool {
        let m = &scratch.m16[..self.chunks * LANES];
        let total: i64 = match self.kind {
            // SAFETY: as in `overlaps`.
            Kind::Avx512 => kernel!(avx512::abs_sum(m)),
            Kind::Avx2 => m.iter().map(|&x| i64::from(x).abs()).sum(),
        };
        total + self.diagonal <= i64::from(i16::MAX)
    }

    /// The overlaps of `s`, computed afresh and exact whatever their size.
    pub(crate) fn final_overlaps<'a>(&self, s: &[u64], scratch: &'a mut Scratch) -> &'a [i32] {
        self.overlaps(s, scratch);
        &scratch.m32[..self.p]
    }

    /// One synchronous step from `s` with the overlaps last computed for `s` (which must
    /// have been in range): the new state into `next`; returns how many neurons changed,
    /// and records them for [`Packed::update_overlaps`]. On for `h > 0`, off for `h < 0`,
    /// `tie` for `h = 0`.
    pub(crate) fn step(&self, s: &[u64], scratch: &mut Scratch, tie: Tie, next: &mut [u64]) -> u64 {
        self.check(s, scratch);
        assert_eq!(next.len(), self.words, "state of the wrong length");
        if self.wide {
            self.step_many(&mut [Cue { s, scratch, next }], tie);
        } else {
            // SAFETY: as in `overlaps`; the lengths were checked just above.
            by_kind!(self.kind, step(self, s, scratch, tie, next));
        }
        scratch.changes as u64
    }
}

/// `out[j] = popcount(c & v_j)` (binary) or `popcount(c ^ v_j)` for the `n` vectors `v_j`
/// of `c.len()` words stored word by word (`by_word[w · n + j]`), eight per vector
/// popcount. Only where [`vector_popcounts`] (the caller checks).
pub(crate) fn popcounts_by_word(
    c: &[u64],
    by_word: &[u64],
    n: usize,
    binary: bool,
    out: &mut [u32],
) {
    assert!(vector_popcounts() && by_word.len() >= c.len() * n && out.len() >= n);
    // SAFETY: the features were checked just above, and the lengths.
    kernel!(avx512::popcounts_by_word(c, by_word, n, binary, out))
}

/// The look-ups of a step over all pairs of groups, `HELD` pairs' tables at a time in
/// registers: `look_up::<Q>(k, m, first, fields, fresh)` for each batch of `Q` pairs from
/// pair `first`, the partial fields starting at zero with the first batch (`$q` lists the
/// sizes below `HELD`), once the lengths they read and write are checked.
#[cfg(target_arch = "x86_64")]
macro_rules! look_ups {
    ($k:expr, $m:expr, $fields:expr, $held:expr, [$($q:literal),*]) => {{
        assert!($m.len() >= $k.pairs * 2 * GROUP && $fields.len() >= $k.blocks * LANES);
        assert!($k.codes.len() >= $k.blocks * $k.pairs * LANES);
        let mut first = 0;
        while first < $k.pairs {
            let fresh = first == 0;
            // SAFETY: the features are enabled where this is used; the lengths were
            // asserted above, and `first + Q ≤ pairs`.
            unsafe {
                match $k.pairs - first {
                    $($q => look_up::<$q>($k, $m, first, $fields, fresh),)*
                    _ => look_up::<{ $held }>($k, $m, first, $fields, fresh),
                }
            }
            first += $held;
        }
        if $k.pairs == 0 {
            $fields.iter_mut().for_each(|h| *h = 0);
        }
    }};
}

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
mod columns;
mod layout;
#[cfg(test)]
mod tests;
mod wide;
