//! The vectorised ASCII prefix: the first byte with its top bit set, found by the search
//! kernels' [`first_flagged`] with the data itself as the flags (a byte's top bit is exactly
//! "not ASCII"), and its per-ISA entry points.
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

use super::scalar;
use crate::find::ops::ScanOps;
use crate::find::simd::{Flag, first_flagged};

/// Flags the bytes that are not ASCII: the data as it is.
struct NotAscii;

impl<V: ScanOps> Flag<V> for NotAscii {
    #[inline(always)]
    unsafe fn flag(&self, data: V) -> V {
        data
    }
}

/// Length of the ASCII prefix of `data`, with vectors `V`.
///
/// # Safety
/// The CPU must support `V`'s instruction set.
#[inline(always)]
unsafe fn ascii_prefix<V: ScanOps>(data: &[u8]) -> usize {
    if data.len() < V::BYTES {
        // SAFETY: the scalar code runs anywhere.
        return unsafe { scalar::ascii_prefix(data) };
    }
    // SAFETY: the caller promises `V`'s ISA, and `data` holds at least one vector.
    unsafe { first_flagged::<V, NotAscii>(data, &NotAscii) }.unwrap_or(data.len())
}

/// Per-ISA entry points: each enables its target features and instantiates [`ascii_prefix`].
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86 {
    use crate::vector::{Avx2, Avx512, Sse2};

    /// SSE2 `ascii-prefix`.
    ///
    /// # Safety
    /// None on x86_64 (SSE2 is baseline); `unsafe` to share the dispatch signature.
    #[target_feature(enable = "sse2")]
    pub(crate) unsafe fn ascii_prefix_sse2(data: &[u8]) -> usize {
        // SAFETY: SSE2 is enabled for this function.
        unsafe { super::ascii_prefix::<Sse2>(data) }
    }

    /// AVX2 `ascii-prefix`.
    ///
    /// # Safety
    /// The CPU must support the AVX2 tier.
    #[target_feature(enable = "avx2,bmi1,bmi2,popcnt,lzcnt")]
    pub(crate) unsafe fn ascii_prefix_avx2(data: &[u8]) -> usize {
        // SAFETY: the caller promises the AVX2 tier, which this function enables.
        unsafe { super::ascii_prefix::<Avx2>(data) }
    }

    /// AVX-512 `ascii-prefix`.
    ///
    /// # Safety
    /// The CPU must support the AVX-512 tier.
    #[target_feature(enable = "avx2,bmi1,bmi2,popcnt,lzcnt,avx512f,avx512bw,avx512vl")]
    pub(crate) unsafe fn ascii_prefix_avx512(data: &[u8]) -> usize {
        // SAFETY: the caller promises the AVX-512 tier, which this function enables.
        unsafe { super::ascii_prefix::<Avx512>(data) }
    }
}

/// NEON `ascii-prefix`.
///
/// # Safety
/// None: NEON is enabled at compile time; `unsafe` to share the dispatch signature.
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) unsafe fn ascii_prefix_neon(data: &[u8]) -> usize {
    // SAFETY: this build targets NEON (cfg above).
    unsafe { ascii_prefix::<crate::vector::Neon>(data) }
}

/// simd128 `ascii-prefix`.
///
/// # Safety
/// None: simd128 is enabled at compile time; `unsafe` to share the dispatch signature.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) unsafe fn ascii_prefix_simd128(data: &[u8]) -> usize {
    // SAFETY: this build targets simd128 (cfg above).
    unsafe { ascii_prefix::<crate::vector::Simd128>(data) }
}
