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
//!     match *call {
//!         Call::CountByte { needle } => {
//!             Outcome::Value(data.iter().filter(|&&b| b == needle).count() as u64)
//!         }
//!         _ => Outcome::Skipped,
//!     }
//! });
//! assert!(summary.failures.is_empty());
//! ```
//!
//! Adding a kernel: a [`Call`] variant and its arm in [`Call::parse`], then one arm in each
//! runner of the tests.

use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

/// The vector file format version this crate reads.
pub const FORMAT_VERSION: u64 = 1;

/// One kernel invocation with its typed arguments (all but the data), as named in the WIT.
///
/// Deliberately exhaustive: adding a kernel here makes every runner fail to compile until it
/// handles the new call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Call {
    /// `crc32c(data, seed)`.
    Crc32c {
        /// CRC of the preceding stream, 0 to start fresh.
        seed: u32,
    },
    /// `count-byte(data, needle)`.
    CountByte {
        /// The byte to count.
        needle: u8,
    },
    /// `shuffle(data, elem-size)`.
    Shuffle {
        /// Element size in bytes (valid: 1..=255).
        elem_size: u32,
    },
    /// `unshuffle(data, elem-size)`.
    Unshuffle {
        /// Element size in bytes (valid: 1..=255).
        elem_size: u32,
    },
}

impl Call {
    /// Every kernel name the vectors may use (WIT function names).
    pub const KERNELS: [&'static str; 4] = ["crc32c", "count-byte", "shuffle", "unshuffle"];

    /// The WIT function name of this call's kernel.
    pub fn kernel(&self) -> &'static str {
        match self {
            Call::Crc32c { .. } => "crc32c",
            Call::CountByte { .. } => "count-byte",
            Call::Shuffle { .. } => "shuffle",
            Call::Unshuffle { .. } => "unshuffle",
        }
    }

    /// Builds a call from a vector's `kernel` and `args`; every argument must be present,
    /// in range for its WIT type, and no other argument may appear.
    pub fn parse(kernel: &str, args: &BTreeMap<String, serde_json::Value>) -> Result<Call, String> {
        let mut args = Args {
            map: args,
            used: BTreeSet::new(),
        };
        let call = match kernel {
            "crc32c" => Call::Crc32c {
                seed: args.int("seed")?,
            },
            "count-byte" => Call::CountByte {
                needle: args.int("needle")?,
            },
            "shuffle" => Call::Shuffle {
                elem_size: args.int("elem_size")?,
            },
            "unshuffle" => Call::Unshuffle {
                elem_size: args.int("elem_size")?,
            },
            other => return Err(format!("unknown kernel {other:?}")),
        };
        args.finish()?;
        Ok(call)
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Call::Crc32c { seed } => write!(f, "crc32c(seed={seed:#x})"),
            Call::CountByte { needle } => write!(f, "count-byte(needle={needle:#04x})"),
            Call::Shuffle { elem_size } => write!(f, "shuffle(elem_size={elem_size})"),
            Call::Unshuffle { elem_size } => write!(f, "unshuffle(elem_size={elem_size})"),
        }
    }
}

/// A case's `args` while they are being turned into a [`Call`].
struct Args<'a> {
    map: &'a BTreeMap<String, serde_json::Value>,
    used: BTreeSet<&'a str>,
}

impl<'a> Args<'a> {
    /// The integer argument `name`, which must fit `T`.
    fn int<T: TryFrom<u64>>(&mut self, name: &'a str) -> Result<T, String> {
        self.used.insert(name);
        let value = self
            .map
            .get(name)
            .ok_or_else(|| format!("missing argument {name:?}"))?;
        let n = value
            .as_u64()
            .ok_or_else(|| format!("argument {name:?} is not a non-negative integer: {value}"))?;
        T::try_from(n).map_err(|_| format!("argument {name:?} = {n} out of range for its type"))
    }

    /// Fails if an argument was given that the kernel does not take.
    fn finish(self) -> Result<(), String> {
        match self.map.keys().find(|k| !self.used.contains(k.as_str())) {
            Some(extra) => Err(format!("unexpected argument {extra:?}")),
            None => Ok(()),
        }
    }
}

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

/// What a case requires of the implementation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Expect {
    /// This integer result.
    Value(u64),
    /// Exactly these output bytes.
    Bytes(Vec<u8>),
    /// Output bytes with this SHA-256 and length.
    Digest {
        /// SHA-256 of the output.
        sha256: [u8; 32],
        /// Length of the output.
        len: u64,
    },
    /// A `kernel-error` of this kind; for `invalid-data`, at this offset.
    Error {
        /// The error case.
        kind: ErrorKind,
        /// The offset an `invalid-data` error must report.
        offset: Option<u64>,
    },
}

/// What an implementation produced for a case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// An integer result.
    Value(u64),
    /// Output bytes.
    Bytes(Vec<u8>),
    /// A `kernel-error` (with its offset, for `invalid-data`).
    Error {
        /// The error case.
        kind: ErrorKind,
        /// The reported data offset, for `invalid-data`.
        offset: Option<u64>,
    },
    /// The runner does not implement this kernel: counted as a failure unless the runner
    /// is deliberately partial (see [`Summary::skipped`]).
    Skipped,
    /// The call failed in a way no kernel may (a trap, a panic, a host error).
    Broken(String),
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
            (Expect::Value(want), Outcome::Value(got)) if want == got => Ok(()),
            (Expect::Value(want), Outcome::Value(got)) => {
                Err(format!("got {got} ({got:#x}), want {want} ({want:#x})"))
            }
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
        Outcome::Bytes(b) => format!("{} output bytes", b.len()),
        Outcome::Error { kind, .. } => format!("error {}", kind.name()),
        Outcome::Skipped => "nothing".into(),
        Outcome::Broken(why) => format!("breakage ({why})"),
    }
}

/// A short description of an expectation, for mismatch messages.
fn describe_expect(expect: &Expect) -> String {
    match expect {
        Expect::Value(v) => format!("value {v}"),
        Expect::Bytes(b) => format!("{} output bytes", b.len()),
        Expect::Digest { len, .. } => format!("{len} output bytes"),
        Expect::Error { kind, .. } => format!("error {}", kind.name()),
    }
}

// ---------------------------------------------------------------------------------------------
// Parsing

/// The file as written (see `tests/vectors/README.md`).
#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: u64,
    cases: Vec<RawCase>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    name: String,
    kernel: String,
    args: BTreeMap<String, serde_json::Value>,
    input: RawInput,
    expect: RawExpect,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, rename_all = "lowercase")]
enum RawInput {
    Hex(String),
    Gen { seed: u64, len: usize },
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpect {
    value: Option<u64>,
    hex: Option<String>,
    sha256: Option<String>,
    len: Option<u64>,
    error: Option<RawError>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawError {
    kind: String,
    offset: Option<u64>,
}

impl RawExpect {
    fn into_expect(self) -> Result<Expect, String> {
        match self {
            RawExpect {
                value: Some(v),
                hex: None,
                sha256: None,
                len: None,
                error: None,
            } => Ok(Expect::Value(v)),
            RawExpect {
                value: None,
                hex: Some(h),
                sha256: None,
                len: None,
                error: None,
            } => Ok(Expect::Bytes(decode_hex(&h)?)),
            RawExpect {
                value: None,
                hex: None,
                sha256: Some(s),
                len: Some(len),
                error: None,
            } => {
                let sha256 = decode_hex(&s)?
                    .try_into()
                    .map_err(|_| "sha256 is not 32 bytes".to_string())?;
                Ok(Expect::Digest { sha256, len })
            }
            RawExpect {
                value: None,
                hex: None,
                sha256: None,
                len: None,
                error: Some(RawError { kind, offset }),
            } => {
                let kind = ErrorKind::parse(&kind)?;
                if (kind == ErrorKind::InvalidData) != offset.is_some() {
                    return Err("error offset is required for invalid-data, and only there".into());
                }
                Ok(Expect::Error { kind, offset })
            }
            _ => Err("expect must be exactly one of value, hex, sha256+len, error".into()),
        }
    }
}

/// Lowercase or uppercase hex to bytes.
fn decode_hex(text: &str) -> Result<Vec<u8>, String> {
    hex::decode(text).map_err(|e| format!("bad hex: {e}"))
}

/// The vector format's generated input: `len` bytes of SplitMix64 output from state `seed`.
pub fn splitmix64(seed: u64, len: usize) -> Vec<u8> {
    let mut state = seed;
    let mut out = Vec::with_capacity(len.next_multiple_of(8));
    while out.len() < len {
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        out.extend_from_slice(&z.to_le_bytes());
    }
    out.truncate(len);
    out
}

/// Parses a vector file's text into cases, materialising every input.
///
/// # Errors
/// A message naming the case, on any deviation from the format: unknown fields or kernels,
/// missing or out-of-range arguments, bad hex, duplicate names, another version.
pub fn parse(text: &str) -> Result<Vec<Case>, String> {
    let raw: RawFile = serde_json::from_str(text).map_err(|e| format!("vectors: {e}"))?;
    if raw.version != FORMAT_VERSION {
        return Err(format!(
            "vectors: version {}, this harness reads {FORMAT_VERSION}",
            raw.version
        ));
    }
    let mut names = BTreeSet::new();
    let mut cases = Vec::with_capacity(raw.cases.len());
    for rc in raw.cases {
        let name = rc.name;
        let at = |e: String| format!("vectors: case {name:?}: {e}");
        if !names.insert(name.clone()) {
            return Err(at("duplicate name".into()));
        }
        let call = Call::parse(&rc.kernel, &rc.args).map_err(at)?;
        let data = match rc.input {
            RawInput::Hex(h) => decode_hex(&h).map_err(at)?,
            RawInput::Gen { seed, len } => splitmix64(seed, len),
        };
        let expect = rc.expect.into_expect().map_err(at)?;
        cases.push(Case {
            name,
            call,
            data,
            expect,
        });
    }
    Ok(cases)
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
    let entries =
        std::fs::read_dir(&dir).map_err(|e| format!("listing {}: {e}", dir.display()))?;
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
    /// `"<case>: <call>, <len> bytes: <difference>"` for every case that did not match.
    pub failures: Vec<String>,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {} passed, {} failed, {} skipped",
            self.label,
            self.passed,
            self.failures.len(),
            self.skipped.len()
        )?;
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
        if outcome == Outcome::Skipped {
            summary.skipped.push(case.name.clone());
            continue;
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
