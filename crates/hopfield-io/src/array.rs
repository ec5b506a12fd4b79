//! A numeric array read from a file, before it is interpreted as patterns or cues.

use crate::error::Problem;

/// The element type of a `.npy` array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dtype {
    /// Boolean, one byte.
    Bool,
    /// Signed integer of this many bytes, little-endian when `le`.
    Int {
        /// Bytes per element.
        size: usize,
        /// Little-endian byte order.
        le: bool,
    },
    /// Unsigned integer of this many bytes.
    Uint {
        /// Bytes per element.
        size: usize,
        /// Little-endian byte order.
        le: bool,
    },
    /// IEEE float of 4 or 8 bytes.
    Float {
        /// Bytes per element.
        size: usize,
        /// Little-endian byte order.
        le: bool,
    },
}

impl Dtype {
    /// Parses a NumPy type string such as `<i8`, `|i1`, `>f4`, `|b1`.
    pub fn from_descr(descr: &str) -> Result<Dtype, Problem> {
        let unsupported = || {
            Problem::new(format!(
                "dtype '{}' is not supported; use an integer, float or bool array \
                 (int8 … int64, float32, float64)",
                hopfield::excerpt(descr)
            ))
        };
        let mut chars = descr.chars();
        let order = chars.next().ok_or_else(unsupported)?;
        let le = match order {
            '<' | '|' | '=' => true,
            '>' => false,
            _ => return Err(unsupported()),
        };
        let kind = chars.next().ok_or_else(unsupported)?;
        let size: usize = chars.as_str().parse().map_err(|_| unsupported())?;
        let dtype = match (kind, size) {
            ('b', 1) => Dtype::Bool,
            ('i', 1 | 2 | 4 | 8) => Dtype::Int { size, le },
            ('u', 1 | 2 | 4 | 8) => Dtype::Uint { size, le },
            ('f', 4 | 8) => Dtype::Float { size, le },
            _ => return Err(unsupported()),
        };
        Ok(dtype)
    }

    /// Bytes per element.
    pub fn size(self) -> usize {
        match self {
            Dtype::Bool => 1,
            Dtype::Int { size, .. } | Dtype::Uint { size, .. } | Dtype::Float { size, .. } => size,
        }
    }

    #[inline]
    fn decode(self, b: &[u8]) -> f64 {
        fn arr<const K: usize>(b: &[u8], le: bool) -> [u8; K] {
            let mut a = [0u8; K];
            a.copy_from_slice(&b[..K]);
            if !le {
                a.reverse();
            }
            a
        }
        match self {
            Dtype::Bool => f64::from(u8::from(b[0] != 0)),
            Dtype::Int { size: 1, .. } => f64::from(b[0] as i8),
            Dtype::Int { size: 2, le } => f64::from(i16::from_le_bytes(arr(b, le))),
            Dtype::Int { size: 4, le } => f64::from(i32::from_le_bytes(arr(b, le))),
            Dtype::Int { le, .. } => i64::from_le_bytes(arr(b, le)) as f64,
            Dtype::Uint { size: 1, .. } => f64::from(b[0]),
            Dtype::Uint { size: 2, le } => f64::from(u16::from_le_bytes(arr(b, le))),
            Dtype::Uint { size: 4, le } => f64::from(u32::from_le_bytes(arr(b, le))),
            Dtype::Uint { le, .. } => u64::from_le_bytes(arr(b, le)) as f64,
            Dtype::Float { size: 4, le } => f64::from(f32::from_le_bytes(arr(b, le))),
            Dtype::Float { le, .. } => f64::from_le_bytes(arr(b, le)),
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Data {
    Raw { dtype: Dtype, bytes: Vec<u8> },
    Values(Vec<f64>),
}

/// A C-ordered array of 1 to 3 dimensions whose elements read as `f64`.
#[derive(Debug, Clone, PartialEq)]
pub struct Array {
    dims: Vec<usize>,
    data: Data,
}

impl Array {
    pub(crate) fn raw(dims: Vec<usize>, dtype: Dtype, bytes: Vec<u8>) -> Array {
        Array {
            dims,
            data: Data::Raw { dtype, bytes },
        }
    }

    /// An array from values and dimensions (their product must equal the length).
    pub fn from_values(dims: Vec<usize>, values: Vec<f64>) -> Array {
        debug_assert_eq!(dims.iter().product::<usize>(), values.len());
        Array {
            dims,
            data: Data::Values(values),
        }
    }

    /// The dimensions.
    pub fn dims(&self) -> &[usize] {
        &self.dims
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.dims.iter().product()
    }

    /// Whether the array has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Elements `start..start + out.len()` as `f64`.
    pub fn read(&self, start: usize, out: &mut [f64]) {
        match &self.data {
            Data::Values(v) => out.copy_from_slice(&v[start..start + out.len()]),
            Data::Raw { dtype, bytes } => {
                let s = dtype.size();
                for (k, o) in out.iter_mut().enumerate() {
                    let at = (start + k) * s;
                    *o = dtype.decode(&bytes[at..at + s]);
                }
            }
        }
    }

    /// Every element as `f64`.
    pub fn to_f64(&self) -> Vec<f64> {
        let mut v = vec![0.0; self.len()];
        self.read(0, &mut v);
        v
    }

    /// Calls `f` on every element in order, stopping at the first `false`.
    pub fn all(&self, mut f: impl FnMut(f64) -> bool) -> bool {
        let mut buf = [0.0; 256];
        let mut at = 0;
        let len = self.len();
        while at < len {
            let k = (len - at).min(buf.len());
            self.read(at, &mut buf[..k]);
            if !buf[..k].iter().all(|&v| f(v)) {
                return false;
            }
            at += k;
        }
        true
    }
}
