//! x86_64: SSE2 (no byte table lookup: `pshufb` is SSSE3), AVX2 and AVX-512 F+BW.

use core::arch::x86_64::{
    __m128i, __m256i, __m512i, _mm_loadu_si128, _mm_movemask_epi8, _mm_or_si128, _mm_storeu_si128,
    _mm_xor_si128, _mm256_and_si256, _mm256_loadu_si256, _mm256_movemask_epi8, _mm256_or_si256,
    _mm256_set1_epi8, _mm256_shuffle_epi8, _mm256_srli_epi16, _mm256_storeu_si256,
    _mm256_xor_si256, _mm512_and_si512, _mm512_loadu_si512, _mm512_movepi8_mask, _mm512_or_si512,
    _mm512_set1_epi8, _mm512_shuffle_epi8, _mm512_srli_epi16, _mm512_storeu_si512,
    _mm512_xor_si512,
};

use super::{NibbleOps, ScanOps};
use crate::vector::{Avx2, Avx512, Sse2, Vector};

/// Moves a vector to its raw register type and back (see the module comment of `ops`).
trait Raw: Vector {
    /// The intrinsics' register type.
    type Reg;
    /// The register holding `self`.
    unsafe fn raw(self) -> Self::Reg;
    /// The vector holding `reg`.
    unsafe fn wrap(reg: Self::Reg) -> Self;
}

/// Implements [`Raw`] for `$v` with register `$reg`, `$bytes` wide, and its unaligned
/// load/store intrinsics.
macro_rules! raw {
    ($v:ty, $reg:ty, $bytes:literal, $load:ident, $store:ident) => {
        impl Raw for $v {
            type Reg = $reg;

            #[inline(always)]
            unsafe fn raw(self) -> $reg {
                let mut buf = [0u8; $bytes];
                // SAFETY: `buf` holds exactly one vector; the caller promises the ISA.
                unsafe {
                    self.store(buf.as_mut_ptr());
                    $load(buf.as_ptr().cast())
                }
            }

            #[inline(always)]
            unsafe fn wrap(reg: $reg) -> Self {
                let mut buf = [0u8; $bytes];
                // SAFETY: as in `raw`.
                unsafe {
                    $store(buf.as_mut_ptr().cast(), reg);
                    <$v>::load(buf.as_ptr())
                }
            }
        }
    };
}

raw!(Sse2, __m128i, 16, _mm_loadu_si128, _mm_storeu_si128);
raw!(Avx2, __m256i, 32, _mm256_loadu_si256, _mm256_storeu_si256);
raw!(Avx512, __m512i, 64, _mm512_loadu_si512, _mm512_storeu_si512);

// SAFETY: `movemask` sets bit `i` for byte `i < 16` only.
unsafe impl ScanOps for Sse2 {
    const MASK_SHIFT: u32 = 0;

    #[inline(always)]
    unsafe fn or(self, other: Self) -> Self {
        // SAFETY: SSE2 is the x86_64 baseline; the caller promises it (trait contract).
        unsafe { Self::wrap(_mm_or_si128(self.raw(), other.raw())) }
    }

    #[inline(always)]
    unsafe fn xor(self, other: Self) -> Self {
        // SAFETY: as in `or`.
        unsafe { Self::wrap(_mm_xor_si128(self.raw(), other.raw())) }
    }

    #[inline(always)]
    unsafe fn msb_mask(self) -> u64 {
        // SAFETY: as in `or`. The movemask fills the low 16 bits of a non-negative i32.
        u64::from(unsafe { _mm_movemask_epi8(self.raw()) } as u32)
    }
}

// SAFETY: `movemask` sets bit `i` for byte `i < 32` only.
unsafe impl ScanOps for Avx2 {
    const MASK_SHIFT: u32 = 0;

    #[inline(always)]
    unsafe fn or(self, other: Self) -> Self {
        // SAFETY: the caller runs on an AVX2 CPU (trait contract).
        unsafe { Self::wrap(_mm256_or_si256(self.raw(), other.raw())) }
    }

    #[inline(always)]
    unsafe fn xor(self, other: Self) -> Self {
        // SAFETY: as in `or`.
        unsafe { Self::wrap(_mm256_xor_si256(self.raw(), other.raw())) }
    }

    #[inline(always)]
    unsafe fn msb_mask(self) -> u64 {
        // SAFETY: as in `or`. The i32 holds the 32 mask bits; `as u32` keeps them.
        u64::from(unsafe { _mm256_movemask_epi8(self.raw()) } as u32)
    }
}

// SAFETY: `vpshufb` reads only within each 128-bit lane of the table.
unsafe impl NibbleOps for Avx2 {
    #[inline(always)]
    unsafe fn lookup(self, idx: Self) -> Self {
        // SAFETY: AVX2 CPU (trait contract). `vpshufb` gives 0 for an index with its top bit
        // set and `table[idx & 15]` otherwise, which is the contract for indices 0..16.
        unsafe { Self::wrap(_mm256_shuffle_epi8(self.raw(), idx.raw())) }
    }

    #[inline(always)]
    unsafe fn high_nibble(self) -> Self {
        // SAFETY: AVX2 CPU (trait contract). A 16-bit shift moves bits across the byte
        // boundary; the mask keeps each byte's own high nibble.
        unsafe {
            Self::wrap(_mm256_and_si256(
                _mm256_srli_epi16::<4>(self.raw()),
                _mm256_set1_epi8(0x0F),
            ))
        }
    }
}

// SAFETY: `vpmovb2m` sets bit `i` for byte `i < 64` only.
unsafe impl ScanOps for Avx512 {
    const MASK_SHIFT: u32 = 0;

    #[inline(always)]
    unsafe fn or(self, other: Self) -> Self {
        // SAFETY: the caller runs on an AVX-512 F+BW CPU (trait contract).
        unsafe { Self::wrap(_mm512_or_si512(self.raw(), other.raw())) }
    }

    #[inline(always)]
    unsafe fn xor(self, other: Self) -> Self {
        // SAFETY: as in `or`.
        unsafe { Self::wrap(_mm512_xor_si512(self.raw(), other.raw())) }
    }

    #[inline(always)]
    unsafe fn msb_mask(self) -> u64 {
        // SAFETY: as in `or` (`vpmovb2m` is AVX-512 BW).
        unsafe { _mm512_movepi8_mask(self.raw()) }
    }
}

// SAFETY: `vpshufb` reads only within each 128-bit lane of the table.
unsafe impl NibbleOps for Avx512 {
    #[inline(always)]
    unsafe fn lookup(self, idx: Self) -> Self {
        // SAFETY: AVX-512 BW CPU (trait contract); `vpshufb` as in the AVX2 impl.
        unsafe { Self::wrap(_mm512_shuffle_epi8(self.raw(), idx.raw())) }
    }

    #[inline(always)]
    unsafe fn high_nibble(self) -> Self {
        // SAFETY: AVX-512 BW CPU (trait contract); shift and mask as in the AVX2 impl.
        unsafe {
            Self::wrap(_mm512_and_si512(
                _mm512_srli_epi16::<4>(self.raw()),
                _mm512_set1_epi8(0x0F),
            ))
        }
    }
}
