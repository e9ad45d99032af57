//! wasm32 simd128.
//!
//! Chosen for wazero's compiler (SSE only): `i8x16.bitmask` is one `pmovmskb`, `swizzle` is a
//! saturating add and a `pshufb`. The high nibble is taken with a 16-bit shift (`psrlw`) and a
//! mask: wasm has no 8-bit shift instruction on x86, and `i8x16.shr_u` is lowered to a longer
//! sequence than `i16x8.shr_u`.

use core::arch::wasm32::{
    u8x16_bitmask, u8x16_splat, u8x16_swizzle, u16x8_shr, v128, v128_and, v128_load, v128_or,
    v128_store, v128_xor,
};

use super::{NibbleOps, ScanOps};
use crate::vector::{Simd128, Vector};

/// The value holding `v` (see the module comment of `ops`).
#[inline(always)]
unsafe fn raw(v: Simd128) -> v128 {
    let mut buf = [0u8; 16];
    // SAFETY: `buf` holds exactly one vector; simd128 is enabled for this build.
    unsafe {
        v.store(buf.as_mut_ptr());
        v128_load(buf.as_ptr().cast())
    }
}

/// The vector holding `reg`.
#[inline(always)]
unsafe fn wrap(reg: v128) -> Simd128 {
    let mut buf = [0u8; 16];
    // SAFETY: as in `raw`.
    unsafe {
        v128_store(buf.as_mut_ptr().cast(), reg);
        Simd128::load(buf.as_ptr())
    }
}

// SAFETY: `bitmask` sets bit `i` for byte `i < 16` only.
unsafe impl ScanOps for Simd128 {
    const MASK_SHIFT: u32 = 0;

    #[inline(always)]
    unsafe fn or(self, other: Self) -> Self {
        // SAFETY: simd128 is enabled for this build.
        unsafe { wrap(v128_or(raw(self), raw(other))) }
    }

    #[inline(always)]
    unsafe fn xor(self, other: Self) -> Self {
        // SAFETY: simd128 is enabled for this build.
        unsafe { wrap(v128_xor(raw(self), raw(other))) }
    }

    #[inline(always)]
    unsafe fn msb_mask(self) -> u64 {
        // SAFETY: simd128 is enabled for this build.
        u64::from(u8x16_bitmask(unsafe { raw(self) }))
    }
}

// SAFETY: `swizzle` reads only the one table vector.
unsafe impl NibbleOps for Simd128 {
    #[inline(always)]
    unsafe fn lookup(self, idx: Self) -> Self {
        // SAFETY: simd128 is enabled for this build. `swizzle` gives 0 for any index >= 16.
        unsafe { wrap(u8x16_swizzle(raw(self), raw(idx))) }
    }

    #[inline(always)]
    unsafe fn high_nibble(self) -> Self {
        // SAFETY: simd128 is enabled for this build. The 16-bit shift moves bits across the
        // byte boundary; the mask keeps each byte's own high nibble.
        unsafe { wrap(v128_and(u16x8_shr(raw(self), 4), u8x16_splat(0x0F))) }
    }
}
