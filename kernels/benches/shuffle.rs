//! Byte shuffle and unshuffle throughput: binpipe (best tier) vs the `byteshuffle` crate (a
//! pure-Rust SIMD reimplementation of Blosc's filter) and a plain Rust loop.
//!
//! Element sizes 4 and 8 are the common ones (f32/u32, f64/u64). `byteshuffle` 0.1 has SIMD
//! code only for element sizes 2, 16 and above (4 and 8 take its generic loop), so size 16 is
//! measured too, to compare against its vector path as well.
//!
//! Run: `CARGO_TARGET_DIR=... cargo bench -p binpipe-kernels --bench shuffle` (native only:
//! `byteshuffle` is not a wasm32 dev-dependency).

mod common;

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Blosc shuffle as the obvious loop: `dst[j*n + i] = src[i*elem + j]`, tail copied.
fn loop_shuffle(src: &[u8], elem: usize, dst: &mut [u8]) {
    let n = src.len() / elem;
    for i in 0..n {
        for j in 0..elem {
            dst[j * n + i] = src[i * elem + j];
        }
    }
    dst[n * elem..].copy_from_slice(&src[n * elem..]);
}

/// The inverse loop: `dst[i*elem + j] = src[j*n + i]`, tail copied.
fn loop_unshuffle(src: &[u8], elem: usize, dst: &mut [u8]) {
    let n = src.len() / elem;
    for i in 0..n {
        for j in 0..elem {
            dst[i * elem + j] = src[j * n + i];
        }
    }
    dst[n * elem..].copy_from_slice(&src[n * elem..]);
}

/// One group per direction, element size and input size.
fn shuffle(c: &mut Criterion) {
    for elem in [4usize, 8, 16] {
        for (size, label) in common::SIZES {
            let src = common::bytes(size as u64 + elem as u64, size);
            let mut dst = vec![0u8; size];
            let shuffled = binpipe_kernels::shuffle(&src, elem as u32).expect("valid elem size");
            loop_shuffle(&src, elem, &mut dst);
            assert_eq!(dst, shuffled);
            assert_eq!(byteshuffle::shuffle(elem, &src), shuffled);
            assert_eq!(byteshuffle::unshuffle(elem, &shuffled), src);
            loop_unshuffle(&shuffled, elem, &mut dst);
            assert_eq!(dst, src);

            let mut g = c.benchmark_group(format!("shuffle/elem{elem}/{label}"));
            g.throughput(Throughput::Bytes(size as u64));
            g.bench_function("binpipe", |b| {
                b.iter(|| binpipe_kernels::shuffle_into(black_box(&src), elem as u32, &mut dst))
            });
            g.bench_function("byteshuffle", |b| {
                b.iter(|| byteshuffle::shuffle_into(elem, black_box(&src), &mut dst))
            });
            g.bench_function("loop", |b| {
                b.iter(|| loop_shuffle(black_box(&src), elem, &mut dst))
            });
            g.finish();

            let mut g = c.benchmark_group(format!("unshuffle/elem{elem}/{label}"));
            g.throughput(Throughput::Bytes(size as u64));
            g.bench_function("binpipe", |b| {
                b.iter(|| {
                    binpipe_kernels::unshuffle_into(black_box(&shuffled), elem as u32, &mut dst)
                })
            });
            g.bench_function("byteshuffle", |b| {
                b.iter(|| byteshuffle::unshuffle_into(elem, black_box(&shuffled), &mut dst))
            });
            g.bench_function("loop", |b| {
                b.iter(|| loop_unshuffle(black_box(&shuffled), elem, &mut dst))
            });
            g.finish();
        }
    }
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = shuffle
}
criterion_main!(benches);
