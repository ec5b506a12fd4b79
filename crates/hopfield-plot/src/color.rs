//! Colours and colormaps.

/// An opaque 8-bit sRGB colour.
///
/// Transparency, where it makes sense, is set separately on the layer
/// (for example [`Histogram::alpha`](crate::Histogram::alpha)).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Color {
    /// Red channel.
    pub r: u8,
    /// Green channel.
    pub g: u8,
    /// Blue channel.
    pub b: u8,
}

/// matplotlib's default colour cycle ("tab10").
const TAB10: [Color; 10] = [
    Color::rgb(0x1f, 0x77, 0xb4),
    Color::rgb(0xff, 0x7f, 0x0e),
    Color::rgb(0x2c, 0xa0, 0x2c),
    Color::rgb(0xd6, 0x27, 0x28),
    Color::rgb(0x94, 0x67, 0xbd),
    Color::rgb(0x8c, 0x56, 0x4b),
    Color::rgb(0xe3, 0x77, 0xc2),
    Color::rgb(0x7f, 0x7f, 0x7f),
    Color::rgb(0xbc, 0xbd, 0x22),
    Color::rgb(0x17, 0xbe, 0xcf),
];

impl Color {
    /// Black.
    pub const BLACK: Color = Color::rgb(0, 0, 0);
    /// White.
    pub const WHITE: Color = Color::rgb(255, 255, 255);
    /// Medium gray (`#808080`).
    pub const GRAY: Color = Color::rgb(128, 128, 128);
    /// Dark gray (`#444444`), the default colour of reference lines.
    pub const DARK_GRAY: Color = Color::rgb(0x44, 0x44, 0x44);
    /// matplotlib's "tab:blue" (`#1f77b4`), the first colour of the cycle.
    pub const BLUE: Color = TAB10[0];
    /// matplotlib's "tab:orange" (`#ff7f0e`).
    pub const ORANGE: Color = TAB10[1];
    /// matplotlib's "tab:green" (`#2ca02c`).
    pub const GREEN: Color = TAB10[2];
    /// matplotlib's "tab:red" (`#d62728`).
    pub const RED: Color = TAB10[3];

    /// A colour from its red, green and blue channels.
    pub const fn rgb(r: u8, g: u8, b: u8) -> Color {
        Color { r, g, b }
    }

    /// Parses `#rrggbb` or `rrggbb` (case-insensitive); `None` if malformed.
    ///
    /// ```
    /// use hopfield_plot::Color;
    /// assert_eq!(Color::from_hex("#1f77b4"), Some(Color::BLUE));
    /// assert_eq!(Color::from_hex("blue"), None);
    /// ```
    pub fn from_hex(hex: &str) -> Option<Color> {
        let h = hex.strip_prefix('#').unwrap_or(hex);
        if h.len() != 6 || !h.is_ascii() {
            return None;
        }
        let channel = |i: usize| u8::from_str_radix(&h[i..i + 2], 16).ok();
        Some(Color::rgb(channel(0)?, channel(2)?, channel(4)?))
    }

    /// The `i`-th colour of matplotlib's default cycle ("tab10"), wrapping
    /// around after 10. Layers without an explicit colour take these in order.
    pub fn cycle(i: usize) -> Color {
        TAB10[i % TAB10.len()]
    }

    /// `#rrggbb`, as written into SVG files.
    pub fn to_hex(self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.r, self.g, self.b)
    }

    fn lerp(a: Color, b: Color, t: f64) -> Color {
        let mix = |x: u8, y: u8| {
            let v = f64::from(x) + (f64::from(y) - f64::from(x)) * t;
            v.round().clamp(0.0, 255.0) as u8
        };
        Color::rgb(mix(a.r, b.r), mix(a.g, b.g), mix(a.b, b.b))
    }
}

/// How values of an [`Image`](crate::Image) map to colours.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Colormap {
    /// Low values black, high values white (matplotlib "gray").
    Gray,
    /// Low values white, high values black (matplotlib "gray_r"): for ±1 or
    /// 0/1 patterns with "on" drawn dark.
    GrayR,
    /// Perceptually uniform dark-purple → green → yellow (matplotlib "viridis",
    /// interpolated between 11 of its colours). The default.
    #[default]
    Viridis,
    /// Diverging blue → white → red (matplotlib "RdBu_r", the ColorBrewer
    /// scheme): for weight matrices, ideally with a symmetric value range.
    RdBuR,
    /// Diverging pure blue → white → pure red (matplotlib "bwr").
    Bwr,
}

const VIRIDIS: [u32; 11] = [
    0x440154, 0x482475, 0x414487, 0x355f8d, 0x2a788e, 0x21918c, 0x22a884, 0x44bf70, 0x7ad151,
    0xbddf26, 0xfde725,
];
const RDBU_R: [u32; 11] = [
    0x053061, 0x2166ac, 0x4393c3, 0x92c5de, 0xd1e5f0, 0xf7f7f7, 0xfddbc7, 0xf4a582, 0xd6604d,
    0xb2182b, 0x67001f,
];
const BWR: [u32; 3] = [0x0000ff, 0xffffff, 0xff0000];

fn from_u32(c: u32) -> Color {
    Color::rgb((c >> 16) as u8, (c >> 8) as u8, c as u8)
}

fn interpolate(stops: &[u32], t: f64) -> Color {
    let n = stops.len() - 1;
    let pos = t * n as f64;
    let i = (pos.floor() as usize).min(n - 1);
    Color::lerp(from_u32(stops[i]), from_u32(stops[i + 1]), pos - i as f64)
}

impl Colormap {
    /// The colour at `t` in `[0, 1]` (clamped; NaN maps to 0).
    pub fn sample(self, t: f64) -> Color {
        let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
        match self {
            Colormap::Gray => {
                let v = (t * 255.0).round() as u8;
                Color::rgb(v, v, v)
            }
            Colormap::GrayR => {
                let v = ((1.0 - t) * 255.0).round() as u8;
                Color::rgb(v, v, v)
            }
            Colormap::Viridis => interpolate(&VIRIDIS, t),
            Colormap::RdBuR => interpolate(&RDBU_R, t),
            Colormap::Bwr => interpolate(&BWR, t),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colormap_ends() {
        assert_eq!(Colormap::GrayR.sample(1.0), Color::BLACK);
        assert_eq!(Colormap::GrayR.sample(0.0), Color::WHITE);
        assert_eq!(Colormap::Gray.sample(1.0), Color::WHITE);
        assert_eq!(Colormap::Bwr.sample(0.5), Color::WHITE);
        assert_eq!(Colormap::Bwr.sample(0.0), Color::rgb(0, 0, 255));
        assert_eq!(Colormap::Viridis.sample(1.0), from_u32(0xfde725));
        assert_eq!(Colormap::RdBuR.sample(0.5), from_u32(0xf7f7f7));
        assert_eq!(Colormap::Viridis.sample(f64::NAN), from_u32(0x440154));
    }

    #[test]
    fn hex_round_trip() {
        for i in 0..10 {
            let c = Color::cycle(i);
            assert_eq!(Color::from_hex(&c.to_hex()), Some(c));
        }
        assert_eq!(Color::from_hex("#12345"), None);
        assert_eq!(Color::from_hex("#12345g"), None);
        assert_eq!(Color::from_hex("ééé"), None);
    }
}
