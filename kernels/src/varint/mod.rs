//! Unsigned LEB128 (protobuf varint) encoding and decoding of `u64` values.
//!
//! A value is written seven bits at a time, least significant group first; every byte but the
//! last has its high bit (the *continuation bit*) set. The encoder writes the shortest form:
//! 1 byte for values below 2^7, up to 10 bytes for values of 2^63 and above.
//!
//! # Decoding rules
//! The decoder reads consecutive varints until the data ends. A varint ends at its first byte
//! below `0x80`. Non-shortest forms (`80 00` for 0) are accepted. Only the *tenth* byte of a
//! varint is special: it carries bit 63 alone, so it must be `0x00` or `0x01`. Following the
//! offset rule of `KERNELS.md` (the offset is the length of the longest prefix that can still
//! be extended to a valid input), the errors are:
//! - a tenth byte with the continuation bit set (the varint would need an eleventh byte), or a
//!   tenth byte of `0x02..=0x7F` (the value would exceed `u64::MAX`):
//!   [`KernelError::InvalidData`] at the offset of that tenth byte — whether or not more data
//!   follows, since no continuation can make it valid;
//! - a varint of at most nine bytes whose last byte still has the continuation bit set when
//!   the data ends: [`KernelError::InvalidData`] with `offset == data.len()` (truncation).
//!
//! The first error in the data wins. For the `_into` form, a `dst` that fills up before the
//! data ends is [`KernelError::InvalidArgument`], reported when the first value that does not
//! fit has been decoded (a data error before that point is reported instead); `dst.len() >=
//! data.len()` always suffices, since every varint takes at least one byte.

mod scalar;

use crate::KernelError;

/// The error for a `dst` too short for the encoding.
const ENCODE_DST_SHORT: KernelError =
    KernelError::InvalidArgument("dst is too short for the encoded values");

/// LEB128 encoding of every value of `values`, shortest form, concatenated.
///
/// ```
/// assert_eq!(binpipe_kernels::varint_encode(&[1, 300]), [0x01, 0xAC, 0x02]);
/// ```
#[cfg(feature = "alloc")]
pub fn varint_encode(values: &[u64]) -> alloc::vec::Vec<u8> {
    let len = values.iter().map(|&v| scalar::encoded_len(v)).sum();
    let mut dst = alloc::vec![0; len];
    let written = scalar::encode(values, &mut dst);
    debug_assert_eq!(written, len);
    dst
}

/// Writes the LEB128 encoding of `values` (shortest form, concatenated) to the start of `dst`;
/// returns the number of bytes written. `10 * values.len()` bytes always suffice.
///
/// # Errors
/// [`KernelError::InvalidArgument`] (naming `dst`) if `dst` is shorter than the encoding;
/// `dst` is then left unchanged.
pub fn varint_encode_into(values: &[u64], dst: &mut [u8]) -> Result<usize, KernelError> {
    if dst.len() / 10 < values.len() {
        let len: usize = values.iter().map(|&v| scalar::encoded_len(v)).sum();
        if dst.len() < len {
            return Err(ENCODE_DST_SHORT);
        }
    }
    Ok(scalar::encode(values, dst))
}

/// Decodes the consecutive LEB128 varints of `data` (see the [module rules](self)).
///
/// ```
/// assert_eq!(binpipe_kernels::varint_decode(&[0x01, 0xAC, 0x02]), Ok(vec![1, 300]));
/// ```
///
/// # Errors
/// [`KernelError::InvalidData`] for a bad tenth byte (at its offset) or a varint cut off by
/// the end of `data` (at `data.len()`).
#[cfg(feature = "alloc")]
pub fn varint_decode(data: &[u8]) -> Result<alloc::vec::Vec<u64>, KernelError> {
    // Every varint ends with exactly one byte below 0x80: that many values at most.
    let ends = data.iter().filter(|&&b| b < 0x80).count();
    let mut dst = alloc::vec![0; ends];
    let count = scalar::decode(data, &mut dst)?;
    dst.truncate(count);
    Ok(dst)
}

/// Decodes the consecutive LEB128 varints of `data` into the start of `dst`; returns how many
/// values were written. `dst.len() >= data.len()` always suffices.
///
/// # Errors
/// [`KernelError::InvalidData`] as for [`varint_decode`]; [`KernelError::InvalidArgument`]
/// (naming `dst`) if `dst` fills up before the data ends (see the [module rules](self) for
/// which error is reported when both apply). On error, `dst` holds an unspecified prefix.
pub fn varint_decode_into(data: &[u8], dst: &mut [u64]) -> Result<usize, KernelError> {
    scalar::decode(data, dst)
}

impl crate::Kernels {
    /// [`crate::varint_decode_into`] on this tier.
    ///
    /// # Errors
    /// As [`crate::varint_decode_into`].
    pub fn varint_decode_into(&self, data: &[u8], dst: &mut [u64]) -> Result<usize, KernelError> {
        let _ = self.isa();
        scalar::decode(data, dst)
    }
}
