//! Byte swap: reverses the bytes of every 2-, 4- or 8-byte element.

mod scalar;
mod simd;
mod vector;

use crate::dispatch::cached_dispatch;
use crate::{Isa, KernelError};

/// Signature of every byte swap implementation: `(src, width, dst)`.
///
/// Callers guarantee `dst.len() == src.len()` and `width` in {2, 4, 8} (see [`check_args`]).
pub(crate) type ByteswapFn = unsafe fn(&[u8], usize, &mut [u8]);

/// Signature of every in-place byte swap implementation: `(buf, width)`.
///
/// Callers guarantee `width` in {2, 4, 8} (see [`check_width`]).
pub(crate) type ByteswapInPlaceFn = unsafe fn(&mut [u8], usize);

/// Validates `width`; returns it as `usize`.
fn check_width(width: u8) -> Result<usize, KernelError> {
    if !matches!(width, 2 | 4 | 8) {
        return Err(KernelError::InvalidArgument("width must be 2, 4 or 8"));
    }
    Ok(usize::from(width))
}

/// Validates the public arguments; returns `width` as `usize`.
fn check_args(src: &[u8], width: u8, dst: &[u8]) -> Result<usize, KernelError> {
    let width = check_width(width)?;
    if dst.len() != src.len() {
        return Err(KernelError::InvalidArgument(
            "dst length must equal src length",
        ));
    }
    Ok(width)
}

/// The fastest byte swap that a CPU running `isa` supports.
fn select(isa: Isa) -> ByteswapFn {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Sse2 => simd::byteswap_sse2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => simd::byteswap_avx2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => simd::byteswap_avx512,
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        Isa::Neon => simd::byteswap_neon,
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Isa::Simd128 => simd::byteswap_simd128,
        _ => scalar::byteswap,
    }
}

/// The fastest in-place byte swap that a CPU running `isa` supports.
fn select_in_place(isa: Isa) -> ByteswapInPlaceFn {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Sse2 => simd::byteswap_in_place_sse2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => simd::byteswap_in_place_avx2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => simd::byteswap_in_place_avx512,
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        Isa::Neon => simd::byteswap_in_place_neon,
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Isa::Simd128 => simd::byteswap_in_place_simd128,
        _ => scalar::byteswap_in_place,
    }
}

cached_dispatch!(
    /// Byte swap on the best tier for this CPU.
    best(src: &[u8], width: usize, dst: &mut [u8]) -> () = select, "byteswap"
);

cached_dispatch!(
    /// In-place byte swap on the best tier for this CPU.
    best_in_place(buf: &mut [u8], width: usize) -> () = select_in_place, "byteswap"
);

/// Reverses the bytes of every `width`-byte element of `src` into `dst`; the last
/// `src.len() % width` bytes are copied unchanged.
///
/// ```
/// let mut out = [0u8; 5];
/// binpipe_kernels::byteswap_into(&[1, 2, 3, 4, 5], 2, &mut out).unwrap();
/// assert_eq!(out, [2, 1, 4, 3, 5]);
/// ```
///
/// # Errors
/// [`KernelError::InvalidArgument`] if `width` is not 2, 4 or 8, or `dst.len() !=
/// src.len()`.
pub fn byteswap_into(src: &[u8], width: u8, dst: &mut [u8]) -> Result<(), KernelError> {
    let width = check_args(src, width, dst)?;
    best(src, width, dst);
    Ok(())
}

/// Reverses the bytes of every `width`-byte element of `buf` where it stands; the last
/// `buf.len() % width` bytes stay as they are. The same result as [`byteswap_into`] without a
/// second buffer.
///
/// ```
/// let mut buf = [1u8, 2, 3, 4, 5];
/// binpipe_kernels::byteswap_in_place(&mut buf, 4).unwrap();
/// assert_eq!(buf, [4, 3, 2, 1, 5]);
/// ```
///
/// # Errors
/// [`KernelError::InvalidArgument`] if `width` is not 2, 4 or 8.
pub fn byteswap_in_place(buf: &mut [u8], width: u8) -> Result<(), KernelError> {
    let width = check_width(width)?;
    best_in_place(buf, width);
    Ok(())
}

/// [`byteswap_into`] into a new vector.
///
/// # Errors
/// [`KernelError::InvalidArgument`] if `width` is not 2, 4 or 8.
#[cfg(feature = "alloc")]
pub fn byteswap(src: &[u8], width: u8) -> Result<alloc::vec::Vec<u8>, KernelError> {
    let mut dst = alloc::vec![0; src.len()];
    byteswap_into(src, width, &mut dst)?;
    Ok(dst)
}

impl crate::Kernels {
    /// [`byteswap_into`] on this tier.
    ///
    /// # Errors
    /// As [`byteswap_into`].
    pub fn byteswap_into(&self, src: &[u8], width: u8, dst: &mut [u8]) -> Result<(), KernelError> {
        let width = check_args(src, width, dst)?;
        let kernel = select(self.isa());
        // SAFETY: `Kernels::new` checked that the CPU runs this tier and `select` returns only
        // implementations it can run; `check_args` established the kernel's width and length
        // preconditions.
        unsafe { kernel(src, width, dst) };
        Ok(())
    }

    /// [`byteswap_in_place`] on this tier.
    ///
    /// # Errors
    /// As [`byteswap_in_place`].
    pub fn byteswap_in_place(&self, buf: &mut [u8], width: u8) -> Result<(), KernelError> {
        let width = check_width(width)?;
        let kernel = select_in_place(self.isa());
        // SAFETY: `Kernels::new` checked that the CPU runs this tier and `select_in_place`
        // returns only implementations it can run; `check_width` established the width.
        unsafe { kernel(buf, width) };
        Ok(())
    }
}
