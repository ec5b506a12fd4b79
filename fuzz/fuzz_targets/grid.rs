//! The text-grid parser on arbitrary text: an array or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data)
        && let Ok(array) = hopfield_io::grid::parse(text)
    {
        assert_eq!(array.to_f64().len(), array.len());
    }
});
