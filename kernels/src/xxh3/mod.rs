//! XXH3 64-bit (xxHash 0.8), seeded.
//!
//! Implementations, and where they run:
//! - inputs of up to 240 bytes, on every tier: the scalar code ([`scalar`]), a few 64-bit
//!   multiplies;
//! - longer inputs: the stripe loop written once over [`simd::Xxh3Ops`] ([`simd`]), on SSE2,
//!   AVX2 and AVX-512 (chosen at run time), NEON and simd128 (chosen at compile time), else
//!   the scalar reference, written from the specification.

#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
mod neon;
mod scalar;
mod simd;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128;
#[cfg(target_arch = "x86_64")]
mod x86;

use crate::dispatch::cached_dispatch;
use crate::{Isa, Kernels};

/// Signature shared by every XXH3 implementation: `(data, seed) -> hash`.
type Xxh3Fn = unsafe fn(&[u8], u64) -> u64;

/// The fastest XXH3 implementation that a CPU running `isa` supports.
fn select(isa: Isa) -> Xxh3Fn {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Sse2 => simd::x86::xxh3_64_sse2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => simd::x86::xxh3_64_avx2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => simd::x86::xxh3_64_avx512,
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        Isa::Neon => simd::xxh3_64_neon,
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Isa::Simd128 => simd::xxh3_64_simd128,
        _ => scalar::xxh3_64,
    }
}

cached_dispatch!(
    /// XXH3-64 on the best tier for this CPU.
    xxh3_best(data: &[u8], seed: u64) -> u64 = select, "xxh3-64"
);

/// XXH3 64-bit hash of `data` with `seed` (xxHash 0.8; equal to the reference
/// `XXH3_64bits_withSeed`).
///
/// Check value: `xxh3_64(b"", 0) == 0x2D06800538D394C2`.
///
/// ```
/// assert_eq!(binpipe_kernels::xxh3_64(b"", 0), 0x2D06_8005_38D3_94C2);
/// ```
#[inline]
pub fn xxh3_64(data: &[u8], seed: u64) -> u64 {
    // Short inputs are the same scalar code on every tier: run it here, inlined into the
    // caller, without the dispatch's indirect call (a third of the time at 16 bytes).
    if data.len() <= scalar::MID_MAX {
        return scalar::hash_short(data, seed);
    }
    xxh3_best(data, seed)
}

impl Kernels {
    /// [`crate::xxh3_64`] on this tier.
    #[inline]
    pub fn xxh3_64(&self, data: &[u8], seed: u64) -> u64 {
        if data.len() <= scalar::MID_MAX {
            return scalar::hash_short(data, seed);
        }
        let kernel = select(self.isa());
        // SAFETY: `Kernels::new` checked that the CPU runs this tier, and `select` returns only
        // implementations that tier can run.
        unsafe { kernel(data, seed) }
    }
}
