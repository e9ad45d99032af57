//! Byte search: `find-byte`, `find-any`, `index-byte` and `mismatch` (`count-byte` lives in
//! `count`).
//!
//! `find_byte` is delegated to `memchr`, and `find_any` with one to three distinct needles to
//! `memchr2`/`memchr3`: those are already the best at the job on every target we build
//! (SSE2/AVX2 chosen at run time, NEON, simd128). Four to sixteen needles, every offset of a
//! byte, and the first difference of two slices are our own vector code.

pub(crate) mod ops;
mod scalar;
pub(crate) mod simd;

use crate::dispatch::cached_dispatch;
use crate::{Isa, KernelError};

/// The distinct needles of a `find-any` call, as a list and as a 256-bit membership set.
#[derive(Debug, Clone)]
pub(crate) struct NeedleSet {
    /// Bit `b % 64` of word `b / 64` is set when byte `b` is a needle.
    bits: [u64; 4],
    /// The distinct needles, in first-seen order; only `distinct[..count]` is meaningful.
    distinct: [u8; 16],
    /// Number of distinct needles, 1..=16.
    count: usize,
}

impl NeedleSet {
    /// The set of `needles`, which must hold 1 to 16 bytes.
    pub(crate) fn new(needles: &[u8]) -> Result<NeedleSet, KernelError> {
        if !(1..=16).contains(&needles.len()) {
            return Err(KernelError::InvalidArgument(
                "needles must hold 1 to 16 bytes",
            ));
        }
        let mut set = NeedleSet {
            bits: [0; 4],
            distinct: [0; 16],
            count: 0,
        };
        for &b in needles {
            if !set.contains(b) {
                set.bits[usize::from(b / 64)] |= 1 << (b % 64);
                // `count < 16`: at most 16 needles, each counted once (`get_mut` states it
                // without a panic path).
                if let Some(slot) = set.distinct.get_mut(set.count) {
                    *slot = b;
                    set.count += 1;
                }
            }
        }
        Ok(set)
    }

    /// Whether `byte` is a needle.
    #[inline(always)]
    pub(crate) fn contains(&self, byte: u8) -> bool {
        self.bits[usize::from(byte / 64)] & (1 << (byte % 64)) != 0
    }

    /// The distinct needles (1 to 16 of them).
    pub(crate) fn distinct(&self) -> &[u8] {
        // `count <= 16`; `get` states it without a panic path.
        self.distinct.get(..self.count).unwrap_or(&self.distinct)
    }
}

/// Signature of every `find-any` implementation.
pub(crate) type FindAnyFn = unsafe fn(&[u8], &NeedleSet) -> Option<usize>;

/// Signature of every `index-byte` implementation: `(data, needle, dst) -> written`.
///
/// Callers guarantee `data.len() <= u32::MAX` and that `dst` has room for every offset (at
/// least as many elements as `data` holds needles).
pub(crate) type IndexFn = unsafe fn(&[u8], u8, &mut [u32]) -> usize;

/// Signature of every `mismatch` implementation.
pub(crate) type MismatchFn = unsafe fn(&[u8], &[u8]) -> Option<usize>;

/// The fastest `find-any` that a CPU running `isa` supports.
pub(crate) fn select_find_any(isa: Isa) -> FindAnyFn {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Sse2 => simd::x86::find_any_sse2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => simd::x86::find_any_avx2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => simd::x86::find_any_avx512,
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        Isa::Neon => simd::neon::find_any_neon,
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Isa::Simd128 => simd::simd128::find_any_simd128,
        _ => scalar::find_any,
    }
}

/// The fastest `index-byte` that a CPU running `isa` supports.
pub(crate) fn select_index_byte(isa: Isa) -> IndexFn {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Sse2 => simd::x86::index_byte_sse2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => simd::x86::index_byte_avx2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => simd::x86::index_byte_avx512,
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        Isa::Neon => simd::neon::index_byte_neon,
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Isa::Simd128 => simd::simd128::index_byte_simd128,
        _ => scalar::index_byte,
    }
}

/// The fastest `mismatch` that a CPU running `isa` supports.
pub(crate) fn select_mismatch(isa: Isa) -> MismatchFn {
    match isa {
        #[cfg(target_arch = "x86_64")]
        Isa::Sse2 => simd::x86::mismatch_sse2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx2 => simd::x86::mismatch_avx2,
        #[cfg(target_arch = "x86_64")]
        Isa::Avx512 => simd::x86::mismatch_avx512,
        #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
        Isa::Neon => simd::neon::mismatch_neon,
        #[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
        Isa::Simd128 => simd::simd128::mismatch_simd128,
        _ => scalar::mismatch,
    }
}

cached_dispatch!(
    /// `find-any` on the best tier for this CPU.
    find_any_best(data: &[u8], set: &NeedleSet) -> Option<usize> = select_find_any, "find-any"
);

cached_dispatch!(
    /// `index-byte` on the best tier for this CPU.
    index_byte_best(data: &[u8], needle: u8, dst: &mut [u32]) -> usize = select_index_byte, "index-byte"
);

cached_dispatch!(
    /// `mismatch` on the best tier for this CPU.
    mismatch_best(a: &[u8], b: &[u8]) -> Option<usize> = select_mismatch, "mismatch"
);

/// Checks `index_byte_into`'s arguments.
fn check_index_args(data: &[u8], dst: &[u32]) -> Result<(), KernelError> {
    if u32::try_from(data.len()).is_err() {
        return Err(KernelError::TooLarge(u64::from(u32::MAX)));
    }
    if dst.len() < data.len() {
        return Err(KernelError::InvalidArgument(
            "dst must hold at least data.len() offsets",
        ));
    }
    Ok(())
}

/// Offset of the first byte of `data` equal to `needle`, or `None`.
///
/// ```
/// assert_eq!(binpipe_kernels::find_byte(b"key=value", b'='), Some(3));
/// assert_eq!(binpipe_kernels::find_byte(b"key", b'='), None);
/// ```
pub fn find_byte(data: &[u8], needle: u8) -> Option<usize> {
    if cfg!(feature = "force-scalar") {
        return data.iter().position(|&b| b == needle);
    }
    // memchr is the best at this on every target we build: SSE2/AVX2 chosen at run time,
    // NEON on aarch64, simd128 on wasm32, and a word-at-a-time loop elsewhere.
    memchr::memchr(needle, data)
}

/// Offset of the first byte of `data` equal to any byte of `needles`, or `None`.
///
/// `needles` holds 1 to 16 bytes; duplicates are allowed.
///
/// ```
/// assert_eq!(binpipe_kernels::find_any(b"a,b;c", b";,"), Ok(Some(1)));
/// assert_eq!(binpipe_kernels::find_any(b"abc", b"xyz"), Ok(None));
/// ```
///
/// # Errors
/// [`KernelError::InvalidArgument`] if `needles` is empty or longer than 16 bytes.
pub fn find_any(data: &[u8], needles: &[u8]) -> Result<Option<usize>, KernelError> {
    let set = NeedleSet::new(needles)?;
    if cfg!(feature = "force-scalar") {
        // SAFETY: the scalar reference runs on every CPU.
        return Ok(unsafe { scalar::find_any(data, &set) });
    }
    // One to three distinct needles: memchr's memchr/memchr2/memchr3 (best on every target,
    // see `find_byte`); more: our nibble-table search.
    Ok(match *set.distinct() {
        [a] => memchr::memchr(a, data),
        [a, b] => memchr::memchr2(a, b, data),
        [a, b, c] => memchr::memchr3(a, b, c, data),
        _ => find_any_best(data, &set),
    })
}

/// Every offset of `needle` in `data`, ascending, as a new vector.
///
/// ```
/// assert_eq!(binpipe_kernels::index_byte(b"a\nb\n", b'\n'), Ok(vec![1, 3]));
/// ```
///
/// # Errors
/// [`KernelError::TooLarge`] (carrying `u32::MAX`) if `data` is longer than `u32::MAX`
/// bytes, as the offsets would not fit.
#[cfg(feature = "alloc")]
pub fn index_byte(data: &[u8], needle: u8) -> Result<alloc::vec::Vec<u32>, KernelError> {
    if u32::try_from(data.len()).is_err() {
        return Err(KernelError::TooLarge(u64::from(u32::MAX)));
    }
    // Counting first (a fast pass) sizes the output exactly instead of at 4 bytes per input
    // byte.
    let mut dst = alloc::vec![0; crate::count_byte(data, needle) as usize];
    let written = index_byte_best(data, needle, &mut dst);
    dst.truncate(written);
    Ok(dst)
}

/// Writes every offset of `needle` in `data` to the start of `dst`, ascending, and returns
/// how many it wrote.
///
/// `dst` must hold at least `data.len()` elements (room for the worst case, where every byte
/// matches); elements past the returned count are left as they were.
///
/// ```
/// let mut dst = [0u32; 5];
/// assert_eq!(binpipe_kernels::index_byte_into(b"a,,b,", b',', &mut dst), Ok(3));
/// assert_eq!(dst[..3], [1, 2, 4]);
/// ```
///
/// # Errors
/// [`KernelError::TooLarge`] (carrying `u32::MAX`) if `data` is longer than `u32::MAX`
/// bytes; [`KernelError::InvalidArgument`] if `dst` is shorter than `data`.
pub fn index_byte_into(data: &[u8], needle: u8, dst: &mut [u32]) -> Result<usize, KernelError> {
    check_index_args(data, dst)?;
    Ok(index_byte_best(data, needle, dst))
}

/// First offset where `a` and `b` differ; if one is a strict prefix of the other, the shorter
/// length; `None` if they are equal.
///
/// ```
/// assert_eq!(binpipe_kernels::mismatch(b"abcd", b"abXd"), Some(2));
/// assert_eq!(binpipe_kernels::mismatch(b"ab", b"abc"), Some(2));
/// assert_eq!(binpipe_kernels::mismatch(b"abc", b"abc"), None);
/// ```
pub fn mismatch(a: &[u8], b: &[u8]) -> Option<usize> {
    mismatch_best(a, b)
}

/// The search kernels on one tier, for differential tests and benchmarks.
impl crate::Kernels {
    /// [`crate::find_byte`] on this tier: `memchr`'s own search for the tier's instruction set
    /// (its AVX2 routine on the AVX2 and AVX-512 tiers, SSE2, NEON), called directly. The free
    /// function's `memchr::memchr` goes through a function pointer that `memchr` caches in a
    /// writable static on x86_64; this path has none (nor `cpuid` without `std`), which the
    /// native blobs need.
    pub fn find_byte(&self, data: &[u8], needle: u8) -> Option<usize> {
        if cfg!(feature = "force-scalar") {
            return data.iter().position(|&b| b == needle);
        }
        match self.isa() {
            #[cfg(target_arch = "x86_64")]
            Isa::Avx2 | Isa::Avx512 => {
                if let Some(finder) = memchr::arch::x86_64::avx2::memchr::One::new(needle) {
                    return finder.find(data);
                }
            }
            #[cfg(target_arch = "x86_64")]
            Isa::Sse2 => {
                if let Some(finder) = memchr::arch::x86_64::sse2::memchr::One::new(needle) {
                    return finder.find(data);
                }
            }
            #[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
            Isa::Neon => {
                if let Some(finder) = memchr::arch::aarch64::neon::memchr::One::new(needle) {
                    return finder.find(data);
                }
            }
            _ => {}
        }
        memchr::arch::all::memchr::One::new(needle).find(data)
    }

    /// [`crate::find_any`] on this tier: its own vector code for any number of needles (the
    /// free function hands one to three distinct needles to `memchr`).
    ///
    /// # Errors
    /// As [`crate::find_any`].
    pub fn find_any(&self, data: &[u8], needles: &[u8]) -> Result<Option<usize>, KernelError> {
        let set = NeedleSet::new(needles)?;
        let kernel = select_find_any(self.isa());
        // SAFETY: `Kernels` exists only for tiers the CPU runs, and `select_find_any` returns
        // only implementations that tier can run.
        Ok(unsafe { kernel(data, &set) })
    }

    /// [`crate::index_byte_into`] on this tier.
    ///
    /// # Errors
    /// As [`crate::index_byte_into`].
    pub fn index_byte_into(
        &self,
        data: &[u8],
        needle: u8,
        dst: &mut [u32],
    ) -> Result<usize, KernelError> {
        check_index_args(data, dst)?;
        let kernel = select_index_byte(self.isa());
        // SAFETY: as in `find_any`; `check_index_args` established the length preconditions.
        Ok(unsafe { kernel(data, needle, dst) })
    }

    /// [`crate::mismatch`] on this tier.
    pub fn mismatch(&self, a: &[u8], b: &[u8]) -> Option<usize> {
        let kernel = select_mismatch(self.isa());
        // SAFETY: as in `find_any`.
        unsafe { kernel(a, b) }
    }
}
