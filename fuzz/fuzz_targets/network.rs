//! Saved-network loading on arbitrary bytes: a network or an error, never a panic; a
//! network that loads saves to a file that loads as the same network.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(net) = hopfield_io::network::decode_network(data) {
        let bytes = hopfield_io::network::encode_network(&net).expect("a loaded network saves");
        let back = hopfield_io::network::decode_network(&bytes).expect("a saved network loads");
        assert_eq!(back, net);
    }
});
