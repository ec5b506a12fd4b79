//! The `hopfield` binary run on real files: outputs, errors and exit codes.

use std::path::{Path, PathBuf};

use hopfield::{Shape, generate, random};
use serde_json::Value;

mod common;
use common::{run, s};

fn path(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}

mod patterns {
    use super::*;

    #[test]
    fn page_drawings_round_trip_through_every_format() {
        let dir = tempfile::tempdir().unwrap();
        for name in ["letters.npy", "letters.txt"] {
            let f = path(dir.path(), name);
            let r = run(&["patterns", "page-letters", "-o", s(&f)]);
            assert_eq!(r.code, 0, "{}", r.stderr);
            let back = hopfield_io::read_patterns(&f, None, Default::default()).unwrap();
            assert_eq!(back, generate::page::letters(), "{name}");
        }
        let f = path(dir.path(), "bu.png");
        assert_eq!(run(&["patterns", "page-bu", "-o", s(&f)]).code, 0);
        let back = hopfield_io::read_patterns(&f, None, Default::default()).unwrap();
        assert_eq!(back, generate::page::bu());
    }

    #[test]
    fn random_patterns_follow_the_seed() {
        let dir = tempfile::tempdir().unwrap();
        let a = path(dir.path(), "a.npy");
        let b = path(dir.path(), "b.npy");
        let c = path(dir.path(), "c.npy");
        for (f, seed) in [(&a, "5"), (&b, "5"), (&c, "6")] {
            let r = run(&[
                "patterns",
                "random",
                "-n",
                "300",
                "--count",
                "4",
                "--seed",
                seed,
                "-o",
                s(f),
            ]);
            assert_eq!(r.code, 0, "{}", r.stderr);
        }
        let read = |f: &Path| hopfield_io::read_patterns(f, None, Default::default()).unwrap();
        assert_eq!(read(&a), read(&b));
        assert_ne!(read(&a), read(&c));
        let expect = generate::random_patterns(4, 300, 0.5, &mut random::seeded(5)).unwrap();
        assert_eq!(read(&a), expect);
    }

    #[test]
    fn letters_and_text_at_any_size() {
        let dir = tempfile::tempdir().unwrap();
        let f = path(dir.path(), "abc.npy");
        let r = run(&[
            "patterns",
            "letter",
            "--text",
            "ABC",
            "--size",
            "14x10",
            "-o",
            s(&f),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let p = hopfield_io::read_patterns(&f, None, Default::default()).unwrap();
        assert_eq!((p.len(), p.shape()), (3, Some(Shape::new(14, 10))));
        let r = run(&["patterns", "text", "--text", "HI"]);
        assert_eq!(r.code, 0);
        assert!(r.stdout.contains('█'));
    }

    #[test]
    fn several_kinds_are_written_in_order_and_the_five_neurons_are_a_kind() {
        let dir = tempfile::tempdir().unwrap();
        let f = path(dir.path(), "bu-bc.npy");
        let r = run(&["patterns", "page-bu", "page-bc", "-o", s(&f)]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let mut expected = generate::page::bu();
        expected.extend(&generate::page::bc()).unwrap();
        let back = hopfield_io::read_patterns(&f, None, Default::default()).unwrap();
        assert_eq!(back, expected);
        let five = path(dir.path(), "five.txt");
        assert_eq!(run(&["patterns", "page-five", "-o", s(&five)]).code, 0);
        assert_eq!(std::fs::read_to_string(&five).unwrap(), "#..##\n");
        let r = run(&["patterns", "page-bu", "letter", "--text", "A"]);
        assert_eq!(r.code, 2);
        assert!(
            r.stderr
                .contains("'letter' is 7x5 but 'page-bu' is 100x100"),
            "{}",
            r.stderr
        );
    }

    #[test]
    fn usage_mistakes_exit_2_with_the_fix() {
        let r = run(&["patterns", "letter"]);
        assert_eq!(r.code, 2);
        assert!(r.stderr.contains("add --text"), "{}", r.stderr);
        let r = run(&["patterns", "checkerboard", "--count", "3"]);
        assert_eq!(r.code, 2);
        let r = run(&["patterns", "blob"]);
        assert_eq!(r.code, 2);
        assert!(r.stderr.contains("checkerboard"), "{}", r.stderr);
        let r = run(&["patterns", "random", "--p-on", "1.5"]);
        assert_eq!(r.code, 2);
        assert!(r.stderr.contains("p-on = 1.5"), "{}", r.stderr);
    }

    #[test]
    fn a_png_holds_one_pattern_and_nothing_is_left_behind() {
        let dir = tempfile::tempdir().unwrap();
        let f = path(dir.path(), "three.png");
        let r = run(&["patterns", "page-letters", "-o", s(&f)]);
        assert_eq!(r.code, 1);
        assert!(
            r.stderr.contains("a PNG holds one pattern but there are 3"),
            "{}",
            r.stderr
        );
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}

mod recall {
    use super::*;

    /// `count` random patterns of `n` neurons drawn from `seed`, written to `name` in `dir`.
    fn random_file(dir: &Path, name: &str, n: &str, count: &str, seed: &str) -> PathBuf {
        let f = path(dir, name);
        let r = run(&[
            "patterns",
            "random",
            "-n",
            n,
            "--count",
            count,
            "--seed",
            seed,
            "-o",
            s(&f),
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        f
    }

    fn stored(dir: &Path) -> PathBuf {
        random_file(dir, "stored.npy", "400", "10", "2")
    }

    /// 60 random patterns of 200 neurons: past the capacity of Hebb's rule.
    fn many(dir: &Path) -> PathBuf {
        random_file(dir, "many.npy", "200", "60", "1")
    }

    #[test]
    fn a_noisy_stored_pattern_is_recalled() {
        let dir = tempfile::tempdir().unwrap();
        let f = stored(dir.path());
        let out = path(dir.path(), "final.npy");
        for dynamics in ["sync", "async", "sweep", "sequential"] {
            let r = run(&[
                "recall",
                "--patterns",
                s(&f),
                "--from",
                "3",
                "--noise",
                "0.15",
                "--dynamics",
                dynamics,
                "--json",
                "-o",
                s(&out),
            ]);
            assert_eq!(r.code, 0, "{}", r.stderr);
            let v: Value = serde_json::from_str(&r.stdout).unwrap();
            assert_eq!(v["outcome"], "recalled", "{dynamics}: {v}");
            assert_eq!(v["pattern"], 3);
            assert_eq!(v["converged"], true);
            assert_eq!(v["overlaps"][3], 1.0);
            let state = hopfield_io::read_cues(&out, 400, None, Default::default()).unwrap();
            let p = hopfield_io::read_patterns(&f, None, Default::default()).unwrap();
            assert_eq!(state.states[0], p.get(3).unwrap());
        }
    }

    #[test]
    fn batches_give_one_result_per_cue_in_the_cue_shape() {
        let dir = tempfile::tempdir().unwrap();
        let f = stored(dir.path());
        let p = hopfield_io::read_patterns(&f, None, Default::default()).unwrap();
        let mut rng = random::seeded(9);
        let mut cues = Vec::new();
        for mu in 0..5 {
            cues.extend(hopfield::noise::flip_fraction(p.get(mu).unwrap(), 0.1, &mut rng).unwrap());
        }
        let cue_file = path(dir.path(), "cues.npy");
        hopfield_io::write_states(&cue_file, &cues, &hopfield_io::Layout::new(5, 400, None))
            .unwrap();
        let out = path(dir.path(), "out.npy");
        let r = run(&[
            "recall",
            "--patterns",
            s(&f),
            "--cue",
            s(&cue_file),
            "--json",
            "-o",
            s(&out),
            "--dynamics",
            "async",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        let items = v.as_array().expect("an array for a batch");
        assert_eq!(items.len(), 5);
        for (k, item) in items.iter().enumerate() {
            assert_eq!(item["cue"], k);
            assert_eq!(item["pattern"], k);
        }
        let back = hopfield_io::read_array(&out).unwrap();
        assert_eq!(back.dims(), &[5, 400]);
        // The same seed gives the same output; the results are the library's.
        let again = run(&[
            "recall",
            "--patterns",
            s(&f),
            "--cue",
            s(&cue_file),
            "--json",
            "--dynamics",
            "async",
        ]);
        assert_eq!(again.stdout, r.stdout);
    }

    #[test]
    fn the_page_image_cell_with_the_second_half_masked() {
        let dir = tempfile::tempdir().unwrap();
        let f = path(dir.path(), "images.npy");
        assert_eq!(run(&["patterns", "page-images", "-o", s(&f)]).code, 0);
        let r = run(&[
            "recall",
            "--patterns",
            s(&f),
            "--from",
            "0",
            "--mask",
            "second-half",
            "--tie",
            "minus",
            "--json",
            "--max-steps",
            "1",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(v["steps"], 1);
        let m0 = v["overlaps"][0].as_f64().unwrap();
        assert!(m0 > 0.9, "{v}");
        let r = run(&[
            "recall",
            "--patterns",
            s(&f),
            "--from",
            "0",
            "--mask",
            "second-half",
        ]);
        assert_eq!(r.code, 0);
        assert!(
            r.stdout.contains("cue") && r.stdout.contains("final"),
            "{}",
            r.stdout
        );
    }

    #[test]
    fn a_mixture_shows_the_cued_pattern_and_names_the_nearest_apart() {
        // The letters, pattern 1 cued with 20 % noise: the run ends in the mixture
        // sign(−ξ0 + ξ1 + ξ2), nearest to the reversal of pattern 0.
        let dir = tempfile::tempdir().unwrap();
        let net = path(dir.path(), "letters.hfn");
        let letters = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data/letters.npy");
        let r = run(&["train", "--patterns", s(&letters), "-o", s(&net)]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let args = [
            "recall",
            "--network",
            s(&net),
            "--from",
            "1",
            "--noise",
            "0.2",
        ];
        let r = run(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let first = r.stdout.lines().next().unwrap();
        assert!(first.starts_with("mixture sign(−ξ0 +ξ1 +ξ2)"), "{first}");
        assert!(
            first.contains(
                "; cued pattern 1, overlap +0.760; nearest pattern 0 reversed, overlap -0.920;"
            ),
            "{first}"
        );
        let titles = r.stdout.lines().nth(1).unwrap();
        let titles: Vec<&str> = titles
            .split("   ")
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .collect();
        assert_eq!(
            titles,
            [
                "cue",
                "final",
                "pattern 1 (cued)",
                "pattern 0 (nearest, reversed)"
            ]
        );
        let r = run(&[&args[..], &["--json"]].concat());
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(v["outcome"], "mixture");
        assert_eq!(v["pattern"], Value::Null);
        assert_eq!(v["cued"], 1);
        assert_eq!(v["nearest"]["pattern"], 0);
        assert_eq!(v["nearest"]["overlap"], -0.92);
        // A recalled cue: the cued pattern is the nearest, shown once.
        let r = run(&["recall", "--network", s(&net), "--from", "2"]);
        assert!(
            r.stdout.starts_with("recalled pattern 2 after"),
            "{}",
            r.stdout
        );
        assert!(
            r.stdout.contains("cued pattern 2, overlap +1.000; energy"),
            "{}",
            r.stdout
        );
        assert!(!r.stdout.contains("nearest"), "{}", r.stdout);
        // A cue from a file has no cued pattern: only the nearest is named.
        let cue = path(dir.path(), "cue.txt");
        std::fs::write(&cue, "#...#\n.#.#.\n..#..\n.#.#.\n#...#\n").unwrap();
        let r = run(&["recall", "--network", s(&net), "--cue", s(&cue), "--json"]);
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(v["cued"], Value::Null);
        assert_eq!(v["nearest"]["pattern"], 1);
    }

    #[test]
    fn bad_data_names_the_file_and_exits_1_without_output() {
        let dir = tempfile::tempdir().unwrap();
        let bad = path(dir.path(), "bad.txt");
        std::fs::write(&bad, "#.#\n#.#\n##\n").unwrap();
        let out = path(dir.path(), "out.npy");
        let r = run(&[
            "recall",
            "--patterns",
            s(&bad),
            "--from",
            "0",
            "-o",
            s(&out),
        ]);
        assert_eq!(r.code, 1);
        let line = r.stderr.trim();
        assert_eq!(line.lines().count(), 1, "{line}");
        assert!(
            line.contains("bad.txt: line 3: row has 2 cells, expected 3"),
            "{line}"
        );
        assert!(!out.exists());

        let f = stored(dir.path());
        let short = path(dir.path(), "short.npy");
        hopfield_io::write_states(&short, &[1; 399], &hopfield_io::Layout::new(1, 399, None))
            .unwrap();
        let r = run(&[
            "recall",
            "--patterns",
            s(&f),
            "--cue",
            s(&short),
            "-o",
            s(&out),
        ]);
        assert_eq!(r.code, 1);
        assert!(
            r.stderr
                .contains("short.npy: cue has 399 values but the network has 400 neurons"),
            "{}",
            r.stderr
        );
        assert!(!out.exists());

        let missing = path(dir.path(), "missing.npy");
        let r = run(&["recall", "--patterns", s(&missing), "--from", "0"]);
        assert_eq!(r.code, 1);
        assert!(
            r.stderr.contains("missing.npy: No such file"),
            "{}",
            r.stderr
        );

        let two = path(dir.path(), "two.npy");
        std::fs::write(&two, {
            let mut b = hopfield_io::npy::encode_i8(&[1, -1, 1, 1, 2, 1], &[2, 3]);
            b.shrink_to_fit();
            b
        })
        .unwrap();
        let r = run(&["recall", "--patterns", s(&two), "--from", "0"]);
        assert_eq!(r.code, 1);
        assert!(
            r.stderr
                .contains("two.npy: pattern 1, neuron 1: value 2 is not ±1"),
            "{}",
            r.stderr
        );
    }

    #[test]
    fn out_of_range_flags_exit_2() {
        let dir = tempfile::tempdir().unwrap();
        let f = stored(dir.path());
        for (args, expect) in [
            (
                vec!["--from", "0", "--noise", "1.5"],
                "noise = 1.5 is invalid",
            ),
            (
                vec!["--from", "0", "--max-steps", "0"],
                "max_steps = 0 is invalid",
            ),
            (vec!["--from", "99"], "--from 99"),
            (
                vec!["--from", "0", "--dynamics", "chaotic"],
                "expected one of: sync, async",
            ),
            (
                vec!["--from", "0", "--threshold", "nope"],
                "neither a number nor an existing file",
            ),
            (
                vec!["--from", "0", "--mask", "left-half"],
                "needs a 2-D pattern",
            ),
        ] {
            let mut all = vec!["recall", "--patterns", s(&f)];
            all.extend(args);
            let r = run(&all);
            assert_eq!(r.code, 2, "{all:?}: {}", r.stderr);
            assert!(r.stderr.contains(expect), "{all:?}: {}", r.stderr);
        }
        let r = run(&["recall", "--patterns", s(&f)]);
        assert_eq!(r.code, 2);
    }

    /// A one-dimensional int8 `.npy` file of `values`.
    fn write_npy_i8(f: &Path, values: &[i8]) {
        let dict = format!(
            "{{'descr': '|i1', 'fortran_order': False, 'shape': ({},), }}",
            values.len()
        );
        let mut header = dict.into_bytes();
        while (10 + header.len() + 1) % 64 != 0 {
            header.push(b' ');
        }
        header.push(b'\n');
        let mut bytes = b"\x93NUMPY\x01\x00".to_vec();
        bytes.extend((header.len() as u16).to_le_bytes());
        bytes.extend(header);
        bytes.extend(values.iter().map(|&v| v as u8));
        std::fs::write(f, bytes).unwrap();
    }

    /// One synchronous step of the page's `sign(W S)` (`x > 0` → +1, else −1) with
    /// `W = Σ ξξᵀ`, zero diagonal.
    fn page_step(patterns: &[&[i8]], cue: &[i8]) -> Vec<i8> {
        let n = cue.len();
        (0..n)
            .map(|i| {
                let h: i64 = (0..n)
                    .filter(|&j| j != i)
                    .map(|j| {
                        let w: i64 = patterns
                            .iter()
                            .map(|p| i64::from(p[i]) * i64::from(p[j]))
                            .sum();
                        w * i64::from(cue[j])
                    })
                    .sum();
                if h > 0 { 1 } else { -1 }
            })
            .collect()
    }

    /// The state after one synchronous step (`--tie minus`, unnormalised, seed 5) of a
    /// recall from the patterns of `f` with the cue flags `cue`.
    fn one_step(f: &Path, cue: &[&str], out: &Path) -> Vec<i8> {
        let mut args = vec!["recall", "--patterns", s(f)];
        args.extend_from_slice(cue);
        args.extend([
            "--normalization",
            "none",
            "--tie",
            "minus",
            "--max-steps",
            "1",
            "--seed",
            "5",
            "-o",
            s(out),
        ]);
        let r = run(&args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        hopfield_io::read_array(out)
            .unwrap()
            .to_f64()
            .into_iter()
            .map(|v| v as i8)
            .collect()
    }

    #[test]
    fn additive_noise_on_the_zero_one_image_is_the_pages_cue() {
        // Hebb's rule on 60 random patterns of 200 neurons, one synchronous step: past
        // capacity the final state shows the cue, and the cue is the page's csi (0/1) +
        // random ±1, as --cue of the page's own values gives it.
        let dir = tempfile::tempdir().unwrap();
        let f = many(dir.path());
        let p = hopfield_io::read_patterns(&f, None, Default::default()).unwrap();
        let stored: Vec<&[i8]> = p.iter().collect();
        let image: Vec<i8> = p.get(0).unwrap().iter().map(|&v| i8::from(v > 0)).collect();
        let page_cue = hopfield::noise::add_noise(&image, &mut random::seeded(5));
        let expected = page_step(&stored, &page_cue);
        let binary = path(dir.path(), "binary.npy");
        assert_eq!(
            one_step(&f, &["--from", "0", "--add-noise", "binary"], &binary),
            expected
        );
        // The page's cue saved as an array (values −1 to 2) is read as it is.
        let cue_file = path(dir.path(), "page-cue.npy");
        write_npy_i8(&cue_file, &page_cue);
        let from_file = path(dir.path(), "from-file.npy");
        assert_eq!(one_step(&f, &["--cue", s(&cue_file)], &from_file), expected);
        // The same noise on the ±1 pattern is another cue, with another result.
        let bipolar_cue = hopfield::noise::add_noise(p.get(0).unwrap(), &mut random::seeded(5));
        let bipolar = path(dir.path(), "bipolar.npy");
        let got = one_step(&f, &["--from", "0", "--add-noise", "bipolar"], &bipolar);
        assert_eq!(got, page_step(&stored, &bipolar_cue));
        assert_ne!(got, expected, "the test tells the two cues apart");
        // The corruptions apply to every cue of a file too.
        let again = path(dir.path(), "again.npy");
        let ones = path(dir.path(), "pattern0.npy");
        write_npy_i8(&ones, p.get(0).unwrap());
        assert_eq!(
            one_step(&f, &["--cue", s(&ones), "--add-noise", "binary"], &again),
            expected
        );
    }

    #[test]
    fn cues_of_unknown_neurons_have_no_zero_one_image() {
        let dir = tempfile::tempdir().unwrap();
        let f = path(dir.path(), "five.txt");
        std::fs::write(&f, "#..##\n").unwrap();
        let cue = path(dir.path(), "cue.txt");
        std::fs::write(&cue, "#?.##\n").unwrap();
        let r = run(&[
            "recall",
            "--patterns",
            s(&f),
            "--cue",
            s(&cue),
            "--add-noise",
            "binary",
        ]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
        assert!(
            r.stderr.contains(&format!(
                "--add-noise binary: {}: state to turn into 0/1, neuron 1: value 0 is not ±1",
                cue.display()
            )),
            "{}",
            r.stderr
        );
        // The same cue takes the noise on its ±1 values.
        let r = run(&[
            "recall",
            "--patterns",
            s(&f),
            "--cue",
            s(&cue),
            "--add-noise",
            "bipolar",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }

    #[test]
    fn a_start_mixed_from_two_patterns_as_the_page_does() {
        let dir = tempfile::tempdir().unwrap();
        let f = stored(dir.path());
        let p = hopfield_io::read_patterns(&f, None, Default::default()).unwrap();
        let stored: Vec<&[i8]> = p.iter().collect();
        // The page's S = xi1[:75 %] followed by xi2[75 %:], then one step.
        let start = hopfield::noise::mix(p.get(0).unwrap(), p.get(1).unwrap(), 0.75).unwrap();
        assert_eq!(&start[..300], &p.get(0).unwrap()[..300]);
        assert_eq!(&start[300..], &p.get(1).unwrap()[300..]);
        let out = path(dir.path(), "final.npy");
        assert_eq!(
            one_step(&f, &["--from", "0", "--mix", "1:0.75"], &out),
            page_step(&stored, &start)
        );
        for (args, expect) in [
            (
                vec!["--mix", "1:1.5"],
                "the fraction kept must lie in [0, 1], not 1.5",
            ),
            (vec!["--mix", "one"], "expected J:F"),
            (
                vec!["--mix", "12:0.5"],
                "--mix 12:0.5: pattern index = 12 is invalid",
            ),
        ] {
            let mut all = vec!["recall", "--patterns", s(&f), "--from", "0"];
            all.extend(args);
            let r = run(&all);
            assert_eq!(r.code, 2, "{all:?}: {}", r.stderr);
            assert!(r.stderr.contains(expect), "{all:?}: {}", r.stderr);
            assert_eq!(r.stderr.lines().count(), 1, "{all:?}: {}", r.stderr);
        }
    }

    #[test]
    fn an_unconverged_run_says_so_once() {
        let dir = tempfile::tempdir().unwrap();
        let f = many(dir.path());
        let r = run(&[
            "recall",
            "--patterns",
            s(&f),
            "--from",
            "7",
            "--noise",
            "0.3",
            "--max-steps",
            "1",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let first = r.stdout.lines().next().unwrap();
        assert!(first.starts_with("not converged after 1 step;"), "{first}");
        assert_eq!(first.matches("converged").count(), 1, "{first}");
    }

    #[test]
    fn thresholds_from_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let f = path(dir.path(), "five.txt");
        std::fs::write(&f, "#..##\n").unwrap();
        let theta = path(dir.path(), "theta.txt");
        std::fs::write(&theta, "#####\n").unwrap();
        // θ = +1 everywhere with unnormalised weights: csi itself stays a fixed point.
        let r = run(&[
            "recall",
            "--patterns",
            s(&f),
            "--from",
            "0",
            "--normalization",
            "none",
            "--threshold",
            s(&theta),
            "--json",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        assert_eq!(v["outcome"], "recalled");
        // E = -1/2 SᵀWS + θ·S = -1/2 (N² - N) + Σ S = -10 + 1.
        assert_eq!(v["energy"], -9.0);
    }
}

mod simulate {
    use super::*;

    #[test]
    fn the_page_first_cell_writes_its_raster() {
        let dir = tempfile::tempdir().unwrap();
        let f = path(dir.path(), "raster.npy");
        let r = run(&[
            "simulate",
            "-n",
            "20",
            "--steps",
            "200",
            "--seed",
            "4",
            "-o",
            s(&f),
            "--json",
        ]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let a = hopfield_io::read_array(&f).unwrap();
        assert_eq!(a.dims(), &[20, 201]);
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        // Uniform positive couplings and θ = 0: once any neuron is on, every update turns
        // its neuron on, so the on count never falls.
        let on: Vec<u64> = v["on_per_step"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_u64().unwrap())
            .collect();
        assert!(on.windows(2).all(|w| w[1] >= w[0]), "{on:?}");
        assert_eq!(*on.last().unwrap(), 20);
        let text = run(&["simulate", "-n", "5", "--steps", "10"]);
        assert!(text.stdout.contains("neuron × time"));
        assert_eq!(run(&["simulate", "--steps", "0"]).code, 2);
    }
}

mod usage {
    use super::*;

    #[test]
    fn flag_errors_are_one_line_with_a_hint_and_the_usage_on_request() {
        for (args, expect, hint) in [
            (
                &["recall", "--patterns", "x.npy", "--form", "0"][..],
                "error: unexpected argument '--form' found; a similar argument exists: '--from'",
                "see 'hopfield recall --help'",
            ),
            (
                &["recall", "--patterns", "x.npy"][..],
                "error: the following required arguments were not provided: --cue <FILE>",
                "see 'hopfield recall --help'",
            ),
            (
                &[
                    "recall",
                    "--patterns",
                    "x.npy",
                    "--from",
                    "0",
                    "--add-noise",
                ][..],
                "error: a value is required for '--add-noise <TO>'",
                "see 'hopfield recall --help'",
            ),
            (
                &[
                    "recall",
                    "--patterns",
                    "x.npy",
                    "--from",
                    "0",
                    "--tie",
                    "up",
                ][..],
                "error: invalid value 'up' for '--tie <TIE>'",
                "see 'hopfield recall --help'",
            ),
            (
                &["capacity", "--trials", "many"][..],
                "error: invalid value 'many' for '--trials <TRIALS>'",
                "see 'hopfield capacity --help'",
            ),
            (
                &["recal"][..],
                "error: unrecognized subcommand 'recal'",
                "see 'hopfield --help'",
            ),
        ] {
            let r = run(args);
            assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
            assert_eq!(r.stderr.lines().count(), 1, "{args:?}: {}", r.stderr);
            let line = r.stderr.trim_end();
            assert!(line.starts_with(expect), "{args:?}: {line}");
            assert!(line.ends_with(hint), "{args:?}: {line}");
            assert!(!line.contains("Usage:"), "{line}");
        }
        // The usage is there on request.
        let r = run(&["recall", "--help"]);
        assert_eq!(r.code, 0);
        assert!(r.stdout.contains("Usage: hopfield recall"), "{}", r.stdout);
        assert!(r.stdout.contains("--add-noise <TO>"), "{}", r.stdout);
    }
}

/// `hopfield bench`: the reference workloads, timed.
mod bench {
    use super::*;

    #[test]
    fn thread_counts_are_timed_each_in_a_process_of_its_own() {
        let r = run(&["bench", "D", "--repeat", "1", "--threads", "2", "--json"]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let v: Value = serde_json::from_str(&r.stdout).unwrap();
        let t = v["timings"].as_array().unwrap();
        let threads: Vec<_> = t.iter().map(|x| x["threads"].as_u64()).collect();
        assert_eq!(threads, [Some(1), Some(2)]);
        for x in t {
            // Workload D recalls its pattern exactly, with any number of threads.
            assert_eq!(x["check"].as_f64(), Some(10_000.0), "{x}");
            assert!(x["seconds"].as_f64().is_some_and(|s| s > 0.0), "{x}");
            // The peak memory of the process that ran it: more than the program alone.
            assert!(x["peak_rss_mb"].as_f64().is_some_and(|m| m > 1.0), "{x}");
        }
        let r = run(&["bench", "D", "--threads", "0"]);
        assert_eq!(r.code, 2);
        assert_eq!(r.stderr.trim_end(), "error: --threads must be at least 1");
    }
}
