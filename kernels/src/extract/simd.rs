//! Field extraction with a byte shuffle for small records, written once over
//! [`GatherVector`], and the per-ISA entry points.
//!
//! # Small records: one shuffle per 16 bytes
//! When `k = 16 / record_size` is at least 2 (records of 2 to 8 bytes), one 16-byte load
//! holds `k` whole records, and one byte shuffle (`pshufb`, `tbl`, `i8x16.swizzle`) packs
//! their fields into its first `k * width` bytes. The 16-byte store that follows writes
//! junk past those bytes, which the next block's store (or the plain copies after the last
//! block) overwrites; blocks are issued only while that store stays inside the output, so
//! no byte past the fields is ever written. Only 128-bit shuffles are used, on AVX2 and
//! AVX-512 too: with fields of a few bytes, moving lanes together would cost more than the
//! stores it saves.
//!
//! # Everything else
//! Records the shuffle does not cover, wider records, and the SSE2 tier (which has no byte
//! shuffle: its only vector-wide moves are shifts, and the plain copies of
//! [`super::copy`] beat a shift-and-pack sequence per layout) use fixed-size copies per
//! record.
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

use super::copy::copy_records;

/// A 16-byte vector with a byte shuffle.
///
/// # Safety
/// Implementors promise that `load` and `store` touch exactly 16 bytes at the pointer. Every
/// method is `unsafe` because it may only run on a CPU that has the implementor's
/// instruction set; callers promise that, and the validity of the pointers they pass.
pub(crate) unsafe trait GatherVector: Copy {
    /// Loads 16 bytes from `ptr` (no alignment needed).
    unsafe fn load(ptr: *const u8) -> Self;

    /// Stores 16 bytes to `ptr` (no alignment needed).
    unsafe fn store(self, ptr: *mut u8);

    /// Byte `i` of the result is byte `index[i]` of `self` when `index[i] < 16`, and zero
    /// when `index[i] >= 0x80`.
    unsafe fn gather(self, index: Self) -> Self;
}

/// The shuffle index that packs the fields of `16 / record_size` records: output byte
/// `r * width + j` takes input byte `r * record_size + offset + j`; the rest select zero.
fn gather_index(record_size: usize, offset: usize, width: usize) -> [u8; 16] {
    let mut index = [0x80u8; 16];
    // `max(1)`s: no panic site (the native blobs refuse any); the caller's record_size is in
    // 2..=8 and width at least 1.
    let width = width.max(1);
    let k = 16 / record_size.max(1);
    for (p, slot) in index.iter_mut().enumerate().take(k * width) {
        *slot = ((p / width) * record_size + offset + p % width) as u8;
    }
    index
}

/// Extracts with vectors `V`: the shuffle for small records, then plain copies.
///
/// # Safety
/// The CPU must support `V`'s instruction set; the [`super::ExtractFn`] contract.
#[inline(always)]
unsafe fn extract<V: GatherVector>(
    src: &[u8],
    record_size: usize,
    offset: usize,
    width: usize,
    dst: &mut [u8],
) {
    let done = if (2..=8).contains(&record_size) && width < record_size {
        // SAFETY: `V`'s ISA and the contract, promised by the caller; `record_size` in 2..=8.
        unsafe { gather::<V>(src, record_size, offset, width, dst) }
    } else {
        0
    };
    // SAFETY: the contract, promised by the caller; `done <= n`.
    unsafe { copy_records(src, record_size, offset, width, done, dst) }
}

/// Extracts the fields of the leading records by 16-byte shuffles; returns how many records
/// it did (a multiple of `16 / record_size`).
///
/// # Safety
/// The CPU must support `V`'s instruction set; the [`super::ExtractFn`] contract; and
/// `2 <= record_size <= 8`.
#[inline(always)]
unsafe fn gather<V: GatherVector>(
    src: &[u8],
    record_size: usize,
    offset: usize,
    width: usize,
    dst: &mut [u8],
) -> usize {
    // `max(1)`s: no panic site (the native blobs refuse any); with the caller's record_size
    // in 2..=8 and width at least 1 they change nothing.
    let k = 16 / record_size.max(1);
    let (len, out_len) = (src.len(), src.len() / record_size.max(1) * width);
    let (step_in, step_out) = ((k * record_size).max(1), (k * width).max(1));
    let index = gather_index(record_size, offset, width);
    // Block `b` loads `src[b step_in..+16]` and stores `dst[b step_out..+16]`: blocks are
    // issued while both stay inside `len` and `out_len`.
    let blocks = if len >= 16 && out_len >= 16 {
        ((len - 16) / step_in + 1).min((out_len - 16) / step_out + 1)
    } else {
        0
    };
    let (mut s, mut d) = (src.as_ptr(), dst.as_mut_ptr());
    // SAFETY: `V`'s ISA as promised; `index` is 16 readable bytes.
    let index = unsafe { V::load(index.as_ptr()) };
    for _ in 0..blocks / 4 {
        // SAFETY: `s` and `d` are at block `b`, and blocks `b..b + 4` are below `blocks`, so
        // their loads and stores are in bounds (see above); `V`'s ISA as promised.
        unsafe {
            let x0 = V::load(s);
            let x1 = V::load(s.add(step_in));
            let x2 = V::load(s.add(2 * step_in));
            let x3 = V::load(s.add(3 * step_in));
            x0.gather(index).store(d);
            x1.gather(index).store(d.add(step_out));
            x2.gather(index).store(d.add(2 * step_out));
            x3.gather(index).store(d.add(3 * step_out));
        }
        // The next block (out of bounds, unused, after the last one).
        s = s.wrapping_add(4 * step_in);
        d = d.wrapping_add(4 * step_out);
    }
    for _ in 0..blocks % 4 {
        // SAFETY: as above, for one block.
        unsafe { V::load(s).gather(index).store(d) };
        s = s.wrapping_add(step_in);
        d = d.wrapping_add(step_out);
    }
    blocks * k
}

/// Defines an extraction entry point for one vector type and target feature.
macro_rules! entry {
    ($vector:ty, $name:ident, $(#[$attr:meta])* $doc:literal) => {
        #[doc = concat!($doc, " field extraction.")]
        ///
        /// # Safety
        /// The CPU must support the instruction set named above (the dispatch contract); the
        /// [`super::ExtractFn`] contract.
        $(#[$attr])*
        pub(crate) unsafe fn $name(
            src: &[u8],
            record_size: usize,
            offset: usize,
            width: usize,
            dst: &mut [u8],
        ) {
            // SAFETY: the caller promises the instruction set (enabled on this function) and
            // the argument contract.
            unsafe { extract::<$vector>(src, record_size, offset, width, dst) }
        }
    };
}

/// SSE2 field extraction: no byte shuffle on this tier, so fixed-size copies per record.
///
/// # Safety
/// The [`super::ExtractFn`] contract.
#[cfg(target_arch = "x86_64")]
pub(crate) unsafe fn extract_sse2(
    src: &[u8],
    record_size: usize,
    offset: usize,
    width: usize,
    dst: &mut [u8],
) {
    // SAFETY: the contract, promised by the caller; starting at record 0.
    unsafe { copy_records(src, record_size, offset, width, 0, dst) }
}

#[cfg(target_arch = "x86_64")]
entry!(
    super::vector::Pshufb,
    extract_avx2,
    #[target_feature(enable = "avx2")]
    "AVX2"
);
#[cfg(target_arch = "x86_64")]
entry!(
    super::vector::Pshufb,
    extract_avx512,
    #[target_feature(enable = "avx2,avx512f,avx512bw,avx512vl")]
    "AVX-512 (F+BW)"
);
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
entry!(super::vector::Neon, extract_neon, "NEON (compile-time)");
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
entry!(
    super::vector::Simd128,
    extract_simd128,
    "simd128 (compile-time)"
);
