//! The machine's own rates for the operations a Hopfield recall cannot avoid, on one
//! thread: reading memory (`read`: a streaming sum over 256 MiB, bytes per second),
//! counting bits (`popcount`: XOR + popcount of two 16 KiB word arrays held in cache,
//! bits per second) and 4-bit table look-ups (`lookup`: `vpshufb` over 16 KiB of codes
//! with 16-bit accumulation, look-ups per second).
//!
//! `docs/performance.md` multiplies the essential work of the reference workloads by these
//! rates to estimate the machine's limit for each: `cargo bench -p hopfield-bench --bench
//! machine`. The kernels here are written for the rate, not for Hopfield networks; the
//! popcount and look-up rates are those of AVX2 (the portable build where the processor
//! lacks it).

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// Words of a buffer filled with a fixed pseudo-random sequence.
fn words(len: usize, seed: u64) -> Vec<u64> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        })
        .collect()
}

/// `Σ a_k` with four independent sums (no dependency chain limits the reads).
fn read_sum(a: &[u64]) -> u64 {
    let mut s = [0u64; 4];
    for c in a.chunks_exact(4) {
        for k in 0..4 {
            s[k] = s[k].wrapping_add(c[k]);
        }
    }
    s.iter().fold(0, |a, &b| a.wrapping_add(b))
}

/// `Σ popcount(a_k ^ b_k)`, in the processor's best build.
fn xor_popcount(a: &[u64], b: &[u64]) -> u64 {
    fn portable(a: &[u64], b: &[u64]) -> u64 {
        a.iter()
            .zip(b)
            .map(|(x, y)| u64::from((x ^ y).count_ones()))
            .sum()
    }
    #[cfg(target_arch = "x86_64")]
    {
        #[target_feature(enable = "avx2,popcnt")]
        fn fast(a: &[u64], b: &[u64]) -> u64 {
            portable(a, b)
        }
        if std::arch::is_x86_feature_detected!("avx2") {
            // SAFETY: the processor has AVX2 (checked just above).
            return unsafe { fast(a, b) };
        }
    }
    portable(a, b)
}

/// Look-ups of the low nibbles of `codes` in a 16-entry byte table, summed per byte lane
/// into 16-bit counters; returns the sum of the counters. Counts 32 look-ups per 32 bytes.
#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2")]
fn nibble_lookups(codes: &[u8], table: [u8; 16]) -> u64 {
    use std::arch::x86_64::*;
    // SAFETY: `table` has 16 bytes.
    let t = _mm256_broadcastsi128_si256(unsafe { _mm_loadu_si128(table.as_ptr().cast()) });
    let low = _mm256_set1_epi8(0x0f);
    let mut acc = _mm256_setzero_si256();
    let mut total = 0u64;
    for block in codes.chunks(32 * 128) {
        // 128 additions of bytes ≤ 15 stay within 16 bits per pair of lanes.
        let mut sum16 = _mm256_setzero_si256();
        for c in block.chunks_exact(32) {
            // SAFETY: `c` has 32 bytes.
            let v = unsafe { _mm256_loadu_si256(c.as_ptr().cast()) };
            let looked = _mm256_shuffle_epi8(t, _mm256_and_si256(v, low));
            sum16 = _mm256_add_epi16(sum16, _mm256_maddubs_epi16(looked, _mm256_set1_epi8(1)));
        }
        acc = _mm256_add_epi32(acc, _mm256_madd_epi16(sum16, _mm256_set1_epi16(1)));
    }
    let mut lanes = [0i32; 8];
    // SAFETY: `lanes` has 32 bytes.
    unsafe { _mm256_storeu_si256(lanes.as_mut_ptr().cast(), acc) };
    for l in lanes {
        total += l as u64;
    }
    total
}

/// The same look-ups, portable.
fn nibble_lookups_portable(codes: &[u8], table: [u8; 16]) -> u64 {
    codes
        .iter()
        .map(|&c| u64::from(table[usize::from(c & 0x0f)]))
        .sum()
}

fn lookups(codes: &[u8], table: [u8; 16]) -> u64 {
    #[cfg(target_arch = "x86_64")]
    if std::arch::is_x86_feature_detected!("avx2") {
        // SAFETY: the processor has AVX2 (checked just above).
        return unsafe { nibble_lookups(codes, table) };
    }
    nibble_lookups_portable(codes, table)
}

fn machine(c: &mut Criterion) {
    let mut g = c.benchmark_group("machine");
    g.sample_size(20);

    let big = words(32 << 20, 1); // 256 MiB
    g.throughput(Throughput::Bytes((big.len() * 8) as u64));
    g.bench_function("read", |b| b.iter(|| black_box(read_sum(black_box(&big)))));
    drop(big);

    let (a, b2) = (words(2048, 2), words(2048, 3)); // 16 KiB each
    g.throughput(Throughput::Elements((a.len() * 64) as u64));
    g.bench_function("popcount", |b| {
        b.iter(|| black_box(xor_popcount(black_box(&a), black_box(&b2))))
    });

    let codes: Vec<u8> = words(2048, 4)
        .iter()
        .flat_map(|w| w.to_le_bytes())
        .collect();
    let table: [u8; 16] = std::array::from_fn(|k| k as u8);
    assert_eq!(
        lookups(&codes, table),
        nibble_lookups_portable(&codes, table),
        "both builds count the same"
    );
    g.throughput(Throughput::Elements(codes.len() as u64));
    g.bench_function("lookup", |b| {
        b.iter(|| black_box(lookups(black_box(&codes), table)))
    });
    g.finish();
}

criterion_group!(benches, machine);
criterion_main!(benches);
