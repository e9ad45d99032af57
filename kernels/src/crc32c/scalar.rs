//! Portable CRC-32C, slicing-by-8: eight 256-entry tables built at compile time.

/// The reflected Castagnoli polynomial.
pub(crate) const POLY: u32 = 0x82F6_3B78;

/// `TABLES[k][b]` is the CRC register after feeding byte `b` followed by `k` zero bytes.
static TABLES: [[u32; 256]; 8] = build_tables();

/// Builds the slicing-by-8 tables from the polynomial, bit by bit.
const fn build_tables() -> [[u32; 256]; 8] {
    let mut tables = [[0u32; 256]; 8];
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
    while k < 8 {
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

/// Advances the raw (not inverted) CRC register over `data`.
pub(crate) fn update(mut crc: u32, data: &[u8]) -> u32 {
    let mut chunks = data.chunks_exact(8);
    for chunk in &mut chunks {
        let word = u64::from_le_bytes([
            chunk[0], chunk[1], chunk[2], chunk[3], chunk[4], chunk[5], chunk[6], chunk[7],
        ]) ^ u64::from(crc);
        let t = &TABLES;
        crc = t[7][(word & 0xFF) as usize]
            ^ t[6][((word >> 8) & 0xFF) as usize]
            ^ t[5][((word >> 16) & 0xFF) as usize]
            ^ t[4][((word >> 24) & 0xFF) as usize]
            ^ t[3][((word >> 32) & 0xFF) as usize]
            ^ t[2][((word >> 40) & 0xFF) as usize]
            ^ t[1][((word >> 48) & 0xFF) as usize]
            ^ t[0][(word >> 56) as usize];
    }
    for &byte in chunks.remainder() {
        crc = (crc >> 8) ^ TABLES[0][((crc ^ u32::from(byte)) & 0xFF) as usize];
    }
    crc
}

/// CRC-32C of `data` continuing from `seed`.
///
/// # Safety
/// None: `unsafe` only to share the dispatch signature.
pub(crate) unsafe fn crc32c(data: &[u8], seed: u32) -> u32 {
    !update(!seed, data)
}
