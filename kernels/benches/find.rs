//! Search throughput at 4 KiB, 64 KiB and 1 MiB: binpipe (best tier and every available
//! tier) against the best peers, side by side.
//!
//! - `find_any`: with 3 needles against `memchr::memchr3` (what the free function delegates
//!   to), with 4, 8 and 16 needles against a 256-entry table scan (no crate in our
//!   dependencies searches for more than three bytes). The needles occur only at the end.
//! - `index_byte`: against `memchr::memchr_iter` collecting the offsets, sparse (about 1 byte
//!   in 1000) and dense (about 1 in 8).
//! - `mismatch`: against the slice iterator `zip(..).position(..)`, and `a == b` (memcmp,
//!   which only answers whether the slices are equal) as the ceiling. The difference is at
//!   the last byte.
//!
//! Run: `CARGO_TARGET_DIR=... cargo bench -p binpipe-kernels --bench find`.

mod common;

use std::hint::black_box;

use binpipe_kernels::{Isa, Kernels};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};

/// Lowercase letters (no needle), then `last` as the final byte.
fn letters(size: usize, last: u8) -> Vec<u8> {
    let mut data: Vec<u8> = common::bytes(size as u64, size)
        .iter()
        .map(|b| b'a' + b % 26)
        .collect();
    if let Some(end) = data.last_mut() {
        *end = last;
    }
    data
}

/// Offset of the first byte in `table`: the plain scalar peer for many needles.
fn table_scan(data: &[u8], table: &[bool; 256]) -> Option<usize> {
    data.iter().position(|&b| table[usize::from(b)])
}

fn find_any(c: &mut Criterion) {
    let sets: [&[u8]; 4] = [
        b",;\n",
        b",;\n\"",
        b",;\n\"\t\r|\\",
        b",;\n\"\t\r|\\{}[]<>()",
    ];
    for needles in sets {
        let mut table = [false; 256];
        for &b in needles {
            table[usize::from(b)] = true;
        }
        for (size, label) in common::SIZES {
            let data = letters(size, needles[needles.len() - 1]);
            let want = Some(size - 1);
            assert_eq!(binpipe_kernels::find_any(&data, needles), Ok(want));
            let mut g = c.benchmark_group(format!("find_any/{}/{label}", needles.len()));
            g.throughput(Throughput::Bytes(size as u64));
            g.bench_function("binpipe", |b| {
                b.iter(|| binpipe_kernels::find_any(black_box(&data), needles))
            });
            for isa in Isa::available() {
                let k = Kernels::new(isa).expect("available tier");
                assert_eq!(k.find_any(&data, needles), Ok(want));
                g.bench_function(format!("binpipe-{isa}"), |b| {
                    b.iter(|| k.find_any(black_box(&data), needles))
                });
            }
            if let [x, y, z] = *needles {
                g.bench_function("memchr3", |b| {
                    b.iter(|| memchr::memchr3(x, y, z, black_box(&data)))
                });
            } else {
                g.bench_function("table", |b| b.iter(|| table_scan(black_box(&data), &table)));
            }
            g.finish();
        }
    }
}

fn index_byte(c: &mut Criterion) {
    for (density, every) in [("sparse", 1000u64), ("dense", 8)] {
        for (size, label) in common::SIZES {
            let data: Vec<u8> = common::bytes(size as u64 ^ every, size)
                .iter()
                .enumerate()
                .map(|(i, &b)| {
                    if (i as u64 * 2_654_435_761) % (every * 7919) < 7919 {
                        b'\n'
                    } else {
                        b | 0x80
                    }
                })
                .collect();
            let want = binpipe_kernels::index_byte(&data, b'\n').expect("fits u32");
            let mut dst = vec![0u32; size];
            let mut g = c.benchmark_group(format!("index_byte/{density}/{label}"));
            g.throughput(Throughput::Bytes(size as u64));
            g.bench_function("binpipe", |b| {
                b.iter(|| binpipe_kernels::index_byte_into(black_box(&data), b'\n', &mut dst))
            });
            for isa in Isa::available() {
                let k = Kernels::new(isa).expect("available tier");
                let n = k.index_byte_into(&data, b'\n', &mut dst).expect("valid");
                assert_eq!(dst[..n], want[..]);
                g.bench_function(format!("binpipe-{isa}"), |b| {
                    b.iter(|| k.index_byte_into(black_box(&data), b'\n', &mut dst))
                });
            }
            let mut out: Vec<u32> = Vec::with_capacity(size);
            g.bench_function("memchr-iter", |b| {
                b.iter(|| {
                    out.clear();
                    out.extend(memchr::memchr_iter(b'\n', black_box(&data)).map(|i| i as u32));
                    out.len()
                })
            });
            g.finish();
        }
    }
}

fn mismatch(c: &mut Criterion) {
    for (size, label) in common::SIZES {
        let a = common::bytes(size as u64, size);
        let mut b2 = a.clone();
        b2[size - 1] ^= 1;
        assert_eq!(binpipe_kernels::mismatch(&a, &b2), Some(size - 1));
        let mut g = c.benchmark_group(format!("mismatch/{label}"));
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_function("binpipe", |b| {
            b.iter(|| binpipe_kernels::mismatch(black_box(&a), black_box(&b2)))
        });
        for isa in Isa::available() {
            let k = Kernels::new(isa).expect("available tier");
            g.bench_function(format!("binpipe-{isa}"), |b| {
                b.iter(|| k.mismatch(black_box(&a), black_box(&b2)))
            });
        }
        g.bench_function("iter-position", |b| {
            b.iter(|| {
                black_box(&a)
                    .iter()
                    .zip(black_box(&b2))
                    .position(|(x, y)| x != y)
            })
        });
        g.bench_function("memcmp-eq", |b| b.iter(|| black_box(&a) == black_box(&b2)));
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = find_any, index_byte, mismatch
}
criterion_main!(benches);
