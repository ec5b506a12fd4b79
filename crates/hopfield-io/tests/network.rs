//! Saved networks: round trips (properties), the checked-in version-1 files, and refusals
//! of altered files.

use hopfield::modern::{Memory, Model};
use hopfield::rule::{Hebb, Outer01};
use std::path::{Path, PathBuf};

use hopfield::{
    Activation, AssociativeMemory, Dynamics, Network, Normalization, Patterns, RecallOptions,
    Representation, Rule, Shape, Storage, Threshold, Tie, Weights, random,
};
use hopfield_io::network::{FORMAT_VERSION, decode_network, encode_network};
use proptest::collection::vec;
use proptest::prelude::*;

fn config(cases: u32) -> ProptestConfig {
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/data")
        .join(name)
}

/// A network of 1..=40 neurons storing 1..=40 patterns with either rule, any
/// normalisation and representation, a uniform or per-neuron threshold, and either
/// activation; a 2-D shape when N factors.
fn trained() -> impl Strategy<Value = Network> {
    (1usize..=40, 1usize..=40)
        .prop_flat_map(|(n, p)| {
            (
                vec(prop_oneof![Just(1i8), Just(-1i8)], n * p),
                Just(n),
                any::<bool>(),
                prop_oneof![
                    Just(Normalization::N),
                    Just(Normalization::P),
                    Just(Normalization::None)
                ],
                prop_oneof![
                    Just(Representation::Auto),
                    Just(Representation::Dense),
                    Just(Representation::Factored)
                ],
                prop_oneof![
                    (-2.0f64..2.0).prop_map(Threshold::Uniform),
                    vec(-2.0f64..2.0, n).prop_map(Threshold::PerNeuron),
                ],
                any::<bool>(),
                any::<bool>(),
            )
        })
        .prop_map(|(data, n, hebb, norm, repr, threshold, binary, shaped)| {
            let mut patterns = Patterns::new(n, data).unwrap();
            if shaped && n % 2 == 0 {
                patterns = patterns.with_shape(Shape::new(2, n / 2)).unwrap();
            }
            let rule: Rule = if hebb {
                Hebb::new(norm).into()
            } else {
                Outer01::new(norm).into()
            };
            let net = Network::train(&patterns, &rule, repr)
                .unwrap()
                .with_threshold(threshold)
                .unwrap();
            if binary {
                net.with_activation(Activation::Binary)
            } else {
                net
            }
        })
}

/// Arbitrary float couplings (asymmetric, with a diagonal), no rule and no patterns.
fn matrix_network() -> impl Strategy<Value = Network> {
    (1usize..=12)
        .prop_flat_map(|n| vec(-3.0f32..3.0, n * n).prop_map(move |v| (n, v)))
        .prop_map(|(n, v)| Network::new(Weights::from_matrix(n, v).unwrap()))
}

fn cue_for(net: &Network, seed: u64) -> Vec<i8> {
    let mut rng = random::seeded(seed);
    let (on, off) = net.activation().levels();
    (0..net.n())
        .map(|_| if random::sign(&mut rng) > 0 { on } else { off })
        .collect()
}

fn same_bits(a: &Weights, b: &Weights) {
    assert_eq!(a.storage(), b.storage());
    for i in 0..a.n() {
        for j in 0..a.n() {
            assert_eq!(a.get(i, j).to_bits(), b.get(i, j).to_bits(), "W[{i}][{j}]");
        }
    }
}

proptest! {
    #![proptest_config(config(200))]

    #[test]
    fn save_load_gives_the_same_network_and_the_same_recalls(net in trained(), seed in 0u64..1000) {
        let bytes = encode_network(&net).unwrap();
        let back = decode_network(&bytes).unwrap();
        same_bits(net.weights(), back.weights());
        prop_assert_eq!(back.threshold(), net.threshold());
        prop_assert_eq!(back.rule(), net.rule());
        prop_assert_eq!(back.shape(), net.shape());
        prop_assert_eq!(back.activation(), net.activation());
        prop_assert_eq!(back.patterns(), net.patterns());
        prop_assert_eq!(&back, &net);
        // Saving again gives the same bytes.
        prop_assert_eq!(encode_network(&back).unwrap(), bytes);
        let cue = cue_for(&net, seed);
        for dynamics in [Dynamics::Synchronous, Dynamics::Sweep] {
            let options = RecallOptions::new(dynamics).tie(Tie::Plus);
            let a = net.recall(&cue, &options, &mut random::seeded(seed)).unwrap();
            let b = back.recall(&cue, &options, &mut random::seeded(seed)).unwrap();
            prop_assert_eq!(a, b);
        }
    }

    #[test]
    fn float_matrices_round_trip(net in matrix_network()) {
        let back = decode_network(&encode_network(&net).unwrap()).unwrap();
        same_bits(net.weights(), back.weights());
        prop_assert_eq!(back.weights().is_symmetric(), net.weights().is_symmetric());
        prop_assert_eq!(&back, &net);
    }

    /// Any byte changed, or the file cut anywhere, gives a network or an error, never a
    /// panic; a cut file is always refused.
    #[test]
    fn altered_bytes_never_panic(net in trained(), at in any::<prop::sample::Index>(), byte in any::<u8>()) {
        let bytes = encode_network(&net).unwrap();
        let k = at.index(bytes.len());
        prop_assert!(decode_network(&bytes[..k]).is_err());
        let mut altered = bytes.clone();
        altered[k] = byte;
        let _ = decode_network(&altered);
    }

    /// A sequence of valid operations on a loaded network never panics: recall with any
    /// dynamics and tie from any cue, energies, overlaps, fields, save again.
    #[test]
    fn valid_operations_on_a_loaded_network_never_panic(
        net in trained(),
        ops in vec((0usize..6, 0u64..50, 1usize..20), 1..8),
    ) {
        let mut net = decode_network(&encode_network(&net).unwrap()).unwrap();
        for (op, seed, steps) in ops {
            let cue = cue_for(&net, seed);
            match op {
                0 => { net.energy(&cue).unwrap(); }
                1 => { net.overlaps(&cue).unwrap(); }
                2 => { net.fields(&cue).unwrap(); }
                3 => {
                    let d = [Dynamics::Synchronous, Dynamics::Asynchronous, Dynamics::Sweep,
                        Dynamics::Sequential][seed as usize % 4];
                    let t = [Tie::Plus, Tie::Minus, Tie::Keep][seed as usize % 3];
                    let o = RecallOptions::new(d).tie(t).max_steps(steps);
                    net.recall(&cue, &o, &mut random::seeded(seed)).unwrap();
                }
                4 => { net.recall_batch(&[cue.clone(), cue], &RecallOptions::default(), seed).unwrap(); }
                _ => { net = decode_network(&encode_network(&net).unwrap()).unwrap(); }
            }
        }
    }
}

#[test]
fn the_checked_in_version_1_files_load() {
    assert_eq!(FORMAT_VERSION, 1);
    let letters =
        hopfield_io::read_patterns(&data("letters.npy"), None, Default::default()).unwrap();
    let dense = hopfield_io::read_network(&data("network-v1-dense.hfn")).unwrap();
    let expect = Network::train(&letters, &Rule::hebb(), Representation::Dense).unwrap();
    assert_eq!(dense, expect);
    assert_eq!(dense.weights().storage(), Storage::DenseI8);
    let factored = hopfield_io::read_network(&data("network-v1-factored.hfn")).unwrap();
    let expect = Network::train(&letters, &Rule::hebb(), Representation::Factored)
        .unwrap()
        .with_threshold(Threshold::Uniform(0.1))
        .unwrap();
    assert_eq!(factored, expect);
    assert_eq!(factored.shape(), Some(Shape::new(5, 5)));
    // The other models: their patterns and parameters.
    let dense = hopfield_io::read_memory(&data("memory-v1-dense.hfn")).unwrap();
    let expect = Memory::build(&Model::dense(), &letters, &Rule::hebb()).unwrap();
    assert_eq!(dense, expect);
    let modern = hopfield_io::read_memory(&data("memory-v1-modern.hfn")).unwrap();
    let expect = Memory::build(&Model::modern().beta(2.0), &letters, &Rule::hebb()).unwrap();
    assert_eq!(modern, expect);
    let e = hopfield_io::read_network(&data("memory-v1-dense.hfn"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("holds a dense memory"), "{e}");
}

#[test]
fn refusals_name_the_file_and_what_does_not_match() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("net.hfn");
    std::fs::write(&path, b"\x01\x00").unwrap();
    let e = hopfield_io::read_network(&path).unwrap_err().to_string();
    assert_eq!(
        e,
        format!(
            "{}: truncated: a safetensors file starts with an 8-byte header length, the file has 2 bytes",
            path.display()
        )
    );
    let e = hopfield_io::read_network(&dir.path().join("missing.hfn")).unwrap_err();
    assert!(matches!(e.kind, hopfield_io::ErrorKind::Io(_)), "{e}");
}

#[test]
fn a_failed_write_keeps_the_existing_file() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("net.hfn");
    std::fs::write(&path, b"old").unwrap();
    // A factored network without its patterns cannot be saved.
    let letters =
        hopfield_io::read_patterns(&data("letters.npy"), None, Default::default()).unwrap();
    let factored = Network::train(&letters, &Rule::hebb(), Representation::Factored).unwrap();
    let bare = Network::new(factored.weights().clone());
    let e = hopfield_io::write_network(&path, &bare).unwrap_err();
    assert!(e.to_string().contains("needs its patterns and rule"), "{e}");
    assert_eq!(std::fs::read(&path).unwrap(), b"old");
    assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
}

/// `bytes` of a saved file with metadata `key` set to `value` (the header re-encoded).
fn with_metadata(bytes: &[u8], key: &str, value: &str) -> Vec<u8> {
    let n = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
    let mut header: serde_json::Value = serde_json::from_slice(&bytes[8..8 + n]).unwrap();
    header["__metadata__"][key] = serde_json::Value::String(value.to_string());
    let text = header.to_string();
    let mut out = (text.len() as u64).to_le_bytes().to_vec();
    out.extend(text.as_bytes());
    out.extend(&bytes[8 + n..]);
    out
}

#[test]
fn a_shape_must_hold_exactly_the_neurons_of_the_file() {
    use hopfield_io::network::decode_memory;
    // 3 × 12297829382473034419 = 2·2^64 + 25: 25 neurons in wrapping arithmetic.
    let wraps = "3x12297829382473034419";
    for file in [
        "network-v1-dense.hfn",
        "memory-v1-dense.hfn",
        "memory-v1-modern.hfn",
    ] {
        let bytes = std::fs::read(data(file)).unwrap();
        assert!(decode_memory(&bytes).is_ok(), "{file}");
        let e = decode_memory(&with_metadata(&bytes, "shape", wraps))
            .unwrap_err()
            .to_string();
        assert!(
            e.starts_with(&format!(
                "metadata `shape` is \"{wraps}\": 3 x 12297829382473034419"
            )),
            "{file}: {e}"
        );
        let e = decode_memory(&with_metadata(&bytes, "shape", "4x5"))
            .unwrap_err()
            .to_string();
        assert_eq!(
            e, "metadata `shape` 4x5 holds 20 neurons, but N = 25",
            "{file}"
        );
    }
}

#[test]
fn reads_stop_at_what_the_header_declares() {
    let dir = tempfile::tempdir().unwrap();
    let bytes = std::fs::read(data("network-v1-dense.hfn")).unwrap();
    // A terabyte of trailing data, sparse: refused without being read.
    let path = dir.path().join("sparse.hfn");
    let file = std::fs::File::create(&path).unwrap();
    std::io::Write::write_all(&mut &file, &bytes).unwrap();
    file.set_len(1 << 40).unwrap();
    let start = std::time::Instant::now();
    let e = hopfield_io::read_network(&path).unwrap_err().to_string();
    assert!(
        e.ends_with(&format!(
            "{} bytes after the last tensor (the tensors need {} bytes)",
            (1u64 << 40) - bytes.len() as u64,
            bytes.len() - 8 - u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize
        )),
        "{e}"
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
    // The same for an array: the header says 75 bytes, the file holds a terabyte more.
    let npy = dir.path().join("sparse.npy");
    std::fs::copy(data("letters.npy"), &npy).unwrap();
    std::fs::OpenOptions::new()
        .write(true)
        .open(&npy)
        .unwrap()
        .set_len(1 << 40)
        .unwrap();
    let e = hopfield_io::read_patterns(&npy, None, Default::default())
        .unwrap_err()
        .to_string();
    assert!(e.contains("trailing bytes after the data"), "{e}");
    assert!(start.elapsed() < std::time::Duration::from_secs(5));
}
