//! Portable shuffle and unshuffle: the reference, written straight from the definition.

/// `dst[j*n + i] = src[i*elem_size + j]`, tail copied.
///
/// # Safety
/// None beyond the [`super::ShuffleFn`] contract (checked lengths); no unsafe code inside.
pub(crate) unsafe fn shuffle(src: &[u8], elem_size: usize, dst: &mut [u8]) {
    let n = src.len() / elem_size;
    for (i, elem) in src.chunks_exact(elem_size).enumerate() {
        for (j, &byte) in elem.iter().enumerate() {
            dst[j * n + i] = byte;
        }
    }
    let body = n * elem_size;
    dst[body..].copy_from_slice(&src[body..]);
}

/// `dst[i*elem_size + j] = src[j*n + i]`, tail copied.
///
/// # Safety
/// As [`shuffle`].
pub(crate) unsafe fn unshuffle(src: &[u8], elem_size: usize, dst: &mut [u8]) {
    let n = src.len() / elem_size;
    for (i, elem) in dst.chunks_exact_mut(elem_size).enumerate() {
        for (j, byte) in elem.iter_mut().enumerate() {
            *byte = src[j * n + i];
        }
    }
    let body = n * elem_size;
    dst[body..].copy_from_slice(&src[body..]);
}
