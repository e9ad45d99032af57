//! C-ABI entry points over [`binpipe_kernels`], one instruction-set tier per build.
//!
//! `tools/native` compiles this crate once per tier with that tier's target features on
//! (so the crate's tier checks fold to constants and every kernel call is a direct call of
//! one tier's code), links it into one position-independent blob, verifies the machine code
//! and embeds it in go-host/internal/native as Go assembly. The entry points themselves are
//! generated from the tool's entry table into [`entries`]; this file holds what they share.
//!
//! Every entry takes raw pointers and lengths that the Go caller has already checked, and
//! returns one `u64`. Nothing here may panic: the verifier refuses a blob in which the panic
//! handler below is reachable.
#![cfg_attr(not(test), no_std)]

mod entries;
#[cfg(all(not(test), panic = "abort"))]
mod mem;

use binpipe_kernels::{Alphabet, CmpOp, ElemType, Isa, KernelError, Kernels, Scalar, Stats};

/// The tier this build compiles for, from the global target features.
const TIER: Isa = if cfg!(all(target_arch = "x86_64", target_feature = "avx512bw")) {
    Isa::Avx512
} else if cfg!(all(target_arch = "x86_64", target_feature = "avx2")) {
    Isa::Avx2
} else if cfg!(all(target_arch = "aarch64", target_feature = "neon")) {
    Isa::Neon
} else {
    Isa::Scalar
};

/// The kernels of [`TIER`]; with the tier's features on at compile time `new` cannot fail.
fn kernels() -> Kernels {
    Kernels::new(TIER).unwrap_or(Kernels::scalar())
}

/// `k` with VPCLMULQDQ assumed (the `*_wide` entries): the blob's features are fixed at
/// compile time, so only the caller can tell that the CPU has it. Elsewhere `k` itself: the
/// NEON blob compiles the entries but does not link them (their notOn).
fn with_vpclmulqdq(k: Kernels) -> Kernels {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: internal/native calls the `*_wide` entries only when CPUID reports VPCLMULQDQ
    // (its clmulWide) on a CPU that passed the tier's checks, OS vector state included.
    return unsafe { k.assume_vpclmulqdq() };
    #[cfg(not(target_arch = "x86_64"))]
    k
}

/// The input slice the Go caller described (`len` bytes at `ptr`; any `ptr` when `len` is 0).
///
/// # Safety
/// If `len > 0`, `ptr` must point to `len` readable bytes that stay valid during the call.
unsafe fn input<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if len == 0 {
        return &[];
    }
    // SAFETY: the caller promises `len` readable bytes at `ptr`.
    unsafe { core::slice::from_raw_parts(ptr, len) }
}

/// The output slice the Go caller described (`len` bytes at `ptr`; any `ptr` when `len` is 0).
///
/// # Safety
/// If `len > 0`, `ptr` must point to `len` writable bytes that nothing else accesses during
/// the call.
unsafe fn output<'a>(ptr: *mut u8, len: usize) -> &'a mut [u8] {
    if len == 0 {
        return &mut [];
    }
    // SAFETY: the caller promises `len` writable, unaliased bytes at `ptr`.
    unsafe { core::slice::from_raw_parts_mut(ptr, len) }
}

/// The slice of `len` elements at `ptr` (any `ptr` when `len` is 0).
///
/// # Safety
/// If `len > 0`, `ptr` must point to `len` readable, aligned elements valid during the call.
unsafe fn slice_in<'a, T>(ptr: *const T, len: usize) -> &'a [T] {
    if len == 0 {
        return &[];
    }
    // SAFETY: the caller promises `len` readable, aligned elements at `ptr`.
    unsafe { core::slice::from_raw_parts(ptr, len) }
}

/// The mutable slice of `len` elements at `ptr` (any `ptr` when `len` is 0).
///
/// # Safety
/// If `len > 0`, `ptr` must point to `len` writable, aligned, unaliased elements.
unsafe fn slice_out<'a, T>(ptr: *mut T, len: usize) -> &'a mut [T] {
    if len == 0 {
        return &mut [];
    }
    // SAFETY: the caller promises `len` writable, aligned, unaliased elements at `ptr`.
    unsafe { core::slice::from_raw_parts_mut(ptr, len) }
}

/// A kernel's result without a value: 0 for success, u64::MAX for an error (the Go caller
/// checked the arguments, so an error means a broken contract).
fn status(r: Result<(), KernelError>) -> u64 {
    match r {
        Ok(()) => 0,
        Err(_) => u64::MAX,
    }
}

/// An optional offset: the offset, or u64::MAX for none.
fn found(at: Option<usize>) -> u64 {
    at.map_or(u64::MAX, |i| i as u64)
}

/// The base64 alphabet a Go flag word names: url-safe if non-zero.
fn alphabet(url: u64) -> Alphabet {
    if url != 0 {
        Alphabet::UrlSafe
    } else {
        Alphabet::Standard
    }
}

/// A decoder's error: 2^63 | offset for invalid data, u64::MAX for anything else.
fn data_error(e: KernelError) -> u64 {
    match e {
        KernelError::InvalidData { offset, .. } => 1 << 63 | offset,
        _ => u64::MAX,
    }
}

/// The column element type a Go word names (WIT order, as `ElemType::ALL`); `None` past it.
fn elem_type(ty: u64) -> Option<ElemType> {
    ElemType::ALL.get(usize::try_from(ty).ok()?).copied()
}

/// The comparison operator a Go word names (WIT order); `None` past it.
fn cmp_op(op: u64) -> Option<CmpOp> {
    CmpOp::ALL.get(usize::try_from(op).ok()?).copied()
}

/// The scalar of class `class` (WIT order: unsigned, signed, float) with the bits `bits`
/// (an integer's two's complement, a float's f64 bits); `None` for an unknown class.
fn scalar(class: u64, bits: u64) -> Option<Scalar> {
    match class {
        0 => Some(Scalar::Unsigned(bits)),
        1 => Some(Scalar::Signed(bits as i64)),
        2 => Some(Scalar::Float(f64::from_bits(bits))),
        _ => None,
    }
}

/// A scalar's bits as the Go side reads them: an integer's two's complement, a float's f64
/// bits.
fn scalar_bits(s: Scalar) -> u64 {
    match s {
        Scalar::Unsigned(v) => v,
        Scalar::Signed(v) => v as u64,
        Scalar::Float(v) => v.to_bits(),
    }
}

/// Writes `s` to `out` as count, `has_min | has_max << 1`, min, max, sum (absent scalars as
/// 0); returns 0, or u64::MAX if `out` has fewer than 5 words.
fn write_stats(s: &Stats, out: &mut [u64]) -> u64 {
    let [count, flags, min, max, sum, ..] = out else {
        return u64::MAX;
    };
    *count = s.count;
    *flags = u64::from(s.min.is_some()) | u64::from(s.max.is_some()) << 1;
    *min = s.min.map_or(0, scalar_bits);
    *max = s.max.map_or(0, scalar_bits);
    *sum = scalar_bits(s.sum);
    0
}

/// The panic handler of the blob build. The verifier proves it unreachable (it refuses a blob
/// that still contains it), so its body never runs.
#[cfg(all(not(test), panic = "abort"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo<'_>) -> ! {
    loop {}
}
