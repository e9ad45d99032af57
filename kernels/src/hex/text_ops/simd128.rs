//! wasm32 simd128, written for wazero's SSE code generator: `i8x16.swizzle` for the lookups,
//! 16-bit multiplies and dot products instead of shifts by constants to move bit fields (the
//! one shift left is the high-nibble split), `i8x16.shuffle` only to gather bytes of two
//! vectors.

use core::arch::wasm32::{
    i8x16_add, i8x16_gt, i8x16_shuffle, i8x16_swizzle, i16x8, i16x8_mul, i16x8_narrow_i32x4,
    i32x4_dot_i16x8, u8x16, u8x16_shr, u8x16_sub_sat, u16x8, u16x8_extend_high_u8x16,
    u16x8_extend_low_u8x16, v128, v128_and, v128_andnot, v128_any_true, v128_load, v128_or,
    v128_store,
};

use super::{Base64Ops, HexOps, TextOps};
use crate::vector::{Simd128, Vector};

/// The `v128` holding `v` (see the module comment of `text_ops`).
///
/// # Safety
/// simd128 (enabled at compile time for this module).
#[inline(always)]
unsafe fn raw(v: Simd128) -> v128 {
    let mut buf = [0u8; 16];
    // SAFETY: `buf` holds exactly one vector.
    unsafe {
        v.store(buf.as_mut_ptr());
        v128_load(buf.as_ptr().cast())
    }
}

/// The vector holding `reg`.
///
/// # Safety
/// As [`raw`].
#[inline(always)]
unsafe fn wrap(reg: v128) -> Simd128 {
    let mut buf = [0u8; 16];
    // SAFETY: `buf` holds exactly one vector.
    unsafe {
        v128_store(buf.as_mut_ptr().cast(), reg);
        Simd128::load(buf.as_ptr())
    }
}

/// Swizzle index that makes a zero byte.
const Z: u8 = 0x80;

/// The [`Base64Ops::Keys`] of simd128, read with volatile loads once per call: with the values
/// in sight, LLVM turns a swizzle with constant indices into `i8x16.shuffle` (two `pshufb`
/// and a `por` in wazero, against its cheaper `swizzle`), and the 16-bit multiplies by 64, 16,
/// 4 and 1 into per-lane shifts, which simd128 lacks, so it extracts, shifts and re-inserts
/// every lane.
static KEYS: [v128; 5] = [
    // split_sextets: groups 0 and 1, groups 2 and 3.
    u8x16(0, Z, 1, 0, 2, 1, Z, 2, 3, Z, 4, 3, 5, 4, Z, 5),
    u8x16(6, Z, 7, 6, 8, 7, Z, 8, 9, Z, 10, 9, 11, 10, Z, 11),
    // split_sextets: the bits of each word's sextet, and its multiplier.
    u16x8(
        0x00FC, 0x03F0, 0x0FC0, 0x3F00, 0x00FC, 0x03F0, 0x0FC0, 0x3F00,
    ),
    u16x8(64, 16, 4, 1, 64, 16, 4, 1),
    // join_sextets: bytes 2 1 0 of each 32-bit word, then 4 zeros.
    u8x16(2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, Z, Z, Z, Z),
];

// SAFETY: register-only arithmetic.
unsafe impl TextOps for Simd128 {
    #[inline(always)]
    unsafe fn or(self, other: Self) -> Self {
        // SAFETY: simd128 (module cfg).
        unsafe { wrap(v128_or(raw(self), raw(other))) }
    }

    #[inline(always)]
    unsafe fn and_not(self, other: Self) -> Self {
        // SAFETY: simd128 (module cfg). `v128.andnot(a, b)` is `a & !b`.
        unsafe { wrap(v128_andnot(raw(self), raw(other))) }
    }

    #[inline(always)]
    unsafe fn add(self, other: Self) -> Self {
        // SAFETY: simd128 (module cfg).
        unsafe { wrap(i8x16_add(raw(self), raw(other))) }
    }

    #[inline(always)]
    unsafe fn gt_i8(self, other: Self) -> Self {
        // SAFETY: simd128 (module cfg).
        unsafe { wrap(i8x16_gt(raw(self), raw(other))) }
    }

    #[inline(always)]
    unsafe fn high_nibbles(self) -> Self {
        // SAFETY: simd128 (module cfg).
        unsafe { wrap(u8x16_shr(raw(self), 4)) }
    }

    #[inline(always)]
    unsafe fn any(self) -> bool {
        // SAFETY: simd128 (module cfg).
        unsafe { v128_any_true(raw(self)) }
    }
}

// SAFETY: `load_spread` reads the 16 bytes at `ptr` and `store_zipped` writes the 32 bytes
// at `ptr` only.
unsafe impl HexOps for Simd128 {
    #[inline(always)]
    unsafe fn hex_digits(self, digits: Self, _letter_gap: Self) -> Self {
        // SAFETY: simd128 (module cfg); every index is below 16.
        unsafe { wrap(i8x16_swizzle(raw(digits), raw(self))) }
    }

    #[inline(always)]
    unsafe fn load_spread(ptr: *const u8) -> Self {
        // SAFETY: 16 readable bytes at `ptr` (caller); one lane.
        unsafe { Self::load(ptr) }
    }

    #[inline(always)]
    unsafe fn store_zipped(self, other: Self, ptr: *mut u8) {
        // SAFETY: simd128 (module cfg) and 32 writable bytes at `ptr` (caller).
        unsafe {
            self.zip_lo(other).store(ptr);
            self.zip_hi(other).store(ptr.add(16));
        }
    }

    #[inline(always)]
    unsafe fn pack_nibbles(self, other: Self) -> Self {
        // SAFETY: simd128 (module cfg). A 16-bit word `n0 | n1 << 8` times 0x1001 is `n0 |
        // n1 << 8 | n0 << 12` (the nibbles do not overlap, so nothing carries): its high byte
        // is `n0 << 4 | n1`. One shuffle gathers the high bytes of both vectors in order.
        unsafe {
            let k = u16x8(
                0x1001, 0x1001, 0x1001, 0x1001, 0x1001, 0x1001, 0x1001, 0x1001,
            );
            let a = i16x8_mul(raw(self), k);
            let b = i16x8_mul(raw(other), k);
            wrap(i8x16_shuffle::<
                1,
                3,
                5,
                7,
                9,
                11,
                13,
                15,
                17,
                19,
                21,
                23,
                25,
                27,
                29,
                31,
            >(a, b))
        }
    }
}

// SAFETY: `load_triples` reads and `store_triples` writes exactly the 16 bytes at `ptr`.
unsafe impl Base64Ops for Simd128 {
    #[inline(always)]
    unsafe fn lookup(self, idx: Self) -> Self {
        // SAFETY: simd128 (module cfg). `swizzle` gives 0 for indices above 15.
        unsafe { wrap(i8x16_swizzle(raw(self), raw(idx))) }
    }

    #[inline(always)]
    unsafe fn sub_sat(self, other: Self) -> Self {
        // SAFETY: simd128 (module cfg).
        unsafe { wrap(u8x16_sub_sat(raw(self), raw(other))) }
    }

    #[inline(always)]
    unsafe fn load_triples(ptr: *const u8) -> Self {
        // SAFETY: 16 readable bytes at `ptr` (caller).
        unsafe { Self::load(ptr) }
    }

    /// The swizzle indices, masks and multipliers of `split_sextets` and the swizzle indices
    /// of `join_sextets`, in that order.
    type Keys = [v128; 5];

    #[inline(always)]
    unsafe fn keys() -> [v128; 5] {
        // SAFETY: each read is of one aligned `v128` of the static `KEYS`.
        core::array::from_fn(|k| unsafe { core::ptr::read_volatile(&KEYS[k]) })
    }

    #[inline(always)]
    unsafe fn split_sextets(self, keys: [v128; 5]) -> Self {
        // SAFETY: simd128 (module cfg). Each group `b0 b1 b2` becomes four 16-bit words whose
        // masked bits are one sextet each: `b0` (bits 2..8), `b0:b1` (bits 4..10), `b1:b2`
        // (bits 6..12) and `b2 << 8` (bits 8..14). Multiplying by 64, 16, 4, 1 moves every
        // sextet to bits 8..14, the word's high byte; one shuffle gathers the high bytes of
        // the two vectors (groups 0-1 and 2-3) in order.
        unsafe {
            let x = raw(self);
            let [first, second, mask, scale, _] = keys;
            let a = i16x8_mul(v128_and(i8x16_swizzle(x, first), mask), scale);
            let b = i16x8_mul(v128_and(i8x16_swizzle(x, second), mask), scale);
            wrap(i8x16_shuffle::<
                1,
                3,
                5,
                7,
                9,
                11,
                13,
                15,
                17,
                19,
                21,
                23,
                25,
                27,
                29,
                31,
            >(a, b))
        }
    }

    #[inline(always)]
    unsafe fn join_sextets(self, keys: [v128; 5]) -> Self {
        // SAFETY: simd128 (module cfg). Widened to 16 bits, a dot product with 64, 1 joins
        // sextet pairs into 12-bit values; narrowed back (they fit) and dotted with 4096, 1
        // they join into the 24-bit group of each 32-bit word; the swizzle writes each
        // group's bytes most significant first, then 4 zeros.
        unsafe {
            let x = raw(self);
            let pair = i16x8(64, 1, 64, 1, 64, 1, 64, 1);
            let lo = i32x4_dot_i16x8(u16x8_extend_low_u8x16(x), pair);
            let hi = i32x4_dot_i16x8(u16x8_extend_high_u8x16(x), pair);
            let quad = i16x8(4096, 1, 4096, 1, 4096, 1, 4096, 1);
            let groups = i32x4_dot_i16x8(i16x8_narrow_i32x4(lo, hi), quad);
            wrap(i8x16_swizzle(groups, keys[4]))
        }
    }

    #[inline(always)]
    unsafe fn store_triples(self, ptr: *mut u8) {
        // SAFETY: 16 writable bytes at `ptr` (caller).
        unsafe { self.store(ptr) }
    }
}
