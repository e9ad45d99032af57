//! aarch64 NEON: `tbl` for the lookups, `st2` for the interleaved store, shift-and-insert to
//! join bit fields.

use core::arch::aarch64::{
    uint8x16_t, uint8x16x2_t, vaddq_u8, vandq_u16, vandq_u32, vbicq_u8, vcgtq_s8, vdupq_n_u16,
    vdupq_n_u32, vld1q_u8, vmaxvq_u8, vorrq_u8, vqsubq_u8, vqtbl1q_u8, vreinterpretq_s8_u8,
    vreinterpretq_s16_u32, vreinterpretq_u8_u16, vreinterpretq_u8_u32, vreinterpretq_u16_u8,
    vreinterpretq_u32_u8, vreinterpretq_u32_u16, vshlq_u16, vshrq_n_u8, vshrq_n_u16, vshrq_n_u32,
    vsliq_n_u8, vsliq_n_u16, vsliq_n_u32, vst1q_u8, vst2q_u8, vuzp1q_u8, vuzp2q_u8,
};

use super::{Base64Ops, HexOps, TextOps};
use crate::vector::{Neon, Vector};

/// The intrinsics' register holding `v` (see the module comment of `text_ops`).
///
/// # Safety
/// NEON (the aarch64 baseline this module is compiled for).
#[inline(always)]
unsafe fn raw(v: Neon) -> uint8x16_t {
    let mut buf = [0u8; 16];
    // SAFETY: `buf` holds exactly one vector; NEON is enabled (module cfg).
    unsafe {
        v.store(buf.as_mut_ptr());
        vld1q_u8(buf.as_ptr())
    }
}

/// The vector holding `reg`.
///
/// # Safety
/// As [`raw`].
#[inline(always)]
unsafe fn wrap(reg: uint8x16_t) -> Neon {
    let mut buf = [0u8; 16];
    // SAFETY: as in `raw`.
    unsafe {
        vst1q_u8(buf.as_mut_ptr(), reg);
        Neon::load(buf.as_ptr())
    }
}

/// The bytes `b1 b0 b2 b1` of each 3-byte group (as for x86 `split_sextets`).
static SPLIT_SHUFFLE: [u8; 16] = [1, 0, 2, 1, 4, 3, 5, 4, 7, 6, 8, 7, 10, 9, 11, 10];

/// Bytes 2 1 0 of each 32-bit word, then 4 zeros (`tbl` gives 0 for indices above 15).
static JOIN_SHUFFLE: [u8; 16] = [2, 1, 0, 6, 5, 4, 10, 9, 8, 14, 13, 12, 255, 255, 255, 255];

// SAFETY: register-only arithmetic; NEON is enabled for this module.
unsafe impl TextOps for Neon {
    #[inline(always)]
    unsafe fn or(self, other: Self) -> Self {
        // SAFETY: NEON (module cfg).
        unsafe { wrap(vorrq_u8(raw(self), raw(other))) }
    }

    #[inline(always)]
    unsafe fn and_not(self, other: Self) -> Self {
        // SAFETY: NEON (module cfg). `bic(a, b)` is `a & !b`.
        unsafe { wrap(vbicq_u8(raw(self), raw(other))) }
    }

    #[inline(always)]
    unsafe fn add(self, other: Self) -> Self {
        // SAFETY: NEON (module cfg).
        unsafe { wrap(vaddq_u8(raw(self), raw(other))) }
    }

    #[inline(always)]
    unsafe fn gt_i8(self, other: Self) -> Self {
        // SAFETY: NEON (module cfg).
        unsafe {
            wrap(vcgtq_s8(
                vreinterpretq_s8_u8(raw(self)),
                vreinterpretq_s8_u8(raw(other)),
            ))
        }
    }

    #[inline(always)]
    unsafe fn high_nibbles(self) -> Self {
        // SAFETY: NEON (module cfg).
        unsafe { wrap(vshrq_n_u8::<4>(raw(self))) }
    }

    #[inline(always)]
    unsafe fn any(self) -> bool {
        // SAFETY: NEON (module cfg).
        unsafe { vmaxvq_u8(raw(self)) != 0 }
    }
}

// SAFETY: `load_spread` reads the 16 bytes at `ptr` and `store_zipped` writes the 32 bytes
// at `ptr` only.
unsafe impl HexOps for Neon {
    #[inline(always)]
    unsafe fn hex_digits(self, digits: Self, _letter_gap: Self) -> Self {
        // SAFETY: NEON (module cfg); every index is below 16.
        unsafe { wrap(vqtbl1q_u8(raw(digits), raw(self))) }
    }

    #[inline(always)]
    unsafe fn load_spread(ptr: *const u8) -> Self {
        // SAFETY: 16 readable bytes at `ptr` (caller); one lane.
        unsafe { Self::load(ptr) }
    }

    #[inline(always)]
    unsafe fn store_zipped(self, other: Self, ptr: *mut u8) {
        // SAFETY: NEON (module cfg) and 32 writable bytes at `ptr` (caller); `st2` writes the
        // two registers interleaved.
        unsafe { vst2q_u8(ptr, uint8x16x2_t(raw(self), raw(other))) }
    }

    #[inline(always)]
    unsafe fn pack_nibbles(self, other: Self) -> Self {
        // SAFETY: NEON (module cfg). The unzips gather the even (high) and odd (low) nibbles
        // of `self ‖ other` in order; shift-insert makes `even << 4 | odd`.
        unsafe {
            let (a, b) = (raw(self), raw(other));
            wrap(vsliq_n_u8::<4>(vuzp2q_u8(a, b), vuzp1q_u8(a, b)))
        }
    }
}

// SAFETY: `load_triples` reads and `store_triples` writes exactly the 16 bytes at `ptr`.
unsafe impl Base64Ops for Neon {
    #[inline(always)]
    unsafe fn lookup(self, idx: Self) -> Self {
        // SAFETY: NEON (module cfg). `tbl` gives 0 for indices above 15.
        unsafe { wrap(vqtbl1q_u8(raw(self), raw(idx))) }
    }

    #[inline(always)]
    unsafe fn sub_sat(self, other: Self) -> Self {
        // SAFETY: NEON (module cfg).
        unsafe { wrap(vqsubq_u8(raw(self), raw(other))) }
    }

    #[inline(always)]
    unsafe fn load_triples(ptr: *const u8) -> Self {
        // SAFETY: NEON (module cfg) and 16 readable bytes at `ptr` (caller).
        unsafe { Self::load(ptr) }
    }

    /// None: the NEON intrinsics used here are kept as written.
    type Keys = ();

    #[inline(always)]
    unsafe fn keys() {}

    #[inline(always)]
    unsafe fn split_sextets(self, _keys: ()) -> Self {
        // SAFETY: NEON (module cfg). As on x86: after the shuffle, the low half of each 32-bit
        // word holds sextets 0 and 1 at bits 10..16 and 4..10, the high half sextets 2 and 3
        // at bits 6..12 and 0..6. `ushl` by per-element counts (negative: right) moves them
        // to bits 0..6 and 8..14 of their halves: right by 10 and 6, left by 4 and 8.
        unsafe {
            let t = vqtbl1q_u8(raw(self), vld1q_u8(SPLIT_SHUFFLE.as_ptr()));
            let t = vreinterpretq_u32_u8(t);
            let right = vreinterpretq_s16_u32(vdupq_n_u32(0xFFFA_FFF6)); // -6, -10
            let left = vreinterpretq_s16_u32(vdupq_n_u32(0x0008_0004)); // 8, 4
            let t0 =
                vreinterpretq_u16_u8(vreinterpretq_u8_u32(vandq_u32(t, vdupq_n_u32(0x0FC0_FC00))));
            let t2 =
                vreinterpretq_u16_u8(vreinterpretq_u8_u32(vandq_u32(t, vdupq_n_u32(0x003F_03F0))));
            let sextets = vorrq_u8(
                vreinterpretq_u8_u16(vshlq_u16(t0, right)),
                vreinterpretq_u8_u16(vshlq_u16(t2, left)),
            );
            wrap(sextets)
        }
    }

    #[inline(always)]
    unsafe fn join_sextets(self, _keys: ()) -> Self {
        // SAFETY: NEON (module cfg). Per 16-bit half `s0 | s1 << 8`: shift-insert makes the
        // 12-bit `s0 << 6 | s1`; per 32-bit word `p0 | p1 << 16`: the 24-bit `p0 << 12 | p1`;
        // the table writes each group's bytes most significant first.
        unsafe {
            let t = vreinterpretq_u16_u8(raw(self));
            let pairs = vsliq_n_u16::<6>(vshrq_n_u16::<8>(t), vandq_u16(t, vdupq_n_u16(0x00FF)));
            let w = vreinterpretq_u32_u16(pairs);
            let groups = vsliq_n_u32::<12>(vshrq_n_u32::<16>(w), vandq_u32(w, vdupq_n_u32(0xFFFF)));
            wrap(vqtbl1q_u8(
                vreinterpretq_u8_u32(groups),
                vld1q_u8(JOIN_SHUFFLE.as_ptr()),
            ))
        }
    }

    #[inline(always)]
    unsafe fn store_triples(self, ptr: *mut u8) {
        // SAFETY: NEON (module cfg) and 16 writable bytes at `ptr` (caller).
        unsafe { self.store(ptr) }
    }
}
