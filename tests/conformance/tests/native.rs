//! Every conformance vector through the native crate: on each ISA tier this CPU runs, and
//! through the top-level functions that dispatch to the best tier.

use binpipe_conformance::{Call, ErrorKind, Outcome, Summary};
use binpipe_kernels::{Isa, KernelError, Kernels};

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

/// Runs `call` on one tier, through the `*_into` API with a destination of the input's size.
fn on_tier(k: &Kernels, call: &Call, data: &[u8]) -> Outcome {
    let into = |f: &dyn Fn(&mut [u8]) -> Result<(), KernelError>| {
        let mut dst = vec![0xA5; data.len()];
        bytes(f(&mut dst).map(|()| dst))
    };
    match *call {
        Call::Crc32c { seed } => Outcome::Value(k.crc32c(data, seed).into()),
        Call::CountByte { needle } => Outcome::Value(k.count_byte(data, needle)),
        Call::Shuffle { elem_size } => into(&|dst| k.shuffle_into(data, elem_size, dst)),
        Call::Unshuffle { elem_size } => into(&|dst| k.unshuffle_into(data, elem_size, dst)),
    }
}

/// Runs `call` through the crate's top-level (dispatching, allocating) functions.
fn dispatched(call: &Call, data: &[u8]) -> Outcome {
    match *call {
        Call::Crc32c { seed } => Outcome::Value(binpipe_kernels::crc32c(data, seed).into()),
        Call::CountByte { needle } => Outcome::Value(binpipe_kernels::count_byte(data, needle)),
        Call::Shuffle { elem_size } => bytes(binpipe_kernels::shuffle(data, elem_size)),
        Call::Unshuffle { elem_size } => bytes(binpipe_kernels::unshuffle(data, elem_size)),
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
                |call, data| on_tier(&k, call, data),
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
    let label = format!("native dispatched (best tier: {})", Isa::best());
    assert_all_pass(&[binpipe_conformance::run(&label, &cases, dispatched)]);
}
