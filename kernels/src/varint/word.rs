//! Word-at-a-time pieces shared by the fast paths: spreading a value's low 56 bits into eight
//! 7-bit groups and back, and a branch-free encoder built on them.
//!
//! Both directions are three shift-and-mask steps that halve the group size each time
//! (28+28 bits, 14+14, 7+7), a dozen plain 64-bit operations. BMI2's `pdep`/`pext` would do
//! each in one instruction, but they are microcoded (18 to 300 cycles) on AMD before Zen 3,
//! so the AVX2 tier, which those CPUs also run, does not use them.

use super::scalar;

/// Seven bits in each byte.
const LOW7: u64 = 0x7F7F_7F7F_7F7F_7F7F;
/// The continuation bit of every byte.
const HIGH: u64 = 0x8080_8080_8080_8080;

/// The low 56 bits of `v` spread into eight bytes: byte `i` holds bits `7i..7i + 7`, its high
/// bit clear.
#[inline(always)]
pub(crate) const fn spread56(v: u64) -> u64 {
    let x = v & 0x00FF_FFFF_FFFF_FFFF;
    let x = (x & 0x0FFF_FFFF) | ((x & 0x00FF_FFFF_F000_0000) << 4);
    let x = (x & 0x0000_3FFF_0000_3FFF) | ((x & 0x0FFF_C000_0FFF_C000) << 2);
    (x & 0x007F_007F_007F_007F) | ((x & 0x3F80_3F80_3F80_3F80) << 1)
}

/// The inverse of [`spread56`]: the low seven bits of each byte of `w` (little-endian),
/// concatenated into a 56-bit value.
#[inline(always)]
pub(crate) const fn compact56(w: u64) -> u64 {
    let x = w & LOW7;
    let x = (x & 0x007F_007F_007F_007F) | ((x >> 1) & 0x3F80_3F80_3F80_3F80);
    let x = (x & 0x0000_3FFF_0000_3FFF) | ((x >> 2) & 0x0FFF_C000_0FFF_C000);
    (x & 0x0FFF_FFFF) | ((x >> 4) & 0x00FF_FFFF_F000_0000)
}

/// The value of a varint of `len` (1..=8) bytes whose bytes are the low `len` bytes of `w`.
#[inline(always)]
pub(crate) const fn value_of(w: u64, len: usize) -> u64 {
    compact56(w) & (u64::MAX >> (64 - 7 * len))
}

/// Encodes `values` into `dst` with one 8-byte store and two byte stores per value (no branch
/// on the length); returns the bytes written. `dst` must hold the whole encoding.
///
/// A value's stores cover 10 bytes from its start. While at least 10 values remain, the
/// encoding still to come is at least 10 bytes long, so those stores stay inside it and are
/// overwritten by the values that follow; the last 9 values go through the scalar encoder.
///
/// # Safety
/// None; `unsafe` to share the [`super::EncodeFn`] signature.
pub(crate) unsafe fn encode(values: &[u64], dst: &mut [u8]) -> usize {
    let split = values.len().saturating_sub(9);
    let (body, tail) = values.split_at(split);
    let mut out = 0;
    for &v in body {
        let len = scalar::encoded_len(v);
        // Bytes 0..len-1 (at most 8 of them) carry the continuation bit.
        let cont_bytes = 8 * (len.min(9) - 1) as u32;
        let cont = !u64::MAX.checked_shl(cont_bytes).unwrap_or(0) & HIGH;
        let top = (v >> 63) as u8;
        let Some(window) = dst.get_mut(out..out + 10) else {
            // The caller promised room for the encoding; see above.
            return out;
        };
        window[..8].copy_from_slice(&(spread56(v) | cont).to_le_bytes());
        window[8] = ((v >> 56) as u8 & 0x7F) | (top << 7);
        window[9] = top;
        out += len;
    }
    // SAFETY: the scalar encoder has no preconditions beyond room, which the caller promised.
    out + unsafe { scalar::encode(tail, &mut dst[out..]) }
}
