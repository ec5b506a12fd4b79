//! Sweeps: experiments made of independent, numbered work units.
//!
//! A sweep (a capacity curve, a basin map, a census of attractors) is an ordered list of
//! work units, numbered `0..units()`. Each unit draws its random numbers from seeds derived
//! from the sweep's seed and the unit's own coordinates (load, trial, start), never from
//! the order in which units run, so
//!
//! - units run in parallel (rayon) give the same results for any number of threads;
//! - a [`Shard`] `k/n` runs every `n`-th unit starting at `k − 1`, and the [`Partial`]
//!   results of the `n` shards [`merge`] into exactly the result of one run.
//!
//! ```
//! use hopfield::experiment::{self, CapacityConfig, CapacitySweep, Shard, Sweep};
//! let config = CapacityConfig::default().n(200).alphas(vec![0.05, 0.1]).trials(3);
//! let sweep = CapacitySweep::new(config.clone())?;
//! let parts: Vec<_> = (1..=3)
//!     .map(|k| experiment::run_shard(&sweep, Shard::new(k, 3)?, &|| {}))
//!     .collect::<hopfield::Result<_>>()?;
//! let merged = sweep.summarize(experiment::merge(&sweep, parts)?)?;
//! assert_eq!(merged, experiment::capacity(&config)?);
//! # Ok::<(), hopfield::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;

use crate::parallel::*;
#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, plural, require};
use crate::random;

/// What a shard writes and [`merge`] reads back: with the `serde` feature, anything that
/// serialises; without it, anything.
#[cfg(feature = "serde")]
pub trait Data: Serialize + serde::de::DeserializeOwned {}
#[cfg(feature = "serde")]
impl<T: Serialize + serde::de::DeserializeOwned> Data for T {}
/// What a shard writes and [`merge`] reads back: with the `serde` feature, anything that
/// serialises; without it, anything.
#[cfg(not(feature = "serde"))]
pub trait Data {}
#[cfg(not(feature = "serde"))]
impl<T> Data for T {}

/// An experiment made of independent, numbered work units.
pub trait Sweep: Sync + Sized {
    /// What the experiment is asked to do (serialised into every shard's output).
    type Config: Clone + PartialEq + Send + Sync + fmt::Debug + Data;
    /// The result of one unit.
    type Unit: Clone + Send + Sync + fmt::Debug + Data;
    /// The result of the whole sweep.
    type Output: Send + fmt::Debug;

    /// The experiment's name, as on the command line (`capacity`, `basins`, …).
    const NAME: &'static str;

    /// Checks `config` and prepares the sweep.
    fn new(config: Self::Config) -> Result<Self>;

    /// The configuration.
    fn config(&self) -> &Self::Config;

    /// The number of work units.
    fn units(&self) -> usize;

    /// Runs unit `index` (in `0..units()`); the result depends only on the configuration
    /// and `index`.
    fn run_unit(&self, index: usize) -> Result<Self::Unit>;

    /// Joins the results of every unit, in unit order, into the sweep's result.
    fn summarize(&self, units: Vec<Self::Unit>) -> Result<Self::Output>;

    /// Bytes a unit's result holds besides its own size (its vectors), for the memory
    /// guard of [`run_shard`] and [`merge`].
    fn unit_heap_bytes(&self) -> u64 {
        0
    }

    /// What the largest unit holds while it runs, and the bytes, for the memory guard of
    /// [`run_shard`] (units run side by side, one per thread); `None` when small.
    fn unit_memory(&self) -> Option<(String, u64)> {
        None
    }
}

/// Refuses to run units of `sweep` side by side on the current rayon threads when they
/// would need more memory than the process may allocate.
fn check_unit_memory<S: Sweep>(sweep: &S, units: usize) -> Result<()> {
    let Some((what, bytes)) = sweep.unit_memory() else {
        return Ok(());
    };
    let threads = crate::parallel::threads().clamp(1, units.max(1));
    crate::guard::check(
        &format!("{what}, on each of {threads} thread{}", plural(threads)),
        bytes.saturating_mul(threads as u64),
        "use fewer neurons, lower loads or fewer cues, or fewer --threads",
    )
}

/// Refuses to hold `units` results of `S` when they would not fit in memory.
fn check_units<S: Sweep>(sweep: &S, units: usize) -> Result<()> {
    let each = (std::mem::size_of::<UnitResult<S::Unit>>() as u64)
        .saturating_mul(2)
        .saturating_add(std::mem::size_of::<usize>() as u64)
        .saturating_add(sweep.unit_heap_bytes());
    crate::guard::check(
        &format!("keeping the results of {units} {} units", S::NAME),
        each.saturating_mul(units as u64),
        "use fewer trials, loads or starts, or split the sweep with --shard K/N",
    )
}

/// Slice `index` of `count` (1-based, as `--shard k/n`): the units `u` with
/// `u mod count = index − 1`.
///
/// Interleaving spreads the costly units (high loads) evenly over the shards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Shard {
    /// Which slice, from 1 to `count`.
    pub index: usize,
    /// How many slices.
    pub count: usize,
}

impl Shard {
    /// The whole sweep as one slice.
    pub const ALL: Shard = Shard { index: 1, count: 1 };

    /// Slice `index` of `count`; needs `1 ≤ index ≤ count`.
    pub fn new(index: usize, count: usize) -> Result<Shard> {
        let shard = format!("{index}/{count}");
        let at_least = "the number of shards must be at least 1";
        require(count > 0, "shard", &shard, at_least)?;
        let within = format!("the shard number must lie between 1 and {count}");
        require(index > 0 && index <= count, "shard", shard, within)?;
        Ok(Shard { index, count })
    }

    /// The units of this slice among `total`, in order.
    pub fn units(&self, total: usize) -> Vec<usize> {
        (self.index - 1..total).step_by(self.count).collect()
    }

    /// How many units of `total` this slice holds (the length of [`Shard::units`]).
    pub fn len_of(&self, total: usize) -> usize {
        total.saturating_sub(self.index - 1).div_ceil(self.count)
    }
}

impl Default for Shard {
    fn default() -> Self {
        Shard::ALL
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl FromStr for Shard {
    type Err = Error;

    /// Parses `k/n`.
    fn from_str(s: &str) -> Result<Shard> {
        let bad = || Error::parameter("shard", s, "expected k/n, e.g. 2/8 for the second of 8");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let k: usize = k.trim().parse().map_err(|_| bad())?;
        let n: usize = n.trim().parse().map_err(|_| bad())?;
        Shard::new(k, n)
    }
}

/// The result of one unit with its number.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct UnitResult<U> {
    /// The unit's number in `0..units()`.
    pub unit: usize,
    /// Its result.
    #[cfg_attr(feature = "serde", serde(flatten))]
    pub result: U,
}

/// What one shard computed: enough to check, on merging, that the shards belong together
/// and cover every unit once.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
pub struct Partial<C, U> {
    /// The experiment's name ([`Sweep::NAME`]).
    pub experiment: String,
    /// The configuration the shard ran.
    pub config: C,
    /// Which slice.
    pub shard: Shard,
    /// The number of units of the whole sweep.
    pub total_units: usize,
    /// The results of the slice's units, in unit order.
    pub units: Vec<UnitResult<U>>,
}

/// The partial result of a sweep `S`.
pub type PartialOf<S> = Partial<<S as Sweep>::Config, <S as Sweep>::Unit>;

/// Runs the units of `shard` in parallel on the current rayon pool, calling `progress`
/// after each unit.
pub fn run_shard<S: Sweep>(
    sweep: &S,
    shard: Shard,
    progress: &(dyn Fn() + Sync),
) -> Result<PartialOf<S>> {
    let total = sweep.units();
    check_units(sweep, shard.len_of(total))?;
    check_unit_memory(sweep, shard.len_of(total))?;
    let units = shard
        .units(total)
        .into_par_iter()
        .map(|unit| {
            let result = sweep.run_unit(unit)?;
            progress();
            Ok(UnitResult { unit, result })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Partial {
        experiment: S::NAME.to_string(),
        config: sweep.config().clone(),
        shard,
        total_units: total,
        units,
    })
}

/// Runs every unit and summarises: the result of the sweep in one go.
pub fn run_all<S: Sweep>(sweep: &S, progress: &(dyn Fn() + Sync)) -> Result<S::Output> {
    let part = run_shard(sweep, Shard::ALL, progress)?;
    sweep.summarize(part.units.into_iter().map(|u| u.result).collect())
}

/// Joins the partial results of shards into the units of the whole sweep, in order.
///
/// Refuses partials of another experiment or configuration than `sweep`'s, and a set of
/// partials that misses a unit or holds one twice; the message names the units.
pub fn merge<S: Sweep>(sweep: &S, partials: Vec<PartialOf<S>>) -> Result<Vec<S::Unit>> {
    if partials.is_empty() {
        return Err(Error::Merge("no shards to merge".into()));
    }
    let total = sweep.units();
    check_units(sweep, total)?;
    let mut slots: Vec<Option<S::Unit>> = vec![None; total];
    let mut duplicated = Vec::new();
    for (k, part) in partials.into_iter().enumerate() {
        if part.experiment != S::NAME {
            return Err(Error::Merge(format!(
                "shard {} holds a {} result, not {}",
                k + 1,
                crate::excerpt(&part.experiment),
                S::NAME
            )));
        }
        if &part.config != sweep.config() || part.total_units != total {
            return Err(Error::Merge(format!(
                "shard {} ({}) was run with another configuration than the first",
                k + 1,
                part.shard
            )));
        }
        for u in part.units {
            match slots.get_mut(u.unit) {
                None => {
                    return Err(Error::Merge(format!(
                        "shard {} holds unit {}, but the sweep has only {total}",
                        k + 1,
                        u.unit
                    )));
                }
                Some(Some(_)) => duplicated.push(u.unit),
                Some(slot) => *slot = Some(u.result),
            }
        }
    }
    if !duplicated.is_empty() {
        duplicated.sort_unstable();
        duplicated.dedup();
        return Err(Error::Merge(format!(
            "{} unit{} appear{} in more than one shard: {}",
            duplicated.len(),
            plural(duplicated.len()),
            if duplicated.len() == 1 { "s" } else { "" },
            list(&duplicated)
        )));
    }
    let missing: Vec<usize> = (0..total).filter(|&u| slots[u].is_none()).collect();
    if !missing.is_empty() {
        return Err(Error::Merge(format!(
            "{} of {total} unit{} missing: {} (is a shard left out?)",
            missing.len(),
            if missing.len() == 1 { " is" } else { "s are" },
            list(&missing)
        )));
    }
    Ok(slots.into_iter().flatten().collect())
}

/// Up to ten numbers, then how many more.
fn list(v: &[usize]) -> String {
    let mut s: Vec<String> = v.iter().take(10).map(|u| u.to_string()).collect();
    if v.len() > 10 {
        s.push(format!("… ({} more)", v.len() - 10));
    }
    s.join(", ")
}

/// The seed of the unit with coordinates `key` in a sweep seeded with `seed`.
pub(crate) fn unit_seed(seed: u64, key: u64) -> u64 {
    use rand::Rng;
    random::stream(seed, key).next_u64()
}

/// The values `from, from + step, …` up to `to` (inclusive, with a tolerance for rounding),
/// each rounded to 12 decimals so that `0.1:0.3:0.1` gives `[0.1, 0.2, 0.3]`.
///
/// Needs finite values, `step > 0` and `from ≤ to`; at most a million values.
///
/// ```
/// assert_eq!(hopfield::experiment::range(0.1, 0.3, 0.1)?, vec![0.1, 0.2, 0.3]);
/// assert!(hopfield::experiment::range(0.2, 0.1, 0.01).is_err());
/// # Ok::<(), hopfield::Error>(())
/// ```
pub fn range(from: f64, to: f64, step: f64) -> Result<Vec<f64>> {
    let range = format!("{from}:{to}:{step}");
    let finite = from.is_finite() && to.is_finite() && step.is_finite();
    require(finite, "range", &range, "values must be finite")?;
    require(step > 0.0, "range", &range, "the step must be positive")?;
    let order = "FROM must not exceed TO (FROM:TO:STEP)";
    require(to >= from, "range", &range, order)?;
    let count = ((to - from) / step + 1e-9).floor() + 1.0;
    let most = "more than a million values; use a larger step";
    require(count <= 1e6, "range", range, most)?;
    Ok((0..count as usize)
        .map(|k| ((from + k as f64 * step) * 1e12).round() / 1e12)
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_the_units() {
        let mut all: Vec<usize> = (1..=3)
            .flat_map(|k| Shard::new(k, 3).unwrap().units(10))
            .collect();
        all.sort_unstable();
        assert_eq!(all, (0..10).collect::<Vec<_>>());
        assert_eq!(Shard::new(2, 3).unwrap().units(10), vec![1, 4, 7]);
        for total in 0..12 {
            for count in 1..5 {
                for index in 1..=count {
                    let s = Shard::new(index, count).unwrap();
                    assert_eq!(s.len_of(total), s.units(total).len(), "{s} of {total}");
                }
            }
        }
        assert_eq!("2/5".parse::<Shard>().unwrap(), Shard::new(2, 5).unwrap());
        for bad in ["0/3", "4/3", "1/0", "x", "1/2/3", "-1/2"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn ranges_are_inclusive_and_checked() {
        assert_eq!(range(0.1, 0.3, 0.1).unwrap(), vec![0.1, 0.2, 0.3]);
        let r = range(0.01, 0.2, 0.01).unwrap();
        assert_eq!(r.len(), 20);
        assert_eq!(r[6], 0.07);
        assert_eq!(range(0.5, 0.5, 0.1).unwrap(), vec![0.5]);
        assert!(range(0.2, 0.1, 0.01).is_err());
        assert!(range(0.0, 1.0, 0.0).is_err());
        assert!(range(0.0, 1.0, -0.1).is_err());
        assert!(range(0.0, f64::NAN, 0.1).is_err());
        assert!(range(0.0, 1.0, 1e-9).is_err());
    }
}
