//! The layers the crate documentation draws are the layers of the code: every top-level
//! module imports only modules drawn on lines below its own, so there is no circle.

use std::path::Path;

#[path = "../../hopfield/tests/support/layers.rs"]
mod layers;

#[test]
fn modules_import_only_the_layers_below_their_own() {
    // Every module is a layer; they import one another about seventy times.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    layers::check(&src, &[], 60);
}
