//! Portable delta coding: the reference, written straight from the definition.

/// Reads the `W`-byte little-endian element at the start of `bytes` (`bytes.len() == W`).
#[inline(always)]
pub(super) fn read<const W: usize>(bytes: &[u8]) -> u64 {
    let mut word = [0u8; 8];
    word[..W].copy_from_slice(bytes);
    u64::from_le_bytes(word)
}

/// Writes the low `W` bytes of `value`, little-endian, to `bytes` (`bytes.len() == W`).
#[inline(always)]
fn write<const W: usize>(value: u64, bytes: &mut [u8]) {
    bytes.copy_from_slice(&value.to_le_bytes()[..W]);
}

/// `out[i] = x[i] - x[i-1]` modulo 2^(8W) over the whole `W`-byte elements of `src`, with
/// `x[-1] = prev`; the low `W` bytes of the wrapping `u64` difference are exactly that.
pub(super) fn encode_w<const W: usize>(src: &[u8], dst: &mut [u8], mut prev: u64) {
    for (s, d) in src.chunks_exact(W).zip(dst.chunks_exact_mut(W)) {
        let x = read::<W>(s);
        write::<W>(x.wrapping_sub(prev), d);
        prev = x;
    }
}

/// The running sum modulo 2^(8W) over the whole `W`-byte elements of `src`, starting from
/// `sum`: the inverse of [`encode_w`].
pub(super) fn decode_w<const W: usize>(src: &[u8], dst: &mut [u8], mut sum: u64) {
    for (s, d) in src.chunks_exact(W).zip(dst.chunks_exact_mut(W)) {
        sum = sum.wrapping_add(read::<W>(s));
        write::<W>(sum, d);
    }
}

/// Copies the `len % width` tail bytes unchanged.
pub(super) fn copy_tail(src: &[u8], width: usize, dst: &mut [u8]) {
    // `max(1)` and the zip: no zero-divisor or length-mismatch panic path (width >= 1, and
    // the lengths are equal).
    let body = src.len() - src.len() % width.max(1);
    for (d, s) in dst.iter_mut().zip(src).skip(body) {
        *d = *s;
    }
}

/// Delta-encodes `src` into `dst`.
///
/// # Safety
/// None beyond the [`super::DeltaFn`] contract (checked lengths and width); no unsafe code
/// inside.
pub(crate) unsafe fn encode(src: &[u8], width: usize, dst: &mut [u8]) {
    match width {
        1 => encode_w::<1>(src, dst, 0),
        2 => encode_w::<2>(src, dst, 0),
        4 => encode_w::<4>(src, dst, 0),
        _ => encode_w::<8>(src, dst, 0),
    }
    copy_tail(src, width, dst);
}

/// Delta-decodes `src` into `dst`.
///
/// # Safety
/// As [`encode`].
pub(crate) unsafe fn decode(src: &[u8], width: usize, dst: &mut [u8]) {
    match width {
        1 => decode_w::<1>(src, dst, 0),
        2 => decode_w::<2>(src, dst, 0),
        4 => decode_w::<4>(src, dst, 0),
        _ => decode_w::<8>(src, dst, 0),
    }
    copy_tail(src, width, dst);
}
