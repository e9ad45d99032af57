//! [`Xxh3Ops`] for x86_64: SSE2, AVX2 and AVX-512 F (`pmuludq` is the 32×32→64 multiply).

use core::arch::x86_64::*;

use super::simd::Xxh3Ops;
use crate::vector::{Avx2, Avx512, Sse2, Vector};

/// Moves a vector to its raw register type and back. The shared vector types keep their
/// register private, so the move goes through memory; it compiles to nothing once inlined.
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

/// `_MM_SHUFFLE(0, 3, 0, 1)`: 32-bit element 1 to 0 and 3 to 2 (each 64-bit lane's high half
/// to its low half, for `pmuludq`).
const HI_TO_LO: i32 = 0b00_11_00_01;
/// `_MM_SHUFFLE(1, 0, 3, 2)`: the two 64-bit halves of each 128-bit lane swapped.
const SWAP64: i32 = 0b01_00_11_10;

/// Implements [`Xxh3Ops`] for `$v` from its width's intrinsics.
macro_rules! xxh3_ops {
    ($v:ty, $xor:ident, $add64:ident, $mul_epu32:ident, $shuffle_epi32:ident, $srli:ident,
     $slli:ident, $set1_epi32:ident) => {
        // SAFETY: every method is a lane-wise operation on the vector's own 64-bit lanes.
        unsafe impl Xxh3Ops for $v {
            #[inline(always)]
            unsafe fn xor(self, other: Self) -> Self {
                // SAFETY: the caller promises the ISA (trait contract).
                unsafe { Self::wrap($xor(self.raw(), other.raw())) }
            }

            #[inline(always)]
            unsafe fn add64(self, other: Self) -> Self {
                // SAFETY: as in `xor`.
                unsafe { Self::wrap($add64(self.raw(), other.raw())) }
            }

            #[inline(always)]
            unsafe fn mul_lo_hi(self) -> Self {
                // SAFETY: as in `xor`. `pmuludq` multiplies the low 32 bits of each 64-bit
                // lane; the shuffle put each lane's high half there in the second operand.
                unsafe {
                    let x = self.raw();
                    Self::wrap($mul_epu32(x, $shuffle_epi32::<HI_TO_LO>(x)))
                }
            }

            #[inline(always)]
            unsafe fn swap64(self) -> Self {
                // SAFETY: as in `xor`.
                unsafe { Self::wrap($shuffle_epi32::<SWAP64>(self.raw())) }
            }

            #[inline(always)]
            unsafe fn shr47(self) -> Self {
                // SAFETY: as in `xor`.
                unsafe { Self::wrap($srli::<47>(self.raw())) }
            }

            #[inline(always)]
            unsafe fn mul_u32(self, k: u32) -> Self {
                // SAFETY: as in `xor`. `x · k = lo(x) · k + (hi(x) · k) << 32`, mod 2^64.
                unsafe {
                    let (x, k) = (self.raw(), $set1_epi32(k as i32));
                    let lo = $mul_epu32(x, k);
                    let hi = $mul_epu32($srli::<32>(x), k);
                    Self::wrap($add64(lo, $slli::<32>(hi)))
                }
            }
        }
    };
}

xxh3_ops!(
    Sse2,
    _mm_xor_si128,
    _mm_add_epi64,
    _mm_mul_epu32,
    _mm_shuffle_epi32,
    _mm_srli_epi64,
    _mm_slli_epi64,
    _mm_set1_epi32
);
xxh3_ops!(
    Avx2,
    _mm256_xor_si256,
    _mm256_add_epi64,
    _mm256_mul_epu32,
    _mm256_shuffle_epi32,
    _mm256_srli_epi64,
    _mm256_slli_epi64,
    _mm256_set1_epi32
);
xxh3_ops!(
    Avx512,
    _mm512_xor_si512,
    _mm512_add_epi64,
    _mm512_mul_epu32,
    _mm512_shuffle_epi32,
    _mm512_srli_epi64,
    _mm512_slli_epi64,
    _mm512_set1_epi32
);
