//! Data parallelism: rayon's parallel iterators when the `rayon` feature is on (the
//! default), and the same calls on the calling thread without it.
//!
//! Results never depend on the number of threads (every random stream is seeded per item),
//! so a lean build gives the same bits as a parallel one, only later.

#[cfg(feature = "rayon")]
pub(crate) use rayon::prelude::*;

/// Whether the caller already runs on a worker thread (then nested work stays on it).
#[cfg(feature = "rayon")]
pub(crate) fn on_worker() -> bool {
    rayon::current_thread_index().is_some()
}

/// The threads parallel work is spread over.
#[cfg(feature = "rayon")]
pub(crate) fn threads() -> usize {
    rayon::current_num_threads()
}

#[cfg(not(feature = "rayon"))]
pub(crate) use serial::*;

/// The parallel-iterator methods the crate uses, as plain iterators.
#[cfg(not(feature = "rayon"))]
mod serial {
    /// No worker threads: the caller is never on one.
    pub(crate) fn on_worker() -> bool {
        false
    }

    /// One thread.
    pub(crate) fn threads() -> usize {
        1
    }

    /// `into_par_iter` as `into_iter`.
    pub(crate) trait IntoParallelIterator: IntoIterator + Sized {
        fn into_par_iter(self) -> Self::IntoIter {
            self.into_iter()
        }
    }
    impl<I: IntoIterator> IntoParallelIterator for I {}

    /// `par_iter`, `par_chunks` as their sequential forms.
    pub(crate) trait ParallelSlice<T> {
        fn par_iter(&self) -> std::slice::Iter<'_, T>;
        fn par_chunks(&self, size: usize) -> std::slice::Chunks<'_, T>;
    }
    impl<T> ParallelSlice<T> for [T] {
        fn par_iter(&self) -> std::slice::Iter<'_, T> {
            self.iter()
        }
        fn par_chunks(&self, size: usize) -> std::slice::Chunks<'_, T> {
            self.chunks(size)
        }
    }

    /// `par_iter_mut`, `par_chunks_mut` as their sequential forms.
    pub(crate) trait ParallelSliceMut<T> {
        fn par_iter_mut(&mut self) -> std::slice::IterMut<'_, T>;
        fn par_chunks_mut(&mut self, size: usize) -> std::slice::ChunksMut<'_, T>;
    }
    impl<T> ParallelSliceMut<T> for [T] {
        fn par_iter_mut(&mut self) -> std::slice::IterMut<'_, T> {
            self.iter_mut()
        }
        fn par_chunks_mut(&mut self, size: usize) -> std::slice::ChunksMut<'_, T> {
            self.chunks_mut(size)
        }
    }

    /// rayon's `map_init`: one scratch value for the whole (single-threaded) run.
    pub(crate) trait MapInit: Iterator + Sized {
        fn map_init<S, U>(
            self,
            init: impl Fn() -> S,
            mut f: impl FnMut(&mut S, Self::Item) -> U,
        ) -> impl Iterator<Item = U> {
            let mut scratch = init();
            self.map(move |x| f(&mut scratch, x))
        }
    }
    impl<I: Iterator> MapInit for I {}
}
