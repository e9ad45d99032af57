//! `compare`, `select` and `aggregate`: the scalar reference against naive loops over typed
//! slices; every SIMD tier against the scalar reference over every element count 0..=1024 at
//! every alignment, for every type, operator and interesting value (type limits, 0, NaN, ±inf,
//! −0.0, values an f32 column rounds to ±inf); property tests; and every parameter error.

mod common;

use binpipe_kernels::{
    CmpOp, ElemType, KernelError, Kernels, Scalar, Stats, aggregate, compare, compare_into, select,
    select_into,
};
use common::{ALIGNMENTS, Aligned, MAX_LEN, bytes, simd_tiers};
use proptest::prelude::*;
use std::sync::LazyLock;

/// The SIMD tiers, looked up (and their skips reported) once for all tests.
static TIERS: LazyLock<Vec<Kernels>> = LazyLock::new(simd_tiers);

/// Signed types' class.
fn is_signed(ty: ElemType) -> bool {
    matches!(
        ty,
        ElemType::I8 | ElemType::I16 | ElemType::I32 | ElemType::I64
    )
}

/// Float types' class.
fn is_float(ty: ElemType) -> bool {
    matches!(ty, ElemType::F32 | ElemType::F64)
}

/// The low `8 * width` bits of `bits`.
fn truncate(bits: u64, width: usize) -> u64 {
    if width == 8 {
        bits
    } else {
        bits & ((1u64 << (8 * width)) - 1)
    }
}

/// Element bit patterns worth testing for `ty` (its own bits, zero-extended).
fn specials(ty: ElemType) -> Vec<u64> {
    let w = ty.width();
    match ty {
        ElemType::F32 => [
            0.0f32,
            -0.0,
            1.0,
            -1.0,
            0.5,
            f32::INFINITY,
            f32::NEG_INFINITY,
            f32::MAX,
            f32::MIN,
            f32::MIN_POSITIVE,
            -f32::MIN_POSITIVE,
            f32::from_bits(1),
            f32::from_bits(0x8000_0001),
            1.0 + f32::EPSILON,
            0.1,
        ]
        .iter()
        .map(|f| u64::from(f.to_bits()))
        .chain([0x7FC0_0000, 0xFFC0_0000, 0x7F80_0001, 0x7FFF_FFFF])
        .collect(),
        ElemType::F64 => [
            0.0f64,
            -0.0,
            1.0,
            -1.0,
            0.5,
            f64::INFINITY,
            f64::NEG_INFINITY,
            f64::MAX,
            f64::MIN,
            f64::MIN_POSITIVE,
            -f64::MIN_POSITIVE,
            f64::from_bits(1),
            f64::from_bits(0x8000_0000_0000_0001),
            1.0 + f64::EPSILON,
            0.1,
            3.5e38,
        ]
        .iter()
        .map(|f| f.to_bits())
        .chain([
            0x7FF8_0000_0000_0000,
            0xFFF8_0000_0000_0000,
            0x7FF0_0000_0000_0001,
            0x7FFF_FFFF_FFFF_FFFF,
        ])
        .collect(),
        _ => {
            let top = 8 * w as u32 - 1;
            let (min, max) = if is_signed(ty) {
                (1u64 << top, (1u64 << top) - 1)
            } else {
                (0, truncate(u64::MAX, w))
            };
            [
                0,
                1,
                2,
                min,
                min.wrapping_add(1),
                max,
                max.wrapping_sub(1),
                truncate(u64::MAX, w),
                truncate(u64::MAX - 1, w),
                0x7F,
                0x80,
                0xFF,
                0x100,
                0x8000,
                0x7FFF_FFFF,
                0x8000_0000,
            ]
            .iter()
            .map(|&b| truncate(b, w))
            .collect()
        }
    }
}

/// The comparison values worth testing for `ty`: every special as a scalar of its class, and
/// for `f32` also f64 values that are not f32 (rounding, overflow to ±inf, underflow).
fn values(ty: ElemType) -> Vec<Scalar> {
    let mut out: Vec<Scalar> = specials(ty)
        .into_iter()
        .map(|bits| values_from_bits(ty, bits))
        .collect();
    if ty == ElemType::F32 {
        out.extend(
            [
                3.5e38,
                -3.5e38,
                f64::MAX,
                f64::MIN,
                1e-320,
                -1e-320,
                0.1,
                1.0 + f64::EPSILON,
                // Halfway between 1.0 and the next f32: ties to even (1.0); just above: rounds up.
                1.0 + 2f64.powi(-24),
                1.0 + 2f64.powi(-24) + 2f64.powi(-40),
                // Just below f32::MAX + half an ulp: rounds to f32::MAX, not to inf.
                f64::from(f32::MAX) + 2f64.powi(103),
                f64::from(f32::MAX) + 2f64.powi(104),
            ]
            .map(Scalar::Float),
        );
    }
    out
}

/// A column of `n` elements of `ty`, drawn from the specials and from random bits, so that
/// equal, smaller and larger elements all occur.
fn column(ty: ElemType, n: usize, seed: u64) -> Vec<u8> {
    let w = ty.width();
    let pool = specials(ty);
    let random = bytes(seed, 8 * n + 8);
    let mut out = Vec::with_capacity(n * w);
    for i in 0..n {
        let r = u64::from_le_bytes(random[8 * i..8 * i + 8].try_into().unwrap());
        let bits = if r % 3 == 0 {
            r >> 8
        } else {
            pool[(r >> 2) as usize % pool.len()]
        };
        out.extend_from_slice(&bits.to_le_bytes()[..w]);
    }
    out
}

// --------------------------------------------------------------------------------------------
// Naive references over typed slices.

/// The bitmap of `keep(i)` for `n` elements.
fn pack(n: usize, keep: impl Fn(usize) -> bool) -> Vec<u8> {
    let mut out = vec![0u8; n.div_ceil(8)];
    for i in 0..n {
        if keep(i) {
            out[i / 8] |= 1 << (i % 8);
        }
    }
    out
}

/// `x op v` with Rust's operators.
fn apply<T: PartialOrd>(x: T, op: CmpOp, v: T) -> bool {
    match op {
        CmpOp::Eq => x == v,
        CmpOp::Ne => x != v,
        CmpOp::Lt => x < v,
        CmpOp::Le => x <= v,
        CmpOp::Gt => x > v,
        CmpOp::Ge => x >= v,
    }
}

/// Decodes `column` as a `Vec<$t>`.
macro_rules! typed {
    ($t:ty, $column:expr) => {
        $column
            .chunks_exact(size_of::<$t>())
            .map(|c| <$t>::from_le_bytes(c.try_into().unwrap()))
            .collect::<Vec<$t>>()
    };
}

/// Naive compare: the column as a typed vector, the value converted with std.
fn naive_compare(column: &[u8], ty: ElemType, op: CmpOp, value: Scalar) -> Vec<u8> {
    macro_rules! ints {
        ($t:ty, $v:expr) => {{
            let xs = typed!($t, column);
            let v = <$t>::try_from($v).unwrap();
            pack(xs.len(), |i| apply(xs[i], op, v))
        }};
    }
    match (ty, value) {
        (ElemType::U8, Scalar::Unsigned(v)) => ints!(u8, v),
        (ElemType::U16, Scalar::Unsigned(v)) => ints!(u16, v),
        (ElemType::U32, Scalar::Unsigned(v)) => ints!(u32, v),
        (ElemType::U64, Scalar::Unsigned(v)) => ints!(u64, v),
        (ElemType::I8, Scalar::Signed(v)) => ints!(i8, v),
        (ElemType::I16, Scalar::Signed(v)) => ints!(i16, v),
        (ElemType::I32, Scalar::Signed(v)) => ints!(i32, v),
        (ElemType::I64, Scalar::Signed(v)) => ints!(i64, v),
        (ElemType::F32, Scalar::Float(v)) => {
            let xs = typed!(f32, column);
            let v = v as f32;
            pack(xs.len(), |i| apply(xs[i], op, v))
        }
        (ElemType::F64, Scalar::Float(v)) => {
            let xs = typed!(f64, column);
            pack(xs.len(), |i| apply(xs[i], op, v))
        }
        _ => unreachable!("test value of the wrong class"),
    }
}

/// Naive select: the kept elements, in order.
fn naive_select(column: &[u8], width: usize, bitmap: &[u8]) -> Vec<u8> {
    column
        .chunks_exact(width)
        .enumerate()
        .filter(|(i, _)| bitmap[i / 8] & (1 << (i % 8)) != 0)
        .flat_map(|(_, e)| e.iter().copied())
        .collect()
}

/// Naive float stats over f64 values: NaNs filtered out, min and max by `total_cmp` (which
/// orders −0.0 before +0.0 and agrees with `<` elsewhere), the 8-lane sum written out.
fn naive_float_stats(xs: &[f64]) -> Stats {
    let numbers = xs.iter().copied().filter(|x| !x.is_nan());
    let min = numbers.clone().min_by(f64::total_cmp);
    let max = numbers.max_by(f64::total_cmp);
    let lane = |k: usize| xs.iter().skip(k).step_by(8).fold(0.0, |s, &x| s + x);
    let l: Vec<f64> = (0..8).map(lane).collect();
    let sum = ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
    Stats {
        count: xs.len() as u64,
        min: min.map(Scalar::Float),
        max: max.map(Scalar::Float),
        sum: Scalar::Float(if sum.is_nan() { f64::NAN } else { sum }),
    }
}

/// Naive aggregate over a typed vector.
fn naive_aggregate(column: &[u8], ty: ElemType) -> Stats {
    macro_rules! ints {
        ($t:ty, $class:ident, $acc:ty) => {{
            let xs = typed!($t, column);
            Stats {
                count: xs.len() as u64,
                min: xs.iter().min().map(|&x| Scalar::$class(x.into())),
                max: xs.iter().max().map(|&x| Scalar::$class(x.into())),
                sum: Scalar::$class(
                    xs.iter()
                        .fold(0 as $acc, |s, &x| s.wrapping_add(<$acc>::from(x))),
                ),
            }
        }};
    }
    match ty {
        ElemType::U8 => ints!(u8, Unsigned, u64),
        ElemType::U16 => ints!(u16, Unsigned, u64),
        ElemType::U32 => ints!(u32, Unsigned, u64),
        ElemType::U64 => ints!(u64, Unsigned, u64),
        ElemType::I8 => ints!(i8, Signed, i64),
        ElemType::I16 => ints!(i16, Signed, i64),
        ElemType::I32 => ints!(i32, Signed, i64),
        ElemType::I64 => ints!(i64, Signed, i64),
        ElemType::F32 => {
            let xs: Vec<f64> = typed!(f32, column).into_iter().map(f64::from).collect();
            naive_float_stats(&xs)
        }
        ElemType::F64 => naive_float_stats(&typed!(f64, column)),
    }
}

/// Stats compared by bits: floats must agree bit for bit (−0.0 is not +0.0; the NaN sum is
/// the canonical NaN).
fn same_stats(a: &Stats, b: &Stats) -> bool {
    fn key(s: Option<Scalar>) -> Option<(u8, u64)> {
        s.map(|s| match s {
            Scalar::Unsigned(v) => (0, v),
            Scalar::Signed(v) => (1, v as u64),
            Scalar::Float(v) => (2, v.to_bits()),
        })
    }
    a.count == b.count
        && key(a.min) == key(b.min)
        && key(a.max) == key(b.max)
        && key(Some(a.sum)) == key(Some(b.sum))
}

// --------------------------------------------------------------------------------------------
// The scalar reference against the naive loops.

#[test]
fn scalar_compare_matches_naive() {
    let k = Kernels::scalar();
    for ty in ElemType::ALL {
        for n in (0..=70).chain([255, 256, 257, 1000]) {
            let col = column(ty, n, n as u64);
            for value in values(ty) {
                for op in CmpOp::ALL {
                    let mut got = vec![0xEE; n.div_ceil(8) + 3];
                    let len = k.compare_into(&col, ty, op, value, &mut got).unwrap();
                    assert_eq!(len, n.div_ceil(8));
                    assert_eq!(&got[len..], &[0xEE; 3], "{ty:?} wrote past the bitmap");
                    let want = naive_compare(&col, ty, op, value);
                    assert_eq!(&got[..len], want, "{ty:?} {op:?} {value:?} n {n}");
                }
            }
        }
    }
}

#[test]
fn scalar_select_matches_naive() {
    let k = Kernels::scalar();
    for width in [1usize, 2, 4, 8] {
        for n in (0..=70).chain([255, 256, 257, 1000]) {
            let col = bytes(n as u64 ^ 77, n * width);
            for density in 0..=8u32 {
                let bitmap = density_bitmap(n, density, n as u64);
                let mut got = vec![0xEE; col.len() + 2];
                let len = k.select_into(&col, width as u8, &bitmap, &mut got).unwrap();
                assert_eq!(&got[..len], naive_select(&col, width, &bitmap));
                assert!(
                    got[len..].iter().all(|&b| b == 0xEE),
                    "wrote past the output"
                );
            }
        }
    }
}

#[test]
fn scalar_aggregate_matches_naive() {
    let k = Kernels::scalar();
    for ty in ElemType::ALL {
        for n in (0..=70).chain([255, 256, 257, 1000]) {
            let col = column(ty, n, n as u64 ^ 5);
            let got = k.aggregate(&col, ty).unwrap();
            let want = naive_aggregate(&col, ty);
            assert!(same_stats(&got, &want), "{ty:?} n {n}: {got:?} != {want:?}");
        }
    }
}

/// A bitmap for `n` elements where each bit is set with probability `density / 8`, with every
/// unused bit and one extra byte set (select must ignore them).
fn density_bitmap(n: usize, density: u32, seed: u64) -> Vec<u8> {
    let random = bytes(seed ^ 0xB17, n);
    let mut bitmap = pack(n, |i| u32::from(random[i] & 7) < density);
    if !n.is_multiple_of(8) {
        *bitmap.last_mut().unwrap() |= 0xFF << (n % 8);
    }
    bitmap.push(0xFF);
    bitmap
}

#[test]
fn documented_examples() {
    // −0.0 is smaller than +0.0 for min and max, but equal to it for compare.
    let col: Vec<u8> = [0.0f64, -0.0, f64::NAN]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let stats = aggregate(&col, ElemType::F64).unwrap();
    assert_eq!(stats.count, 3);
    assert_eq!(stats.min.map(bits), Some((-0.0f64).to_bits()));
    assert_eq!(stats.max.map(bits), Some(0.0f64.to_bits()));
    assert_eq!(bits(stats.sum), 0x7FF8_0000_0000_0000);
    let eq = compare(&col, ElemType::F64, CmpOp::Eq, Scalar::Float(0.0)).unwrap();
    assert_eq!(eq, [0b011]);
    let ne = compare(&col, ElemType::F64, CmpOp::Ne, Scalar::Float(f64::NAN)).unwrap();
    assert_eq!(ne, [0b111]);
    // All NaN: no min or max.
    let nan = [0xFFu8; 8];
    let stats = aggregate(&nan, ElemType::F32).unwrap();
    assert_eq!((stats.count, stats.min, stats.max), (2, None, None));
    // Empty: zero sums of the type's class.
    let empty = aggregate(&[], ElemType::I16).unwrap();
    assert_eq!(empty.sum, Scalar::Signed(0));
    assert_eq!(
        aggregate(&[], ElemType::F32).unwrap().sum,
        Scalar::Float(0.0)
    );
    // Wrapping sums.
    let col = [0xFFu8; 16];
    assert_eq!(
        aggregate(&col, ElemType::U64).unwrap().sum,
        Scalar::Unsigned(u64::MAX - 1)
    );
    assert_eq!(
        aggregate(&col, ElemType::I8).unwrap().sum,
        Scalar::Signed(-16)
    );
    // f32 values beyond f32::MAX round to +inf before comparing.
    let col: Vec<u8> = [f32::INFINITY, f32::MAX]
        .iter()
        .flat_map(|v| v.to_le_bytes())
        .collect();
    let eq = compare(&col, ElemType::F32, CmpOp::Eq, Scalar::Float(1e39)).unwrap();
    assert_eq!(eq, [0b01]);
    assert_eq!(select(&[1, 2, 3, 4], 1, &[0b1010]).unwrap(), [2, 4]);
}

/// A float scalar's bits.
fn bits(s: Scalar) -> u64 {
    match s {
        Scalar::Float(f) => f.to_bits(),
        other => panic!("not a float: {other:?}"),
    }
}

// --------------------------------------------------------------------------------------------
// Parameter errors.

fn invalid(r: Result<impl std::fmt::Debug, KernelError>) -> bool {
    matches!(r, Err(KernelError::InvalidArgument(_)))
}

#[test]
fn parameter_errors() {
    let mut dst = [0u8; 64];
    for k in std::iter::once(Kernels::scalar()).chain(TIERS.iter().copied()) {
        for ty in ElemType::ALL {
            let w = ty.width();
            let ok = match ty {
                _ if is_float(ty) => Scalar::Float(1.0),
                _ if is_signed(ty) => Scalar::Signed(1),
                _ => Scalar::Unsigned(1),
            };
            // Lengths that are not a multiple of the width.
            if w > 1 {
                for len in [1, w - 1, w + 1, 3 * w + 1] {
                    let col = vec![0u8; len];
                    assert!(invalid(k.compare_into(&col, ty, CmpOp::Eq, ok, &mut dst)));
                    assert!(invalid(k.aggregate(&col, ty)));
                    assert!(invalid(k.select_into(&col, w as u8, &[0xFF; 8], &mut dst)));
                }
            }
            let col = vec![0u8; 9 * w];
            // Class mismatches.
            for v in [Scalar::Unsigned(0), Scalar::Signed(0), Scalar::Float(0.0)] {
                let class_ok = std::mem::discriminant(&v) == std::mem::discriminant(&ok);
                let r = k.compare_into(&col, ty, CmpOp::Lt, v, &mut dst);
                assert_eq!(invalid(r), !class_ok, "{ty:?} {v:?}");
            }
            // dst shorter than ceil(9 / 8) = 2 bytes.
            assert!(invalid(k.compare_into(
                &col,
                ty,
                CmpOp::Eq,
                ok,
                &mut dst[..1]
            )));
            assert_eq!(
                k.compare_into(&col, ty, CmpOp::Eq, ok, &mut dst[..2]),
                Ok(2)
            );
        }
        // Representability at the edges of every integer type.
        let edges: [(ElemType, Scalar, bool); 20] = [
            (ElemType::U8, Scalar::Unsigned(255), true),
            (ElemType::U8, Scalar::Unsigned(256), false),
            (ElemType::U16, Scalar::Unsigned(65_535), true),
            (ElemType::U16, Scalar::Unsigned(65_536), false),
            (ElemType::U32, Scalar::Unsigned(u64::from(u32::MAX)), true),
            (ElemType::U32, Scalar::Unsigned(1 << 32), false),
            (ElemType::U64, Scalar::Unsigned(u64::MAX), true),
            (ElemType::I8, Scalar::Signed(127), true),
            (ElemType::I8, Scalar::Signed(128), false),
            (ElemType::I8, Scalar::Signed(-128), true),
            (ElemType::I8, Scalar::Signed(-129), false),
            (ElemType::I16, Scalar::Signed(32_767), true),
            (ElemType::I16, Scalar::Signed(-32_769), false),
            (ElemType::I32, Scalar::Signed(i64::from(i32::MIN)), true),
            (
                ElemType::I32,
                Scalar::Signed(i64::from(i32::MAX) + 1),
                false,
            ),
            (ElemType::I32, Scalar::Signed(i64::MIN), false),
            (ElemType::I64, Scalar::Signed(i64::MIN), true),
            (ElemType::I64, Scalar::Signed(i64::MAX), true),
            (ElemType::U8, Scalar::Unsigned(u64::MAX), false),
            (ElemType::I16, Scalar::Signed(i64::MAX), false),
        ];
        for (ty, v, fits) in edges {
            let r = k.compare_into(&[0; 16], ty, CmpOp::Eq, v, &mut dst);
            assert_eq!(!invalid(r), fits, "{ty:?} {v:?}");
        }
        // Select: widths, short bitmaps, short destinations.
        for width in [0u8, 3, 5, 6, 7, 9, 16, 255] {
            assert!(invalid(
                k.select_into(&[0; 16], width, &[0xFF; 4], &mut dst)
            ));
        }
        assert!(invalid(k.select_into(&[0; 9], 1, &[0xFF], &mut dst)));
        assert_eq!(k.select_into(&[0; 9], 1, &[0xFF, 0x01], &mut dst), Ok(9));
        assert_eq!(k.select_into(&[], 8, &[], &mut dst), Ok(0));
        assert!(invalid(k.select_into(&[0; 16], 2, &[0], &mut dst[..15])));
        assert_eq!(k.select_into(&[0; 16], 2, &[0], &mut dst[..16]), Ok(0));
    }
    // The free functions check the same way.
    assert!(invalid(compare(
        &[0; 3],
        ElemType::U16,
        CmpOp::Eq,
        Scalar::Unsigned(0)
    )));
    assert!(invalid(compare_into(
        &[0; 4],
        ElemType::U16,
        CmpOp::Eq,
        Scalar::Signed(0),
        &mut dst
    )));
    assert!(invalid(select(&[0; 4], 3, &[0xFF])));
    assert!(invalid(select_into(&[0; 16], 1, &[0xFF], &mut dst)));
    assert!(invalid(aggregate(&[0; 5], ElemType::F32)));
}

// --------------------------------------------------------------------------------------------
// Every SIMD tier against the scalar reference.

/// Checks compare of `col` against every value and operator on every tier, with the column
/// placed at `align` and the bitmap written to a guarded buffer at `align` too.
fn check_compare_all(col: &[u8], ty: ElemType, align: usize, values: &[Scalar], ops: &[CmpOp]) {
    let scalar = Kernels::scalar();
    let placed = Aligned::new(col, align);
    let n = col.len() / ty.width();
    for &value in values {
        for &op in ops {
            let mut want = vec![0; n.div_ceil(8)];
            scalar.compare_into(col, ty, op, value, &mut want).unwrap();
            for k in TIERS.iter() {
                let mut out = Aligned::new(&vec![0x5Au8; n.div_ceil(8)], (align + 7) % ALIGNMENTS);
                let len = k
                    .compare_into(placed.view(), ty, op, value, out.view_mut())
                    .unwrap();
                assert_eq!(len, want.len());
                assert!(
                    out.view() == want.as_slice(),
                    "{} {ty:?} {op:?} {value:?} n {n} align {align}",
                    k.isa()
                );
                assert!(out.guards_intact(), "{} {ty:?} wrote outside dst", k.isa());
            }
        }
    }
}

#[test]
fn compare_tiers_every_value_and_op() {
    // Every type × operator × interesting value, at lengths around every vector and unroll
    // boundary.
    for ty in ElemType::ALL {
        let values = values(ty);
        for n in (0..=70).chain([127, 128, 129, 255, 256, 257, 511, 1023, 1024]) {
            let col = column(ty, n, (n as u64) << 8 | ty.width() as u64);
            check_compare_all(&col, ty, n % ALIGNMENTS, &values, &CmpOp::ALL);
        }
    }
}

#[test]
fn compare_tiers_over_lengths_and_alignments() {
    // Every element count 0..=1024 at every alignment; the operator and value rotate.
    for ty in ElemType::ALL {
        let values = values(ty);
        for n in 0..=MAX_LEN {
            let col = column(ty, n, n as u64 ^ 0xC0);
            for align in 0..ALIGNMENTS {
                let i = n * ALIGNMENTS + align;
                let v = values[i % values.len()];
                let op = CmpOp::ALL[i / values.len() % CmpOp::ALL.len()];
                check_compare_all(&col, ty, align, &[v], &[op]);
            }
        }
    }
}

/// Checks select of `col` by `bitmap` on every tier, placed at `align`.
fn check_select_all(col: &[u8], width: usize, bitmap: &[u8], align: usize) {
    let mut want = vec![0; col.len()];
    let len = Kernels::scalar()
        .select_into(col, width as u8, bitmap, &mut want)
        .unwrap();
    want.truncate(len);
    let placed = Aligned::new(col, align);
    let placed_map = Aligned::new(bitmap, (align * 3) % ALIGNMENTS);
    for k in TIERS.iter() {
        let mut out = Aligned::new(&vec![0x5A; col.len()], (align + 13) % ALIGNMENTS);
        let got = k
            .select_into(
                placed.view(),
                width as u8,
                placed_map.view(),
                out.view_mut(),
            )
            .unwrap();
        assert_eq!(got, len, "{} width {width} align {align}", k.isa());
        assert!(
            out.view()[..len] == want[..],
            "{} width {width} n {} align {align}",
            k.isa(),
            col.len() / width
        );
        // Bytes past the result up to `column.len()` are scratch; nothing past that changes.
        assert!(out.guards_intact(), "{} wrote past column.len()", k.isa());
    }
}

#[test]
fn select_tiers_over_lengths_and_alignments() {
    for width in [1usize, 2, 4, 8] {
        for n in 0..=MAX_LEN {
            let col = bytes(n as u64 ^ (width as u64) << 20, n * width);
            for align in 0..ALIGNMENTS {
                let density = ((n + align) % 9) as u32;
                let bitmap = density_bitmap(n, density, (n * ALIGNMENTS + align) as u64);
                // Both with the garbage byte after the bitmap and without it.
                let bitmap = if align % 2 == 0 {
                    &bitmap[..]
                } else {
                    &bitmap[..n.div_ceil(8)]
                };
                check_select_all(&col, width, bitmap, align);
            }
        }
    }
}

/// Checks aggregate of `col` on every tier, placed at `align`.
fn check_aggregate_all(col: &[u8], ty: ElemType, align: usize) {
    let want = Kernels::scalar().aggregate(col, ty).unwrap();
    let placed = Aligned::new(col, align);
    for k in TIERS.iter() {
        let got = k.aggregate(placed.view(), ty).unwrap();
        assert!(
            same_stats(&got, &want),
            "{} {ty:?} n {} align {align}: {got:?} != {want:?}",
            k.isa(),
            col.len() / ty.width()
        );
    }
}

#[test]
fn aggregate_tiers_over_lengths_and_alignments() {
    for ty in ElemType::ALL {
        for n in 0..=MAX_LEN {
            let col = column(ty, n, n as u64 ^ 0xA6);
            for align in 0..ALIGNMENTS {
                check_aggregate_all(&col, ty, align);
            }
        }
    }
}

#[test]
fn aggregate_tiers_special_columns() {
    for ty in ElemType::ALL {
        let w = ty.width();
        for n in [
            1, 7, 8, 9, 15, 16, 17, 31, 32, 33, 63, 64, 65, 200, 1024, 5000,
        ] {
            // Every element one special value, for each special: extremes in every lane, all
            // NaN, all −0.0, all +0.0, sums that wrap.
            for bits in specials(ty) {
                let col: Vec<u8> = (0..n)
                    .flat_map(|_| bits.to_le_bytes()[..w].to_vec())
                    .collect();
                check_aggregate_all(&col, ty, n % 64);
            }
            // −0.0 and +0.0 mixed, so the order between them decides min and max; NaN in
            // front and at the end so a NaN-seeded accumulator would show.
            if is_float(ty) {
                let (neg, pos, nan) = if ty == ElemType::F32 {
                    (0x8000_0000u64, 0u64, 0x7FC0_0000u64)
                } else {
                    (1 << 63, 0, 0x7FF8_0000_0000_0000)
                };
                for pattern in [
                    [pos, neg, nan],
                    [nan, neg, pos],
                    [neg, pos, neg],
                    [nan, pos, pos],
                ] {
                    let col: Vec<u8> = (0..n)
                        .flat_map(|i| pattern[i % 3].to_le_bytes()[..w].to_vec())
                        .collect();
                    check_aggregate_all(&col, ty, 0);
                    let want = naive_aggregate(&col, ty);
                    assert!(same_stats(
                        &Kernels::scalar().aggregate(&col, ty).unwrap(),
                        &want
                    ));
                }
            }
        }
        // Long columns: sums wrap many times; lanes accumulate long chains.
        let col = column(ty, 100_003, 99);
        check_aggregate_all(&col, ty, 3);
        assert!(same_stats(
            &Kernels::scalar().aggregate(&col, ty).unwrap(),
            &naive_aggregate(&col, ty)
        ));
    }
}

#[test]
fn best_tier_matches_scalar() {
    let k = Kernels::scalar();
    for ty in ElemType::ALL {
        for n in [0, 1, 15, 16, 17, 100, 4099] {
            let col = column(ty, n, 1);
            for value in values(ty).into_iter().take(6) {
                for op in CmpOp::ALL {
                    assert_eq!(
                        compare(&col, ty, op, value).unwrap(),
                        naive_compare(&col, ty, op, value)
                    );
                }
            }
            assert!(same_stats(
                &aggregate(&col, ty).unwrap(),
                &k.aggregate(&col, ty).unwrap()
            ));
            let map = density_bitmap(n, 3, 9);
            assert_eq!(
                select(&col, ty.width() as u8, &map).unwrap(),
                naive_select(&col, ty.width(), &map)
            );
        }
    }
}

// --------------------------------------------------------------------------------------------
// Properties.

fn any_ty() -> impl Strategy<Value = ElemType> {
    (0usize..10).prop_map(|i| ElemType::ALL[i])
}

fn any_op() -> impl Strategy<Value = CmpOp> {
    (0usize..6).prop_map(|i| CmpOp::ALL[i])
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn compare_random(
        ty in any_ty(),
        op in any_op(),
        raw in proptest::collection::vec(any::<u8>(), 0..4096),
        pick in any::<usize>(),
        start in 0usize..64,
    ) {
        let w = ty.width();
        let raw = &raw[start.min(raw.len())..];
        let col = &raw[..raw.len() / w * w];
        // The value: an element of the column when there is one, else a special.
        let vals = values(ty);
        let value = if !col.is_empty() && pick % 2 == 0 {
            let i = pick / 2 % (col.len() / w);
            let mut b = [0u8; 8];
            b[..w].copy_from_slice(&col[i * w..i * w + w]);
            values_from_bits(ty, u64::from_le_bytes(b))
        } else {
            vals[pick % vals.len()]
        };
        let want = naive_compare(col, ty, op, value);
        let mut got = vec![0; want.len()];
        Kernels::scalar().compare_into(col, ty, op, value, &mut got).unwrap();
        prop_assert_eq!(&got, &want);
        for k in TIERS.iter() {
            k.compare_into(col, ty, op, value, &mut got).unwrap();
            prop_assert_eq!(&got, &want, "{}", k.isa());
        }
    }

    #[test]
    fn select_random(
        width in prop_oneof![Just(1u8), Just(2), Just(4), Just(8)],
        raw in proptest::collection::vec(any::<u8>(), 0..4096),
        map in proptest::collection::vec(any::<u8>(), 512),
    ) {
        let w = usize::from(width);
        let col = &raw[..raw.len() / w * w];
        let want = naive_select(col, w, &map);
        prop_assert_eq!(select(col, width, &map).unwrap(), want.clone());
        for k in std::iter::once(Kernels::scalar()).chain(TIERS.iter().copied()) {
            let mut out = vec![0; col.len()];
            let len = k.select_into(col, width, &map, &mut out).unwrap();
            prop_assert_eq!(&out[..len], &want[..], "{}", k.isa());
        }
    }

    #[test]
    fn aggregate_random(
        ty in any_ty(),
        raw in proptest::collection::vec(any::<u8>(), 0..4096),
    ) {
        let w = ty.width();
        let col = &raw[..raw.len() / w * w];
        let want = naive_aggregate(col, ty);
        for k in std::iter::once(Kernels::scalar()).chain(TIERS.iter().copied()) {
            let got = k.aggregate(col, ty).unwrap();
            prop_assert!(same_stats(&got, &want), "{} {:?} != {:?}", k.isa(), got, want);
        }
    }

    #[test]
    fn compare_then_select_keeps_the_matches(
        ty in any_ty(),
        op in any_op(),
        raw in proptest::collection::vec(any::<u8>(), 0..2048),
        pick in any::<usize>(),
    ) {
        // Selecting by a compare's bitmap keeps exactly the elements that satisfy it, and the
        // bitmap's popcount is the number kept.
        let w = ty.width();
        let col = &raw[..raw.len() / w * w];
        let vals = values(ty);
        let value = vals[pick % vals.len()];
        let map = compare(col, ty, op, value).unwrap();
        let kept = select(col, w as u8, &map).unwrap();
        let ones: u32 = map.iter().map(|b| b.count_ones()).sum();
        prop_assert_eq!(kept.len(), ones as usize * w);
        let all_match = compare(&kept, ty, op, value).unwrap();
        prop_assert_eq!(all_match, pack(kept.len() / w, |_| true));
    }
}

/// The scalar of `ty`'s class whose element bits are `bits`.
fn values_from_bits(ty: ElemType, bits: u64) -> Scalar {
    let w = ty.width();
    match ty {
        ElemType::F32 => Scalar::Float(f64::from(f32::from_bits(bits as u32))),
        ElemType::F64 => Scalar::Float(f64::from_bits(bits)),
        _ if is_signed(ty) => {
            let shift = 64 - 8 * w as u32;
            Scalar::Signed(((bits << shift) as i64) >> shift)
        }
        _ => Scalar::Unsigned(bits),
    }
}
