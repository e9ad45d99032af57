//! Blosc byte shuffle and its inverse.

mod scalar;
mod simd;

use crate::dispatch::cached_dispatch;
use crate::{Isa, KernelError};

/// Signature shared by shuffle and unshuffle implementations: `(src, elem_size, dst)`.
///
/// Callers guarantee `dst.len() == src.len()` and `1 <= elem_size <= 255` (see [`check_args`]).
pub(crate) type ShuffleFn = unsafe fn(&[u8], usize, &mut [u8]);

/// Validates the public arguments; returns `elem_size` as `usize`.
pub(crate) fn check_args(src: &[u8], elem_size: u32, dst: &[u8]) -> Result<usize, KernelError> {
    if !(1..=255).contains(&elem_size) {
        return Err(KernelError::InvalidArgument("elem-size must be in 1..=255"));
    }
    if dst.len() != src.len() {
        return Err(KernelError::InvalidArgument(
            "dst length must equal src length",
        ));
    }
    Ok(elem_size as usize)
}

/// The fastest shuffle that a CPU running `isa` supports.
pub(crate) fn select_shuffle(isa: Isa) -> ShuffleFn {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Sse2 => simd::shuffle_sse2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => simd::shuffle_avx2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => simd::shuffle_avx512,
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        Isa::Neon => simd::shuffle_neon,
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Isa::Simd128 => simd::shuffle_simd128,
        _ => scalar::shuffle,
    }
}

/// The fastest unshuffle that a CPU running `isa` supports.
pub(crate) fn select_unshuffle(isa: Isa) -> ShuffleFn {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Sse2 => simd::unshuffle_sse2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => simd::unshuffle_avx2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => simd::unshuffle_avx512,
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        Isa::Neon => simd::unshuffle_neon,
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Isa::Simd128 => simd::unshuffle_simd128,
        _ => scalar::unshuffle,
    }
}

cached_dispatch!(
    /// Shuffle on the best tier for this CPU.
    shuffle_best(src: &[u8], elem_size: usize, dst: &mut [u8]) -> () = select_shuffle, "shuffle"
);

cached_dispatch!(
    /// Unshuffle on the best tier for this CPU.
    unshuffle_best(src: &[u8], elem_size: usize, dst: &mut [u8]) -> () = select_unshuffle, "unshuffle"
);
