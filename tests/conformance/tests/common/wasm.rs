//! The wasm module under wasmtime, through both of its ABIs (see docs/abi.md):
//! [`Component`] calls the canonical-ABI exports through the component model, with bindings
//! generated from `wit/`; [`FastPath`] calls the core module's `bp_*` exports directly.
//!
//! Shared by `tests/wasmtime.rs` and `benches/wasm_vs_native.rs` (included with `#[path]`).
#![allow(dead_code)]

use binpipe_conformance::{Call, ErrorKind, Outcome};
use std::path::Path;
use wasmtime::{Engine, Instance, Memory, Module, Store, TypedFunc};

/// Bindings generated from the WIT contract itself, so the component is checked against it.
mod bindings {
    wasmtime::component::bindgen!({
        path: "../../wit",
        world: "kernels",
    });
}

use bindings::exports::binpipe::kernels::types::KernelError as WitError;

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
        let store = &mut self.store;
        let k = &self.kernels;
        let bytes = |r: wasmtime::Result<Result<Vec<u8>, WitError>>| match r {
            Ok(Ok(out)) => Outcome::Bytes(out),
            Ok(Err(e)) => outcome_of_wit_error(e),
            Err(e) => broken(e),
        };
        match *call {
            Call::Crc32c { seed } => k
                .binpipe_kernels_checksum()
                .call_crc32c(store, data, seed)
                .map_or_else(broken, |v| Outcome::Value(v.into())),
            Call::CountByte { needle } => k
                .binpipe_kernels_search()
                .call_count_byte(store, data, needle)
                .map_or_else(broken, Outcome::Value),
            Call::Shuffle { elem_size } => bytes(
                k.binpipe_kernels_transform()
                    .call_shuffle(store, data, elem_size),
            ),
            Call::Unshuffle { elem_size } => bytes(
                k.binpipe_kernels_transform()
                    .call_unshuffle(store, data, elem_size),
            ),
        }
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

/// Fast-path status for a `bp_*` export that writes into a buffer.
type Transform = TypedFunc<(u32, u32, u32, u32), i32>;
/// Fast-path `bp_*` export with an integer result.
type Scalar = TypedFunc<(u32, u32, u32), i64>;

/// An instance of a core `binpipe*.wasm` and handles to its fast-path exports.
pub struct FastPath {
    /// The store owning the instance.
    pub store: Store<()>,
    memory: Memory,
    alloc: TypedFunc<u32, u32>,
    free: TypedFunc<(u32, u32), ()>,
    last_error: TypedFunc<(), u32>,
    /// `bp_crc32c(ptr, len, seed) -> i64`.
    pub crc32c: Scalar,
    /// `bp_count_byte(ptr, len, needle) -> i64`.
    pub count_byte: Scalar,
    /// `bp_shuffle(src, len, dst, elem_size) -> i32`.
    pub shuffle: Transform,
    /// `bp_unshuffle(src, len, dst, elem_size) -> i32`.
    pub unshuffle: Transform,
}

impl FastPath {
    /// Compiles and instantiates the core module at `path`; checks it imports nothing and
    /// speaks fast-path ABI version 1 and WIT 0.1.0.
    pub fn load(engine: &Engine, path: &Path) -> wasmtime::Result<FastPath> {
        let module = Module::from_file(engine, path)?;
        let imports: Vec<_> = module.imports().map(|i| i.name().to_string()).collect();
        wasmtime::ensure!(imports.is_empty(), "module imports {imports:?}");
        let mut store = Store::new(engine, ());
        let instance = Instance::new(&mut store, &module, &[])?;
        let abi = instance
            .get_typed_func::<(), u32>(&mut store, "bp_abi_version")?
            .call(&mut store, ())?;
        wasmtime::ensure!(abi == 1, "fast-path ABI version {abi}, want 1");
        let wit = instance
            .get_typed_func::<(), u32>(&mut store, "bp_wit_version")?
            .call(&mut store, ())?;
        wasmtime::ensure!(
            wit == 0x00_01_00,
            "WIT version {wit:#x}, want 0x100 (0.1.0)"
        );
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
            store,
        })
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
    /// output (or the error record), free. Also checks the input buffer is left unchanged.
    pub fn run(&mut self, call: &Call, data: &[u8]) -> Outcome {
        self.try_run(call, data).unwrap_or_else(broken)
    }

    fn try_run(&mut self, call: &Call, data: &[u8]) -> wasmtime::Result<Outcome> {
        let len = u32::try_from(data.len())?;
        let src = self.alloc_with(data.len(), data)?;
        let scalar = |fp: &mut FastPath, f: Scalar, arg: u32| -> wasmtime::Result<Outcome> {
            match f.call(&mut fp.store, (src, len, arg))? {
                -1 => fp.last_error(),
                v if v >= 0 => Ok(Outcome::Value(v as u64)),
                v => Ok(Outcome::Broken(format!("returned {v}"))),
            }
        };
        let transform = |fp: &mut FastPath, f: Transform, es: u32| -> wasmtime::Result<Outcome> {
            let dst = fp.alloc_with(data.len(), &[])?;
            let outcome = match f.call(&mut fp.store, (src, len, dst, es))? {
                0 => Outcome::Bytes(fp.read(dst, data.len())),
                -1 => fp.last_error()?,
                v => Outcome::Broken(format!("returned {v}")),
            };
            fp.free(dst, data.len())?;
            Ok(outcome)
        };
        let outcome = match *call {
            Call::Crc32c { seed } => scalar(self, self.crc32c.clone(), seed)?,
            Call::CountByte { needle } => scalar(self, self.count_byte.clone(), needle.into())?,
            Call::Shuffle { elem_size } => transform(self, self.shuffle.clone(), elem_size)?,
            Call::Unshuffle { elem_size } => transform(self, self.unshuffle.clone(), elem_size)?,
        };
        let unchanged = self.read(src, data.len()) == data;
        self.free(src, data.len())?;
        if !unchanged {
            return Ok(Outcome::Broken(
                "the kernel modified its input buffer".into(),
            ));
        }
        Ok(outcome)
    }
}
