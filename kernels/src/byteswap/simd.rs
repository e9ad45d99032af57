//! The vectorised byte swap, written once over [`SwapVector`], and its per-ISA entry points.
//!
//! Vector widths are multiples of every element width, so whole vectors hold whole elements:
//! each vector is loaded, has every element's bytes reversed in register (one byte shuffle
//! where the ISA has one; shifts and word shuffles on SSE2; `rev16/32/64` on NEON) and is
//! stored. The last vector is moved back to end at the last whole element, rewriting a few
//! bytes with the same values, so no scalar loop runs once the input fills one vector. In
//! place, that last vector is loaded before anything is stored and stored after the rest, so
//! it swaps the original bytes, not ones already swapped.
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

use super::scalar;

/// A vector of [`SwapVector::BYTES`] bytes with the one operation the byte swap needs.
///
/// # Safety
/// Implementors promise that `BYTES` is 16, 32 or 64 and that `load` and `store` touch
/// exactly `BYTES` bytes at the pointer. Every method is `unsafe` because it may only run on
/// a CPU that has the implementor's instruction set; callers promise that, and the validity
/// of the pointers they pass.
pub(crate) unsafe trait SwapVector: Copy {
    /// Width in bytes.
    const BYTES: usize;

    /// Loads `BYTES` bytes from `ptr` (no alignment needed).
    unsafe fn load(ptr: *const u8) -> Self;

    /// Stores `BYTES` bytes to `ptr` (no alignment needed).
    unsafe fn store(self, ptr: *mut u8);

    /// What [`SwapVector::swap`] needs besides the instructions, made once per call: `()`
    /// where the shuffle index is a constant the compiler keeps.
    type Control: Copy;

    /// The [`SwapVector::Control`] for `W`-byte elements.
    unsafe fn control<const W: usize>() -> Self::Control;

    /// Reverses the bytes of every `W`-byte element (`W` in {2, 4, 8}; `control` made for
    /// `W`).
    unsafe fn swap<const W: usize>(self, control: Self::Control) -> Self;
}

/// Byte `i` of a 16-byte lane after reversing `w`-byte elements comes from byte
/// `reversed(w)[i]`.
#[cfg(any(
    target_arch = "x86_64",
    all(target_arch = "wasm32", target_feature = "simd128")
))]
pub(crate) const fn reversed(w: usize) -> [u8; 16] {
    let mut index = [0u8; 16];
    let mut i = 0;
    while i < 16 {
        index[i] = (i / w * w + (w - 1 - i % w)) as u8;
        i += 1;
    }
    index
}

/// Swaps `src` into `dst` with vectors `V`.
///
/// # Safety
/// The CPU must support `V`'s instruction set; `dst.len() == src.len()` and `width` in
/// {2, 4, 8} (the [`super::ByteswapFn`] contract).
#[inline(always)]
unsafe fn byteswap<V: SwapVector>(src: &[u8], width: usize, dst: &mut [u8]) {
    // SAFETY: `V`'s ISA and the equal lengths are promised by the caller.
    let body = unsafe {
        match width {
            2 => swap_elements::<V, 2>(src, dst),
            4 => swap_elements::<V, 4>(src, dst),
            _ => swap_elements::<V, 8>(src, dst),
        }
    };
    // The tail (under 8 bytes) as a zip: no division by a width LLVM cannot see is non-zero,
    // and no length check that could panic.
    for (d, s) in dst.iter_mut().zip(src).skip(body) {
        *d = *s;
    }
}

/// Swaps the whole `W`-byte elements of `src` into `dst`; returns their length in bytes.
///
/// # Safety
/// The CPU must support `V`'s instruction set; `dst.len() == src.len()`.
#[inline(always)]
unsafe fn swap_elements<V: SwapVector, const W: usize>(src: &[u8], dst: &mut [u8]) -> usize {
    let body = src.len() / W * W;
    if body < V::BYTES {
        // `get`: both hold `body` bytes; stated without a panic path.
        if let (Some(s), Some(d)) = (src.get(..body), dst.get_mut(..body)) {
            scalar::swap_w::<W>(s, d);
        }
        return body;
    }
    let (s, d) = (src.as_ptr(), dst.as_mut_ptr());
    // SAFETY: `V`'s ISA, promised by the caller.
    let c = unsafe { V::control::<W>() };
    let mut i = 0;
    while i + 4 * V::BYTES <= body {
        // SAFETY: `V`'s ISA as promised; the four vectors are `src[i..i + 4 BYTES]` and the
        // same range of `dst`, inside `body <= len` for both. They start at multiples of
        // `BYTES`, itself a multiple of `W`, so they hold whole elements.
        unsafe {
            let x0 = V::load(s.add(i));
            let x1 = V::load(s.add(i + V::BYTES));
            let x2 = V::load(s.add(i + 2 * V::BYTES));
            let x3 = V::load(s.add(i + 3 * V::BYTES));
            x0.swap::<W>(c).store(d.add(i));
            x1.swap::<W>(c).store(d.add(i + V::BYTES));
            x2.swap::<W>(c).store(d.add(i + 2 * V::BYTES));
            x3.swap::<W>(c).store(d.add(i + 3 * V::BYTES));
        }
        i += 4 * V::BYTES;
    }
    while i + V::BYTES <= body {
        // SAFETY: as above, for one vector.
        unsafe { V::load(s.add(i)).swap::<W>(c).store(d.add(i)) };
        i += V::BYTES;
    }
    if i < body {
        // The last vector, moved back to end at `body`; `body >= BYTES`, and `body - BYTES`
        // is a multiple of `W` (both are), so it holds whole elements and rewrites the
        // overlap with the values it already has.
        let j = body - V::BYTES;
        // SAFETY: `src[j..body]` and `dst[j..body]` are in bounds; `V`'s ISA as promised.
        unsafe { V::load(s.add(j)).swap::<W>(c).store(d.add(j)) };
    }
    body
}

/// Swaps `buf` in place with vectors `V`.
///
/// # Safety
/// The CPU must support `V`'s instruction set; `width` in {2, 4, 8} (the
/// [`super::ByteswapInPlaceFn`] contract).
#[inline(always)]
unsafe fn byteswap_in_place<V: SwapVector>(buf: &mut [u8], width: usize) {
    // SAFETY: `V`'s ISA is promised by the caller.
    unsafe {
        match width {
            2 => swap_in_place::<V, 2>(buf),
            4 => swap_in_place::<V, 4>(buf),
            _ => swap_in_place::<V, 8>(buf),
        }
    }
}

/// Swaps the whole `W`-byte elements of `buf` in place.
///
/// # Safety
/// The CPU must support `V`'s instruction set.
#[inline(always)]
unsafe fn swap_in_place<V: SwapVector, const W: usize>(buf: &mut [u8]) {
    let body = buf.len() / W * W;
    if body < V::BYTES {
        if let Some(b) = buf.get_mut(..body) {
            scalar::swap_in_place_w::<W>(b);
        }
        return;
    }
    let p = buf.as_mut_ptr();
    // SAFETY: `V`'s ISA, promised by the caller.
    let c = unsafe { V::control::<W>() };
    // The last vector ends at `body` and may overlap the ones before it: loaded now, from the
    // original bytes, and stored after them. `body - BYTES` is a multiple of `W`.
    let last = body - V::BYTES;
    // SAFETY: `buf[last..body]` is in bounds (`body >= BYTES`); `V`'s ISA as promised.
    let tail = unsafe { V::load(p.add(last)).swap::<W>(c) };
    let mut i = 0;
    while i + 4 * V::BYTES <= body {
        // SAFETY: `V`'s ISA as promised; the four vectors are `buf[i..i + 4 BYTES]`, inside
        // `body`, all loaded before any is stored; they hold whole elements (see
        // `swap_elements`).
        unsafe {
            let x0 = V::load(p.add(i));
            let x1 = V::load(p.add(i + V::BYTES));
            let x2 = V::load(p.add(i + 2 * V::BYTES));
            let x3 = V::load(p.add(i + 3 * V::BYTES));
            x0.swap::<W>(c).store(p.add(i));
            x1.swap::<W>(c).store(p.add(i + V::BYTES));
            x2.swap::<W>(c).store(p.add(i + 2 * V::BYTES));
            x3.swap::<W>(c).store(p.add(i + 3 * V::BYTES));
        }
        i += 4 * V::BYTES;
    }
    while i + V::BYTES <= body {
        // SAFETY: as above, for one vector.
        unsafe { V::load(p.add(i)).swap::<W>(c).store(p.add(i)) };
        i += V::BYTES;
    }
    // SAFETY: `buf[last..body]` is in bounds; storing the swap of its original bytes rewrites
    // any part the loop swapped with the same values.
    unsafe { tail.store(p.add(last)) };
}

/// Defines a byte swap entry point for one vector type and target feature.
macro_rules! entry {
    ($vector:ty, $name:ident, $in_place:ident, $(#[$attr:meta])* $doc:literal) => {
        #[doc = concat!($doc, " byte swap.")]
        ///
        /// # Safety
        /// The CPU must support the instruction set named above (the dispatch contract);
        /// `dst.len() == src.len()` and `width` in {2, 4, 8}.
        $(#[$attr])*
        pub(crate) unsafe fn $name(src: &[u8], width: usize, dst: &mut [u8]) {
            // SAFETY: the caller promises the instruction set (enabled on this function) and
            // the argument contract.
            unsafe { byteswap::<$vector>(src, width, dst) }
        }

        #[doc = concat!($doc, " byte swap in place.")]
        ///
        /// # Safety
        /// The CPU must support the instruction set named above (the dispatch contract);
        /// `width` in {2, 4, 8}.
        $(#[$attr])*
        pub(crate) unsafe fn $in_place(buf: &mut [u8], width: usize) {
            // SAFETY: the caller promises the instruction set (enabled on this function) and
            // the width.
            unsafe { byteswap_in_place::<$vector>(buf, width) }
        }
    };
}

#[cfg(target_arch = "x86_64")]
entry!(
    super::vector::Sse2,
    byteswap_sse2,
    byteswap_in_place_sse2,
    #[target_feature(enable = "sse2")]
    "SSE2"
);
#[cfg(target_arch = "x86_64")]
entry!(
    super::vector::Avx2,
    byteswap_avx2,
    byteswap_in_place_avx2,
    #[target_feature(enable = "avx2")]
    "AVX2"
);
#[cfg(target_arch = "x86_64")]
entry!(
    super::vector::Avx512,
    byteswap_avx512,
    byteswap_in_place_avx512,
    #[target_feature(enable = "avx2,avx512f,avx512bw,avx512vl")]
    "AVX-512 (F+BW)"
);
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
entry!(
    super::vector::Neon,
    byteswap_neon,
    byteswap_in_place_neon,
    "NEON (compile-time)"
);
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
entry!(
    super::vector::Simd128,
    byteswap_simd128,
    byteswap_in_place_simd128,
    "simd128 (compile-time)"
);
