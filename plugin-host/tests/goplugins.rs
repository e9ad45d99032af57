//! Go plugins (built here with the machine's Go: `GOOS=wasip1 GOARCH=wasm go build
//! -buildmode=c-shared`) under wasmtime with the minimal WASI: the Go `filter` gives the
//! bytes of the Rust one, and the probe's panic, exit, log, plugin error and sleep behave as
//! on the Go host (`go-host/plugin/goplugins_test.go`).

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;
use std::{env, fs};

mod common;

use binpipe_plugin_host::{ErrorKind, Limits, Plugin};
use common::telemetry;

/// The repository's root.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Builds the Go plugin in `dir` (relative to the root) and returns its module.
fn build_go(dir: &str) -> Vec<u8> {
    static BUILDS: AtomicUsize = AtomicUsize::new(0);
    let out = env::temp_dir().join(format!(
        "binpipe-goplugin-{}-{}.wasm",
        std::process::id(),
        BUILDS.fetch_add(1, Ordering::Relaxed)
    ));
    let status = Command::new("go")
        .args(["build", "-buildmode=c-shared", "-trimpath", "-o"])
        .arg(&out)
        .arg(".")
        .current_dir(root().join(dir))
        .env("GOOS", "wasip1")
        .env("GOARCH", "wasm")
        .env("CGO_ENABLED", "0")
        .status()
        .expect("run go (Go >= 1.24 is a prerequisite)");
    assert!(status.success(), "go build in {dir}: {status}");
    let wasm = fs::read(&out).expect("read the built module");
    let _ = fs::remove_file(&out);
    wasm
}

fn load(wasm: &[u8]) -> Plugin {
    Plugin::load(wasm, Limits::default().with_wasi()).expect("the Go plugin loads with WASI")
}

#[test]
fn go_filter_gives_the_rust_filters_bytes() {
    let go = load(&build_go("plugins/go/filter"));
    let examples = root().join("tests/plugins/examples");
    let rust = Plugin::load(
        &fs::read(examples.join("filter.wasm")).expect("filter.wasm"),
        Limits::default(),
    )
    .expect("the Rust filter loads");
    assert_eq!(go.description(), rust.description());
    let input = fs::read(examples.join("telemetry.bin")).expect("telemetry.bin");
    let want = fs::read(examples.join("filter.out")).expect("filter.out");
    let mut instance = go.instance();
    assert_eq!(instance.transform(&input), Ok(want));
    let mut rust = rust.instance();
    for (count, seed) in [(0, 1), (1, 2), (31, 3), (1000, 4), (32768, 5)] {
        let batch = telemetry(count, seed);
        assert_eq!(
            instance.transform(&batch),
            rust.transform(&batch),
            "{count} records"
        );
    }
}

/// Without WASI a Go plugin is refused at load: by the plain module limits (this host checks
/// the structure first), and with those raised, by its imports, named.
#[test]
fn go_plugins_need_wasi() {
    let wasm = build_go("plugins/go/filter");
    let err = Plugin::load(&wasm, Limits::default())
        .err()
        .expect("refused without WASI");
    assert_eq!(err.kind, ErrorKind::Load, "{err}");
    let raised = Limits {
        wasi: false,
        ..Limits::default().with_wasi()
    };
    let err = Plugin::load(&wasm, raised)
        .err()
        .expect("refused without WASI");
    assert_eq!(err.kind, ErrorKind::Load);
    assert!(
        err.message.contains("wasi_snapshot_preview1::fd_write"),
        "{err}"
    );
}

/// One instance, many calls: the probe's call counter (a package variable) counts every call,
/// so the Go runtime and the init functions ran once.
#[test]
fn the_go_runtime_starts_once_per_instance() {
    let probe = load(&build_go("go-host/plugin/testdata/goprobe"));
    let mut instance = probe.instance();
    for count in 1..=5u8 {
        assert_eq!(instance.transform(&[0xfa]), Ok(vec![count]));
    }
}

/// A probe case: first byte, kind (None: ok), exit code, offset, part of the log.
type Case = (
    u8,
    Option<ErrorKind>,
    Option<u32>,
    Option<u64>,
    &'static str,
);

#[test]
fn go_probe_behaves_as_on_the_go_host() {
    let probe = load(&build_go("go-host/plugin/testdata/goprobe"));
    let mut instance = probe.instance();
    let cases: [Case; 7] = [
        (0x01, None, None, None, ""),
        (
            0xff,
            Some(ErrorKind::Trap),
            None,
            None,
            "panic: goprobe: boom",
        ),
        (0x02, None, None, None, ""),
        (
            0xfe,
            Some(ErrorKind::Plugin),
            None,
            Some(3),
            "goprobe: refusing the batch",
        ),
        (0xfd, None, None, None, ""),
        (0xfc, Some(ErrorKind::Exit), Some(3), None, ""),
        (0x03, None, None, None, ""),
    ];
    for (first, kind, code, offset, log) in cases {
        let batch = [first, 1, 2, 3, 4];
        let start = Instant::now();
        let result = instance.transform(&batch);
        if first == 0xfd {
            assert!(
                start.elapsed() < probe.limits().deadline,
                "the hour's sleep took real time"
            );
        }
        match kind {
            None => assert_eq!(result, Ok(batch.to_vec()), "{first:#x}"),
            Some(kind) => {
                let err = result.expect_err("an error");
                assert_eq!(
                    (err.kind, err.exit_code, err.offset),
                    (kind, code, offset),
                    "{first:#x}: {err}"
                );
                assert!(err.log.contains(log), "{first:#x}: log {:?}", err.log);
            }
        }
    }
}
