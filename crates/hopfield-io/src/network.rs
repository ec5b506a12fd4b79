//! Saved networks: a [`Network`] in a safetensors file (see `docs/network-format.md`).
//!
//! The file is a plain [safetensors](https://huggingface.co/docs/safetensors) file: an
//! 8-byte little-endian header length, a JSON header, then the tensors' bytes. The
//! header's `__metadata__` string map says what the tensors mean:
//!
//! | tensor | dtype | shape | present |
//! |---|---|---|---|
//! | `weights` | I8, I16, I32 or F32 | `[N, N]` | dense networks |
//! | `weights_scale` | F64 | `[1]` | dense networks (`W = scale · weights`) |
//! | `patterns` | I8, values ±1 | `[P, N]` | when the network stores patterns (always when factored) |
//! | `threshold` | F64 | `[1]` (uniform) or `[N]` (per neuron) | always |
//!
//! A factored network keeps only its patterns and rule; loading rebuilds the couplings,
//! which are bit for bit those that were saved. Loading checks every item against the
//! metadata and refuses a truncated or altered file with a one-line message.
//!
//! ```
//! use hopfield::{generate, Network, Rule};
//! let dir = tempfile::tempdir()?;
//! let path = dir.path().join("letters.hfn");
//! let net = Network::from_patterns(&generate::page::letters(), &Rule::hebb())?;
//! hopfield_io::write_network(&path, &net)?;
//! assert_eq!(hopfield_io::read_network(&path)?, net);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;
use std::path::Path;

use hopfield::modern::{ContinuousMemory, DenseMemory, Memory, Model};
use hopfield::{
    Activation, DenseMatrix, Network, Patterns, Representation, Rule, Shape, Storage, Threshold,
    Weights, excerpt, guard,
};
use safetensors::{Dtype as StDtype, SafeTensors, tensor::TensorView};
use serde_json::Value;

use crate::error::{Error, Problem};
use crate::source::{Fail, Source};

/// The value of the metadata key `format`.
pub const FORMAT: &str = "hopfield-network";

/// The format version this crate writes; it reads every version up to this one.
pub const FORMAT_VERSION: u32 = 1;

/// The model kinds the format knows (metadata key `model`).
pub const MODELS: &[&str] = &["classical", "dense", "exponential", "modern"];

/// Rules whose couplings are symmetric by construction: a file that names one of them
/// must hold a symmetric matrix.
const SYMMETRIC_RULES: &[&str] = &["hebb", "outer01"];

/// Writes `net` to `path` atomically (see the [module documentation](self)).
pub fn write_network(path: &Path, net: &Network) -> Result<(), Error> {
    let bytes = encode_network(net).map_err(|p| p.at(path))?;
    crate::atomic_write(path, &bytes)
}

/// Reads a network saved by [`write_network`], checking every part of the file.
pub fn read_network(path: &Path) -> Result<Network, Error> {
    decode_network(&read_bytes(path)?).map_err(|p| p.at(path))
}

/// The bytes of `path`: the header length, the header, and the tensors' bytes it
/// declares (once they are known to fit in memory), never more.
fn read_bytes(path: &Path) -> Result<Vec<u8>, Error> {
    let mut src = Source::open(path)?;
    read_from(&mut src).map_err(|f| f.at(path))
}

/// The largest header read, in bytes: the limit of the safetensors format.
pub const MAX_HEADER: u64 = 100_000_000;

fn read_from<R: std::io::Read>(src: &mut Source<R>) -> Result<Vec<u8>, Fail> {
    let mut bytes = src.take(8)?;
    let Ok(len) = <[u8; 8]>::try_from(bytes.as_slice()) else {
        // Too short: the decoder says so.
        return Ok(bytes);
    };
    let header_len = u64::from_le_bytes(len);
    if let Some(rest) = src.remaining()
        && header_len > rest
    {
        return Err(Problem::new(truncated_header(header_len, rest)).into());
    }
    if header_len > MAX_HEADER {
        return Err(Problem::new(format!(
            "header declares {header_len} bytes, more than the {MAX_HEADER} a safetensors header may hold"
        ))
        .into());
    }
    let header = src.take(header_len)?;
    let complete = header.len() as u64 == header_len;
    bytes.extend(header);
    if !complete {
        return Ok(bytes);
    }
    let (_, data_end) = Layout::header(&bytes[8..])?;
    guard::check(
        "the tensors the header declares",
        data_end,
        "is this the right file?",
    )?;
    let data = src.take(data_end)?;
    let complete = data.len() as u64 == data_end;
    bytes.extend(data);
    if complete && !src.at_end()? {
        let extra = src
            .remaining()
            .map_or_else(|| "more".to_string(), |r| r.to_string());
        return Err(Problem::new(trailing(&extra, data_end)).into());
    }
    Ok(bytes)
}

fn truncated_header(declared: u64, rest: u64) -> String {
    format!("truncated header: it declares {declared} bytes, the file has {rest} after the length")
}

fn trailing(extra: &str, data_end: u64) -> String {
    format!("{extra} bytes after the last tensor (the tensors need {data_end} bytes)")
}

/// The bytes of a saved network.
pub fn encode_network(net: &Network) -> Result<Vec<u8>, Problem> {
    let n = net.n();
    let weights = net.weights();
    let factored = weights.storage() == Storage::Factored;
    let mut meta: HashMap<String, String> = HashMap::new();
    let mut put = |k: &str, v: String| meta.insert(k.to_string(), v);
    put("format", FORMAT.into());
    put("format_version", FORMAT_VERSION.to_string());
    put("model", "classical".into());
    put("n", n.to_string());
    let rule_json = match net.rule() {
        Some(r) => serde_json::to_value(r)
            .map_err(|e| Problem::new(format!("cannot serialise the rule: {e}")))?,
        None => Value::Null,
    };
    put("rule", rule_json.to_string());
    put(
        "normalization",
        rule_json
            .get("normalization")
            .and_then(Value::as_str)
            .unwrap_or("none")
            .to_string(),
    );
    put(
        "shape",
        net.shape().map_or("none".to_string(), |s| s.to_string()),
    );
    put(
        "threshold",
        match net.threshold() {
            Threshold::Uniform(_) => "uniform",
            Threshold::PerNeuron(_) => "per-neuron",
        }
        .into(),
    );
    put(
        "activation",
        match net.activation() {
            Activation::Bipolar => "bipolar",
            Activation::Binary => "binary",
        }
        .into(),
    );
    put(
        "representation",
        if factored { "factored" } else { "dense" }.into(),
    );
    put("storage", storage_name(weights.storage()).into());
    put("symmetric", weights.is_symmetric().to_string());
    put(
        "patterns",
        net.patterns().map_or(0, Patterns::len).to_string(),
    );

    let mut tensors: Vec<(&str, StDtype, Vec<usize>, Vec<u8>)> = Vec::new();
    if let Some((matrix, scale)) = weights.dense_parts() {
        let (dtype, bytes) = match matrix {
            DenseMatrix::I8(m) => (StDtype::I8, m.iter().map(|&v| v as u8).collect()),
            DenseMatrix::I16(m) => (StDtype::I16, le_bytes(&m, |v| v.to_le_bytes())),
            DenseMatrix::I32(m) => (StDtype::I32, le_bytes(&m, |v| v.to_le_bytes())),
            DenseMatrix::F32(m) => (StDtype::F32, le_bytes(&m, |v| v.to_le_bytes())),
        };
        tensors.push(("weights", dtype, vec![n, n], bytes));
        tensors.push((
            "weights_scale",
            StDtype::F64,
            vec![1],
            scale.to_le_bytes().to_vec(),
        ));
    } else if net.patterns().is_none() || net.rule().is_none() {
        return Err(Problem::new(
            "a factored network needs its patterns and rule to be saved",
        ));
    }
    if let Some(p) = net.patterns() {
        tensors.push((
            "patterns",
            StDtype::I8,
            vec![p.len(), n],
            p.as_flat().iter().map(|&v| v as u8).collect(),
        ));
    }
    let threshold: Vec<f64> = match net.threshold() {
        Threshold::Uniform(t) => vec![*t],
        Threshold::PerNeuron(v) => v.clone(),
    };
    tensors.push((
        "threshold",
        StDtype::F64,
        vec![threshold.len()],
        le_bytes(&threshold, |v| v.to_le_bytes()),
    ));
    let views = tensors
        .iter()
        .map(|(name, dtype, shape, bytes)| {
            TensorView::new(*dtype, shape.clone(), bytes).map(|v| (*name, v))
        })
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| Problem::new(format!("cannot lay out the tensors: {e}")))?;
    let bytes = safetensors::serialize(views, Some(meta))
        .map_err(|e| Problem::new(format!("cannot write the safetensors file: {e}")))?;
    Ok(sort_metadata(bytes))
}

/// The same file with the metadata keys in sorted order, so that a network always gives
/// the same bytes (the library writes them in hash order). The header keeps its length.
fn sort_metadata(mut bytes: Vec<u8>) -> Vec<u8> {
    let Some(n) = bytes
        .get(..8)
        .and_then(|b| <[u8; 8]>::try_from(b).ok())
        .map(|b| u64::from_le_bytes(b) as usize)
    else {
        return bytes;
    };
    let Some(header) = bytes.get(8..8 + n) else {
        return bytes;
    };
    let Ok(mut json) = serde_json::from_slice::<Value>(header) else {
        return bytes;
    };
    if let Some(meta) = json.get_mut("__metadata__").and_then(Value::as_object_mut) {
        let mut entries: Vec<(String, Value)> = std::mem::take(meta).into_iter().collect();
        entries.sort_by(|a, b| a.0.cmp(&b.0));
        meta.extend(entries);
    }
    let text = json.to_string();
    if text.len() <= n {
        let mut padded = text.into_bytes();
        padded.resize(n, b' ');
        bytes[8..8 + n].copy_from_slice(&padded);
    }
    bytes
}

fn le_bytes<T: Copy, const K: usize>(values: &[T], f: impl Fn(T) -> [u8; K]) -> Vec<u8> {
    values.iter().flat_map(|&v| f(v)).collect()
}

fn storage_name(s: Storage) -> &'static str {
    match s {
        Storage::DenseI8 => "int8",
        Storage::DenseI16 => "int16",
        Storage::DenseI32 => "int32",
        Storage::DenseF32 => "float32",
        Storage::Factored => "factored",
    }
}

/// Parses and checks the bytes of a saved network.
pub fn decode_network(bytes: &[u8]) -> Result<Network, Problem> {
    decode_classical(bytes, Layout::check(bytes)?)
}

/// [`decode_network`] once the layout of `bytes` is checked.
fn decode_classical(bytes: &[u8], file: Layout) -> Result<Network, Problem> {
    let st = SafeTensors::deserialize(bytes)
        .map_err(|e| Problem::new(format!("not a valid safetensors file: {e}")))?;
    let meta = Meta(file.metadata);

    meta.check_format()?;
    let model = meta.get("model")?;
    if !MODELS.contains(&model) {
        return Err(Problem::new(format!(
            "metadata `model` is \"{}\"; this hopfield knows: {}",
            excerpt(model),
            MODELS.join(", ")
        )));
    }
    if model != "classical" {
        return Err(Problem::new(format!(
            "holds a {model} memory, not a classical network: read it as a memory \
             (hopfield recall --network, hopfield.Memory.load)"
        )));
    }
    let n: usize = meta.parse("n", "a positive integer")?;
    if n == 0 {
        return Err(Problem::new("metadata `n` is 0: a network needs neurons"));
    }
    let rule_text = meta.get("rule")?;
    let rule: Option<Rule> = match serde_json::from_str::<Value>(rule_text) {
        Ok(Value::Null) => None,
        Ok(v) => Some(serde_json::from_value(v).map_err(|e| {
            Problem::new(format!(
                "metadata `rule` is not a rule this hopfield knows ({}): {}",
                excerpt(&e.to_string()),
                excerpt(rule_text)
            ))
        })?),
        Err(e) => {
            return Err(Problem::new(format!(
                "metadata `rule` is not JSON ({e}): {}",
                excerpt(rule_text)
            )));
        }
    };
    let rule_json = rule
        .as_ref()
        .map(|r| serde_json::to_value(r).unwrap_or_default());
    let normalization = meta.get("normalization")?;
    let expected_norm = rule_json
        .as_ref()
        .and_then(|v| v.get("normalization"))
        .and_then(Value::as_str)
        .unwrap_or("none");
    if normalization != expected_norm {
        return Err(Problem::new(format!(
            "metadata `normalization` is \"{}\" but the rule says \"{expected_norm}\"",
            excerpt(normalization)
        )));
    }
    let shape = shape_of(meta.get("shape")?, n)?;
    let per_neuron = meta.one_of("threshold", &[("uniform", false), ("per-neuron", true)])?;
    let activation = meta.one_of(
        "activation",
        &[
            ("bipolar", Activation::Bipolar),
            ("binary", Activation::Binary),
        ],
    )?;
    let factored = meta.one_of("representation", &[("dense", false), ("factored", true)])?;
    let storage = meta.get("storage")?;
    let symmetric = meta.one_of("symmetric", &[("true", true), ("false", false)])?;
    let rule_name = rule_json
        .as_ref()
        .and_then(|v| v.get("rule"))
        .and_then(Value::as_str)
        .unwrap_or("");
    if !symmetric && SYMMETRIC_RULES.contains(&rule_name) {
        return Err(Problem::new(format!(
            "metadata `symmetric` is false, but rule {rule_name} gives symmetric weights"
        )));
    }
    let p: usize = meta.parse("patterns", "a count")?;

    let tensors = Tensors { st: &st, n };
    let mut expected: Vec<&str> = vec!["threshold"];
    if p > 0 {
        expected.push("patterns");
    }
    if !factored {
        expected.extend(["weights", "weights_scale"]);
    }
    for name in st.names() {
        if !expected.contains(&name) {
            return Err(Problem::new(format!(
                "unexpected tensor `{}` (this file should hold: {})",
                excerpt(name),
                expected.join(", ")
            )));
        }
    }

    let patterns = if p > 0 {
        let t = tensors.get(
            "patterns",
            StDtype::I8,
            &[p, n],
            &format!("[P = {p}, N = {n}]"),
        )?;
        let data: Vec<i8> = t.data().iter().map(|&b| b as i8).collect();
        let patterns = Patterns::new(n, data)
            .and_then(|ps| ps.with_optional_shape(shape))
            .map_err(|e| Problem::new(format!("tensor `patterns`: {e}")))?;
        Some(patterns)
    } else {
        None
    };

    let t_len = if per_neuron { n } else { 1 };
    let t = tensors.get(
        "threshold",
        StDtype::F64,
        &[t_len],
        &format!(
            "[{t_len}] for a {} threshold",
            if per_neuron { "per-neuron" } else { "uniform" }
        ),
    )?;
    let values = f64s(t.data());
    let threshold = if per_neuron {
        Threshold::PerNeuron(values)
    } else {
        Threshold::Uniform(values[0])
    };
    threshold
        .check(n)
        .map_err(|e| Problem::new(format!("tensor `threshold`: {e}")))?;

    let net = if factored {
        if storage != "factored" {
            return Err(Problem::new(format!(
                "metadata `storage` is \"{}\" but `representation` is factored",
                excerpt(storage)
            )));
        }
        let (Some(rule), Some(patterns)) = (&rule, &patterns) else {
            return Err(Problem::new(
                "a factored network needs its rule and patterns, and this file lacks one",
            ));
        };
        if !symmetric {
            return Err(Problem::new(
                "metadata `symmetric` is false, but factored weights are symmetric",
            ));
        }
        let net = Network::train(patterns, rule, Representation::Factored)
            .map_err(|e| Problem::new(format!("cannot rebuild the weights: {e}")))?;
        if net.weights().storage() != Storage::Factored {
            return Err(Problem::new(format!(
                "rule {rule} does not build factored weights; the file should hold them dense"
            )));
        }
        net
    } else {
        let dtype = match storage {
            "int8" => StDtype::I8,
            "int16" => StDtype::I16,
            "int32" => StDtype::I32,
            "float32" => StDtype::F32,
            s => {
                return Err(Problem::new(format!(
                    "metadata `storage` is \"{}\", expected int8, int16, int32 or float32 for \
                     dense weights",
                    excerpt(s)
                )));
            }
        };
        let need = guard::product(&[n, n], 4);
        guard::check(
            &format!("dense weights of {n} x {n}"),
            need,
            "is this the right file?",
        )
        .map_err(|e| Problem::new(e.to_string()))?;
        let w = tensors.get(
            "weights",
            dtype,
            &[n, n],
            &format!("[{n}, {n}] for N = {n}"),
        )?;
        let s = tensors.get("weights_scale", StDtype::F64, &[1], "[1]")?;
        let scale = f64s(s.data())[0];
        if !(scale.is_finite() && scale > 0.0) {
            return Err(Problem::new(format!(
                "tensor `weights_scale` is {scale}: the weight scale must be positive and finite \
                 (W = scale · weights)"
            )));
        }
        let raw = w.data();
        let matrix = match dtype {
            StDtype::I8 => DenseMatrix::I8(raw.iter().map(|&b| b as i8).collect()),
            StDtype::I16 => DenseMatrix::I16(
                raw.chunks_exact(2)
                    .map(|c| i16::from_le_bytes([c[0], c[1]]))
                    .collect(),
            ),
            StDtype::I32 => DenseMatrix::I32(
                raw.chunks_exact(4)
                    .map(|c| i32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect(),
            ),
            _ => DenseMatrix::F32(
                raw.chunks_exact(4)
                    .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
                    .collect(),
            ),
        };
        let weights = Weights::from_dense_parts(n, matrix, scale)
            .map_err(|e| Problem::new(format!("tensor `weights`: {e}")))?;
        if symmetric && !weights.is_symmetric() {
            let (i, j) = first_asymmetry(&weights);
            return Err(Problem::new(format!(
                "tensor `weights` is not symmetric (W[{i}][{j}] = {} but W[{j}][{i}] = {}), \
                 but the file says it is{}",
                weights.get(i, j),
                weights.get(j, i),
                if rule_name.is_empty() {
                    String::new()
                } else {
                    format!(" and rule {rule_name} makes it so")
                }
            )));
        }
        if !symmetric && weights.is_symmetric() {
            return Err(Problem::new(
                "tensor `weights` is symmetric, but metadata `symmetric` says false",
            ));
        }
        let mut net = Network::new(weights);
        if let Some(ps) = &patterns {
            net = net.with_patterns(ps.clone()).map_err(|e| {
                Problem::new(format!("tensor `patterns` does not fit the weights: {e}"))
            })?;
        }
        if let Some(r) = &rule {
            net = net.with_rule(r.clone());
        }
        net
    };
    let net = net
        .with_threshold(threshold)
        .map_err(|e| Problem::new(format!("tensor `threshold`: {e}")))?
        .with_activation(activation);
    if let Some(s) = shape
        && net.shape() != Some(s)
    {
        return Err(Problem::new(format!(
            "metadata `shape` is {s}, but the file holds no patterns to carry a shape"
        )));
    }
    Ok(net)
}

/// Writes a memory of any model to `path` atomically: a classical network as
/// [`write_network`] does; a dense, exponential or modern memory as its patterns and the
/// model's parameters.
pub fn write_memory(path: &Path, memory: &Memory) -> Result<(), Error> {
    let bytes = encode_memory(memory).map_err(|p| p.at(path))?;
    crate::atomic_write(path, &bytes)
}

/// Reads a memory saved by [`write_memory`] or a network saved by [`write_network`].
pub fn read_memory(path: &Path) -> Result<Memory, Error> {
    decode_memory(&read_bytes(path)?).map_err(|p| p.at(path))
}

/// The bytes of a saved memory (see [`write_memory`]).
pub fn encode_memory(memory: &Memory) -> Result<Vec<u8>, Problem> {
    let (model, n, p, shape, dtype, data) = match memory {
        Memory::Classical(net) => return encode_network(net),
        Memory::Dense(m) => {
            let model = Model::from(m.interaction());
            let ps = m.patterns();
            let data: Vec<u8> = ps.as_flat().iter().map(|&v| v as u8).collect();
            (model, ps.n(), ps.len(), ps.shape(), StDtype::I8, data)
        }
        Memory::Modern(m) => {
            let values: Vec<f32> = (0..m.len())
                .flat_map(|mu| m.pattern(mu).unwrap_or_default().to_vec())
                .collect();
            let data = le_bytes(&values, |v| v.to_le_bytes());
            let model = Model::modern().beta(m.beta());
            (model, m.n(), m.len(), None, StDtype::F32, data)
        }
        other => {
            return Err(Problem::new(format!(
                "cannot save this kind of memory: {other:?}"
            )));
        }
    };
    let parameters = serde_json::to_string(&model)
        .map_err(|e| Problem::new(format!("cannot serialise the model: {e}")))?;
    let meta: HashMap<String, String> = [
        ("format", FORMAT.to_string()),
        ("format_version", FORMAT_VERSION.to_string()),
        ("model", model.name().to_string()),
        ("parameters", parameters),
        ("n", n.to_string()),
        ("patterns", p.to_string()),
        ("shape", shape.map_or("none".to_string(), |s| s.to_string())),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let view = TensorView::new(dtype, vec![p, n], &data)
        .map_err(|e| Problem::new(format!("cannot lay out the tensors: {e}")))?;
    let bytes = safetensors::serialize([("patterns", view)], Some(meta))
        .map_err(|e| Problem::new(format!("cannot write the safetensors file: {e}")))?;
    Ok(sort_metadata(bytes))
}

/// A saved memory of any model from its bytes, checking every part.
pub fn decode_memory(bytes: &[u8]) -> Result<Memory, Problem> {
    let file = Layout::check(bytes)?;
    let model = file
        .metadata
        .get("model")
        .map_or("classical", String::as_str);
    if model == "classical" || !MODELS.contains(&model) {
        return decode_classical(bytes, file).map(|net| Memory::Classical(Box::new(net)));
    }
    let meta = Meta(file.metadata);
    let model = meta.get("model")?;
    meta.check_format()?;
    let text = meta.get("parameters")?;
    let parameters: Model = serde_json::from_str(text).map_err(|e| {
        Problem::new(format!(
            "metadata `parameters` is not a model this hopfield knows ({}): {}",
            excerpt(&e.to_string()),
            excerpt(text)
        ))
    })?;
    if parameters.name() != model {
        return Err(Problem::new(format!(
            "metadata `model` is \"{model}\" but `parameters` describe a {} model",
            parameters.name()
        )));
    }
    parameters
        .check()
        .map_err(|e| Problem::new(format!("metadata `parameters`: {e}")))?;
    let n: usize = meta.parse("n", "a positive integer")?;
    let p: usize = meta.parse("patterns", "a count")?;
    if n == 0 || p == 0 {
        return Err(Problem::new(format!(
            "metadata says N = {n} and P = {p}: a memory needs neurons and patterns"
        )));
    }
    let shape = shape_of(meta.get("shape")?, n)?;
    let st = SafeTensors::deserialize(bytes)
        .map_err(|e| Problem::new(format!("not a valid safetensors file: {e}")))?;
    for name in st.names() {
        if name != "patterns" {
            return Err(Problem::new(format!(
                "unexpected tensor `{}` (this file should hold: patterns)",
                excerpt(name)
            )));
        }
    }
    let tensors = Tensors { st: &st, n };
    let what = format!("[P = {p}, N = {n}]");
    if let Model::Modern { beta } = parameters {
        let t = tensors.get("patterns", StDtype::F32, &[p, n], &what)?;
        let values: Vec<f32> = t
            .data()
            .chunks_exact(4)
            .map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect();
        let m = ContinuousMemory::new(n, values, beta)
            .map_err(|e| Problem::new(format!("tensor `patterns`: {e}")))?;
        return Ok(Memory::Modern(m));
    }
    let t = tensors.get("patterns", StDtype::I8, &[p, n], &what)?;
    let data: Vec<i8> = t.data().iter().map(|&b| b as i8).collect();
    let patterns = Patterns::new(n, data)
        .and_then(|ps| ps.with_optional_shape(shape))
        .map_err(|e| Problem::new(format!("tensor `patterns`: {e}")))?;
    let interaction = parameters
        .interaction()
        .ok_or_else(|| Problem::new(format!("model {model} has no interaction")))?;
    let m = DenseMemory::new(patterns, interaction)
        .map_err(|e| Problem::new(format!("tensor `patterns`: {e}")))?;
    Ok(Memory::Dense(m))
}

/// The metadata `shape`: `none`, or `HxW` holding exactly the `n` neurons of the file.
fn shape_of(text: &str, n: usize) -> Result<Option<Shape>, Problem> {
    if text == "none" {
        return Ok(None);
    }
    let shape: Shape = text.parse().map_err(|e| {
        let why = match e {
            hopfield::Error::Parameter { reason, .. } => reason,
            other => other.to_string(),
        };
        Problem::new(format!(
            "metadata `shape` is \"{}\": {why}; expected HxW or none",
            excerpt(text)
        ))
    })?;
    if shape.len() != n {
        return Err(Problem::new(format!(
            "metadata `shape` {shape} holds {} neurons, but N = {n}",
            shape.len()
        )));
    }
    Ok(Some(shape))
}

fn first_asymmetry(w: &Weights) -> (usize, usize) {
    let n = w.n();
    for i in 0..n {
        for j in 0..i {
            if w.get(i, j) != w.get(j, i) {
                return (i, j);
            }
        }
    }
    (0, 0)
}

fn f64s(raw: &[u8]) -> Vec<f64> {
    raw.chunks_exact(8)
        .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect()
}

/// The metadata map, with messages naming the key.
struct Meta(HashMap<String, String>);

impl Meta {
    /// `format` is this format's, `format_version` one this reader knows.
    fn check_format(&self) -> Result<(), Problem> {
        let format = self.get("format")?;
        if format != FORMAT {
            return Err(Problem::new(format!(
                "metadata `format` is \"{}\", expected \"{FORMAT}\" (not a saved hopfield network)",
                excerpt(format)
            )));
        }
        let version: u32 = self.parse("format_version", "a positive integer")?;
        if version == 0 || version > FORMAT_VERSION {
            return Err(Problem::new(format!(
                "format_version {version} is not supported: this hopfield reads versions 1 to \
                 {FORMAT_VERSION}{}",
                if version > FORMAT_VERSION {
                    "; it was written by a newer hopfield, upgrade to read it"
                } else {
                    ""
                }
            )));
        }
        Ok(())
    }

    fn get(&self, key: &str) -> Result<&str, Problem> {
        self.0
            .get(key)
            .map(String::as_str)
            .ok_or_else(|| Problem::new(format!("metadata `{key}` is missing")))
    }

    /// The value of `key` among `choices` (name, value).
    fn one_of<T: Copy>(&self, key: &str, choices: &[(&str, T)]) -> Result<T, Problem> {
        let v = self.get(key)?;
        match choices.iter().find(|(name, _)| *name == v) {
            Some(&(_, value)) => Ok(value),
            None => {
                let names: Vec<&str> = choices.iter().map(|c| c.0).collect();
                Err(Problem::new(format!(
                    "metadata `{key}` is \"{}\", expected {}",
                    excerpt(v),
                    names.join(" or ")
                )))
            }
        }
    }

    fn parse<T: std::str::FromStr>(&self, key: &str, what: &str) -> Result<T, Problem> {
        let v = self.get(key)?;
        v.parse().map_err(|_| {
            Problem::new(format!(
                "metadata `{key}` is \"{}\", expected {what}",
                excerpt(v)
            ))
        })
    }
}

struct Tensors<'a, 'd> {
    st: &'a SafeTensors<'d>,
    n: usize,
}

impl<'d> Tensors<'_, 'd> {
    fn get(
        &self,
        name: &str,
        dtype: StDtype,
        shape: &[usize],
        expected: &str,
    ) -> Result<TensorView<'d>, Problem> {
        let t = self
            .st
            .tensor(name)
            .map_err(|_| Problem::new(format!("tensor `{name}` is missing")))?;
        if t.dtype() != dtype {
            return Err(Problem::new(format!(
                "tensor `{name}` has dtype {:?}, expected {dtype:?}",
                t.dtype()
            )));
        }
        if t.shape() != shape {
            return Err(Problem::new(format!(
                "tensor `{name}` has shape {:?}, expected {expected}{}",
                t.shape(),
                if expected.contains("N =") {
                    String::new()
                } else {
                    format!(" (N = {})", self.n)
                }
            )));
        }
        Ok(t)
    }
}

/// The outer layout of a safetensors file, checked before the library parses it so a
/// truncated file gets a message that says where it ends.
struct Layout {
    metadata: HashMap<String, String>,
}

impl Layout {
    fn check(bytes: &[u8]) -> Result<Layout, Problem> {
        if bytes.is_empty() {
            return Err(Problem::new("file is empty"));
        }
        if bytes.len() < 8 {
            return Err(Problem::new(format!(
                "truncated: a safetensors file starts with an 8-byte header length, the file has {} bytes",
                bytes.len()
            )));
        }
        let mut len = [0u8; 8];
        len.copy_from_slice(&bytes[..8]);
        let header_len = u64::from_le_bytes(len);
        let rest = (bytes.len() - 8) as u64;
        if header_len > rest {
            return Err(Problem::new(truncated_header(header_len, rest)));
        }
        let (metadata, data_end) = Layout::header(&bytes[8..8 + header_len as usize])?;
        let data = rest - header_len;
        if data < data_end {
            return Err(Problem::new(format!(
                "truncated data: the tensors need {data_end} bytes, the file has {data}"
            )));
        }
        if data > data_end {
            return Err(Problem::new(trailing(
                &(data - data_end).to_string(),
                data_end,
            )));
        }
        let metadata = metadata.ok_or_else(|| {
            Problem::new("no `__metadata__` in the header: not a saved hopfield network")
        })?;
        Ok(Layout { metadata })
    }

    /// The header's metadata (if any) and the end of the tensors' bytes it declares.
    fn header(header: &[u8]) -> Result<(Option<HashMap<String, String>>, u64), Problem> {
        let text = std::str::from_utf8(header)
            .map_err(|e| Problem::new(format!("header is not UTF-8 text: {e}")))?;
        let json: Value = serde_json::from_str(text)
            .map_err(|e| Problem::new(format!("header is not valid JSON: {e}")))?;
        let Some(obj) = json.as_object() else {
            return Err(Problem::new("header is not a JSON object"));
        };
        let mut data_end: u64 = 0;
        let mut metadata = None;
        for (name, v) in obj {
            if name == "__metadata__" {
                let map: HashMap<String, String> =
                    serde_json::from_value(v.clone()).map_err(|e| {
                        Problem::new(format!(
                            "`__metadata__` is not a string map: {}",
                            excerpt(&e.to_string())
                        ))
                    })?;
                metadata = Some(map);
                continue;
            }
            let end = v
                .get("data_offsets")
                .and_then(|o| o.get(1))
                .and_then(Value::as_u64)
                .ok_or_else(|| {
                    Problem::new(format!(
                        "tensor `{}` has no valid data_offsets",
                        excerpt(name)
                    ))
                })?;
            data_end = data_end.max(end);
        }
        Ok((metadata, data_end))
    }
}
