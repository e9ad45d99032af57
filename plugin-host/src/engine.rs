//! The one wasmtime engine every plugin shares, and the thread that drives its epoch.

use std::sync::OnceLock;
use std::thread;
use std::time::Duration;

use wasmtime::{Config, Engine, OptLevel};

use crate::error::{Error, ErrorKind};

/// How often the epoch advances; the precision of [`Limits::deadline`](crate::Limits::deadline).
pub(crate) const EPOCH_TICK: Duration = Duration::from_millis(10);

/// The shared engine: fuel metering and epoch interruption on, so every store can bound both
/// the work and the wall-clock time of a call; Cranelift without its optimiser, so that
/// compile time and memory stay close to linear in the module's size. Built on first use, together with a daemon
/// thread that advances the epoch every [`EPOCH_TICK`] for the life of the process.
pub(crate) fn engine() -> Result<&'static Engine, Error> {
    static ENGINE: OnceLock<Result<Engine, String>> = OnceLock::new();
    ENGINE
        .get_or_init(|| {
            let mut config = Config::new();
            config
                .consume_fuel(true)
                .epoch_interruption(true)
                // Cranelift's optimiser is what grows fastest with a function's size: a
                // 1 MiB body took 6.7 s and 560 MB to compile with it, 0.44 s and 130 MB
                // without (release build, loaded machine), and plugins arrive optimised.
                .cranelift_opt_level(OptLevel::None)
                // Wasm offsets of compiled code, for backtraces the host never shows.
                .generate_address_map(false);
            let engine = Engine::new(&config).map_err(|e| format!("wasmtime engine: {e:#}"))?;
            let ticking = engine.clone();
            thread::Builder::new()
                .name("binpipe-plugin-epoch".into())
                .spawn(move || {
                    loop {
                        thread::sleep(EPOCH_TICK);
                        ticking.increment_epoch();
                    }
                })
                .map_err(|e| format!("starting the epoch thread: {e}"))?;
            Ok(engine)
        })
        .as_ref()
        .map_err(|msg| Error::new(ErrorKind::Load, msg.clone()))
}

/// Epoch ticks to allow for `deadline`: rounded up, plus one because the next tick may come
/// at once.
pub(crate) fn deadline_ticks(deadline: Duration) -> u64 {
    let tick = EPOCH_TICK.as_nanos();
    (deadline.as_nanos().div_ceil(tick) + 1)
        .try_into()
        .unwrap_or(u64::MAX)
}
