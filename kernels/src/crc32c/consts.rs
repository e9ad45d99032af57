//! Folding multipliers for carry-less-multiply CRC-32C, with their derivation.
//!
//! # Bit-reflected polynomials in a register
//!
//! CRC-32C is a reflected CRC: the first bit of the message (bit 0 of byte 0) is its
//! highest-degree coefficient. Loading 16 message bytes little-endian gives a 128-bit value
//! whose bit `i` is the coefficient of `x^(127 - i)` of that chunk. Split it into the low
//! quadword `L` (bits 0..64: coefficients of `x^127 .. x^64`) and the high quadword `H`
//! (coefficients of `x^63 .. x^0`), so the chunk is `L·x^64 + H`.
//!
//! A carry-less multiply of two 64-bit values whose bit `i` stands for `x^(63 - i)` and
//! `x^(32 - i)` (a 33-bit reflected constant) yields a product whose bit `k` stands for
//! `x^(95 - k)`; read as a 128-bit reflected chunk (bit `k` = `x^(127 - k)`), that is the
//! polynomial product times `x^32`.
//!
//! # Folding
//!
//! Moving a chunk `D` bits further down the message multiplies it by `x^D`, and only its
//! residue modulo `P` matters for the CRC:
//!
//! `(L·x^64 + H)·x^D ≡ L·(x^(D+64) mod P) + H·(x^D mod P)`.
//!
//! Each term is a 64×32-bit product (fewer than 96 bits), so it fits in the chunk it is
//! XORed into. Because of the `x^32` of the reflected product above, the multiplier for `L`
//! is `x^(D+32) mod P` and the one for `H` is `x^(D-32) mod P`, each bit-reflected as 32
//! bits and shifted left by one (the 33-bit form). [`Fold::new`] builds them.
//!
//! # Finishing
//!
//! The last 128-bit chunk `X` still has to be multiplied by `x^32` and reduced modulo `P`.
//! That is exactly what the CRC instruction (x86 `crc32`, Arm `crc32cx`) computes when fed
//! `X`'s 16 bytes starting from a zero register, so no Barrett constants are needed.
//!
//! The constants below are checked by unit tests that recompute them with a slow
//! polynomial routine and check the folding identity against the scalar CRC.

/// The two multipliers that fold a 128-bit chunk forward by a fixed distance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Fold {
    /// Multiplier for the low quadword: `x^(D+32) mod P`, reflected, 33-bit form.
    pub(crate) lo: u64,
    /// Multiplier for the high quadword: `x^(D-32) mod P`, reflected, 33-bit form.
    pub(crate) hi: u64,
}

impl Fold {
    /// Multipliers for a fold distance of `bits` (a multiple of 128, at least 128).
    ///
    /// Evaluated at compile time, so each constant below costs nothing at run time; the
    /// unit tests recompute them independently.
    const fn new(bits: u32) -> Fold {
        Fold {
            lo: reflected_xpow(bits + 32),
            hi: reflected_xpow(bits - 32),
        }
    }
}

/// `x^e mod P`, bit-reflected as 32 bits and shifted left by one (33-bit form).
///
/// Works in the reflected domain directly: multiplying by `x` is a right shift, and a bit
/// falling off the end (the `x^32` term) is replaced by the reflected polynomial.
const fn reflected_xpow(e: u32) -> u64 {
    // Reflected `1` (x^0) is bit 31.
    let mut r: u32 = 1 << 31;
    let mut i = 0;
    while i < e {
        r = if r & 1 == 1 {
            (r >> 1) ^ super::scalar::POLY
        } else {
            r >> 1
        };
        i += 1;
    }
    (r as u64) << 1
}

/// Multiplier that moves a CRC register past `bytes` zero bytes: `x^(8·bytes - 33) mod P`,
/// bit-reflected as 32 bits (for `bytes >= 5`).
///
/// A carry-less multiply of a register `c` (bit `i` = `x^(31 - i)`) by this constant gives a
/// 64-bit value whose bit `k` stands for `x^(62 - k)` of the product; the CRC instruction fed
/// that value from a zero register computes `value · x^32 mod P`, and reading bit `k` as
/// `x^(63 - k)` adds one more `x`, so the result is `c · x^(8·bytes - 33) · x^33 =
/// c · x^(8·bytes) mod P`: the register after `bytes` zero bytes.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) const fn shift_multiplier(bytes: u32) -> u64 {
    reflected_xpow(8 * bytes - 33) >> 1
}

/// Fold one 128-bit chunk forward by 128 bits (one chunk).
pub(crate) const FOLD_128: Fold = Fold::new(128);
/// Fold forward by 256 bits (two chunks).
pub(crate) const FOLD_256: Fold = Fold::new(256);
/// Fold forward by 384 bits (three chunks).
pub(crate) const FOLD_384: Fold = Fold::new(384);
/// Fold forward by 512 bits (four chunks: one 64-byte step of four 128-bit lanes).
pub(crate) const FOLD_512: Fold = Fold::new(512);
/// Fold forward by 640 bits.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) const FOLD_640: Fold = Fold::new(640);
/// Fold forward by 768 bits.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) const FOLD_768: Fold = Fold::new(768);
/// Fold forward by 896 bits.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) const FOLD_896: Fold = Fold::new(896);
/// Fold forward by 1024 bits (one 128-byte step: eight 128-bit or four 256-bit lanes).
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) const FOLD_1024: Fold = Fold::new(1024);
/// Fold forward by 1536 bits.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) const FOLD_1536: Fold = Fold::new(1536);
/// Fold forward by 2048 bits (one 256-byte step of four 512-bit lanes).
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) const FOLD_2048: Fold = Fold::new(2048);

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

    /// The Castagnoli polynomial in normal (non-reflected) form, with its `x^32` term.
    const P_NORMAL: u64 = 0x1_1EDC_6F41;

    /// Carry-less product, one bit at a time.
    fn clmul(a: u64, b: u64) -> u128 {
        (0..64)
            .filter(|i| b >> i & 1 == 1)
            .fold(0u128, |acc, i| acc ^ (u128::from(a) << i))
    }

    /// `v mod P` by long division, normal form.
    fn poly_mod(mut v: u128) -> u64 {
        for bit in (32..128).rev() {
            if v >> bit & 1 == 1 {
                v ^= u128::from(P_NORMAL) << (bit - 32);
            }
        }
        v as u64
    }

    /// `x^e mod P` in normal form by square-and-multiply (a different route from the
    /// shift loop in `reflected_xpow`).
    fn xpow_mod(e: u32) -> u64 {
        let (mut result, mut base, mut e) = (1u64, 2u64, e);
        while e > 0 {
            if e & 1 == 1 {
                result = poly_mod(clmul(result, base));
            }
            base = poly_mod(clmul(base, base));
            e >>= 1;
        }
        result
    }

    /// The 33-bit reflected form used by the folding code.
    fn reflected33(normal: u64) -> u64 {
        u64::from((normal as u32).reverse_bits()) << 1
    }

    /// Every constant, with the fold distance it claims.
    const ALL: [(u32, Fold); 10] = [
        (128, FOLD_128),
        (256, FOLD_256),
        (384, FOLD_384),
        (512, FOLD_512),
        (640, FOLD_640),
        (768, FOLD_768),
        (896, FOLD_896),
        (1024, FOLD_1024),
        (1536, FOLD_1536),
        (2048, FOLD_2048),
    ];

    #[test]
    fn constants_match_slow_derivation() {
        for (bits, fold) in ALL {
            assert_eq!(fold.lo, reflected33(xpow_mod(bits + 32)), "lo, D = {bits}");
            assert_eq!(fold.hi, reflected33(xpow_mod(bits - 32)), "hi, D = {bits}");
        }
        // Spot values, so a reader can compare with published tables.
        assert_eq!(
            FOLD_128,
            Fold {
                lo: 0xF20C_0DFE,
                hi: 0x1_4CD0_0BD6
            }
        );
        assert_eq!(
            FOLD_512,
            Fold {
                lo: 0x740E_EF02,
                hi: 0x9E4A_DDF8
            }
        );
    }

    /// Moving a register past `n` zero bytes with [`shift_multiplier`] (software carry-less
    /// multiply, then the scalar CRC of the 8-byte product from a zero register) agrees with
    /// the scalar CRC run over `n` zero bytes.
    #[test]
    fn shift_multiplier_moves_a_register_past_zeros() {
        for bytes in [5u32, 8, 100, 256, 512, 1024, 4096] {
            let k = shift_multiplier(bytes);
            assert_eq!(k, xpow_mod(8 * bytes - 33).reverse_bits() >> 32);
            for register in [1u32, 0x8000_0000, 0xDEAD_BEEF, 0xFFFF_FFFF] {
                let product = clmul(u64::from(register), k) as u64;
                let got = super::super::scalar::update(0, &product.to_le_bytes());
                let zeros = std::vec![0u8; bytes as usize];
                let expect = super::super::scalar::update(register, &zeros);
                assert_eq!(got, expect, "{bytes} bytes, register {register:#x}");
            }
        }
    }

    /// Folding a chunk forward by `D` bits leaves the CRC of "chunk, then D/8 zero bytes"
    /// unchanged: checked against the scalar CRC with a software carry-less multiply.
    #[test]
    fn folding_identity_holds() {
        let mut state = 0x0123_4567_89AB_CDEFu64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for (bits, fold) in ALL {
            for _ in 0..32 {
                let (lo, hi) = (next(), next());
                let folded = clmul(lo, fold.lo) ^ clmul(hi, fold.hi);
                let mut message = std::vec::Vec::new();
                message.extend_from_slice(&lo.to_le_bytes());
                message.extend_from_slice(&hi.to_le_bytes());
                message.resize(16 + bits as usize / 8, 0);
                let expect = super::super::scalar::update(0, &message);
                let got = super::super::scalar::update(0, &folded.to_le_bytes());
                assert_eq!(got, expect, "D = {bits}");
            }
        }
    }
}
