//! The primitives the hex and base64 algorithms (`hex/simd.rs`, `base64/simd.rs`) need beyond
//! [`Vector`]; each file here says how one instruction set spells them.
//!
//! [`TextOps`] and [`HexOps`] exist on every tier. [`Base64Ops`] needs a byte table lookup
//! and a byte shuffle, which SSE2 lacks (`pshufb` is SSSE3), so it is not implemented for SSE2
//! and base64 runs the scalar code on that tier.
//!
//! Everything works on 128-bit lanes independently, except the few primitives that say
//! otherwise ([`HexOps::load_spread`], [`HexOps::store_zipped`], [`HexOps::pack_nibbles`],
//! [`Base64Ops::load_triples`], [`Base64Ops::store_triples`]), which move bytes between lanes
//! and memory order.
//!
//! The vector types keep their registers private to `crate::vector`, so each file moves a
//! vector into its raw register type and back through a one-vector stack buffer; LLVM removes
//! the buffer in optimised builds.
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

/// Byte-wise arithmetic shared by both codecs.
///
/// # Safety
/// As for [`Vector`]: every method may only run on a CPU with the implementor's instruction
/// set, and touches no memory.
pub(crate) unsafe trait TextOps: Vector {
    /// Bitwise or.
    unsafe fn or(self, other: Self) -> Self;

    /// `self & !other`.
    unsafe fn and_not(self, other: Self) -> Self;

    /// Byte-wise wrapping addition.
    unsafe fn add(self, other: Self) -> Self;

    /// `0xFF` where byte `self > other` as signed bytes, else `0`.
    unsafe fn gt_i8(self, other: Self) -> Self;

    /// Each byte's high nibble, `b >> 4`.
    unsafe fn high_nibbles(self) -> Self;

    /// Whether any bit is set.
    unsafe fn any(self) -> bool;
}

/// The hex primitives.
///
/// # Safety
/// As [`TextOps`]; the stores write exactly the bytes they name.
pub(crate) unsafe trait HexOps: TextOps {
    /// The hex digit of each byte of `self` (all `0..16`): `digits[n]`, where `digits` holds
    /// the 16 digits in every lane and `letter_gap` is `splat(digit for 10 - b'9' - 1)`. ISAs
    /// with a table lookup use `digits`; the default computes `b'0' + n`, plus `letter_gap`
    /// for `n > 9`.
    #[inline(always)]
    unsafe fn hex_digits(self, digits: Self, letter_gap: Self) -> Self {
        let _ = digits;
        // SAFETY: same ISA, forwarded from the caller.
        unsafe {
            let letters = self.gt_i8(Self::splat(9)).and(letter_gap);
            self.add(Self::splat(b'0')).add(letters)
        }
    }

    /// Loads the `BYTES` bytes at `ptr` so that [`HexOps::store_zipped`] writes them back in
    /// order: lane `l` holds the 8 bytes at `ptr + 8 * l` in its low half and the 8 bytes at
    /// `ptr + BYTES / 2 + 8 * l` in its high half (a plain load for one lane).
    unsafe fn load_spread(ptr: *const u8) -> Self;

    /// Stores `2 * BYTES` bytes at `ptr`: the low halves of every lane of `self` and `other`
    /// interleaved (`self[0], other[0], self[1], other[1], …`, lane after lane), then the high
    /// halves. After [`HexOps::load_spread`], that is the interleave of the loaded bytes in
    /// memory order.
    unsafe fn store_zipped(self, other: Self, ptr: *mut u8);

    /// For the `2 * BYTES` nibbles `n = self ‖ other` (each byte `0..16`, memory order), the
    /// `BYTES` bytes `n[2i] << 4 | n[2i + 1]`, in memory order.
    unsafe fn pack_nibbles(self, other: Self) -> Self;
}

/// The base64 primitives: a 16-entry table lookup and the 3-byte ↔ 4-sextet reshuffles.
///
/// # Safety
/// As [`TextOps`]; loads and stores touch exactly the bytes they name.
pub(crate) unsafe trait Base64Ops: TextOps {
    /// Byte `i` of each lane becomes `self[idx[i]]` (the same lane of `self`, the table) when
    /// `idx[i] < 16`, and 0 when `idx[i]` has its top bit set; other indices are unspecified.
    unsafe fn lookup(self, idx: Self) -> Self;

    /// Byte-wise unsigned saturating subtraction.
    unsafe fn sub_sat(self, other: Self) -> Self;

    /// Lane `l` holds the 12 bytes `ptr + 12 * l ..` in its bytes `0..12` (the rest is
    /// unspecified). Reads the `BYTES` bytes at `ptr`.
    unsafe fn load_triples(ptr: *const u8) -> Self;

    /// Constants of the reshuffles that must stay opaque to the optimiser, made once per call
    /// by [`Base64Ops::keys`]: LLVM rewrites some multiplies and constant-index lookups into
    /// worse sequences (the ISA files say which), and cannot when it does not know the values.
    type Keys: Copy;

    /// The [`Base64Ops::Keys`], read where the optimiser cannot see them.
    unsafe fn keys() -> Self::Keys;

    /// The 16 sextets of the 12 bytes at the start of each lane, most significant first:
    /// bytes `b0 b1 b2` become `b0 >> 2`, `(b0 & 3) << 4 | b1 >> 4`, `(b1 & 15) << 2 |
    /// b2 >> 6`, `b2 & 63`.
    unsafe fn split_sextets(self, keys: Self::Keys) -> Self;

    /// The inverse of [`Base64Ops::split_sextets`]: the 16 sextets of each lane (all `0..64`)
    /// become 12 bytes at the start of the lane; the lane's last 4 bytes are unspecified.
    unsafe fn join_sextets(self, keys: Self::Keys) -> Self;

    /// Stores the first 12 bytes of every lane to `ptr + 12 * l`; writes the `BYTES` bytes at
    /// `ptr`, of which the last `4 * LANES` are unspecified.
    unsafe fn store_triples(self, ptr: *mut u8);
}
