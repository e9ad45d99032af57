//! Bit packing of `u32` values at a fixed width of `bits` (0..=32) bits, and its inverse.
//!
//! Value `i` occupies bits `[i*bits, (i+1)*bits)` of a little-endian bit stream: stream bit
//! `k` is bit `k % 8` of byte `k / 8`. Packing `n` values gives `ceil(n*bits/8)` bytes whose
//! unused high bits are zero. (This is the layout of Parquet's bit-packed runs and of a plain
//! LSB-first bit writer; the `bitpacking` crate's block layouts differ.)

mod scalar;

use crate::KernelError;

/// Number of bytes that `count` values of `bits` bits fill: `ceil(count * bits / 8)`.
#[inline(always)]
fn packed_len(count: u64, bits: u32) -> u64 {
    (count * u64::from(bits)).div_ceil(8)
}

/// Checks `bits` and returns it widened.
#[inline(always)]
fn check_bits(bits: u8) -> Result<u32, KernelError> {
    if bits > 32 {
        return Err(KernelError::InvalidArgument("bits must be in 0..=32"));
    }
    Ok(u32::from(bits))
}

/// The error for a value that does not fit in `bits` bits.
const VALUE_TOO_WIDE: KernelError =
    KernelError::InvalidArgument("values: a value does not fit in `bits` bits");

/// Packs `values` at `bits` bits each into a new vector of `ceil(values.len() * bits / 8)`
/// bytes.
///
/// ```
/// // 1, 2, 3 at 3 bits: stream bits 001 010 011 (LSB first) = 0b1101_0001, 0b0000_0000 ...
/// assert_eq!(binpipe_kernels::bitpack(&[1, 2, 3], 3), Ok(vec![0xD1, 0x00]));
/// ```
///
/// # Errors
/// [`KernelError::InvalidArgument`] if `bits > 32` or a value is `2^bits` or more.
#[cfg(feature = "alloc")]
pub fn bitpack(values: &[u32], bits: u8) -> Result<alloc::vec::Vec<u8>, KernelError> {
    let wide = check_bits(bits)?;
    // At most 4 bytes per value, so the length fits in usize when `values` does.
    let len = packed_len(values.len() as u64, wide) as usize;
    let mut dst = alloc::vec![0; len];
    bitpack_into(values, bits, &mut dst)?;
    Ok(dst)
}

/// Packs `values` at `bits` bits each into the first `ceil(values.len() * bits / 8)` bytes of
/// `dst`; returns that length. Bytes of `dst` past it are left unchanged.
///
/// # Errors
/// [`KernelError::InvalidArgument`] if `bits > 32`, if `dst` is shorter than the packed
/// length, or if a value is `2^bits` or more (checked in that order; on the last error, `dst`
/// holds unspecified bytes).
pub fn bitpack_into(values: &[u32], bits: u8, dst: &mut [u8]) -> Result<usize, KernelError> {
    let wide = check_bits(bits)?;
    let len = packed_len(values.len() as u64, wide) as usize;
    let Some(dst) = dst.get_mut(..len) else {
        return Err(KernelError::InvalidArgument(
            "dst is too short for the packed values",
        ));
    };
    if scalar::first_too_wide(values, wide).is_some() {
        return Err(VALUE_TOO_WIDE);
    }
    scalar::pack(values, wide, dst);
    Ok(len)
}

/// Unpacks `count` values of `bits` bits each from the start of `data` into a new vector.
/// Bytes past `ceil(count * bits / 8)` are ignored.
///
/// ```
/// assert_eq!(binpipe_kernels::bitunpack(&[0xD1, 0x00], 3, 3), Ok(vec![1, 2, 3]));
/// ```
///
/// # Errors
/// [`KernelError::InvalidArgument`] if `bits > 32`; [`KernelError::InvalidData`] at
/// `data.len()` if `data` is shorter than `ceil(count * bits / 8)` bytes (truncation);
/// [`KernelError::TooLarge`] (carrying `isize::MAX`, the largest possible allocation in
/// bytes) if the output cannot be allocated — only possible for `bits == 0` or a tiny `bits`
/// with a huge `count`.
#[cfg(feature = "alloc")]
pub fn bitunpack(data: &[u8], bits: u8, count: u32) -> Result<alloc::vec::Vec<u32>, KernelError> {
    let wide = check_bits(bits)?;
    check_data(data, wide, count)?;
    let mut dst = alloc::vec::Vec::new();
    if dst.try_reserve_exact(count as usize).is_err() {
        return Err(KernelError::TooLarge(isize::MAX as u64));
    }
    dst.resize(count as usize, 0);
    bitunpack_into(data, bits, count, &mut dst)?;
    Ok(dst)
}

/// The truncation error if `data` holds fewer than `ceil(count * bits / 8)` bytes.
#[inline(always)]
fn check_data(data: &[u8], bits: u32, count: u32) -> Result<(), KernelError> {
    if (data.len() as u64) < packed_len(u64::from(count), bits) {
        return Err(KernelError::InvalidData {
            offset: data.len() as u64,
            message: "bit-packed data cut off before `count` values",
        });
    }
    Ok(())
}

/// Unpacks `count` values of `bits` bits each from the start of `data` into `dst[..count]`.
/// Bytes of `data` past `ceil(count * bits / 8)` are ignored, elements of `dst` past `count`
/// left unchanged.
///
/// # Errors
/// [`KernelError::InvalidArgument`] if `bits > 32` or `dst.len() < count`;
/// [`KernelError::InvalidData`] at `data.len()` if `data` is shorter than
/// `ceil(count * bits / 8)` bytes (checked in that order).
pub fn bitunpack_into(
    data: &[u8],
    bits: u8,
    count: u32,
    dst: &mut [u32],
) -> Result<(), KernelError> {
    let wide = check_bits(bits)?;
    let Some(dst) = dst.get_mut(..count as usize) else {
        return Err(KernelError::InvalidArgument("dst is shorter than count"));
    };
    check_data(data, wide, count)?;
    scalar::unpack(data, wide, dst);
    Ok(())
}

impl crate::Kernels {
    /// [`crate::bitpack_into`] on this tier.
    ///
    /// # Errors
    /// As [`crate::bitpack_into`].
    pub fn bitpack_into(
        &self,
        values: &[u32],
        bits: u8,
        dst: &mut [u8],
    ) -> Result<usize, KernelError> {
        let _ = self.isa();
        bitpack_into(values, bits, dst)
    }

    /// [`crate::bitunpack_into`] on this tier.
    ///
    /// # Errors
    /// As [`crate::bitunpack_into`].
    pub fn bitunpack_into(
        &self,
        data: &[u8],
        bits: u8,
        count: u32,
        dst: &mut [u32],
    ) -> Result<(), KernelError> {
        let _ = self.isa();
        bitunpack_into(data, bits, count, dst)
    }
}
