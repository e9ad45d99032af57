//! XXH3 64-bit, written from the xxHash 0.8 specification (`doc/xxhash_spec.md` and
//! `xxhash.h`): the scalar reference, and the short-input paths every tier shares.
//!
//! Inputs of up to 240 bytes are hashed by a few 64×64→128-bit multiplies of input words mixed
//! with the secret; longer ones run eight 64-bit accumulators over 64-byte stripes
//! ([`accumulate_512`]), scrambled after every 1024-byte block ([`scramble`]), then merged. A
//! non-zero seed is used directly by the short paths and, for long inputs, turned into a
//! custom secret ([`derive_secret`]). Only the long-input stripe loop has vector versions
//! (`super::simd`); this file is the oracle for them.

/// The default secret (`XXH3_kSecret`), 192 bytes.
const SECRET: [u8; SECRET_LEN] = [
    0xb8, 0xfe, 0x6c, 0x39, 0x23, 0xa4, 0x4b, 0xbe, 0x7c, 0x01, 0x81, 0x2c, 0xf7, 0x21, 0xad, 0x1c,
    0xde, 0xd4, 0x6d, 0xe9, 0x83, 0x90, 0x97, 0xdb, 0x72, 0x40, 0xa4, 0xa4, 0xb7, 0xb3, 0x67, 0x1f,
    0xcb, 0x79, 0xe6, 0x4e, 0xcc, 0xc0, 0xe5, 0x78, 0x82, 0x5a, 0xd0, 0x7d, 0xcc, 0xff, 0x72, 0x21,
    0xb8, 0x08, 0x46, 0x74, 0xf7, 0x43, 0x24, 0x8e, 0xe0, 0x35, 0x90, 0xe6, 0x81, 0x3a, 0x26, 0x4c,
    0x3c, 0x28, 0x52, 0xbb, 0x91, 0xc3, 0x00, 0xcb, 0x88, 0xd0, 0x65, 0x8b, 0x1b, 0x53, 0x2e, 0xa3,
    0x71, 0x64, 0x48, 0x97, 0xa2, 0x0d, 0xf9, 0x4e, 0x38, 0x19, 0xef, 0x46, 0xa9, 0xde, 0xac, 0xd8,
    0xa8, 0xfa, 0x76, 0x3f, 0xe3, 0x9c, 0x34, 0x3f, 0xf9, 0xdc, 0xbb, 0xc7, 0xc7, 0x0b, 0x4f, 0x1d,
    0x8a, 0x51, 0xe0, 0x4b, 0xcd, 0xb4, 0x59, 0x31, 0xc8, 0x9f, 0x7e, 0xc9, 0xd9, 0x78, 0x73, 0x64,
    0xea, 0xc5, 0xac, 0x83, 0x34, 0xd3, 0xeb, 0xc3, 0xc5, 0x81, 0xa0, 0xff, 0xfa, 0x13, 0x63, 0xeb,
    0x17, 0x0d, 0xdd, 0x51, 0xb7, 0xf0, 0xda, 0x49, 0xd3, 0x16, 0x55, 0x26, 0x29, 0xd4, 0x68, 0x9e,
    0x2b, 0x16, 0xbe, 0x58, 0x7d, 0x47, 0xa1, 0xfc, 0x8f, 0xf8, 0xb8, 0xd1, 0x7a, 0xd0, 0x31, 0xce,
    0x45, 0xcb, 0x3a, 0x8f, 0x95, 0x16, 0x04, 0x28, 0xaf, 0xd7, 0xfb, 0xca, 0xbb, 0x4b, 0x40, 0x7e,
];

/// Length of the secret in bytes.
pub(crate) const SECRET_LEN: usize = 192;
/// Bytes per stripe: eight 64-bit lanes, one per accumulator.
pub(crate) const STRIPE: usize = 64;
/// Stripes per block: the secret advances 8 bytes per stripe, `(192 - 64) / 8 = 16` times.
const STRIPES_PER_BLOCK: usize = (SECRET_LEN - STRIPE) / 8;
/// Bytes per block (1024), after each of which the accumulators are scrambled.
pub(crate) const BLOCK: usize = STRIPE * STRIPES_PER_BLOCK;
/// Offset of the scramble key in the secret (its last 64 bytes).
pub(crate) const SCRAMBLE_KEY: usize = SECRET_LEN - STRIPE;
/// Offset of the key for the last stripe (`XXH_SECRET_LASTACC_START` = 7 before the end).
pub(crate) const LAST_STRIPE_KEY: usize = SECRET_LEN - STRIPE - 7;
/// Inputs longer than this take the long (stripe) path.
pub(crate) const MID_MAX: usize = 240;

const PRIME32_1: u64 = 0x9E37_79B1;
const PRIME32_2: u64 = 0x85EB_CA77;
const PRIME32_3: u64 = 0xC2B2_AE3D;
const PRIME64_1: u64 = 0x9E37_79B1_85EB_CA87;
const PRIME64_2: u64 = 0xC2B2_AE3D_27D4_EB4F;
const PRIME64_3: u64 = 0x1656_67B1_9E37_79F9;
const PRIME64_4: u64 = 0x85EB_CA77_C2B2_AE63;
const PRIME64_5: u64 = 0x27D4_EB2F_1656_67C5;
/// Multiplier of the XXH3 avalanche.
const PRIME_MX1: u64 = 0x1656_6791_9E37_79F9;
/// Multiplier of `rrmxmx`, the avalanche of the 4..=8-byte path.
const PRIME_MX2: u64 = 0x9FB2_1C65_1E98_DF25;

/// The accumulators' initial values.
pub(crate) const INIT_ACC: [u64; 8] = [
    PRIME32_3, PRIME64_1, PRIME64_2, PRIME64_3, PRIME64_4, PRIME32_2, PRIME64_5, PRIME32_1,
];

/// Little-endian `u64` at the start of `b` (callers pass at least 8 bytes).
#[inline(always)]
fn r64(b: &[u8]) -> u64 {
    b.first_chunk::<8>().map_or(0, |w| u64::from_le_bytes(*w))
}

/// Little-endian `u32` at the start of `b` (callers pass at least 4 bytes).
#[inline(always)]
fn r32(b: &[u8]) -> u32 {
    b.first_chunk::<4>().map_or(0, |w| u32::from_le_bytes(*w))
}

/// Low and high halves of the 128-bit product, XORed together.
#[inline(always)]
fn mul128_fold64(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    product as u64 ^ (product >> 64) as u64
}

/// `XXH64_avalanche`: the final mix of XXH64, used by the 0..=3-byte paths.
#[inline(always)]
fn xxh64_avalanche(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(PRIME64_2);
    h ^= h >> 29;
    h = h.wrapping_mul(PRIME64_3);
    h ^ (h >> 32)
}

/// `XXH3_avalanche`.
#[inline(always)]
fn avalanche(mut h: u64) -> u64 {
    h ^= h >> 37;
    h = h.wrapping_mul(PRIME_MX1);
    h ^ (h >> 32)
}

/// `XXH3_rrmxmx`: a stronger avalanche for the 4..=8-byte path.
#[inline(always)]
fn rrmxmx(mut h: u64, len: u64) -> u64 {
    h ^= h.rotate_left(49) ^ h.rotate_left(24);
    h = h.wrapping_mul(PRIME_MX2);
    h ^= (h >> 35).wrapping_add(len);
    h = h.wrapping_mul(PRIME_MX2);
    h ^ (h >> 28)
}

/// 0..=16 bytes.
#[inline(always)]
fn len_0_to_16(data: &[u8], seed: u64) -> u64 {
    let s = &SECRET;
    let len = data.len();
    match len {
        0 => xxh64_avalanche(seed ^ r64(&s[56..]) ^ r64(&s[64..])),
        1..=3 => len_1_to_3(data[0], data[len / 2], data[len - 1], len, seed),
        4..=8 => {
            let seed = seed ^ (u64::from((seed as u32).swap_bytes()) << 32);
            let input1 = u64::from(r32(data));
            let input2 = u64::from(r32(&data[len - 4..]));
            let bitflip = (r64(&s[8..]) ^ r64(&s[16..])).wrapping_sub(seed);
            let keyed = input2.wrapping_add(input1 << 32) ^ bitflip;
            rrmxmx(keyed, len as u64)
        }
        _ => {
            let bitflip1 = (r64(&s[24..]) ^ r64(&s[32..])).wrapping_add(seed);
            let bitflip2 = (r64(&s[40..]) ^ r64(&s[48..])).wrapping_sub(seed);
            let lo = r64(data) ^ bitflip1;
            let hi = r64(&data[len - 8..]) ^ bitflip2;
            let acc = (len as u64)
                .wrapping_add(lo.swap_bytes())
                .wrapping_add(hi)
                .wrapping_add(mul128_fold64(lo, hi));
            avalanche(acc)
        }
    }
}

/// 1..=3 bytes: the first, middle and last byte and the length in one 32-bit word.
#[inline(always)]
fn len_1_to_3(c1: u8, c2: u8, c3: u8, len: usize, seed: u64) -> u64 {
    let combined =
        (u32::from(c1) << 16) | (u32::from(c2) << 24) | u32::from(c3) | ((len as u32) << 8);
    let bitflip = u64::from(r32(&SECRET) ^ r32(&SECRET[4..])).wrapping_add(seed);
    xxh64_avalanche(u64::from(combined) ^ bitflip)
}

/// Mixes 16 input bytes with 16 secret bytes and the seed.
#[inline(always)]
fn mix16(input: &[u8], secret: &[u8], seed: u64) -> u64 {
    mul128_fold64(
        r64(input) ^ r64(secret).wrapping_add(seed),
        r64(&input[8..]) ^ r64(&secret[8..]).wrapping_sub(seed),
    )
}

/// 17..=128 bytes: pairs of 16-byte blocks from the front and the back.
#[inline(always)]
fn len_17_to_128(data: &[u8], seed: u64) -> u64 {
    let s = &SECRET;
    let len = data.len();
    let mut acc = (len as u64).wrapping_mul(PRIME64_1);
    // Pairs of blocks, the `i`th from the front with secret `32 i` and the `i`th from the back
    // with secret `32 i + 16`, as many pairs as 32-byte steps begun (nested as in the spec,
    // which also lets the compiler see every read in bounds).
    if len > 32 {
        if len > 64 {
            if len > 96 {
                acc = acc
                    .wrapping_add(mix16(&data[48..], &s[96..], seed))
                    .wrapping_add(mix16(&data[len - 64..], &s[112..], seed));
            }
            acc = acc
                .wrapping_add(mix16(&data[32..], &s[64..], seed))
                .wrapping_add(mix16(&data[len - 48..], &s[80..], seed));
        }
        acc = acc
            .wrapping_add(mix16(&data[16..], &s[32..], seed))
            .wrapping_add(mix16(&data[len - 32..], &s[48..], seed));
    }
    let (first, last) = (
        mix16(data, s, seed),
        mix16(&data[len - 16..], &s[16..], seed),
    );
    avalanche(acc.wrapping_add(first).wrapping_add(last))
}

/// 129..=240 bytes: every whole 16-byte block, then the last 16 bytes.
/// Out of line: its code needs many registers (see [`hash_short`]).
#[inline(never)]
fn len_129_to_240(data: &[u8], seed: u64) -> u64 {
    let s = &SECRET;
    let len = data.len();
    let mut acc = (len as u64).wrapping_mul(PRIME64_1);
    let blocks = data.as_chunks::<16>().0;
    for (i, block) in blocks.iter().enumerate().take(8) {
        acc = acc.wrapping_add(mix16(block, &s[16 * i..], seed));
    }
    acc = avalanche(acc);
    // The blocks after the eighth reuse the secret from offset 3 (`XXH3_MIDSIZE_STARTOFFSET`).
    for (i, block) in blocks.iter().enumerate().skip(8) {
        acc = acc.wrapping_add(mix16(block, &s[16 * (i - 8) + 3..], seed));
    }
    // The last 16 bytes use secret `136 - 17` (`XXH3_SECRET_SIZE_MIN - XXH3_MIDSIZE_LASTOFFSET`).
    acc = acc.wrapping_add(mix16(&data[len - 16..], &s[136 - 17..], seed));
    avalanche(acc)
}

/// The custom secret for a non-zero seed: `seed` added to the first and subtracted from the
/// second 64-bit word of every 16 bytes of the default secret.
fn derive_secret(seed: u64) -> [u8; SECRET_LEN] {
    let mut secret = SECRET;
    for pair in secret.as_chunks_mut::<16>().0 {
        let lo = r64(pair).wrapping_add(seed);
        let hi = r64(&pair[8..]).wrapping_sub(seed);
        pair[..8].copy_from_slice(&lo.to_le_bytes());
        pair[8..].copy_from_slice(&hi.to_le_bytes());
    }
    secret
}

/// One stripe into the accumulators: lane `i` adds `lo32(k) · hi32(k)` for `k = data ^ key`,
/// and its neighbour `i ^ 1` adds the raw data.
#[inline(always)]
fn accumulate_512(acc: &mut [u64; 8], stripe: &[u8], key: &[u8]) {
    for i in 0..8 {
        let data = r64(&stripe[8 * i..]);
        let keyed = data ^ r64(&key[8 * i..]);
        acc[i ^ 1] = acc[i ^ 1].wrapping_add(data);
        acc[i] = acc[i].wrapping_add((keyed & 0xFFFF_FFFF).wrapping_mul(keyed >> 32));
    }
}

/// The end-of-block scramble: `acc = (acc ^ (acc >> 47) ^ key) · PRIME32_1`.
#[inline(always)]
fn scramble(acc: &mut [u64; 8], key: &[u8]) {
    for (i, lane) in acc.iter_mut().enumerate() {
        *lane = (*lane ^ (*lane >> 47) ^ r64(&key[8 * i..])).wrapping_mul(PRIME32_1);
    }
}

/// The accumulators after the whole of a long input (more than [`MID_MAX`] bytes), scalar.
fn accumulate_long(data: &[u8], secret: &[u8; SECRET_LEN]) -> [u64; 8] {
    let mut acc = INIT_ACC;
    let len = data.len();
    // Whole blocks, except that a block ending exactly at the end is left to the tail: the
    // spec counts `(len - 1) / BLOCK` blocks.
    let blocks = (len - 1) / BLOCK;
    for block in data.chunks_exact(BLOCK).take(blocks) {
        for (s, stripe) in block.chunks_exact(STRIPE).enumerate() {
            accumulate_512(&mut acc, stripe, &secret[8 * s..]);
        }
        scramble(&mut acc, &secret[SCRAMBLE_KEY..]);
    }
    // Whole stripes of the last block, again without a stripe ending exactly at the end.
    let tail = &data[blocks * BLOCK..];
    let stripes = (tail.len() - 1) / STRIPE;
    for (s, stripe) in tail.chunks_exact(STRIPE).take(stripes).enumerate() {
        accumulate_512(&mut acc, stripe, &secret[8 * s..]);
    }
    // The last 64 bytes, overlapping what came before.
    accumulate_512(&mut acc, &data[len - STRIPE..], &secret[LAST_STRIPE_KEY..]);
    acc
}

/// The final mix of a long input's accumulators.
#[inline]
pub(crate) fn merge(acc: &[u64; 8], secret: &[u8; SECRET_LEN], len: usize) -> u64 {
    let key = &secret[11..];
    let mut result = (len as u64).wrapping_mul(PRIME64_1);
    for i in 0..4 {
        result = result.wrapping_add(mul128_fold64(
            acc[2 * i] ^ r64(&key[16 * i..]),
            acc[2 * i + 1] ^ r64(&key[16 * i + 8..]),
        ));
    }
    avalanche(result)
}

/// XXH3-64 of an input of at most [`MID_MAX`] bytes.
///
/// Up to 16 bytes the code is a few instructions and is inlined into the caller; longer
/// inputs call [`hash_mid`], whose register-hungry code would otherwise make every caller
/// save and restore registers even for tiny inputs.
#[inline(always)]
pub(crate) fn hash_short(data: &[u8], seed: u64) -> u64 {
    if data.len() <= 16 {
        len_0_to_16(data, seed)
    } else {
        hash_mid(data, seed)
    }
}

/// XXH3-64 of an input of 17 to [`MID_MAX`] bytes (shorter ones are served too).
#[inline(never)]
fn hash_mid(data: &[u8], seed: u64) -> u64 {
    match data.len() {
        0..=16 => len_0_to_16(data, seed),
        17..=128 => len_17_to_128(data, seed),
        _ => len_129_to_240(data, seed),
    }
}

/// The secret a long input is hashed with: the default one for seed 0, else derived.
#[inline]
pub(crate) fn secret_for(seed: u64) -> [u8; SECRET_LEN] {
    if seed == 0 {
        SECRET
    } else {
        derive_secret(seed)
    }
}

/// XXH3-64 of `data` with `seed`, scalar throughout.
///
/// # Safety
/// None: `unsafe` only to share the dispatch signature.
pub(crate) unsafe fn xxh3_64(data: &[u8], seed: u64) -> u64 {
    if data.len() <= MID_MAX {
        return hash_short(data, seed);
    }
    let secret = secret_for(seed);
    merge(&accumulate_long(data, &secret), &secret, data.len())
}
