//! Base64 (RFC 4648) encoding and strict decoding, in the standard or the URL-safe alphabet,
//! with or without `=` padding.
//!
//! Encoding turns each group of 3 bytes into 4 characters; a final group of 1 or 2 bytes
//! becomes 2 or 3 characters, followed with `padding` by `==` or `=`. The unused low bits of
//! the last character are zero.
//!
//! Decoding is strict; its rules and error offsets are in [`base64_decode`]'s documentation.
//! `first_error` in `scalar.rs` transcribes them literally; every decoder reports what it says.
//!
//! # Implementations
//! The scalar reference (`scalar.rs`) and one vector algorithm (`simd.rs`, after Muła and
//! Lemire) over the lane primitives in `hex/text_ops/`: AVX2 and AVX-512 chosen at run time,
//! NEON and simd128 at compile time. The SSE2 tier runs the scalar code: the lookups and byte
//! reshuffles need `pshufb` (SSSE3), which SSE2 lacks, and no SSE2 emulation was written
//! (x86_64 CPUs without SSSE3 are pre-2006 designs).

mod scalar;
mod simd;

use crate::dispatch::cached_dispatch;
use crate::{Alphabet, Isa, KernelError};

/// Signature shared by every encoder: `(data, alphabet, padding, dst)`; callers guarantee that
/// `dst` holds the encoded length.
type EncodeFn = unsafe fn(&[u8], Alphabet, bool, &mut [u8]);

/// Signature shared by every decoder: `(data, alphabet, padding, dst) -> bytes written or
/// error`; callers guarantee `dst.len() >= 3 * ceil(data.len() / 4)`.
type DecodeFn = unsafe fn(&[u8], Alphabet, bool, &mut [u8]) -> Result<usize, KernelError>;

/// The fastest encoder that a CPU running `isa` supports. SSE2 has no byte shuffle, so that
/// tier runs the scalar code.
fn select_encode(isa: Isa) -> EncodeFn {
    match isa {
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

/// The fastest decoder that a CPU running `isa` supports (scalar on SSE2, as for encoding).
fn select_decode(isa: Isa) -> DecodeFn {
    match isa {
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
    /// Base64 encoding on the best tier for this CPU.
    base64_encode_best(data: &[u8], alphabet: Alphabet, padding: bool, dst: &mut [u8]) -> () = select_encode, "base64-encode"
);

cached_dispatch!(
    /// Base64 decoding on the best tier for this CPU.
    base64_decode_best(data: &[u8], alphabet: Alphabet, padding: bool, dst: &mut [u8]) -> Result<usize, KernelError> = select_decode, "base64-decode"
);

/// Checks `base64_encode_into`'s arguments; returns the encoded length.
fn check_encode(data: &[u8], padding: bool, dst: &[u8]) -> Result<usize, KernelError> {
    // 4 * ceil(n / 3) <= usize::MAX exactly when n <= 3 * (usize::MAX / 4).
    let len = base64_encoded_len(data.len(), padding)
        .ok_or(KernelError::TooLarge((usize::MAX / 4 * 3) as u64))?;
    if dst.len() < len {
        return Err(KernelError::InvalidArgument(
            "dst must hold base64_encoded_len(data.len(), padding) bytes",
        ));
    }
    Ok(len)
}

/// The `dst` length the decoders require: `3 * ceil(len / 4)`.
const fn decode_capacity(len: usize) -> usize {
    3 * (len / 4 + if len.is_multiple_of(4) { 0 } else { 1 })
}

/// Checks `base64_decode_into`'s arguments.
fn check_decode(data: &[u8], dst: &[u8]) -> Result<(), KernelError> {
    if dst.len() < decode_capacity(data.len()) {
        return Err(KernelError::InvalidArgument(
            "dst must hold 3 * ceil(data.len() / 4) bytes",
        ));
    }
    Ok(())
}

/// Length of the base64 encoding of `n` bytes: `4 * ceil(n / 3)` with `padding`, else
/// `ceil(4 * n / 3)`; `None` if it does not fit in `usize`.
///
/// ```
/// assert_eq!(binpipe_kernels::base64_encoded_len(4, true), Some(8));
/// assert_eq!(binpipe_kernels::base64_encoded_len(4, false), Some(6));
/// ```
pub fn base64_encoded_len(n: usize, padding: bool) -> Option<usize> {
    scalar::encoded_len(n, padding)
}

/// RFC 4648 base64 of `data` in `alphabet`; with `padding`, `=`-padded to a multiple of 4
/// characters.
///
/// ```
/// use binpipe_kernels::{Alphabet, base64_encode};
/// assert_eq!(base64_encode(b"\xfb\xff", Alphabet::Standard, true), b"+/8=");
/// assert_eq!(base64_encode(b"\xfb\xff", Alphabet::UrlSafe, false), b"-_8");
/// ```
#[cfg(feature = "alloc")]
pub fn base64_encode(data: &[u8], alphabet: Alphabet, padding: bool) -> alloc::vec::Vec<u8> {
    // A slice holds at most isize::MAX bytes, and 4 * ceil(isize::MAX / 3) < usize::MAX.
    let len = base64_encoded_len(data.len(), padding).unwrap_or_default();
    let mut dst = alloc::vec![0; len];
    base64_encode_best(data, alphabet, padding, &mut dst);
    dst
}

/// Writes the base64 encoding of `data` (as [`base64_encode`]) to the start of `dst`; returns
/// the number of bytes written, [`base64_encoded_len`]`(data.len(), padding)`.
///
/// # Errors
/// [`KernelError::InvalidArgument`] (naming `dst`) if `dst` is shorter than the encoding;
/// [`KernelError::TooLarge`] if the encoded length overflows `usize`.
pub fn base64_encode_into(
    data: &[u8],
    alphabet: Alphabet,
    padding: bool,
    dst: &mut [u8],
) -> Result<usize, KernelError> {
    let len = check_encode(data, padding, dst)?;
    base64_encode_best(data, alphabet, padding, dst);
    Ok(len)
}

/// Strictly decodes base64 in `alphabet`, padded or not as `padding` says.
///
/// ```
/// use binpipe_kernels::{Alphabet, KernelError, base64_decode};
/// assert_eq!(base64_decode(b"+/8=", Alphabet::Standard, true), Ok(vec![0xfb, 0xff]));
/// // Without padding, `=` is a bad byte.
/// assert!(matches!(
///     base64_decode(b"+/8=", Alphabet::Standard, false),
///     Err(KernelError::InvalidData { offset: 3, .. })
/// ));
/// ```
///
/// # Errors
/// Decoding is strict, and accepts exactly the encoder's outputs (for the same alphabet and
/// padding): characters of the alphabet only (no whitespace, no line breaks, no characters of
/// the other alphabet); with `padding`, a length that is a multiple of 4 and exact `=`
/// padding; without it, no `=` at all; and zero unused bits in the last character (canonical
/// encoding). Following the offset rule of `KERNELS.md` (the offset of an error is the length
/// of the longest prefix that can still be extended to a valid input), the first violation
/// found from the start is reported, as [`KernelError::InvalidData`] at:
/// - a byte outside the alphabet: its offset. Without `padding`, `=` is such a byte;
/// - with `padding`, a `=` at position 0 or 1 of a group of 4: its offset;
/// - with `padding`, a `=` after a character whose unused bits are not zero (the second
///   character of `xx==`, the third of `xxx=`): the offset of that `=` — the input up to it
///   can still be completed (`xx` by two more characters), the `=` cannot;
/// - with `padding`, any character after a group that ends in `=`: its offset;
/// - with `padding`, a length that is not a multiple of 4 (and no error before): `data.len()`
///   (truncation: the padding is missing);
/// - without `padding`, a length of `4k + 1` (and no error before): `data.len()` (truncation:
///   a final group of one character);
/// - without `padding`, a last character of a final group of 2 or 3 with non-zero unused bits
///   (and no error before): `data.len()`, because more characters would make the input valid
///   (`xx` with unused bits set is a prefix of the valid `xxyy`); the offset rule leaves no
///   other choice.
#[cfg(feature = "alloc")]
pub fn base64_decode(
    data: &[u8],
    alphabet: Alphabet,
    padding: bool,
) -> Result<alloc::vec::Vec<u8>, KernelError> {
    let mut dst = alloc::vec![0; decode_capacity(data.len())];
    let len = base64_decode_best(data, alphabet, padding, &mut dst)?;
    dst.truncate(len);
    Ok(dst)
}

/// Decodes base64 (as [`base64_decode`]) into the start of `dst`; returns the number of bytes
/// written.
///
/// # Errors
/// [`KernelError::InvalidArgument`] (naming `dst`) if `dst` is shorter than `3 *
/// ceil(data.len() / 4)`; then [`KernelError::InvalidData`] as for [`base64_decode`]. After an
/// error `dst` holds unspecified bytes.
pub fn base64_decode_into(
    data: &[u8],
    alphabet: Alphabet,
    padding: bool,
    dst: &mut [u8],
) -> Result<usize, KernelError> {
    check_decode(data, dst)?;
    base64_decode_best(data, alphabet, padding, dst)
}

impl crate::Kernels {
    /// [`crate::base64_encode_into`] on this tier.
    ///
    /// # Errors
    /// As [`crate::base64_encode_into`].
    pub fn base64_encode_into(
        &self,
        data: &[u8],
        alphabet: Alphabet,
        padding: bool,
        dst: &mut [u8],
    ) -> Result<usize, KernelError> {
        let len = check_encode(data, padding, dst)?;
        let kernel = select_encode(self.isa());
        // SAFETY: `Kernels::new` checked that the CPU runs this tier, `select_encode` returns
        // only implementations the tier can run, and `check_encode` sized `dst`.
        unsafe { kernel(data, alphabet, padding, dst) };
        Ok(len)
    }

    /// [`crate::base64_decode_into`] on this tier.
    ///
    /// # Errors
    /// As [`crate::base64_decode_into`].
    pub fn base64_decode_into(
        &self,
        data: &[u8],
        alphabet: Alphabet,
        padding: bool,
        dst: &mut [u8],
    ) -> Result<usize, KernelError> {
        check_decode(data, dst)?;
        let kernel = select_decode(self.isa());
        // SAFETY: as in `base64_encode_into`; `check_decode` sized `dst`.
        unsafe { kernel(data, alphabet, padding, dst) }
    }
}
