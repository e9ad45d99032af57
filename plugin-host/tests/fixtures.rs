//! The hostile plugin fixtures (`tests/plugins/hostile/*.wat`) are the sources; the `.wasm`
//! beside each is committed so the Go host can use it without a WAT compiler. This test fails
//! when a committed `.wasm` is not exactly what its `.wat` compiles to. To regenerate them:
//!
//! ```text
//! BINPIPE_REGENERATE_FIXTURES=1 cargo test -p binpipe-plugin-host --test fixtures
//! ```

use std::path::{Path, PathBuf};
use std::{env, fs};

use wasmparser::{Validator, WasmFeatures};

/// The directory holding the hostile fixtures.
fn hostile_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/plugins/hostile")
}

/// Every `.wat` fixture, sorted by name.
fn wat_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = fs::read_dir(hostile_dir())
        .expect("read tests/plugins/hostile")
        .map(|entry| entry.expect("directory entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "wat"))
        .collect();
    files.sort();
    files
}

#[test]
fn committed_wasm_is_the_compiled_wat() {
    let regenerate = env::var_os("BINPIPE_REGENERATE_FIXTURES").is_some();
    let files = wat_files();
    assert!(
        files.len() >= 15,
        "expected the hostile suite, found {files:?}"
    );
    let mut stale = Vec::new();
    for wat in files {
        let compiled = wat::parse_file(&wat).unwrap_or_else(|e| panic!("{}: {e}", wat.display()));
        let wasm = wat.with_extension("wasm");
        if regenerate {
            fs::write(&wasm, &compiled).unwrap_or_else(|e| panic!("{}: {e}", wasm.display()));
        } else if fs::read(&wasm).ok().as_deref() != Some(compiled.as_slice()) {
            stale.push(wasm.display().to_string());
        }
    }
    assert!(
        stale.is_empty(),
        "stale or missing (run with BINPIPE_REGENERATE_FIXTURES=1 and commit): {stale:?}"
    );
}

#[test]
fn every_fixture_is_valid_wasm2_and_states_its_expectation() {
    for wat in wat_files() {
        let text = fs::read_to_string(&wat).expect("read fixture");
        let name = wat
            .file_stem()
            .and_then(|s| s.to_str())
            .expect("utf-8 name");
        assert!(
            text.starts_with(&format!(";; {name}: ")),
            "{name}: the first line must say what the fixture attacks"
        );
        let expect = text
            .lines()
            .find_map(|line| line.strip_prefix(";; expect: "))
            .unwrap_or_else(|| panic!("{name}: no `;; expect:` line"));
        let words: Vec<&str> = expect.split_whitespace().collect();
        assert!(
            matches!(
                words.as_slice(),
                [
                    "load" | "transform",
                    "ok" | "load" | "trap" | "timeout" | "memory" | "protocol" | "plugin"
                ]
            ),
            "{name}: `;; expect: {expect}` is not `<load|transform> <kind>`"
        );
        // Wazero's feature set: a fixture must fail for its attack, not for using a feature
        // one of the hosts lacks.
        let wasm = wat::parse_file(&wat).expect("compile fixture");
        Validator::new_with_features(WasmFeatures::WASM2)
            .validate_all(&wasm)
            .unwrap_or_else(|e| panic!("{name}: not valid wasm 2.0: {e}"));
    }
}
