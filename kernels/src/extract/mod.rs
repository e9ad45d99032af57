//! Field extraction: one fixed byte range out of every fixed-size record, concatenated.

mod copy;
mod scalar;
mod simd;
mod vector;

use crate::dispatch::cached_dispatch;
use crate::{Isa, KernelError};

/// Signature of every extraction implementation: `(src, record_size, offset, width, dst)`.
///
/// Callers guarantee `record_size >= 1`, `width >= 1`, `offset + width <= record_size` and
/// `dst.len() >= (src.len() / record_size) * width` (see [`check_args`]); the implementation
/// writes exactly the first `(src.len() / record_size) * width` bytes of `dst`.
pub(crate) type ExtractFn = unsafe fn(&[u8], usize, usize, usize, &mut [u8]);

/// The checked parameters, as `usize`.
struct Params {
    /// Bytes per record, at least 1.
    record_size: usize,
    /// Start of the field inside a record.
    offset: usize,
    /// Bytes per field, at least 1; `offset + width <= record_size`.
    width: usize,
    /// Bytes the extraction writes: `(src.len() / record_size) * width`.
    out_len: usize,
}

/// Validates the field parameters for an input of `src_len` bytes.
fn check_params(
    src_len: usize,
    record_size: u32,
    offset: u32,
    width: u32,
) -> Result<Params, KernelError> {
    if record_size == 0 {
        return Err(KernelError::InvalidArgument(
            "record-size must be at least 1",
        ));
    }
    if width == 0 {
        return Err(KernelError::InvalidArgument("width must be at least 1"));
    }
    if u64::from(offset) + u64::from(width) > u64::from(record_size) {
        return Err(KernelError::InvalidArgument(
            "offset + width must not exceed record-size",
        ));
    }
    // A u32 fits in usize on every target this crate builds for (32- and 64-bit).
    let (record_size, offset, width) = (record_size as usize, offset as usize, width as usize);
    // No overflow: `width <= record_size`, so the product is at most `src.len()`.
    Ok(Params {
        record_size,
        offset,
        width,
        out_len: src_len / record_size * width,
    })
}

/// Validates the public arguments of the `_into` functions, `dst`'s length included.
fn check_args(
    src: &[u8],
    record_size: u32,
    offset: u32,
    width: u32,
    dst: &[u8],
) -> Result<Params, KernelError> {
    let p = check_params(src.len(), record_size, offset, width)?;
    if dst.len() < p.out_len {
        return Err(KernelError::InvalidArgument(
            "dst is shorter than the extracted fields",
        ));
    }
    Ok(p)
}

/// The fastest extraction that a CPU running `isa` supports.
fn select(isa: Isa) -> ExtractFn {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Sse2 => simd::extract_sse2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => simd::extract_avx2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => simd::extract_avx512,
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        Isa::Neon => simd::extract_neon,
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Isa::Simd128 => simd::extract_simd128,
        _ => scalar::extract,
    }
}

cached_dispatch!(
    /// Field extraction on the best tier for this CPU.
    best(src: &[u8], record_size: usize, offset: usize, width: usize, dst: &mut [u8]) -> () = select, "extract-field"
);

/// For each of the `src.len() / record_size` complete records, copies its bytes
/// `[offset, offset + width)` to `dst`, one after another; returns the number of bytes
/// written, `(src.len() / record_size) * width`. Trailing bytes of an incomplete record are
/// ignored; `dst` past the written bytes is left as it was.
///
/// ```
/// let mut out = [0u8; 4];
/// let n = binpipe_kernels::extract_field_into(b"abcdefghi", 3, 1, 1, &mut out).unwrap();
/// assert_eq!(&out[..n], b"beh");
/// ```
///
/// # Errors
/// [`KernelError::InvalidArgument`] if `record_size` or `width` is 0, `offset + width >
/// record_size`, or `dst` is shorter than the bytes to write.
pub fn extract_field_into(
    src: &[u8],
    record_size: u32,
    offset: u32,
    width: u32,
    dst: &mut [u8],
) -> Result<usize, KernelError> {
    let p = check_args(src, record_size, offset, width, dst)?;
    best(src, p.record_size, p.offset, p.width, dst);
    Ok(p.out_len)
}

/// [`extract_field_into`] into a new vector of exactly the extracted bytes.
///
/// # Errors
/// [`KernelError::InvalidArgument`] if `record_size` or `width` is 0 or `offset + width >
/// record_size`.
#[cfg(feature = "alloc")]
pub fn extract_field(
    src: &[u8],
    record_size: u32,
    offset: u32,
    width: u32,
) -> Result<alloc::vec::Vec<u8>, KernelError> {
    let p = check_params(src.len(), record_size, offset, width)?;
    let mut dst = alloc::vec![0; p.out_len];
    best(src, p.record_size, p.offset, p.width, &mut dst);
    Ok(dst)
}

impl crate::Kernels {
    /// [`extract_field_into`] on this tier.
    ///
    /// # Errors
    /// As [`extract_field_into`].
    pub fn extract_field_into(
        &self,
        src: &[u8],
        record_size: u32,
        offset: u32,
        width: u32,
        dst: &mut [u8],
    ) -> Result<usize, KernelError> {
        let p = check_args(src, record_size, offset, width, dst)?;
        let kernel = select(self.isa());
        // SAFETY: `Kernels::new` checked that the CPU runs this tier and `select` returns only
        // implementations it can run; `check_args` established the size preconditions.
        unsafe { kernel(src, p.record_size, p.offset, p.width, dst) };
        Ok(p.out_len)
    }
}
