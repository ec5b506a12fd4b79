//! Drawing states on the terminal with block characters, and numbers for people.

use hopfield::Shape;

/// The widest grid drawn, in terminal columns; larger grids are shrunk by majority vote.
const MAX_COLS: usize = 48;

/// One titled grid to draw.
pub struct Panel<'a> {
    pub title: String,
    pub state: &'a [i8],
}

/// Draws panels of the same shape side by side, two rows of cells per line (half blocks).
///
/// On cells are `█`, off cells blank, unknown (0) cells `░`.
pub fn side_by_side(panels: &[Panel<'_>], shape: Shape) -> String {
    let factor = shape.cols.div_ceil(MAX_COLS).max(1);
    let rows = shape.rows.div_ceil(factor);
    let cols = shape.cols.div_ceil(factor);
    // Each panel shrunk to rows × cols cells of -1, 0, 1.
    let cells: Vec<Vec<i8>> = panels
        .iter()
        .map(|p| shrink(p.state, shape, factor, rows, cols))
        .collect();
    let width = panels
        .iter()
        .map(|p| p.title.chars().count())
        .max()
        .unwrap_or(0)
        .max(cols);
    let mut out = String::new();
    for (k, p) in panels.iter().enumerate() {
        if k > 0 {
            out.push_str("   ");
        }
        out.push_str(&format!("{:<width$}", p.title));
    }
    out.push('\n');
    for r in (0..rows).step_by(2) {
        let mut line = String::new();
        for (k, c) in cells.iter().enumerate() {
            if k > 0 {
                line.push_str("   ");
            }
            for col in 0..cols {
                let top = c[r * cols + col];
                let bottom = if r + 1 < rows {
                    c[(r + 1) * cols + col]
                } else {
                    -1
                };
                line.push(half_block(top, bottom));
            }
            for _ in cols..width {
                line.push(' ');
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

fn half_block(top: i8, bottom: i8) -> char {
    match (top, bottom) {
        (1, 1) => '█',
        (1, -1) => '▀',
        (-1, 1) => '▄',
        (-1, -1) => ' ',
        _ => '░',
    }
}

fn shrink(state: &[i8], shape: Shape, factor: usize, rows: usize, cols: usize) -> Vec<i8> {
    let mut out = vec![-1i8; rows * cols];
    for r in 0..rows {
        for c in 0..cols {
            let mut sum = 0i32;
            let mut unknown = 0;
            let mut count = 0;
            for rr in r * factor..((r + 1) * factor).min(shape.rows) {
                for cc in c * factor..((c + 1) * factor).min(shape.cols) {
                    let v = state[rr * shape.cols + cc];
                    sum += i32::from(v.signum());
                    unknown += i32::from(v == 0);
                    count += 1;
                }
            }
            out[r * cols + c] = if unknown * 2 > count {
                0
            } else if sum > 0 {
                1
            } else {
                -1
            };
        }
    }
    out
}

/// A state as one line of `+`/`-` (`0` unknown), for states without a 2-D shape.
pub fn line(state: &[i8]) -> String {
    state
        .iter()
        .map(|&s| match s {
            s if s > 0 => '+',
            0 => '0',
            _ => '-',
        })
        .collect()
}

/// A number as people write it: 0 as `0`, whole numbers without decimals, others with at
/// most four decimals and no trailing zeros (`-12.16`, `0.0123`), and magnitudes below
/// 0.001 in scientific notation with three digits (`1.23e-5`).
pub fn number(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    if x == 0.0 {
        return "0".into();
    }
    if x.abs() < 1e-3 {
        return format!("{x:.2e}");
    }
    let fixed = format!("{x:.4}");
    let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" {
        "0".into()
    } else {
        trimmed.into()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_written_for_people() {
        let cases = [
            (0.0, "0"),
            (-0.0, "0"),
            (1.0, "1"),
            (-19_689_565.0, "-19689565"),
            (-12.16, "-12.16"),
            (-1968.9565, "-1968.9565"),
            (0.0123, "0.0123"),
            (0.5, "0.5"),
            (1.234e-5, "1.23e-5"),
            (-0.00002, "-2.00e-5"),
            (f64::INFINITY, "inf"),
        ];
        for (x, text) in cases {
            assert_eq!(number(x), text, "{x}");
        }
    }

    #[test]
    fn draws_half_blocks_side_by_side() {
        let a = [1i8, -1, 1, 1];
        let b = [-1i8, 0, 0, 1];
        let s = side_by_side(
            &[
                Panel {
                    title: "cue".into(),
                    state: &a,
                },
                Panel {
                    title: "final".into(),
                    state: &b,
                },
            ],
            Shape::new(2, 2),
        );
        let lines: Vec<&str> = s.lines().collect();
        assert_eq!(lines[0].trim_end(), "cue     final");
        assert_eq!(lines[1], "█▄      ░░");
    }

    #[test]
    fn shrinks_large_grids() {
        let state = vec![1i8; 100 * 100];
        let s = side_by_side(
            &[Panel {
                title: "x".into(),
                state: &state,
            }],
            Shape::new(100, 100),
        );
        assert!(s.lines().all(|l| l.chars().count() <= MAX_COLS));
        assert_eq!(s.lines().nth(1).map(|l| l.chars().count()), Some(34));
        assert_eq!(s.lines().count(), 1 + 17);
    }
}
