//! The vectorised unpacker, written once over [`UnpackOps`], and its per-ISA entry points.
//!
//! # The algorithm
//! Four consecutive values (a *quad*) span at most 16 bytes from the byte where the first one
//! starts, so a quad is unpacked inside one 128-bit lane: a byte shuffle gives each 32-bit
//! lane the bytes holding its value, a per-lane shift aligns it. Eight values fill exactly
//! `bits` bytes, so quads come in two kinds whose shuffles and shifts are fixed for the call:
//! *even* quads start on a byte boundary, *odd* quads `4*bits % 8` bits into a byte. A vector
//! of `LANES` lanes handles `LANES` consecutive quads (even, odd, even, odd), each lane loaded
//! from its quad's first byte.
//!
//! Value `j` of a quad starts at bit `b = s0 + j*bits` of the lane (`s0` is 0 or 4): byte
//! `k = b / 8`, shift `s = b % 8`. With `W` the bytes from `k` on, the value is bits
//! `s..s + bits` of `W`.
//! - If `s + bits <= 32` for every value (every width except 27, 29, 30, 31): the lane gets
//!   bytes `k..k+4`, is shifted left by `32 - bits - s` (dropping the bits above the value)
//!   and right by `32 - bits` (dropping those below).
//! - Otherwise the value needs a fifth byte: lane `X` gets bytes `k+1..k+5` and lane `Y` byte
//!   `k`; the value is `(X << (8 - s) | (Y << (8 - s)) >> 8) & mask`.
//!
//! Only left shifts vary per lane, so simd128 (which has no per-lane shift) multiplies by
//! powers of two, and the right shifts are by one amount for the whole call. Shuffle indices
//! past the lane's 16 bytes select zero; they only ever stand for bytes the value does not
//! use. Width 32 is a copy and width 0 a fill.
//!
//! Steps run while every lane's 16-byte load stays inside `data` and `dst` has room for the
//! step; the word-at-a-time code finishes.
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

use super::word;
use crate::vector::Vector;

/// The unpacker's per-ISA primitives, on a register type of `Self::BYTES` bytes.
///
/// # Safety
/// Implementors touch exactly the memory each method names. Methods may only run on a CPU with
/// the implementor's instruction set; callers promise that and valid pointers.
pub(crate) unsafe trait UnpackOps: Vector {
    /// The register.
    type R: Copy;
    /// A per-32-bit-lane left shift amount, in the form the ISA applies it.
    type Shl: Copy;

    /// Loads `BYTES` bytes.
    unsafe fn ld(ptr: *const u8) -> Self::R;
    /// Loads 128-bit lane `j` from the 16 bytes at `ptr + (j / 2) * whole + (j % 2) * half`.
    unsafe fn ld_quads(ptr: *const u8, half: usize, whole: usize) -> Self::R;
    /// Stores `BYTES` bytes.
    unsafe fn st(r: Self::R, ptr: *mut u8);
    /// Within each 128-bit lane, byte `i` becomes byte `idx[i]` of the lane, or 0 if
    /// `idx[i] >= 0x80`.
    unsafe fn shuffle(r: Self::R, idx: Self::R) -> Self::R;
    /// The shift operand for the `4 * LANES` counts (each below 32) at `counts`.
    unsafe fn shl_operand(counts: *const u32) -> Self::Shl;
    /// Each 32-bit lane shifted left by its amount.
    unsafe fn shl_by(r: Self::R, by: Self::Shl) -> Self::R;
    /// Each 32-bit lane shifted right by `n` (below 32).
    unsafe fn shr_n(r: Self::R, n: u32) -> Self::R;
    /// Bitwise or.
    unsafe fn or_r(a: Self::R, b: Self::R) -> Self::R;
    /// Bitwise and.
    unsafe fn and_r(a: Self::R, b: Self::R) -> Self::R;
}

/// Index that selects zero.
const ZERO: u8 = 0x80;

/// Shuffles and shifts for one width, laid out for lanes even, odd, even, odd.
struct Plan {
    /// Whether some value needs a fifth byte (the `X`/`Y` form).
    wide: bool,
    /// Bytes `k..k+4` (narrow form) or `k+1..k+5` (`X`).
    idx_a: [u8; 64],
    /// Byte `k` alone (`Y`, wide form only).
    idx_b: [u8; 64],
    /// Left shift of each 32-bit lane.
    shl: [u32; 16],
    /// The value mask, in every 32-bit lane (wide form).
    mask: [u32; 16],
}

/// Every width's plan, computed at compile time (entry 0 is unused): a call only looks its
/// plan up, so short inputs do not pay for building the tables.
static PLANS: [Plan; 32] = {
    let mut plans = [const { Plan::new(0) }; 32];
    let mut bits = 1;
    while bits < 32 {
        plans[bits as usize] = Plan::new(bits);
        bits += 1;
    }
    plans
};

impl Plan {
    /// The plan for `bits` in 0..=31 (0 only as a placeholder).
    const fn new(bits: u32) -> Plan {
        let b = bits as usize;
        let mut wide = false;
        let mut v = 0;
        while v < 8 {
            wide |= (v * b) % 8 + b > 32;
            v += 1;
        }
        let mut plan = Plan {
            wide,
            idx_a: [ZERO; 64],
            idx_b: [ZERO; 64],
            shl: [0; 16],
            mask: [(1 << bits) - 1; 16],
        };
        let mut lane = 0;
        while lane < 4 {
            let s0 = if lane % 2 == 1 { 4 * b % 8 } else { 0 };
            let mut j = 0;
            while j < 4 {
                let bit = s0 + j * b;
                let (k, s) = (bit / 8, bit % 8);
                let first = if wide { k + 1 } else { k };
                let mut t = 0;
                while t < 4 {
                    if first + t < 16 {
                        plan.idx_a[16 * lane + 4 * j + t] = (first + t) as u8;
                    }
                    t += 1;
                }
                if wide {
                    plan.idx_b[16 * lane + 4 * j] = k as u8;
                }
                plan.shl[4 * lane + j] = if wide { 8 - s } else { 32 - b - s } as u32;
                j += 1;
            }
            lane += 1;
        }
        plan
    }
}

/// Unpacks `dst.len()` values of `bits` bits from `data` (the [`super::UnpackFn`] contract)
/// with vectors `V`.
///
/// # Safety
/// The CPU must support `V`'s instruction set.
#[inline(always)]
unsafe fn unpack<V: UnpackOps>(data: &[u8], bits: u32, dst: &mut [u32]) {
    match bits {
        0 => dst.fill(0),
        32 => {
            for (slot, bytes) in dst.iter_mut().zip(data.chunks_exact(4)) {
                *slot = u32::from_le_bytes(bytes.try_into().unwrap_or([0; 4]));
            }
        }
        _ => {
            // `& 31`: `bits` is 1..=31 here, stated so the index has no panic path.
            let plan = &PLANS[bits as usize & 31];
            // SAFETY: `V`'s ISA is promised by the caller.
            let done = unsafe {
                if plan.wide {
                    steps::<V, true>(data, bits as usize, plan, dst)
                } else {
                    steps::<V, false>(data, bits as usize, plan, dst)
                }
            };
            // `done` values took `done / 8 * bits` bytes of `data`: both ranges are in bounds
            // (`get` states it without a panic path).
            if let (Some(rest), Some(out)) =
                (data.get(done / 8 * bits as usize..), dst.get_mut(done..))
            {
                // SAFETY: no preconditions beyond the contract, which the caller keeps.
                unsafe { word::unpack(rest, bits, out) }
            }
        }
    }
}

/// The vector steps of [`unpack`] for `bits` in 1..=31; returns the values done (a multiple
/// of 8).
///
/// # Safety
/// The CPU must support `V`'s instruction set.
#[inline(always)]
unsafe fn steps<V: UnpackOps, const WIDE: bool>(
    data: &[u8],
    bits: usize,
    plan: &Plan,
    dst: &mut [u32],
) -> usize {
    // Quads per step (at least an even-odd pair), vectors per step, and their footprint.
    let quads = V::LANES.max(2);
    let vectors = quads / V::LANES;
    let half = bits / 2;
    // `max(1)`: `bits >= 1` here; stated so the division below has no zero-divisor panic.
    let step_bytes = (quads / 2 * bits).max(1);
    let step_values = 4 * quads;
    // The last lane's load starts at `(quads / 2 - 1) * bits + half` and reads 16 bytes.
    let reach = (quads / 2 - 1) * bits + half + 16;
    if data.len() < reach {
        return 0;
    }
    let steps = ((data.len() - reach) / step_bytes + 1).min(dst.len() / step_values);
    let src = data.as_ptr();
    let out = dst.as_mut_ptr().cast::<u8>();
    // Vector `v` of a step covers quads `v * LANES..`: its constants start at the table entry
    // of that quad's kind, its loads at that quad's first byte.
    let first_quad = |v: usize| v * V::LANES;
    // SAFETY: the tables hold 4 lanes; a vector reads `LANES <= 4` lanes from lane 0 or 1 of
    // them (`first_quad % 2`), and for `LANES > 1` `first_quad` is 0. `V`'s ISA is promised.
    let consts = |v: usize| unsafe {
        let lane = first_quad(v) % 2;
        (
            V::ld(plan.idx_a.as_ptr().add(16 * lane)),
            V::ld(plan.idx_b.as_ptr().add(16 * lane)),
            V::shl_operand(plan.shl.as_ptr().add(4 * lane)),
        )
    };
    let (even, odd) = (consts(0), consts(vectors - 1));
    // SAFETY: the mask table holds 16 lanes of 32 bits, at least `BYTES` bytes.
    let mask = unsafe { V::ld(plan.mask.as_ptr().cast()) };
    for step in 0..steps {
        for v in 0..vectors {
            let (idx_a, idx_b, shl) = if v == 0 { even } else { odd };
            let q = first_quad(v);
            let quad_byte = q / 2 * bits + q % 2 * half;
            // SAFETY: `step < steps` keeps every lane's 16-byte load (the last at `reach - 16`
            // past the step's start) inside `data` and the step's `step_values` values inside
            // `dst`; this vector stores `4 * LANES` of them from quad `q`. `V`'s ISA as above.
            unsafe {
                let raw = V::ld_quads(src.add(step * step_bytes + quad_byte), half, bits);
                let a = V::shl_by(V::shuffle(raw, idx_a), shl);
                let value = if WIDE {
                    let b = V::shr_n(V::shl_by(V::shuffle(raw, idx_b), shl), 8);
                    V::and_r(V::or_r(a, b), mask)
                } else {
                    V::shr_n(a, 32 - bits as u32)
                };
                V::st(value, out.add(4 * (step * step_values + 4 * q)));
            }
        }
    }
    steps * step_values
}

/// x86_64 primitives (AVX2 and AVX-512; SSE2 has no byte shuffle) and entry points.
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86 {
    use core::arch::x86_64::{
        __m256i, __m512i, _mm_cvtsi32_si128, _mm_loadu_si128, _mm256_and_si256,
        _mm256_castsi128_si256, _mm256_inserti128_si256, _mm256_loadu_si256, _mm256_or_si256,
        _mm256_shuffle_epi8, _mm256_sllv_epi32, _mm256_srl_epi32, _mm256_storeu_si256,
        _mm512_and_si512, _mm512_castsi128_si512, _mm512_inserti32x4, _mm512_loadu_si512,
        _mm512_or_si512, _mm512_shuffle_epi8, _mm512_sllv_epi32, _mm512_srl_epi32,
        _mm512_storeu_si512,
    };

    use super::UnpackOps;
    use crate::vector::{Avx2, Avx512};

    // SAFETY: each method touches exactly the memory it names; callers promise AVX2.
    unsafe impl UnpackOps for Avx2 {
        type R = __m256i;
        type Shl = __m256i;

        #[inline(always)]
        unsafe fn ld(ptr: *const u8) -> __m256i {
            // SAFETY: 32 readable bytes at `ptr` (caller); `loadu` needs no alignment.
            unsafe { _mm256_loadu_si256(ptr.cast()) }
        }

        #[inline(always)]
        unsafe fn ld_quads(ptr: *const u8, half: usize, _whole: usize) -> __m256i {
            // SAFETY: 16 readable bytes at `ptr` and at `ptr + half` (caller).
            unsafe {
                let lo = _mm256_castsi128_si256(_mm_loadu_si128(ptr.cast()));
                _mm256_inserti128_si256::<1>(lo, _mm_loadu_si128(ptr.add(half).cast()))
            }
        }

        #[inline(always)]
        unsafe fn st(r: __m256i, ptr: *mut u8) {
            // SAFETY: 32 writable bytes at `ptr` (caller).
            unsafe { _mm256_storeu_si256(ptr.cast(), r) }
        }

        #[inline(always)]
        unsafe fn shuffle(r: __m256i, idx: __m256i) -> __m256i {
            // SAFETY: AVX2 (caller).
            unsafe { _mm256_shuffle_epi8(r, idx) }
        }

        #[inline(always)]
        unsafe fn shl_operand(counts: *const u32) -> __m256i {
            // SAFETY: 8 readable counts at `counts` (caller).
            unsafe { _mm256_loadu_si256(counts.cast()) }
        }

        #[inline(always)]
        unsafe fn shl_by(r: __m256i, by: __m256i) -> __m256i {
            // SAFETY: AVX2 (caller).
            unsafe { _mm256_sllv_epi32(r, by) }
        }

        #[inline(always)]
        unsafe fn shr_n(r: __m256i, n: u32) -> __m256i {
            // SAFETY: AVX2 (caller).
            unsafe { _mm256_srl_epi32(r, _mm_cvtsi32_si128(n as i32)) }
        }

        #[inline(always)]
        unsafe fn or_r(a: __m256i, b: __m256i) -> __m256i {
            // SAFETY: AVX2 (caller).
            unsafe { _mm256_or_si256(a, b) }
        }

        #[inline(always)]
        unsafe fn and_r(a: __m256i, b: __m256i) -> __m256i {
            // SAFETY: AVX2 (caller).
            unsafe { _mm256_and_si256(a, b) }
        }
    }

    // SAFETY: each method touches exactly the memory it names; callers promise AVX-512 F+BW.
    unsafe impl UnpackOps for Avx512 {
        type R = __m512i;
        type Shl = __m512i;

        #[inline(always)]
        unsafe fn ld(ptr: *const u8) -> __m512i {
            // SAFETY: 64 readable bytes at `ptr` (caller).
            unsafe { _mm512_loadu_si512(ptr.cast()) }
        }

        #[inline(always)]
        unsafe fn ld_quads(ptr: *const u8, half: usize, whole: usize) -> __m512i {
            // SAFETY: 16 readable bytes at each of the four lane addresses (caller).
            unsafe {
                let lane = |at: usize| _mm_loadu_si128(ptr.add(at).cast());
                let r = _mm512_castsi128_si512(lane(0));
                let r = _mm512_inserti32x4::<1>(r, lane(half));
                let r = _mm512_inserti32x4::<2>(r, lane(whole));
                _mm512_inserti32x4::<3>(r, lane(whole + half))
            }
        }

        #[inline(always)]
        unsafe fn st(r: __m512i, ptr: *mut u8) {
            // SAFETY: 64 writable bytes at `ptr` (caller).
            unsafe { _mm512_storeu_si512(ptr.cast(), r) }
        }

        #[inline(always)]
        unsafe fn shuffle(r: __m512i, idx: __m512i) -> __m512i {
            // SAFETY: AVX-512 BW (caller).
            unsafe { _mm512_shuffle_epi8(r, idx) }
        }

        #[inline(always)]
        unsafe fn shl_operand(counts: *const u32) -> __m512i {
            // SAFETY: 16 readable counts at `counts` (caller).
            unsafe { _mm512_loadu_si512(counts.cast()) }
        }

        #[inline(always)]
        unsafe fn shl_by(r: __m512i, by: __m512i) -> __m512i {
            // SAFETY: AVX-512 F (caller).
            unsafe { _mm512_sllv_epi32(r, by) }
        }

        #[inline(always)]
        unsafe fn shr_n(r: __m512i, n: u32) -> __m512i {
            // SAFETY: AVX-512 F (caller).
            unsafe { _mm512_srl_epi32(r, _mm_cvtsi32_si128(n as i32)) }
        }

        #[inline(always)]
        unsafe fn or_r(a: __m512i, b: __m512i) -> __m512i {
            // SAFETY: AVX-512 F (caller).
            unsafe { _mm512_or_si512(a, b) }
        }

        #[inline(always)]
        unsafe fn and_r(a: __m512i, b: __m512i) -> __m512i {
            // SAFETY: AVX-512 F (caller).
            unsafe { _mm512_and_si512(a, b) }
        }
    }

    /// AVX2 unpack.
    ///
    /// # Safety
    /// The CPU must run the AVX2 tier.
    #[target_feature(enable = "avx2")]
    pub(crate) unsafe fn unpack_avx2(data: &[u8], bits: u32, dst: &mut [u32]) {
        // SAFETY: the caller promises AVX2, which this function enables.
        unsafe { super::unpack::<Avx2>(data, bits, dst) }
    }

    /// AVX-512 unpack.
    ///
    /// # Safety
    /// The CPU must run the AVX-512 tier.
    #[target_feature(enable = "avx2,avx512f,avx512bw,avx512vl")]
    pub(crate) unsafe fn unpack_avx512(data: &[u8], bits: u32, dst: &mut [u32]) {
        // SAFETY: the caller promises AVX-512 F+BW, which this function enables.
        unsafe { super::unpack::<Avx512>(data, bits, dst) }
    }
}

/// NEON primitives and entry point.
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) mod neon {
    use core::arch::aarch64::{
        int32x4_t, uint8x16_t, vandq_u8, vdupq_n_s32, vld1q_s32, vld1q_u8, vorrq_u8, vqtbl1q_u8,
        vreinterpretq_u8_u32, vreinterpretq_u32_u8, vshlq_u32, vst1q_u8,
    };

    use super::UnpackOps;
    use crate::vector::Neon;

    // SAFETY: each method touches exactly the memory it names; NEON is baseline.
    unsafe impl UnpackOps for Neon {
        type R = uint8x16_t;
        type Shl = int32x4_t;

        #[inline(always)]
        unsafe fn ld(ptr: *const u8) -> uint8x16_t {
            // SAFETY: 16 readable bytes at `ptr` (caller).
            unsafe { vld1q_u8(ptr) }
        }

        #[inline(always)]
        unsafe fn ld_quads(ptr: *const u8, _half: usize, _whole: usize) -> uint8x16_t {
            // SAFETY: one lane, at `ptr`, readable (caller).
            unsafe { vld1q_u8(ptr) }
        }

        #[inline(always)]
        unsafe fn st(r: uint8x16_t, ptr: *mut u8) {
            // SAFETY: 16 writable bytes at `ptr` (caller).
            unsafe { vst1q_u8(ptr, r) }
        }

        #[inline(always)]
        unsafe fn shuffle(r: uint8x16_t, idx: uint8x16_t) -> uint8x16_t {
            // SAFETY: NEON; `tbl` gives 0 for indices of 16 and above.
            unsafe { vqtbl1q_u8(r, idx) }
        }

        #[inline(always)]
        unsafe fn shl_operand(counts: *const u32) -> int32x4_t {
            // SAFETY: 4 readable counts at `counts` (caller); each is below 32.
            unsafe { vld1q_s32(counts.cast()) }
        }

        #[inline(always)]
        unsafe fn shl_by(r: uint8x16_t, by: int32x4_t) -> uint8x16_t {
            // SAFETY: NEON; `ushl` shifts each lane left by its (positive) count.
            unsafe { vreinterpretq_u8_u32(vshlq_u32(vreinterpretq_u32_u8(r), by)) }
        }

        #[inline(always)]
        unsafe fn shr_n(r: uint8x16_t, n: u32) -> uint8x16_t {
            // SAFETY: NEON; a negative `ushl` count shifts right.
            unsafe {
                let by = vdupq_n_s32(-(n as i32));
                vreinterpretq_u8_u32(vshlq_u32(vreinterpretq_u32_u8(r), by))
            }
        }

        #[inline(always)]
        unsafe fn or_r(a: uint8x16_t, b: uint8x16_t) -> uint8x16_t {
            // SAFETY: NEON.
            unsafe { vorrq_u8(a, b) }
        }

        #[inline(always)]
        unsafe fn and_r(a: uint8x16_t, b: uint8x16_t) -> uint8x16_t {
            // SAFETY: NEON.
            unsafe { vandq_u8(a, b) }
        }
    }

    /// NEON unpack.
    ///
    /// # Safety
    /// None: NEON is enabled at compile time; `unsafe` to share the dispatch signature.
    pub(crate) unsafe fn unpack_neon(data: &[u8], bits: u32, dst: &mut [u32]) {
        // SAFETY: this build targets NEON (cfg above).
        unsafe { super::unpack::<Neon>(data, bits, dst) }
    }
}

/// simd128 primitives and entry point.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) mod simd128 {
    use core::arch::wasm32::{
        i8x16_swizzle, i32x4_mul, u32x4, u32x4_shr, v128, v128_and, v128_load, v128_or, v128_store,
    };

    use super::UnpackOps;
    use crate::vector::Simd128;

    // SAFETY: each method touches exactly the memory it names; simd128 is enabled.
    unsafe impl UnpackOps for Simd128 {
        type R = v128;
        /// Powers of two: wasm has no per-lane shift, so a left shift is a multiply.
        type Shl = v128;

        #[inline(always)]
        unsafe fn ld(ptr: *const u8) -> v128 {
            // SAFETY: 16 readable bytes at `ptr` (caller).
            unsafe { v128_load(ptr.cast()) }
        }

        #[inline(always)]
        unsafe fn ld_quads(ptr: *const u8, _half: usize, _whole: usize) -> v128 {
            // SAFETY: one lane, at `ptr`, readable (caller).
            unsafe { v128_load(ptr.cast()) }
        }

        #[inline(always)]
        unsafe fn st(r: v128, ptr: *mut u8) {
            // SAFETY: 16 writable bytes at `ptr` (caller).
            unsafe { v128_store(ptr.cast(), r) }
        }

        #[inline(always)]
        unsafe fn shuffle(r: v128, idx: v128) -> v128 {
            // `swizzle` gives 0 for indices of 16 and above.
            i8x16_swizzle(r, idx)
        }

        #[inline(always)]
        unsafe fn shl_operand(counts: *const u32) -> v128 {
            // SAFETY: 4 readable counts at `counts` (caller); each is below 32.
            let c = |j: usize| 1u32 << unsafe { counts.add(j).read_unaligned() };
            u32x4(c(0), c(1), c(2), c(3))
        }

        #[inline(always)]
        unsafe fn shl_by(r: v128, by: v128) -> v128 {
            i32x4_mul(r, by)
        }

        #[inline(always)]
        unsafe fn shr_n(r: v128, n: u32) -> v128 {
            u32x4_shr(r, n)
        }

        #[inline(always)]
        unsafe fn or_r(a: v128, b: v128) -> v128 {
            v128_or(a, b)
        }

        #[inline(always)]
        unsafe fn and_r(a: v128, b: v128) -> v128 {
            v128_and(a, b)
        }
    }

    /// simd128 unpack.
    ///
    /// # Safety
    /// None: simd128 is enabled at compile time; `unsafe` to share the dispatch signature.
    pub(crate) unsafe fn unpack_simd128(data: &[u8], bits: u32, dst: &mut [u32]) {
        // SAFETY: this build targets simd128 (cfg above).
        unsafe { super::unpack::<Simd128>(data, bits, dst) }
    }
}
