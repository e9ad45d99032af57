//! The limits a plugin runs under, and the per-store state that enforces the memory limit.

use std::time::Duration;

use wasmtime::{ResourceLimiter, StoreLimits, StoreLimitsBuilder};

/// Size of a wasm page.
pub(crate) const PAGE: usize = 65536;

/// What a plugin may use; [`Limits::default`] gives safe values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Linear memory cap, in 64 KiB pages. Default 256 (16 MiB). A module whose initial
    /// memory is above it is refused at load; growth beyond it is denied
    /// ([`ErrorKind::Memory`](crate::ErrorKind::Memory)).
    pub memory_pages: u32,
    /// Wall-clock deadline of one call (instantiation, `describe`, `transform`), enforced by
    /// wasmtime's epoch interruption, which checks at every function entry and loop header,
    /// so loop-free code cannot escape it. Default 2 s; precision one epoch tick (10 ms).
    pub deadline: Duration,
    /// Largest `transform` result accepted, in bytes. Default 64 MiB.
    pub max_output: usize,
    /// Fuel per call: wasmtime charges about one unit per wasm instruction. A deterministic
    /// bound on work, independent of the machine's load; 0 means no fuel limit (the
    /// deadline still holds). Default 10^10, more than a 2 s deadline lets a call run, so by
    /// default the deadline is the limit that bites.
    pub fuel: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory_pages: 256,
            deadline: Duration::from_secs(2),
            max_output: 64 << 20,
            fuel: 10_000_000_000,
        }
    }
}

impl Limits {
    /// The linear memory cap in bytes.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.memory_pages as usize * PAGE
    }
}

/// The data of a plugin's store: wasmtime's own limits, plus a note of whether a growth was
/// denied, so a trap that follows a denied growth is reported as [`ErrorKind::Memory`].
///
/// [`ErrorKind::Memory`]: crate::ErrorKind::Memory
pub(crate) struct StoreState {
    limits: StoreLimits,
    /// Set when the plugin asked for memory beyond the cap; cleared before every call.
    pub(crate) memory_denied: bool,
}

impl StoreState {
    /// The state of a store whose memory may not grow beyond `limits.memory_pages`.
    pub(crate) fn new(limits: &Limits) -> Self {
        StoreState {
            limits: StoreLimitsBuilder::new()
                .memory_size(limits.memory_bytes())
                .memories(1)
                .build(),
            memory_denied: false,
        }
    }
}

impl ResourceLimiter for StoreState {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let allowed = self.limits.memory_growing(current, desired, maximum)?;
        if !allowed {
            self.memory_denied = true;
        }
        Ok(allowed)
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        self.limits.table_growing(current, desired, maximum)
    }

    fn instances(&self) -> usize {
        self.limits.instances()
    }

    fn tables(&self) -> usize {
        self.limits.tables()
    }

    fn memories(&self) -> usize {
        self.limits.memories()
    }
}
