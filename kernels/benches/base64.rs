//! Base64 encode and decode throughput (bytes of binary data per second, both ways), standard
//! alphabet with padding: binpipe (best tier and every available tier) vs `base64-simd` (SIMD
//! chosen at run time) and the `base64` crate (scalar). Both peers are strict decoders too.
//!
//! Run: `CARGO_TARGET_DIR=... cargo bench -p binpipe-kernels --bench base64`.

mod common;

use std::hint::black_box;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use binpipe_kernels::{Alphabet, Isa, Kernels};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// One group per direction and size.
fn base64(c: &mut Criterion) {
    for (size, label) in common::SIZES {
        let data = common::bytes(size as u64 ^ 0xB64, size);
        let text = binpipe_kernels::base64_encode(&data, Alphabet::Standard, true);
        assert_eq!(text, STANDARD.encode(&data).into_bytes());
        let mut dst = vec![0u8; text.len()];

        let mut g = c.benchmark_group(format!("base64_encode/{label}"));
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_function("binpipe", |b| {
            b.iter(|| {
                binpipe_kernels::base64_encode_into(
                    black_box(&data),
                    Alphabet::Standard,
                    true,
                    &mut dst,
                )
            })
        });
        for isa in Isa::available() {
            let k = Kernels::new(isa).expect("available tier");
            g.bench_function(format!("binpipe-{isa}"), |b| {
                b.iter(|| {
                    k.base64_encode_into(black_box(&data), Alphabet::Standard, true, &mut dst)
                })
            });
        }
        g.bench_function("base64-simd", |b| {
            b.iter(|| {
                base64_simd::STANDARD
                    .encode(black_box(&data), base64_simd::Out::from_slice(&mut dst))
                    .len()
            })
        });
        g.bench_function("base64", |b| {
            b.iter(|| STANDARD.encode_slice(black_box(&data), &mut dst))
        });
        g.finish();

        let mut out = vec![0u8; text.len() / 4 * 3];
        assert_eq!(
            binpipe_kernels::base64_decode(&text, Alphabet::Standard, true),
            Ok(data.clone())
        );
        assert_eq!(base64_simd::STANDARD.decode_to_vec(&text).unwrap(), data);

        let mut g = c.benchmark_group(format!("base64_decode/{label}"));
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_function("binpipe", |b| {
            b.iter(|| {
                binpipe_kernels::base64_decode_into(
                    black_box(&text),
                    Alphabet::Standard,
                    true,
                    &mut out,
                )
            })
        });
        for isa in Isa::available() {
            let k = Kernels::new(isa).expect("available tier");
            g.bench_function(format!("binpipe-{isa}"), |b| {
                b.iter(|| {
                    k.base64_decode_into(black_box(&text), Alphabet::Standard, true, &mut out)
                })
            });
        }
        g.bench_function("base64-simd", |b| {
            b.iter(|| {
                base64_simd::STANDARD
                    .decode(black_box(&text), base64_simd::Out::from_slice(&mut out))
                    .map(|s| s.len())
            })
        });
        g.bench_function("base64", |b| {
            b.iter(|| STANDARD.decode_slice(black_box(&text), &mut out))
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = base64
}
criterion_main!(benches);
