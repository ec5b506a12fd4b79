//! Conversions between Python values (numpy arrays, sizes, seeds, names) and the engine's.
//!
//! Arrays come in as anything `numpy.asarray` accepts with an integer, unsigned, float or
//! bool dtype; their values are checked by the core's own converters, so a bad value is
//! reported with the item and the neuron (`pattern 2, neuron 7: value 2 is not ±1`).
//! Arrays go out as new numpy arrays: states and patterns in numpy's default integer
//! (`int64`, or the `dtype=` the caller asks for, see [`Dtype`]), measures in `float64`.
//!
//! Two readings are never guessed. A 2-D array given where a set of patterns is expected
//! is read as P flat patterns of N neurons only when it has fewer rows than columns (or
//! one row); anything else could be one image and is refused unless `shape=` says how to
//! read it ([`set_layout`]). A state holding only 0 and 1 is read in the ±1 encoding of
//! the network (0 = unknown), or refused when the network stored 0/1 data or there is
//! no network ([`state_encoding`]).

use std::str::FromStr;

use hopfield::pattern::{bipolar_cue, bipolar_pattern};
use hopfield::{
    Encoding, Error as CoreError, LearningRule, Normalization, Patterns, Rule, Shape, Threshold,
};
use numpy::{
    PyArray1, PyArrayDescrMethods, PyArrayDyn, PyArrayMethods, PyUntypedArray,
    PyUntypedArrayMethods,
};
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};

/// Numbers read from an array-like: its dimensions and its values, row-major.
#[derive(Debug, Clone)]
pub struct Numbers {
    /// The array's shape.
    pub dims: Vec<usize>,
    /// The values as `f64`, row-major.
    pub values: Vec<f64>,
    /// Whether the array's dtype is `bool` (on/off data, which has no "unknown").
    pub boolean: bool,
}

/// Reads any numeric array-like (numpy array, nested lists) as `f64` values.
///
/// `what` names the argument in errors. Strings, objects and complex numbers are refused
/// with a `TypeError`.
pub fn numbers(obj: &Bound<'_, PyAny>, what: &str) -> Result<Numbers> {
    let py = obj.py();
    let np = py.import("numpy")?;
    let array = match obj.cast::<PyUntypedArray>() {
        Ok(a) => a.clone(),
        Err(_) => {
            if obj.is_none() || obj.is_instance_of::<PyString>() {
                return Err(Error::type_error(format!(
                    "{what} must be an array of numbers, got {}",
                    type_name(obj)
                )));
            }
            np.call_method1("asarray", (obj,))?
                .cast_into::<PyUntypedArray>()
                .map_err(PyErr::from)?
        }
    };
    let dtype = array.dtype();
    if !matches!(dtype.kind(), b'b' | b'i' | b'u' | b'f') {
        return Err(Error::type_error(format!(
            "{what} must be an array of numbers (±1 or 0/1), got an array of dtype {}",
            dtype.str()?
        )));
    }
    let dims = array.shape().to_vec();
    let boolean = dtype.kind() == b'b';
    let float = np
        .call_method1("ascontiguousarray", (array, "float64"))?
        .cast_into::<PyArrayDyn<f64>>()
        .map_err(PyErr::from)?;
    let values = float
        .readonly()
        .as_slice()
        .map_err(|e| Error::value_error(format!("{what}: {e}")))?
        .to_vec();
    Ok(Numbers {
        dims,
        values,
        boolean,
    })
}

/// The Python type name of `obj`, for messages.
pub fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_else(|_| "?".into())
}

/// A new numpy array of `dims` holding `values`.
pub fn array<'py, T: numpy::Element>(
    py: Python<'py>,
    values: Vec<T>,
    dims: &[usize],
) -> Result<Bound<'py, PyAny>> {
    Ok(PyArray1::from_vec(py, values)
        .reshape(dims.to_vec())?
        .into_any())
}

/// The dtype of the states and patterns a function returns.
///
/// numpy's default integer, `int64`, unless the caller asks for another with `dtype=`:
/// sums of ±1 values (`x @ x`, `X @ X.T`, energies by hand) are then exact for any
/// realistic N, where `int8` arithmetic wraps at 127. `np.int8` is the compact choice
/// (one byte a neuron, e.g. for long trajectories); any signed integer or float dtype of
/// numpy is accepted, since states hold −1, 0 and 1 (and ±2 after the page's noise).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Dtype {
    /// `int8`, the compact dtype.
    Int8,
    /// `int16`.
    Int16,
    /// `int32`.
    Int32,
    /// `int64`, numpy's default integer (the default).
    #[default]
    Int64,
    /// `float32`.
    Float32,
    /// `float64`.
    Float64,
}

impl Dtype {
    /// Reads a `dtype=` argument: None for the default, else anything `numpy.dtype`
    /// accepts that is a signed integer or float type.
    pub fn extract(obj: Option<&Bound<'_, PyAny>>) -> Result<Dtype> {
        let Some(obj) = obj.filter(|o| !o.is_none()) else {
            return Ok(Dtype::default());
        };
        let np = obj.py().import("numpy")?;
        let shown = obj
            .repr()
            .map(|r| r.to_string())
            .unwrap_or_else(|_| type_name(obj));
        let dtype = np.call_method1("dtype", (obj,)).map_err(|_| {
            Error::type_error(format!(
                "dtype must be a numpy dtype such as np.int8 or np.int64, got {shown}"
            ))
        })?;
        let kind: String = dtype.getattr("kind")?.extract()?;
        let size: usize = dtype.getattr("itemsize")?.extract()?;
        match (kind.as_str(), size) {
            ("i", 1) => Ok(Dtype::Int8),
            ("i", 2) => Ok(Dtype::Int16),
            ("i", 4) => Ok(Dtype::Int32),
            ("i", 8) => Ok(Dtype::Int64),
            ("f", 4) => Ok(Dtype::Float32),
            ("f", 8) => Ok(Dtype::Float64),
            _ => {
                let name = dtype.str().map(|s| s.to_string()).unwrap_or(shown);
                Err(Error::type_error(format!(
                    "dtype={name} cannot hold states (values -1, 0 and 1): use a signed \
                     integer or float dtype, e.g. np.int8 (compact) or np.int64 (the default)"
                )))
            }
        }
    }

    /// A new numpy array of `dims` holding `values` in this dtype.
    pub fn array<'py>(
        self,
        py: Python<'py>,
        values: &[i8],
        dims: &[usize],
    ) -> Result<Bound<'py, PyAny>> {
        fn cast<T: From<i8>>(values: &[i8]) -> Vec<T> {
            values.iter().map(|&v| T::from(v)).collect()
        }
        match self {
            Dtype::Int8 => array(py, values.to_vec(), dims),
            Dtype::Int16 => array(py, cast::<i16>(values), dims),
            Dtype::Int32 => array(py, cast::<i32>(values), dims),
            Dtype::Int64 => array(py, cast::<i64>(values), dims),
            Dtype::Float32 => array(py, cast::<f32>(values), dims),
            Dtype::Float64 => array(py, cast::<f64>(values), dims),
        }
    }
}

/// The dimensions of one state of `n` neurons with an optional display shape.
pub fn state_dims(n: usize, shape: Option<Shape>) -> Vec<usize> {
    match shape {
        Some(s) => vec![s.rows, s.cols],
        None => vec![n],
    }
}

/// Parses a name with the core's parser (its error lists the valid names).
pub fn parse<T: FromStr<Err = CoreError>>(s: &str) -> Result<T> {
    Ok(s.parse()?)
}

/// A 2-D size: an integer `n` (n × n), a pair `(rows, cols)` or a string `"HxW"`.
pub fn size(obj: &Bound<'_, PyAny>, what: &str) -> Result<Shape> {
    let bad = || {
        Error::type_error(format!(
            "{what} must be an integer n (n x n), a pair (rows, cols) or a string 'HxW', got {}",
            type_name(obj)
        ))
    };
    let positive = |v: i64| -> Result<usize> {
        usize::try_from(v)
            .ok()
            .filter(|&v| v > 0)
            .ok_or_else(|| Error::value_error(format!("{what}: sizes must be positive, got {v}")))
    };
    if obj.is_instance_of::<PyBool>() {
        return Err(bad());
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return parse::<Shape>(&s.to_cow()?);
    }
    if let Ok(n) = obj.extract::<i64>() {
        let n = positive(n)?;
        return Ok(Shape::new(n, n));
    }
    if let Ok((r, c)) = obj.extract::<(i64, i64)>() {
        return Ok(Shape::new(positive(r)?, positive(c)?));
    }
    Err(bad())
}

/// An optional 2-D size.
pub fn optional_size(obj: Option<&Bound<'_, PyAny>>, what: &str) -> Result<Option<Shape>> {
    match obj {
        None => Ok(None),
        Some(o) if o.is_none() => Ok(None),
        Some(o) => size(o, what).map(Some),
    }
}

/// Resolves an encoding name over all values at once (as the file readers do).
pub fn encoding(name: &str, values: &[f64]) -> Result<Encoding> {
    Ok(parse::<Encoding>(name)?.resolve(values))
}

/// The shape of one pattern, as the caller gives it with `shape=`: `(H, W)` (also an
/// integer n for n × n, or `"HxW"`) for images, `(N,)` for flat patterns.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ItemShape {
    /// Flat patterns of this many neurons, without a display shape.
    Flat(usize),
    /// Images of this shape.
    Image(Shape),
}

impl ItemShape {
    /// The number of neurons of one pattern.
    pub fn len(self) -> usize {
        match self {
            ItemShape::Flat(n) => n,
            ItemShape::Image(s) => s.len(),
        }
    }

    /// Whether one pattern has no neurons (never, for a parsed shape).
    pub fn is_empty(self) -> bool {
        self.len() == 0
    }
}

/// Reads an optional `shape=` of a function taking patterns: `(H, W)`, `"HxW"`, an
/// integer n (n × n), or `(N,)` for flat patterns.
pub fn item_shape(obj: Option<&Bound<'_, PyAny>>, what: &str) -> Result<Option<ItemShape>> {
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(None);
    };
    if let Ok((n,)) = obj.extract::<(i64,)>() {
        return match usize::try_from(n) {
            Ok(n) if n > 0 => Ok(Some(ItemShape::Flat(n))),
            _ => Err(Error::value_error(format!(
                "{what}: sizes must be positive, got {n}"
            ))),
        };
    }
    match size(obj, what) {
        Ok(s) => Ok(Some(ItemShape::Image(s))),
        Err(Error::Type(_)) => Err(Error::type_error(format!(
            "{what} must be (H, W) for images (or 'HxW', or n for n x n) or (N,) for flat \
             patterns, got {}",
            type_name(obj)
        ))),
        Err(e) => Err(e),
    }
}

/// How an array holds a set of patterns: `count` patterns of `n` neurons, each with an
/// optional display shape.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SetLayout {
    /// The number of patterns.
    pub count: usize,
    /// Neurons per pattern.
    pub n: usize,
    /// The display shape of one pattern.
    pub shape: Option<Shape>,
}

/// The dimensions as Python writes a shape: `(3,)`, `(100, 100)`.
pub fn shape_text(dims: &[usize]) -> String {
    match dims {
        [n] => format!("({n},)"),
        _ => {
            let parts: Vec<String> = dims.iter().map(usize::to_string).collect();
            format!("({})", parts.join(", "))
        }
    }
}

/// Reads the dimensions of a set of patterns (named `what` in errors).
///
/// - `(N,)`: one flat pattern.
/// - `(P, H, W)`: P images.
/// - `(A, B)`: with `shape=(A, B)`, one image; with `shape=(B,)` or an image shape of B
///   neurons, A patterns; when the number of neurons is known (`neurons`), whichever
///   reading fits it; otherwise A flat patterns of B neurons when A = 1 or A < B, and
///   refused as ambiguous when A ≥ B (a square or tall array may be one image: the
///   message shows `X[None]` and `shape=(B,)`).
pub fn set_layout(
    what: &str,
    dims: &[usize],
    shape: Option<ItemShape>,
    neurons: Option<usize>,
) -> Result<SetLayout> {
    let layout = |count: usize, n: usize, shape: Option<Shape>| SetLayout { count, n, shape };
    let image = |s: Shape, per: usize| -> Result<Option<Shape>> {
        s.check("each pattern", per)?;
        Ok(Some(s))
    };
    let flat = |m: usize, per: usize| -> Result<()> {
        if m == per {
            Ok(())
        } else {
            Err(Error::value_error(format!(
                "{what}: shape {} does not fit shape=({m},): its patterns have {per} neurons",
                shape_text(dims)
            )))
        }
    };
    match *dims {
        [n] => match shape {
            None => Ok(layout(1, n, None)),
            Some(ItemShape::Image(s)) => Ok(layout(1, n, image(s, n)?)),
            Some(ItemShape::Flat(m)) => flat(m, n).map(|()| layout(1, n, None)),
        },
        [a, b] => match shape {
            Some(ItemShape::Image(s)) if s == Shape::new(a, b) => Ok(layout(1, a * b, Some(s))),
            Some(ItemShape::Image(s)) => Ok(layout(a, b, image(s, b)?)),
            Some(ItemShape::Flat(m)) if m == a * b && m != b => Ok(layout(1, m, None)),
            Some(ItemShape::Flat(m)) => flat(m, b).map(|()| layout(a, b, None)),
            None => match neurons {
                Some(n) if b == n => Ok(layout(a, b, None)),
                Some(n) if a * b == n => Ok(layout(1, n, Some(Shape::new(a, b)))),
                Some(n) => Err(Error::value_error(format!(
                    "{what}: shape {} fits a network of {n} neurons neither as rows of {n} nor \
                     as one image",
                    shape_text(dims)
                ))),
                None if a <= 1 || a < b || b == 0 => Ok(layout(a, b, None)),
                None => Err(Error::value_error(format!(
                    "{what}: shape ({a}, {b}) is ambiguous: one {a}x{b} image, or {a} flat \
                     patterns of {b} neurons? Pass X[None] (shape (1, {a}, {b})) for one \
                     image, or shape=({b},) for {a} patterns of {b} neurons"
                ))),
            },
        },
        [p, h, w] => match shape {
            None => Ok(layout(p, h * w, Some(Shape::new(h, w)))),
            Some(ItemShape::Image(s)) => Ok(layout(p, h * w, image(s, h * w)?)),
            Some(ItemShape::Flat(m)) => flat(m, h * w).map(|()| layout(p, m, None)),
        },
        _ => Err(Error::value_error(format!(
            "{what} must have shape (P, N) or (P, H, W) (or (N,) for one pattern), got an \
             array of shape {}",
            shape_text(dims)
        ))),
    }
}

/// A set of patterns (see [`set_layout`] for the shapes) and the encoding its values were
/// read in: ±1, or 0/1 data converted with S = 2V − 1 (`encoding="auto"` decides from the
/// values, as the command line does; a stored pattern has no unknown neurons).
pub fn patterns(
    obj: &Bound<'_, PyAny>,
    shape: Option<ItemShape>,
    neurons: Option<usize>,
    encoding_name: &str,
) -> Result<(Patterns, Encoding)> {
    let x = numbers(obj, "patterns")?;
    let SetLayout {
        count,
        n,
        shape: display,
    } = set_layout("patterns", &x.dims, shape, neurons)?;
    if count == 0 {
        return Err(CoreError::Empty {
            what: "pattern set".into(),
        }
        .into());
    }
    if n == 0 {
        return Err(CoreError::NoNeurons {
            what: "pattern set".into(),
        }
        .into());
    }
    let enc = encoding(encoding_name, &x.values)?;
    if encoding_name == "auto" {
        // Neither ±1 nor 0/1 throughout: name the first value that fits neither.
        let bad = x
            .values
            .iter()
            .position(|&v| !(v == 1.0 || v == -1.0 || v == 0.0))
            .map(|k| (k, "±1 or 0/1"))
            .or_else(|| {
                let has_minus = x.values.contains(&-1.0);
                x.values
                    .iter()
                    .position(|&v| v == 0.0)
                    .filter(|_| has_minus)
                    .map(|k| (k, "±1 (0 appears beside -1: use ±1, or 0/1 throughout)"))
            });
        if let Some((k, allowed)) = bad {
            let v = x.values[k];
            if !v.is_finite() {
                finite(&format!("pattern {}", k / n), k % n, v)?;
            }
            return Err(value(&format!("pattern {}", k / n), k % n, v, allowed));
        }
    }
    let data: Vec<i8> = match enc {
        // Fast paths for valid data; otherwise the core's converter names the bad value.
        Encoding::Binary if x.values.iter().all(|&v| v == 0.0 || v == 1.0) => x
            .values
            .iter()
            .map(|&v| if v > 0.0 { 1 } else { -1 })
            .collect(),
        Encoding::Bipolar if x.values.iter().all(|&v| v == 1.0 || v == -1.0) => {
            x.values.iter().map(|&v| v as i8).collect()
        }
        _ => {
            let mut data = Vec::with_capacity(x.values.len());
            for (mu, row) in x.values.chunks_exact(n).enumerate() {
                data.extend(bipolar_pattern(&format!("pattern {mu}"), row, enc)?);
            }
            data
        }
    };
    let p = Patterns::new(n, data)?.with_optional_shape(display)?;
    Ok((p, enc))
}

/// A pattern set as a numpy array: `(P, H, W)` with a shape, `(P, N)` without.
pub fn patterns_array<'py>(
    py: Python<'py>,
    p: &Patterns,
    dtype: Dtype,
) -> Result<Bound<'py, PyAny>> {
    let mut dims = vec![p.len()];
    dims.extend(state_dims(p.n(), p.shape()));
    dtype.array(py, p.as_flat(), &dims)
}

/// How neurons of a network read their input: bipolar (±1, 0 unknown, −2..2 before the
/// first update) or binary (0/1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Values {
    /// ±1 neurons; cues are ±1 with 0 for unknown (or raw −2..2 values), or 0/1 data
    /// converted when the caller says so (`encoding="binary"`, or a bool array).
    Bipolar,
    /// 0/1 neurons; cues are 0/1.
    Binary,
}

/// How `encoding="auto"` reads a state of ±1 neurons that holds only 0 and 1 (with at
/// least one 0): in the ±1 encoding, or refused because 0 could mean "off" as well as
/// "unknown".
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum ZeroOne {
    /// The ±1 encoding of the network: 1 is on, 0 is unknown (a masked cue). For networks
    /// whose patterns were ±1, or whose patterns' encoding is not known.
    Unknown,
    /// Refused, naming `encoding=`: the network stored 0/1 data, so a 0 of its user may
    /// be an off neuron as well as an unknown one.
    StoredData,
    /// Refused, naming `encoding=`: no network gives an encoding (noise functions, files).
    NoNetwork,
}

impl ZeroOne {
    /// The reading for a network whose patterns were read in `enc`.
    pub fn of_patterns(enc: Encoding) -> ZeroOne {
        if enc == Encoding::Binary {
            ZeroOne::StoredData
        } else {
            ZeroOne::Unknown
        }
    }
}

/// Resolves `encoding=` for states of `kind` neurons (named `what` in errors).
///
/// `"bipolar"` and `"binary"` are taken as said. `"auto"` never turns a 0 of a ±1 state
/// into −1 on its own: a bool array is on/off data (converted with S = 2V − 1); values
/// holding only 0 and 1 are read as `zero_one` says; anything else is read as ±1 with 0
/// for unknown.
pub fn state_encoding(
    what: &str,
    name: &str,
    x: &Numbers,
    kind: Values,
    zero_one: ZeroOne,
) -> Result<Encoding> {
    let enc: Encoding = parse(name)?;
    if enc != Encoding::Auto || kind == Values::Binary {
        return Ok(enc);
    }
    if x.boolean {
        return Ok(Encoding::Binary);
    }
    if Encoding::Auto.resolve(&x.values) != Encoding::Binary {
        return Ok(Encoding::Bipolar);
    }
    let context = match zero_one {
        ZeroOne::Unknown => return Ok(Encoding::Bipolar),
        ZeroOne::StoredData => ", and this network stored 0/1 data",
        ZeroOne::NoNetwork => "",
    };
    Err(Error::value_error(format!(
        "{what} holds only 0 and 1{context}: is 0 an off neuron or an unknown one? Pass \
         encoding=\"binary\" for 0/1 data (0 = off) or encoding=\"bipolar\" for a ±1 state \
         whose 0s are unknown (as noise.mask leaves them)"
    )))
}

/// Converts the values of one cue. `enc` is the encoding resolved over the whole input.
pub fn cue_values(item: &str, values: &[f64], enc: Encoding, kind: Values) -> Result<Vec<i8>> {
    match kind {
        Values::Binary => values
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                finite(item, i, v)?;
                if v == 0.0 || v == 1.0 {
                    Ok(v as i8)
                } else {
                    Err(value(item, i, v, "0 or 1 (the network has binary neurons)"))
                }
            })
            .collect(),
        Values::Bipolar if enc == Encoding::Binary => {
            if values.iter().all(|&v| v == 0.0 || v == 1.0) {
                return Ok(values
                    .iter()
                    .map(|&v| if v > 0.0 { 1 } else { -1 })
                    .collect());
            }
            // The core's converter names the offending value.
            Ok(bipolar_cue(item, values, enc)?)
        }
        // ±1, 0 for unknown, and −2 to 2 as the page's additive noise leaves them.
        Values::Bipolar => Ok(bipolar_cue(item, values, enc)?),
    }
}

fn finite(item: &str, position: usize, v: f64) -> Result<()> {
    if v.is_finite() {
        Ok(())
    } else {
        Err(CoreError::NotFinite {
            item: item.to_string(),
            position,
            value: v,
        }
        .into())
    }
}

fn value(item: &str, position: usize, v: f64, allowed: &'static str) -> Error {
    CoreError::Value {
        item: item.to_string(),
        position,
        value: v,
        allowed,
    }
    .into()
}

/// One state or a batch of states for a network of `n` neurons.
#[derive(Debug, Clone)]
pub struct States {
    /// The states, each of `n` values.
    pub states: Vec<Vec<i8>>,
    /// The dimensions of one state, to give results the input's shape.
    pub dims: Vec<usize>,
    /// Whether the input was a batch (a leading axis of K states).
    pub batch: bool,
}

/// Reads one state or a batch for a network of `n` neurons and display shape `shape`:
/// `(N,)`, `(H, W)` → one state; `(K, N)`, `(K, H, W)` → a batch. An `(a, b)` array is one
/// 2-D state when it has the network's shape, or when `a · b = N` and `b ≠ N`. The values
/// are read as [`state_encoding`] says, over the whole input at once.
pub fn states(
    obj: &Bound<'_, PyAny>,
    what: &str,
    n: usize,
    shape: Option<Shape>,
    encoding_name: &str,
    kind: Values,
    zero_one: ZeroOne,
) -> Result<States> {
    let x = numbers(obj, what)?;
    let mismatch = || {
        let net = match shape {
            Some(s) => format!("{n} neurons ({}x{})", s.rows, s.cols),
            None => format!("{n} neurons"),
        };
        Error::value_error(format!(
            "{what} of shape {:?} does not fit a network of {net}; give (N,), (H, W), \
             (K, N) or (K, H, W)",
            x.dims
        ))
    };
    let (count, dims, batch) = match *x.dims.as_slice() {
        [len] if len == n => (1, vec![n], false),
        [len] => return Err(CoreError::length(what, n, len).into()),
        [a, b] if shape == Some(Shape::new(a, b)) => (1, vec![a, b], false),
        [k, b] if b == n => (k, vec![n], true),
        [a, b] if a * b == n => (1, vec![a, b], false),
        [k, h, w] if h * w == n => (k, vec![h, w], true),
        [] => {
            return Err(Error::value_error(format!(
                "{what} must be an array of neuron values, got a single number"
            )));
        }
        _ => return Err(mismatch()),
    };
    if count == 0 {
        return Err(Error::value_error(format!(
            "{what} is an empty batch (K = 0)"
        )));
    }
    let enc = state_encoding(what, encoding_name, &x, kind, zero_one)?;
    let states = x
        .values
        .chunks_exact(n)
        .enumerate()
        .map(|(k, v)| {
            let item = if batch {
                format!("{what} {k}")
            } else {
                what.to_string()
            };
            cue_values(&item, v, enc, kind)
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(States {
        states,
        dims,
        batch,
    })
}

/// Reads one state of any shape (flattened) for the noise functions: ±1 with 0 for
/// unknown; 0/1 data converts to ±1 when `encoding="binary"` says so (or the array is
/// bool), and a state of only 0 and 1 is refused as ambiguous under `"auto"`.
pub fn one_state(
    obj: &Bound<'_, PyAny>,
    what: &str,
    encoding_name: &str,
) -> Result<(Vec<i8>, Vec<usize>)> {
    let x = numbers(obj, what)?;
    if x.values.is_empty() {
        return Err(CoreError::NoNeurons { what: what.into() }.into());
    }
    let enc = state_encoding(what, encoding_name, &x, Values::Bipolar, ZeroOne::NoNetwork)?;
    let v = cue_values(what, &x.values, enc, Values::Bipolar)?;
    Ok((v, x.dims))
}

/// Reads small integers (−100..=100) of any shape, unconverted (for additive noise and masks).
pub fn raw_state(obj: &Bound<'_, PyAny>, what: &str) -> Result<(Vec<i8>, Vec<usize>)> {
    let x = numbers(obj, what)?;
    if x.values.is_empty() {
        return Err(CoreError::NoNeurons { what: what.into() }.into());
    }
    let v = x
        .values
        .iter()
        .enumerate()
        .map(|(i, &v)| {
            finite(what, i, v)?;
            if v.fract() == 0.0 && (-100.0..=100.0).contains(&v) {
                Ok(v as i8)
            } else {
                Err(value(what, i, v, "a small integer (±1, 0/1)"))
            }
        })
        .collect::<Result<Vec<i8>>>()?;
    Ok((v, x.dims))
}

/// A threshold: one number for all neurons, or an array of `n`.
pub fn threshold(obj: &Bound<'_, PyAny>, n: usize) -> Result<Threshold> {
    if obj.is_instance_of::<PyBool>() {
        return Err(Error::type_error(
            "threshold must be a number or an array of N numbers, got bool",
        ));
    }
    let t = if obj.is_instance_of::<PyFloat>() || obj.is_instance_of::<PyInt>() {
        Threshold::Uniform(obj.extract::<f64>()?)
    } else {
        let x = numbers(obj, "threshold")?;
        if x.dims.is_empty() {
            Threshold::Uniform(x.values[0])
        } else {
            Threshold::PerNeuron(x.values)
        }
    };
    t.check(n)?;
    Ok(t)
}

/// A threshold as a Python value: a float, or a float64 array.
pub fn threshold_value<'py>(py: Python<'py>, t: &Threshold) -> Result<Bound<'py, PyAny>> {
    match t {
        Threshold::Uniform(v) => Ok(PyFloat::new(py, *v).into_any()),
        Threshold::PerNeuron(v) => array(py, v.clone(), &[v.len()]),
    }
}

/// A Python value as JSON, for rule options (numbers, strings, booleans, lists, dicts).
pub fn json(obj: &Bound<'_, PyAny>, what: &str) -> Result<serde_json::Value> {
    use serde_json::Value;
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(b) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(b.is_true()));
    }
    if obj.is_instance_of::<PyInt>() {
        if let Ok(v) = obj.extract::<i64>() {
            return Ok(Value::from(v));
        }
        return Ok(Value::from(obj.extract::<u64>()?));
    }
    if let Ok(f) = obj.cast::<PyFloat>() {
        let v = f.value();
        return serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| Error::value_error(format!("{what} must be finite, got {v}")));
    }
    if let Ok(s) = obj.cast::<PyString>() {
        return Ok(Value::String(s.to_cow()?.into_owned()));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let items = obj
            .try_iter()?
            .map(|item| json(&item?, what))
            .collect::<Result<Vec<_>>>()?;
        return Ok(Value::Array(items));
    }
    if let Ok(d) = obj.cast::<PyDict>() {
        let mut map = serde_json::Map::new();
        for (k, v) in d.iter() {
            let key: String = k.extract().map_err(|_| {
                Error::type_error(format!("{what}: dictionary keys must be strings"))
            })?;
            map.insert(key, json(&v, what)?);
        }
        return Ok(Value::Object(map));
    }
    if let Ok(v) = obj.extract::<f64>() {
        // numpy scalars and other numbers.
        if let Ok(i) = obj.extract::<i64>()
            && i as f64 == v
        {
            return Ok(Value::from(i));
        }
        return serde_json::Number::from_f64(v)
            .map(Value::Number)
            .ok_or_else(|| Error::value_error(format!("{what} must be finite, got {v}")));
    }
    Err(Error::type_error(format!(
        "{what} must be a number, string, bool, list or dict, got {}",
        type_name(obj)
    )))
}

/// The rule `name` with `options` laid over its defaults (through the rule's serialised
/// form, so every option of every rule of the core is reachable by its field name).
pub fn rule(name: &str, options: Option<&Bound<'_, PyDict>>) -> Result<Rule> {
    let base: Rule = parse(name)?;
    let Some(options) = options.filter(|o| !o.is_empty()) else {
        return Ok(base);
    };
    let internal = |e: serde_json::Error| Error::Internal(format!("rule {name}: {e}"));
    let mut value = serde_json::to_value(&base).map_err(internal)?;
    let Some(fields) = value.as_object_mut() else {
        return Err(Error::Internal(format!("rule {name} is not an object")));
    };
    let known: Vec<String> = fields.keys().filter(|k| *k != "rule").cloned().collect();
    for (k, v) in options.iter() {
        let key: String = k.extract()?;
        if key == "rule" || !fields.contains_key(&key) {
            let list = if known.is_empty() {
                "it takes none".to_string()
            } else {
                format!("its options: {}", known.join(", "))
            };
            return Err(Error::type_error(format!(
                "rule '{}' has no option '{key}' ({list})",
                base.name()
            )));
        }
        if v.is_none() {
            continue;
        }
        let json = match (key.as_str(), v.cast::<PyString>()) {
            ("normalization", Ok(s)) => {
                let n: Normalization = parse(&s.to_cow()?)?;
                serde_json::to_value(n).map_err(internal)?
            }
            _ => json(&v, &key)?,
        };
        let shown = v.repr().map(|r| r.to_string()).unwrap_or_default();
        fields.insert(key.clone(), json);
        if let Err(e) = serde_json::from_value::<Rule>(serde_json::Value::Object(fields.clone())) {
            return Err(Error::value_error(format!(
                "rule '{}': {key} = {shown} is invalid: {e}",
                base.name()
            )));
        }
    }
    serde_json::from_value(value)
        .map_err(|e| Error::value_error(format!("rule '{}': {e}", base.name())))
}
