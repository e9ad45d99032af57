//! The hostile plugin fixtures (`tests/plugins/hostile/*.wat`) are the sources; the `.wasm`
//! beside each is committed so the Go host can use it without a WAT compiler. This test fails
//! when a committed `.wasm` is not exactly what its `.wat` compiles to. A fixture too big to
//! write out (thousands of functions, a 1 MiB body) says what to generate with a line
//!
//! ```text
//! ;; repeat <count>: <text>
//! ```
//!
//! which stands for `count` lines of `text`, `{i}` replaced by the line's number from 0 (see
//! [`expand`]). To regenerate them:
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

/// `source` with every `;; repeat <count>: <text>` line replaced by `count` lines of `text`,
/// each with `{i}` replaced by its number (0, 1, ...).
fn expand(source: &str) -> String {
    let mut out = String::with_capacity(source.len());
    for line in source.lines() {
        let directive = line
            .trim_start()
            .strip_prefix(";; repeat ")
            .and_then(|rest| rest.split_once(": "));
        match directive {
            Some((count, text)) => {
                let count: usize = count.parse().expect("a repeat count");
                for i in 0..count {
                    out.push_str(&text.replace("{i}", &i.to_string()));
                    out.push('\n');
                }
            }
            None => {
                out.push_str(line);
                out.push('\n');
            }
        }
    }
    out
}

/// The module the fixture source at `wat` stands for.
fn compile(wat: &Path) -> Vec<u8> {
    let source = fs::read_to_string(wat).unwrap_or_else(|e| panic!("{}: {e}", wat.display()));
    wat::parse_str(expand(&source)).unwrap_or_else(|e| panic!("{}: {e}", wat.display()))
}

#[test]
fn repeat_lines_expand() {
    assert_eq!(
        expand("(module\n  ;; repeat 3: (func (i32.const {i}))\n)"),
        "(module\n(func (i32.const 0))\n(func (i32.const 1))\n(func (i32.const 2))\n)\n"
    );
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
        let compiled = compile(&wat);
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
                    "ok" | "load" | "trap" | "timeout" | "memory" | "protocol" | "plugin" | "exit"
                ]
            ),
            "{name}: `;; expect: {expect}` is not `<load|transform> <kind>`"
        );
        // Wazero's feature set: a fixture must fail for its attack, not for using a feature
        // one of the hosts lacks.
        let wasm = compile(&wat);
        Validator::new_with_features(WasmFeatures::WASM2)
            .validate_all(&wasm)
            .unwrap_or_else(|e| panic!("{name}: not valid wasm 2.0: {e}"));
    }
}
