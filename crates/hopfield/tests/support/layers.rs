//! The check behind each layered crate's `layers` test: the layers its crate documentation
//! draws are the layers of its code. A drawing is a `text` block under `# Layers` whose
//! lines open with module names, top layer first; lines that open with spaces go on with
//! the line before.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

/// The top-level modules that `lib.rs` declares.
fn declared(lib: &str) -> BTreeSet<String> {
    lib.lines()
        .filter_map(|l| {
            let l = l.trim_start_matches("pub ");
            l.strip_prefix("mod ")?.strip_suffix(';').map(str::to_owned)
        })
        .collect()
}

/// The layers of the crate doc's drawing, top first: the module names that open each line.
fn drawn(lib: &str, modules: &BTreeSet<String>) -> Vec<Vec<String>> {
    // The doc's lines without `//!` and the one space after it.
    let doc: Vec<&str> = lib
        .lines()
        .filter_map(|l| l.strip_prefix("//!"))
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect();
    let start = doc
        .iter()
        .position(|l| *l == "# Layers")
        .expect("a Layers section");
    let block = &doc[start..];
    let open = block
        .iter()
        .position(|l| *l == "```text")
        .expect("a drawing");
    let close = open + 1 + block[open + 1..].iter().position(|l| *l == "```").unwrap();
    block[open + 1..close]
        .iter()
        .filter(|line| !line.starts_with(' '))
        .map(|line| {
            let names: Vec<String> = line
                .split_whitespace()
                .take_while(|w| modules.contains(*w))
                .map(str::to_owned)
                .collect();
            assert!(
                !names.is_empty(),
                "a line of the drawing names no module: {line}"
            );
            names
        })
        .collect()
}

/// Which module defines each name that `lib.rs` re-exports (`pub use module::{A, B};`).
fn owners(lib: &str) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let flat = lib.replace('\n', " ");
    for item in flat.split("pub use ").skip(1) {
        let item = &item[..item.find(';').expect("a use ends")];
        let (module, names) = item.split_once("::").expect("a path");
        for name in names.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
            if !name.is_empty() {
                map.insert(name.to_owned(), module.trim().to_owned());
            }
        }
    }
    map
}

/// The code of a file without comments and without its `tests` module.
fn code(path: &Path) -> String {
    let text = fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => &text,
    };
    text.lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The source files of top-level module `name` (tests files left out).
fn files(src: &Path, name: &str) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let file = src.join(format!("{name}.rs"));
    if file.exists() {
        out.push(file);
    }
    let mut dirs = vec![src.join(name)];
    while let Some(dir) = dirs.pop() {
        let Ok(entries) = fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries {
            let path = entry.unwrap().path();
            if path.is_dir() {
                dirs.push(path);
            } else if path.extension().is_some_and(|e| e == "rs")
                && path.file_name().is_some_and(|f| f != "tests.rs")
            {
                out.push(path);
            }
        }
    }
    out
}

/// The first segments of the paths after `crate::` in `code`, each group `crate::{a::B, C}`
/// giving one per item.
fn crate_paths(code: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        rest = &rest[at + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let mut depth = 1;
            let end = group
                .char_indices()
                .find(|&(_, c)| {
                    depth += match c {
                        '{' => 1,
                        '}' => -1,
                        _ => 0,
                    };
                    depth == 0
                })
                .map(|(i, _)| i)
                .expect("a closed group");
            let mut item = String::new();
            let mut depth = 0;
            for c in group[..end].chars().chain([',']) {
                match c {
                    '{' => depth += 1,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        out.push(first_segment(&item));
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
        } else {
            out.push(first_segment(rest));
        }
    }
    out.retain(|s| !s.is_empty());
    out
}

fn first_segment(path: &str) -> String {
    path.trim()
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect()
}

/// Checks that every top-level module of the crate whose sources are in `src` is drawn on
/// a line of the crate doc's `# Layers` drawing (all but `faces`, modules that are not
/// layers) and imports only modules drawn on lines below its own; at least `least` imports
/// are read.
pub fn check(src: &Path, faces: &[&str], least: usize) {
    let lib = fs::read_to_string(src.join("lib.rs")).unwrap();
    let modules = declared(&lib);
    let layers = drawn(&lib, &modules);
    let mut line_of = BTreeMap::new();
    for (k, names) in layers.iter().enumerate() {
        for name in names {
            assert!(
                line_of.insert(name.clone(), k).is_none(),
                "{name} drawn twice"
            );
        }
    }
    for name in &modules {
        assert!(
            line_of.contains_key(name) || faces.contains(&name.as_str()),
            "module {name} is missing from the crate doc's drawing of the layers"
        );
    }
    let owners = owners(&lib);
    let mut checked = 0;
    for (name, &line) in &line_of {
        let sources = files(src, name);
        assert!(!sources.is_empty(), "no source for module {name}");
        for file in sources {
            for segment in crate_paths(&code(&file)) {
                let target = if modules.contains(&segment) {
                    segment.clone()
                } else {
                    owners.get(&segment).cloned().unwrap_or_else(|| {
                        panic!(
                            "{}: crate::{segment} is neither a module nor re-exported",
                            file.display()
                        )
                    })
                };
                if &target == name {
                    continue;
                }
                let below = line_of.get(&target).is_some_and(|&t| t > line);
                assert!(
                    below,
                    "{}: module {name} imports {target} (crate::{segment}), which is not drawn below it",
                    file.display()
                );
                checked += 1;
            }
        }
    }
    // The check read the imports.
    assert!(checked >= least, "only {checked} imports read");
}
