//! Unsigned LEB128 (protobuf varint) encoding and decoding of `u64` values.
//!
//! A value is written seven bits at a time, least significant group first; every byte but the
//! last has its high bit (the *continuation bit*) set. The encoder writes the shortest form:
//! 1 byte for values below 2^7, up to 10 bytes for values of 2^63 and above.
//!
//! The decoding rules and error offsets are stated on [`varint_decode`]; the `_into` forms add
//! the `dst`-full error. The scalar reference (`scalar.rs`) is their literal transcription.

mod scalar;
mod simd;
mod word;

use crate::dispatch::cached_dispatch;
use crate::{Isa, KernelError};

/// Signature of every encoder: `(values, dst) -> bytes written`. Callers promise that `dst`
/// holds the encoding.
type EncodeFn = unsafe fn(&[u64], &mut [u8]) -> usize;

/// Signature of every decoder: `(data, dst) -> values written` (the module's rules).
type DecodeFn = unsafe fn(&[u8], &mut [u64]) -> Result<usize, KernelError>;

/// The encoder for `isa`: the reference for [`Isa::Scalar`], else the word encoder (see
/// `word.rs`), with BMI2's `pdep` on the AVX2 and AVX-512 tiers where it is fast. Encoding
/// stays scalar: the output of each value is a variable-length store, so vectors would only
/// spread the 7-bit groups, which `pdep` does in one instruction and the shift form in a
/// dozen; the word encoder already matches `varint-simd` (see the bench).
fn select_encode(isa: Isa) -> EncodeFn {
    match isa {
        Isa::Scalar => scalar::encode,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 | Isa::Avx512 if simd::x86::has_fast_pdep() => simd::x86::encode_bmi2,
        _ => word::encode,
    }
}

/// The fastest decoder that a CPU running `isa` supports.
fn select_decode(isa: Isa) -> DecodeFn {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Sse2 => simd::x86::decode_sse2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => simd::x86::decode_avx2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => simd::x86::decode_avx512,
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        Isa::Neon => simd::neon::decode_neon,
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Isa::Simd128 => simd::simd128::decode_simd128,
        _ => scalar::decode,
    }
}

cached_dispatch!(
    /// Encoding on the best tier for this CPU.
    varint_encode_best(values: &[u64], dst: &mut [u8]) -> usize = select_encode, "varint-encode"
);

cached_dispatch!(
    /// Decoding on the best tier for this CPU.
    varint_decode_best(data: &[u8], dst: &mut [u64]) -> Result<usize, KernelError> = select_decode, "varint-decode"
);

/// The error for a `dst` too short for the encoding.
const ENCODE_DST_SHORT: KernelError =
    KernelError::InvalidArgument("dst is too short for the encoded values");

/// Length of the encoding of `values`.
fn encoded_len(values: &[u64]) -> usize {
    values.iter().map(|&v| scalar::encoded_len(v)).sum()
}

/// Checks that `dst` holds the encoding of `values` (10 bytes a value always do).
fn check_encode_dst(values: &[u64], dst: &[u8]) -> Result<(), KernelError> {
    if dst.len() / 10 < values.len() && dst.len() < encoded_len(values) {
        return Err(ENCODE_DST_SHORT);
    }
    Ok(())
}

/// LEB128 encoding of every value of `values`, shortest form, concatenated.
///
/// ```
/// assert_eq!(binpipe_kernels::varint_encode(&[1, 300]), [0x01, 0xAC, 0x02]);
/// ```
#[cfg(feature = "alloc")]
pub fn varint_encode(values: &[u64]) -> alloc::vec::Vec<u8> {
    let mut dst = alloc::vec![0; encoded_len(values)];
    varint_encode_best(values, &mut dst);
    dst
}

/// Writes the LEB128 encoding of `values` (shortest form, concatenated) to the start of `dst`;
/// returns the number of bytes written. `10 * values.len()` bytes always suffice; bytes of
/// `dst` past the encoding are left unchanged.
///
/// # Errors
/// [`KernelError::InvalidArgument`] (naming `dst`) if `dst` is shorter than the encoding;
/// `dst` is then left unchanged.
pub fn varint_encode_into(values: &[u64], dst: &mut [u8]) -> Result<usize, KernelError> {
    check_encode_dst(values, dst)?;
    Ok(varint_encode_best(values, dst))
}

/// Decodes the consecutive LEB128 varints of `data`.
///
/// A varint ends at its first byte below `0x80`; non-shortest forms (`80 00` for 0) are
/// accepted. Only the tenth byte of a varint is special: it carries bit 63 alone, so it must
/// be `0x00` or `0x01`. Errors follow the offset rule of `KERNELS.md` (the offset is the
/// length of the longest prefix that can still be extended to a valid input), and the first
/// one in the data wins:
/// - a tenth byte with the continuation bit set (an eleventh byte would be needed) or of
///   `0x02..=0x7F` (the value would exceed `u64::MAX`) is [`KernelError::InvalidData`] at the
///   offset of that tenth byte, whether or not more data follows;
/// - a varint of at most nine bytes still unfinished when the data ends is
///   [`KernelError::InvalidData`] at `data.len()` (truncation).
///
/// ```
/// assert_eq!(binpipe_kernels::varint_decode(&[0x01, 0xAC, 0x02]), Ok(vec![1, 300]));
/// let bad = binpipe_kernels::varint_decode(&[0x05, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF,
///                                            0xFF, 0xFF, 0x02]);
/// assert!(matches!(bad, Err(binpipe_kernels::KernelError::InvalidData { offset: 10, .. })));
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
    let count = varint_decode_best(data, &mut dst)?;
    dst.truncate(count);
    Ok(dst)
}

/// Decodes the consecutive LEB128 varints of `data` into the start of `dst`; returns how many
/// values were written. `dst.len() >= data.len()` always suffices.
///
/// # Errors
/// [`KernelError::InvalidData`] as for [`varint_decode`]; [`KernelError::InvalidArgument`]
/// (naming `dst`) if `dst` fills up before the data ends, reported when the first value that
/// does not fit has been decoded (a data error before that point is reported instead). On
/// error, `dst` holds an unspecified prefix.
pub fn varint_decode_into(data: &[u8], dst: &mut [u64]) -> Result<usize, KernelError> {
    varint_decode_best(data, dst)
}

impl crate::Kernels {
    /// [`crate::varint_encode_into`] on this tier.
    ///
    /// # Errors
    /// As [`crate::varint_encode_into`].
    pub fn varint_encode_into(&self, values: &[u64], dst: &mut [u8]) -> Result<usize, KernelError> {
        check_encode_dst(values, dst)?;
        let kernel = select_encode(self.isa());
        // SAFETY: `Kernels` exists only for a tier this CPU runs, and `select_encode` honours
        // it; `dst` holds the encoding (checked above).
        Ok(unsafe { kernel(values, dst) })
    }

    /// [`crate::varint_decode_into`] on this tier.
    ///
    /// # Errors
    /// As [`crate::varint_decode_into`].
    pub fn varint_decode_into(&self, data: &[u8], dst: &mut [u64]) -> Result<usize, KernelError> {
        let kernel = select_decode(self.isa());
        // SAFETY: as in `varint_encode_into`: the tier was checked and `select_decode`
        // honours it.
        unsafe { kernel(data, dst) }
    }
}
