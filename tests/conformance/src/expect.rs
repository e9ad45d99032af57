//! What a case requires ([`Expect`]), what an implementation produced ([`Outcome`]), and the
//! comparison between the two ([`Case::check`]).

use crate::{Call, Scalar};
use sha2::{Digest, Sha256};
use std::fmt;

/// The kinds of the WIT `kernel-error` variant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// `invalid-argument`: a parameter outside its documented range.
    InvalidArgument,
    /// `invalid-data`: the input violates the format at an offset.
    InvalidData,
    /// `too-large`: the input exceeds a size limit.
    TooLarge,
}

impl ErrorKind {
    /// The WIT case name (`"invalid-argument"`).
    pub fn name(self) -> &'static str {
        match self {
            ErrorKind::InvalidArgument => "invalid-argument",
            ErrorKind::InvalidData => "invalid-data",
            ErrorKind::TooLarge => "too-large",
        }
    }

    /// Parses a WIT case name.
    pub fn parse(name: &str) -> Result<ErrorKind, String> {
        match name {
            "invalid-argument" => Ok(ErrorKind::InvalidArgument),
            "invalid-data" => Ok(ErrorKind::InvalidData),
            "too-large" => Ok(ErrorKind::TooLarge),
            other => Err(format!("unknown error kind {other:?}")),
        }
    }
}

/// `aggregate`'s result (WIT `column.stats`); floats as bits, so equality is exact.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stats {
    /// Number of elements.
    pub count: u64,
    /// Smallest element, if any.
    pub min: Option<Scalar>,
    /// Largest element, if any.
    pub max: Option<Scalar>,
    /// The sum.
    pub sum: Scalar,
}

impl fmt::Display for Stats {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let opt = |s: Option<Scalar>| s.map_or_else(|| "none".to_string(), |s| s.to_string());
        write!(
            f,
            "stats {{count {}, min {}, max {}, sum {}}}",
            self.count,
            opt(self.min),
            opt(self.max),
            self.sum
        )
    }
}

/// What a case requires of the implementation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// This integer result (or `some` of it, for an `option`).
    Value(u64),
    /// An `option` result that is `none`.
    None,
    /// Exactly these output bytes (integer lists as their little-endian bytes).
    Bytes(Vec<u8>),
    /// Output bytes with this SHA-256 and length.
    Digest {
        /// SHA-256 of the output.
        sha256: [u8; 32],
        /// Length of the output.
        len: u64,
    },
    /// `utf8-validate` accepted the input.
    Ok,
    /// `utf8-validate` refused the input with exactly this error.
    Utf8Error {
        /// Length of the longest valid prefix.
        valid_up_to: u64,
        /// Length of the invalid sequence, or `None` for an input cut off mid-sequence.
        error_len: Option<u8>,
    },
    /// `aggregate`'s record, exactly.
    Stats(Stats),
    /// A `kernel-error` of this kind; for `invalid-data`, at this offset.
    Error {
        /// The error case.
        kind: ErrorKind,
        /// The offset an `invalid-data` error must report.
        offset: Option<u64>,
    },
    /// `run-chain`'s `chain-error`: the failing stage and its `kernel-error`.
    ChainError {
        /// Index of the failing stage.
        stage: u64,
        /// The error case.
        kind: ErrorKind,
        /// The offset (relative to that stage's input) an `invalid-data` error must report.
        offset: Option<u64>,
    },
}

/// What an implementation produced for a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// An integer result (or `some` of it).
    Value(u64),
    /// An `option` that is `none`.
    None,
    /// Output bytes (integer lists as their little-endian bytes).
    Bytes(Vec<u8>),
    /// `utf8-validate` accepted the input.
    Ok,
    /// `utf8-validate` refused the input.
    Utf8Error {
        /// Length of the longest valid prefix.
        valid_up_to: u64,
        /// Length of the invalid sequence, or `None` for an input cut off mid-sequence.
        error_len: Option<u8>,
    },
    /// `aggregate`'s record.
    Stats(Stats),
    /// A `kernel-error` (with its offset, for `invalid-data`).
    Error {
        /// The error case.
        kind: ErrorKind,
        /// The reported data offset, for `invalid-data`.
        offset: Option<u64>,
    },
    /// A `chain-error`: the failing stage and its `kernel-error`.
    ChainError {
        /// Index of the failing stage.
        stage: u64,
        /// The error case.
        kind: ErrorKind,
        /// The reported data offset, for `invalid-data`.
        offset: Option<u64>,
    },
    /// The runner does not implement this kernel: counted as a failure unless the runner
    /// is deliberately partial (see [`crate::Summary::skipped`]).
    Skipped,
    /// The runner's ABI cannot express this case: the output buffer the caller must provide
    /// would exceed [`crate::MAX_DESTINATION`] (a `bitunpack` of 2^32 - 1 values needs 16 GiB).
    /// Counted apart, as neither a pass nor a failure; the allocating API runs the case.
    NotApplicable(String),
    /// The call failed in a way no kernel may (a trap, a panic, a host error).
    Broken(String),
}

impl Outcome {
    /// An `option<u64>` result.
    pub fn option(value: Option<u64>) -> Outcome {
        value.map_or(Outcome::None, Outcome::Value)
    }

    /// A `kernel-error` outcome as the `chain-error` of stage `stage`; any other outcome is
    /// returned as it is.
    pub fn in_stage(self, stage: u64) -> Outcome {
        match self {
            Outcome::Error { kind, offset } => Outcome::ChainError {
                stage,
                kind,
                offset,
            },
            other => other,
        }
    }
}

/// One conformance case, with its input materialised.
#[derive(Debug, Clone)]
pub struct Case {
    /// Unique name, `/`-separated (`shuffle/es-4/len-17`).
    pub name: String,
    /// The kernel and its arguments.
    pub call: Call,
    /// The `data` argument.
    pub data: Vec<u8>,
    /// The required outcome.
    pub expect: Expect,
}

impl Case {
    /// Compares `outcome` with the expectation; the error describes the first difference.
    pub fn check(&self, outcome: &Outcome) -> Result<(), String> {
        match (&self.expect, outcome) {
            (_, Outcome::Broken(why)) => Err(format!("broken: {why}")),
            (_, Outcome::Skipped) => Err("not run".into()),
            (_, Outcome::NotApplicable(why)) => Err(format!("not applicable: {why}")),
            (Expect::Value(want), Outcome::Value(got)) if want == got => Ok(()),
            (Expect::Value(want), Outcome::Value(got)) => {
                Err(format!("got {got} ({got:#x}), want {want} ({want:#x})"))
            }
            (Expect::None, Outcome::None) | (Expect::Ok, Outcome::Ok) => Ok(()),
            (Expect::Bytes(want), Outcome::Bytes(got)) => compare_bytes(got, want),
            (Expect::Digest { sha256, len }, Outcome::Bytes(got)) => {
                if got.len() as u64 != *len {
                    Err(format!("output length {}, want {len}", got.len()))
                } else if Sha256::digest(got).as_slice() != sha256 {
                    Err(format!(
                        "output sha256 {}, want {}",
                        hex::encode(Sha256::digest(got)),
                        hex::encode(sha256)
                    ))
                } else {
                    Ok(())
                }
            }
            (
                Expect::Utf8Error {
                    valid_up_to,
                    error_len,
                },
                Outcome::Utf8Error {
                    valid_up_to: got_valid,
                    error_len: got_len,
                },
            ) => {
                if (valid_up_to, error_len) == (got_valid, got_len) {
                    Ok(())
                } else {
                    Err(format!(
                        "utf8-error {{valid-up-to {got_valid}, error-len {got_len:?}}}, want \
                         {{valid-up-to {valid_up_to}, error-len {error_len:?}}}"
                    ))
                }
            }
            (Expect::Stats(want), Outcome::Stats(got)) if want == got => Ok(()),
            (Expect::Stats(want), Outcome::Stats(got)) => Err(format!("{got}, want {want}")),
            (
                Expect::Error { kind, offset },
                Outcome::Error {
                    kind: got_kind,
                    offset: got_offset,
                },
            ) => {
                if kind != got_kind {
                    Err(format!("error {}, want {}", got_kind.name(), kind.name()))
                } else if offset.is_some() && offset != got_offset {
                    Err(format!("error offset {got_offset:?}, want {offset:?}"))
                } else {
                    Ok(())
                }
            }
            (
                Expect::ChainError {
                    stage,
                    kind,
                    offset,
                },
                Outcome::ChainError {
                    stage: got_stage,
                    kind: got_kind,
                    offset: got_offset,
                },
            ) => {
                if stage != got_stage {
                    Err(format!("error at stage {got_stage}, want stage {stage}"))
                } else if kind != got_kind {
                    Err(format!("error {}, want {}", got_kind.name(), kind.name()))
                } else if offset.is_some() && offset != got_offset {
                    Err(format!("error offset {got_offset:?}, want {offset:?}"))
                } else {
                    Ok(())
                }
            }
            (want, got) => Err(format!(
                "got {}, want {}",
                describe(got),
                describe_expect(want)
            )),
        }
    }
}

/// Describes where `got` first differs from `want`.
fn compare_bytes(got: &[u8], want: &[u8]) -> Result<(), String> {
    if got == want {
        return Ok(());
    }
    let first = got.iter().zip(want).position(|(a, b)| a != b);
    match first {
        Some(i) => Err(format!(
            "output differs first at offset {i}: got {:#04x}, want {:#04x} (lengths {} and {})",
            got[i],
            want[i],
            got.len(),
            want.len()
        )),
        None => Err(format!(
            "output length {}, want {} (common prefix equal)",
            got.len(),
            want.len()
        )),
    }
}

/// A short description of an outcome, for mismatch messages.
fn describe(outcome: &Outcome) -> String {
    match outcome {
        Outcome::Value(v) => format!("value {v}"),
        Outcome::None => "none".into(),
        Outcome::Bytes(b) => format!("{} output bytes", b.len()),
        Outcome::Ok => "ok".into(),
        Outcome::Utf8Error {
            valid_up_to,
            error_len,
        } => format!("utf8-error {{valid-up-to {valid_up_to}, error-len {error_len:?}}}"),
        Outcome::Stats(s) => s.to_string(),
        Outcome::Error { kind, offset } => match offset {
            Some(at) => format!("error {} at {at}", kind.name()),
            None => format!("error {}", kind.name()),
        },
        Outcome::ChainError {
            stage,
            kind,
            offset,
        } => describe_chain_error(*stage, *kind, *offset),
        Outcome::Skipped => "nothing".into(),
        Outcome::NotApplicable(why) => format!("not applicable ({why})"),
        Outcome::Broken(why) => format!("breakage ({why})"),
    }
}

/// A short description of an expectation, for mismatch messages.
fn describe_expect(expect: &Expect) -> String {
    match expect {
        Expect::Value(v) => format!("value {v}"),
        Expect::None => "none".into(),
        Expect::Bytes(b) => format!("{} output bytes", b.len()),
        Expect::Digest { len, .. } => format!("{len} output bytes"),
        Expect::Ok => "ok".into(),
        Expect::Utf8Error {
            valid_up_to,
            error_len,
        } => format!("utf8-error {{valid-up-to {valid_up_to}, error-len {error_len:?}}}"),
        Expect::Stats(s) => s.to_string(),
        Expect::Error { kind, offset } => match offset {
            Some(at) => format!("error {} at {at}", kind.name()),
            None => format!("error {}", kind.name()),
        },
        Expect::ChainError {
            stage,
            kind,
            offset,
        } => describe_chain_error(*stage, *kind, *offset),
    }
}

/// A chain error, for mismatch messages.
fn describe_chain_error(stage: u64, kind: ErrorKind, offset: Option<u64>) -> String {
    match offset {
        Some(at) => format!("error {} at {at} in stage {stage}", kind.name()),
        None => format!("error {} in stage {stage}", kind.name()),
    }
}
