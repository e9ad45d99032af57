//! aarch64 CRC-32: the Armv8 `crc32x` instruction (which implements exactly this polynomial)
//! for short inputs, PMULL folding on eight 128-bit lanes for long ones, finished with
//! `crc32x`.
//!
//! Neither extension is in the baseline of `aarch64-unknown-linux-gnu` (only NEON is), so
//! with `std` they are detected at run time, and without it they count only if the build
//! enables them (`-C target-feature=+crc,+aes`). Rust names PMULL's target feature `aes`.
//! The folding math is the same as on x86_64 (see [`super::consts`]); the last chunk needs no
//! Barrett reduction here, because `crc32x` fed its 16 bytes from a zero register computes
//! `chunk · x^32 mod P`.

use core::arch::aarch64::*;

use super::consts::{
    FOLD_128, FOLD_256, FOLD_384, FOLD_512, FOLD_640, FOLD_768, FOLD_896, FOLD_1024, Fold,
};

/// Below this length the fold does not pay for its setup; `crc32x` alone is used.
const FOLD_MIN: usize = 256;

/// Number of independent 128-bit lanes folded at once (128 bytes a step): PMULL's latency is
/// 2–3 cycles with one or two issued a cycle, so eight lanes keep it busy on wide cores.
const LANES: usize = 8;

/// Multipliers that fold lane `i` of [`LANES`] onto the last lane (the last entry is unused).
const JOIN: [Fold; LANES] = [
    FOLD_896, FOLD_768, FOLD_640, FOLD_512, FOLD_384, FOLD_256, FOLD_128, FOLD_128,
];

/// Advances the raw CRC register over `data` with `crc32x`, 8 bytes a step.
#[inline]
#[target_feature(enable = "crc")]
fn update_crc_insn(crc: u32, data: &[u8]) -> u32 {
    let (words, tail) = data.as_chunks::<8>();
    let mut crc = crc;
    for word in words {
        crc = __crc32d(crc, u64::from_le_bytes(*word));
    }
    for &byte in tail {
        crc = __crc32b(crc, byte);
    }
    crc
}

/// CRC-32 with the CRC instructions only.
///
/// # Safety
/// The CPU must support the CRC extension.
#[target_feature(enable = "crc")]
pub(crate) unsafe fn crc32_crc(data: &[u8], seed: u32) -> u32 {
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
    let Some((first, rest)) = chunks.split_first_chunk::<LANES>() else {
        return update_crc_insn(crc, data);
    };
    if data.len() < FOLD_MIN {
        return update_crc_insn(crc, data);
    }
    let mut lanes = first.map(|chunk| load_128(&chunk));
    lanes[0] = veorq_u64(
        lanes[0],
        vcombine_u64(vcreate_u64(u64::from(crc)), vcreate_u64(0)),
    );
    let k = k128(FOLD_1024);
    let (groups, rest) = rest.as_chunks::<LANES>();
    for group in groups {
        for (lane, chunk) in lanes.iter_mut().zip(group) {
            *lane = veorq_u64(fold_128(*lane, k), load_128(chunk));
        }
    }
    let mut x = lanes[LANES - 1];
    for (lane, join) in lanes[..LANES - 1].iter().zip(JOIN) {
        x = veorq_u64(x, fold_128(*lane, k128(join)));
    }
    let k = k128(FOLD_128);
    for chunk in rest {
        x = veorq_u64(fold_128(x, k), load_128(chunk));
    }
    let crc = __crc32d(__crc32d(0, vgetq_lane_u64::<0>(x)), vgetq_lane_u64::<1>(x));
    update_crc_insn(crc, tail)
}

/// CRC-32 with PMULL folding.
///
/// # Safety
/// The CPU must support the CRC extension and PMULL (Rust's `aes` feature).
#[target_feature(enable = "crc,neon,aes")]
pub(crate) unsafe fn crc32_pmull(data: &[u8], seed: u32) -> u32 {
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
