//! The long-input stripe loop of XXH3, written once over [`Xxh3Ops`], and its per-ISA entry
//! points.
//!
//! The eight 64-bit accumulators fill 64 bytes: four 128-bit vectors, two 256-bit ones or one
//! 512-bit one. Per stripe, each vector of accumulators adds `lo32(k) · hi32(k)` of the keyed
//! data `k = data ^ key` (a 32×32→64-bit multiply per 64-bit lane) and the data itself with
//! its two 64-bit halves swapped (lane `i` of the spec adds the data of lane `i ^ 1`). After
//! every 1024-byte block the accumulators are scrambled. Inputs of up to 240 bytes take the
//! scalar code on every tier: they are a handful of 64-bit multiplies, nothing to vectorise.
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

use super::scalar::{
    BLOCK, INIT_ACC, LAST_STRIPE_KEY, MID_MAX, SCRAMBLE_KEY, SECRET_LEN, STRIPE, hash_short, merge,
    secret_for,
};
use crate::vector::Vector;

/// The multiplier of the scramble (`XXH_PRIME32_1`).
const PRIME32_1: u32 = 0x9E37_79B1;

/// The 64-bit-lane arithmetic XXH3 needs beyond [`Vector`].
///
/// # Safety
/// As for [`Vector`]: every method may only run on a CPU with the implementor's instruction
/// set. Lanes are little-endian 64-bit integers; 128-bit lanes are independent.
pub(crate) unsafe trait Xxh3Ops: Vector {
    /// Bitwise exclusive or.
    unsafe fn xor(self, other: Self) -> Self;

    /// Wrapping addition of 64-bit lanes.
    unsafe fn add64(self, other: Self) -> Self;

    /// Each 64-bit lane's low 32 bits times its high 32 bits, as a 64-bit product.
    unsafe fn mul_lo_hi(self) -> Self;

    /// The two 64-bit halves of each 128-bit lane swapped.
    unsafe fn swap64(self) -> Self;

    /// Each 64-bit lane shifted right by 47 bits.
    unsafe fn shr47(self) -> Self;

    /// Each 64-bit lane times `k`, wrapping.
    unsafe fn mul_u32(self, k: u32) -> Self;
}

/// Vectors of accumulators: `64 / V::BYTES` of them are used (at most 4).
type Acc<V> = [V; 4];

/// Adds one 64-byte stripe at `stripe` keyed with the 64 bytes at `key`.
///
/// # Safety
/// `V`'s ISA; 64 readable bytes at `stripe` and at `key`.
#[inline(always)]
unsafe fn accumulate_stripe<V: Xxh3Ops>(acc: &mut Acc<V>, stripe: *const u8, key: *const u8) {
    for (j, lane) in acc.iter_mut().take(STRIPE / V::BYTES).enumerate() {
        // SAFETY: `j * V::BYTES + V::BYTES <= 64`, inside both 64-byte ranges the caller
        // promises; `V`'s ISA as promised.
        unsafe {
            let data = V::load(stripe.add(j * V::BYTES));
            *lane = accumulate(*lane, data, V::load(key.add(j * V::BYTES)));
        }
    }
}

/// One vector of accumulators after adding the vector `data` of a stripe keyed with `key`.
///
/// # Safety
/// `V`'s ISA.
#[inline(always)]
unsafe fn accumulate<V: Xxh3Ops>(lane: V, data: V, key: V) -> V {
    // SAFETY: `V`'s ISA as promised.
    unsafe { lane.add64(data.xor(key).mul_lo_hi()).add64(data.swap64()) }
}

/// The end-of-block scramble with the 64-byte key at `key`.
///
/// # Safety
/// `V`'s ISA; 64 readable bytes at `key`.
#[inline(always)]
unsafe fn scramble<V: Xxh3Ops>(acc: &mut Acc<V>, key: *const u8) {
    for (j, lane) in acc.iter_mut().take(STRIPE / V::BYTES).enumerate() {
        // SAFETY: as in `accumulate_stripe`.
        unsafe { *lane = scramble_one(*lane, key.add(j * V::BYTES)) };
    }
}

/// One vector of accumulators scrambled with the key at `key`.
///
/// # Safety
/// `V`'s ISA; `V::BYTES` readable bytes at `key`.
#[inline(always)]
unsafe fn scramble_one<V: Xxh3Ops>(lane: V, key: *const u8) -> V {
    // SAFETY: as the caller promises.
    unsafe { lane.xor(lane.shr47()).xor(V::load(key)).mul_u32(PRIME32_1) }
}

/// The accumulators after the whole of `data` (more than [`MID_MAX`] bytes), as the scalar
/// reference's `accumulate_long` computes them.
///
/// # Safety
/// `V`'s ISA.
#[inline(always)]
unsafe fn accumulate_long<V: Xxh3Ops>(data: &[u8], secret: &[u8; SECRET_LEN]) -> [u64; 8] {
    let mut init = [0u8; 64];
    for (bytes, value) in init.chunks_exact_mut(8).zip(INIT_ACC) {
        bytes.copy_from_slice(&value.to_le_bytes());
    }
    // SAFETY: `V`'s ISA; each load reads `V::BYTES <= 64` bytes of `init` at `j * V::BYTES`
    // for `j < 64 / V::BYTES`, and the unused entries are never read.
    let mut acc: Acc<V> = unsafe {
        let zero = V::splat(0);
        let mut acc = [zero; 4];
        for (j, lane) in acc.iter_mut().take(STRIPE / V::BYTES).enumerate() {
            *lane = V::load(init.as_ptr().add(j * V::BYTES));
        }
        acc
    };
    let key = secret.as_ptr();
    let len = data.len();
    // As in the scalar code: a block or stripe ending exactly at the end is left to the last
    // stripe, so the counts are taken of `len - 1` bytes.
    let blocks = (len - 1) / BLOCK;
    // `blocks * BLOCK < len`; `get` states it without a panic path LLVM cannot remove.
    let tail = data.get(blocks * BLOCK..).unwrap_or_default();
    let stripes = (tail.len() - 1) / STRIPE; // < 16
    if STRIPE == V::BYTES {
        // One register holds all eight accumulators, so the 16 stripe keys of a block fit in
        // registers too: load them once. Reloaded per stripe, every key (at an 8-byte offset)
        // is a load across two cache lines, and the loop ran at half the speed.
        // SAFETY: `s < 16`, so the key `secret[8 s..8 s + 64]` ends by 184 <= 192; `V`'s ISA.
        let keys: [V; BLOCK / STRIPE] =
            core::array::from_fn(|s| unsafe { V::load(key.add(8 * s)) });
        // Stripe `$s` at `$at` added to `lane`, written out rather than looped: LLVM keeps a
        // 16-trip loop rolled (and the keys in memory) unless link-time optimisation runs its
        // unroller a second time. `$s < 16`; 64 readable bytes at `$at + 64 $s`.
        macro_rules! stripes {
            ($lane:ident, $at:expr, $n:expr; $($s:literal)*) => {$(
                if $s < $n {
                    // SAFETY: as the macro's caller promises; `V`'s ISA.
                    $lane = unsafe { accumulate($lane, V::load($at.add($s * STRIPE)), keys[$s]) };
                }
            )*};
        }
        let mut lane = acc[0];
        for block in data.chunks_exact(BLOCK).take(blocks) {
            stripes!(lane, block.as_ptr(), 16; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15);
            // SAFETY: `secret[128..192]`; `V`'s ISA.
            lane = unsafe { scramble_one(lane, key.add(SCRAMBLE_KEY)) };
        }
        stripes!(lane, tail.as_ptr(), stripes; 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14);
        acc[0] = lane;
    } else {
        for block in data.chunks_exact(BLOCK).take(blocks) {
            for (s, stripe) in block.chunks_exact(STRIPE).enumerate() {
                // SAFETY: `stripe` has 64 bytes; `s < 16`, so the key `secret[8 s..8 s + 64]`
                // ends by 184 <= 192. `V`'s ISA as promised.
                unsafe { accumulate_stripe(&mut acc, stripe.as_ptr(), key.add(8 * s)) };
            }
            // SAFETY: `secret[128..192]`; `V`'s ISA.
            unsafe { scramble(&mut acc, key.add(SCRAMBLE_KEY)) };
        }
        for (s, stripe) in tail.chunks_exact(STRIPE).take(stripes).enumerate() {
            // SAFETY: as for the blocks: fewer than 16 stripes remain, and each has 64 bytes.
            unsafe { accumulate_stripe(&mut acc, stripe.as_ptr(), key.add(8 * s)) };
        }
    }
    // SAFETY: `len > 240`, so `data[len - 64..]` is in bounds; the key `secret[121..185]` is
    // too. `V`'s ISA.
    unsafe {
        accumulate_stripe(
            &mut acc,
            data.as_ptr().add(len - STRIPE),
            key.add(LAST_STRIPE_KEY),
        )
    };
    let mut out = [0u8; 64];
    for (j, lane) in acc.iter().take(STRIPE / V::BYTES).enumerate() {
        // SAFETY: `out[j * V::BYTES..][..V::BYTES]` is inside `out`; `V`'s ISA.
        unsafe { lane.store(out.as_mut_ptr().add(j * V::BYTES)) };
    }
    let mut result = [0u64; 8];
    for (value, bytes) in result.iter_mut().zip(out.as_chunks::<8>().0) {
        *value = u64::from_le_bytes(*bytes);
    }
    result
}

/// XXH3-64 with vectors `V` for the long-input loop.
///
/// # Safety
/// The CPU must support `V`'s instruction set.
#[inline(always)]
unsafe fn xxh3_64<V: Xxh3Ops>(data: &[u8], seed: u64) -> u64 {
    if data.len() <= MID_MAX {
        return hash_short(data, seed);
    }
    let secret = secret_for(seed);
    // SAFETY: the caller promises `V`'s ISA.
    let acc = unsafe { accumulate_long::<V>(data, &secret) };
    merge(&acc, &secret, data.len())
}

/// Per-ISA entry points: each enables its target features and instantiates [`xxh3_64`].
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86 {
    use crate::vector::{Avx2, Avx512, Sse2};

    /// SSE2 XXH3-64.
    ///
    /// # Safety
    /// None on x86_64 (SSE2 is baseline); `unsafe` to share the dispatch signature.
    #[target_feature(enable = "sse2")]
    pub(crate) unsafe fn xxh3_64_sse2(data: &[u8], seed: u64) -> u64 {
        // SAFETY: SSE2 is enabled for this function.
        unsafe { super::xxh3_64::<Sse2>(data, seed) }
    }

    /// AVX2 XXH3-64.
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub(crate) unsafe fn xxh3_64_avx2(data: &[u8], seed: u64) -> u64 {
        // SAFETY: the caller promises AVX2, which this function enables.
        unsafe { super::xxh3_64::<Avx2>(data, seed) }
    }

    /// AVX-512 XXH3-64 (one 512-bit vector holds all eight accumulators).
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, BW and VL.
    #[target_feature(enable = "avx2,avx512f,avx512bw,avx512vl")]
    pub(crate) unsafe fn xxh3_64_avx512(data: &[u8], seed: u64) -> u64 {
        // SAFETY: the caller promises AVX-512 F+BW+VL, which this function enables.
        unsafe { super::xxh3_64::<Avx512>(data, seed) }
    }
}

/// NEON XXH3-64.
///
/// # Safety
/// None: NEON is enabled at compile time; `unsafe` to share the dispatch signature.
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) unsafe fn xxh3_64_neon(data: &[u8], seed: u64) -> u64 {
    // SAFETY: this build targets NEON (cfg above).
    unsafe { xxh3_64::<crate::vector::Neon>(data, seed) }
}

/// simd128 XXH3-64.
///
/// # Safety
/// None: simd128 is enabled at compile time; `unsafe` to share the dispatch signature.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) unsafe fn xxh3_64_simd128(data: &[u8], seed: u64) -> u64 {
    // SAFETY: this build targets simd128 (cfg above).
    unsafe { xxh3_64::<crate::vector::Simd128>(data, seed) }
}
