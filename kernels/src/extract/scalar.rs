//! Portable field extraction: the reference, written straight from the definition.

/// Copies the `N`-byte field at `offset` of each whole record of `src` to `dst`.
fn extract_n<const N: usize>(src: &[u8], record_size: usize, offset: usize, dst: &mut [u8]) {
    for (record, out) in src.chunks_exact(record_size).zip(dst.chunks_exact_mut(N)) {
        out.copy_from_slice(&record[offset..offset + N]);
    }
}

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
    // The same loop with the common widths as constants, so each field is one load and one
    // store rather than a call to `memcpy` (this is also the wasm path without simd128).
    match width {
        1 => extract_n::<1>(src, record_size, offset, dst),
        2 => extract_n::<2>(src, record_size, offset, dst),
        4 => extract_n::<4>(src, record_size, offset, dst),
        8 => extract_n::<8>(src, record_size, offset, dst),
        _ => {
            for (record, out) in src
                .chunks_exact(record_size)
                .zip(dst.chunks_exact_mut(width))
            {
                out.copy_from_slice(&record[offset..offset + width]);
            }
        }
    }
}
