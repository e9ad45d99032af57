//! Folding and reduction multipliers for carry-less-multiply CRC-32, with their derivation.
//!
//! # Bit-reflected polynomials in a register
//!
//! CRC-32 is a reflected CRC: the first bit of the message (bit 0 of byte 0) is its
//! highest-degree coefficient, and the CRC register's bit `i` is the coefficient of
//! `x^(31 - i)`. Loading 16 message bytes little-endian gives a 128-bit value whose bit `i` is
//! the coefficient of `x^(127 - i)` of that chunk. Its low quadword `L` holds the coefficients
//! of `x^127 .. x^64` and its high quadword `H` those of `x^63 .. x^0`: the chunk is
//! `L·x^64 + H`.
//!
//! A carry-less multiply of a 64-bit reflected value `a` (bit `i` = `x^(63 - i)`) by a
//! constant stored as `c` reflected in 32 bits and shifted left by one (the 33-bit form,
//! bit `i` = `x^(32 - i)`) yields bits `k` standing for `x^(95 - k)` of `a·c`.
//!
//! # Folding
//!
//! Moving a chunk `D` bits further down the message multiplies it by `x^D`, and only its
//! residue modulo `P` matters for the CRC:
//! `(L·x^64 + H)·x^D ≡ L·(x^(D+64) mod P) + H·(x^D mod P)`. Read in the 128-bit register
//! (bit `k` = `x^(127 - k)`), a product of the form above stands for `x^32` times itself, so the
//! multiplier for `L` is `x^(D+32) mod P` and the one for `H` is `x^(D-32) mod P`, both in the
//! 33-bit form; [`Fold::new`] builds them. Each product has fewer than 96 bits and fits in the
//! chunk it is XORed into.
//!
//! # Reduction (x86_64, which has no CRC instruction for this polynomial)
//!
//! The last chunk `X = L·x^64 + H` must become `X·x^32 mod P`, the CRC register:
//! 1. `Y = L·(x^96 mod P) + H·x^32`, 96 bits: a multiply by [`FOLD_128`]`.hi` and a shift.
//!    In the register, bit `k` of `Y` is `x^(95 - k)`.
//! 2. `Z = Y_top·(x^64 mod P) + Y_rest`, 64 bits, where `Y_top` is `Y`'s top 32 coefficients
//!    (its low 32 register bits): a multiply by [`X64`] and a 32-bit shift. Bit `k` of `Z` is
//!    `x^(63 - k)`.
//! 3. Barrett: with `μ = ⌊x^64 / P⌋` (33 bits), `q = ⌊Z_top·μ / x^32⌋` is exactly `⌊Z / P⌋`,
//!    and `Z - q·P` is the remainder. In reflected form `q` is the low 32 bits of
//!    `Z_low32 × MU`, and the remainder is the upper 32 bits of `Z ^ (q × POLY33)`.
//!
//! The constants are evaluated at compile time from [`super::scalar::POLY`]; the unit tests
//! recompute them with a different (square-and-multiply, long-division) route and check the
//! folding identity and the whole reduction against the scalar CRC.

use super::scalar::POLY;

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
        r = if r & 1 == 1 { (r >> 1) ^ POLY } else { r >> 1 };
        i += 1;
    }
    (r as u64) << 1
}

/// `P` in normal form with its `x^32` term (0x1_04C11DB7).
const P_NORMAL: u64 = (POLY.reverse_bits() as u64) | 1 << 32;

/// `⌊x^64 / P⌋` by long division, reflected in 33 bits.
const fn barrett_mu() -> u64 {
    let mut rem: u128 = 1 << 64;
    let mut quotient: u64 = 0;
    let mut bit = 64;
    while bit >= 32 {
        if (rem >> bit) & 1 == 1 {
            quotient |= 1 << (bit - 32);
            rem ^= (P_NORMAL as u128) << (bit - 32);
        }
        bit -= 1;
    }
    quotient.reverse_bits() >> 31
}

/// Fold one 128-bit chunk forward by 128 bits (one chunk).
pub(crate) const FOLD_128: Fold = Fold::new(128);
/// Fold forward by 256 bits.
pub(crate) const FOLD_256: Fold = Fold::new(256);
/// Fold forward by 384 bits.
pub(crate) const FOLD_384: Fold = Fold::new(384);
/// Fold forward by 512 bits.
pub(crate) const FOLD_512: Fold = Fold::new(512);
/// Fold forward by 640 bits.
pub(crate) const FOLD_640: Fold = Fold::new(640);
/// Fold forward by 768 bits.
pub(crate) const FOLD_768: Fold = Fold::new(768);
/// Fold forward by 896 bits.
pub(crate) const FOLD_896: Fold = Fold::new(896);
/// Fold forward by 1024 bits (one 128-byte step).
pub(crate) const FOLD_1024: Fold = Fold::new(1024);
/// Fold forward by 1536 bits.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) const FOLD_1536: Fold = Fold::new(1536);
/// Fold forward by 2048 bits (one 256-byte step).
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) const FOLD_2048: Fold = Fold::new(2048);

/// `x^64 mod P`, reflected, 33-bit form: reduction step 2.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) const X64: u64 = reflected_xpow(64);
/// Barrett's `μ = ⌊x^64 / P⌋`, reflected in 33 bits.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) const MU: u64 = barrett_mu();
/// `P` itself, reflected in 33 bits.
#[cfg_attr(not(target_arch = "x86_64"), allow(dead_code))]
pub(crate) const POLY33: u64 = ((POLY as u64) << 1) | 1;

#[cfg(test)]
mod tests {
    extern crate std;
    use super::*;

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
                v ^= u128::from(0x1_04C1_1DB7u64) << (bit - 32);
            }
        }
        v as u64
    }

    /// `x^e mod P` in normal form by square-and-multiply (a different route from the shift
    /// loop in `reflected_xpow`).
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
        assert_eq!(P_NORMAL, 0x1_04C1_1DB7);
        for (bits, fold) in ALL {
            assert_eq!(fold.lo, reflected33(xpow_mod(bits + 32)), "lo, D = {bits}");
            assert_eq!(fold.hi, reflected33(xpow_mod(bits - 32)), "hi, D = {bits}");
        }
        assert_eq!(X64, reflected33(xpow_mod(64)));
        // μ: the quotient q of x^64 = q·P + r with deg r < 32, checked by multiplying back.
        let mu_normal = (MU << 31).reverse_bits();
        let r = (1u128 << 64) ^ clmul(mu_normal, 0x1_04C1_1DB7);
        assert!(r < 1 << 32, "x^64 - mu·P must have degree < 32");
        // Spot values, so a reader can compare with published tables (the Intel paper, zlib-ng).
        assert_eq!(
            FOLD_512,
            Fold {
                lo: 0x1_5444_2BD4,
                hi: 0x1_C6E4_1596
            }
        );
        assert_eq!(
            FOLD_128,
            Fold {
                lo: 0x1_7519_97D0,
                hi: 0xCCAA_009E
            }
        );
        assert_eq!(X64, 0x1_63CD_6124);
        assert_eq!(MU, 0x1_F701_1641);
        assert_eq!(POLY33, 0x1_DB71_0641);
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

    /// The three reduction steps of the module comment, in software, turn a 128-bit chunk
    /// into the CRC register the scalar code computes over its 16 bytes.
    #[test]
    fn reduction_matches_scalar() {
        let mask32 = 0xFFFF_FFFFu128;
        let mut state = 0x9E37_79B9_7F4A_7C15u64;
        for _ in 0..1000 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let lo = state;
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1);
            let hi = state;
            let x = u128::from(lo) | u128::from(hi) << 64;
            let y = clmul(lo, FOLD_128.hi) ^ (x >> 64);
            let z = clmul((y & mask32) as u64, X64) ^ (y >> 32);
            let t1 = clmul((z & mask32) as u64, MU);
            let t2 = clmul((t1 & mask32) as u64, POLY33);
            let got = ((z ^ t2) >> 32) as u32;
            let expect = super::super::scalar::update(0, &x.to_le_bytes());
            assert_eq!(got, expect, "chunk {x:#034x}");
        }
    }
}
