//! x86_64: SSE2 (text and hex only: no `pshufb`), AVX2 and AVX-512 F+BW.

use core::arch::x86_64::{
    __m128i, __m256i, __m512i, _mm_add_epi8, _mm_and_si128, _mm_andnot_si128, _mm_cmpeq_epi8,
    _mm_cmpgt_epi8, _mm_loadu_si128, _mm_movemask_epi8, _mm_mullo_epi16, _mm_or_si128,
    _mm_packus_epi16, _mm_set1_epi8, _mm_set1_epi16, _mm_setr_epi8, _mm_setzero_si128,
    _mm_srli_epi16, _mm_storeu_si128, _mm256_add_epi8, _mm256_and_si256, _mm256_andnot_si256,
    _mm256_broadcastsi128_si256, _mm256_cmpgt_epi8, _mm256_loadu_si256, _mm256_madd_epi16,
    _mm256_maddubs_epi16, _mm256_mulhi_epu16, _mm256_mullo_epi16, _mm256_or_si256,
    _mm256_packus_epi16, _mm256_permute4x64_epi64, _mm256_permutevar8x32_epi32, _mm256_set1_epi8,
    _mm256_set1_epi16, _mm256_set1_epi32, _mm256_setr_epi32, _mm256_shuffle_epi8,
    _mm256_srli_epi16, _mm256_storeu_si256, _mm256_subs_epu8, _mm256_testz_si256,
    _mm256_unpackhi_epi8, _mm256_unpacklo_epi8, _mm512_add_epi8, _mm512_and_si512,
    _mm512_andnot_si512, _mm512_broadcast_i32x4, _mm512_cmpgt_epi8_mask, _mm512_loadu_si512,
    _mm512_madd_epi16, _mm512_maddubs_epi16, _mm512_movm_epi8, _mm512_mulhi_epu16,
    _mm512_mullo_epi16, _mm512_or_si512, _mm512_packus_epi16, _mm512_permutexvar_epi32,
    _mm512_permutexvar_epi64, _mm512_set1_epi8, _mm512_set1_epi16, _mm512_set1_epi32,
    _mm512_setr_epi32, _mm512_setr_epi64, _mm512_shuffle_epi8, _mm512_srli_epi16,
    _mm512_storeu_si512, _mm512_subs_epu8, _mm512_test_epi8_mask, _mm512_unpackhi_epi8,
    _mm512_unpacklo_epi8,
};

use super::{Base64Ops, HexOps, TextOps};
use crate::vector::{Avx2, Avx512, Sse2, Vector};

/// Moves a vector to its raw register type and back (see the module comment of `text_ops`).
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

/// Per lane, the bytes `b1 b0 b2 b1` of each 3-byte group: each 16-bit half then holds two
/// sextets in place for the multiplies of `split_sextets`.
const SPLIT_SHUFFLE: [i8; 16] = [1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10];

/// Per lane, bytes 2 1 0 of each 32-bit word (the big-endian 24-bit group), then 4 zeros.
const JOIN_SHUFFLE: [i8; 16] = [2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, -1, -1, -1, -1];

/// 32 bytes of constants, aligned for a 256-bit load.
#[repr(C, align(32))]
struct Words([u32; 8]);

/// The `mulhi` multipliers of the AVX2 `split_sextets`: 2^6 (low halves), 2^10 (high halves).
static SPLIT_MULHI: Words = Words([0x0400_0040; 8]);
/// The `mullo` multipliers of the AVX2 `split_sextets`: 2^4 (low halves), 2^8 (high halves).
static SPLIT_MULLO: Words = Words([0x0100_0010; 8]);

/// `words` as a register whose value the optimiser cannot see.
///
/// LLVM turns a 16-bit multiply by constant powers of two into shifts; AVX2 has no per-element
/// 16-bit shifts, so `vpmulhuw` became seven instructions (widening to 32-bit `vpsrlvd` and
/// packing back), and `vpmullw` three. With the multipliers loaded once per call it still
/// widened `vpmulhuw` to 32-bit lanes (two multiplies, a pack and a permute). Read with a
/// volatile load at every use, they keep one multiply each, for one load each per vector on a
/// port the loop barely uses.
///
/// # Safety
/// AVX2 (a 256-bit load).
#[inline(always)]
unsafe fn opaque(words: &'static Words) -> __m256i {
    // SAFETY: `Words` is 32 bytes, 32-byte aligned, and lives for the program.
    unsafe { core::ptr::read_volatile(core::ptr::from_ref(words).cast::<__m256i>()) }
}

/// A 128-bit register holding `bytes`.
///
/// # Safety
/// SSE2 (baseline on x86_64).
#[inline(always)]
unsafe fn lane(bytes: [i8; 16]) -> __m128i {
    let b = bytes;
    // SAFETY: SSE2 is the x86_64 baseline.
    unsafe {
        _mm_setr_epi8(
            b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12], b[13],
            b[14], b[15],
        )
    }
}

// SAFETY: register-only arithmetic; SSE2 is the x86_64 baseline.
unsafe impl TextOps for Sse2 {
    #[inline(always)]
    unsafe fn or(self, other: Self) -> Self {
        // SAFETY: SSE2 is the x86_64 baseline; the caller promises it (trait contract).
        unsafe { Self::wrap(_mm_or_si128(self.raw(), other.raw())) }
    }

    #[inline(always)]
    unsafe fn and_not(self, other: Self) -> Self {
        // SAFETY: as in `or`. `andnot(a, b)` is `!a & b`.
        unsafe { Self::wrap(_mm_andnot_si128(other.raw(), self.raw())) }
    }

    #[inline(always)]
    unsafe fn add(self, other: Self) -> Self {
        // SAFETY: as in `or`.
        unsafe { Self::wrap(_mm_add_epi8(self.raw(), other.raw())) }
    }

    #[inline(always)]
    unsafe fn gt_i8(self, other: Self) -> Self {
        // SAFETY: as in `or`.
        unsafe { Self::wrap(_mm_cmpgt_epi8(self.raw(), other.raw())) }
    }

    #[inline(always)]
    unsafe fn high_nibbles(self) -> Self {
        // SAFETY: as in `or`. The 16-bit shift moves bits across the byte boundary; the mask
        // keeps each byte's own high nibble.
        unsafe {
            Self::wrap(_mm_and_si128(
                _mm_srli_epi16::<4>(self.raw()),
                _mm_set1_epi8(0x0F),
            ))
        }
    }

    #[inline(always)]
    unsafe fn any(self) -> bool {
        // SAFETY: as in `or`. All 16 bytes equal to zero gives the full 16-bit mask.
        unsafe { _mm_movemask_epi8(_mm_cmpeq_epi8(self.raw(), _mm_setzero_si128())) != 0xFFFF }
    }
}

// SAFETY: `load_spread` reads the 16 bytes at `ptr` and `store_zipped` writes the 32 bytes at
// `ptr` only. `hex_digits` is the arithmetic default (no `pshufb` in SSE2).
unsafe impl HexOps for Sse2 {
    #[inline(always)]
    unsafe fn load_spread(ptr: *const u8) -> Self {
        // SAFETY: the caller promises SSE2 and 16 readable bytes at `ptr`; one lane.
        unsafe { Self::load(ptr) }
    }

    #[inline(always)]
    unsafe fn store_zipped(self, other: Self, ptr: *mut u8) {
        // SAFETY: the caller promises SSE2 and 32 writable bytes at `ptr`.
        unsafe {
            self.zip_lo(other).store(ptr);
            self.zip_hi(other).store(ptr.add(16));
        }
    }

    #[inline(always)]
    unsafe fn pack_nibbles(self, other: Self) -> Self {
        // SAFETY: SSE2 (caller). A 16-bit word `n0 | n1 << 8` times 0x1001 is
        // `n0 | n1 << 8 | n0 << 12` (no carries: the nibbles do not overlap), whose high byte
        // is `n0 << 4 | n1`; shifting it down and packing the words gives the bytes in order.
        unsafe {
            let k = _mm_set1_epi16(0x1001);
            let a = _mm_srli_epi16::<8>(_mm_mullo_epi16(self.raw(), k));
            let b = _mm_srli_epi16::<8>(_mm_mullo_epi16(other.raw(), k));
            Self::wrap(_mm_packus_epi16(a, b))
        }
    }
}

// SAFETY: register-only arithmetic on an AVX2 CPU (caller).
unsafe impl TextOps for Avx2 {
    #[inline(always)]
    unsafe fn or(self, other: Self) -> Self {
        // SAFETY: the caller runs on an AVX2 CPU (trait contract).
        unsafe { Self::wrap(_mm256_or_si256(self.raw(), other.raw())) }
    }

    #[inline(always)]
    unsafe fn and_not(self, other: Self) -> Self {
        // SAFETY: as in `or`. `andnot(a, b)` is `!a & b`.
        unsafe { Self::wrap(_mm256_andnot_si256(other.raw(), self.raw())) }
    }

    #[inline(always)]
    unsafe fn add(self, other: Self) -> Self {
        // SAFETY: as in `or`.
        unsafe { Self::wrap(_mm256_add_epi8(self.raw(), other.raw())) }
    }

    #[inline(always)]
    unsafe fn gt_i8(self, other: Self) -> Self {
        // SAFETY: as in `or`.
        unsafe { Self::wrap(_mm256_cmpgt_epi8(self.raw(), other.raw())) }
    }

    #[inline(always)]
    unsafe fn high_nibbles(self) -> Self {
        // SAFETY: as in `or`; the mask keeps each byte's own high nibble.
        unsafe {
            Self::wrap(_mm256_and_si256(
                _mm256_srli_epi16::<4>(self.raw()),
                _mm256_set1_epi8(0x0F),
            ))
        }
    }

    #[inline(always)]
    unsafe fn any(self) -> bool {
        // SAFETY: as in `or`.
        unsafe { _mm256_testz_si256(self.raw(), self.raw()) == 0 }
    }
}

// SAFETY: `load_spread` reads the 32 bytes at `ptr` and `store_zipped` writes the 64 bytes at
// `ptr` only.
unsafe impl HexOps for Avx2 {
    #[inline(always)]
    unsafe fn hex_digits(self, digits: Self, _letter_gap: Self) -> Self {
        // SAFETY: AVX2 CPU (caller); every index is below 16.
        unsafe { Self::wrap(_mm256_shuffle_epi8(digits.raw(), self.raw())) }
    }

    #[inline(always)]
    unsafe fn load_spread(ptr: *const u8) -> Self {
        // SAFETY: AVX2 CPU and 32 readable bytes at `ptr` (caller). Quadwords 0 2 1 3: lane 0
        // holds bytes 0..8 and 16..24, lane 1 bytes 8..16 and 24..32.
        unsafe {
            Self::wrap(_mm256_permute4x64_epi64::<0b11_01_10_00>(
                _mm256_loadu_si256(ptr.cast()),
            ))
        }
    }

    #[inline(always)]
    unsafe fn store_zipped(self, other: Self, ptr: *mut u8) {
        // SAFETY: AVX2 CPU and 64 writable bytes at `ptr` (caller). The unpacks interleave
        // the low, then the high, halves of each lane.
        unsafe {
            let (a, b) = (self.raw(), other.raw());
            _mm256_storeu_si256(ptr.cast(), _mm256_unpacklo_epi8(a, b));
            _mm256_storeu_si256(ptr.add(32).cast(), _mm256_unpackhi_epi8(a, b));
        }
    }

    #[inline(always)]
    unsafe fn pack_nibbles(self, other: Self) -> Self {
        // SAFETY: AVX2 CPU (caller). `maddubs` with weights 16, 1 makes each 16-bit word
        // `n0 << 4 | n1`; the pack interleaves the two inputs per lane (quadwords a0 b0 a1
        // b1), which the 64-bit permute puts back in order (a0 a1 b0 b1).
        unsafe {
            let w = _mm256_set1_epi16(0x0110);
            let a = _mm256_maddubs_epi16(self.raw(), w);
            let b = _mm256_maddubs_epi16(other.raw(), w);
            let packed = _mm256_packus_epi16(a, b);
            Self::wrap(_mm256_permute4x64_epi64::<0b11_01_10_00>(packed))
        }
    }
}

// SAFETY: `load_triples` reads and `store_triples` writes exactly the 32 bytes at `ptr`.
unsafe impl Base64Ops for Avx2 {
    #[inline(always)]
    unsafe fn lookup(self, idx: Self) -> Self {
        // SAFETY: AVX2 CPU (caller). `vpshufb` gives 0 for an index with its top bit set and
        // `table[idx & 15]` otherwise.
        unsafe { Self::wrap(_mm256_shuffle_epi8(self.raw(), idx.raw())) }
    }

    #[inline(always)]
    unsafe fn sub_sat(self, other: Self) -> Self {
        // SAFETY: AVX2 CPU (caller).
        unsafe { Self::wrap(_mm256_subs_epu8(self.raw(), other.raw())) }
    }

    #[inline(always)]
    unsafe fn load_triples(ptr: *const u8) -> Self {
        // SAFETY: AVX2 CPU and 32 readable bytes at `ptr` (caller). Dwords 0..4 and 3..7 put
        // bytes 0..16 in lane 0 and bytes 12..28 in lane 1.
        unsafe {
            let v = _mm256_loadu_si256(ptr.cast());
            Self::wrap(_mm256_permutevar8x32_epi32(
                v,
                _mm256_setr_epi32(0, 1, 2, 3, 3, 4, 5, 6),
            ))
        }
    }

    /// None: the multipliers of `split_sextets` are read at every use (see [`opaque`]).
    type Keys = ();

    #[inline(always)]
    unsafe fn keys() {}

    #[inline(always)]
    unsafe fn split_sextets(self, _keys: ()) -> Self {
        // SAFETY: AVX2 CPU (caller); the statics are 32-byte aligned and 32 bytes long. After
        // the shuffle each 32-bit word is `b1 b0 b2 b1`: its low half `b0:b1` holds sextet 0
        // at bits 10..16 and sextet 1 at bits 4..10, its high half `b1:b2` sextet 2 at bits
        // 6..12 and sextet 3 at bits 0..6. `mulhi` by 2^6 and 2^10 shifts sextets 0 and 2
        // right by 10 and 6; `mullo` by 2^4 and 2^8 shifts sextets 1 and 3 left by 4 and 8:
        // each lands in its own byte.
        unsafe {
            let t =
                _mm256_shuffle_epi8(self.raw(), _mm256_broadcastsi128_si256(lane(SPLIT_SHUFFLE)));
            let t0 = _mm256_and_si256(t, _mm256_set1_epi32(0x0FC0_FC00));
            let t1 = _mm256_mulhi_epu16(t0, opaque(&SPLIT_MULHI));
            let t2 = _mm256_and_si256(t, _mm256_set1_epi32(0x003F_03F0));
            let t3 = _mm256_mullo_epi16(t2, opaque(&SPLIT_MULLO));
            Self::wrap(_mm256_or_si256(t1, t3))
        }
    }

    #[inline(always)]
    unsafe fn join_sextets(self, _keys: ()) -> Self {
        // SAFETY: AVX2 CPU (caller). `maddubs` by 64, 1 joins sextet pairs into 12-bit words,
        // `madd` by 4096, 1 joins those into the 24-bit group of each 32-bit word, and the
        // shuffle writes each group's bytes most significant first.
        unsafe {
            let pairs = _mm256_maddubs_epi16(self.raw(), _mm256_set1_epi32(0x0140_0140));
            let groups = _mm256_madd_epi16(pairs, _mm256_set1_epi32(0x0001_1000));
            Self::wrap(_mm256_shuffle_epi8(
                groups,
                _mm256_broadcastsi128_si256(lane(JOIN_SHUFFLE)),
            ))
        }
    }

    #[inline(always)]
    unsafe fn store_triples(self, ptr: *mut u8) {
        // SAFETY: AVX2 CPU and 32 writable bytes at `ptr` (caller). Dwords 0..3 of each lane
        // hold its 12 bytes; the permute makes them bytes 0..24 (then the two unused dwords).
        unsafe {
            let v =
                _mm256_permutevar8x32_epi32(self.raw(), _mm256_setr_epi32(0, 1, 2, 4, 5, 6, 3, 7));
            _mm256_storeu_si256(ptr.cast(), v);
        }
    }
}

// SAFETY: register-only arithmetic on an AVX-512 F+BW CPU (caller).
unsafe impl TextOps for Avx512 {
    #[inline(always)]
    unsafe fn or(self, other: Self) -> Self {
        // SAFETY: the caller runs on an AVX-512 F+BW CPU (trait contract).
        unsafe { Self::wrap(_mm512_or_si512(self.raw(), other.raw())) }
    }

    #[inline(always)]
    unsafe fn and_not(self, other: Self) -> Self {
        // SAFETY: as in `or`. `andnot(a, b)` is `!a & b`.
        unsafe { Self::wrap(_mm512_andnot_si512(other.raw(), self.raw())) }
    }

    #[inline(always)]
    unsafe fn add(self, other: Self) -> Self {
        // SAFETY: as in `or`.
        unsafe { Self::wrap(_mm512_add_epi8(self.raw(), other.raw())) }
    }

    #[inline(always)]
    unsafe fn gt_i8(self, other: Self) -> Self {
        // SAFETY: as in `or`; the mask becomes 0xFF/0 bytes.
        unsafe {
            Self::wrap(_mm512_movm_epi8(_mm512_cmpgt_epi8_mask(
                self.raw(),
                other.raw(),
            )))
        }
    }

    #[inline(always)]
    unsafe fn high_nibbles(self) -> Self {
        // SAFETY: as in `or`; the mask keeps each byte's own high nibble.
        unsafe {
            Self::wrap(_mm512_and_si512(
                _mm512_srli_epi16::<4>(self.raw()),
                _mm512_set1_epi8(0x0F),
            ))
        }
    }

    #[inline(always)]
    unsafe fn any(self) -> bool {
        // SAFETY: as in `or`.
        unsafe { _mm512_test_epi8_mask(self.raw(), self.raw()) != 0 }
    }
}

// SAFETY: `load_spread` reads the 64 bytes at `ptr` and `store_zipped` writes the 128 bytes
// at `ptr` only.
unsafe impl HexOps for Avx512 {
    #[inline(always)]
    unsafe fn hex_digits(self, digits: Self, _letter_gap: Self) -> Self {
        // SAFETY: AVX-512 BW CPU (caller); every index is below 16.
        unsafe { Self::wrap(_mm512_shuffle_epi8(digits.raw(), self.raw())) }
    }

    #[inline(always)]
    unsafe fn load_spread(ptr: *const u8) -> Self {
        // SAFETY: AVX-512 CPU and 64 readable bytes at `ptr` (caller). Quadwords 0 4 1 5 2 6 3
        // 7: lane `l` holds bytes `8l..8l + 8` and `32 + 8l..32 + 8l + 8`.
        unsafe {
            let order = _mm512_setr_epi64(0, 4, 1, 5, 2, 6, 3, 7);
            Self::wrap(_mm512_permutexvar_epi64(
                order,
                _mm512_loadu_si512(ptr.cast()),
            ))
        }
    }

    #[inline(always)]
    unsafe fn store_zipped(self, other: Self, ptr: *mut u8) {
        // SAFETY: AVX-512 CPU and 128 writable bytes at `ptr` (caller). The unpacks interleave
        // the low, then the high, halves of each lane.
        unsafe {
            let (a, b) = (self.raw(), other.raw());
            _mm512_storeu_si512(ptr.cast(), _mm512_unpacklo_epi8(a, b));
            _mm512_storeu_si512(ptr.add(64).cast(), _mm512_unpackhi_epi8(a, b));
        }
    }

    #[inline(always)]
    unsafe fn pack_nibbles(self, other: Self) -> Self {
        // SAFETY: AVX-512 BW CPU (caller). As for AVX2: the pack leaves quadwords a0 b0 a1 b1
        // a2 b2 a3 b3, which the permute orders a0 a1 a2 a3 b0 b1 b2 b3.
        unsafe {
            let w = _mm512_set1_epi16(0x0110);
            let a = _mm512_maddubs_epi16(self.raw(), w);
            let b = _mm512_maddubs_epi16(other.raw(), w);
            let packed = _mm512_packus_epi16(a, b);
            let order = _mm512_setr_epi64(0, 2, 4, 6, 1, 3, 5, 7);
            Self::wrap(_mm512_permutexvar_epi64(order, packed))
        }
    }
}

// SAFETY: `load_triples` reads and `store_triples` writes exactly the 64 bytes at `ptr`.
unsafe impl Base64Ops for Avx512 {
    #[inline(always)]
    unsafe fn lookup(self, idx: Self) -> Self {
        // SAFETY: AVX-512 BW CPU (caller); `vpshufb` as for AVX2, per lane.
        unsafe { Self::wrap(_mm512_shuffle_epi8(self.raw(), idx.raw())) }
    }

    #[inline(always)]
    unsafe fn sub_sat(self, other: Self) -> Self {
        // SAFETY: AVX-512 BW CPU (caller).
        unsafe { Self::wrap(_mm512_subs_epu8(self.raw(), other.raw())) }
    }

    #[inline(always)]
    unsafe fn load_triples(ptr: *const u8) -> Self {
        // SAFETY: AVX-512 CPU and 64 readable bytes at `ptr` (caller). Lane `l` takes dwords
        // `3l .. 3l + 4`, bytes `12l .. 12l + 16`.
        unsafe {
            let v = _mm512_loadu_si512(ptr.cast());
            let idx = _mm512_setr_epi32(0, 1, 2, 3, 3, 4, 5, 6, 6, 7, 8, 9, 9, 10, 11, 12);
            Self::wrap(_mm512_permutexvar_epi32(idx, v))
        }
    }

    /// None: AVX-512 BW has per-element 16-bit shifts, so what LLVM makes of the constant
    /// multiplies is as good.
    type Keys = ();

    #[inline(always)]
    unsafe fn keys() {}

    #[inline(always)]
    unsafe fn split_sextets(self, _keys: ()) -> Self {
        // SAFETY: AVX-512 BW CPU (caller); the AVX2 method on four lanes.
        unsafe {
            let t = _mm512_shuffle_epi8(self.raw(), _mm512_broadcast_i32x4(lane(SPLIT_SHUFFLE)));
            let t0 = _mm512_and_si512(t, _mm512_set1_epi32(0x0FC0_FC00));
            let t1 = _mm512_mulhi_epu16(t0, _mm512_set1_epi32(0x0400_0040));
            let t2 = _mm512_and_si512(t, _mm512_set1_epi32(0x003F_03F0));
            let t3 = _mm512_mullo_epi16(t2, _mm512_set1_epi32(0x0100_0010));
            Self::wrap(_mm512_or_si512(t1, t3))
        }
    }

    #[inline(always)]
    unsafe fn join_sextets(self, _keys: ()) -> Self {
        // SAFETY: AVX-512 BW CPU (caller); the AVX2 method on four lanes.
        unsafe {
            let pairs = _mm512_maddubs_epi16(self.raw(), _mm512_set1_epi32(0x0140_0140));
            let groups = _mm512_madd_epi16(pairs, _mm512_set1_epi32(0x0001_1000));
            Self::wrap(_mm512_shuffle_epi8(
                groups,
                _mm512_broadcast_i32x4(lane(JOIN_SHUFFLE)),
            ))
        }
    }

    #[inline(always)]
    unsafe fn store_triples(self, ptr: *mut u8) {
        // SAFETY: AVX-512 CPU and 64 writable bytes at `ptr` (caller). Dwords 0..3 of each
        // lane hold its 12 bytes; the permute makes them bytes 0..48.
        unsafe {
            let idx = _mm512_setr_epi32(0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 15, 15, 15, 15);
            _mm512_storeu_si512(ptr.cast(), _mm512_permutexvar_epi32(idx, self.raw()));
        }
    }
}
