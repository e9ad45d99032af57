//! [`DeltaVector`] for each instruction set: element-wise add and subtract, in-lane byte
//! moves and broadcasts, and the cross-lane steps of the wider x86 vectors.
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
        __m128i, __m256i, __m512i, _mm_add_epi8, _mm_add_epi16, _mm_add_epi32, _mm_add_epi64,
        _mm_loadu_si128, _mm_setzero_si128, _mm_shuffle_epi32, _mm_shufflehi_epi16, _mm_slli_si128,
        _mm_storeu_si128, _mm_sub_epi8, _mm_sub_epi16, _mm_sub_epi32, _mm_sub_epi64,
        _mm_unpackhi_epi8, _mm256_add_epi8, _mm256_add_epi16, _mm256_add_epi32, _mm256_add_epi64,
        _mm256_broadcastsi128_si256, _mm256_loadu_si256, _mm256_permute2x128_si256,
        _mm256_setzero_si256, _mm256_shuffle_epi8, _mm256_slli_si256, _mm256_storeu_si256,
        _mm256_sub_epi8, _mm256_sub_epi16, _mm256_sub_epi32, _mm256_sub_epi64, _mm512_add_epi8,
        _mm512_add_epi16, _mm512_add_epi32, _mm512_add_epi64, _mm512_alignr_epi64,
        _mm512_broadcast_i32x4, _mm512_bslli_epi128, _mm512_loadu_si512, _mm512_setzero_si512,
        _mm512_shuffle_epi8, _mm512_shuffle_i64x2, _mm512_storeu_si512, _mm512_sub_epi8,
        _mm512_sub_epi16, _mm512_sub_epi32, _mm512_sub_epi64,
    };

    use super::super::simd::{DeltaVector, last_index};

    /// One SSE2 register. Without a byte shuffle, the last element is broadcast with word
    /// and dword shuffles (and, for bytes, an unpack first).
    #[derive(Clone, Copy)]
    pub(crate) struct Sse2(__m128i);

    // SAFETY: 16 bytes in one lane; `load` and `store` touch exactly those.
    unsafe impl DeltaVector for Sse2 {
        const BYTES: usize = 16;
        const LANES: usize = 1;

        type Moves = ();

        #[inline(always)]
        unsafe fn moves<const W: usize>() {}

        #[inline(always)]
        unsafe fn zero() -> Self {
            // SAFETY: SSE2 CPU (trait contract).
            Sse2(unsafe { _mm_setzero_si128() })
        }

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
        unsafe fn add<const W: usize>(self, other: Self) -> Self {
            // SAFETY: SSE2 CPU (trait contract).
            Sse2(unsafe {
                match W {
                    1 => _mm_add_epi8(self.0, other.0),
                    2 => _mm_add_epi16(self.0, other.0),
                    4 => _mm_add_epi32(self.0, other.0),
                    _ => _mm_add_epi64(self.0, other.0),
                }
            })
        }

        #[inline(always)]
        unsafe fn sub<const W: usize>(self, other: Self) -> Self {
            // SAFETY: SSE2 CPU (trait contract).
            Sse2(unsafe {
                match W {
                    1 => _mm_sub_epi8(self.0, other.0),
                    2 => _mm_sub_epi16(self.0, other.0),
                    4 => _mm_sub_epi32(self.0, other.0),
                    _ => _mm_sub_epi64(self.0, other.0),
                }
            })
        }

        #[inline(always)]
        unsafe fn shift_in_lane<const N: i32>(self, _moves: ()) -> Self {
            // SAFETY: SSE2 CPU (trait contract).
            Sse2(unsafe { _mm_slli_si128::<N>(self.0) })
        }

        #[inline(always)]
        unsafe fn last_in_lane<const W: usize>(self, _moves: ()) -> Self {
            // SAFETY: SSE2 CPU (trait contract). Bytes: unpacking the high half with itself
            // makes word 7 = (b15, b15); words: word 7 to words 4..8; then dword 3
            // (words 6, 7) to every dword. 0xEE = dwords [2, 3, 2, 3], the high qword.
            Sse2(unsafe {
                match W {
                    1 => _mm_shuffle_epi32::<0xFF>(_mm_shufflehi_epi16::<0xFF>(_mm_unpackhi_epi8(
                        self.0, self.0,
                    ))),
                    2 => _mm_shuffle_epi32::<0xFF>(_mm_shufflehi_epi16::<0xFF>(self.0)),
                    4 => _mm_shuffle_epi32::<0xFF>(self.0),
                    _ => _mm_shuffle_epi32::<0xEE>(self.0),
                }
            })
        }

        #[inline(always)]
        unsafe fn lanes_before<const W: usize>(self) -> Self {
            // SAFETY: SSE2 CPU (trait contract). One lane: nothing comes before it.
            unsafe { Self::zero() }
        }

        #[inline(always)]
        unsafe fn last_lane(self) -> Self {
            self
        }
    }

    /// One AVX2 register: two lanes; `vpshufb` broadcasts inside a lane and
    /// `vperm2i128` moves between the two.
    #[derive(Clone, Copy)]
    pub(crate) struct Avx2(__m256i);

    // SAFETY: 32 bytes in two lanes; `load` and `store` touch exactly those.
    unsafe impl DeltaVector for Avx2 {
        const BYTES: usize = 32;
        const LANES: usize = 2;

        type Moves = ();

        #[inline(always)]
        unsafe fn moves<const W: usize>() {}

        #[inline(always)]
        unsafe fn zero() -> Self {
            // SAFETY: AVX2 CPU (trait contract).
            Avx2(unsafe { _mm256_setzero_si256() })
        }

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
        unsafe fn add<const W: usize>(self, other: Self) -> Self {
            // SAFETY: AVX2 CPU (trait contract).
            Avx2(unsafe {
                match W {
                    1 => _mm256_add_epi8(self.0, other.0),
                    2 => _mm256_add_epi16(self.0, other.0),
                    4 => _mm256_add_epi32(self.0, other.0),
                    _ => _mm256_add_epi64(self.0, other.0),
                }
            })
        }

        #[inline(always)]
        unsafe fn sub<const W: usize>(self, other: Self) -> Self {
            // SAFETY: AVX2 CPU (trait contract).
            Avx2(unsafe {
                match W {
                    1 => _mm256_sub_epi8(self.0, other.0),
                    2 => _mm256_sub_epi16(self.0, other.0),
                    4 => _mm256_sub_epi32(self.0, other.0),
                    _ => _mm256_sub_epi64(self.0, other.0),
                }
            })
        }

        #[inline(always)]
        unsafe fn shift_in_lane<const N: i32>(self, _moves: ()) -> Self {
            // SAFETY: AVX2 CPU (trait contract); `vpslldq` shifts each lane separately.
            Avx2(unsafe { _mm256_slli_si256::<N>(self.0) })
        }

        #[inline(always)]
        unsafe fn last_in_lane<const W: usize>(self, _moves: ()) -> Self {
            let index = const { last_index(W) };
            // SAFETY: AVX2 CPU (trait contract); `index` is 16 readable bytes.
            Avx2(unsafe {
                let index = _mm256_broadcastsi128_si256(_mm_loadu_si128(index.as_ptr().cast()));
                _mm256_shuffle_epi8(self.0, index)
            })
        }

        #[inline(always)]
        unsafe fn lanes_before<const W: usize>(self) -> Self {
            // SAFETY: AVX2 CPU (trait contract). 0x08: the low lane zeroed, the high lane
            // gets the low lane.
            Avx2(unsafe { _mm256_permute2x128_si256::<0x08>(self.0, self.0) })
        }

        #[inline(always)]
        unsafe fn last_lane(self) -> Self {
            // SAFETY: AVX2 CPU (trait contract). 0x11: both lanes get the high lane.
            Avx2(unsafe { _mm256_permute2x128_si256::<0x11>(self.0, self.0) })
        }
    }

    /// One AVX-512 register: four lanes; `vpshufb` broadcasts inside a lane, `valignq`
    /// moves lanes up (for the lane prefix) and `vshufi64x2` copies one to all.
    #[derive(Clone, Copy)]
    pub(crate) struct Avx512(__m512i);

    impl Avx512 {
        /// The lanes moved up by `(8 - SHIFT) / 2` lanes (6: one lane, 4: two), zeros entering
        /// from lane 0.
        ///
        /// # Safety
        /// The CPU must support AVX-512F.
        #[inline(always)]
        unsafe fn lanes_up<const SHIFT: i32>(x: __m512i) -> __m512i {
            // SAFETY: AVX-512F, promised by the caller. `valignq` takes quadwords
            // `SHIFT..SHIFT + 8` of `zero ‖ x` (zero in the low half): `8 - SHIFT` zero
            // quadwords, then the low ones of `x`.
            unsafe { _mm512_alignr_epi64::<SHIFT>(x, _mm512_setzero_si512()) }
        }
    }

    // SAFETY: 64 bytes in four lanes; `load` and `store` touch exactly those.
    unsafe impl DeltaVector for Avx512 {
        const BYTES: usize = 64;
        const LANES: usize = 4;

        type Moves = ();

        #[inline(always)]
        unsafe fn moves<const W: usize>() {}

        #[inline(always)]
        unsafe fn zero() -> Self {
            // SAFETY: AVX-512F CPU (trait contract).
            Avx512(unsafe { _mm512_setzero_si512() })
        }

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
        unsafe fn add<const W: usize>(self, other: Self) -> Self {
            // SAFETY: AVX-512 F+BW CPU (trait contract).
            Avx512(unsafe {
                match W {
                    1 => _mm512_add_epi8(self.0, other.0),
                    2 => _mm512_add_epi16(self.0, other.0),
                    4 => _mm512_add_epi32(self.0, other.0),
                    _ => _mm512_add_epi64(self.0, other.0),
                }
            })
        }

        #[inline(always)]
        unsafe fn sub<const W: usize>(self, other: Self) -> Self {
            // SAFETY: AVX-512 F+BW CPU (trait contract).
            Avx512(unsafe {
                match W {
                    1 => _mm512_sub_epi8(self.0, other.0),
                    2 => _mm512_sub_epi16(self.0, other.0),
                    4 => _mm512_sub_epi32(self.0, other.0),
                    _ => _mm512_sub_epi64(self.0, other.0),
                }
            })
        }

        #[inline(always)]
        unsafe fn shift_in_lane<const N: i32>(self, _moves: ()) -> Self {
            // SAFETY: AVX-512BW CPU (trait contract); `vpslldq` shifts each lane separately.
            Avx512(unsafe { _mm512_bslli_epi128::<N>(self.0) })
        }

        #[inline(always)]
        unsafe fn last_in_lane<const W: usize>(self, _moves: ()) -> Self {
            let index = const { last_index(W) };
            // SAFETY: AVX-512 F+BW CPU (trait contract); `index` is 16 readable bytes.
            Avx512(unsafe {
                let index = _mm512_broadcast_i32x4(_mm_loadu_si128(index.as_ptr().cast()));
                _mm512_shuffle_epi8(self.0, index)
            })
        }

        #[inline(always)]
        unsafe fn lanes_before<const W: usize>(self) -> Self {
            // SAFETY: AVX-512 F+BW CPU (trait contract). With `t` the lane values:
            // a = [0, t0, t1, t2]; b = a + (a up one) = [0, t0, t0+t1, t1+t2];
            // b + (b up two) = [0, t0, t0+t1, t0+t1+t2].
            unsafe {
                let a = Avx512(Self::lanes_up::<6>(self.0));
                let b = a.add::<W>(Avx512(Self::lanes_up::<6>(a.0)));
                b.add::<W>(Avx512(Self::lanes_up::<4>(b.0)))
            }
        }

        #[inline(always)]
        unsafe fn last_lane(self) -> Self {
            // SAFETY: AVX-512F CPU (trait contract). 0xFF: every lane takes lane 3.
            Avx512(unsafe { _mm512_shuffle_i64x2::<0xFF>(self.0, self.0) })
        }
    }
}

#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) use neon::Neon;

#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
mod neon {
    use core::arch::aarch64::{
        uint8x16_t, vaddq_u8, vaddq_u16, vaddq_u32, vaddq_u64, vdupq_laneq_u8, vdupq_laneq_u16,
        vdupq_laneq_u32, vdupq_laneq_u64, vdupq_n_u8, vextq_u8, vld1q_u8, vreinterpretq_u8_u16,
        vreinterpretq_u8_u32, vreinterpretq_u8_u64, vreinterpretq_u16_u8, vreinterpretq_u32_u8,
        vreinterpretq_u64_u8, vst1q_u8, vsubq_u8, vsubq_u16, vsubq_u32, vsubq_u64,
    };

    use super::super::simd::DeltaVector;

    /// One NEON register: `ext` against zero moves bytes within the register, `dup` (lane)
    /// broadcasts an element.
    #[derive(Clone, Copy)]
    pub(crate) struct Neon(uint8x16_t);

    // SAFETY: 16 bytes in one lane; `load` and `store` touch exactly those.
    unsafe impl DeltaVector for Neon {
        const BYTES: usize = 16;
        const LANES: usize = 1;

        type Moves = ();

        #[inline(always)]
        unsafe fn moves<const W: usize>() {}

        #[inline(always)]
        unsafe fn zero() -> Self {
            // SAFETY: NEON CPU (trait contract).
            Neon(unsafe { vdupq_n_u8(0) })
        }

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
        unsafe fn add<const W: usize>(self, other: Self) -> Self {
            let (a, b) = (self.0, other.0);
            // SAFETY: NEON CPU (trait contract); reinterpretations only rename the bits.
            Neon(unsafe {
                match W {
                    1 => vaddq_u8(a, b),
                    2 => vreinterpretq_u8_u16(vaddq_u16(
                        vreinterpretq_u16_u8(a),
                        vreinterpretq_u16_u8(b),
                    )),
                    4 => vreinterpretq_u8_u32(vaddq_u32(
                        vreinterpretq_u32_u8(a),
                        vreinterpretq_u32_u8(b),
                    )),
                    _ => vreinterpretq_u8_u64(vaddq_u64(
                        vreinterpretq_u64_u8(a),
                        vreinterpretq_u64_u8(b),
                    )),
                }
            })
        }

        #[inline(always)]
        unsafe fn sub<const W: usize>(self, other: Self) -> Self {
            let (a, b) = (self.0, other.0);
            // SAFETY: NEON CPU (trait contract); reinterpretations only rename the bits.
            Neon(unsafe {
                match W {
                    1 => vsubq_u8(a, b),
                    2 => vreinterpretq_u8_u16(vsubq_u16(
                        vreinterpretq_u16_u8(a),
                        vreinterpretq_u16_u8(b),
                    )),
                    4 => vreinterpretq_u8_u32(vsubq_u32(
                        vreinterpretq_u32_u8(a),
                        vreinterpretq_u32_u8(b),
                    )),
                    _ => vreinterpretq_u8_u64(vsubq_u64(
                        vreinterpretq_u64_u8(a),
                        vreinterpretq_u64_u8(b),
                    )),
                }
            })
        }

        #[inline(always)]
        unsafe fn shift_in_lane<const N: i32>(self, _moves: ()) -> Self {
            // SAFETY: NEON CPU (trait contract). `ext(zero, x, 16 - N)` is the last `N` bytes
            // of zero followed by the first `16 - N` bytes of `x`.
            Neon(unsafe {
                let zero = vdupq_n_u8(0);
                match N {
                    1 => vextq_u8::<15>(zero, self.0),
                    2 => vextq_u8::<14>(zero, self.0),
                    4 => vextq_u8::<12>(zero, self.0),
                    _ => vextq_u8::<8>(zero, self.0),
                }
            })
        }

        #[inline(always)]
        unsafe fn last_in_lane<const W: usize>(self, _moves: ()) -> Self {
            let x = self.0;
            // SAFETY: NEON CPU (trait contract); reinterpretations only rename the bits.
            Neon(unsafe {
                match W {
                    1 => vdupq_laneq_u8::<15>(x),
                    2 => vreinterpretq_u8_u16(vdupq_laneq_u16::<7>(vreinterpretq_u16_u8(x))),
                    4 => vreinterpretq_u8_u32(vdupq_laneq_u32::<3>(vreinterpretq_u32_u8(x))),
                    _ => vreinterpretq_u8_u64(vdupq_laneq_u64::<1>(vreinterpretq_u64_u8(x))),
                }
            })
        }

        #[inline(always)]
        unsafe fn lanes_before<const W: usize>(self) -> Self {
            // SAFETY: NEON CPU (trait contract). One lane: nothing comes before it.
            unsafe { Self::zero() }
        }

        #[inline(always)]
        unsafe fn last_lane(self) -> Self {
            self
        }
    }
}

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) use wasm::Simd128;

#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod wasm {
    use core::hint::black_box;

    use core::arch::wasm32::{
        i8x16_add, i8x16_sub, i8x16_swizzle, i16x8_add, i16x8_sub, i32x4_add, i32x4_sub, i64x2_add,
        i64x2_sub, u8x16_splat, v128, v128_load, v128_store,
    };

    use super::super::simd::{DeltaVector, last_index, shift_index};

    /// One simd128 value. Byte moves and broadcasts are `i8x16.swizzle` with indices made
    /// once per call (an index of 16 or more selects zero): under wazero one `PSHUFB` and a
    /// saturating add, where a shift by a constant or `i8x16.shuffle` costs more.
    #[derive(Clone, Copy)]
    pub(crate) struct Simd128(v128);

    // SAFETY: 16 bytes in one lane; `load` and `store` touch exactly those.
    unsafe impl DeltaVector for Simd128 {
        const BYTES: usize = 16;
        const LANES: usize = 1;

        /// The swizzle indices: moves by 1, 2, 4 and 8 bytes, then the broadcast of the last
        /// element.
        type Moves = [v128; 5];

        #[inline(always)]
        unsafe fn moves<const W: usize>() -> [v128; 5] {
            let index = [
                const { shift_index(1) },
                const { shift_index(2) },
                const { shift_index(4) },
                const { shift_index(8) },
                const { last_index(W) },
            ];
            // SAFETY: each index is 16 readable bytes; `v128.load` needs no alignment.
            let moves = index.map(|i| unsafe { v128_load(i.as_ptr().cast()) });
            // Hidden from the optimiser, which would otherwise turn each swizzle by a
            // constant into an `i8x16.shuffle` (two `PSHUFB` and a `POR` under wazero,
            // where a swizzle is one `PSHUFB` and a saturating add).
            black_box(moves)
        }

        #[inline(always)]
        unsafe fn zero() -> Self {
            Simd128(u8x16_splat(0))
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
        unsafe fn add<const W: usize>(self, other: Self) -> Self {
            Simd128(match W {
                1 => i8x16_add(self.0, other.0),
                2 => i16x8_add(self.0, other.0),
                4 => i32x4_add(self.0, other.0),
                _ => i64x2_add(self.0, other.0),
            })
        }

        #[inline(always)]
        unsafe fn sub<const W: usize>(self, other: Self) -> Self {
            Simd128(match W {
                1 => i8x16_sub(self.0, other.0),
                2 => i16x8_sub(self.0, other.0),
                4 => i32x4_sub(self.0, other.0),
                _ => i64x2_sub(self.0, other.0),
            })
        }

        #[inline(always)]
        unsafe fn shift_in_lane<const N: i32>(self, moves: [v128; 5]) -> Self {
            let index = match N {
                1 => moves[0],
                2 => moves[1],
                4 => moves[2],
                _ => moves[3],
            };
            Simd128(i8x16_swizzle(self.0, index))
        }

        #[inline(always)]
        unsafe fn last_in_lane<const W: usize>(self, moves: [v128; 5]) -> Self {
            Simd128(i8x16_swizzle(self.0, moves[4]))
        }

        #[inline(always)]
        unsafe fn lanes_before<const W: usize>(self) -> Self {
            // One lane: nothing comes before it.
            Simd128(u8x16_splat(0))
        }

        #[inline(always)]
        unsafe fn last_lane(self) -> Self {
            self
        }
    }
}
