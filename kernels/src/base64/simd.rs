//! The vectorised base64 codec, written once over [`Base64Ops`], and its per-ISA entry points.
//!
//! Both directions follow Wojciech Muła and Daniel Lemire, "Faster Base64 Encoding and
//! Decoding Using AVX2 Instructions" (ACM TWEB 2018), on 128-bit lanes: each lane turns 12
//! bytes into 16 characters or back.
//!
//! Encoding: [`Base64Ops::split_sextets`] spreads 12 bytes into 16 sextets; a sextet `s`
//! becomes its character by adding an offset that depends only on its range (`A-Z`, `a-z`,
//! `0-9`, and the two specials), found with one 16-entry lookup indexed by `s - 51`
//! (saturating), or 13 for `s < 26`.
//!
//! Decoding: a character is valid when the class bit of its high nibble (`HI`) and the set of
//! classes invalid with its low nibble (`LO`) share no bit; its value is the character plus an
//! offset looked up by its high nibble (`ROLL`), with index 0 reserved for the alphabet's
//! last special (`/` or `_`), whose high nibble it shares with other characters. Validity is
//! or-ed into one accumulator tested once at the end; if anything was invalid, the scalar
//! reference reports the exact first error (the decoders agree on validity, and the scalar
//! reference alone computes offsets). [`Base64Ops::join_sextets`] packs 16 values into 12
//! bytes. The vector loop stops before the final group of 4 (which may hold padding) and the
//! scalar code decodes the rest.
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

use super::scalar;
use crate::hex::text_ops::Base64Ops;
use crate::{Alphabet, KernelError};

/// Per-alphabet lookup tables, one 16-byte lane each.
struct Tables {
    /// Encoding: the offset from a sextet to its character, by `sub_sat(s, 51)` (13 for
    /// `s < 26`): `a-z`, then `0-9` (10 entries), the two specials, `A-Z`.
    shift: [u8; 16],
    /// Decoding: class bit of each high nibble (0x10 for the nibbles no character has).
    hi: [u8; 16],
    /// Decoding: the classes in which each low nibble is not a character.
    lo: [u8; 16],
    /// Decoding: offset from a character to its value, by high nibble; entry 0 is the last
    /// special's.
    roll: [u8; 16],
    /// The character decoded through `roll[0]`.
    special: u8,
}

/// Wrapping difference `a - b` as a byte, for offsets in the tables.
const fn off(a: u8, b: u8) -> u8 {
    a.wrapping_sub(b)
}

/// The standard alphabet's tables. Classes: 0x01 high nibble 2, 0x02 nibble 3, 0x04 nibbles
/// 4 and 6, 0x08 nibbles 5 and 7, 0x10 every other nibble.
static STANDARD: Tables = Tables {
    shift: [
        off(b'a', 26),
        off(b'0', 52),
        off(b'0', 52),
        off(b'0', 52),
        off(b'0', 52),
        off(b'0', 52),
        off(b'0', 52),
        off(b'0', 52),
        off(b'0', 52),
        off(b'0', 52),
        off(b'0', 52),
        off(b'+', 62),
        off(b'/', 63),
        b'A',
        0,
        0,
    ],
    hi: [
        0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x08, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
        0x10,
    ],
    // Low nibble 0: invalid with high 2 (` `), 4 and 6 (`@`, backtick); 1..9 invalid with high
    // 2; 10 with 2 and 3; 11 (`+`): valid with 2, 4, 6; 12..14: valid with 4, 6; 15 (`/`):
    // valid with 2, 4, 6.
    lo: [
        0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x1A, 0x1B, 0x1B, 0x1B,
        0x1A,
    ],
    roll: [
        off(63, b'/'),
        0,
        off(62, b'+'),
        off(52, b'0'),
        off(0, b'A'),
        off(0, b'A'),
        off(26, b'a'),
        off(26, b'a'),
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
    ],
    special: b'/',
};

/// The URL-safe alphabet's tables. `_` (0x5F) is valid with high nibble 5 but DEL (0x7F) is
/// not with 7, so those two nibbles get separate classes: 0x01 high nibble 2, 0x02 nibble 3,
/// 0x04 nibbles 4 and 6, 0x08 nibble 5, 0x20 nibble 7, 0x10 every other nibble.
static URL_SAFE: Tables = Tables {
    shift: [
        off(b'a', 26),
        off(b'0', 52),
        off(b'0', 52),
        off(b'0', 52),
        off(b'0', 52),
        off(b'0', 52),
        off(b'0', 52),
        off(b'0', 52),
        off(b'0', 52),
        off(b'0', 52),
        off(b'0', 52),
        off(b'-', 62),
        off(b'_', 63),
        b'A',
        0,
        0,
    ],
    hi: [
        0x10, 0x10, 0x01, 0x02, 0x04, 0x08, 0x04, 0x20, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10, 0x10,
        0x10,
    ],
    // Low nibble 0: invalid with 2, 4, 6; 1..9: with 2; 10: with 2, 3; 11, 12, 14: valid with
    // 4, 6 only; 13 (`-`): valid with 2, 4, 6; 15 (`_`): valid with 4, 6, 5.
    lo: [
        0x15, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x11, 0x13, 0x3B, 0x3B, 0x3A, 0x3B,
        0x33,
    ],
    roll: [
        off(63, b'_'),
        0,
        off(62, b'-'),
        off(52, b'0'),
        off(0, b'A'),
        off(0, b'A'),
        off(26, b'a'),
        off(26, b'a'),
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
    ],
    special: b'_',
};

/// The tables of `alphabet`.
fn tables(alphabet: Alphabet) -> &'static Tables {
    match alphabet {
        Alphabet::Standard => &STANDARD,
        Alphabet::UrlSafe => &URL_SAFE,
    }
}

/// The characters of the 16 sextets in each lane of `s`.
///
/// # Safety
/// The CPU runs `V`'s ISA.
#[inline(always)]
unsafe fn sextet_chars<V: Base64Ops>(s: V, shift: V) -> V {
    // SAFETY: forwarded from the caller.
    unsafe {
        let above = s.sub_sat(V::splat(51));
        let upper = V::splat(26).gt_i8(s);
        let idx = above.or(upper.and(V::splat(13)));
        s.add(shift.lookup(idx))
    }
}

/// Base64 encoding of `data` into `dst`, with vectors `V`.
///
/// # Safety
/// The CPU runs `V`'s ISA, and `dst.len() >= encoded_len(data.len(), padding)`.
#[inline(always)]
unsafe fn encode<V: Base64Ops>(data: &[u8], alphabet: Alphabet, padding: bool, dst: &mut [u8]) {
    let len = data.len();
    // Bytes one vector consumes; it reads `BYTES` and writes `BYTES` characters.
    let step = 12 * V::LANES;
    let (src, out) = (data.as_ptr(), dst.as_mut_ptr());
    let mut i = 0;
    // SAFETY: `V`'s ISA (caller). A block at `i` reads `data[i..i + BYTES]`, in bounds by the
    // loop conditions, and writes `dst[o..o + BYTES]` with `o = i / 3 * 4`: `i + step` is a
    // multiple of 3 not above `len`, so `o + BYTES = (i + step) / 3 * 4 <= encoded_len`.
    unsafe {
        let shift = V::load_lanes(tables(alphabet).shift.as_ptr(), 0);
        let keys = V::keys();
        while i + step + V::BYTES <= len {
            let a = V::load_triples(src.add(i)).split_sextets(keys);
            let b = V::load_triples(src.add(i + step)).split_sextets(keys);
            sextet_chars(a, shift).store(out.add(i / 3 * 4));
            sextet_chars(b, shift).store(out.add(i / 3 * 4 + V::BYTES));
            i += 2 * step;
        }
        while i + V::BYTES <= len {
            let a = V::load_triples(src.add(i)).split_sextets(keys);
            sextet_chars(a, shift).store(out.add(i / 3 * 4));
            i += step;
        }
    }
    // `i <= len` and `dst` holds the whole encoding; `get` states it without a panic path.
    if let (Some(rest), Some(out)) = (data.get(i..), dst.get_mut(i / 3 * 4..)) {
        scalar::encode_safe(rest, alphabet, padding, out);
    }
}

/// The values of the characters of `c`, and a vector that is non-zero where a character is
/// not in the alphabet.
///
/// # Safety
/// The CPU runs `V`'s ISA.
#[inline(always)]
unsafe fn values<V: Base64Ops>(c: V, lut: &[V; 3], special: V) -> (V, V) {
    let [hi_lut, lo_lut, roll_lut] = *lut;
    // SAFETY: forwarded from the caller.
    unsafe {
        let hi = c.high_nibbles();
        let bad = hi_lut.lookup(hi).and(lo_lut.lookup(c.and(V::splat(0x0F))));
        let roll = roll_lut.lookup(hi.and_not(c.cmpeq(special)));
        (c.add(roll), bad)
    }
}

/// Strict base64 decoding of `data` into `dst`, with vectors `V`; errors as the scalar
/// reference.
///
/// # Safety
/// The CPU runs `V`'s ISA, and `dst.len() >= 3 * ceil(data.len() / 4)`.
#[inline(always)]
unsafe fn decode<V: Base64Ops>(
    data: &[u8],
    alphabet: Alphabet,
    padding: bool,
    dst: &mut [u8],
) -> Result<usize, KernelError> {
    let t = tables(alphabet);
    // The final group (the last 1 to 4 characters) is left to the scalar code.
    let body = data.len().saturating_sub(1) / 4 * 4;
    // Each vector decodes `BYTES` characters into `step` bytes but stores `BYTES`.
    let step = 3 * V::BYTES / 4;
    let (src, out) = (data.as_ptr(), dst.as_mut_ptr());
    let cap = dst.len();
    let mut i = 0;
    // SAFETY: `V`'s ISA (caller). A block at `i` reads `data[i..i + BYTES]` with `i + BYTES
    // <= body <= len`, and stores `dst[o..o + BYTES]` with `o = i / 4 * 3` and `o + BYTES <=
    // cap`, both checked by the loop conditions. The tables hold 16 bytes each.
    let bad = unsafe {
        let lut = [t.hi, t.lo, t.roll].map(|table| V::load_lanes(table.as_ptr(), 0));
        let special = V::splat(t.special);
        let keys = V::keys();
        let mut bad = V::splat(0);
        while i + 2 * V::BYTES <= body && i / 4 * 3 + step + V::BYTES <= cap {
            let (a, a_bad) = values(V::load(src.add(i)), &lut, special);
            let (b, b_bad) = values(V::load(src.add(i + V::BYTES)), &lut, special);
            a.join_sextets(keys).store_triples(out.add(i / 4 * 3));
            b.join_sextets(keys)
                .store_triples(out.add(i / 4 * 3 + step));
            bad = bad.or(a_bad).or(b_bad);
            i += 2 * V::BYTES;
        }
        while i + V::BYTES <= body && i / 4 * 3 + V::BYTES <= cap {
            let (a, a_bad) = values(V::load(src.add(i)), &lut, special);
            a.join_sextets(keys).store_triples(out.add(i / 4 * 3));
            bad = bad.or(a_bad);
            i += V::BYTES;
        }
        bad.any()
    };
    if bad {
        return Err(scalar::error(data, alphabet, padding));
    }
    scalar::decode_from(data, alphabet, padding, dst, i)
}

/// Per-ISA entry points: each enables its target features and instantiates the algorithms.
/// SSE2 has none: the lookups and reshuffles need `pshufb`, so that tier runs the scalar code
/// (see `select_*` in `base64/mod.rs`).
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86 {
    use crate::vector::{Avx2, Avx512};
    use crate::{Alphabet, KernelError};

    /// AVX2 encoding.
    ///
    /// # Safety
    /// The CPU supports AVX2, and `dst` holds the encoded length.
    #[target_feature(enable = "avx2")]
    pub(crate) unsafe fn encode_avx2(
        data: &[u8],
        alphabet: Alphabet,
        padding: bool,
        dst: &mut [u8],
    ) {
        // SAFETY: the caller promises AVX2, enabled here, and sized `dst`.
        unsafe { super::encode::<Avx2>(data, alphabet, padding, dst) }
    }

    /// AVX-512 encoding.
    ///
    /// # Safety
    /// The CPU supports AVX-512 F+BW+VL, and `dst` holds the encoded length.
    #[target_feature(enable = "avx2,avx512f,avx512bw,avx512vl")]
    pub(crate) unsafe fn encode_avx512(
        data: &[u8],
        alphabet: Alphabet,
        padding: bool,
        dst: &mut [u8],
    ) {
        // SAFETY: the caller promises AVX-512 F+BW, enabled here, and sized `dst`.
        unsafe { super::encode::<Avx512>(data, alphabet, padding, dst) }
    }

    /// AVX2 decoding.
    ///
    /// # Safety
    /// The CPU supports AVX2, and `dst.len() >= 3 * ceil(data.len() / 4)`.
    #[target_feature(enable = "avx2")]
    pub(crate) unsafe fn decode_avx2(
        data: &[u8],
        alphabet: Alphabet,
        padding: bool,
        dst: &mut [u8],
    ) -> Result<usize, KernelError> {
        // SAFETY: the caller promises AVX2, enabled here, and sized `dst`.
        unsafe { super::decode::<Avx2>(data, alphabet, padding, dst) }
    }

    /// AVX-512 decoding.
    ///
    /// # Safety
    /// The CPU supports AVX-512 F+BW+VL, and `dst.len() >= 3 * ceil(data.len() / 4)`.
    #[target_feature(enable = "avx2,avx512f,avx512bw,avx512vl")]
    pub(crate) unsafe fn decode_avx512(
        data: &[u8],
        alphabet: Alphabet,
        padding: bool,
        dst: &mut [u8],
    ) -> Result<usize, KernelError> {
        // SAFETY: the caller promises AVX-512 F+BW, enabled here, and sized `dst`.
        unsafe { super::decode::<Avx512>(data, alphabet, padding, dst) }
    }
}

/// NEON encoding.
///
/// # Safety
/// `dst` holds the encoded length (NEON is enabled at compile time).
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) unsafe fn encode_neon(data: &[u8], alphabet: Alphabet, padding: bool, dst: &mut [u8]) {
    // SAFETY: this build targets NEON (cfg above); the caller sized `dst`.
    unsafe { encode::<crate::vector::Neon>(data, alphabet, padding, dst) }
}

/// NEON decoding.
///
/// # Safety
/// `dst.len() >= 3 * ceil(data.len() / 4)` (NEON is enabled at compile time).
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) unsafe fn decode_neon(
    data: &[u8],
    alphabet: Alphabet,
    padding: bool,
    dst: &mut [u8],
) -> Result<usize, KernelError> {
    // SAFETY: this build targets NEON (cfg above); the caller sized `dst`.
    unsafe { decode::<crate::vector::Neon>(data, alphabet, padding, dst) }
}

/// simd128 encoding.
///
/// # Safety
/// `dst` holds the encoded length (simd128 is enabled at compile time).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) unsafe fn encode_simd128(
    data: &[u8],
    alphabet: Alphabet,
    padding: bool,
    dst: &mut [u8],
) {
    // SAFETY: this build targets simd128 (cfg above); the caller sized `dst`.
    unsafe { encode::<crate::vector::Simd128>(data, alphabet, padding, dst) }
}

/// simd128 decoding.
///
/// # Safety
/// `dst.len() >= 3 * ceil(data.len() / 4)` (simd128 is enabled at compile time).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) unsafe fn decode_simd128(
    data: &[u8],
    alphabet: Alphabet,
    padding: bool,
    dst: &mut [u8],
) -> Result<usize, KernelError> {
    // SAFETY: this build targets simd128 (cfg above); the caller sized `dst`.
    unsafe { decode::<crate::vector::Simd128>(data, alphabet, padding, dst) }
}
