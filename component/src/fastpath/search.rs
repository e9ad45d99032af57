//! Fast-path exports of WIT interface `search`.

use super::{DST, Param, Region, SRC, dst, offset, param, value, written};
use binpipe_kernels::KernelError;

/// Number of bytes equal to `needle` (its low 8 bits) in `[ptr, ptr + len)`; -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_count_byte(ptr: u32, len: u32, needle: u32) -> i64 {
    value(Region::new(ptr, len, &SRC).map(|r| binpipe_kernels::count_byte(r.bytes(), needle as u8)))
}

/// Offset of the first byte equal to `needle` (its low 8 bits); -2 if none; -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_find_byte(ptr: u32, len: u32, needle: u32) -> i64 {
    offset(Region::new(ptr, len, &SRC).map(|r| binpipe_kernels::find_byte(r.bytes(), needle as u8)))
}

/// Offset of the first byte equal to any of the `needles_len` bytes at `needles`; -2 if none;
/// -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_find_any(ptr: u32, len: u32, needles: u32, needles_len: u32) -> i64 {
    const NEEDLES: Param = param!("needles");
    offset(Region::new(ptr, len, &SRC).and_then(|src| {
        let needles = Region::new(needles, needles_len, &NEEDLES)?;
        binpipe_kernels::find_any(src.bytes(), needles.bytes())
    }))
}

/// Every offset of `needle` (its low 8 bits) in `[src, src + len)`, as u32 LE at `dst`
/// (4-aligned, `dst_cap >= 4 * len`); the number of bytes written; -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_index_byte(src: u32, len: u32, dst: u32, dst_cap: u32, needle: u32) -> i64 {
    written(index_byte(src, len, dst, dst_cap, needle as u8))
}

fn index_byte(
    src: u32,
    len: u32,
    dst_ptr: u32,
    cap: u32,
    needle: u8,
) -> Result<usize, KernelError> {
    let src = Region::new(src, len, &SRC)?;
    let out = dst(dst_ptr, cap, &[src])?.u32s_mut(&DST)?;
    let n = binpipe_kernels::index_byte_into(src.bytes(), needle, out)?;
    Ok(4 * n)
}

/// First offset where `[a, a + a_len)` and `[b, b + b_len)` differ; -2 if equal; -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_mismatch(a: u32, a_len: u32, b: u32, b_len: u32) -> i64 {
    const A: Param = param!("a");
    const B: Param = param!("b");
    offset(Region::new(a, a_len, &A).and_then(|a| {
        let b = Region::new(b, b_len, &B)?;
        Ok(binpipe_kernels::mismatch(a.bytes(), b.bytes()))
    }))
}
