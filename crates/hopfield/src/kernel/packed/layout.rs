//! The layouts' types and what every build's kernels share: the codes' sizes, the scratch
//! space of a run, the decisions of a step block by block.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, OnceLock};

use super::super::bits::BitMatrix;
use crate::neuron::Tie;

/// Patterns per table (AVX-512 build).
pub(super) const GROUP: usize = 6;
/// Neurons (or patterns) per vector of 16-bit lanes.
pub(super) const LANES: usize = 32;
/// Pairs of groups whose tables stay in registers at a time (four registers a pair).
pub(super) const HELD: usize = 6;

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
    pub(super) fn in_force() -> Option<Kind> {
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
    pub(super) fn group(self) -> usize {
        match self {
            Kind::Avx512 => GROUP,
            Kind::Avx2 => AVX2_GROUP,
        }
    }
}

/// Patterns per table (AVX2 build).
pub(super) const AVX2_GROUP: usize = 3;

/// Wide layouts: blocks whose codes are filled together, from a cache line of each
/// pattern.
pub(super) const FILLED: usize = 16;

/// Pairs of groups summed in 16 bits before the sums are added into 32-bit ones
/// ([`Packed::step_many`]).
#[derive(Debug, Clone, Copy)]
pub(super) struct Segment {
    /// The pair after the last of the segment.
    pub(super) end: usize,
    /// Per run, at most what the pairs from `end` on can add to a field in size: a block
    /// whose fields all exceed it has them with their final signs and nonzero. `None`
    /// where no check is made.
    pub(super) left: Option<[i32; RUNS]>,
}

/// Wide layouts: the most runs whose look-ups share each code read ([`Packed::step_many`])
/// and each pattern word read ([`Packed::plan`]'s fresh overlaps).
pub(crate) const RUNS: usize = 4;

/// Factored ±1 couplings laid out for [`Packed::step`].
#[derive(Debug, Clone)]
pub(crate) struct Packed {
    /// This layout's identity (shared by its clones, which are the same layout).
    pub(super) id: u64,
    /// The build the codes are laid out for.
    pub(super) kind: Kind,
    /// Whether the fields are summed in 32 bits (AVX2 build only): the overlaps of typical
    /// states would take 16-bit sums out of range. See [`Packed::step`].
    pub(super) wide: bool,
    pub(super) n: usize,
    pub(super) p: usize,
    /// Words per packed state.
    pub(super) words: usize,
    /// Pairs of groups: `⌈P / 12⌉` (AVX-512) or `⌈P / 6⌉` (AVX2).
    pub(super) pairs: usize,
    /// `⌈N / 32⌉`.
    pub(super) blocks: usize,
    /// `⌈P / 32⌉`: vectors of overlaps.
    pub(super) chunks: usize,
    /// What is subtracted on the diagonal: `D` in `h_i = Σ_μ ξ^μ_i m_μ − D·S_i`.
    pub(super) diagonal: i64,
    /// `codes[(b · pairs + q) · 32 + l]`: the codes of neuron `32b + l` in groups `2q`
    /// and `2q + 1`. AVX-512: bits 0–5 and 6–11; bit `k` is set when `ξ^{12q+k} = +1`.
    /// AVX2: bits 0–2 and 4–6, repeated in bits 8–10 and 12–14, with bits 11 and 15 set;
    /// bit `k` (`k < 3`) or `k + 1` is set when `ξ^{6q+k} = +1`. Empty for wide layouts.
    pub(super) codes: Vec<u16>,
    /// Wide layouts: the codes once, a byte per neuron and pair of groups (bits 0–2 and
    /// 4–6, as in `codes`), `nibbles[(b · pairs + q) · 32 + j]` holding neuron `32b + l` at
    /// `j = l` for `l < 8` and `l ≥ 24`, `j = l + 8` for `8 ≤ l < 16` and `j = l − 8` for
    /// `16 ≤ l < 24`: the order in which byte interleaving (`vpunpcklbw`, `vpunpckhbw`)
    /// gives 16-bit lanes of neurons `32b..32b + 16` and `32b + 16..32b + 32`.
    pub(super) nibbles: Vec<u8>,
    /// The patterns' bits (`P × N`), shared with the couplings they came from.
    pub(super) rows: Arc<BitMatrix>,
    /// The patterns' words word by word (AVX-512 only): `rows_by_word[w · P + μ]` is word
    /// `w` of pattern `μ`.
    pub(super) rows_by_word: Vec<u64>,
    /// The signs of each neuron across the patterns, 32 patterns per mask:
    /// `cols[j · chunks + c]` bit `l` is set when `ξ^{32c+l}_j = +1`.
    pub(super) cols: Vec<u32>,
    /// Neuron `j`'s signs as words of 64 patterns, word by word: `by_word[w · N + j]`.
    pub(super) by_word: Vec<u64>,
    /// The distances `d_ij` row by row, once formed (`None` when they cannot serve).
    pub(super) distances: OnceLock<Option<Vec<u8>>>,
    /// Steps taken that the distances, not yet formed, would have made cheaper.
    pub(super) tally: Tally,
}

/// The steps counted by the threads of a batch towards forming the distances, and whether
/// one of them is forming them (a copy starts from the count so far).
#[derive(Debug, Default)]
pub(super) struct Tally {
    pub(super) steps: AtomicU64,
    pub(super) forming: AtomicBool,
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
    pub(super) owner: u64,
    /// Overlaps as computed, `P` of them (and room up to a whole word of patterns).
    pub(super) m32: Vec<i32>,
    /// The overlaps in 16 bits, zero past `P`: at least `32·⌈P/32⌉` and 12 per pair.
    pub(super) m16: Vec<i16>,
    /// Partial fields, 32 per block (not for wide layouts).
    pub(super) fields: Vec<i16>,
    /// Wide layouts: the patterns whose overlaps are too large for the look-ups, and their
    /// overlaps (added one pattern at a time).
    pub(super) large: Vec<(usize, i32)>,
    /// Wide layouts: the tables of the overlaps in `m16`, two per pair of groups (see
    /// `avx2::table`).
    pub(super) tables: Vec<[u8; 16]>,
    /// How many neurons the last step changed, and which (the first `changes` entries;
    /// 16 entries of slack).
    pub(super) changes: usize,
    pub(super) changed: Vec<u32>,
    /// Per changed neuron, where its masks or its row start (and, for masks, how to read
    /// them).
    pub(super) moves: Vec<(usize, u32)>,
    /// Per block, the neurons the last step changed.
    pub(super) diffs: Vec<u32>,
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

impl Packed {
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

    /// Refuses a state of another length and scratch space made for another layout (whose
    /// buffers the kernels would overrun).
    pub(super) fn check(&self, s: &[u64], scratch: &Scratch) {
        assert_eq!(s.len(), self.words, "state of the wrong length");
        assert_eq!(
            scratch.owner, self.id,
            "scratch space made for another layout"
        );
    }

    /// Whether the fields are summed in 32 bits: steps of several runs at once
    /// ([`Packed::step_many`], [`Packed::plan`]) serve this layout.
    pub(crate) fn is_wide(&self) -> bool {
        self.wide
    }
}

/// Whether a step changed few enough of the `n` neurons that updating from the changes
/// costs less than starting afresh: `⌈P/32⌉` masked additions per change against
/// `P·N/512` vector popcounts for the overlaps, and a byte row per change against a packed
/// step for the fields.
pub(crate) fn few(changes: usize, n: usize) -> bool {
    changes * 16 <= n
}

/// Bits `32c..32c + 32` of a bit vector.
#[inline(always)]
pub(super) fn half(v: &[u64], c: usize) -> u32 {
    v.get(c / 2).map_or(0, |&w| (w >> (32 * (c % 2))) as u32)
}

/// The lane order of a block's codes in [`Packed::nibbles`]: position `r` holds neuron
/// `nibble_lane(r)` of the block, and the other way round.
pub(super) fn nibble_lane(r: usize) -> usize {
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

/// Whether the AVX-512 build runs: vector popcounts
/// ([`popcounts_by_word`](super::popcounts_by_word)) and the distances
/// ([`Packed::columns`]).
pub(crate) fn vector_popcounts() -> bool {
    Kind::in_force() == Some(Kind::Avx512)
}

/// The lanes of vector `v` (32 lanes each) that hold one of `len` entries: all of them but
/// in the last vector.
#[inline(always)]
pub(super) fn lanes(len: usize, v: usize) -> u32 {
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
    pub(super) fn masks_of_changes(&mut self, s: &[u64], chunks: usize) {
        self.moves.clear();
        self.moves
            .extend(self.changed[..self.changes].iter().map(|&j| {
                let j = j as usize;
                let off = ((s[j / 64] >> (j % 64)) & 1) as u32 ^ 1;
                (j * chunks, off.wrapping_neg())
            }));
    }
}

/// The decisions of a step, block by block: the new state's bits, the neurons that changed
/// (`changed[..count]`) and each block's changes (`diffs`).
pub(super) struct Decisions<'a> {
    pub(super) n: usize,
    pub(super) s: &'a [u64],
    pub(super) next: &'a mut [u64],
    pub(super) tie: Tie,
    pub(super) changed: &'a mut [u32],
    pub(super) count: usize,
    pub(super) diffs: &'a mut [u32],
    /// The block (even) at which `next` and `diffs` start.
    pub(super) base: usize,
}

impl<'a> Decisions<'a> {
    /// The decisions of a step from `s`, of `n` neurons, into `next` (cleared here).
    pub(super) fn new(
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
    pub(super) fn changes(&mut self, b: usize, above: u32, zeros: u32) -> u32 {
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
    pub(super) fn block(&mut self, b: usize, (above, zeros): (u32, u32)) {
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
pub(super) fn add_masks<V: Copy>(
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
pub(super) fn column_shift(p: usize, ups: usize, downs: usize) -> i64 {
    2 * p as i64 * (ups as i64 - downs as i64)
}
