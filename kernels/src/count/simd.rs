//! The vectorised count, written once over [`Vector`], and its per-ISA entry points.
//!
//! Each byte lane of an accumulator is a counter: comparing a block with the splatted needle
//! gives 0xFF (−1) where it matches, and subtracting that adds one. A counter can hold 255, so
//! after at most 255 blocks the accumulators are summed into a `u64` (SAD against zero or a
//! widening horizontal add) and restarted. Four accumulators keep four independent chains in
//! flight. The last partial vector is read overlapping the previous one, and the bytes
//! already counted are masked off, so no scalar tail runs once the input fills one vector.
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

use crate::vector::Vector;

/// Blocks of four vectors between two flushes: each counter gains at most one per block, so
/// 255 blocks cannot overflow a byte.
const FLUSH_EVERY: usize = 255;

/// 64 zero bytes then 64 `0xFF` bytes: the `BYTES` bytes at `64 - BYTES + r` keep exactly the
/// last `r` lanes of a vector.
static TAIL_MASK: [u8; 128] = {
    let mut mask = [0; 128];
    let mut i = 64;
    while i < 128 {
        mask[i] = 0xFF;
        i += 1;
    }
    mask
};

/// Number of bytes of `data` equal to `needle`, with vectors `V`.
///
/// # Safety
/// The CPU must support `V`'s instruction set.
#[inline(always)]
unsafe fn count_byte<V: Vector>(data: &[u8], needle: u8) -> u64 {
    let len = data.len();
    if len < V::BYTES {
        return data.iter().filter(|&&b| b == needle).count() as u64;
    }
    let start = data.as_ptr();
    let block = 4 * V::BYTES;
    // SAFETY: the caller promises `V`'s ISA (as for every vector operation below).
    let (needles, zero) = unsafe { (V::splat(needle), V::splat(0)) };
    let mut total = 0u64;
    let mut offset = 0;
    while len - offset >= block {
        let blocks = ((len - offset) / block).min(FLUSH_EVERY);
        let mut acc = [zero; 4];
        for _ in 0..blocks {
            // SAFETY: `blocks` whole blocks fit after `offset`, so the four loads read
            // `data[offset..offset + block]`; `V`'s ISA as above.
            unsafe {
                let p = start.add(offset);
                acc[0] = acc[0].count_eq(V::load(p), needles);
                acc[1] = acc[1].count_eq(V::load(p.add(V::BYTES)), needles);
                acc[2] = acc[2].count_eq(V::load(p.add(2 * V::BYTES)), needles);
                acc[3] = acc[3].count_eq(V::load(p.add(3 * V::BYTES)), needles);
            }
            offset += block;
        }
        // SAFETY: `V`'s ISA, as above.
        total += unsafe {
            acc[0].sum_bytes() + acc[1].sum_bytes() + acc[2].sum_bytes() + acc[3].sum_bytes()
        };
    }
    // At most three whole vectors and one partial one remain: one counter gains at most 4.
    let mut acc = zero;
    while len - offset >= V::BYTES {
        // SAFETY: `data[offset..offset + V::BYTES]` is in bounds; `V`'s ISA as above.
        acc = unsafe { acc.count_eq(V::load(start.add(offset)), needles) };
        offset += V::BYTES;
    }
    let rest = len - offset;
    if rest > 0 {
        // SAFETY: `len >= V::BYTES`, so the last vector `data[len - V::BYTES..]` is in bounds;
        // `rest < V::BYTES <= 64` keeps the mask read inside `TAIL_MASK[rest..64 + rest]`
        // (trait contract: `BYTES <= 64`). The mask keeps the last `rest` lanes, which are the
        // bytes not yet counted. `V`'s ISA as above.
        acc = unsafe {
            let last = V::load(start.add(len - V::BYTES));
            let mask = V::load(TAIL_MASK.as_ptr().add(64 - V::BYTES + rest));
            acc.sub(last.cmpeq(needles).and(mask))
        };
    }
    // SAFETY: `V`'s ISA, as above.
    total + unsafe { acc.sum_bytes() }
}

/// Per-ISA entry points: each enables its target features and instantiates [`count_byte`].
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86 {
    use crate::vector::{Avx2, Avx512, Sse2};

    /// SSE2 count.
    ///
    /// # Safety
    /// None on x86_64 (SSE2 is baseline); `unsafe` to share the dispatch signature.
    #[target_feature(enable = "sse2")]
    pub(crate) unsafe fn count_byte_sse2(data: &[u8], needle: u8) -> u64 {
        // SAFETY: SSE2 is enabled for this function.
        unsafe { super::count_byte::<Sse2>(data, needle) }
    }

    /// AVX2 count.
    ///
    /// # Safety
    /// The CPU must support AVX2.
    #[target_feature(enable = "avx2")]
    pub(crate) unsafe fn count_byte_avx2(data: &[u8], needle: u8) -> u64 {
        // SAFETY: the caller promises AVX2, which this function enables.
        unsafe { super::count_byte::<Avx2>(data, needle) }
    }

    /// AVX-512 count (F+BW, 512-bit vectors).
    ///
    /// # Safety
    /// The CPU must support AVX-512 F, BW and VL.
    #[target_feature(enable = "avx2,avx512f,avx512bw,avx512vl")]
    pub(crate) unsafe fn count_byte_avx512(data: &[u8], needle: u8) -> u64 {
        // SAFETY: the caller promises AVX-512 F+BW, which this function enables.
        unsafe { super::count_byte::<Avx512>(data, needle) }
    }
}

/// NEON count.
///
/// # Safety
/// None: NEON is enabled at compile time; `unsafe` to share the dispatch signature.
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) unsafe fn count_byte_neon(data: &[u8], needle: u8) -> u64 {
    // SAFETY: this build targets NEON (cfg above).
    unsafe { count_byte::<crate::vector::Neon>(data, needle) }
}

/// simd128 count.
///
/// # Safety
/// None: simd128 is enabled at compile time; `unsafe` to share the dispatch signature.
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) unsafe fn count_byte_simd128(data: &[u8], needle: u8) -> u64 {
    // SAFETY: this build targets simd128 (cfg above).
    unsafe { count_byte::<crate::vector::Simd128>(data, needle) }
}
