//! `binpipe-plugin-host`: runs untrusted binpipe plugins (the `binpipe:plugin` world in
//! `wit/plugin/plugin.wit`) under wasmtime, with the limits and error kinds of the Go host
//! (go-host/plugin), so the two can be compared.
//!
//! A plugin is a wasm core module. [`Plugin::load`] refuses one that imports anything, lacks
//! an export of the world, or declares more initial memory than allowed; then it wraps the
//! module into a component with the host's own copy of the world and asks it to describe
//! itself. Each [`Instance`] is a sandbox with its own store: memory capped by
//! [`Limits::memory_pages`], every call bounded by [`Limits::deadline`] (epoch interruption,
//! checked at function entries and loop headers) and [`Limits::fuel`], results above
//! [`Limits::max_output`] refused. After a failure the instance's store is dropped and the
//! next call gets a fresh one.
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

mod engine;
mod error;
mod limits;
mod module;
mod plugin;

pub use error::{Error, ErrorKind};
pub use limits::Limits;
pub use plugin::{Description, Instance, Plugin};
