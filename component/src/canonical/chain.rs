//! WIT interface `chain`.

use super::exports::binpipe::kernels::chain::{self, ChainError, Stage};
use super::exports::binpipe::kernels::codec::Alphabet;
use super::{Guest, to_wit};
use binpipe_kernels::Stage as K;

/// The crate's alphabet for the WIT one.
fn alphabet(a: Alphabet) -> binpipe_kernels::Alphabet {
    match a {
        Alphabet::Standard => binpipe_kernels::Alphabet::Standard,
        Alphabet::UrlSafe => binpipe_kernels::Alphabet::UrlSafe,
    }
}

/// The crate's stage for the WIT one.
fn stage(s: &Stage) -> K {
    match *s {
        Stage::Shuffle(elem_size) => K::Shuffle { elem_size },
        Stage::Unshuffle(elem_size) => K::Unshuffle { elem_size },
        Stage::DeltaEncode(width) => K::DeltaEncode { width },
        Stage::DeltaDecode(width) => K::DeltaDecode { width },
        Stage::Byteswap(width) => K::Byteswap { width },
        Stage::ExtractField(f) => K::ExtractField {
            record_size: f.record_size,
            offset: f.offset,
            width: f.width,
        },
        Stage::HexEncode(uppercase) => K::HexEncode { uppercase },
        Stage::HexDecode => K::HexDecode,
        Stage::Base64Encode(o) => K::Base64Encode {
            alphabet: alphabet(o.alphabet),
            padding: o.padding,
        },
        Stage::Base64Decode(o) => K::Base64Decode {
            alphabet: alphabet(o.alphabet),
            padding: o.padding,
        },
        Stage::VarintEncode => K::VarintEncode,
        Stage::VarintDecode => K::VarintDecode,
        Stage::Bitpack(bits) => K::Bitpack { bits },
        Stage::Bitunpack(u) => K::Bitunpack {
            bits: u.bits,
            count: u.count,
        },
    }
}

impl chain::Guest for Guest {
    fn run_chain(data: Vec<u8>, stages: Vec<Stage>) -> Result<Vec<u8>, ChainError> {
        // Only the first stages that can run are converted; a longer chain fails at
        // `MAX_STAGES` whatever its stages are.
        let limit = stages.len().min(binpipe_kernels::MAX_STAGES + 1);
        let stages: Vec<K> = stages[..limit].iter().map(stage).collect();
        binpipe_kernels::run_chain(&data, &stages).map_err(|e| ChainError {
            stage: e.stage as u32,
            error: to_wit(e.error),
        })
    }
}
