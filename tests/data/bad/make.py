#!/usr/bin/env python3
"""Writes the bad-input corpus of this folder and its manifest.tsv.

Standard library only. Network files are derived from the valid version-1 file
../network-v1-dense.hfn (written by `hopfield train`): cut at every section boundary,
or decoded, altered and encoded again. Run from anywhere: python3 tests/data/bad/make.py

manifest.tsv: file, the command that reads it, and a fragment of the expected message.
Commands: recall-patterns (recall --patterns F --from 0), train-patterns (train
--patterns F), recall-cue (recall --patterns ../letters.npy --cue F), recall-network
(recall --network F --from 0), recall-threshold (recall --patterns ../letters.npy
--threshold F --from 0).

The *_dev_zero files are links to /dev/zero: a reader must stop at what the format
declares instead of reading until memory runs out.
"""

import json
import os
import pathlib
import struct
import zlib

HERE = pathlib.Path(__file__).resolve().parent
GOOD_NET = HERE.parent / "network-v1-dense.hfn"
GOOD_FACTORED = HERE.parent / "network-v1-factored.hfn"

entries = []


def put(name, data, command, fragment):
    path = HERE / name
    if path.is_symlink():
        path.unlink()
    path.write_bytes(data)
    entries.append((name, command, fragment))


def link(name, target, command, fragment):
    path = HERE / name
    if path.is_symlink() or path.exists():
        path.unlink()
    os.symlink(target, path)
    entries.append((name, command, fragment))


# --- .npy -------------------------------------------------------------------------------

def npy(descr, shape, data, fortran=False, version=(1, 0), header=None):
    if header is None:
        shape_text = "(" + "".join(f"{d}, " for d in shape).rstrip(" ") + ")"
        if len(shape) > 1:
            shape_text = "(" + ", ".join(str(d) for d in shape) + ")"
        header = (f"{{'descr': '{descr}', 'fortran_order': {fortran}, "
                  f"'shape': {shape_text}, }}")
    h = header.encode("latin-1") if isinstance(header, str) else header
    pre = 10 if version[0] == 1 else 12
    pad = (64 - (pre + len(h) + 1) % 64) % 64
    h = h + b" " * pad + b"\n"
    length = struct.pack("<H", len(h)) if version[0] == 1 else struct.pack("<I", len(h))
    return b"\x93NUMPY" + bytes(version) + length + h + data


def i8(values):
    return struct.pack(f"{len(values)}b", *values)


def f64(values):
    return struct.pack(f"<{len(values)}d", *values)


LETTER = [1, -1] * 12 + [1]  # 25 values ±1
PATS = LETTER * 3

put("npy_bad_magic.npy", b"\x93NUMPX" + npy("|i1", (3, 25), i8(PATS))[6:],
    "recall-patterns", "not a .npy file")
put("npy_too_short.npy", b"\x93NUM", "recall-patterns", "not a .npy file")
put("npy_version_9.npy", npy("|i1", (3, 25), i8(PATS), version=(9, 0)),
    "recall-patterns", "format version 9.0 is not supported")
put("npy_v2_truncated_preamble.npy", b"\x93NUMPY\x02\x00\x10\x00\x00",
    "recall-patterns", "truncated .npy header")
good = npy("|i1", (3, 25), i8(PATS))
put("npy_header_truncated.npy", good[:40], "recall-patterns", "truncated .npy header")
put("npy_header_not_dict.npy", npy("|i1", (), b"", header="hello"),
    "recall-patterns", ".npy header is malformed")
put("npy_header_no_shape.npy",
    npy("|i1", (), i8(PATS), header="{'descr': '|i1', 'fortran_order': False, }"),
    "recall-patterns", ".npy header is malformed")
put("npy_header_not_utf8.npy", npy("|i1", (), i8(PATS), header=b"{'descr': '\xff\xfe'}"),
    "train-patterns", ".npy header is not text")
put("npy_dtype_complex.npy", npy("<c16", (1, 25), b"\0" * 400),
    "recall-patterns", "c16")
put("npy_dtype_unicode.npy", npy("<U3", (1, 25), b"\0" * 300), "train-patterns", "U3")
put("npy_dtype_object.npy", npy("|O", (1, 25), b"\0" * 200), "recall-patterns", "|O")
put("npy_4d.npy", npy("|i1", (1, 3, 5, 5), i8(PATS)), "recall-patterns",
    "array has 4 dimensions")
put("npy_0d.npy", npy("|i1", (), i8([1])), "train-patterns", "array has 0 dimensions")
put("npy_empty.npy", npy("|i1", (0, 25), b""), "recall-patterns", "array is empty")
put("npy_truncated_data.npy", good[:-10], "recall-patterns", "truncated data")
put("npy_trailing_bytes.npy", good + b"\0\0\0", "train-patterns",
    "trailing bytes after the data")
put("npy_value_2.npy", npy("|i1", (3, 25), i8(PATS[:30] + [2] + PATS[31:])),
    "recall-patterns", "pattern 1, neuron 5: value 2 is not ±1")
put("npy_nan.npy", npy("<f8", (3, 25), f64(PATS[:7] + [float("nan")] + PATS[8:])),
    "recall-patterns", "pattern 0, position 7: value is not finite")
put("npy_inf_float32.npy",
    npy("<f4", (1, 25), struct.pack("<25f", *(LETTER[:3] + [float("inf")] + LETTER[4:]))),
    "train-patterns", "value is not finite")
put("npy_value_half.npy", npy("<f8", (1, 25), f64([0.5] + LETTER[1:])),
    "recall-patterns", "value 0.5 is not ±1")
put("npy_big_endian_value_2.npy",
    npy(">i4", (1, 25), struct.pack(">25i", *(LETTER[:9] + [2] + LETTER[10:]))),
    "recall-patterns", "neuron 9: value 2 is not ±1")
put("npy_huge_shape.npy", npy("<f8", (100000000, 100000000), b"\0" * 64),
    "recall-patterns", "but only")
put("npy_overflow_shape.npy", npy("|i1", (2**62, 2**62, 16), b"\0" * 64),
    "train-patterns", "but only")
# Text from the header is echoed escaped (no raw ESC or BEL reaches a terminal) and cut.
put("npy_header_escape.npy", npy("\x1b]0;owned\x07\x1b[2J", (1, 25), i8(LETTER)),
    "recall-patterns", "dtype '\\u{1b}]0;owned\\u{7}\\u{1b}[2J' is not supported")
put("npy_header_long_field.npy", npy("<" + "x" * 100_000, (1, 25), i8(LETTER), version=(2, 0)),
    "train-patterns", "… (100001 characters)' is not supported")
put("npy_fortran_truncated.npy", npy("|i1", (3, 25), i8(PATS[:-1]), fortran=True),
    "recall-patterns", "truncated data")
fortran_vals = [1] * 75
fortran_vals[1] = 3  # element (1, 0) in Fortran order
put("npy_fortran_value_3.npy", npy("|i1", (3, 25), i8(fortran_vals), fortran=True),
    "recall-patterns", "pattern 1, neuron 0: value 3 is not ±1")

link("npy_dev_zero.npy", "/dev/zero", "recall-patterns", "not a .npy file")

# --- empty files and unknown types ------------------------------------------------------

put("empty.npy", b"", "recall-patterns", "file is empty")
put("empty.txt", b"", "train-patterns", "file is empty")
put("empty.png", b"", "recall-patterns", "file is empty")
put("empty.hfn", b"", "recall-network", "file is empty")
put("patterns.csv", b"1,-1,1\n", "recall-patterns", "unknown file type")

# --- PNG --------------------------------------------------------------------------------

def png_gray(w, h, pixels):
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\0" + bytes(pixels[r * w:(r + 1) * w]) for r in range(h))
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(raw)) + chunk(b"IEND", b""))


good_png = png_gray(5, 5, [0 if v > 0 else 255 for v in LETTER])
put("png_not_png.png", b"GIF89a not a png at all", "recall-patterns", "not a PNG image")
put("png_truncated.png", good_png[: len(good_png) // 2], "recall-patterns", "unreadable PNG")
put("png_only_signature.png", good_png[:8], "train-patterns", "unreadable PNG")
bad_crc = bytearray(good_png)
bad_crc[29] ^= 0xFF  # the IHDR checksum
put("png_bad_crc.png", bytes(bad_crc), "recall-patterns", "unreadable PNG")
put("png_zero_width.png", png_gray(0, 5, []), "recall-patterns", "unreadable PNG")
put("png_cue_wrong_size.png", png_gray(4, 4, [0] * 16), "recall-cue",
    "cue has 16 values but the network has 25 neurons")


def png_indexed(w, h, palette, rows):
    """A palette PNG of 8 bits per pixel; rows of palette indices."""
    def chunk(kind, data):
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))
    raw = b"".join(b"\0" + bytes(row) for row in rows)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, 8, 3, 0, 0, 0))
            + chunk(b"PLTE", bytes(palette)) + chunk(b"IDAT", zlib.compress(raw))
            + chunk(b"IEND", b""))


# A palette of two colours (white, black) and a pixel of index 5: read as "on" by a
# decoder that fills the missing entries with opaque black.
put("png_palette_index_out_of_range.png",
    png_indexed(5, 5, [255, 255, 255, 0, 0, 0], [[1, 0, 1, 0, 1]] * 2 + [[0, 1, 5, 1, 0]]
                + [[1, 0, 1, 0, 1]] * 2),
    "recall-patterns", "pixel at row 2, column 2 has palette index 5, but the palette holds 2 colours")
link("png_dev_zero.png", "/dev/zero", "recall-patterns", "not a PNG image")

# --- text grids -------------------------------------------------------------------------

put("txt_ragged.txt", b"#.#.#\n.#.#\n#.#.#\n", "recall-patterns",
    "line 2: row has 4 cells, expected 5")
put("txt_stray_character.txt", b"#.#.#\n.#x#.\n", "train-patterns",
    "line 2, column 3: unexpected character 'x'")
put("txt_patterns_of_different_lengths.txt", b"#.#\n.#.\n\n#.#.\n.#.#\n",
    "recall-patterns", "line 4: pattern 1 is 2x4, pattern 0 is 2x3")
put("txt_not_utf8.txt", b"#.#\n\xff\xfe\n", "recall-patterns", "invalid UTF-8")
put("txt_only_blank_lines.txt", b"\n\n   \n", "train-patterns", "holds no pattern")
put("txt_unknown_in_patterns.txt", b"#.#\n.?.\n", "recall-patterns",
    "pattern 0, neuron 4: value 0 is not ±1")
link("txt_dev_zero.txt", "/dev/zero", "train-patterns",
     "line 1, column 1: unexpected character '\\0'")

# --- cues for a 25-neuron network -------------------------------------------------------

put("cue_wrong_length.npy", npy("|i1", (24,), i8(LETTER[:24])), "recall-cue",
    "cue has 24 values but the network has 25 neurons")
put("cue_value_3.npy", npy("|i1", (25,), i8([3] + LETTER[1:])), "recall-cue",
    "cue, neuron 0: value 3 is not ±1 (0 = unknown; -2 and 2 only as the page's additive noise)")
put("cue_nan.npy", npy("<f8", (25,), f64(LETTER[:12] + [float("nan")] + LETTER[13:])),
    "recall-cue", "cue, position 12: value is not finite")
put("cue_batch_wrong_n.npy", npy("|i1", (2, 24), i8(LETTER[:24] * 2)), "recall-cue",
    "each cue has 24 values but the network has 25 neurons")
put("cue_ragged.txt", b"#.#.#\n.#.#.\n#.#\n", "recall-cue", "line 3: row has 3 cells")

# --- per-neuron thresholds for a 25-neuron network --------------------------------------

put("threshold_wrong_length.npy", npy("<f8", (24,), f64([0.0] * 24)), "recall-threshold",
    "holds 24 thresholds, the network has 25 neurons")

# --- saved networks ---------------------------------------------------------------------

def decode(data):
    (n,) = struct.unpack("<Q", data[:8])
    header = json.loads(data[8:8 + n])
    body = data[8 + n:]
    meta = header.pop("__metadata__")
    tensors = {}
    for name, info in header.items():
        a, b = info["data_offsets"]
        tensors[name] = [info["dtype"], list(info["shape"]), body[a:b]]
    return meta, tensors


def encode(meta, tensors, order=None):
    header = {"__metadata__": meta}
    body = b""
    for name in order or sorted(tensors):
        dtype, shape, raw = tensors[name]
        header[name] = {"dtype": dtype, "shape": shape,
                        "data_offsets": [len(body), len(body) + len(raw)]}
        body += raw
    h = json.dumps(header, separators=(",", ":")).encode()
    h += b" " * ((8 - len(h) % 8) % 8)
    return struct.pack("<Q", len(h)) + h + body


net = GOOD_NET.read_bytes()
(hlen,) = struct.unpack("<Q", net[:8])
meta0, tensors0 = decode(net)
header0 = json.loads(net[8:8 + hlen])
ends = sorted({info["data_offsets"][1] for k, info in header0.items() if k != "__metadata__"})


def variant(name, fragment, change=None, meta_change=None, order=None):
    meta = dict(meta0)
    tensors = {k: [v[0], list(v[1]), v[2]] for k, v in tensors0.items()}
    if meta_change:
        meta_change(meta)
    if change:
        change(tensors)
    put(name, encode(meta, tensors, order), "recall-network", fragment)


# Cut at every section boundary: inside the length, after it, inside the header, after
# the header, and after each tensor but the last.
put("net_cut_in_length.hfn", net[:5], "recall-network",
    "a safetensors file starts with an 8-byte header length")
put("net_cut_after_length.hfn", net[:8], "recall-network", "truncated header")
put("net_cut_in_header.hfn", net[: 8 + hlen // 2], "recall-network", "truncated header")
put("net_cut_after_header.hfn", net[: 8 + hlen], "recall-network", "truncated data")
for k, end in enumerate(ends[:-1]):
    put(f"net_cut_after_tensor_{k}.hfn", net[: 8 + hlen + end], "recall-network",
        "truncated data")
put("net_cut_in_last_tensor.hfn", net[:-1], "recall-network", "truncated data")
put("net_trailing_bytes.hfn", net + b"\0" * 4, "recall-network",
    "4 bytes after the last tensor")
put("net_huge_header_length.hfn", struct.pack("<Q", 2**63) + net[8:], "recall-network",
    "truncated header")
put("net_header_not_json.hfn", struct.pack("<Q", 8) + b"{not js}", "recall-network",
    "header is not valid JSON")
put("net_is_npy.hfn", good, "recall-network", "truncated header")
put("net_no_metadata.hfn", struct.pack("<Q", 8) + b"{}      ", "recall-network",
    "no `__metadata__`")
link("net_dev_zero.hfn", "/dev/zero", "recall-network", "header is not valid JSON")

variant("net_version_2.hfn", "format_version 2 is not supported",
        meta_change=lambda m: m.update(format_version="2"))
variant("net_version_0.hfn", "format_version 0 is not supported",
        meta_change=lambda m: m.update(format_version="0"))
variant("net_version_text.hfn", "metadata `format_version` is \"one\"",
        meta_change=lambda m: m.update(format_version="one"))
variant("net_other_format.hfn", "metadata `format` is \"pytorch\"",
        meta_change=lambda m: m.update(format="pytorch"))
variant("net_unknown_model.hfn", "metadata `model` is \"boltzmann\"",
        meta_change=lambda m: m.update(model="boltzmann"))
variant("net_missing_activation.hfn", "metadata `activation` is missing",
        meta_change=lambda m: m.pop("activation"))
variant("net_n_mismatch.hfn", "tensor `patterns` has shape [3, 25], expected [P = 3, N = 26]",
        meta_change=lambda m: m.update(n="26", shape="none"))
variant("net_shape_mismatch.hfn", "metadata `shape` 4x5 holds 20 neurons, but N = 25",
        meta_change=lambda m: m.update(shape="4x5"))
# 3 × 12297829382473034419 = 2·2^64 + 25: the product wraps around to N = 25 in unchecked
# arithmetic, and the network would load with that shape.
variant("net_shape_overflow.hfn",
        "metadata `shape` is \"3x12297829382473034419\": 3 x 12297829382473034419 neurons is more than",
        meta_change=lambda m: m.update(shape="3x12297829382473034419"))
variant("net_metadata_escape.hfn", "metadata `model` is \"\\u{1b}]2;owned\\u{7}\\u{1b}[2J\"",
        meta_change=lambda m: m.update(model="\x1b]2;owned\x07\x1b[2J"))
variant("net_metadata_long_rule.hfn", "… (100000 characters)",
        meta_change=lambda m: m.update(rule="x" * 100_000))
variant("net_rule_unknown.hfn", "metadata `rule` is not a rule this hopfield knows",
        meta_change=lambda m: m.update(rule='{"rule":"storkey-9"}'))
variant("net_rule_not_json.hfn", "metadata `rule` is not JSON",
        meta_change=lambda m: m.update(rule="hebb("))
variant("net_normalization_mismatch.hfn", "metadata `normalization` is \"1/P\"",
        meta_change=lambda m: m.update(normalization="1/P"))
variant("net_symmetric_false_for_hebb.hfn",
        "metadata `symmetric` is false, but rule hebb gives symmetric weights",
        meta_change=lambda m: m.update(symmetric="false"))


def cut_column(t):
    dtype, shape, raw = t["weights"]
    rows = [raw[i * 25:(i + 1) * 25 - 1] for i in range(25)]
    t["weights"] = [dtype, [25, 24], b"".join(rows)]


variant("net_weights_wrong_shape.hfn",
        "tensor `weights` has shape [25, 24], expected [25, 25] for N = 25", cut_column)


def asymmetric(t):
    raw = bytearray(t["weights"][2])
    raw[1] = (raw[1] + 1) % 128
    t["weights"][2] = bytes(raw)


variant("net_asymmetric_weights.hfn", "tensor `weights` is not symmetric (W[1][0]", asymmetric)


def to_float(t, poison=None):
    dtype, shape, raw = t["weights"]
    vals = [float(b - 256 if b > 127 else b) for b in raw]
    if poison is not None:
        vals[poison] = float("nan")
    t["weights"] = ["F32", shape, struct.pack(f"<{len(vals)}f", *vals)]


variant("net_nan_weight.hfn", "tensor `weights`: weights, row 0 column 7, position 7: value is not finite",
        lambda t: to_float(t, 7), lambda m: m.update(storage="float32"))
variant("net_weights_dtype_mismatch.hfn", "tensor `weights` has dtype F32, expected I8",
        lambda t: to_float(t))
variant("net_scale_nan.hfn", "weight scale",
        lambda t: t.update(weights_scale=["F64", [1], f64([float("nan")])]))
variant("net_scale_zero.hfn", "tensor `weights_scale` is 0: the weight scale must be positive",
        lambda t: t.update(weights_scale=["F64", [1], f64([0.0])]))
variant("net_scale_negative.hfn",
        "tensor `weights_scale` is -0.04: the weight scale must be positive",
        lambda t: t.update(weights_scale=["F64", [1], f64([-0.04])]))


def pattern_value(t):
    raw = bytearray(t["patterns"][2])
    raw[25 + 3] = 2
    t["patterns"][2] = bytes(raw)


variant("net_pattern_value_2.hfn", "tensor `patterns`: pattern 1, neuron 3: value 2 is not ±1",
        pattern_value)
variant("net_threshold_length.hfn",
        "tensor `threshold` has shape [24], expected [25] for a per-neuron threshold",
        lambda t: t.update(threshold=["F64", [24], f64([0.0] * 24)]),
        lambda m: m.update(threshold="per-neuron"))
variant("net_threshold_nan.hfn", "tensor `threshold`: threshold, position 0: value is not finite",
        lambda t: t.update(threshold=["F64", [1], f64([float("nan")])]))
variant("net_extra_tensor.hfn", "unexpected tensor `bias`",
        lambda t: t.update(bias=["F64", [25], f64([0.0] * 25)]))
variant("net_missing_scale.hfn", "tensor `weights_scale` is missing",
        lambda t: t.pop("weights_scale"))
variant("net_patterns_count_mismatch.hfn",
        "tensor `patterns` has shape [3, 25], expected [P = 4, N = 25]",
        meta_change=lambda m: m.update(patterns="4"))

variant("net_shape_without_patterns.hfn",
        "metadata `shape` is 5x5, but the file holds no patterns to carry a shape",
        lambda t: t.pop("patterns"), lambda m: m.update(patterns="0"))

fmeta, ftensors = decode(GOOD_FACTORED.read_bytes())
fmeta["patterns"] = "0"
ftensors.pop("patterns")
put("net_factored_without_patterns.hfn", encode(fmeta, ftensors), "recall-network",
    "a factored network needs its rule and patterns")

with open(HERE / "manifest.tsv", "w") as f:
    f.write("# file\tcommand\texpected message fragment (see make.py)\n")
    for name, command, fragment in entries:
        f.write(f"{name}\t{command}\t{fragment}\n")
print(f"wrote {len(entries)} bad inputs to {HERE}")
