//! Every conformance vector through the native crate: on each ISA tier this CPU runs (the
//! `Kernels` methods, writing into caller buffers), through the top-level `_into` functions
//! that dispatch to the best tier, and through the top-level allocating functions.
//!
//! `find-byte` and `utf8-validate` delegate to crates (memchr, simdutf8) that choose their own
//! tier, so they have no per-tier method: the tier runners call the top-level function. So does
//! `run-chain`, which composes the dispatched kernels: every tier runner checks it through
//! `run_chain_in` (buffers sized by `chain_output_bound`), the allocating runner through
//! `run_chain`.

use binpipe_conformance::{
    Alphabet, Call, CmpOp, ElemType, ErrorKind, MAX_DESTINATION, Outcome, Scalar, Stats, Summary,
    u32s_from_le, u32s_to_le, u64s_from_le, u64s_to_le,
};
use binpipe_kernels::{ChainError, Isa, KernelError, Kernels, Stage, Which};

/// The WIT error case of a native error.
fn outcome_of_error(err: KernelError) -> Outcome {
    match err {
        KernelError::InvalidArgument(_) => Outcome::Error {
            kind: ErrorKind::InvalidArgument,
            offset: None,
        },
        KernelError::InvalidData { offset, .. } => Outcome::Error {
            kind: ErrorKind::InvalidData,
            offset: Some(offset),
        },
        KernelError::TooLarge(_) => Outcome::Error {
            kind: ErrorKind::TooLarge,
            offset: None,
        },
        other => Outcome::Broken(format!("unknown kernel error {other:?}")),
    }
}

/// A byte-producing kernel's result as an outcome.
fn bytes(result: Result<Vec<u8>, KernelError>) -> Outcome {
    result.map_or_else(outcome_of_error, Outcome::Bytes)
}

/// An `option` offset as an outcome.
fn offset(found: Option<usize>) -> Outcome {
    Outcome::option(found.map(|at| at as u64))
}

fn alphabet(a: Alphabet) -> binpipe_kernels::Alphabet {
    match a {
        Alphabet::Standard => binpipe_kernels::Alphabet::Standard,
        Alphabet::UrlSafe => binpipe_kernels::Alphabet::UrlSafe,
    }
}

fn elem_type(ty: ElemType) -> binpipe_kernels::ElemType {
    binpipe_kernels::ElemType::ALL[ty.index() as usize]
}

fn cmp_op(op: CmpOp) -> binpipe_kernels::CmpOp {
    use binpipe_kernels::CmpOp as K;
    match op {
        CmpOp::Eq => K::Eq,
        CmpOp::Ne => K::Ne,
        CmpOp::Lt => K::Lt,
        CmpOp::Le => K::Le,
        CmpOp::Gt => K::Gt,
        CmpOp::Ge => K::Ge,
    }
}

fn to_scalar(value: Scalar) -> binpipe_kernels::Scalar {
    match value {
        Scalar::Unsigned(v) => binpipe_kernels::Scalar::Unsigned(v),
        Scalar::Signed(v) => binpipe_kernels::Scalar::Signed(v),
        Scalar::Float(bits) => binpipe_kernels::Scalar::Float(f64::from_bits(bits)),
    }
}

fn from_scalar(value: binpipe_kernels::Scalar) -> Scalar {
    match value {
        binpipe_kernels::Scalar::Unsigned(v) => Scalar::Unsigned(v),
        binpipe_kernels::Scalar::Signed(v) => Scalar::Signed(v),
        binpipe_kernels::Scalar::Float(v) => Scalar::Float(v.to_bits()),
    }
}

/// `aggregate`'s result as an outcome.
fn stats(result: Result<binpipe_kernels::Stats, KernelError>) -> Outcome {
    result.map_or_else(outcome_of_error, |s| {
        Outcome::Stats(Stats {
            count: s.count,
            min: s.min.map(from_scalar),
            max: s.max.map(from_scalar),
            sum: from_scalar(s.sum),
        })
    })
}

/// `utf8-validate`'s result as an outcome.
fn utf8(result: Result<(), binpipe_kernels::Utf8Error>) -> Outcome {
    match result {
        Ok(()) => Outcome::Ok,
        Err(e) => Outcome::Utf8Error {
            valid_up_to: e.valid_up_to as u64,
            error_len: e.error_len,
        },
    }
}

/// The outcome of a case whose caller-provided destination would be `bytes` long, more than
/// this runner allocates.
fn too_large_destination(bytes: usize) -> Outcome {
    Outcome::NotApplicable(format!(
        "needs a {bytes}-byte destination (limit {MAX_DESTINATION})"
    ))
}

/// Runs `f` on a destination of `cap` elements filled with `fill` (so bytes the kernel fails
/// to write show), then keeps the first `n` it reports written.
fn into<T: Copy>(
    cap: usize,
    fill: T,
    f: impl FnOnce(&mut [T]) -> Result<usize, KernelError>,
) -> Result<Vec<T>, KernelError> {
    let mut dst = vec![fill; cap];
    let n = f(&mut dst)?;
    dst.truncate(n);
    Ok(dst)
}

/// Calls `$method` on the tier `$k` if there is one, else the top-level function of that name.
macro_rules! via {
    ($k:expr, $method:ident ( $($arg:expr),* $(,)? )) => {
        match $k {
            Some(k) => k.$method($($arg),*),
            None => binpipe_kernels::$method($($arg),*),
        }
    };
}

/// A vector's chain stage as the crate's `Stage`; `None` for a call that is no stage.
fn kernel_stage(call: &Call) -> Option<Stage> {
    Some(match *call {
        Call::Shuffle { elem_size } => Stage::Shuffle { elem_size },
        Call::Unshuffle { elem_size } => Stage::Unshuffle { elem_size },
        Call::DeltaEncode { width } => Stage::DeltaEncode { width },
        Call::DeltaDecode { width } => Stage::DeltaDecode { width },
        Call::Byteswap { width } => Stage::Byteswap { width },
        Call::ExtractField {
            record_size,
            offset,
            width,
        } => Stage::ExtractField {
            record_size,
            offset,
            width,
        },
        Call::HexEncode { uppercase } => Stage::HexEncode { uppercase },
        Call::HexDecode => Stage::HexDecode,
        Call::Base64Encode {
            alphabet: a,
            padding,
        } => Stage::Base64Encode {
            alphabet: alphabet(a),
            padding,
        },
        Call::Base64Decode {
            alphabet: a,
            padding,
        } => Stage::Base64Decode {
            alphabet: alphabet(a),
            padding,
        },
        Call::VarintEncode => Stage::VarintEncode,
        Call::VarintDecode => Stage::VarintDecode,
        Call::Bitpack { bits } => Stage::Bitpack { bits },
        Call::Bitunpack { bits, count } => Stage::Bitunpack { bits, count },
        _ => return None,
    })
}

/// The chain's stages, or the outcome saying one is not a stage.
fn kernel_stages(calls: &[Call]) -> Result<Vec<Stage>, Outcome> {
    calls
        .iter()
        .map(|c| kernel_stage(c).ok_or_else(|| Outcome::Broken(format!("{c} is no stage"))))
        .collect()
}

/// A chain's result as an outcome.
fn chain(result: Result<Vec<u8>, ChainError>) -> Outcome {
    match result {
        Ok(out) => Outcome::Bytes(out),
        Err(e) => outcome_of_error(e.error).in_stage(e.stage as u64),
    }
}

/// `run-chain` in two caller buffers of `chain_output_bound` bytes (filled with 0xA5 past the
/// input, so bytes a stage fails to write show).
fn chain_in_buffers(calls: &[Call], data: &[u8]) -> Outcome {
    let stages = match kernel_stages(calls) {
        Ok(stages) => stages,
        Err(outcome) => return outcome,
    };
    let cap = binpipe_kernels::chain_output_bound(data.len() as u64, &stages);
    let cap = match usize::try_from(cap) {
        Ok(cap) if cap <= MAX_DESTINATION => cap,
        _ => return too_large_destination(cap as usize),
    };
    let mut a = data.to_vec();
    a.resize(cap, 0xA5);
    let mut b = vec![0xA5; cap];
    chain(
        binpipe_kernels::run_chain_in(&mut a, data.len(), &mut b, &stages).map(|(which, n)| {
            match which {
                Which::A => a[..n].to_vec(),
                Which::B => b[..n].to_vec(),
            }
        }),
    )
}

/// Runs `call` through the caller-buffer API: the methods of tier `k`, or with `None` the
/// top-level functions. Destinations are sized as the fast-path host sizes them
/// (docs/abi.md), an upper bound for most kernels.
fn with_buffers(k: Option<&Kernels>, call: &Call, data: &[u8]) -> Outcome {
    let n = data.len();
    match call {
        Call::Crc32c { seed } => Outcome::Value(via!(k, crc32c(data, *seed)).into()),
        Call::Crc32 { seed } => Outcome::Value(via!(k, crc32(data, *seed)).into()),
        Call::Xxh3 { seed } => Outcome::Value(via!(k, xxh3_64(data, *seed))),
        Call::FindByte { needle } => offset(binpipe_kernels::find_byte(data, *needle)),
        Call::FindAny { needles } => {
            via!(k, find_any(data, needles)).map_or_else(outcome_of_error, offset)
        }
        Call::CountByte { needle } => Outcome::Value(via!(k, count_byte(data, *needle))),
        Call::IndexByte { needle } => bytes(
            into(n, u32::MAX, |dst| {
                via!(k, index_byte_into(data, *needle, dst))
            })
            .map(|v| u32s_to_le(&v)),
        ),
        Call::Mismatch { b } => offset(via!(k, mismatch(data, b))),
        Call::Utf8Validate => utf8(binpipe_kernels::utf8_validate(data)),
        Call::AsciiPrefix => Outcome::Value(via!(k, ascii_prefix(data)) as u64),
        Call::HexEncode { uppercase } => bytes(into(2 * n, 0xA5, |dst| {
            via!(k, hex_encode_into(data, *uppercase, dst))
        })),
        Call::HexDecode => bytes(into(n / 2, 0xA5, |dst| via!(k, hex_decode_into(data, dst)))),
        Call::Base64Encode {
            alphabet: a,
            padding,
        } => bytes(into(n.div_ceil(3) * 4, 0xA5, |dst| {
            via!(k, base64_encode_into(data, alphabet(*a), *padding, dst))
        })),
        Call::Base64Decode {
            alphabet: a,
            padding,
        } => bytes(into(n.div_ceil(4) * 3, 0xA5, |dst| {
            via!(k, base64_decode_into(data, alphabet(*a), *padding, dst))
        })),
        Call::VarintEncode => {
            let values = u64s_from_le(data);
            bytes(into(10 * values.len(), 0xA5, |dst| {
                via!(k, varint_encode_into(&values, dst))
            }))
        }
        Call::VarintDecode => bytes(
            into(n, u64::MAX, |dst| via!(k, varint_decode_into(data, dst))).map(|v| u64s_to_le(&v)),
        ),
        Call::Shuffle { elem_size } => bytes(into(n, 0xA5, |dst| {
            via!(k, shuffle_into(data, *elem_size, dst)).map(|()| n)
        })),
        Call::Unshuffle { elem_size } => bytes(into(n, 0xA5, |dst| {
            via!(k, unshuffle_into(data, *elem_size, dst)).map(|()| n)
        })),
        Call::DeltaEncode { width } => bytes(into(n, 0xA5, |dst| {
            via!(k, delta_encode_into(data, *width, dst)).map(|()| n)
        })),
        Call::DeltaDecode { width } => bytes(into(n, 0xA5, |dst| {
            via!(k, delta_decode_into(data, *width, dst)).map(|()| n)
        })),
        Call::Byteswap { width } => bytes(into(n, 0xA5, |dst| {
            via!(k, byteswap_into(data, *width, dst)).map(|()| n)
        })),
        Call::Bitpack { bits } => {
            let values = u32s_from_le(data);
            let cap = (values.len() * usize::from(*bits)).div_ceil(8);
            bytes(into(cap, 0xA5, |dst| {
                via!(k, bitpack_into(&values, *bits, dst))
            }))
        }
        Call::Bitunpack { bits, count } => {
            let count = *count as usize;
            if 4 * count > MAX_DESTINATION {
                return too_large_destination(4 * count);
            }
            bytes(
                into(count, u32::MAX, |dst| {
                    via!(k, bitunpack_into(data, *bits, count as u32, dst)).map(|()| count)
                })
                .map(|v| u32s_to_le(&v)),
            )
        }
        Call::ExtractField {
            record_size,
            offset,
            width,
        } => bytes(into(n, 0xA5, |dst| {
            via!(
                k,
                extract_field_into(data, *record_size, *offset, *width, dst)
            )
        })),
        Call::Compare { ty, op, value } => {
            let cap = (n / elem_type(*ty).width()).div_ceil(8);
            bytes(into(cap, 0xA5, |dst| {
                via!(
                    k,
                    compare_into(data, elem_type(*ty), cmp_op(*op), to_scalar(*value), dst)
                )
            }))
        }
        Call::Select { width, bitmap } => bytes(into(n, 0xA5, |dst| {
            via!(k, select_into(data, *width, bitmap, dst))
        })),
        Call::Aggregate { ty } => stats(via!(k, aggregate(data, elem_type(*ty)))),
        Call::RunChain { stages } => chain_in_buffers(stages, data),
    }
}

/// Runs `call` through the crate's top-level (dispatching, allocating) functions.
fn dispatched(call: &Call, data: &[u8]) -> Outcome {
    use binpipe_kernels as bk;
    match call {
        Call::Crc32c { seed } => Outcome::Value(bk::crc32c(data, *seed).into()),
        Call::Crc32 { seed } => Outcome::Value(bk::crc32(data, *seed).into()),
        Call::Xxh3 { seed } => Outcome::Value(bk::xxh3_64(data, *seed)),
        Call::FindByte { needle } => offset(bk::find_byte(data, *needle)),
        Call::FindAny { needles } => {
            bk::find_any(data, needles).map_or_else(outcome_of_error, offset)
        }
        Call::CountByte { needle } => Outcome::Value(bk::count_byte(data, *needle)),
        Call::IndexByte { needle } => bytes(bk::index_byte(data, *needle).map(|v| u32s_to_le(&v))),
        Call::Mismatch { b } => offset(bk::mismatch(data, b)),
        Call::Utf8Validate => utf8(bk::utf8_validate(data)),
        Call::AsciiPrefix => Outcome::Value(bk::ascii_prefix(data) as u64),
        Call::HexEncode { uppercase } => Outcome::Bytes(bk::hex_encode(data, *uppercase)),
        Call::HexDecode => bytes(bk::hex_decode(data)),
        Call::Base64Encode {
            alphabet: a,
            padding,
        } => Outcome::Bytes(bk::base64_encode(data, alphabet(*a), *padding)),
        Call::Base64Decode {
            alphabet: a,
            padding,
        } => bytes(bk::base64_decode(data, alphabet(*a), *padding)),
        Call::VarintEncode => Outcome::Bytes(bk::varint_encode(&u64s_from_le(data))),
        Call::VarintDecode => bytes(bk::varint_decode(data).map(|v| u64s_to_le(&v))),
        Call::Shuffle { elem_size } => bytes(bk::shuffle(data, *elem_size)),
        Call::Unshuffle { elem_size } => bytes(bk::unshuffle(data, *elem_size)),
        Call::DeltaEncode { width } => bytes(bk::delta_encode(data, *width)),
        Call::DeltaDecode { width } => bytes(bk::delta_decode(data, *width)),
        Call::Byteswap { width } => bytes(bk::byteswap(data, *width)),
        Call::Bitpack { bits } => bytes(bk::bitpack(&u32s_from_le(data), *bits)),
        Call::Bitunpack { bits, count } => {
            bytes(bk::bitunpack(data, *bits, *count).map(|v| u32s_to_le(&v)))
        }
        Call::ExtractField {
            record_size,
            offset,
            width,
        } => bytes(bk::extract_field(data, *record_size, *offset, *width)),
        Call::Compare { ty, op, value } => bytes(bk::compare(
            data,
            elem_type(*ty),
            cmp_op(*op),
            to_scalar(*value),
        )),
        Call::Select { width, bitmap } => bytes(bk::select(data, *width, bitmap)),
        Call::Aggregate { ty } => stats(bk::aggregate(data, elem_type(*ty))),
        Call::RunChain { stages } => match kernel_stages(stages) {
            Ok(stages) => chain(bk::run_chain(data, &stages)),
            Err(outcome) => outcome,
        },
    }
}

/// Prints every summary and fails if any has a failure or skipped a case.
fn assert_all_pass(summaries: &[Summary]) {
    for s in summaries {
        eprint!("{s}");
    }
    let bad: Vec<_> = summaries
        .iter()
        .filter(|s| !s.failures.is_empty() || !s.skipped.is_empty() || s.passed == 0)
        .map(|s| s.label.as_str())
        .collect();
    assert!(bad.is_empty(), "conformance failures in: {bad:?}");
}

#[test]
fn every_available_tier_matches_the_vectors() {
    let cases = binpipe_conformance::load().unwrap();
    let mut summaries = Vec::new();
    for isa in Isa::ALL {
        match Kernels::new(isa) {
            Some(k) => summaries.push(binpipe_conformance::run(
                &format!("native {isa}"),
                &cases,
                |call, data| with_buffers(Some(&k), call, data),
            )),
            None => eprintln!("note: skipping native {isa}: not available on this CPU or target"),
        }
    }
    let available: Vec<Isa> = Isa::available().collect();
    assert_eq!(summaries.len(), available.len(), "tiers: {available:?}");
    assert_all_pass(&summaries);
}

#[test]
fn dispatched_functions_match_the_vectors() {
    let cases = binpipe_conformance::load().unwrap();
    let best = Isa::best();
    assert_all_pass(&[
        binpipe_conformance::run(
            &format!("native dispatched, allocating (best tier: {best})"),
            &cases,
            dispatched,
        ),
        binpipe_conformance::run(
            &format!("native dispatched, into buffers (best tier: {best})"),
            &cases,
            |call, data| with_buffers(None, call, data),
        ),
    ]);
}
