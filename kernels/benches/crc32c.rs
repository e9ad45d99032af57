//! CRC-32C throughput: binpipe (best tier and every available tier) vs the `crc32c` and
//! `crc-fast` crates, side by side at 4 KiB, 64 KiB and 1 MiB.
//!
//! Run: `CARGO_TARGET_DIR=... cargo bench -p binpipe-kernels --bench crc32c`.

mod common;

use std::hint::black_box;

use binpipe_kernels::{Isa, Kernels};
use crc_fast::CrcAlgorithm;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// One group per size; every function of a group sees the same buffer.
fn crc32c(c: &mut Criterion) {
    for (size, label) in common::SIZES {
        let data = common::bytes(size as u64, size);
        // The peers must agree before their speed means anything.
        let expect = binpipe_kernels::crc32c(&data, 0);
        assert_eq!(::crc32c::crc32c(&data), expect);
        assert_eq!(
            crc_fast::checksum(CrcAlgorithm::Crc32Iscsi, &data),
            u64::from(expect)
        );

        let mut g = c.benchmark_group(format!("crc32c/{label}"));
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_function("binpipe", |b| {
            b.iter(|| binpipe_kernels::crc32c(black_box(&data), 0))
        });
        for isa in Isa::available() {
            let k = Kernels::new(isa).expect("available tier");
            g.bench_function(format!("binpipe-{isa}"), |b| {
                b.iter(|| k.crc32c(black_box(&data), 0))
            });
        }
        g.bench_function("crc32c-crate", |b| {
            b.iter(|| ::crc32c::crc32c(black_box(&data)))
        });
        g.bench_function("crc-fast", |b| {
            b.iter(|| crc_fast::checksum(CrcAlgorithm::Crc32Iscsi, black_box(&data)))
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = crc32c
}
criterion_main!(benches);
