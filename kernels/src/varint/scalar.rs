//! The scalar reference: one byte at a time, exactly as the module documentation states the
//! rules. Every other path is tested against it.

use crate::KernelError;

/// Length in bytes of the shortest LEB128 form of `value` (1..=10).
#[inline(always)]
pub(crate) const fn encoded_len(value: u64) -> usize {
    // Significant bits (at least 1), seven per byte.
    let bits = 64 - (value | 1).leading_zeros() as usize;
    bits.div_ceil(7)
}

/// Encodes `values` into `dst`, which holds at least the sum of their [`encoded_len`]s;
/// returns the bytes written.
///
/// The stores are `get_mut`s, so no panic site is left (the native blobs refuse any): a
/// `dst` too short, which the contract rules out, would get only the bytes that fit.
///
/// # Safety
/// None; `unsafe` to share the [`super::EncodeFn`] signature.
pub(crate) unsafe fn encode(values: &[u64], dst: &mut [u8]) -> usize {
    let mut out = 0;
    for &value in values {
        let mut v = value;
        while v >= 0x80 {
            if let Some(b) = dst.get_mut(out) {
                *b = (v as u8) | 0x80;
            }
            v >>= 7;
            out += 1;
        }
        if let Some(b) = dst.get_mut(out) {
            *b = v as u8;
        }
        out += 1;
    }
    out
}

/// The error for a varint cut off by the end of `data`.
#[cold]
pub(crate) const fn truncated(len: usize) -> KernelError {
    KernelError::InvalidData {
        offset: len as u64,
        message: "varint cut off by the end of the data",
    }
}

/// The error for a tenth byte `byte` (not 0 or 1) at `offset`.
#[cold]
pub(crate) const fn bad_tenth(offset: usize, byte: u8) -> KernelError {
    KernelError::InvalidData {
        offset: offset as u64,
        message: if byte >= 0x80 {
            "varint longer than 10 bytes"
        } else {
            "varint value above u64::MAX"
        },
    }
}

/// The error for a `dst` too short for the decoded values.
pub(crate) const DST_FULL: KernelError =
    KernelError::InvalidArgument("dst is too short for the decoded values");

/// Decodes every varint of `data` into `dst`; returns how many (see the module documentation
/// for the errors and their order).
///
/// # Safety
/// None; `unsafe` to share the [`super::DecodeFn`] signature.
pub(crate) unsafe fn decode(data: &[u8], dst: &mut [u64]) -> Result<usize, KernelError> {
    decode_from(data, 0, dst)
}

/// Decodes the varints of `data[start..]` (`start` is at a varint boundary) into `dst`;
/// returns how many. Error offsets count from the start of `data`.
pub(crate) fn decode_from(
    data: &[u8],
    start: usize,
    dst: &mut [u64],
) -> Result<usize, KernelError> {
    let mut count = 0;
    let mut i = start;
    while i < data.len() {
        let first = i;
        let mut value = 0u64;
        loop {
            let Some(&byte) = data.get(i) else {
                return Err(truncated(data.len()));
            };
            let index = i - first;
            if index == 9 && byte > 1 {
                return Err(bad_tenth(i, byte));
            }
            value |= u64::from(byte & 0x7F) << (7 * index);
            i += 1;
            if byte < 0x80 {
                break;
            }
        }
        let Some(slot) = dst.get_mut(count) else {
            return Err(DST_FULL);
        };
        *slot = value;
        count += 1;
    }
    Ok(count)
}
