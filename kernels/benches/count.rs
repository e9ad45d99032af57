//! count_byte throughput: binpipe (best tier and every available tier) vs `bytecount`
//! (runtime-dispatched SIMD) and `memchr::memchr_iter(..).count()`, on data where the needle
//! is sparse (about 1 byte in 1000) and dense (about 1 in 4).
//!
//! Run: `CARGO_TARGET_DIR=... cargo bench -p binpipe-kernels --bench count`.

mod common;

use std::hint::black_box;

use binpipe_kernels::{Isa, Kernels};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The needle every bench counts.
const NEEDLE: u8 = b'\n';

/// `size` bytes where `NEEDLE` occurs with probability about `1 / every`, and no other byte
/// equals it.
fn data(size: usize, every: u64) -> Vec<u8> {
    let mut data = common::bytes(size as u64 ^ every, size);
    let mut state = every;
    for b in &mut data {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        *b = if (state >> 33).is_multiple_of(every) {
            NEEDLE
        } else if *b == NEEDLE {
            b'a'
        } else {
            *b
        };
    }
    data
}

/// One group per density and size.
fn count(c: &mut Criterion) {
    for (density, every) in [("sparse", 1000), ("dense", 4)] {
        for (size, label) in common::SIZES {
            let data = data(size, every);
            let expect = binpipe_kernels::count_byte(&data, NEEDLE);
            assert_eq!(bytecount::count(&data, NEEDLE) as u64, expect);
            assert_eq!(memchr::memchr_iter(NEEDLE, &data).count() as u64, expect);

            let mut g = c.benchmark_group(format!("count_byte/{density}/{label}"));
            g.throughput(Throughput::Bytes(size as u64));
            g.bench_function("binpipe", |b| {
                b.iter(|| binpipe_kernels::count_byte(black_box(&data), NEEDLE))
            });
            for isa in Isa::available() {
                let k = Kernels::new(isa).expect("available tier");
                g.bench_function(format!("binpipe-{isa}"), |b| {
                    b.iter(|| k.count_byte(black_box(&data), NEEDLE))
                });
            }
            g.bench_function("bytecount", |b| {
                b.iter(|| bytecount::count(black_box(&data), NEEDLE))
            });
            g.bench_function("memchr-iter", |b| {
                b.iter(|| memchr::memchr_iter(NEEDLE, black_box(&data)).count())
            });
            g.finish();
        }
    }
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = count
}
criterion_main!(benches);
