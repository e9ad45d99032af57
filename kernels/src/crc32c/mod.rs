//! CRC-32C (Castagnoli): reflected polynomial 0x82F63B78, init and xorout 0xFFFFFFFF.

mod scalar;

use crate::Isa;
use crate::dispatch::cached_dispatch;

/// Signature shared by every CRC-32C implementation: `(data, seed) -> crc`.
pub(crate) type Crc32cFn = unsafe fn(&[u8], u32) -> u32;

/// The fastest CRC-32C implementation that a CPU running `isa` supports.
pub(crate) fn select(isa: Isa) -> Crc32cFn {
    match isa {
        _ => scalar::crc32c,
    }
}

cached_dispatch!(
    /// CRC-32C on the best tier for this CPU.
    best(data: &[u8], seed: u32) -> u32 = select
);
