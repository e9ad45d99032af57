//! Counting the bytes equal to a needle.

mod scalar;

use crate::Isa;
use crate::dispatch::cached_dispatch;

/// Signature shared by every count implementation: `(data, needle) -> count`.
pub(crate) type CountFn = unsafe fn(&[u8], u8) -> u64;

/// The fastest count implementation that a CPU running `isa` supports.
pub(crate) fn select(isa: Isa) -> CountFn {
    match isa {
        _ => scalar::count_byte,
    }
}

cached_dispatch!(
    /// Count on the best tier for this CPU.
    best(data: &[u8], needle: u8) -> u64 = select
);
