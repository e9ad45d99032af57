//! [`SwapVector`] for each instruction set: how one ISA reverses the bytes of the elements
//! of a register.
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

#[cfg(target_arch = "x86_64")]
pub(crate) use x86::{Avx2, Avx512, Sse2};

#[cfg(target_arch = "x86_64")]
mod x86 {
    use core::arch::x86_64::{
        __m128i, __m256i, __m512i, _mm_loadu_si128, _mm_or_si128, _mm_shufflehi_epi16,
        _mm_shufflelo_epi16, _mm_slli_epi16, _mm_srli_epi16, _mm_storeu_si128,
        _mm256_broadcastsi128_si256, _mm256_loadu_si256, _mm256_shuffle_epi8, _mm256_storeu_si256,
        _mm512_broadcast_i32x4, _mm512_loadu_si512, _mm512_shuffle_epi8, _mm512_storeu_si512,
    };

    use super::super::simd::{SwapVector, reversed};

    /// One SSE2 register. SSE2 has no byte shuffle: 16-bit elements swap by shifts, wider
    /// ones first reverse their 16-bit words (`pshuflw`/`pshufhw`) and then swap those.
    #[derive(Clone, Copy)]
    pub(crate) struct Sse2(__m128i);

    impl Sse2 {
        /// Swaps the two bytes of every 16-bit word.
        ///
        /// # Safety
        /// The CPU must support SSE2.
        #[inline(always)]
        unsafe fn swap16(x: __m128i) -> __m128i {
            // SAFETY: SSE2, promised by the caller.
            unsafe { _mm_or_si128(_mm_slli_epi16::<8>(x), _mm_srli_epi16::<8>(x)) }
        }
    }

    // SAFETY: 16 bytes; `load` and `store` touch exactly those.
    unsafe impl SwapVector for Sse2 {
        const BYTES: usize = 16;

        type Control = ();

        #[inline(always)]
        unsafe fn control<const W: usize>() {}

        #[inline(always)]
        unsafe fn load(ptr: *const u8) -> Self {
            // SAFETY: the caller promises 16 readable bytes; `loadu` needs no alignment.
            Sse2(unsafe { _mm_loadu_si128(ptr.cast()) })
        }

        #[inline(always)]
        unsafe fn store(self, ptr: *mut u8) {
            // SAFETY: the caller promises 16 writable bytes; `storeu` needs no alignment.
            unsafe { _mm_storeu_si128(ptr.cast(), self.0) }
        }

        #[inline(always)]
        unsafe fn swap<const W: usize>(self, _control: ()) -> Self {
            // SAFETY: SSE2 CPU (trait contract). Word orders: 0xB1 = [1, 0, 3, 2] swaps the
            // words of each 32-bit element, 0x1B = [3, 2, 1, 0] reverses those of each
            // 64-bit half.
            unsafe {
                let words = match W {
                    2 => self.0,
                    4 => _mm_shufflehi_epi16::<0xB1>(_mm_shufflelo_epi16::<0xB1>(self.0)),
                    _ => _mm_shufflehi_epi16::<0x1B>(_mm_shufflelo_epi16::<0x1B>(self.0)),
                };
                Sse2(Self::swap16(words))
            }
        }
    }

    /// One AVX2 register: `vpshufb` with the same index in both lanes.
    #[derive(Clone, Copy)]
    pub(crate) struct Avx2(__m256i);

    // SAFETY: 32 bytes; `load` and `store` touch exactly those.
    unsafe impl SwapVector for Avx2 {
        const BYTES: usize = 32;

        type Control = ();

        #[inline(always)]
        unsafe fn control<const W: usize>() {}

        #[inline(always)]
        unsafe fn load(ptr: *const u8) -> Self {
            // SAFETY: the caller promises 32 readable bytes; `loadu` needs no alignment.
            Avx2(unsafe { _mm256_loadu_si256(ptr.cast()) })
        }

        #[inline(always)]
        unsafe fn store(self, ptr: *mut u8) {
            // SAFETY: the caller promises 32 writable bytes; `storeu` needs no alignment.
            unsafe { _mm256_storeu_si256(ptr.cast(), self.0) }
        }

        #[inline(always)]
        unsafe fn swap<const W: usize>(self, _control: ()) -> Self {
            let index = const { reversed(W) };
            // SAFETY: AVX2 CPU (trait contract); `index` is 16 readable bytes.
            unsafe {
                let index = _mm256_broadcastsi128_si256(_mm_loadu_si128(index.as_ptr().cast()));
                Avx2(_mm256_shuffle_epi8(self.0, index))
            }
        }
    }

    /// One AVX-512 register: `vpshufb` (BW) with the same index in every lane.
    #[derive(Clone, Copy)]
    pub(crate) struct Avx512(__m512i);

    // SAFETY: 64 bytes; `load` and `store` touch exactly those.
    unsafe impl SwapVector for Avx512 {
        const BYTES: usize = 64;

        type Control = ();

        #[inline(always)]
        unsafe fn control<const W: usize>() {}

        #[inline(always)]
        unsafe fn load(ptr: *const u8) -> Self {
            // SAFETY: the caller promises 64 readable bytes; `loadu` needs no alignment.
            Avx512(unsafe { _mm512_loadu_si512(ptr.cast()) })
        }

        #[inline(always)]
        unsafe fn store(self, ptr: *mut u8) {
            // SAFETY: the caller promises 64 writable bytes; `storeu` needs no alignment.
            unsafe { _mm512_storeu_si512(ptr.cast(), self.0) }
        }

        #[inline(always)]
        unsafe fn swap<const W: usize>(self, _control: ()) -> Self {
            let index = const { reversed(W) };
            // SAFETY: AVX-512 F+BW CPU (trait contract); `index` is 16 readable bytes.
            unsafe {
                let index = _mm512_broadcast_i32x4(_mm_loadu_si128(index.as_ptr().cast()));
                Avx512(_mm512_shuffle_epi8(self.0, index))
            }
        }
    }
}

#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) use neon::Neon;

#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
mod neon {
    use core::arch::aarch64::{uint8x16_t, vld1q_u8, vrev16q_u8, vrev32q_u8, vrev64q_u8, vst1q_u8};

    use super::super::simd::SwapVector;

    /// One NEON register: `rev16`, `rev32` and `rev64` are exactly the three swaps.
    #[derive(Clone, Copy)]
    pub(crate) struct Neon(uint8x16_t);

    // SAFETY: 16 bytes; `load` and `store` touch exactly those.
    unsafe impl SwapVector for Neon {
        const BYTES: usize = 16;

        type Control = ();

        #[inline(always)]
        unsafe fn control<const W: usize>() {}

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
        unsafe fn swap<const W: usize>(self, _control: ()) -> Self {
            // SAFETY: NEON CPU (trait contract).
            Neon(unsafe {
                match W {
                    2 => vrev16q_u8(self.0),
                    4 => vrev32q_u8(self.0),
                    _ => vrev64q_u8(self.0),
                }
            })
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) use wasm::Simd128;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm {
    use core::arch::wasm32::{i8x16_swizzle, v128, v128_load, v128_store};
    use core::hint::black_box;

    use super::super::simd::{SwapVector, reversed};

    /// One simd128 value: `i8x16.swizzle` with an index made once per call (under wazero one
    /// `PSHUFB` and a saturating add, where `i8x16.shuffle` would be two `PSHUFB` and a
    /// `POR`).
    #[derive(Clone, Copy)]
    pub(crate) struct Simd128(v128);

    // SAFETY: 16 bytes; `load` and `store` touch exactly those.
    unsafe impl SwapVector for Simd128 {
        const BYTES: usize = 16;

        /// The swizzle index.
        type Control = v128;

        #[inline(always)]
        unsafe fn control<const W: usize>() -> v128 {
            let index = const { reversed(W) };
            // SAFETY: `index` is 16 readable bytes; `v128.load` needs no alignment. Hidden
            // from the optimiser, which would otherwise turn the swizzle by a constant into
            // an `i8x16.shuffle` (two `PSHUFB` and a `POR` under wazero).
            black_box(unsafe { v128_load(index.as_ptr().cast()) })
        }

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
        unsafe fn swap<const W: usize>(self, control: v128) -> Self {
            Simd128(i8x16_swizzle(self.0, control))
        }
    }
}
