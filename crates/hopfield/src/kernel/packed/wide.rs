//! Wide layouts: batches of runs stepped together, their plans and fresh overlaps.

use super::avx2;
use super::layout::{AVX2_GROUP, Cue, Packed, Plan, RUNS, Scratch, Segment};
use crate::neuron::Tie;
use crate::parallel::*;

/// Wide layouts: the largest overlap the look-ups take. A pair of groups covers six
/// patterns, so its partial sums stay within `6 · 1024`, far inside 16 bits.
pub(super) const LARGE: i32 = 1024;

/// Wide layouts: pairs between the checks for fields whose signs the pairs left cannot
/// change.
pub(super) const EARLY: usize = 8;

/// A run being planned: its state, room for the next one, its scratch space and plan.
pub(super) struct Walk {
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

    /// Wide layouts: the overlaps in `m32` made ready for a step: those up to `LARGE` in
    /// 16 bits and their tables, the others listed; `false` when `Σ_μ |m_μ| + D` exceeds
    /// `i32::MAX` (never, for a layout whose fields all fit 32 bits).
    pub(super) fn prepare_wide(&self, scratch: &mut Scratch) -> bool {
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
}
