//! XXH3-64 throughput: binpipe (best tier and every available tier) vs `xxhash-rust`, side by
//! side at 4 KiB, 64 KiB and 1 MiB.
//!
//! xxhash-rust picks its vector code from compile-time target features only: a default
//! x86_64 build runs its SSE2 loop even on an AVX2 CPU (it needs `-C target-cpu=native` or
//! `-C target-feature=+avx2` to use AVX2), while binpipe chooses AVX2 at run time. So the
//! fair same-instruction-set comparison is `binpipe-sse2` against `xxhash-rust`, and the
//! user-visible one is `binpipe` against `xxhash-rust`.
//!
//! Run: `CARGO_TARGET_DIR=... cargo bench -p binpipe-kernels --bench xxh3`.

mod common;

use std::hint::black_box;

use binpipe_kernels::{Isa, Kernels};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// One group per size; every function of a group sees the same buffer.
fn xxh3(c: &mut Criterion) {
    for (size, label) in common::SIZES {
        let data = common::bytes(size as u64, size);
        // The peer must agree before its speed means anything.
        assert_eq!(
            binpipe_kernels::xxh3_64(&data, 7),
            xxh3_64_with_seed(&data, 7)
        );

        let mut g = c.benchmark_group(format!("xxh3/{label}"));
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_function("binpipe", |b| {
            b.iter(|| binpipe_kernels::xxh3_64(black_box(&data), 7))
        });
        for isa in Isa::available() {
            let k = Kernels::new(isa).expect("available tier");
            g.bench_function(format!("binpipe-{isa}"), |b| {
                b.iter(|| k.xxh3_64(black_box(&data), 7))
            });
        }
        g.bench_function("xxhash-rust", |b| {
            b.iter(|| xxh3_64_with_seed(black_box(&data), 7))
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = xxh3
}
criterion_main!(benches);
