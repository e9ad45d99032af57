//! Every conformance vector through the wasm module under wasmtime, an engine independent of
//! the Go host's wazero: through the component (canonical ABI, bindings generated from the WIT)
//! and through the core module's fast-path ABI, each built with and without simd128.
//!
//! The artifacts come from `component/build.sh`; the test looks in `$BINPIPE_WASM_DIR`, else
//! `target/wasm`, and fails (does not skip) when they are missing.

mod common;

use binpipe_conformance::{Case, ErrorKind, Outcome, Summary};
use common::wasm::{Component, FastPath};
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

/// The fast path checks every buffer against linear memory and for overlap (docs/abi.md): a
/// bad range is an `invalid-argument` error with the record filled in, never a trap.
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
        let buf = fp.alloc_with(64, &[7; 64]).unwrap();
        let (crc, shuffle) = (fp.crc32c.clone(), fp.shuffle.clone());
        // (what, bp_crc32c args) and (what, bp_shuffle args).
        let crc_checks = [
            ("crc32c past the end of memory", (u32::MAX - 10, 100, 0)),
            ("crc32c at address 0", (0, 1, 0)),
            ("crc32c wrapping around", (buf, u32::MAX, 0)),
        ];
        let shuffle_checks = [
            ("shuffle overlapping", (buf, 64, buf + 32, 4)),
            ("shuffle dst outside", (buf, 64, u32::MAX - 32, 4)),
            ("shuffle src outside", (u32::MAX - 32, 64, buf, 4)),
        ];
        for (what, args) in crc_checks {
            assert_eq!(crc.call(&mut fp.store, args).unwrap(), -1, "{file}: {what}");
            assert_eq!(fp.last_error().unwrap(), invalid, "{file}: {what}: record");
        }
        for (what, args) in shuffle_checks {
            assert_eq!(
                shuffle.call(&mut fp.store, args).unwrap(),
                -1,
                "{file}: {what}"
            );
            assert_eq!(fp.last_error().unwrap(), invalid, "{file}: {what}: record");
        }
        // A good call after the errors still works (no trap poisoned the instance).
        assert_eq!(crc.call(&mut fp.store, (buf, 0, 0)).unwrap(), 0);
        fp.free(buf, 64).unwrap();
    }
}
