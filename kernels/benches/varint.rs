//! varint-encode and varint-decode throughput: binpipe (best tier and every available tier) vs
//! `varint-simd` (x86_64 only), `integer-encoding` and a straightforward byte loop, on three
//! value mixes: one-byte values, values below 2^14 (one or two bytes), and every encoded length
//! 1..=10 uniformly. Sizes are encoded bytes (the input of decode, the output of encode), and
//! so is the throughput.
//!
//! `varint-simd` picks its code paths at compile time from target features and build-script
//! cfgs: without `-C target-feature` it decodes a `u64` with plain 64-bit arithmetic; with
//! `RUSTFLAGS="-C target-cpu=native"` it uses SSSE3/AVX2 shuffles, and with its
//! `native-optimizations` feature on a CPU with fast PEXT (Intel, AMD Zen 3+) it uses
//! `pext`/`pdep`. Its best configuration here (Zen 3) is:
//!
//! ```sh
//! RUSTFLAGS="-C target-cpu=native" CARGO_TARGET_DIR=... cargo bench -p binpipe-kernels \
//!     --bench varint --features varint-simd/native-optimizations
//! ```
//!
//! (binpipe itself picks its tier at run time, so the flags do not change its paths.) Its
//! stream decoder is the documented pattern: `decode_unsafe` while 16 bytes remain, `decode`
//! after.

mod common;

use std::hint::black_box;

use binpipe_kernels::{Isa, Kernels};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use integer_encoding::VarInt;

/// A value mix: its name and the value it makes from a random word.
type Mix = (&'static str, fn(u64) -> u64);

/// The value mixes.
const MIXES: [Mix; 3] = [
    ("1-byte", |w| w & 0x7F),
    ("1-2-byte", |w| w & 0x3FFF),
    ("mixed-1-10", |w| {
        let len = (w % 10) as u32 + 1;
        let bits = (7 * len).min(64);
        (w.rotate_left(23) >> (64 - bits)) | (1u64 << (7 * (len - 1))) >> u32::from(len == 1)
    }),
];

/// Values of `mix` whose encoding is at most `size` bytes and within 10 bytes of it.
fn values(size: usize, mix: fn(u64) -> u64) -> Vec<u64> {
    let words = common::bytes(size as u64, 8 * size);
    let mut out = Vec::new();
    let mut len = 0;
    for c in words.chunks_exact(8) {
        let v = mix(u64::from_le_bytes(c.try_into().unwrap()));
        let l = v.required_space();
        if len + l > size {
            break;
        }
        len += l;
        out.push(v);
    }
    out
}

/// The straightforward decoder: one byte at a time, shift and or.
fn loop_decode(data: &[u8], dst: &mut Vec<u64>) -> Option<()> {
    dst.clear();
    let mut i = 0;
    while i < data.len() {
        let mut value = 0u64;
        let mut shift = 0;
        loop {
            let b = *data.get(i)?;
            i += 1;
            value |= u64::from(b & 0x7F).checked_shl(shift)?;
            if b < 0x80 {
                break;
            }
            shift += 7;
        }
        dst.push(value);
    }
    Some(())
}

/// The straightforward encoder.
fn loop_encode(values: &[u64], dst: &mut Vec<u8>) {
    dst.clear();
    for &v in values {
        let mut v = v;
        while v >= 0x80 {
            dst.push(v as u8 | 0x80);
            v >>= 7;
        }
        dst.push(v as u8);
    }
}

/// `integer-encoding`, one value at a time.
fn ie_decode(data: &[u8], dst: &mut Vec<u64>) -> Option<()> {
    dst.clear();
    let mut rest = data;
    while !rest.is_empty() {
        let (v, used) = u64::decode_var(rest)?;
        dst.push(v);
        rest = &rest[used..];
    }
    Some(())
}

/// `varint-simd`: the unchecked decoder while 16 bytes remain, then the checked one.
#[cfg(target_arch = "x86_64")]
fn vs_decode(data: &[u8], dst: &mut Vec<u64>) -> Option<()> {
    dst.clear();
    let mut pos = 0;
    while data.len() - pos >= 16 {
        // SAFETY: 16 bytes are readable from `pos`, as `decode_unsafe` requires.
        let (v, len) = unsafe { varint_simd::decode_unsafe::<u64>(data.as_ptr().add(pos)) };
        if len > 10 {
            return None;
        }
        dst.push(v);
        pos += len;
    }
    while pos < data.len() {
        let (v, len) = varint_simd::decode::<u64>(&data[pos..]).ok()?;
        dst.push(v);
        pos += len;
    }
    Some(())
}

/// `varint-simd`'s encoder, one value at a time.
#[cfg(target_arch = "x86_64")]
fn vs_encode(values: &[u64], dst: &mut [u8]) -> usize {
    let mut pos = 0;
    for &v in values {
        let (bytes, len) = varint_simd::encode(v);
        dst[pos..pos + 16].copy_from_slice(&bytes);
        pos += usize::from(len);
    }
    pos
}

/// One group per mix and size, decode then encode.
fn varint(c: &mut Criterion) {
    for (mix, make) in MIXES {
        for (size, label) in common::SIZES {
            let vals = values(size, make);
            let data = binpipe_kernels::varint_encode(&vals);
            let mut out = vec![0u64; data.len()];
            assert_eq!(binpipe_kernels::varint_decode(&data).unwrap(), vals);
            let mut check = Vec::new();
            loop_decode(&data, &mut check).unwrap();
            assert_eq!(check, vals);
            ie_decode(&data, &mut check).unwrap();
            assert_eq!(check, vals);
            #[cfg(target_arch = "x86_64")]
            {
                vs_decode(&data, &mut check).unwrap();
                assert_eq!(check, vals);
            }

            let mut g = c.benchmark_group(format!("varint_decode/{mix}/{label}"));
            g.throughput(Throughput::Bytes(data.len() as u64));
            g.bench_function("binpipe", |b| {
                b.iter(|| binpipe_kernels::varint_decode_into(black_box(&data), &mut out))
            });
            for isa in Isa::available() {
                let k = Kernels::new(isa).expect("available tier");
                g.bench_function(format!("binpipe-{isa}"), |b| {
                    b.iter(|| k.varint_decode_into(black_box(&data), &mut out))
                });
            }
            #[cfg(target_arch = "x86_64")]
            g.bench_function("varint-simd", |b| {
                b.iter(|| vs_decode(black_box(&data), &mut check))
            });
            g.bench_function("integer-encoding", |b| {
                b.iter(|| ie_decode(black_box(&data), &mut check))
            });
            g.bench_function("loop", |b| {
                b.iter(|| loop_decode(black_box(&data), &mut check))
            });
            g.finish();

            let mut enc = vec![0u8; 10 * vals.len() + 16];
            let mut g = c.benchmark_group(format!("varint_encode/{mix}/{label}"));
            g.throughput(Throughput::Bytes(data.len() as u64));
            g.bench_function("binpipe", |b| {
                b.iter(|| binpipe_kernels::varint_encode_into(black_box(&vals), &mut enc))
            });
            for isa in Isa::available() {
                let k = Kernels::new(isa).expect("available tier");
                g.bench_function(format!("binpipe-{isa}"), |b| {
                    b.iter(|| k.varint_encode_into(black_box(&vals), &mut enc))
                });
            }
            #[cfg(target_arch = "x86_64")]
            {
                assert_eq!(vs_encode(&vals, &mut enc), data.len());
                assert_eq!(enc[..data.len()], data[..]);
                g.bench_function("varint-simd", |b| {
                    b.iter(|| vs_encode(black_box(&vals), &mut enc))
                });
            }
            g.bench_function("integer-encoding", |b| {
                b.iter(|| {
                    let mut pos = 0;
                    for &v in black_box(&vals) {
                        pos += v.encode_var(&mut enc[pos..]);
                    }
                    pos
                })
            });
            let mut grow = Vec::with_capacity(data.len());
            loop_encode(&vals, &mut grow);
            assert_eq!(grow, data);
            g.bench_function("loop", |b| {
                b.iter(|| loop_encode(black_box(&vals), &mut grow))
            });
            g.finish();
        }
    }
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = varint
}
criterion_main!(benches);
