//! WIT interface `validate`.

use super::exports::binpipe::kernels::validate::{self, Utf8Error};
use super::{Guest, wide};

impl validate::Guest for Guest {
    fn utf8_validate(data: Vec<u8>) -> Result<(), Utf8Error> {
        binpipe_kernels::utf8_validate(&data).map_err(|e| Utf8Error {
            valid_up_to: wide(e.valid_up_to),
            error_len: e.error_len,
        })
    }

    fn ascii_prefix(data: Vec<u8>) -> u64 {
        wide(binpipe_kernels::ascii_prefix(&data))
    }
}
