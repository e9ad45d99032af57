//! AVX-512 (F+BW) primitives: 512-bit vectors of four 128-bit lanes.
//!
//! Counting compares into a mask register and does a masked add, two instructions per
//! vector instead of the compare, mask-to-vector move and subtract the default would take.

use core::arch::x86_64::{
    __m512i, _mm_loadu_si128, _mm_storeu_si128, _mm512_and_si512, _mm512_castsi128_si512,
    _mm512_castsi512_si128, _mm512_cmpeq_epi8_mask, _mm512_extracti32x4_epi32, _mm512_inserti32x4,
    _mm512_loadu_si512, _mm512_mask_add_epi8, _mm512_movm_epi8, _mm512_reduce_add_epi64,
    _mm512_sad_epu8, _mm512_set1_epi8, _mm512_setzero_si512, _mm512_storeu_si512, _mm512_sub_epi8,
    _mm512_unpackhi_epi8, _mm512_unpacklo_epi8,
};

use super::Vector;

/// One AVX-512 register.
#[derive(Clone, Copy)]
pub(crate) struct Avx512(__m512i);

// SAFETY: 64 bytes in four lanes; each method touches only the memory it documents.
unsafe impl Vector for Avx512 {
    const BYTES: usize = 64;
    const LANES: usize = 4;

    #[inline(always)]
    unsafe fn splat(byte: u8) -> Self {
        // SAFETY: the caller runs on an AVX-512 F+BW CPU (trait contract).
        Avx512(unsafe { _mm512_set1_epi8(byte as i8) })
    }

    #[inline(always)]
    unsafe fn load(ptr: *const u8) -> Self {
        // SAFETY: AVX-512 CPU, and the caller promises 64 readable bytes at `ptr`.
        Avx512(unsafe { _mm512_loadu_si512(ptr.cast()) })
    }

    #[inline(always)]
    unsafe fn store(self, ptr: *mut u8) {
        // SAFETY: AVX-512 CPU, and the caller promises 64 writable bytes at `ptr`.
        unsafe { _mm512_storeu_si512(ptr.cast(), self.0) }
    }

    #[inline(always)]
    unsafe fn load_lanes(ptr: *const u8, stride: usize) -> Self {
        // SAFETY: AVX-512 CPU; the caller promises 16 readable bytes at `ptr + l * stride`
        // for l in 0..4, which are exactly the four lanes read.
        unsafe {
            let v = _mm512_castsi128_si512(_mm_loadu_si128(ptr.cast()));
            let v = _mm512_inserti32x4::<1>(v, _mm_loadu_si128(ptr.add(stride).cast()));
            let v = _mm512_inserti32x4::<2>(v, _mm_loadu_si128(ptr.add(2 * stride).cast()));
            Avx512(_mm512_inserti32x4::<3>(
                v,
                _mm_loadu_si128(ptr.add(3 * stride).cast()),
            ))
        }
    }

    #[inline(always)]
    unsafe fn store_lanes(self, ptr: *mut u8, stride: usize) {
        // SAFETY: AVX-512 CPU; the caller promises 16 writable bytes at `ptr + l * stride`
        // for l in 0..4, which are exactly the four lanes written.
        unsafe {
            _mm_storeu_si128(ptr.cast(), _mm512_castsi512_si128(self.0));
            _mm_storeu_si128(
                ptr.add(stride).cast(),
                _mm512_extracti32x4_epi32::<1>(self.0),
            );
            _mm_storeu_si128(
                ptr.add(2 * stride).cast(),
                _mm512_extracti32x4_epi32::<2>(self.0),
            );
            _mm_storeu_si128(
                ptr.add(3 * stride).cast(),
                _mm512_extracti32x4_epi32::<3>(self.0),
            );
        }
    }

    #[inline(always)]
    unsafe fn cmpeq(self, other: Self) -> Self {
        // SAFETY: AVX-512 BW CPU (trait contract).
        Avx512(unsafe { _mm512_movm_epi8(_mm512_cmpeq_epi8_mask(self.0, other.0)) })
    }

    #[inline(always)]
    unsafe fn and(self, other: Self) -> Self {
        // SAFETY: AVX-512 F CPU (trait contract).
        Avx512(unsafe { _mm512_and_si512(self.0, other.0) })
    }

    #[inline(always)]
    unsafe fn sub(self, other: Self) -> Self {
        // SAFETY: AVX-512 BW CPU (trait contract).
        Avx512(unsafe { _mm512_sub_epi8(self.0, other.0) })
    }

    #[inline(always)]
    unsafe fn count_eq(self, data: Self, needle: Self) -> Self {
        // SAFETY: AVX-512 BW CPU (trait contract). Bytes whose mask bit is set become
        // `counter + 1`; the others keep `counter`.
        unsafe {
            let hits = _mm512_cmpeq_epi8_mask(data.0, needle.0);
            Avx512(_mm512_mask_add_epi8(
                self.0,
                hits,
                self.0,
                _mm512_set1_epi8(1),
            ))
        }
    }

    #[inline(always)]
    unsafe fn sum_bytes(self) -> u64 {
        // SAFETY: AVX-512 F+BW CPU (trait contract). SAD against zero leaves one byte sum
        // per 64-bit element; the eight are then added.
        unsafe { _mm512_reduce_add_epi64(_mm512_sad_epu8(self.0, _mm512_setzero_si512())) as u64 }
    }

    #[inline(always)]
    unsafe fn zip_lo(self, other: Self) -> Self {
        // SAFETY: AVX-512 BW CPU (trait contract).
        Avx512(unsafe { _mm512_unpacklo_epi8(self.0, other.0) })
    }

    #[inline(always)]
    unsafe fn zip_hi(self, other: Self) -> Self {
        // SAFETY: AVX-512 BW CPU (trait contract).
        Avx512(unsafe { _mm512_unpackhi_epi8(self.0, other.0) })
    }
}
