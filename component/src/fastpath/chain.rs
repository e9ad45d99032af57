//! Fast-path export of WIT interface `chain`: `bp_run_chain` and the index of the stage that
//! failed last.

use super::{Param, Region, bool_param, byte_param, param, record};
use binpipe_kernels::{Alphabet, KernelError, MAX_STAGES, Stage, Which};
use core::sync::atomic::{AtomicI32, Ordering};

/// The buffer parameters, as the error messages name them.
const A: Param = param!("a");
const B: Param = param!("b");
const STAGES: Param = param!("stages");

/// Bytes of one stage record: `kind, p0, p1, p2`, each a u32 LE.
const RECORD: u32 = 16;

/// [`bp_chain_failed_stage`]'s value when the call failed on a buffer argument, not a stage.
const NO_STAGE: i32 = -1;

/// The failing stage of the last failed [`bp_run_chain`] (wasm32 modules here are
/// single-threaded; the atomic keeps it safe code).
static FAILED_STAGE: AtomicI32 = AtomicI32::new(NO_STAGE);

/// Runs the `n_stages` stage records at `stages` on `[a, a + len)`, ping-ponging between
/// `[a, a + a_cap)` and `[b, b + b_cap)`; returns `which << 32 | out_len` (`which` 0: the
/// result is at `a`, 1: at `b`), or -1 on error, with [`bp_chain_failed_stage`] set.
#[unsafe(no_mangle)]
pub extern "C" fn bp_run_chain(
    a: u32,
    a_cap: u32,
    len: u32,
    b: u32,
    b_cap: u32,
    stages: u32,
    n_stages: u32,
) -> i64 {
    match run(a, a_cap, len, b, b_cap, stages, n_stages) {
        Ok((Which::A, n)) => n as i64,
        Ok((Which::B, n)) => (1 << 32) | n as i64,
        Err((stage, err)) => {
            FAILED_STAGE.store(stage, Ordering::Relaxed);
            record(err);
            -1
        }
    }
}

/// Index of the stage that made the last [`bp_run_chain`] fail (64 for more than 64
/// stages), or -1 if a buffer argument did.
#[unsafe(no_mangle)]
pub extern "C" fn bp_chain_failed_stage() -> i32 {
    FAILED_STAGE.load(Ordering::Relaxed)
}

/// An error that is no stage's.
fn buffer_error(err: KernelError) -> (i32, KernelError) {
    (NO_STAGE, err)
}

/// Checks the buffers, decodes the stages and runs the chain.
fn run(
    a: u32,
    a_cap: u32,
    len: u32,
    b: u32,
    b_cap: u32,
    stages: u32,
    n_stages: u32,
) -> Result<(Which, usize), (i32, KernelError)> {
    if n_stages as usize > MAX_STAGES {
        return Err((
            MAX_STAGES as i32,
            KernelError::InvalidArgument("n_stages: a chain has at most 64 stages"),
        ));
    }
    let records = Region::new(stages, n_stages * RECORD, &STAGES)
        .and_then(|r| r.aligned(4, &STAGES))
        .map_err(buffer_error)?;
    let a = Region::new(a, a_cap, &A)
        .and_then(|r| r.writable(&[records], &A))
        .map_err(buffer_error)?;
    let b = Region::new(b, b_cap, &B)
        .and_then(|r| r.writable(&[records, a], &B))
        .map_err(buffer_error)?;
    if len > a_cap {
        return Err(buffer_error(KernelError::InvalidArgument(
            "len: larger than a_cap",
        )));
    }
    let words = records.u32s(&STAGES).map_err(buffer_error)?;
    let mut decoded = [Stage::HexDecode; MAX_STAGES];
    for (index, (slot, fields)) in decoded.iter_mut().zip(words.chunks_exact(4)).enumerate() {
        *slot = decode(fields).map_err(|err| (index as i32, err))?;
    }
    binpipe_kernels::run_chain_in(
        a.bytes_mut(),
        len as usize,
        b.bytes_mut(),
        &decoded[..n_stages as usize],
    )
    .map_err(|e| (e.stage as i32, e.error))
}

/// The stage of one record `[kind, p0, p1, p2]` (kinds in WIT order; docs/abi.md).
fn decode(fields: &[u32]) -> Result<Stage, KernelError> {
    let &[kind, p0, p1, p2] = fields else {
        return Err(KernelError::InvalidArgument("stages: a record is 4 u32s"));
    };
    let width = || byte_param(p0, "stages: width out of range");
    let bits = || byte_param(p0, "stages: bits out of range");
    // How many of p0, p1, p2 the kind uses; the others must be zero.
    let (stage, used) = match kind {
        0 => (Stage::Shuffle { elem_size: p0 }, 1),
        1 => (Stage::Unshuffle { elem_size: p0 }, 1),
        2 => (Stage::DeltaEncode { width: width()? }, 1),
        3 => (Stage::DeltaDecode { width: width()? }, 1),
        4 => (Stage::Byteswap { width: width()? }, 1),
        5 => (
            Stage::ExtractField {
                record_size: p0,
                offset: p1,
                width: p2,
            },
            3,
        ),
        6 => (
            Stage::HexEncode {
                uppercase: bool_param(p0, "stages: uppercase must be 0 or 1")?,
            },
            1,
        ),
        7 => (Stage::HexDecode, 0),
        8 => (
            Stage::Base64Encode {
                alphabet: alphabet(p0)?,
                padding: bool_param(p1, "stages: padding must be 0 or 1")?,
            },
            2,
        ),
        9 => (
            Stage::Base64Decode {
                alphabet: alphabet(p0)?,
                padding: bool_param(p1, "stages: padding must be 0 or 1")?,
            },
            2,
        ),
        10 => (Stage::VarintEncode, 0),
        11 => (Stage::VarintDecode, 0),
        12 => (Stage::Bitpack { bits: bits()? }, 1),
        13 => (
            Stage::Bitunpack {
                bits: bits()?,
                count: p1,
            },
            2,
        ),
        _ => return Err(KernelError::InvalidArgument("stages: unknown stage kind")),
    };
    if [p0, p1, p2].iter().skip(used).any(|&p| p != 0) {
        return Err(KernelError::InvalidArgument(
            "stages: a parameter the stage does not use is not zero",
        ));
    }
    Ok(stage)
}

/// The alphabet parameter: 0 standard, 1 URL-safe.
fn alphabet(p: u32) -> Result<Alphabet, KernelError> {
    match p {
        0 => Ok(Alphabet::Standard),
        1 => Ok(Alphabet::UrlSafe),
        _ => Err(KernelError::InvalidArgument(
            "stages: alphabet must be 0 (standard) or 1 (url-safe)",
        )),
    }
}
