//! Fast-path exports of WIT interface `validate`.

use super::{Region, SRC, value};

/// UTF-8 validation of `[ptr, ptr + len)`: `kind << 32 | valid_up_to`, where `kind` is 0 for
/// valid input (then `valid_up_to == len`), 1..=3 the invalid sequence's `error-len`, 4 for an
/// input that ends inside a sequence; -1 on error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_utf8_validate(ptr: u32, len: u32) -> i64 {
    value(Region::new(ptr, len, &SRC).map(|r| {
        let (kind, valid_up_to) = match binpipe_kernels::utf8_validate(r.bytes()) {
            Ok(()) => (0, u64::from(len)),
            Err(e) => (e.error_len.map_or(4, u64::from), e.valid_up_to as u64),
        };
        kind << 32 | valid_up_to
    }))
}

/// Length of the longest prefix of `[ptr, ptr + len)` whose bytes are all below 0x80; -1 on
/// error.
#[unsafe(no_mangle)]
pub extern "C" fn bp_ascii_prefix(ptr: u32, len: u32) -> i64 {
    value(Region::new(ptr, len, &SRC).map(|r| binpipe_kernels::ascii_prefix(r.bytes()) as u64))
}
