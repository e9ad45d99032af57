//! [`Xxh3Ops`] for aarch64 NEON: `umull` (`vmull_u32`) is the 32×32→64 multiply, fed by the
//! narrowing moves that split each 64-bit lane into its halves.

use core::arch::aarch64::*;

use super::simd::Xxh3Ops;
use crate::vector::{Neon, Vector};

/// The vector's bytes as two 64-bit lanes (through memory: the shared type keeps its
/// register private; the move compiles to nothing once inlined).
///
/// # Safety
/// NEON.
#[inline(always)]
unsafe fn raw(v: Neon) -> uint64x2_t {
    let mut buf = [0u8; 16];
    // SAFETY: `buf` holds exactly one vector; the caller promises NEON.
    unsafe {
        v.store(buf.as_mut_ptr());
        vreinterpretq_u64_u8(vld1q_u8(buf.as_ptr()))
    }
}

/// The vector holding `reg`.
///
/// # Safety
/// NEON.
#[inline(always)]
unsafe fn wrap(reg: uint64x2_t) -> Neon {
    let mut buf = [0u8; 16];
    // SAFETY: as in `raw`.
    unsafe {
        vst1q_u8(buf.as_mut_ptr(), vreinterpretq_u8_u64(reg));
        Neon::load(buf.as_ptr())
    }
}

// SAFETY: every method is a lane-wise operation on the vector's own 64-bit lanes.
unsafe impl Xxh3Ops for Neon {
    #[inline(always)]
    unsafe fn xor(self, other: Self) -> Self {
        // SAFETY: NEON (trait contract).
        unsafe { wrap(veorq_u64(raw(self), raw(other))) }
    }

    #[inline(always)]
    unsafe fn add64(self, other: Self) -> Self {
        // SAFETY: NEON (trait contract).
        unsafe { wrap(vaddq_u64(raw(self), raw(other))) }
    }

    #[inline(always)]
    unsafe fn mul_lo_hi(self) -> Self {
        // SAFETY: NEON (trait contract). `vmovn` keeps each lane's low half, `vshrn` its high
        // half; `vmull` multiplies them pairwise into 64-bit lanes.
        unsafe {
            let x = raw(self);
            wrap(vmull_u32(vmovn_u64(x), vshrn_n_u64::<32>(x)))
        }
    }

    #[inline(always)]
    unsafe fn swap64(self) -> Self {
        // SAFETY: NEON (trait contract).
        unsafe {
            let x = raw(self);
            wrap(vextq_u64::<1>(x, x))
        }
    }

    #[inline(always)]
    unsafe fn shr47(self) -> Self {
        // SAFETY: NEON (trait contract).
        unsafe { wrap(vshrq_n_u64::<47>(raw(self))) }
    }

    #[inline(always)]
    unsafe fn mul_u32(self, k: u32) -> Self {
        // SAFETY: NEON (trait contract). `x · k = lo(x) · k + (hi(x) · k) << 32`, mod 2^64.
        unsafe {
            let x = raw(self);
            let lo = vmull_n_u32(vmovn_u64(x), k);
            let hi = vmul_n_u32(vshrn_n_u64::<32>(x), k);
            wrap(vaddq_u64(lo, vshll_n_u32::<32>(hi)))
        }
    }
}
