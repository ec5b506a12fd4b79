//! Reading and writing patterns and states: `.npy`, PNG and text grids.
//!
//! The format follows the file's extension:
//!
//! | extension | reads | writes |
//! |---|---|---|
//! | `.npy` | int8…int64, uint, float32/64, bool; ±1 or 0/1 (0 = unknown in cues); shape (N,), (P, N), (H, W) or (P, H, W) | int8 ±1, same shape |
//! | `.png` | one pattern; dark pixels (luminance < 128) are on | one pattern, 8-bit grey: black on, white off |
//! | `.hfn` (any name, with [`read_network`]) | a saved network (safetensors, see [`network`]) | the same |
//! | `.txt` | grids of `#`/`.` (or `1`/`0`, `?` unknown), patterns separated by a blank line | the same |
//!
//! A 2-D `.npy` array is read as P patterns of N neurons, unless a display shape equal to
//! its two dimensions is given (then it is one H × W pattern); cues are matched against the
//! network's N, so an (H, W) cue with H·W = N is read as one 2-D cue.
//!
//! Every error names the file and what is wrong, e.g.
//! `letters.npy: pattern 2, neuron 7: value 2 is not ±1`; text from a file is echoed with
//! its control characters escaped and cut to [`hopfield::EXCERPT_CHARS`] characters.
//!
//! Reads are bounded: a `.npy` or saved network is read up to the size its header
//! declares and refused if more follows; a PNG or text grid up to a fixed cap and what
//! memory holds. A pipe or a device such as `/dev/zero` is read no further than that,
//! never until memory runs out.
//!
//! Writes are atomic: the data goes to a temporary file with an unpredictable name in the
//! same folder (created exclusively, never through a link), is synced, takes the
//! permissions of the file it replaces, then is renamed, so an interrupted or failed write
//! never leaves a partial file under the final name. See [`atomic_write`] and
//! [`remove_temporary_files`].
//!
//! ```
//! use hopfield::{generate, Shape};
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("letters.npy");
//! let letters = generate::page::letters();
//! hopfield_io::write_patterns(&path, &letters)?;
//! let back = hopfield_io::read_patterns(&path, None, Default::default())?;
//! assert_eq!(back, letters);
//! assert_eq!(back.shape(), Some(Shape::new(5, 5)));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

#![deny(missing_docs)]
#![deny(missing_debug_implementations)]

mod array;
mod error;
pub mod grid;
pub mod image;
pub mod network;
pub mod npy;
mod source;
mod write;

use std::path::Path;

use hopfield::pattern::{bipolar_cue, bipolar_pattern};
use hopfield::{Encoding, Patterns, Shape};

pub use array::{Array, Dtype};
pub use error::{Error, ErrorKind, Problem};
pub use network::{read_memory, read_network, write_memory, write_network};
pub use write::{atomic_write, atomic_write_with, remove_temporary_files};

use source::Source;

/// The file formats, chosen by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// NumPy `.npy`.
    Npy,
    /// PNG image.
    Png,
    /// Text grid `.txt`.
    Txt,
}

impl Format {
    /// The format of `path` from its extension (case-insensitive).
    pub fn of(path: &Path) -> Result<Format, Error> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("npy") => Ok(Format::Npy),
            Some("png") => Ok(Format::Png),
            Some("txt") => Ok(Format::Txt),
            _ => Err(Error::format(
                path,
                "unknown file type; use a .npy, .png or .txt file",
            )),
        }
    }
}

/// Reads a file as a numeric array.
pub fn read_array(path: &Path) -> Result<Array, Error> {
    let format = Format::of(path)?;
    let mut src = Source::open(path)?;
    if src.at_end().map_err(|e| Error::io(path, e))? {
        return Err(Error::format(path, "file is empty"));
    }
    match format {
        Format::Npy => npy::read(&mut src),
        Format::Png => image::read(&mut src),
        Format::Txt => grid::read(&mut src),
    }
    .map_err(|f| f.at(path))
}

/// Reads a text file (e.g. JSON) whole, refused when it is longer than `max` bytes or
/// would not fit in memory `per_byte` times over (for what parsing it builds).
pub fn read_text(path: &Path, max: u64, per_byte: u64) -> Result<String, Error> {
    let mut src = Source::open(path)?;
    let bytes = src
        .take_all("the file", max, per_byte, |_| false)
        .map_err(|f| f.at(path))?;
    String::from_utf8(bytes).map_err(|e| {
        Error::format(
            path,
            format!(
                "is not UTF-8 text (invalid byte at {})",
                e.utf8_error().valid_up_to()
            ),
        )
    })
}

/// States read from a file: `count` items of `n` neurons and the file's layout.
#[derive(Debug, Clone, PartialEq)]
pub struct Layout {
    /// Number of patterns or cues.
    pub count: usize,
    /// Neurons per item.
    pub n: usize,
    /// Display shape, when the file has one.
    pub shape: Option<Shape>,
    /// The array's dimensions (to write results in the same shape).
    pub dims: Vec<usize>,
}

impl Layout {
    /// Interprets `dims`. `shape` is the display shape the user gave; `n` the number of
    /// neurons expected (for cues).
    fn of(dims: &[usize], shape: Option<Shape>, n: Option<usize>) -> Result<Layout, String> {
        let whole = |count: usize, per: usize, shape: Option<Shape>| Layout {
            count,
            n: per,
            shape,
            dims: dims.to_vec(),
        };
        let layout = match *dims {
            [len] => whole(1, len, shape.filter(|s| s.len() == len)),
            [a, b] => {
                let len = a
                    .checked_mul(b)
                    .ok_or_else(|| format!("shape {dims:?} is too large"))?;
                if shape == Some(Shape::new(a, b)) {
                    whole(1, len, shape)
                } else if let Some(n) = n.filter(|&n| n != b && len == n) {
                    whole(1, n, Some(Shape::new(a, b)))
                } else {
                    whole(a, b, shape.filter(|s| s.len() == b))
                }
            }
            [p, h, w] => {
                let s = Shape::try_new(h, w).map_err(|e| e.to_string())?;
                whole(p, s.len(), Some(s))
            }
            _ => return Err(format!("array has {} dimensions", dims.len())),
        };
        if let Some(s) = shape
            && layout.shape.is_some_and(|l| l.len() == s.len() && l != s)
        {
            // A given shape of the same size overrides the file's (e.g. 1×100 as 10×10).
            return Ok(Layout {
                shape: Some(s),
                ..layout
            });
        }
        Ok(layout)
    }
}

fn encoding_for(path: &Path, array: &Array, encoding: Encoding) -> Encoding {
    // Images and text grids are always bipolar (their "0" is an unknown cell).
    if Format::of(path).is_ok_and(|f| f != Format::Npy) {
        return Encoding::Bipolar;
    }
    match encoding {
        Encoding::Auto => {
            let mut has_zero = false;
            let binary = array.all(|v| {
                has_zero |= v == 0.0;
                v == 0.0 || v == 1.0
            });
            if binary && has_zero {
                Encoding::Binary
            } else {
                Encoding::Bipolar
            }
        }
        e => e,
    }
}

/// Reads stored patterns (values ±1, or 0/1 with S = 2V − 1).
///
/// `shape` is a display shape for files that do not carry one (1-D and 2-D `.npy`).
pub fn read_patterns(
    path: &Path,
    shape: Option<Shape>,
    encoding: Encoding,
) -> Result<Patterns, Error> {
    if let Some(patterns) = streamed_patterns(path, shape, encoding) {
        return Ok(patterns);
    }
    let array = read_array(path)?;
    let layout = Layout::of(array.dims(), shape, None).map_err(|m| Error::format(path, m))?;
    if let Some(s) = shape
        && layout.n != s.len()
    {
        return Err(Error::data(
            path,
            hopfield::Error::Shape {
                what: "each pattern of the file".into(),
                rows: s.rows,
                cols: s.cols,
                n: layout.n,
            },
        ));
    }
    let encoding = encoding_for(path, &array, encoding);
    let mut buf = vec![0.0; layout.n];
    let mut data = Vec::with_capacity(layout.count * layout.n);
    for mu in 0..layout.count {
        array.read(mu * layout.n, &mut buf);
        let p = bipolar_pattern(&format!("pattern {mu}"), &buf, encoding)
            .map_err(|e| Error::data(path, e))?;
        data.extend_from_slice(&p);
    }
    Patterns::new(layout.n, data)
        .and_then(|p| p.with_optional_shape(layout.shape))
        .map_err(|e| Error::data(path, e))
}

/// The patterns of a `.npy` file of bytes (`int8`, `uint8`, `bool`) in C order, read
/// pattern by pattern into bits, without holding the file's bytes or a value per element:
/// `None` for other files, and whenever something in the file is not as patterns need
/// (then [`read_patterns`] reads the whole file and says what).
fn streamed_patterns(path: &Path, shape: Option<Shape>, encoding: Encoding) -> Option<Patterns> {
    if Format::of(path).ok()? != Format::Npy {
        return None;
    }
    let mut src = Source::open(path).ok()?;
    let d = npy::declared(&mut src).ok()?;
    // The values of a row's bytes, as the element type says.
    let values = match d.dtype {
        Dtype::Bool => |bytes: &[u8]| bytes.iter().map(|&b| i8::from(b != 0)).collect(),
        Dtype::Int { size: 1, .. } => |bytes: &[u8]| bytes.iter().map(|&b| b as i8).collect(),
        Dtype::Uint { size: 1, .. } => {
            |bytes: &[u8]| bytes.iter().map(|&b| b.min(127) as i8).collect::<Vec<i8>>()
        }
        _ => return None,
    };
    let layout = Layout::of(&d.shape, shape, None).ok()?;
    if (d.fortran_order && d.shape.len() > 1) || shape.is_some_and(|s| layout.n != s.len()) {
        return None;
    }
    // Which values the file holds: −1, 0, and any other than −1, 0, 1. A neuron is on
    // where its value is 1, in either encoding.
    let (mut minus, mut zero, mut other, mut read) = (false, false, false, 0);
    let rows = std::iter::from_fn(|| {
        let bytes = (read < layout.count).then(|| src.take(layout.n as u64).ok())??;
        if bytes.len() < layout.n {
            return None;
        }
        read += 1;
        let mut row: Vec<i8> = values(&bytes);
        let seen = row.iter().fold(0u8, |seen, &v| {
            seen | u8::from(v == -1)
                | (u8::from(v == 0) << 1)
                | (u8::from(!(-1..=1).contains(&v)) << 2)
        });
        (minus, zero, other) = (
            minus || seen & 1 != 0,
            zero || seen & 2 != 0,
            other || seen & 4 != 0,
        );
        row.iter_mut()
            .for_each(|v| *v = if *v > 0 { 1 } else { -1 });
        Some(row)
    });
    let patterns = Patterns::from_rows(rows).ok()?;
    let fits = match encoding {
        Encoding::Bipolar => !zero,
        Encoding::Binary => !minus,
        Encoding::Auto => !(zero && minus),
    };
    if read != layout.count || other || !fits || !src.at_end().ok()? {
        return None;
    }
    patterns.with_optional_shape(layout.shape).ok()
}

/// Cues read from a file, with the layout to write results in.
#[derive(Debug, Clone, PartialEq)]
pub struct Cues {
    /// The cues, each of `n` values in −1, 0, 1.
    pub states: Vec<Vec<i8>>,
    /// How the file laid them out.
    pub layout: Layout,
}

/// Reads one cue or a batch of cues for a network of `n` neurons.
///
/// Values are ±1 with 0 for unknown, or 0/1 (binary) with [`Encoding::Binary`] or when
/// [`Encoding::Auto`] finds only 0 and 1.
pub fn read_cues(
    path: &Path,
    n: usize,
    shape: Option<Shape>,
    encoding: Encoding,
) -> Result<Cues, Error> {
    let array = read_array(path)?;
    let layout = Layout::of(array.dims(), shape, Some(n)).map_err(|m| Error::format(path, m))?;
    if layout.n != n {
        let item = if layout.count == 1 { "cue" } else { "each cue" };
        return Err(Error::format(
            path,
            format!(
                "{item} has {} values but the network has {n} neurons (file shape {:?})",
                layout.n,
                array.dims()
            ),
        ));
    }
    let encoding = encoding_for(path, &array, encoding);
    let mut buf = vec![0.0; n];
    let mut states = Vec::with_capacity(layout.count);
    for k in 0..layout.count {
        array.read(k * n, &mut buf);
        let item = if layout.count == 1 {
            "cue".to_string()
        } else {
            format!("cue {k}")
        };
        states.push(bipolar_cue(&item, &buf, encoding).map_err(|e| Error::data(path, e))?);
    }
    Ok(Cues { states, layout })
}

/// Writes `states` (flat, every value −1, 0 or 1) in the format of the file's extension,
/// laid out as `layout`: `.npy` keeps `layout.dims`; `.txt` writes `count` grids of the
/// display shape (one line each without a shape); `.png` needs exactly one 2-D state.
pub fn write_states(path: &Path, states: &[i8], layout: &Layout) -> Result<(), Error> {
    let format = Format::of(path)?;
    let (count, n) = (layout.count, layout.n);
    let fits = count.checked_mul(n) == Some(states.len())
        && layout
            .dims
            .iter()
            .try_fold(1usize, |a, &d| a.checked_mul(d))
            == Some(states.len());
    if !fits || layout.dims.is_empty() || layout.dims.len() > 3 {
        return Err(Error::format(
            path,
            format!(
                "cannot lay out {} values as {:?}",
                states.len(),
                layout.dims
            ),
        ));
    }
    match format {
        Format::Npy => {
            let header = npy::header_i8(&layout.dims);
            atomic_write_with(path, |w| {
                w.write_all(&header)?;
                let mut buf = vec![0u8; 1 << 16];
                for chunk in states.chunks(buf.len()) {
                    for (b, &v) in buf.iter_mut().zip(chunk) {
                        *b = v as u8;
                    }
                    w.write_all(&buf[..chunk.len()])?;
                }
                Ok(())
            })
        }
        Format::Png => {
            let Some(shape) = layout.shape else {
                return Err(Error::format(
                    path,
                    "a PNG needs a 2-D shape; give one with --size HxW or write .npy/.txt",
                ));
            };
            if count != 1 {
                return Err(Error::format(
                    path,
                    format!(
                        "a PNG holds one pattern but there are {count}; write a .npy or .txt file instead"
                    ),
                ));
            }
            if shape.rows > u32::MAX as usize || shape.cols > u32::MAX as usize {
                return Err(Error::format(
                    path,
                    format!("a PNG is at most {0}x{0} pixels, not {shape}", u32::MAX),
                ));
            }
            let bytes = image::encode(states, shape.rows, shape.cols).map_err(|p| p.at(path))?;
            atomic_write(path, &bytes)
        }
        Format::Txt => {
            let cols = layout.shape.map_or(n, |s| s.cols);
            atomic_write_with(path, |w| grid::write(w, states, n, cols))
        }
    }
}

/// Writes a pattern set: (P, H, W) when it has a shape, (P, N) otherwise.
pub fn write_patterns(path: &Path, patterns: &Patterns) -> Result<(), Error> {
    write_states(path, patterns.as_flat(), &Layout::of_patterns(patterns))
}

impl Layout {
    /// The layout of a pattern set: (P, H, W) with a shape, (P, N) without.
    pub fn of_patterns(patterns: &Patterns) -> Layout {
        Layout::new(patterns.len(), patterns.n(), patterns.shape())
    }

    /// `count` items of `n` neurons with an optional display shape: dims (count, H, W)
    /// with a shape, (count, N) without.
    pub fn new(count: usize, n: usize, shape: Option<Shape>) -> Layout {
        let dims = match shape {
            Some(s) => vec![count, s.rows, s.cols],
            None => vec![count, n],
        };
        Layout {
            count,
            n,
            shape,
            dims,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A `.npy` file of `descr` and `shape` holding `data`, in C order.
    fn npy(path: &Path, descr: &str, shape: &str, data: &[u8]) {
        std::fs::write(path, npy::npy(descr, shape, false, data)).unwrap();
    }

    /// Files of bytes are read pattern by pattern into bits, with the patterns, shapes and
    /// encodings of the whole-file reading; anything else is left to it, which refuses
    /// what it refused before.
    #[test]
    fn byte_files_stream_into_the_same_patterns() {
        let dir = tempfile::tempdir().unwrap();
        let (p, h, w) = (3, 7, 10);
        let values: Vec<i8> = (0..p * h * w)
            .map(|k| if (k * 7 + k / 3) % 5 < 2 { 1 } else { -1 })
            .collect();
        let expected = Patterns::new(h * w, values.clone()).unwrap();
        let signed: Vec<u8> = values.iter().map(|&v| v as u8).collect();
        let ones: Vec<u8> = values.iter().map(|&v| u8::from(v > 0)).collect();
        let floats: Vec<u8> = values
            .iter()
            .flat_map(|&v| f64::from(v).to_le_bytes())
            .collect();
        let cases = [
            ("i1.npy", "|i1", &signed, true),
            ("i1_01.npy", "|i1", &ones, true),
            ("u1_01.npy", "|u1", &ones, true),
            ("b1.npy", "|b1", &ones, true),
            ("f8.npy", "<f8", &floats, false),
        ];
        for (name, descr, data, streamed) in cases {
            let f = dir.path().join(name);
            npy(&f, descr, &format!("({p}, {})", h * w), data);
            let read = read_patterns(&f, None, Encoding::Auto).unwrap();
            assert_eq!(read, expected, "{name}");
            assert_eq!(
                streamed_patterns(&f, None, Encoding::Auto).is_some(),
                streamed,
                "{name}"
            );
            let shaped = read_patterns(&f, Some(Shape::new(h, w)), Encoding::Auto).unwrap();
            assert_eq!(shaped.shape(), Some(Shape::new(h, w)), "{name}");
            npy(&f, descr, &format!("({p}, {h}, {w})"), data);
            let three = read_patterns(&f, None, Encoding::Auto).unwrap();
            assert_eq!((three.len(), three.shape()), (p, Some(Shape::new(h, w))));
        }
        // 0/1 bytes read as bipolar hold a 0, ±1 bytes read as binary a −1, a 2 is neither:
        // the whole-file reading names the pattern.
        let f = dir.path().join("bad.npy");
        let mut two = signed.clone();
        two[h * w + 4] = 2;
        for (data, encoding, pattern) in [
            (&ones, Encoding::Bipolar, "pattern 0"),
            (&signed, Encoding::Binary, "pattern 0"),
            (&two, Encoding::Auto, "pattern 1"),
        ] {
            npy(&f, "|i1", &format!("({p}, {})", h * w), data);
            assert!(streamed_patterns(&f, None, encoding).is_none());
            let e = read_patterns(&f, None, encoding).unwrap_err().to_string();
            assert!(e.contains("bad.npy") && e.contains(pattern), "{e}");
        }
        // A file shorter than its header says.
        npy(&f, "|i1", &format!("({p}, {})", h * w), &signed[..50]);
        assert!(streamed_patterns(&f, None, Encoding::Auto).is_none());
        let e = read_patterns(&f, None, Encoding::Auto)
            .unwrap_err()
            .to_string();
        assert!(e.contains("truncated data"), "{e}");
    }

    #[test]
    fn layouts() {
        let l = Layout::of(&[3, 25], None, None).unwrap();
        assert_eq!((l.count, l.n, l.shape), (3, 25, None));
        let l = Layout::of(&[3, 25], Some(Shape::new(5, 5)), None).unwrap();
        assert_eq!((l.count, l.n, l.shape), (3, 25, Some(Shape::new(5, 5))));
        let l = Layout::of(&[100, 100], Some(Shape::new(100, 100)), None).unwrap();
        assert_eq!((l.count, l.n), (1, 10_000));
        let l = Layout::of(&[100, 100], None, Some(10_000)).unwrap();
        assert_eq!(
            (l.count, l.n, l.shape),
            (1, 10_000, Some(Shape::new(100, 100)))
        );
        let l = Layout::of(&[4, 5, 5], None, None).unwrap();
        assert_eq!((l.count, l.n, l.shape), (4, 25, Some(Shape::new(5, 5))));
        let l = Layout::of(&[1, 1, 100], Some(Shape::new(10, 10)), None).unwrap();
        assert_eq!(l.shape, Some(Shape::new(10, 10)));
    }
}
