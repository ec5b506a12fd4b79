//! Compute kernels behind [`crate::Weights`]: bit-packed vectors, factored and dense
//! matrix–vector products. Internal: the public interface is `Weights`.

pub(crate) mod bits;
pub(crate) mod decide;
pub(crate) mod dense;
pub(crate) mod factored;
pub(crate) mod packed;
