//! Write [binpipe](https://github.com/binpipe/binpipe) plugins in Rust.
//!
//! A binpipe plugin is a wasm core module of the WIT world `binpipe:plugin@0.1.0`: the host
//! hands it one batch of bytes per call and takes back the transformed batch. This crate is
//! the whole guest side: implement [`Plugin`] for a type and name it in [`export!`]; the macro
//! writes the module's exports (`describe`, `transform`, `cabi_realloc`) and this crate lays
//! out the canonical ABI behind them, so no wit-bindgen and no ABI code appear in a plugin.
//!
//! ```
//! use binpipe_plugin::{Description, Plugin, PluginError};
//!
//! /// Keeps the 32-byte records whose first byte is not zero.
//! struct NonZero;
//!
//! impl Plugin for NonZero {
//!     fn describe() -> Description {
//!         Description::new("non-zero", env!("CARGO_PKG_VERSION")).record_size(32)
//!     }
//!
//!     fn transform(batch: &[u8], output: &mut Vec<u8>) -> Result<(), PluginError> {
//!         for record in binpipe_plugin::records(batch, 32)? {
//!             if record[0] != 0 {
//!                 output.extend_from_slice(record);
//!             }
//!         }
//!         Ok(())
//!     }
//! }
//!
//! binpipe_plugin::export!(NonZero);
//! # let mut out = Vec::new();
//! # NonZero::transform(&[1; 64], &mut out).unwrap();
//! # assert_eq!(out.len(), 64);
//! ```
//!
//! Build it as a `cdylib` for `wasm32-unknown-unknown` (`cargo build --release --target
//! wasm32-unknown-unknown`); the module imports nothing, which both binpipe hosts require.
//!
//! # Memory
//!
//! The batch is borrowed from a buffer that the module keeps from call to call (the host
//! copies each batch into it through `cabi_realloc`), and the output is a `Vec` the module
//! keeps too, cleared before each call: once they have grown to the largest batch and output
//! seen, a call allocates nothing unless the plugin does. Neither buffer shrinks; the host's
//! memory limit bounds them. A [`PluginError`] allocates its message, on the error path only.
//!
//! # Errors and panics
//!
//! Returning `Err(PluginError)` refuses the batch: the host stops the pipeline and reports the
//! message, and the offset within the batch when there is one; the instance stays in use. A
//! panic traps the call (the host reports a trap and replaces the instance).

#[doc(hidden)]
pub mod __abi;
mod records;

pub use records::records;

/// What a plugin is and which batches it accepts (the WIT record `description`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Description {
    /// Short name, used in the host's error messages and statistics (e.g. `"filter"`); must not
    /// be empty.
    pub name: &'static str,
    /// The plugin's own version, free text (e.g. `env!("CARGO_PKG_VERSION")`).
    pub version: &'static str,
    /// 0: any batch length; otherwise every batch is a whole number of records this long (the
    /// host refuses other batches before calling the plugin).
    pub record_size: u32,
    /// 0: no limit; otherwise the largest batch, in bytes, the plugin accepts (the host splits
    /// longer batches into whole records).
    pub max_batch: u32,
}

impl Description {
    /// A description with this name and version that accepts batches of any length and size.
    pub const fn new(name: &'static str, version: &'static str) -> Self {
        Self {
            name,
            version,
            record_size: 0,
            max_batch: 0,
        }
    }

    /// The same description, accepting only batches of whole `size`-byte records.
    pub const fn record_size(self, size: u32) -> Self {
        Self {
            record_size: size,
            ..self
        }
    }

    /// The same description, accepting batches of at most `bytes` bytes.
    pub const fn max_batch(self, bytes: u32) -> Self {
        Self {
            max_batch: bytes,
            ..self
        }
    }
}

/// Why a plugin refused a batch (the WIT record `plugin-error`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PluginError {
    /// A human-readable reason (the host keeps its first 4096 bytes).
    pub message: String,
    /// Byte offset within the batch the error refers to, if any; at most the batch's length
    /// (the host treats a larger offset as a broken plugin).
    pub offset: Option<u64>,
}

impl PluginError {
    /// An error with this message and no offset.
    pub fn new(message: impl Into<String>) -> Self {
        Self {
            message: message.into(),
            offset: None,
        }
    }

    /// The same error, referring to byte `offset` of the batch.
    pub fn at(self, offset: usize) -> Self {
        Self {
            offset: Some(offset as u64),
            ..self
        }
    }
}

impl core::fmt::Display for PluginError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self.offset {
            Some(offset) => write!(f, "{} (at byte {offset})", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for PluginError {}

/// A binpipe plugin: implement it for a type and name the type in [`export!`].
pub trait Plugin {
    /// Describes the plugin. The host calls it once, when it loads the module.
    fn describe() -> Description;

    /// Transforms one batch: appends the result to `output`, which is empty on entry. The
    /// result may be shorter, longer or empty. `Err` refuses the batch (see [`PluginError`]).
    fn transform(batch: &[u8], output: &mut Vec<u8>) -> Result<(), PluginError>;
}

/// Exports a [`Plugin`] type as the module's plugin: writes its `describe`, `transform` and
/// `cabi_realloc` exports. Use it once per module, at the top level of the crate.
///
/// ```ignore
/// binpipe_plugin::export!(MyPlugin);
/// ```
///
/// The exports exist only when compiling for `wasm32`; on other targets the macro expands
/// to nothing, so the plugin's logic can be tested natively.
#[macro_export]
macro_rules! export {
    ($plugin:ty) => {
        #[cfg(target_arch = "wasm32")]
        const _: () = {
            #[unsafe(export_name = "describe")]
            extern "C" fn __binpipe_plugin_describe() -> *const u8 {
                $crate::__abi::describe::<$plugin>()
            }

            #[unsafe(export_name = "transform")]
            extern "C" fn __binpipe_plugin_transform(batch: *const u8, len: usize) -> *const u8 {
                $crate::__abi::transform::<$plugin>(batch, len)
            }

            #[unsafe(export_name = "cabi_realloc")]
            extern "C" fn __binpipe_plugin_realloc(
                old: *mut u8,
                old_size: usize,
                align: usize,
                new_size: usize,
            ) -> *mut u8 {
                $crate::__abi::realloc(old, old_size, align, new_size)
            }
        };
    };
}
