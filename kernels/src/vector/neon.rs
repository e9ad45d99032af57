//! NEON primitives: 128-bit vectors, part of the aarch64 baseline.

use core::arch::aarch64::{
    uint8x16_t, vaddlvq_u8, vandq_u8, vceqq_u8, vdupq_n_u8, vld1q_u8, vst1q_u8, vsubq_u8,
    vzip1q_u8, vzip2q_u8,
};

use super::Vector;

/// One NEON register.
#[derive(Clone, Copy)]
pub(crate) struct Neon(uint8x16_t);

// SAFETY: 16 bytes in one lane; each method touches only the memory it documents.
unsafe impl Vector for Neon {
    const BYTES: usize = 16;
    const LANES: usize = 1;

    #[inline(always)]
    unsafe fn splat(byte: u8) -> Self {
        // SAFETY: the caller runs on a CPU with NEON (trait contract).
        Neon(unsafe { vdupq_n_u8(byte) })
    }

    #[inline(always)]
    unsafe fn load(ptr: *const u8) -> Self {
        // SAFETY: the caller promises 16 readable bytes at `ptr`; `ld1` needs no alignment.
        Neon(unsafe { vld1q_u8(ptr) })
    }

    #[inline(always)]
    unsafe fn store(self, ptr: *mut u8) {
        // SAFETY: the caller promises 16 writable bytes at `ptr`; `st1` needs no alignment.
        unsafe { vst1q_u8(ptr, self.0) }
    }

    #[inline(always)]
    unsafe fn load_lanes(ptr: *const u8, _stride: usize) -> Self {
        // SAFETY: one lane, at `ptr + 0 * stride`, which the caller promises is readable.
        unsafe { Self::load(ptr) }
    }

    #[inline(always)]
    unsafe fn store_lanes(self, ptr: *mut u8, _stride: usize) {
        // SAFETY: one lane, at `ptr + 0 * stride`, which the caller promises is writable.
        unsafe { self.store(ptr) }
    }

    #[inline(always)]
    unsafe fn cmpeq(self, other: Self) -> Self {
        // SAFETY: the caller runs on a CPU with NEON (trait contract).
        Neon(unsafe { vceqq_u8(self.0, other.0) })
    }

    #[inline(always)]
    unsafe fn and(self, other: Self) -> Self {
        // SAFETY: the caller runs on a CPU with NEON (trait contract).
        Neon(unsafe { vandq_u8(self.0, other.0) })
    }

    #[inline(always)]
    unsafe fn sub(self, other: Self) -> Self {
        // SAFETY: the caller runs on a CPU with NEON (trait contract).
        Neon(unsafe { vsubq_u8(self.0, other.0) })
    }

    #[inline(always)]
    unsafe fn sum_bytes(self) -> u64 {
        // SAFETY: the caller runs on a CPU with NEON (trait contract). The widening add across
        // the vector cannot overflow: 16 bytes sum to at most 4080, which fits its u16.
        u64::from(unsafe { vaddlvq_u8(self.0) })
    }

    #[inline(always)]
    unsafe fn zip_lo(self, other: Self) -> Self {
        // SAFETY: the caller runs on a CPU with NEON (trait contract).
        Neon(unsafe { vzip1q_u8(self.0, other.0) })
    }

    #[inline(always)]
    unsafe fn zip_hi(self, other: Self) -> Self {
        // SAFETY: the caller runs on a CPU with NEON (trait contract).
        Neon(unsafe { vzip2q_u8(self.0, other.0) })
    }
}
