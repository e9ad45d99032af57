//! aarch64 NEON.
//!
//! NEON has no byte movemask. The usual replacement narrows each 16-bit pair by a shift of 4
//! (`shrn`), leaving four bits per byte in a 64-bit scalar; keeping the top one of the four
//! gives [`ScanOps::MASK_SHIFT`] = 2. Whether any byte is flagged is one `umaxv`.

use core::arch::aarch64::{
    uint8x16_t, veorq_u8, vget_lane_u64, vld1q_u8, vmaxvq_u8, vorrq_u8, vqtbl1q_u8,
    vreinterpret_u64_u8, vreinterpretq_s8_u8, vreinterpretq_u8_s8, vreinterpretq_u16_u8,
    vshrn_n_u16, vshrq_n_s8, vshrq_n_u8, vst1q_u8,
};

use super::{NibbleOps, ScanOps};
use crate::vector::{Neon, Vector};

/// The top bit of each 4-bit group of the narrowed mask.
const GROUP_TOPS: u64 = 0x8888_8888_8888_8888;

/// The register holding `v` (see the module comment of `ops`).
#[inline(always)]
unsafe fn raw(v: Neon) -> uint8x16_t {
    let mut buf = [0u8; 16];
    // SAFETY: `buf` holds exactly one vector; NEON is enabled for this build.
    unsafe {
        v.store(buf.as_mut_ptr());
        vld1q_u8(buf.as_ptr())
    }
}

/// The vector holding `reg`.
#[inline(always)]
unsafe fn wrap(reg: uint8x16_t) -> Neon {
    let mut buf = [0u8; 16];
    // SAFETY: as in `raw`.
    unsafe {
        vst1q_u8(buf.as_mut_ptr(), reg);
        Neon::load(buf.as_ptr())
    }
}

// SAFETY: `msb_mask` keeps only bit `4i + 3` for byte `i < 16`.
unsafe impl ScanOps for Neon {
    const MASK_SHIFT: u32 = 2;

    #[inline(always)]
    unsafe fn or(self, other: Self) -> Self {
        // SAFETY: NEON is enabled for this build.
        unsafe { wrap(vorrq_u8(raw(self), raw(other))) }
    }

    #[inline(always)]
    unsafe fn xor(self, other: Self) -> Self {
        // SAFETY: NEON is enabled for this build.
        unsafe { wrap(veorq_u8(raw(self), raw(other))) }
    }

    #[inline(always)]
    unsafe fn msb_mask(self) -> u64 {
        // SAFETY: NEON is enabled for this build. The arithmetic shift spreads each top bit
        // over its byte; `shrn #4` then keeps bits 4..12 of each 16-bit pair, i.e. the high
        // nibble of the even byte and the low nibble of the odd one: byte `i`'s flag fills
        // bits `4i..4i + 4` of the result.
        let nibbles = unsafe {
            let flags = vreinterpretq_u8_s8(vshrq_n_s8::<7>(vreinterpretq_s8_u8(raw(self))));
            vget_lane_u64::<0>(vreinterpret_u64_u8(vshrn_n_u16::<4>(vreinterpretq_u16_u8(
                flags,
            ))))
        };
        nibbles & GROUP_TOPS
    }

    #[inline(always)]
    unsafe fn any_msb(self) -> bool {
        // SAFETY: NEON is enabled for this build.
        unsafe { vmaxvq_u8(raw(self)) >= 0x80 }
    }
}

// SAFETY: `tbl` reads only the one table register.
unsafe impl NibbleOps for Neon {
    #[inline(always)]
    unsafe fn lookup(self, idx: Self) -> Self {
        // SAFETY: NEON is enabled for this build. `tbl` gives 0 for any index >= 16.
        unsafe { wrap(vqtbl1q_u8(raw(self), raw(idx))) }
    }

    #[inline(always)]
    unsafe fn high_nibble(self) -> Self {
        // SAFETY: NEON is enabled for this build.
        unsafe { wrap(vshrq_n_u8::<4>(raw(self))) }
    }
}
