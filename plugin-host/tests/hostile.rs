//! Every hostile fixture in `tests/plugins/hostile` gives the error its `;; expect:` line
//! names under the suite's conditions (`suite` in `tests/plugins/limits.json`), each in a
//! process of its own so that one fixture's failure (or crash) cannot hide another's: the
//! load takes at most `max_load_ms`, each call at most the deadline plus `call_slack_ms`, the
//! process's peak resident memory grows by at most `max_host_growth_mib`, the failed
//! instance answers the same way again (it was replaced, not wedged), and a healthy plugin
//! loaded beside it still works.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};
use std::{env, fs};

use binpipe_plugin_host::{ErrorKind, Limits, Plugin};

/// The suite's conditions, from `tests/plugins/limits.json`.
struct Suite {
    limits: Limits,
    batch: Vec<u8>,
    max_load: Duration,
    call_slack: Duration,
    max_growth_kib: u64,
}

/// Reads the suite's conditions.
fn suite() -> Suite {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/plugins/limits.json");
    let text = fs::read_to_string(path).expect("read tests/plugins/limits.json");
    let json: serde_json::Value = serde_json::from_str(&text).expect("limits.json is JSON");
    let get = |name: &str| {
        json["suite"][name]
            .as_u64()
            .unwrap_or_else(|| panic!("suite.{name} in limits.json"))
    };
    Suite {
        limits: Limits {
            memory_pages: get("memory_pages") as u32,
            deadline: Duration::from_millis(get("deadline_ms")),
            max_output: get("max_output") as usize,
            ..Limits::default()
        },
        batch: vec![0x5a; get("batch_bytes") as usize],
        max_load: Duration::from_millis(get("max_load_ms")),
        call_slack: Duration::from_millis(get("call_slack_ms")),
        max_growth_kib: get("max_host_growth_mib") << 10,
    }
}

/// The suite's limits.
fn suite_limits() -> Limits {
    suite().limits
}

/// The suite's batch.
fn batch() -> Vec<u8> {
    suite().batch
}

/// The directory of the hostile fixtures.
fn hostile_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/plugins/hostile")
}

/// The path of fixture `name` with extension `ext`.
fn fixture(name: &str, ext: &str) -> PathBuf {
    hostile_dir().join(format!("{name}.{ext}"))
}

/// Loads fixture `name` from its committed `.wasm` under `limits`, timing the load.
fn load_with(name: &str, limits: Limits) -> (Result<Plugin, binpipe_plugin_host::Error>, Duration) {
    let wasm = fs::read(fixture(name, "wasm")).expect("read fixture");
    let start = Instant::now();
    let plugin = Plugin::load(&wasm, limits);
    (plugin, start.elapsed())
}

/// Loads fixture `name` under the suite's limits, with the minimal WASI when its source has a
/// `;; wasi` line.
fn load(name: &str) -> (Result<Plugin, binpipe_plugin_host::Error>, Duration) {
    let limits = if wants_wasi(name) {
        suite_limits().with_wasi()
    } else {
        suite_limits()
    };
    load_with(name, limits)
}

/// Whether fixture `name` runs under the minimal WASI (a `;; wasi` line in its source).
fn wants_wasi(name: &str) -> bool {
    fs::read_to_string(fixture(name, "wat"))
        .expect("read fixture source")
        .lines()
        .any(|line| line.trim_end() == ";; wasi")
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
        "exit" => ErrorKind::Exit,
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

/// `error` as text, cut to its first 300 characters (a plugin's message may be 4 KiB).
fn short(error: &binpipe_plugin_host::Error) -> String {
    let text = error.to_string();
    match text.char_indices().nth(300) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text,
    }
}

/// The environment variable that makes [`one_fixture_in_this_process`] run a fixture.
const CHILD: &str = "BINPIPE_HOSTILE_FIXTURE";

/// This process's current and peak resident memory, in KiB (`/proc/self/status`).
fn resident_kib() -> (u64, u64) {
    let status = fs::read_to_string("/proc/self/status").expect("read /proc/self/status");
    let field = |name: &str| {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))
            .and_then(|rest| rest.split_whitespace().next()?.parse().ok())
            .unwrap_or_else(|| panic!("{name} in /proc/self/status"))
    };
    (field("VmRSS:"), field("VmHWM:"))
}

#[test]
fn every_fixture_fails_as_expected_and_is_contained() {
    if env::var_os(CHILD).is_some() {
        return; // a child runs one fixture, not the whole suite
    }
    let names = fixture_names();
    assert!(names.len() >= 30, "the hostile suite: {names:?}");
    let exe = env::current_exe().expect("the test binary");
    let mut failed = Vec::new();
    for name in &names {
        let output = Command::new(&exe)
            .args(["--exact", "one_fixture_in_this_process", "--nocapture"])
            .args(["--test-threads", "1"])
            .env(CHILD, name)
            .output()
            .expect("run the test binary");
        let stderr = String::from_utf8_lossy(&output.stderr);
        let report: Vec<&str> = stderr
            .lines()
            .filter(|line| line.starts_with(name.as_str()) || line.contains("panicked"))
            .collect();
        eprintln!("{}", report.join("\n"));
        if !output.status.success() {
            failed.push(format!("{name}: {}\n{stderr}", output.status));
        }
    }
    assert!(
        failed.is_empty(),
        "{} fixture(s) failed:\n{}",
        failed.len(),
        failed.join("\n")
    );
}

/// Runs the fixture [`CHILD`] names, when it names one; the suite runs each fixture this way
/// in a child process of its own (alone, this test does nothing).
#[test]
fn one_fixture_in_this_process() {
    let Ok(name) = env::var(CHILD) else {
        return;
    };
    let suite = suite();
    let bound = suite.limits.deadline + suite.call_slack;
    // The engine, its epoch thread and a healthy plugin exist before the fixture comes.
    let healthy = load("control").0.expect("control loads");
    let mut healthy = healthy.instance();
    assert_eq!(
        healthy.transform(&suite.batch).as_deref(),
        Ok(&suite.batch[..])
    );
    let (before, _) = resident_kib();

    let (phase, kind) = expectation(&name);
    let (loaded, load_time) = load(&name);
    eprintln!("{name}: load in {load_time:?}");
    assert!(
        load_time <= suite.max_load,
        "{name}: load took {load_time:?}"
    );
    match (phase.as_str(), kind.as_str()) {
        ("load", kind) => {
            let err = loaded.err().unwrap_or_else(|| panic!("{name}: loaded"));
            eprintln!("{name}: {}", short(&err));
            assert_eq!(err.kind, kind_named(kind), "{name}: {}", short(&err));
        }
        ("transform", "ok") => {
            let plugin = loaded.unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(plugin.description().name, *name);
            let start = Instant::now();
            plugin.instance().transform(&suite.batch).expect(&name);
            let took = start.elapsed();
            eprintln!("{name}: ok in {took:?}");
            assert!(took < bound, "{name}: took {took:?}");
        }
        ("transform", kind) => {
            let plugin = loaded.unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(plugin.description().name, *name);
            let mut instance = plugin.instance();
            for attempt in ["first call", "call after the failure"] {
                let start = Instant::now();
                let err = instance
                    .transform(&suite.batch)
                    .err()
                    .unwrap_or_else(|| panic!("{name}: {attempt} succeeded"));
                let took = start.elapsed();
                eprintln!("{name}: {attempt} in {took:?}: {}", short(&err));
                assert_eq!(
                    err.kind,
                    kind_named(kind),
                    "{name}, {attempt}: {}",
                    short(&err)
                );
                assert_eq!(err.plugin, *name, "{name}: error names the plugin");
                assert!(took < bound, "{name}, {attempt}: took {took:?}");
            }
        }
        other => panic!("{name}: bad expectation {other:?}"),
    }
    let (_, peak) = resident_kib();
    let growth = peak.saturating_sub(before);
    eprintln!("{name}: peak resident memory {growth} KiB above the start");
    assert!(
        growth <= suite.max_growth_kib,
        "{name}: resident memory grew by {growth} KiB"
    );
    let output = healthy.transform(&suite.batch);
    assert_eq!(
        output.as_deref(),
        Ok(&suite.batch[..]),
        "control after {name}"
    );
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
    let err = instance.transform(&batch()).expect_err("refuses");
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
    let output = plugin.instance().transform(&batch()).expect("fits");
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
        .transform(&batch())
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

#[test]
fn a_long_plugin_error_message_is_cut_at_the_limit() {
    for (limit, kept) in [(4096, 4096), (10, 10)] {
        let limits = Limits {
            max_error_message_bytes: limit,
            ..suite_limits()
        };
        let plugin = load_with("error-message-huge", limits).0.expect("loads");
        let err = plugin.instance().transform(&batch()).expect_err("refuses");
        assert_eq!(err.kind, ErrorKind::Plugin, "{}", short(&err));
        assert_eq!(err.message, format!("{}…", "x".repeat(kept)));
    }
}

#[test]
fn a_plugin_error_offset_must_lie_within_the_batch() {
    // The fixture names offset len + 1: outside a batch of any length.
    let plugin = load("error-offset-past-batch").0.expect("loads");
    for len in [0, 1, 4096] {
        let err = plugin
            .instance()
            .transform(&vec![1; len])
            .expect_err("refused");
        assert_eq!(err.kind, ErrorKind::Protocol, "{len}: {err}");
    }
}
