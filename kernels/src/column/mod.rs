//! Fixed-width little-endian columns: compare against a scalar into a bitmap, select the
//! elements a bitmap keeps, and aggregate (count, min, max, sum).
//!
//! The public functions check every argument here, then hand the typed work to one
//! implementation per tier: [`scalar`] is the reference. Values cross into the
//! implementations as the element's bits in a `u64` ([`Value`]), already checked for class and
//! range, so an implementation never sees an argument it could refuse.

mod lanes;
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
mod neon;
mod scalar;
#[cfg(target_arch = "x86_64")]
mod select_x86;
mod simd;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm;
#[cfg(target_arch = "x86_64")]
mod x86;

use crate::dispatch::cached_dispatch;
use crate::{CmpOp, ElemType, Isa, KernelError, Kernels, Scalar, Stats};

/// A checked comparison value: the element's own bits, zero-extended to 64 (an `i8` -5 is
/// `0xFB`, an `f32` is its `to_bits`).
pub(crate) type Value = u64;

/// Compare implementation: `(column, ty, op, value, dst)`; callers guarantee that
/// `column.len()` is a multiple of `ty.width()` and `dst.len() == ceil(n / 8)`.
pub(crate) type CompareFn = unsafe fn(&[u8], ElemType, CmpOp, Value, &mut [u8]);

/// Select implementation: `(column, width, bitmap, dst) -> bytes written`; callers guarantee
/// `width` ∈ {1, 2, 4, 8}, `column.len()` a multiple of it, `bitmap.len() == ceil(n / 8)` and
/// `dst.len() >= column.len()`.
pub(crate) type SelectFn = unsafe fn(&[u8], usize, &[u8], &mut [u8]) -> usize;

/// Aggregate implementation: `(column, ty) -> stats`; callers guarantee that `column.len()`
/// is a multiple of `ty.width()`.
pub(crate) type AggregateFn = unsafe fn(&[u8], ElemType) -> Stats;

/// The bits of the canonical quiet NaN that a NaN float sum is reported as.
///
/// IEEE 754 leaves the payload and sign of a NaN result open, and ISAs differ (x86 makes
/// `inf - inf` negative, aarch64 and wasm positive), so a sum that is NaN is always these bits.
pub(crate) const CANONICAL_NAN: u64 = 0x7FF8_0000_0000_0000;

/// Number of elements of `ty` in `column`, or `invalid-argument` if the length is not a
/// multiple of the width.
fn elements(column: &[u8], width: usize) -> Result<usize, KernelError> {
    if !column.len().is_multiple_of(width) {
        return Err(KernelError::InvalidArgument(
            "column length must be a multiple of the element width",
        ));
    }
    Ok(column.len() / width)
}

/// Checks `value` against `ty`'s class and range and returns its bits in `ty`.
fn value_bits(ty: ElemType, value: Scalar) -> Result<Value, KernelError> {
    /// The unsigned value if it fits in `bits` bits.
    fn unsigned(v: u64, bits: u32) -> Result<Value, KernelError> {
        if bits == 64 || v >> bits == 0 {
            Ok(v)
        } else {
            Err(KernelError::InvalidArgument(
                "value is not representable in the column type",
            ))
        }
    }
    /// The signed value's low `bits` bits if it fits in a signed `bits`-bit integer.
    fn signed(v: i64, bits: u32) -> Result<Value, KernelError> {
        let shift = 64 - bits;
        if (v << shift) >> shift == v {
            Ok((v as u64) & (u64::MAX >> shift))
        } else {
            Err(KernelError::InvalidArgument(
                "value is not representable in the column type",
            ))
        }
    }
    match (ty, value) {
        (ElemType::U8, Scalar::Unsigned(v)) => unsigned(v, 8),
        (ElemType::U16, Scalar::Unsigned(v)) => unsigned(v, 16),
        (ElemType::U32, Scalar::Unsigned(v)) => unsigned(v, 32),
        (ElemType::U64, Scalar::Unsigned(v)) => unsigned(v, 64),
        (ElemType::I8, Scalar::Signed(v)) => signed(v, 8),
        (ElemType::I16, Scalar::Signed(v)) => signed(v, 16),
        (ElemType::I32, Scalar::Signed(v)) => signed(v, 32),
        (ElemType::I64, Scalar::Signed(v)) => signed(v, 64),
        // Rust's `as` rounds to the nearest f32 (ties to even), overflowing to ±inf.
        (ElemType::F32, Scalar::Float(v)) => Ok(u64::from((v as f32).to_bits())),
        (ElemType::F64, Scalar::Float(v)) => Ok(v.to_bits()),
        _ => Err(KernelError::InvalidArgument(
            "value's class (unsigned, signed, float) does not match the column type",
        )),
    }
}

/// Checks compare's arguments; returns the value's bits and the bitmap length.
fn check_compare(
    column: &[u8],
    ty: ElemType,
    value: Scalar,
    dst: &[u8],
) -> Result<(Value, usize), KernelError> {
    let n = elements(column, ty.width())?;
    let bits = value_bits(ty, value)?;
    let out = n.div_ceil(8);
    if dst.len() < out {
        return Err(KernelError::InvalidArgument(
            "dst is shorter than the bitmap (ceil(n / 8) bytes)",
        ));
    }
    Ok((bits, out))
}

/// Checks select's arguments; returns the width and the bitmap length that counts.
fn check_select(
    column: &[u8],
    width: u8,
    bitmap: &[u8],
    dst: &[u8],
) -> Result<(usize, usize), KernelError> {
    if !matches!(width, 1 | 2 | 4 | 8) {
        return Err(KernelError::InvalidArgument("width must be 1, 2, 4 or 8"));
    }
    let width = usize::from(width);
    let n = elements(column, width)?;
    let used = n.div_ceil(8);
    if bitmap.len() < used {
        return Err(KernelError::InvalidArgument(
            "bitmap is shorter than ceil(n / 8) bytes",
        ));
    }
    if dst.len() < column.len() {
        return Err(KernelError::InvalidArgument(
            "dst must be at least as long as column",
        ));
    }
    Ok((width, used))
}

/// The fastest compare that a CPU running `isa` supports.
pub(crate) fn select_compare(isa: Isa) -> CompareFn {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Sse2 => simd::x86::compare_sse2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => simd::x86::compare_avx2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => simd::x86::compare_avx512,
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        Isa::Neon => simd::compare_neon,
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Isa::Simd128 => simd::compare_simd128,
        _ => scalar::compare,
    }
}

/// The fastest select that a CPU running `isa` supports.
///
/// AVX-512 adds nothing to the 128-bit table shuffle, so it runs the AVX2 tier's select.
pub(crate) fn select_select(isa: Isa) -> SelectFn {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Sse2 => simd::x86::select_sse2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => simd::x86::select_avx2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => simd::x86::select_avx512,
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        Isa::Neon => simd::select_neon,
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Isa::Simd128 => simd::select_simd128,
        _ => scalar::select,
    }
}

/// The fastest aggregate that a CPU running `isa` supports.
pub(crate) fn select_aggregate(isa: Isa) -> AggregateFn {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Sse2 => lanes::aggregate_sse2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => lanes::aggregate_avx2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => lanes::aggregate_avx512,
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        Isa::Neon => lanes::aggregate_neon,
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Isa::Simd128 => lanes::aggregate_simd128,
        _ => scalar::aggregate,
    }
}

cached_dispatch!(
    /// Compare on the best tier for this CPU.
    compare_best(column: &[u8], ty: ElemType, op: CmpOp, value: Value, dst: &mut [u8]) -> ()
        = select_compare, "compare"
);

cached_dispatch!(
    /// Select on the best tier for this CPU.
    select_best(column: &[u8], width: usize, bitmap: &[u8], dst: &mut [u8]) -> usize
        = select_select, "select"
);

cached_dispatch!(
    /// Aggregate on the best tier for this CPU.
    aggregate_best(column: &[u8], ty: ElemType) -> Stats = select_aggregate, "aggregate"
);

/// Writes to `dst` the bitmap of the elements `x` of `column` (type `ty`) for which
/// `x op value` holds, and returns its length, `ceil(n / 8)` bytes.
///
/// Bit `i` is bit `i % 8` of byte `i / 8`; unused bits of the last byte are zero; bytes of
/// `dst` past the bitmap are left alone. Floats compare as IEEE 754 (NaN matches only
/// [`CmpOp::Ne`], `-0.0 == +0.0`). For an `f32` column the value is first rounded to the
/// nearest `f32` (a value beyond its range becomes ±inf).
///
/// ```
/// use binpipe_kernels::{CmpOp, ElemType, Scalar, compare_into};
/// let column: Vec<u8> = [5u16, 9, 1, 7].iter().flat_map(|v| v.to_le_bytes()).collect();
/// let mut bitmap = [0u8; 1];
/// let n = compare_into(&column, ElemType::U16, CmpOp::Gt, Scalar::Unsigned(5), &mut bitmap);
/// assert_eq!((n, bitmap), (Ok(1), [0b1010]));
/// ```
///
/// # Errors
/// [`KernelError::InvalidArgument`] if `column.len()` is not a multiple of `ty`'s width, if
/// `value`'s class (unsigned, signed, float) is not `ty`'s, if an integer `value` is not
/// representable in `ty`, or if `dst` is shorter than `ceil(n / 8)`.
pub fn compare_into(
    column: &[u8],
    ty: ElemType,
    op: CmpOp,
    value: Scalar,
    dst: &mut [u8],
) -> Result<usize, KernelError> {
    let (bits, out) = check_compare(column, ty, value, dst)?;
    compare_best(column, ty, op, bits, &mut dst[..out]);
    Ok(out)
}

/// [`compare_into`] into a new vector of `ceil(n / 8)` bytes.
///
/// # Errors
/// As [`compare_into`] (the destination cannot be too short).
#[cfg(feature = "alloc")]
pub fn compare(
    column: &[u8],
    ty: ElemType,
    op: CmpOp,
    value: Scalar,
) -> Result<alloc::vec::Vec<u8>, KernelError> {
    let mut dst = alloc::vec![0; (column.len() / ty.width()).div_ceil(8)];
    compare_into(column, ty, op, value, &mut dst)?;
    Ok(dst)
}

/// Copies to the front of `dst`, in order, the `width`-byte elements of `column` whose bit is
/// set in `bitmap`, and returns the number of bytes written.
///
/// Bit `i` of the bitmap is bit `i % 8` of byte `i / 8`. Only the first `ceil(n / 8)` bytes
/// count, and only the first `n` bits of those. `dst[..column.len()]` is the working area:
/// bytes of it past the returned length may be overwritten with scratch (the vector paths
/// store whole vectors); bytes past `column.len()` are left alone.
///
/// ```
/// use binpipe_kernels::select_into;
/// let mut out = [0u8; 6];
/// assert_eq!(select_into(&[1, 0, 2, 0, 3, 0], 2, &[0b101], &mut out), Ok(4));
/// assert_eq!(out[..4], [1, 0, 3, 0]);
/// ```
///
/// # Errors
/// [`KernelError::InvalidArgument`] if `width` is not 1, 2, 4 or 8, if `column.len()` is not
/// a multiple of it, if `bitmap` is shorter than `ceil(n / 8)` bytes, or if `dst` is shorter
/// than `column`.
pub fn select_into(
    column: &[u8],
    width: u8,
    bitmap: &[u8],
    dst: &mut [u8],
) -> Result<usize, KernelError> {
    let (width, used) = check_select(column, width, bitmap, dst)?;
    Ok(select_best(column, width, &bitmap[..used], dst))
}

/// [`select_into`] into a new vector holding exactly the kept elements.
///
/// # Errors
/// As [`select_into`] (the destination cannot be too short).
#[cfg(feature = "alloc")]
pub fn select(column: &[u8], width: u8, bitmap: &[u8]) -> Result<alloc::vec::Vec<u8>, KernelError> {
    let mut dst = alloc::vec![0; column.len()];
    let written = select_into(column, width, bitmap, &mut dst)?;
    dst.truncate(written);
    Ok(dst)
}

/// Count, minimum, maximum and sum of `column`, of element type `ty`.
///
/// Scalars come back in `ty`'s class ([`Scalar::Unsigned`], [`Scalar::Signed`] or
/// [`Scalar::Float`], an `f32` widened exactly). `min` and `max` are `None` for an empty
/// column; for floats NaNs are skipped (`None` when every element is NaN) and −0.0 counts as
/// smaller than +0.0. Integer sums wrap in 64 bits (u64 for unsigned types, i64 for signed).
/// Float sums are f64 (each `f32` widened first) in 8 lanes: lane `k` sums the elements `i`
/// with `i % 8 == k` in order, and the lanes combine as
/// `((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7))`, so every tier gives the same bits. A
/// sum that is NaN is reported as the canonical quiet NaN `0x7FF8_0000_0000_0000`, whatever
/// NaN the hardware produced.
///
/// ```
/// use binpipe_kernels::{ElemType, Scalar, aggregate};
/// let column: Vec<u8> = [3i8, -7, 5].iter().flat_map(|v| v.to_le_bytes()).collect();
/// let stats = aggregate(&column, ElemType::I8).unwrap();
/// assert_eq!(stats.count, 3);
/// assert_eq!((stats.min, stats.max), (Some(Scalar::Signed(-7)), Some(Scalar::Signed(5))));
/// assert_eq!(stats.sum, Scalar::Signed(1));
/// ```
///
/// # Errors
/// [`KernelError::InvalidArgument`] if `column.len()` is not a multiple of `ty`'s width.
pub fn aggregate(column: &[u8], ty: ElemType) -> Result<Stats, KernelError> {
    elements(column, ty.width())?;
    Ok(aggregate_best(column, ty))
}

impl Kernels {
    /// [`crate::compare_into`] on this tier.
    ///
    /// # Errors
    /// As [`crate::compare_into`].
    pub fn compare_into(
        &self,
        column: &[u8],
        ty: ElemType,
        op: CmpOp,
        value: Scalar,
        dst: &mut [u8],
    ) -> Result<usize, KernelError> {
        let (bits, out) = check_compare(column, ty, value, dst)?;
        let kernel = select_compare(self.isa());
        // SAFETY: `Kernels::new` checked that the CPU runs this tier and `select_compare`
        // honours it; `check_compare` established the length preconditions.
        unsafe { kernel(column, ty, op, bits, &mut dst[..out]) };
        Ok(out)
    }

    /// [`crate::select_into`] on this tier.
    ///
    /// # Errors
    /// As [`crate::select_into`].
    pub fn select_into(
        &self,
        column: &[u8],
        width: u8,
        bitmap: &[u8],
        dst: &mut [u8],
    ) -> Result<usize, KernelError> {
        let (width, used) = check_select(column, width, bitmap, dst)?;
        let kernel = select_select(self.isa());
        // SAFETY: as in `compare_into`; `check_select` established the preconditions.
        Ok(unsafe { kernel(column, width, &bitmap[..used], dst) })
    }

    /// [`crate::aggregate`] on this tier.
    ///
    /// # Errors
    /// As [`crate::aggregate`].
    pub fn aggregate(&self, column: &[u8], ty: ElemType) -> Result<Stats, KernelError> {
        elements(column, ty.width())?;
        let kernel = select_aggregate(self.isa());
        // SAFETY: as in `compare_into`; the length is a multiple of the width.
        Ok(unsafe { kernel(column, ty) })
    }
}
