//! The example plugins under wasmtime against the same Rust code run natively.
//!
//! For `filter` and `redact` on 4 KiB, 64 KiB and 1 MiB of telemetry: `wasmtime` (one
//! [`Instance::transform`] call: the batch copied into the sandbox, the plugin run, the result
//! copied out, limits armed) and `native` (the plugin's `Plugin::transform`, natively, into a
//! reused output buffer, as the SDK runs it in the module).
//! Then the fixed cost of one call: `control` (a WAT plugin returning its input) on an empty
//! batch, and `filter` on an empty batch; and the load time (validate, compile, instantiate
//! checks) of each example module.
//!
//! With `BINPIPE_GO_FILTER` naming the Go filter's module (`GOOS=wasip1 GOARCH=wasm go build
//! -buildmode=c-shared` in `plugins/go/filter`), the same cases for it under the minimal
//! virtual WASI (`filter-go`): the Rust and Go examples side by side.
//!
//! `cargo bench -p binpipe-plugin-host --bench examples`

#[path = "../tests/common/mod.rs"]
mod common;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

use binpipe_plugin::Plugin as _;
use binpipe_plugin_host::{Limits, Plugin};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};

/// Batch sizes compared (whole records).
const SIZES: [usize; 3] = [4 << 10, 64 << 10, 1 << 20];

/// The bytes of `tests/plugins/<path>`.
fn module(path: &str) -> Vec<u8> {
    let file = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/plugins")
        .join(path);
    std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()))
}

/// Loads `tests/plugins/<path>`.
fn plugin(path: &str) -> Plugin {
    Plugin::load(&module(path), Limits::default()).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The Go filter's module and its limits (the default ones with the virtual WASI), if
/// `BINPIPE_GO_FILTER` names it.
fn go_filter() -> Option<(Vec<u8>, Limits)> {
    let path = std::env::var_os("BINPIPE_GO_FILTER")?;
    let wasm = std::fs::read(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    Some((wasm, Limits::default().with_wasi()))
}

/// The Go filter sandboxed at every size, beside the Rust filter's rows.
fn go_example(c: &mut Criterion) {
    let Some((wasm, limits)) = go_filter() else {
        return;
    };
    let mut sandbox = Plugin::load(&wasm, limits)
        .expect("the Go filter loads")
        .instance();
    let mut group = c.benchmark_group("filter-go");
    for size in SIZES {
        let batch = common::telemetry(size / common::RECORD, size as u64);
        group.throughput(Throughput::Bytes(size as u64));
        group.bench_with_input(BenchmarkId::new("wasmtime", size), &batch, |b, batch| {
            b.iter(|| sandbox.transform(black_box(batch)).expect("transform"))
        });
    }
    group.finish();
    c.bench_function("call/filter-go-empty", |b| {
        b.iter(|| sandbox.transform(black_box(&[])).expect("transform"))
    });
}

/// The load time of each example module: validation, the limit checks, compilation.
fn load(c: &mut Criterion) {
    let mut modules = vec![
        ("filter", module("examples/filter.wasm"), Limits::default()),
        ("redact", module("examples/redact.wasm"), Limits::default()),
    ];
    modules.extend(go_filter().map(|(wasm, limits)| ("filter-go", wasm, limits)));
    let mut group = c.benchmark_group("load");
    group.sample_size(10);
    for (name, wasm, limits) in modules {
        group.bench_function(name, |b| {
            b.iter(|| Plugin::load(black_box(&wasm), limits).expect("loads"))
        });
    }
    group.finish();
}

/// `filter` and `redact`, sandboxed and native, at every size.
fn examples(c: &mut Criterion) {
    type Native = fn(&[u8], &mut Vec<u8>) -> Result<(), binpipe_plugin::PluginError>;
    let cases: [(&str, Native); 2] = [
        ("filter", binpipe_plugin_filter::Filter::transform),
        ("redact", binpipe_plugin_redact::Redact::transform),
    ];
    for (name, native) in cases {
        let mut sandbox = plugin(&format!("examples/{name}.wasm")).instance();
        let mut group = c.benchmark_group(name);
        for size in SIZES {
            let batch = common::telemetry(size / common::RECORD, size as u64);
            group.throughput(Throughput::Bytes(size as u64));
            group.bench_with_input(BenchmarkId::new("wasmtime", size), &batch, |b, batch| {
                b.iter(|| sandbox.transform(black_box(batch)).expect("transform"))
            });
            let mut output = Vec::new();
            group.bench_with_input(BenchmarkId::new("native", size), &batch, |b, batch| {
                b.iter(|| {
                    output.clear();
                    native(black_box(batch), &mut output).expect("whole records");
                    output.len()
                })
            });
        }
        group.finish();
    }
}

/// The fixed cost of a sandboxed call: an empty batch through a plugin that returns it.
fn call_overhead(c: &mut Criterion) {
    let mut sandbox = plugin("hostile/control.wasm").instance();
    c.bench_function("call/control-empty", |b| {
        b.iter(|| sandbox.transform(black_box(&[])).expect("transform"))
    });
    let mut filter = plugin("examples/filter.wasm").instance();
    c.bench_function("call/filter-empty", |b| {
        b.iter(|| filter.transform(black_box(&[])).expect("transform"))
    });
}

criterion_group! {
    name = benches;
    config = Criterion::default().warm_up_time(Duration::from_millis(500)).measurement_time(Duration::from_secs(2));
    targets = examples, go_example, call_overhead, load
}
criterion_main!(benches);
