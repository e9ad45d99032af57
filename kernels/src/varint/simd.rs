//! The vectorised decoder, written once over [`VarintOps`], and its per-ISA entry points
//! (plus, on x86_64, the BMI2 encoder).
//!
//! # The algorithm
//! The data is read in blocks of 64 bytes. One vector compare per 16/32/64 bytes gives the
//! block's *end mask*: bit `i` set when byte `i` is below `0x80`, i.e. ends a varint.
//! - A block of 64 ends is 64 one-byte varints: they are zero-extended to `u64` with vector
//!   widening, 8 at a time.
//! - Otherwise the varints that end in the block are taken in order from the mask: the next
//!   end is the lowest set bit, so a varint's length is known without reading its bytes one
//!   by one, and successive lengths do not depend on each other (no serial chain through the
//!   data as in a byte loop). Eight ends in a row (a run of one-byte varints) are widened
//!   like a full block. Otherwise two varints are decoded together in one 128-bit register
//!   ([`VarintOps::decode2`], their low 56 bits). If the block has 8 continuation bytes in a
//!   row, the bits of 9- and 10-byte varints are or-ed in for every pair, with no branch on
//!   the lengths (random lengths would mispredict); the last varint of a block, and a pair
//!   with an error, go alone through scalar 64-bit arithmetic, without a branch on the
//!   length. Errors leave the fast path.
//! - The next block starts at the first varint that did not end in this one.
//!
//! Blocks run while 74 bytes remain (a block plus 10 bytes read from its last byte) and `dst`
//! has room for 64 values; the scalar reference finishes, so the error rules, offsets and the
//! `dst`-full priority are the reference's by construction.
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

use super::scalar;
use crate::KernelError;
use crate::vector::Vector;

/// Seven bits in each byte.
const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
/// The inverse of `word::spread56`: the low seven bits of each byte of `w` (little-endian),
/// concatenated into a 56-bit value.
#[inline(always)]
const fn compact56(w: u64) -> u64 {
    let x = w & LOW7;
    let x = (x & 0x007F_007F_007F_007F) | ((x >> 1) & 0x3F80_3F80_3F80_3F80);
    let x = (x & 0x0000_3FFF_0000_3FFF) | ((x >> 2) & 0x0FFF_C000_0FFF_C000);
    (x & 0x0FFF_FFFF) | ((x >> 4) & 0x00FF_FFFF_F000_0000)
}

/// The value of a varint of `len` (1..=8) bytes whose bytes are the low `len` bytes of `w`.
#[inline(always)]
const fn value_of(w: u64, len: usize) -> u64 {
    compact56(w) & (u64::MAX >> (64 - 7 * len))
}

/// Bytes per block.
const BLOCK: usize = 64;
/// Bytes that must remain for a block: the block and 10 bytes read from its last byte.
const READ: usize = BLOCK + 10;

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

    /// Decodes the low 56 bits of the two varints starting at `a` and `b` (all of a varint of
    /// at most 8 bytes), or-ed with `high[0]` and `high[1]`, into `dst[0]` and `dst[1]`. Reads
    /// the 8 bytes at each of `a` and `b`, writes 16 bytes at `dst`.
    ///
    /// Each 8-byte word is cut after its first byte below `0x80` (the varint's last), with
    /// the bits up to the lowest set bit of `!w & 0x8080…80` (`x ^ (x - 1)` per 64-bit lane;
    /// all bits if there is none), its continuation bits are cleared, and its 7-bit groups
    /// are compacted, both words at once.
    unsafe fn decode2(a: *const u8, b: *const u8, high: [u64; 2], dst: *mut u64);
}

/// The error for the varint of more than 10 bytes, or of 10 with a tenth byte above 1,
/// starting at `start` of `data`.
#[cold]
#[inline(never)]
fn long_error(data: &[u8], start: usize) -> KernelError {
    let tenth = start + 9;
    scalar::bad_tenth(tenth, data.get(tenth).copied().unwrap_or(0xFF))
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
        // Whether a varint of 9 bytes or more may end in the block: 8 continuation bytes in a
        // row somewhere (decided once per block, so random lengths do not cost a mispredicted
        // branch per pair).
        let run = !ends & (!ends >> 1);
        let run = run & (run >> 2);
        let long = run & (run >> 4) != 0;
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
            let rest = ends & (ends - 1);
            if rest != 0 {
                // Two varints, without a branch on their lengths: the vector pair gives the
                // low 56 bits of each (a word without an end byte is compacted whole), and
                // bytes 8 and 9 of a 9- or 10-byte varint are or-ed in after.
                let next = end + 1;
                let next_end = rest.trailing_zeros() as usize;
                let (len0, len1) = (next - start, next_end + 1 - next);
                let high = if !long {
                    Some([0, 0])
                } else {
                    // SAFETY: both start at most at byte 63 of the block, and 74 bytes remain
                    // from `pos`.
                    let (top0, top1) = unsafe {
                        let at = |s: usize| src.add(pos + s + 8).cast::<u16>().read_unaligned();
                        (u16::from_le(at(start)), u16::from_le(at(next)))
                    };
                    let bad = |len: usize, top: u16| (len > 10) | ((len == 10) & (top >> 8 > 1));
                    let high = |len: usize, top: u16| {
                        let ninth = if len >= 9 {
                            u64::from(top & 0x7F) << 56
                        } else {
                            0
                        };
                        ninth
                            | if len == 10 {
                                u64::from(top >> 8) << 63
                            } else {
                                0
                            }
                    };
                    (!(bad(len0, top0) | bad(len1, top1)))
                        .then(|| [high(len0, top0), high(len1, top1)])
                };
                if let Some(high) = high {
                    // SAFETY: both start at most at byte 63 of the block, and 74 bytes remain
                    // from `pos`; 2 of the at most 64 values ending in the block fit in `dst`.
                    unsafe {
                        V::decode2(src.add(pos + start), src.add(pos + next), high, out.add(n));
                    }
                    n += 2;
                    start = next_end + 1;
                    ends = rest & (rest - 1);
                    continue;
                }
            }
            // One varint of 1 to 10 bytes, without a branch on its length.
            let len = end + 1 - start;
            // SAFETY: `start <= 63`, and 74 bytes remain from `pos`.
            let (w, top) = unsafe {
                let at = src.add(pos + start);
                (
                    at.cast::<u64>().read_unaligned(),
                    at.add(8).cast::<u16>().read_unaligned(),
                )
            };
            let (w, top) = (u64::from_le(w), u16::from_le(top));
            if len >= 10 && (len > 10 || top >> 8 > 1) {
                return Err(long_error(data, pos + start));
            }
            let ninth = if len >= 9 {
                u64::from(top & 0x7F) << 56
            } else {
                0
            };
            let tenth = if len == 10 {
                u64::from(top >> 8) << 63
            } else {
                0
            };
            let value = value_of(w, len.min(8)) | ninth | tenth;
            // SAFETY: at most 64 values end in the block, and 64 fit from its first.
            unsafe { out.add(n).write(value) };
            n += 1;
            start = end + 1;
            ends = rest;
        }
        pos += start;
    }
    // `n <= dst.len()` (the blocks check room first); `get_mut` states it without a panic.
    let rest = dst.get_mut(n..).ok_or(scalar::DST_FULL)?;
    Ok(n + scalar::decode_from(data, pos, rest)?)
}

/// Per-ISA entry points and primitives for x86_64.
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86 {
    use core::arch::x86_64::{
        __m128i, _mm_and_si128, _mm_andnot_si128, _mm_avg_epu16, _mm_loadl_epi64, _mm_loadu_si128,
        _mm_madd_epi16, _mm_maddubs_epi16, _mm_movemask_epi8, _mm_or_si128, _mm_set_epi64x,
        _mm_set1_epi8, _mm_set1_epi16, _mm_set1_epi32, _mm_set1_epi64x, _mm_setzero_si128,
        _mm_srli_epi64, _mm_storeu_si128, _mm_sub_epi64, _mm_unpackhi_epi16, _mm_unpackhi_epi32,
        _mm_unpacklo_epi8, _mm_unpacklo_epi16, _mm_unpacklo_epi32, _mm_unpacklo_epi64,
        _mm_xor_si128, _mm256_cvtepu8_epi64, _mm256_loadu_si256, _mm256_movemask_epi8,
        _mm256_storeu_si256, _mm512_loadu_si512, _mm512_movepi8_mask,
    };

    use super::VarintOps;
    use crate::KernelError;
    use crate::vector::{Avx2, Avx512, Sse2};

    /// The two words at `a` and `b`, each cut after its first byte below `0x80`, with the
    /// continuation bits cleared (see [`VarintOps::decode2`]).
    ///
    /// # Safety
    /// 8 readable bytes at `a` and at `b`; SSE2 (baseline).
    #[inline(always)]
    unsafe fn cut_pair(a: *const u8, b: *const u8) -> __m128i {
        // SAFETY: as stated by the caller.
        unsafe {
            let w = _mm_unpacklo_epi64(_mm_loadl_epi64(a.cast()), _mm_loadl_epi64(b.cast()));
            let ends = _mm_andnot_si128(w, _mm_set1_epi8(0x80u8 as i8));
            let keep = _mm_xor_si128(ends, _mm_sub_epi64(ends, _mm_set1_epi64x(1)));
            _mm_and_si128(_mm_and_si128(w, keep), _mm_set1_epi8(0x7F))
        }
    }

    /// `high` as a vector.
    ///
    /// # Safety
    /// SSE2 (baseline).
    #[inline(always)]
    unsafe fn pair(high: [u64; 2]) -> __m128i {
        // SAFETY: SSE2.
        unsafe { _mm_set_epi64x(high[1] as i64, high[0] as i64) }
    }

    /// Keeps the bits of `x` under `mask` and those of `y` elsewhere.
    ///
    /// # Safety
    /// SSE2 (baseline).
    #[inline(always)]
    unsafe fn select(mask: __m128i, x: __m128i, y: __m128i) -> __m128i {
        // SAFETY: SSE2.
        unsafe { _mm_or_si128(_mm_and_si128(mask, x), _mm_andnot_si128(mask, y)) }
    }

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

        #[inline(always)]
        unsafe fn decode2(a: *const u8, b: *const u8, high: [u64; 2], dst: *mut u64) {
            // SAFETY: 8 readable bytes at `a` and `b`, 16 writable at `dst` (caller).
            unsafe {
                let x = cut_pair(a, b);
                // Bytes (lo, hi) -> lo + 128 * hi, as the rounded average of lo + 256 * hi
                // and lo (their sum is even).
                let x = _mm_avg_epu16(x, _mm_and_si128(x, _mm_set1_epi16(0x7F)));
                // 16-bit pairs -> lo + 2^14 * hi, then 32-bit pairs -> lo + 2^28 * hi.
                let x = _mm_madd_epi16(x, _mm_set1_epi32(0x4000_0001));
                let x = select(_mm_set1_epi64x(0x0FFF_FFFF), x, _mm_srli_epi64::<4>(x));
                _mm_storeu_si128(dst.cast(), _mm_or_si128(x, pair(high)));
            }
        }
    }

    /// [`VarintOps::decode2`] with SSSE3's `pmaddubsw` and SSE2's `pmaddwd` joining the
    /// groups by multiply-add (for the AVX2 and AVX-512 tiers, which have SSSE3).
    ///
    /// # Safety
    /// As [`VarintOps::decode2`]; the CPU has SSSE3.
    #[inline(always)]
    unsafe fn decode2_madd(a: *const u8, b: *const u8, high: [u64; 2], dst: *mut u64) {
        // SAFETY: as stated by the caller.
        unsafe {
            let x = cut_pair(a, b);
            // Bytes (lo, hi) -> lo + 128 * hi: 14 bits in each 16-bit lane.
            let x = _mm_maddubs_epi16(_mm_set1_epi16(0x8001u16 as i16), x);
            // 16-bit pairs -> lo + 2^14 * hi: 28 bits in each 32-bit lane.
            let x = _mm_madd_epi16(x, _mm_set1_epi32(0x4000_0001));
            // 32-bit pairs -> lo + 2^28 * hi.
            let x = select(_mm_set1_epi64x(0x0FFF_FFFF), x, _mm_srli_epi64::<4>(x));
            _mm_storeu_si128(dst.cast(), _mm_or_si128(x, pair(high)));
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

        #[inline(always)]
        unsafe fn decode2(a: *const u8, b: *const u8, high: [u64; 2], dst: *mut u64) {
            // SAFETY: as the trait states, promised by the caller; AVX2 implies SSSE3.
            unsafe { decode2_madd(a, b, high, dst) }
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

        #[inline(always)]
        unsafe fn decode2(a: *const u8, b: *const u8, high: [u64; 2], dst: *mut u64) {
            // SAFETY: as the trait states, promised by the caller; AVX-512 implies SSSE3.
            unsafe { decode2_madd(a, b, high, dst) }
        }
    }

    /// Whether `pdep` is known to be fast, without `std`: never. Only compile-time target
    /// features count then (the crate's rule, `isa.rs`), and none says whether `pdep` is fast
    /// (see the `std` form), so the word encoder, which writes the same bytes, serves. A
    /// `no_std` build (the native blobs of tools/native) thus has no `cpuid` and no writable
    /// static.
    #[cfg(not(feature = "std"))]
    pub(crate) fn has_fast_pdep() -> bool {
        false
    }

    /// Whether this CPU's BMI2 `pdep` is fast: every Intel CPU with BMI2, and AMD from Zen 3
    /// (family 19h) on; Zen 1 and 2 run it in microcode, one bit at a time. The answer is
    /// cached (`cpuid` traps to the hypervisor in a virtual machine).
    #[cfg(feature = "std")]
    pub(crate) fn has_fast_pdep() -> bool {
        use core::sync::atomic::{AtomicU8, Ordering};
        static FAST: AtomicU8 = AtomicU8::new(0);
        match FAST.load(Ordering::Relaxed) {
            1 => return false,
            2 => return true,
            _ => {}
        }
        let vendor = core::arch::x86_64::__cpuid(0);
        let amd = (vendor.ebx, vendor.edx, vendor.ecx) == (0x6874_7541, 0x6974_6E65, 0x444D_4163);
        let hygon = (vendor.ebx, vendor.edx, vendor.ecx) == (0x6F67_7948, 0x656E_6975, 0x6E65_476E);
        let family = {
            let eax = core::arch::x86_64::__cpuid(1).eax;
            let base = (eax >> 8) & 0xF;
            if base == 0xF {
                base + ((eax >> 20) & 0xFF)
            } else {
                base
            }
        };
        let fast = crate::isa::x86::has_avx2() && !((amd || hygon) && family < 0x19);
        FAST.store(if fast { 2 } else { 1 }, Ordering::Relaxed);
        fast
    }

    /// The word encoder with BMI2's `pdep` spreading the 7-bit groups.
    ///
    /// # Safety
    /// The CPU must run the AVX2 tier (which includes BMI2); `dst` holds the encoding.
    #[target_feature(enable = "avx2,bmi1,bmi2,lzcnt,popcnt")]
    pub(crate) unsafe fn encode_bmi2(values: &[u64], dst: &mut [u8]) -> usize {
        // BMI2 is enabled for this function and the closure inside it.
        let spread = |v: u64| core::arch::x86_64::_pdep_u64(v, super::LOW7);
        // SAFETY: the caller promises room for the encoding.
        unsafe { crate::varint::word::encode_with(values, dst, spread) }
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
    #[target_feature(enable = "avx2,bmi1,bmi2,lzcnt,popcnt,ssse3")]
    pub(crate) unsafe fn decode_avx2(data: &[u8], dst: &mut [u64]) -> Result<usize, KernelError> {
        // SAFETY: the caller promises the AVX2 tier, which this function enables.
        unsafe { super::decode::<Avx2>(data, dst) }
    }

    /// AVX-512 decode.
    ///
    /// # Safety
    /// The CPU must run the AVX-512 tier.
    #[target_feature(enable = "avx2,bmi1,bmi2,lzcnt,popcnt,ssse3,avx512f,avx512bw,avx512vl")]
    pub(crate) unsafe fn decode_avx512(data: &[u8], dst: &mut [u64]) -> Result<usize, KernelError> {
        // SAFETY: the caller promises the AVX-512 tier, which this function enables.
        unsafe { super::decode::<Avx512>(data, dst) }
    }
}

/// NEON primitives and entry point.
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) mod neon {
    use core::arch::aarch64::{
        vandq_u8, vandq_u64, vbicq_u8, vbslq_u16, vbslq_u32, vbslq_u64, vcltzq_s8, vcombine_u8,
        vdupq_n_u8, vdupq_n_u16, vdupq_n_u32, vdupq_n_u64, veorq_u64, vget_low_u16, vget_low_u32,
        vgetq_lane_u64, vld1_u8, vld1q_u8, vld1q_u64, vmovl_high_u16, vmovl_high_u32, vmovl_u8,
        vmovl_u16, vmovl_u32, vorrq_u64, vpaddq_u8, vreinterpretq_s8_u8, vreinterpretq_u16_u64,
        vreinterpretq_u32_u16, vreinterpretq_u64_u8, vreinterpretq_u64_u32, vshrq_n_u16,
        vshrq_n_u32, vshrq_n_u64, vst1q_u64, vsubq_u64,
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

        #[inline(always)]
        unsafe fn decode2(a: *const u8, b: *const u8, high: [u64; 2], dst: *mut u64) {
            // SAFETY: 8 readable bytes at `a` and `b`, 16 writable at `dst` (caller). The cut
            // is as on x86; each round is a shift and a bit-select (`bsl`).
            unsafe {
                let w = vcombine_u8(vld1_u8(a), vld1_u8(b));
                let ends = vreinterpretq_u64_u8(vbicq_u8(vdupq_n_u8(0x80), w));
                let keep = veorq_u64(ends, vsubq_u64(ends, vdupq_n_u64(1)));
                let x = vandq_u64(vreinterpretq_u64_u8(w), keep);
                let x = vreinterpretq_u16_u64(vandq_u64(x, vdupq_n_u64(super::LOW7)));
                let x = vbslq_u16(vdupq_n_u16(0x7F), x, vshrq_n_u16::<1>(x));
                let x = vreinterpretq_u32_u16(x);
                let x = vbslq_u32(vdupq_n_u32(0x3FFF), x, vshrq_n_u32::<2>(x));
                let x = vreinterpretq_u64_u32(x);
                let x = vbslq_u64(vdupq_n_u64(0x0FFF_FFFF), x, vshrq_n_u64::<4>(x));
                vst1q_u64(dst, vorrq_u64(x, vld1q_u64(high.as_ptr())));
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
        i8x16_bitmask, i32x4_dot_i16x8, i64x2_splat, i64x2_sub, u8x16_splat, u16x8_avgr,
        u16x8_load_extend_u8x8, u16x8_splat, u32x4_extend_high_u16x8, u32x4_extend_low_u16x8,
        u32x4_splat, u64x2, u64x2_extend_high_u32x4, u64x2_extend_low_u32x4, u64x2_shr, v128_and,
        v128_andnot, v128_bitselect, v128_load, v128_or, v128_store, v128_xor,
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

        #[inline(always)]
        unsafe fn decode2(a: *const u8, b: *const u8, high: [u64; 2], dst: *mut u64) {
            // SAFETY: 8 readable bytes at `a` and `b`, 16 writable at `dst` (caller). The cut
            // is as on x86. Rounds without shifts where wasm allows (wazero compiles vector
            // shifts by a constant to several instructions): bytes (lo, hi) -> lo + 128 * hi
            // as the rounded average of lo + 256 * hi and lo; 16-bit pairs with a dot product
            // by (1, 2^14); only the last round shifts.
            unsafe {
                let w = u64x2(
                    a.cast::<u64>().read_unaligned(),
                    b.cast::<u64>().read_unaligned(),
                );
                let ends = v128_andnot(u8x16_splat(0x80), w);
                let keep = v128_xor(ends, i64x2_sub(ends, i64x2_splat(1)));
                let x = v128_and(v128_and(w, keep), u8x16_splat(0x7F));
                let x = u16x8_avgr(x, v128_and(x, u16x8_splat(0x7F)));
                let x = i32x4_dot_i16x8(x, u32x4_splat(0x4000_0001));
                let x = v128_bitselect(x, u64x2_shr(x, 4), i64x2_splat(0x0FFF_FFFF));
                v128_store(dst.cast(), v128_or(x, u64x2(high[0], high[1])));
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
