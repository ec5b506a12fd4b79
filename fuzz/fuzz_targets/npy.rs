//! The `.npy` parser on arbitrary bytes: an array or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(array) = hopfield_io::npy::parse(data) {
        let values = array.to_f64();
        assert_eq!(values.len(), array.len());
    }
});
