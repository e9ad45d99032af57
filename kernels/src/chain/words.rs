//! The stages whose kernels take or give integer lists, on byte buffers: `u64` and `u32`
//! values read from and written to buffers of any alignment, little-endian.
//!
//! A buffer that is aligned for its elements (on a little-endian target) is handed to the
//! kernel as it is; any other goes through a stack chunk of [`CHUNK`] values. Each chunked
//! form gives exactly the whole-buffer result: varints and whole chunks of bit-packed values
//! both end on byte boundaries, and the varint decoder is given whole varints only.

use crate::KernelError;

/// Values per chunk when a buffer is not aligned for its elements (2 KiB of `u64`s).
const CHUNK: usize = 256;

/// A little-endian integer element: `u32` or `u64` (the trait is private to this module and
/// implemented for those two only, for which every bit pattern is a valid value).
trait Word: Copy + Default {
    /// Size in bytes.
    const SIZE: usize;
    /// The value of `SIZE` little-endian bytes.
    fn load(bytes: &[u8]) -> Self;
    /// Writes the value as `SIZE` little-endian bytes.
    fn store(self, bytes: &mut [u8]);
}

impl Word for u32 {
    const SIZE: usize = 4;
    fn load(bytes: &[u8]) -> Self {
        u32::from_le_bytes(bytes.try_into().unwrap_or_default())
    }
    fn store(self, bytes: &mut [u8]) {
        bytes.copy_from_slice(&self.to_le_bytes());
    }
}

impl Word for u64 {
    const SIZE: usize = 8;
    fn load(bytes: &[u8]) -> Self {
        u64::from_le_bytes(bytes.try_into().unwrap_or_default())
    }
    fn store(self, bytes: &mut [u8]) {
        bytes.copy_from_slice(&self.to_le_bytes());
    }
}

/// `bytes` as elements, if the target is little-endian and `bytes` starts aligned and holds
/// a whole number of them.
fn view<T: Word>(bytes: &[u8]) -> Option<&[T]> {
    if cfg!(target_endian = "big") {
        return None;
    }
    // SAFETY: `T` is `u32` or `u64` (see `Word`), valid for every bit pattern; `align_to`
    // returns a middle part that is aligned for `T`.
    let (head, mid, tail) = unsafe { bytes.align_to::<T>() };
    (head.is_empty() && tail.is_empty()).then_some(mid)
}

/// The whole elements that fit in `bytes`, if the target is little-endian and `bytes` starts
/// aligned.
fn view_mut<T: Word>(bytes: &mut [u8]) -> Option<&mut [T]> {
    if cfg!(target_endian = "big") {
        return None;
    }
    // SAFETY: as in `view`.
    let (head, mid, _) = unsafe { bytes.align_to_mut::<T>() };
    head.is_empty().then_some(mid)
}

/// Reads the whole elements of `bytes` (at most [`CHUNK`]) into `out`; returns how many.
fn load<T: Word>(bytes: &[u8], out: &mut [T; CHUNK]) -> usize {
    let mut n = 0;
    for (value, chunk) in out.iter_mut().zip(bytes.chunks_exact(T::SIZE)) {
        *value = T::load(chunk);
        n += 1;
    }
    n
}

/// Writes `values` little-endian to the start of `bytes` (as many as fit).
fn store<T: Word>(values: &[T], bytes: &mut [u8]) {
    for (value, chunk) in values.iter().zip(bytes.chunks_exact_mut(T::SIZE)) {
        value.store(chunk);
    }
}

/// `dst` from byte `from` on (empty past its end).
fn rest(dst: &mut [u8], from: usize) -> &mut [u8] {
    dst.get_mut(from..).unwrap_or_default()
}

/// Length of the varint encoding of the `u64` little-endian values of `src`.
pub(super) fn varint_encoded_len(src: &[u8]) -> u64 {
    src.chunks_exact(8)
        .map(|c| {
            let significant = 64 - u64::load(c).leading_zeros().min(63);
            u64::from(significant.div_ceil(7))
        })
        .sum()
}

/// Varint-encodes the `u64` values of `src` (a multiple of 8 bytes) into `dst`, which holds
/// the encoding; returns its length.
pub(super) fn varint_encode(src: &[u8], dst: &mut [u8]) -> Result<usize, KernelError> {
    if let Some(values) = view::<u64>(src) {
        return crate::varint_encode_into(values, dst);
    }
    let mut values = [0; CHUNK];
    let mut written = 0;
    for chunk in src.chunks(8 * CHUNK) {
        let n = load::<u64>(chunk, &mut values);
        written += crate::varint_encode_into(&values[..n], rest(dst, written))?;
    }
    Ok(written)
}

/// Decodes the varints of `src` as `u64` values into `dst`, which holds 8 bytes per byte of
/// `src` below `0x80`; returns the number of bytes written.
pub(super) fn varint_decode(src: &[u8], dst: &mut [u8]) -> Result<usize, KernelError> {
    if let Some(values) = view_mut::<u64>(dst) {
        return Ok(8 * crate::varint_decode_into(src, values)?);
    }
    let mut values = [0; CHUNK];
    let (mut read, mut written) = (0, 0);
    while let Some(window) = src.get(read..).filter(|w| !w.is_empty()) {
        let window = &window[..window.len().min(CHUNK)];
        // Up to the window's last varint end; with none, the window is an error the decoder
        // reports (an 11th byte needed, or truncation at the end of `src`).
        let take = window
            .iter()
            .rposition(|&b| b < 0x80)
            .map_or(window.len(), |end| end + 1);
        let n = crate::varint_decode_into(&window[..take], &mut values)
            .map_err(|err| shifted(err, read))?;
        store(&values[..n], rest(dst, written));
        read += take;
        written += 8 * n;
    }
    Ok(written)
}

/// `err` with a data error's offset moved from a window's start to the whole input's.
fn shifted(err: KernelError, by: usize) -> KernelError {
    match err {
        KernelError::InvalidData { offset, message } => KernelError::InvalidData {
            offset: offset + by as u64,
            message,
        },
        other => other,
    }
}

/// Bit-packs the `u32` values of `src` (a multiple of 4 bytes) at `bits` bits into `dst`,
/// which holds the packed bytes; returns their number.
pub(super) fn bitpack(src: &[u8], bits: u8, dst: &mut [u8]) -> Result<usize, KernelError> {
    if let Some(values) = view::<u32>(src) {
        return crate::bitpack_into(values, bits, dst);
    }
    // A whole chunk packs to exactly `CHUNK * bits / 8` bytes, so chunks concatenate.
    let mut values = [0; CHUNK];
    let mut written = 0;
    for chunk in src.chunks(4 * CHUNK) {
        let n = load::<u32>(chunk, &mut values);
        written += crate::bitpack_into(&values[..n], bits, rest(dst, written))?;
    }
    Ok(written)
}

/// Unpacks `count` values of `bits` bits from `src` (long enough: checked before) as `u32`
/// values into `dst`, which holds `4 * count` bytes; returns that number.
pub(super) fn bitunpack(
    src: &[u8],
    bits: u8,
    count: u32,
    dst: &mut [u8],
) -> Result<usize, KernelError> {
    let len = 4 * count as usize;
    if let Some(values) = view_mut::<u32>(dst) {
        crate::bitunpack_into(src, bits, count, values)?;
        return Ok(len);
    }
    let mut values = [0; CHUNK];
    let mut done = 0;
    while done < count {
        let n = (count - done).min(CHUNK as u32);
        // `done` is a multiple of CHUNK (of 8), so value `done` starts on a byte.
        let from = u64::from(done) * u64::from(bits) / 8;
        let data = src.get(from as usize..).unwrap_or_default();
        crate::bitunpack_into(data, bits, n, &mut values)?;
        store(&values[..n as usize], rest(dst, 4 * done as usize));
        done += n;
    }
    Ok(len)
}
