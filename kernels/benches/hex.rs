//! Hex encode and decode throughput (bytes of binary data per second, both ways): binpipe
//! (best tier and every available tier) vs `hex-simd` and `faster-hex` (SIMD chosen at run
//! time) and the `hex` crate (scalar). Decoding inputs are valid hex in mixed case.
//!
//! Run: `CARGO_TARGET_DIR=... cargo bench -p binpipe-kernels --bench hex`.

mod common;

use std::hint::black_box;

use binpipe_kernels::{Isa, Kernels};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// One group per direction and size.
fn hex(c: &mut Criterion) {
    for (size, label) in common::SIZES {
        let data = common::bytes(size as u64 ^ 0x4E58, size);
        let mut text = binpipe_kernels::hex_encode(&data, false);
        assert_eq!(text, hex::encode(&data).into_bytes());
        let mut dst = vec![0u8; 2 * size];

        let mut g = c.benchmark_group(format!("hex_encode/{label}"));
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_function("binpipe", |b| {
            b.iter(|| binpipe_kernels::hex_encode_into(black_box(&data), false, &mut dst))
        });
        for isa in Isa::available() {
            let k = Kernels::new(isa).expect("available tier");
            g.bench_function(format!("binpipe-{isa}"), |b| {
                b.iter(|| k.hex_encode_into(black_box(&data), false, &mut dst))
            });
        }
        g.bench_function("hex-simd", |b| {
            b.iter(|| {
                hex_simd::encode(
                    black_box(&data),
                    hex_simd::Out::from_slice(&mut dst),
                    hex_simd::AsciiCase::Lower,
                )
                .len()
            })
        });
        g.bench_function("faster-hex", |b| {
            b.iter(|| faster_hex::hex_encode(black_box(&data), &mut dst).map(|s| s.len()))
        });
        g.bench_function("hex", |b| {
            b.iter(|| hex::encode_to_slice(black_box(&data), &mut dst))
        });
        g.finish();

        // Mixed case, as real inputs may be.
        for (i, c) in text.iter_mut().enumerate() {
            if i % 3 == 0 {
                c.make_ascii_uppercase();
            }
        }
        let mut out = vec![0u8; size];
        assert_eq!(binpipe_kernels::hex_decode(&text), Ok(data.clone()));
        assert_eq!(hex_simd::decode_to_vec(&text).unwrap(), data);
        faster_hex::hex_decode(&text, &mut out).unwrap();
        assert_eq!(out, data);

        let mut g = c.benchmark_group(format!("hex_decode/{label}"));
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_function("binpipe", |b| {
            b.iter(|| binpipe_kernels::hex_decode_into(black_box(&text), &mut out))
        });
        for isa in Isa::available() {
            let k = Kernels::new(isa).expect("available tier");
            g.bench_function(format!("binpipe-{isa}"), |b| {
                b.iter(|| k.hex_decode_into(black_box(&text), &mut out))
            });
        }
        g.bench_function("hex-simd", |b| {
            b.iter(|| {
                hex_simd::decode(black_box(&text), hex_simd::Out::from_slice(&mut out))
                    .map(|s| s.len())
            })
        });
        g.bench_function("faster-hex", |b| {
            b.iter(|| faster_hex::hex_decode(black_box(&text), &mut out))
        });
        g.bench_function("hex", |b| {
            b.iter(|| hex::decode_to_slice(black_box(&text), &mut out))
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = hex
}
criterion_main!(benches);
