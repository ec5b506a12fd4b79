//! Bounded reading: a file (or a byte slice) read piece by piece, never past what its
//! format says it holds.
//!
//! A path may name anything: a fifo, a device such as `/dev/zero`, a sparse file of a
//! terabyte. Readers take what the header implies (or what the memory guard allows) and
//! refuse the rest, instead of reading until memory runs out.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use crate::error::{Error, Problem};

/// Why a read failed: the input could not be read, or it is not valid.
#[derive(Debug)]
pub(crate) enum Fail {
    /// Reading failed.
    Io(io::Error),
    /// The bytes read are not valid.
    Problem(Problem),
}

impl Fail {
    /// Attaches the file.
    pub(crate) fn at(self, path: &Path) -> Error {
        match self {
            Fail::Io(e) => Error::io(path, e),
            Fail::Problem(p) => p.at(path),
        }
    }

    /// The problem, for input already in memory (where reading cannot fail).
    pub(crate) fn into_problem(self) -> Problem {
        match self {
            Fail::Io(e) => Problem::new(format!("cannot read: {e}")),
            Fail::Problem(p) => p,
        }
    }
}

impl From<io::Error> for Fail {
    fn from(e: io::Error) -> Self {
        Fail::Io(e)
    }
}

impl From<Problem> for Fail {
    fn from(p: Problem) -> Self {
        Fail::Problem(p)
    }
}

/// What the bytes declare, refused by the library (e.g. more than memory holds): a
/// problem of the file.
impl From<hopfield::Error> for Fail {
    fn from(e: hopfield::Error) -> Self {
        Fail::Problem(Problem::new(e.to_string()))
    }
}

/// An input read piece by piece, with its length when the file system knows it (a
/// regular file or a byte slice; not a fifo or a device).
#[derive(Debug)]
pub(crate) struct Source<R> {
    reader: R,
    len: Option<u64>,
    consumed: u64,
    peeked: Option<u8>,
}

impl Source<File> {
    /// Opens `path`; its length counts only for a regular file.
    pub(crate) fn open(path: &Path) -> Result<Source<File>, Error> {
        let file = File::open(path).map_err(|e| Error::io(path, e))?;
        let meta = file.metadata().map_err(|e| Error::io(path, e))?;
        if meta.is_dir() {
            return Err(Error::format(path, "is a folder, not a file"));
        }
        let len = meta.is_file().then_some(meta.len());
        Ok(Source::new(file, len))
    }
}

impl<'a> Source<&'a [u8]> {
    /// A byte slice as an input.
    pub(crate) fn bytes(bytes: &'a [u8]) -> Source<&'a [u8]> {
        Source::new(bytes, Some(bytes.len() as u64))
    }
}

impl<R: Read> Source<R> {
    /// `reader` as an input of `len` bytes, when known.
    pub(crate) fn new(reader: R, len: Option<u64>) -> Source<R> {
        Source {
            reader,
            len,
            consumed: 0,
            peeked: None,
        }
    }

    /// Bytes left to read, when the length is known.
    pub(crate) fn remaining(&self) -> Option<u64> {
        self.len.map(|l| l.saturating_sub(self.consumed))
    }

    /// Up to `n` more bytes: fewer only at the end of the input.
    ///
    /// The caller bounds `n` (by a format's limit or the memory guard) before asking.
    pub(crate) fn take(&mut self, n: u64) -> io::Result<Vec<u8>> {
        // What a file holds is known (and checked by the caller against memory); a pipe's
        // is not, so its buffer grows as bytes come.
        let capacity = self.remaining().map_or(n.min(1 << 26), |r| r.min(n));
        let mut out = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
        let mut want = n;
        if want > 0
            && let Some(b) = self.peeked.take()
        {
            out.push(b);
            want -= 1;
        }
        (&mut self.reader).take(want).read_to_end(&mut out)?;
        self.consumed += out.len() as u64;
        Ok(out)
    }

    /// Whether the input has no byte left (reads one ahead when it cannot tell).
    pub(crate) fn at_end(&mut self) -> io::Result<bool> {
        if self.peeked.is_some() {
            return Ok(false);
        }
        let mut one = [0u8; 1];
        loop {
            match self.reader.read(&mut one) {
                Ok(0) => return Ok(true),
                Ok(_) => {
                    self.peeked = Some(one[0]);
                    return Ok(false);
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// The rest of the input, refused when it is longer than `max` bytes or when holding
    /// it (`per_byte` bytes of memory per byte read, for what parsing it builds) would not
    /// fit in memory. Reading stops early after a piece for which `stop` says the input
    /// is invalid anyway (the parser then names the problem).
    pub(crate) fn take_all(
        &mut self,
        what: &str,
        max: u64,
        per_byte: u64,
        stop: impl Fn(&[u8]) -> bool,
    ) -> Result<Vec<u8>, Fail> {
        const PIECE: u64 = 1 << 24;
        let too_long = |len: String| {
            Problem::new(format!(
                "{what} is {len} bytes long, more than the {max} this reader accepts"
            ))
        };
        let guard = |len: u64| {
            hopfield::guard::check(
                &format!("reading {what} ({len} bytes)"),
                len.saturating_mul(per_byte),
                "is this the right file?",
            )
        };
        if let Some(rest) = self.remaining() {
            if rest > max {
                return Err(too_long(rest.to_string()).into());
            }
            guard(rest)?;
        }
        let mut out = Vec::new();
        loop {
            let want = PIECE.min(max.saturating_add(1).saturating_sub(out.len() as u64));
            let piece = self.take(want)?;
            let done = (piece.len() as u64) < want || stop(&piece);
            out.extend_from_slice(&piece);
            if out.len() as u64 > max {
                return Err(too_long(format!("more than {max}")).into());
            }
            if done {
                return Ok(out);
            }
            guard(out.len() as u64 + PIECE)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_no_more_than_asked_and_knows_the_end() {
        let data = [1u8, 2, 3, 4, 5];
        let mut s = Source::bytes(&data);
        assert_eq!(s.take(2).unwrap(), [1, 2]);
        assert_eq!(s.remaining(), Some(3));
        assert!(!s.at_end().unwrap());
        assert_eq!(s.take(2).unwrap(), [3, 4]);
        assert_eq!(s.consumed, 4);
        assert_eq!(s.take(10).unwrap(), [5]);
        assert!(s.at_end().unwrap());
        assert!(s.take(10).unwrap().is_empty());
    }

    #[test]
    fn an_endless_input_is_read_only_as_far_as_asked() {
        let mut s = Source::new(io::repeat(0), None);
        assert_eq!(s.take(1000).unwrap().len(), 1000);
        assert!(!s.at_end().unwrap());
        assert_eq!(s.take(3).unwrap(), [0, 0, 0]);
        assert_eq!(s.consumed, 1003);
        // The rest of an endless input is refused at the cap.
        let e = s.take_all("the stream", 100_000, 1, |_| false).unwrap_err();
        assert!(
            e.into_problem()
                .to_string()
                .contains("the stream is more than 100000 bytes long"),
        );
        // ... unless a piece shows it is invalid: reading stops there.
        let mut s = Source::new(io::repeat(0), None);
        let got = s
            .take_all("the stream", u64::MAX, 1, |p| p.contains(&0))
            .unwrap();
        assert_eq!(got.len(), 1 << 24);
    }
}
