//! The vector file format (version [`crate::FORMAT_VERSION`], `tests/vectors/README.md`).

use crate::{Call, Case, ErrorKind, Expect, Scalar, Stats};
use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};

/// The file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: u64,
    cases: Vec<RawCase>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawCase {
    name: String,
    kernel: String,
    args: BTreeMap<String, serde_json::Value>,
    input: RawInput,
    expect: RawExpect,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "lowercase")]
enum RawInput {
    Hex(String),
    Gen { seed: u64, len: usize },
}

impl RawInput {
    /// The bytes this input stands for.
    fn materialise(self) -> Result<Vec<u8>, String> {
        match self {
            RawInput::Hex(h) => decode_hex(&h),
            RawInput::Gen { seed, len } => Ok(splitmix64(seed, len)),
        }
    }
}

/// An input object (`{"hex": …}` or `{"gen": …}`) given as an argument, as bytes.
pub(crate) fn input(value: &serde_json::Value) -> Result<Vec<u8>, String> {
    RawInput::deserialize(value)
        .map_err(|e| format!("not an input object: {e}"))?
        .materialise()
}

/// Deserialises a field that may be `null` as `Some(None)`, leaving `None` for "absent" (with
/// `#[serde(default)]`).
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExpect {
    #[serde(default, deserialize_with = "present")]
    value: Option<Option<u64>>,
    hex: Option<String>,
    sha256: Option<String>,
    len: Option<u64>,
    ok: Option<bool>,
    utf8_error: Option<RawUtf8Error>,
    stats: Option<RawStats>,
    error: Option<RawError>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawUtf8Error {
    valid_up_to: u64,
    #[serde(default, deserialize_with = "present")]
    error_len: Option<Option<u8>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawStats {
    count: u64,
    #[serde(default, deserialize_with = "present")]
    min: Option<Option<serde_json::Value>>,
    #[serde(default, deserialize_with = "present")]
    max: Option<Option<serde_json::Value>>,
    sum: serde_json::Value,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawError {
    kind: String,
    offset: Option<u64>,
    stage: Option<u64>,
}

impl RawStats {
    fn into_stats(self) -> Result<Stats, String> {
        let optional = |name: &str, v: Option<Option<serde_json::Value>>| match v {
            None => Err(format!("stats: missing {name}")),
            Some(None) => Ok(None),
            Some(Some(s)) => Scalar::parse(&s).map(Some),
        };
        Ok(Stats {
            count: self.count,
            min: optional("min", self.min)?,
            max: optional("max", self.max)?,
            sum: Scalar::parse(&self.sum)?,
        })
    }
}

impl RawExpect {
    fn into_expect(self) -> Result<Expect, String> {
        let forms = [
            self.value.is_some(),
            self.hex.is_some(),
            self.sha256.is_some() || self.len.is_some(),
            self.ok.is_some(),
            self.utf8_error.is_some(),
            self.stats.is_some(),
            self.error.is_some(),
        ];
        if forms.iter().filter(|&&f| f).count() != 1 {
            return Err(
                "expect must be exactly one of value, hex, sha256+len, ok, utf8_error, stats, \
                 error"
                    .into(),
            );
        }
        if let Some(value) = self.value {
            return Ok(value.map_or(Expect::None, Expect::Value));
        }
        if let Some(h) = self.hex {
            return Ok(Expect::Bytes(decode_hex(&h)?));
        }
        if let (Some(s), Some(len)) = (&self.sha256, self.len) {
            let sha256 = decode_hex(s)?
                .try_into()
                .map_err(|_| "sha256 is not 32 bytes".to_string())?;
            return Ok(Expect::Digest { sha256, len });
        }
        if let Some(ok) = self.ok {
            return if ok {
                Ok(Expect::Ok)
            } else {
                Err("ok must be true".into())
            };
        }
        if let Some(RawUtf8Error {
            valid_up_to,
            error_len,
        }) = self.utf8_error
        {
            let error_len = error_len.ok_or("utf8_error: missing error_len")?;
            if error_len.is_some_and(|l| !(1..=3).contains(&l)) {
                return Err(format!("utf8_error: error_len {error_len:?} not in 1..=3"));
            }
            return Ok(Expect::Utf8Error {
                valid_up_to,
                error_len,
            });
        }
        if let Some(stats) = self.stats {
            return stats.into_stats().map(Expect::Stats);
        }
        match self.error {
            Some(RawError {
                kind,
                offset,
                stage,
            }) => {
                let kind = ErrorKind::parse(&kind)?;
                if (kind == ErrorKind::InvalidData) != offset.is_some() {
                    return Err("error offset is required for invalid-data, and only there".into());
                }
                Ok(match stage {
                    Some(stage) => Expect::ChainError {
                        stage,
                        kind,
                        offset,
                    },
                    None => Expect::Error { kind, offset },
                })
            }
            None => Err("sha256 and len go together".into()),
        }
    }
}

/// Lowercase or uppercase hex to bytes.
pub(crate) fn decode_hex(text: &str) -> Result<Vec<u8>, String> {
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
    if raw.version != crate::FORMAT_VERSION {
        return Err(format!(
            "vectors: version {}, this harness reads {}",
            raw.version,
            crate::FORMAT_VERSION
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
        let data = rc.input.materialise().map_err(at)?;
        call.check_data(&data).map_err(at)?;
        let expect = rc.expect.into_expect().map_err(at)?;
        let chain = matches!(call, Call::RunChain { .. });
        let chain_error = matches!(expect, Expect::ChainError { .. });
        if matches!(expect, Expect::Error { .. } | Expect::ChainError { .. })
            && chain != chain_error
        {
            return Err(at(
                "an error has a stage for run-chain, and only there".into()
            ));
        }
        cases.push(Case {
            name,
            call,
            data,
            expect,
        });
    }
    Ok(cases)
}
