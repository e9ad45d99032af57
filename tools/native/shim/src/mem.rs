//! The C memory functions LLVM calls for variable-length copies and fills (a kernel's tail
//! copy), defined inside the blob so it calls nothing outside itself.
//!
//! They are inline assembly, not Rust loops: LLVM would turn a byte loop named `memcpy` back
//! into a call to `memcpy` (the verifier refuses such recursion). Only the blob build defines
//! them; tests link the C library's.

use core::arch::asm;

/// Copies `n` bytes from `src` to `dst` (non-overlapping); returns `dst`.
///
/// # Safety
/// `src` and `dst` must be valid for `n` bytes and must not overlap.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memcpy(dst: *mut u8, src: *const u8, n: usize) -> *mut u8 {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: the caller's promise; `rep movsb` copies RCX bytes from [RSI] to [RDI] forwards
    // (the direction flag is clear at every System V call boundary).
    unsafe {
        asm!("rep movsb", inout("rcx") n => _, inout("rdi") dst => _, inout("rsi") src => _,
            options(nostack, preserves_flags));
    }
    #[cfg(target_arch = "aarch64")]
    // SAFETY: the caller's promise; the loop copies exactly `n` bytes forwards.
    unsafe {
        asm!("cbz {n}, 2f", "1:", "ldrb {b:w}, [{s}], #1", "strb {b:w}, [{d}], #1",
            "subs {n}, {n}, #1", "b.ne 1b", "2:",
            n = inout(reg) n => _, s = inout(reg) src => _, d = inout(reg) dst => _,
            b = out(reg) _, options(nostack));
    }
    dst
}

/// Sets `n` bytes at `dst` to the low byte of `c`; returns `dst`.
///
/// # Safety
/// `dst` must be valid for `n` bytes of writes.
#[unsafe(no_mangle)]
pub unsafe extern "C" fn memset(dst: *mut u8, c: i32, n: usize) -> *mut u8 {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: the caller's promise; `rep stosb` stores AL to RCX bytes at [RDI] forwards.
    unsafe {
        asm!("rep stosb", inout("rcx") n => _, inout("rdi") dst => _, in("al") c as u8,
            options(nostack, preserves_flags));
    }
    #[cfg(target_arch = "aarch64")]
    // SAFETY: the caller's promise; the loop stores exactly `n` bytes forwards.
    unsafe {
        asm!("cbz {n}, 2f", "1:", "strb {c:w}, [{d}], #1", "subs {n}, {n}, #1", "b.ne 1b", "2:",
            n = inout(reg) n => _, d = inout(reg) dst => _, c = in(reg) c, options(nostack));
    }
    dst
}
