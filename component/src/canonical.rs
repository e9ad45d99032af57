//! The canonical-ABI exports: the WIT functions, each forwarding to `binpipe-kernels`.

use binpipe_kernels::KernelError;

wit_bindgen::generate!({
    path: "../wit",
    world: "kernels",
});

use exports::binpipe::kernels::types::{DataError, KernelError as WitKernelError};
use exports::binpipe::kernels::{checksum, search, transform};

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

impl checksum::Guest for Guest {
    fn crc32c(data: Vec<u8>, seed: u32) -> u32 {
        binpipe_kernels::crc32c(&data, seed)
    }
}

impl search::Guest for Guest {
    fn count_byte(data: Vec<u8>, needle: u8) -> u64 {
        binpipe_kernels::count_byte(&data, needle)
    }
}

impl transform::Guest for Guest {
    fn shuffle(data: Vec<u8>, elem_size: u32) -> Result<Vec<u8>, WitKernelError> {
        binpipe_kernels::shuffle(&data, elem_size).map_err(to_wit)
    }

    fn unshuffle(data: Vec<u8>, elem_size: u32) -> Result<Vec<u8>, WitKernelError> {
        binpipe_kernels::unshuffle(&data, elem_size).map_err(to_wit)
    }
}
