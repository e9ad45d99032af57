//! bitpack and bitunpack throughput: binpipe (best tier and every available tier) vs the
//! `bitpacking` crate's `BitPacker1x` (scalar), `BitPacker4x` (SSE3) and `BitPacker8x` (AVX2),
//! chosen at run time, and a straightforward accumulator loop, at bit widths 1, 7, 13 and 27.
//!
//! `BitPacker1x` packs blocks of 32 values into the LSB-first stream of KERNELS.md: the same
//! bytes as binpipe (asserted below), so it is the peer for the same job. `BitPacker4x` and
//! `8x` pack blocks of 128 or 256 values in a *vertical* layout (value `i` of a block goes to
//! SIMD lane `i % lanes`), not that stream: only their throughput at the same width compares. Sizes are the unpacked
//! values (4 KiB = 1024 values), and so is the throughput.
//!
//! Run: `CARGO_TARGET_DIR=... cargo bench -p binpipe-kernels --bench bitpack`.

mod common;

use std::hint::black_box;

use binpipe_kernels::{Isa, Kernels};
use bitpacking::{BitPacker, BitPacker1x, BitPacker4x, BitPacker8x};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// The bit widths every bench runs.
const WIDTHS: [u8; 4] = [1, 7, 13, 27];

/// The straightforward packer: a 64-bit accumulator, a byte out whenever 8 bits are held.
fn loop_pack(values: &[u32], bits: u32, dst: &mut Vec<u8>) {
    dst.clear();
    let (mut acc, mut held) = (0u64, 0);
    for &v in values {
        acc |= u64::from(v) << held;
        held += bits;
        while held >= 8 {
            dst.push(acc as u8);
            acc >>= 8;
            held -= 8;
        }
    }
    if held > 0 {
        dst.push(acc as u8);
    }
}

/// The straightforward unpacker: bytes into an accumulator until a value is complete.
fn loop_unpack(data: &[u8], bits: u32, dst: &mut [u32]) {
    let mask = (1u64 << bits) - 1;
    let (mut acc, mut held, mut next) = (0u64, 0, 0);
    for slot in dst {
        while held < bits {
            acc |= u64::from(data[next]) << held;
            next += 1;
            held += 8;
        }
        *slot = (acc & mask) as u32;
        acc >>= bits;
        held -= bits;
    }
}

/// Packs every block of `B`'s size; returns the packed bytes.
fn bp_pack<B: BitPacker>(b: &B, values: &[u32], bits: u8, out: &mut [u8]) -> usize {
    let step = B::BLOCK_LEN * usize::from(bits) / 8;
    for (i, block) in values.chunks_exact(B::BLOCK_LEN).enumerate() {
        b.compress(block, &mut out[i * step..], bits);
    }
    values.len() / B::BLOCK_LEN * step
}

/// Unpacks every block of `B`'s size.
fn bp_unpack<B: BitPacker>(b: &B, packed: &[u8], bits: u8, out: &mut [u32]) {
    let step = B::BLOCK_LEN * usize::from(bits) / 8;
    for (i, block) in out.chunks_exact_mut(B::BLOCK_LEN).enumerate() {
        b.decompress(&packed[i * step..], block, bits);
    }
}

/// One group per width and size, unpack then pack.
fn bitpack(c: &mut Criterion) {
    let (b1, b4, b8) = (BitPacker1x::new(), BitPacker4x::new(), BitPacker8x::new());
    for bits in WIDTHS {
        for (size, label) in common::SIZES {
            let n = size / 4;
            let values: Vec<u32> = common::bytes(size as u64 ^ u64::from(bits), size)
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes(c.try_into().unwrap()) >> (32 - bits))
                .collect();
            let packed = binpipe_kernels::bitpack(&values, bits).unwrap();
            let mut check = Vec::new();
            loop_pack(&values, bits.into(), &mut check);
            assert_eq!(check, packed);
            let mut out = vec![0u32; n];
            loop_unpack(&packed, bits.into(), &mut out);
            assert_eq!(out, values);
            let mut bp1 = vec![0u8; size];
            let len1 = bp_pack(&b1, &values, bits, &mut bp1);
            assert_eq!(
                bp1[..len1],
                packed[..len1],
                "BitPacker1x's layout is the LSB-first stream"
            );
            let mut bp4 = vec![0u8; size];
            let mut bp8 = vec![0u8; size];
            bp_pack(&b4, &values, bits, &mut bp4);
            bp_pack(&b8, &values, bits, &mut bp8);
            bp_unpack(&b8, &bp8, bits, &mut out);
            assert_eq!(out, values);

            let mut g = c.benchmark_group(format!("bitunpack/bits-{bits}/{label}"));
            g.throughput(Throughput::Bytes(size as u64));
            g.bench_function("binpipe", |b| {
                b.iter(|| {
                    binpipe_kernels::bitunpack_into(black_box(&packed), bits, n as u32, &mut out)
                })
            });
            for isa in Isa::available() {
                let k = Kernels::new(isa).expect("available tier");
                g.bench_function(format!("binpipe-{isa}"), |b| {
                    b.iter(|| k.bitunpack_into(black_box(&packed), bits, n as u32, &mut out))
                });
            }
            g.bench_function("bitpacking-1x", |b| {
                b.iter(|| bp_unpack(&b1, black_box(&bp1), bits, &mut out))
            });
            g.bench_function("bitpacking-4x", |b| {
                b.iter(|| bp_unpack(&b4, black_box(&bp4), bits, &mut out))
            });
            g.bench_function("bitpacking-8x", |b| {
                b.iter(|| bp_unpack(&b8, black_box(&bp8), bits, &mut out))
            });
            g.bench_function("loop", |b| {
                b.iter(|| loop_unpack(black_box(&packed), bits.into(), &mut out))
            });
            g.finish();

            let mut dst = vec![0u8; packed.len()];
            let mut g = c.benchmark_group(format!("bitpack/bits-{bits}/{label}"));
            g.throughput(Throughput::Bytes(size as u64));
            g.bench_function("binpipe", |b| {
                b.iter(|| binpipe_kernels::bitpack_into(black_box(&values), bits, &mut dst))
            });
            for isa in Isa::available() {
                let k = Kernels::new(isa).expect("available tier");
                g.bench_function(format!("binpipe-{isa}"), |b| {
                    b.iter(|| k.bitpack_into(black_box(&values), bits, &mut dst))
                });
            }
            g.bench_function("bitpacking-1x", |b| {
                b.iter(|| bp_pack(&b1, black_box(&values), bits, &mut bp1))
            });
            g.bench_function("bitpacking-4x", |b| {
                b.iter(|| bp_pack(&b4, black_box(&values), bits, &mut bp4))
            });
            g.bench_function("bitpacking-8x", |b| {
                b.iter(|| bp_pack(&b8, black_box(&values), bits, &mut bp8))
            });
            g.bench_function("loop", |b| {
                b.iter(|| loop_pack(black_box(&values), bits.into(), &mut check))
            });
            g.finish();
        }
    }
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = bitpack
}
criterion_main!(benches);
