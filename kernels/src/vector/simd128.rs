//! wasm32 simd128 primitives: 128-bit vectors.
//!
//! Written for wazero's compiler, which emits SSE: compares, subtracts and the widening
//! pairwise adds map to one or two instructions; `i8x16.shuffle` becomes two PSHUFB and a
//! POR, so it appears only where two vectors must be interleaved (the zips). No shifts by
//! constants and no relaxed-simd.

use core::arch::wasm32::{
    i8x16_eq, i8x16_shuffle, i8x16_splat, i8x16_sub, u16x8_extadd_pairwise_u8x16,
    u32x4_extadd_pairwise_u16x8, u32x4_extract_lane, v128, v128_and, v128_load, v128_store,
};

use super::Vector;

/// One simd128 value.
#[derive(Clone, Copy)]
pub(crate) struct Simd128(v128);

// SAFETY: 16 bytes in one lane; each method touches only the memory it documents.
unsafe impl Vector for Simd128 {
    const BYTES: usize = 16;
    const LANES: usize = 1;

    #[inline(always)]
    unsafe fn splat(byte: u8) -> Self {
        Simd128(i8x16_splat(byte as i8))
    }

    #[inline(always)]
    unsafe fn load(ptr: *const u8) -> Self {
        // SAFETY: the caller promises 16 readable bytes at `ptr`; `v128.load` needs no
        // alignment.
        Simd128(unsafe { v128_load(ptr.cast()) })
    }

    #[inline(always)]
    unsafe fn store(self, ptr: *mut u8) {
        // SAFETY: the caller promises 16 writable bytes at `ptr`; `v128.store` needs no
        // alignment.
        unsafe { v128_store(ptr.cast(), self.0) }
    }

    #[inline(always)]
    unsafe fn load_lanes(ptr: *const u8, _stride: usize) -> Self {
        // SAFETY: one lane, at `ptr + 0 * stride`, which the caller promises is readable.
        unsafe { Self::load(ptr) }
    }

    #[inline(always)]
    unsafe fn store_lanes(self, ptr: *mut u8, _stride: usize) {
        // SAFETY: one lane, at `ptr + 0 * stride`, which the caller promises is writable.
        unsafe { self.store(ptr) }
    }

    #[inline(always)]
    unsafe fn cmpeq(self, other: Self) -> Self {
        Simd128(i8x16_eq(self.0, other.0))
    }

    #[inline(always)]
    unsafe fn and(self, other: Self) -> Self {
        Simd128(v128_and(self.0, other.0))
    }

    #[inline(always)]
    unsafe fn sub(self, other: Self) -> Self {
        Simd128(i8x16_sub(self.0, other.0))
    }

    #[inline(always)]
    unsafe fn sum_bytes(self) -> u64 {
        // Widen twice by pairwise adds (bytes -> u16 -> u32), then add the four u32 lanes.
        let quads = u32x4_extadd_pairwise_u16x8(u16x8_extadd_pairwise_u8x16(self.0));
        u64::from(u32x4_extract_lane::<0>(quads))
            + u64::from(u32x4_extract_lane::<1>(quads))
            + u64::from(u32x4_extract_lane::<2>(quads))
            + u64::from(u32x4_extract_lane::<3>(quads))
    }

    #[inline(always)]
    unsafe fn zip_lo(self, other: Self) -> Self {
        Simd128(i8x16_shuffle::<
            0,
            16,
            1,
            17,
            2,
            18,
            3,
            19,
            4,
            20,
            5,
            21,
            6,
            22,
            7,
            23,
        >(self.0, other.0))
    }

    #[inline(always)]
    unsafe fn zip_hi(self, other: Self) -> Self {
        Simd128(i8x16_shuffle::<
            8,
            24,
            9,
            25,
            10,
            26,
            11,
            27,
            12,
            28,
            13,
            29,
            14,
            30,
            15,
            31,
        >(self.0, other.0))
    }
}
