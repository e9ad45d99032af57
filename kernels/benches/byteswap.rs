//! Byte swap throughput: binpipe (best tier and every available tier) vs the loop over
//! `uN::swap_bytes` that a Rust programmer would write, for element widths 2, 4 and 8.
//!
//! No crate does better than that loop: `byteorder`'s slice conversions are the same loop.
//! LLVM auto-vectorises it — for the baseline x86-64 target (SSE2) the bench is built for,
//! with word shuffles and shifts, as our SSE2 tier does by hand; built with
//! `-C target-cpu=native` it would use `pshufb` too. So the loop is a strong peer, and the
//! AVX2 tier's gain over it is what run-time dispatch buys.
//!
//! Run: `CARGO_TARGET_DIR=... cargo bench -p binpipe-kernels --bench byteswap`.

mod common;

use std::hint::black_box;

use binpipe_kernels::{Isa, Kernels};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The `swap_bytes` loop, on `uN` elements read from and written to bytes.
fn swap_bytes_loop(src: &[u8], width: u8, dst: &mut [u8]) {
    macro_rules! typed {
        ($t:ty) => {{
            const W: usize = core::mem::size_of::<$t>();
            for (s, d) in src.chunks_exact(W).zip(dst.chunks_exact_mut(W)) {
                let x = <$t>::from_le_bytes(s.try_into().unwrap());
                d.copy_from_slice(&x.swap_bytes().to_le_bytes());
            }
            let body = src.len() / W * W;
            dst[body..].copy_from_slice(&src[body..]);
        }};
    }
    match width {
        2 => typed!(u16),
        4 => typed!(u32),
        _ => typed!(u64),
    }
}

/// One group per width and size.
fn byteswap(c: &mut Criterion) {
    for width in [2u8, 4, 8] {
        for (size, label) in common::SIZES {
            let data = common::bytes(size as u64 ^ u64::from(width), size);
            let mut dst = vec![0u8; size];
            let mut expect = vec![0u8; size];
            swap_bytes_loop(&data, width, &mut expect);
            binpipe_kernels::byteswap_into(&data, width, &mut dst).unwrap();
            assert_eq!(dst, expect);

            let mut g = c.benchmark_group(format!("byteswap/w{width}/{label}"));
            g.throughput(Throughput::Bytes(size as u64));
            g.bench_function("binpipe", |b| {
                b.iter(|| binpipe_kernels::byteswap_into(black_box(&data), width, &mut dst))
            });
            for isa in Isa::available() {
                let k = Kernels::new(isa).expect("available tier");
                g.bench_function(format!("binpipe-{isa}"), |b| {
                    b.iter(|| k.byteswap_into(black_box(&data), width, &mut dst))
                });
            }
            g.bench_function("swap_bytes-loop", |b| {
                b.iter(|| swap_bytes_loop(black_box(&data), width, &mut dst))
            });
            g.finish();
        }
    }
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = byteswap
}
criterion_main!(benches);
