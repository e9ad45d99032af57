//! A small vector abstraction: the primitives the count and shuffle algorithms need.
//!
//! The algorithms (`count/simd.rs`, `shuffle/simd.rs`) are written once against [`Vector`];
//! each file here only says how one instruction set spells a primitive. Every primitive is
//! `#[inline(always)]`, so it inlines into the per-ISA entry function that carries
//! `#[target_feature]`, and the instructions are emitted with that function's features.
//!
//! Vectors are made of 128-bit lanes because the byte interleaves (`unpack`/`zip`) of AVX2 and
//! AVX-512 work inside each 128-bit lane: an algorithm that treats the lanes as independent
//! 16-byte problems runs unchanged on every width.
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

#[cfg(target_arch = "x86_64")]
mod avx2;
#[cfg(target_arch = "x86_64")]
mod avx512;
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
mod neon;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
mod simd128;
#[cfg(target_arch = "x86_64")]
mod sse2;

#[cfg(target_arch = "x86_64")]
pub(crate) use avx2::Avx2;
#[cfg(target_arch = "x86_64")]
pub(crate) use avx512::Avx512;
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) use neon::Neon;
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) use simd128::Simd128;
#[cfg(target_arch = "x86_64")]
pub(crate) use sse2::Sse2;

/// A vector of [`Vector::BYTES`] bytes, made of [`Vector::LANES`] 128-bit lanes.
///
/// # Safety
/// Implementors promise that `BYTES == 16 * LANES`, `1 <= LANES <= 4`, and that every method
/// touches exactly the memory its documentation names (the algorithms' bounds rely on it).
/// Every method is `unsafe` because it may only run on a CPU that has the implementor's
/// instruction set; callers promise that, and the validity of the pointers they pass.
pub(crate) unsafe trait Vector: Copy {
    /// Width in bytes.
    const BYTES: usize;
    /// Number of 128-bit lanes.
    const LANES: usize;

    /// Every byte set to `byte`.
    unsafe fn splat(byte: u8) -> Self;

    /// Loads `BYTES` bytes from `ptr` (no alignment needed).
    unsafe fn load(ptr: *const u8) -> Self;

    /// Stores `BYTES` bytes to `ptr` (no alignment needed).
    unsafe fn store(self, ptr: *mut u8);

    /// Loads lane `l` from the 16 bytes at `ptr + l * stride`, for each lane.
    unsafe fn load_lanes(ptr: *const u8, stride: usize) -> Self;

    /// Stores lane `l` to the 16 bytes at `ptr + l * stride`, for each lane.
    unsafe fn store_lanes(self, ptr: *mut u8, stride: usize);

    /// `0xFF` in each byte where `self` equals `other`, else `0`.
    unsafe fn cmpeq(self, other: Self) -> Self;

    /// Bitwise and.
    unsafe fn and(self, other: Self) -> Self;

    /// Byte-wise wrapping subtraction.
    unsafe fn sub(self, other: Self) -> Self;

    /// Adds 1 (wrapping) to each byte counter of `self` where `data` equals `needle`.
    ///
    /// The default subtracts the all-ones compare result; an ISA with compare-into-mask and
    /// masked add overrides it.
    #[inline(always)]
    unsafe fn count_eq(self, data: Self, needle: Self) -> Self {
        // SAFETY: same ISA, forwarded from the caller.
        unsafe { self.sub(data.cmpeq(needle)) }
    }

    /// Sum of all bytes, as unsigned numbers.
    unsafe fn sum_bytes(self) -> u64;

    /// Interleaves the low halves of each lane: `[a0 b0 a1 b1 … a7 b7]` per lane.
    unsafe fn zip_lo(self, other: Self) -> Self;

    /// Interleaves the high halves of each lane: `[a8 b8 a9 b9 … a15 b15]` per lane.
    unsafe fn zip_hi(self, other: Self) -> Self;
}
