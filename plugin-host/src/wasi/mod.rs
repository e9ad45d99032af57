//! The minimal virtual WASI ([`Limits::wasi`](crate::Limits::wasi)), function for function
//! the Go host's (go-host/plugin/wasi.go, wasi_fd.go, wasi_poll.go), so a plugin behaves the
//! same on both: exactly the `wasi_snapshot_preview1` functions Go's runtime imports and the
//! five file functions of its `syscall`, `os` and `time` packages.
//!
//! - `args_*`, `environ_*`: no arguments, no environment;
//! - `clock_time_get`: realtime (0) and monotonic (1) read one virtual clock of the instance,
//!   from 0, advancing 1 µs per read and by every sleep; deterministic; other clocks `EINVAL`;
//! - `random_get`: splitmix64 from a fixed seed per instance (deterministic, not secret), one
//!   unit of fuel per byte;
//! - `fd_write`: fds 1 and 2 into the call's log (the first [`MAX_LOG_BYTES`] kept), others
//!   `EBADF`, at most [`MAX_IOVECS`] iovecs;
//! - `poll_oneoff`: clock subscriptions move the virtual clock to the earliest expiry and
//!   return at once; fd subscriptions report `EBADF`; at most [`MAX_SUBSCRIPTIONS`];
//! - `sched_yield`: returns; `proc_exit`: ends the call as [`ErrorKind::Exit`](crate::ErrorKind::Exit);
//! - `fd_close`, `fd_fdstat_get`, `fd_fdstat_set_flags`: fds 0-2 exist (character devices),
//!   others `EBADF`; `fd_prestat_get`, `fd_prestat_dir_name`: `EBADF`, nothing is preopened.
//!
//! A pointer or length outside linear memory is `EFAULT`, with nothing written. Every function
//! checks the call's deadline first (a timeout), and charges fuel for the bytes and entries it
//! handles.

use std::fmt;
use std::time::Instant;

use wasmparser::ValType;
use wasmtime::{Caller, Extern, Linker, Trap};

use crate::store::StoreState;

mod poll;

/// The module name of every granted import.
pub(crate) const MODULE: &str = "wasi_snapshot_preview1";
/// The most of a call's `fd_write` output kept for its error.
pub const MAX_LOG_BYTES: usize = 4096;
/// The most iovecs one `fd_write` may pass.
pub const MAX_IOVECS: u32 = 1024;
/// The most subscriptions one `poll_oneoff` may pass.
pub const MAX_SUBSCRIPTIONS: u32 = 1024;
/// How far the virtual clock advances on each read, in nanoseconds.
const CLOCK_TICK: u64 = 1000;
/// The seed of every instance's random stream ("binpipe").
const SEED: u64 = 0x0062_696e_7069_7065;

const ESUCCESS: i32 = 0;
const EBADF: i32 = 8;
const EFAULT: i32 = 21;
const EINVAL: i32 = 28;

use ValType::{I32, I64};

/// Every granted function: name, parameters, results (checked at load).
pub(crate) const FUNCTIONS: [(&str, &[ValType], &[ValType]); 15] = [
    ("args_get", &[I32, I32], &[I32]),
    ("args_sizes_get", &[I32, I32], &[I32]),
    ("environ_get", &[I32, I32], &[I32]),
    ("environ_sizes_get", &[I32, I32], &[I32]),
    ("clock_time_get", &[I32, I64, I32], &[I32]),
    ("fd_close", &[I32], &[I32]),
    ("fd_fdstat_get", &[I32, I32], &[I32]),
    ("fd_fdstat_set_flags", &[I32, I32], &[I32]),
    ("fd_prestat_dir_name", &[I32, I32, I32], &[I32]),
    ("fd_prestat_get", &[I32, I32], &[I32]),
    ("fd_write", &[I32, I32, I32, I32], &[I32]),
    ("poll_oneoff", &[I32, I32, I32, I32], &[I32]),
    ("proc_exit", &[I32], &[]),
    ("random_get", &[I32, I32], &[I32]),
    ("sched_yield", &[], &[I32]),
];

/// The granted function `name`'s parameters and results, if it is one.
pub(crate) fn signature(name: &str) -> Option<(&'static [ValType], &'static [ValType])> {
    FUNCTIONS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|&(_, params, results)| (params, results))
}

/// One instance's WASI state: its virtual clock, its random stream, the current call's log.
pub(crate) struct WasiState {
    clock: u64,
    random: u64,
    log: Vec<u8>,
    dropped: u64,
}

impl WasiState {
    /// The state of a new instance.
    pub(crate) fn new() -> Self {
        WasiState {
            clock: 0,
            random: SEED,
            log: Vec::new(),
            dropped: 0,
        }
    }

    /// Empties the log for a new host operation.
    pub(crate) fn reset_log(&mut self) {
        self.log.clear();
        self.dropped = 0;
    }

    /// The log as kept (invalid UTF-8 replaced), with `…` if bytes were dropped.
    pub(crate) fn log_text(&self) -> String {
        let mut text = String::from_utf8_lossy(&self.log).into_owned();
        if self.dropped > 0 {
            text.push('…');
        }
        text
    }

    /// Moves the clock `d` nanoseconds on, saturating at 2^63-1.
    fn advance(&mut self, d: u64) {
        self.clock = self.clock.saturating_add(d).min(i64::MAX as u64);
    }

    /// The next word of splitmix64.
    fn next(&mut self) -> u64 {
        self.random = self.random.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.random;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
}

/// The error `proc_exit` ends a call with.
#[derive(Debug)]
pub(crate) struct Exit(pub(crate) u32);

impl fmt::Display for Exit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "proc_exit({})", self.0)
    }
}

impl std::error::Error for Exit {}

/// What a WASI function returns to the runtime: an errno, or an error ending the call.
type Errno = wasmtime::Result<i32>;

/// The calling instance's memory and store state, after the deadline check.
fn enter<'a>(
    caller: &'a mut Caller<'_, StoreState>,
) -> wasmtime::Result<(&'a mut [u8], &'a mut StoreState)> {
    if Instant::now() >= caller.data().deadline {
        return Err(Trap::Interrupt.into());
    }
    let Some(Extern::Memory(memory)) = caller.get_export("memory") else {
        return Err(Trap::MemoryOutOfBounds.into()); // the load checks require the export
    };
    Ok(memory.data_and_store_mut(caller))
}

/// Takes `cost` units of fuel; without enough, the call ends out of fuel.
fn charge(caller: &mut Caller<'_, StoreState>, cost: u64) -> wasmtime::Result<()> {
    let fuel = caller.get_fuel()?;
    if fuel < cost {
        caller.set_fuel(0)?;
        return Err(Trap::OutOfFuel.into());
    }
    caller.set_fuel(fuel - cost)
}

/// The byte range `[ptr, ptr + len)` of memory, if it lies inside.
fn range(memory: &[u8], ptr: i32, len: u64) -> Option<std::ops::Range<usize>> {
    let start = u64::from(ptr as u32);
    let end = start.checked_add(len)?;
    (end <= memory.len() as u64).then_some(start as usize..end as usize)
}

/// The little-endian u32 at `at`.
fn u32_at(bytes: &[u8], at: usize) -> u32 {
    u32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes"))
}

/// The little-endian u64 at `at`.
fn u64_at(bytes: &[u8], at: usize) -> u64 {
    u64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes"))
}

/// Whether `fd` is stdin, stdout or stderr.
fn stdio(fd: i32) -> bool {
    (0..=2).contains(&fd)
}

/// Adds every granted function to `linker`.
pub(crate) fn add_to_linker(linker: &mut Linker<StoreState>) -> wasmtime::Result<()> {
    linker.func_wrap(MODULE, "args_get", empty_get)?;
    linker.func_wrap(MODULE, "environ_get", empty_get)?;
    linker.func_wrap(MODULE, "args_sizes_get", empty_sizes)?;
    linker.func_wrap(MODULE, "environ_sizes_get", empty_sizes)?;
    linker.func_wrap(MODULE, "clock_time_get", clock_time_get)?;
    linker.func_wrap(MODULE, "fd_close", fd_close)?;
    linker.func_wrap(MODULE, "fd_fdstat_get", fd_fdstat_get)?;
    linker.func_wrap(MODULE, "fd_fdstat_set_flags", fd_fdstat_set_flags)?;
    linker.func_wrap(MODULE, "fd_prestat_get", no_preopen)?;
    linker.func_wrap(
        MODULE,
        "fd_prestat_dir_name",
        |caller: Caller<'_, StoreState>, fd: i32, ptr: i32, _len: i32| no_preopen(caller, fd, ptr),
    )?;
    linker.func_wrap(MODULE, "fd_write", fd_write)?;
    linker.func_wrap(MODULE, "poll_oneoff", poll::poll_oneoff)?;
    linker.func_wrap(MODULE, "proc_exit", proc_exit)?;
    linker.func_wrap(MODULE, "random_get", random_get)?;
    linker.func_wrap(MODULE, "sched_yield", sched_yield)?;
    Ok(())
}

/// `args_get`, `environ_get`: nothing to write.
fn empty_get(mut caller: Caller<'_, StoreState>, _: i32, _: i32) -> Errno {
    enter(&mut caller)?;
    Ok(ESUCCESS)
}

/// `args_sizes_get`, `environ_sizes_get`: 0 entries, 0 bytes.
fn empty_sizes(mut caller: Caller<'_, StoreState>, count: i32, size: i32) -> Errno {
    let (memory, _) = enter(&mut caller)?;
    let (Some(count), Some(size)) = (range(memory, count, 4), range(memory, size, 4)) else {
        return Ok(EFAULT);
    };
    memory[count].fill(0);
    memory[size].fill(0);
    Ok(ESUCCESS)
}

/// `clock_time_get`: the virtual clock, for realtime and monotonic alike.
fn clock_time_get(
    mut caller: Caller<'_, StoreState>,
    id: i32,
    _precision: i64,
    result: i32,
) -> Errno {
    let (memory, state) = enter(&mut caller)?;
    if !(0..=1).contains(&id) {
        return Ok(EINVAL);
    }
    let Some(result) = range(memory, result, 8) else {
        return Ok(EFAULT);
    };
    state.wasi.advance(CLOCK_TICK);
    memory[result].copy_from_slice(&state.wasi.clock.to_le_bytes());
    Ok(ESUCCESS)
}

/// `fd_close`: closing fds 0-2 is accepted (they stay usable); any other fd is `EBADF`.
fn fd_close(mut caller: Caller<'_, StoreState>, fd: i32) -> Errno {
    enter(&mut caller)?;
    Ok(if stdio(fd) { ESUCCESS } else { EBADF })
}

/// `fd_fdstat_get`: fds 0-2 are character devices, readable (0) or writable (1, 2).
fn fd_fdstat_get(mut caller: Caller<'_, StoreState>, fd: i32, ptr: i32) -> Errno {
    let (memory, _) = enter(&mut caller)?;
    if !stdio(fd) {
        return Ok(EBADF);
    }
    let Some(stat) = range(memory, ptr, 24) else {
        return Ok(EFAULT);
    };
    let stat = &mut memory[stat];
    stat.fill(0);
    stat[0] = 2; // character_device
    let rights: u64 = if fd == 0 { 1 << 1 } else { 1 << 6 }; // fd_read, fd_write
    stat[8..16].copy_from_slice(&rights.to_le_bytes());
    Ok(ESUCCESS)
}

/// `fd_fdstat_set_flags`: accepted and ignored for fds 0-2.
fn fd_fdstat_set_flags(mut caller: Caller<'_, StoreState>, fd: i32, _flags: i32) -> Errno {
    enter(&mut caller)?;
    Ok(if stdio(fd) { ESUCCESS } else { EBADF })
}

/// `fd_prestat_get`, `fd_prestat_dir_name`: no fd is a preopened directory.
fn no_preopen(mut caller: Caller<'_, StoreState>, _fd: i32, _ptr: i32) -> Errno {
    enter(&mut caller)?;
    Ok(EBADF)
}

/// `fd_write`: what fds 1 and 2 are given goes into the log.
fn fd_write(
    mut caller: Caller<'_, StoreState>,
    fd: i32,
    iovs: i32,
    count: i32,
    nwritten: i32,
) -> Errno {
    let (memory, _) = enter(&mut caller)?;
    let count = count as u32;
    if fd != 1 && fd != 2 {
        return Ok(EBADF);
    }
    if count > MAX_IOVECS {
        return Ok(EINVAL);
    }
    let (Some(vec), Some(nwritten)) = (
        range(memory, iovs, u64::from(count) * 8),
        range(memory, nwritten, 4),
    ) else {
        return Ok(EFAULT);
    };
    let vec = memory[vec].to_vec();
    charge(&mut caller, u64::from(count))?;
    let (memory, state) = enter(&mut caller)?;
    let mut total = 0u64;
    for iov in vec.chunks_exact(8) {
        let (ptr, len) = (u32_at(iov, 0), u32_at(iov, 4));
        if range(memory, ptr as i32, u64::from(len)).is_none() {
            return Ok(EFAULT);
        }
        total += u64::from(len);
    }
    let Ok(total) = u32::try_from(total) else {
        return Ok(EINVAL);
    };
    let mut kept = 0u64;
    for iov in vec.chunks_exact(8) {
        let (ptr, len) = (u32_at(iov, 0) as usize, u32_at(iov, 4) as usize);
        let keep = len.min(MAX_LOG_BYTES - state.wasi.log.len());
        state.wasi.log.extend_from_slice(&memory[ptr..ptr + keep]);
        state.wasi.dropped += (len - keep) as u64;
        kept += keep as u64;
    }
    memory[nwritten].copy_from_slice(&total.to_le_bytes());
    charge(&mut caller, kept)?;
    Ok(ESUCCESS)
}

/// `proc_exit`: ends the call with the code.
fn proc_exit(mut caller: Caller<'_, StoreState>, code: i32) -> wasmtime::Result<()> {
    enter(&mut caller)?;
    Err(wasmtime::Error::new(Exit(code as u32)))
}

/// `random_get`: the instance's deterministic stream, the deadline checked every 64 KiB.
fn random_get(mut caller: Caller<'_, StoreState>, ptr: i32, len: i32) -> Errno {
    let (memory, _) = enter(&mut caller)?;
    let Some(buf) = range(memory, ptr, u64::from(len as u32)) else {
        return Ok(EFAULT);
    };
    charge(&mut caller, buf.len() as u64)?;
    let (memory, state) = enter(&mut caller)?;
    for chunk in memory[buf].chunks_mut(64 << 10) {
        if Instant::now() >= state.deadline {
            return Err(Trap::Interrupt.into());
        }
        for word in chunk.chunks_mut(8) {
            let bytes = state.wasi.next().to_le_bytes();
            word.copy_from_slice(&bytes[..word.len()]);
        }
    }
    Ok(ESUCCESS)
}

/// `sched_yield`: returns.
fn sched_yield(mut caller: Caller<'_, StoreState>) -> Errno {
    enter(&mut caller)?;
    Ok(ESUCCESS)
}
