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

use crate::array::Array;
use crate::error::Problem;

/// Parses a text grid file into an array of shape (P, rows, cols).
pub fn parse(text: &str) -> Result<Array, Problem> {
    let mut patterns: Vec<(usize, Vec<Vec<f64>>)> = Vec::new(); // (first line, rows)
    let mut current: Vec<Vec<f64>> = Vec::new();
    let mut first_line = 0;
    for (k, line) in text.lines().enumerate() {
        let lineno = k + 1;
        let line = line.trim_end();
        if line.is_empty() {
            if !current.is_empty() {
                patterns.push((first_line, std::mem::take(&mut current)));
            }
            continue;
        }
        if current.is_empty() {
            first_line = lineno;
        }
        let row = line
            .chars()
            .enumerate()
            .map(|(col, c)| match c {
                '#' | '1' => Ok(1.0),
                '.' | '0' => Ok(-1.0),
                '?' => Ok(0.0),
                other => Err(Problem::new(format!(
                    "line {lineno}, column {}: unexpected character {other:?} \
                     (use # or 1 for on, . or 0 for off, ? for unknown)",
                    col + 1
                ))),
            })
            .collect::<Result<Vec<f64>, _>>()?;
        if let Some(first) = current.first()
            && first.len() != row.len()
        {
            return Err(Problem::new(format!(
                "line {lineno}: row has {} cells, expected {} like the rows above it (pattern {})",
                row.len(),
                first.len(),
                patterns.len()
            )));
        }
        current.push(row);
    }
    if !current.is_empty() {
        patterns.push((first_line, current));
    }
    let Some((_, first)) = patterns.first() else {
        return Err(Problem::new(
            "holds no pattern (expected rows of # and . separated by blank lines)",
        ));
    };
    let (rows, cols) = (first.len(), first[0].len());
    let mut values = Vec::with_capacity(patterns.len() * rows * cols);
    for (mu, (line, p)) in patterns.iter().enumerate() {
        if p.len() != rows || p[0].len() != cols {
            return Err(Problem::new(format!(
                "line {line}: pattern {mu} is {}x{}, pattern 0 is {rows}x{cols}",
                p.len(),
                p[0].len()
            )));
        }
        values.extend(p.iter().flatten());
    }
    Ok(Array::from_values(vec![patterns.len(), rows, cols], values))
}

/// Renders states as a text grid: `#` on, `.` off, `?` unknown (0).
///
/// `cols` cells per line; states are separated by a blank line.
pub fn render(values: &[i8], n: usize, cols: usize) -> String {
    let mut out = String::with_capacity(values.len() * 2);
    for (k, state) in values.chunks(n.max(1)).enumerate() {
        if k > 0 {
            out.push('\n');
        }
        for row in state.chunks(cols.max(1)) {
            out.extend(row.iter().map(|&v| match v {
                v if v > 0 => '#',
                0 => '?',
                _ => '.',
            }));
            out.push('\n');
        }
    }
    out
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
