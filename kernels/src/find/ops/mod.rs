//! The primitives the search kernels need beyond [`Vector`]: or, xor, a bit mask of the bytes'
//! top bits, and (where the ISA has a byte table lookup) a 16-entry lookup and a high-nibble
//! extraction. The algorithms in `find/simd.rs` and `utf8/simd.rs` use only these and
//! [`Vector`]'s; each file here says how one instruction set spells them.
//!
//! The vector types keep their registers private to `crate::vector`, so each file moves a
//! vector into its raw register type and back through a stack buffer (`Raw`). The buffer is
//! a local array written and read once with the same width: LLVM removes it (checked in the
//! generated assembly), so the bridge costs nothing in optimised builds.
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
mod neon;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128;
#[cfg(target_arch = "x86_64")]
mod x86;

use crate::vector::Vector;

/// Search primitives on top of [`Vector`].
///
/// # Safety
/// Implementors promise that [`ScanOps::msb_mask`] sets only bits `i << MASK_SHIFT` for byte
/// positions `i < BYTES` (the algorithms turn its trailing zeros into in-bounds offsets). As
/// for [`Vector`], every method may only run on a CPU with the implementor's instruction set.
pub(crate) unsafe trait ScanOps: Vector {
    /// `msb_mask` flags byte `i` with bit `i << MASK_SHIFT`: 0 where the ISA has a byte
    /// movemask, 2 on NEON (four mask bits per byte, of which the top one is kept).
    const MASK_SHIFT: u32;

    /// Bitwise or.
    unsafe fn or(self, other: Self) -> Self;

    /// Bitwise exclusive or.
    unsafe fn xor(self, other: Self) -> Self;

    /// Bit `i << MASK_SHIFT` set exactly when byte `i` has its top bit set; no other bits.
    unsafe fn msb_mask(self) -> u64;

    /// Whether any byte has its top bit set (`msb_mask() != 0`, maybe cheaper).
    #[inline(always)]
    unsafe fn any_msb(self) -> bool {
        // SAFETY: same ISA, forwarded from the caller.
        unsafe { self.msb_mask() != 0 }
    }
}

/// A 16-entry byte table lookup, for ISAs that have one (all but SSE2).
///
/// # Safety
/// As [`ScanOps`].
pub(crate) unsafe trait NibbleOps: ScanOps {
    /// Byte `i` of each 128-bit lane becomes `self[idx[i]]` (the same lane of `self`) when
    /// `idx[i] < 16`, and 0 when `idx[i]` has its top bit set; other indices are unspecified
    /// (x86 `pshufb` and NEON `tbl`/wasm `swizzle` differ there, and no caller uses them).
    unsafe fn lookup(self, idx: Self) -> Self;

    /// Each byte's high nibble, `0..=15`.
    unsafe fn high_nibble(self) -> Self;
}
