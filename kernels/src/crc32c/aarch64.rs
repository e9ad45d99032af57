//! aarch64 CRC-32C: the `crc32cx` instruction (Armv8 CRC extension) for short inputs, PMULL
//! folding on four 128-bit lanes for long ones, finished with `crc32cx`.
//!
//! Neither extension is in the baseline of `aarch64-unknown-linux-gnu` (only NEON is), so
//! with `std` they are detected at run time, and without it they count only if the build
//! enables them (`-C target-feature=+crc,+aes`). Rust names PMULL's target feature `aes`.
//! The folding math is the same as on x86_64; see [`super::consts`].

use core::arch::aarch64::*;

use super::consts::{FOLD_128, FOLD_256, FOLD_384, FOLD_512, Fold};

/// Below this length the fold does not pay for its setup; `crc32cx` alone is used.
const FOLD_MIN: usize = 128;

/// Advances the raw CRC register over `data` with `crc32cx`, 8 bytes a step.
#[inline]
#[target_feature(enable = "crc")]
fn update_crc_insn(crc: u32, data: &[u8]) -> u32 {
    let (words, tail) = data.as_chunks::<8>();
    let mut crc = crc;
    for word in words {
        crc = __crc32cd(crc, u64::from_le_bytes(*word));
    }
    for &byte in tail {
        crc = __crc32cb(crc, byte);
    }
    crc
}

/// CRC-32C with the CRC instructions only.
///
/// # Safety
/// The CPU must support the CRC extension.
#[target_feature(enable = "crc")]
pub(crate) unsafe fn crc32c_crc(data: &[u8], seed: u32) -> u32 {
    !update_crc_insn(!seed, data)
}

/// The fold multipliers as a vector: `lo` in lane 0, `hi` in lane 1.
#[inline]
#[target_feature(enable = "neon")]
fn k128(fold: Fold) -> uint64x2_t {
    vcombine_u64(vcreate_u64(fold.lo), vcreate_u64(fold.hi))
}

/// Moves chunk `x` forward by the distance `k` was built for.
#[inline]
#[target_feature(enable = "neon,aes")]
fn fold_128(x: uint64x2_t, k: uint64x2_t) -> uint64x2_t {
    let lo = vmull_p64(vgetq_lane_u64::<0>(x), vgetq_lane_u64::<0>(k));
    let hi = vmull_high_p64(vreinterpretq_p64_u64(x), vreinterpretq_p64_u64(k));
    veorq_u64(vreinterpretq_u64_p128(lo), vreinterpretq_u64_p128(hi))
}

/// Loads one 16-byte chunk (lane 0 = the first eight bytes, little-endian).
#[inline]
#[target_feature(enable = "neon")]
fn load_128(chunk: &[u8; 16]) -> uint64x2_t {
    // SAFETY: `chunk` is valid for reading 16 bytes; `vld1q_u8` needs no alignment.
    vreinterpretq_u64_u8(unsafe { vld1q_u8(chunk.as_ptr()) })
}

/// Advances the raw CRC register over `data`: PMULL folding for long inputs.
#[inline]
#[target_feature(enable = "crc,neon,aes")]
fn update_pmull(crc: u32, data: &[u8]) -> u32 {
    let (chunks, tail) = data.as_chunks::<16>();
    let Some((first, rest)) = chunks.split_first_chunk::<4>() else {
        return update_crc_insn(crc, data);
    };
    if data.len() < FOLD_MIN {
        return update_crc_insn(crc, data);
    }
    let seed = vcombine_u64(vcreate_u64(u64::from(crc)), vcreate_u64(0));
    let mut x0 = veorq_u64(load_128(&first[0]), seed);
    let (mut x1, mut x2, mut x3) = (
        load_128(&first[1]),
        load_128(&first[2]),
        load_128(&first[3]),
    );
    let k = k128(FOLD_512);
    let (groups, rest) = rest.as_chunks::<4>();
    for g in groups {
        x0 = veorq_u64(fold_128(x0, k), load_128(&g[0]));
        x1 = veorq_u64(fold_128(x1, k), load_128(&g[1]));
        x2 = veorq_u64(fold_128(x2, k), load_128(&g[2]));
        x3 = veorq_u64(fold_128(x3, k), load_128(&g[3]));
    }
    let mut x = veorq_u64(
        veorq_u64(fold_128(x0, k128(FOLD_384)), fold_128(x1, k128(FOLD_256))),
        veorq_u64(fold_128(x2, k128(FOLD_128)), x3),
    );
    let k = k128(FOLD_128);
    for chunk in rest {
        x = veorq_u64(fold_128(x, k), load_128(chunk));
    }
    let crc = __crc32cd(__crc32cd(0, vgetq_lane_u64::<0>(x)), vgetq_lane_u64::<1>(x));
    update_crc_insn(crc, tail)
}

/// CRC-32C with PMULL folding.
///
/// # Safety
/// The CPU must support the CRC extension and PMULL (Rust's `aes` feature).
#[target_feature(enable = "crc,neon,aes")]
pub(crate) unsafe fn crc32c_pmull(data: &[u8], seed: u32) -> u32 {
    !update_pmull(!seed, data)
}

/// Whether the CPU has the CRC extension: run time with `std`, else compile time.
pub(crate) fn has_crc() -> bool {
    #[cfg(feature = "std")]
    {
        std::arch::is_aarch64_feature_detected!("crc")
    }
    #[cfg(not(feature = "std"))]
    {
        cfg!(target_feature = "crc")
    }
}

/// Whether the CPU has PMULL (Rust's `aes` feature): run time with `std`, else compile time.
pub(crate) fn has_pmull() -> bool {
    #[cfg(feature = "std")]
    {
        std::arch::is_aarch64_feature_detected!("aes")
    }
    #[cfg(not(feature = "std"))]
    {
        cfg!(target_feature = "aes")
    }
}
