//! The vectorised hex codec, written once over [`HexOps`], and its per-ISA entry points.
//!
//! Encoding splits each byte into its two nibbles (a 16-bit shift and a mask), maps each
//! nibble to its digit (one 16-entry table lookup, or compare-and-add where the ISA has no
//! lookup), and stores the two digit vectors interleaved.
//!
//! Decoding maps every character `c` with two range checks done as signed compares after a
//! bias: `c - '0'` below 10 is a digit; `(c | 0x20) - 'a'` below 6 is a letter (either case).
//! The nibble is then `(c & 15) + 9` for letters and `c & 15` for digits. Validity is and-ed
//! into one accumulator that is tested once, at the end: the input is almost always valid, so
//! the loop does not branch; if anything was invalid, the scalar reference runs over the whole
//! input and reports the exact first error. Pairs of nibbles are packed into bytes per ISA
//! (`pmaddubsw` + pack, or a 16-bit multiply, or NEON's unzip and shift-insert).
//!
//! Both directions finish with one vector overlapping the previous one, so no scalar tail runs
//! once the input fills a vector; shorter inputs take the scalar path.
#![cfg(any(
    target_arch = "x86_64",
    all(target_arch = "aarch64", target_feature = "neon"),
    all(target_arch = "wasm32", target_feature = "simd128")
))]

use super::scalar;
use super::text_ops::HexOps;
use crate::KernelError;

/// Writes the digits of `BYTES` bytes at `src` to the `2 * BYTES` bytes at `dst`.
///
/// # Safety
/// The CPU runs `V`'s ISA; `src` is readable and `dst` writable for those lengths.
#[inline(always)]
unsafe fn encode_block<V: HexOps>(src: *const u8, dst: *mut u8, digits: V, gap: V) {
    // SAFETY: forwarded from the caller.
    unsafe {
        let x = V::load_spread(src);
        let hi = x.high_nibbles().hex_digits(digits, gap);
        let lo = x.and(V::splat(0x0F)).hex_digits(digits, gap);
        hi.store_zipped(lo, dst);
    }
}

/// Hex encoding of `data` into `dst`, with vectors `V`.
///
/// # Safety
/// The CPU runs `V`'s ISA, and `dst.len() >= 2 * data.len()`.
#[inline(always)]
unsafe fn encode<V: HexOps>(data: &[u8], uppercase: bool, dst: &mut [u8]) {
    let len = data.len();
    if len < V::BYTES {
        return scalar::encode_safe(data, uppercase, dst);
    }
    let table = if uppercase {
        scalar::UPPER
    } else {
        scalar::LOWER
    };
    let (src, out) = (data.as_ptr(), dst.as_mut_ptr());
    // SAFETY: `V`'s ISA (caller). `table` has 16 bytes, the one lane read from it (stride 0
    // repeats it in every lane). Every block reads `data[i..i + BYTES]` with `i + BYTES <=
    // len` and writes `dst[2i..2i + 2 * BYTES]`, inside `dst` because `dst.len() >= 2 * len`.
    unsafe {
        let digits = V::load_lanes(table.as_ptr(), 0);
        let gap = V::splat(table[10] - b'9' - 1);
        let mut i = 0;
        while i + 2 * V::BYTES <= len {
            encode_block(src.add(i), out.add(2 * i), digits, gap);
            encode_block(
                src.add(i + V::BYTES),
                out.add(2 * (i + V::BYTES)),
                digits,
                gap,
            );
            i += 2 * V::BYTES;
        }
        if i + V::BYTES <= len {
            encode_block(src.add(i), out.add(2 * i), digits, gap);
            i += V::BYTES;
        }
        if i < len {
            // The last vector overlaps the one before; the bytes it rewrites are the same.
            let i = len - V::BYTES;
            encode_block(src.add(i), out.add(2 * i), digits, gap);
        }
    }
}

/// The nibble value of each character of `c`, and `0xFF` in each byte of the second vector
/// where the character is a hex digit.
///
/// # Safety
/// The CPU runs `V`'s ISA.
#[inline(always)]
unsafe fn nibbles<V: HexOps>(c: V) -> (V, V) {
    // SAFETY: forwarded from the caller.
    unsafe {
        // `c - '0' < 10` unsigned, as signed bytes: `c - '0' + 0x80 < 0x80 + 10`.
        let digit = V::splat(0x80 + 10).gt_i8(c.add(V::splat(0x80 - b'0')));
        // `(c | 0x20) - 'a' < 6`, the same way; `| 0x20` folds `A-F` onto `a-f` only.
        let folded = c.or(V::splat(0x20));
        let letter = V::splat(0x80 + 6).gt_i8(folded.add(V::splat(0x80 - b'a')));
        let value = c.and(V::splat(0x0F)).add(letter.and(V::splat(9)));
        (value, digit.or(letter))
    }
}

/// Decodes the `2 * BYTES` characters at `src` to the `BYTES` bytes at `dst`; returns the
/// validity mask of the characters (`0xFF` bytes where both of a pair's halves are digits).
///
/// # Safety
/// The CPU runs `V`'s ISA; `src` is readable and `dst` writable for those lengths.
#[inline(always)]
unsafe fn decode_block<V: HexOps>(src: *const u8, dst: *mut u8) -> V {
    // SAFETY: forwarded from the caller.
    unsafe {
        let (a, a_ok) = nibbles(V::load(src));
        let (b, b_ok) = nibbles(V::load(src.add(V::BYTES)));
        a.pack_nibbles(b).store(dst);
        a_ok.and(b_ok)
    }
}

/// Hex decoding of `data` into `dst`, with vectors `V`; errors as the scalar reference.
///
/// # Safety
/// The CPU runs `V`'s ISA, and `dst.len() >= data.len() / 2`.
#[inline(always)]
unsafe fn decode<V: HexOps>(data: &[u8], dst: &mut [u8]) -> Result<usize, KernelError> {
    let len = data.len();
    // An odd length is an error anyway (a bad byte first, else truncation): the scalar code
    // finds which.
    if len < 2 * V::BYTES || len % 2 == 1 {
        return scalar::decode_safe(data, dst);
    }
    let (src, out) = (data.as_ptr(), dst.as_mut_ptr());
    // SAFETY: `V`'s ISA (caller). Every block reads `data[i..i + 2 * BYTES]` with `i + 2 *
    // BYTES <= len` and writes `dst[i / 2..i / 2 + BYTES]`, inside `dst` because `dst.len() >=
    // len / 2`.
    let ok = unsafe {
        let mut ok = V::splat(0xFF);
        let mut i = 0;
        while i + 4 * V::BYTES <= len {
            let first = decode_block::<V>(src.add(i), out.add(i / 2));
            let second = decode_block::<V>(src.add(i + 2 * V::BYTES), out.add(i / 2 + V::BYTES));
            ok = ok.and(first).and(second);
            i += 4 * V::BYTES;
        }
        if i + 2 * V::BYTES <= len {
            ok = ok.and(decode_block(src.add(i), out.add(i / 2)));
            i += 2 * V::BYTES;
        }
        if i < len {
            // The last block overlaps the one before (`len` is even, so it starts on a pair);
            // the bytes it rewrites are the same.
            let i = len - 2 * V::BYTES;
            ok = ok.and(decode_block(src.add(i), out.add(i / 2)));
        }
        ok
    };
    // SAFETY: `V`'s ISA (caller).
    if unsafe { ok.cmpeq(V::splat(0)).any() } {
        // Some character is not a digit: the reference finds the first one.
        return scalar::decode_safe(data, dst);
    }
    Ok(len / 2)
}

/// Per-ISA entry points: each enables its target features and instantiates the algorithms.
#[cfg(target_arch = "x86_64")]
pub(crate) mod x86 {
    use crate::KernelError;
    use crate::vector::{Avx2, Avx512, Sse2};

    /// SSE2 encoding.
    ///
    /// # Safety
    /// `dst.len() >= 2 * data.len()` (SSE2 is baseline).
    #[target_feature(enable = "sse2")]
    pub(crate) unsafe fn encode_sse2(data: &[u8], uppercase: bool, dst: &mut [u8]) {
        // SAFETY: SSE2 is enabled here; the caller sized `dst`.
        unsafe { super::encode::<Sse2>(data, uppercase, dst) }
    }

    /// AVX2 encoding.
    ///
    /// # Safety
    /// The CPU supports AVX2, and `dst.len() >= 2 * data.len()`.
    #[target_feature(enable = "avx2")]
    pub(crate) unsafe fn encode_avx2(data: &[u8], uppercase: bool, dst: &mut [u8]) {
        // SAFETY: the caller promises AVX2, enabled here, and sized `dst`.
        unsafe { super::encode::<Avx2>(data, uppercase, dst) }
    }

    /// AVX-512 encoding.
    ///
    /// # Safety
    /// The CPU supports AVX-512 F+BW+VL, and `dst.len() >= 2 * data.len()`.
    #[target_feature(enable = "avx2,avx512f,avx512bw,avx512vl")]
    pub(crate) unsafe fn encode_avx512(data: &[u8], uppercase: bool, dst: &mut [u8]) {
        // SAFETY: the caller promises AVX-512 F+BW, enabled here, and sized `dst`.
        unsafe { super::encode::<Avx512>(data, uppercase, dst) }
    }

    /// SSE2 decoding.
    ///
    /// # Safety
    /// `dst.len() >= data.len() / 2` (SSE2 is baseline).
    #[target_feature(enable = "sse2")]
    pub(crate) unsafe fn decode_sse2(data: &[u8], dst: &mut [u8]) -> Result<usize, KernelError> {
        // SAFETY: SSE2 is enabled here; the caller sized `dst`.
        unsafe { super::decode::<Sse2>(data, dst) }
    }

    /// AVX2 decoding.
    ///
    /// # Safety
    /// The CPU supports AVX2, and `dst.len() >= data.len() / 2`.
    #[target_feature(enable = "avx2")]
    pub(crate) unsafe fn decode_avx2(data: &[u8], dst: &mut [u8]) -> Result<usize, KernelError> {
        // SAFETY: the caller promises AVX2, enabled here, and sized `dst`.
        unsafe { super::decode::<Avx2>(data, dst) }
    }

    /// AVX-512 decoding.
    ///
    /// # Safety
    /// The CPU supports AVX-512 F+BW+VL, and `dst.len() >= data.len() / 2`.
    #[target_feature(enable = "avx2,avx512f,avx512bw,avx512vl")]
    pub(crate) unsafe fn decode_avx512(data: &[u8], dst: &mut [u8]) -> Result<usize, KernelError> {
        // SAFETY: the caller promises AVX-512 F+BW, enabled here, and sized `dst`.
        unsafe { super::decode::<Avx512>(data, dst) }
    }
}

/// NEON encoding.
///
/// # Safety
/// `dst.len() >= 2 * data.len()` (NEON is enabled at compile time).
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) unsafe fn encode_neon(data: &[u8], uppercase: bool, dst: &mut [u8]) {
    // SAFETY: this build targets NEON (cfg above); the caller sized `dst`.
    unsafe { encode::<crate::vector::Neon>(data, uppercase, dst) }
}

/// NEON decoding.
///
/// # Safety
/// `dst.len() >= data.len() / 2` (NEON is enabled at compile time).
#[cfg(all(target_arch = "aarch64", target_feature = "neon"))]
pub(crate) unsafe fn decode_neon(data: &[u8], dst: &mut [u8]) -> Result<usize, KernelError> {
    // SAFETY: this build targets NEON (cfg above); the caller sized `dst`.
    unsafe { decode::<crate::vector::Neon>(data, dst) }
}

/// simd128 encoding.
///
/// # Safety
/// `dst.len() >= 2 * data.len()` (simd128 is enabled at compile time).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) unsafe fn encode_simd128(data: &[u8], uppercase: bool, dst: &mut [u8]) {
    // SAFETY: this build targets simd128 (cfg above); the caller sized `dst`.
    unsafe { encode::<crate::vector::Simd128>(data, uppercase, dst) }
}

/// simd128 decoding.
///
/// # Safety
/// `dst.len() >= data.len() / 2` (simd128 is enabled at compile time).
#[cfg(all(target_arch = "wasm32", target_feature = "simd128"))]
pub(crate) unsafe fn decode_simd128(data: &[u8], dst: &mut [u8]) -> Result<usize, KernelError> {
    // SAFETY: this build targets simd128 (cfg above); the caller sized `dst`.
    unsafe { decode::<crate::vector::Simd128>(data, dst) }
}
