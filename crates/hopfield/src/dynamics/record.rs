//! Per-step records of a run: states, energy, overlaps and the Hamming error to a target.

use super::{RecallOptions, Run, Trajectory};
use crate::pattern::Patterns;

/// What a run records, kept up to date on every change so that a snapshot costs `O(P)`.
pub(super) struct Recorder<'a> {
    options: &'a RecallOptions,
    patterns: Option<&'a Patterns>,
    trajectory: Option<Trajectory>,
    /// Overlap numerators with the patterns.
    dots: Vec<i64>,
    /// Neurons that differ from the target.
    errors: usize,
}

impl<'a> Recorder<'a> {
    pub(super) fn new(
        options: &'a RecallOptions,
        patterns: Option<&'a Patterns>,
        run: &mut impl Run,
        state: &[i8],
    ) -> Self {
        let mut rec = Recorder {
            options,
            patterns,
            trajectory: options.record.any().then(Trajectory::default),
            dots: Vec::new(),
            errors: 0,
        };
        rec.resync(run, state);
        rec.snapshot(run, state);
        rec
    }

    #[inline]
    pub(super) fn active(&self) -> bool {
        self.trajectory.is_some()
    }

    /// Neuron `i` changed from `old` to `new`.
    #[inline]
    pub(super) fn change(&mut self, i: usize, old: i8, new: i8) {
        if !self.options.record.measures {
            return;
        }
        if let Some(p) = self.patterns {
            let (n, flat) = (p.n(), p.as_flat());
            let d = i64::from(new) - i64::from(old);
            for (mu, m) in self.dots.iter_mut().enumerate() {
                *m += d * i64::from(flat[mu * n + i]);
            }
        }
        if let Some(t) = &self.options.target {
            let was = usize::from(t[i] != old);
            let is = usize::from(t[i] != new);
            self.errors = self.errors + is - was;
        }
    }

    /// The measures of `state` afresh (after a synchronous step).
    pub(super) fn resync(&mut self, run: &mut impl Run, state: &[i8]) {
        if self.active() && self.options.record.measures {
            self.dots = run.dots(state);
            if let Some(t) = &self.options.target {
                self.errors = crate::measure::differ(t, state);
            }
        }
    }

    /// Records `state` as the state after the current step.
    pub(super) fn snapshot(&mut self, run: &mut impl Run, state: &[i8]) {
        let Some(tr) = self.trajectory.as_mut() else {
            return;
        };
        if self.options.record.states {
            tr.states.push(state.to_vec());
        }
        if self.options.record.measures {
            tr.energy.push(run.energy(state));
            let n = state.len() as f64;
            tr.overlaps
                .push(self.dots.iter().map(|&d| d as f64 / n).collect());
            if self.options.target.is_some() {
                tr.errors.push(self.errors);
            }
        }
    }

    pub(super) fn finish(self) -> Option<Trajectory> {
        self.trajectory
    }
}
