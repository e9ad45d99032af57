//! Native binpipe against the same kernels compiled to wasm and run by wasmtime, side by side.
//!
//! For each kernel at 4 KiB, 64 KiB and 1 MiB: `native` (the crate's dispatched functions),
//! `wasm-simd128` and `wasm-scalar` (the core modules' fast-path exports, input already in guest
//! memory, as the Go host's pipeline runs them). Then the fixed cost of one call with empty
//! input through each ABI: the canonical ABI via the component, the fast path via the core
//! module, and a native call for reference.
//!
//! Needs the wasm artifacts (`component/build.sh`; `$BINPIPE_WASM_DIR` to look elsewhere).
//! Results and the command line: docs/benchmarks-wasm.md.

#[path = "../tests/common/wasm.rs"]
mod wasm;

use binpipe_conformance::{splitmix64, wasm_artifact};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::time::Duration;
use wasm::{Component, FastPath};
use wasmtime::Engine;

/// Input sizes compared.
const SIZES: [usize; 3] = [4 << 10, 64 << 10, 1 << 20];
/// Element size for shuffle/unshuffle (f32/u32 columns, the common case).
const ELEM_SIZE: u32 = 4;

/// Loads the core module `file` under `engine`, or stops with the reason.
fn fast_path(engine: &Engine, file: &str) -> FastPath {
    let path = wasm_artifact(file).unwrap_or_else(|e| panic!("{e}"));
    FastPath::load(engine, &path).unwrap_or_else(|e| panic!("{file}: {e:#}"))
}

/// Per-kernel groups: native vs both wasm modules at every size.
fn kernels(c: &mut Criterion) {
    let engine = Engine::default();
    let mut modules = [
        ("wasm-simd128", fast_path(&engine, "binpipe.wasm")),
        ("wasm-scalar", fast_path(&engine, "binpipe.scalar.wasm")),
    ];
    for kernel in ["crc32c", "count-byte", "shuffle", "unshuffle"] {
        let mut group = c.benchmark_group(kernel);
        for size in SIZES {
            let data = splitmix64(size as u64, size);
            let mut dst = vec![0u8; size];
            group.throughput(Throughput::Bytes(size as u64));
            group.bench_function(BenchmarkId::new("native", size), |b| match kernel {
                "crc32c" => b.iter(|| binpipe_kernels::crc32c(black_box(&data), 0)),
                "count-byte" => b.iter(|| binpipe_kernels::count_byte(black_box(&data), 0x2A)),
                "shuffle" => b.iter(|| binpipe_kernels::shuffle_into(&data, ELEM_SIZE, &mut dst)),
                _ => b.iter(|| binpipe_kernels::unshuffle_into(&data, ELEM_SIZE, &mut dst)),
            });
            for (name, fp) in &mut modules {
                let src = fp.alloc_with(size, &data).unwrap();
                let out = fp.alloc_with(size, &[]).unwrap();
                let len = size as u32;
                let (crc, count, shuffle, unshuffle) = (
                    fp.crc32c.clone(),
                    fp.count_byte.clone(),
                    fp.shuffle.clone(),
                    fp.unshuffle.clone(),
                );
                let store = &mut fp.store;
                group.bench_function(BenchmarkId::new(*name, size), |b| match kernel {
                    "crc32c" => b.iter(|| crc.call(&mut *store, (src, len, 0)).unwrap()),
                    "count-byte" => b.iter(|| count.call(&mut *store, (src, len, 0x2A)).unwrap()),
                    "shuffle" => b.iter(|| {
                        assert_eq!(
                            shuffle
                                .call(&mut *store, (src, len, out, ELEM_SIZE))
                                .unwrap(),
                            0
                        )
                    }),
                    _ => b.iter(|| {
                        assert_eq!(
                            unshuffle
                                .call(&mut *store, (src, len, out, ELEM_SIZE))
                                .unwrap(),
                            0
                        )
                    }),
                });
                fp.free(src, size).unwrap();
                fp.free(out, size).unwrap();
            }
        }
        group.finish();
    }
}

/// The fixed cost of one call with empty input, through each ABI.
fn call_overhead(c: &mut Criterion) {
    let engine = Engine::default();
    let mut fp = fast_path(&engine, "binpipe.wasm");
    let path = wasm_artifact("binpipe.component.wasm").unwrap_or_else(|e| panic!("{e}"));
    let mut component = Component::load(&engine, &path).unwrap_or_else(|e| panic!("{e:#}"));
    let mut group = c.benchmark_group("call-overhead");
    group.bench_function("native/crc32c-empty", |b| {
        b.iter(|| binpipe_kernels::crc32c(black_box(&[]), 0))
    });
    let crc = fp.crc32c.clone();
    group.bench_function("fast-path/crc32c-empty", |b| {
        b.iter(|| crc.call(&mut fp.store, (0, 0, 0)).unwrap())
    });
    let shuffle = fp.shuffle.clone();
    group.bench_function("fast-path/shuffle-empty", |b| {
        b.iter(|| shuffle.call(&mut fp.store, (0, 0, 0, ELEM_SIZE)).unwrap())
    });
    group.bench_function("canonical/crc32c-empty", |b| {
        b.iter(|| component.crc32c_empty())
    });
    group.bench_function("canonical/shuffle-empty", |b| {
        b.iter(|| component.shuffle_empty())
    });
    group.finish();
}

/// Short runs: the whole bench takes a couple of minutes.
fn config() -> Criterion {
    Criterion::default()
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .sample_size(20)
}

criterion_group! {
    name = benches;
    config = config();
    targets = kernels, call_overhead
}
criterion_main!(benches);
