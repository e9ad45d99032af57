//! SSE2 primitives: 128-bit vectors, the x86_64 baseline.

use core::arch::x86_64::{
    __m128i, _mm_add_epi64, _mm_and_si128, _mm_cmpeq_epi8, _mm_cvtsi128_si64, _mm_loadu_si128,
    _mm_sad_epu8, _mm_set1_epi8, _mm_setzero_si128, _mm_storeu_si128, _mm_sub_epi8,
    _mm_unpackhi_epi8, _mm_unpackhi_epi64, _mm_unpacklo_epi8,
};

use super::Vector;

/// One SSE2 register.
#[derive(Clone, Copy)]
pub(crate) struct Sse2(__m128i);

// SAFETY: 16 bytes in one lane; each method touches only the memory it documents.
unsafe impl Vector for Sse2 {
    const BYTES: usize = 16;
    const LANES: usize = 1;

    #[inline(always)]
    unsafe fn splat(byte: u8) -> Self {
        // SAFETY: the caller runs on a CPU with SSE2 (trait contract).
        Sse2(unsafe { _mm_set1_epi8(byte as i8) })
    }

    #[inline(always)]
    unsafe fn load(ptr: *const u8) -> Self {
        // SAFETY: the caller promises 16 readable bytes at `ptr`; `loadu` needs no alignment.
        Sse2(unsafe { _mm_loadu_si128(ptr.cast()) })
    }

    #[inline(always)]
    unsafe fn store(self, ptr: *mut u8) {
        // SAFETY: the caller promises 16 writable bytes at `ptr`; `storeu` needs no alignment.
        unsafe { _mm_storeu_si128(ptr.cast(), self.0) }
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
        // SAFETY: the caller runs on a CPU with SSE2 (trait contract).
        Sse2(unsafe { _mm_cmpeq_epi8(self.0, other.0) })
    }

    #[inline(always)]
    unsafe fn and(self, other: Self) -> Self {
        // SAFETY: the caller runs on a CPU with SSE2 (trait contract).
        Sse2(unsafe { _mm_and_si128(self.0, other.0) })
    }

    #[inline(always)]
    unsafe fn sub(self, other: Self) -> Self {
        // SAFETY: the caller runs on a CPU with SSE2 (trait contract).
        Sse2(unsafe { _mm_sub_epi8(self.0, other.0) })
    }

    #[inline(always)]
    unsafe fn sum_bytes(self) -> u64 {
        // SAFETY: the caller runs on a CPU with SSE2 (trait contract). SAD against zero leaves
        // one byte sum per 64-bit half; the halves are then added.
        unsafe {
            let halves = _mm_sad_epu8(self.0, _mm_setzero_si128());
            let sum = _mm_add_epi64(halves, _mm_unpackhi_epi64(halves, halves));
            _mm_cvtsi128_si64(sum) as u64
        }
    }

    #[inline(always)]
    unsafe fn zip_lo(self, other: Self) -> Self {
        // SAFETY: the caller runs on a CPU with SSE2 (trait contract).
        Sse2(unsafe { _mm_unpacklo_epi8(self.0, other.0) })
    }

    #[inline(always)]
    unsafe fn zip_hi(self, other: Self) -> Self {
        // SAFETY: the caller runs on a CPU with SSE2 (trait contract).
        Sse2(unsafe { _mm_unpackhi_epi8(self.0, other.0) })
    }
}
