//! The limits a plugin runs under. Their defaults are the shared contract of both hosts,
//! `tests/plugins/limits.json` (a test compares them name by name).

use std::time::Duration;

/// Size of a wasm page.
pub(crate) const PAGE: usize = 65536;

/// What a plugin may use; [`Limits::default`] gives safe values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Linear memory cap, in 64 KiB pages. Default 256 (16 MiB). A module whose initial
    /// memory is above it is refused at load; growth beyond it is denied
    /// ([`ErrorKind::Memory`](crate::ErrorKind::Memory)).
    pub memory_pages: u32,
    /// Wall-clock deadline of one call (instantiation, `describe`, `transform`), enforced by
    /// wasmtime's epoch interruption, which checks at every function entry, loop header and
    /// bulk memory or table instruction; the host adds checks after every call in a long
    /// function, so no stretch of unchecked work is long. Default 2 s; precision one epoch
    /// tick (10 ms).
    pub deadline: Duration,
    /// Largest `transform` result accepted, in bytes. Default 64 MiB.
    pub max_output: usize,
    /// Fuel per call: wasmtime charges about one unit per wasm instruction, and one per byte
    /// or element a bulk memory or table instruction touches. A
    /// deterministic bound on work, independent of the machine's load; 0 means no fuel limit
    /// (the deadline still holds). Default 10^10, more than a 2 s deadline lets a call run,
    /// so by default the deadline is the limit that bites.
    pub fuel: u64,
    /// Longest `plugin-error` message kept, in bytes: a longer one is cut at the last UTF-8
    /// character boundary at or below this length and `…` is appended. Default 4096.
    pub max_error_message_bytes: usize,
    /// The shape of the module: refused at load beyond these, before compiling.
    pub module: ModuleLimits,
    /// Grants the minimal virtual WASI (the functions Go's runtime and its `syscall`, `os`
    /// and `time` packages import, with no files, virtual deterministic clocks and random,
    /// stdout and stderr into a bounded per-call log, `proc_exit` an
    /// [`ErrorKind::Exit`](crate::ErrorKind::Exit)), the same as the Go host's
    /// `Limits.WASI`. Off by default: then any import is refused. With it, an exported
    /// `_initialize` is called once per instance, under the instantiation's deadline and
    /// fuel. [`Limits::with_wasi`] also raises the two module limits Go's runtime passes.
    pub wasi: bool,
}

/// [`ModuleLimits::max_data_segments`] under [`Limits::with_wasi`]: Go's runtime alone has
/// about 23,000 data segments.
pub const WASI_MAX_DATA_SEGMENTS: u32 = 65_536;
/// [`ModuleLimits::max_blocks`] under [`Limits::with_wasi`]: Go's runtime alone has about
/// 98,000 control points.
pub const WASI_MAX_BLOCKS: u64 = 262_144;

/// Bounds on a module's structure, checked before it is compiled, so that a small module
/// cannot make loading slow or make the host allocate much beyond linear memory. Every
/// breach is an [`ErrorKind::Load`](crate::ErrorKind::Load) naming the limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ModuleLimits {
    /// Size of the module, in bytes. Default 8 MiB.
    pub max_module_bytes: usize,
    /// Entries in the type section. Default 10,000.
    pub max_types: u32,
    /// Parameters of one function type. Default 1,000.
    pub max_params: u32,
    /// Results of one function type. Default 1,000.
    pub max_results: u32,
    /// Functions defined by the module. Default 20,000.
    pub max_functions: u32,
    /// Size of one function body (locals and code), in bytes. Default 1 MiB.
    pub max_function_bytes: u32,
    /// Locals one function declares (its parameters not counted). Default 50,000.
    pub max_locals_per_function: u32,
    /// Locals all functions declare together. Default 1,000,000.
    pub max_locals: u64,
    /// Depth of blocks, loops and ifs nested inside one function body (the body's own block
    /// not counted). Default 1,024.
    pub max_nesting: u32,
    /// Targets of one `br_table`, its default included. Default 4,096.
    pub max_br_table_targets: u32,
    /// Control points of one function body: each `block`, `if`, `else` and `br_if` counts 1,
    /// each `loop` 4, each `br_table` its targets (the Go host's rewriter adds that much
    /// control flow for a loop), each bulk memory or table instruction, `memory.grow` and
    /// `table.grow` 4 (a call with fuel and epoch checks; wasmtime's compile time grows
    /// faster than their number in one body). Default 4,096.
    pub max_function_blocks: u32,
    /// Control points of all function bodies together. Default 32,768.
    pub max_blocks: u64,
    /// Globals defined by the module. Default 10,000.
    pub max_globals: u32,
    /// Tables defined by the module; also the most a store may create. Default 16.
    pub max_tables: u32,
    /// Elements of all tables together: their initial sizes at load, and the most
    /// `table.grow` may reach at run time (the store's limiter denies more). Default 65,536.
    pub max_table_elements: u64,
    /// Data segments. Default 10,000.
    pub max_data_segments: u32,
    /// Element segments. Default 10,000.
    pub max_element_segments: u32,
    /// Exports. Default 10,000.
    pub max_exports: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            memory_pages: 256,
            deadline: Duration::from_secs(2),
            max_output: 64 << 20,
            fuel: 10_000_000_000,
            max_error_message_bytes: 4096,
            module: ModuleLimits::default(),
            wasi: false,
        }
    }
}

impl Default for ModuleLimits {
    fn default() -> Self {
        ModuleLimits {
            max_module_bytes: 8 << 20,
            max_types: 10_000,
            max_params: 1_000,
            max_results: 1_000,
            max_functions: 20_000,
            max_function_bytes: 1 << 20,
            max_locals_per_function: 50_000,
            max_locals: 1_000_000,
            max_nesting: 1_024,
            max_br_table_targets: 4_096,
            max_function_blocks: 4_096,
            max_blocks: 32_768,
            max_globals: 10_000,
            max_tables: 16,
            max_table_elements: 65_536,
            max_data_segments: 10_000,
            max_element_segments: 10_000,
            max_exports: 10_000,
        }
    }
}

impl Limits {
    /// The same limits with the minimal WASI granted ([`Limits::wasi`]), and
    /// `max_data_segments` and `max_blocks` raised to at least [`WASI_MAX_DATA_SEGMENTS`] and
    /// [`WASI_MAX_BLOCKS`] (the Go host's defaults under `Limits.WASI`).
    pub fn with_wasi(mut self) -> Self {
        self.wasi = true;
        self.module.max_data_segments = self.module.max_data_segments.max(WASI_MAX_DATA_SEGMENTS);
        self.module.max_blocks = self.module.max_blocks.max(WASI_MAX_BLOCKS);
        self
    }

    /// The linear memory cap in bytes.
    pub(crate) fn memory_bytes(&self) -> usize {
        self.memory_pages as usize * PAGE
    }
}
