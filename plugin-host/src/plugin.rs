//! Loading a plugin and calling it in a sandbox that is thrown away after any failure.

use std::sync::Arc;

use wasmtime::component::{Component, Linker};
use wasmtime::{Store, Trap};

use crate::engine::{deadline_ticks, engine};
use crate::error::{Error, ErrorKind};
use crate::limits::{Limits, StoreState};
use crate::module::component_bytes;

/// The host side of the `binpipe:plugin` world, generated from `wit/plugin/plugin.wit`.
mod bindings {
    wasmtime::component::bindgen!({
        path: "../wit/plugin",
        world: "plugin",
    });
}

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
    pre: bindings::PluginPre<StoreState>,
    limits: Limits,
    description: Description,
}

impl Plugin {
    /// Checks and compiles the plugin core module `wasm`, then describes it in a first
    /// instance (under `limits`, like every call).
    ///
    /// # Errors
    /// [`ErrorKind::Load`] when the module breaks a load rule (invalid wasm 2.0, an import,
    /// a missing export, initial memory above `limits.memory_pages`, exports that do not fit
    /// the world); when `describe` fails, the kind of that failure (e.g. a timeout, or
    /// [`ErrorKind::Protocol`] for a name that is not UTF-8).
    pub fn load(wasm: &[u8], limits: Limits) -> Result<Plugin, Error> {
        let engine = engine()?;
        let component = Component::new(engine, component_bytes(wasm, &limits)?)
            .map_err(|e| Error::new(ErrorKind::Load, format!("compiling: {e:#}")))?;
        let instance_pre = Linker::new(engine)
            .instantiate_pre(&component)
            .and_then(bindings::PluginPre::new)
            .map_err(|e| Error::new(ErrorKind::Load, format!("linking: {e:#}")))?;

        let mut live = Live::new(&instance_pre, &limits)?;
        live.arm(&limits);
        let described = live.bindings.call_describe(&mut live.store);
        let described = described.map_err(|e| classify(e, &live.store, &limits))?;
        let shared = Shared {
            pre: instance_pre,
            limits,
            description: Description {
                name: described.name,
                version: described.version,
                record_size: described.record_size,
                max_batch: described.max_batch,
            },
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
    /// Runs the plugin's `transform` on `batch` and returns its result.
    ///
    /// # Errors
    /// [`ErrorKind::Plugin`] with the plugin's message and offset when it refuses the batch;
    /// [`ErrorKind::Timeout`], [`ErrorKind::Memory`], [`ErrorKind::Trap`] or
    /// [`ErrorKind::Protocol`] when it misbehaves (the instance is then replaced).
    pub fn transform(&mut self, batch: &[u8]) -> Result<Vec<u8>, Error> {
        let result = self.call_transform(batch);
        let shared = &self.plugin.shared;
        let name = &shared.description.name;
        match result {
            Ok(Ok(output)) if output.len() <= shared.limits.max_output => Ok(output),
            Ok(Ok(output)) => {
                self.live = None;
                Err(Error::new(
                    ErrorKind::Memory,
                    format!(
                        "returned {} bytes, above the output limit of {} bytes",
                        output.len(),
                        shared.limits.max_output
                    ),
                )
                .in_plugin(name))
            }
            Ok(Err(refusal)) => Err(Error {
                kind: ErrorKind::Plugin,
                plugin: name.clone(),
                offset: refusal.offset,
                message: refusal.message,
            }),
            Err(error) => {
                self.live = None;
                Err(error.in_plugin(name))
            }
        }
    }

    /// Makes the wasm instance if there is none, arms the limits and calls `transform`.
    fn call_transform(
        &mut self,
        batch: &[u8],
    ) -> Result<Result<Vec<u8>, bindings::PluginError>, Error> {
        let shared = &self.plugin.shared;
        let live = match &mut self.live {
            Some(live) => live,
            none => none.insert(Live::new(&shared.pre, &shared.limits)?),
        };
        live.arm(&shared.limits);
        let result = live.bindings.call_transform(&mut live.store, batch);
        result.map_err(|e| classify(e, &live.store, &shared.limits))
    }
}

/// A wasm instance of a plugin and the store that owns its memory.
struct Live {
    store: Store<StoreState>,
    bindings: bindings::Plugin,
}

impl Live {
    /// Instantiates the plugin in a fresh store, under `limits` (the module's start
    /// function, if any, runs here, so the deadline and fuel hold for it too).
    fn new(pre: &bindings::PluginPre<StoreState>, limits: &Limits) -> Result<Live, Error> {
        let mut store = Store::new(pre.engine(), StoreState::new(limits));
        store.limiter(|state| state);
        arm_store(&mut store, limits);
        match pre.instantiate(&mut store) {
            Ok(bindings) => Ok(Live { store, bindings }),
            Err(e) => Err(classify(e, &store, limits)),
        }
    }

    /// Resets fuel, deadline and the memory note before a call.
    fn arm(&mut self, limits: &Limits) {
        arm_store(&mut self.store, limits);
    }
}

/// Gives `store` a full tank of fuel and a fresh deadline, and clears its memory note.
fn arm_store(store: &mut Store<StoreState>, limits: &Limits) {
    let fuel = if limits.fuel == 0 {
        u64::MAX
    } else {
        limits.fuel
    };
    store.set_fuel(fuel).expect("the shared engine meters fuel");
    store.set_epoch_deadline(deadline_ticks(limits.deadline));
    store.data_mut().memory_denied = false;
}

/// The kind of a failed wasmtime call: a denied memory growth makes whatever followed a
/// memory error; an exhausted deadline or fuel is a timeout; other traps are traps; errors
/// that are not traps come from lifting the plugin's results (the canonical ABI's checks).
/// The message is the trap alone (its wasm backtrace left out) or the lifting error's chain.
fn classify(error: wasmtime::Error, store: &Store<StoreState>, limits: &Limits) -> Error {
    let trap = error.downcast_ref::<Trap>();
    let mut message = match trap {
        Some(trap) => trap.to_string(),
        None => format!("{error:#}"),
    };
    let kind = match trap {
        _ if store.data().memory_denied => {
            message = format!(
                "memory growth beyond the limit of {} pages was denied, then: {message}",
                limits.memory_pages
            );
            ErrorKind::Memory
        }
        Some(Trap::Interrupt) => {
            message = format!("the deadline of {:?} passed", limits.deadline);
            ErrorKind::Timeout
        }
        Some(Trap::OutOfFuel) => {
            message = format!("ran out of fuel ({} units)", limits.fuel);
            ErrorKind::Timeout
        }
        Some(_) => ErrorKind::Trap,
        None => ErrorKind::Protocol,
    };
    Error::new(kind, message)
}
