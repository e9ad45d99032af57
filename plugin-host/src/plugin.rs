//! Loading a plugin and calling it in a sandbox that is thrown away after any failure.

use std::sync::Arc;
use std::time::Instant;

use wasmtime::{InstancePre, Linker, Memory, Module, Store, Trap, TypedFunc};

use crate::abi::{self, DESCRIBE_AREA, MAX_DESCRIBE_STRING, TRANSFORM_AREA, protocol};
use crate::check::{check, load_error};
use crate::checkpoints::instrument;
use crate::engine::{deadline_ticks, engine};
use crate::error::{Error, ErrorKind};
use crate::limits::Limits;
use crate::store::StoreState;
use crate::wasi;

/// What a plugin says about itself (its `describe` export).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Description {
    /// Short name, used in errors.
    pub name: String,
    /// The plugin's own version.
    pub version: String,
    /// 0: any batch length; otherwise callers pass whole records of this many bytes.
    pub record_size: u32,
    /// 0: no limit; otherwise callers pass at most this many bytes per batch.
    pub max_batch: u32,
}

/// A loaded plugin: checked, compiled and described; cheap to clone and shareable between
/// threads. Calls go through an [`Instance`], each with its own memory.
#[derive(Clone)]
pub struct Plugin {
    shared: Arc<Shared>,
}

/// What every instance of one plugin shares.
struct Shared {
    pre: InstancePre<StoreState>,
    limits: Limits,
    description: Description,
}

impl Plugin {
    /// Checks, instruments and compiles the plugin core module `wasm`, then describes it in
    /// a first instance (under `limits`, like every call).
    ///
    /// # Errors
    /// [`ErrorKind::Load`] when the module breaks a load rule (above a structural limit of
    /// [`Limits::module`], invalid wasm 2.0, an import, an export name starting with
    /// `binpipe.`, a missing or mistyped export, initial memory or tables above the limits);
    /// when instantiation or `describe` fails, the kind of that failure (e.g. a timeout, or
    /// [`ErrorKind::Protocol`] for a name that is not UTF-8, empty, or longer than 256 bytes,
    /// or a max-batch below the record size).
    pub fn load(wasm: &[u8], limits: Limits) -> Result<Plugin, Error> {
        let engine = engine()?;
        check(wasm, &limits)?;
        let module = Module::new(engine, instrument(wasm)?)
            .map_err(|e| load_error(format!("compiling: {e:#}")))?;
        let mut linker = Linker::new(engine);
        if limits.wasi {
            wasi::add_to_linker(&mut linker)
                .map_err(|e| load_error(format!("making the minimal WASI: {e:#}")))?;
        }
        let pre = linker
            .instantiate_pre(&module)
            .map_err(|e| load_error(format!("linking: {e:#}")))?;

        let mut live = Live::new(&pre, &limits)?;
        live.arm(&limits);
        let description = live
            .describe(&limits)
            .map_err(|e| live.with_log(e, &limits))?;
        if description.name.is_empty() {
            return Err(protocol("describe returned an empty name"));
        }
        if description.record_size != 0
            && description.max_batch != 0
            && description.max_batch < description.record_size
        {
            return Err(protocol(format!(
                "describe: max-batch {} is below record-size {}",
                description.max_batch, description.record_size
            ))
            .in_plugin(&description.name));
        }
        let shared = Shared {
            pre,
            limits,
            description,
        };
        Ok(Plugin {
            shared: Arc::new(shared),
        })
    }

    /// What the plugin said about itself when it was loaded.
    pub fn description(&self) -> &Description {
        &self.shared.description
    }

    /// The limits every call of this plugin runs under.
    pub fn limits(&self) -> &Limits {
        &self.shared.limits
    }

    /// A new sandbox to call the plugin in. Its wasm instance is made on the first call.
    pub fn instance(&self) -> Instance {
        Instance {
            plugin: self.clone(),
            live: None,
        }
    }
}

/// One sandbox of a plugin: calls are serial (`&mut self`); use one per thread.
///
/// After any failure except the plugin's own error ([`ErrorKind::Plugin`]), the wasm
/// instance and its store (memory, globals) are dropped at once, and the next call runs in a
/// fresh one: state a failed call left behind is never seen again.
pub struct Instance {
    plugin: Plugin,
    live: Option<Live>,
}

impl Instance {
    /// Runs the plugin's `transform` on `batch` and returns its result. A batch longer than
    /// the description's `max_batch` is split into the longest pieces of whole
    /// `record_size` records that fit, run one after the other (their results
    /// concatenated), as in the Go host. One deadline, one fuel budget and one output limit
    /// hold for the whole call, all its pieces together. Making a fresh wasm instance when
    /// there is none (its start function) has a deadline and fuel of its own, before the
    /// call's begin.
    ///
    /// # Errors
    /// [`ErrorKind::Plugin`] with the plugin's message (cut to
    /// [`Limits::max_error_message_bytes`]) and offset (within `batch`) when it refuses a
    /// piece; [`ErrorKind::Timeout`], [`ErrorKind::Memory`], [`ErrorKind::Trap`] or
    /// [`ErrorKind::Protocol`] when it misbehaves (the instance is then replaced);
    /// [`ErrorKind::PartialRecord`], before anything runs, when `batch` is not a whole number
    /// of `record_size` records.
    pub fn transform(&mut self, batch: &[u8]) -> Result<Vec<u8>, Error> {
        let shared = &self.plugin.shared;
        let limits = &shared.limits;
        let record = shared.description.record_size as usize;
        if record != 0 && !batch.len().is_multiple_of(record) {
            let message = format!("{} bytes, records of {record}", batch.len());
            return Err(
                Error::new(ErrorKind::PartialRecord, message).in_plugin(&shared.description.name)
            );
        }
        let live = match &mut self.live {
            Some(live) => {
                live.arm(limits);
                Ok(live)
            }
            // A fresh instance's start-up had a deadline and fuel of its own; the call's begin
            // once it has its instance.
            none => Live::new(&shared.pre, limits).map(|live| {
                let live = none.insert(live);
                live.arm(limits);
                live
            }),
        };
        let piece = piece_len(&shared.description, batch.len());
        let result = live.and_then(|live| {
            let mut output = Vec::new();
            for (index, chunk) in batch.chunks(piece.max(1)).enumerate() {
                let room = limits.max_output - output.len();
                let part = live.transform(chunk, limits, room).map_err(|mut error| {
                    if let Some(offset) = &mut error.offset {
                        *offset += (index * piece) as u64;
                    }
                    error
                })?;
                output.extend_from_slice(&part);
            }
            if batch.is_empty() {
                output = live.transform(batch, limits, limits.max_output)?;
            }
            Ok(output)
        });
        result.map_err(|mut error| {
            if let Some(live) = &self.live {
                error = live.with_log(error, limits);
            }
            if error.kind != ErrorKind::Plugin {
                self.live = None;
            }
            error.in_plugin(&shared.description.name)
        })
    }
}

/// The length of the pieces a batch of `len` bytes is split into for a plugin described by
/// `description`: all of it, or the longest run of whole records within `max_batch`.
fn piece_len(description: &Description, len: usize) -> usize {
    let max = description.max_batch as usize;
    if max == 0 || len <= max {
        return len;
    }
    match description.record_size as usize {
        0 => max,
        record => max - max % record,
    }
}

/// A wasm instance of a plugin, the store that owns its memory, and its exports.
struct Live {
    store: Store<StoreState>,
    memory: Memory,
    describe: TypedFunc<(), i32>,
    transform: TypedFunc<(i32, i32), i32>,
    realloc: TypedFunc<(i32, i32, i32, i32), i32>,
    post_describe: Option<TypedFunc<i32, ()>>,
    post_transform: Option<TypedFunc<i32, ()>>,
}

impl Live {
    /// Instantiates the plugin in a fresh store, under `limits` (the module's start
    /// function, if any, runs here, so the deadline and fuel hold for it too; so does an
    /// exported `_initialize` under [`Limits::wasi`], called once per instance).
    fn new(pre: &InstancePre<StoreState>, limits: &Limits) -> Result<Live, Error> {
        let mut store = Store::new(pre.module().engine(), StoreState::new(limits));
        store.limiter(|state| state);
        arm_store(&mut store, limits);
        let instance = pre
            .instantiate(&mut store)
            .map_err(|e| classify(e, &store, limits))?;
        if limits.wasi
            && let Ok(initialize) = instance.get_typed_func::<(), ()>(&mut store, "_initialize")
        {
            initialize
                .call(&mut store, ())
                .map_err(|e| classify(e, &store, limits))?;
        }
        // The load checks proved these exports exist with these types.
        let missing = |what: &str| load_error(format!("the instance lacks {what}"));
        let memory = instance
            .get_memory(&mut store, "memory")
            .ok_or_else(|| missing("memory"))?;
        let describe = instance
            .get_typed_func(&mut store, "describe")
            .map_err(|_| missing("describe"))?;
        let transform = instance
            .get_typed_func(&mut store, "transform")
            .map_err(|_| missing("transform"))?;
        let realloc = instance
            .get_typed_func(&mut store, "cabi_realloc")
            .map_err(|_| missing("cabi_realloc"))?;
        let post_describe = instance
            .get_typed_func(&mut store, "cabi_post_describe")
            .ok();
        let post_transform = instance
            .get_typed_func(&mut store, "cabi_post_transform")
            .ok();
        Ok(Live {
            store,
            memory,
            describe,
            transform,
            realloc,
            post_describe,
            post_transform,
        })
    }

    /// Resets fuel, deadline and the memory note before a call.
    fn arm(&mut self, limits: &Limits) {
        arm_store(&mut self.store, limits);
    }

    /// `error` with the log of the current host operation, under [`Limits::wasi`].
    fn with_log(&self, mut error: Error, limits: &Limits) -> Error {
        if limits.wasi && error.log.is_empty() {
            error.log = self.store.data().wasi.log_text();
        }
        error
    }

    /// Calls `describe` and lifts its description, then calls `cabi_post_describe`.
    fn describe(&mut self, limits: &Limits) -> Result<Description, Error> {
        let area = self.call(&self.describe.clone(), (), limits)? as u32;
        let memory = self.memory.data(&self.store);
        let bytes = abi::area(memory, "describe", area, DESCRIBE_AREA)?;
        let description = Description {
            name: abi::string(memory, bytes, 0, "describe name", MAX_DESCRIBE_STRING)?,
            version: abi::string(memory, bytes, 8, "describe version", MAX_DESCRIBE_STRING)?,
            record_size: abi::u32_at(bytes, 16),
            max_batch: abi::u32_at(bytes, 20),
        };
        if let Some(post) = self.post_describe.clone() {
            self.call(&post, area as i32, limits)?;
        }
        Ok(description)
    }

    /// Copies `batch` in, calls `transform`, lifts its result and calls
    /// `cabi_post_transform`. The plugin's own error comes back as an [`ErrorKind::Plugin`]
    /// error.
    /// `room` is the output the call may still return.
    fn transform(&mut self, batch: &[u8], limits: &Limits, room: usize) -> Result<Vec<u8>, Error> {
        let len = u32::try_from(batch.len()).map_err(|_| {
            Error::new(
                ErrorKind::Memory,
                format!(
                    "a batch of {} bytes cannot enter a 32-bit memory",
                    batch.len()
                ),
            )
        })?;
        let block = self.call(&self.realloc.clone(), (0, 0, 1, len as i32), limits)? as u32;
        let memory = self.memory.data_mut(&mut self.store);
        if len != 0 {
            abi::view(memory, "cabi_realloc block", block, len)?;
            memory[block as usize..block as usize + batch.len()].copy_from_slice(batch);
        }
        let area = self.call(&self.transform.clone(), (block as i32, len as i32), limits)? as u32;
        let memory = self.memory.data(&self.store);
        let bytes = abi::area(memory, "transform", area, TRANSFORM_AREA)?;
        let result = match bytes[0] {
            0 => {
                let (ptr, size) = (abi::u32_at(bytes, 8), abi::u32_at(bytes, 12));
                let output = abi::view(memory, "transform result", ptr, size)?;
                if output.len() > room {
                    return Err(Error::new(
                        ErrorKind::Memory,
                        format!(
                            "transform returned {} bytes, more than the {room} left of the output limit of {}",
                            output.len(),
                            limits.max_output
                        ),
                    ));
                }
                Ok(output.to_vec())
            }
            1 => {
                match abi::plugin_error(memory, bytes, batch.len(), limits.max_error_message_bytes)
                {
                    refusal if refusal.kind == ErrorKind::Plugin => Err(refusal),
                    malformed => return Err(malformed),
                }
            }
            tag => {
                return Err(protocol(format!(
                    "transform result discriminant {tag} (want 0 or 1)"
                )));
            }
        };
        if let Some(post) = self.post_transform.clone() {
            self.call(&post, area as i32, limits)?;
        }
        result
    }

    /// Calls `func` with `args` in this instance's store; a failure gets its kind.
    fn call<P, R>(&mut self, func: &TypedFunc<P, R>, args: P, limits: &Limits) -> Result<R, Error>
    where
        P: wasmtime::WasmParams,
        R: wasmtime::WasmResults,
    {
        func.call(&mut self.store, args)
            .map_err(|e| classify(e, &self.store, limits))
    }
}

/// Gives `store` a full tank of fuel and a fresh deadline, and clears its memory note.
fn arm_store(store: &mut Store<StoreState>, limits: &Limits) {
    store.set_epoch_deadline(deadline_ticks(limits.deadline));
    let fuel = if limits.fuel == 0 {
        u64::MAX
    } else {
        limits.fuel
    };
    store.set_fuel(fuel).expect("the shared engine meters fuel");
    let state = store.data_mut();
    state.memory_denied = false;
    state.deadline = Instant::now() + limits.deadline;
    state.wasi.reset_log();
}

/// The kind of a failed wasmtime call or instantiation: a denied memory growth makes
/// whatever followed a memory error; an exhausted deadline or fuel is a timeout; anything
/// else (a trap, or a segment that does not fit its memory or table) is a trap. The message
/// is the trap alone (its wasm backtrace left out) or the error's chain.
fn classify(error: wasmtime::Error, store: &Store<StoreState>, limits: &Limits) -> Error {
    let log = if limits.wasi {
        store.data().wasi.log_text()
    } else {
        String::new()
    };
    Error {
        log,
        ..classify_kind(error, store, limits)
    }
}

/// [`classify`] without the log: `proc_exit` first, then as the doc of [`classify`] says.
fn classify_kind(error: wasmtime::Error, store: &Store<StoreState>, limits: &Limits) -> Error {
    if let Some(&wasi::Exit(code)) = error.downcast_ref::<wasi::Exit>() {
        return Error {
            exit_code: Some(code),
            ..Error::new(
                ErrorKind::Exit,
                format!("the plugin called proc_exit({code})"),
            )
        };
    }
    let trap = error.downcast_ref::<Trap>();
    let message = match trap {
        Some(trap) => trap.to_string(),
        None => format!("{error:#}"),
    };
    if store.data().memory_denied {
        return Error::new(
            ErrorKind::Memory,
            format!(
                "memory growth beyond the limit of {} pages was denied, then: {message}",
                limits.memory_pages
            ),
        );
    }
    match trap {
        Some(Trap::Interrupt) => Error::new(
            ErrorKind::Timeout,
            format!("the deadline of {:?} passed", limits.deadline),
        ),
        Some(Trap::OutOfFuel) => Error::new(
            ErrorKind::Timeout,
            format!("ran out of fuel ({} units)", limits.fuel),
        ),
        _ => Error::new(ErrorKind::Trap, message),
    }
}
