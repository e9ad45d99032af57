//! The fast-path ABI for the Go host (version [`ABI_VERSION`]; the table is docs/abi.md).
//!
//! The host allocates long-lived buffers once with [`bp_alloc`], writes input straight into
//! them, and calls a kernel with plain `(pointer, length)` arguments. Kernels borrow the
//! buffers and never free them. Nothing the host passes can cause a trap or undefined
//! behaviour; each of these is an `invalid-argument` error instead:
//! - a `(ptr, len)` range not inside linear memory (or at address 0 with `len > 0`);
//! - an output range that overlaps any input range, or that starts below `__heap_base` (the
//!   module's own stack and static data, the error record included);
//! - a `u32` or `u64` array whose address is not a multiple of its element size, or whose
//!   input byte length is not;
//! - an output capacity (`dst_cap`) smaller than the kernel needs.
//!
//! Empty ranges (`len == 0`) are never checked: no byte of them is touched.
//!
//! Return conventions: kernels return their result widened to `i64` (`-2` for an `option`
//! that is `none`, the number of bytes written for kernels with a `dst`), or an `i32` status
//! (0 ok); `-1` is an error, described by the [`ErrorRecord`] at [`bp_last_error`].
//!
//! One file per WIT interface holds its kernels; this one holds the buffer checks, the
//! error record and the allocator.

use binpipe_kernels::KernelError;
use core::alloc::Layout;
use core::sync::atomic::{AtomicU32, AtomicU64, Ordering};

mod chain;
mod checksum;
mod codec;
mod column;
mod search;
mod transform;
mod validate;
mod zwit;

pub use zwit::WIT_VERSION;

/// Version of this ABI. Bump it on any change the host could observe.
pub const ABI_VERSION: u32 = 2;

/// Alignment of every buffer from [`bp_alloc`]: enough for any vector load and any element.
const BUFFER_ALIGN: usize = 16;

/// The `i64` result of an `option` that is `none`.
const NONE: i64 = -2;

/// [`ErrorRecord::kind`] values, in the order of the WIT `kernel-error` cases.
mod kind {
    /// A parameter is out of range (also: a bad buffer).
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

// ---------------------------------------------------------------------------------------------
// Buffers

/// A buffer parameter's name, as the error messages that name it.
struct Param {
    outside: &'static str,
    misaligned: &'static str,
    overlapping: &'static str,
    below_heap: &'static str,
}

/// The [`Param`] for the parameter named `$name`.
macro_rules! param {
    ($name:literal) => {
        $crate::fastpath::Param {
            outside: concat!($name, ": range outside linear memory"),
            misaligned: concat!($name, ": not aligned to its element size"),
            overlapping: concat!($name, ": overlaps an input buffer"),
            below_heap: concat!($name, ": inside the module's stack or static data"),
        }
    };
}

pub(crate) use param;

/// The usual parameter names.
const SRC: Param = param!("src");
const DST: Param = param!("dst");

unsafe extern "C" {
    /// Linker-provided (wasm-ld): the first address past the module's stack and static data.
    #[allow(non_upper_case_globals)]
    safe static __heap_base: u8;
}

/// A checked range `[ptr, ptr + len)` of linear memory: inside it, and not at address 0
/// unless empty.
#[derive(Clone, Copy)]
struct Region {
    ptr: u32,
    len: u32,
}

impl Region {
    /// Checks `[ptr, ptr + len)` against the current memory size.
    fn new(ptr: u32, len: u32, param: &Param) -> Result<Region, KernelError> {
        let memory_bytes = core::arch::wasm32::memory_size::<0>() as u64 * 65536;
        if len == 0 || (ptr != 0 && u64::from(ptr) + u64::from(len) <= memory_bytes) {
            Ok(Region { ptr, len })
        } else {
            Err(KernelError::InvalidArgument(param.outside))
        }
    }

    /// Fails unless the region is empty or starts at a multiple of `align`.
    fn aligned(self, align: u32, param: &Param) -> Result<Region, KernelError> {
        if self.len == 0 || self.ptr.is_multiple_of(align) {
            Ok(self)
        } else {
            Err(KernelError::InvalidArgument(param.misaligned))
        }
    }

    /// Whether the two regions share a byte.
    fn overlaps(self, other: Region) -> bool {
        let (a, b) = (u64::from(self.ptr), u64::from(other.ptr));
        self.len != 0
            && other.len != 0
            && a < b + u64::from(other.len)
            && b < a + u64::from(self.len)
    }

    /// Checks that this output region may be written: it overlaps none of `inputs` and lies
    /// in the heap (above the module's stack and static data).
    fn writable(self, inputs: &[Region], param: &Param) -> Result<Region, KernelError> {
        if self.len == 0 {
            return Ok(self);
        }
        let heap_base = (&raw const __heap_base) as u32;
        if self.ptr < heap_base {
            return Err(KernelError::InvalidArgument(param.below_heap));
        }
        if inputs.iter().any(|&input| self.overlaps(input)) {
            return Err(KernelError::InvalidArgument(param.overlapping));
        }
        Ok(self)
    }

    /// The region's bytes.
    fn bytes<'a>(self) -> &'a [u8] {
        if self.len == 0 {
            return &[];
        }
        // SAFETY: `new` checked that the non-empty range lies inside linear memory, every
        // byte of which is initialised and readable; no output of the current call overlaps
        // it (`writable`), and the host runs no code concurrently with the call.
        unsafe { core::slice::from_raw_parts(self.ptr as *const u8, self.len as usize) }
    }

    /// The region's bytes, for writing.
    ///
    /// Only called on a region that passed [`Region::writable`] against every input of the
    /// call, and once per call, so the returned slice is the only reference to those bytes.
    fn bytes_mut<'a>(self) -> &'a mut [u8] {
        if self.len == 0 {
            return &mut [];
        }
        // SAFETY: the range lies inside linear memory (`new`), above the module's own stack
        // and static data, and overlaps no input slice of this call (`writable`); it is
        // borrowed once per call, so no other reference to it exists.
        unsafe { core::slice::from_raw_parts_mut(self.ptr as *mut u8, self.len as usize) }
    }

    /// The region as `u32`s: checks the length and alignment first.
    fn u32s<'a>(self, param: &Param) -> Result<&'a [u32], KernelError> {
        let this = self.aligned(4, param)?;
        if !this.len.is_multiple_of(4) {
            return Err(KernelError::InvalidArgument(
                "len: not a multiple of 4 (a list of u32)",
            ));
        }
        let bytes = this.bytes();
        // SAFETY: the bytes are initialised, 4-aligned (checked) and a whole number of u32s,
        // and every bit pattern is a valid u32; wasm32 is little-endian, as the ABI says.
        Ok(unsafe { core::slice::from_raw_parts(bytes.as_ptr().cast::<u32>(), bytes.len() / 4) })
    }

    /// The region as `u64`s: checks the length and alignment first.
    fn u64s<'a>(self, param: &Param) -> Result<&'a [u64], KernelError> {
        let this = self.aligned(8, param)?;
        if !this.len.is_multiple_of(8) {
            return Err(KernelError::InvalidArgument(
                "len: not a multiple of 8 (a list of u64)",
            ));
        }
        let bytes = this.bytes();
        // SAFETY: as in `u32s`, for 8-byte elements.
        Ok(unsafe { core::slice::from_raw_parts(bytes.as_ptr().cast::<u64>(), bytes.len() / 8) })
    }

    /// The writable region as `u32`s (the whole ones that fit), after checking alignment.
    /// The same conditions as [`Region::bytes_mut`] apply.
    fn u32s_mut<'a>(self, param: &Param) -> Result<&'a mut [u32], KernelError> {
        let bytes = self.aligned(4, param)?.bytes_mut();
        let n = bytes.len() / 4;
        // SAFETY: 4-aligned (checked), `n` whole u32s inside the exclusive byte slice, and
        // every bit pattern is a valid u32.
        Ok(unsafe { core::slice::from_raw_parts_mut(bytes.as_mut_ptr().cast::<u32>(), n) })
    }

    /// The writable region as `u64`s (the whole ones that fit), after checking alignment.
    /// The same conditions as [`Region::bytes_mut`] apply.
    fn u64s_mut<'a>(self, param: &Param) -> Result<&'a mut [u64], KernelError> {
        let bytes = self.aligned(8, param)?.bytes_mut();
        let n = bytes.len() / 8;
        // SAFETY: as in `u32s_mut`, for 8-byte elements.
        Ok(unsafe { core::slice::from_raw_parts_mut(bytes.as_mut_ptr().cast::<u64>(), n) })
    }
}

/// The output `dst` of `dst_cap` bytes, checked against memory and against `inputs`.
fn dst(ptr: u32, cap: u32, inputs: &[Region]) -> Result<Region, KernelError> {
    Region::new(ptr, cap, &DST)?.writable(inputs, &DST)
}

/// `invalid-argument` unless `cap >= need`.
fn need(cap: usize, need: usize) -> Result<(), KernelError> {
    if cap >= need {
        Ok(())
    } else {
        Err(KernelError::InvalidArgument(
            "dst_cap: smaller than the output needs",
        ))
    }
}

/// A `u8` parameter passed as `i32`.
fn byte_param(value: u32, message: &'static str) -> Result<u8, KernelError> {
    u8::try_from(value).map_err(|_| KernelError::InvalidArgument(message))
}

/// A `bool` parameter passed as `i32`: 0 or 1.
fn bool_param(value: u32, message: &'static str) -> Result<bool, KernelError> {
    match value {
        0 => Ok(false),
        1 => Ok(true),
        _ => Err(KernelError::InvalidArgument(message)),
    }
}

// ---------------------------------------------------------------------------------------------
// Results

/// A value result (a count, a length, an offset: all below 2^32 here), or -1 after recording
/// the error.
fn value(result: Result<u64, KernelError>) -> i64 {
    match result {
        Ok(v) => v as i64,
        Err(err) => {
            record(err);
            -1
        }
    }
}

/// A number of bytes written, or -1 after recording the error.
fn written(result: Result<usize, KernelError>) -> i64 {
    value(result.map(|n| n as u64))
}

/// An `option` offset: the offset, [`NONE`], or -1 after recording the error.
fn offset(result: Result<Option<usize>, KernelError>) -> i64 {
    match result {
        Ok(None) => NONE,
        other => value(other.map(|found| found.unwrap_or(0) as u64)),
    }
}

/// 0 on success, or -1 after recording the error.
fn status(result: Result<(), KernelError>) -> i32 {
    match result {
        Ok(()) => 0,
        Err(err) => {
            record(err);
            -1
        }
    }
}
