//! Select of 4- and 8-byte elements on x86_64 with whole-register permutes: the AVX2 tier
//! moves the kept 8-byte elements of each group of 4 together with one `vpermd`, the AVX-512
//! tier the kept elements of each 64-byte vector with one `vpcompressd`/`vpcompressq`. Each
//! group is stored whole at the write position and the position advances by the kept bytes,
//! so the stores overlap and no branch depends on the bitmap.
//!
//! Every store of a group ends by the end of the elements that group read: the write
//! position never passes the read position, and `dst` holds at least `column.len()` bytes
//! (the [`super::SelectFn`] contract).

use core::arch::x86_64::*;

use super::simd::select_rest;

/// Row `m` moves the 8-byte elements whose bits are set in the nibble `m` to the front, as
/// `vpermd` indexes (two 32-bit halves per element); the rest of the row repeats the last.
const KEEP_QWORDS: [[u32; 8]; 16] = {
    let mut table = [[0u32; 8]; 16];
    let mut m = 0;
    while m < 16 {
        let mut slot = 0;
        let mut bit = 0;
        while bit < 4 {
            if m >> bit & 1 == 1 {
                table[m][2 * slot] = 2 * bit as u32;
                table[m][2 * slot + 1] = 2 * bit as u32 + 1;
                slot += 1;
            }
            bit += 1;
        }
        m += 1;
    }
    table
};

/// AVX2 select of 8-byte elements: 32 bytes (4 elements, a bitmap nibble) per permute.
///
/// # Safety
/// The [`super::SelectFn`] contract with `width == 8`; the CPU supports AVX2 and POPCNT.
#[target_feature(enable = "avx2,popcnt")]
pub(crate) unsafe fn select8_avx2(column: &[u8], bitmap: &[u8], dst: &mut [u8]) -> usize {
    let groups = column.len() / 64; // whole bitmap bytes
    let (src, out) = (column.as_ptr(), dst.as_mut_ptr());
    let mut written = 0;
    for (k, &m) in bitmap.iter().take(groups).enumerate() {
        for (half, nibble) in [(0, m & 15), (1, m >> 4)] {
            let row = &KEEP_QWORDS[usize::from(nibble)];
            // SAFETY: group `2k + half` is `column[64k + 32 half..][..32]`, inside `column`
            // (`k < groups`); the store of 32 bytes at `written <= 64k + 32 half` ends by the
            // group's end, inside `dst` (module docs). `row` holds 8 `u32`s. AVX2 is enabled.
            unsafe {
                let v = _mm256_loadu_si256(src.add(64 * k + 32 * half).cast());
                let idx = _mm256_loadu_si256(row.as_ptr().cast());
                let kept = _mm256_permutevar8x32_epi32(v, idx);
                _mm256_storeu_si256(out.add(written).cast(), kept);
            }
            written += 8 * nibble.count_ones() as usize;
        }
    }
    // SAFETY: `written <= 64 * groups`, the contract forwarded for the elements left.
    unsafe { select_rest::<8>(column, bitmap, out, 8 * groups, written) }
}

/// AVX-512 select of 8-byte elements: 64 bytes (8 elements, a bitmap byte) per compress.
///
/// # Safety
/// The [`super::SelectFn`] contract with `width == 8`; the CPU supports AVX-512 F.
#[target_feature(enable = "avx2,avx512f,avx512bw,avx512vl,popcnt")]
pub(crate) unsafe fn select8_avx512(column: &[u8], bitmap: &[u8], dst: &mut [u8]) -> usize {
    let groups = column.len() / 64;
    let (src, out) = (column.as_ptr(), dst.as_mut_ptr());
    let mut written = 0;
    for (k, &m) in bitmap.iter().take(groups).enumerate() {
        // SAFETY: group `k` is `column[64k..][..64]`; the 64-byte store at `written <= 64k`
        // ends by its end, inside `dst` (module docs). AVX-512 F is enabled.
        unsafe {
            let v = _mm512_loadu_si512(src.add(64 * k).cast());
            _mm512_storeu_si512(out.add(written).cast(), _mm512_maskz_compress_epi64(m, v));
        }
        written += 8 * m.count_ones() as usize;
    }
    // SAFETY: `written <= 64 * groups`, the contract forwarded for the elements left.
    unsafe { select_rest::<8>(column, bitmap, out, 8 * groups, written) }
}

/// AVX-512 select of 4-byte elements: 64 bytes (16 elements, two bitmap bytes) per compress.
///
/// # Safety
/// The [`super::SelectFn`] contract with `width == 4`; the CPU supports AVX-512 F.
#[target_feature(enable = "avx2,avx512f,avx512bw,avx512vl,popcnt")]
pub(crate) unsafe fn select4_avx512(column: &[u8], bitmap: &[u8], dst: &mut [u8]) -> usize {
    let groups = column.len() / 64;
    let (src, out) = (column.as_ptr(), dst.as_mut_ptr());
    let mut written = 0;
    let (pairs, _) = bitmap.as_chunks::<2>();
    for (k, &pair) in pairs.iter().take(groups).enumerate() {
        let m = u16::from_le_bytes(pair);
        // SAFETY: group `k` is `column[64k..][..64]`; the 64-byte store at `written <= 64k`
        // ends by its end, inside `dst` (module docs). AVX-512 F is enabled.
        unsafe {
            let v = _mm512_loadu_si512(src.add(64 * k).cast());
            _mm512_storeu_si512(out.add(written).cast(), _mm512_maskz_compress_epi32(m, v));
        }
        written += 4 * m.count_ones() as usize;
    }
    // SAFETY: `written <= 64 * groups`, the contract forwarded for the elements left.
    unsafe { select_rest::<4>(column, bitmap, out, 16 * groups, written) }
}
