//! The memory guard: estimate before allocating, refuse with the figure.

use crate::error::{Error, Result};

/// Bytes of memory available to this process now, if the system tells.
///
/// On Linux this is `MemAvailable` from `/proc/meminfo`, capped by the cgroup limit when one
/// is set; elsewhere `None`.
pub fn available() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    let kib = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse::<u64>()
        .ok()?;
    let mut bytes = kib * 1024;
    for limit in [
        "/sys/fs/cgroup/memory.max",
        "/sys/fs/cgroup/memory/memory.limit_in_bytes",
    ] {
        if let Some(l) = std::fs::read_to_string(limit)
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok())
        {
            bytes = bytes.min(l);
        }
    }
    Some(bytes)
}

/// Refuses an allocation of `needed` bytes for `what` when it exceeds the memory available.
///
/// `hint` tells the user what to do instead (e.g. use the factored form).
pub fn check(what: &str, needed: u64, hint: &str) -> Result<()> {
    match available() {
        Some(avail) if needed > avail => Err(Error::Memory {
            what: what.to_string(),
            needed,
            available: avail,
            hint: hint.to_string(),
        }),
        _ => Ok(()),
    }
}

/// `a · b · c` bytes, saturating instead of overflowing (for declared sizes from files).
pub fn product(dims: &[usize], elem: usize) -> u64 {
    dims.iter()
        .fold(elem as u64, |acc, &d| acc.saturating_mul(d as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_impossible_allocations_with_the_figure() {
        if available().is_none() {
            return;
        }
        let e = check(
            "a 10^7 x 10^7 weight matrix",
            product(&[10_000_000, 10_000_000], 1),
            "use the factored form",
        )
        .unwrap_err()
        .to_string();
        assert!(
            e.starts_with("a 10^7 x 10^7 weight matrix needs 90.9 TiB but only"),
            "{e}"
        );
        assert!(e.ends_with("use the factored form"), "{e}");
        assert!(check("a small vector", 1024, "").is_ok());
        assert_eq!(product(&[usize::MAX, 4], 8), u64::MAX);
    }
}
