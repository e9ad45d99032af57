//! CRC-32/ISO-HDLC (zlib, gzip, PNG): reflected polynomial 0xEDB88320, init and xorout
//! 0xFFFFFFFF.
//!
//! Implementations, fastest first, and where they run:
//! - x86_64 (chosen at run time): 512-bit VPCLMULQDQ folding (AVX-512 tier), 256-bit
//!   VPCLMULQDQ folding (AVX2 tier), 128-bit PCLMULQDQ folding (SSE2 tier with SSE4.2 and
//!   PCLMULQDQ), each finished by a Barrett reduction because x86 has no CRC instruction for
//!   this polynomial. A tier whose CPU lacks the multiply falls back to the next narrower
//!   choice, down to the tables.
//! - aarch64 (NEON tier): PMULL folding finished with `crc32x`, or `crc32x` alone; both
//!   extensions are optional in the target baseline, so they are detected at run time with
//!   `std`.
//! - wasm32 (scalar and simd128 alike) and the scalar tier: slicing-by-16 tables
//!   ([`scalar`]). Wasm has neither a CRC instruction nor a carry-less multiply, and simd128's
//!   16-entry byte shuffles cannot stand in for 256-entry table lookups (a nibble-table
//!   formulation needs 8 shuffles and a reduction per byte), so the tables are the fastest
//!   wasm code; the Go host uses Go's own assembly `hash/crc32` for large inputs anyway.
//!
//! The folding constants and their derivation are in [`consts`].

#[cfg(target_arch = "aarch64")]
mod aarch64;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod consts;
mod scalar;
#[cfg(target_arch = "x86_64")]
mod x86;

use crate::dispatch::cached_dispatch;
use crate::{Isa, Kernels};

/// Signature shared by every CRC-32 implementation: `(data, seed) -> crc`.
type Crc32Fn = unsafe fn(&[u8], u32) -> u32;

/// The fastest CRC-32 implementation that a CPU running `isa` supports.
///
/// Callers promise that the CPU runs `isa`, and VPCLMULQDQ if `VPCLMULQDQ` (a constant, so
/// each instance folds to one function where features are known at compile time); the extra
/// features a path needs beyond its tier (SSE4.2, PCLMULQDQ, VPCLMULQDQ, Arm CRC and PMULL)
/// are otherwise checked here.
fn select<const VPCLMULQDQ: bool>(isa: Isa) -> Crc32Fn {
    #[cfg(target_arch = "x86_64")]
    use crate::isa::x86::{has_sse42_pclmul, has_vpclmulqdq};
    #[cfg(target_arch = "x86_64")]
    let wide = VPCLMULQDQ || has_vpclmulqdq();
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 if wide && has_sse42_pclmul() => x86::crc32_vpclmul_512,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 | Isa::Avx2 if wide && has_sse42_pclmul() => x86::crc32_vpclmul_256,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 | Isa::Avx2 | Isa::Sse2 if has_sse42_pclmul() => x86::crc32_pclmul,
        #[cfg(target_arch = "aarch64")]
        Isa::Neon if aarch64::has_crc() && aarch64::has_pmull() => aarch64::crc32_pmull,
        #[cfg(target_arch = "aarch64")]
        Isa::Neon if aarch64::has_crc() => aarch64::crc32_crc,
        _ => scalar::crc32,
    }
}

/// [`select`] with only the features the crate detects itself (the dispatch's choice).
fn select_detected(isa: Isa) -> Crc32Fn {
    select::<false>(isa)
}

cached_dispatch!(
    /// CRC-32 on the best tier for this CPU.
    crc32_best(data: &[u8], seed: u32) -> u32 = select_detected, "crc32"
);

/// CRC-32/ISO-HDLC (zlib's `crc32`) of `data`, continuing from `seed` (0 starts fresh).
///
/// `crc32(b, crc32(a, 0)) == crc32(a ‖ b, 0)`, exactly like zlib's `crc32(seed, data)`. Check
/// value: `crc32(b"123456789", 0) == 0xCBF43926`.
///
/// ```
/// assert_eq!(binpipe_kernels::crc32(b"123456789", 0), 0xCBF4_3926);
/// ```
pub fn crc32(data: &[u8], seed: u32) -> u32 {
    crc32_best(data, seed)
}

impl Kernels {
    /// [`crate::crc32`] on this tier.
    pub fn crc32(&self, data: &[u8], seed: u32) -> u32 {
        // One call per branch, each of a `select` whose arguments are known there: a build
        // that decides features at compile time then calls the kernel directly.
        // SAFETY: `Kernels::new` checked that the CPU runs this tier, `assume_vpclmulqdq`'s
        // caller vouched for VPCLMULQDQ, and `select` returns only implementations those run.
        unsafe {
            if self.vpclmulqdq() {
                select::<true>(self.isa())(data, seed)
            } else {
                select::<false>(self.isa())(data, seed)
            }
        }
    }
}

/// The path that no tier selects on a CPU that has something faster.
#[cfg(all(test, target_arch = "aarch64"))]
mod tests {
    extern crate std;
    use std::vec::Vec;

    /// On aarch64 the CRC-instruction-only path is shadowed by PMULL where both exist.
    #[test]
    fn crc_instruction_path_matches_scalar() {
        if !super::aarch64::has_crc() {
            std::eprintln!("note: skipping crc32 crc-instruction path: CPU lacks CRC");
            return;
        }
        let data: Vec<u8> = (0..2048u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for len in 0..data.len() {
            // SAFETY: the CRC extension was detected above.
            let got = unsafe { super::aarch64::crc32_crc(&data[..len], 7) };
            // SAFETY: the scalar code has no requirements.
            let expect = unsafe { super::scalar::crc32(&data[..len], 7) };
            std::assert_eq!(got, expect, "len {len}");
        }
    }
}
