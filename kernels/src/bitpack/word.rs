//! Word-at-a-time packing and unpacking, specialised per bit width: eight values fill exactly
//! `BITS` bytes, so in a group of eight every value's byte offset and shift are compile-time
//! constants and the loop body is straight-line code of 8-byte loads and stores.
//!
//! Packing is this code on every tier but the scalar one: each value costs a shift and an
//! or into a 64-bit accumulator (about two values a cycle on Zen 3). A vector packer for this
//! stream layout has to shift each value into place and then merge the values that share a
//! byte (several shuffles and ors per output vector, more for widths below 8); it is not
//! written, so packing runs at a quarter to a half of the `bitpacking` crate, whose vertical
//! layout needs only shifts and ors (see the bench). Unpacking uses this code on SSE2 (no
//! byte shuffle) and after the vector steps.

use super::scalar;

/// Calls `$f::<B>($args)` for the runtime width `$bits` (1..=32); `$zero` for 0.
macro_rules! for_width {
    ($bits:expr, $zero:expr, $f:ident($($arg:expr),*)) => {
        match $bits {
            1 => $f::<1>($($arg),*), 2 => $f::<2>($($arg),*), 3 => $f::<3>($($arg),*),
            4 => $f::<4>($($arg),*), 5 => $f::<5>($($arg),*), 6 => $f::<6>($($arg),*),
            7 => $f::<7>($($arg),*), 8 => $f::<8>($($arg),*), 9 => $f::<9>($($arg),*),
            10 => $f::<10>($($arg),*), 11 => $f::<11>($($arg),*), 12 => $f::<12>($($arg),*),
            13 => $f::<13>($($arg),*), 14 => $f::<14>($($arg),*), 15 => $f::<15>($($arg),*),
            16 => $f::<16>($($arg),*), 17 => $f::<17>($($arg),*), 18 => $f::<18>($($arg),*),
            19 => $f::<19>($($arg),*), 20 => $f::<20>($($arg),*), 21 => $f::<21>($($arg),*),
            22 => $f::<22>($($arg),*), 23 => $f::<23>($($arg),*), 24 => $f::<24>($($arg),*),
            25 => $f::<25>($($arg),*), 26 => $f::<26>($($arg),*), 27 => $f::<27>($($arg),*),
            28 => $f::<28>($($arg),*), 29 => $f::<29>($($arg),*), 30 => $f::<30>($($arg),*),
            31 => $f::<31>($($arg),*), 32 => $f::<32>($($arg),*),
            _ => $zero,
        }
    };
}

/// Packs `values` (each below `2^bits`) at `bits` bits into `dst` (at least the packed length).
///
/// # Safety
/// None; `unsafe` to share the [`super::PackFn`] signature.
pub(crate) unsafe fn pack(values: &[u32], bits: u32, dst: &mut [u8]) {
    for_width!(bits, (), pack_width(values, dst))
}

/// Unpacks `dst.len()` values of `bits` bits from `data` (at least the packed length).
///
/// # Safety
/// None; `unsafe` to share the [`super::UnpackFn`] signature.
pub(crate) unsafe fn unpack(data: &[u8], bits: u32, dst: &mut [u32]) {
    for_width!(bits, dst.fill(0), unpack_width(data, dst))
}

/// [`pack`] for `B` bits.
///
/// A group of 8 values is accumulated in a 64-bit word; whenever another value might not fit,
/// the whole bytes are stored (an 8-byte store, its upper bytes rewritten later) and shifted
/// out. Groups run while 8 bytes of slack remain past the group; the scalar code does the rest.
#[inline(always)]
fn pack_width<const B: usize>(values: &[u32], dst: &mut [u8]) {
    let groups = dst.len().saturating_sub(8) / B;
    let groups = groups.min(values.len() / 8);
    let out = dst.as_mut_ptr();
    for (g, group) in values.chunks_exact(8).take(groups).enumerate() {
        let mut acc = 0u64;
        let mut held = 0;
        let mut at = g * B;
        for &v in group {
            if held + B > 64 {
                // SAFETY: `at < (g + 1) * B <= groups * B <= dst.len() - 8`.
                unsafe { out.add(at).cast::<u64>().write_unaligned(acc.to_le()) };
                at += held / 8;
                acc = acc.checked_shr((held / 8 * 8) as u32).unwrap_or(0);
                held %= 8;
            }
            acc |= u64::from(v) << held;
            held += B;
        }
        // SAFETY: as above.
        unsafe { out.add(at).cast::<u64>().write_unaligned(acc.to_le()) };
    }
    let done = 8 * groups;
    // Both ranges are in bounds (`get` states it without a panic path).
    if let (Some(rest), Some(out)) = (values.get(done..), dst.get_mut(done / 8 * B..)) {
        // SAFETY: no preconditions beyond room, which the caller promised.
        unsafe { scalar::pack(rest, B as u32, out) }
    }
}

/// [`unpack`] for `B` bits: each value is an 8-byte load at a constant offset in its group,
/// a constant shift and a mask. Groups run while 8 bytes can be read past the group's start
/// of its last value; the scalar code does the rest.
#[inline(always)]
fn unpack_width<const B: usize>(data: &[u8], dst: &mut [u32]) {
    let mask = u64::MAX >> (64 - B);
    let groups = (data.len().saturating_sub(8 + 7 * B / 8) / B + 1).min(dst.len() / 8);
    let groups = if data.len() >= 8 + 7 * B / 8 {
        groups
    } else {
        0
    };
    let src = data.as_ptr();
    for (g, out) in dst.chunks_exact_mut(8).take(groups).enumerate() {
        let base = g * B;
        for (k, slot) in out.iter_mut().enumerate() {
            let bit = k * B;
            // SAFETY: `g < groups` keeps `base + 7 * B / 8 + 8 <= data.len()`, and
            // `bit / 8 <= 7 * B / 8`.
            let word = unsafe { src.add(base + bit / 8).cast::<u64>().read_unaligned() };
            *slot = ((u64::from_le(word) >> (bit % 8)) & mask) as u32;
        }
    }
    let done = 8 * groups;
    // Both ranges are in bounds (`get` states it without a panic path).
    if let (Some(rest), Some(out)) = (data.get(done / 8 * B..), dst.get_mut(done..)) {
        // SAFETY: no preconditions beyond the data length, which the caller promised.
        unsafe { scalar::unpack(rest, B as u32, out) }
    }
}
