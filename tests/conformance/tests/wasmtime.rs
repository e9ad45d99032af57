//! Every conformance vector through the wasm module under wasmtime, an engine independent of
//! the Go host's wazero: through the component (canonical ABI, bindings generated from the WIT)
//! and through the core module's fast-path ABI, each built with and without simd128.
//!
//! The artifacts come from `component/build.sh`; the test looks in `$BINPIPE_WASM_DIR`, else
//! `target/wasm`, and fails (does not skip) when they are missing.

mod common;

use binpipe_conformance::{Call, Case, ErrorKind, Outcome, Summary};
use common::wasm::{Arg, Component, FastPath, stage_record};
use std::sync::OnceLock;
use wasmtime::{Config, Engine};

/// The SIMD module and the scalar one.
const MODULES: [&str; 2] = ["binpipe", "binpipe.scalar"];

/// The vectors, loaded once for all tests in this binary.
fn cases() -> &'static [Case] {
    static CASES: OnceLock<Vec<Case>> = OnceLock::new();
    CASES.get_or_init(|| binpipe_conformance::load().unwrap())
}

/// One engine for every test; wasm SIMD is on by default in wasmtime, stated here anyway.
fn engine() -> Engine {
    let mut config = Config::new();
    config.wasm_simd(true).wasm_component_model(true);
    Engine::new(&config).unwrap()
}

/// Prints the summary and fails on any failure or unimplemented case.
fn assert_pass(summary: &Summary) {
    eprint!("{summary}");
    assert!(
        summary.failures.is_empty() && summary.skipped.is_empty() && summary.passed > 0,
        "{} does not conform",
        summary.label
    );
}

#[test]
fn component_matches_the_vectors() {
    let engine = engine();
    for module in MODULES {
        let file = format!("{module}.component.wasm");
        let path = binpipe_conformance::wasm_artifact(&file).unwrap_or_else(|e| panic!("{e}"));
        let mut component = Component::load(&engine, &path)
            .unwrap_or_else(|e| panic!("loading {}: {e:#}", path.display()));
        let label = format!("wasmtime component {file}");
        assert_pass(&binpipe_conformance::run(&label, cases(), |call, data| {
            component.run(call, data)
        }));
    }
}

#[test]
fn fast_path_matches_the_vectors() {
    let engine = engine();
    for module in MODULES {
        let file = format!("{module}.wasm");
        let path = binpipe_conformance::wasm_artifact(&file).unwrap_or_else(|e| panic!("{e}"));
        let mut fast = FastPath::load(&engine, &path)
            .unwrap_or_else(|e| panic!("loading {}: {e:#}", path.display()));
        let label = format!("wasmtime fast path {file}");
        assert_pass(&binpipe_conformance::run(&label, cases(), |call, data| {
            fast.run(call, data)
        }));
    }
}

/// The fast path checks every buffer against linear memory, for overlap, alignment and
/// capacity, and every small parameter (docs/abi.md): a bad one is an `invalid-argument`
/// error with the record filled in, never a trap.
#[test]
fn fast_path_rejects_bad_buffers() {
    let engine = engine();
    let invalid = Outcome::Error {
        kind: ErrorKind::InvalidArgument,
        offset: None,
    };
    for module in MODULES {
        let file = format!("{module}.wasm");
        let path = binpipe_conformance::wasm_artifact(&file).unwrap_or_else(|e| panic!("{e}"));
        let mut fp = FastPath::load(&engine, &path).unwrap();
        let (crc, shuffle) = (fp.crc32c.clone(), fp.shuffle.clone());
        // Valid input for every kernel below: hex digits, base64 characters (64 of them, no
        // padding needed), 1-byte varints, ASCII.
        let text = b"0123456789abcdef".repeat(16);
        let buf = fp.alloc_with(256, &text).unwrap();
        let dst = fp.alloc_with(1024, &[]).unwrap();
        let aux = fp.alloc_with(64, &[0xFF; 64]).unwrap();
        let end = u32::try_from(fp.memory_size()).unwrap();
        // Inside memory, but in the module's stack and static data (below __heap_base).
        let low = 64;
        for (what, args) in bad_calls(buf, dst, aux, end, low) {
            let (name, args) = (args.0, args.1);
            let got = fp.call(name, &args);
            assert_eq!(got.ok(), Some(-1), "{file}: {name}: {what}");
            assert_eq!(
                fp.last_error().unwrap(),
                invalid,
                "{file}: {name}: {what}: record"
            );
        }
        // The typed handles the bench uses, and the original v1 checks.
        let crc_checks = [
            ("crc32c past the end of memory", (u32::MAX - 10, 100, 0)),
            ("crc32c at address 0", (0, 1, 0)),
            ("crc32c wrapping around", (buf, u32::MAX, 0)),
        ];
        for (what, args) in crc_checks {
            assert_eq!(crc.call(&mut fp.store, args).unwrap(), -1, "{file}: {what}");
            assert_eq!(fp.last_error().unwrap(), invalid, "{file}: {what}: record");
        }
        let shuffle_checks = [
            ("shuffle overlapping", (buf, 64, buf + 32, 4)),
            ("shuffle dst outside", (buf, 64, u32::MAX - 32, 4)),
            ("shuffle src outside", (u32::MAX - 32, 64, buf, 4)),
            ("shuffle dst below the heap", (buf, 64, low, 4)),
        ];
        for (what, args) in shuffle_checks {
            assert_eq!(
                shuffle.call(&mut fp.store, args).unwrap(),
                -1,
                "{file}: {what}"
            );
            assert_eq!(fp.last_error().unwrap(), invalid, "{file}: {what}: record");
        }
        // Good calls after the errors still work (no trap poisoned the instance), and each of
        // the good calls the bad ones were derived from succeeds.
        assert_eq!(crc.call(&mut fp.store, (buf, 0, 0)).unwrap(), 0);
        for (name, args) in good_calls(buf, dst, aux) {
            let got = fp.call(name, &args).unwrap();
            // -2 is `none` (no needle found among the 0xFF needles).
            assert!(
                got >= 0 || got == -2,
                "{file}: {name}{args:?} returned {got}"
            );
        }
        for (ptr, len) in [(buf, 256), (dst, 1024), (aux, 64)] {
            fp.free(ptr, len).unwrap();
        }
        chain_rejects(&mut fp, &file, end, low);
    }
}

/// `bp_run_chain`'s buffer checks (failed stage -1), its stage-record checks (failed stage =
/// the record's index, before any stage runs), the 64-stage limit, and a buffer too small for
/// a stage's output (`too-large` carrying the bytes needed, at that stage).
fn chain_rejects(fp: &mut FastPath, file: &str, end: u32, low: u32) {
    use Arg::I;
    let invalid = Outcome::Error {
        kind: ErrorKind::InvalidArgument,
        offset: None,
    };
    let record = |call: &Call| stage_record(call).unwrap();
    // hex-encode then hex-decode: 64 bytes become 128, then 64 again.
    let good = [
        record(&Call::HexEncode { uppercase: false }),
        record(&Call::HexDecode),
    ];
    let input: Vec<u8> = (0..64).collect();
    let a = fp.alloc_with(256, &input).unwrap();
    let b = fp.alloc_with(256, &[]).unwrap();
    let st = fp.alloc_with(65 * 16, &[]).unwrap();
    let write_records = |fp: &mut FastPath, records: &[[u32; 4]]| {
        let bytes: Vec<u8> = records
            .iter()
            .flatten()
            .flat_map(|w| w.to_le_bytes())
            .collect();
        fp.write(st, &bytes);
    };
    let call = |fp: &mut FastPath, args: [u32; 7]| fp.call("bp_run_chain", &args.map(I)).unwrap();
    write_records(fp, &good);
    let ok = [a, 256, 64, b, 256, st, 2];
    assert_eq!(call(fp, ok), 64, "{file}: the good chain (result in a)");
    assert_eq!(fp.read(a, 64), input, "{file}: the good chain's result");
    let with = |i: usize, v: u32| {
        let mut args = ok;
        args[i] = v;
        args
    };
    let buffer_errors = [
        ("a past the end", with(0, end - 8)),
        ("a wrapping", with(0, u32::MAX - 8)),
        ("a at address 0", with(0, 0)),
        ("a below the heap", with(0, low)),
        ("b past the end", with(3, end - 8)),
        ("b wrapping", with(3, u32::MAX - 8)),
        ("b at address 0", with(3, 0)),
        ("b below the heap", with(3, low)),
        ("b overlapping a", with(3, a + 8)),
        ("a overlapping b", with(0, b + 248)),
        ("stages inside a", with(5, a + 16)),
        ("stages inside b", with(5, b + 16)),
        ("stages not 4-aligned", with(5, st + 2)),
        ("stages past the end", with(5, end - 16)),
        ("len above a_cap", with(2, 257)),
    ];
    for (what, args) in buffer_errors {
        assert_eq!(call(fp, args), -1, "{file}: chain: {what}");
        assert_eq!(
            fp.last_error().unwrap(),
            invalid,
            "{file}: chain: {what}: record"
        );
        assert_eq!(
            fp.failed_stage().unwrap(),
            -1,
            "{file}: chain: {what}: stage"
        );
    }
    // Bad records, each at index 1 after a good first stage: unknown kind, a parameter the
    // kind does not use, small parameters out of range.
    let bad_records: [(&str, [u32; 4]); 9] = [
        ("unknown kind", [14, 0, 0, 0]),
        ("hex-decode with p0", [7, 1, 0, 0]),
        ("shuffle with p1", [0, 4, 1, 0]),
        ("bitunpack with p2", [13, 8, 1, 1]),
        ("width 256", [2, 256, 0, 0]),
        ("uppercase 2", [6, 2, 0, 0]),
        ("alphabet 2", [8, 2, 0, 0]),
        ("padding 2", [9, 0, 2, 0]),
        ("bits 300", [12, 300, 0, 0]),
    ];
    for (what, bad) in bad_records {
        write_records(fp, &[good[0], bad]);
        assert_eq!(call(fp, ok), -1, "{file}: chain: {what}");
        assert_eq!(
            fp.last_error().unwrap(),
            invalid,
            "{file}: chain: {what}: record"
        );
        assert_eq!(
            fp.failed_stage().unwrap(),
            1,
            "{file}: chain: {what}: stage"
        );
    }
    // A bad record fails the call before stage 0 runs on bad data (hex-decode of 0..64).
    write_records(fp, &[record(&Call::HexDecode), [14, 0, 0, 0]]);
    assert_eq!(call(fp, ok), -1);
    assert_eq!(
        fp.failed_stage().unwrap(),
        1,
        "{file}: records are read first"
    );
    // 65 stages: invalid-argument at stage 64, whatever the records say.
    write_records(fp, &[[14, 9, 9, 9]; 65]);
    assert_eq!(call(fp, with(6, 65)), -1);
    assert_eq!(fp.last_error().unwrap(), invalid, "{file}: 65 stages");
    assert_eq!(fp.failed_stage().unwrap(), 64, "{file}: 65 stages: stage");
    // Capacity: hex-encode needs 128 bytes of b, then hex-decode 64 of a.
    write_records(fp, &good);
    for (what, args, stage, needed) in [
        ("b_cap 127", with(4, 127), 0, 128),
        ("a_cap 64 is enough", with(1, 64), -1, 0),
    ] {
        let got = call(fp, args);
        if stage < 0 {
            assert_eq!(got, 64, "{file}: chain: {what}");
            continue;
        }
        assert_eq!(got, -1, "{file}: chain: {what}");
        assert_eq!(
            fp.failed_stage().unwrap(),
            stage,
            "{file}: chain: {what}: stage"
        );
        let at = fp.call("bp_last_error", &[]).unwrap() as u32;
        let rec = fp.read(at, 24);
        let kind = u32::from_le_bytes(rec[0..4].try_into().unwrap());
        let carried = u64::from_le_bytes(rec[8..16].try_into().unwrap());
        assert_eq!(
            (kind, carried),
            (3, needed),
            "{file}: chain: {what}: too-large"
        );
    }
    // Three hex-encodes: 64 bytes → b 128 → a 256 → b 512, more than b's 256: stage 2 fails.
    write_records(fp, &[good[0]; 3]);
    assert_eq!(call(fp, with(6, 3)), -1);
    assert_eq!(fp.failed_stage().unwrap(), 2, "{file}: the third stage");
    let too_large = Outcome::Error {
        kind: ErrorKind::TooLarge,
        offset: None,
    };
    assert_eq!(
        fp.last_error().unwrap(),
        too_large,
        "{file}: the third stage"
    );
    // With b large enough, the result is in b.
    let big = fp.alloc_with(512, &[]).unwrap();
    let mut args = with(6, 3);
    (args[3], args[4]) = (big, 512);
    assert_eq!(
        call(fp, args),
        (1 << 32) | 512,
        "{file}: three stages, result in b"
    );
    fp.free(big, 512).unwrap();
    for (ptr, len) in [(a, 256), (b, 256), (st, 65 * 16)] {
        fp.free(ptr, len).unwrap();
    }
}

/// One call of every fast-path kernel that must succeed on `buf` (256 bytes of
/// `0123456789abcdef` repeated), writing to `dst` (1024 bytes) and reading `aux` (64 × 0xFF)
/// as needles, second list or bitmap. [`bad_calls`] breaks each in every way it can be broken.
fn good_calls(buf: u32, dst: u32, aux: u32) -> Vec<(&'static str, Vec<Arg>)> {
    use Arg::{I, L};
    vec![
        ("bp_crc32c", vec![I(buf), I(64), I(0)]),
        ("bp_crc32", vec![I(buf), I(64), I(0)]),
        ("bp_xxh3_64", vec![I(buf), I(64), L(0), I(dst + 1)]),
        ("bp_count_byte", vec![I(buf), I(64), I(0x61)]),
        ("bp_find_byte", vec![I(buf), I(64), I(0x61)]),
        ("bp_find_any", vec![I(buf), I(64), I(aux), I(16)]),
        (
            "bp_index_byte",
            vec![I(buf), I(64), I(dst), I(256), I(0x61)],
        ),
        ("bp_mismatch", vec![I(buf), I(64), I(aux), I(64)]),
        ("bp_utf8_validate", vec![I(buf), I(64)]),
        ("bp_ascii_prefix", vec![I(buf), I(64)]),
        ("bp_hex_encode", vec![I(buf), I(64), I(dst), I(128), I(0)]),
        ("bp_hex_decode", vec![I(buf), I(64), I(dst), I(32)]),
        (
            "bp_base64_encode",
            vec![I(buf), I(64), I(dst), I(88), I(0), I(1)],
        ),
        (
            "bp_base64_decode",
            vec![I(buf), I(64), I(dst), I(48), I(0), I(1)],
        ),
        ("bp_varint_encode", vec![I(buf), I(64), I(dst), I(80)]),
        ("bp_varint_decode", vec![I(buf), I(64), I(dst), I(512)]),
        ("bp_shuffle", vec![I(buf), I(64), I(dst), I(4)]),
        ("bp_unshuffle", vec![I(buf), I(64), I(dst), I(4)]),
        ("bp_delta_encode", vec![I(buf), I(64), I(dst), I(64), I(4)]),
        ("bp_delta_decode", vec![I(buf), I(64), I(dst), I(64), I(4)]),
        ("bp_byteswap", vec![I(buf), I(64), I(dst), I(64), I(4)]),
        ("bp_bitpack", vec![I(buf), I(64), I(dst), I(64), I(32)]),
        (
            "bp_bitunpack",
            vec![I(buf), I(64), I(dst), I(64), I(8), I(16)],
        ),
        (
            "bp_extract_field",
            vec![I(buf), I(64), I(dst), I(64), I(4), I(1), I(2)],
        ),
        (
            "bp_compare",
            vec![I(buf), I(64), I(dst), I(8), I(0), I(0), I(0), L(0x61)],
        ),
        (
            "bp_select",
            vec![I(buf), I(64), I(dst), I(64), I(1), I(aux), I(8)],
        ),
        ("bp_aggregate", vec![I(buf), I(64), I(0), I(dst)]),
    ]
}

/// Every way to break each of [`good_calls`]: `(what, (export, args))`. `end` is the memory
/// size, `low` an address below `__heap_base`.
fn bad_calls(
    buf: u32,
    dst: u32,
    aux: u32,
    end: u32,
    low: u32,
) -> Vec<(String, (&'static str, Vec<Arg>))> {
    use Arg::I;
    let mut bad = Vec::new();
    let mut push = |what: &str, name: &'static str, args: Vec<Arg>| {
        bad.push((what.to_string(), (name, args)));
    };
    for (name, args) in good_calls(buf, dst, aux) {
        let with = |i: usize, v: Arg| {
            let mut a = args.clone();
            a[i] = v;
            a
        };
        // The source range: past the end, wrapping, at address 0.
        push("src past the end", name, with(0, I(end - 8)));
        push("src wrapping", name, with(0, I(u32::MAX - 8)));
        push("src at address 0", name, with(0, I(0)));
        let writes = |i: usize| match name {
            "bp_xxh3_64" => i == 3,
            "bp_aggregate" => i == 3,
            "bp_crc32c" | "bp_crc32" | "bp_count_byte" | "bp_find_byte" | "bp_find_any"
            | "bp_mismatch" | "bp_utf8_validate" | "bp_ascii_prefix" => false,
            _ => i == 2,
        };
        if let Some(out) = (0..args.len()).find(|&i| writes(i)) {
            push("output past the end", name, with(out, I(end - 4)));
            push("output wrapping", name, with(out, I(u32::MAX - 2)));
            push("output overlapping src", name, with(out, I(buf + 8)));
            push("output below the heap", name, with(out, I(low)));
        }
        // Capacity one byte short (shuffle has none: its dst is `len` bytes).
        let short = |cap: u32| with(3, I(cap));
        match name {
            "bp_index_byte" => push("dst_cap short", name, short(4 * 64 - 1)),
            "bp_hex_encode" => push("dst_cap short", name, short(127)),
            "bp_hex_decode" => push("dst_cap short", name, short(31)),
            "bp_base64_encode" => push("dst_cap short", name, short(87)),
            "bp_base64_decode" => push("dst_cap short", name, short(47)),
            "bp_varint_encode" => push("dst_cap short", name, short(7)),
            "bp_varint_decode" => push("dst_cap short", name, short(8 * 64 - 1)),
            "bp_delta_encode" | "bp_delta_decode" | "bp_byteswap" | "bp_select" => {
                push("dst_cap short", name, short(63))
            }
            "bp_bitpack" => push("dst_cap short", name, short(63)),
            "bp_bitunpack" => push("dst_cap short", name, short(63)),
            "bp_extract_field" => push("dst_cap short", name, short(31)),
            "bp_compare" => push("dst_cap short", name, short(7)),
            _ => {}
        }
        // Alignment of u32/u64 arrays and of the stats record; whole elements.
        match name {
            "bp_index_byte" | "bp_bitunpack" => {
                push("dst not 4-aligned", name, with(2, I(dst + 2)))
            }
            "bp_varint_decode" => push("dst not 8-aligned", name, with(2, I(dst + 4))),
            "bp_varint_encode" => {
                push("src not 8-aligned", name, with(0, I(buf + 4)));
                push("len not a multiple of 8", name, with(1, I(60)));
            }
            "bp_bitpack" => {
                push("src not 4-aligned", name, with(0, I(buf + 2)));
                push("len not a multiple of 4", name, with(1, I(62)));
            }
            "bp_aggregate" => push("out not 8-aligned", name, with(3, I(dst + 4))),
            _ => {}
        }
        // Second inputs: outside memory, and (select) the output overlapping them.
        match name {
            "bp_find_any" | "bp_mismatch" => {
                push("second input past the end", name, with(2, I(end - 8)))
            }
            "bp_select" => {
                push("bitmap past the end", name, with(5, I(end - 4)));
                push("dst overlapping the bitmap", name, with(2, I(aux + 4)));
            }
            _ => {}
        }
        // Small parameters out of range.
        let params: &[(usize, u32)] = match name {
            "bp_hex_encode" => &[(4, 2)],
            "bp_base64_encode" | "bp_base64_decode" => &[(4, 2), (5, 2)],
            "bp_delta_encode" | "bp_delta_decode" | "bp_byteswap" => &[(4, 3), (4, 260)],
            "bp_bitpack" => &[(4, 33), (4, 288)],
            "bp_bitunpack" => &[(4, 33), (4, 264)],
            "bp_compare" => &[(4, 10), (5, 6), (6, 3)],
            "bp_select" => &[(4, 3), (4, 257)],
            "bp_aggregate" => &[(2, 10)],
            _ => &[],
        };
        for &(i, v) in params {
            push(&format!("parameter {i} = {v}"), name, with(i, I(v)));
        }
    }
    bad
}
