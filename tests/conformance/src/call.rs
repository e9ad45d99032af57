//! [`Call`]: one kernel invocation with its typed arguments, and the WIT types they use.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

/// The two RFC 4648 base64 alphabets (WIT `codec.alphabet`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Alphabet {
    /// `standard`: `A-Z a-z 0-9 + /`.
    Standard,
    /// `url-safe`: `A-Z a-z 0-9 - _`.
    UrlSafe,
}

impl Alphabet {
    /// The WIT case name.
    pub fn name(self) -> &'static str {
        match self {
            Alphabet::Standard => "standard",
            Alphabet::UrlSafe => "url-safe",
        }
    }
}

/// The element type of a column (WIT `column.elem-type`), in WIT order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElemType {
    /// `u8`.
    U8,
    /// `u16`.
    U16,
    /// `u32`.
    U32,
    /// `u64`.
    U64,
    /// `i8`.
    I8,
    /// `i16`.
    I16,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
}

impl ElemType {
    /// Every type, in WIT order (the fast-path ABI's `ty` is the index).
    pub const ALL: [ElemType; 10] = [
        ElemType::U8,
        ElemType::U16,
        ElemType::U32,
        ElemType::U64,
        ElemType::I8,
        ElemType::I16,
        ElemType::I32,
        ElemType::I64,
        ElemType::F32,
        ElemType::F64,
    ];

    /// The WIT case name (`"u8"`).
    pub fn name(self) -> &'static str {
        match self {
            ElemType::U8 => "u8",
            ElemType::U16 => "u16",
            ElemType::U32 => "u32",
            ElemType::U64 => "u64",
            ElemType::I8 => "i8",
            ElemType::I16 => "i16",
            ElemType::I32 => "i32",
            ElemType::I64 => "i64",
            ElemType::F32 => "f32",
            ElemType::F64 => "f64",
        }
    }

    /// The position in WIT order.
    pub fn index(self) -> u32 {
        Self::ALL.iter().position(|&t| t == self).unwrap_or(0) as u32
    }
}

/// A comparison operator (WIT `column.cmp-op`), in WIT order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    /// `eq`.
    Eq,
    /// `ne`.
    Ne,
    /// `lt`.
    Lt,
    /// `le`.
    Le,
    /// `gt`.
    Gt,
    /// `ge`.
    Ge,
}

impl CmpOp {
    /// Every operator, in WIT order (the fast-path ABI's `op` is the index).
    pub const ALL: [CmpOp; 6] = [
        CmpOp::Eq,
        CmpOp::Ne,
        CmpOp::Lt,
        CmpOp::Le,
        CmpOp::Gt,
        CmpOp::Ge,
    ];

    /// The WIT case name (`"eq"`).
    pub fn name(self) -> &'static str {
        match self {
            CmpOp::Eq => "eq",
            CmpOp::Ne => "ne",
            CmpOp::Lt => "lt",
            CmpOp::Le => "le",
            CmpOp::Gt => "gt",
            CmpOp::Ge => "ge",
        }
    }

    /// The position in WIT order.
    pub fn index(self) -> u32 {
        Self::ALL.iter().position(|&o| o == self).unwrap_or(0) as u32
    }
}

/// One value of a column's class (WIT `column.scalar`). A float is kept as its bits, so
/// comparisons are exact (NaN payloads and the sign of zero included).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scalar {
    /// `unsigned(u64)`.
    Unsigned(u64),
    /// `signed(s64)`.
    Signed(i64),
    /// `float(f64)`, as `f64::to_bits`.
    Float(u64),
}

impl Scalar {
    /// Parses the vector form `{"unsigned": N}`, `{"signed": N}` or
    /// `{"float": "0x<16 hex digits>"}`.
    pub(crate) fn parse(value: &serde_json::Value) -> Result<Scalar, String> {
        let bad = || format!("bad scalar {value}");
        let object = value.as_object().filter(|o| o.len() == 1).ok_or_else(bad)?;
        let (class, v) = object.iter().next().ok_or_else(bad)?;
        match class.as_str() {
            "unsigned" => v.as_u64().map(Scalar::Unsigned).ok_or_else(bad),
            "signed" => v.as_i64().map(Scalar::Signed).ok_or_else(bad),
            "float" => {
                let text = v.as_str().ok_or_else(bad)?;
                let digits = text.strip_prefix("0x").filter(|d| d.len() == 16);
                digits
                    .and_then(|d| u64::from_str_radix(d, 16).ok())
                    .map(Scalar::Float)
                    .ok_or_else(bad)
            }
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Scalar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Scalar::Unsigned(v) => write!(f, "unsigned({v})"),
            Scalar::Signed(v) => write!(f, "signed({v})"),
            Scalar::Float(bits) => write!(f, "float({} = {bits:#018x})", f64::from_bits(bits)),
        }
    }
}

/// One kernel invocation with its typed arguments (all but the data), as named in the WIT.
///
/// Deliberately exhaustive: adding a kernel here makes every runner fail to compile until it
/// handles the new call. Integer-list parameters (`varint-encode`'s `list<u64>`, `bitpack`'s
/// `list<u32>`) are the case's data, as little-endian bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Call {
    /// `crc32c(data, seed)`.
    Crc32c {
        /// CRC of the preceding stream, 0 to start fresh.
        seed: u32,
    },
    /// `crc32(data, seed)`.
    Crc32 {
        /// CRC of the preceding stream, 0 to start fresh.
        seed: u32,
    },
    /// `xxh3-64(data, seed)`.
    Xxh3 {
        /// The hash seed.
        seed: u64,
    },
    /// `find-byte(data, needle)`.
    FindByte {
        /// The byte to find.
        needle: u8,
    },
    /// `find-any(data, needles)`.
    FindAny {
        /// The bytes to find (valid: 1 to 16 of them).
        needles: Vec<u8>,
    },
    /// `count-byte(data, needle)`.
    CountByte {
        /// The byte to count.
        needle: u8,
    },
    /// `index-byte(data, needle)`.
    IndexByte {
        /// The byte to find.
        needle: u8,
    },
    /// `mismatch(data, b)`: `data` is `a`.
    Mismatch {
        /// The second list.
        b: Vec<u8>,
    },
    /// `utf8-validate(data)`.
    Utf8Validate,
    /// `ascii-prefix(data)`.
    AsciiPrefix,
    /// `hex-encode(data, uppercase)`.
    HexEncode {
        /// `A-F` instead of `a-f`.
        uppercase: bool,
    },
    /// `hex-decode(data)`.
    HexDecode,
    /// `base64-encode(data, alphabet, padding)`.
    Base64Encode {
        /// The alphabet.
        alphabet: Alphabet,
        /// `=`-pad the output.
        padding: bool,
    },
    /// `base64-decode(data, alphabet, padding)`.
    Base64Decode {
        /// The alphabet.
        alphabet: Alphabet,
        /// The input is `=`-padded.
        padding: bool,
    },
    /// `varint-encode(values)`: `values` are the data's little-endian u64s.
    VarintEncode,
    /// `varint-decode(data)`.
    VarintDecode,
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
    /// `delta-encode(data, width)`.
    DeltaEncode {
        /// Element width (valid: 1, 2, 4, 8).
        width: u8,
    },
    /// `delta-decode(data, width)`.
    DeltaDecode {
        /// Element width (valid: 1, 2, 4, 8).
        width: u8,
    },
    /// `byteswap(data, width)`.
    Byteswap {
        /// Element width (valid: 2, 4, 8).
        width: u8,
    },
    /// `bitpack(values, bits)`: `values` are the data's little-endian u32s.
    Bitpack {
        /// Bits per value (valid: 0..=32).
        bits: u8,
    },
    /// `bitunpack(data, bits, count)`.
    Bitunpack {
        /// Bits per value (valid: 0..=32).
        bits: u8,
        /// Number of values.
        count: u32,
    },
    /// `extract-field(data, record-size, offset, width)`.
    ExtractField {
        /// Record size in bytes.
        record_size: u32,
        /// Field offset in each record.
        offset: u32,
        /// Field width in bytes.
        width: u32,
    },
    /// `compare(column, ty, op, value)`.
    Compare {
        /// The column's element type.
        ty: ElemType,
        /// The operator.
        op: CmpOp,
        /// The value to compare with.
        value: Scalar,
    },
    /// `select(column, width, bitmap)`.
    Select {
        /// Element width (valid: 1, 2, 4, 8).
        width: u8,
        /// Bit `i` keeps element `i`.
        bitmap: Vec<u8>,
    },
    /// `aggregate(column, ty)`.
    Aggregate {
        /// The column's element type.
        ty: ElemType,
    },
    /// `run-chain(data, stages)`: each stage is the call of its kernel, one of
    /// [`Call::STAGE_KINDS`] (so a one-stage chain reads like that kernel's call).
    RunChain {
        /// The stages, in order (the vectors may hold more than the 64 a chain allows).
        stages: Vec<Call>,
    },
}

impl Call {
    /// Every kernel name the vectors may use (WIT function names).
    pub const KERNELS: [&'static str; 28] = [
        "crc32c",
        "crc32",
        "xxh3-64",
        "find-byte",
        "find-any",
        "count-byte",
        "index-byte",
        "mismatch",
        "utf8-validate",
        "ascii-prefix",
        "hex-encode",
        "hex-decode",
        "base64-encode",
        "base64-decode",
        "varint-encode",
        "varint-decode",
        "shuffle",
        "unshuffle",
        "delta-encode",
        "delta-decode",
        "byteswap",
        "bitpack",
        "bitunpack",
        "extract-field",
        "compare",
        "select",
        "aggregate",
        "run-chain",
    ];

    /// The kernels a chain stage may name, in the order of the WIT `chain.stage` cases (the
    /// fast-path stage record's `kind` is the index).
    pub const STAGE_KINDS: [&'static str; 14] = [
        "shuffle",
        "unshuffle",
        "delta-encode",
        "delta-decode",
        "byteswap",
        "extract-field",
        "hex-encode",
        "hex-decode",
        "base64-encode",
        "base64-decode",
        "varint-encode",
        "varint-decode",
        "bitpack",
        "bitunpack",
    ];

    /// For a call that can be a chain stage, its index in [`Call::STAGE_KINDS`].
    pub fn stage_kind(&self) -> Option<u32> {
        let kernel = self.kernel();
        Self::STAGE_KINDS
            .iter()
            .position(|&k| k == kernel)
            .map(|i| i as u32)
    }

    /// The WIT function name of this call's kernel.
    pub fn kernel(&self) -> &'static str {
        match self {
            Call::Crc32c { .. } => "crc32c",
            Call::Crc32 { .. } => "crc32",
            Call::Xxh3 { .. } => "xxh3-64",
            Call::FindByte { .. } => "find-byte",
            Call::FindAny { .. } => "find-any",
            Call::CountByte { .. } => "count-byte",
            Call::IndexByte { .. } => "index-byte",
            Call::Mismatch { .. } => "mismatch",
            Call::Utf8Validate => "utf8-validate",
            Call::AsciiPrefix => "ascii-prefix",
            Call::HexEncode { .. } => "hex-encode",
            Call::HexDecode => "hex-decode",
            Call::Base64Encode { .. } => "base64-encode",
            Call::Base64Decode { .. } => "base64-decode",
            Call::VarintEncode => "varint-encode",
            Call::VarintDecode => "varint-decode",
            Call::Shuffle { .. } => "shuffle",
            Call::Unshuffle { .. } => "unshuffle",
            Call::DeltaEncode { .. } => "delta-encode",
            Call::DeltaDecode { .. } => "delta-decode",
            Call::Byteswap { .. } => "byteswap",
            Call::Bitpack { .. } => "bitpack",
            Call::Bitunpack { .. } => "bitunpack",
            Call::ExtractField { .. } => "extract-field",
            Call::Compare { .. } => "compare",
            Call::Select { .. } => "select",
            Call::Aggregate { .. } => "aggregate",
            Call::RunChain { .. } => "run-chain",
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
            "crc32" => Call::Crc32 {
                seed: args.int("seed")?,
            },
            "xxh3-64" => Call::Xxh3 {
                seed: args.int("seed")?,
            },
            "find-byte" => Call::FindByte {
                needle: args.int("needle")?,
            },
            "find-any" => Call::FindAny {
                needles: args.hex("needles")?,
            },
            "count-byte" => Call::CountByte {
                needle: args.int("needle")?,
            },
            "index-byte" => Call::IndexByte {
                needle: args.int("needle")?,
            },
            "mismatch" => Call::Mismatch {
                b: args.input("b")?,
            },
            "utf8-validate" => Call::Utf8Validate,
            "ascii-prefix" => Call::AsciiPrefix,
            "hex-encode" => Call::HexEncode {
                uppercase: args.bool("uppercase")?,
            },
            "hex-decode" => Call::HexDecode,
            "base64-encode" => Call::Base64Encode {
                alphabet: args.alphabet()?,
                padding: args.bool("padding")?,
            },
            "base64-decode" => Call::Base64Decode {
                alphabet: args.alphabet()?,
                padding: args.bool("padding")?,
            },
            "varint-encode" => Call::VarintEncode,
            "varint-decode" => Call::VarintDecode,
            "shuffle" => Call::Shuffle {
                elem_size: args.int("elem_size")?,
            },
            "unshuffle" => Call::Unshuffle {
                elem_size: args.int("elem_size")?,
            },
            "delta-encode" => Call::DeltaEncode {
                width: args.int("width")?,
            },
            "delta-decode" => Call::DeltaDecode {
                width: args.int("width")?,
            },
            "byteswap" => Call::Byteswap {
                width: args.int("width")?,
            },
            "bitpack" => Call::Bitpack {
                bits: args.int("bits")?,
            },
            "bitunpack" => Call::Bitunpack {
                bits: args.int("bits")?,
                count: args.int("count")?,
            },
            "extract-field" => Call::ExtractField {
                record_size: args.int("record_size")?,
                offset: args.int("offset")?,
                width: args.int("width")?,
            },
            "compare" => Call::Compare {
                ty: args.elem_type()?,
                op: args.named("op", &CmpOp::ALL, |o| o.name())?,
                value: Scalar::parse(args.get("value")?)?,
            },
            "select" => Call::Select {
                width: args.int("width")?,
                bitmap: args.hex("bitmap")?,
            },
            "aggregate" => Call::Aggregate {
                ty: args.elem_type()?,
            },
            "run-chain" => Call::RunChain {
                stages: args.stages()?,
            },
            other => return Err(format!("unknown kernel {other:?}")),
        };
        args.finish()?;
        Ok(call)
    }

    /// Checks that `data` is a valid input of this call's WIT signature: the integer lists
    /// given as bytes must hold whole integers.
    pub(crate) fn check_data(&self, data: &[u8]) -> Result<(), String> {
        let unit = match self {
            Call::VarintEncode => 8,
            Call::Bitpack { .. } => 4,
            _ => 1,
        };
        if data.len().is_multiple_of(unit) {
            Ok(())
        } else {
            Err(format!(
                "{} takes a list of {unit}-byte integers; the input has {} bytes",
                self.kernel(),
                data.len()
            ))
        }
    }
}

impl fmt::Display for Call {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Call::Crc32c { seed } => write!(f, "crc32c(seed={seed:#x})"),
            Call::Crc32 { seed } => write!(f, "crc32(seed={seed:#x})"),
            Call::Xxh3 { seed } => write!(f, "xxh3-64(seed={seed:#x})"),
            Call::FindByte { needle } => write!(f, "find-byte(needle={needle:#04x})"),
            Call::FindAny { needles } => write!(f, "find-any(needles={})", hex::encode(needles)),
            Call::CountByte { needle } => write!(f, "count-byte(needle={needle:#04x})"),
            Call::IndexByte { needle } => write!(f, "index-byte(needle={needle:#04x})"),
            Call::Mismatch { b } => write!(f, "mismatch(b={} bytes)", b.len()),
            Call::Utf8Validate => write!(f, "utf8-validate()"),
            Call::AsciiPrefix => write!(f, "ascii-prefix()"),
            Call::HexEncode { uppercase } => write!(f, "hex-encode(uppercase={uppercase})"),
            Call::HexDecode => write!(f, "hex-decode()"),
            Call::Base64Encode { alphabet, padding } => write!(
                f,
                "base64-encode(alphabet={}, padding={padding})",
                alphabet.name()
            ),
            Call::Base64Decode { alphabet, padding } => write!(
                f,
                "base64-decode(alphabet={}, padding={padding})",
                alphabet.name()
            ),
            Call::VarintEncode => write!(f, "varint-encode()"),
            Call::VarintDecode => write!(f, "varint-decode()"),
            Call::Shuffle { elem_size } => write!(f, "shuffle(elem_size={elem_size})"),
            Call::Unshuffle { elem_size } => write!(f, "unshuffle(elem_size={elem_size})"),
            Call::DeltaEncode { width } => write!(f, "delta-encode(width={width})"),
            Call::DeltaDecode { width } => write!(f, "delta-decode(width={width})"),
            Call::Byteswap { width } => write!(f, "byteswap(width={width})"),
            Call::Bitpack { bits } => write!(f, "bitpack(bits={bits})"),
            Call::Bitunpack { bits, count } => write!(f, "bitunpack(bits={bits}, count={count})"),
            Call::ExtractField {
                record_size,
                offset,
                width,
            } => write!(
                f,
                "extract-field(record_size={record_size}, offset={offset}, width={width})"
            ),
            Call::Compare { ty, op, value } => write!(
                f,
                "compare(ty={}, op={}, value={value})",
                ty.name(),
                op.name()
            ),
            Call::Select { width, bitmap } => {
                write!(f, "select(width={width}, bitmap={} bytes)", bitmap.len())
            }
            Call::Aggregate { ty } => write!(f, "aggregate(ty={})", ty.name()),
            Call::RunChain { stages } => {
                write!(f, "run-chain(")?;
                for (i, stage) in stages.iter().take(6).enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    write!(f, "{sep}{stage}")?;
                }
                if stages.len() > 6 {
                    write!(f, ", … {} stages", stages.len())?;
                }
                write!(f, ")")
            }
        }
    }
}

/// A case's `args` while they are being turned into a [`Call`].
struct Args<'a> {
    map: &'a BTreeMap<String, serde_json::Value>,
    used: BTreeSet<&'a str>,
}

impl<'a> Args<'a> {
    /// The argument `name`, marked as used.
    fn get(&mut self, name: &'a str) -> Result<&'a serde_json::Value, String> {
        self.used.insert(name);
        self.map
            .get(name)
            .ok_or_else(|| format!("missing argument {name:?}"))
    }

    /// The integer argument `name`, which must fit `T`.
    fn int<T: TryFrom<u64>>(&mut self, name: &'a str) -> Result<T, String> {
        let value = self.get(name)?;
        let n = value
            .as_u64()
            .ok_or_else(|| format!("argument {name:?} is not a non-negative integer: {value}"))?;
        T::try_from(n).map_err(|_| format!("argument {name:?} = {n} out of range for its type"))
    }

    /// The boolean argument `name`.
    fn bool(&mut self, name: &'a str) -> Result<bool, String> {
        let value = self.get(name)?;
        value
            .as_bool()
            .ok_or_else(|| format!("argument {name:?} is not a boolean: {value}"))
    }

    /// The hex-string argument `name`, as bytes.
    fn hex(&mut self, name: &'a str) -> Result<Vec<u8>, String> {
        let value = self.get(name)?;
        let text = value
            .as_str()
            .ok_or_else(|| format!("argument {name:?} is not a hex string: {value}"))?;
        crate::decode_hex(text).map_err(|e| format!("argument {name:?}: {e}"))
    }

    /// The argument `name` given as an input object (`{"hex": …}` or `{"gen": …}`).
    fn input(&mut self, name: &'a str) -> Result<Vec<u8>, String> {
        let value = self.get(name)?;
        crate::parse::input(value).map_err(|e| format!("argument {name:?}: {e}"))
    }

    /// The argument `name`, one of `cases` by its WIT name.
    fn named<T: Copy>(
        &mut self,
        name: &'a str,
        cases: &[T],
        case_name: impl Fn(T) -> &'static str,
    ) -> Result<T, String> {
        let value = self.get(name)?;
        let text = value.as_str();
        cases
            .iter()
            .copied()
            .find(|&c| Some(case_name(c)) == text)
            .ok_or_else(|| format!("argument {name:?} is not a known case name: {value}"))
    }

    /// The `alphabet` argument.
    fn alphabet(&mut self) -> Result<Alphabet, String> {
        self.named("alphabet", &[Alphabet::Standard, Alphabet::UrlSafe], |a| {
            a.name()
        })
    }

    /// The `ty` argument.
    fn elem_type(&mut self) -> Result<ElemType, String> {
        self.named("ty", &ElemType::ALL, |t| t.name())
    }

    /// The `stages` argument of `run-chain`: a list of `{"kind": K, "params": {…}}`, each
    /// parsed as the call of kernel `K` (which must be a stage kind) with `params` as args.
    fn stages(&mut self) -> Result<Vec<Call>, String> {
        let value = self.get("stages")?;
        let list = value
            .as_array()
            .ok_or_else(|| format!("argument \"stages\" is not a list: {value}"))?;
        list.iter()
            .enumerate()
            .map(|(i, stage)| {
                let at = |e: String| format!("stage {i}: {e}");
                let object = stage
                    .as_object()
                    .filter(|o| o.len() == 2)
                    .ok_or_else(|| at(format!("not {{\"kind\", \"params\"}}: {stage}")))?;
                let kind = object.get("kind").and_then(|k| k.as_str());
                let params = object.get("params").and_then(|p| p.as_object());
                let (Some(kind), Some(params)) = (kind, params) else {
                    return Err(at(format!("bad kind or params: {stage}")));
                };
                if !Self::is_stage_kind(kind) {
                    return Err(at(format!("{kind:?} is not a stage kind")));
                }
                let params: BTreeMap<String, serde_json::Value> =
                    params.iter().map(|(k, v)| (k.clone(), v.clone())).collect();
                Call::parse(kind, &params).map_err(at)
            })
            .collect()
    }

    /// Whether `kind` names a chain stage.
    fn is_stage_kind(kind: &str) -> bool {
        Call::STAGE_KINDS.contains(&kind)
    }

    /// Fails if an argument was given that the kernel does not take.
    fn finish(self) -> Result<(), String> {
        match self.map.keys().find(|k| !self.used.contains(k.as_str())) {
            Some(extra) => Err(format!("unexpected argument {extra:?}")),
            None => Ok(()),
        }
    }
}
