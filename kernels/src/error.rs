//! The one error type every kernel returns; it mirrors the WIT `kernel-error` variant.

use core::fmt;

/// Why a kernel refused its input. Mirrors WIT `kernel-error` (see `wit/kernels.wit`).
///
/// Messages are static so the crate needs no allocator; the offset rule for
/// [`KernelError::InvalidData`] is the one in `KERNELS.md`: the length of the longest prefix
/// of the input that can still be extended to a valid input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum KernelError {
    /// A parameter is outside its documented range; the message names it.
    InvalidArgument(&'static str),
    /// The input violates the format at `offset`.
    InvalidData {
        /// Length of the longest prefix that can still be extended to a valid input.
        offset: u64,
        /// What is wrong there.
        message: &'static str,
    },
    /// The input exceeds the documented size limit carried here.
    TooLarge(u64),
}

impl fmt::Display for KernelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidArgument(msg) => write!(f, "invalid argument: {msg}"),
            Self::InvalidData { offset, message } => {
                write!(f, "invalid data at offset {offset}: {message}")
            }
            Self::TooLarge(limit) => write!(f, "input too large: limit is {limit} bytes"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for KernelError {}
