//! x86_64 primitives for the column kernels: SSE2, AVX2 and AVX-512 compares that return one
//! bit per element, and the SSSE3 byte shuffle the AVX2 tier's select uses.

use core::arch::x86_64::*;

use super::simd::{ColVec, Compress};

/// One SSE2 register.
#[derive(Clone, Copy)]
pub(crate) struct Sse2Col(__m128i);

/// One AVX2 register.
#[derive(Clone, Copy)]
pub(crate) struct Avx2Col(__m256i);

/// One AVX-512 register.
#[derive(Clone, Copy)]
pub(crate) struct Avx512Col(__m512i);

/// One 128-bit register with the SSSE3 byte shuffle (part of the AVX2 tier).
#[derive(Clone, Copy)]
pub(crate) struct Ssse3Shuffle(__m128i);

// SAFETY: 16 bytes; `load` reads 16; each compare's movemask yields one bit per element.
// Every intrinsic below is SSE2, which the caller's CPU has (trait contract).
unsafe impl ColVec for Sse2Col {
    const BYTES: usize = 16;

    #[inline(always)]
    unsafe fn load(ptr: *const u8) -> Self {
        // SAFETY: the caller promises 16 readable bytes; `loadu` needs no alignment.
        Sse2Col(unsafe { _mm_loadu_si128(ptr.cast()) })
    }
    #[inline(always)]
    unsafe fn splat64(bits: u64) -> Self {
        // SAFETY: SSE2 (trait contract).
        Sse2Col(unsafe { _mm_set1_epi64x(bits as i64) })
    }
    #[inline(always)]
    unsafe fn xor(self, other: Self) -> Self {
        // SAFETY: SSE2 (trait contract).
        Sse2Col(unsafe { _mm_xor_si128(self.0, other.0) })
    }
    #[inline(always)]
    unsafe fn eq8(self, other: Self) -> u64 {
        // SAFETY: SSE2 (trait contract).
        unsafe { bytes_mask(_mm_cmpeq_epi8(self.0, other.0)) }
    }
    #[inline(always)]
    unsafe fn eq16(self, other: Self) -> u64 {
        // SAFETY: SSE2 (trait contract).
        unsafe { words_mask(_mm_cmpeq_epi16(self.0, other.0)) }
    }
    #[inline(always)]
    unsafe fn eq32(self, other: Self) -> u64 {
        // SAFETY: SSE2 (trait contract).
        unsafe { dwords_mask(_mm_cmpeq_epi32(self.0, other.0)) }
    }
    #[inline(always)]
    unsafe fn eq64(self, other: Self) -> u64 {
        // SSE2 has no 64-bit compare: both 32-bit halves must be equal.
        // SAFETY: SSE2 (trait contract).
        unsafe {
            let halves = _mm_cmpeq_epi32(self.0, other.0);
            let swapped = _mm_shuffle_epi32::<0b10_11_00_01>(halves);
            qwords_mask(_mm_and_si128(halves, swapped))
        }
    }
    #[inline(always)]
    unsafe fn gt8(self, other: Self) -> u64 {
        // SAFETY: SSE2 (trait contract).
        unsafe { bytes_mask(_mm_cmpgt_epi8(self.0, other.0)) }
    }
    #[inline(always)]
    unsafe fn gt16(self, other: Self) -> u64 {
        // SAFETY: SSE2 (trait contract).
        unsafe { words_mask(_mm_cmpgt_epi16(self.0, other.0)) }
    }
    #[inline(always)]
    unsafe fn gt32(self, other: Self) -> u64 {
        // SAFETY: SSE2 (trait contract).
        unsafe { dwords_mask(_mm_cmpgt_epi32(self.0, other.0)) }
    }
    #[inline(always)]
    unsafe fn gt64(self, other: Self) -> u64 {
        // SSE2 has no 64-bit compare: a > b when the high halves compare greater (signed), or
        // are equal and the low halves compare greater (unsigned: their top bits flipped).
        // Only the high half's sign bit of each result is read.
        // SAFETY: SSE2 (trait contract).
        unsafe {
            let low_top = _mm_set1_epi64x(0x8000_0000);
            let a = _mm_xor_si128(self.0, low_top);
            let b = _mm_xor_si128(other.0, low_top);
            let gt = _mm_cmpgt_epi32(a, b);
            let eq = _mm_cmpeq_epi32(a, b);
            let low_gt = _mm_shuffle_epi32::<0b10_10_00_00>(gt);
            qwords_mask(_mm_or_si128(gt, _mm_and_si128(eq, low_gt)))
        }
    }
    #[inline(always)]
    unsafe fn feq32(self, other: Self) -> u64 {
        // SAFETY: SSE2 (trait contract).
        unsafe { _mm_movemask_ps(_mm_cmpeq_ps(ps(self.0), ps(other.0))) as u64 }
    }
    #[inline(always)]
    unsafe fn flt32(self, other: Self) -> u64 {
        // SAFETY: SSE2 (trait contract).
        unsafe { _mm_movemask_ps(_mm_cmplt_ps(ps(self.0), ps(other.0))) as u64 }
    }
    #[inline(always)]
    unsafe fn fle32(self, other: Self) -> u64 {
        // SAFETY: SSE2 (trait contract).
        unsafe { _mm_movemask_ps(_mm_cmple_ps(ps(self.0), ps(other.0))) as u64 }
    }
    #[inline(always)]
    unsafe fn feq64(self, other: Self) -> u64 {
        // SAFETY: SSE2 (trait contract).
        unsafe { _mm_movemask_pd(_mm_cmpeq_pd(pd(self.0), pd(other.0))) as u64 }
    }
    #[inline(always)]
    unsafe fn flt64(self, other: Self) -> u64 {
        // SAFETY: SSE2 (trait contract).
        unsafe { _mm_movemask_pd(_mm_cmplt_pd(pd(self.0), pd(other.0))) as u64 }
    }
    #[inline(always)]
    unsafe fn fle64(self, other: Self) -> u64 {
        // SAFETY: SSE2 (trait contract).
        unsafe { _mm_movemask_pd(_mm_cmple_pd(pd(self.0), pd(other.0))) as u64 }
    }
}

/// The register as four f32.
#[inline(always)]
unsafe fn ps(v: __m128i) -> __m128 {
    // SAFETY: a bit cast; SSE2 as the caller promises.
    unsafe { _mm_castsi128_ps(v) }
}

/// The register as two f64.
#[inline(always)]
unsafe fn pd(v: __m128i) -> __m128d {
    // SAFETY: a bit cast; SSE2 as the caller promises.
    unsafe { _mm_castsi128_pd(v) }
}

/// One bit per byte of an all-ones/all-zeros byte mask.
#[inline(always)]
unsafe fn bytes_mask(m: __m128i) -> u64 {
    // SAFETY: SSE2 as the caller promises.
    u64::from(unsafe { _mm_movemask_epi8(m) } as u16)
}

/// One bit per 16-bit element of an element mask (saturating packs keep 0 and -1).
#[inline(always)]
unsafe fn words_mask(m: __m128i) -> u64 {
    // SAFETY: SSE2 as the caller promises.
    u64::from(unsafe { _mm_movemask_epi8(_mm_packs_epi16(m, m)) } as u8)
}

/// One bit per 32-bit element of an element mask.
#[inline(always)]
unsafe fn dwords_mask(m: __m128i) -> u64 {
    // SAFETY: SSE2 as the caller promises.
    unsafe { _mm_movemask_ps(_mm_castsi128_ps(m)) as u64 }
}

/// One bit per 64-bit element: the sign bit of each element's high half.
#[inline(always)]
unsafe fn qwords_mask(m: __m128i) -> u64 {
    // SAFETY: SSE2 as the caller promises.
    unsafe { _mm_movemask_pd(_mm_castsi128_pd(m)) as u64 }
}

// SAFETY: 32 bytes; `load` reads 32; each compare's movemask yields one bit per element.
// Every intrinsic below is AVX or AVX2, which the caller's CPU has (trait contract).
unsafe impl ColVec for Avx2Col {
    const BYTES: usize = 32;

    #[inline(always)]
    unsafe fn load(ptr: *const u8) -> Self {
        // SAFETY: the caller promises 32 readable bytes; `loadu` needs no alignment.
        Avx2Col(unsafe { _mm256_loadu_si256(ptr.cast()) })
    }
    #[inline(always)]
    unsafe fn splat64(bits: u64) -> Self {
        // SAFETY: AVX (trait contract).
        Avx2Col(unsafe { _mm256_set1_epi64x(bits as i64) })
    }
    #[inline(always)]
    unsafe fn xor(self, other: Self) -> Self {
        // SAFETY: AVX2 (trait contract).
        Avx2Col(unsafe { _mm256_xor_si256(self.0, other.0) })
    }
    #[inline(always)]
    unsafe fn eq8(self, other: Self) -> u64 {
        // SAFETY: AVX2 (trait contract).
        unsafe { u64::from(_mm256_movemask_epi8(_mm256_cmpeq_epi8(self.0, other.0)) as u32) }
    }
    #[inline(always)]
    unsafe fn eq16(self, other: Self) -> u64 {
        // SAFETY: AVX2 (trait contract).
        unsafe { words_mask256(_mm256_cmpeq_epi16(self.0, other.0)) }
    }
    #[inline(always)]
    unsafe fn eq32(self, other: Self) -> u64 {
        // SAFETY: AVX2 (trait contract).
        unsafe {
            _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpeq_epi32(self.0, other.0))) as u64
        }
    }
    #[inline(always)]
    unsafe fn eq64(self, other: Self) -> u64 {
        // SAFETY: AVX2 (trait contract).
        unsafe {
            _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpeq_epi64(self.0, other.0))) as u64
        }
    }
    #[inline(always)]
    unsafe fn gt8(self, other: Self) -> u64 {
        // SAFETY: AVX2 (trait contract).
        unsafe { u64::from(_mm256_movemask_epi8(_mm256_cmpgt_epi8(self.0, other.0)) as u32) }
    }
    #[inline(always)]
    unsafe fn gt16(self, other: Self) -> u64 {
        // SAFETY: AVX2 (trait contract).
        unsafe { words_mask256(_mm256_cmpgt_epi16(self.0, other.0)) }
    }
    #[inline(always)]
    unsafe fn gt32(self, other: Self) -> u64 {
        // SAFETY: AVX2 (trait contract).
        unsafe {
            _mm256_movemask_ps(_mm256_castsi256_ps(_mm256_cmpgt_epi32(self.0, other.0))) as u64
        }
    }
    #[inline(always)]
    unsafe fn gt64(self, other: Self) -> u64 {
        // SAFETY: AVX2 (trait contract).
        unsafe {
            _mm256_movemask_pd(_mm256_castsi256_pd(_mm256_cmpgt_epi64(self.0, other.0))) as u64
        }
    }
    #[inline(always)]
    unsafe fn feq32(self, other: Self) -> u64 {
        // SAFETY: AVX (trait contract).
        unsafe { cmp_ps::<_CMP_EQ_OQ>(self.0, other.0) }
    }
    #[inline(always)]
    unsafe fn flt32(self, other: Self) -> u64 {
        // SAFETY: AVX (trait contract).
        unsafe { cmp_ps::<_CMP_LT_OQ>(self.0, other.0) }
    }
    #[inline(always)]
    unsafe fn fle32(self, other: Self) -> u64 {
        // SAFETY: AVX (trait contract).
        unsafe { cmp_ps::<_CMP_LE_OQ>(self.0, other.0) }
    }
    #[inline(always)]
    unsafe fn feq64(self, other: Self) -> u64 {
        // SAFETY: AVX (trait contract).
        unsafe { cmp_pd::<_CMP_EQ_OQ>(self.0, other.0) }
    }
    #[inline(always)]
    unsafe fn flt64(self, other: Self) -> u64 {
        // SAFETY: AVX (trait contract).
        unsafe { cmp_pd::<_CMP_LT_OQ>(self.0, other.0) }
    }
    #[inline(always)]
    unsafe fn fle64(self, other: Self) -> u64 {
        // SAFETY: AVX (trait contract).
        unsafe { cmp_pd::<_CMP_LE_OQ>(self.0, other.0) }
    }
}

/// One bit per 16-bit element of a 256-bit element mask: the packs interleave the 128-bit
/// lanes' results, and the 64-bit permute puts elements 0..16 in the low 16 bytes.
#[inline(always)]
unsafe fn words_mask256(m: __m256i) -> u64 {
    // SAFETY: AVX2 as the caller promises.
    unsafe {
        let packed = _mm256_permute4x64_epi64::<0b11_01_10_00>(_mm256_packs_epi16(m, m));
        u64::from(_mm256_movemask_epi8(packed) as u16)
    }
}

/// One bit per f32 of the compare `P`.
#[inline(always)]
unsafe fn cmp_ps<const P: i32>(a: __m256i, b: __m256i) -> u64 {
    // SAFETY: AVX as the caller promises.
    unsafe {
        let m = _mm256_cmp_ps::<P>(_mm256_castsi256_ps(a), _mm256_castsi256_ps(b));
        _mm256_movemask_ps(m) as u64
    }
}

/// One bit per f64 of the compare `P`.
#[inline(always)]
unsafe fn cmp_pd<const P: i32>(a: __m256i, b: __m256i) -> u64 {
    // SAFETY: AVX as the caller promises.
    unsafe {
        let m = _mm256_cmp_pd::<P>(_mm256_castsi256_pd(a), _mm256_castsi256_pd(b));
        _mm256_movemask_pd(m) as u64
    }
}

// SAFETY: 64 bytes; `load` reads 64; compares into mask registers give one bit per element.
// Every intrinsic below is AVX-512 F or BW, which the caller's CPU has (trait contract).
unsafe impl ColVec for Avx512Col {
    const BYTES: usize = 64;

    #[inline(always)]
    unsafe fn load(ptr: *const u8) -> Self {
        // SAFETY: the caller promises 64 readable bytes; `loadu` needs no alignment.
        Avx512Col(unsafe { _mm512_loadu_si512(ptr.cast()) })
    }
    #[inline(always)]
    unsafe fn splat64(bits: u64) -> Self {
        // SAFETY: AVX-512 F (trait contract).
        Avx512Col(unsafe { _mm512_set1_epi64(bits as i64) })
    }
    #[inline(always)]
    unsafe fn xor(self, other: Self) -> Self {
        // SAFETY: AVX-512 F (trait contract).
        Avx512Col(unsafe { _mm512_xor_si512(self.0, other.0) })
    }
    #[inline(always)]
    unsafe fn eq8(self, other: Self) -> u64 {
        // SAFETY: AVX-512 BW (trait contract).
        unsafe { _mm512_cmpeq_epi8_mask(self.0, other.0) }
    }
    #[inline(always)]
    unsafe fn eq16(self, other: Self) -> u64 {
        // SAFETY: AVX-512 BW (trait contract).
        u64::from(unsafe { _mm512_cmpeq_epi16_mask(self.0, other.0) })
    }
    #[inline(always)]
    unsafe fn eq32(self, other: Self) -> u64 {
        // SAFETY: AVX-512 F (trait contract).
        u64::from(unsafe { _mm512_cmpeq_epi32_mask(self.0, other.0) })
    }
    #[inline(always)]
    unsafe fn eq64(self, other: Self) -> u64 {
        // SAFETY: AVX-512 F (trait contract).
        u64::from(unsafe { _mm512_cmpeq_epi64_mask(self.0, other.0) })
    }
    #[inline(always)]
    unsafe fn gt8(self, other: Self) -> u64 {
        // SAFETY: AVX-512 BW (trait contract).
        unsafe { _mm512_cmpgt_epi8_mask(self.0, other.0) }
    }
    #[inline(always)]
    unsafe fn gt16(self, other: Self) -> u64 {
        // SAFETY: AVX-512 BW (trait contract).
        u64::from(unsafe { _mm512_cmpgt_epi16_mask(self.0, other.0) })
    }
    #[inline(always)]
    unsafe fn gt32(self, other: Self) -> u64 {
        // SAFETY: AVX-512 F (trait contract).
        u64::from(unsafe { _mm512_cmpgt_epi32_mask(self.0, other.0) })
    }
    #[inline(always)]
    unsafe fn gt64(self, other: Self) -> u64 {
        // SAFETY: AVX-512 F (trait contract).
        u64::from(unsafe { _mm512_cmpgt_epi64_mask(self.0, other.0) })
    }
    #[inline(always)]
    unsafe fn feq32(self, other: Self) -> u64 {
        // SAFETY: AVX-512 F (trait contract).
        unsafe { cmp512_ps::<_CMP_EQ_OQ>(self.0, other.0) }
    }
    #[inline(always)]
    unsafe fn flt32(self, other: Self) -> u64 {
        // SAFETY: AVX-512 F (trait contract).
        unsafe { cmp512_ps::<_CMP_LT_OQ>(self.0, other.0) }
    }
    #[inline(always)]
    unsafe fn fle32(self, other: Self) -> u64 {
        // SAFETY: AVX-512 F (trait contract).
        unsafe { cmp512_ps::<_CMP_LE_OQ>(self.0, other.0) }
    }
    #[inline(always)]
    unsafe fn feq64(self, other: Self) -> u64 {
        // SAFETY: AVX-512 F (trait contract).
        unsafe { cmp512_pd::<_CMP_EQ_OQ>(self.0, other.0) }
    }
    #[inline(always)]
    unsafe fn flt64(self, other: Self) -> u64 {
        // SAFETY: AVX-512 F (trait contract).
        unsafe { cmp512_pd::<_CMP_LT_OQ>(self.0, other.0) }
    }
    #[inline(always)]
    unsafe fn fle64(self, other: Self) -> u64 {
        // SAFETY: AVX-512 F (trait contract).
        unsafe { cmp512_pd::<_CMP_LE_OQ>(self.0, other.0) }
    }
}

/// One bit per f32 of the compare `P`, straight from the mask register.
#[inline(always)]
unsafe fn cmp512_ps<const P: i32>(a: __m512i, b: __m512i) -> u64 {
    // SAFETY: AVX-512 F as the caller promises.
    unsafe {
        let m = _mm512_cmp_ps_mask::<P>(_mm512_castsi512_ps(a), _mm512_castsi512_ps(b));
        u64::from(m)
    }
}

/// One bit per f64 of the compare `P`, straight from the mask register.
#[inline(always)]
unsafe fn cmp512_pd<const P: i32>(a: __m512i, b: __m512i) -> u64 {
    // SAFETY: AVX-512 F as the caller promises.
    unsafe {
        let m = _mm512_cmp_pd_mask::<P>(_mm512_castsi512_pd(a), _mm512_castsi512_pd(b));
        u64::from(m)
    }
}

// SAFETY: each method touches exactly the bytes it names; the intrinsics are SSE2 and SSSE3,
// which the caller's CPU has (trait contract).
unsafe impl Compress for Ssse3Shuffle {
    #[inline(always)]
    unsafe fn load8(ptr: *const u8) -> Self {
        // SAFETY: the caller promises 8 readable bytes; `movq` needs no alignment.
        Ssse3Shuffle(unsafe { _mm_loadl_epi64(ptr.cast()) })
    }
    #[inline(always)]
    unsafe fn load16(ptr: *const u8) -> Self {
        // SAFETY: the caller promises 16 readable bytes; `loadu` needs no alignment.
        Ssse3Shuffle(unsafe { _mm_loadu_si128(ptr.cast()) })
    }
    #[inline(always)]
    unsafe fn store8(self, ptr: *mut u8) {
        // SAFETY: the caller promises 8 writable bytes; `movq` needs no alignment.
        unsafe { _mm_storel_epi64(ptr.cast(), self.0) }
    }
    #[inline(always)]
    unsafe fn store16(self, ptr: *mut u8) {
        // SAFETY: the caller promises 16 writable bytes; `storeu` needs no alignment.
        unsafe { _mm_storeu_si128(ptr.cast(), self.0) }
    }
    #[inline(always)]
    unsafe fn shuffle(self, idx: Self) -> Self {
        // SAFETY: SSSE3 (trait contract).
        Ssse3Shuffle(unsafe { _mm_shuffle_epi8(self.0, idx.0) })
    }
}
