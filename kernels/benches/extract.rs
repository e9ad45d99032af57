//! extract-field throughput (input bytes per second): binpipe (best tier and every available
//! tier) vs the loop a Rust programmer would write (`chunks_exact` + `copy_from_slice` of
//! the field), for a few layouts: a byte of 4-byte records and a u32 of 8-byte records (the
//! byte-shuffle path), a u64 of 16-byte records and a 13-byte field of 24-byte records
//! (fixed-size copies).
//!
//! No crate extracts strided fields; the loop calls `memcpy` for every record unless the
//! compiler knows the width.
//!
//! Run: `CARGO_TARGET_DIR=... cargo bench -p binpipe-kernels --bench extract`.

mod common;

use std::hint::black_box;

use binpipe_kernels::{Isa, Kernels};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Layouts `(record_size, offset, width)` benched.
const LAYOUTS: [(u32, u32, u32); 4] = [(4, 1, 1), (8, 4, 4), (16, 8, 8), (24, 4, 13)];

/// The plain loop: one `copy_from_slice` per record; returns the bytes written.
fn plain_loop(src: &[u8], record_size: u32, offset: u32, width: u32, dst: &mut [u8]) -> usize {
    let (rs, off, w) = (record_size as usize, offset as usize, width as usize);
    let mut n = 0;
    for (record, out) in src.chunks_exact(rs).zip(dst.chunks_exact_mut(w)) {
        out.copy_from_slice(&record[off..off + w]);
        n += w;
    }
    n
}

/// One group per layout and size.
fn extract(c: &mut Criterion) {
    for (rs, off, w) in LAYOUTS {
        for (size, label) in common::SIZES {
            let data = common::bytes(size as u64 ^ u64::from(rs), size);
            let out_len = size / rs as usize * w as usize;
            let mut dst = vec![0u8; out_len];
            let mut expect = vec![0u8; out_len];
            plain_loop(&data, rs, off, w, &mut expect);
            binpipe_kernels::extract_field_into(&data, rs, off, w, &mut dst).unwrap();
            assert_eq!(dst, expect);

            let mut g = c.benchmark_group(format!("extract/r{rs}o{off}w{w}/{label}"));
            g.throughput(Throughput::Bytes(size as u64));
            g.bench_function("binpipe", |b| {
                b.iter(|| {
                    binpipe_kernels::extract_field_into(black_box(&data), rs, off, w, &mut dst)
                })
            });
            for isa in Isa::available() {
                let k = Kernels::new(isa).expect("available tier");
                g.bench_function(format!("binpipe-{isa}"), |b| {
                    b.iter(|| k.extract_field_into(black_box(&data), rs, off, w, &mut dst))
                });
            }
            g.bench_function("plain-loop", |b| {
                b.iter(|| plain_loop(black_box(&data), rs, off, w, &mut dst))
            });
            g.finish();
        }
    }
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = extract
}
criterion_main!(benches);
