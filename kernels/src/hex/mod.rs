//! Hex (base 16) encoding and decoding.
//!
//! Encoding writes two digits per byte, high nibble first, `0-9a-f` or (with `uppercase`)
//! `0-9A-F`. Decoding accepts the digits `0-9 a-f A-F` and nothing else (no whitespace, no
//! `0x` prefix), in either case, mixed freely.
//!
//! # Decoding errors
//! Following the offset rule of `KERNELS.md` (the offset is the length of the longest prefix
//! that can still be extended to a valid input):
//! - the first byte that is not a hex digit: [`KernelError::InvalidData`] at its offset,
//!   whatever follows it (also when the length is odd);
//! - otherwise an odd number of digits is truncation: [`KernelError::InvalidData`] at
//!   `data.len()`.
//!
//! # Implementations
//! The scalar reference (`scalar.rs`) and one vector algorithm (`simd.rs`) over the lane
//! primitives of `text_ops/`, which base64 shares: SSE2 (compare-and-add digits, no `pshufb`),
//! AVX2 and AVX-512 chosen at run time, NEON and simd128 at compile time. The vector decoder
//! only tells valid from invalid; on invalid input the scalar reference reports the offset.

mod scalar;
mod simd;
pub(crate) mod text_ops;

use crate::dispatch::cached_dispatch;
use crate::{Isa, KernelError};

/// Signature shared by every encoder: `(data, uppercase, dst)`; callers guarantee
/// `dst.len() >= 2 * data.len()`.
type EncodeFn = unsafe fn(&[u8], bool, &mut [u8]);

/// Signature shared by every decoder: `(data, dst) -> bytes written or error`; callers
/// guarantee `dst.len() >= data.len() / 2`.
type DecodeFn = unsafe fn(&[u8], &mut [u8]) -> Result<usize, KernelError>;

/// The fastest encoder that a CPU running `isa` supports.
fn select_encode(isa: Isa) -> EncodeFn {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Sse2 => simd::x86::encode_sse2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => simd::x86::encode_avx2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => simd::x86::encode_avx512,
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        Isa::Neon => simd::encode_neon,
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Isa::Simd128 => simd::encode_simd128,
        _ => scalar::encode,
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
        Isa::Neon => simd::decode_neon,
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Isa::Simd128 => simd::decode_simd128,
        _ => scalar::decode,
    }
}

cached_dispatch!(
    /// Hex encoding on the best tier for this CPU.
    hex_encode_best(data: &[u8], uppercase: bool, dst: &mut [u8]) -> () = select_encode, "hex-encode"
);

cached_dispatch!(
    /// Hex decoding on the best tier for this CPU.
    hex_decode_best(data: &[u8], dst: &mut [u8]) -> Result<usize, KernelError> = select_decode, "hex-decode"
);

/// The encoded length of `len` bytes, or the error for a `len` whose encoding would not fit in
/// memory.
fn encoded_len(len: usize) -> Result<usize, KernelError> {
    len.checked_mul(2)
        .ok_or(KernelError::TooLarge((usize::MAX / 2) as u64))
}

/// Checks `hex_encode_into`'s arguments; returns the encoded length.
fn check_encode(data: &[u8], dst: &[u8]) -> Result<usize, KernelError> {
    let len = encoded_len(data.len())?;
    if dst.len() < len {
        return Err(KernelError::InvalidArgument(
            "dst must hold 2 * data.len() bytes",
        ));
    }
    Ok(len)
}

/// Checks `hex_decode_into`'s arguments.
fn check_decode(data: &[u8], dst: &[u8]) -> Result<(), KernelError> {
    if dst.len() < data.len() / 2 {
        return Err(KernelError::InvalidArgument(
            "dst must hold data.len() / 2 bytes",
        ));
    }
    Ok(())
}

/// Two hex digits per byte of `data`, high nibble first; `a-f` or, with `uppercase`, `A-F`.
///
/// ```
/// assert_eq!(binpipe_kernels::hex_encode(&[0x01, 0xAB], false), b"01ab");
/// assert_eq!(binpipe_kernels::hex_encode(&[0x01, 0xAB], true), b"01AB");
/// ```
#[cfg(feature = "alloc")]
pub fn hex_encode(data: &[u8], uppercase: bool) -> alloc::vec::Vec<u8> {
    // A slice holds at most isize::MAX bytes, so doubling its length cannot overflow.
    let mut dst = alloc::vec![0; 2 * data.len()];
    hex_encode_best(data, uppercase, &mut dst);
    dst
}

/// Writes the hex encoding of `data` (as [`hex_encode`]) to the start of `dst`; returns the
/// number of bytes written, `2 * data.len()`.
///
/// # Errors
/// [`KernelError::InvalidArgument`] (naming `dst`) if `dst` is shorter than `2 * data.len()`;
/// [`KernelError::TooLarge`] if `2 * data.len()` overflows `usize`.
pub fn hex_encode_into(data: &[u8], uppercase: bool, dst: &mut [u8]) -> Result<usize, KernelError> {
    let len = check_encode(data, dst)?;
    hex_encode_best(data, uppercase, dst);
    Ok(len)
}

/// Decodes hex digits (`0-9 a-f A-F`, no whitespace, no `0x` prefix) into bytes.
///
/// ```
/// assert_eq!(binpipe_kernels::hex_decode(b"01aB"), Ok(vec![0x01, 0xAB]));
/// assert!(binpipe_kernels::hex_decode(b"0x").is_err());
/// ```
///
/// # Errors
/// [`KernelError::InvalidData`] at the first byte that is not a hex digit, or at `data.len()`
/// if the number of digits is odd.
#[cfg(feature = "alloc")]
pub fn hex_decode(data: &[u8]) -> Result<alloc::vec::Vec<u8>, KernelError> {
    let mut dst = alloc::vec![0; data.len() / 2];
    hex_decode_best(data, &mut dst)?;
    Ok(dst)
}

/// Decodes hex digits into the start of `dst` (as [`hex_decode`]); returns the number of bytes
/// written, `data.len() / 2`.
///
/// # Errors
/// [`KernelError::InvalidArgument`] (naming `dst`) if `dst` is shorter than `data.len() / 2`;
/// then [`KernelError::InvalidData`] as for [`hex_decode`]. After an error `dst` holds
/// unspecified bytes.
pub fn hex_decode_into(data: &[u8], dst: &mut [u8]) -> Result<usize, KernelError> {
    check_decode(data, dst)?;
    hex_decode_best(data, dst)
}

impl crate::Kernels {
    /// [`crate::hex_encode_into`] on this tier.
    ///
    /// # Errors
    /// As [`crate::hex_encode_into`].
    pub fn hex_encode_into(
        &self,
        data: &[u8],
        uppercase: bool,
        dst: &mut [u8],
    ) -> Result<usize, KernelError> {
        let len = check_encode(data, dst)?;
        let kernel = select_encode(self.isa());
        // SAFETY: `Kernels::new` checked that the CPU runs this tier, `select_encode` returns
        // only implementations the tier can run, and `check_encode` sized `dst`.
        unsafe { kernel(data, uppercase, dst) };
        Ok(len)
    }

    /// [`crate::hex_decode_into`] on this tier.
    ///
    /// # Errors
    /// As [`crate::hex_decode_into`].
    pub fn hex_decode_into(&self, data: &[u8], dst: &mut [u8]) -> Result<usize, KernelError> {
        check_decode(data, dst)?;
        let kernel = select_decode(self.isa());
        // SAFETY: as in `hex_encode_into`; `check_decode` sized `dst`.
        unsafe { kernel(data, dst) }
    }
}
