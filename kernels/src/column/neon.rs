//! NEON primitives for the column kernels: compares packed to one bit per element by
//! weighting each lane with its bit and adding across the vector, and the `tbl` byte shuffle.

use core::arch::aarch64::*;

use super::simd::{ColVec, Compress};

/// One NEON register.
#[derive(Clone, Copy)]
pub(crate) struct NeonCol(uint8x16_t);

/// Lane `i` of each half weighted `1 << i`.
static BYTE_BITS: [u8; 16] = [1, 2, 4, 8, 16, 32, 64, 128, 1, 2, 4, 8, 16, 32, 64, 128];
/// 16-bit lane `i` weighted `1 << i`.
static WORD_BITS: [u16; 8] = [1, 2, 4, 8, 16, 32, 64, 128];
/// 32-bit lane `i` weighted `1 << i`.
static DWORD_BITS: [u32; 4] = [1, 2, 4, 8];
/// 64-bit lane `i` weighted `1 << i`.
static QWORD_BITS: [u64; 2] = [1, 2];

/// One bit per byte of an all-ones/all-zeros byte mask.
#[inline(always)]
unsafe fn bytes_mask(m: uint8x16_t) -> u64 {
    // SAFETY: NEON as the caller promises; the weights are 16 readable bytes.
    unsafe {
        let w = vandq_u8(m, vld1q_u8(BYTE_BITS.as_ptr()));
        u64::from(vaddv_u8(vget_low_u8(w))) | u64::from(vaddv_u8(vget_high_u8(w))) << 8
    }
}

/// One bit per 16-bit element of an element mask.
#[inline(always)]
unsafe fn words_mask(m: uint16x8_t) -> u64 {
    // SAFETY: NEON as the caller promises; the weights are 16 readable bytes.
    u64::from(unsafe { vaddvq_u16(vandq_u16(m, vld1q_u16(WORD_BITS.as_ptr()))) })
}

/// One bit per 32-bit element of an element mask.
#[inline(always)]
unsafe fn dwords_mask(m: uint32x4_t) -> u64 {
    // SAFETY: NEON as the caller promises; the weights are 16 readable bytes.
    u64::from(unsafe { vaddvq_u32(vandq_u32(m, vld1q_u32(DWORD_BITS.as_ptr()))) })
}

/// One bit per 64-bit element of an element mask.
#[inline(always)]
unsafe fn qwords_mask(m: uint64x2_t) -> u64 {
    // SAFETY: NEON as the caller promises; the weights are 16 readable bytes.
    unsafe { vaddvq_u64(vandq_u64(m, vld1q_u64(QWORD_BITS.as_ptr()))) }
}

// SAFETY: 16 bytes; `load` reads 16; each compare's mask yields one bit per element. Every
// intrinsic below is NEON, part of the aarch64 baseline this build targets.
unsafe impl ColVec for NeonCol {
    const BYTES: usize = 16;

    #[inline(always)]
    unsafe fn load(ptr: *const u8) -> Self {
        // SAFETY: the caller promises 16 readable bytes; `ld1` needs no alignment.
        NeonCol(unsafe { vld1q_u8(ptr) })
    }
    #[inline(always)]
    unsafe fn splat64(bits: u64) -> Self {
        // SAFETY: NEON (trait contract).
        NeonCol(unsafe { vreinterpretq_u8_u64(vdupq_n_u64(bits)) })
    }
    #[inline(always)]
    unsafe fn xor(self, other: Self) -> Self {
        // SAFETY: NEON (trait contract).
        NeonCol(unsafe { veorq_u8(self.0, other.0) })
    }
    #[inline(always)]
    unsafe fn eq8(self, other: Self) -> u64 {
        // SAFETY: NEON (trait contract).
        unsafe { bytes_mask(vceqq_u8(self.0, other.0)) }
    }
    #[inline(always)]
    unsafe fn eq16(self, other: Self) -> u64 {
        // SAFETY: NEON (trait contract).
        unsafe { words_mask(vceqq_u16(self.u16(), other.u16())) }
    }
    #[inline(always)]
    unsafe fn eq32(self, other: Self) -> u64 {
        // SAFETY: NEON (trait contract).
        unsafe { dwords_mask(vceqq_u32(self.u32(), other.u32())) }
    }
    #[inline(always)]
    unsafe fn eq64(self, other: Self) -> u64 {
        // SAFETY: NEON (trait contract).
        unsafe { qwords_mask(vceqq_u64(self.u64(), other.u64())) }
    }
    #[inline(always)]
    unsafe fn gt8(self, other: Self) -> u64 {
        // SAFETY: NEON (trait contract).
        unsafe {
            bytes_mask(vcgtq_s8(
                vreinterpretq_s8_u8(self.0),
                vreinterpretq_s8_u8(other.0),
            ))
        }
    }
    #[inline(always)]
    unsafe fn gt16(self, other: Self) -> u64 {
        // SAFETY: NEON (trait contract).
        unsafe {
            words_mask(vcgtq_s16(
                vreinterpretq_s16_u8(self.0),
                vreinterpretq_s16_u8(other.0),
            ))
        }
    }
    #[inline(always)]
    unsafe fn gt32(self, other: Self) -> u64 {
        // SAFETY: NEON (trait contract).
        unsafe {
            dwords_mask(vcgtq_s32(
                vreinterpretq_s32_u8(self.0),
                vreinterpretq_s32_u8(other.0),
            ))
        }
    }
    #[inline(always)]
    unsafe fn gt64(self, other: Self) -> u64 {
        // SAFETY: NEON (trait contract).
        unsafe {
            qwords_mask(vcgtq_s64(
                vreinterpretq_s64_u8(self.0),
                vreinterpretq_s64_u8(other.0),
            ))
        }
    }
    #[inline(always)]
    unsafe fn feq32(self, other: Self) -> u64 {
        // SAFETY: NEON (trait contract).
        unsafe { dwords_mask(vceqq_f32(self.f32(), other.f32())) }
    }
    #[inline(always)]
    unsafe fn flt32(self, other: Self) -> u64 {
        // SAFETY: NEON (trait contract).
        unsafe { dwords_mask(vcltq_f32(self.f32(), other.f32())) }
    }
    #[inline(always)]
    unsafe fn fle32(self, other: Self) -> u64 {
        // SAFETY: NEON (trait contract).
        unsafe { dwords_mask(vcleq_f32(self.f32(), other.f32())) }
    }
    #[inline(always)]
    unsafe fn feq64(self, other: Self) -> u64 {
        // SAFETY: NEON (trait contract).
        unsafe { qwords_mask(vceqq_f64(self.f64(), other.f64())) }
    }
    #[inline(always)]
    unsafe fn flt64(self, other: Self) -> u64 {
        // SAFETY: NEON (trait contract).
        unsafe { qwords_mask(vcltq_f64(self.f64(), other.f64())) }
    }
    #[inline(always)]
    unsafe fn fle64(self, other: Self) -> u64 {
        // SAFETY: NEON (trait contract).
        unsafe { qwords_mask(vcleq_f64(self.f64(), other.f64())) }
    }
}

impl NeonCol {
    /// As eight u16.
    #[inline(always)]
    unsafe fn u16(self) -> uint16x8_t {
        // SAFETY: a bit cast; NEON as the caller promises.
        unsafe { vreinterpretq_u16_u8(self.0) }
    }
    /// As four u32.
    #[inline(always)]
    unsafe fn u32(self) -> uint32x4_t {
        // SAFETY: a bit cast; NEON as the caller promises.
        unsafe { vreinterpretq_u32_u8(self.0) }
    }
    /// As two u64.
    #[inline(always)]
    unsafe fn u64(self) -> uint64x2_t {
        // SAFETY: a bit cast; NEON as the caller promises.
        unsafe { vreinterpretq_u64_u8(self.0) }
    }
    /// As four f32.
    #[inline(always)]
    unsafe fn f32(self) -> float32x4_t {
        // SAFETY: a bit cast; NEON as the caller promises.
        unsafe { vreinterpretq_f32_u8(self.0) }
    }
    /// As two f64.
    #[inline(always)]
    unsafe fn f64(self) -> float64x2_t {
        // SAFETY: a bit cast; NEON as the caller promises.
        unsafe { vreinterpretq_f64_u8(self.0) }
    }
}

// SAFETY: each method touches exactly the bytes it names; every intrinsic is NEON.
unsafe impl Compress for NeonCol {
    #[inline(always)]
    unsafe fn load8(ptr: *const u8) -> Self {
        // SAFETY: the caller promises 8 readable bytes; `ld1` needs no alignment.
        NeonCol(unsafe { vcombine_u8(vld1_u8(ptr), vdup_n_u8(0)) })
    }
    #[inline(always)]
    unsafe fn load16(ptr: *const u8) -> Self {
        // SAFETY: the caller promises 16 readable bytes.
        unsafe { <Self as ColVec>::load(ptr) }
    }
    #[inline(always)]
    unsafe fn store8(self, ptr: *mut u8) {
        // SAFETY: the caller promises 8 writable bytes; `st1` needs no alignment.
        unsafe { vst1_u8(ptr, vget_low_u8(self.0)) }
    }
    #[inline(always)]
    unsafe fn store16(self, ptr: *mut u8) {
        // SAFETY: the caller promises 16 writable bytes; `st1` needs no alignment.
        unsafe { vst1q_u8(ptr, self.0) }
    }
    #[inline(always)]
    unsafe fn shuffle(self, idx: Self) -> Self {
        // SAFETY: NEON (trait contract).
        NeonCol(unsafe { vqtbl1q_u8(self.0, idx.0) })
    }
}
