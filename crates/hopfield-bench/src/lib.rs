//! Criterion benches of the `hopfield` kernels, in `benches/kernels.rs`:
//! `cargo bench -p hopfield-bench`. This library is empty; the benches use the public API
//! of `hopfield` only.
