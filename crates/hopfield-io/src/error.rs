//! Errors that name the file.

use std::fmt;
use std::path::{Path, PathBuf};

/// What is wrong with a file, before the path is attached.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem(String);

impl Problem {
    /// A problem described by `message`.
    pub fn new(message: impl Into<String>) -> Problem {
        Problem(message.into())
    }

    /// Attaches the file.
    pub fn at(self, path: &Path) -> Error {
        Error {
            path: path.to_path_buf(),
            kind: ErrorKind::Format(self.0),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The kind of an [`Error`].
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The file could not be read or written.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The file is not valid in its format (header, syntax, size).
    #[error("{0}")]
    Format(String),
    /// The file is well-formed but its values do not make patterns or cues.
    #[error("{0}")]
    Data(#[from] hopfield::Error),
}

/// An error reading or writing a file: the file, then what is wrong, on one line.
#[derive(Debug, thiserror::Error)]
#[error("{}: {kind}", path.display())]
pub struct Error {
    /// The file.
    pub path: PathBuf,
    /// What is wrong.
    pub kind: ErrorKind,
}

impl Error {
    pub(crate) fn io(path: &Path, e: std::io::Error) -> Error {
        Error {
            path: path.to_path_buf(),
            kind: ErrorKind::Io(e),
        }
    }

    pub(crate) fn data(path: &Path, e: hopfield::Error) -> Error {
        Error {
            path: path.to_path_buf(),
            kind: ErrorKind::Data(e),
        }
    }

    pub(crate) fn format(path: &Path, message: impl Into<String>) -> Error {
        Problem::new(message).at(path)
    }
}
