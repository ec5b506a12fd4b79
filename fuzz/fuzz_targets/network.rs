//! Saved-network and saved-memory loading on arbitrary bytes: a network (or memory) or an
//! error, never a panic; whatever loads saves to a file that loads as the same thing.
#![no_main]

use hopfield_io::network::{decode_memory, decode_network, encode_memory, encode_network};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(net) = decode_network(data) {
        let bytes = encode_network(&net).expect("a loaded network saves");
        let back = decode_network(&bytes).expect("a saved network loads");
        assert_eq!(back, net);
    }
    if let Ok(memory) = decode_memory(data) {
        let bytes = encode_memory(&memory).expect("a loaded memory saves");
        let back = decode_memory(&bytes).expect("a saved memory loads");
        assert_eq!(back, memory);
    }
});
