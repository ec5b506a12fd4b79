//! `hopfield patterns`: write generated patterns.

use anyhow::Result;
use hopfield::generate::{self, Kind, page};
use hopfield::{Patterns, Shape, random};

use crate::cli::{PatternsArgs, UsageError};
use crate::terminal::{self, Panel};

const DEFAULT_SIZE: Shape = Shape { rows: 10, cols: 10 };

pub fn run(args: PatternsArgs) -> Result<()> {
    let patterns = generate_patterns(&args)?;
    match &args.out {
        Some(path) => {
            hopfield_io::write_patterns(path, &patterns)?;
            eprintln!(
                "wrote {} pattern{} of {} neurons{} to {}",
                patterns.len(),
                if patterns.len() == 1 { "" } else { "s" },
                patterns.n(),
                patterns
                    .shape()
                    .map(|s| format!(" ({s})"))
                    .unwrap_or_default(),
                path.display()
            );
        }
        None => {
            // A half-block character (three bytes) per two cells, and the line breaks.
            hopfield::guard::check(
                &format!(
                    "drawing {} pattern{} of {} neurons",
                    patterns.len(),
                    if patterns.len() == 1 { "" } else { "s" },
                    patterns.n()
                ),
                (patterns.as_flat().len() as u64).saturating_mul(2),
                "write them to a file with -o FILE",
            )?;
            print!("{}", draw(&patterns));
        }
    }
    Ok(())
}

/// The patterns of every kind asked for, one kind after the other, drawing from one
/// generator seeded with --seed.
fn generate_patterns(args: &PatternsArgs) -> Result<Patterns> {
    let mut rng = random::seeded(args.seed);
    let mut all: Option<(String, Patterns)> = None;
    for kind in &args.kinds {
        let p = generate_kind(kind, args, &mut rng)?;
        match &mut all {
            None => all = Some((kind.clone(), p)),
            Some((first, a)) => {
                if a.n() != p.n() || a.shape() != p.shape() {
                    let size = |p: &Patterns| {
                        p.shape()
                            .map_or_else(|| format!("{} neurons", p.n()), |s| s.to_string())
                    };
                    return Err(UsageError(format!(
                        "'{kind}' is {} but '{first}' is {}: patterns written together must \
                         have the same size (give --size HxW, or write them to two files)",
                        size(&p),
                        size(a)
                    ))
                    .into());
                }
                a.extend(&p)?;
            }
        }
    }
    all.map(|(_, p)| p).ok_or_else(|| {
        UsageError("give a kind, e.g. 'hopfield patterns page-letters'".into()).into()
    })
}

/// The patterns of one kind.
fn generate_kind(kind: &str, args: &PatternsArgs, rng: &mut random::SeededRng) -> Result<Patterns> {
    let kind = kind.to_ascii_lowercase();
    let random_kind = kind == "random";
    if args.count != 1 && !random_kind {
        return Err(UsageError(format!(
            "--count applies to random patterns; '{kind}' always draws the same pattern \
             (for several letters use: patterns letter --text ABC)"
        ))
        .into());
    }
    if args.n.is_some() && !random_kind {
        return Err(UsageError("-n applies to random patterns; use --size HxW".into()).into());
    }
    if args.count == 0 {
        return Err(UsageError("--count must be at least 1".into()).into());
    }
    let text = || {
        args.text.clone().ok_or_else(|| {
            UsageError(format!(
                "'{kind}' needs the characters: add --text, e.g. --text A"
            ))
        })
    };
    let size = args.size.unwrap_or(DEFAULT_SIZE);
    let patterns = match kind.as_str() {
        "page-letters" => page::letters(),
        "page-images" => page::images(),
        "page-five" => page::five(),
        "random" => match args.n {
            Some(n) => generate::par_random_patterns(args.count, n, args.p_on, rng)?,
            None => Kind::Random { p_on: args.p_on }.generate(size, args.count, rng)?,
        },
        "letter" => {
            let text = text()?;
            let size = args.size.unwrap_or(Shape::new(7, 5));
            let mut all: Option<Patterns> = None;
            for c in text.chars() {
                let p = Kind::Letter(c).generate(size, 1, rng)?;
                match all.as_mut() {
                    None => all = Some(p),
                    Some(a) => a.extend(&p)?,
                }
            }
            all.ok_or_else(|| UsageError("--text is empty".into()))?
        }
        "text" => {
            let text = text()?;
            let len = text.chars().count().max(1);
            let size = args.size.unwrap_or(Shape::new(7, 6 * len - 1));
            Kind::Text(text).generate(size, 1, rng)?
        }
        "rows" | "stripes" => Kind::Rows { width: args.width }.generate(size, 1, rng)?,
        "columns" => Kind::Columns { width: args.width }.generate(size, 1, rng)?,
        other => {
            let kind: Kind = other.parse().map_err(|_| {
                UsageError(format!(
                    "unknown kind '{other}'; expected one of: {}, page-letters, page-images, page-five",
                    Kind::NAMES.join(", ")
                ))
            })?;
            let size = kind.fixed_shape().or(args.size).unwrap_or(size);
            kind.generate(size, 1, rng)?
        }
    };
    Ok(patterns)
}

/// Draws up to four patterns per row on the terminal.
fn draw(patterns: &Patterns) -> String {
    let Some(shape) = patterns.shape() else {
        return patterns.iter().map(|p| terminal::line(p) + "\n").collect();
    };
    let mut out = String::new();
    let all: Vec<&[i8]> = patterns.iter().collect();
    for (row, chunk) in all.chunks(4).enumerate() {
        let panels: Vec<Panel<'_>> = chunk
            .iter()
            .enumerate()
            .map(|(k, p)| Panel {
                title: format!("pattern {}", row * 4 + k),
                state: p,
            })
            .collect();
        out.push_str(&terminal::side_by_side(&panels, shape));
    }
    out
}
