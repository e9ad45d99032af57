//! Fast-path exports of WIT interface `checksum`.

use super::{Param, Region, SRC, param, status, value};
use binpipe_kernels::KernelError;

/// CRC-32C of `[ptr, ptr + len)` continuing from `seed`, zero-extended; -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_crc32c(ptr: u32, len: u32, seed: u32) -> i64 {
    value(Region::new(ptr, len, &SRC).map(|r| binpipe_kernels::crc32c(r.bytes(), seed).into()))
}

/// CRC-32/ISO-HDLC of `[ptr, ptr + len)` continuing from `seed`, zero-extended; -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_crc32(ptr: u32, len: u32, seed: u32) -> i64 {
    value(Region::new(ptr, len, &SRC).map(|r| binpipe_kernels::crc32(r.bytes(), seed).into()))
}

/// XXH3-64 of `[ptr, ptr + len)` with `seed`, written little-endian at `out` (8 bytes, any
/// alignment); 0 on success, -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_xxh3_64(ptr: u32, len: u32, seed: u64, out: u32) -> i32 {
    status(xxh3_64(ptr, len, seed, out))
}

fn xxh3_64(ptr: u32, len: u32, seed: u64, out: u32) -> Result<(), KernelError> {
    const OUT: Param = param!("out");
    let src = Region::new(ptr, len, &SRC)?;
    let out = Region::new(out, 8, &OUT)?.writable(&[src], &OUT)?;
    let hash = binpipe_kernels::xxh3_64(src.bytes(), seed);
    out.bytes_mut().copy_from_slice(&hash.to_le_bytes());
    Ok(())
}
