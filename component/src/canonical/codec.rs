//! WIT interface `codec`.

use super::exports::binpipe::kernels::codec::{self, Alphabet};
use super::{Guest, WitKernelError, to_wit};

/// The crate's alphabet for the WIT one.
fn alphabet(a: Alphabet) -> binpipe_kernels::Alphabet {
    match a {
        Alphabet::Standard => binpipe_kernels::Alphabet::Standard,
        Alphabet::UrlSafe => binpipe_kernels::Alphabet::UrlSafe,
    }
}

impl codec::Guest for Guest {
    fn hex_encode(data: Vec<u8>, uppercase: bool) -> Vec<u8> {
        binpipe_kernels::hex_encode(&data, uppercase)
    }

    fn hex_decode(data: Vec<u8>) -> Result<Vec<u8>, WitKernelError> {
        binpipe_kernels::hex_decode(&data).map_err(to_wit)
    }

    fn base64_encode(data: Vec<u8>, a: Alphabet, padding: bool) -> Vec<u8> {
        binpipe_kernels::base64_encode(&data, alphabet(a), padding)
    }

    fn base64_decode(data: Vec<u8>, a: Alphabet, padding: bool) -> Result<Vec<u8>, WitKernelError> {
        binpipe_kernels::base64_decode(&data, alphabet(a), padding).map_err(to_wit)
    }

    fn varint_encode(values: Vec<u64>) -> Vec<u8> {
        binpipe_kernels::varint_encode(&values)
    }

    fn varint_decode(data: Vec<u8>) -> Result<Vec<u64>, WitKernelError> {
        binpipe_kernels::varint_decode(&data).map_err(to_wit)
    }
}
