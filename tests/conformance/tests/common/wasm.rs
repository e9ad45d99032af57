//! The wasm module under wasmtime, through both of its ABIs (see docs/abi.md):
//! [`Component`] calls the canonical-ABI exports through the component model, with bindings
//! generated from `wit/`; [`FastPath`] calls the core module's `bp_*` exports directly.
//!
//! Shared by `tests/wasmtime.rs` and `benches/wasm_vs_native.rs` (included with `#[path]`).
#![allow(dead_code)]

use binpipe_conformance::{
    Alphabet, Call, CmpOp, ElemType, ErrorKind, MAX_DESTINATION, Outcome, Scalar, Stats,
    u32s_from_le, u32s_to_le, u64s_from_le, u64s_to_le,
};
use std::path::Path;
use wasmtime::{Engine, Instance, Memory, Module, Store, TypedFunc, Val};

/// Bindings generated from the WIT contract itself, so the component is checked against it.
mod bindings {
    wasmtime::component::bindgen!({
        path: "../../wit",
        world: "kernels",
    });
}

use bindings::exports::binpipe::kernels::types::KernelError as WitError;
use bindings::exports::binpipe::kernels::{chain, codec, column};

/// The WIT error as an outcome.
fn outcome_of_wit_error(err: WitError) -> Outcome {
    match err {
        WitError::InvalidArgument(_) => Outcome::Error {
            kind: ErrorKind::InvalidArgument,
            offset: None,
        },
        WitError::InvalidData(e) => Outcome::Error {
            kind: ErrorKind::InvalidData,
            offset: Some(e.offset),
        },
        WitError::TooLarge(_) => Outcome::Error {
            kind: ErrorKind::TooLarge,
            offset: None,
        },
    }
}

/// A host-side failure (trap, type mismatch) as an outcome.
fn broken(err: wasmtime::Error) -> Outcome {
    Outcome::Broken(format!("{err:#}"))
}

/// An instance of a `binpipe*.component.wasm` with its generated bindings.
pub struct Component {
    store: Store<()>,
    kernels: bindings::Kernels,
}

impl Component {
    /// Compiles and instantiates the component at `path` (it imports nothing).
    pub fn load(engine: &Engine, path: &Path) -> wasmtime::Result<Component> {
        let component = wasmtime::component::Component::from_file(engine, path)?;
        let linker = wasmtime::component::Linker::new(engine);
        let mut store = Store::new(engine, ());
        let kernels = bindings::Kernels::instantiate(&mut store, &component, &linker)?;
        Ok(Component { store, kernels })
    }

    /// Calls the WIT function for `call` with `data` and returns what it produced.
    pub fn run(&mut self, call: &Call, data: &[u8]) -> Outcome {
        self.try_run(call, data).unwrap_or_else(broken)
    }

    fn try_run(&mut self, call: &Call, data: &[u8]) -> wasmtime::Result<Outcome> {
        let store = &mut self.store;
        let checksum = self.kernels.binpipe_kernels_checksum();
        let search = self.kernels.binpipe_kernels_search();
        let validate = self.kernels.binpipe_kernels_validate();
        let codec = self.kernels.binpipe_kernels_codec();
        let transform = self.kernels.binpipe_kernels_transform();
        let column = self.kernels.binpipe_kernels_column();
        let chain = self.kernels.binpipe_kernels_chain();
        let offset = |found: Option<u64>| Outcome::option(found);
        Ok(match call {
            Call::Crc32c { seed } => {
                Outcome::Value(checksum.call_crc32c(store, data, *seed)?.into())
            }
            Call::Crc32 { seed } => Outcome::Value(checksum.call_crc32(store, data, *seed)?.into()),
            Call::Xxh3 { seed } => Outcome::Value(checksum.call_xxh3_64(store, data, *seed)?),
            Call::FindByte { needle } => offset(search.call_find_byte(store, data, *needle)?),
            Call::FindAny { needles } => {
                result(search.call_find_any(store, data, needles)?, offset)
            }
            Call::CountByte { needle } => {
                Outcome::Value(search.call_count_byte(store, data, *needle)?)
            }
            Call::IndexByte { needle } => {
                result(search.call_index_byte(store, data, *needle)?, |v| {
                    Outcome::Bytes(u32s_to_le(&v))
                })
            }
            Call::Mismatch { b } => offset(search.call_mismatch(store, data, b)?),
            Call::Utf8Validate => match validate.call_utf8_validate(store, data)? {
                Ok(()) => Outcome::Ok,
                Err(e) => Outcome::Utf8Error {
                    valid_up_to: e.valid_up_to,
                    error_len: e.error_len,
                },
            },
            Call::AsciiPrefix => Outcome::Value(validate.call_ascii_prefix(store, data)?),
            Call::HexEncode { uppercase } => {
                Outcome::Bytes(codec.call_hex_encode(store, data, *uppercase)?)
            }
            Call::HexDecode => result(codec.call_hex_decode(store, data)?, Outcome::Bytes),
            Call::Base64Encode { alphabet, padding } => Outcome::Bytes(codec.call_base64_encode(
                store,
                data,
                wit_alphabet(*alphabet),
                *padding,
            )?),
            Call::Base64Decode { alphabet, padding } => result(
                codec.call_base64_decode(store, data, wit_alphabet(*alphabet), *padding)?,
                Outcome::Bytes,
            ),
            Call::VarintEncode => {
                Outcome::Bytes(codec.call_varint_encode(store, &u64s_from_le(data))?)
            }
            Call::VarintDecode => result(codec.call_varint_decode(store, data)?, |v| {
                Outcome::Bytes(u64s_to_le(&v))
            }),
            Call::Shuffle { elem_size } => result(
                transform.call_shuffle(store, data, *elem_size)?,
                Outcome::Bytes,
            ),
            Call::Unshuffle { elem_size } => result(
                transform.call_unshuffle(store, data, *elem_size)?,
                Outcome::Bytes,
            ),
            Call::DeltaEncode { width } => result(
                transform.call_delta_encode(store, data, *width)?,
                Outcome::Bytes,
            ),
            Call::DeltaDecode { width } => result(
                transform.call_delta_decode(store, data, *width)?,
                Outcome::Bytes,
            ),
            Call::Byteswap { width } => result(
                transform.call_byteswap(store, data, *width)?,
                Outcome::Bytes,
            ),
            Call::Bitpack { bits } => result(
                transform.call_bitpack(store, &u32s_from_le(data), *bits)?,
                Outcome::Bytes,
            ),
            Call::Bitunpack { bits, count } => {
                result(transform.call_bitunpack(store, data, *bits, *count)?, |v| {
                    Outcome::Bytes(u32s_to_le(&v))
                })
            }
            Call::ExtractField {
                record_size,
                offset,
                width,
            } => result(
                transform.call_extract_field(store, data, *record_size, *offset, *width)?,
                Outcome::Bytes,
            ),
            Call::Compare { ty, op, value } => result(
                column.call_compare(
                    store,
                    data,
                    wit_elem_type(*ty),
                    wit_cmp_op(*op),
                    wit_scalar(*value),
                )?,
                Outcome::Bytes,
            ),
            Call::Select { width, bitmap } => result(
                column.call_select(store, data, *width, bitmap)?,
                Outcome::Bytes,
            ),
            Call::Aggregate { ty } => result(
                column.call_aggregate(store, data, wit_elem_type(*ty))?,
                |s| {
                    Outcome::Stats(Stats {
                        count: s.count,
                        min: s.min.map(from_wit_scalar),
                        max: s.max.map(from_wit_scalar),
                        sum: from_wit_scalar(s.sum),
                    })
                },
            ),
            Call::RunChain { stages } => {
                let Some(stages) = stages.iter().map(wit_stage).collect::<Option<Vec<_>>>() else {
                    return Ok(Outcome::Broken("a stage that is no stage kind".into()));
                };
                match chain.call_run_chain(store, data, &stages)? {
                    Ok(out) => Outcome::Bytes(out),
                    Err(e) => outcome_of_wit_error(e.error).in_stage(e.stage.into()),
                }
            }
        })
    }

    /// `crc32c` of empty input: the fixed cost of one canonical-ABI call.
    pub fn crc32c_empty(&mut self) -> u32 {
        self.kernels
            .binpipe_kernels_checksum()
            .call_crc32c(&mut self.store, &[], 0)
            .expect("crc32c call")
    }

    /// `shuffle` of empty input: one canonical-ABI call returning a `result<list<u8>, _>`.
    pub fn shuffle_empty(&mut self) -> usize {
        self.kernels
            .binpipe_kernels_transform()
            .call_shuffle(&mut self.store, &[], 4)
            .expect("shuffle call")
            .expect("shuffle result")
            .len()
    }
}

/// A `result<T, kernel-error>` as an outcome, `ok` mapped by `f`.
fn result<T>(r: Result<T, WitError>, f: impl FnOnce(T) -> Outcome) -> Outcome {
    r.map_or_else(outcome_of_wit_error, f)
}

/// A vector's chain stage as the WIT variant; `None` for a call that is no stage.
fn wit_stage(call: &Call) -> Option<chain::Stage> {
    use chain::Stage as S;
    Some(match *call {
        Call::Shuffle { elem_size } => S::Shuffle(elem_size),
        Call::Unshuffle { elem_size } => S::Unshuffle(elem_size),
        Call::DeltaEncode { width } => S::DeltaEncode(width),
        Call::DeltaDecode { width } => S::DeltaDecode(width),
        Call::Byteswap { width } => S::Byteswap(width),
        Call::ExtractField {
            record_size,
            offset,
            width,
        } => S::ExtractField(chain::FieldSpec {
            record_size,
            offset,
            width,
        }),
        Call::HexEncode { uppercase } => S::HexEncode(uppercase),
        Call::HexDecode => S::HexDecode,
        Call::Base64Encode { alphabet, padding } => S::Base64Encode(chain::Base64Options {
            alphabet: wit_alphabet(alphabet),
            padding,
        }),
        Call::Base64Decode { alphabet, padding } => S::Base64Decode(chain::Base64Options {
            alphabet: wit_alphabet(alphabet),
            padding,
        }),
        Call::VarintEncode => S::VarintEncode,
        Call::VarintDecode => S::VarintDecode,
        Call::Bitpack { bits } => S::Bitpack(bits),
        Call::Bitunpack { bits, count } => S::Bitunpack(chain::BitunpackSpec { bits, count }),
        _ => return None,
    })
}

/// A chain stage's fast-path record `[kind, p0, p1, p2]` (docs/abi.md section 3); `None` for
/// a call that is no stage.
pub fn stage_record(call: &Call) -> Option<[u32; 4]> {
    let kind = call.stage_kind()?;
    let params = match *call {
        Call::Shuffle { elem_size } | Call::Unshuffle { elem_size } => [elem_size, 0, 0],
        Call::DeltaEncode { width } | Call::DeltaDecode { width } | Call::Byteswap { width } => {
            [width.into(), 0, 0]
        }
        Call::ExtractField {
            record_size,
            offset,
            width,
        } => [record_size, offset, width],
        Call::HexEncode { uppercase } => [uppercase.into(), 0, 0],
        Call::Base64Encode { alphabet, padding } | Call::Base64Decode { alphabet, padding } => {
            [alphabet_number(alphabet), padding.into(), 0]
        }
        Call::Bitpack { bits } => [bits.into(), 0, 0],
        Call::Bitunpack { bits, count } => [bits.into(), count, 0],
        _ => [0, 0, 0],
    };
    Some([kind, params[0], params[1], params[2]])
}

/// Bytes that always suffice for a stage's output on `n` input bytes, as docs/abi.md section 3
/// tells a host to size the buffers (written from the table there, not from the crate).
fn stage_bound(call: &Call, n: u64) -> u64 {
    match *call {
        Call::ExtractField {
            record_size, width, ..
        } if record_size > 0 => n / u64::from(record_size) * u64::from(width),
        Call::ExtractField { .. } => 0,
        Call::HexEncode { .. } => 2 * n,
        Call::HexDecode => n / 2,
        Call::Base64Encode { padding: true, .. } => 4 * n.div_ceil(3),
        Call::Base64Encode { padding: false, .. } => (4 * n).div_ceil(3),
        Call::Base64Decode { .. } => 3 * n.div_ceil(4),
        Call::VarintEncode => 10 * (n / 8),
        Call::VarintDecode => 8 * n,
        Call::Bitpack { bits } => (n / 4 * u64::from(bits)).div_ceil(8),
        Call::Bitunpack { count, .. } => 4 * u64::from(count),
        _ => n,
    }
}

/// The buffer size a host gives both buffers of a chain on `n` input bytes: the largest of
/// the input and every stage's bound in turn.
pub fn chain_bound(stages: &[Call], n: u64) -> u64 {
    let (mut len, mut most) = (n, n);
    for stage in stages {
        len = stage_bound(stage, len);
        most = most.max(len);
    }
    most
}

fn wit_alphabet(a: Alphabet) -> codec::Alphabet {
    match a {
        Alphabet::Standard => codec::Alphabet::Standard,
        Alphabet::UrlSafe => codec::Alphabet::UrlSafe,
    }
}

fn wit_elem_type(ty: ElemType) -> column::ElemType {
    use column::ElemType as W;
    match ty {
        ElemType::U8 => W::U8,
        ElemType::U16 => W::U16,
        ElemType::U32 => W::U32,
        ElemType::U64 => W::U64,
        ElemType::I8 => W::I8,
        ElemType::I16 => W::I16,
        ElemType::I32 => W::I32,
        ElemType::I64 => W::I64,
        ElemType::F32 => W::F32,
        ElemType::F64 => W::F64,
    }
}

fn wit_cmp_op(op: CmpOp) -> column::CmpOp {
    use column::CmpOp as W;
    match op {
        CmpOp::Eq => W::Eq,
        CmpOp::Ne => W::Ne,
        CmpOp::Lt => W::Lt,
        CmpOp::Le => W::Le,
        CmpOp::Gt => W::Gt,
        CmpOp::Ge => W::Ge,
    }
}

fn wit_scalar(value: Scalar) -> column::Scalar {
    match value {
        Scalar::Unsigned(v) => column::Scalar::Unsigned(v),
        Scalar::Signed(v) => column::Scalar::Signed(v),
        Scalar::Float(bits) => column::Scalar::Float(f64::from_bits(bits)),
    }
}

fn from_wit_scalar(value: column::Scalar) -> Scalar {
    match value {
        column::Scalar::Unsigned(v) => Scalar::Unsigned(v),
        column::Scalar::Signed(v) => Scalar::Signed(v),
        column::Scalar::Float(v) => Scalar::Float(v.to_bits()),
    }
}

/// Fast-path status for a `bp_*` export that writes into a buffer.
type Transform = TypedFunc<(u32, u32, u32, u32), i32>;
/// Fast-path `bp_*` export with an integer result.
type ScalarFn = TypedFunc<(u32, u32, u32), i64>;

/// Every fast-path kernel export (docs/abi.md), which [`FastPath::load`] requires.
pub const KERNEL_EXPORTS: [&str; 27] = [
    "bp_crc32c",
    "bp_crc32",
    "bp_xxh3_64",
    "bp_find_byte",
    "bp_find_any",
    "bp_count_byte",
    "bp_index_byte",
    "bp_mismatch",
    "bp_utf8_validate",
    "bp_ascii_prefix",
    "bp_hex_encode",
    "bp_hex_decode",
    "bp_base64_encode",
    "bp_base64_decode",
    "bp_varint_encode",
    "bp_varint_decode",
    "bp_shuffle",
    "bp_unshuffle",
    "bp_delta_encode",
    "bp_delta_decode",
    "bp_byteswap",
    "bp_bitpack",
    "bp_bitunpack",
    "bp_extract_field",
    "bp_compare",
    "bp_select",
    "bp_aggregate",
];

/// The fast-path chain exports (docs/abi.md section 3), which [`FastPath::load`] requires.
pub const CHAIN_EXPORTS: [&str; 2] = ["bp_run_chain", "bp_chain_failed_stage"];

/// A fast-path argument: `I(x)` an `i32` (pointers, lengths, small parameters), `L(x)` an
/// `i64`.
#[derive(Debug, Clone, Copy)]
pub enum Arg {
    /// An `i32` argument, given as its unsigned bits.
    I(u32),
    /// An `i64` argument, given as its unsigned bits.
    L(u64),
}

/// An instance of a core `binpipe*.wasm` and handles to its fast-path exports.
pub struct FastPath {
    /// The store owning the instance.
    pub store: Store<()>,
    instance: Instance,
    memory: Memory,
    alloc: TypedFunc<u32, u32>,
    free: TypedFunc<(u32, u32), ()>,
    last_error: TypedFunc<(), u32>,
    /// `bp_crc32c(ptr, len, seed) -> i64`.
    pub crc32c: ScalarFn,
    /// `bp_count_byte(ptr, len, needle) -> i64`.
    pub count_byte: ScalarFn,
    /// `bp_shuffle(src, len, dst, elem_size) -> i32`.
    pub shuffle: Transform,
    /// `bp_unshuffle(src, len, dst, elem_size) -> i32`.
    pub unshuffle: Transform,
}

impl FastPath {
    /// Compiles and instantiates the core module at `path`; checks it imports nothing, speaks
    /// fast-path ABI version 2 and WIT 0.1.0, and exports every kernel.
    pub fn load(engine: &Engine, path: &Path) -> wasmtime::Result<FastPath> {
        let module = Module::from_file(engine, path)?;
        let imports: Vec<_> = module.imports().map(|i| i.name().to_string()).collect();
        wasmtime::ensure!(imports.is_empty(), "module imports {imports:?}");
        let mut store = Store::new(engine, ());
        let instance = Instance::new(&mut store, &module, &[])?;
        let abi = instance
            .get_typed_func::<(), u32>(&mut store, "bp_abi_version")?
            .call(&mut store, ())?;
        wasmtime::ensure!(abi == 2, "fast-path ABI version {abi}, want 2");
        let wit = instance
            .get_typed_func::<(), u32>(&mut store, "bp_wit_version")?
            .call(&mut store, ())?;
        wasmtime::ensure!(
            wit == 0x00_01_00,
            "WIT version {wit:#x}, want 0x100 (0.1.0)"
        );
        for name in KERNEL_EXPORTS.into_iter().chain(CHAIN_EXPORTS) {
            wasmtime::ensure!(
                instance.get_func(&mut store, name).is_some(),
                "no export {name}"
            );
        }
        let memory = instance
            .get_memory(&mut store, "memory")
            .ok_or_else(|| wasmtime::format_err!("no exported memory"))?;
        Ok(FastPath {
            memory,
            alloc: instance.get_typed_func(&mut store, "bp_alloc")?,
            free: instance.get_typed_func(&mut store, "bp_free")?,
            last_error: instance.get_typed_func(&mut store, "bp_last_error")?,
            crc32c: instance.get_typed_func(&mut store, "bp_crc32c")?,
            count_byte: instance.get_typed_func(&mut store, "bp_count_byte")?,
            shuffle: instance.get_typed_func(&mut store, "bp_shuffle")?,
            unshuffle: instance.get_typed_func(&mut store, "bp_unshuffle")?,
            instance,
            store,
        })
    }

    /// Calls the export `name` with `args`; its one result (an `i32` sign-extended, or an
    /// `i64`). Fails on a trap or a signature that does not match the arguments.
    pub fn call(&mut self, name: &str, args: &[Arg]) -> wasmtime::Result<i64> {
        let func = self
            .instance
            .get_func(&mut self.store, name)
            .ok_or_else(|| wasmtime::format_err!("no export {name}"))?;
        let params: Vec<Val> = args
            .iter()
            .map(|a| match *a {
                Arg::I(v) => Val::I32(v as i32),
                Arg::L(v) => Val::I64(v as i64),
            })
            .collect();
        let mut results = [Val::I32(0)];
        func.call(&mut self.store, &params, &mut results)?;
        match results[0] {
            Val::I32(v) => Ok(v.into()),
            Val::I64(v) => Ok(v),
            ref other => wasmtime::bail!("{name} returned {other:?}"),
        }
    }

    /// A guest buffer of `len` bytes holding `data` (zero-filled past it); 0 when `len` is 0.
    pub fn alloc_with(&mut self, len: usize, data: &[u8]) -> wasmtime::Result<u32> {
        let len32 = u32::try_from(len)?;
        let ptr = self.alloc.call(&mut self.store, len32)?;
        wasmtime::ensure!(ptr != 0 || len == 0, "bp_alloc({len}) returned 0");
        wasmtime::ensure!(ptr % 16 == 0, "bp_alloc({len}) returned unaligned {ptr:#x}");
        if len > 0 {
            let mem = self.memory.data_mut(&mut self.store);
            let buf = &mut mem[ptr as usize..ptr as usize + len];
            buf[..data.len()].copy_from_slice(data);
            buf[data.len()..].fill(0);
        }
        Ok(ptr)
    }

    /// Writes `data` to guest memory at `ptr` (inside a buffer from [`FastPath::alloc_with`]).
    pub fn write(&mut self, ptr: u32, data: &[u8]) {
        let at = ptr as usize;
        self.memory.data_mut(&mut self.store)[at..at + data.len()].copy_from_slice(data);
    }

    /// Frees a buffer from [`FastPath::alloc_with`].
    pub fn free(&mut self, ptr: u32, len: usize) -> wasmtime::Result<()> {
        self.free.call(&mut self.store, (ptr, u32::try_from(len)?))
    }

    /// `len` bytes of guest memory at `ptr`.
    pub fn read(&self, ptr: u32, len: usize) -> Vec<u8> {
        if len == 0 {
            return Vec::new();
        }
        self.memory.data(&self.store)[ptr as usize..ptr as usize + len].to_vec()
    }

    /// The current size of linear memory in bytes.
    pub fn memory_size(&self) -> u64 {
        self.memory.data_size(&self.store) as u64
    }

    /// Decodes the error record at `bp_last_error()` (docs/abi.md).
    pub fn last_error(&mut self) -> wasmtime::Result<Outcome> {
        let at = self.last_error.call(&mut self.store, ())? as usize;
        let rec = self.read(u32::try_from(at)?, 24);
        let u32_at = |i: usize| u32::from_le_bytes(rec[i..i + 4].try_into().unwrap());
        let kind = u32_at(0);
        let offset = u64::from_le_bytes(rec[8..16].try_into().unwrap());
        let (msg_ptr, msg_len) = (u32_at(4) as usize, u32_at(16) as usize);
        let mem = self.memory.data(&self.store);
        let message = mem
            .get(msg_ptr..msg_ptr + msg_len)
            .map(|m| std::str::from_utf8(m).is_ok());
        wasmtime::ensure!(
            message == Some(true),
            "error record message ({msg_ptr:#x}, {msg_len}) is not UTF-8 in memory"
        );
        Ok(match kind {
            1 => Outcome::Error {
                kind: ErrorKind::InvalidArgument,
                offset: None,
            },
            2 => Outcome::Error {
                kind: ErrorKind::InvalidData,
                offset: Some(offset),
            },
            3 => Outcome::Error {
                kind: ErrorKind::TooLarge,
                offset: None,
            },
            other => Outcome::Broken(format!("error record kind {other}")),
        })
    }

    /// Runs `call` the way the Go host does: allocate, write the input, call, read the
    /// output (or the error record), free. Also checks the input buffers are left unchanged.
    pub fn run(&mut self, call: &Call, data: &[u8]) -> Outcome {
        let mut buffers = Vec::new();
        let outcome = self
            .try_run(call, data, &mut buffers)
            .unwrap_or_else(broken);
        for (ptr, len) in buffers {
            if let Err(e) = self.free(ptr, len) {
                return broken(e);
            }
        }
        outcome
    }

    /// A guest buffer holding `data`, remembered in `buffers` for freeing.
    fn input(&mut self, data: &[u8], buffers: &mut Vec<(u32, usize)>) -> wasmtime::Result<Arg> {
        let ptr = self.alloc_with(data.len(), data)?;
        buffers.push((ptr, data.len()));
        Ok(Arg::I(ptr))
    }

    /// The result of a call returning a value or -1.
    fn value(&mut self, result: i64) -> wasmtime::Result<Outcome> {
        match result {
            -1 => self.last_error(),
            v if v >= 0 => Ok(Outcome::Value(v as u64)),
            v => Ok(Outcome::Broken(format!("returned {v}"))),
        }
    }

    /// The result of a call returning an offset, -2 for none, or -1.
    fn option(&mut self, result: i64) -> wasmtime::Result<Outcome> {
        match result {
            -2 => Ok(Outcome::None),
            other => self.value(other),
        }
    }

    /// The result of a call returning 0 or -1.
    fn status(&mut self, result: i64) -> wasmtime::Result<Option<Outcome>> {
        match result {
            0 => Ok(None),
            -1 => self.last_error().map(Some),
            v => Ok(Some(Outcome::Broken(format!("returned {v}, want 0 or -1")))),
        }
    }

    /// Calls `name` with `(src, len, dst, cap, rest…)` on a fresh `cap`-byte `dst`, and reads
    /// the bytes it reports written (`written` is true) or, for the status-returning
    /// shuffles, `cap` bytes.
    fn produce(
        &mut self,
        name: &str,
        src: Arg,
        len: u32,
        cap: usize,
        rest: &[Arg],
    ) -> wasmtime::Result<Outcome> {
        if cap > MAX_DESTINATION {
            return Ok(Outcome::NotApplicable(format!(
                "needs a {cap}-byte destination (limit {MAX_DESTINATION})"
            )));
        }
        let dst = self.alloc_with(cap, &[])?;
        let mut args = vec![src, Arg::I(len), Arg::I(dst), Arg::I(u32::try_from(cap)?)];
        args.extend_from_slice(rest);
        let result = self.call(name, &args);
        let outcome = match result {
            Ok(-1) => self.last_error(),
            Ok(n) if (0..=cap as i64).contains(&n) => {
                Ok(Outcome::Bytes(self.read(dst, n as usize)))
            }
            Ok(n) => Ok(Outcome::Broken(format!(
                "{name} wrote {n} bytes into {cap}"
            ))),
            Err(e) => Err(e),
        };
        self.free(dst, cap)?;
        outcome
    }

    fn try_run(
        &mut self,
        call: &Call,
        data: &[u8],
        buffers: &mut Vec<(u32, usize)>,
    ) -> wasmtime::Result<Outcome> {
        if let Call::RunChain { stages } = call {
            // Buffer `a` is written by the odd stages: no input to check afterwards.
            return self.run_chain(stages, data, buffers);
        }
        let len = u32::try_from(data.len())?;
        let n = data.len();
        let src = self.input(data, buffers)?;
        let outcome = match call {
            Call::Crc32c { seed } => {
                let r = self.call("bp_crc32c", &[src, Arg::I(len), Arg::I(*seed)])?;
                self.value(r)?
            }
            Call::Crc32 { seed } => {
                let r = self.call("bp_crc32", &[src, Arg::I(len), Arg::I(*seed)])?;
                self.value(r)?
            }
            Call::Xxh3 { seed } => {
                // Written at an odd address: the ABI allows any alignment.
                let out = self.alloc_with(16, &[])?;
                buffers.push((out, 16));
                let r = self.call(
                    "bp_xxh3_64",
                    &[src, Arg::I(len), Arg::L(*seed), Arg::I(out + 3)],
                )?;
                match self.status(r)? {
                    Some(outcome) => outcome,
                    None => {
                        let hash = self.read(out + 3, 8);
                        Outcome::Value(u64::from_le_bytes(hash.try_into().unwrap()))
                    }
                }
            }
            Call::FindByte { needle } => {
                let r = self.call(
                    "bp_find_byte",
                    &[src, Arg::I(len), Arg::I((*needle).into())],
                )?;
                self.option(r)?
            }
            Call::FindAny { needles } => {
                let p = self.input(needles, buffers)?;
                let r = self.call(
                    "bp_find_any",
                    &[src, Arg::I(len), p, Arg::I(u32::try_from(needles.len())?)],
                )?;
                self.option(r)?
            }
            Call::CountByte { needle } => {
                let r = self.call(
                    "bp_count_byte",
                    &[src, Arg::I(len), Arg::I((*needle).into())],
                )?;
                self.value(r)?
            }
            Call::IndexByte { needle } => self.produce(
                "bp_index_byte",
                src,
                len,
                4 * n,
                &[Arg::I((*needle).into())],
            )?,
            Call::Mismatch { b } => {
                let p = self.input(b, buffers)?;
                let r = self.call(
                    "bp_mismatch",
                    &[src, Arg::I(len), p, Arg::I(u32::try_from(b.len())?)],
                )?;
                self.option(r)?
            }
            Call::Utf8Validate => {
                let r = self.call("bp_utf8_validate", &[src, Arg::I(len)])?;
                if r == -1 {
                    self.last_error()?
                } else {
                    let (kind, valid_up_to) = (r >> 32, (r & 0xFFFF_FFFF) as u64);
                    match kind {
                        0 if valid_up_to == n as u64 => Outcome::Ok,
                        1..=3 => Outcome::Utf8Error {
                            valid_up_to,
                            error_len: Some(kind as u8),
                        },
                        4 => Outcome::Utf8Error {
                            valid_up_to,
                            error_len: None,
                        },
                        _ => Outcome::Broken(format!("bp_utf8_validate returned {r:#x}")),
                    }
                }
            }
            Call::AsciiPrefix => {
                let r = self.call("bp_ascii_prefix", &[src, Arg::I(len)])?;
                self.value(r)?
            }
            Call::HexEncode { uppercase } => self.produce(
                "bp_hex_encode",
                src,
                len,
                2 * n,
                &[Arg::I((*uppercase).into())],
            )?,
            Call::HexDecode => self.produce("bp_hex_decode", src, len, n / 2, &[])?,
            Call::Base64Encode { alphabet, padding } => self.produce(
                "bp_base64_encode",
                src,
                len,
                4 * n.div_ceil(3),
                &[
                    Arg::I(alphabet_number(*alphabet)),
                    Arg::I((*padding).into()),
                ],
            )?,
            Call::Base64Decode { alphabet, padding } => self.produce(
                "bp_base64_decode",
                src,
                len,
                3 * n.div_ceil(4),
                &[
                    Arg::I(alphabet_number(*alphabet)),
                    Arg::I((*padding).into()),
                ],
            )?,
            Call::VarintEncode => self.produce("bp_varint_encode", src, len, 10 * (n / 8), &[])?,
            Call::VarintDecode => self.produce("bp_varint_decode", src, len, 8 * n, &[])?,
            Call::Shuffle { elem_size } | Call::Unshuffle { elem_size } => {
                let name = if matches!(call, Call::Shuffle { .. }) {
                    "bp_shuffle"
                } else {
                    "bp_unshuffle"
                };
                let dst = self.alloc_with(n, &[])?;
                buffers.push((dst, n));
                let r = self.call(name, &[src, Arg::I(len), Arg::I(dst), Arg::I(*elem_size)])?;
                match self.status(r)? {
                    Some(outcome) => outcome,
                    None => Outcome::Bytes(self.read(dst, n)),
                }
            }
            Call::DeltaEncode { width } => {
                self.produce("bp_delta_encode", src, len, n, &[Arg::I((*width).into())])?
            }
            Call::DeltaDecode { width } => {
                self.produce("bp_delta_decode", src, len, n, &[Arg::I((*width).into())])?
            }
            Call::Byteswap { width } => {
                self.produce("bp_byteswap", src, len, n, &[Arg::I((*width).into())])?
            }
            Call::Bitpack { bits } => {
                let cap = ((n / 4) * usize::from(*bits)).div_ceil(8);
                self.produce("bp_bitpack", src, len, cap, &[Arg::I((*bits).into())])?
            }
            Call::Bitunpack { bits, count } => self.produce(
                "bp_bitunpack",
                src,
                len,
                4 * *count as usize,
                &[Arg::I((*bits).into()), Arg::I(*count)],
            )?,
            Call::ExtractField {
                record_size,
                offset,
                width,
            } => self.produce(
                "bp_extract_field",
                src,
                len,
                n,
                &[Arg::I(*record_size), Arg::I(*offset), Arg::I(*width)],
            )?,
            Call::Compare { ty, op, value } => {
                let (class, bits) = match *value {
                    Scalar::Unsigned(v) => (0, v),
                    Scalar::Signed(v) => (1, v as u64),
                    Scalar::Float(bits) => (2, bits),
                };
                let cap = (n / elem_width(*ty)).div_ceil(8);
                self.produce(
                    "bp_compare",
                    src,
                    len,
                    cap,
                    &[
                        Arg::I(ty.index()),
                        Arg::I(op.index()),
                        Arg::I(class),
                        Arg::L(bits),
                    ],
                )?
            }
            Call::Select { width, bitmap } => {
                let p = self.input(bitmap, buffers)?;
                let bitmap_len = Arg::I(u32::try_from(bitmap.len())?);
                self.produce(
                    "bp_select",
                    src,
                    len,
                    n,
                    &[Arg::I((*width).into()), p, bitmap_len],
                )?
            }
            Call::RunChain { .. } => Outcome::Broken("run-chain goes through run_chain".into()),
            Call::Aggregate { ty } => {
                let out = self.alloc_with(40, &[])?;
                buffers.push((out, 40));
                let r = self.call(
                    "bp_aggregate",
                    &[src, Arg::I(len), Arg::I(ty.index()), Arg::I(out)],
                )?;
                match self.status(r)? {
                    Some(outcome) => outcome,
                    None => stats_record(&self.read(out, 40)),
                }
            }
        };
        for (i, (ptr, len)) in buffers.iter().enumerate() {
            let original: &[u8] = match (i, call) {
                (0, _) => data,
                (1, Call::FindAny { needles }) => needles,
                (1, Call::Mismatch { b }) => b,
                (1, Call::Select { bitmap, .. }) => bitmap,
                _ => continue,
            };
            if self.read(*ptr, *len) != original {
                return Ok(Outcome::Broken(
                    "the kernel modified an input buffer".into(),
                ));
            }
        }
        Ok(outcome)
    }

    /// The index `bp_chain_failed_stage` reports.
    pub fn failed_stage(&mut self) -> wasmtime::Result<i64> {
        self.call("bp_chain_failed_stage", &[])
    }

    /// Runs a chain the way the Go host's chain worker does: `a` holds the input, and both
    /// buffers the [`chain_bound`] of the chain on it.
    fn run_chain(
        &mut self,
        stages: &[Call],
        data: &[u8],
        buffers: &mut Vec<(u32, usize)>,
    ) -> wasmtime::Result<Outcome> {
        let Some(records) = stages.iter().map(stage_record).collect::<Option<Vec<_>>>() else {
            return Ok(Outcome::Broken("a stage that is no stage kind".into()));
        };
        let cap = chain_bound(stages, data.len() as u64);
        if cap > MAX_DESTINATION as u64 {
            return Ok(Outcome::NotApplicable(format!(
                "needs {cap}-byte buffers (limit {MAX_DESTINATION})"
            )));
        }
        let cap = cap as usize;
        let a = self.alloc_with(cap, data)?;
        buffers.push((a, cap));
        let b = self.alloc_with(cap, &[])?;
        buffers.push((b, cap));
        let bytes: Vec<u8> = records
            .iter()
            .flatten()
            .flat_map(|w| w.to_le_bytes())
            .collect();
        let st = self.alloc_with(bytes.len(), &bytes)?;
        buffers.push((st, bytes.len()));
        let (cap32, len) = (u32::try_from(cap)?, u32::try_from(data.len())?);
        let n = u32::try_from(stages.len())?;
        let args = [a, cap32, len, b, cap32, st, n].map(Arg::I);
        match self.call("bp_run_chain", &args)? {
            -1 => {
                let stage = self.failed_stage()?;
                let Ok(stage) = u64::try_from(stage) else {
                    return Ok(Outcome::Broken(format!("failed stage {stage}")));
                };
                Ok(self.last_error()?.in_stage(stage))
            }
            r if r >= 0 && (r & 0xFFFF_FFFF) as usize <= cap && r >> 32 <= 1 => {
                let out_len = (r & 0xFFFF_FFFF) as usize;
                Ok(Outcome::Bytes(
                    self.read(if r >> 32 == 0 { a } else { b }, out_len),
                ))
            }
            r => Ok(Outcome::Broken(format!("bp_run_chain returned {r:#x}"))),
        }
    }
}

/// The fast-path ABI's number for `alphabet`.
fn alphabet_number(alphabet: Alphabet) -> u32 {
    match alphabet {
        Alphabet::Standard => 0,
        Alphabet::UrlSafe => 1,
    }
}

/// Width in bytes of an element of `ty`.
fn elem_width(ty: ElemType) -> usize {
    match ty {
        ElemType::U8 | ElemType::I8 => 1,
        ElemType::U16 | ElemType::I16 => 2,
        ElemType::U32 | ElemType::I32 | ElemType::F32 => 4,
        ElemType::U64 | ElemType::I64 | ElemType::F64 => 8,
    }
}

/// Decodes the 40-byte stats record `bp_aggregate` writes (docs/abi.md).
fn stats_record(record: &[u8]) -> Outcome {
    let u64_at = |i: usize| u64::from_le_bytes(record[i..i + 8].try_into().unwrap());
    let u32_at = |i: usize| u32::from_le_bytes(record[i..i + 4].try_into().unwrap());
    let (flags, class) = (u32_at(8), u32_at(12));
    let scalar = |bits: u64| match class {
        0 => Some(Scalar::Unsigned(bits)),
        1 => Some(Scalar::Signed(bits as i64)),
        2 => Some(Scalar::Float(bits)),
        _ => None,
    };
    let (Some(sum), true) = (scalar(u64_at(32)), flags <= 3) else {
        return Outcome::Broken(format!("stats record with flags {flags:#x}, class {class}"));
    };
    let present = |bit: u32, at: usize| {
        if flags & bit != 0 {
            scalar(u64_at(at))
        } else {
            None
        }
    };
    Outcome::Stats(Stats {
        count: u64_at(0),
        min: present(1, 16),
        max: present(2, 24),
        sum,
    })
}
