//! PNG loading on arbitrary bytes: an array or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(array) = hopfield_io::image::parse(data) {
        assert_eq!(array.to_f64().len(), array.len());
    }
});
