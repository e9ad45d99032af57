//! [`Xxh3Ops`] for wasm32 simd128: `i64x2.extmul_low_i32x4_u` is the 32×32→64 multiply.
//!
//! Byte moves use `i8x16.swizzle` with constant indices rather than `i8x16.shuffle`, which
//! wazero compiles to two `pshufb` and a `por`; the shift by 47 runs once per 1024-byte block
//! only (constant vector shifts are slow under wazero).

use core::arch::wasm32::*;

use super::simd::Xxh3Ops;
use crate::vector::{Simd128, Vector};

/// The vector's register (through memory: the shared type keeps it private; the move
/// compiles to nothing once inlined).
///
/// # Safety
/// simd128.
#[inline(always)]
unsafe fn raw(v: Simd128) -> v128 {
    let mut buf = [0u8; 16];
    // SAFETY: `buf` holds exactly one vector; the caller promises simd128.
    unsafe {
        v.store(buf.as_mut_ptr());
        v128_load(buf.as_ptr().cast())
    }
}

/// The vector holding `reg`.
///
/// # Safety
/// simd128.
#[inline(always)]
unsafe fn wrap(reg: v128) -> Simd128 {
    let mut buf = [0u8; 16];
    // SAFETY: as in `raw`.
    unsafe {
        v128_store(buf.as_mut_ptr().cast(), reg);
        Simd128::load(buf.as_ptr())
    }
}

/// Swizzle indices gathering each 64-bit lane's low 32 bits into 32-bit lanes 0 and 1.
const LOW_HALVES: v128 = u8x16(0, 1, 2, 3, 8, 9, 10, 11, 0, 1, 2, 3, 8, 9, 10, 11);
/// Swizzle indices gathering each 64-bit lane's high 32 bits into 32-bit lanes 0 and 1.
const HIGH_HALVES: v128 = u8x16(4, 5, 6, 7, 12, 13, 14, 15, 4, 5, 6, 7, 12, 13, 14, 15);
/// Swizzle indices swapping the two 64-bit halves.
const SWAP_HALVES: v128 = u8x16(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);

// SAFETY: every method is a lane-wise operation on the vector's own 64-bit lanes.
unsafe impl Xxh3Ops for Simd128 {
    #[inline(always)]
    unsafe fn xor(self, other: Self) -> Self {
        // SAFETY: simd128 (trait contract).
        unsafe { wrap(v128_xor(raw(self), raw(other))) }
    }

    #[inline(always)]
    unsafe fn add64(self, other: Self) -> Self {
        // SAFETY: simd128 (trait contract).
        unsafe { wrap(i64x2_add(raw(self), raw(other))) }
    }

    #[inline(always)]
    unsafe fn mul_lo_hi(self) -> Self {
        // SAFETY: simd128 (trait contract). The two swizzles line the low and the high halves
        // up in lanes 0 and 1; `extmul_low` multiplies those pairwise into 64-bit lanes.
        unsafe {
            let x = raw(self);
            wrap(u64x2_extmul_low_u32x4(
                i8x16_swizzle(x, LOW_HALVES),
                i8x16_swizzle(x, HIGH_HALVES),
            ))
        }
    }

    #[inline(always)]
    unsafe fn swap64(self) -> Self {
        // SAFETY: simd128 (trait contract).
        unsafe { wrap(i8x16_swizzle(raw(self), SWAP_HALVES)) }
    }

    #[inline(always)]
    unsafe fn shr47(self) -> Self {
        // SAFETY: simd128 (trait contract).
        unsafe { wrap(u64x2_shr(raw(self), 47)) }
    }

    #[inline(always)]
    unsafe fn mul_u32(self, k: u32) -> Self {
        // SAFETY: simd128 (trait contract).
        unsafe { wrap(i64x2_mul(raw(self), u64x2_splat(u64::from(k)))) }
    }
}
