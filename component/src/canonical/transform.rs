//! WIT interface `transform`.

use super::exports::binpipe::kernels::transform;
use super::{Guest, WitKernelError, to_wit};

impl transform::Guest for Guest {
    fn shuffle(data: Vec<u8>, elem_size: u32) -> Result<Vec<u8>, WitKernelError> {
        binpipe_kernels::shuffle(&data, elem_size).map_err(to_wit)
    }

    fn unshuffle(data: Vec<u8>, elem_size: u32) -> Result<Vec<u8>, WitKernelError> {
        binpipe_kernels::unshuffle(&data, elem_size).map_err(to_wit)
    }

    fn delta_encode(data: Vec<u8>, width: u8) -> Result<Vec<u8>, WitKernelError> {
        binpipe_kernels::delta_encode(&data, width).map_err(to_wit)
    }

    fn delta_decode(data: Vec<u8>, width: u8) -> Result<Vec<u8>, WitKernelError> {
        binpipe_kernels::delta_decode(&data, width).map_err(to_wit)
    }

    fn byteswap(data: Vec<u8>, width: u8) -> Result<Vec<u8>, WitKernelError> {
        binpipe_kernels::byteswap(&data, width).map_err(to_wit)
    }

    fn bitpack(values: Vec<u32>, bits: u8) -> Result<Vec<u8>, WitKernelError> {
        binpipe_kernels::bitpack(&values, bits).map_err(to_wit)
    }

    fn bitunpack(data: Vec<u8>, bits: u8, count: u32) -> Result<Vec<u32>, WitKernelError> {
        binpipe_kernels::bitunpack(&data, bits, count).map_err(to_wit)
    }

    fn extract_field(
        data: Vec<u8>,
        record_size: u32,
        offset: u32,
        width: u32,
    ) -> Result<Vec<u8>, WitKernelError> {
        binpipe_kernels::extract_field(&data, record_size, offset, width).map_err(to_wit)
    }
}
