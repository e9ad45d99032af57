//! Portable CRC-32/ISO-HDLC, slicing-by-16: sixteen 256-entry tables built at compile time.
//!
//! This is the scalar tier and the wasm32 path (wasm has neither a CRC instruction nor a
//! carry-less multiply). Sixteen independent table loads per 16-byte step keep the load ports
//! busy; the register only feeds the first four of them, so the loop-carried chain is short.

/// The reflected ISO-HDLC polynomial (normal form 0x04C11DB7).
pub(crate) const POLY: u32 = 0xEDB8_8320;

/// `TABLES[k][b]` is the CRC register after feeding byte `b` followed by `k` zero bytes.
static TABLES: [[u32; 256]; 16] = build_tables();

/// Builds the slicing-by-16 tables from the polynomial, bit by bit.
const fn build_tables() -> [[u32; 256]; 16] {
    let mut tables = [[0u32; 256]; 16];
    let mut b = 0;
    while b < 256 {
        let mut crc = b as u32;
        let mut bit = 0;
        while bit < 8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ POLY
            } else {
                crc >> 1
            };
            bit += 1;
        }
        tables[0][b] = crc;
        b += 1;
    }
    let mut k = 1;
    while k < 16 {
        let mut b = 0;
        while b < 256 {
            let prev = tables[k - 1][b];
            tables[k][b] = (prev >> 8) ^ tables[0][(prev & 0xFF) as usize];
            b += 1;
        }
        k += 1;
    }
    tables
}

/// `TABLES[k]` at the low byte of `byte`.
#[inline(always)]
fn t(k: usize, byte: u64) -> u32 {
    TABLES[k][(byte & 0xFF) as usize]
}

/// Advances the raw (not inverted) CRC register over `data`.
pub(crate) fn update(mut crc: u32, data: &[u8]) -> u32 {
    let (blocks, rest) = data.as_chunks::<16>();
    for block in blocks {
        let word = u128::from_le_bytes(*block);
        let a = word as u64 ^ u64::from(crc);
        let b = (word >> 64) as u64;
        crc = t(15, a)
            ^ t(14, a >> 8)
            ^ t(13, a >> 16)
            ^ t(12, a >> 24)
            ^ t(11, a >> 32)
            ^ t(10, a >> 40)
            ^ t(9, a >> 48)
            ^ t(8, a >> 56)
            ^ t(7, b)
            ^ t(6, b >> 8)
            ^ t(5, b >> 16)
            ^ t(4, b >> 24)
            ^ t(3, b >> 32)
            ^ t(2, b >> 40)
            ^ t(1, b >> 48)
            ^ t(0, b >> 56);
    }
    update_bytes(crc, rest)
}

/// Advances the raw CRC register over `data` one byte at a time (short tails).
#[inline]
pub(crate) fn update_bytes(mut crc: u32, data: &[u8]) -> u32 {
    for &byte in data {
        crc = (crc >> 8) ^ TABLES[0][((crc ^ u32::from(byte)) & 0xFF) as usize];
    }
    crc
}

/// CRC-32 of `data` continuing from `seed`.
///
/// # Safety
/// None: `unsafe` only to share the dispatch signature.
pub(crate) unsafe fn crc32(data: &[u8], seed: u32) -> u32 {
    !update(!seed, data)
}
