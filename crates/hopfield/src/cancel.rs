//! Giving up on long work: a flag the caller raises and the work checks between steps.

use std::fmt;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::error::{Error, Result};

/// A flag that stops a recall or a training early, shared by the code that starts the work
/// and the code that gives up on it (a server whose client went away, a notebook's
/// interrupt).
///
/// Clones share the flag. Work that sees it raised stops at its next step and returns
/// [`Error::Cancelled`]; nothing is left half-done in the caller's values.
///
/// ```
/// use hopfield::prelude::*;
/// use hopfield::Cancel;
/// let patterns = generate::random_patterns(3, 100, 0.5, &mut random::seeded(1))?;
/// let net = Network::from_patterns(&patterns, &Rule::hebb())?;
/// let cancel = Cancel::new();
/// let options = RecallOptions::new(Dynamics::Sweep).cancel(cancel.clone());
/// cancel.cancel();
/// let cue = patterns.get(0).unwrap();
/// assert_eq!(net.recall(cue, &options, &mut random::seeded(2)), Err(Error::Cancelled));
/// # Ok::<(), hopfield::Error>(())
/// ```
#[derive(Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    /// A flag not raised yet.
    pub fn new() -> Cancel {
        Cancel::default()
    }

    /// Raises the flag: work checking it stops at its next step.
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    /// Whether the flag is raised.
    #[inline]
    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    /// [`Error::Cancelled`] once the flag is raised.
    #[inline]
    pub fn check(&self) -> Result<()> {
        if self.is_cancelled() {
            Err(Error::Cancelled)
        } else {
            Ok(())
        }
    }
}

/// Whether an optional flag is raised.
#[inline]
pub(crate) fn raised(cancel: Option<&Cancel>) -> bool {
    cancel.is_some_and(Cancel::is_cancelled)
}

impl fmt::Debug for Cancel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Cancel").field(&self.is_cancelled()).finish()
    }
}

/// Flags are not part of what options mean: any two compare equal.
impl PartialEq for Cancel {
    fn eq(&self, _: &Cancel) -> bool {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clones_share_the_flag() {
        let a = Cancel::new();
        let b = a.clone();
        assert!(!b.is_cancelled() && b.check().is_ok());
        a.cancel();
        assert!(b.is_cancelled());
        assert_eq!(b.check(), Err(Error::Cancelled));
        assert!(!Cancel::new().is_cancelled());
        assert!(raised(Some(&b)) && !raised(None));
    }

    /// Raises `cancel` from another thread after a short while, runs `work` and returns
    /// its result with the seconds it took.
    fn raised_during<T>(cancel: &Cancel, work: impl FnOnce() -> T) -> (T, f64) {
        let c = cancel.clone();
        let raiser = std::thread::spawn(move || {
            std::thread::sleep(std::time::Duration::from_millis(50));
            c.cancel();
        });
        let start = std::time::Instant::now();
        let out = work();
        let secs = start.elapsed().as_secs_f64();
        raiser.join().unwrap();
        (out, secs)
    }

    /// Work that would take minutes stops soon after the flag is raised, whatever the
    /// dynamics, model or rule. (The bound is loose: it tells a stopped run from one that
    /// went on, not how fast the check is.)
    #[test]
    fn long_work_stops_soon_after_the_flag() {
        use crate::modern::{DenseMemory, Interaction};
        use crate::{
            AssociativeMemory, Dynamics, Network, RecallOptions, Representation, Rule, generate,
            random,
        };
        let patterns = generate::random_patterns(20, 2000, 0.5, &mut random::seeded(1)).unwrap();
        let net = Network::train(&patterns, &Rule::hebb(), Representation::Dense).unwrap();
        let cue = patterns.get(0).unwrap();
        // (Synchronous dynamics at T = 0 from a fixed point need no more work: such a run
        // ends at once, whatever its step limit.)
        for (dynamics, temperature) in [
            (Dynamics::Asynchronous, 0.0),
            (Dynamics::Sweep, 0.0),
            (Dynamics::Sweep, 5.0),
            (Dynamics::Asynchronous, 5.0),
            (Dynamics::Synchronous, 5.0),
        ] {
            let cancel = Cancel::new();
            let options = RecallOptions::new(dynamics)
                .temperature(temperature)
                .max_steps(usize::MAX / 2)
                .run_to_max()
                .cancel(cancel.clone());
            let (r, secs) = raised_during(&cancel, || {
                net.recall(cue, &options, &mut random::seeded(2))
            });
            assert_eq!(r, Err(Error::Cancelled), "{dynamics} at T = {temperature}");
            assert!(secs < 5.0, "{dynamics} at T = {temperature}: {secs} s");
        }
        let memory =
            DenseMemory::new(patterns.clone(), Interaction::Polynomial { degree: 3 }).unwrap();
        let cancel = Cancel::new();
        let options = RecallOptions::new(Dynamics::Sweep)
            .max_steps(usize::MAX / 2)
            .run_to_max()
            .cancel(cancel.clone());
        let (r, secs) = raised_during(&cancel, || {
            memory.recall(cue, &options, &mut random::seeded(2))
        });
        assert_eq!(r, Err(Error::Cancelled));
        assert!(secs < 5.0, "dense memory: {secs} s");

        let many = generate::random_patterns(400, 3000, 0.5, &mut random::seeded(3)).unwrap();
        let slow = crate::rule::Perceptron::default().max_epochs(1_000_000);
        for rule in [Rule::storkey(), slow.into()] {
            let cancel = Cancel::new();
            let (r, secs) = raised_during(&cancel, || {
                Network::train_report(&many, &rule, Representation::Auto, Some(&cancel))
            });
            assert_eq!(r.unwrap_err(), Error::Cancelled, "{rule}");
            assert!(secs < 5.0, "{rule}: {secs} s");
        }
    }

    /// Work made of few long pieces sees the flag inside them: a recording asynchronous run
    /// of float couplings (its energy, `N²` terms, is computed after every update) and one
    /// pattern of Storkey's rule on a large network. Each stops well before the point where
    /// it would look if it looked only every 1024 updates or every pattern.
    #[test]
    fn long_steps_and_patterns_see_the_flag() {
        use crate::{
            AssociativeMemory, Dynamics, LearningRule, Network, RecallOptions, Representation,
            Rule, generate, random,
        };
        use std::time::Instant;
        let one = generate::random_patterns(1, 2000, 0.5, &mut random::seeded(4)).unwrap();
        let net = Network::train(&one, &Rule::storkey(), Representation::Auto).unwrap();
        let cue = one.get(0).unwrap();
        for temperature in [0.0, 5.0] {
            let base = RecallOptions::new(Dynamics::Asynchronous)
                .temperature(temperature)
                .run_to_max();
            let mut short = base.clone().max_steps(20);
            short.record.measures = true;
            let started = Instant::now();
            net.recall(cue, &short, &mut random::seeded(5)).unwrap();
            let per_step = started.elapsed().as_secs_f64() / 20.0;
            let cancel = Cancel::new();
            // Long enough to run for seconds at either temperature if it did not stop.
            let mut long = base.max_steps(10_000_000).cancel(cancel.clone());
            long.record.measures = true;
            let (r, secs) =
                raised_during(&cancel, || net.recall(cue, &long, &mut random::seeded(5)));
            assert_eq!(r, Err(Error::Cancelled), "T = {temperature}");
            assert!(
                secs < 0.05 + 200.0 * per_step,
                "T = {temperature}: {secs} s, {per_step} s a step"
            );
        }
        let wide = generate::random_patterns(1, 3000, 0.5, &mut random::seeded(6)).unwrap();
        let started = Instant::now();
        Rule::storkey().train(&wide, Representation::Auto).unwrap();
        let whole = started.elapsed().as_secs_f64();
        let cancel = Cancel::new();
        let (r, secs) = raised_during(&cancel, || {
            Rule::storkey().train_report(&wide, Representation::Auto, Some(&cancel))
        });
        assert!(
            matches!(r, Err(Error::Cancelled)),
            "the pattern was learned"
        );
        assert!(
            secs < 0.05 + whole / 2.0,
            "{secs} s against {whole} s for the whole pattern"
        );
    }
}
