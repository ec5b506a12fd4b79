//! Instruction-set levels of the compute kernels, and the switch that forces one.
//!
//! The kernels come in up to three builds: portable code ([`Level::Scalar`]), AVX2 with
//! POPCNT ([`Level::Avx2`]) and AVX-512 F, BW, VL and VPOPCNTDQ ([`Level::Avx512`]). By
//! default every kernel uses the best build the processor runs. The environment variable
//! `HOPFIELD_SIMD=scalar|avx2|avx512` forces a level — in the library, the command line,
//! the Python package and the server alike — for comparing levels or ruling one out.
//! It is read once, when the first kernel runs.
//!
//! Every level gives the same bits: integer kernels are exact, and floating-point sums
//! are added in one fixed order whatever the level (the test suite runs at every level the
//! processor has and compares the results byte for byte).
//!
//! ```
//! use hopfield::simd::{self, Level};
//! // The level in force: the best the processor has, unless HOPFIELD_SIMD says otherwise.
//! let level = simd::level()?;
//! assert!(level <= simd::detected());
//! assert!(Level::Scalar <= level);
//! # Ok::<(), hopfield::Error>(())
//! ```

use std::sync::OnceLock;

use crate::error::{Error, Result, require};

/// The name of the environment variable that forces a level.
pub const VARIABLE: &str = "HOPFIELD_SIMD";

/// An instruction-set level of the kernels, from the most portable to the widest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Level {
    /// Portable code: no vector instructions beyond what the compiler picks for the
    /// target's baseline.
    Scalar,
    /// AVX2 and POPCNT (x86-64 processors since about 2013).
    Avx2,
    /// AVX-512 F, BW, VL and VPOPCNTDQ (on top of AVX2).
    Avx512,
}

impl Level {
    /// Every level, from the most portable.
    pub const ALL: [Level; 3] = [Level::Scalar, Level::Avx2, Level::Avx512];

    /// The levels this processor runs, from the most portable.
    pub fn supported() -> Vec<Level> {
        let best = detected();
        Level::ALL.into_iter().filter(|&l| l <= best).collect()
    }
}

// The names `HOPFIELD_SIMD` takes.
names!(Level, |s| s.trim().to_ascii_lowercase().as_str(), Error::parameter(
    VARIABLE,
    crate::error::excerpt(s),
    "expected one of: scalar, avx2, avx512",
), {
    Scalar => "scalar" | "portable" | "none",
    Avx2 => "avx2",
    Avx512 => "avx512" | "avx-512",
});

/// The best level this processor runs.
pub fn detected() -> Level {
    static DETECTED: OnceLock<Level> = OnceLock::new();
    *DETECTED.get_or_init(|| {
        #[cfg(target_arch = "x86_64")]
        {
            use std::arch::is_x86_feature_detected as has;
            let avx2 = has!("avx2") && has!("popcnt");
            let avx512 = avx2
                && has!("avx512f")
                && has!("avx512bw")
                && has!("avx512vl")
                && has!("avx512vpopcntdq");
            if avx512 {
                return Level::Avx512;
            }
            if avx2 {
                return Level::Avx2;
            }
        }
        Level::Scalar
    })
}

/// The level `HOPFIELD_SIMD` asks for, checked against the processor: `None` when the
/// variable is unset or empty.
fn requested() -> Result<Option<Level>> {
    let Some(value) = std::env::var_os(VARIABLE) else {
        return Ok(None);
    };
    let value = value.to_string_lossy();
    if value.trim().is_empty() {
        return Ok(None);
    }
    let level: Level = value.parse()?;
    let names: Vec<&str> = Level::supported().iter().map(|l| l.name()).collect();
    let names = names.join(", ");
    let only = format!("this processor runs {names} only; unset {VARIABLE} for the best it has");
    require(level <= detected(), VARIABLE, level, only)?;
    Ok(Some(level))
}

/// The level read once from the environment, and the error to report if it was invalid.
fn chosen() -> &'static (Level, Option<Error>) {
    static CHOSEN: OnceLock<(Level, Option<Error>)> = OnceLock::new();
    CHOSEN.get_or_init(|| match requested() {
        Ok(Some(level)) => (level, None),
        Ok(None) => (detected(), None),
        // A level the processor lacks runs at the best it has; an unreadable one at the
        // default. `level()` reports either, so front ends refuse to start with it.
        Err(e) => {
            let fallback = std::env::var(VARIABLE)
                .ok()
                .and_then(|v| v.parse::<Level>().ok())
                .map_or(detected(), |l| l.min(detected()));
            (fallback, Some(e))
        }
    })
}

/// The level the kernels use: the best the processor has, or the one `HOPFIELD_SIMD`
/// forces. An invalid value of the variable (unknown, or more than the processor runs) is
/// an error naming what the processor supports; front ends call this first and refuse to
/// start with it.
pub fn level() -> Result<Level> {
    match chosen() {
        (_, Some(e)) => Err(e.clone()),
        (level, None) => Ok(*level),
    }
}

/// The level the kernels use, for dispatch (see [`level`]; never above [`detected`]).
#[inline]
pub(crate) fn active() -> Level {
    chosen().0
}

/// Whether kernels of `level` may run.
#[inline]
pub(crate) fn allows(level: Level) -> bool {
    active() >= level
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_and_print() {
        for l in Level::ALL {
            assert_eq!(l.name().parse::<Level>().unwrap(), l);
            assert_eq!(l.to_string(), l.name());
        }
        assert_eq!("AVX-512".parse::<Level>().unwrap(), Level::Avx512);
        let e = "sse9".parse::<Level>().unwrap_err().to_string();
        assert_eq!(
            e,
            "HOPFIELD_SIMD = sse9 is invalid: expected one of: scalar, avx2, avx512"
        );
        assert!(Level::Scalar < Level::Avx2 && Level::Avx2 < Level::Avx512);
    }

    #[test]
    fn the_level_in_force_is_one_the_processor_runs() {
        let supported = Level::supported();
        assert_eq!(supported[0], Level::Scalar);
        assert_eq!(*supported.last().unwrap(), detected());
        assert!(active() <= detected());
        // The test suite runs once per level with HOPFIELD_SIMD set: it must be honoured.
        match std::env::var(VARIABLE).ok().filter(|v| !v.is_empty()) {
            Some(v) => assert_eq!(level().unwrap().name(), v.parse::<Level>().unwrap().name()),
            None => assert_eq!(level().unwrap(), detected()),
        }
    }
}
