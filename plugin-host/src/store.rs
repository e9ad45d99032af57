//! The data of a plugin's store: the resource limiter that bounds its memory and tables, and
//! the state of the minimal WASI.

use std::time::Instant;

use wasmtime::ResourceLimiter;

use crate::limits::Limits;
use crate::wasi::WasiState;

/// Enforces [`Limits::memory_pages`] and the table limits of [`Limits::module`] on one
/// store, and notes whether a memory growth was denied, so that a trap which follows is
/// reported as [`ErrorKind::Memory`](crate::ErrorKind::Memory).
pub(crate) struct StoreState {
    /// Most bytes the one linear memory may have.
    memory_bytes: usize,
    /// Most elements all tables together may have.
    table_elements: usize,
    /// Most tables the store may create.
    tables: usize,
    /// Elements the store's tables have now (creation counts as growth from 0).
    elements_now: usize,
    /// Set when the plugin asked for memory beyond the cap; cleared before every call.
    pub(crate) memory_denied: bool,
    /// When the current host operation's deadline passes (the WASI functions check it).
    pub(crate) deadline: Instant,
    /// The minimal WASI's state (used only under [`Limits::wasi`]).
    pub(crate) wasi: WasiState,
}

impl StoreState {
    /// The state of a store under `limits`.
    pub(crate) fn new(limits: &Limits) -> Self {
        StoreState {
            memory_bytes: limits.memory_bytes(),
            table_elements: usize::try_from(limits.module.max_table_elements).unwrap_or(usize::MAX),
            tables: limits.module.max_tables as usize,
            elements_now: 0,
            memory_denied: false,
            deadline: Instant::now() + limits.deadline,
            wasi: WasiState::new(),
        }
    }
}

impl ResourceLimiter for StoreState {
    fn memory_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let allowed = desired <= self.memory_bytes;
        if !allowed {
            self.memory_denied = true;
        }
        Ok(allowed)
    }

    /// Called when a table is created (from 0 to its initial size) and on every
    /// `table.grow`: the store's elements in all tables may not pass the limit.
    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let total = (desired - current.min(desired)).checked_add(self.elements_now);
        match total {
            Some(total) if total <= self.table_elements => {
                self.elements_now = total;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    fn instances(&self) -> usize {
        1
    }

    fn tables(&self) -> usize {
        self.tables
    }

    fn memories(&self) -> usize {
        1
    }
}
