//! The embedded DejaVu Sans font: text measurement and glyph outlines.
//!
//! Text is measured with the same metrics for the SVG and the PNG output, so
//! the layout of both files is identical. Kerning comes from the font's `kern`
//! table (as FreeType, and hence matplotlib's Agg backend, does); there is no
//! complex shaping, which plot labels do not need.

use std::sync::OnceLock;

use ttf_parser::{Face, GlyphId, OutlineBuilder};

/// The bytes of `assets/DejaVuSans.ttf` (license in `assets/LICENSE-DejaVu.txt`).
static FONT_BYTES: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

/// Family names written into SVG files; the first is the embedded font.
pub(crate) const SVG_FONT_FAMILY: &str =
    "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, Arial, sans-serif";

/// A parsed font with cached vertical metrics (in em units).
pub(crate) struct Font {
    face: Face<'static>,
    units_per_em: f64,
    /// Height of capital letters above the baseline, in em.
    pub(crate) cap_height: f64,
    /// Depth of descenders below the baseline, in em (positive).
    pub(crate) descent: f64,
}

/// The embedded font, parsed once.
pub(crate) fn font() -> &'static Font {
    static FONT: OnceLock<Font> = OnceLock::new();
    FONT.get_or_init(|| {
        // The font is a fixed asset compiled into the crate and checked by the
        // tests, so failing to parse it is a build defect, not a data error.
        let face = Face::parse(FONT_BYTES, 0).expect("embedded DejaVu Sans font must parse");
        let units_per_em = f64::from(face.units_per_em());
        let cap_height = f64::from(face.capital_height().unwrap_or(1493)) / units_per_em;
        let descent = -f64::from(face.descender()) / units_per_em;
        Font {
            face,
            units_per_em,
            cap_height,
            descent,
        }
    })
}

/// One positioned glyph: its id and pen position in em units.
#[derive(Clone, Copy, Debug)]
pub(crate) struct PlacedGlyph {
    pub(crate) id: GlyphId,
    pub(crate) x: f64,
}

impl Font {
    fn glyph_id(&self, c: char) -> GlyphId {
        self.face
            .glyph_index(c)
            .or_else(|| self.face.glyph_index('?'))
            .unwrap_or(GlyphId(0))
    }

    fn kerning(&self, left: GlyphId, right: GlyphId) -> f64 {
        let Some(kern) = self.face.tables().kern else {
            return 0.0;
        };
        for sub in kern.subtables {
            if sub.horizontal
                && !sub.variable
                && !sub.has_cross_stream
                && let Some(k) = sub.glyphs_kerning(left, right)
            {
                return f64::from(k);
            }
        }
        0.0
    }

    /// Lays out a single line of text; returns the glyphs and the total advance (em).
    pub(crate) fn layout(&self, text: &str) -> (Vec<PlacedGlyph>, f64) {
        let mut glyphs = Vec::with_capacity(text.len());
        let mut pen = 0.0;
        let mut prev: Option<GlyphId> = None;
        for c in text.chars() {
            if c.is_control() {
                continue;
            }
            let id = self.glyph_id(c);
            if let Some(p) = prev {
                pen += self.kerning(p, id);
            }
            glyphs.push(PlacedGlyph {
                id,
                x: pen / self.units_per_em,
            });
            pen += f64::from(self.face.glyph_hor_advance(id).unwrap_or(0));
            prev = Some(id);
        }
        (glyphs, pen / self.units_per_em)
    }

    /// Width in pixels of a single line of text at `size` pixels per em.
    pub(crate) fn width(&self, text: &str, size: f64) -> f64 {
        self.layout(text).1 * size
    }

    /// Feeds the outline of glyph `id` to `sink`, in em units (y up).
    pub(crate) fn outline(&self, id: GlyphId, sink: &mut dyn FnMut(OutlineCmd)) {
        struct Adapter<'a> {
            scale: f32,
            sink: &'a mut dyn FnMut(OutlineCmd),
        }
        impl OutlineBuilder for Adapter<'_> {
            fn move_to(&mut self, x: f32, y: f32) {
                (self.sink)(OutlineCmd::Move(x * self.scale, y * self.scale));
            }
            fn line_to(&mut self, x: f32, y: f32) {
                (self.sink)(OutlineCmd::Line(x * self.scale, y * self.scale));
            }
            fn quad_to(&mut self, x1: f32, y1: f32, x: f32, y: f32) {
                let s = self.scale;
                (self.sink)(OutlineCmd::Quad(x1 * s, y1 * s, x * s, y * s));
            }
            fn curve_to(&mut self, x1: f32, y1: f32, x2: f32, y2: f32, x: f32, y: f32) {
                let s = self.scale;
                (self.sink)(OutlineCmd::Cubic(
                    x1 * s,
                    y1 * s,
                    x2 * s,
                    y2 * s,
                    x * s,
                    y * s,
                ));
            }
            fn close(&mut self) {
                (self.sink)(OutlineCmd::Close);
            }
        }
        let mut adapter = Adapter {
            scale: (1.0 / self.units_per_em) as f32,
            sink,
        };
        // A glyph without an outline (a space) simply produces no commands.
        let _ = self.face.outline_glyph(id, &mut adapter);
    }
}

/// One outline drawing command in em units, y pointing up.
#[derive(Clone, Copy, Debug)]
pub(crate) enum OutlineCmd {
    Move(f32, f32),
    Line(f32, f32),
    Quad(f32, f32, f32, f32),
    Cubic(f32, f32, f32, f32, f32, f32),
    Close,
}
