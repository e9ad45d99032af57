//! Validation: `utf8-validate` and `ascii-prefix`.
//!
//! `utf8_validate` is delegated to `simdutf8`'s `compat` API: it gives exactly
//! `core::str::from_utf8`'s verdict and error (`valid_up_to`, `error_len`), with SIMD on every
//! target we build (SSE4.2/AVX2 chosen at run time, NEON, simd128), which is as good as this
//! kernel gets. `ascii_prefix` is our own vector code.

mod scalar;
mod simd;

use crate::Isa;
use crate::Utf8Error;
use crate::dispatch::cached_dispatch;

/// Signature of every `ascii-prefix` implementation.
pub(crate) type AsciiPrefixFn = unsafe fn(&[u8]) -> usize;

/// The fastest `ascii-prefix` that a CPU running `isa` supports.
pub(crate) fn select_ascii_prefix(isa: Isa) -> AsciiPrefixFn {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Sse2 => simd::x86::ascii_prefix_sse2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => simd::x86::ascii_prefix_avx2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => simd::x86::ascii_prefix_avx512,
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        Isa::Neon => simd::ascii_prefix_neon,
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Isa::Simd128 => simd::ascii_prefix_simd128,
        _ => scalar::ascii_prefix,
    }
}

cached_dispatch!(
    /// `ascii-prefix` on the best tier for this CPU.
    ascii_prefix_best(data: &[u8]) -> usize = select_ascii_prefix, "ascii-prefix"
);

/// Converts the standard library's (or simdutf8's identical) error description.
fn utf8_error(valid_up_to: usize, error_len: Option<usize>) -> Utf8Error {
    Utf8Error {
        valid_up_to,
        // `error_len` is 1 to 3 by definition, so it always fits a `u8`.
        error_len: error_len.map(|len| len as u8),
    }
}

/// Whether `data` is UTF-8, with exactly the verdict and error of `core::str::from_utf8`.
///
/// ```
/// use binpipe_kernels::{Utf8Error, utf8_validate};
/// assert_eq!(utf8_validate("héllo".as_bytes()), Ok(()));
/// // A lone continuation byte: one invalid byte after "a".
/// assert_eq!(utf8_validate(b"a\x80b"), Err(Utf8Error { valid_up_to: 1, error_len: Some(1) }));
/// // Input ending inside a 3-byte sequence.
/// assert_eq!(utf8_validate(b"a\xE2\x82"), Err(Utf8Error { valid_up_to: 1, error_len: None }));
/// ```
///
/// # Errors
/// [`Utf8Error`] with the length of the longest valid prefix and the length (1 to 3) of the
/// invalid sequence after it, or `None` when the input ends inside a sequence.
pub fn utf8_validate(data: &[u8]) -> Result<(), Utf8Error> {
    if cfg!(feature = "force-scalar") {
        return core::str::from_utf8(data)
            .map(|_| ())
            .map_err(|e| utf8_error(e.valid_up_to(), e.error_len()));
    }
    simdutf8::compat::from_utf8(data)
        .map(|_| ())
        .map_err(|e| utf8_error(e.valid_up_to(), e.error_len()))
}

/// Length of the longest prefix of `data` whose bytes are all below 0x80.
///
/// ```
/// assert_eq!(binpipe_kernels::ascii_prefix("abcé".as_bytes()), 3);
/// assert_eq!(binpipe_kernels::ascii_prefix(b"plain"), 5);
/// ```
pub fn ascii_prefix(data: &[u8]) -> usize {
    ascii_prefix_best(data)
}

/// The validation kernels with their own vector code, on one tier.
impl crate::Kernels {
    /// [`crate::utf8_validate`] without a reachable panic: `simdutf8`'s `basic` validator (a
    /// verdict only) and, for invalid data alone, `core::str::from_utf8` for the error, whose
    /// verdict and error `compat` reproduces. The free function's `compat` error path
    /// (`get_compat_error`) keeps an `unwrap` and bounds checks, which the native blobs refuse.
    /// `simdutf8` picks its own instruction set, as for the free function (at compile time
    /// without `std`).
    ///
    /// # Errors
    /// As [`crate::utf8_validate`].
    pub fn utf8_validate(&self, data: &[u8]) -> Result<(), Utf8Error> {
        if !cfg!(feature = "force-scalar") && simdutf8::basic::from_utf8(data).is_ok() {
            return Ok(());
        }
        core::str::from_utf8(data)
            .map(|_| ())
            .map_err(|e| utf8_error(e.valid_up_to(), e.error_len()))
    }

    /// [`crate::ascii_prefix`] on this tier.
    pub fn ascii_prefix(&self, data: &[u8]) -> usize {
        let kernel = select_ascii_prefix(self.isa());
        // SAFETY: `Kernels` exists only for tiers the CPU runs, and `select_ascii_prefix`
        // returns only implementations that tier can run.
        unsafe { kernel(data) }
    }
}
