//! wasm32 simd128 primitives for the column kernels: compares packed with `bitmask`, and
//! `i8x16.swizzle` (which wazero compiles to one PSHUFB, unlike `i8x16.shuffle`).

use core::arch::wasm32::*;

use super::simd::{ColVec, Compress};

/// One simd128 value.
#[derive(Clone, Copy)]
pub(crate) struct Simd128Col(v128);

// SAFETY: 16 bytes; `load` reads 16; `bitmask` yields one bit per element. simd128 is
// enabled at compile time.
unsafe impl ColVec for Simd128Col {
    const BYTES: usize = 16;

    #[inline(always)]
    unsafe fn load(ptr: *const u8) -> Self {
        // SAFETY: the caller promises 16 readable bytes; `v128.load` needs no alignment.
        Simd128Col(unsafe { v128_load(ptr.cast()) })
    }
    #[inline(always)]
    unsafe fn splat64(bits: u64) -> Self {
        Simd128Col(u64x2_splat(bits))
    }
    #[inline(always)]
    unsafe fn xor(self, other: Self) -> Self {
        Simd128Col(v128_xor(self.0, other.0))
    }
    #[inline(always)]
    unsafe fn eq8(self, other: Self) -> u64 {
        u64::from(i8x16_bitmask(i8x16_eq(self.0, other.0)))
    }
    #[inline(always)]
    unsafe fn eq16(self, other: Self) -> u64 {
        u64::from(i16x8_bitmask(i16x8_eq(self.0, other.0)))
    }
    #[inline(always)]
    unsafe fn eq32(self, other: Self) -> u64 {
        u64::from(i32x4_bitmask(i32x4_eq(self.0, other.0)))
    }
    #[inline(always)]
    unsafe fn eq64(self, other: Self) -> u64 {
        u64::from(i64x2_bitmask(i64x2_eq(self.0, other.0)))
    }
    #[inline(always)]
    unsafe fn gt8(self, other: Self) -> u64 {
        u64::from(i8x16_bitmask(i8x16_gt(self.0, other.0)))
    }
    #[inline(always)]
    unsafe fn gt16(self, other: Self) -> u64 {
        u64::from(i16x8_bitmask(i16x8_gt(self.0, other.0)))
    }
    #[inline(always)]
    unsafe fn gt32(self, other: Self) -> u64 {
        u64::from(i32x4_bitmask(i32x4_gt(self.0, other.0)))
    }
    #[inline(always)]
    unsafe fn gt64(self, other: Self) -> u64 {
        u64::from(i64x2_bitmask(i64x2_gt(self.0, other.0)))
    }
    #[inline(always)]
    unsafe fn feq32(self, other: Self) -> u64 {
        u64::from(i32x4_bitmask(f32x4_eq(self.0, other.0)))
    }
    #[inline(always)]
    unsafe fn flt32(self, other: Self) -> u64 {
        u64::from(i32x4_bitmask(f32x4_lt(self.0, other.0)))
    }
    #[inline(always)]
    unsafe fn fle32(self, other: Self) -> u64 {
        u64::from(i32x4_bitmask(f32x4_le(self.0, other.0)))
    }
    #[inline(always)]
    unsafe fn feq64(self, other: Self) -> u64 {
        u64::from(i64x2_bitmask(f64x2_eq(self.0, other.0)))
    }
    #[inline(always)]
    unsafe fn flt64(self, other: Self) -> u64 {
        u64::from(i64x2_bitmask(f64x2_lt(self.0, other.0)))
    }
    #[inline(always)]
    unsafe fn fle64(self, other: Self) -> u64 {
        u64::from(i64x2_bitmask(f64x2_le(self.0, other.0)))
    }
}

// SAFETY: each method touches exactly the bytes it names; simd128 is enabled at compile time.
unsafe impl Compress for Simd128Col {
    #[inline(always)]
    unsafe fn load8(ptr: *const u8) -> Self {
        // SAFETY: the caller promises 8 readable bytes; wasm loads need no alignment.
        Simd128Col(unsafe { v128_load64_zero(ptr.cast()) })
    }
    #[inline(always)]
    unsafe fn load16(ptr: *const u8) -> Self {
        // SAFETY: the caller promises 16 readable bytes.
        unsafe { <Self as ColVec>::load(ptr) }
    }
    #[inline(always)]
    unsafe fn store8(self, ptr: *mut u8) {
        // SAFETY: the caller promises 8 writable bytes; wasm stores need no alignment.
        unsafe { v128_store64_lane::<0>(self.0, ptr.cast()) }
    }
    #[inline(always)]
    unsafe fn store16(self, ptr: *mut u8) {
        // SAFETY: the caller promises 16 writable bytes; `v128.store` needs no alignment.
        unsafe { v128_store(ptr.cast(), self.0) }
    }
    #[inline(always)]
    unsafe fn shuffle(self, idx: Self) -> Self {
        Simd128Col(i8x16_swizzle(self.0, idx.0))
    }
}
