//! Fast-path exports of WIT interface `codec`.

use super::{DST, Region, SRC, bool_param, dst, written};
use binpipe_kernels::{Alphabet, KernelError};

/// Hex digits of `[src, src + len)` at `dst` (`dst_cap >= 2 * len`), lowercase or, with
/// `uppercase` 1, uppercase; the number of bytes written; -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_hex_encode(src: u32, len: u32, dst: u32, dst_cap: u32, uppercase: u32) -> i64 {
    written(hex_encode(src, len, dst, dst_cap, uppercase))
}

fn hex_encode(
    src: u32,
    len: u32,
    dst_ptr: u32,
    cap: u32,
    uppercase: u32,
) -> Result<usize, KernelError> {
    let uppercase = bool_param(uppercase, "uppercase: not 0 or 1")?;
    let src = Region::new(src, len, &SRC)?;
    let out = dst(dst_ptr, cap, &[src])?;
    binpipe_kernels::hex_encode_into(src.bytes(), uppercase, out.bytes_mut())
}

/// Bytes of the hex digits `[src, src + len)` at `dst` (`dst_cap >= len / 2`); the number of
/// bytes written; -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_hex_decode(src: u32, len: u32, dst: u32, dst_cap: u32) -> i64 {
    written(hex_decode(src, len, dst, dst_cap))
}

fn hex_decode(src: u32, len: u32, dst_ptr: u32, cap: u32) -> Result<usize, KernelError> {
    let src = Region::new(src, len, &SRC)?;
    let out = dst(dst_ptr, cap, &[src])?;
    binpipe_kernels::hex_decode_into(src.bytes(), out.bytes_mut())
}

/// The alphabet numbered `value` (0 standard, 1 url-safe).
fn alphabet(value: u32) -> Result<Alphabet, KernelError> {
    match value {
        0 => Ok(Alphabet::Standard),
        1 => Ok(Alphabet::UrlSafe),
        _ => Err(KernelError::InvalidArgument("alphabet: not 0 or 1")),
    }
}

/// Base64 of `[src, src + len)` at `dst` (`dst_cap >= 4 * ceil(len / 3)` is always enough);
/// `alphabet` 0 standard / 1 url-safe, `padding` 0 / 1; the number of bytes written; -1 on
/// error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_base64_encode(
    src: u32,
    len: u32,
    dst: u32,
    dst_cap: u32,
    alphabet: u32,
    padding: u32,
) -> i64 {
    written(base64_encode(src, len, dst, dst_cap, alphabet, padding))
}

fn base64_encode(
    src: u32,
    len: u32,
    dst_ptr: u32,
    cap: u32,
    alpha: u32,
    padding: u32,
) -> Result<usize, KernelError> {
    let alpha = alphabet(alpha)?;
    let padding = bool_param(padding, "padding: not 0 or 1")?;
    let src = Region::new(src, len, &SRC)?;
    let out = dst(dst_ptr, cap, &[src])?;
    binpipe_kernels::base64_encode_into(src.bytes(), alpha, padding, out.bytes_mut())
}

/// Bytes of the base64 text `[src, src + len)` at `dst` (`dst_cap >= 3 * ceil(len / 4)`);
/// parameters as for [`bp_base64_encode`]; the number of bytes written; -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_base64_decode(
    src: u32,
    len: u32,
    dst: u32,
    dst_cap: u32,
    alphabet: u32,
    padding: u32,
) -> i64 {
    written(base64_decode(src, len, dst, dst_cap, alphabet, padding))
}

fn base64_decode(
    src: u32,
    len: u32,
    dst_ptr: u32,
    cap: u32,
    alpha: u32,
    padding: u32,
) -> Result<usize, KernelError> {
    let alpha = alphabet(alpha)?;
    let padding = bool_param(padding, "padding: not 0 or 1")?;
    let src = Region::new(src, len, &SRC)?;
    let out = dst(dst_ptr, cap, &[src])?;
    binpipe_kernels::base64_decode_into(src.bytes(), alpha, padding, out.bytes_mut())
}

/// LEB128 varints of the `len / 8` u64 LE values at `src` (8-aligned) at `dst`
/// (`dst_cap >= 10 * (len / 8)` is always enough); the number of bytes written; -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_varint_encode(src: u32, len: u32, dst: u32, dst_cap: u32) -> i64 {
    written(varint_encode(src, len, dst, dst_cap))
}

fn varint_encode(src: u32, len: u32, dst_ptr: u32, cap: u32) -> Result<usize, KernelError> {
    let src = Region::new(src, len, &SRC)?;
    let values = src.u64s(&SRC)?;
    let out = dst(dst_ptr, cap, &[src])?;
    binpipe_kernels::varint_encode_into(values, out.bytes_mut())
}

/// The varints of `[src, src + len)` as u64 LE values at `dst` (8-aligned,
/// `dst_cap >= 8 * len` is always enough); the number of bytes written (8 per value); -1 on
/// error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_varint_decode(src: u32, len: u32, dst: u32, dst_cap: u32) -> i64 {
    written(varint_decode(src, len, dst, dst_cap))
}

fn varint_decode(src: u32, len: u32, dst_ptr: u32, cap: u32) -> Result<usize, KernelError> {
    let src = Region::new(src, len, &SRC)?;
    let out = dst(dst_ptr, cap, &[src])?.u64s_mut(&DST)?;
    Ok(8 * binpipe_kernels::varint_decode_into(src.bytes(), out)?)
}
