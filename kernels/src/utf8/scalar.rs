//! Portable ASCII prefix: the reference every vector tier is tested against.

/// The top bit of every byte of a word.
const HIGH_BITS: u64 = 0x8080_8080_8080_8080;

/// Length of the longest prefix of `data` whose bytes are all below 0x80, a word at a time.
///
/// # Safety
/// None: `unsafe` only to share the dispatch signature.
pub(crate) unsafe fn ascii_prefix(data: &[u8]) -> usize {
    let mut offset = 0;
    for word in data.chunks_exact(8) {
        let high = u64::from_le_bytes(word.try_into().unwrap_or_default()) & HIGH_BITS;
        if high != 0 {
            // Little-endian: the lowest set bit is the top bit of the first non-ASCII byte.
            return offset + high.trailing_zeros() as usize / 8;
        }
        offset += 8;
    }
    offset
        + data[offset..]
            .iter()
            .position(|&b| b >= 0x80)
            .unwrap_or(data.len() - offset)
}
