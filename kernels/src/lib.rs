//! SIMD kernels for binary data, each with a scalar reference.
//!
//! Every kernel has one portable scalar implementation (the oracle for every test) and vector
//! implementations for x86_64 (SSE2, AVX2, AVX-512 — chosen at run time, once), aarch64 NEON
//! and wasm32 simd128 (chosen at compile time). The free functions take the best path for the
//! CPU; [`Kernels`] runs one chosen tier, for tests and comparisons.
//!
//! Semantics are the contract in `wit/kernels.wit`: multi-byte values are little-endian, bad
//! parameters are [`KernelError::InvalidArgument`], and no function panics on any input.
//!
//! ```
//! assert_eq!(binpipe_kernels::crc32c(b"123456789", 0), 0xE306_9283);
//! assert_eq!(binpipe_kernels::count_byte(b"a,b,c", b','), 2);
//! let mut out = [0u8; 8];
//! binpipe_kernels::shuffle_into(&[1, 2, 3, 4, 5, 6, 7, 8], 2, &mut out).unwrap();
//! assert_eq!(out, [1, 3, 5, 7, 2, 4, 6, 8]);
//! ```
#![no_std]

#[cfg(feature = "alloc")]
extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

mod count;
mod crc32c;
mod dispatch;
mod error;
mod isa;
mod kernels;
mod params;
mod prefer;
mod shuffle;
mod vector;

// The suite's kernels, one module each; every module's public items are the crate's.
mod base64;
mod bitpack;
mod byteswap;
mod chain;
mod column;
mod crc32;
mod delta;
mod extract;
mod find;
mod hex;
mod utf8;
mod varint;
mod xxh3;

pub use base64::*;
pub use bitpack::*;
pub use byteswap::*;
pub use chain::*;
pub use column::*;
pub use crc32::*;
pub use delta::*;
pub use error::KernelError;
pub use extract::*;
pub use find::*;
pub use hex::*;
pub use isa::Isa;
pub use kernels::Kernels;
pub use params::{Alphabet, CmpOp, ElemType, Scalar, Stats, Utf8Error};
pub use utf8::*;
pub use varint::*;
pub use xxh3::*;

/// CRC-32C (Castagnoli) of `data`, continuing from `seed` (0 starts fresh).
///
/// `crc32c(b, crc32c(a, 0)) == crc32c(a ‖ b, 0)`. Check value: `crc32c(b"123456789", 0) ==
/// 0xE3069283`.
pub fn crc32c(data: &[u8], seed: u32) -> u32 {
    crc32c::best(data, seed)
}

/// Number of bytes in `data` equal to `needle`.
pub fn count_byte(data: &[u8], needle: u8) -> u64 {
    count::best(data, needle)
}

/// Blosc byte shuffle of `src` into `dst`: byte `j` of element `i` goes to `dst[j*n + i]`,
/// where `n = src.len() / elem_size`; the last `src.len() % elem_size` bytes are copied as
/// they are.
///
/// # Errors
/// [`KernelError::InvalidArgument`] if `elem_size` is not in `1..=255` or `dst.len() !=
/// src.len()`.
pub fn shuffle_into(src: &[u8], elem_size: u32, dst: &mut [u8]) -> Result<(), KernelError> {
    let elem_size = shuffle::check_args(src, elem_size, dst)?;
    shuffle::shuffle_best(src, elem_size, dst);
    Ok(())
}

/// Inverse of [`shuffle_into`]: `dst[i*elem_size + j] = src[j*n + i]`, tail copied.
///
/// # Errors
/// As [`shuffle_into`].
pub fn unshuffle_into(src: &[u8], elem_size: u32, dst: &mut [u8]) -> Result<(), KernelError> {
    let elem_size = shuffle::check_args(src, elem_size, dst)?;
    shuffle::unshuffle_best(src, elem_size, dst);
    Ok(())
}

/// [`shuffle_into`] into a new vector.
///
/// # Errors
/// [`KernelError::InvalidArgument`] if `elem_size` is not in `1..=255`.
#[cfg(feature = "alloc")]
pub fn shuffle(src: &[u8], elem_size: u32) -> Result<alloc::vec::Vec<u8>, KernelError> {
    let mut dst = alloc::vec![0; src.len()];
    shuffle_into(src, elem_size, &mut dst)?;
    Ok(dst)
}

/// [`unshuffle_into`] into a new vector.
///
/// # Errors
/// [`KernelError::InvalidArgument`] if `elem_size` is not in `1..=255`.
#[cfg(feature = "alloc")]
pub fn unshuffle(src: &[u8], elem_size: u32) -> Result<alloc::vec::Vec<u8>, KernelError> {
    let mut dst = alloc::vec![0; src.len()];
    unshuffle_into(src, elem_size, &mut dst)?;
    Ok(dst)
}
