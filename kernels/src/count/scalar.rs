//! Portable byte count: the reference.

/// Number of bytes of `data` equal to `needle`.
///
/// # Safety
/// None: `unsafe` only to share the dispatch signature.
pub(crate) unsafe fn count_byte(data: &[u8], needle: u8) -> u64 {
    data.iter().filter(|&&b| b == needle).count() as u64
}
