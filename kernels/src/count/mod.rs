//! Counting the bytes equal to a needle.

mod scalar;
mod simd;

use crate::Isa;
use crate::dispatch::cached_dispatch;

/// Signature shared by every count implementation: `(data, needle) -> count`.
pub(crate) type CountFn = unsafe fn(&[u8], u8) -> u64;

/// The fastest count implementation that a CPU running `isa` supports.
pub(crate) fn select(isa: Isa) -> CountFn {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Sse2 => simd::x86::count_byte_sse2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => simd::x86::count_byte_avx2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => simd::x86::count_byte_avx512,
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        Isa::Neon => simd::count_byte_neon,
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Isa::Simd128 => simd::count_byte_simd128,
        _ => scalar::count_byte,
    }
}

cached_dispatch!(
    /// Count on the best tier for this CPU.
    best(data: &[u8], needle: u8) -> u64 = select, "count-byte"
);
