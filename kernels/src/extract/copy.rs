//! Record-by-record field copies with the width known in advance: the path every tier takes
//! when no byte shuffle applies, and for the records a shuffle leaves over.
//!
//! Fields of 1, 2, 4, 8 and 16 bytes are one fixed-size load and store each. Other widths up
//! to 32 are two fixed-size copies of `K` bytes (`K <= width <= 2K`) at the field's start and
//! ending at its end, overlapping in the middle, so no byte outside the field is read or
//! written. Wider fields call `memcpy`. A field that is the whole record is one `memcpy` of
//! all the records.
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

use core::ptr;

/// Copies `K` bytes from `s` to `d`, as one unaligned load and store.
///
/// # Safety
/// `K` bytes readable at `s` and writable at `d`.
#[inline(always)]
unsafe fn copy_k<const K: usize>(s: *const u8, d: *mut u8) {
    // SAFETY: promised by the caller; `[u8; K]` has alignment 1.
    unsafe {
        ptr::write_unaligned(
            d.cast::<[u8; K]>(),
            ptr::read_unaligned(s.cast::<[u8; K]>()),
        )
    }
}

/// Copies the fields of records `from..n` (`n = src.len() / record_size`) to
/// `dst[r * width..]`.
///
/// # Safety
/// The [`super::ExtractFn`] contract: `record_size >= 1`, `1 <= width`, `offset + width <=
/// record_size`, `dst.len() >= n * width`; and `from <= n`.
#[inline(always)]
pub(super) unsafe fn copy_records(
    src: &[u8],
    record_size: usize,
    offset: usize,
    width: usize,
    from: usize,
    dst: &mut [u8],
) {
    // `max(1)` and `get`s: no panic site (the native blobs refuse any); the contract's
    // `record_size >= 1` and bounds make them no-ops.
    let n = src.len() / record_size.max(1);
    if offset == 0 && width == record_size {
        let range = from * width..n * width;
        if let (Some(d), Some(s)) = (dst.get_mut(range.clone()), src.get(range)) {
            d.copy_from_slice(s);
        }
        return;
    }
    // SAFETY: for every arm, record `r < n` has its field at `r * record_size + offset`,
    // ending by `(r + 1) * record_size <= src.len()`, and its output at `r * width`, ending
    // by `n * width <= dst.len()`; each arm touches only bytes inside those ranges.
    unsafe {
        match width {
            1 => each::<1, false>(src, record_size, offset, width, from, n, dst),
            2 => each::<2, false>(src, record_size, offset, width, from, n, dst),
            3 => each::<2, true>(src, record_size, offset, width, from, n, dst),
            4 => each::<4, false>(src, record_size, offset, width, from, n, dst),
            5..=7 => each::<4, true>(src, record_size, offset, width, from, n, dst),
            8 => each::<8, false>(src, record_size, offset, width, from, n, dst),
            9..=15 => each::<8, true>(src, record_size, offset, width, from, n, dst),
            16 => each::<16, false>(src, record_size, offset, width, from, n, dst),
            17..=32 => each::<16, true>(src, record_size, offset, width, from, n, dst),
            _ => {
                let (s, d) = (src.as_ptr().add(offset), dst.as_mut_ptr());
                for r in from..n {
                    copy_wide(s.add(r * record_size), d.add(r * width), width);
                }
            }
        }
    }
}

/// Copies the fields of records `from..n`, each as a `K`-byte copy at its start and, if
/// `TWO`, a second one ending at its end.
///
/// # Safety
/// `width == K`, or `TWO` and `K <= width <= 2K`; and the bounds of [`copy_records`] for
/// records `from..n`.
/// Copies a field of `width > 32` bytes as 32-byte copies, the last one ending at the field's
/// end (overlapping the one before), so no byte outside the field is touched. Not `memcpy`:
/// LLVM calls that through a register loaded once per loop, an indirect call the native blobs
/// refuse.
///
/// # Safety
/// `width > 32`; `width` bytes are readable at `s` and writable at `d`, not overlapping.
#[inline(always)]
unsafe fn copy_wide(s: *const u8, d: *mut u8, width: usize) {
    let mut at = 0;
    while at + 32 < width {
        // SAFETY: `at + 32 < width`: inside the field.
        unsafe { copy_k::<32>(s.add(at), d.add(at)) };
        // Keeps LLVM from turning the loop back into a `memcpy` call.
        at = core::hint::black_box(at) + 32;
    }
    // SAFETY: `width > 32`, so the last 32 bytes of the field start inside it.
    unsafe { copy_k::<32>(s.add(width - 32), d.add(width - 32)) };
}

#[inline(always)]
unsafe fn each<const K: usize, const TWO: bool>(
    src: &[u8],
    record_size: usize,
    offset: usize,
    width: usize,
    from: usize,
    n: usize,
    dst: &mut [u8],
) {
    // The field and output of record `from`; when `from == n` these may point out of bounds,
    // but the loop then reads nothing (hence the wrapping arithmetic, here and below).
    let mut s = src.as_ptr().wrapping_add(from * record_size + offset);
    let mut d = dst.as_mut_ptr().wrapping_add(from * width);
    for _ in from..n {
        // SAFETY: `s` and `d` point at the field of the current record `r` and at its
        // output (`r * record_size + offset` and `r * width`), `width` bytes each inside
        // `src` and `dst` (caller's bounds); both copies lie inside them as `K <= width`.
        unsafe {
            copy_k::<K>(s, d);
            if TWO {
                copy_k::<K>(s.add(width - K), d.add(width - K));
            }
        }
        // The next record's field and output (out of bounds, unused, after the last one).
        s = s.wrapping_add(record_size);
        d = d.wrapping_add(width);
    }
}
