//! Seeded random numbers: one fixed generator and the few draws the library needs.
//!
//! Every random operation of the library takes a random number generator from the caller
//! (`&mut R` with `R: rand::Rng`), so the caller decides the seed. The draws below are
//! written here rather than taken from `rand`'s distributions so that a seed gives the same
//! patterns, cues and trajectories on every machine and in every version of this crate.
//!
//! Parallel work (batches of cues, trials of a sweep) derives one independent stream per
//! item with [`stream`], from the item's index: the result does not depend on how many
//! threads run or in which order they finish.

use rand::{Rng, SeedableRng};

/// The generator the library and its tools use: PCG-64 (`rand_pcg::Pcg64`).
pub type SeededRng = rand_pcg::Pcg64;

/// A generator seeded from a 64-bit seed.
///
/// ```
/// use hopfield::random::{seeded, unit};
/// let (mut a, mut b) = (seeded(7), seeded(7));
/// assert_eq!(unit(&mut a), unit(&mut b));
/// ```
pub fn seeded(seed: u64) -> SeededRng {
    SeededRng::seed_from_u64(seed)
}

/// The generator for item `index` of a parallel job seeded with `seed`.
///
/// Streams of different indices are independent; the same `(seed, index)` always gives
/// the same stream.
pub fn stream(seed: u64, index: u64) -> SeededRng {
    seeded(mix(seed ^ mix(index.wrapping_add(0x9E37_79B9_7F4A_7C15))))
}

/// `f` applied to every item in parallel, item `k` drawing from [`stream`]`(seed, k)`: the
/// results do not depend on the number of threads.
pub(crate) fn par_map_streams<T: Sync, U: Send>(
    items: &[T],
    seed: u64,
    f: impl Fn(&T, &mut SeededRng) -> U + Sync,
) -> Vec<U> {
    use crate::parallel::*;
    items
        .par_iter()
        .enumerate()
        .map(|(k, item)| f(item, &mut stream(seed, k as u64)))
        .collect()
}

/// SplitMix64's finaliser: a bijective scramble of 64 bits.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A uniform index in `0..n` (Lemire's multiply-and-reject, no modulo bias).
///
/// `n` must be positive; `index(rng, 0)` returns 0.
#[inline]
pub fn index<R: Rng + ?Sized>(rng: &mut R, n: usize) -> usize {
    if n <= 1 {
        return 0;
    }
    let n = n as u64;
    // The threshold `2⁶⁴ mod n` is below `n`: a low part of at least `n` is accepted
    // without the division, which is needed only for the rare low parts below `n`.
    let mut threshold = None;
    loop {
        let x = rng.next_u64();
        let m = (x as u128) * (n as u128);
        if (m as u64) >= n || (m as u64) >= *threshold.get_or_insert_with(|| n.wrapping_neg() % n) {
            return (m >> 64) as usize;
        }
    }
}

/// A uniform `f64` in `[0, 1)` with 53 random bits.
#[inline]
pub fn unit<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    unit_of(rng.next_u64())
}

/// The value of [`unit`] for the draw `x`: its top 53 bits, scaled.
#[inline]
fn unit_of(x: u64) -> f64 {
    (x >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// `true` with probability `p` (clamped to `[0, 1]`).
#[inline]
pub fn chance<R: Rng + ?Sized>(rng: &mut R, p: f64) -> bool {
    unit(rng) < p
}

/// The integer `t` with `(x >> 11) < t` exactly when [`chance`]`(p)` accepts the draw `x`,
/// for `0 ≤ p ≤ 1`: `p·2⁵³` is exact in `f64` and at most `2⁵³`, and an integer is below
/// it exactly when it is below its ceiling. A comparison of integers, without branching,
/// for loops that draw once per item.
#[inline]
pub(crate) fn chance_threshold(p: f64) -> u64 {
    (p * (1u64 << 53) as f64).ceil() as u64
}

/// `+1` or `−1` with equal probability.
#[inline]
pub fn sign<R: Rng + ?Sized>(rng: &mut R) -> i8 {
    if rng.next_u64() >> 63 == 1 { 1 } else { -1 }
}

/// A standard normal deviate (Box–Muller on two uniforms; `libm`'s logarithm and cosine, so
/// that a seed gives the same deviates on every platform).
pub fn normal<R: Rng + ?Sized>(rng: &mut R) -> f64 {
    loop {
        let u = unit(rng);
        if u > 0.0 {
            let v = unit(rng);
            return (-2.0 * libm::log(u)).sqrt() * libm::cos(std::f64::consts::TAU * v);
        }
    }
}

/// Shuffles `items` in place (Fisher–Yates).
pub fn shuffle<T, R: Rng + ?Sized>(rng: &mut R, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = index(rng, i + 1);
        items.swap(i, j);
    }
}

/// `k` distinct indices from `0..n`, in random order (a partial Fisher–Yates shuffle).
///
/// Returns all of `0..n` shuffled when `k ≥ n`.
pub fn sample<R: Rng + ?Sized>(rng: &mut R, n: usize, k: usize) -> Vec<usize> {
    let k = k.min(n);
    if k * 4 < n {
        // Few picks from many: rejection with a bitmap keeps this O(k).
        let mut taken = vec![false; n];
        let mut out = Vec::with_capacity(k);
        while out.len() < k {
            let i = index(rng, n);
            if !taken[i] {
                taken[i] = true;
                out.push(i);
            }
        }
        return out;
    }
    let mut all: Vec<usize> = (0..n).collect();
    for i in 0..k {
        let j = i + index(rng, n - i);
        all.swap(i, j);
    }
    all.truncate(k);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The integer threshold takes the draws `chance` takes: for probabilities whose
    /// scaled value is whole or not, at the threshold and on either side of it.
    #[test]
    fn integer_thresholds_accept_what_chance_accepts() {
        let mut rng = seeded(4);
        for p in [
            0.0,
            1e-300,
            0.1,
            0.25,
            0.3,
            0.5,
            1.0 / 3.0,
            0.999_999_999,
            1.0,
        ] {
            let t = chance_threshold(p);
            let near = [t.saturating_sub(1), t, t + 1].map(|k| k.min((1 << 53) - 1) << 11);
            let drawn: Vec<u64> = (0..1000).map(|_| rng.next_u64()).collect();
            for &x in near.iter().chain(&drawn) {
                assert_eq!((x >> 11) < t, unit_of(x) < p, "p = {p}, x = {x}");
            }
        }
    }

    /// `index` draws what Lemire's method with the threshold computed first draws, and as
    /// many numbers, also for ranges where draws are rejected often (`n` just above 2⁶³).
    #[test]
    fn indices_match_the_method_with_the_threshold_first() {
        let reference = |rng: &mut SeededRng, n: u64| -> u64 {
            let threshold = n.wrapping_neg() % n;
            loop {
                let m = (rng.next_u64() as u128) * (n as u128);
                if (m as u64) >= threshold {
                    return (m >> 64) as u64;
                }
            }
        };
        for n in [2u64, 3, 7, 1000, 10_007, (1 << 63) + 1, u64::MAX - 1] {
            let (mut a, mut b) = (seeded(n), seeded(n));
            for _ in 0..2000 {
                assert_eq!(
                    index(&mut a, n as usize) as u64,
                    reference(&mut b, n),
                    "n = {n}"
                );
            }
            assert_eq!(a.next_u64(), b.next_u64(), "n = {n}: as many draws");
        }
    }

    #[test]
    fn values_are_pinned_for_a_seed() {
        // Value stability: these numbers must never change, or saved experiments change.
        let mut rng = seeded(1);
        let index: Vec<usize> = (0..5).map(|_| super::index(&mut rng, 100)).collect();
        let unit: Vec<f64> = (0..3).map(|_| super::unit(&mut rng)).collect();
        let normal: Vec<f64> = (0..3).map(|_| super::normal(&mut rng)).collect();
        let sign: Vec<i8> = (0..8).map(|_| super::sign(&mut rng)).collect();
        let chance: Vec<bool> = (0..6).map(|_| super::chance(&mut rng, 0.3)).collect();
        let sample = super::sample(&mut rng, 20, 4);
        let mut shuffled: Vec<u8> = (0..8).collect();
        super::shuffle(&mut rng, &mut shuffled);
        let streams = [
            stream(1, 0).next_u64(),
            stream(1, 1).next_u64(),
            stream(3, 9).next_u64(),
        ];
        assert_eq!(index, [83, 1, 11, 98, 88]);
        assert_eq!(
            unit,
            [0.47585014163422357, 0.18792754921610189, 0.3882580735581387]
        );
        assert_eq!(
            normal,
            [-1.0783065143072819, 1.5672791985234868, 0.6818062895973818]
        );
        assert_eq!(sign, [-1, -1, 1, 1, -1, 1, 1, -1]);
        assert_eq!(chance, [true, false, false, false, false, false]);
        assert_eq!(sample, [4, 19, 14, 3]);
        assert_eq!(shuffled, [7, 2, 5, 6, 3, 0, 1, 4]);
        assert_eq!(
            streams,
            [
                2439748973062304236,
                17934735165476322752,
                2847530420267819157
            ]
        );
        assert_eq!(mix(42), 13679457532755275413);
    }

    #[test]
    fn index_is_uniform() {
        let mut rng = seeded(42);
        let mut counts = [0usize; 10];
        for _ in 0..100_000 {
            counts[index(&mut rng, 10)] += 1;
        }
        for c in counts {
            // 10_000 expected, sd ≈ 95: six sd either way.
            assert!((9_430..=10_570).contains(&c), "{counts:?}");
        }
    }

    #[test]
    fn unit_and_normal_moments() {
        let mut rng = seeded(5);
        let n = 200_000;
        let (mut s, mut s2) = (0.0, 0.0);
        for _ in 0..n {
            let x = normal(&mut rng);
            s += x;
            s2 += x * x;
        }
        let mean = s / n as f64;
        let var = s2 / n as f64 - mean * mean;
        assert!(mean.abs() < 0.015, "{mean}");
        assert!((var - 1.0).abs() < 0.02, "{var}");
        let u: f64 = (0..n).map(|_| unit(&mut rng)).sum::<f64>() / n as f64;
        assert!((u - 0.5).abs() < 0.005);
    }

    #[test]
    fn sample_gives_distinct_indices() {
        let mut rng = seeded(3);
        for (n, k) in [(100, 5), (100, 60), (10, 10), (10, 20)] {
            let mut s = sample(&mut rng, n, k);
            assert_eq!(s.len(), k.min(n));
            s.sort_unstable();
            s.dedup();
            assert_eq!(s.len(), k.min(n));
            assert!(s.iter().all(|&i| i < n));
        }
    }
}
