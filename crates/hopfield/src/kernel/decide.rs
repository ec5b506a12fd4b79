//! Synchronous decisions from integer fields: the new state of every neuron from the sign
//! of its field, and the list of the neurons that changed — 32 neurons at a time with AVX2
//! when the level in force allows it ([`crate::simd`]).

use super::bits::feature_dispatch;
use crate::neuron::Tie;

/// [`signs`] for `i16` fields with the tie rule `plus` or `minus`, 32 neurons per
/// instruction; `false` (nothing done) where AVX2 is not allowed or the rule is `keep`.
pub(crate) fn signs_i16(
    h: &[i16],
    state: &[i8],
    next: &mut [i8],
    changes: &mut Vec<(usize, i64)>,
    tie: Tie,
    (on, off): (i8, i8),
) -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        let tied = match tie {
            Tie::Plus => Some(on),
            Tie::Minus => Some(off),
            Tie::Keep => None,
        };
        if let Some(tied) = tied
            && crate::simd::allows(crate::simd::Level::Avx2)
        {
            // SAFETY: the level in force allows AVX2, so the processor has it.
            unsafe { avx2::signs_i16(h, state, next, changes, tied, (on, off)) };
            return true;
        }
    }
    let _ = (h, state, next, changes, tie, on, off);
    false
}

feature_dispatch! {
    "avx2",
    /// The new state from the signs of the integer fields `h` (threshold 0): on for `h > 0`,
    /// off for `h < 0`, the tie value for `h = 0`; the changed neurons into `changes`.
    pub(crate) fn signs[T: Copy + PartialOrd + Default](
        h: &[T],
        state: &[i8],
        next: &mut [i8],
        changes: &mut Vec<(usize, i64)>,
        tie: Tie,
        levels: (i8, i8)
    ) -> () {
        let (on, off) = levels;
        let zero = T::default();
        let pick = |h: T, tied: i8| {
            if h > zero {
                on
            } else if h < zero {
                off
            } else {
                tied
            }
        };
        // One loop per tie rule, branch-free inside, so that it compiles to SIMD selects.
        match tie {
            Tie::Plus => next.iter_mut().zip(h).for_each(|(n, &h)| *n = pick(h, on)),
            Tie::Minus => next.iter_mut().zip(h).for_each(|(n, &h)| *n = pick(h, off)),
            Tie::Keep => {
                for ((n, &h), &s) in next.iter_mut().zip(h).zip(state) {
                    *n = pick(h, if s == on || s == off { s } else { on });
                }
            }
        }
        changed(state, next, changes);
    }
}

/// Pushes `(i, next_i − state_i)` for every neuron that differs, eight neurons per
/// comparison (few neurons change in most steps).
#[inline(always)]
pub(crate) fn changed(state: &[i8], next: &[i8], changes: &mut Vec<(usize, i64)>) {
    let mut push = |at: usize, a: &[i8], b: &[i8]| {
        for (k, (&s, &n)) in a.iter().zip(b).enumerate() {
            if s != n {
                changes.push((at + k, i64::from(n) - i64::from(s)));
            }
        }
    };
    let word = |x: &[i8]| -> u64 {
        let mut bytes = [0i8; 8];
        bytes.copy_from_slice(x);
        u64::from_ne_bytes(bytes.map(|b| b as u8))
    };
    let (a, b) = (state.chunks_exact(8), next.chunks_exact(8));
    let tail = state.len() - a.remainder().len();
    let (ra, rb) = (a.remainder(), b.remainder());
    for (k, (a, b)) in a.zip(b).enumerate() {
        if word(a) != word(b) {
            push(8 * k, a, b);
        }
    }
    push(tail, ra, rb);
}

#[cfg(target_arch = "x86_64")]
mod avx2 {
    use std::arch::x86_64::*;

    /// [`super::signs`] for `i16` fields and a fixed tie value, 32 neurons at a time:
    /// compare, narrow, select, and find the changed neurons from a byte mask.
    ///
    /// # Safety
    /// The caller checks that AVX2 is available.
    #[target_feature(enable = "avx2")]
    pub(super) unsafe fn signs_i16(
        h: &[i16],
        state: &[i8],
        next: &mut [i8],
        changes: &mut Vec<(usize, i64)>,
        tied: i8,
        (on, off): (i8, i8),
    ) {
        let n = h.len().min(state.len()).min(next.len());
        let zero = _mm256_setzero_si256();
        let (onv, offv, tiedv) = (
            _mm256_set1_epi8(on),
            _mm256_set1_epi8(off),
            _mm256_set1_epi8(tied),
        );
        let mut k = 0;
        while k + 32 <= n {
            // SAFETY: k + 32 ≤ n bounds every load and store below.
            let (h0, h1, s) = unsafe {
                (
                    _mm256_loadu_si256(h.as_ptr().add(k).cast()),
                    _mm256_loadu_si256(h.as_ptr().add(k + 16).cast()),
                    _mm256_loadu_si256(state.as_ptr().add(k).cast()),
                )
            };
            // Packing interleaves 128-bit lanes; the permutation restores neuron order.
            let narrow = |a: __m256i, b: __m256i| {
                _mm256_permute4x64_epi64::<0b11_01_10_00>(_mm256_packs_epi16(a, b))
            };
            let pos = narrow(_mm256_cmpgt_epi16(h0, zero), _mm256_cmpgt_epi16(h1, zero));
            let neg = narrow(_mm256_cmpgt_epi16(zero, h0), _mm256_cmpgt_epi16(zero, h1));
            let v = _mm256_blendv_epi8(_mm256_blendv_epi8(tiedv, onv, pos), offv, neg);
            // SAFETY: as above.
            unsafe { _mm256_storeu_si256(next.as_mut_ptr().add(k).cast(), v) };
            let mut differ = !(_mm256_movemask_epi8(_mm256_cmpeq_epi8(v, s)) as u32);
            while differ != 0 {
                let i = k + differ.trailing_zeros() as usize;
                changes.push((i, i64::from(next[i]) - i64::from(state[i])));
                differ &= differ - 1;
            }
            k += 32;
        }
        for i in k..n {
            next[i] = if h[i] > 0 {
                on
            } else if h[i] < 0 {
                off
            } else {
                tied
            };
            if next[i] != state[i] {
                changes.push((i, i64::from(next[i]) - i64::from(state[i])));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changed_neurons_are_found_at_any_length() {
        for n in [1usize, 7, 8, 9, 64, 67] {
            let state: Vec<i8> = (0..n).map(|i| if i % 3 == 0 { 1 } else { -1 }).collect();
            let mut next = state.clone();
            let flipped: Vec<usize> = (0..n).filter(|i| i % 5 == 4 || *i == n - 1).collect();
            for &i in &flipped {
                next[i] = -next[i];
            }
            let mut changes = Vec::new();
            changed(&state, &next, &mut changes);
            let expect: Vec<(usize, i64)> = flipped
                .iter()
                .map(|&i| (i, i64::from(next[i]) - i64::from(state[i])))
                .collect();
            assert_eq!(changes, expect, "n = {n}");
        }
    }
}
