//! A 5×7 block font: the letters A–Z, the digits 0–9, space and a little punctuation.

/// Glyph width in pixels.
pub const WIDTH: usize = 5;
/// Glyph height in pixels.
pub const HEIGHT: usize = 7;

/// The characters the font draws (letters are case-insensitive).
pub const CHARACTERS: &str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,!?-+:";

/// The glyphs drawn side by side, [`PER_BAND`] to a band in the order of [`CHARACTERS`], one
/// blank column apart: row `r` of the `k`-th character is the `WIDTH` cells of
/// `BANDS[k / PER_BAND][r]` from column `(k % PER_BAND) · (WIDTH + 1)`.
const BANDS: [[&str; HEIGHT]; 4] = [
    // A     B     C     D     E     F     G     H     I     J     K
    [
        ".###. ####. .###. ####. ##### ##### .###. #...# .###. ..### #...#",
        "#...# #...# #...# #...# #.... #.... #...# #...# ..#.. ...#. #..#.",
        "#...# #...# #.... #...# #.... #.... #.... #...# ..#.. ...#. #.#..",
        "##### ####. #.... #...# ####. ####. #.### ##### ..#.. ...#. ##...",
        "#...# #...# #.... #...# #.... #.... #...# #...# ..#.. ...#. #.#..",
        "#...# #...# #...# #...# #.... #.... #...# #...# ..#.. #..#. #..#.",
        "#...# ####. .###. ####. ##### #.... .#### #...# .###. .##.. #...#",
    ],
    // L     M     N     O     P     Q     R     S     T     U     V
    [
        "#.... #...# #...# .###. ####. .###. ####. .#### ##### #...# #...#",
        "#.... ##.## #...# #...# #...# #...# #...# #.... ..#.. #...# #...#",
        "#.... #.#.# ##..# #...# #...# #...# #...# #.... ..#.. #...# #...#",
        "#.... #.#.# #.#.# #...# ####. #...# ####. .###. ..#.. #...# #...#",
        "#.... #...# #..## #...# #.... #.#.# #.#.. ....# ..#.. #...# #...#",
        "#.... #...# #...# #...# #.... #..#. #..#. ....# ..#.. #...# .#.#.",
        "##### #...# #...# .###. #.... .##.# #...# ####. ..#.. .###. ..#..",
    ],
    // W     X     Y     Z     0     1     2     3     4     5     6
    [
        "#...# #...# #...# ##### .###. ..#.. .###. ##### ...#. ##### ..##.",
        "#...# #...# #...# ....# #...# .##.. #...# ...#. ..##. #.... .#...",
        "#...# .#.#. .#.#. ...#. #..## ..#.. ....# ..#.. .#.#. ####. #....",
        "#.#.# ..#.. ..#.. ..#.. #.#.# ..#.. ...#. ...#. #..#. ....# ####.",
        "#.#.# .#.#. ..#.. .#... ##..# ..#.. ..#.. ....# ##### ....# #...#",
        "#.#.# #...# ..#.. #.... #...# ..#.. .#... #...# ...#. #...# #...#",
        ".#.#. #...# ..#.. ##### .###. .###. ##### .###. ...#. .###. .###.",
    ],
    // 7     8     9           .     ,     !     ?     -     +     :
    [
        "##### .###. .###. ..... ..... ..... ..#.. .###. ..... ..... .....",
        "....# #...# #...# ..... ..... ..... ..#.. #...# ..... ..#.. .##..",
        "...#. #...# #...# ..... ..... ..... ..#.. ....# ..... ..#.. .##..",
        "..#.. .###. .#### ..... ..... ..... ..#.. ...#. ##### ##### .....",
        ".#... #...# ....# ..... ..... .##.. ..#.. ..#.. ..... ..#.. .##..",
        ".#... #...# ...#. ..... .##.. ..#.. ..... ..... ..... ..#.. .##..",
        ".#... .###. .##.. ..... .##.. .#... ..#.. ..#.. ..... ..... .....",
    ],
];

/// Characters per band of [`BANDS`].
const PER_BAND: usize = 11;

/// The glyph of `c` as 7 rows of 5 cells (`#` = on), or `None` if the font lacks it.
pub fn glyph(c: char) -> Option<[&'static str; HEIGHT]> {
    let k = CHARACTERS.find(c.to_ascii_uppercase())?;
    let band = &BANDS[k / PER_BAND];
    let at = (k % PER_BAND) * (WIDTH + 1);
    Some(std::array::from_fn(|r| &band[r][at..at + WIDTH]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_listed_character_has_a_well_formed_distinct_glyph() {
        let mut seen = std::collections::HashSet::new();
        for c in CHARACTERS.chars() {
            let g = glyph(c).unwrap_or_else(|| panic!("no glyph for {c:?}"));
            for row in g {
                assert_eq!(row.len(), WIDTH, "{c:?}");
                assert!(row.chars().all(|ch| ch == '#' || ch == '.'), "{c:?}");
            }
            assert!(seen.insert(g), "glyph of {c:?} repeats another");
        }
        assert_eq!(glyph('a'), glyph('A'));
        assert_eq!(glyph('~'), None);
    }
}
