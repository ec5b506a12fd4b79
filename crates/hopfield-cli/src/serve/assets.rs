//! The page's files, embedded in the binary so that the explorer works offline.

/// `(name, contents, media type)` of every embedded file.
const FILES: &[(&str, &str, &str)] = &[
    (
        "index.html",
        include_str!("../../assets/serve/index.html"),
        "text/html; charset=utf-8",
    ),
    (
        "app.js",
        include_str!("../../assets/serve/app.js"),
        "text/javascript; charset=utf-8",
    ),
    (
        "style.css",
        include_str!("../../assets/serve/style.css"),
        "text/css; charset=utf-8",
    ),
    (
        "favicon.svg",
        include_str!("../../assets/serve/favicon.svg"),
        "image/svg+xml",
    ),
];

/// The contents and media type of an embedded file.
pub fn get(name: &str) -> Option<(&'static str, &'static str)> {
    FILES
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, body, mime)| (*body, *mime))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_refers_only_to_embedded_files() {
        let html = get("index.html").unwrap().0;
        for name in ["app.js", "style.css", "favicon.svg"] {
            assert!(html.contains(name), "index.html does not load {name}");
            assert!(get(name).is_some());
        }
        // Nothing is fetched from elsewhere (an SVG's namespace is a name, not a fetch).
        for (name, body, _) in FILES {
            let outside = body.replace("http://www.w3.org/2000/svg", "");
            assert!(
                !outside.contains("http://") && !outside.contains("https://"),
                "{name} refers to another site"
            );
        }
    }
}
