//! Portable field extraction: the reference, written straight from the definition.

/// Copies bytes `offset..offset + width` of each of the `n` records of `record_size` bytes
/// at the start of `src` to `dst[r * width..]`.
///
/// # Safety
/// None beyond the [`super::ExtractFn`] contract (checked sizes); no unsafe code inside.
pub(crate) unsafe fn extract(
    src: &[u8],
    record_size: usize,
    offset: usize,
    width: usize,
    dst: &mut [u8],
) {
    for (record, out) in src
        .chunks_exact(record_size)
        .zip(dst.chunks_exact_mut(width))
    {
        out.copy_from_slice(&record[offset..offset + width]);
    }
}
