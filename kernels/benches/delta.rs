//! Delta encode and decode throughput: binpipe (best tier and every available tier) vs a
//! straightforward Rust loop over `uN::from_le_bytes` with wrapping arithmetic, for element
//! widths 1, 4 and 8.
//!
//! No crate does this job with SIMD: `delta-encoding` is a scalar iterator adapter over signed
//! values. The loop is the honest peer: LLVM auto-vectorises the encode loop (each output
//! depends only on two inputs) for the baseline x86-64 target (SSE2) the bench is built for;
//! the decode loop is a running sum, a serial dependency it cannot vectorise.
//!
//! Run: `CARGO_TARGET_DIR=... cargo bench -p binpipe-kernels --bench delta`.

mod common;

use std::hint::black_box;

use binpipe_kernels::{Isa, Kernels};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The straightforward loop a Rust programmer would write, on `uN` elements.
fn plain_loop(decode: bool, src: &[u8], width: u8, dst: &mut [u8]) {
    macro_rules! typed {
        ($t:ty) => {{
            const W: usize = core::mem::size_of::<$t>();
            let mut prev: $t = 0;
            for (s, d) in src.chunks_exact(W).zip(dst.chunks_exact_mut(W)) {
                let x = <$t>::from_le_bytes(s.try_into().unwrap());
                let y = if decode {
                    prev = prev.wrapping_add(x);
                    prev
                } else {
                    let y = x.wrapping_sub(prev);
                    prev = x;
                    y
                };
                d.copy_from_slice(&y.to_le_bytes());
            }
            let body = src.len() / W * W;
            dst[body..].copy_from_slice(&src[body..]);
        }};
    }
    match width {
        1 => typed!(u8),
        2 => typed!(u16),
        4 => typed!(u32),
        _ => typed!(u64),
    }
}

/// One group per direction, width and size.
fn delta(c: &mut Criterion) {
    for (name, decode) in [("encode", false), ("decode", true)] {
        for width in [1u8, 4, 8] {
            for (size, label) in common::SIZES {
                let data = common::bytes(size as u64 ^ u64::from(width), size);
                let mut dst = vec![0u8; size];
                let mut expect = vec![0u8; size];
                plain_loop(decode, &data, width, &mut expect);
                let run = |k: &Kernels, dst: &mut [u8]| {
                    if decode {
                        k.delta_decode_into(black_box(&data), width, dst)
                    } else {
                        k.delta_encode_into(black_box(&data), width, dst)
                    }
                    .unwrap()
                };
                run(&Kernels::new(Isa::best()).unwrap(), &mut dst);
                assert_eq!(dst, expect);

                let mut g = c.benchmark_group(format!("delta_{name}/w{width}/{label}"));
                g.throughput(Throughput::Bytes(size as u64));
                g.bench_function("binpipe", |b| {
                    b.iter(|| {
                        if decode {
                            binpipe_kernels::delta_decode_into(black_box(&data), width, &mut dst)
                        } else {
                            binpipe_kernels::delta_encode_into(black_box(&data), width, &mut dst)
                        }
                        .unwrap()
                    })
                });
                for isa in Isa::available() {
                    let k = Kernels::new(isa).expect("available tier");
                    g.bench_function(format!("binpipe-{isa}"), |b| b.iter(|| run(&k, &mut dst)));
                }
                g.bench_function("plain-loop", |b| {
                    b.iter(|| plain_loop(decode, black_box(&data), width, &mut dst))
                });
                g.finish();
            }
        }
    }
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = delta
}
criterion_main!(benches);
