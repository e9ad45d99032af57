//! Portable base64 encoding and decoding: the reference every vector path is tested against.
//!
//! [`first_error`] is the literal transcription of the decoding rules in the module
//! documentation of `base64`; every decoder (this one and the vector ones) reports exactly
//! what it says, and the decoders only have to tell valid from invalid.

use crate::{Alphabet, KernelError};

/// The standard alphabet (RFC 4648 section 4), indexed by 6-bit value.
const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
/// The URL- and filename-safe alphabet (RFC 4648 section 5).
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Marks a byte outside the alphabet in a decoding table (`=` included).
const INVALID: u8 = 0xFF;

/// The 6-bit value of every byte in `alphabet`, or [`INVALID`].
const fn decode_table(alphabet: &[u8; 64]) -> [u8; 256] {
    let mut table = [INVALID; 256];
    let mut i = 0;
    while i < 64 {
        table[alphabet[i] as usize] = i as u8;
        i += 1;
    }
    table
}

/// Decoding table of [`STANDARD`].
static DECODE_STANDARD: [u8; 256] = decode_table(STANDARD);
/// Decoding table of [`URL_SAFE`].
static DECODE_URL_SAFE: [u8; 256] = decode_table(URL_SAFE);

/// The characters of `alphabet`, indexed by value.
const fn encode_table(alphabet: Alphabet) -> &'static [u8; 64] {
    match alphabet {
        Alphabet::Standard => STANDARD,
        Alphabet::UrlSafe => URL_SAFE,
    }
}

/// The values of `alphabet`'s characters, [`INVALID`] elsewhere.
fn values(alphabet: Alphabet) -> &'static [u8; 256] {
    match alphabet {
        Alphabet::Standard => &DECODE_STANDARD,
        Alphabet::UrlSafe => &DECODE_URL_SAFE,
    }
}

/// Length of the encoding of `len` bytes, `None` if it overflows `usize`.
pub(crate) const fn encoded_len(len: usize, padding: bool) -> Option<usize> {
    let rest = match len % 3 {
        0 => 0,
        _ if padding => 4,
        r => r + 1,
    };
    match (len / 3).checked_mul(4) {
        Some(full) => full.checked_add(rest),
        None => None,
    }
}

/// Writes the encoding of `data` to `dst`.
///
/// # Safety
/// None: `unsafe` only to share the dispatch signature. Callers guarantee `dst.len() >=
/// encoded_len(data.len(), padding)`.
pub(crate) unsafe fn encode(data: &[u8], alphabet: Alphabet, padding: bool, dst: &mut [u8]) {
    encode_safe(data, alphabet, padding, dst);
}

/// [`encode`] without the dispatch signature, for the vector paths' tails.
pub(crate) fn encode_safe(data: &[u8], alphabet: Alphabet, padding: bool, dst: &mut [u8]) {
    let table = encode_table(alphabet);
    // Two groups (6 bytes, 8 characters) per step, from one 64-bit word.
    let wide = data.len() / 6 * 6;
    for (pair, out) in data[..wide].chunks_exact(6).zip(dst.chunks_exact_mut(8)) {
        let word = pair.iter().fold(0u64, |w, &b| w << 8 | u64::from(b));
        for (k, slot) in out.iter_mut().enumerate() {
            *slot = table[(word >> (42 - 6 * k)) as usize & 63];
        }
    }
    let rest = dst.get_mut(wide / 3 * 4..).unwrap_or_default();
    encode_groups(&data[wide..], table, padding, rest);
}

/// Encodes `data` group by group with `table` (the end of [`encode_safe`]).
fn encode_groups(data: &[u8], table: &[u8; 64], padding: bool, dst: &mut [u8]) {
    let char_of = |v: u32| table[(v & 63) as usize];
    let groups = data.chunks_exact(3);
    let rest = groups.remainder();
    for (group, out) in groups.zip(dst.chunks_exact_mut(4)) {
        let v = u32::from(group[0]) << 16 | u32::from(group[1]) << 8 | u32::from(group[2]);
        out[0] = char_of(v >> 18);
        out[1] = char_of(v >> 12);
        out[2] = char_of(v >> 6);
        out[3] = char_of(v);
    }
    let (v, chars) = match *rest {
        [a] => (u32::from(a) << 16, 2),
        [a, b] => (u32::from(a) << 16 | u32::from(b) << 8, 3),
        _ => return,
    };
    let width = if padding { 4 } else { chars };
    let out = dst.iter_mut().skip(data.len() / 3 * 4).take(width);
    for (k, slot) in out.enumerate() {
        *slot = if k < chars {
            char_of(v >> (18 - 6 * k))
        } else {
            b'='
        };
    }
}

/// Decodes `data` into `dst`; returns the number of bytes written.
///
/// # Errors
/// [`KernelError::InvalidData`] where [`first_error`] says.
///
/// # Safety
/// None: `unsafe` only to share the dispatch signature. Callers guarantee `dst.len() >=
/// 3 * ceil(data.len() / 4)`.
pub(crate) unsafe fn decode(
    data: &[u8],
    alphabet: Alphabet,
    padding: bool,
    dst: &mut [u8],
) -> Result<usize, KernelError> {
    decode_from(data, alphabet, padding, dst, 0)
}

/// Decodes `data[start..]` into `dst[3 * start / 4..]`, the vector paths having decoded (and
/// found valid) `data[..start]`; returns the total number of bytes written.
///
/// Callers guarantee that `start` is a multiple of 4 that leaves at least the last character
/// (the final group) to this function, and `dst.len() >= 3 * ceil(data.len() / 4)`.
///
/// # Errors
/// [`KernelError::InvalidData`] where [`first_error`] says, if `data` is invalid.
pub(crate) fn decode_from(
    data: &[u8],
    alphabet: Alphabet,
    padding: bool,
    dst: &mut [u8],
    start: usize,
) -> Result<usize, KernelError> {
    let table = values(alphabet);
    let value = |c: u8| table[usize::from(c)];
    // The final group is the last 1 to 4 characters; every group before it is 4 characters of
    // the alphabet.
    let final_start = data.len().saturating_sub(1) / 4 * 4;
    let body = data.get(start..final_start).unwrap_or_default();
    let mut written = start / 4 * 3;
    // Two groups (8 characters, 6 bytes) per step, assembled in one 64-bit word.
    let mut pairs = body.chunks_exact(8);
    for pair in &mut pairs {
        let v: [u8; 8] = core::array::from_fn(|k| value(pair[k]));
        if v.iter().fold(0, |acc, &x| acc | x) & 0x80 != 0 {
            return Err(error(data, alphabet, padding));
        }
        let word = v.iter().fold(0u64, |w, &x| w << 6 | u64::from(x));
        let Some(out) = dst.get_mut(written..written + 6) else {
            return Err(error(data, alphabet, padding));
        };
        out.copy_from_slice(&word.to_be_bytes()[2..]);
        written += 6;
    }
    for group in pairs.remainder().chunks_exact(4) {
        let [a, b, c, d] = [0, 1, 2, 3].map(|k| value(group[k]));
        if (a | b | c | d) & 0x80 != 0 {
            return Err(error(data, alphabet, padding));
        }
        let v = u32::from(a) << 18 | u32::from(b) << 12 | u32::from(c) << 6 | u32::from(d);
        let Some(out) = dst.get_mut(written..written + 3) else {
            return Err(error(data, alphabet, padding));
        };
        out.copy_from_slice(&v.to_be_bytes()[1..]);
        written += 3;
    }
    let last = data.get(final_start.max(start)..).unwrap_or_default();
    // The characters that carry data: with padding, the group is 4 long and ends in at most
    // two `=`; without, it is the whole group.
    let chars = match (padding, last) {
        (_, []) => return Ok(written),
        (true, [a, b, b'=', b'=']) => &[*a, *b][..],
        (true, [a, b, c, b'=']) => &[*a, *b, *c][..],
        (true, [_, _, _, _]) | (false, _) => last,
        (true, _) => return Err(error(data, alphabet, padding)),
    };
    if chars.iter().any(|&c| value(c) == INVALID) {
        return Err(error(data, alphabet, padding));
    }
    let v = chars
        .iter()
        .fold(0u32, |v, &c| v << 6 | u32::from(value(c)));
    let (bytes, unused_bits) = match chars.len() {
        2 => (1, 4),
        3 => (2, 2),
        4 => (3, 0),
        _ => return Err(error(data, alphabet, padding)),
    };
    if v & ((1 << unused_bits) - 1) != 0 {
        return Err(error(data, alphabet, padding));
    }
    let v = v >> unused_bits;
    let Some(out) = dst.get_mut(written..written + bytes) else {
        return Err(error(data, alphabet, padding));
    };
    out.copy_from_slice(&v.to_be_bytes()[4 - bytes..]);
    Ok(written + bytes)
}

/// The error [`first_error`] finds in `data`, which a decoder found invalid.
pub(crate) fn error(data: &[u8], alphabet: Alphabet, padding: bool) -> KernelError {
    // A decoder calls this only for invalid data, and `first_error` finds every violation;
    // should the two ever disagree, the truncation answer is still an error, never a success.
    let (offset, message) =
        first_error(data, alphabet, padding).unwrap_or((data.len(), "invalid base64"));
    KernelError::InvalidData {
        offset: offset as u64,
        message,
    }
}

/// The offset and description of the first violation of the decoding rules in `data`, `None`
/// if it is valid: the literal transcription of the module rules, character by character.
pub(crate) fn first_error(
    data: &[u8],
    alphabet: Alphabet,
    padding: bool,
) -> Option<(usize, &'static str)> {
    let table = values(alphabet);
    let mut padded = false;
    // The byte before `c` (read only at positions 2 and 3, where there is one).
    let mut prev = 0u8;
    for (i, &c) in data.iter().enumerate() {
        let position = i % 4;
        if c == b'=' && padding {
            // `=` may stand third (after a second character with 4 zero low bits) or fourth
            // (after `=`, or after a third character with 2 zero low bits).
            let fits = match position {
                2 => table[usize::from(prev)] & 0x0F == 0,
                3 => prev == b'=' || table[usize::from(prev)] & 0x03 == 0,
                _ => false,
            };
            if !fits {
                return Some((
                    i,
                    match position {
                        0 | 1 => "padding `=` where a character must be",
                        _ => "padding after a character with non-zero unused bits",
                    },
                ));
            }
            padded = true;
        } else if table[usize::from(c)] == INVALID {
            return Some((
                i,
                if c == b'=' {
                    "padding `=` in unpadded base64"
                } else {
                    "not a base64 character"
                },
            ));
        } else if padded {
            return Some((i, "character after the padding"));
        }
        prev = c;
    }
    let len = data.len();
    let last = |mask: u8| {
        data.last()
            .is_some_and(|&c| table[usize::from(c)] & mask != 0)
    };
    match len % 4 {
        _ if padding && !len.is_multiple_of(4) => Some((len, "missing padding")),
        1 => Some((len, "truncated: a final group of one character")),
        2 if last(0x0F) => Some((len, "non-zero unused bits in the last character")),
        3 if last(0x03) => Some((len, "non-zero unused bits in the last character")),
        _ => None,
    }
}
