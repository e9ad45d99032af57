//! WIT interface `checksum`.

use super::Guest;
use super::exports::binpipe::kernels::checksum;

impl checksum::Guest for Guest {
    fn crc32c(data: Vec<u8>, seed: u32) -> u32 {
        binpipe_kernels::crc32c(&data, seed)
    }

    fn crc32(data: Vec<u8>, seed: u32) -> u32 {
        binpipe_kernels::crc32(&data, seed)
    }

    fn xxh3_64(data: Vec<u8>, seed: u64) -> u64 {
        binpipe_kernels::xxh3_64(&data, seed)
    }
}
