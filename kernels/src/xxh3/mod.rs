//! XXH3 64-bit (xxHash 0.8), seeded.
//!
//! Implementations, and where they run:
//! - every target: the scalar reference ([`scalar`]), written from the specification.

mod scalar;

use crate::dispatch::cached_dispatch;
use crate::{Isa, Kernels};

/// Signature shared by every XXH3 implementation: `(data, seed) -> hash`.
type Xxh3Fn = unsafe fn(&[u8], u64) -> u64;

/// The fastest XXH3 implementation that a CPU running `isa` supports.
fn select(_isa: Isa) -> Xxh3Fn {
    scalar::xxh3_64
}

cached_dispatch!(
    /// XXH3-64 on the best tier for this CPU.
    xxh3_best(data: &[u8], seed: u64) -> u64 = select
);

/// XXH3 64-bit hash of `data` with `seed` (xxHash 0.8; equal to the reference
/// `XXH3_64bits_withSeed`).
///
/// Check value: `xxh3_64(b"", 0) == 0x2D06800538D394C2`.
///
/// ```
/// assert_eq!(binpipe_kernels::xxh3_64(b"", 0), 0x2D06_8005_38D3_94C2);
/// ```
pub fn xxh3_64(data: &[u8], seed: u64) -> u64 {
    xxh3_best(data, seed)
}

impl Kernels {
    /// [`crate::xxh3_64`] on this tier.
    pub fn xxh3_64(&self, data: &[u8], seed: u64) -> u64 {
        let kernel = select(self.isa());
        // SAFETY: `Kernels::new` checked that the CPU runs this tier, and `select` returns only
        // implementations that tier can run.
        unsafe { kernel(data, seed) }
    }
}
