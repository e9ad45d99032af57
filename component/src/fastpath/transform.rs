//! Fast-path exports of WIT interface `transform`.

use super::{DST, Region, SRC, byte_param, dst, need, status, written};
use binpipe_kernels::KernelError;

/// Shuffles `len` bytes at `src` into `len` bytes at `dst`; 0 on success, -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_shuffle(src: u32, len: u32, dst: u32, elem_size: u32) -> i32 {
    status(
        same_len(src, len, dst, len)
            .and_then(|(s, d)| binpipe_kernels::shuffle_into(s.bytes(), elem_size, d.bytes_mut())),
    )
}

/// Unshuffles `len` bytes at `src` into `len` bytes at `dst`; 0 on success, -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_unshuffle(src: u32, len: u32, dst: u32, elem_size: u32) -> i32 {
    status(
        same_len(src, len, dst, len).and_then(|(s, d)| {
            binpipe_kernels::unshuffle_into(s.bytes(), elem_size, d.bytes_mut())
        }),
    )
}

/// The input and the first `len` bytes of the output of a kernel whose output is as long as
/// its input.
fn same_len(src: u32, len: u32, dst_ptr: u32, cap: u32) -> Result<(Region, Region), KernelError> {
    let src = Region::new(src, len, &SRC)?;
    let out = dst(dst_ptr, cap, &[src])?;
    need(cap as usize, len as usize)?;
    Ok((src, Region { ptr: out.ptr, len }))
}

/// The `width` parameter, passed as `i32`.
fn width(width: u32) -> Result<u8, KernelError> {
    byte_param(width, "width: out of range")
}

/// Delta-encodes the `width`-byte elements of `[src, src + len)` into `dst`
/// (`dst_cap >= len`); the number of bytes written (`len`); -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_delta_encode(src: u32, len: u32, dst: u32, dst_cap: u32, width: u32) -> i64 {
    written(same_len(src, len, dst, dst_cap).and_then(|(s, d)| {
        binpipe_kernels::delta_encode_into(s.bytes(), self::width(width)?, d.bytes_mut())?;
        Ok(len as usize)
    }))
}

/// Inverse of [`bp_delta_encode`], with the same parameters and result.
#[unsafe(no_mangle)]
pub extern "C" fn bp_delta_decode(src: u32, len: u32, dst: u32, dst_cap: u32, width: u32) -> i64 {
    written(same_len(src, len, dst, dst_cap).and_then(|(s, d)| {
        binpipe_kernels::delta_decode_into(s.bytes(), self::width(width)?, d.bytes_mut())?;
        Ok(len as usize)
    }))
}

/// Reverses the bytes of every `width`-byte element of `[src, src + len)` into `dst`
/// (`dst_cap >= len`); the number of bytes written (`len`); -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_byteswap(src: u32, len: u32, dst: u32, dst_cap: u32, width: u32) -> i64 {
    written(same_len(src, len, dst, dst_cap).and_then(|(s, d)| {
        binpipe_kernels::byteswap_into(s.bytes(), self::width(width)?, d.bytes_mut())?;
        Ok(len as usize)
    }))
}

/// Packs the `len / 4` u32 LE values at `src` (4-aligned) into `bits` bits each at `dst`
/// (`dst_cap >= ceil(bits * (len / 4) / 8)`); the number of bytes written; -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_bitpack(src: u32, len: u32, dst: u32, dst_cap: u32, bits: u32) -> i64 {
    written(bitpack(src, len, dst, dst_cap, bits))
}

fn bitpack(src: u32, len: u32, dst_ptr: u32, cap: u32, bits: u32) -> Result<usize, KernelError> {
    let bits = byte_param(bits, "bits: out of range")?;
    let src = Region::new(src, len, &SRC)?;
    let values = src.u32s(&SRC)?;
    let out = dst(dst_ptr, cap, &[src])?;
    binpipe_kernels::bitpack_into(values, bits, out.bytes_mut())
}

/// Unpacks `count` values of `bits` bits from `[src, src + len)` as u32 LE at `dst`
/// (4-aligned, `dst_cap >= 4 * count`); the number of bytes written (`4 * count`); -1 on
/// error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_bitunpack(
    src: u32,
    len: u32,
    dst: u32,
    dst_cap: u32,
    bits: u32,
    count: u32,
) -> i64 {
    written(bitunpack(src, len, dst, dst_cap, bits, count))
}

fn bitunpack(
    src: u32,
    len: u32,
    dst_ptr: u32,
    cap: u32,
    bits: u32,
    count: u32,
) -> Result<usize, KernelError> {
    let bits = byte_param(bits, "bits: out of range")?;
    let src = Region::new(src, len, &SRC)?;
    let out = dst(dst_ptr, cap, &[src])?.u32s_mut(&DST)?;
    binpipe_kernels::bitunpack_into(src.bytes(), bits, count, out)?;
    Ok(4 * count as usize)
}

/// The `[offset, offset + width)` field of every complete `record_size`-byte record of
/// `[src, src + len)`, concatenated at `dst` (`dst_cap >= len` is always enough); the number
/// of bytes written; -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_extract_field(
    src: u32,
    len: u32,
    dst: u32,
    dst_cap: u32,
    record_size: u32,
    offset: u32,
    width: u32,
) -> i64 {
    written(Region::new(src, len, &SRC).and_then(|s| {
        let out = self::dst(dst, dst_cap, &[s])?;
        binpipe_kernels::extract_field_into(s.bytes(), record_size, offset, width, out.bytes_mut())
    }))
}
