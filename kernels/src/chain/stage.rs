//! One stage: its checks, in the order the module documents, and its kernel.

use super::{Stage, words};
use crate::KernelError;

/// Checks a stage's parameters by running its kernel on an empty input: every kernel accepts
/// an empty input when its parameters are valid, so an error here is a parameter error, in
/// the kernel's own words.
fn check_params(stage: &Stage) -> Result<(), KernelError> {
    match *stage {
        Stage::Shuffle { elem_size } => crate::shuffle_into(&[], elem_size, &mut []),
        Stage::Unshuffle { elem_size } => crate::unshuffle_into(&[], elem_size, &mut []),
        Stage::DeltaEncode { width } => crate::delta_encode_into(&[], width, &mut []),
        Stage::DeltaDecode { width } => crate::delta_decode_into(&[], width, &mut []),
        Stage::Byteswap { width } => crate::byteswap_into(&[], width, &mut []),
        Stage::ExtractField {
            record_size,
            offset,
            width,
        } => crate::extract_field_into(&[], record_size, offset, width, &mut []).map(drop),
        Stage::Bitpack { bits } => crate::bitpack_into(&[], bits, &mut []).map(drop),
        Stage::Bitunpack { bits, .. } => crate::bitunpack_into(&[], bits, 0, &mut []),
        // No parameter of these can be out of range.
        Stage::HexEncode { .. }
        | Stage::HexDecode
        | Stage::Base64Encode { .. }
        | Stage::Base64Decode { .. }
        | Stage::VarintEncode
        | Stage::VarintDecode => Ok(()),
    }
}

/// Checks what depends on the input's length alone: the element size of the stages that
/// read integers, and `bitunpack`'s truncation (so no output is sized for data that is not
/// there).
fn check_input(stage: &Stage, len: usize) -> Result<(), KernelError> {
    match *stage {
        Stage::VarintEncode if !len.is_multiple_of(8) => Err(KernelError::InvalidArgument(
            "varint-encode: input length is not a multiple of 8 (u64 values)",
        )),
        Stage::Bitpack { .. } if !len.is_multiple_of(4) => Err(KernelError::InvalidArgument(
            "bitpack: input length is not a multiple of 4 (u32 values)",
        )),
        Stage::Bitunpack { bits, count }
            if (len as u64) < (u64::from(count) * u64::from(bits)).div_ceil(8) =>
        {
            Err(KernelError::InvalidData {
                offset: len as u64,
                message: "bit-packed data cut off before `count` values",
            })
        }
        _ => Ok(()),
    }
}

/// Output bytes that always suffice for an `n`-byte input (see [`Stage::output_bound`]).
pub(super) fn bound(stage: &Stage, n: u64) -> u64 {
    match *stage {
        Stage::Shuffle { .. }
        | Stage::Unshuffle { .. }
        | Stage::DeltaEncode { .. }
        | Stage::DeltaDecode { .. }
        | Stage::Byteswap { .. } => n,
        Stage::ExtractField {
            record_size, width, ..
        } => match record_size {
            0 => 0,
            _ => (n / u64::from(record_size)).saturating_mul(u64::from(width)),
        },
        Stage::HexEncode { .. } => n.saturating_mul(2),
        Stage::HexDecode => n / 2,
        Stage::Base64Encode { padding: true, .. } => n.div_ceil(3).saturating_mul(4),
        // Full groups give 4 characters, a tail of 1 or 2 bytes 2 or 3.
        Stage::Base64Encode { padding: false, .. } => (n / 3)
            .saturating_mul(4)
            .saturating_add([0, 2, 3][(n % 3) as usize]),
        Stage::Base64Decode { .. } => n.div_ceil(4).saturating_mul(3),
        Stage::VarintEncode => (n / 8).saturating_mul(10),
        Stage::VarintDecode => n.saturating_mul(8),
        Stage::Bitpack { bits } => (n / 4).saturating_mul(u64::from(bits)).div_ceil(8),
        Stage::Bitunpack { count, .. } => 4 * u64::from(count),
    }
}

/// Output bytes the stage needs for `input` (see [`Stage::needed`]).
pub(super) fn exact(stage: &Stage, input: &[u8]) -> u64 {
    match stage {
        Stage::VarintEncode if input.len().is_multiple_of(8) => words::varint_encoded_len(input),
        // Every varint ends with exactly one byte below 0x80.
        Stage::VarintDecode => 8 * input.iter().filter(|&&b| b < 0x80).count() as u64,
        _ => bound(stage, input.len() as u64),
    }
}

/// The `TooLarge` error unless `cap` bytes hold the stage's output for `input`; the exact
/// need is computed only when the cheap bound does not fit.
fn check_capacity(stage: &Stage, input: &[u8], cap: usize) -> Result<(), KernelError> {
    if bound(stage, input.len() as u64) <= cap as u64 {
        return Ok(());
    }
    let needed = exact(stage, input);
    if needed > cap as u64 {
        return Err(KernelError::TooLarge(needed));
    }
    Ok(())
}

/// Runs `stage` on `src` into the start of `dst`; returns the output length.
pub(super) fn run(stage: &Stage, src: &[u8], dst: &mut [u8]) -> Result<usize, KernelError> {
    check_params(stage)?;
    check_input(stage, src.len())?;
    check_capacity(stage, src, dst.len())?;
    apply(stage, src, dst)
}

/// Runs `stage` on `src` into a new vector of [`exact`] bytes, cut to the output length.
#[cfg(feature = "alloc")]
pub(super) fn run_alloc(stage: &Stage, src: &[u8]) -> Result<alloc::vec::Vec<u8>, KernelError> {
    check_params(stage)?;
    check_input(stage, src.len())?;
    let needed = exact(stage, src);
    let too_large = KernelError::TooLarge(needed);
    let size = usize::try_from(needed).map_err(|_| too_large)?;
    let mut out = alloc::vec::Vec::new();
    out.try_reserve_exact(size).map_err(|_| too_large)?;
    out.resize(size, 0);
    let len = apply(stage, src, &mut out)?;
    out.truncate(len);
    Ok(out)
}

/// The stage's kernel; `dst` holds the output (checked by the caller).
fn apply(stage: &Stage, src: &[u8], dst: &mut [u8]) -> Result<usize, KernelError> {
    let n = src.len();
    match *stage {
        Stage::Shuffle { elem_size } => crate::shuffle_into(src, elem_size, same(dst, n)?)?,
        Stage::Unshuffle { elem_size } => crate::unshuffle_into(src, elem_size, same(dst, n)?)?,
        Stage::DeltaEncode { width } => crate::delta_encode_into(src, width, same(dst, n)?)?,
        Stage::DeltaDecode { width } => crate::delta_decode_into(src, width, same(dst, n)?)?,
        Stage::Byteswap { width } => crate::byteswap_into(src, width, same(dst, n)?)?,
        Stage::ExtractField {
            record_size,
            offset,
            width,
        } => return crate::extract_field_into(src, record_size, offset, width, dst),
        Stage::HexEncode { uppercase } => return crate::hex_encode_into(src, uppercase, dst),
        Stage::HexDecode => return crate::hex_decode_into(src, dst),
        Stage::Base64Encode { alphabet, padding } => {
            return crate::base64_encode_into(src, alphabet, padding, dst);
        }
        Stage::Base64Decode { alphabet, padding } => {
            return crate::base64_decode_into(src, alphabet, padding, dst);
        }
        Stage::VarintEncode => return words::varint_encode(src, dst),
        Stage::VarintDecode => return words::varint_decode(src, dst),
        Stage::Bitpack { bits } => return words::bitpack(src, bits, dst),
        Stage::Bitunpack { bits, count } => return words::bitunpack(src, bits, count, dst),
    }
    Ok(n)
}

/// The first `n` bytes of `dst`, for the kernels whose output is as long as their input.
fn same(dst: &mut [u8], n: usize) -> Result<&mut [u8], KernelError> {
    dst.get_mut(..n).ok_or(KernelError::TooLarge(n as u64))
}
