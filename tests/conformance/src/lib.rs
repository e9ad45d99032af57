//! Conformance harness: loads `tests/vectors/*.json` and checks any implementation of the
//! binpipe kernels against it.
//!
//! The vectors come from references independent of binpipe (`tests/vectors/generate.py`; the
//! format is in `tests/vectors/README.md`). This crate only reads and compares them; the
//! implementations under test are wired up in its tests: the native crate on every ISA tier
//! (`tests/native.rs`), and the wasm module under wasmtime as a component and through the
//! fast-path ABI (`tests/wasmtime.rs`).
//!
//! ```
//! use binpipe_conformance::{Call, Outcome};
//! let cases = binpipe_conformance::load().unwrap();
//! let summary = binpipe_conformance::run("count-byte via iterator", &cases, |call, data| {
//!     match call {
//!         Call::CountByte { needle } => {
//!             Outcome::Value(data.iter().filter(|&b| b == needle).count() as u64)
//!         }
//!         _ => Outcome::Skipped,
//!     }
//! });
//! assert!(summary.failures.is_empty());
//! ```
//!
//! Adding a kernel: a [`Call`] variant and its arm in [`Call::parse`], then one arm in each
//! runner of the tests.

mod call;
mod expect;
mod parse;

pub use call::{Alphabet, Call, CmpOp, ElemType, Scalar};
pub use expect::{Case, ErrorKind, Expect, Outcome, Stats};
pub use parse::{parse, splitmix64};

pub(crate) use parse::decode_hex;
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// The vector file format version this crate reads.
pub const FORMAT_VERSION: u64 = 1;

/// The largest output buffer a caller-buffer runner allocates (1 GiB): a case whose
/// destination, sized as the fast-path host sizes it (docs/abi.md), would be larger is
/// [`Outcome::NotApplicable`] there. A wasm32 memory could not hold it anyway.
pub const MAX_DESTINATION: usize = 1 << 30;

/// `bytes` (whose length is a multiple of 4) as little-endian `u32`s.
pub fn u32s_from_le(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
        .collect()
}

/// `bytes` (whose length is a multiple of 8) as little-endian `u64`s.
pub fn u64s_from_le(bytes: &[u8]) -> Vec<u64> {
    bytes
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap_or([0; 8])))
        .collect()
}

/// The little-endian bytes of `values` (how integer-list outputs are compared).
pub fn u32s_to_le(values: &[u32]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// The little-endian bytes of `values` (how integer-list outputs are compared).
pub fn u64s_to_le(values: &[u64]) -> Vec<u8> {
    values.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// The workspace root (two levels above this crate).
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// The vector files: `$BINPIPE_VECTORS` (one file), else every `tests/vectors/*.json` in the
/// workspace (one per kernel family), sorted by name.
///
/// # Errors
/// If the directory cannot be listed.
pub fn vector_files() -> Result<Vec<PathBuf>, String> {
    if let Some(file) = std::env::var_os("BINPIPE_VECTORS") {
        return Ok(vec![PathBuf::from(file)]);
    }
    let dir = workspace_root().join("tests/vectors");
    let entries = std::fs::read_dir(&dir).map_err(|e| format!("listing {}: {e}", dir.display()))?;
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "json"))
        .collect();
    files.sort();
    Ok(files)
}

/// Reads and parses every file of [`vector_files`] into one list of cases.
///
/// # Errors
/// If a file cannot be read or does not parse (see [`parse`]), or there are no files.
pub fn load() -> Result<Vec<Case>, String> {
    let files = vector_files()?;
    if files.is_empty() {
        return Err("no vector files found (tests/vectors/generate.py writes them)".into());
    }
    let mut cases = Vec::new();
    for path in files {
        let text = std::fs::read_to_string(&path)
            .map_err(|e| format!("reading {}: {e}", path.display()))?;
        cases.extend(parse(&text).map_err(|e| format!("{}: {e}", path.display()))?);
    }
    Ok(cases)
}

/// The directory holding the built wasm artifacts: `$BINPIPE_WASM_DIR`, else `target/wasm`
/// in the workspace (where `component/build.sh` writes them by default).
pub fn wasm_dir() -> PathBuf {
    std::env::var_os("BINPIPE_WASM_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("target/wasm"))
}

/// The path of the wasm artifact `file` in [`wasm_dir`].
///
/// # Errors
/// If it does not exist, with a message saying how to build it.
pub fn wasm_artifact(file: &str) -> Result<PathBuf, String> {
    let path = wasm_dir().join(file);
    if path.is_file() {
        Ok(path)
    } else {
        Err(format!(
            "{} not found: build the wasm artifacts first with `component/build.sh` \
             (or point BINPIPE_WASM_DIR at the directory holding them)",
            path.display()
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// Running

/// The result of running every case through one implementation.
#[derive(Debug, Default)]
pub struct Summary {
    /// What ran (`"native avx2"`).
    pub label: String,
    /// Cases that matched.
    pub passed: usize,
    /// Cases the runner does not implement ([`Outcome::Skipped`]).
    pub skipped: Vec<String>,
    /// `"<case>: <reason>"` for cases the runner's ABI cannot express
    /// ([`Outcome::NotApplicable`]); not failures.
    pub not_applicable: Vec<String>,
    /// `"<case>: <call>, <len> bytes: <difference>"` for every case that did not match.
    pub failures: Vec<String>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {} passed, {} failed, {} skipped, {} not applicable",
            self.label,
            self.passed,
            self.failures.len(),
            self.skipped.len(),
            self.not_applicable.len()
        )?;
        for case in &self.not_applicable {
            writeln!(f, "  n/a  {case}")?;
        }
        for failure in self.failures.iter().take(20) {
            writeln!(f, "  FAIL {failure}")?;
        }
        if self.failures.len() > 20 {
            writeln!(f, "  … and {} more", self.failures.len() - 20)?;
        }
        Ok(())
    }
}

/// Runs every case through `implementation` and checks it; a panic counts as a failure of
/// that case. Prints nothing; see [`Summary`]'s `Display`.
pub fn run(
    label: &str,
    cases: &[Case],
    mut implementation: impl FnMut(&Call, &[u8]) -> Outcome,
) -> Summary {
    let mut summary = Summary {
        label: label.to_string(),
        ..Summary::default()
    };
    for case in cases {
        let outcome = catch_unwind(AssertUnwindSafe(|| implementation(&case.call, &case.data)))
            .unwrap_or_else(|_| Outcome::Broken("panicked".into()));
        match outcome {
            Outcome::Skipped => {
                summary.skipped.push(case.name.clone());
                continue;
            }
            Outcome::NotApplicable(why) => {
                summary.not_applicable.push(format!("{}: {why}", case.name));
                continue;
            }
            _ => {}
        }
        match case.check(&outcome) {
            Ok(()) => summary.passed += 1,
            Err(why) => summary.failures.push(format!(
                "{}: {}, {} bytes: {why}",
                case.name,
                case.call,
                case.data.len()
            )),
        }
    }
    summary
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_matches_published_output() {
        // Vigna's splitmix64.c, seed 1234567: 0x599ED017FB08FC85, 0x2C73F08458540FA5.
        let bytes = splitmix64(1234567, 16);
        assert_eq!(bytes[..8], 0x599E_D017_FB08_FC85u64.to_le_bytes());
        assert_eq!(bytes[8..], 0x2C73_F084_5854_0FA5u64.to_le_bytes());
        assert_eq!(splitmix64(1, 13), splitmix64(1, 16)[..13]);
    }

    fn one(case: &str) -> Result<Vec<Case>, String> {
        parse(&format!(r#"{{"version":1,"cases":[{case}]}}"#))
    }

    #[test]
    fn parses_every_form() {
        let cases = parse(
            r#"{"version": 1, "cases": [
            {"name":"a","kernel":"crc32c","args":{"seed":0},"input":{"hex":"313233343536373839"},"expect":{"value":3808858755}},
            {"name":"b","kernel":"shuffle","args":{"elem_size":2},"input":{"gen":{"seed":1,"len":3}},"expect":{"hex":"00ff11"}},
            {"name":"c","kernel":"unshuffle","args":{"elem_size":2},"input":{"hex":""},"expect":{"sha256":"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855","len":0}},
            {"name":"d","kernel":"count-byte","args":{"needle":255},"input":{"hex":""},"expect":{"error":{"kind":"invalid-data","offset":3}}}
        ]}"#,
        )
        .unwrap();
        assert_eq!(cases[0].call, Call::Crc32c { seed: 0 });
        assert_eq!(cases[0].data, b"123456789");
        assert_eq!(cases[0].expect, Expect::Value(0xE306_9283));
        assert_eq!(cases[1].data, splitmix64(1, 3));
        assert_eq!(cases[1].expect, Expect::Bytes(vec![0, 0xff, 0x11]));
        assert!(cases[2].check(&Outcome::Bytes(vec![])).is_ok());
        assert!(cases[2].check(&Outcome::Bytes(vec![0])).is_err());
        assert_eq!(
            cases[3].expect,
            Expect::Error {
                kind: ErrorKind::InvalidData,
                offset: Some(3)
            }
        );
    }

    #[test]
    fn parses_the_suite_forms() {
        let cases = parse(
            r#"{"version": 1, "cases": [
            {"name":"a","kernel":"find-byte","args":{"needle":7},"input":{"hex":"0102"},"expect":{"value":null}},
            {"name":"b","kernel":"mismatch","args":{"b":{"gen":{"seed":1,"len":3}}},"input":{"hex":""},"expect":{"value":0}},
            {"name":"c","kernel":"utf8-validate","args":{},"input":{"hex":"e2"},"expect":{"utf8_error":{"valid_up_to":0,"error_len":null}}},
            {"name":"d","kernel":"utf8-validate","args":{},"input":{"hex":"41"},"expect":{"ok":true}},
            {"name":"e","kernel":"aggregate","args":{"ty":"f64"},"input":{"hex":""},"expect":{"stats":{"count":0,"min":null,"max":null,"sum":{"float":"0x8000000000000000"}}}},
            {"name":"f","kernel":"compare","args":{"ty":"i16","op":"le","value":{"signed":-3}},"input":{"hex":""},"expect":{"hex":""}},
            {"name":"g","kernel":"base64-decode","args":{"alphabet":"url-safe","padding":false},"input":{"hex":""},"expect":{"hex":""}},
            {"name":"h","kernel":"xxh3-64","args":{"seed":18446744073709551615},"input":{"hex":""},"expect":{"value":18446744073709551615}},
            {"name":"i","kernel":"varint-encode","args":{},"input":{"hex":"0100000000000000"},"expect":{"hex":"01"}},
            {"name":"j","kernel":"select","args":{"width":2,"bitmap":"ff"},"input":{"hex":""},"expect":{"error":{"kind":"invalid-argument"}}}
        ]}"#,
        )
        .unwrap();
        assert_eq!(cases[0].expect, Expect::None);
        assert_eq!(
            cases[1].call,
            Call::Mismatch {
                b: splitmix64(1, 3)
            }
        );
        assert_eq!(
            cases[2].expect,
            Expect::Utf8Error {
                valid_up_to: 0,
                error_len: None
            }
        );
        assert_eq!(cases[3].expect, Expect::Ok);
        assert_eq!(
            cases[4].expect,
            Expect::Stats(Stats {
                count: 0,
                min: None,
                max: None,
                sum: Scalar::Float((-0.0f64).to_bits())
            })
        );
        assert_eq!(
            cases[5].call,
            Call::Compare {
                ty: ElemType::I16,
                op: CmpOp::Le,
                value: Scalar::Signed(-3)
            }
        );
        assert_eq!(
            cases[6].call,
            Call::Base64Decode {
                alphabet: Alphabet::UrlSafe,
                padding: false
            }
        );
        assert_eq!(cases[7].call, Call::Xxh3 { seed: u64::MAX });
        assert_eq!(cases[7].expect, Expect::Value(u64::MAX));
        assert_eq!(u64s_from_le(&cases[8].data), [1]);
        assert_eq!(
            cases[9].call,
            Call::Select {
                width: 2,
                bitmap: vec![0xff]
            }
        );
        assert!(cases[0].check(&Outcome::Value(0)).is_err());
        assert!(cases[0].check(&Outcome::None).is_ok());
        assert!(
            cases[4]
                .check(&Outcome::Stats(Stats {
                    count: 0,
                    min: None,
                    max: None,
                    sum: Scalar::Float(0)
                }))
                .is_err()
        );
    }

    #[test]
    fn rejects_malformed_cases() {
        let input = r#""input":{"hex":""}"#;
        for bad in [
            format!(r#"{{"name":"x","kernel":"nope","args":{{}},{input},"expect":{{"value":0}}}}"#),
            format!(
                r#"{{"name":"x","kernel":"crc32c","args":{{}},{input},"expect":{{"value":0}}}}"#
            ),
            format!(
                r#"{{"name":"x","kernel":"count-byte","args":{{"needle":256}},{input},"expect":{{"value":0}}}}"#
            ),
            format!(
                r#"{{"name":"x","kernel":"crc32c","args":{{"seed":0,"x":1}},{input},"expect":{{"value":0}}}}"#
            ),
            format!(
                r#"{{"name":"x","kernel":"crc32c","args":{{"seed":0}},{input},"expect":{{"value":0,"hex":""}}}}"#
            ),
            format!(
                r#"{{"name":"x","kernel":"crc32c","args":{{"seed":0}},{input},"expect":{{"error":{{"kind":"invalid-data"}}}}}}"#
            ),
            format!(
                r#"{{"name":"x","kernel":"crc32c","args":{{"seed":0}},{input},"expect":{{"value":0}},"extra":1}}"#
            ),
            r#"{"name":"x","kernel":"varint-encode","args":{},"input":{"hex":"0100"},"expect":{"hex":""}}"#
                .to_string(),
            format!(
                r#"{{"name":"x","kernel":"utf8-validate","args":{{}},{input},"expect":{{"ok":false}}}}"#
            ),
            format!(
                r#"{{"name":"x","kernel":"utf8-validate","args":{{}},{input},"expect":{{"utf8_error":{{"valid_up_to":0}}}}}}"#
            ),
            format!(
                r#"{{"name":"x","kernel":"aggregate","args":{{"ty":"u128"}},{input},"expect":{{"value":0}}}}"#
            ),
            format!(
                r#"{{"name":"x","kernel":"compare","args":{{"ty":"f32","op":"eq","value":{{"float":"1.0"}}}},{input},"expect":{{"hex":""}}}}"#
            ),
            format!(
                r#"{{"name":"x","kernel":"aggregate","args":{{"ty":"u8"}},{input},"expect":{{"stats":{{"count":0,"min":null,"sum":{{"unsigned":0}}}}}}}}"#
            ),
            format!(
                r#"{{"name":"x","kernel":"hex-encode","args":{{"uppercase":1}},{input},"expect":{{"hex":""}}}}"#
            ),
        ] {
            assert!(one(&bad).is_err(), "accepted {bad}");
        }
        let ok = format!(
            r#"{{"name":"x","kernel":"crc32c","args":{{"seed":0}},{input},"expect":{{"value":0}}}}"#
        );
        assert!(one(&ok).is_ok());
        assert!(
            one(&format!("{ok},{ok}"))
                .unwrap_err()
                .contains("duplicate")
        );
        assert!(parse(r#"{"version":2,"cases":[]}"#).is_err());
    }

    #[test]
    fn check_reports_differences() {
        let case = Case {
            name: "t".into(),
            call: Call::Shuffle { elem_size: 0 },
            data: vec![],
            expect: Expect::Error {
                kind: ErrorKind::InvalidArgument,
                offset: None,
            },
        };
        assert!(
            case.check(&Outcome::Error {
                kind: ErrorKind::InvalidArgument,
                offset: None
            })
            .is_ok()
        );
        assert!(
            case.check(&Outcome::Error {
                kind: ErrorKind::TooLarge,
                offset: None
            })
            .is_err()
        );
        assert!(case.check(&Outcome::Bytes(vec![])).is_err());
        assert!(case.check(&Outcome::Skipped).is_err());
        let bytes = Case {
            expect: Expect::Bytes(vec![1, 2, 3]),
            ..case
        };
        let err = bytes.check(&Outcome::Bytes(vec![1, 9, 3])).unwrap_err();
        assert!(err.contains("offset 1"), "{err}");
    }

    #[test]
    fn parses_run_chain() {
        let cases = parse(
            r#"{"version": 1, "cases": [
            {"name":"a","kernel":"run-chain","args":{"stages":[{"kind":"delta-encode","params":{"width":8}},{"kind":"hex-decode","params":{}}]},"input":{"hex":"00"},"expect":{"error":{"kind":"invalid-data","offset":3,"stage":1}}},
            {"name":"b","kernel":"run-chain","args":{"stages":[]},"input":{"hex":"00"},"expect":{"hex":"00"}}
        ]}"#,
        )
        .unwrap();
        assert_eq!(
            cases[0].call,
            Call::RunChain {
                stages: vec![Call::DeltaEncode { width: 8 }, Call::HexDecode]
            }
        );
        let want = Expect::ChainError {
            stage: 1,
            kind: ErrorKind::InvalidData,
            offset: Some(3),
        };
        assert_eq!(cases[0].expect, want);
        let got = |stage| Outcome::ChainError {
            stage,
            kind: ErrorKind::InvalidData,
            offset: Some(3),
        };
        assert!(cases[0].check(&got(1)).is_ok());
        assert!(cases[0].check(&got(0)).unwrap_err().contains("stage 1"));
        assert_eq!(cases[1].call, Call::RunChain { stages: vec![] });
        // Not a stage kind; a chain error without a stage; a stage on another kernel.
        let stage = |kind: &str| {
            format!(
                r#"{{"name":"x","kernel":"run-chain","args":{{"stages":[{{"kind":"{kind}","params":{{}}}}]}},"input":{{"hex":""}},"expect":{{"hex":""}}}}"#
            )
        };
        assert!(one(&stage("hex-decode")).is_ok());
        assert!(one(&stage("crc32c")).is_err());
        assert!(one(&stage("run-chain")).is_err());
        let no_stage = r#"{"name":"x","kernel":"run-chain","args":{"stages":[]},"input":{"hex":""},"expect":{"error":{"kind":"invalid-argument"}}}"#;
        assert!(one(no_stage).is_err());
        let stray = r#"{"name":"x","kernel":"hex-decode","args":{},"input":{"hex":""},"expect":{"error":{"kind":"invalid-argument","stage":0}}}"#;
        assert!(one(stray).is_err());
    }

    #[test]
    fn committed_vectors_load() {
        let cases = load().unwrap();
        for kernel in Call::KERNELS {
            assert!(
                cases.iter().any(|c| c.call.kernel() == kernel),
                "no case for {kernel}"
            );
        }
        let check = cases
            .iter()
            .find(|c| c.name == "crc32c/check-value")
            .unwrap();
        assert_eq!(check.expect, Expect::Value(0xE306_9283));
    }
}
