//! The library's error type.

use std::fmt;

/// A result whose error is this crate's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// What went wrong, with the item and position it concerns.
///
/// Every fallible function of the library returns this type; the library never panics on
/// user data. The messages are one line each and name the item (`pattern 3`, `cue`,
/// `threshold`, …), the position when there is one, and what is wrong.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A set that must hold at least one element is empty.
    #[error("{what} is empty")]
    Empty {
        /// What is empty, e.g. `pattern set`.
        what: String,
    },
    /// A network or pattern with zero neurons.
    #[error("{what} has no neurons (N = 0)")]
    NoNeurons {
        /// What has no neurons.
        what: String,
    },
    /// A vector does not have the length the network or pattern set requires.
    #[error("{item} has {found} values, expected {expected}")]
    Length {
        /// The item, e.g. `pattern 2`, `cue`, `threshold`.
        item: String,
        /// The length required.
        expected: usize,
        /// The length found.
        found: usize,
    },
    /// A value outside the allowed set, e.g. a 2 in a ±1 pattern.
    #[error("{item}, neuron {position}: value {value} is not {allowed}")]
    Value {
        /// The item, e.g. `pattern 2`.
        item: String,
        /// The neuron index (row-major for 2-D patterns).
        position: usize,
        /// The offending value.
        value: f64,
        /// What is allowed, e.g. `±1` or `0 or 1`.
        allowed: &'static str,
    },
    /// A NaN or infinite value.
    #[error("{item}, position {position}: value is not finite ({value})")]
    NotFinite {
        /// The item, e.g. `weights`, `threshold`.
        item: String,
        /// The position (flat index).
        position: usize,
        /// The offending value.
        value: f64,
    },
    /// A 2-D shape that does not match the number of neurons.
    #[error(
        "shape {rows}x{cols} holds {} neurons, but {what} has {n}",
        *rows as u128 * *cols as u128
    )]
    Shape {
        /// What the shape was given for.
        what: String,
        /// Rows of the shape.
        rows: usize,
        /// Columns of the shape.
        cols: usize,
        /// The number of neurons found.
        n: usize,
    },
    /// A parameter outside its allowed range, e.g. a noise fraction of 1.5.
    #[error("{name} = {value} is invalid: {reason}")]
    Parameter {
        /// The parameter's name as the user sees it.
        name: &'static str,
        /// The value given, rendered as text.
        value: String,
        /// What the value must satisfy, and how to fix it.
        reason: String,
    },
    /// A request that would need more memory than the machine has.
    #[error(
        "{what} needs {} but only {} is available{limit}{}{hint}",
        Bytes(*.needed),
        Bytes(*.available),
        if hint.is_empty() { "" } else { "; " }
    )]
    Memory {
        /// What was about to be allocated.
        what: String,
        /// Bytes needed.
        needed: u64,
        /// Bytes available.
        available: u64,
        /// The limit that gave `available`.
        limit: Limit,
        /// What to do instead.
        hint: String,
    },
    /// An operation the current network or representation does not support.
    #[error("{0}")]
    Unsupported(String),
    /// Patterns that a rule needs linearly independent (the pseudo-inverse rule) are not.
    #[error("patterns are linearly dependent: pattern {pattern} {reason}")]
    LinearlyDependent {
        /// The first pattern that is a linear combination of the patterns before it.
        pattern: usize,
        /// Why, and how to fix it.
        reason: String,
    },
    /// An iterative learning rule ran out of epochs before every pattern was learned.
    #[error(
        "{what} did not converge in {epochs} epochs: {unstable} (neuron, pattern) pairs are below the margin; {hint}"
    )]
    NotConverged {
        /// What did not converge, e.g. `perceptron learning (κ = 0.5)`.
        what: String,
        /// The epochs run.
        epochs: usize,
        /// The (neuron, pattern) pairs still below the margin.
        unstable: usize,
        /// What to do instead.
        hint: String,
    },
    /// Partial results of a sweep that do not join into one: another experiment or
    /// configuration, or units missing or held twice.
    #[error("cannot merge: {0}")]
    Merge(String),
    /// The work was given up: its [`crate::Cancel`] flag was raised.
    #[error("cancelled before the work finished")]
    Cancelled,
}

impl Error {
    /// A [`Error::Parameter`] from its parts.
    pub fn parameter(
        name: &'static str,
        value: impl fmt::Display,
        reason: impl Into<String>,
    ) -> Self {
        Error::Parameter {
            name,
            value: value.to_string(),
            reason: reason.into(),
        }
    }

    /// A [`Error::Length`] from its parts.
    pub fn length(item: impl Into<String>, expected: usize, found: usize) -> Self {
        Error::Length {
            item: item.into(),
            expected,
            found,
        }
    }

    /// A [`Error::Value`] from its parts.
    pub fn value(
        item: impl Into<String>,
        position: usize,
        value: impl Into<f64>,
        allowed: &'static str,
    ) -> Self {
        Error::Value {
            item: item.into(),
            position,
            value: value.into(),
            allowed,
        }
    }

    /// A [`Error::Empty`] for `what`.
    pub(crate) fn empty(what: impl Into<String>) -> Self {
        Error::Empty { what: what.into() }
    }

    /// A [`Error::NoNeurons`] for `what`.
    pub(crate) fn no_neurons(what: impl Into<String>) -> Self {
        Error::NoNeurons { what: what.into() }
    }

    /// A [`Error::NotFinite`] from its parts.
    pub fn not_finite(item: impl Into<String>, position: usize, value: impl Into<f64>) -> Self {
        Error::NotFinite {
            item: item.into(),
            position,
            value: value.into(),
        }
    }
}

/// Nothing when `ok` holds, else the [`Error::Parameter`] of `name`, `value` and `reason`.
pub(crate) fn require(
    ok: bool,
    name: &'static str,
    value: impl fmt::Display,
    reason: impl Into<String>,
) -> Result<()> {
    if ok {
        Ok(())
    } else {
        Err(Error::parameter(name, value, reason))
    }
}

/// Nothing when `found` is `expected`, else the [`Error::Length`] of `item`.
pub(crate) fn check_length(item: impl Into<String>, expected: usize, found: usize) -> Result<()> {
    if found == expected {
        Ok(())
    } else {
        Err(Error::length(item, expected, found))
    }
}

/// The ending of a plural noun after the count `n` in a message: nothing for one, else `s`.
pub(crate) fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// [`Error::NotFinite`] for the first value that is NaN or infinite, its item and position
/// given by `at` from the value's index.
pub(crate) fn check_finite<T: Copy + Into<f64>>(
    values: &[T],
    at: impl FnOnce(usize) -> (String, usize),
) -> Result<()> {
    match values.iter().position(|&v| !v.into().is_finite()) {
        Some(k) => {
            let (item, position) = at(k);
            Err(Error::not_finite(item, position, values[k]))
        }
        None => Ok(()),
    }
}

/// [`Error::Value`] naming `item` for the first value of `state` that `ok` refuses.
pub(crate) fn check_values(
    item: &str,
    state: &[i8],
    allowed: &'static str,
    ok: impl Fn(i8) -> bool,
) -> Result<()> {
    match state.iter().position(|&s| !ok(s)) {
        Some(i) => Err(Error::value(item, i, state[i], allowed)),
        None => Ok(()),
    }
}

/// The most characters of user input an error message echoes ([`excerpt`]).
pub const EXCERPT_CHARS: usize = 200;

/// `text` made safe to echo in a one-line message: control characters (newlines, escape
/// sequences, bell) written as escapes, and anything past [`EXCERPT_CHARS`] characters cut,
/// with the full length said.
///
/// ```
/// use hopfield::excerpt;
/// assert_eq!(excerpt("a\x1b]0;title\x07b"), r"a\u{1b}]0;title\u{7}b");
/// let long = "x".repeat(1000);
/// assert!(excerpt(&long).ends_with("… (1000 characters)"));
/// assert!(excerpt(&long).len() < 250);
/// ```
pub fn excerpt(text: &str) -> String {
    let chars = text.chars().count();
    let mut out = escape_controls(&text.chars().take(EXCERPT_CHARS).collect::<String>());
    if chars > EXCERPT_CHARS {
        out.push_str(&format!("… ({chars} characters)"));
    }
    out
}

/// `text` with its control characters (escape sequences, bell, newlines) written as
/// escapes and nothing cut: the last safety net of a program that prints a message built
/// from user input, so that it cannot retitle or clear a terminal.
///
/// ```
/// use hopfield::escape_controls;
/// assert_eq!(escape_controls("file\x1b[2J: bad"), r"file\u{1b}[2J: bad");
/// assert_eq!(escape_controls("naïve ±1"), "naïve ±1");
/// ```
pub fn escape_controls(text: &str) -> String {
    if !text.chars().any(char::is_control) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if c.is_control() {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    out
}

/// A byte count printed with a binary unit (`1.5 GiB`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Bytes(pub u64);

impl fmt::Display for Bytes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const UNITS: [&str; 7] = ["B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
        if self.0 == u64::MAX {
            // A saturated product: the true figure is larger still.
            return f.write_str("more than 16.0 EiB");
        }
        let mut value = self.0 as f64;
        let mut unit = 0;
        while value >= 1024.0 && unit + 1 < UNITS.len() {
            value /= 1024.0;
            unit += 1;
        }
        if unit == 0 {
            write!(f, "{} B", self.0)
        } else {
            write!(f, "{value:.1} {}", UNITS[unit])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_name_item_and_position() {
        let e = Error::Value {
            item: "pattern 2".into(),
            position: 17,
            value: 2.0,
            allowed: "±1",
        };
        assert_eq!(e.to_string(), "pattern 2, neuron 17: value 2 is not ±1");
        let e = Error::length("cue", 25, 24);
        assert_eq!(e.to_string(), "cue has 24 values, expected 25");
    }

    #[test]
    fn bytes_are_human_readable() {
        assert_eq!(Bytes(512).to_string(), "512 B");
        assert_eq!(Bytes(1536).to_string(), "1.5 KiB");
        assert_eq!(Bytes(800_000_000).to_string(), "762.9 MiB");
    }
}

/// Which limit bounds what the process may allocate (see [`crate::guard`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// The memory the system has available (`MemAvailable` of `/proc/meminfo`).
    System,
    /// The room left under the address-space limit (`RLIMIT_AS`, set by `ulimit -v`).
    AddressSpace,
    /// The room left in the process's cgroup (`memory.max` or `memory.limit_in_bytes`).
    Cgroup,
}

impl fmt::Display for Limit {
    /// The phrase a message appends to the figure, empty for [`Limit::System`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Limit::System => "",
            Limit::AddressSpace => " under the address-space limit (ulimit -v)",
            Limit::Cgroup => " under the cgroup's memory limit",
        })
    }
}
