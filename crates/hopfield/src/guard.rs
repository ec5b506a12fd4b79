//! The memory guard: estimate before allocating, refuse with the figure.
//!
//! Every allocation whose size follows from user input (a generator's count and size, an
//! experiment's trials, starts or samples, the shape a file declares) is first compared
//! with what this process may still allocate: the smallest of the memory the system has
//! available (`MemAvailable`), the room left under the address-space limit (`RLIMIT_AS`,
//! `ulimit -v`) and the room left in the process's cgroup (`memory.max` of cgroup v2,
//! `memory.limit_in_bytes` of v1). A request beyond it is refused with the figure and a
//! suggestion instead of aborting the process when the allocation fails.
//!
//! Products of user-given sizes go through [`elements`] first, so that an overflow is
//! refused too instead of wrapping around to a small number.

use std::path::Path;

use crate::error::{Error, Result};

pub use crate::error::Limit;

/// What the process may still allocate, and the limit that says so.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// Bytes.
    pub bytes: u64,
    /// The smallest of the limits, which gave `bytes`.
    pub limit: Limit,
}

/// What this process may still allocate: the smallest of the memory available, the room
/// under `RLIMIT_AS` and the room in its cgroup; `None` when the system tells none of them.
pub fn budget() -> Option<Budget> {
    let mut best: Option<Budget> = None;
    for (bytes, limit) in [
        (system_available(), Limit::System),
        (address_space_available(), Limit::AddressSpace),
        (cgroup_available(), Limit::Cgroup),
    ] {
        if let Some(bytes) = bytes
            && best.is_none_or(|b| bytes < b.bytes)
        {
            best = Some(Budget { bytes, limit });
        }
    }
    best
}

/// Bytes of memory this process may still allocate, if the system tells ([`budget`]).
pub fn available() -> Option<u64> {
    budget().map(|b| b.bytes)
}

/// Requests up to this size pass [`check`] without asking the system, so that the guard
/// costs nothing on the small allocations of a long run.
const SMALL: u64 = 1 << 20;

/// Refuses an allocation of `needed` bytes for `what` when it exceeds what the process may
/// still allocate ([`budget`]).
///
/// `hint` tells the user what to do instead (e.g. use the factored form). Requests of
/// up to 1 MiB always pass.
pub fn check(what: &str, needed: u64, hint: &str) -> Result<()> {
    if needed <= SMALL {
        return Ok(());
    }
    match budget() {
        Some(b) if needed > b.bytes => Err(Error::Memory {
            what: what.to_string(),
            needed,
            available: b.bytes,
            limit: b.limit,
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

/// The product of user-given sizes (`count × n`, `H × W`, a file's shape), or an
/// [`Error::Parameter`] naming `name` when it does not fit in a machine word.
///
/// ```
/// use hopfield::guard::elements;
/// assert_eq!(elements("size", &[3, 5])?, 15);
/// let e = elements("size", &[3, 6_148_914_691_236_517_206]).unwrap_err();
/// assert!(e.to_string().starts_with("size = 3 x 6148914691236517206 is invalid"));
/// # Ok::<(), hopfield::Error>(())
/// ```
pub fn elements(name: &'static str, dims: &[usize]) -> Result<usize> {
    dims.iter()
        .try_fold(1usize, |acc, &d| acc.checked_mul(d))
        .ok_or_else(|| {
            let text: Vec<String> = dims.iter().map(ToString::to_string).collect();
            let most = usize::MAX;
            let beyond = format!(
                "the product is more than {most} values, beyond what a machine can address"
            );
            Error::parameter(name, text.join(" x "), beyond)
        })
}

/// `MemAvailable` of `/proc/meminfo`, in bytes.
fn system_available() -> Option<u64> {
    let meminfo = std::fs::read_to_string("/proc/meminfo").ok()?;
    meminfo_available(&meminfo)
}

fn meminfo_available(meminfo: &str) -> Option<u64> {
    let kib = meminfo
        .lines()
        .find_map(|l| l.strip_prefix("MemAvailable:"))?
        .trim()
        .trim_end_matches("kB")
        .trim()
        .parse::<u64>()
        .ok()?;
    Some(kib.saturating_mul(1024))
}

/// The room left under `RLIMIT_AS`: the limit minus the address space in use.
#[cfg(unix)]
fn address_space_available() -> Option<u64> {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes one `rlimit` through a valid pointer and has no other
    // effect.
    if unsafe { libc::getrlimit(libc::RLIMIT_AS, &mut limit) } != 0
        || limit.rlim_cur == libc::RLIM_INFINITY
    {
        return None;
    }
    // `rlim_t` is 64 bits on Linux, not on every Unix.
    #[allow(clippy::useless_conversion)]
    let cur = u64::try_from(limit.rlim_cur).unwrap_or(u64::MAX);
    Some(cur.saturating_sub(address_space_used().unwrap_or(0)))
}

#[cfg(not(unix))]
fn address_space_available() -> Option<u64> {
    None
}

/// The process's virtual size: the first field of `/proc/self/statm`, in pages.
#[cfg(unix)]
fn address_space_used() -> Option<u64> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: u64 = statm.split_whitespace().next()?.parse().ok()?;
    // SAFETY: sysconf only reads a configuration value.
    let page = unsafe { libc::sysconf(libc::_SC_PAGESIZE) };
    Some(pages.saturating_mul(u64::try_from(page).ok().filter(|&p| p > 0)?))
}

/// The room left in the process's cgroup (v2 or v1), from `/proc/self/cgroup` and the
/// hierarchy mounted at `/sys/fs/cgroup`.
fn cgroup_available() -> Option<u64> {
    let own = std::fs::read_to_string("/proc/self/cgroup").ok()?;
    cgroup_available_in(Path::new("/sys/fs/cgroup"), &own)
}

/// The room left in the cgroups `own` (the text of `/proc/self/cgroup`) names, under the
/// hierarchy at `root`: the smallest of `limit − usage` over the cgroup and its ancestors,
/// where usage leaves out the page cache the kernel reclaims first (inactive files).
fn cgroup_available_in(root: &Path, own: &str) -> Option<u64> {
    let mut best: Option<u64> = None;
    for line in own.lines() {
        let mut parts = line.splitn(3, ':');
        let (Some(id), Some(controllers), Some(path)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let relative = path.trim_start_matches('/');
        let found = if id == "0" && controllers.is_empty() {
            // cgroup v2 (unified), mounted at the root or, on hybrid systems, at unified/.
            [root.to_path_buf(), root.join("unified")]
                .iter()
                .find_map(|mount| room(mount, relative, V2))
        } else if controllers.split(',').any(|c| c == "memory") {
            room(&root.join("memory"), relative, V1)
        } else {
            None
        };
        if let Some(b) = found {
            best = Some(best.map_or(b, |x| x.min(b)));
        }
    }
    best
}

/// The files of one cgroup version: limit, usage, and the key of reclaimable cache in
/// `memory.stat`.
struct Files {
    limit: &'static str,
    usage: &'static str,
    inactive: &'static str,
}

const V2: Files = Files {
    limit: "memory.max",
    usage: "memory.current",
    inactive: "inactive_file",
};

const V1: Files = Files {
    limit: "memory.limit_in_bytes",
    usage: "memory.usage_in_bytes",
    inactive: "total_inactive_file",
};

/// The smallest room over the cgroup `relative` under `mount` and its ancestors up to the
/// mount; the mount itself when the cgroup's folder is not visible (a cgroup namespace).
fn room(mount: &Path, relative: &str, files: Files) -> Option<u64> {
    let mut dir = mount.join(relative);
    if !dir.is_dir() {
        dir = mount.to_path_buf();
    }
    let mut best: Option<u64> = None;
    loop {
        if let Some(limit) = read_number(&dir.join(files.limit)) {
            let usage = read_number(&dir.join(files.usage)).unwrap_or(0);
            let inactive = std::fs::read_to_string(dir.join("memory.stat"))
                .ok()
                .and_then(|stat| {
                    stat.lines().find_map(|l| {
                        let (key, value) = l.split_once(' ')?;
                        (key == files.inactive).then(|| value.trim().parse::<u64>().ok())?
                    })
                })
                .unwrap_or(0);
            let room = limit.saturating_sub(usage.saturating_sub(inactive));
            best = Some(best.map_or(room, |b| b.min(room)));
        }
        if dir == mount {
            break;
        }
        match dir.parent() {
            Some(parent) if parent.starts_with(mount) => dir = parent.to_path_buf(),
            _ => break,
        }
    }
    best
}

/// A number in a cgroup file; `None` for `max` (no limit) or an unreadable file.
fn read_number(path: &Path) -> Option<u64> {
    std::fs::read_to_string(path).ok()?.trim().parse().ok()
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

    #[test]
    fn products_of_sizes_are_checked() {
        assert_eq!(elements("count", &[1024, 3]).unwrap(), 3072);
        assert_eq!(elements("count", &[]).unwrap(), 1);
        // 1024 × (2^54 + 1) wraps around to 1024 in unchecked arithmetic.
        let e = elements("count", &[1024, 18_014_398_509_481_985]).unwrap_err();
        assert!(matches!(e, Error::Parameter { name: "count", .. }), "{e}");
        assert!(e.to_string().contains("1024 x 18014398509481985"), "{e}");
    }

    #[test]
    fn meminfo_is_read_in_kib() {
        let text = "MemTotal:       24000000 kB\nMemAvailable:    2000000 kB\n";
        assert_eq!(meminfo_available(text), Some(2_048_000_000));
        assert_eq!(meminfo_available("MemTotal: 1 kB\n"), None);
    }

    fn write(path: &Path, text: &str) {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    fn scratch(name: &str) -> std::path::PathBuf {
        let dir =
            std::env::temp_dir().join(format!("hopfield-memory-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn cgroup_v2_limit_minus_usage_over_the_ancestors() {
        let root = scratch("v2");
        let own = root.join("user.slice/job");
        write(&own.join("memory.max"), "1000000000\n");
        write(&own.join("memory.current"), "300000000\n");
        write(
            &own.join("memory.stat"),
            "anon 1\ninactive_file 100000000\n",
        );
        // The parent is tighter: 600 MB with 250 MB used.
        write(&root.join("user.slice/memory.max"), "600000000\n");
        write(&root.join("user.slice/memory.current"), "250000000\n");
        write(&root.join("memory.max"), "max\n");
        let room = cgroup_available_in(&root, "0::/user.slice/job\n");
        assert_eq!(room, Some(350_000_000));
        // Without limits anywhere there is no figure.
        write(&root.join("user.slice/memory.max"), "max\n");
        write(&own.join("memory.max"), "max\n");
        assert_eq!(cgroup_available_in(&root, "0::/user.slice/job\n"), None);
        let _ = std::fs::remove_dir_all(&root);
    }

    #[test]
    fn cgroup_v1_memory_controller() {
        let root = scratch("v1");
        let own = root.join("memory/batch/7");
        write(&own.join("memory.limit_in_bytes"), "2147483648\n");
        write(&own.join("memory.usage_in_bytes"), "1073741824\n");
        write(
            &own.join("memory.stat"),
            "cache 5\ntotal_inactive_file 536870912\n",
        );
        let text = "5:cpu:/\n4:memory:/batch/7\n0::/\n";
        assert_eq!(
            cgroup_available_in(&root, text),
            Some(2_147_483_648 - 536_870_912)
        );
        // A cgroup namespace hides the path: the mount's own files count.
        let hidden = root.join("memory");
        write(&hidden.join("memory.limit_in_bytes"), "1000\n");
        write(&hidden.join("memory.usage_in_bytes"), "400\n");
        assert_eq!(
            cgroup_available_in(&root, "4:memory:/elsewhere\n"),
            Some(600)
        );
        let _ = std::fs::remove_dir_all(&root);
    }

    #[cfg(unix)]
    #[test]
    fn the_smallest_limit_gives_the_budget() {
        let Some(b) = budget() else { return };
        for other in [
            system_available(),
            address_space_available(),
            cgroup_available(),
        ]
        .into_iter()
        .flatten()
        {
            assert!(b.bytes <= other);
        }
    }
}
