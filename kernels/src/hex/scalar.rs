//! Portable hex encoding and decoding: the reference every vector path is tested against.

use crate::KernelError;

/// Lowercase digits, indexed by nibble.
pub(crate) const LOWER: &[u8; 16] = b"0123456789abcdef";
/// Uppercase digits, indexed by nibble.
pub(crate) const UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Marks a byte that is not a hex digit in [`VALUE`].
const NOT_HEX: u8 = 0xFF;

/// The value of every byte as a hex digit (`0-9 a-f A-F`), or [`NOT_HEX`].
static VALUE: [u8; 256] = {
    let mut table = [NOT_HEX; 256];
    let mut i = 0;
    while i < 10 {
        table[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        table[b'a' as usize + i] = 10 + i as u8;
        table[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    table
};

/// The error for the byte at `offset`, which is not a hex digit.
pub(crate) const fn not_hex(offset: usize) -> KernelError {
    KernelError::InvalidData {
        offset: offset as u64,
        message: "not a hex digit",
    }
}

/// The error for an input with an odd number of digits: truncation, at `len`.
pub(crate) const fn odd_length(len: usize) -> KernelError {
    KernelError::InvalidData {
        offset: len as u64,
        message: "odd number of hex digits",
    }
}

/// Writes two digits per byte of `data` to `dst`.
///
/// # Safety
/// None: `unsafe` only to share the dispatch signature. Callers guarantee `dst.len() >=
/// 2 * data.len()` (shorter `dst` would only leave bytes unwritten; nothing panics).
pub(crate) unsafe fn encode(data: &[u8], uppercase: bool, dst: &mut [u8]) {
    encode_safe(data, uppercase, dst);
}

/// [`encode`] without the dispatch signature, for the vector paths' tails.
pub(crate) fn encode_safe(data: &[u8], uppercase: bool, dst: &mut [u8]) {
    let digits = if uppercase { UPPER } else { LOWER };
    for (&byte, out) in data.iter().zip(dst.chunks_exact_mut(2)) {
        out[0] = digits[usize::from(byte >> 4)];
        out[1] = digits[usize::from(byte & 0x0F)];
    }
}

/// Decodes `data` into `dst`; returns the number of bytes written (`data.len() / 2`).
///
/// # Errors
/// The first byte that is not a hex digit, at its offset; else an odd length, at
/// `data.len()`.
///
/// # Safety
/// None: `unsafe` only to share the dispatch signature. Callers guarantee `dst.len() >=
/// data.len() / 2`.
pub(crate) unsafe fn decode(data: &[u8], dst: &mut [u8]) -> Result<usize, KernelError> {
    decode_safe(data, dst)
}

/// [`decode`] without the dispatch signature, for the vector paths' tails and errors.
pub(crate) fn decode_safe(data: &[u8], dst: &mut [u8]) -> Result<usize, KernelError> {
    let pairs = data.chunks_exact(2);
    let last = pairs.remainder();
    for (i, (pair, out)) in pairs.zip(dst.iter_mut()).enumerate() {
        let hi = VALUE[usize::from(pair[0])];
        let lo = VALUE[usize::from(pair[1])];
        if hi == NOT_HEX || lo == NOT_HEX {
            return Err(not_hex(2 * i + usize::from(hi != NOT_HEX)));
        }
        *out = hi << 4 | lo;
    }
    if let [digit] = last {
        return Err(if VALUE[usize::from(*digit)] == NOT_HEX {
            not_hex(data.len() - 1)
        } else {
            odd_length(data.len())
        });
    }
    Ok(data.len() / 2)
}
