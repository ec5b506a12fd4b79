//! Atomic writes: a temporary file beside the target, renamed over it once complete.
//!
//! The temporary file has an unpredictable name in the target's folder
//! (`.NAME.XXXXXXXX.tmp`) and is created exclusively, never through a link planted under
//! that name. It takes the permissions of the file it replaces (a new file gets the
//! usual `0666` minus the umask). It is removed when the write fails, and every temporary
//! file still open is listed so that [`remove_temporary_files`] can remove them when the
//! program is interrupted (the command line calls it on SIGINT, SIGTERM and SIGHUP).

use std::fs::{self, File, OpenOptions};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use crate::error::Error;

/// The temporary files being written, and whether the program is closing.
struct Pending {
    paths: Vec<PathBuf>,
    closing: bool,
}

static PENDING: Mutex<Pending> = Mutex::new(Pending {
    paths: Vec::new(),
    closing: false,
});

fn pending() -> MutexGuard<'static, Pending> {
    PENDING.lock().unwrap_or_else(|e| e.into_inner())
}

/// Removes every temporary file of a write in progress and refuses new ones: what an
/// interrupted program calls before it ends, so that no `.tmp` file stays behind. The
/// files already renamed into place are complete; the targets of the others are
/// untouched. Returns how many files were removed.
pub fn remove_temporary_files() -> usize {
    let mut p = pending();
    p.closing = true;
    let mut removed = 0;
    for path in std::mem::take(&mut p.paths) {
        if fs::remove_file(&path).is_ok() {
            removed += 1;
        }
    }
    removed
}

/// A listed temporary path, taken off the list when dropped.
struct Listed(PathBuf);

impl Listed {
    fn new(path: &Path) -> io::Result<Listed> {
        let mut p = pending();
        if p.closing {
            return Err(io::Error::new(
                io::ErrorKind::Interrupted,
                "interrupted: the program is ending",
            ));
        }
        p.paths.push(path.to_path_buf());
        Ok(Listed(path.to_path_buf()))
    }
}

impl Drop for Listed {
    fn drop(&mut self) {
        pending().paths.retain(|p| p != &self.0);
    }
}

/// Creates `path` exclusively: fails if anything (a file, a link) is there already, and
/// never follows a link.
fn create_new(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options
            .mode(0o666)
            .custom_flags(libc::O_NOFOLLOW | libc::O_CLOEXEC);
    }
    options.open(path)
}

/// Writes `bytes` to `path` atomically: a temporary file in the same folder, synced, then
/// renamed over `path`. On error nothing is left behind and an existing file is untouched.
pub fn atomic_write(path: &Path, bytes: &[u8]) -> Result<(), Error> {
    atomic_write_with(path, |w| w.write_all(bytes))
}

/// [`atomic_write`] of what `write` produces, streamed to the temporary file.
pub fn atomic_write_with(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Error> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| Error::format(path, "is not a file name"))?;
    let mut listed = None;
    let tmp = tempfile::Builder::new()
        .prefix(&format!(".{}.", name.to_string_lossy()))
        .suffix(".tmp")
        .rand_bytes(8)
        .make_in(dir, |candidate| {
            let entry = Listed::new(candidate)?;
            let file = create_new(candidate)?;
            listed = Some(entry);
            Ok(file)
        })
        .map_err(|e| Error::io(path, e))?;
    let listed = listed.ok_or_else(|| Error::format(path, "no temporary file was created"))?;
    let result = (|| {
        let mut out = BufWriter::with_capacity(1 << 16, tmp.as_file());
        write(&mut out)?;
        out.flush()?;
        drop(out);
        keep_permissions(path, tmp.as_file())?;
        tmp.as_file().sync_all()
    })();
    if let Err(e) = result {
        // Dropping `tmp` removes the temporary file, dropping `listed` unlists it.
        return Err(Error::io(path, e));
    }
    // Renamed while the list is locked, so that an interrupt either removes the temporary
    // file before the rename or finds the write complete.
    let p = pending();
    if !p.paths.contains(&listed.0) {
        drop(p);
        return Err(Error::io(
            path,
            io::Error::new(
                io::ErrorKind::Interrupted,
                "interrupted: the program is ending",
            ),
        ));
    }
    let renamed = tmp.persist(path);
    drop(p);
    drop(listed);
    renamed.map_err(|e| Error::io(path, e.error))?;
    Ok(())
}

/// Gives the temporary file the permissions of the file it replaces.
fn keep_permissions(path: &Path, tmp: &File) -> io::Result<()> {
    match fs::metadata(path) {
        Ok(meta) if meta.is_file() => tmp.set_permissions(meta.permissions()),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn writes_and_replaces_leaving_no_temporary_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.txt");
        atomic_write(&path, b"one").unwrap();
        atomic_write(&path, b"two").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(names(dir.path()), ["out.txt"]);
        // A failed write leaves the old file and no temporary file.
        let e = atomic_write_with(&path, |w| {
            w.write_all(b"partial")?;
            Err(io::Error::other("disk full"))
        })
        .unwrap_err();
        assert!(e.to_string().contains("disk full"), "{e}");
        assert_eq!(fs::read(&path).unwrap(), b"two");
        assert_eq!(names(dir.path()), ["out.txt"]);
    }

    #[cfg(unix)]
    #[test]
    fn a_link_at_the_old_temporary_name_is_not_followed() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let victim = dir.path().join("victim");
        fs::write(&victim, b"keep me").unwrap();
        // The name earlier versions used: `.NAME.PID.tmp`.
        let planted = dir
            .path()
            .join(format!(".out.npy.{}.tmp", std::process::id()));
        symlink(&victim, &planted).unwrap();
        let path = dir.path().join("out.npy");
        atomic_write(&path, b"data").unwrap();
        assert_eq!(fs::read(&victim).unwrap(), b"keep me");
        assert_eq!(fs::read(&path).unwrap(), b"data");
        assert!(fs::symlink_metadata(&planted).unwrap().is_symlink());
    }

    #[cfg(unix)]
    #[test]
    fn permissions_of_the_replaced_file_are_kept() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secret.hfn");
        fs::write(&path, b"old").unwrap();
        fs::set_permissions(&path, fs::Permissions::from_mode(0o600)).unwrap();
        atomic_write(&path, b"new").unwrap();
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        // A new file gets 0666 minus the umask, like any file the user creates.
        let fresh = dir.path().join("fresh.hfn");
        atomic_write(&fresh, b"x").unwrap();
        let plain = dir.path().join("plain");
        File::create(&plain).unwrap();
        assert_eq!(
            fs::metadata(&fresh).unwrap().permissions().mode() & 0o777,
            fs::metadata(&plain).unwrap().permissions().mode() & 0o777
        );
    }
}
