//! Bit packing of `u32` values at a fixed width of `bits` (0..=32) bits, and its inverse.
//!
//! Value `i` occupies bits `[i*bits, (i+1)*bits)` of a little-endian bit stream: stream bit
//! `k` is bit `k % 8` of byte `k / 8`. Packing `n` values gives `ceil(n*bits/8)` bytes whose
//! unused high bits are zero. (This is the layout of Parquet's bit-packed runs and of a plain
//! LSB-first bit writer; the `bitpacking` crate's block layouts differ.)

mod scalar;
mod simd;
mod word;

use crate::dispatch::cached_dispatch;
use crate::{Isa, KernelError};

/// Signature of every packer: `(values, bits, dst)`; every value is below `2^bits`, `bits` is
/// in 0..=32 and `dst` is exactly the packed length.
type PackFn = unsafe fn(&[u32], u32, &mut [u8]);

/// Signature of every unpacker: `(data, bits, dst)` fills `dst`; `bits` is in 0..=32 and
/// `data` holds at least the packed length of `dst.len()` values.
type UnpackFn = unsafe fn(&[u8], u32, &mut [u32]);

/// The packer for `isa`: the reference for [`Isa::Scalar`], else the word-at-a-time packer
/// (see `word.rs` for why no tier has a vector packer).
fn select_pack(isa: Isa) -> PackFn {
    match isa {
        Isa::Scalar => scalar::pack,
        _ => word::pack,
    }
}

/// The fastest unpacker that a CPU running `isa` supports.
fn select_unpack(isa: Isa) -> UnpackFn {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => simd::x86::unpack_avx2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => simd::x86::unpack_avx512,
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        Isa::Neon => simd::neon::unpack_neon,
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Isa::Simd128 => simd::simd128::unpack_simd128,
        Isa::Scalar => scalar::unpack,
        _ => word::unpack,
    }
}

cached_dispatch!(
    /// Packing on the best tier for this CPU.
    bitpack_best(values: &[u32], bits: u32, dst: &mut [u8]) -> () = select_pack, "bitpack"
);

cached_dispatch!(
    /// Unpacking on the best tier for this CPU.
    bitunpack_best(data: &[u8], bits: u32, dst: &mut [u32]) -> () = select_unpack, "bitunpack"
);

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

/// Checks the arguments of a pack; returns `bits` widened and `dst` cut to the packed length.
fn check_pack<'d>(
    values: &[u32],
    bits: u8,
    dst: &'d mut [u8],
) -> Result<(u32, &'d mut [u8]), KernelError> {
    let wide = check_bits(bits)?;
    // At most 4 bytes per value, so the length fits in usize when `values` does.
    let len = packed_len(values.len() as u64, wide) as usize;
    let Some(dst) = dst.get_mut(..len) else {
        return Err(KernelError::InvalidArgument(
            "dst is too short for the packed values",
        ));
    };
    // An or of every value has a bit at or above `bits` iff some value does.
    let all = values.iter().fold(0, |acc, &v| acc | v);
    if wide < 32 && all >> wide != 0 {
        return Err(KernelError::InvalidArgument(
            "values: a value does not fit in `bits` bits",
        ));
    }
    Ok((wide, dst))
}

/// Checks the arguments of an unpack; returns `bits` widened and `dst` cut to `count`.
fn check_unpack<'d>(
    data: &[u8],
    bits: u8,
    count: u32,
    dst: &'d mut [u32],
) -> Result<(u32, &'d mut [u32]), KernelError> {
    let wide = check_bits(bits)?;
    let Some(dst) = dst.get_mut(..count as usize) else {
        return Err(KernelError::InvalidArgument("dst is shorter than count"));
    };
    check_data(data, wide, count)?;
    Ok((wide, dst))
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

/// Packs `values` at `bits` bits each into a new vector of `ceil(values.len() * bits / 8)`
/// bytes: value `i` occupies bits `[i*bits, (i+1)*bits)` of a little-endian bit stream
/// (stream bit `k` is bit `k % 8` of byte `k / 8`); unused high bits of the last byte are
/// zero. This is the layout of Parquet's bit-packed runs, not the `bitpacking` crate's.
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
/// length, or if a value is `2^bits` or more (checked in that order, before anything is
/// written: `dst` is then unchanged).
pub fn bitpack_into(values: &[u32], bits: u8, dst: &mut [u8]) -> Result<usize, KernelError> {
    let (wide, dst) = check_pack(values, bits, dst)?;
    bitpack_best(values, wide, dst);
    Ok(dst.len())
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
    let (wide, dst) = check_unpack(data, bits, count, dst)?;
    bitunpack_best(data, wide, dst);
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
        let (wide, dst) = check_pack(values, bits, dst)?;
        let kernel = select_pack(self.isa());
        // SAFETY: `Kernels` exists only for a tier this CPU runs, and `select_pack` honours
        // it; `check_pack` established the kernel's preconditions.
        unsafe { kernel(values, wide, dst) };
        Ok(dst.len())
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
        let (wide, dst) = check_unpack(data, bits, count, dst)?;
        let kernel = select_unpack(self.isa());
        // SAFETY: as in `bitpack_into`, with `check_unpack` for the preconditions.
        unsafe { kernel(data, wide, dst) };
        Ok(())
    }
}
