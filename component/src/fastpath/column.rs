//! Fast-path exports of WIT interface `column`.

use super::{Param, Region, SRC, byte_param, dst, param, status, written};
use binpipe_kernels::{CmpOp, ElemType, KernelError, Scalar};

/// The element type numbered `ty` in WIT order (u8 u16 u32 u64 i8 i16 i32 i64 f32 f64).
fn elem_type(ty: u32) -> Result<ElemType, KernelError> {
    ElemType::ALL
        .get(ty as usize)
        .copied()
        .ok_or(KernelError::InvalidArgument("ty: not 0..=9"))
}

/// The operator numbered `op` in WIT order (eq ne lt le gt ge).
fn cmp_op(op: u32) -> Result<CmpOp, KernelError> {
    CmpOp::ALL
        .get(op as usize)
        .copied()
        .ok_or(KernelError::InvalidArgument("op: not 0..=5"))
}

/// The scalar of class `class` (0 unsigned, 1 signed, 2 float) whose bits are `value`.
fn scalar(class: u32, value: u64) -> Result<Scalar, KernelError> {
    match class {
        0 => Ok(Scalar::Unsigned(value)),
        1 => Ok(Scalar::Signed(value as i64)),
        2 => Ok(Scalar::Float(f64::from_bits(value))),
        _ => Err(KernelError::InvalidArgument("class: not 0, 1 or 2")),
    }
}

/// The class number and the bits of `value` (the inverse of [`scalar`]).
fn class_and_bits(value: Scalar) -> (u32, u64) {
    match value {
        Scalar::Unsigned(v) => (0, v),
        Scalar::Signed(v) => (1, v as u64),
        Scalar::Float(v) => (2, v.to_bits()),
    }
}

/// The bitmap of the elements `x` of the `ty` column `[src, src + len)` with `x op value` at
/// `dst` (`dst_cap >= ceil((len / width) / 8)`); `value` has class `class` (0 unsigned, 1
/// signed, 2 float: the u64, the s64 or the f64's bits); the number of bytes written; -1 on
/// error.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn bp_compare(
    src: u32,
    len: u32,
    dst: u32,
    dst_cap: u32,
    ty: u32,
    op: u32,
    class: u32,
    value: u64,
) -> i64 {
    written(compare(src, len, dst, dst_cap, ty, op, class, value))
}

#[allow(clippy::too_many_arguments)]
fn compare(
    src: u32,
    len: u32,
    dst_ptr: u32,
    cap: u32,
    ty: u32,
    op: u32,
    class: u32,
    value: u64,
) -> Result<usize, KernelError> {
    let (ty, op, value) = (elem_type(ty)?, cmp_op(op)?, scalar(class, value)?);
    let src = Region::new(src, len, &SRC)?;
    let out = dst(dst_ptr, cap, &[src])?;
    binpipe_kernels::compare_into(src.bytes(), ty, op, value, out.bytes_mut())
}

/// The `width`-byte elements of `[src, src + len)` whose bit is set in the bitmap
/// `[bitmap, bitmap + bitmap_len)`, in order, at `dst` (`dst_cap >= len`); the number of
/// bytes written; -1 on error.
#[unsafe(no_mangle)]
#[allow(clippy::too_many_arguments)]
pub extern "C" fn bp_select(
    src: u32,
    len: u32,
    dst: u32,
    dst_cap: u32,
    width: u32,
    bitmap: u32,
    bitmap_len: u32,
) -> i64 {
    written(select(src, len, dst, dst_cap, width, bitmap, bitmap_len))
}

fn select(
    src: u32,
    len: u32,
    dst_ptr: u32,
    cap: u32,
    width: u32,
    bitmap: u32,
    bitmap_len: u32,
) -> Result<usize, KernelError> {
    const BITMAP: Param = param!("bitmap");
    let width = byte_param(width, "width: out of range")?;
    let src = Region::new(src, len, &SRC)?;
    let bitmap = Region::new(bitmap, bitmap_len, &BITMAP)?;
    let out = dst(dst_ptr, cap, &[src, bitmap])?;
    binpipe_kernels::select_into(src.bytes(), width, bitmap.bytes(), out.bytes_mut())
}

/// Size of the stats record [`bp_aggregate`] writes.
const STATS_LEN: u32 = 40;

/// Count, min, max and sum of the `ty` column `[src, src + len)`, written as the 40-byte
/// stats record at `out` (8-aligned; layout in docs/abi.md); 0 on success, -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_aggregate(src: u32, len: u32, ty: u32, out: u32) -> i32 {
    status(aggregate(src, len, ty, out))
}

fn aggregate(src: u32, len: u32, ty: u32, out: u32) -> Result<(), KernelError> {
    const OUT: Param = param!("out");
    let ty = elem_type(ty)?;
    let src = Region::new(src, len, &SRC)?;
    let out = Region::new(out, STATS_LEN, &OUT)?
        .aligned(8, &OUT)?
        .writable(&[src], &OUT)?;
    let stats = binpipe_kernels::aggregate(src.bytes(), ty)?;
    let (class, sum) = class_and_bits(stats.sum);
    let bits = |s: Option<Scalar>| s.map_or(0, |s| class_and_bits(s).1);
    let flags = u32::from(stats.min.is_some()) | u32::from(stats.max.is_some()) << 1;
    let record = out.bytes_mut();
    record[0..8].copy_from_slice(&stats.count.to_le_bytes());
    record[8..12].copy_from_slice(&flags.to_le_bytes());
    record[12..16].copy_from_slice(&class.to_le_bytes());
    record[16..24].copy_from_slice(&bits(stats.min).to_le_bytes());
    record[24..32].copy_from_slice(&bits(stats.max).to_le_bytes());
    record[32..40].copy_from_slice(&sum.to_le_bytes());
    Ok(())
}
