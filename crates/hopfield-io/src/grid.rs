//! Text grids: one row of cells per line, patterns separated by blank lines.
//!
//! ```text
//! ..#..
//! .#.#.
//! #####
//! #...#
//! #...#
//!
//! #...#
//! .#.#.
//! ..#..
//! .#.#.
//! #...#
//! ```
//!
//! `#` or `1` is on (+1), `.` or `0` is off (−1), `?` is unknown (0, in cues only).
//! Trailing spaces are ignored; every row of every pattern must have the same width and
//! every pattern the same number of rows.

use std::io::Read;

use crate::array::Array;
use crate::error::Problem;
use crate::source::{Fail, Source};

/// The largest text grid read, in bytes.
pub const MAX_BYTES: u64 = 1 << 34;

/// Whether `b` can appear in a valid grid file: a cell, ASCII white space, or a byte of a
/// longer UTF-8 character (trailing Unicode spaces are allowed).
fn may_appear(b: u8) -> bool {
    matches!(b, b'#' | b'.' | b'0' | b'1' | b'?') || b >= 0x80 || (b as char).is_whitespace()
}

/// Reads a text grid from `src`: the whole file, up to [`MAX_BYTES`] and what memory
/// holds (a value of 8 bytes per cell), stopping early at a byte no grid holds (the
/// parser then names its line and column).
pub(crate) fn read<R: Read>(src: &mut Source<R>) -> Result<Array, Fail> {
    let bytes = src.take_all("the text grid", MAX_BYTES, 9, |piece| {
        !piece.iter().all(|&b| may_appear(b))
    })?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        // Reading stopped inside a character: what came before holds the error.
        Err(e) if e.error_len().is_none() && !src.at_end()? => {
            std::str::from_utf8(&bytes[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(e) => {
            return Err(Problem::new(format!(
                "not a text grid: invalid UTF-8 at byte {}",
                e.valid_up_to()
            ))
            .into());
        }
    };
    Ok(parse(text)?)
}

/// Parses a text grid file into an array of shape (P, rows, cols).
pub fn parse(text: &str) -> Result<Array, Problem> {
    // Every cell, pattern after pattern; per pattern its first line, rows and columns.
    let mut values: Vec<f64> = Vec::new();
    let mut patterns: Vec<(usize, usize, usize)> = Vec::new();
    let mut current: Option<(usize, usize, usize)> = None;
    for (k, line) in text.lines().enumerate() {
        let lineno = k + 1;
        let line = line.trim_end();
        if line.is_empty() {
            patterns.extend(current.take());
            continue;
        }
        let before = values.len();
        for (col, c) in line.chars().enumerate() {
            values.push(match c {
                '#' | '1' => 1.0,
                '.' | '0' => -1.0,
                '?' => 0.0,
                other => {
                    return Err(Problem::new(format!(
                        "line {lineno}, column {}: unexpected character {other:?} \
                         (use # or 1 for on, . or 0 for off, ? for unknown)",
                        col + 1
                    )));
                }
            });
        }
        let width = values.len() - before;
        match current.as_mut() {
            None => current = Some((lineno, 1, width)),
            Some((_, rows, cols)) => {
                if *cols != width {
                    return Err(Problem::new(format!(
                        "line {lineno}: row has {width} cells, expected {cols} like the rows above it (pattern {})",
                        patterns.len()
                    )));
                }
                *rows += 1;
            }
        }
    }
    patterns.extend(current);
    let Some(&(_, rows, cols)) = patterns.first() else {
        return Err(Problem::new(
            "holds no pattern (expected rows of # and . separated by blank lines)",
        ));
    };
    for (mu, &(line, r, c)) in patterns.iter().enumerate() {
        if (r, c) != (rows, cols) {
            return Err(Problem::new(format!(
                "line {line}: pattern {mu} is {r}x{c}, pattern 0 is {rows}x{cols}"
            )));
        }
    }
    Ok(Array::from_values(vec![patterns.len(), rows, cols], values))
}

/// Renders states as a text grid: `#` on, `.` off, `?` unknown (0).
///
/// `cols` cells per line; states are separated by a blank line.
pub fn render(values: &[i8], n: usize, cols: usize) -> String {
    let mut out = Vec::with_capacity(values.len() * 2);
    // Writing to a vector cannot fail, and every byte written is ASCII.
    let _ = write(&mut out, values, n, cols);
    String::from_utf8(out).unwrap_or_default()
}

/// Writes states as a text grid, as [`render`] does, to `w`.
pub fn write(
    w: &mut dyn std::io::Write,
    values: &[i8],
    n: usize,
    cols: usize,
) -> std::io::Result<()> {
    let mut line = Vec::with_capacity(cols.min(1 << 20) + 1);
    for (k, state) in values.chunks(n.max(1)).enumerate() {
        if k > 0 {
            w.write_all(b"\n")?;
        }
        for row in state.chunks(cols.max(1)) {
            line.clear();
            line.extend(row.iter().map(|&v| match v {
                v if v > 0 => b'#',
                0 => b'?',
                _ => b'.',
            }));
            line.push(b'\n');
            w.write_all(&line)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_blocks_and_round_trips() {
        let text = "..#..\n.#.#.\n\n\n##...\n??..1\n";
        let a = parse(text).unwrap();
        assert_eq!(a.dims(), &[2, 2, 5]);
        let v = a.to_f64();
        assert_eq!(&v[..5], &[-1.0, -1.0, 1.0, -1.0, -1.0]);
        assert_eq!(&v[15..], &[0.0, 0.0, -1.0, -1.0, 1.0]);
        let ints: Vec<i8> = v.iter().map(|&x| x as i8).collect();
        assert_eq!(render(&ints, 10, 5), "..#..\n.#.#.\n\n##...\n??..#\n");
    }

    #[test]
    fn errors_name_the_line() {
        let e = parse("###\n##\n").unwrap_err().to_string();
        assert_eq!(
            e,
            "line 2: row has 2 cells, expected 3 like the rows above it (pattern 0)"
        );
        let e = parse("#.#\n#a#\n").unwrap_err().to_string();
        assert!(
            e.starts_with("line 2, column 2: unexpected character 'a'"),
            "{e}"
        );
        let e = parse("##\n##\n\n##\n").unwrap_err().to_string();
        assert_eq!(e, "line 4: pattern 1 is 1x2, pattern 0 is 2x2");
        assert!(
            parse("\n\n  \n")
                .unwrap_err()
                .to_string()
                .contains("holds no pattern")
        );
    }
}
