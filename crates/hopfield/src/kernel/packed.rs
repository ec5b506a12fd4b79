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
//! the look-ups still sum in 16 bits, but only overlaps up to [`LARGE`] go into the tables
//! (the few larger ones, such as that of the pattern being recalled, are added pattern by
//! pattern in 32 bits), and the 16-bit sums are added into 32-bit fields before the
//! overlaps summed since the last time could take them out of range. Fields are exact
//! while `N·P + D < 2³¹`. Wide layouts keep each code once, a byte per neuron and pair of
//! groups (half the memory: the 16-bit lanes `c | (c + 8) << 8` are made by interleaving
//! the bytes with themselves `| 8`), go block by block of 32 neurons with the fields in
//! registers, and step the runs of a batch in one pass over the codes
//! ([`Packed::step_many`]): in groups of up to [`RUNS`] runs, whose look-ups share each
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

// Elsewhere the kernels are never reached, and what feeds them goes unused.
#![cfg_attr(
    not(target_arch = "x86_64"),
    allow(unused_variables, unused_mut, unreachable_code, dead_code)
)]

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

/// Identities of layouts, so that scratch space serves only the layout it was made for.
static LAYOUTS: AtomicU64 = AtomicU64::new(0);

use crate::parallel::*;

use super::bits::BitMatrix;
use crate::guard;
use crate::neuron::Tie;

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
            Kind::Avx512 => kernel!(avx512::$f($($arg),*)),
            Kind::Avx2 => kernel!(avx2::$f($($arg),*)),
        }
    };
}

/// Calls the AVX2 kernel `$f::<R>` for `R = $runs`, one to [`RUNS`] runs, as [`kernel!`]
/// does.
macro_rules! by_runs {
    ($runs:expr, $f:ident($($arg:expr),*)) => {
        match $runs {
            1 => kernel!(avx2::$f::<1>($($arg),*)),
            2 => kernel!(avx2::$f::<2>($($arg),*)),
            3 => kernel!(avx2::$f::<3>($($arg),*)),
            _ => kernel!(avx2::$f::<4>($($arg),*)),
        }
    };
}

/// Patterns per table (AVX-512 build).
const GROUP: usize = 6;
/// Neurons (or patterns) per vector of 16-bit lanes.
const LANES: usize = 32;
/// Pairs of groups whose tables stay in registers at a time (four registers a pair).
const HELD: usize = 6;

/// The build of the look-ups a layout was made for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// 6-bit codes, `vpermi2w` on tables of 64 sums, 32 neurons per look-up.
    Avx512,
    /// 3-bit codes, `vpshufb` on tables of 8 sums, 16 neurons per look-up.
    Avx2,
}

impl Kind {
    /// The build for the level in force, if any.
    fn in_force() -> Option<Kind> {
        if !cfg!(target_arch = "x86_64") {
            return None;
        }
        if crate::simd::allows(crate::simd::Level::Avx512) {
            Some(Kind::Avx512)
        } else if crate::simd::allows(crate::simd::Level::Avx2) {
            Some(Kind::Avx2)
        } else {
            None
        }
    }

    /// Patterns per group of a table.
    fn group(self) -> usize {
        match self {
            Kind::Avx512 => GROUP,
            Kind::Avx2 => AVX2_GROUP,
        }
    }
}

/// Patterns per table (AVX2 build).
const AVX2_GROUP: usize = 3;

/// Wide layouts: the largest overlap the look-ups take. A pair of groups covers six
/// patterns, so its partial sums stay within `6 · 1024`, far inside 16 bits.
const LARGE: i32 = 1024;

/// Wide layouts: blocks whose codes are filled together, from a cache line of each
/// pattern.
const FILLED: usize = 16;

/// Wide layouts: pairs between the checks for fields whose signs the pairs left cannot
/// change.
const EARLY: usize = 8;

/// Wide layouts: the bytes of codes of the stretch of blocks that each group of runs of a
/// step reads in turn (read from memory by the first group, from the second-level cache
/// by the others).
const STRETCH: usize = 256 << 10;

/// Pairs of groups summed in 16 bits before the sums are added into 32-bit ones
/// ([`Packed::step_many`]).
#[derive(Debug, Clone, Copy)]
struct Segment {
    /// The pair after the last of the segment.
    end: usize,
    /// Per run, at most what the pairs from `end` on can add to a field in size: a block
    /// whose fields all exceed it has them with their final signs and nonzero. `None`
    /// where no check is made.
    left: Option<[i32; RUNS]>,
}

/// Wide layouts: the most runs whose look-ups share each code read ([`Packed::step_many`])
/// and each pattern word read ([`Packed::plan`]'s fresh overlaps).
pub(crate) const RUNS: usize = 4;

/// Factored ±1 couplings laid out for [`Packed::step`].
#[derive(Debug, Clone)]
pub(crate) struct Packed {
    /// This layout's identity (shared by its clones, which are the same layout).
    id: u64,
    /// The build the codes are laid out for.
    kind: Kind,
    /// Whether the fields are summed in 32 bits (AVX2 build only): the overlaps of typical
    /// states would take 16-bit sums out of range. See [`Packed::step`].
    wide: bool,
    n: usize,
    p: usize,
    /// Words per packed state.
    words: usize,
    /// Pairs of groups: `⌈P / 12⌉` (AVX-512) or `⌈P / 6⌉` (AVX2).
    pairs: usize,
    /// `⌈N / 32⌉`.
    blocks: usize,
    /// `⌈P / 32⌉`: vectors of overlaps.
    chunks: usize,
    /// What is subtracted on the diagonal: `D` in `h_i = Σ_μ ξ^μ_i m_μ − D·S_i`.
    diagonal: i64,
    /// `codes[(b · pairs + q) · 32 + l]`: the codes of neuron `32b + l` in groups `2q`
    /// and `2q + 1`. AVX-512: bits 0–5 and 6–11; bit `k` is set when `ξ^{12q+k} = +1`.
    /// AVX2: bits 0–2 and 4–6, repeated in bits 8–10 and 12–14, with bits 11 and 15 set;
    /// bit `k` (`k < 3`) or `k + 1` is set when `ξ^{6q+k} = +1`. Empty for wide layouts.
    codes: Vec<u16>,
    /// Wide layouts: the codes once, a byte per neuron and pair of groups (bits 0–2 and
    /// 4–6, as in `codes`), `nibbles[(b · pairs + q) · 32 + j]` holding neuron `32b + l` at
    /// `j = l` for `l < 8` and `l ≥ 24`, `j = l + 8` for `8 ≤ l < 16` and `j = l − 8` for
    /// `16 ≤ l < 24`: the order in which byte interleaving (`vpunpcklbw`, `vpunpckhbw`)
    /// gives 16-bit lanes of neurons `32b..32b + 16` and `32b + 16..32b + 32`.
    nibbles: Vec<u8>,
    /// The patterns' bits (`P × N`), shared with the couplings they came from.
    rows: Arc<BitMatrix>,
    /// The patterns' words word by word (AVX-512 only): `rows_by_word[w · P + μ]` is word
    /// `w` of pattern `μ`.
    rows_by_word: Vec<u64>,
    /// The signs of each neuron across the patterns, 32 patterns per mask:
    /// `cols[j · chunks + c]` bit `l` is set when `ξ^{32c+l}_j = +1`.
    cols: Vec<u32>,
    /// Neuron `j`'s signs as words of 64 patterns, word by word: `by_word[w · N + j]`.
    by_word: Vec<u64>,
    /// The distances `d_ij` row by row, once formed (`None` when they cannot serve).
    distances: OnceLock<Option<Vec<u8>>>,
    /// Steps taken that the distances, not yet formed, would have made cheaper.
    tally: Tally,
}

/// The steps counted by the threads of a batch towards forming the distances, and whether
/// one of them is forming them (a copy starts from the count so far).
#[derive(Debug, Default)]
struct Tally {
    steps: AtomicU64,
    forming: AtomicBool,
}

impl Clone for Tally {
    fn clone(&self) -> Self {
        Tally {
            steps: AtomicU64::new(self.steps.load(Ordering::Relaxed)),
            forming: AtomicBool::new(false),
        }
    }
}

/// Scratch space of one run, sized for the layout that made it ([`Packed::scratch`]) and
/// refused by any other.
pub(crate) struct Scratch {
    /// The identity of the layout it was made for.
    owner: u64,
    /// Overlaps as computed, `P` of them (and room up to a whole word of patterns).
    m32: Vec<i32>,
    /// The overlaps in 16 bits, zero past `P`: at least `32·⌈P/32⌉` and 12 per pair.
    m16: Vec<i16>,
    /// Partial fields, 32 per block (not for wide layouts).
    fields: Vec<i16>,
    /// Wide layouts: the patterns whose overlaps are too large for the look-ups, and their
    /// overlaps (added one pattern at a time).
    large: Vec<(usize, i32)>,
    /// Wide layouts: the tables of the overlaps in `m16`, two per pair of groups (see
    /// `avx2::table`).
    tables: Vec<[u8; 16]>,
    /// How many neurons the last step changed, and which (the first `changes` entries;
    /// 16 entries of slack).
    changes: usize,
    changed: Vec<u32>,
    /// Per changed neuron, where its masks or its row start (and, for masks, how to read
    /// them).
    moves: Vec<(usize, u32)>,
    /// Per block, the neurons the last step changed.
    diffs: Vec<u32>,
}

/// One run's part in a step of several ([`Packed::step_many`]): its state, its scratch
/// space with the overlaps of that state, and room for the new state.
pub(crate) struct Cue<'a> {
    /// The state, bit-packed.
    pub(crate) s: &'a [u64],
    /// The run's scratch space.
    pub(crate) scratch: &'a mut Scratch,
    /// The new state.
    pub(crate) next: &'a mut [u64],
}

/// The decisions of a synchronous run worked out ahead ([`Packed::plan`]).
#[derive(Debug, Clone, Default)]
pub(crate) struct Plan {
    /// The neurons each step changes, in order (ascending); a step that changes none ends
    /// the plan at a fixed point.
    pub(crate) steps: Vec<Vec<u32>>,
    /// The overlaps of the state the last step was decided from, when it is the last state
    /// (a fixed point, or the state after the most steps allowed).
    pub(crate) finals: Option<Vec<i32>>,
}

/// A run being planned: its state, room for the next one, its scratch space and plan.
struct Walk {
    index: usize,
    state: Vec<u64>,
    next: Vec<u64>,
    scratch: Scratch,
    plan: Plan,
    /// Whether the overlaps are to be computed afresh (rather than from the last changes).
    fresh: bool,
}

impl Packed {
    /// The decisions of the synchronous runs from the packed ±1 states `cues` of a wide
    /// layout, each as [`Packed::overlaps`], [`Packed::update_overlaps`] and
    /// [`Packed::step`] would take them, all of them in each pass over the patterns and
    /// the codes: until a fixed point, a cycle of two states (a step that undoes the one
    /// before), or `max_steps` steps and the decision from the state after them. Stops
    /// early once `stop` says so (the plans then hold the steps so far).
    pub(crate) fn plan(
        &self,
        cues: &[Vec<u64>],
        tie: Tie,
        max_steps: usize,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Vec<Plan> {
        assert!(self.wide, "plans are for wide layouts");
        let mut walks: Vec<Walk> = cues
            .iter()
            .enumerate()
            .map(|(index, s)| {
                assert_eq!(s.len(), self.words, "state of the wrong length");
                Walk {
                    index,
                    state: s.clone(),
                    next: vec![0; self.words],
                    scratch: self.scratch(),
                    plan: Plan::default(),
                    fresh: true,
                }
            })
            .collect();
        let mut done = Vec::with_capacity(walks.len());
        let mut step = 0usize;
        while !walks.is_empty() && !stop() {
            step += 1;
            // The overlaps: afresh several runs per pass over the patterns, or from the
            // changes of the last step; runs (or groups of runs) side by side.
            let (mut fresh, mut since): (Vec<&mut Walk>, Vec<&mut Walk>) =
                walks.iter_mut().partition(|w| w.fresh);
            since.par_iter_mut().for_each(|w| {
                // SAFETY: as in `overlaps`.
                kernel!(avx2::update_rows(self, &w.state, &mut w.scratch));
            });
            self.overlaps_of(&mut fresh);
            walks.par_iter_mut().for_each(|w| {
                self.prepare_wide(&mut w.scratch);
            });
            // The steps, the pass over the codes shared by the threads block by block.
            let mut cues: Vec<Cue<'_>> = walks
                .iter_mut()
                .map(|w| Cue {
                    s: &w.state,
                    scratch: &mut w.scratch,
                    next: &mut w.next,
                })
                .collect();
            self.step_many(&mut cues, tie);
            let mut k = 0;
            while k < walks.len() {
                let w = &mut walks[k];
                let changed = w.scratch.changed().to_vec();
                let last = changed.is_empty() || step > max_steps;
                let cycle = w.plan.steps.last() == Some(&changed);
                w.fresh = !self.updates_pay(changed.len());
                w.plan.steps.push(changed);
                if last {
                    w.plan.finals = Some(w.scratch.m32[..self.p].to_vec());
                }
                if last || cycle {
                    done.push(walks.swap_remove(k));
                } else {
                    std::mem::swap(&mut w.state, &mut w.next);
                    k += 1;
                }
            }
        }
        done.extend(walks);
        done.sort_by_key(|w| w.index);
        done.into_iter().map(|w| w.plan).collect()
    }

    /// The overlaps of `walks` afresh, in one pass over the patterns: a few patterns at a
    /// time (a task each, side by side), each counted for up to [`RUNS`] walks at once
    /// while it is in the first-level cache, then for the next walks.
    fn overlaps_of(&self, walks: &mut [&mut Walk]) {
        /// Patterns per task.
        const PATTERNS: usize = 4;
        let (states, m32): (Vec<&[u64]>, Vec<&mut [i32]>) = walks
            .iter_mut()
            .map(|w| {
                let Walk { state, scratch, .. } = &mut **w;
                (&state[..], &mut scratch.m32[..self.p])
            })
            .unzip();
        // Each task's share of every walk's overlaps.
        let tasks = self.p.div_ceil(PATTERNS);
        let mut shares: Vec<Vec<&mut [i32]>> = (0..tasks)
            .map(|_| Vec::with_capacity(states.len()))
            .collect();
        for m in m32 {
            for (share, part) in shares.iter_mut().zip(m.chunks_mut(PATTERNS)) {
                share.push(part);
            }
        }
        shares.par_iter_mut().enumerate().for_each(|(t, share)| {
            let mus = t * PATTERNS..((t + 1) * PATTERNS).min(self.p);
            for (s, m) in states.chunks(RUNS).zip(share.chunks_mut(RUNS)) {
                // SAFETY: as in `overlaps`; every state has `words` words and every share
                // room for the overlaps of `mus` (walks of this layout).
                by_runs!(s.len(), overlaps_many(self, s, m, mus.clone()));
            }
        });
    }

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

    /// The build the layout was made for.
    #[cfg(test)]
    pub(crate) fn kind(&self) -> Kind {
        self.kind
    }

    /// Words per packed state.
    #[cfg(test)]
    pub(crate) fn words(&self) -> usize {
        self.words
    }

    /// What is subtracted on the diagonal.
    pub(crate) fn diagonal(&self) -> i64 {
        self.diagonal
    }

    /// Scratch space for runs on these couplings.
    pub(crate) fn scratch(&self) -> Scratch {
        let m = (self.chunks * LANES).max(self.pairs * 2 * self.kind.group());
        Scratch {
            owner: self.id,
            m32: vec![0; 64 * self.p.div_ceil(64)],
            m16: vec![0; m.div_ceil(LANES) * LANES],
            fields: vec![0; if self.wide { 0 } else { self.blocks * LANES }],
            large: Vec::new(),
            tables: vec![[0; 16]; if self.wide { 2 * self.pairs } else { 0 }],
            changes: 0,
            changed: vec![0; self.blocks * LANES + 16],
            moves: Vec::new(),
            diffs: vec![0; self.blocks],
        }
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

    /// Wide layouts: the overlaps in `m32` made ready for a step: those up to `LARGE` in
    /// 16 bits and their tables, the others listed; `false` when `Σ_μ |m_μ| + D` exceeds
    /// `i32::MAX` (never, for a layout whose fields all fit 32 bits).
    fn prepare_wide(&self, scratch: &mut Scratch) -> bool {
        scratch.large.clear();
        let mut total = self.diagonal;
        for (mu, (o, &x)) in scratch
            .m16
            .iter_mut()
            .zip(&scratch.m32[..self.p])
            .enumerate()
        {
            total += i64::from(x).abs();
            if x.abs() <= LARGE {
                *o = x as i16;
            } else {
                *o = 0;
                scratch.large.push((mu, x));
            }
        }
        // SAFETY: as in `overlaps`; `m16` holds six overlaps per pair, `tables` two
        // tables per pair (see `scratch`).
        kernel!(avx2::tables(&scratch.m16, self.pairs, &mut scratch.tables));
        total <= i64::from(i32::MAX)
    }

    /// Refuses a state of another length and scratch space made for another layout (whose
    /// buffers the kernels would overrun).
    fn check(&self, s: &[u64], scratch: &Scratch) {
        assert_eq!(s.len(), self.words, "state of the wrong length");
        assert_eq!(
            scratch.owner, self.id,
            "scratch space made for another layout"
        );
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

    /// Whether the fields are summed in 32 bits: steps of several runs at once
    /// ([`Packed::step_many`], [`Packed::plan`]) serve this layout.
    pub(crate) fn is_wide(&self) -> bool {
        self.wide
    }

    /// One synchronous step of each run of `cues` on a wide layout, in one pass over the
    /// codes: for each, from its state `s` with the overlaps last computed for `s`, the new
    /// state into `next` and the changed neurons recorded in its scratch space, as
    /// [`Packed::step`] would. Runs go in groups of up to [`RUNS`], the groups one after
    /// another over each stretch of blocks. Returns how many pairs of blocks were left
    /// unread, their fields' signs settled before.
    pub(crate) fn step_many(&self, cues: &mut [Cue<'_>], tie: Tie) -> usize {
        assert!(self.wide && !cues.is_empty());
        for c in cues.iter() {
            self.check(c.s, c.scratch);
            assert_eq!(c.next.len(), self.words, "state of the wrong length");
        }
        let segments: Vec<Vec<Segment>> = cues.chunks(RUNS).map(|g| self.segments(g)).collect();
        // SAFETY: as in `overlaps`; the lengths were checked above, the segments end at
        // `pairs`.
        kernel!(avx2::step_wide(self, cues, &segments, tie))
    }

    /// The segments of pairs of a group of up to [`RUNS`] runs: their partial sums stay in
    /// 16 bits for every run, for where the sum of the overlaps' sizes since the last
    /// widening would pass 32767 the 16-bit sums are added into 32-bit ones (a pair alone
    /// stays within `6 · LARGE`); and every [`EARLY`] pairs, once what the pairs left can
    /// still add to a field is below what the larger overlaps put there for every run, a
    /// check for blocks whose fields all exceed it in size (they have their signs).
    fn segments(&self, group: &[Cue<'_>]) -> Vec<Segment> {
        let sizes: Vec<[i64; RUNS]> = (0..self.pairs)
            .map(|q| {
                std::array::from_fn(|r| {
                    group.get(r).map_or(0, |c| {
                        c.scratch.m16[q * 2 * AVX2_GROUP..(q + 1) * 2 * AVX2_GROUP]
                            .iter()
                            .map(|&x| i64::from(x).abs())
                            .sum()
                    })
                })
            })
            .collect();
        let large: [i64; RUNS] = std::array::from_fn(|r| {
            group.get(r).map_or(0, |c| {
                c.scratch
                    .large
                    .iter()
                    .map(|&(_, x)| i64::from(x).abs())
                    .sum()
            })
        });
        let mut left = [0i64; RUNS];
        for x in &sizes {
            for (l, x) in left.iter_mut().zip(x) {
                *l += x;
            }
        }
        let mut segments = Vec::new();
        let mut since = [0i64; RUNS];
        for (q, sums) in sizes.iter().enumerate() {
            let overflow = since
                .iter()
                .zip(sums)
                .any(|(t, x)| t + x > i64::from(i16::MAX));
            let early = q % EARLY == 0
                && left
                    .iter()
                    .zip(&large)
                    .take(group.len())
                    .all(|(l, g)| l < g);
            if q > 0 && (overflow || early) {
                segments.push(Segment {
                    end: q,
                    // `left ≤ Σ_μ |m_μ| ≤ P·N < 2³¹` in layouts whose fields fit 32 bits.
                    left: early.then(|| left.map(|l| l as i32)),
                });
                since = [0; RUNS];
            }
            for ((t, l), x) in since.iter_mut().zip(left.iter_mut()).zip(sums) {
                *t += x;
                *l -= x;
            }
        }
        segments.push(Segment {
            end: self.pairs,
            left: None,
        });
        segments
    }

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
    fn form_distances(&self) -> Option<Vec<u8>> {
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

/// Whether a step changed few enough of the `n` neurons that updating from the changes
/// costs less than starting afresh: `⌈P/32⌉` masked additions per change against
/// `P·N/512` vector popcounts for the overlaps, and a byte row per change against a packed
/// step for the fields.
pub(crate) fn few(changes: usize, n: usize) -> bool {
    changes * 16 <= n
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

/// Bits `32c..32c + 32` of a bit vector.
#[inline(always)]
fn half(v: &[u64], c: usize) -> u32 {
    v.get(c / 2).map_or(0, |&w| (w >> (32 * (c % 2))) as u32)
}

/// The lane order of a block's codes in [`Packed::nibbles`]: position `r` holds neuron
/// `nibble_lane(r)` of the block, and the other way round.
fn nibble_lane(r: usize) -> usize {
    match r {
        8..16 => r + 8,
        16..24 => r - 8,
        _ => r,
    }
}

/// Whether the packed path may run: the processor has AVX2 (or AVX-512 F, BW, VL and
/// VPOPCNTDQ) and the level in force ([`crate::simd`]) allows it.
#[cfg(test)]
pub(crate) fn available() -> bool {
    Kind::in_force().is_some()
}

/// Whether the AVX-512 build runs: vector popcounts ([`popcounts_by_word`]) and the
/// distances ([`Packed::columns`]).
pub(crate) fn vector_popcounts() -> bool {
    Kind::in_force() == Some(Kind::Avx512)
}

/// The lanes of vector `v` (32 lanes each) that hold one of `len` entries: all of them but
/// in the last vector.
#[inline(always)]
fn lanes(len: usize, v: usize) -> u32 {
    if (v + 1) * LANES <= len {
        u32::MAX
    } else {
        (1u32 << (len - v * LANES)) - 1
    }
}

impl Scratch {
    /// The neurons the last step changed.
    pub(crate) fn changed(&self) -> &[u32] {
        &self.changed[..self.changes]
    }

    /// Records `changed` as the neurons the last step changed (a step decided elsewhere,
    /// see [`Packed::plan`]).
    pub(crate) fn set_changed(&mut self, changed: &[u32]) {
        self.changed[..changed.len()].copy_from_slice(changed);
        self.changes = changed.len();
    }

    /// Per neuron the last step changed (its new value in `s`): where its masks start
    /// (`chunks` masks per neuron), and all ones to invert them when the neuron turned off
    /// (then +2 goes where `ξ^μ_j = −1`).
    fn masks_of_changes(&mut self, s: &[u64], chunks: usize) {
        self.moves.clear();
        self.moves
            .extend(self.changed[..self.changes].iter().map(|&j| {
                let j = j as usize;
                let off = ((s[j / 64] >> (j % 64)) & 1) as u32 ^ 1;
                (j * chunks, off.wrapping_neg())
            }));
    }

    /// The changed neurons' rows of the distances (`n` entries a row), those that turned
    /// on first (`moves[..ups]`) and those that turned off after a gap (`moves[ups + 1..=
    /// changes]`, last first); returns `ups`. Partitioned without branches (which way a
    /// neuron went is unpredictable): each row goes to both ends, and only one end
    /// advances.
    fn rows_of_changes(&mut self, s: &[u64], n: usize) -> usize {
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

/// The decisions of a step, block by block: the new state's bits, the neurons that changed
/// (`changed[..count]`) and each block's changes (`diffs`).
struct Decisions<'a> {
    n: usize,
    s: &'a [u64],
    next: &'a mut [u64],
    tie: Tie,
    changed: &'a mut [u32],
    count: usize,
    diffs: &'a mut [u32],
    /// The block (even) at which `next` and `diffs` start.
    base: usize,
}

impl<'a> Decisions<'a> {
    /// The decisions of a step from `s`, of `n` neurons, into `next` (cleared here).
    fn new(
        n: usize,
        s: &'a [u64],
        next: &'a mut [u64],
        tie: Tie,
        changed: &'a mut [u32],
        diffs: &'a mut [u32],
    ) -> Self {
        next.fill(0);
        Decisions {
            n,
            s,
            next,
            tie,
            changed,
            count: 0,
            diffs,
            base: 0,
        }
    }

    /// Block `b`, whose fields are above zero in the lanes `above` and zero in the lanes
    /// `zeros`: on for `h > 0`, off for `h < 0`, the tie rule for `h = 0`. Sets the block's
    /// bits of the new state and returns its changes, for the caller to list.
    #[inline(always)]
    fn changes(&mut self, b: usize, above: u32, zeros: u32) -> u32 {
        let valid = lanes(self.n, b);
        // Lanes past `N` never count, whatever bits a state holds there: they would
        // become changed neurons past the end of the distances.
        let on = half(self.s, b) & valid;
        let up = match self.tie {
            Tie::Minus => above,
            Tie::Plus => above | zeros,
            Tie::Keep => above | (zeros & on),
        } & valid;
        self.next[(b - self.base) / 2] |= u64::from(up) << (32 * (b % 2));
        let diff = up ^ on;
        self.diffs[b - self.base] = diff;
        diff
    }

    /// [`Decisions::changes`] of block `b`, whose fields have the signs `(above, zeros)`,
    /// the changed neurons listed one by one.
    #[inline(always)]
    fn block(&mut self, b: usize, (above, zeros): (u32, u32)) {
        let mut diff = self.changes(b, above, zeros);
        while diff != 0 {
            self.changed[self.count] = (b * LANES) as u32 + diff.trailing_zeros();
            self.count += 1;
            diff &= diff - 1;
        }
    }
}

/// `add(·, mask)` over the masks of chunk `c` of the changes `moves` (see
/// [`Scratch::masks_of_changes`]; `cols` the masks of every neuron), from the sums `(a, b)`
/// that the changes go to in turn (two chains of additions).
#[inline(always)]
fn add_masks<V: Copy>(
    cols: &[u32],
    moves: &[(usize, u32)],
    c: usize,
    (mut a, mut b): (V, V),
    add: impl Fn(V, u32) -> V,
) -> (V, V) {
    let mask = |&(j, flip): &(usize, u32)| cols[j + c] ^ flip;
    let mut pairs = moves.chunks_exact(2);
    for pair in &mut pairs {
        let (x, y) = (mask(&pair[0]), mask(&pair[1]));
        a = add(a, x);
        b = add(b, y);
    }
    if let [last] = pairs.remainder() {
        a = add(a, mask(last));
    }
    (a, b)
}

/// What a step through the distances adds to every field before the distances:
/// `Σ_j ΔS_j W_ij = 2P·(ups − downs) − 4·Σ_j ±d_ij`.
fn column_shift(p: usize, ups: usize, downs: usize) -> i64 {
    2 * p as i64 * (ups as i64 - downs as i64)
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
mod avx512 {
    use std::arch::x86_64::*;

    use super::{
        BitMatrix, Decisions, GROUP, HELD, LANES, Packed, Scratch, add_masks, column_shift, half,
        lanes,
    };
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
            unsafe {
                _mm512_mask_cvtepi64_storeu_epi32(out.as_mut_ptr().add(j).cast(), lanes, acc)
            };
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
            let v =
                unsafe { _mm512_maskz_loadu_epi64(lanes, by_word.as_ptr().add(w * n + j).cast()) };
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
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    use std::mem::MaybeUninit;

    use super::{
        AVX2_GROUP as GROUP, BitMatrix, Cue, Decisions, FILLED, LANES, Packed, RUNS, STRETCH,
        Scratch, Segment, add_masks, column_shift, half, lanes, nibble_lane,
    };
    use crate::neuron::Tie;
    use crate::parallel::*;

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
                let v =
                    unsafe { _mm256_loadu_si256(fields.as_ptr().add(b * LANES + 16 * h).cast()) };
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
                        let o =
                            &mut out[i * per_block + q * LANES..i * per_block + (q + 1) * LANES];
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
            0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4, 0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2,
            3, 3, 4,
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
                        let hi = _mm256_shuffle_epi8(
                            lut,
                            _mm256_and_si256(_mm256_srli_epi16::<4>(d), low),
                        );
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
}

#[cfg(test)]
mod tests {
    use std::mem::MaybeUninit;

    use rand::Rng;

    use super::*;
    use crate::random::{self, seeded};

    /// A layout of `p` random patterns of `n` neurons with the self-couplings removed, or
    /// `None` (said on stderr) where the level in force has neither AVX2 nor AVX-512.
    fn layout(p: usize, n: usize, seed: u64) -> Option<Packed> {
        layout_of(p, n, seed, p as i64, false).map(|(k, _)| k)
    }

    /// [`layout`] with diagonal removal `diagonal`, and the patterns' signs (`P × N`).
    fn layout_of(
        p: usize,
        n: usize,
        seed: u64,
        diagonal: i64,
        wide: bool,
    ) -> Option<(Packed, Vec<i8>)> {
        if !available() {
            eprintln!(
                "packed kernels not run: the level in force is {} (they need avx2 or avx512)",
                crate::simd::active()
            );
            return None;
        }
        let mut rng = seeded(seed);
        let values: Vec<i8> = (0..p * n).map(|_| random::sign(&mut rng)).collect();
        let rows = Arc::new(BitMatrix::from_positive(p, n, &values));
        let k = Packed::build(&rows, || Arc::new(rows.transpose()), diagonal, wide)
            .expect("the layout fits");
        Some((k, values))
    }

    /// The packed path runs wherever the level in force has AVX2: on such a processor the
    /// tests below run the kernels, not skip them.
    #[test]
    fn the_packed_path_runs_from_avx2() {
        let level = crate::simd::active();
        let x86 = cfg!(target_arch = "x86_64");
        assert_eq!(available(), x86 && level >= crate::simd::Level::Avx2);
        assert_eq!(
            vector_popcounts(),
            x86 && level >= crate::simd::Level::Avx512
        );
        if let Some(k) = layout(5, 40, 1) {
            let expected = match level {
                crate::simd::Level::Avx512 => Kind::Avx512,
                _ => Kind::Avx2,
            };
            assert_eq!(k.kind(), expected);
        }
    }

    /// Steps and overlaps agree with the fields computed one product at a time, for every
    /// tie rule, sizes around the lane, block, word and group edges, and both diagonals;
    /// and overlaps updated from a step's changes are those computed afresh.
    #[test]
    fn steps_follow_the_fields() {
        steps_follow_the_fields_of(false);
    }

    /// The same for wide layouts (32-bit fields), forced at small sizes, and at sizes
    /// where overlaps pass `LARGE` (near a pattern) and where a typical state needs them.
    #[test]
    fn wide_steps_follow_the_fields() {
        steps_follow_the_fields_of(true);
        // Random states of 70 000 neurons: some 35 000 changes a step, the overlaps updated
        // from the words of the patterns that hold them (see `check_steps`).
        for (p, n) in [(3, 1100), (40, 2100), (400, 8000), (3, 70_000)] {
            let Some((k, xi)) = layout_of(p, n, 9, p as i64, p < 400) else {
                return;
            };
            assert!(k.wide, "P {p} N {n}");
            check_steps(&k, &xi, p, n, p as i64);
        }
    }

    fn steps_follow_the_fields_of(wide: bool) {
        for (p, n) in [
            (1, 1),
            (2, 15),
            (3, 16),
            (5, 31),
            (6, 32),
            (7, 33),
            (11, 64),
            (12, 65),
            (13, 100),
            (31, 129),
            (33, 300),
            (70, 517),
        ] {
            for diagonal in [0, p as i64] {
                let Some((k, xi)) = layout_of(p, n, (p * n) as u64, diagonal, wide) else {
                    return;
                };
                assert_eq!(k.wide, wide);
                check_steps(&k, &xi, p, n, diagonal);
            }
        }
    }

    /// The overlaps and fields of the ±1 state `s` with patterns `xi` (`P × N`), one
    /// product at a time.
    fn exact(xi: &[i8], p: usize, n: usize, s: &[i8], diagonal: i64) -> (Vec<i64>, Vec<i64>) {
        let m: Vec<i64> = (0..p)
            .map(|mu| {
                (0..n)
                    .map(|i| i64::from(xi[mu * n + i]) * i64::from(s[i]))
                    .sum()
            })
            .collect();
        let h = (0..n)
            .map(|i| {
                (0..p)
                    .map(|mu| i64::from(xi[mu * n + i]) * m[mu])
                    .sum::<i64>()
                    - diagonal * i64::from(s[i])
            })
            .collect();
        (m, h)
    }

    /// One step of each of the packed ±1 `states` together ([`Packed::step_many`]), from
    /// their overlaps computed afresh: the new states, the neurons each changed, and the
    /// pairs left unread.
    fn step_together(
        k: &Packed,
        states: &[Vec<u64>],
        tie: Tie,
    ) -> (Vec<Vec<u64>>, Vec<Vec<u32>>, usize) {
        let mut scratches: Vec<Scratch> = states.iter().map(|_| k.scratch()).collect();
        let mut nexts = vec![vec![0u64; k.words()]; states.len()];
        for (s, scratch) in states.iter().zip(scratches.iter_mut()) {
            assert!(k.overlaps(s, scratch));
        }
        let mut cues: Vec<Cue<'_>> = states
            .iter()
            .zip(scratches.iter_mut())
            .zip(nexts.iter_mut())
            .map(|((s, scratch), next)| Cue { s, scratch, next })
            .collect();
        let skipped = k.step_many(&mut cues, tie);
        drop(cues);
        let changed = scratches.iter().map(|s| s.changed().to_vec()).collect();
        (nexts, changed, skipped)
    }

    /// Wide layouts leave the last pairs of a block unread once what they could add cannot
    /// turn any of its fields: from states at and near patterns, one run and several, the
    /// new states are those of the fields in full.
    #[test]
    fn fields_settled_early_decide_as_in_full() {
        let (p, n, diagonal) = (100, 4000, 100);
        let Some((k, xi)) = layout_of(p, n, 3, diagonal, true) else {
            return;
        };
        let mut rng = seeded(4);
        let states: Vec<Vec<i8>> = (0..RUNS)
            .map(|r| {
                (0..n)
                    .map(|i| {
                        let x = xi[(7 * r % p) * n + i];
                        // 0, 15, 25 and 32 % flipped: fields from far beyond what
                        // the last pairs add to near it.
                        if rng.next_u64() % 100 < [0, 15, 25, 32][r % 4] {
                            -x
                        } else {
                            x
                        }
                    })
                    .collect()
            })
            .collect();
        for runs in 1..=RUNS {
            let bits: Vec<Vec<u64>> = states[..runs]
                .iter()
                .map(|s| crate::kernel::bits::bipolar_bits(s).expect("a ±1 state"))
                .collect();
            let (nexts, _, skipped) = step_together(&k, &bits, Tie::Minus);
            assert!(skipped > 0, "{runs} runs: every pair read");
            assert!(skipped < k.blocks * k.pairs);
            for (s, next) in states.iter().zip(&nexts) {
                let (_, h) = exact(&xi, p, n, s, diagonal);
                for (i, h) in h.iter().enumerate() {
                    assert_eq!(
                        next[i / 64] >> (i % 64) & 1 == 1,
                        *h > 0,
                        "neuron {i}: h = {h}"
                    );
                }
            }
        }
    }

    /// Steps of `k` (patterns `xi`, `P × N`) from random states and states near a pattern
    /// against the fields computed one product at a time.
    fn check_steps(k: &Packed, xi: &[i8], p: usize, n: usize, diagonal: i64) {
        let mut scratch = k.scratch();
        let mut next = vec![0u64; k.words()];
        let mut rng = seeded(n as u64);
        for trial in 0..6 {
            // Random states, and states near a pattern (few changes per step).
            let s: Vec<i8> = (0..n)
                .map(|i| {
                    if trial % 2 == 0 {
                        random::sign(&mut rng)
                    } else if rng.next_u64().is_multiple_of(10) {
                        -xi[i]
                    } else {
                        xi[i]
                    }
                })
                .collect();
            let bits = crate::kernel::bits::bipolar_bits(&s).expect("a ±1 state");
            let (m, h) = exact(xi, p, n, &s, diagonal);
            for tie in [Tie::Minus, Tie::Plus, Tie::Keep] {
                assert!(k.overlaps(&bits, &mut scratch));
                let fresh: Vec<i64> = scratch.m32[..p].iter().map(|&x| i64::from(x)).collect();
                assert_eq!(fresh, m, "P {p} N {n}");
                let changes = k.step(&bits, &mut scratch, tie, &mut next) as usize;
                let mut expect = Vec::new();
                for i in 0..n {
                    let up = h[i] > 0
                        || (h[i] == 0 && (tie == Tie::Plus || (tie == Tie::Keep && s[i] > 0)));
                    assert_eq!(
                        next[i / 64] >> (i % 64) & 1 == 1,
                        up,
                        "P {p} N {n} D {diagonal} {tie} neuron {i}: h = {}",
                        h[i]
                    );
                    if up != (s[i] > 0) {
                        expect.push(i as u32);
                    }
                }
                assert_eq!(scratch.changed(), &expect[..]);
                assert_eq!(changes, expect.len());
                if k.wide {
                    // The overlaps updated from the changes, however many, are those of the
                    // new state; then those of `s` again for the update below.
                    kernel!(avx2::update_rows(k, &next, &mut scratch));
                    let updated = scratch.m32[..p].to_vec();
                    assert!(k.overlaps(&next, &mut scratch));
                    assert_eq!(updated, scratch.m32[..p].to_vec(), "P {p} N {n}");
                    assert!(k.overlaps(&bits, &mut scratch));
                }
                // The overlaps of the new state, from the changes.
                if k.updates_pay(changes) {
                    assert!(k.update_overlaps(&next, &mut scratch));
                    let updated: Vec<i16> = scratch.m16[..p].to_vec();
                    let wide: Vec<i32> = scratch.m32[..p].to_vec();
                    let large = scratch.large.clone();
                    assert!(k.overlaps(&next, &mut scratch));
                    assert_eq!(updated, scratch.m16[..p].to_vec(), "P {p} N {n}");
                    assert!(scratch.m16[p..].iter().all(|&x| x == 0));
                    if k.wide {
                        assert_eq!(wide, scratch.m32[..p].to_vec(), "P {p} N {n}");
                        assert_eq!(large, scratch.large, "P {p} N {n}");
                    }
                }
            }
        }
    }

    /// The codes of wide layouts, filled from the patterns, are the bytes filled from their
    /// transpose and those the layout describes: sizes off the edges of blocks (32
    /// neurons), pairs (6 patterns) and groups of filled blocks (16), fewer patterns than a
    /// pair, and every byte written.
    #[test]
    fn codes_from_the_patterns_are_those_from_the_transpose() {
        if !available() {
            return;
        }
        for (p, n) in [
            (1, 1),
            (2, 33),
            (5, 100),
            (6, 32),
            (7, 515),
            (13, 1000),
            (61, 700),
            (100, 1537),
        ] {
            let mut rng = seeded((p * n) as u64);
            let values: Vec<i8> = (0..p * n).map(|_| random::sign(&mut rng)).collect();
            let rows = BitMatrix::from_positive(p, n, &values);
            let cols = rows.transpose();
            let pairs = p.div_ceil(2 * AVX2_GROUP);
            let size = n.div_ceil(LANES) * pairs * LANES;
            let per_group = FILLED * pairs * LANES;
            // Set before the fills (those left as they were would show).
            let mut from_cols = vec![MaybeUninit::new(0u8); size];
            let mut from_rows = vec![MaybeUninit::new(0xA5u8); size];
            for (g, out) in from_cols.chunks_mut(per_group).enumerate() {
                // SAFETY: the processor has AVX2 (checked above).
                kernel!(avx2::fill_nibbles(&cols, pairs, g, out));
            }
            for (g, out) in from_rows.chunks_mut(per_group).enumerate() {
                // SAFETY: as above.
                kernel!(avx2::fill_from_rows(&rows, pairs, g, out));
            }
            // SAFETY: every byte was set before the fills.
            let bytes = |v: Vec<MaybeUninit<u8>>| -> Vec<u8> {
                v.into_iter().map(|b| unsafe { b.assume_init() }).collect()
            };
            let (from_cols, from_rows) = (bytes(from_cols), bytes(from_rows));
            assert_eq!(from_rows, from_cols, "P {p} N {n}");
            for (at, &code) in from_rows.iter().enumerate() {
                let (b, q, r) = (at / (pairs * LANES), at / LANES % pairs, at % LANES);
                let j = LANES * b + nibble_lane(r);
                let expect = (0..2 * AVX2_GROUP)
                    .filter(|&k| j < n && 6 * q + k < p && values[(6 * q + k) * n + j] > 0)
                    .map(|k| 1u8 << (k + k / AVX2_GROUP))
                    .sum::<u8>();
                assert_eq!(code, expect, "P {p} N {n} neuron {j} pair {q}");
            }
        }
    }

    /// Steps of several runs in one pass over a wide layout are each run's own step: one
    /// to nine runs (groups of four, one after another over each stretch of blocks),
    /// random states and states near patterns (some with overlaps past
    /// `LARGE`, taken pattern by pattern), at sizes around the block, word and pair edges,
    /// every tie rule and both diagonals; and the overlaps updated from a step's changes in
    /// 32 bits are those computed afresh.
    #[test]
    fn steps_of_several_runs_are_each_runs_step() {
        for (p, n) in [
            (1, 1),
            (5, 31),
            (7, 65),
            (13, 100),
            (70, 517),
            (40, 2100),
            (1100, 300),
            (400, 8000),
        ] {
            for diagonal in [0, p as i64] {
                let Some((k, xi)) = layout_of(p, n, (p + n) as u64, diagonal, true) else {
                    return;
                };
                let mut rng = seeded(n as u64 + 1);
                let states: Vec<Vec<u64>> = (0..2 * RUNS + 1)
                    .map(|r| {
                        let s: Vec<i8> = (0..n)
                            .map(|i| {
                                let near = r % 2 == 1;
                                let flip = rng.next_u64().is_multiple_of(8);
                                match (near, flip) {
                                    (true, false) => xi[(r % p) * n + i],
                                    (true, true) => -xi[(r % p) * n + i],
                                    _ => random::sign(&mut rng),
                                }
                            })
                            .collect();
                        crate::kernel::bits::bipolar_bits(&s).expect("a ±1 state")
                    })
                    .collect();
                for tie in [Tie::Minus, Tie::Plus, Tie::Keep] {
                    // Each run alone.
                    let alone: Vec<(Vec<u64>, Vec<u32>)> = states
                        .iter()
                        .map(|s| {
                            let mut scratch = k.scratch();
                            let mut next = vec![0u64; k.words()];
                            assert!(k.overlaps(s, &mut scratch));
                            k.step(s, &mut scratch, tie, &mut next);
                            (next, scratch.changed().to_vec())
                        })
                        .collect();
                    for runs in 1..=states.len() {
                        let (nexts, changed, _) = step_together(&k, &states[..runs], tie);
                        for r in 0..runs {
                            assert_eq!(nexts[r], alone[r].0, "P {p} N {n} {tie}, {runs} runs");
                            assert_eq!(changed[r], alone[r].1);
                        }
                    }
                }
                check_steps(&k, &xi, p, n, diagonal);
            }
        }
    }

    /// Plans are the runs' own steps one after another: from random states and states near
    /// patterns, up to a fixed point, a two-cycle or the step limit, with the final
    /// overlaps of the state the plan ends in.
    #[test]
    fn plans_follow_the_steps() {
        for (p, n) in [(9, 300), (60, 200), (400, 8000)] {
            let Some((k, xi)) = layout_of(p, n, 5, p as i64, true) else {
                return;
            };
            let mut rng = seeded(6);
            let cues: Vec<Vec<u64>> = (0..7)
                .map(|r| {
                    let s: Vec<i8> = (0..n)
                        .map(|i| {
                            if r % 3 == 0 {
                                random::sign(&mut rng)
                            } else if rng.next_u64().is_multiple_of(6) {
                                -xi[(r % p) * n + i]
                            } else {
                                xi[(r % p) * n + i]
                            }
                        })
                        .collect();
                    crate::kernel::bits::bipolar_bits(&s).expect("a ±1 state")
                })
                .collect();
            for (tie, max_steps) in [(Tie::Minus, 30), (Tie::Keep, 2), (Tie::Plus, 1)] {
                let plans = k.plan(&cues, tie, max_steps, &|| false);
                assert_eq!(plans.len(), cues.len());
                for (cue, plan) in cues.iter().zip(&plans) {
                    let mut s = cue.clone();
                    let mut scratch = k.scratch();
                    let mut next = vec![0u64; k.words()];
                    let mut before: Option<Vec<u32>> = None;
                    for (t, planned) in plan.steps.iter().enumerate() {
                        assert!(k.overlaps(&s, &mut scratch));
                        k.step(&s, &mut scratch, tie, &mut next);
                        assert_eq!(scratch.changed(), &planned[..], "P {p} N {n} step {t}");
                        let last = t + 1 == plan.steps.len();
                        if planned.is_empty() || t == max_steps {
                            assert!(last, "the plan goes on past its end");
                            let m = k.final_overlaps(&s, &mut scratch).to_vec();
                            assert_eq!(plan.finals.as_deref(), Some(&m[..]));
                        } else if before.as_ref() == Some(planned) {
                            assert!(last && plan.finals.is_none(), "a cycle goes on");
                        } else {
                            assert!(!last, "the plan stops short");
                            std::mem::swap(&mut s, &mut next);
                        }
                        before = Some(planned.clone());
                    }
                }
            }
            // Stopped at once, the plans hold nothing.
            let stopped = k.plan(&cues, Tie::Minus, 30, &|| true);
            assert!(
                stopped
                    .iter()
                    .all(|p| p.steps.is_empty() && p.finals.is_none())
            );
        }
    }

    /// A random packed state of `n` neurons with every bit past `n` set.
    fn state_with_padding(n: usize, words: usize, seed: u64) -> Vec<u64> {
        let mut rng = seeded(seed);
        let mut s: Vec<u64> = (0..words).map(|_| rng.next_u64()).collect();
        for i in n..64 * words {
            s[i / 64] |= 1 << (i % 64);
        }
        s
    }

    /// Bits past `N` in a state are no neurons: they never become changed neurons, neither
    /// in a packed step nor in a step through the distances (which would read past the
    /// distances of the last neuron).
    #[test]
    fn padding_bits_never_become_changes() {
        for (p, n) in [(5usize, 37usize), (12, 70), (7, 100), (3, 33)] {
            let Some(k) = layout(p, n, 1) else { return };
            let s = state_with_padding(n, k.words(), 2);
            let mut scratch = k.scratch();
            let mut next = vec![0u64; k.words()];
            assert!(k.overlaps(&s, &mut scratch));
            let changes = k.step(&s, &mut scratch, Tie::Keep, &mut next) as usize;
            let changed = &scratch.changed[..changes];
            assert!(
                changed.iter().all(|&j| (j as usize) < n),
                "N = {n}: {changed:?}"
            );
            // The new state keeps its padding clear.
            for i in n..64 * k.words() {
                assert_eq!(next[i / 64] >> (i % 64) & 1, 0);
            }
            let d = k.form_distances().expect("small fields");
            k.fields_for_columns(&s, &mut scratch);
            let changes = k.column_step(&d, &s, &mut scratch, Tie::Plus, &mut next) as usize;
            assert!(scratch.changed[..changes].iter().all(|&j| (j as usize) < n));
        }
    }

    /// Scratch space fits the layout that made it: another layout refuses it.
    #[test]
    fn scratch_of_another_layout_is_refused() {
        let (Some(small), Some(large)) = (layout(3, 40, 1), layout(30, 900, 2)) else {
            return;
        };
        let mut scratch = small.scratch();
        let s = vec![0u64; large.words()];
        let refused = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            large.overlaps(&s, &mut scratch)
        }));
        assert!(
            refused.is_err(),
            "the large layout used the small one's scratch"
        );
        // Its own scratch serves, and so does a clone's (the same layout).
        let mut own = large.clone().scratch();
        assert!(large.overlaps(&s, &mut own));
    }
}
