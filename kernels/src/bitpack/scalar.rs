//! The scalar reference: a 64-bit accumulator that takes whole values in and gives whole bytes
//! out. Every other path is tested against it.

/// Packs `values` (each below `2^bits`, checked by the caller) at `bits` bits each into the
/// first `ceil(values.len() * bits / 8)` bytes of `dst`.
///
/// # Safety
/// None; `unsafe` to share the [`super::PackFn`] signature.
pub(crate) unsafe fn pack(values: &[u32], bits: u32, dst: &mut [u8]) {
    let mut acc = 0u64;
    let mut held = 0;
    let mut out = 0;
    for &value in values {
        // `held < 8` here, so `acc` stays below 2^40.
        acc |= u64::from(value) << held;
        held += bits;
        while held >= 8 {
            // The caller sized `dst`; `get_mut` states it without a panic path.
            if let Some(byte) = dst.get_mut(out) {
                *byte = acc as u8;
            }
            acc >>= 8;
            held -= 8;
            out += 1;
        }
    }
    if let (true, Some(byte)) = (held > 0, dst.get_mut(out)) {
        *byte = acc as u8;
    }
}

/// Unpacks `dst.len()` values of `bits` bits each from `data`, which holds at least
/// `ceil(dst.len() * bits / 8)` bytes (checked by the caller).
///
/// # Safety
/// None; `unsafe` to share the [`super::UnpackFn`] signature.
pub(crate) unsafe fn unpack(data: &[u8], bits: u32, dst: &mut [u32]) {
    let mask = if bits == 32 {
        u32::MAX
    } else {
        (1 << bits) - 1
    };
    let mut acc = 0u64;
    let mut held = 0;
    let mut next = 0;
    for slot in dst {
        while held < bits {
            // The caller checked the length; `get` states it without a panic path.
            acc |= u64::from(data.get(next).copied().unwrap_or(0)) << held;
            next += 1;
            held += 8;
        }
        *slot = acc as u32 & mask;
        acc >>= bits;
        held -= bits;
    }
}
