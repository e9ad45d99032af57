//! `binpipe-plugin-host`: runs untrusted binpipe plugins (the `binpipe:plugin` world in
//! `wit/plugin/plugin.wit`) under wasmtime, with the limits and error kinds of the Go host
//! (go-host/plugin), so the two can be compared.
//!
//! A plugin is a wasm core module. [`Plugin::load`] refuses one whose structure passes a
//! limit of [`ModuleLimits`] (checked before anything is compiled), that is not valid wasm
//! 2.0, imports anything (but the minimal WASI's functions under [`Limits::wasi`]), exports
//! a name reserved for the host or lacks an export of the world, or declares more initial memory or table elements than allowed; then it adds
//! deadline and fuel checkpoints before bulk instructions, compiles the module and asks it
//! to describe itself. Each [`Instance`] is a sandbox with its own store: memory capped by
//! [`Limits::memory_pages`], tables by [`ModuleLimits::max_table_elements`], every call
//! bounded by [`Limits::deadline`] (epoch interruption) and [`Limits::fuel`], results above
//! [`Limits::max_output`] refused. The host lifts results with the canonical ABI's layouts
//! itself, with the Go host's checks. After a failure the instance's store is dropped and
//! the next call gets a fresh one.
//!
//! ```no_run
//! use binpipe_plugin_host::{Limits, Plugin};
//!
//! let wasm = std::fs::read("tests/plugins/examples/redact.wasm").unwrap();
//! let plugin = Plugin::load(&wasm, Limits::default()).unwrap();
//! let mut sandbox = plugin.instance();
//! let redacted = sandbox.transform(&[0u8; 64]).unwrap();
//! assert_eq!(redacted.len(), 64);
//! ```

mod abi;
mod check;
mod checkpoints;
mod engine;
mod error;
mod limits;
mod plugin;
mod store;
mod wasi;

pub use error::{Error, ErrorKind};
pub use limits::{Limits, ModuleLimits, WASI_MAX_BLOCKS, WASI_MAX_DATA_SEGMENTS};
pub use plugin::{Description, Instance, Plugin};
pub use wasi::{MAX_IOVECS, MAX_LOG_BYTES, MAX_SUBSCRIPTIONS};

/// `wasm` as [`Plugin::load`] compiles it, with the host's deadline and fuel checkpoints
/// added (before every bulk memory or table instruction, and after every call in a long
/// function body); for inspection and differential testing (tools/sandbox-diff). `wasm`
/// should be a valid module; it need not be a plugin.
///
/// # Errors
/// [`ErrorKind::Load`] when `wasm` cannot be read as a module.
pub fn instrument(wasm: &[u8]) -> Result<Vec<u8>, Error> {
    checkpoints::instrument(wasm)
}
