//! AVX2 primitives: 256-bit vectors of two 128-bit lanes.

use core::arch::x86_64::{
    __m256i, _mm_add_epi64, _mm_cvtsi128_si64, _mm_unpackhi_epi64, _mm256_and_si256,
    _mm256_castsi256_si128, _mm256_cmpeq_epi8, _mm256_extracti128_si256, _mm256_loadu_si256,
    _mm256_loadu2_m128i, _mm256_sad_epu8, _mm256_set1_epi8, _mm256_setzero_si256,
    _mm256_storeu_si256, _mm256_storeu2_m128i, _mm256_sub_epi8, _mm256_unpackhi_epi8,
    _mm256_unpacklo_epi8,
};

use super::Vector;

/// One AVX2 register.
#[derive(Clone, Copy)]
pub(crate) struct Avx2(__m256i);

// SAFETY: 32 bytes in two lanes; each method touches only the memory it documents.
unsafe impl Vector for Avx2 {
    const BYTES: usize = 32;
    const LANES: usize = 2;

    #[inline(always)]
    unsafe fn splat(byte: u8) -> Self {
        // SAFETY: the caller runs on an AVX2 CPU (trait contract).
        Avx2(unsafe { _mm256_set1_epi8(byte as i8) })
    }

    #[inline(always)]
    unsafe fn load(ptr: *const u8) -> Self {
        // SAFETY: AVX2 CPU, and the caller promises 32 readable bytes at `ptr`.
        Avx2(unsafe { _mm256_loadu_si256(ptr.cast()) })
    }

    #[inline(always)]
    unsafe fn store(self, ptr: *mut u8) {
        // SAFETY: AVX2 CPU, and the caller promises 32 writable bytes at `ptr`.
        unsafe { _mm256_storeu_si256(ptr.cast(), self.0) }
    }

    #[inline(always)]
    unsafe fn load_lanes(ptr: *const u8, stride: usize) -> Self {
        // SAFETY: AVX2 CPU; the caller promises 16 readable bytes at `ptr` and at
        // `ptr + stride`, which are exactly the two lanes read.
        Avx2(unsafe { _mm256_loadu2_m128i(ptr.add(stride).cast(), ptr.cast()) })
    }

    #[inline(always)]
    unsafe fn store_lanes(self, ptr: *mut u8, stride: usize) {
        // SAFETY: AVX2 CPU; the caller promises 16 writable bytes at `ptr` and at
        // `ptr + stride`, which are exactly the two lanes written.
        unsafe { _mm256_storeu2_m128i(ptr.add(stride).cast(), ptr.cast(), self.0) }
    }

    #[inline(always)]
    unsafe fn cmpeq(self, other: Self) -> Self {
        // SAFETY: AVX2 CPU (trait contract).
        Avx2(unsafe { _mm256_cmpeq_epi8(self.0, other.0) })
    }

    #[inline(always)]
    unsafe fn and(self, other: Self) -> Self {
        // SAFETY: AVX2 CPU (trait contract).
        Avx2(unsafe { _mm256_and_si256(self.0, other.0) })
    }

    #[inline(always)]
    unsafe fn sub(self, other: Self) -> Self {
        // SAFETY: AVX2 CPU (trait contract).
        Avx2(unsafe { _mm256_sub_epi8(self.0, other.0) })
    }

    #[inline(always)]
    unsafe fn sum_bytes(self) -> u64 {
        // SAFETY: AVX2 CPU (trait contract). SAD against zero leaves one byte sum per 64-bit
        // quarter; the quarters are then added.
        unsafe {
            let quarters = _mm256_sad_epu8(self.0, _mm256_setzero_si256());
            let halves = _mm_add_epi64(
                _mm256_castsi256_si128(quarters),
                _mm256_extracti128_si256::<1>(quarters),
            );
            let sum = _mm_add_epi64(halves, _mm_unpackhi_epi64(halves, halves));
            _mm_cvtsi128_si64(sum) as u64
        }
    }

    #[inline(always)]
    unsafe fn zip_lo(self, other: Self) -> Self {
        // SAFETY: AVX2 CPU (trait contract).
        Avx2(unsafe { _mm256_unpacklo_epi8(self.0, other.0) })
    }

    #[inline(always)]
    unsafe fn zip_hi(self, other: Self) -> Self {
        // SAFETY: AVX2 CPU (trait contract).
        Avx2(unsafe { _mm256_unpackhi_epi8(self.0, other.0) })
    }
}
