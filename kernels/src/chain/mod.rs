//! Chains: several transform and codec kernels applied in order in one call (WIT
//! `chain.run-chain`), so a host crosses into the module once per batch, not once per stage.
//!
//! Every stage is exactly its kernel, on bytes. The kernels whose WIT signature takes or gives
//! integer lists read or write them little-endian: `varint-encode` reads `u64`s and `bitpack`
//! `u32`s (an input length that is not a multiple of the element size is
//! [`KernelError::InvalidArgument`]); `varint-decode` writes `u64`s and `bitunpack` `u32`s.
//!
//! A stage is checked in a fixed order: its parameters (the kernel's own
//! [`KernelError::InvalidArgument`]); its input length (the element-size rule above, and
//! `bitunpack`'s truncation, [`KernelError::InvalidData`] at the input length); the capacity
//! it needs ([`KernelError::TooLarge`] carrying [`Stage::needed`]); then the data (the
//! kernel's [`KernelError::InvalidData`], its offset relative to that stage's input).

mod stage;
mod words;

use crate::{Alphabet, KernelError};
use core::fmt;

/// The most stages a chain may have; a longer chain fails at stage index `MAX_STAGES` with
/// [`KernelError::InvalidArgument`].
pub const MAX_STAGES: usize = 64;

/// One stage of a chain: a kernel and its parameters (WIT `chain.stage`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Stage {
    /// [`crate::shuffle_into`].
    Shuffle {
        /// Element size, 1..=255.
        elem_size: u32,
    },
    /// [`crate::unshuffle_into`].
    Unshuffle {
        /// Element size, 1..=255.
        elem_size: u32,
    },
    /// [`crate::delta_encode_into`].
    DeltaEncode {
        /// Element width: 1, 2, 4 or 8.
        width: u8,
    },
    /// [`crate::delta_decode_into`].
    DeltaDecode {
        /// Element width: 1, 2, 4 or 8.
        width: u8,
    },
    /// [`crate::byteswap_into`].
    Byteswap {
        /// Element width: 2, 4 or 8.
        width: u8,
    },
    /// [`crate::extract_field_into`].
    ExtractField {
        /// Record size in bytes, at least 1.
        record_size: u32,
        /// Offset of the field in each record.
        offset: u32,
        /// Width of the field, at least 1; `offset + width <= record_size`.
        width: u32,
    },
    /// [`crate::hex_encode_into`].
    HexEncode {
        /// `A-F` instead of `a-f`.
        uppercase: bool,
    },
    /// [`crate::hex_decode_into`].
    HexDecode,
    /// [`crate::base64_encode_into`].
    Base64Encode {
        /// The alphabet.
        alphabet: Alphabet,
        /// Whether the output is `=`-padded.
        padding: bool,
    },
    /// [`crate::base64_decode_into`].
    Base64Decode {
        /// The alphabet.
        alphabet: Alphabet,
        /// Whether the input is `=`-padded.
        padding: bool,
    },
    /// [`crate::varint_encode_into`] of the input read as `u64` little-endian values.
    VarintEncode,
    /// [`crate::varint_decode_into`], the values written as `u64` little-endian.
    VarintDecode,
    /// [`crate::bitpack_into`] of the input read as `u32` little-endian values.
    Bitpack {
        /// Bits per value, 0..=32.
        bits: u8,
    },
    /// [`crate::bitunpack_into`], the values written as `u32` little-endian.
    Bitunpack {
        /// Bits per value, 0..=32.
        bits: u8,
        /// Number of values.
        count: u32,
    },
}

impl Stage {
    /// Bytes of output that always suffice for this stage on an input of `input_len` bytes,
    /// whatever the bytes are (saturating at `u64::MAX`). It equals [`Stage::needed`] except
    /// for `varint-encode` (10 bytes a value) and `varint-decode` (8 bytes an input byte).
    ///
    /// ```
    /// use binpipe_kernels::Stage;
    /// assert_eq!(Stage::HexEncode { uppercase: false }.output_bound(5), 10);
    /// assert_eq!(Stage::VarintDecode.output_bound(3), 24);
    /// ```
    pub fn output_bound(&self, input_len: u64) -> u64 {
        stage::bound(self, input_len)
    }

    /// Bytes of output this stage needs for `input`: its exact output length, except for
    /// `base64-decode`, which needs `3 * ceil(len / 4)` (the kernel's requirement, up to 2
    /// bytes more than it writes), and `varint-decode`, which needs 8 bytes for every input
    /// byte below `0x80` (the number of values when the input is valid). This is what
    /// [`KernelError::TooLarge`] carries when a buffer is too small. Parameters are not
    /// checked; for a bad input length the bound is returned.
    pub fn needed(&self, input: &[u8]) -> u64 {
        stage::exact(self, input)
    }
}

/// Bytes that always suffice for every intermediate and the final result of `stages` run on
/// an input of `input_len` bytes (at least `input_len`), from [`Stage::output_bound`].
///
/// ```
/// use binpipe_kernels::{Stage, chain_output_bound};
/// let stages = [Stage::HexEncode { uppercase: false }, Stage::HexDecode];
/// assert_eq!(chain_output_bound(4, &stages), 8);
/// ```
pub fn chain_output_bound(input_len: u64, stages: &[Stage]) -> u64 {
    let mut len = input_len;
    let mut most = input_len;
    for s in stages {
        len = s.output_bound(len);
        most = most.max(len);
    }
    most
}

/// Why a chain failed: the index of the failing stage and that stage's kernel error (WIT
/// `chain.chain-error`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChainError {
    /// Index of the failing stage in the chain ([`MAX_STAGES`] for a chain that is too long).
    pub stage: usize,
    /// The stage's error; a data error's offset is relative to that stage's input.
    pub error: KernelError,
}

impl fmt::Display for ChainError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "chain stage {}: {}", self.stage, self.error)
    }
}

#[cfg(feature = "std")]
impl std::error::Error for ChainError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.error)
    }
}

/// Which of the two buffers of [`run_chain_in`] holds the result.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Which {
    /// The first buffer, `a` (also the input).
    A,
    /// The second buffer, `b`.
    B,
}

/// The error of a chain longer than [`MAX_STAGES`].
const TOO_MANY: ChainError = ChainError {
    stage: MAX_STAGES,
    error: KernelError::InvalidArgument("stages: a chain has at most 64 stages"),
};

/// Runs `stages` in order on `a[..len]`, ping-ponging between the caller's buffers `a` and
/// `b` without allocating: stage `i` reads what stage `i - 1` wrote and writes to the start
/// of the other buffer. Returns which buffer holds the result and its length; an empty chain
/// returns `(Which::A, len)`.
///
/// ```
/// use binpipe_kernels::{Stage, Which, run_chain_in};
/// let (mut a, mut b) = ([0u8; 8], [0u8; 8]);
/// a[..2].copy_from_slice(&[0x01, 0xAB]);
/// let stages = [Stage::HexEncode { uppercase: true }];
/// let (which, n) = run_chain_in(&mut a, 2, &mut b, &stages).unwrap();
/// assert_eq!((which, &b[..n]), (Which::B, &b"01AB"[..]));
/// ```
///
/// # Errors
/// [`ChainError`] naming the failing stage and its error: the kernel's own errors,
/// [`KernelError::InvalidArgument`] for a `varint-encode` input length that is not a multiple
/// of 8 or a `bitpack` one that is not a multiple of 4, and
/// [`KernelError::TooLarge`] carrying [`Stage::needed`] when the buffer a stage writes is
/// shorter than that. More than [`MAX_STAGES`] stages fail at stage `MAX_STAGES`, and
/// `len > a.len()` at stage 0, both with [`KernelError::InvalidArgument`]. After an error
/// `b` holds unspecified bytes, and so does `a` unless the failing stage is the first.
pub fn run_chain_in(
    a: &mut [u8],
    len: usize,
    b: &mut [u8],
    stages: &[Stage],
) -> Result<(Which, usize), ChainError> {
    if stages.len() > MAX_STAGES {
        return Err(TOO_MANY);
    }
    if len > a.len() {
        return Err(ChainError {
            stage: 0,
            error: KernelError::InvalidArgument("len: larger than buffer a"),
        });
    }
    let mut which = Which::A;
    let mut len = len;
    for (index, s) in stages.iter().enumerate() {
        let (src, dst, next) = match which {
            Which::A => (&a[..len], &mut *b, Which::B),
            Which::B => (&b[..len], &mut *a, Which::A),
        };
        len = stage::run(s, src, dst).map_err(|error| ChainError {
            stage: index,
            error,
        })?;
        which = next;
    }
    Ok((which, len))
}

/// Runs `stages` in order on `data` and returns the result in a new vector; an empty chain
/// returns a copy of `data`. Each intermediate is allocated at [`Stage::needed`] bytes.
///
/// ```
/// use binpipe_kernels::{Stage, run_chain};
/// let stages = [Stage::DeltaEncode { width: 1 }, Stage::HexEncode { uppercase: false }];
/// assert_eq!(run_chain(&[1, 3, 6], &stages).unwrap(), b"010203");
/// ```
///
/// # Errors
/// [`ChainError`] naming the failing stage and its error, as for [`run_chain_in`] except
/// that [`KernelError::TooLarge`] (carrying [`Stage::needed`]) means the intermediate
/// could not be allocated.
#[cfg(feature = "alloc")]
pub fn run_chain(data: &[u8], stages: &[Stage]) -> Result<alloc::vec::Vec<u8>, ChainError> {
    if stages.len() > MAX_STAGES {
        return Err(TOO_MANY);
    }
    let mut current = alloc::vec::Vec::from(data);
    for (index, s) in stages.iter().enumerate() {
        current = stage::run_alloc(s, &current).map_err(|error| ChainError {
            stage: index,
            error,
        })?;
    }
    Ok(current)
}
