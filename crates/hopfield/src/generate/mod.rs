//! Pattern generators: random, geometric, letters and text, and the course page's drawings.
//!
//! Every generator returns bipolar patterns (`+1` = on, drawn dark). Shaped generators work
//! at any size; [`page`] holds the course page's own drawings exactly as drawn there.
//!
//! ```
//! use hopfield::generate::{self, Kind};
//! use hopfield::{random, Shape};
//! let a = Kind::Letter('A').generate(Shape::new(7, 5), 1, &mut random::seeded(0))?;
//! assert_eq!(a.get(0).unwrap()[2], 1); // the apex
//! let star = generate::page::star();
//! assert_eq!((star.n(), star.shape()), (10_000, Some(Shape::new(100, 100))));
//! # Ok::<(), hopfield::Error>(())
//! ```

use std::fmt;
use std::str::FromStr;

use rand::Rng;
#[cfg(feature = "serde")]
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result, plural, require};
mod font;
use crate::guard;
use crate::kernel::bits::BitMatrix;
use crate::pattern::{Patterns, Shape};
use crate::random;

/// A generator of patterns, as named on the command line (`hopfield patterns KIND`).
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "serde", derive(Serialize, Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case", tag = "kind"))]
#[non_exhaustive]
pub enum Kind {
    /// Independent random neurons, each on with probability `p_on`.
    Random {
        /// Probability that a neuron is +1.
        p_on: f64,
    },
    /// Alternating cells; cell (i, j) is on when i + j is odd, as on the course page.
    Checkerboard,
    /// Both diagonals.
    X,
    /// Eight-point star: centre row, centre column and both diagonals.
    Star,
    /// The letter L: left column and bottom row, thickness about a fifth of the size.
    L,
    /// Horizontal stripes `width` rows thick, starting on.
    Rows {
        /// Stripe thickness in rows.
        width: usize,
    },
    /// Vertical stripes `width` columns thick, starting on.
    Columns {
        /// Stripe thickness in columns.
        width: usize,
    },
    /// One character of the 5×7 block font, scaled to the grid.
    Letter(char),
    /// A text rendered in the block font and scaled to fit the grid.
    Text(String),
    /// The course page's 5×5 'A'.
    PageA,
    /// The course page's 100×100 "BU" image.
    PageBu,
    /// The course page's 100×100 "BC" image.
    PageBc,
    /// The course page's 100×100 eight-point star.
    PageStar,
}

impl Kind {
    /// The names accepted by [`Kind::from_str`], for help texts.
    pub const NAMES: &'static [&'static str] = &[
        "random",
        "checkerboard",
        "x",
        "star",
        "l",
        "rows",
        "columns",
        "letter",
        "text",
        "page-a",
        "page-bu",
        "page-bc",
        "page-star",
    ];

    /// The fixed shape of the page drawings, `None` for generators of any size.
    pub fn fixed_shape(&self) -> Option<Shape> {
        match self {
            Kind::PageA => Some(Shape::new(5, 5)),
            Kind::PageBu | Kind::PageBc | Kind::PageStar => Some(Shape::new(100, 100)),
            _ => None,
        }
    }

    /// `count` patterns of this kind on a grid of `shape`.
    ///
    /// Only [`Kind::Random`] draws from `rng`; deterministic kinds repeat the same pattern
    /// `count` times. Page drawings ignore `shape` unless it differs from theirs, which is
    /// an error.
    pub fn generate<R: Rng + ?Sized>(
        &self,
        shape: Shape,
        count: usize,
        rng: &mut R,
    ) -> Result<Patterns> {
        let at_least = "at least one pattern must be generated";
        require(count > 0, "count", 0, at_least)?;
        if shape.is_empty() {
            return Err(Error::no_neurons(format!("grid {shape}")));
        }
        if let Some(fixed) = self.fixed_shape() {
            let pass = format!("this page drawing is {fixed}; omit --size or pass {fixed}");
            require(fixed == shape, "size", shape, pass)?;
        }
        let shape = Shape::try_new(shape.rows, shape.cols)?;
        if let Kind::Random { p_on } = *self {
            return random_patterns(count, shape.len(), p_on, rng)?.with_shape(shape);
        }
        let total = guard::elements("count × size", &[count, shape.rows, shape.cols])?;
        guard::check(
            &format!("{count} pattern{} of {shape}", plural(count)),
            total as u64,
            "use a smaller --size",
        )?;
        let one = match self {
            Kind::Random { .. } => unreachable!("handled above"),
            Kind::Checkerboard => checkerboard(shape),
            Kind::X => x(shape),
            Kind::Star => star(shape),
            Kind::L => l(shape),
            Kind::Rows { width } => stripes(shape, true, *width)?,
            Kind::Columns { width } => stripes(shape, false, *width)?,
            Kind::Letter(c) => text(&c.to_string(), shape)?,
            Kind::Text(s) => text(s, shape)?,
            Kind::PageA => page::letter_a_values(),
            Kind::PageBu => page::bu_values(),
            Kind::PageBc => page::bc_values(),
            Kind::PageStar => page::star_values(),
        };
        let data = one.repeat(count);
        Patterns::new(shape.len(), data)?.with_shape(shape)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Kind::Random { p_on } => write!(f, "random (p_on = {p_on})"),
            Kind::Checkerboard => f.write_str("checkerboard"),
            Kind::X => f.write_str("x"),
            Kind::Star => f.write_str("star"),
            Kind::L => f.write_str("l"),
            Kind::Rows { width } => write!(f, "rows (width {width})"),
            Kind::Columns { width } => write!(f, "columns (width {width})"),
            Kind::Letter(c) => write!(f, "letter {c}"),
            Kind::Text(s) => write!(f, "text {s:?}"),
            Kind::PageA => f.write_str("page-a"),
            Kind::PageBu => f.write_str("page-bu"),
            Kind::PageBc => f.write_str("page-bc"),
            Kind::PageStar => f.write_str("page-star"),
        }
    }
}

impl FromStr for Kind {
    type Err = Error;

    /// Parses a generator name. `random` takes `p_on = 0.5`, `rows`/`columns` width 1,
    /// `letter:C` a character and `text:STR` a text (the CLI fills these from flags).
    fn from_str(s: &str) -> Result<Self> {
        let (name, arg) = match s.split_once(':') {
            Some((n, a)) => (n, Some(a)),
            None => (s, None),
        };
        let kind = match (name.to_ascii_lowercase().as_str(), arg) {
            ("random", None) => Kind::Random { p_on: 0.5 },
            ("checkerboard", None) => Kind::Checkerboard,
            ("x", None) => Kind::X,
            ("star", None) => Kind::Star,
            ("l", None) => Kind::L,
            ("rows" | "stripes", None) => Kind::Rows { width: 1 },
            ("columns", None) => Kind::Columns { width: 1 },
            ("letter", Some(a)) if a.chars().count() == 1 => {
                Kind::Letter(a.chars().next().unwrap_or('A'))
            }
            ("text", Some(a)) => Kind::Text(a.to_string()),
            ("page-a", None) => Kind::PageA,
            ("page-bu", None) => Kind::PageBu,
            ("page-bc", None) => Kind::PageBc,
            ("page-star", None) => Kind::PageStar,
            _ => {
                let names = Kind::NAMES.join(", ");
                let expected =
                    format!("expected one of: {names} (letter:C and text:STR take an argument)");
                return Err(Error::parameter("kind", s, expected));
            }
        };
        Ok(kind)
    }
}

/// `count` random patterns of `n` neurons, each neuron on with probability `p_on`.
///
/// With `p_on = 0.5` each pattern takes one bit per neuron from the generator.
pub fn random_patterns<R: Rng + ?Sized>(
    count: usize,
    n: usize,
    p_on: f64,
    rng: &mut R,
) -> Result<Patterns> {
    // Straight into bit words: the values are formed only if they are asked for.
    let mut bits = pattern_bits(count, n, p_on)?;
    for mu in 0..count {
        random_bits(bits.row_mut(mu), n, p_on, rng);
    }
    Patterns::from_bits(bits)
}

/// [`random_patterns`] drawn by the threads together: the same patterns from the same
/// generator, which is left where [`random_patterns`] leaves it.
///
/// Every pattern takes the same number of draws (a word of 64 neurons per draw at
/// `p_on = 0.5`, a draw per neuron otherwise), so a thread that starts at pattern `μ`
/// jumps its copy of the generator ahead by `μ` patterns' draws.
///
/// ```
/// use hopfield::generate::{par_random_patterns, random_patterns};
/// use hopfield::random::seeded;
///
/// let (mut a, mut b) = (seeded(7), seeded(7));
/// let together = par_random_patterns(100, 1000, 0.5, &mut a)?;
/// assert_eq!(together, random_patterns(100, 1000, 0.5, &mut b)?);
/// # Ok::<(), hopfield::Error>(())
/// ```
pub fn par_random_patterns(
    count: usize,
    n: usize,
    p_on: f64,
    rng: &mut random::SeededRng,
) -> Result<Patterns> {
    use crate::parallel::*;
    let mut bits = pattern_bits(count, n, p_on)?;
    let words = bits.words();
    let draws = if p_on == 0.5 { words } else { n } as u128;
    // Patterns per task: about a quarter million draws each.
    let per_task = (1 << 18) / (draws as usize).max(1) + 1;
    if words > 0 {
        let start = rng.clone();
        bits.data_mut()
            .par_chunks_mut(per_task * words)
            .enumerate()
            .for_each(|(t, rows)| {
                let mut rng = start.clone();
                rng.advance((t * per_task) as u128 * draws);
                for row in rows.chunks_exact_mut(words) {
                    random_bits(row, n, p_on, &mut rng);
                }
            });
    }
    rng.advance(count as u128 * draws);
    Patterns::from_bits(bits)
}

/// Room for `count` patterns of `n` neurons as bits, once `p_on` and the size are checked.
fn pattern_bits(count: usize, n: usize, p_on: f64) -> Result<BitMatrix> {
    check_probability("p-on", p_on)?;
    let total = guard::elements("count × n", &[count, n])?;
    guard::check(
        &format!("{count} random pattern{} of {n} neurons", plural(count)),
        total as u64,
        "use fewer patterns or neurons",
    )?;
    Ok(BitMatrix::zeros(count, n))
}

/// A random pattern of `n` neurons as bits (set for +1) into `words`, drawn as
/// [`random_into`] draws its values: with `p_on = 0.5` bit `k` of the `w`-th draw is
/// neuron `64w + k`.
fn random_bits<R: Rng + ?Sized>(words: &mut [u64], n: usize, p_on: f64, rng: &mut R) {
    if p_on == 0.5 {
        let full = n / 64;
        for word in &mut words[..full] {
            *word = rng.next_u64();
        }
        if let Some(last) = words.get_mut(full) {
            *last = rng.next_u64() & ((1u64 << (n % 64)) - 1);
        }
    } else {
        for i in 0..n {
            if random::chance(rng, p_on) {
                words[i / 64] |= 1 << (i % 64);
            }
        }
    }
}

/// One random pattern of `n` neurons (see [`random_patterns`]).
pub fn random_pattern<R: Rng + ?Sized>(n: usize, p_on: f64, rng: &mut R) -> Result<Vec<i8>> {
    check_probability("p-on", p_on)?;
    guard::check(
        &format!("a random pattern of {n} neurons"),
        n as u64,
        "use fewer neurons",
    )?;
    let mut v = vec![0i8; n];
    random_into(&mut v, p_on, rng);
    Ok(v)
}

fn random_into<R: Rng + ?Sized>(out: &mut [i8], p_on: f64, rng: &mut R) {
    if p_on == 0.5 {
        for chunk in out.chunks_mut(64) {
            let bits = rng.next_u64();
            for (k, v) in chunk.iter_mut().enumerate() {
                *v = if (bits >> k) & 1 == 1 { 1 } else { -1 };
            }
        }
    } else {
        for v in out.iter_mut() {
            *v = if random::chance(rng, p_on) { 1 } else { -1 };
        }
    }
}

pub(crate) fn check_probability(name: &'static str, p: f64) -> Result<()> {
    require(
        (0.0..=1.0).contains(&p),
        name,
        p,
        "must lie between 0 and 1",
    )
}

/// A grid with the cells where `on(row, col)` holds set to +1.
fn grid(shape: Shape, on: impl Fn(usize, usize) -> bool) -> Vec<i8> {
    let mut v = Vec::with_capacity(shape.len());
    for r in 0..shape.rows {
        for c in 0..shape.cols {
            v.push(if on(r, c) { 1 } else { -1 });
        }
    }
    v
}

/// Alternating cells; (i, j) is on when i + j is odd (the course page's convention).
pub fn checkerboard(shape: Shape) -> Vec<i8> {
    grid(shape, |r, c| (r + c) % 2 == 1)
}

/// Draws a straight line of +1 cells from `(r0, c0)` to `(r1, c1)`, inclusive.
fn line(v: &mut [i8], shape: Shape, (r0, c0): (usize, usize), (r1, c1): (usize, usize)) {
    let steps = r0.abs_diff(r1).max(c0.abs_diff(c1));
    for k in 0..=steps {
        let t = if steps == 0 {
            0.0
        } else {
            k as f64 / steps as f64
        };
        let r = (r0 as f64 + t * (r1 as f64 - r0 as f64)).round() as usize;
        let c = (c0 as f64 + t * (c1 as f64 - c0 as f64)).round() as usize;
        v[r * shape.cols + c] = 1;
    }
}

fn diagonals(v: &mut [i8], shape: Shape) {
    let (h, w) = (shape.rows - 1, shape.cols - 1);
    line(v, shape, (0, 0), (h, w));
    line(v, shape, (0, w), (h, 0));
}

/// Both diagonals (the page's 'X' at 5×5).
pub fn x(shape: Shape) -> Vec<i8> {
    let mut v = vec![-1; shape.len()];
    diagonals(&mut v, shape);
    v
}

/// The eight-point star: centre row, centre column (index `size / 2`) and both diagonals.
pub fn star(shape: Shape) -> Vec<i8> {
    let mut v = x(shape);
    let (cr, cc) = (shape.rows / 2, shape.cols / 2);
    line(&mut v, shape, (cr, 0), (cr, shape.cols - 1));
    line(&mut v, shape, (0, cc), (shape.rows - 1, cc));
    v
}

/// The letter L: a left column and a bottom row, each about a fifth of the size thick.
pub fn l(shape: Shape) -> Vec<i8> {
    let t = (shape.rows.min(shape.cols) as f64 / 5.0).round().max(1.0) as usize;
    grid(shape, |r, c| c < t || r + t >= shape.rows)
}

/// Stripes `width` thick, starting on: horizontal (rows) or vertical (columns).
pub fn stripes(shape: Shape, horizontal: bool, width: usize) -> Result<Vec<i8>> {
    require(width > 0, "width", 0, "stripes must be at least 1 wide")?;
    Ok(grid(shape, |r, c| {
        let k = if horizontal { r } else { c };
        (k / width).is_multiple_of(2)
    }))
}

/// `s` rendered in the 5×7 block font (one column between characters) and scaled, with
/// nearest-neighbour sampling and kept proportions, to fit and centre in `shape`.
pub fn text(s: &str, shape: Shape) -> Result<Vec<i8>> {
    let chars: Vec<char> = s.chars().collect();
    require(!chars.is_empty(), "text", "\"\"", "the text is empty")?;
    let mut rows = vec![String::new(); font::HEIGHT];
    for (k, &c) in chars.iter().enumerate() {
        let g = font::glyph(c).ok_or_else(|| {
            let has = font::CHARACTERS;
            let missing = format!("character {c:?} is not in the block font (it has {has})");
            Error::parameter("text", format!("{s:?}"), missing)
        })?;
        for (row, line) in rows.iter_mut().zip(g) {
            if k > 0 {
                row.push('.');
            }
            row.push_str(line);
        }
    }
    let src_h = font::HEIGHT;
    let src_w = chars.len() * (font::WIDTH + 1) - 1;
    let bitmap: Vec<Vec<bool>> = rows
        .iter()
        .map(|r| r.chars().map(|c| c == '#').collect())
        .collect();
    let scale = (shape.rows as f64 / src_h as f64).min(shape.cols as f64 / src_w as f64);
    let box_h = ((src_h as f64 * scale).round() as usize).clamp(1, shape.rows);
    let box_w = ((src_w as f64 * scale).round() as usize).clamp(1, shape.cols);
    let top = (shape.rows - box_h) / 2;
    let left = (shape.cols - box_w) / 2;
    Ok(grid(shape, |r, c| {
        if r < top || r >= top + box_h || c < left || c >= left + box_w {
            return false;
        }
        let sr = (r - top) * src_h / box_h;
        let sc = (c - left) * src_w / box_w;
        bitmap[sr][sc]
    }))
}

/// The course page's own drawings, exactly as its cells draw them.
pub mod page {
    use super::*;

    fn shaped(values: Vec<i8>, shape: Shape) -> Patterns {
        Patterns::new(shape.len(), values)
            .and_then(|p| p.with_shape(shape))
            .unwrap_or_else(|_| unreachable!("page drawings are valid ±1 patterns"))
    }

    /// Sets `rows × cols` (half-open numpy slices) of a 100×100 0/1 matrix to 1.
    fn fill(m: &mut [i8], rows: std::ops::Range<usize>, cols: std::ops::Range<usize>) {
        for r in rows {
            for c in cols.clone() {
                m[r * 100 + c] = 1;
            }
        }
    }

    fn draw_b(m: &mut [i8]) {
        fill(m, 0..100, 5..15);
        fill(m, 0..10, 5..35);
        fill(m, 0..50, 30..40);
        fill(m, 40..50, 5..35);
        fill(m, 50..60, 5..35);
        fill(m, 50..100, 30..40);
        fill(m, 90..100, 5..35);
    }

    pub(super) fn letter_a_values() -> Vec<i8> {
        let rows = ["..#..", ".#.#.", "#####", "#...#", "#...#"];
        rows.iter()
            .flat_map(|r| r.chars().map(|c| if c == '#' { 1 } else { -1 }))
            .collect()
    }

    pub(super) fn bu_values() -> Vec<i8> {
        let mut m = vec![-1i8; 10_000];
        draw_b(&mut m);
        fill(&mut m, 0..90, 60..70);
        fill(&mut m, 0..90, 85..95);
        fill(&mut m, 90..100, 60..95);
        m
    }

    pub(super) fn bc_values() -> Vec<i8> {
        let mut m = vec![-1i8; 10_000];
        draw_b(&mut m);
        fill(&mut m, 0..10, 60..95);
        fill(&mut m, 0..100, 60..70);
        fill(&mut m, 90..100, 60..95);
        m
    }

    pub(super) fn star_values() -> Vec<i8> {
        let mut m = vec![-1i8; 10_000];
        for i in 0..100 {
            m[50 * 100 + i] = 1;
            m[i * 100 + 50] = 1;
            m[i * 100 + i] = 1;
            m[i * 100 + 99 - i] = 1;
        }
        m
    }

    /// The 5×5 block letter 'A' of the page's `make_pattern('A')`.
    pub fn letter_a() -> Patterns {
        shaped(letter_a_values(), Shape::new(5, 5))
    }

    /// The page's 5×5 checkerboard (`(i + j) % 2`).
    pub fn checkerboard() -> Patterns {
        shaped(super::checkerboard(Shape::new(5, 5)), Shape::new(5, 5))
    }

    /// The page's 5×5 'X' (both diagonals).
    pub fn x() -> Patterns {
        shaped(super::x(Shape::new(5, 5)), Shape::new(5, 5))
    }

    /// The page's three 5×5 memories, in its order: checkerboard, X, A.
    pub fn letters() -> Patterns {
        let mut p = checkerboard();
        p.extend(&x()).unwrap_or_else(|_| unreachable!("same size"));
        p.extend(&letter_a())
            .unwrap_or_else(|_| unreachable!("same size"));
        p
    }

    /// The page's 100×100 "BU" image.
    pub fn bu() -> Patterns {
        shaped(bu_values(), Shape::new(100, 100))
    }

    /// The page's 100×100 "BC" image.
    pub fn bc() -> Patterns {
        shaped(bc_values(), Shape::new(100, 100))
    }

    /// The page's 100×100 eight-point star.
    pub fn star() -> Patterns {
        shaped(star_values(), Shape::new(100, 100))
    }

    /// The page's three images, in its order: BU, BC, star.
    pub fn images() -> Patterns {
        let mut p = bu();
        p.extend(&bc())
            .unwrap_or_else(|_| unreachable!("same size"));
        p.extend(&star())
            .unwrap_or_else(|_| unreachable!("same size"));
        p
    }

    /// The page's five-neuron pattern `csi = [1, -1, -1, 1, 1]`.
    pub fn five() -> Patterns {
        Patterns::new(5, vec![1, -1, -1, 1, 1])
            .unwrap_or_else(|_| unreachable!("a valid ±1 pattern"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Patterns drawn by the threads together are those drawn one after another, and the
    /// generator ends where it would: for words whole and cut, one task or several, both
    /// kinds of draws, and on pools of one and three threads.
    #[test]
    fn patterns_drawn_together_are_those_drawn_in_turn() {
        let cases = [
            (1, 1, 0.5),
            (5, 63, 0.5),
            (7, 65, 0.5),
            (2000, 20_000, 0.5),
            (120, 5000, 0.3),
        ];
        let check = || {
            for (count, n, p_on) in cases {
                let (mut a, mut b) = (random::seeded(n as u64), random::seeded(n as u64));
                let together = par_random_patterns(count, n, p_on, &mut a).unwrap();
                let in_turn = random_patterns(count, n, p_on, &mut b).unwrap();
                assert_eq!(together, in_turn, "{count} × {n}, p_on {p_on}");
                assert_eq!(
                    a.next_u64(),
                    b.next_u64(),
                    "{count} × {n}: where the generator ends"
                );
            }
        };
        #[cfg(feature = "rayon")]
        for threads in [1, 3] {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap();
            pool.install(check);
        }
        check();
    }

    fn render(v: &[i8], shape: Shape) -> Vec<String> {
        v.chunks(shape.cols)
            .map(|r| r.iter().map(|&s| if s > 0 { '#' } else { '.' }).collect())
            .collect()
    }

    #[test]
    fn page_five_by_five_drawings_match_the_page() {
        let s = Shape::new(5, 5);
        assert_eq!(
            render(page::letter_a().get(0).unwrap(), s),
            ["..#..", ".#.#.", "#####", "#...#", "#...#"]
        );
        assert_eq!(
            render(&checkerboard(s), s),
            [".#.#.", "#.#.#", ".#.#.", "#.#.#", ".#.#."]
        );
        assert_eq!(
            render(&x(s), s),
            ["#...#", ".#.#.", "..#..", ".#.#.", "#...#"]
        );
    }

    #[test]
    fn page_images_match_the_page_rectangles() {
        let on = |p: &Patterns, r: usize, c: usize| p.get(0).unwrap()[r * 100 + c] == 1;
        let bu = page::bu();
        let bc = page::bc();
        let star = page::star();
        // B spine, U legs, C top bar; U has no top bar, C has no right leg.
        assert!(on(&bu, 50, 10) && on(&bc, 50, 10));
        assert!(on(&bu, 20, 90) && !on(&bc, 20, 90));
        assert!(on(&bc, 5, 80) && !on(&bu, 5, 80));
        assert!(!on(&bu, 95, 99) && on(&bu, 95, 94));
        let count = |p: &Patterns| p.get(0).unwrap().iter().filter(|&&s| s == 1).count();
        // The number of ones numpy's cells produce.
        assert_eq!(count(&bu), 4750);
        assert_eq!(count(&bc), 4100);
        assert_eq!(count(&star), 396);
        assert_eq!(page::images().len(), 3);
        assert_eq!(page::letters().len(), 3);
    }

    #[test]
    fn generators_work_at_any_size() {
        let s = Shape::new(7, 12);
        for kind in [
            Kind::Checkerboard,
            Kind::X,
            Kind::Star,
            Kind::L,
            Kind::Rows { width: 2 },
            Kind::Columns { width: 3 },
            Kind::Letter('Q'),
            Kind::Text("HI".into()),
        ] {
            let p = kind.generate(s, 2, &mut random::seeded(1)).unwrap();
            assert_eq!((p.len(), p.n(), p.shape()), (2, 84, Some(s)));
            let on = p.get(0).unwrap().iter().filter(|&&v| v == 1).count();
            assert!(on > 0 && on < 84, "{kind}: {on} on");
        }
        let big = Kind::Star
            .generate(Shape::new(100, 100), 1, &mut random::seeded(0))
            .unwrap();
        assert_eq!(big, page::star());
        assert!(
            Kind::PageBu
                .generate(Shape::new(5, 5), 1, &mut random::seeded(0))
                .is_err()
        );
    }

    #[test]
    fn letters_fill_their_native_grid_exactly() {
        let s = Shape::new(7, 5);
        let a = text("A", s).unwrap();
        assert_eq!(
            render(&a, s),
            [
                ".###.", "#...#", "#...#", "#####", "#...#", "#...#", "#...#"
            ]
        );
        let doubled = text("A", Shape::new(14, 10)).unwrap();
        assert_eq!(
            doubled[0..10],
            a[0..5].iter().flat_map(|&v| [v, v]).collect::<Vec<_>>()[..]
        );
        assert!(text("é", s).is_err());
        assert!(text("", s).is_err());
    }

    /// Patterns drawn straight into bit words are those drawn value by value, with the
    /// generator left in the same place, for sizes around the word edge and either `p_on`.
    #[test]
    fn random_bits_are_the_values_drawn_one_by_one() {
        for n in [1, 5, 63, 64, 65, 127, 128, 1000] {
            for p_on in [0.5, 0.3] {
                let mut rng = random::seeded(n as u64);
                let p = random_patterns(7, n, p_on, &mut rng).unwrap();
                let mut reference = random::seeded(n as u64);
                let mut values = vec![0i8; 7 * n];
                for row in values.chunks_exact_mut(n) {
                    random_into(row, p_on, &mut reference);
                }
                assert_eq!(p.as_flat(), &values[..], "N {n}, p_on {p_on}");
                assert_eq!(rng.next_u64(), reference.next_u64(), "N {n}, p_on {p_on}");
            }
        }
    }

    #[test]
    fn random_patterns_follow_p_on_and_seed() {
        let p = random_patterns(10, 1000, 0.2, &mut random::seeded(9)).unwrap();
        let on = p.as_flat().iter().filter(|&&v| v == 1).count() as f64 / 10_000.0;
        assert!((on - 0.2).abs() < 0.02, "{on}");
        let q = random_patterns(10, 1000, 0.2, &mut random::seeded(9)).unwrap();
        assert_eq!(p, q);
        let half = random_patterns(4, 1000, 0.5, &mut random::seeded(9)).unwrap();
        let on = half.as_flat().iter().filter(|&&v| v == 1).count();
        assert!((1850..=2150).contains(&on), "{on}");
        assert!(random_patterns(1, 10, 1.5, &mut random::seeded(0)).is_err());
    }

    #[test]
    fn kinds_parse() {
        assert_eq!("letter:A".parse::<Kind>().unwrap(), Kind::Letter('A'));
        assert_eq!("text:HI".parse::<Kind>().unwrap(), Kind::Text("HI".into()));
        assert_eq!("page-bu".parse::<Kind>().unwrap(), Kind::PageBu);
        let e = "blob".parse::<Kind>().unwrap_err().to_string();
        assert!(e.contains("checkerboard"), "{e}");
    }
}
