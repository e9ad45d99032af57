//! Every hostile fixture in `tests/plugins/hostile` gives the error its `;; expect:` line
//! names, within the deadline plus a margin, under the suite's limits (its README); the
//! process survives, the failed instance answers the same way again (it was replaced, not
//! wedged), and a healthy plugin loaded beside it still works.

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use binpipe_plugin_host::{ErrorKind, Limits, Plugin};

/// The suite's limits (tests/plugins/hostile/README.md).
fn suite_limits() -> Limits {
    Limits {
        memory_pages: 256,
        deadline: Duration::from_secs(1),
        max_output: 1 << 20,
        ..Limits::default()
    }
}

/// The suite's batch: 4096 bytes.
const BATCH: [u8; 4096] = [0x5a; 4096];

/// How long past the deadline a contained failure may take to come back. Unloaded, the
/// timeouts come back 20-150 ms late (the next epoch tick, unwinding, a debug build of
/// wasmtime); the rest is room for a shared 2-core machine running other builds, where this
/// test's threads (and the other tests here, compiling plugins) wait for a core.
const MARGIN: Duration = Duration::from_millis(2500);

/// The directory of the hostile fixtures.
fn hostile_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/plugins/hostile")
}

/// The path of fixture `name` with extension `ext`.
fn fixture(name: &str, ext: &str) -> PathBuf {
    hostile_dir().join(format!("{name}.{ext}"))
}

/// Loads fixture `name` from its committed `.wasm`, timing the load.
fn load(name: &str) -> (Result<Plugin, binpipe_plugin_host::Error>, Duration) {
    let wasm = fs::read(fixture(name, "wasm")).expect("read fixture");
    let start = Instant::now();
    let plugin = Plugin::load(&wasm, suite_limits());
    (plugin, start.elapsed())
}

/// A fixture's `;; expect: <phase> <kind>` line.
fn expectation(name: &str) -> (String, String) {
    let text = fs::read_to_string(fixture(name, "wat")).expect("read fixture source");
    let line = text
        .lines()
        .find_map(|line| line.strip_prefix(";; expect: "))
        .expect("expect line");
    let (phase, kind) = line.split_once(' ').expect("phase and kind");
    (phase.to_string(), kind.to_string())
}

/// The error kind named `kind` in an expect line.
fn kind_named(kind: &str) -> ErrorKind {
    match kind {
        "load" => ErrorKind::Load,
        "trap" => ErrorKind::Trap,
        "timeout" => ErrorKind::Timeout,
        "memory" => ErrorKind::Memory,
        "protocol" => ErrorKind::Protocol,
        "plugin" => ErrorKind::Plugin,
        other => panic!("unknown kind {other}"),
    }
}

/// Every fixture's name, sorted.
fn fixture_names() -> Vec<String> {
    let mut names: Vec<String> = fs::read_dir(hostile_dir())
        .expect("read fixtures")
        .filter_map(|entry| {
            let path = entry.expect("entry").path();
            (path.extension()? == "wat").then(|| path.file_stem()?.to_str().map(String::from))?
        })
        .collect();
    names.sort();
    names
}

#[test]
fn every_fixture_fails_as_expected_and_is_contained() {
    let names = fixture_names();
    assert!(names.len() >= 20, "the hostile suite: {names:?}");
    let healthy = load("control").0.expect("control loads");
    let mut healthy = healthy.instance();
    let bound = suite_limits().deadline + MARGIN;

    for name in &names {
        let (phase, kind) = expectation(name);
        let (loaded, load_time) = load(name);
        match (phase.as_str(), kind.as_str()) {
            ("load", kind) => {
                let err = loaded.err().unwrap_or_else(|| panic!("{name}: loaded"));
                eprintln!("{name}: load in {load_time:?}: {err}");
                assert_eq!(err.kind, kind_named(kind), "{name}: {err}");
                assert!(load_time < bound, "{name}: load took {load_time:?}");
            }
            ("transform", "ok") => {
                let plugin = loaded.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(plugin.description().name, *name);
                plugin.instance().transform(&BATCH).expect(name);
            }
            ("transform", kind) => {
                let plugin = loaded.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(plugin.description().name, *name);
                let mut instance = plugin.instance();
                for attempt in ["first call", "call after the failure"] {
                    let start = Instant::now();
                    let err = instance
                        .transform(&BATCH)
                        .err()
                        .unwrap_or_else(|| panic!("{name}: {attempt} succeeded"));
                    let took = start.elapsed();
                    eprintln!("{name}: {attempt} in {took:?}: {err}");
                    assert_eq!(err.kind, kind_named(kind), "{name}, {attempt}: {err}");
                    assert_eq!(err.plugin, *name, "{name}: error names the plugin");
                    assert!(took < bound, "{name}, {attempt}: took {took:?}");
                }
            }
            other => panic!("{name}: bad expectation {other:?}"),
        }
        let output = healthy.transform(&BATCH);
        assert_eq!(output.as_deref(), Ok(&BATCH[..]), "control after {name}");
    }
}

#[test]
fn load_errors_name_what_is_wrong() {
    let cases = [
        ("import-wasi-fd-write", "wasi_snapshot_preview1::fd_write"),
        ("import-wasi-sock", "wasi_snapshot_preview1::sock_send"),
        ("import-unknown", "env::read_secret"),
        ("missing-transform", "missing export(s) transform"),
        ("huge-initial-memory", "65536 pages"),
    ];
    for (name, says) in cases {
        let err = load(name).0.err().expect(name);
        assert!(err.message.contains(says), "{name}: {err}");
    }
}

#[test]
fn plugin_error_keeps_message_and_offset() {
    let plugin = load("plugin-error").0.expect("loads");
    let mut instance = plugin.instance();
    let err = instance.transform(&BATCH).expect_err("refuses");
    assert_eq!(
        (err.kind, err.message.as_str(), err.offset),
        (ErrorKind::Plugin, "refused", Some(5))
    );
}

#[test]
fn an_instance_that_failed_is_replaced_not_reused() {
    let plugin = load("counter").0.expect("loads");
    let mut instance = plugin.instance();
    let count = |out: Vec<u8>| u32::from_le_bytes(out.try_into().expect("4 bytes"));
    assert_eq!(instance.transform(b"a").map(count), Ok(1));
    assert_eq!(instance.transform(b"b").map(count), Ok(2));
    let err = instance.transform(b"").expect_err("an empty batch traps");
    assert_eq!(err.kind, ErrorKind::Trap, "{err}");
    assert_eq!(instance.transform(b"c").map(count), Ok(1), "fresh instance");
    assert_eq!(instance.transform(b"d").map(count), Ok(2));
}

#[test]
fn output_limit_is_the_limit_not_a_constant() {
    // The same plugin and batch pass once the output limit admits the result.
    let wasm = fs::read(fixture("output-1000x", "wasm")).expect("read");
    let limits = Limits {
        max_output: 4096 * 1000,
        ..suite_limits()
    };
    let plugin = Plugin::load(&wasm, limits).expect("loads");
    let output = plugin.instance().transform(&BATCH).expect("fits");
    assert_eq!(output.len(), 4096 * 1000);
    assert!(output.iter().all(|&b| b == 0x5a));
}

#[test]
fn fuel_alone_stops_a_loop() {
    // A deadline far away: the fuel limit is what must stop the loop.
    let wasm = fs::read(fixture("infinite-loop", "wasm")).expect("read");
    let limits = Limits {
        deadline: Duration::from_secs(600),
        fuel: 10_000_000,
        ..suite_limits()
    };
    let plugin = Plugin::load(&wasm, limits).expect("loads");
    let err = plugin
        .instance()
        .transform(&BATCH)
        .expect_err("out of fuel");
    assert_eq!(err.kind, ErrorKind::Timeout, "{err}");
    assert!(err.message.contains("fuel"), "{err}");
}

#[test]
fn memory_growth_stops_at_the_configured_cap() {
    // With a smaller cap the grow bomb is denied earlier, still as a memory error.
    let wasm = fs::read(fixture("grow-bomb", "wasm")).expect("read");
    let limits = Limits {
        memory_pages: 2,
        ..suite_limits()
    };
    let plugin = Plugin::load(&wasm, limits).expect("loads");
    let err = plugin.instance().transform(&[1; 16]).expect_err("denied");
    assert_eq!(err.kind, ErrorKind::Memory, "{err}");
}
