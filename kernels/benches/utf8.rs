//! Validation throughput at 4 KiB, 64 KiB and 1 MiB.
//!
//! - `utf8_validate` (delegated to simdutf8's `compat` API) against `core::str::from_utf8`
//!   on ASCII, mixed-width text and CJK text, all valid.
//! - `ascii_prefix` (best tier and every available tier) against `<[u8]>::is_ascii` (the
//!   standard library's word-at-a-time check, which only answers yes or no) and the iterator
//!   `position(|b| b >= 0x80)`, on random ASCII with one non-ASCII byte at the end.
//!
//! Run: `CARGO_TARGET_DIR=... cargo bench -p binpipe-kernels --bench utf8`.

mod common;

use std::hint::black_box;

use binpipe_kernels::{Isa, Kernels};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Valid UTF-8 of exactly `size` bytes: `unit` repeated, padded with ASCII.
fn text(unit: &str, size: usize) -> Vec<u8> {
    let mut s = unit.repeat(size / unit.len());
    while s.len() < size {
        s.push('.');
    }
    s.into_bytes()
}

fn utf8_validate(c: &mut Criterion) {
    for (kind, unit) in [
        ("ascii", "the quick brown fox jumps over the lazy dog "),
        ("mixed", "naïve café – Zürich, 東京 🦀 ok "),
        ("cjk", "東京都渋谷区神南一丁目"),
    ] {
        for (size, label) in common::SIZES {
            let data = text(unit, size);
            assert_eq!(binpipe_kernels::utf8_validate(&data), Ok(()));
            let mut g = c.benchmark_group(format!("utf8_validate/{kind}/{label}"));
            g.throughput(Throughput::Bytes(size as u64));
            g.bench_function("binpipe", |b| {
                b.iter(|| binpipe_kernels::utf8_validate(black_box(&data)))
            });
            g.bench_function("std", |b| {
                b.iter(|| core::str::from_utf8(black_box(&data)).is_ok())
            });
            g.finish();
        }
    }
}

fn ascii_prefix(c: &mut Criterion) {
    for (size, label) in common::SIZES {
        // Random ASCII (the tests' generator with the top bits cleared), one é byte at the end.
        let mut data: Vec<u8> = common::bytes(size as u64, size)
            .iter()
            .map(|b| b & 0x7F)
            .collect();
        data[size - 1] = 0xC3;
        assert_eq!(binpipe_kernels::ascii_prefix(&data), size - 1);
        let mut g = c.benchmark_group(format!("ascii_prefix/{label}"));
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_function("binpipe", |b| {
            b.iter(|| binpipe_kernels::ascii_prefix(black_box(&data)))
        });
        for isa in Isa::available() {
            let k = Kernels::new(isa).expect("available tier");
            g.bench_function(format!("binpipe-{isa}"), |b| {
                b.iter(|| k.ascii_prefix(black_box(&data)))
            });
        }
        g.bench_function("std-is_ascii", |b| b.iter(|| black_box(&data).is_ascii()));
        g.bench_function("iter-position", |b| {
            b.iter(|| black_box(&data).iter().position(|&b| b >= 0x80))
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = utf8_validate, ascii_prefix
}
criterion_main!(benches);
