//! The fast-path ABI for the Go host (version [`ABI_VERSION`]; layout in docs/abi.md).
//!
//! The host allocates long-lived buffers once with [`bp_alloc`], writes input straight into
//! them, and calls a kernel with plain `(pointer, length)` arguments. Kernels borrow the
//! buffers and never free them. Every pointer range is checked against the current memory
//! size, so a bad range is an error code, never undefined behaviour.
//!
//! Return conventions: kernels with a 32-bit result return it zero-extended in an `i64`, and
//! `-1` on error; kernels that write into a buffer return `0` on success and `-1` on error. On
//! error, [`bp_last_error`] points at an [`ErrorRecord`] describing it.

use binpipe_kernels::KernelError;
use core::alloc::Layout;
use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

/// Version of this ABI. Bump it on any change the host could observe.
pub const ABI_VERSION: u32 = 1;

/// The WIT package version this module implements, packed as `major << 16 | minor << 8 | patch`.
pub const WIT_VERSION: u32 = 0x00_01_00;

/// Alignment of every buffer from [`bp_alloc`]: enough for any vector load.
const BUFFER_ALIGN: usize = 16;

/// [`ErrorRecord::kind`] values, in the order of the WIT `kernel-error` cases.
mod kind {
    /// A parameter is out of range (also: a buffer outside linear memory).
    pub const INVALID_ARGUMENT: u32 = 1;
    /// The data is malformed at `offset`.
    pub const INVALID_DATA: u32 = 2;
    /// The input exceeds the limit stored in `offset`.
    pub const TOO_LARGE: u32 = 3;
}

/// The last error, at a fixed address the host reads after a failed call.
///
/// Layout (little-endian, 24 bytes): `kind: u32 @0`, `message_ptr: u32 @4`, `offset: u64 @8`,
/// `message_len: u32 @16`. The message is UTF-8 in the module's static data.
#[repr(C)]
pub struct ErrorRecord {
    kind: AtomicU32,
    message_ptr: AtomicU32,
    offset: AtomicU64,
    message_len: AtomicU32,
}

/// The one error record (wasm32 modules here are single-threaded; atomics keep it safe code).
static LAST_ERROR: ErrorRecord = ErrorRecord {
    kind: AtomicU32::new(0),
    message_ptr: AtomicU32::new(0),
    offset: AtomicU64::new(0),
    message_len: AtomicU32::new(0),
};

/// Stores `err` in [`LAST_ERROR`].
fn record(err: KernelError) {
    let (kind, offset, message) = match err {
        KernelError::InvalidArgument(msg) => (kind::INVALID_ARGUMENT, 0, msg),
        KernelError::InvalidData { offset, message } => (kind::INVALID_DATA, offset, message),
        KernelError::TooLarge(limit) => (kind::TOO_LARGE, limit, "input too large"),
        _ => (kind::INVALID_ARGUMENT, 0, "unknown kernel error"),
    };
    LAST_ERROR.kind.store(kind, Ordering::Relaxed);
    LAST_ERROR.offset.store(offset, Ordering::Relaxed);
    LAST_ERROR
        .message_ptr
        .store(message.as_ptr() as u32, Ordering::Relaxed);
    LAST_ERROR
        .message_len
        .store(message.len() as u32, Ordering::Relaxed);
}

/// Address of the [`ErrorRecord`] describing the last failed call.
#[unsafe(no_mangle)]
pub extern "C" fn bp_last_error() -> u32 {
    &LAST_ERROR as *const ErrorRecord as u32
}

/// The fast-path ABI version ([`ABI_VERSION`]).
#[unsafe(no_mangle)]
pub extern "C" fn bp_abi_version() -> u32 {
    ABI_VERSION
}

/// The implemented WIT package version ([`WIT_VERSION`]).
#[unsafe(no_mangle)]
pub extern "C" fn bp_wit_version() -> u32 {
    WIT_VERSION
}

/// Allocates a `len`-byte buffer aligned to 16 for the host; 0 if `len` is 0 or memory is
/// exhausted. The host owns it until it calls [`bp_free`] with the same `len`.
#[unsafe(no_mangle)]
pub extern "C" fn bp_alloc(len: u32) -> u32 {
    let Ok(layout) = Layout::from_size_align(len as usize, BUFFER_ALIGN) else {
        return 0;
    };
    if layout.size() == 0 {
        return 0;
    }
    // SAFETY: the layout has a non-zero size, as `alloc` requires.
    unsafe { std::alloc::alloc(layout) as u32 }
}

/// Frees a buffer from [`bp_alloc`]; `len` must be the length it was allocated with. A null
/// pointer or zero length is ignored.
#[unsafe(no_mangle)]
pub extern "C" fn bp_free(ptr: u32, len: u32) {
    let Ok(layout) = Layout::from_size_align(len as usize, BUFFER_ALIGN) else {
        return;
    };
    if ptr == 0 || layout.size() == 0 {
        return;
    }
    // SAFETY: the host promises `ptr` came from `bp_alloc(len)` and is freed once; the layout
    // is rebuilt from the same `len` and alignment.
    unsafe { std::alloc::dealloc(ptr as *mut u8, layout) }
}

/// Whether `[ptr, ptr + len)` lies inside linear memory (and not at address 0 unless empty).
fn in_memory(ptr: u32, len: u32) -> bool {
    let memory_bytes = core::arch::wasm32::memory_size::<0>() as u64 * 65536;
    len == 0 || (ptr != 0 && u64::from(ptr) + u64::from(len) <= memory_bytes)
}

/// Borrows `[ptr, ptr + len)` of linear memory, or records an error.
fn input<'a>(ptr: u32, len: u32) -> Result<&'a [u8], KernelError> {
    if !in_memory(ptr, len) {
        return Err(KernelError::InvalidArgument(
            "input buffer outside linear memory",
        ));
    }
    if len == 0 {
        return Ok(&[]);
    }
    // SAFETY: the range lies inside linear memory (checked above), every byte of which is
    // initialised and readable; the host does not run code concurrently with this call.
    Ok(unsafe { core::slice::from_raw_parts(ptr as *const u8, len as usize) })
}

/// Borrows `[ptr, ptr + len)` mutably; it must not overlap `src`.
fn output<'a>(ptr: u32, len: u32, src: &[u8]) -> Result<&'a mut [u8], KernelError> {
    if !in_memory(ptr, len) {
        return Err(KernelError::InvalidArgument(
            "output buffer outside linear memory",
        ));
    }
    if len == 0 {
        return Ok(&mut []);
    }
    let (start, end) = (ptr as usize, ptr as usize + len as usize);
    let (src_start, src_end) = (src.as_ptr() as usize, src.as_ptr() as usize + src.len());
    if start < src_end && src_start < end {
        return Err(KernelError::InvalidArgument(
            "output buffer overlaps input buffer",
        ));
    }
    // SAFETY: the range lies inside linear memory and does not overlap `src` (both checked
    // above), so this is the only live reference to it during the call.
    Ok(unsafe { core::slice::from_raw_parts_mut(ptr as *mut u8, len as usize) })
}

/// Maps a kernel's outcome to the status convention, recording any error.
fn status(result: Result<(), KernelError>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(err) => {
            record(err);
            -1
        }
    }
}

/// CRC-32C of `[ptr, ptr + len)` continuing from `seed`, zero-extended; -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_crc32c(ptr: u32, len: u32, seed: u32) -> i64 {
    match input(ptr, len) {
        Ok(data) => i64::from(binpipe_kernels::crc32c(data, seed)),
        Err(err) => {
            record(err);
            -1
        }
    }
}

/// Number of bytes equal to `needle` (low 8 bits) in `[ptr, ptr + len)`; -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_count_byte(ptr: u32, len: u32, needle: u32) -> i64 {
    match input(ptr, len) {
        Ok(data) => binpipe_kernels::count_byte(data, needle as u8) as i64,
        Err(err) => {
            record(err);
            -1
        }
    }
}

/// Shuffles `len` bytes at `src` into `len` bytes at `dst`; 0 on success, -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_shuffle(src: u32, len: u32, dst: u32, elem_size: u32) -> i32 {
    status(
        input(src, len)
            .and_then(|s| binpipe_kernels::shuffle_into(s, elem_size, output(dst, len, s)?)),
    )
}

/// Unshuffles `len` bytes at `src` into `len` bytes at `dst`; 0 on success, -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_unshuffle(src: u32, len: u32, dst: u32, elem_size: u32) -> i32 {
    status(
        input(src, len)
            .and_then(|s| binpipe_kernels::unshuffle_into(s, elem_size, output(dst, len, s)?)),
    )
}
