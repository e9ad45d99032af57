//! Column kernels' throughput (bytes of column per second): binpipe's best tier vs the
//! straightforward Rust loop over a typed slice (`&[T]`, aligned, which LLVM auto-vectorises
//! where it can for the baseline x86_64 target).
//!
//! The loops are the peers because no maintained crate does these kernels lightly: `arrow`'s
//! compute kernels (`arrow-ord` compare into a `BooleanArray`, `filter`, `min`/`max`/`sum`)
//! do the same jobs but pull in the whole arrow array stack (buffers, data types, schema),
//! far too heavy a dependency for a bench of three small kernels. The loops are given the
//! friendlier input (a typed, aligned slice instead of little-endian bytes), and the float
//! loops are simpler than the contract (`f64::min` does not order −0.0 before +0.0; a
//! sequential sum is not the 8-lane one), so the comparison flatters the peer.
//!
//! Run: `CARGO_TARGET_DIR=... cargo bench -p binpipe-kernels --bench column`.

mod common;

use std::hint::black_box;

use binpipe_kernels::{CmpOp, ElemType, Scalar};
use criterion::{BenchmarkGroup, Criterion, Throughput, criterion_group, criterion_main};

/// `size` bytes of pseudo-random elements of type `T`, as bytes and as a typed vector.
fn typed<T: Copy, const W: usize>(size: usize, from: fn([u8; W]) -> T) -> (Vec<u8>, Vec<T>) {
    let bytes = common::bytes(size as u64 ^ W as u64, size);
    let xs = bytes
        .chunks_exact(W)
        .map(|c| from(c.try_into().expect("W bytes")))
        .collect();
    (bytes, xs)
}

/// The loop peer for compare: a bitmap of `x < v`, 8 elements per byte.
fn loop_lt<T: PartialOrd + Copy>(xs: &[T], v: T, out: &mut [u8]) {
    for (o, chunk) in out.iter_mut().zip(xs.chunks(8)) {
        let mut bits = 0u8;
        for (j, &x) in chunk.iter().enumerate() {
            bits |= u8::from(x < v) << j;
        }
        *o = bits;
    }
}

/// Benches compare `x < value` for one type at every size.
fn bench_compare<T: PartialOrd + Copy, const W: usize>(
    c: &mut Criterion,
    name: &str,
    ty: ElemType,
    from: fn([u8; W]) -> T,
    value: Scalar,
    v: T,
) {
    for (size, label) in common::SIZES {
        let (bytes, xs) = typed::<T, W>(size, from);
        let mut out = vec![0u8; xs.len().div_ceil(8)];
        let mut peer = out.clone();
        binpipe_kernels::compare_into(&bytes, ty, CmpOp::Lt, value, &mut out).expect("valid");
        loop_lt(&xs, v, &mut peer);
        assert_eq!(out, peer, "{name}: binpipe and the loop disagree");
        let mut g = c.benchmark_group(format!("column/compare-lt/{name}/{label}"));
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_function("binpipe", |b| {
            b.iter(|| {
                binpipe_kernels::compare_into(black_box(&bytes), ty, CmpOp::Lt, value, &mut out)
            })
        });
        g.bench_function("loop", |b| b.iter(|| loop_lt(black_box(&xs), v, &mut peer)));
        g.finish();
    }
}

/// The loop peer for select: push the elements whose bit is set.
fn loop_select<T: Copy>(xs: &[T], bitmap: &[u8], out: &mut Vec<T>) {
    out.clear();
    for (i, &x) in xs.iter().enumerate() {
        if bitmap[i / 8] >> (i % 8) & 1 == 1 {
            out.push(x);
        }
    }
}

/// Benches select for one width at every size, half the elements kept at random.
fn bench_select<T: Copy + PartialEq + std::fmt::Debug, const W: usize>(
    c: &mut Criterion,
    from: fn([u8; W]) -> T,
) {
    for (size, label) in common::SIZES {
        let (bytes, xs) = typed::<T, W>(size, from);
        let bitmap = common::bytes(7, xs.len().div_ceil(8));
        let mut out = vec![0u8; bytes.len()];
        let mut peer = Vec::with_capacity(xs.len());
        let len = binpipe_kernels::select_into(&bytes, W as u8, &bitmap, &mut out).expect("valid");
        loop_select(&xs, &bitmap, &mut peer);
        assert_eq!(
            len,
            peer.len() * W,
            "width {W}: binpipe and the loop disagree"
        );
        let mut g = c.benchmark_group(format!("column/select/width-{W}/{label}"));
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_function("binpipe", |b| {
            b.iter(|| binpipe_kernels::select_into(black_box(&bytes), W as u8, &bitmap, &mut out))
        });
        g.bench_function("loop", |b| {
            b.iter(|| loop_select(black_box(&xs), &bitmap, &mut peer))
        });
        g.finish();
    }
}

/// Benches aggregate for one type at every size against `peer` over the typed slice.
fn bench_aggregate<T: Copy, R, const W: usize>(
    g_name: &str,
    c: &mut Criterion,
    ty: ElemType,
    from: fn([u8; W]) -> T,
    peer: fn(&[T]) -> R,
) {
    for (size, label) in common::SIZES {
        let (bytes, xs) = typed::<T, W>(size, from);
        let mut g: BenchmarkGroup<_> =
            c.benchmark_group(format!("column/aggregate/{g_name}/{label}"));
        g.throughput(Throughput::Bytes(size as u64));
        g.bench_function("binpipe", |b| {
            b.iter(|| binpipe_kernels::aggregate(black_box(&bytes), ty))
        });
        g.bench_function("loop", |b| b.iter(|| peer(black_box(&xs))));
        g.finish();
    }
}

/// Integer min, max and wrapping sum in one pass.
macro_rules! int_peer {
    ($t:ty, $acc:ty) => {
        |xs: &[$t]| {
            let (mut min, mut max, mut sum) = (<$t>::MAX, <$t>::MIN, 0 as $acc);
            for &x in xs {
                min = min.min(x);
                max = max.max(x);
                sum = sum.wrapping_add(x as $acc);
            }
            (min, max, sum)
        }
    };
}

/// Float min and max skipping NaNs (`f64::min`), sum in order, in one pass.
macro_rules! float_peer {
    ($t:ty) => {
        |xs: &[$t]| {
            let (mut min, mut max, mut sum) = (<$t>::INFINITY, <$t>::NEG_INFINITY, 0f64);
            for &x in xs {
                min = min.min(x);
                max = max.max(x);
                sum += f64::from(x);
            }
            (min, max, sum)
        }
    };
}

fn compare(c: &mut Criterion) {
    bench_compare(
        c,
        "u8",
        ElemType::U8,
        u8::from_le_bytes,
        Scalar::Unsigned(100),
        100u8,
    );
    bench_compare(
        c,
        "i16",
        ElemType::I16,
        i16::from_le_bytes,
        Scalar::Signed(-5),
        -5i16,
    );
    bench_compare(
        c,
        "i32",
        ElemType::I32,
        i32::from_le_bytes,
        Scalar::Signed(7),
        7i32,
    );
    bench_compare(
        c,
        "u64",
        ElemType::U64,
        u64::from_le_bytes,
        Scalar::Unsigned(1 << 63),
        1u64 << 63,
    );
    bench_compare(
        c,
        "f32",
        ElemType::F32,
        f32::from_le_bytes,
        Scalar::Float(0.5),
        0.5f32,
    );
    bench_compare(
        c,
        "f64",
        ElemType::F64,
        f64::from_le_bytes,
        Scalar::Float(0.5),
        0.5f64,
    );
}

fn select(c: &mut Criterion) {
    bench_select::<u8, 1>(c, u8::from_le_bytes);
    bench_select::<u16, 2>(c, u16::from_le_bytes);
    bench_select::<u32, 4>(c, u32::from_le_bytes);
    bench_select::<u64, 8>(c, u64::from_le_bytes);
}

fn aggregate(c: &mut Criterion) {
    bench_aggregate("u8", c, ElemType::U8, u8::from_le_bytes, int_peer!(u8, u64));
    bench_aggregate(
        "i16",
        c,
        ElemType::I16,
        i16::from_le_bytes,
        int_peer!(i16, i64),
    );
    bench_aggregate(
        "i32",
        c,
        ElemType::I32,
        i32::from_le_bytes,
        int_peer!(i32, i64),
    );
    bench_aggregate(
        "u64",
        c,
        ElemType::U64,
        u64::from_le_bytes,
        int_peer!(u64, u64),
    );
    bench_aggregate(
        "f32",
        c,
        ElemType::F32,
        f32::from_le_bytes,
        float_peer!(f32),
    );
    bench_aggregate(
        "f64",
        c,
        ElemType::F64,
        f64::from_le_bytes,
        float_peer!(f64),
    );
}

criterion_group! {
    name = benches;
    config = common::config();
    targets = compare, select, aggregate
}
criterion_main!(benches);
