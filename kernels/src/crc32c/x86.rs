//! x86_64 CRC-32C: the SSE4.2 `crc32` instruction for short inputs, carry-less-multiply
//! folding (PCLMULQDQ on 128-bit lanes, VPCLMULQDQ on 256- and 512-bit lanes) for long ones.
//!
//! Every path finishes with the `crc32` instruction, which multiplies the last folded chunk
//! by `x^32` and reduces it (see [`super::consts`]), so every path needs SSE4.2 besides its
//! multiply. The functions here are `#[target_feature]`; [`super::select`] hands them out only
//! after the CPU has been checked.

use core::arch::x86_64::*;

use super::consts::{
    FOLD_128, FOLD_256, FOLD_384, FOLD_512, FOLD_640, FOLD_768, FOLD_896, FOLD_1024, FOLD_1536,
    FOLD_2048, Fold, shift_multiplier,
};

/// Below this length the 128-bit fold does not pay for its setup and reduction; the
/// `crc32` instruction alone is used.
const FOLD_128_MIN: usize = 128;
/// Below this length the 256-bit fold hands over to the 128-bit one.
const FOLD_256_MIN: usize = 256;
/// Below this length the 512-bit fold hands over to the 128-bit one.
const FOLD_512_MIN: usize = 512;

// ---------------------------------------------------------------------------------------
// The `crc32` instruction alone.

/// Advances the raw CRC register over `data` with the `crc32` instruction, 8 bytes a step.
#[inline]
#[target_feature(enable = "sse4.2")]
fn update_crc32_insn(crc: u32, data: &[u8]) -> u32 {
    let (words, tail) = data.as_chunks::<8>();
    let mut crc = u64::from(crc);
    for word in words {
        crc = _mm_crc32_u64(crc, u64::from_le_bytes(*word));
    }
    let mut crc = crc as u32;
    for &byte in tail {
        crc = _mm_crc32_u8(crc, byte);
    }
    crc
}

/// Reduces a final 128-bit chunk to the CRC register: `chunk · x^32 mod P`.
#[inline]
#[target_feature(enable = "sse4.2")]
fn reduce_128(x: __m128i) -> u32 {
    let lo = _mm_cvtsi128_si64(x) as u64;
    let hi = _mm_extract_epi64::<1>(x) as u64;
    _mm_crc32_u64(_mm_crc32_u64(0, lo), hi) as u32
}

/// CRC-32C with the SSE4.2 `crc32` instruction only.
///
/// # Safety
/// The CPU must support SSE4.2.
#[target_feature(enable = "sse4.2")]
pub(crate) unsafe fn crc32c_sse42(data: &[u8], seed: u32) -> u32 {
    !update_crc32_insn(!seed, data)
}

// ---------------------------------------------------------------------------------------
// 128-bit lanes: PCLMULQDQ.

/// The fold multipliers as a vector: `lo` in the low quadword, `hi` in the high one.
#[inline]
#[target_feature(enable = "sse2")]
fn k128(fold: Fold) -> __m128i {
    _mm_set_epi64x(fold.hi as i64, fold.lo as i64)
}

/// Moves chunk `x` forward by the distance `k` was built for (see [`super::consts`]).
#[inline]
#[target_feature(enable = "pclmulqdq")]
fn fold_128(x: __m128i, k: __m128i) -> __m128i {
    _mm_xor_si128(
        _mm_clmulepi64_si128::<0x00>(x, k),
        _mm_clmulepi64_si128::<0x11>(x, k),
    )
}

/// Loads one 16-byte chunk.
#[inline]
#[target_feature(enable = "sse2")]
fn load_128(chunk: &[u8; 16]) -> __m128i {
    // SAFETY: `chunk` is valid for reading 16 bytes; `loadu` has no alignment requirement.
    unsafe { _mm_loadu_si128(chunk.as_ptr().cast()) }
}

/// Number of independent 128-bit lanes the PCLMULQDQ path folds at once. Eight lanes (128
/// bytes a step) keep the multiplier busy on cores where PCLMULQDQ has a latency of 4–7
/// cycles and a throughput of one or two a cycle; four left half of it idle on Zen 3.
const LANES_128: usize = 8;

/// Multipliers that fold lane `i` of [`LANES_128`] onto the last lane: distance
/// `128 · (LANES_128 - 1 - i)` bits (the last entry is unused: that lane stays).
const JOIN_128: [Fold; LANES_128] = [
    FOLD_896, FOLD_768, FOLD_640, FOLD_512, FOLD_384, FOLD_256, FOLD_128, FOLD_128,
];

/// Folds `chunks` into a single chunk, with the CRC register `crc` XORed into the first four
/// bytes, and reduces it; returns the raw CRC register after all the chunks.
///
/// [`LANES_128`] independent lanes hide the multiply latency; what is left after the last
/// full step is folded one chunk at a time.
#[inline]
#[target_feature(enable = "sse4.2,pclmulqdq")]
fn fold_chunks_128(crc: u32, chunks: &[[u8; 16]]) -> u32 {
    let seed = _mm_cvtsi32_si128(crc as i32);
    let (mut x, rest) = if let Some((first, rest)) = chunks.split_first_chunk::<LANES_128>() {
        let mut lanes = first.map(|chunk| load_128(&chunk));
        lanes[0] = _mm_xor_si128(lanes[0], seed);
        let k = k128(FOLD_1024);
        let (groups, rest) = rest.as_chunks::<LANES_128>();
        for group in groups {
            for (lane, chunk) in lanes.iter_mut().zip(group) {
                *lane = _mm_xor_si128(fold_128(*lane, k), load_128(chunk));
            }
        }
        // The seven folds are independent; the XOR chain then joins them.
        let mut x = lanes[LANES_128 - 1];
        for (lane, join) in lanes[..LANES_128 - 1].iter().zip(JOIN_128) {
            x = _mm_xor_si128(x, fold_128(*lane, k128(join)));
        }
        (x, rest)
    } else if let Some((first, rest)) = chunks.split_first() {
        (_mm_xor_si128(load_128(first), seed), rest)
    } else {
        return crc;
    };
    let k = k128(FOLD_128);
    for chunk in rest {
        x = _mm_xor_si128(fold_128(x, k), load_128(chunk));
    }
    reduce_128(x)
}

/// Advances the raw CRC register over `data`: 128-bit folding for long inputs.
#[inline]
#[target_feature(enable = "sse4.2,pclmulqdq")]
fn update_pclmul(crc: u32, data: &[u8]) -> u32 {
    if data.len() < FOLD_128_MIN {
        return update_crc32_insn(crc, data);
    }
    let (chunks, tail) = data.as_chunks::<16>();
    update_crc32_insn(fold_chunks_128(crc, chunks), tail)
}

/// Bytes per stream in one step of the three-stream `crc32` path.
const STREAM: usize = 512;

/// Multipliers that move a stream's register past one and two streams of bytes.
const SHIFT_1: u64 = shift_multiplier(STREAM as u32);
/// See [`SHIFT_1`].
const SHIFT_2: u64 = shift_multiplier(2 * STREAM as u32);

/// `crc · x^(8n) mod P` for the `n` that `k` was built for (see
/// [`super::consts::shift_multiplier`]): one carry-less multiply and one `crc32`.
#[inline]
#[target_feature(enable = "sse4.2,pclmulqdq")]
fn shift(crc: u64, k: u64) -> u64 {
    let product =
        _mm_clmulepi64_si128::<0x00>(_mm_cvtsi64_si128(crc as i64), _mm_cvtsi64_si128(k as i64));
    _mm_crc32_u64(0, _mm_cvtsi128_si64(product) as u64)
}

/// Advances the raw CRC register over `data` with three independent `crc32` streams over
/// consecutive [`STREAM`]-byte thirds of each step, joined by [`shift`].
///
/// `crc32` has a latency of 3 cycles and a throughput of 1 a cycle, so three streams run
/// three times as fast as one; on CPUs without VPCLMULQDQ this beats 128-bit folding (Zen 3:
/// about 17 against 10 GiB/s).
#[inline]
#[target_feature(enable = "sse4.2,pclmulqdq")]
fn update_crc32_3way(crc: u32, data: &[u8]) -> u32 {
    let (steps, rest) = data.as_chunks::<{ 3 * STREAM }>();
    let mut crc = u64::from(crc);
    for step in steps {
        let (a, b) = step.split_at(STREAM);
        let (b, c) = b.split_at(STREAM);
        let (a, b, c) = (
            a.as_chunks::<8>().0,
            b.as_chunks::<8>().0,
            c.as_chunks::<8>().0,
        );
        let (mut ca, mut cb, mut cc) = (crc, 0, 0);
        for ((a, b), c) in a.iter().zip(b).zip(c) {
            ca = _mm_crc32_u64(ca, u64::from_le_bytes(*a));
            cb = _mm_crc32_u64(cb, u64::from_le_bytes(*b));
            cc = _mm_crc32_u64(cc, u64::from_le_bytes(*c));
        }
        crc = shift(ca, SHIFT_2) ^ shift(cb, SHIFT_1) ^ cc;
    }
    update_pclmul(crc as u32, rest)
}

/// CRC-32C on the SSE tier: three `crc32` streams for long inputs, 128-bit PCLMULQDQ folding
/// for what is left and for medium inputs, one `crc32` stream for short ones.
///
/// # Safety
/// The CPU must support SSE4.2 and PCLMULQDQ.
#[target_feature(enable = "sse4.2,pclmulqdq")]
pub(crate) unsafe fn crc32c_pclmul(data: &[u8], seed: u32) -> u32 {
    !update_crc32_3way(!seed, data)
}

// ---------------------------------------------------------------------------------------
// 256-bit lanes: VPCLMULQDQ with AVX2.

/// The fold multipliers in both 128-bit halves of a 256-bit vector.
#[inline]
#[target_feature(enable = "avx2")]
fn k256(fold: Fold) -> __m256i {
    _mm256_set_epi64x(
        fold.hi as i64,
        fold.lo as i64,
        fold.hi as i64,
        fold.lo as i64,
    )
}

/// [`fold_128`] on both 128-bit halves at once.
#[inline]
#[target_feature(enable = "avx2,vpclmulqdq")]
fn fold_256(x: __m256i, k: __m256i) -> __m256i {
    _mm256_xor_si256(
        _mm256_clmulepi64_epi128::<0x00>(x, k),
        _mm256_clmulepi64_epi128::<0x11>(x, k),
    )
}

/// Loads two consecutive 16-byte chunks.
#[inline]
#[target_feature(enable = "avx2")]
fn load_256(chunk: &[u8; 32]) -> __m256i {
    // SAFETY: `chunk` is valid for reading 32 bytes; `loadu` has no alignment requirement.
    unsafe { _mm256_loadu_si256(chunk.as_ptr().cast()) }
}

/// Joins the two chunks of a 256-bit lane into one 128-bit chunk (the later one's place).
#[inline]
#[target_feature(enable = "avx2,pclmulqdq")]
fn narrow_256(y: __m256i) -> __m128i {
    let first = _mm256_castsi256_si128(y);
    let second = _mm256_extracti128_si256::<1>(y);
    _mm_xor_si128(fold_128(first, k128(FOLD_128)), second)
}

/// Advances the raw CRC register over `data`: 256-bit folding, four lanes (128 bytes) a
/// step, then the 128-bit path for what is left.
#[inline]
#[target_feature(enable = "avx2,vpclmulqdq,sse4.2,pclmulqdq")]
fn update_vpclmul_256(crc: u32, data: &[u8]) -> u32 {
    if data.len() < FOLD_256_MIN {
        return update_pclmul(crc, data);
    }
    let (blocks, _) = data.as_chunks::<32>();
    let (groups, _) = blocks.as_chunks::<4>();
    let Some((first, groups)) = groups.split_first() else {
        return update_pclmul(crc, data);
    };
    let seed = _mm256_zextsi128_si256(_mm_cvtsi32_si128(crc as i32));
    let mut y0 = _mm256_xor_si256(load_256(&first[0]), seed);
    let (mut y1, mut y2, mut y3) = (
        load_256(&first[1]),
        load_256(&first[2]),
        load_256(&first[3]),
    );
    let k = k256(FOLD_1024);
    for g in groups {
        y0 = _mm256_xor_si256(fold_256(y0, k), load_256(&g[0]));
        y1 = _mm256_xor_si256(fold_256(y1, k), load_256(&g[1]));
        y2 = _mm256_xor_si256(fold_256(y2, k), load_256(&g[2]));
        y3 = _mm256_xor_si256(fold_256(y3, k), load_256(&g[3]));
    }
    let y = _mm256_xor_si256(
        _mm256_xor_si256(fold_256(y0, k256(FOLD_768)), fold_256(y1, k256(FOLD_512))),
        _mm256_xor_si256(fold_256(y2, k256(FOLD_256)), y3),
    );
    let mut x = narrow_256(y);
    let done = (groups.len() + 1) * 128;
    let (chunks, tail) = data[done..].as_chunks::<16>();
    let k = k128(FOLD_128);
    for chunk in chunks {
        x = _mm_xor_si128(fold_128(x, k), load_128(chunk));
    }
    update_crc32_insn(reduce_128(x), tail)
}

/// CRC-32C with VPCLMULQDQ folding on 256-bit lanes.
///
/// # Safety
/// The CPU must support AVX2, VPCLMULQDQ, SSE4.2 and PCLMULQDQ.
#[target_feature(enable = "avx2,vpclmulqdq,sse4.2,pclmulqdq")]
pub(crate) unsafe fn crc32c_vpclmul_256(data: &[u8], seed: u32) -> u32 {
    !update_vpclmul_256(!seed, data)
}

// ---------------------------------------------------------------------------------------
// 512-bit lanes: VPCLMULQDQ with AVX-512.

/// The fold multipliers in all four 128-bit lanes of a 512-bit vector.
#[inline]
#[target_feature(enable = "avx512f")]
fn k512(fold: Fold) -> __m512i {
    let (lo, hi) = (fold.lo as i64, fold.hi as i64);
    _mm512_set_epi64(hi, lo, hi, lo, hi, lo, hi, lo)
}

/// Folds all four 128-bit lanes of `x` and XORs `next` in: one `vpternlogq` (0x96 is the
/// truth table of a three-input XOR) instead of two XORs.
#[inline]
#[target_feature(enable = "avx512f,vpclmulqdq")]
fn fold_512_xor(x: __m512i, k: __m512i, next: __m512i) -> __m512i {
    _mm512_ternarylogic_epi64::<0x96>(
        _mm512_clmulepi64_epi128::<0x00>(x, k),
        _mm512_clmulepi64_epi128::<0x11>(x, k),
        next,
    )
}

/// Loads four consecutive 16-byte chunks.
#[inline]
#[target_feature(enable = "avx512f")]
fn load_512(chunk: &[u8; 64]) -> __m512i {
    // SAFETY: `chunk` is valid for reading 64 bytes; `loadu` has no alignment requirement.
    unsafe { _mm512_loadu_si512(chunk.as_ptr().cast()) }
}

/// Advances the raw CRC register over `data`: 512-bit folding, four lanes (256 bytes) a
/// step, then the 128-bit path for what is left.
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,vpclmulqdq,avx2,sse4.2,pclmulqdq")]
fn update_vpclmul_512(crc: u32, data: &[u8]) -> u32 {
    if data.len() < FOLD_512_MIN {
        return update_pclmul(crc, data);
    }
    let (blocks, _) = data.as_chunks::<64>();
    let (groups, _) = blocks.as_chunks::<4>();
    let Some((first, groups)) = groups.split_first() else {
        return update_pclmul(crc, data);
    };
    let seed = _mm512_zextsi128_si512(_mm_cvtsi32_si128(crc as i32));
    let mut z0 = _mm512_xor_si512(load_512(&first[0]), seed);
    let (mut z1, mut z2, mut z3) = (
        load_512(&first[1]),
        load_512(&first[2]),
        load_512(&first[3]),
    );
    let k = k512(FOLD_2048);
    for g in groups {
        z0 = fold_512_xor(z0, k, load_512(&g[0]));
        z1 = fold_512_xor(z1, k, load_512(&g[1]));
        z2 = fold_512_xor(z2, k, load_512(&g[2]));
        z3 = fold_512_xor(z3, k, load_512(&g[3]));
    }
    // Four lanes into one: z0 moves 3·512 bits, z1 2·512, z2 512, z3 stays.
    let z = fold_512_xor(
        z0,
        k512(FOLD_1536),
        fold_512_xor(z1, k512(FOLD_1024), fold_512_xor(z2, k512(FOLD_512), z3)),
    );
    // 512 → 256 bits: the first two chunks move 256 bits onto the last two.
    let first_half = _mm512_castsi512_si256(z);
    let second_half = _mm512_extracti64x4_epi64::<1>(z);
    let y = _mm256_xor_si256(fold_256(first_half, k256(FOLD_256)), second_half);
    let mut x = narrow_256(y);
    let done = (groups.len() + 1) * 256;
    let (chunks, tail) = data[done..].as_chunks::<16>();
    let k = k128(FOLD_128);
    for chunk in chunks {
        x = _mm_xor_si128(fold_128(x, k), load_128(chunk));
    }
    update_crc32_insn(reduce_128(x), tail)
}

/// CRC-32C with VPCLMULQDQ folding on 512-bit lanes.
///
/// # Safety
/// The CPU must support AVX-512 F/BW/VL, VPCLMULQDQ, AVX2, SSE4.2 and PCLMULQDQ.
#[target_feature(enable = "avx512f,avx512bw,avx512vl,vpclmulqdq,avx2,sse4.2,pclmulqdq")]
pub(crate) unsafe fn crc32c_vpclmul_512(data: &[u8], seed: u32) -> u32 {
    !update_vpclmul_512(!seed, data)
}

/// Whether the CPU has SSE4.2 (the `crc32` instruction): run time with `std`, else compile
/// time. (CPUs with SSE4.2 but no PCLMULQDQ are rare — Nehalem — but cheap to serve.)
pub(crate) fn has_sse42() -> bool {
    #[cfg(feature = "std")]
    {
        std::is_x86_feature_detected!("sse4.2")
    }
    #[cfg(not(feature = "std"))]
    {
        cfg!(target_feature = "sse4.2")
    }
}
