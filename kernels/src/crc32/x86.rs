//! x86_64 CRC-32: carry-less-multiply folding (PCLMULQDQ on 128-bit lanes, VPCLMULQDQ on 256-
//! and 512-bit lanes), a byte-shuffle for the last partial chunk, and a Barrett reduction.
//!
//! x86 has no CRC instruction for this polynomial (SSE4.2's `crc32` is CRC-32C), so, unlike
//! CRC-32C, the last folded chunk is reduced with three more multiplies (see
//! [`super::consts`]). Every path needs PCLMULQDQ and SSE4.1/SSSE3 (`pshufb`, `pblendvb`,
//! `pextrd`) besides its tier; [`super::select`] hands the functions here out only after the
//! CPU has been checked. Inputs shorter than one chunk take the table code.

use core::arch::x86_64::*;

use super::consts::{
    FOLD_128, FOLD_256, FOLD_384, FOLD_512, FOLD_640, FOLD_768, FOLD_896, FOLD_1024, FOLD_1536,
    FOLD_2048, Fold, MU, POLY33, X64,
};
use super::scalar;

/// Below this length the 256-bit fold hands over to the 128-bit one.
const FOLD_256_MIN: usize = 256;
/// Below this length the 512-bit fold hands over to the 256-bit one.
const FOLD_512_MIN: usize = 1024;

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

/// Reduces the last chunk `x` to the CRC register `x · x^32 mod P`: 128 → 96 → 64 bits by
/// folding, then Barrett (the three steps of [`super::consts`]).
#[inline]
#[target_feature(enable = "sse4.2,pclmulqdq")]
fn reduce_128(x: __m128i) -> u32 {
    let low32 = _mm_set_epi32(0, 0, 0, -1);
    let y = _mm_xor_si128(
        _mm_clmulepi64_si128::<0x00>(x, _mm_cvtsi64_si128(FOLD_128.hi as i64)),
        _mm_srli_si128::<8>(x),
    );
    let z = _mm_xor_si128(
        _mm_clmulepi64_si128::<0x00>(_mm_and_si128(y, low32), _mm_cvtsi64_si128(X64 as i64)),
        _mm_srli_si128::<4>(y),
    );
    let barrett = _mm_set_epi64x(POLY33 as i64, MU as i64);
    let q = _mm_clmulepi64_si128::<0x00>(_mm_and_si128(z, low32), barrett);
    let qp = _mm_clmulepi64_si128::<0x10>(_mm_and_si128(q, low32), barrett);
    _mm_extract_epi32::<1>(_mm_xor_si128(z, qp)) as u32
}

/// Folds the last `tail.len()` (0..16) bytes of the input into chunk `x` and reduces it.
///
/// `last` is the input's last 16 bytes: its first `16 - tail.len()` bytes are already in
/// `x`, the rest is `tail`. The message "`x`, then the tail" of `16 + r` bytes is split as
/// its first `r` bytes (the start of `x`, moved to the top of a chunk and folded 128 bits on)
/// and its last 16 bytes (the rest of `x` shifted down, with the tail in the freed bytes).
#[inline]
#[target_feature(enable = "sse4.2,pclmulqdq")]
fn finish_128(x: __m128i, tail: &[u8], last: &[u8; 16]) -> u32 {
    let r = tail.len();
    if r == 0 {
        return reduce_128(x);
    }
    let index = _mm_setr_epi8(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15);
    // Byte i of `up` is i - (16 - r): negative (a zeroing index, top bit set) below 16 - r.
    let up = _mm_add_epi8(index, _mm_set1_epi8(r as i8 - 16));
    // Byte i of `down` is i + r below 16 - r (only the low four bits count), zeroing above.
    let down = _mm_xor_si128(up, _mm_set1_epi8(i8::MIN));
    let head = _mm_shuffle_epi8(x, up);
    let rest = _mm_blendv_epi8(load_128(last), _mm_shuffle_epi8(x, down), up);
    reduce_128(_mm_xor_si128(fold_128(head, k128(FOLD_128)), rest))
}

/// Number of independent 128-bit lanes the PCLMULQDQ path folds at once: eight lanes (128
/// bytes a step) cover the multiply's latency (4–7 cycles) at its throughput (1–2 a cycle).
const LANES_128: usize = 8;

/// Multipliers that fold lane `i` of [`LANES_128`] onto the last lane: distance
/// `128 · (LANES_128 - 1 - i)` bits (the last entry is unused: that lane stays).
const JOIN_128: [Fold; LANES_128] = [
    FOLD_896, FOLD_768, FOLD_640, FOLD_512, FOLD_384, FOLD_256, FOLD_128, FOLD_128,
];

/// Folds `chunks` (at least one) into a single chunk, with the CRC register `crc` XORed into
/// the first four bytes: [`LANES_128`] lanes while a whole step is left, then one chunk at a
/// time.
#[inline]
#[target_feature(enable = "sse4.2,pclmulqdq")]
fn fold_chunks_128(seed: __m128i, chunks: &[[u8; 16]]) -> __m128i {
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
        let mut x = lanes[LANES_128 - 1];
        for (lane, join) in lanes[..LANES_128 - 1].iter().zip(JOIN_128) {
            x = _mm_xor_si128(x, fold_128(*lane, k128(join)));
        }
        (x, rest)
    } else if let Some((first, rest)) = chunks.split_first() {
        (_mm_xor_si128(load_128(first), seed), rest)
    } else {
        return seed;
    };
    let k = k128(FOLD_128);
    for chunk in rest {
        x = _mm_xor_si128(fold_128(x, k), load_128(chunk));
    }
    x
}

/// Advances the raw CRC register over `data` with 128-bit folding (tables below 16 bytes).
#[inline]
#[target_feature(enable = "sse4.2,pclmulqdq")]
fn update_pclmul(crc: u32, data: &[u8]) -> u32 {
    let Some(last) = data.last_chunk::<16>() else {
        return scalar::update(crc, data);
    };
    let (chunks, tail) = data.as_chunks::<16>();
    let x = fold_chunks_128(_mm_cvtsi32_si128(crc as i32), chunks);
    finish_128(x, tail, last)
}

/// CRC-32 with 128-bit PCLMULQDQ folding.
///
/// # Safety
/// The CPU must support SSE4.2 and PCLMULQDQ.
#[target_feature(enable = "sse4.2,pclmulqdq")]
pub(crate) unsafe fn crc32_pclmul(data: &[u8], seed: u32) -> u32 {
    !update_pclmul(!seed, data)
}

// ---------------------------------------------------------------------------------------
// 256-bit lanes: VPCLMULQDQ with AVX2.

/// The fold multipliers in both 128-bit halves of a 256-bit vector.
#[inline]
#[target_feature(enable = "avx2")]
fn k256(fold: Fold) -> __m256i {
    _mm256_broadcastsi128_si256(k128(fold))
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
/// step, then the 128-bit path for the chunks left and the tail.
#[inline]
#[target_feature(enable = "avx2,vpclmulqdq,sse4.2,pclmulqdq")]
fn update_vpclmul_256(crc: u32, data: &[u8]) -> u32 {
    let (groups, _) = data.as_chunks::<128>();
    let (Some(last), Some((first, groups))) = (data.last_chunk::<16>(), groups.split_first())
    else {
        return update_pclmul(crc, data);
    };
    if data.len() < FOLD_256_MIN {
        return update_pclmul(crc, data);
    }
    let lanes = |group: &[u8; 128]| {
        let (quarters, _) = group.as_chunks::<32>();
        [0, 1, 2, 3].map(|i| load_256(&quarters[i]))
    };
    let mut y = lanes(first);
    y[0] = _mm256_xor_si256(y[0], _mm256_zextsi128_si256(_mm_cvtsi32_si128(crc as i32)));
    let k = k256(FOLD_1024);
    for group in groups {
        let next = lanes(group);
        for (lane, next) in y.iter_mut().zip(next) {
            *lane = _mm256_xor_si256(fold_256(*lane, k), next);
        }
    }
    let joined = _mm256_xor_si256(
        _mm256_xor_si256(
            fold_256(y[0], k256(FOLD_768)),
            fold_256(y[1], k256(FOLD_512)),
        ),
        _mm256_xor_si256(fold_256(y[2], k256(FOLD_256)), y[3]),
    );
    let mut x = narrow_256(joined);
    let done = (groups.len() + 1) * 128;
    let (chunks, tail) = data[done..].as_chunks::<16>();
    let k = k128(FOLD_128);
    for chunk in chunks {
        x = _mm_xor_si128(fold_128(x, k), load_128(chunk));
    }
    finish_128(x, tail, last)
}

/// CRC-32 with VPCLMULQDQ folding on 256-bit lanes.
///
/// # Safety
/// The CPU must support AVX2, VPCLMULQDQ, SSE4.2 and PCLMULQDQ.
#[target_feature(enable = "avx2,vpclmulqdq,sse4.2,pclmulqdq")]
pub(crate) unsafe fn crc32_vpclmul_256(data: &[u8], seed: u32) -> u32 {
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
/// step, then the 128-bit path for the chunks left and the tail.
#[inline]
#[target_feature(enable = "avx512f,avx512bw,avx512vl,vpclmulqdq,avx2,sse4.2,pclmulqdq")]
fn update_vpclmul_512(crc: u32, data: &[u8]) -> u32 {
    let (groups, _) = data.as_chunks::<256>();
    let (Some(last), Some((first, groups))) = (data.last_chunk::<16>(), groups.split_first())
    else {
        return update_vpclmul_256(crc, data);
    };
    if data.len() < FOLD_512_MIN {
        return update_vpclmul_256(crc, data);
    }
    let lanes = |group: &[u8; 256]| {
        let (quarters, _) = group.as_chunks::<64>();
        [0, 1, 2, 3].map(|i| load_512(&quarters[i]))
    };
    let mut z = lanes(first);
    z[0] = _mm512_xor_si512(z[0], _mm512_zextsi128_si512(_mm_cvtsi32_si128(crc as i32)));
    let k = k512(FOLD_2048);
    for group in groups {
        let next = lanes(group);
        for (lane, next) in z.iter_mut().zip(next) {
            *lane = fold_512_xor(*lane, k, next);
        }
    }
    // Four lanes into one: z0 moves 3·512 bits, z1 2·512, z2 512, z3 stays.
    let joined = fold_512_xor(
        z[0],
        k512(FOLD_1536),
        fold_512_xor(
            z[1],
            k512(FOLD_1024),
            fold_512_xor(z[2], k512(FOLD_512), z[3]),
        ),
    );
    // 512 → 256 bits: the first two chunks move 256 bits onto the last two.
    let first_half = _mm512_castsi512_si256(joined);
    let second_half = _mm512_extracti64x4_epi64::<1>(joined);
    let mut x = narrow_256(_mm256_xor_si256(
        fold_256(first_half, k256(FOLD_256)),
        second_half,
    ));
    let done = (groups.len() + 1) * 256;
    let (chunks, tail) = data[done..].as_chunks::<16>();
    let k = k128(FOLD_128);
    for chunk in chunks {
        x = _mm_xor_si128(fold_128(x, k), load_128(chunk));
    }
    finish_128(x, tail, last)
}

/// CRC-32 with VPCLMULQDQ folding on 512-bit lanes.
///
/// # Safety
/// The CPU must support AVX-512 F/BW/VL, VPCLMULQDQ, AVX2, SSE4.2 and PCLMULQDQ.
#[target_feature(enable = "avx512f,avx512bw,avx512vl,vpclmulqdq,avx2,sse4.2,pclmulqdq")]
pub(crate) unsafe fn crc32_vpclmul_512(data: &[u8], seed: u32) -> u32 {
    !update_vpclmul_512(!seed, data)
}
