//! `hopfield tour`: the report is complete, its figures decode, and its numbers match theory.

use std::path::Path;

use assert_cmd::Command;
use serde_json::Value;

fn tour(dir: &Path, seed: &str) {
    let out = Command::cargo_bin("hopfield")
        .expect("binary built")
        .args(["tour", "--quiet", "--seed", seed, "--out"])
        .arg(dir)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every `src="…"` and `href="…"` target of the page that is not an anchor.
fn references(html: &str) -> Vec<String> {
    let mut refs = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for part in html.split(attr).skip(1) {
            let target = part.split('"').next().unwrap_or_default();
            if !target.starts_with('#') {
                refs.push(target.to_string());
            }
        }
    }
    refs
}

#[test]
fn the_report_is_complete_and_matches_theory() {
    let dir = tempfile::tempdir().unwrap();
    tour(dir.path(), "1");
    let html = std::fs::read_to_string(dir.path().join("index.html")).unwrap();
    let refs = references(&html);
    assert!(refs.len() > 30, "{} references", refs.len());
    for r in &refs {
        assert!(!r.contains("://"), "external reference {r}");
        let path = dir.path().join(r);
        assert!(path.is_file(), "{r} is referenced but missing");
    }
    // Every PNG decodes to a non-trivial image.
    let mut pngs = 0;
    for entry in std::fs::read_dir(dir.path().join("figures")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "png") {
            let file = std::fs::File::open(&path).unwrap();
            let mut reader = png::Decoder::new(std::io::BufReader::new(file))
                .read_info()
                .unwrap();
            let mut buf = vec![0; reader.output_buffer_size().unwrap()];
            let info = reader.next_frame(&mut buf).unwrap();
            assert!(
                info.width >= 300 && info.height >= 200,
                "{}",
                path.display()
            );
            assert!(
                buf.iter().any(|&b| b < 64) && buf.iter().any(|&b| b > 192),
                "{} is blank",
                path.display()
            );
            pngs += 1;
        }
    }
    assert!(pngs >= 14, "{pngs} figures");

    let summary: Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("data/summary.json")).unwrap(),
    )
    .unwrap();
    // Sections 3 and 7: the error to ξ¹ reaches 0.
    assert_eq!(summary["s3"]["final_error"], 0.0, "{}", summary["s3"]);
    assert_eq!(summary["s7"]["final_error"], 0.0, "{}", summary["s7"]);
    assert!(summary["s3"]["zero_at"].as_u64().unwrap() <= 1000);
    // Section 2: with K = 5000 samples, mean and sd within 4 standard errors of theory.
    for key in ["random_large", "overlap_large"] {
        let c = &summary["s2"][key];
        let (mean, sd) = (c["mean"].as_f64().unwrap(), c["sd"].as_f64().unwrap());
        let (pm, psd) = (
            c["predicted_mean"].as_f64().unwrap(),
            c["predicted_sd"].as_f64().unwrap(),
        );
        let k = c["samples"].as_f64().unwrap();
        assert!(
            (mean - pm).abs() < 4.0 * psd / k.sqrt(),
            "{key}: mean {mean} vs {pm}"
        );
        assert!(
            (sd - psd).abs() < 4.0 * psd / (2.0 * k).sqrt(),
            "{key}: sd {sd} vs {psd}"
        );
        assert!(c["ks_distance"].as_f64().unwrap() < c["ks_critical"].as_f64().unwrap());
    }
    assert_eq!(summary["s2"]["random"]["predicted_sd"], 10.0);
    // Section 8: the energy never rises in any asynchronous trace.
    assert_eq!(summary["s8"]["energy_never_rises"], true);
    let traces = summary["s8"]["traces"].as_array().unwrap();
    assert_eq!(traces.len(), 3);
    for t in traces {
        assert_eq!(t["never_rises"], true, "{t}");
        assert!(
            t["end"].as_f64().unwrap() < t["start"].as_f64().unwrap(),
            "{t}"
        );
    }
    // Section 4: four or more correct starting values always end at csi, one or none at −csi.
    let all = summary["s4"]["all_starts"].as_array().unwrap();
    let mut total = 0;
    for (correct, counts) in all.iter().enumerate() {
        let c: Vec<u64> = counts
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        total += c.iter().sum::<u64>();
        if correct >= 4 {
            assert_eq!(c[1] + c[2], 0, "{correct} correct: {c:?}");
        } else if correct <= 1 {
            assert_eq!(c[0] + c[2], 0, "{correct} correct: {c:?}");
        }
    }
    assert_eq!(total, 32);
    // Section 6: the page's 0/1 rule with BU stored turns any positive cue into BU.
    assert_eq!(summary["s6"]["raw_bu_overlap"], 1.0);
    // Its caption names each cue: the bottom ones are not the top ones.
    assert!(html.contains("cued with the ±1 BC plus random ±1 noise"));
    assert!(html.contains("BU with 10 % of its pixels flipped and its second half zeroed"));
    assert!(!html.contains("the same cues"));
}

#[test]
fn the_same_seed_gives_the_same_report() {
    let (a, b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
    tour(a.path(), "7");
    tour(b.path(), "7");
    for f in [
        "index.html",
        "data/summary.json",
        "figures/s3-error.png",
        "figures/s6-recall.svg",
        "data/s7-error.csv",
    ] {
        assert_eq!(
            std::fs::read(a.path().join(f)).unwrap(),
            std::fs::read(b.path().join(f)).unwrap(),
            "{f} differs between two runs with the same seed"
        );
    }
}
