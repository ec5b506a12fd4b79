//! The layers the crate documentation draws are the layers of the code: every top-level
//! module imports only modules drawn on lines below its own, so there is no circle.

use std::path::Path;

#[path = "support/layers.rs"]
mod layers;

#[test]
fn modules_import_only_the_layers_below_their_own() {
    // The prelude re-exports what programs use most, and the course module is
    // documentation only: neither is a layer. The modules import one another well over a
    // hundred times.
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    layers::check(&src, &["prelude", "course"], 100);
}
