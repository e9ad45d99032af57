//! The canonical-ABI exports: every WIT function of `wit/kernels.wit`, each forwarding to
//! `binpipe-kernels` with its types converted. One file per WIT interface; no algorithms.

use binpipe_kernels::KernelError;

wit_bindgen::generate!({
    path: "../wit",
    world: "kernels",
});

mod chain;
mod checksum;
mod codec;
mod column;
mod search;
mod transform;
mod validate;

use exports::binpipe::kernels::types::{DataError, KernelError as WitKernelError};

/// The component's implementation of every exported interface.
struct Guest;

export!(Guest);

/// Converts the crate's error to the WIT variant of the same name.
fn to_wit(err: KernelError) -> WitKernelError {
    match err {
        KernelError::InvalidArgument(msg) => WitKernelError::InvalidArgument(msg.into()),
        KernelError::InvalidData { offset, message } => WitKernelError::InvalidData(DataError {
            offset,
            message: message.into(),
        }),
        KernelError::TooLarge(limit) => WitKernelError::TooLarge(limit),
        _ => WitKernelError::InvalidArgument("unknown kernel error".into()),
    }
}

/// A WIT `u64` offset or length from a `usize` (lossless: `usize` is 32 bits on wasm32).
fn wide(n: usize) -> u64 {
    n as u64
}
