//! The vectorised decoder, written once over [`VarintOps`], and its per-ISA entry points.
//!
//! # The algorithm
//! The data is read in blocks of 64 bytes. One vector compare per 16/32/64 bytes gives the
//! block's *end mask*: bit `i` set when byte `i` is below `0x80`, i.e. ends a varint.
//! - A block of 64 ends is 64 one-byte varints: they are zero-extended to `u64` with vector
//!   widening, 8 at a time.
//! - Otherwise the varints that end in the block are taken in order from the mask: the next
//!   end is the lowest set bit, so a varint's length is known without reading its bytes one by
//!   one, and the lengths of successive varints do not depend on each other (no serial chain
//!   through the data as in a byte loop). A varint of up to 8 bytes is one unaligned 8-byte
//!   load compacted by [`word::value_of`]; 9- and 10-byte varints and errors leave the fast
//!   path. Eight ends in a row (a run of one-byte varints) are widened like a full block.
//! - The next block starts at the first varint that did not end in this one.
//!
//! Blocks run while 72 bytes remain (a block plus the 8-byte load of a varint starting at its
//! last byte) and `dst` has room for 64 values; the scalar reference finishes, so the error
//! rules, offsets and the `dst`-full priority are the reference's by construction.
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

use super::{scalar, word};
use crate::KernelError;
use crate::vector::Vector;

/// Bytes per block.
const BLOCK: usize = 64;
/// Bytes that must remain for a block: the block and an 8-byte load starting at its last byte.
const READ: usize = BLOCK + 8;

/// The decoder's per-ISA primitives.
///
/// # Safety
/// Implementors touch exactly the memory each method names. Methods may only run on a CPU with
/// the implementor's instruction set; callers promise that and valid pointers.
pub(crate) unsafe trait VarintOps: Vector {
    /// The end mask of the 64 bytes at `ptr`: bit `i` set iff byte `i` is below `0x80`.
    unsafe fn end_mask(ptr: *const u8) -> u64;

    /// Zero-extends the 8 bytes at `src` to the 8 `u64` at `dst` (64 bytes, no alignment).
    unsafe fn widen8(src: *const u8, dst: *mut u64);
}

/// The varint of 9 or more bytes starting at `start` and ending at `end` (inclusive) of
/// `data`, or the error for its tenth byte.
#[cold]
#[inline(never)]
fn long_varint(data: &[u8], start: usize, end: usize) -> Result<u64, KernelError> {
    let tenth = start + 9;
    if end >= tenth && data[tenth] > 1 {
        return Err(scalar::bad_tenth(tenth, data[tenth]));
    }
    // 9 or 10 bytes, the tenth (if any) 0 or 1.
    let low = u64::from_le_bytes(data[start..start + 8].try_into().unwrap_or([0; 8]));
    let mut value = word::compact56(low) | u64::from(data[start + 8] & 0x7F) << 56;
    if end == tenth {
        value |= u64::from(data[tenth]) << 63;
    }
    Ok(value)
}

/// Decodes `data` into `dst` with vectors `V` (the [`super::DecodeFn`] contract).
///
/// # Safety
/// The CPU must support `V`'s instruction set.
#[inline(always)]
unsafe fn decode<V: VarintOps>(data: &[u8], dst: &mut [u64]) -> Result<usize, KernelError> {
    let src = data.as_ptr();
    let out = dst.as_mut_ptr();
    let mut pos = 0;
    let mut n = 0;
    while data.len() - pos >= READ && dst.len() - n >= BLOCK {
        // SAFETY: `pos + 64 <= data.len()`; `V`'s ISA is promised by the caller.
        let mut ends = unsafe { V::end_mask(src.add(pos)) };
        if ends == u64::MAX {
            for k in 0..BLOCK / 8 {
                // SAFETY: bytes `pos + 8k..+8` are in the block; values `n + 8k..+8` are below
                // `n + 64 <= dst.len()`.
                unsafe { V::widen8(src.add(pos + 8 * k), out.add(n + 8 * k)) };
            }
            pos += BLOCK;
            n += BLOCK;
            continue;
        }
        if ends == 0 {
            // A varint of more than 64 bytes: the reference reports it.
            break;
        }
        // `start`: where the next varint begins, relative to `pos`; no bit of `ends` below it.
        let mut start = 0;
        while ends != 0 {
            if (ends >> start) & 0xFF == 0xFF {
                // SAFETY: the 8 ends are bytes `start..start + 8 <= 64` of the block; 64
                // values fit from the block's first, so these 8 do.
                unsafe { V::widen8(src.add(pos + start), out.add(n)) };
                ends &= !(0xFF << start);
                start += 8;
                n += 8;
                continue;
            }
            let end = ends.trailing_zeros() as usize;
            let len = end + 1 - start;
            let value = if len <= 8 {
                // SAFETY: `start <= 63`, and 72 bytes remain from `pos`.
                let w = unsafe { src.add(pos + start).cast::<u64>().read_unaligned() };
                word::value_of(u64::from_le(w), len)
            } else {
                long_varint(data, pos + start, pos + end)?
            };
            // SAFETY: at most 64 values end in the block, and 64 fit from its first.
            unsafe { out.add(n).write(value) };
            n += 1;
            start = end + 1;
            ends &= ends - 1;
        }
        pos += start;
    }
    Ok(n + scalar::decode_from(data, pos, &mut dst[n..])?)
}

/// Per-ISA entry points and primitives for x86_64.
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86 {
    use core::arch::x86_64::{
        __m128i, _mm_loadl_epi64, _mm_loadu_si128, _mm_movemask_epi8, _mm_setzero_si128,
        _mm_storeu_si128, _mm_unpackhi_epi16, _mm_unpackhi_epi32, _mm_unpacklo_epi8,
        _mm_unpacklo_epi16, _mm_unpacklo_epi32, _mm256_cvtepu8_epi64, _mm256_loadu_si256,
        _mm256_movemask_epi8, _mm256_storeu_si256, _mm512_loadu_si512, _mm512_movepi8_mask,
    };

    use super::VarintOps;
    use crate::KernelError;
    use crate::vector::{Avx2, Avx512, Sse2};

    // SAFETY: each method reads or writes exactly the bytes it names; SSE2 is baseline.
    unsafe impl VarintOps for Sse2 {
        #[inline(always)]
        unsafe fn end_mask(ptr: *const u8) -> u64 {
            // SAFETY: the caller promises 64 readable bytes at `ptr`.
            let high = |k: usize| unsafe {
                _mm_movemask_epi8(_mm_loadu_si128(ptr.add(16 * k).cast())) as u32 as u64
            };
            !(high(0) | high(1) << 16 | high(2) << 32 | high(3) << 48)
        }

        #[inline(always)]
        unsafe fn widen8(src: *const u8, dst: *mut u64) {
            // SAFETY: 8 readable bytes at `src`, 64 writable at `dst` (caller); SSE2 baseline.
            unsafe {
                let zero = _mm_setzero_si128();
                let b = _mm_loadl_epi64(src.cast());
                let w = _mm_unpacklo_epi8(b, zero);
                let d: [__m128i; 2] = [_mm_unpacklo_epi16(w, zero), _mm_unpackhi_epi16(w, zero)];
                for (k, d) in d.into_iter().enumerate() {
                    let p = dst.add(4 * k).cast::<__m128i>();
                    _mm_storeu_si128(p, _mm_unpacklo_epi32(d, zero));
                    _mm_storeu_si128(p.add(1), _mm_unpackhi_epi32(d, zero));
                }
            }
        }
    }

    // SAFETY: each method reads or writes exactly the bytes it names.
    unsafe impl VarintOps for Avx2 {
        #[inline(always)]
        unsafe fn end_mask(ptr: *const u8) -> u64 {
            // SAFETY: the caller promises 64 readable bytes at `ptr` and AVX2.
            let high = |k: usize| unsafe {
                _mm256_movemask_epi8(_mm256_loadu_si256(ptr.add(32 * k).cast())) as u32 as u64
            };
            !(high(0) | high(1) << 32)
        }

        #[inline(always)]
        unsafe fn widen8(src: *const u8, dst: *mut u64) {
            // SAFETY: 8 readable bytes at `src`, 64 writable at `dst` (caller); AVX2 (caller).
            unsafe {
                let b = _mm_loadl_epi64(src.cast());
                let lo = _mm256_cvtepu8_epi64(b);
                let hi = _mm256_cvtepu8_epi64(core::arch::x86_64::_mm_srli_si128::<4>(b));
                _mm256_storeu_si256(dst.cast(), lo);
                _mm256_storeu_si256(dst.add(4).cast(), hi);
            }
        }
    }

    // SAFETY: each method reads or writes exactly the bytes it names.
    unsafe impl VarintOps for Avx512 {
        #[inline(always)]
        unsafe fn end_mask(ptr: *const u8) -> u64 {
            // SAFETY: the caller promises 64 readable bytes at `ptr` and AVX-512 BW.
            unsafe { !_mm512_movepi8_mask(_mm512_loadu_si512(ptr.cast())) }
        }

        #[inline(always)]
        unsafe fn widen8(src: *const u8, dst: *mut u64) {
            // SAFETY: as for AVX2, whose instructions AVX-512 CPUs have.
            unsafe { Avx2::widen8(src, dst) }
        }
    }

    /// SSE2 decode.
    ///
    /// # Safety
    /// None on x86_64 (SSE2 is baseline); `unsafe` to share the dispatch signature.
    #[target_feature(enable = "sse2")]
    pub(crate) unsafe fn decode_sse2(data: &[u8], dst: &mut [u64]) -> Result<usize, KernelError> {
        // SAFETY: SSE2 is enabled for this function.
        unsafe { super::decode::<Sse2>(data, dst) }
    }

    /// AVX2 decode (with the tier's BMI1 and LZCNT for the bit scans).
    ///
    /// # Safety
    /// The CPU must run the AVX2 tier.
    #[target_feature(enable = "avx2,bmi1,bmi2,lzcnt,popcnt")]
    pub(crate) unsafe fn decode_avx2(data: &[u8], dst: &mut [u64]) -> Result<usize, KernelError> {
        // SAFETY: the caller promises the AVX2 tier, which this function enables.
        unsafe { super::decode::<Avx2>(data, dst) }
    }

    /// AVX-512 decode.
    ///
    /// # Safety
    /// The CPU must run the AVX-512 tier.
    #[target_feature(enable = "avx2,bmi1,bmi2,lzcnt,popcnt,avx512f,avx512bw,avx512vl")]
    pub(crate) unsafe fn decode_avx512(data: &[u8], dst: &mut [u64]) -> Result<usize, KernelError> {
        // SAFETY: the caller promises the AVX-512 tier, which this function enables.
        unsafe { super::decode::<Avx512>(data, dst) }
    }
}

/// NEON primitives and entry point.
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) mod neon {
    use core::arch::aarch64::{
        vandq_u8, vcltzq_s8, vget_low_u16, vget_low_u32, vgetq_lane_u64, vld1_u8, vld1q_u8,
        vmovl_high_u16, vmovl_high_u32, vmovl_u8, vmovl_u16, vmovl_u32, vpaddq_u8,
        vreinterpretq_s8_u8, vreinterpretq_u64_u8, vst1q_u64,
    };

    use super::VarintOps;
    use crate::KernelError;
    use crate::vector::Neon;

    /// Bit weights: byte `i` of a 16-byte vector contributes bit `i % 8` of its half's byte.
    static WEIGHTS: [u8; 16] = [1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128];

    // SAFETY: each method reads or writes exactly the bytes it names; NEON is baseline.
    unsafe impl VarintOps for Neon {
        #[inline(always)]
        unsafe fn end_mask(ptr: *const u8) -> u64 {
            // SAFETY: the caller promises 64 readable bytes at `ptr`. Each vector's high-bit
            // lanes are weighted by their bit, then three pairwise adds fold 64 bytes of
            // single bits into the 8 bytes of a 64-bit mask, in byte order.
            unsafe {
                let weights = vld1q_u8(WEIGHTS.as_ptr());
                let high = |k: usize| {
                    let v = vld1q_u8(ptr.add(16 * k));
                    vandq_u8(vcltzq_s8(vreinterpretq_s8_u8(v)), weights)
                };
                let s01 = vpaddq_u8(high(0), high(1));
                let s23 = vpaddq_u8(high(2), high(3));
                let s = vpaddq_u8(s01, s23);
                let s = vpaddq_u8(s, s);
                !vgetq_lane_u64::<0>(vreinterpretq_u64_u8(s))
            }
        }

        #[inline(always)]
        unsafe fn widen8(src: *const u8, dst: *mut u64) {
            // SAFETY: 8 readable bytes at `src`, 64 writable at `dst` (caller).
            unsafe {
                let w = vmovl_u8(vld1_u8(src));
                let d = [vmovl_u16(vget_low_u16(w)), vmovl_high_u16(w)];
                for (k, d) in d.into_iter().enumerate() {
                    vst1q_u64(dst.add(4 * k), vmovl_u32(vget_low_u32(d)));
                    vst1q_u64(dst.add(4 * k + 2), vmovl_high_u32(d));
                }
            }
        }
    }

    /// NEON decode.
    ///
    /// # Safety
    /// None: NEON is enabled at compile time; `unsafe` to share the dispatch signature.
    pub(crate) unsafe fn decode_neon(data: &[u8], dst: &mut [u64]) -> Result<usize, KernelError> {
        // SAFETY: this build targets NEON (cfg above).
        unsafe { super::decode::<Neon>(data, dst) }
    }
}

/// simd128 primitives and entry point.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) mod simd128 {
    use core::arch::wasm32::{
        i8x16_bitmask, u16x8_load_extend_u8x8, u32x4_extend_high_u16x8, u32x4_extend_low_u16x8,
        u64x2_extend_high_u32x4, u64x2_extend_low_u32x4, v128_load, v128_store,
    };

    use super::VarintOps;
    use crate::KernelError;
    use crate::vector::Simd128;

    // SAFETY: each method reads or writes exactly the bytes it names; simd128 is enabled.
    unsafe impl VarintOps for Simd128 {
        #[inline(always)]
        unsafe fn end_mask(ptr: *const u8) -> u64 {
            // SAFETY: the caller promises 64 readable bytes at `ptr`.
            let high =
                |k: usize| unsafe { u64::from(i8x16_bitmask(v128_load(ptr.add(16 * k).cast()))) };
            !(high(0) | high(1) << 16 | high(2) << 32 | high(3) << 48)
        }

        #[inline(always)]
        unsafe fn widen8(src: *const u8, dst: *mut u64) {
            // SAFETY: 8 readable bytes at `src`, 64 writable at `dst` (caller).
            unsafe {
                let w = u16x8_load_extend_u8x8(src);
                let d = [u32x4_extend_low_u16x8(w), u32x4_extend_high_u16x8(w)];
                for (k, d) in d.into_iter().enumerate() {
                    v128_store(dst.add(4 * k).cast(), u64x2_extend_low_u32x4(d));
                    v128_store(dst.add(4 * k + 2).cast(), u64x2_extend_high_u32x4(d));
                }
            }
        }
    }

    /// simd128 decode.
    ///
    /// # Safety
    /// None: simd128 is enabled at compile time; `unsafe` to share the dispatch signature.
    pub(crate) unsafe fn decode_simd128(
        data: &[u8],
        dst: &mut [u64],
    ) -> Result<usize, KernelError> {
        // SAFETY: this build targets simd128 (cfg above).
        unsafe { super::decode::<Simd128>(data, dst) }
    }
}
