//! Every build's steps, plans and batches against fields computed from the definition.

use std::mem::MaybeUninit;

use rand::Rng;

use super::layout::*;
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
                let up =
                    h[i] > 0 || (h[i] == 0 && (tie == Tie::Plus || (tie == Tie::Keep && s[i] > 0)));
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
