//! WIT interface `search`.

use super::exports::binpipe::kernels::search;
use super::{Guest, WitKernelError, to_wit, wide};

impl search::Guest for Guest {
    fn find_byte(data: Vec<u8>, needle: u8) -> Option<u64> {
        binpipe_kernels::find_byte(&data, needle).map(wide)
    }

    fn find_any(data: Vec<u8>, needles: Vec<u8>) -> Result<Option<u64>, WitKernelError> {
        binpipe_kernels::find_any(&data, &needles)
            .map(|found| found.map(wide))
            .map_err(to_wit)
    }

    fn count_byte(data: Vec<u8>, needle: u8) -> u64 {
        binpipe_kernels::count_byte(&data, needle)
    }

    /// The kernel reports `too-large` carrying `u32::MAX` itself (unreachable on wasm32,
    /// where no list exceeds 4 GiB).
    fn index_byte(data: Vec<u8>, needle: u8) -> Result<Vec<u32>, WitKernelError> {
        binpipe_kernels::index_byte(&data, needle).map_err(to_wit)
    }

    fn mismatch(a: Vec<u8>, b: Vec<u8>) -> Option<u64> {
        binpipe_kernels::mismatch(&a, &b).map(wide)
    }
}
