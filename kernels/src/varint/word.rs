//! Word-at-a-time encoding shared by the fast paths: a value's low 56 bits spread into eight
//! 7-bit groups, and the encoder built on that.
//!
//! Spreading is three shift-and-mask steps that halve the group size each time
//! (28+28 bits, 14+14, 7+7), a dozen plain 64-bit operations. BMI2's `pdep` spreads in one
//! instruction, but it is microcoded (one bit at a time) on AMD before Zen 3, so the encoder
//! takes the spreading step as a parameter and the AVX2 tier passes `pdep` only on CPUs where
//! it is fast. (The decoder compacts two varints at a time in vector registers instead.)

use super::scalar;

/// Encoded length by the number of leading zero bits of the value (64 for 0).
const LEN: [u8; 65] = {
    let mut table = [0; 65];
    let mut zeros = 0;
    while zeros <= 64 {
        let bits = if zeros == 64 { 1 } else { 64 - zeros };
        table[zeros] = bits.div_ceil(7) as u8;
        zeros += 1;
    }
    table
};

/// The continuation bits of the first 8 bytes of an encoding, by the number of leading zero
/// bits of the value: bytes `0..len - 1` have it.
const CONT: [u64; 65] = {
    let mut table = [0; 65];
    let mut zeros = 0;
    while zeros <= 64 {
        let marked = LEN[zeros] as usize - 1;
        let marked = if marked < 8 { marked } else { 8 };
        table[zeros] = if marked == 0 {
            0
        } else {
            0x8080_8080_8080_8080 & (u64::MAX >> (64 - 8 * marked))
        };
        zeros += 1;
    }
    table
};

/// The low 56 bits of `v` spread into eight bytes: byte `i` holds bits `7i..7i + 7`, its high
/// bit clear.
#[inline(always)]
pub(crate) const fn spread56(v: u64) -> u64 {
    let x = v & 0x00FF_FFFF_FFFF_FFFF;
    let x = (x & 0x0FFF_FFFF) | ((x & 0x00FF_FFFF_F000_0000) << 4);
    let x = (x & 0x0000_3FFF_0000_3FFF) | ((x & 0x0FFF_C000_0FFF_C000) << 2);
    (x & 0x007F_007F_007F_007F) | ((x & 0x3F80_3F80_3F80_3F80) << 1)
}

/// Encodes `values` into `dst`; returns the bytes written.
///
/// # Safety
/// `dst` holds the whole encoding (the [`super::EncodeFn`] contract).
pub(crate) unsafe fn encode(values: &[u64], dst: &mut [u8]) -> usize {
    // SAFETY: forwarded from the caller.
    unsafe { encode_with(values, dst, spread56) }
}

/// The encoder, with `spread` for [`spread56`] (BMI2's `pdep` on x86_64 where it is fast).
///
/// Values go in groups of eight: eight one-byte values are one 8-byte store; values of one or
/// two bytes a 2-byte store each; otherwise each value is one 8-byte store and one 2-byte
/// store, with no branch on its length (its length and continuation bits come from tables
/// indexed by its leading zeros). The last 9 values go through the scalar encoder.
///
/// Stores run past the end of a value's encoding (by up to 9 bytes) and are overwritten by
/// the values that follow. They stay inside the encoding, so no bounds check is needed: a
/// store starting at value `i` reaches at most 10 bytes (a group's stores at most 16) from
/// that value's start, and at least the 9 tail values (a byte each) follow every value of the
/// groups, which makes the encoding from value `i` on at least 10 bytes long (from a group's
/// start, at least 8 + 9).
///
/// # Safety
/// `dst` holds the whole encoding.
#[inline(always)]
pub(crate) unsafe fn encode_with(
    values: &[u64],
    dst: &mut [u8],
    spread: impl Fn(u64) -> u64,
) -> usize {
    let split = values.len().saturating_sub(9);
    let (body, tail) = values.split_at(split);
    let base = dst.as_mut_ptr();
    let mut out = 0;
    let one = |v: u64, out: &mut usize| {
        let zeros = (v | 1).leading_zeros() as usize;
        let top = v >> 63;
        let low = spread(v) | CONT[zeros];
        // Byte 8: bits 56..63, with the continuation bit if bit 63 is set; byte 9: bit 63.
        let high = ((v >> 56) & 0x7F) | top << 7 | top << 8;
        // SAFETY: 10 bytes from `out` are inside the encoding (see above).
        unsafe {
            let at = base.add(*out);
            at.cast::<u64>().write_unaligned(low.to_le());
            at.add(8)
                .cast::<u16>()
                .write_unaligned((high as u16).to_le());
        }
        *out += usize::from(LEN[zeros]);
    };
    let mut groups = body.chunks_exact(8);
    for group in &mut groups {
        let all = group.iter().fold(0, |acc, &v| acc | v);
        if all < 0x80 {
            let bytes = group.iter().rev().fold(0u64, |acc, &v| acc << 8 | v);
            // SAFETY: the group's 8 bytes are inside the encoding.
            unsafe { base.add(out).cast::<u64>().write_unaligned(bytes.to_le()) };
            out += 8;
        } else if all < 1 << 14 {
            // One or two bytes each: a 2-byte store per value, all within 16 bytes of the
            // group's start.
            for &v in group {
                let two = u64::from(v >= 0x80);
                let bytes = (v & 0x7F) | two << 7 | (v >> 7) << 8;
                // SAFETY: inside the group's 16 bytes, inside the encoding (see above).
                unsafe {
                    base.add(out)
                        .cast::<u16>()
                        .write_unaligned((bytes as u16).to_le())
                };
                out += 1 + two as usize;
            }
        } else {
            for &v in group {
                one(v, &mut out);
            }
        }
    }
    for &v in groups.remainder() {
        one(v, &mut out);
    }
    // SAFETY: none needed by the scalar encoder; the tail's encoding follows `out`, inside
    // `dst` (a `get_mut`: no panic site).
    out + unsafe { scalar::encode(tail, dst.get_mut(out..).unwrap_or_default()) }
}
