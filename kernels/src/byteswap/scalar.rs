//! Portable byte swap: the reference, written straight from the definition.

/// Reverses the bytes of every whole `W`-byte element of `src` into `dst` (equal lengths).
pub(super) fn swap_w<const W: usize>(src: &[u8], dst: &mut [u8]) {
    for (s, d) in src.chunks_exact(W).zip(dst.chunks_exact_mut(W)) {
        d.copy_from_slice(s);
        d.reverse();
    }
}

/// Reverses the bytes of each `width`-byte element of `src` into `dst`; tail copied.
///
/// # Safety
/// None beyond the [`super::ByteswapFn`] contract (checked lengths and width); no unsafe
/// code inside.
pub(crate) unsafe fn byteswap(src: &[u8], width: usize, dst: &mut [u8]) {
    match width {
        2 => swap_w::<2>(src, dst),
        4 => swap_w::<4>(src, dst),
        _ => swap_w::<8>(src, dst),
    }
    let body = src.len() - src.len() % width;
    dst[body..].copy_from_slice(&src[body..]);
}

/// Reverses the bytes of every whole `W`-byte element of `buf` where it stands.
pub(super) fn swap_in_place_w<const W: usize>(buf: &mut [u8]) {
    for d in buf.chunks_exact_mut(W) {
        d.reverse();
    }
}

/// Reverses the bytes of each `width`-byte element of `buf` in place; the tail stays.
///
/// # Safety
/// None beyond the [`super::ByteswapInPlaceFn`] contract (checked width); no unsafe code
/// inside.
pub(crate) unsafe fn byteswap_in_place(buf: &mut [u8], width: usize) {
    match width {
        2 => swap_in_place_w::<2>(buf),
        4 => swap_in_place_w::<4>(buf),
        _ => swap_in_place_w::<8>(buf),
    }
}
