//! CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, init and xorout 0xFFFFFFFF.
//!
//! Implementations, fastest first, and where they run:
//! - x86_64 (chosen at run time): 512-bit VPCLMULQDQ folding (AVX-512 tier), 256-bit
//!   VPCLMULQDQ folding (AVX2 tier), 128-bit PCLMULQDQ folding (SSE2 tier with SSE4.2 and
//!   PCLMULQDQ), the SSE4.2 `crc32` instruction alone for short inputs. A tier whose CPU lacks
//!   the multiply falls back to the next narrower choice, down to the scalar code.
//! - aarch64 (NEON tier): PMULL folding finished with `crc32cx`, or `crc32cx` alone; both
//!   extensions are optional in the target baseline, so they are detected at run time with `std`.
//! - wasm32 (scalar and simd128 alike): the portable slicing-by-8 tables. Wasm has neither a
//!   CRC instruction nor a carry-less multiply, and simd128's byte shuffles cannot replace a
//!   256-entry table lookup, so a vector version would not beat the tables; the Go host uses
//!   Go's own assembly `hash/crc32` for CRC-32C instead of the wasm module anyway.
//!
//! The folding constants and their derivation are in [`consts`].

#[cfg(target_arch = "aarch64")]
mod aarch64;
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
mod consts;
pub(crate) mod scalar;
#[cfg(target_arch = "x86_64")]
mod x86;

use crate::Isa;
use crate::dispatch::cached_dispatch;

/// Signature shared by every CRC-32C implementation: `(data, seed) -> crc`.
pub(crate) type Crc32cFn = unsafe fn(&[u8], u32) -> u32;

/// The fastest CRC-32C implementation that a CPU running `isa` supports.
///
/// Callers promise that the CPU runs `isa`, and VPCLMULQDQ if `VPCLMULQDQ` (a constant, so
/// each instance folds to one function where features are known at compile time); the extra
/// features a path needs beyond its tier (SSE4.2, PCLMULQDQ, VPCLMULQDQ, Arm CRC and PMULL)
/// are otherwise checked here.
pub(crate) fn select<const VPCLMULQDQ: bool>(isa: Isa) -> Crc32cFn {
    #[cfg(target_arch = "x86_64")]
    let wide = VPCLMULQDQ || crate::isa::x86::has_vpclmulqdq();
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 if wide && crate::isa::x86::has_sse42_pclmul() => x86::crc32c_vpclmul_512,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 | Isa::Avx2 if wide && crate::isa::x86::has_sse42_pclmul() => {
            x86::crc32c_vpclmul_256
        }
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 | Isa::Avx2 | Isa::Sse2 if crate::isa::x86::has_sse42_pclmul() => {
            x86::crc32c_pclmul
        }
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 | Isa::Avx2 | Isa::Sse2 if x86::has_sse42() => x86::crc32c_sse42,
        #[cfg(target_arch = "aarch64")]
        Isa::Neon if aarch64::has_crc() && aarch64::has_pmull() => aarch64::crc32c_pmull,
        #[cfg(target_arch = "aarch64")]
        Isa::Neon if aarch64::has_crc() => aarch64::crc32c_crc,
        _ => scalar::crc32c,
    }
}

/// [`select`] with only the features the crate detects itself (the dispatch's choice).
fn select_detected(isa: Isa) -> Crc32cFn {
    select::<false>(isa)
}

cached_dispatch!(
    /// CRC-32C on the best tier for this CPU.
    best(data: &[u8], seed: u32) -> u32 = select_detected, "crc32c"
);

/// Paths that no tier selects on a CPU that has something faster.
#[cfg(all(test, any(target_arch = "x86_64", target_arch = "aarch64")))]
mod tests {
    extern crate std;
    use std::vec::Vec;

    /// The `crc32`-instruction-only path is never chosen on a CPU with PCLMULQDQ, so the
    /// tier tests cannot reach it: check it here directly.
    #[cfg(target_arch = "x86_64")]
    #[test]
    fn sse42_instruction_path_matches_scalar() {
        if !super::x86::has_sse42() {
            std::eprintln!("note: skipping crc32c sse4.2 path: CPU lacks SSE4.2");
            return;
        }
        let data: Vec<u8> = (0..2048u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for len in 0..data.len() {
            for seed in [0, 0xA5A5_A5A5] {
                // SAFETY: SSE4.2 was detected above.
                let got = unsafe { super::x86::crc32c_sse42(&data[..len], seed) };
                // SAFETY: the scalar code has no requirements.
                let expect = unsafe { super::scalar::crc32c(&data[..len], seed) };
                std::assert_eq!(got, expect, "len {len}");
            }
        }
    }

    /// On aarch64 the CRC-instruction-only path is shadowed by PMULL where both exist.
    #[cfg(target_arch = "aarch64")]
    #[test]
    fn crc_instruction_path_matches_scalar() {
        if !super::aarch64::has_crc() {
            std::eprintln!("note: skipping crc32c crc-instruction path: CPU lacks CRC");
            return;
        }
        let data: Vec<u8> = (0..2048u32)
            .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
            .collect();
        for len in 0..data.len() {
            // SAFETY: the CRC extension was detected above.
            let got = unsafe { super::aarch64::crc32c_crc(&data[..len], 7) };
            // SAFETY: the scalar code has no requirements.
            let expect = unsafe { super::scalar::crc32c(&data[..len], 7) };
            std::assert_eq!(got, expect, "len {len}");
        }
    }
}
