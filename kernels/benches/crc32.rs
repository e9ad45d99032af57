//! CRC-32/ISO-HDLC throughput: binpipe (best tier and every available tier) vs `crc32fast` and
//! `crc-fast`, side by side at 4 KiB, 64 KiB and 1 MiB. Both peers detect PCLMULQDQ and
//! VPCLMULQDQ at run time, as binpipe does.
//!
//! On the project machine (AMD EPYC, Zen 3: AVX2 + VPCLMULQDQ, no AVX-512) binpipe's AVX2 tier
//! and crc32fast both run at the carry-less multiplier's throughput (two multiplies per 32
//! bytes; the 128-bit tier, with the same count per 16 bytes, runs at exactly half the
//! speed), so they tie from 1 KiB up; crc-fast stays on 128-bit multiplies here and runs at
//! the 128-bit tier's speed.
//!
//! Run: `CARGO_TARGET_DIR=... cargo bench -p binpipe-kernels --bench crc32`.

mod common;

use std::hint::black_box;

use binpipe_kernels::{Isa, Kernels};
use crc_fast::CrcAlgorithm;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// One group per size; every function of a group sees the same buffer.
fn crc32(c: &mut Criterion) {
    for (size, label) in common::SIZES {
        let data = common::bytes(size as u64, size);
        // The peers must agree before their speed means anything.
        let expect = binpipe_kernels::crc32(&data, 0);
        assert_eq!(crc32fast::hash(&data), expect);
        assert_eq!(
            crc_fast::checksum(CrcAlgorithm::Crc32IsoHdlc, &data),
            u64::from(expect)
        );

        let mut g = c.benchmark_group(format!("crc32/{label}"));
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_function("binpipe", |b| {
            b.iter(|| binpipe_kernels::crc32(black_box(&data), 0))
        });
        for isa in Isa::available() {
            let k = Kernels::new(isa).expect("available tier");
            g.bench_function(format!("binpipe-{isa}"), |b| {
                b.iter(|| k.crc32(black_box(&data), 0))
            });
        }
        g.bench_function("crc32fast", |b| {
            b.iter(|| crc32fast::hash(black_box(&data)))
        });
        g.bench_function("crc-fast", |b| {
            b.iter(|| crc_fast::checksum(CrcAlgorithm::Crc32IsoHdlc, black_box(&data)))
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = crc32
}
criterion_main!(benches);
