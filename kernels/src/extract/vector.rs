//! [`GatherVector`] for each instruction set that has a 16-byte shuffle with a variable
//! index.
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

#[cfg(target_arch = "x86_64")]
pub(crate) use x86::Pshufb;

#[cfg(target_arch = "x86_64")]
mod x86 {
    use core::arch::x86_64::{__m128i, _mm_loadu_si128, _mm_shuffle_epi8, _mm_storeu_si128};

    use super::super::simd::GatherVector;

    /// A 128-bit register with SSSE3's `pshufb`, used by the AVX2 and AVX-512 tiers (both
    /// imply SSSE3).
    #[derive(Clone, Copy)]
    pub(crate) struct Pshufb(__m128i);

    // SAFETY: `load` and `store` touch exactly 16 bytes.
    unsafe impl GatherVector for Pshufb {
        #[inline(always)]
        unsafe fn load(ptr: *const u8) -> Self {
            // SAFETY: the caller promises 16 readable bytes; `loadu` needs no alignment.
            Pshufb(unsafe { _mm_loadu_si128(ptr.cast()) })
        }

        #[inline(always)]
        unsafe fn store(self, ptr: *mut u8) {
            // SAFETY: the caller promises 16 writable bytes; `storeu` needs no alignment.
            unsafe { _mm_storeu_si128(ptr.cast(), self.0) }
        }

        #[inline(always)]
        unsafe fn gather(self, index: Self) -> Self {
            // SAFETY: the caller runs on an SSSE3 CPU (trait contract); `pshufb` zeroes the
            // bytes whose index has the top bit set.
            Pshufb(unsafe { _mm_shuffle_epi8(self.0, index.0) })
        }
    }
}

#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) use neon::Neon;

#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
mod neon {
    use core::arch::aarch64::{uint8x16_t, vld1q_u8, vqtbl1q_u8, vst1q_u8};

    use super::super::simd::GatherVector;

    /// One NEON register; `tbl` zeroes the bytes whose index is 16 or more.
    #[derive(Clone, Copy)]
    pub(crate) struct Neon(uint8x16_t);

    // SAFETY: `load` and `store` touch exactly 16 bytes.
    unsafe impl GatherVector for Neon {
        #[inline(always)]
        unsafe fn load(ptr: *const u8) -> Self {
            // SAFETY: the caller promises 16 readable bytes; `ld1` needs no alignment.
            Neon(unsafe { vld1q_u8(ptr) })
        }

        #[inline(always)]
        unsafe fn store(self, ptr: *mut u8) {
            // SAFETY: the caller promises 16 writable bytes; `st1` needs no alignment.
            unsafe { vst1q_u8(ptr, self.0) }
        }

        #[inline(always)]
        unsafe fn gather(self, index: Self) -> Self {
            // SAFETY: NEON CPU (trait contract).
            Neon(unsafe { vqtbl1q_u8(self.0, index.0) })
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) use wasm::Simd128;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm {
    use core::arch::wasm32::{i8x16_swizzle, v128, v128_load, v128_store};

    use super::super::simd::GatherVector;

    /// One simd128 value; `i8x16.swizzle` zeroes the bytes whose index is 16 or more.
    #[derive(Clone, Copy)]
    pub(crate) struct Simd128(v128);

    // SAFETY: `load` and `store` touch exactly 16 bytes.
    unsafe impl GatherVector for Simd128 {
        #[inline(always)]
        unsafe fn load(ptr: *const u8) -> Self {
            // SAFETY: the caller promises 16 readable bytes; `v128.load` needs no alignment.
            Simd128(unsafe { v128_load(ptr.cast()) })
        }

        #[inline(always)]
        unsafe fn store(self, ptr: *mut u8) {
            // SAFETY: the caller promises 16 writable bytes; `v128.store` needs no alignment.
            unsafe { v128_store(ptr.cast(), self.0) }
        }

        #[inline(always)]
        unsafe fn gather(self, index: Self) -> Self {
            Simd128(i8x16_swizzle(self.0, index.0))
        }
    }
}
