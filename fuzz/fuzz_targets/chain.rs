//! run-chain on fuzzer-chosen stages (all 14 kinds, any parameters) and data: the allocating
//! form equals the kernels applied one by one (their own `Vec` forms); the caller-buffer form,
//! at any alignment, equals it exactly with buffers of `chain_output_bound` bytes, and with
//! smaller buffers either still equals it or fails with `TooLarge` at a stage no later than
//! the reference's failing one; nothing panics.
#![no_main]

use binpipe_kernels::{Alphabet, ChainError, KernelError, Stage, Which};
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

/// Intermediates above this are skipped (a chain of varint-decodes grows 8x a stage).
const LIMIT: u64 = 1 << 22;

/// A stage of any kind with fuzzer-chosen parameters (out-of-range ones included).
fn stage(p: &mut common::Params) -> Stage {
    let alphabet = |b: u8| {
        if b & 1 == 0 {
            Alphabet::Standard
        } else {
            Alphabet::UrlSafe
        }
    };
    match p.byte() % 14 {
        0 => Stage::Shuffle {
            elem_size: u32::from(p.byte()) * 2 % 300,
        },
        1 => Stage::Unshuffle {
            elem_size: u32::from(p.byte()) * 2 % 300,
        },
        2 => Stage::DeltaEncode {
            width: p.byte() % 10,
        },
        3 => Stage::DeltaDecode {
            width: p.byte() % 10,
        },
        4 => Stage::Byteswap {
            width: p.byte() % 10,
        },
        5 => Stage::ExtractField {
            record_size: u32::from(p.byte() % 40),
            offset: u32::from(p.byte() % 40),
            width: u32::from(p.byte() % 40),
        },
        6 => Stage::HexEncode {
            uppercase: p.byte() & 1 == 1,
        },
        7 => Stage::HexDecode,
        8 => {
            let b = p.byte();
            Stage::Base64Encode {
                alphabet: alphabet(b),
                padding: b & 2 != 0,
            }
        }
        9 => {
            let b = p.byte();
            Stage::Base64Decode {
                alphabet: alphabet(b),
                padding: b & 2 != 0,
            }
        }
        10 => Stage::VarintEncode,
        11 => Stage::VarintDecode,
        12 => Stage::Bitpack {
            bits: p.byte() % 40,
        },
        _ => Stage::Bitunpack {
            bits: p.byte() % 40,
            count: u32::from(p.byte()) | u32::from(p.byte()) << 8,
        },
    }
}

/// One stage by its kernel's `Vec` form, integer lists converted by std.
fn reference_stage(stage: &Stage, input: &[u8]) -> Result<Vec<u8>, KernelError> {
    use binpipe_kernels as k;
    let length_rule = KernelError::InvalidArgument("input length");
    match *stage {
        Stage::Shuffle { elem_size } => k::shuffle(input, elem_size),
        Stage::Unshuffle { elem_size } => k::unshuffle(input, elem_size),
        Stage::DeltaEncode { width } => k::delta_encode(input, width),
        Stage::DeltaDecode { width } => k::delta_decode(input, width),
        Stage::Byteswap { width } => k::byteswap(input, width),
        Stage::ExtractField {
            record_size,
            offset,
            width,
        } => k::extract_field(input, record_size, offset, width),
        Stage::HexEncode { uppercase } => Ok(k::hex_encode(input, uppercase)),
        Stage::HexDecode => k::hex_decode(input),
        Stage::Base64Encode { alphabet, padding } => Ok(k::base64_encode(input, alphabet, padding)),
        Stage::Base64Decode { alphabet, padding } => k::base64_decode(input, alphabet, padding),
        Stage::VarintEncode if !input.len().is_multiple_of(8) => Err(length_rule),
        Stage::VarintEncode => {
            let values: Vec<u64> = input
                .chunks_exact(8)
                .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
                .collect();
            Ok(k::varint_encode(&values))
        }
        Stage::VarintDecode => {
            k::varint_decode(input).map(|v| v.iter().flat_map(|x| x.to_le_bytes()).collect())
        }
        Stage::Bitpack { bits } if bits <= 32 && !input.len().is_multiple_of(4) => Err(length_rule),
        Stage::Bitpack { bits } => {
            let values: Vec<u32> = input
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
                .collect();
            k::bitpack(&values, bits)
        }
        Stage::Bitunpack { bits, count } => k::bitunpack(input, bits, count)
            .map(|v| v.iter().flat_map(|x| x.to_le_bytes()).collect()),
    }
}

/// A result compared by stage, error kind and offset (the chain's own length rule has its
/// own message).
fn shape(r: &Result<Vec<u8>, ChainError>) -> Result<&[u8], (usize, u8, u64)> {
    match r {
        Ok(out) => Ok(out),
        Err(e) => Err(match e.error {
            KernelError::InvalidArgument(_) => (e.stage, 0, 0),
            KernelError::InvalidData { offset, .. } => (e.stage, 1, offset),
            KernelError::TooLarge(n) => (e.stage, 2, n),
            _ => (e.stage, 3, 0),
        }),
    }
}

/// Runs the chain in buffers of the given capacities, `a` and `b` at the given alignments.
fn in_buffers(
    data: &[u8],
    stages: &[Stage],
    (a_cap, a_align): (usize, usize),
    (b_cap, b_align): (usize, usize),
) -> Result<Vec<u8>, ChainError> {
    let mut a = vec![0x5A; a_cap + a_align];
    a[a_align..a_align + data.len()].copy_from_slice(data);
    let mut b = vec![0x5A; b_cap + b_align];
    let (which, n) =
        binpipe_kernels::run_chain_in(&mut a[a_align..], data.len(), &mut b[b_align..], stages)?;
    Ok(match which {
        Which::A => a[a_align..a_align + n].to_vec(),
        Which::B => b[b_align..b_align + n].to_vec(),
    })
}

fuzz_target!(|input: &[u8]| {
    let mut p = common::Params::new(input);
    let n = p.byte() % 8;
    let stages: Vec<Stage> = (0..n).map(|_| stage(&mut p)).collect();
    let (a_cut, b_cut, align) = (p.byte(), p.byte(), p.byte());
    let data = p.rest();
    let bound = binpipe_kernels::chain_output_bound(data.len() as u64, &stages);
    if bound > LIMIT {
        return;
    }
    let mut expected: Result<Vec<u8>, ChainError> = Ok(data.to_vec());
    for (i, s) in stages.iter().enumerate() {
        let Ok(current) = &expected else { break };
        expected = reference_stage(s, current).map_err(|error| ChainError { stage: i, error });
    }
    let got = binpipe_kernels::run_chain(data, &stages);
    assert_eq!(shape(&got), shape(&expected), "{stages:?}");
    let bound = bound as usize;
    let (a_align, b_align) = (usize::from(align % 8), usize::from(align / 8 % 8));
    let full = in_buffers(data, &stages, (bound, a_align), (bound, b_align));
    assert_eq!(full, got, "{stages:?} in full buffers");
    let a_cap = data.len() + (bound - data.len()) * usize::from(a_cut) / 255;
    let b_cap = bound * usize::from(b_cut) / 255;
    match in_buffers(data, &stages, (a_cap, a_align), (b_cap, b_align)) {
        Err(ChainError {
            stage,
            error: KernelError::TooLarge(_),
        }) => {
            if let Err(e) = &got {
                assert!(
                    stage <= e.stage,
                    "{stages:?}: too-large after the real error"
                );
            }
        }
        other => assert_eq!(other, got, "{stages:?} in cut buffers {a_cap}, {b_cap}"),
    }
});
