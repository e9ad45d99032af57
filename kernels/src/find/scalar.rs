//! Portable byte search: the references every vector tier is tested against.
//!
//! Word-at-a-time where it is as clear as the byte loop (`mismatch`), because the scalar wasm
//! build runs this code.

use super::NeedleSet;

/// Offset of the first byte of `data` in `set`.
///
/// # Safety
/// None: `unsafe` only to share the dispatch signature.
pub(crate) unsafe fn find_any(data: &[u8], set: &NeedleSet) -> Option<usize> {
    data.iter().position(|&b| set.contains(b))
}

/// Writes the offset of every `needle` in `data` to `dst`, ascending; returns how many.
///
/// # Safety
/// None: `unsafe` only to share the dispatch signature. Offsets beyond `dst` are dropped, so
/// callers size `dst` to at least the number of matches (see [`super::IndexFn`]).
pub(crate) unsafe fn index_byte(data: &[u8], needle: u8, dst: &mut [u32]) -> usize {
    let mut written = 0;
    for (offset, _) in data.iter().enumerate().filter(|&(_, &b)| b == needle) {
        if let Some(slot) = dst.get_mut(written) {
            // `data.len() <= u32::MAX` is the caller's contract, so the offset fits.
            *slot = offset as u32;
            written += 1;
        }
    }
    written
}

/// First offset where `a` and `b` differ, or the shorter length if one is a prefix of the
/// other, or `None` if they are equal.
///
/// # Safety
/// None: `unsafe` only to share the dispatch signature.
pub(crate) unsafe fn mismatch(a: &[u8], b: &[u8]) -> Option<usize> {
    let common = a.len().min(b.len());
    let (a8, b8) = (a[..common].chunks_exact(8), b[..common].chunks_exact(8));
    let mut offset = 0;
    for (x, y) in a8.zip(b8) {
        let diff = u64::from_le_bytes(x.try_into().unwrap_or_default())
            ^ u64::from_le_bytes(y.try_into().unwrap_or_default());
        if diff != 0 {
            // Little-endian: the lowest set bit lies in the first differing byte.
            return Some(offset + diff.trailing_zeros() as usize / 8);
        }
        offset += 8;
    }
    match a[offset..common]
        .iter()
        .zip(&b[offset..common])
        .position(|(x, y)| x != y)
    {
        Some(i) => Some(offset + i),
        None if a.len() != b.len() => Some(common),
        None => None,
    }
}
