//! Portable column kernels: the reference every tier is tested against, written straight from
//! the contract one element at a time.

use super::{CANONICAL_NAN, Value};
use crate::{CmpOp, ElemType, Scalar, Stats};

/// An element type: how to read it, and how it reports itself.
pub(crate) trait Elem: Copy + PartialOrd {
    /// Width in bytes.
    const WIDTH: usize;
    /// The element stored little-endian in `bytes[..WIDTH]`.
    fn read(bytes: &[u8]) -> Self;
    /// The element whose bits are the low bits of `bits` (a checked [`Value`]).
    fn from_value(bits: Value) -> Self;
}

/// Implements [`Elem`] for integer types (from the low bits of the value).
macro_rules! int_elem {
    ($($t:ty),*) => {$(
        impl Elem for $t {
            const WIDTH: usize = core::mem::size_of::<$t>();
            #[inline(always)]
            fn read(bytes: &[u8]) -> Self {
                let mut le = [0; core::mem::size_of::<$t>()];
                le.copy_from_slice(&bytes[..Self::WIDTH]);
                <$t>::from_le_bytes(le)
            }
            #[inline(always)]
            fn from_value(bits: Value) -> Self {
                bits as $t
            }
        }
    )*};
}
int_elem!(u8, u16, u32, u64, i8, i16, i32, i64);

impl Elem for f32 {
    const WIDTH: usize = 4;
    #[inline(always)]
    fn read(bytes: &[u8]) -> Self {
        f32::from_bits(u32::read(bytes))
    }
    #[inline(always)]
    fn from_value(bits: Value) -> Self {
        f32::from_bits(bits as u32)
    }
}

impl Elem for f64 {
    const WIDTH: usize = 8;
    #[inline(always)]
    fn read(bytes: &[u8]) -> Self {
        f64::from_bits(u64::read(bytes))
    }
    #[inline(always)]
    fn from_value(bits: Value) -> Self {
        f64::from_bits(bits)
    }
}

/// The bitmap of `keep` over the elements of `column`, into `dst` (`ceil(n / 8)` bytes).
#[inline(always)]
fn bitmap<T: Elem>(column: &[u8], dst: &mut [u8], keep: impl Fn(T) -> bool) {
    for (byte, chunk) in dst.iter_mut().zip(column.chunks(8 * T::WIDTH)) {
        let mut bits = 0u8;
        for (j, elem) in chunk.chunks_exact(T::WIDTH).enumerate() {
            bits |= u8::from(keep(T::read(elem))) << j;
        }
        *byte = bits;
    }
}

/// [`bitmap`] for `x op value`, one monomorphised loop per operator.
fn compare_typed<T: Elem>(column: &[u8], op: CmpOp, value: Value, dst: &mut [u8]) {
    let v = T::from_value(value);
    match op {
        CmpOp::Eq => bitmap(column, dst, |x: T| x == v),
        CmpOp::Ne => bitmap(column, dst, |x: T| x != v),
        CmpOp::Lt => bitmap(column, dst, |x: T| x < v),
        CmpOp::Le => bitmap(column, dst, |x: T| x <= v),
        CmpOp::Gt => bitmap(column, dst, |x: T| x > v),
        CmpOp::Ge => bitmap(column, dst, |x: T| x >= v),
    }
}

/// Bitmap of `x op value` over `column`.
///
/// # Safety
/// None beyond the [`super::CompareFn`] contract (checked lengths); no unsafe code inside.
pub(crate) unsafe fn compare(column: &[u8], ty: ElemType, op: CmpOp, value: Value, dst: &mut [u8]) {
    match ty {
        ElemType::U8 => compare_typed::<u8>(column, op, value, dst),
        ElemType::U16 => compare_typed::<u16>(column, op, value, dst),
        ElemType::U32 => compare_typed::<u32>(column, op, value, dst),
        ElemType::U64 => compare_typed::<u64>(column, op, value, dst),
        ElemType::I8 => compare_typed::<i8>(column, op, value, dst),
        ElemType::I16 => compare_typed::<i16>(column, op, value, dst),
        ElemType::I32 => compare_typed::<i32>(column, op, value, dst),
        ElemType::I64 => compare_typed::<i64>(column, op, value, dst),
        ElemType::F32 => compare_typed::<f32>(column, op, value, dst),
        ElemType::F64 => compare_typed::<f64>(column, op, value, dst),
    }
}

/// The elements of `column` whose bit is set in `bitmap`, in order, to the front of `dst`;
/// returns the bytes written.
///
/// # Safety
/// None beyond the [`super::SelectFn`] contract (checked lengths); no unsafe code inside.
pub(crate) unsafe fn select(column: &[u8], width: usize, bitmap: &[u8], dst: &mut [u8]) -> usize {
    let mut written = 0;
    for (i, elem) in column.chunks_exact(width).enumerate() {
        if bitmap[i / 8] >> (i % 8) & 1 == 1 {
            dst[written..written + width].copy_from_slice(elem);
            written += width;
        }
    }
    written
}

/// Count, min, max and wrapping sum of an integer column, each scalar made by `wrap`.
fn aggregate_int<T: Elem + Ord>(
    column: &[u8],
    wrap: impl Fn(T) -> Scalar,
    sum: impl Fn(&[u8]) -> Scalar,
) -> Stats {
    let mut elems = column.chunks_exact(T::WIDTH).map(T::read);
    let first = elems.next();
    let (min, max) = elems.fold((first, first), |(min, max), x| {
        (min.map(|m| m.min(x)), max.map(|m| m.max(x)))
    });
    Stats {
        count: (column.len() / T::WIDTH) as u64,
        min: min.map(&wrap),
        max: max.map(&wrap),
        sum: sum(column),
    }
}

/// Wrapping u64 sum of an unsigned column.
fn sum_unsigned<T: Elem + Into<u64>>(column: &[u8]) -> Scalar {
    let sum = column
        .chunks_exact(T::WIDTH)
        .fold(0u64, |s, e| s.wrapping_add(T::read(e).into()));
    Scalar::Unsigned(sum)
}

/// Wrapping i64 sum of a signed column.
fn sum_signed<T: Elem + Into<i64>>(column: &[u8]) -> Scalar {
    let sum = column
        .chunks_exact(T::WIDTH)
        .fold(0i64, |s, e| s.wrapping_add(T::read(e).into()));
    Scalar::Signed(sum)
}

/// Whether `a` comes before `b` in the order min and max use: IEEE order for numbers, with
/// −0.0 before +0.0. Neither may be NaN.
pub(crate) fn float_less(a: f64, b: f64) -> bool {
    a < b || (a == b && a.is_sign_negative() && !b.is_sign_negative())
}

/// The contract's 8-lane combination of lane sums, with a NaN made canonical.
pub(crate) fn combine_lanes(l: [f64; 8]) -> Scalar {
    let sum = ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]));
    Scalar::Float(if sum.is_nan() {
        f64::from_bits(CANONICAL_NAN)
    } else {
        sum
    })
}

/// Count, min, max (NaNs skipped, −0.0 < +0.0) and 8-lane f64 sum of a float column.
fn aggregate_float<T: Elem + Into<f64>>(column: &[u8]) -> Stats {
    let mut lanes = [0f64; 8];
    let mut min: Option<f64> = None;
    let mut max: Option<f64> = None;
    for (i, elem) in column.chunks_exact(T::WIDTH).enumerate() {
        let x: f64 = T::read(elem).into();
        lanes[i % 8] += x;
        if x.is_nan() {
            continue;
        }
        if min.is_none_or(|m| float_less(x, m)) {
            min = Some(x);
        }
        if max.is_none_or(|m| float_less(m, x)) {
            max = Some(x);
        }
    }
    Stats {
        count: (column.len() / T::WIDTH) as u64,
        min: min.map(Scalar::Float),
        max: max.map(Scalar::Float),
        sum: combine_lanes(lanes),
    }
}

/// Count, min, max and sum of `column` of type `ty`, per the contract.
///
/// # Safety
/// None beyond the [`super::AggregateFn`] contract (checked lengths); no unsafe code inside.
pub(crate) unsafe fn aggregate(column: &[u8], ty: ElemType) -> Stats {
    /// Unsigned scalar.
    fn u<T: Into<u64>>(x: T) -> Scalar {
        Scalar::Unsigned(x.into())
    }
    /// Signed scalar.
    fn s<T: Into<i64>>(x: T) -> Scalar {
        Scalar::Signed(x.into())
    }
    match ty {
        ElemType::U8 => aggregate_int(column, u::<u8>, sum_unsigned::<u8>),
        ElemType::U16 => aggregate_int(column, u::<u16>, sum_unsigned::<u16>),
        ElemType::U32 => aggregate_int(column, u::<u32>, sum_unsigned::<u32>),
        ElemType::U64 => aggregate_int(column, u::<u64>, sum_unsigned::<u64>),
        ElemType::I8 => aggregate_int(column, s::<i8>, sum_signed::<i8>),
        ElemType::I16 => aggregate_int(column, s::<i16>, sum_signed::<i16>),
        ElemType::I32 => aggregate_int(column, s::<i32>, sum_signed::<i32>),
        ElemType::I64 => aggregate_int(column, s::<i64>, sum_signed::<i64>),
        ElemType::F32 => aggregate_float::<f32>(column),
        ElemType::F64 => aggregate_float::<f64>(column),
    }
}
