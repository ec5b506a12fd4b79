//! NumPy's `.npy` format, versions 1.0, 2.0 and 3.0.
//!
//! Reads any C- or Fortran-ordered array of integers, unsigned integers, floats or booleans
//! (either byte order) with 1 to 3 dimensions; writes `int8` arrays in C order (version 1.0).

use std::io::Read;

use hopfield::excerpt;

use crate::array::{Array, Dtype};
use crate::error::Problem;
use crate::source::{Fail, Source};

const MAGIC: &[u8] = b"\x93NUMPY";

/// The longest header read, in bytes. NumPy writes a few dozen bytes (and reads at most
/// 10 000 by default); a longer one is refused before it is read.
pub const MAX_HEADER: usize = 1 << 20;

/// Parses a whole `.npy` file.
pub fn parse(bytes: &[u8]) -> Result<Array, Problem> {
    read(&mut Source::bytes(bytes)).map_err(Fail::into_problem)
}

/// Reads a `.npy` array from `src`, taking no more bytes than its header declares (and
/// one more, to refuse trailing data).
pub(crate) fn read<R: Read>(src: &mut Source<R>) -> Result<Array, Fail> {
    let d = declared(src)?;
    let mut raw = src.take(d.needed as u64)?;
    if raw.len() < d.needed {
        return Err(d.size_error(raw.len().to_string(), true).into());
    }
    if !src.at_end()? {
        return Err(d
            .size_error(format!("more than {}", d.needed), false)
            .into());
    }
    if d.fortran_order && d.shape.len() > 1 {
        raw = fortran_to_c(&raw, &d.shape, d.dtype.size());
    }
    Ok(Array::raw(d.shape, d.dtype, raw))
}

/// What the header of a `.npy` array declares, checked against the memory guard and, where
/// the input's length is known, against the bytes that follow it.
pub(crate) struct Declared {
    /// The array's dimensions.
    pub(crate) shape: Vec<usize>,
    /// The element type.
    pub(crate) dtype: Dtype,
    /// The type as the header writes it.
    descr: String,
    /// Whether the elements are in Fortran (column-major) order.
    pub(crate) fortran_order: bool,
    /// The bytes of the data.
    pub(crate) needed: usize,
}

impl Declared {
    /// The refusal of data of the wrong size: the input holds `holds` bytes.
    fn size_error(&self, holds: String, short: bool) -> Problem {
        Problem::new(format!(
            "{} data: the header declares shape {} of {} ({} bytes), the file holds {holds} bytes",
            if short {
                "truncated"
            } else {
                "trailing bytes after the"
            },
            excerpt(&format!("{:?}", self.shape)),
            excerpt(&self.descr),
            self.needed,
        ))
    }
}

/// Reads the header of a `.npy` array from `src`, which is left at the first byte of the
/// data.
pub(crate) fn declared<R: Read>(src: &mut Source<R>) -> Result<Declared, Fail> {
    let mut pre = src.take(10)?;
    if pre.len() < 10 || &pre[..6] != MAGIC {
        return Err(Problem::new("not a .npy file (it does not start with \\x93NUMPY)").into());
    }
    let (major, minor) = (pre[6], pre[7]);
    let header_len: usize = match major {
        1 => usize::from(u16::from_le_bytes([pre[8], pre[9]])),
        2 | 3 => {
            pre.extend(src.take(2)?);
            if pre.len() < 12 {
                return Err(Problem::new("truncated .npy header").into());
            }
            let l = u32::from_le_bytes([pre[8], pre[9], pre[10], pre[11]]);
            usize::try_from(l).unwrap_or(usize::MAX)
        }
        _ => {
            return Err(Problem::new(format!(
                ".npy format version {major}.{minor} is not supported (1.0, 2.0 and 3.0 are)"
            ))
            .into());
        }
    };
    let truncated = |has: u64| {
        Problem::new(format!(
            "truncated .npy header: it declares {header_len} bytes, the file has {has} after the preamble"
        ))
    };
    if let Some(rest) = src.remaining()
        && header_len as u64 > rest
    {
        return Err(truncated(rest).into());
    }
    if header_len > MAX_HEADER {
        return Err(Problem::new(format!(
            ".npy header declares {header_len} bytes, more than the {MAX_HEADER} this reader \
             accepts"
        ))
        .into());
    }
    let header = src.take(header_len as u64)?;
    if header.len() < header_len {
        return Err(truncated(header.len() as u64).into());
    }
    let header =
        std::str::from_utf8(&header).map_err(|_| Problem::new(".npy header is not text"))?;
    let header = Header::parse(header)?;
    let dtype = Dtype::from_descr(&header.descr)?;
    let shape_text = || excerpt(&format!("{:?}", header.shape));
    if header.shape.is_empty() || header.shape.len() > 3 {
        return Err(Problem::new(format!(
            "array has {} dimensions {}; expected (N,), (P, N), (H, W) or (P, H, W)",
            header.shape.len(),
            shape_text()
        ))
        .into());
    }
    // What reading the array will hold: its bytes, and a value per element for patterns.
    hopfield::guard::check(
        &format!(
            "the array of shape {} ({})",
            shape_text(),
            excerpt(&header.descr)
        ),
        hopfield::guard::product(&header.shape, dtype.size() + 8),
        "is the header's shape right?",
    )?;
    let needed = header
        .shape
        .iter()
        .try_fold(dtype.size(), |acc, &d| acc.checked_mul(d))
        .ok_or_else(|| Problem::new(format!("shape {} is too large", shape_text())))?;
    if needed == 0 {
        return Err(Problem::new(format!("array is empty (shape {})", shape_text())).into());
    }
    let d = Declared {
        shape: header.shape,
        dtype,
        descr: header.descr,
        fortran_order: header.fortran_order,
        needed,
    };
    if let Some(rest) = src.remaining()
        && rest != needed as u64
    {
        return Err(d.size_error(rest.to_string(), rest < needed as u64).into());
    }
    Ok(d)
}

fn fortran_to_c(raw: &[u8], dims: &[usize], size: usize) -> Vec<u8> {
    let count = raw.len() / size;
    let mut out = vec![0u8; raw.len()];
    let mut idx = vec![0usize; dims.len()];
    for c in 0..count {
        // C index → multi-index → Fortran offset.
        let mut rem = c;
        for (k, &d) in dims.iter().enumerate().rev() {
            idx[k] = rem % d;
            rem /= d;
        }
        let mut f = 0;
        let mut stride = 1;
        for (k, &d) in dims.iter().enumerate() {
            f += idx[k] * stride;
            stride *= d;
        }
        out[c * size..(c + 1) * size].copy_from_slice(&raw[f * size..(f + 1) * size]);
    }
    out
}

struct Header {
    descr: String,
    fortran_order: bool,
    shape: Vec<usize>,
}

impl Header {
    /// Parses the Python dict literal of the header, e.g.
    /// `{'descr': '<i8', 'fortran_order': False, 'shape': (3, 4), }`.
    fn parse(text: &str) -> Result<Header, Problem> {
        let bad = |what: &str| Problem::new(format!(".npy header is malformed: {what}"));
        let mut descr = None;
        let mut fortran = None;
        let mut shape = None;
        let body = text
            .trim()
            .strip_prefix('{')
            .and_then(|t| t.trim_end().strip_suffix('}'))
            .ok_or_else(|| bad("expected a {...} dictionary"))?;
        let mut rest = body;
        loop {
            rest = rest.trim_start();
            if rest.is_empty() {
                break;
            }
            let (key, after) = quoted(rest).ok_or_else(|| bad("expected a quoted key"))?;
            rest = after
                .trim_start()
                .strip_prefix(':')
                .ok_or_else(|| bad("expected ':' after a key"))?
                .trim_start();
            match key {
                "descr" => {
                    let (v, after) = quoted(rest).ok_or_else(|| bad("descr must be a string"))?;
                    descr = Some(v.to_string());
                    rest = after;
                }
                "fortran_order" => {
                    if let Some(a) = rest.strip_prefix("True") {
                        fortran = Some(true);
                        rest = a;
                    } else if let Some(a) = rest.strip_prefix("False") {
                        fortran = Some(false);
                        rest = a;
                    } else {
                        return Err(bad("fortran_order must be True or False"));
                    }
                }
                "shape" => {
                    let inner = rest
                        .strip_prefix('(')
                        .ok_or_else(|| bad("shape must be a tuple"))?;
                    let close = inner.find(')').ok_or_else(|| bad("unclosed shape tuple"))?;
                    let dims = inner[..close]
                        .split(',')
                        .map(str::trim)
                        .filter(|s| !s.is_empty())
                        .map(|s| {
                            s.trim_end_matches('L').parse::<usize>().map_err(|_| {
                                bad(&format!("shape entry \"{}\" is not a size", excerpt(s)))
                            })
                        })
                        .collect::<Result<Vec<_>, _>>()?;
                    shape = Some(dims);
                    rest = &inner[close + 1..];
                }
                other => return Err(bad(&format!("unknown key \"{}\"", excerpt(other)))),
            }
            rest = rest.trim_start();
            if let Some(a) = rest.strip_prefix(',') {
                rest = a;
            } else if !rest.is_empty() {
                return Err(bad("expected ',' between entries"));
            }
        }
        Ok(Header {
            descr: descr.ok_or_else(|| bad("no 'descr' entry"))?,
            fortran_order: fortran.ok_or_else(|| bad("no 'fortran_order' entry"))?,
            shape: shape.ok_or_else(|| bad("no 'shape' entry"))?,
        })
    }
}

/// A quoted Python string at the start of `s`, and the rest after it.
fn quoted(s: &str) -> Option<(&str, &str)> {
    let q = s.chars().next().filter(|&c| c == '\'' || c == '"')?;
    let inner = &s[1..];
    let end = inner.find(q)?;
    Some((&inner[..end], &inner[end + 1..]))
}

/// Encodes an `int8` array of shape `dims` (C order) as a version 1.0 `.npy` file.
pub fn encode_i8(values: &[i8], dims: &[usize]) -> Vec<u8> {
    let mut out = header_i8(dims);
    out.reserve(values.len());
    out.extend(values.iter().map(|&v| v as u8));
    out
}

/// The magic string, version and header of an `int8` array of shape `dims` (C order),
/// padded so that the data starts on a 64-byte boundary: what precedes the values in
/// [`encode_i8`].
pub fn header_i8(dims: &[usize]) -> Vec<u8> {
    let shape = match dims {
        [d] => format!("({d},)"),
        _ => format!(
            "({})",
            dims.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    };
    let mut header = format!("{{'descr': '|i1', 'fortran_order': False, 'shape': {shape}, }}");
    let total = MAGIC.len() + 2 + 2 + header.len() + 1;
    header.push_str(&" ".repeat((64 - total % 64) % 64));
    header.push('\n');
    let mut out = Vec::with_capacity(10 + header.len());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&[1, 0]);
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    out
}

/// The bytes of a version 1.0 `.npy` file of `descr` and `shape` (a Python tuple), in
/// Fortran order when `fortran`, holding `data`: files of any element type for tests.
#[cfg(test)]
pub(crate) fn npy(descr: &str, shape: &str, fortran: bool, data: &[u8]) -> Vec<u8> {
    let header = format!(
        "{{'descr': '{descr}', 'fortran_order': {}, 'shape': {shape}, }}\n",
        if fortran { "True" } else { "False" }
    );
    let mut v = b"\x93NUMPY\x01\x00".to_vec();
    v.extend_from_slice(&(header.len() as u16).to_le_bytes());
    v.extend_from_slice(header.as_bytes());
    v.extend_from_slice(data);
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_int8() {
        let values = [1i8, -1, -1, 1, 1, -1];
        let bytes = encode_i8(&values, &[2, 3]);
        assert_eq!((bytes.len() - values.len()) % 64, 0);
        let a = parse(&bytes).unwrap();
        assert_eq!(a.dims(), &[2, 3]);
        assert_eq!(a.to_f64(), vec![1.0, -1.0, -1.0, 1.0, 1.0, -1.0]);
        let one = parse(&encode_i8(&[1, -1], &[2])).unwrap();
        assert_eq!(one.dims(), &[2]);
    }

    #[test]
    fn reads_every_numeric_dtype_and_order() {
        let data: Vec<u8> = [1i64, -1, 0].iter().flat_map(|v| v.to_le_bytes()).collect();
        assert_eq!(
            parse(&npy("<i8", "(3,)", false, &data)).unwrap().to_f64(),
            [1.0, -1.0, 0.0]
        );
        let data: Vec<u8> = [1i16, -1].iter().flat_map(|v| v.to_be_bytes()).collect();
        assert_eq!(
            parse(&npy(">i2", "(2,)", false, &data)).unwrap().to_f64(),
            [1.0, -1.0]
        );
        let data: Vec<u8> = [1f32, -1.0].iter().flat_map(|v| v.to_le_bytes()).collect();
        assert_eq!(
            parse(&npy("<f4", "(2,)", false, &data)).unwrap().to_f64(),
            [1.0, -1.0]
        );
        let data: Vec<u8> = [0.5f64].iter().flat_map(|v| v.to_le_bytes()).collect();
        assert_eq!(
            parse(&npy("<f8", "(1,)", false, &data)).unwrap().to_f64(),
            [0.5]
        );
        assert_eq!(
            parse(&npy("|b1", "(2,)", false, &[1, 0])).unwrap().to_f64(),
            [1.0, 0.0]
        );
        assert_eq!(
            parse(&npy("|u1", "(2,)", false, &[1, 0])).unwrap().to_f64(),
            [1.0, 0.0]
        );
        // Fortran order: column-major [[1, 2, 3], [4, 5, 6]] is stored 1 4 2 5 3 6.
        let a = parse(&npy("|i1", "(2, 3)", true, &[1, 4, 2, 5, 3, 6])).unwrap();
        assert_eq!(a.to_f64(), [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]);
    }

    #[test]
    fn an_endless_input_is_read_no_further_than_the_header_declares() {
        use std::io::{Cursor, repeat};
        // A valid array followed by endless zeros, as a fifo or a device gives.
        let good = encode_i8(&[1, -1, 1], &[3]);
        let mut src = Source::new(Cursor::new(good.clone()).chain(repeat(0)), None);
        let e = read(&mut src).unwrap_err().into_problem().to_string();
        assert!(
            e.starts_with("trailing bytes after the data")
                && e.ends_with("the file holds more than 3 bytes"),
            "{e}"
        );
        let mut src = Source::new(Cursor::new(good), None);
        assert_eq!(read(&mut src).unwrap().to_f64(), [1.0, -1.0, 1.0]);
        // A header longer than NumPy writes is refused before it is read.
        let mut v2 = b"\x93NUMPY\x02\x00".to_vec();
        v2.extend(u32::MAX.to_le_bytes());
        let mut src = Source::new(Cursor::new(v2).chain(repeat(b' ')), None);
        let e = read(&mut src).unwrap_err().into_problem().to_string();
        assert!(
            e.contains("declares 4294967295 bytes, more than the 1048576 this reader accepts"),
            "{e}"
        );
        // Control characters and long fields of the header are escaped and cut.
        let e = parse(&npy("\x1b[2J", "(1,)", false, &[1]))
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("dtype '\\u{1b}[2J' is not supported"), "{e}");
        let long = format!("({},)", "9".repeat(5000));
        let e = parse(&npy("|i1", &long, false, &[1]))
            .unwrap_err()
            .to_string();
        assert!(e.contains("… (5000 characters)\" is not a size"), "{e}");
        assert!(e.len() < 400, "{e}");
    }

    #[test]
    fn refuses_bad_files_with_the_reason() {
        let msg = |b: &[u8]| parse(b).unwrap_err().to_string();
        assert!(msg(b"hello world").contains("not a .npy file"));
        assert!(
            msg(&npy("<c16", "(1,)", false, &[0; 16])).contains("dtype '<c16' is not supported")
        );
        assert!(msg(&npy("|i1", "(3,)", false, &[1, 1])).contains("truncated data"));
        assert!(msg(&npy("|i1", "(1,)", false, &[1, 1])).contains("trailing bytes"));
        assert!(msg(&npy("|i1", "(0, 3)", false, &[])).contains("empty"));
        assert!(msg(&npy("|i1", "(1, 1, 1, 1)", false, &[1])).contains("4 dimensions"));
        assert!(msg(&npy("|i1", "()", false, &[1])).contains("0 dimensions"));
        let huge = npy("<f8", "(100000000000, 100000000000)", false, &[0; 8]);
        // Refused before allocating, with the figure (where the system tells what is free).
        if hopfield::guard::available().is_some() {
            let m = msg(&huge);
            assert!(
                m.contains("(<f8) needs more than 16.0 EiB but only "),
                "{m}"
            );
        }
        assert!(msg(&npy("|i1", "(a,)", false, &[1])).contains("not a size"));
        let mut cut = encode_i8(&[1, 1], &[2]);
        cut.truncate(20);
        assert!(msg(&cut).contains("truncated .npy header"));
        let mut v3 = encode_i8(&[1], &[1]);
        v3[6] = 9;
        assert!(msg(&v3).contains("version 9.0"));
    }
}
