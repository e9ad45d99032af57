//! CRC-32/ISO-HDLC (zlib, gzip, PNG): reflected polynomial 0xEDB88320, init and xorout
//! 0xFFFFFFFF.
//!
//! Implementations, and where they run:
//! - every target: the portable slicing-by-16 tables ([`scalar`]), the scalar tier.

mod scalar;

use crate::dispatch::cached_dispatch;
use crate::{Isa, Kernels};

/// Signature shared by every CRC-32 implementation: `(data, seed) -> crc`.
type Crc32Fn = unsafe fn(&[u8], u32) -> u32;

/// The fastest CRC-32 implementation that a CPU running `isa` supports.
fn select(_isa: Isa) -> Crc32Fn {
    scalar::crc32
}

cached_dispatch!(
    /// CRC-32 on the best tier for this CPU.
    crc32_best(data: &[u8], seed: u32) -> u32 = select
);

/// CRC-32/ISO-HDLC (zlib's `crc32`) of `data`, continuing from `seed` (0 starts fresh).
///
/// `crc32(b, crc32(a, 0)) == crc32(a ‖ b, 0)`, exactly like zlib's `crc32(seed, data)`. Check
/// value: `crc32(b"123456789", 0) == 0xCBF43926`.
///
/// ```
/// assert_eq!(binpipe_kernels::crc32(b"123456789", 0), 0xCBF4_3926);
/// ```
pub fn crc32(data: &[u8], seed: u32) -> u32 {
    crc32_best(data, seed)
}

impl Kernels {
    /// [`crate::crc32`] on this tier.
    pub fn crc32(&self, data: &[u8], seed: u32) -> u32 {
        let kernel = select(self.isa());
        // SAFETY: `Kernels::new` checked that the CPU runs this tier, and `select` returns only
        // implementations that tier can run.
        unsafe { kernel(data, seed) }
    }
}
