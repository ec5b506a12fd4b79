//! Compute kernels behind [`crate::Weights`]: bit-packed vectors, factored and dense
//! matrix–vector products. Internal: the public interface is `Weights`.

/// Returns, from the enclosing function, what the AVX2 kernel `$kernel` gives for `$args`
/// when the level in force allows AVX2 ([`crate::simd`]); elsewhere it does nothing.
macro_rules! on_avx2 {
    ($kernel:path, $($arg:ident),* $(,)?) => {
        #[cfg(target_arch = "x86_64")]
        {
            if crate::simd::allows(crate::simd::Level::Avx2) {
                // SAFETY: the level in force allows AVX2, so the processor has it; the
                // kernels read and write only within the bounds of their slices.
                return unsafe { $kernel($($arg),*) };
            }
        }
    };
}

pub(crate) mod bits;
pub(crate) mod decide;
pub(crate) mod dense;
pub(crate) mod factored;
pub(crate) mod packed;
