//! The error every plugin operation returns, and its kinds (the same kinds as go-host/plugin).

use std::fmt;

/// What went wrong, in the terms both hosts use (go-host/plugin has the same kinds).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The module was refused before running: above a structural limit
    /// ([`ModuleLimits`](crate::ModuleLimits)), not valid wasm 2.0, an import (none are
    /// granted), an export name reserved for the host, a missing or mistyped export, or
    /// initial memory or table elements above the limits.
    Load,
    /// The plugin trapped (unreachable, division by zero, stack overflow, ...).
    Trap,
    /// A call ran out of time (the deadline) or of fuel.
    Timeout,
    /// A memory limit: linear memory growth denied at the cap, or output above the limit.
    Memory,
    /// The plugin broke the canonical ABI: a result outside its memory, a bad tag, a
    /// string that is not UTF-8.
    Protocol,
    /// The plugin refused the batch with its own `plugin-error`.
    Plugin,
    /// The plugin called WASI's `proc_exit` (under [`Limits::wasi`](crate::Limits::wasi);
    /// `os.Exit` in a Go plugin): [`Error::exit_code`] holds the code. The instance is
    /// replaced.
    Exit,
    /// The caller's batch is not a whole number of the plugin's `record_size` records:
    /// refused before the plugin runs, the instance kept (the Go host's
    /// `ErrPartialRecord`).
    PartialRecord,
}

impl fmt::Display for ErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ErrorKind::Load => "load",
            ErrorKind::Trap => "trap",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Memory => "memory",
            ErrorKind::Protocol => "protocol",
            ErrorKind::Plugin => "plugin",
            ErrorKind::Exit => "exit",
            ErrorKind::PartialRecord => "partial record",
        })
    }
}

/// A failed load or call of a plugin.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// The plugin's name from `describe`, or empty when it failed before `describe` answered.
    pub plugin: String,
    /// For [`ErrorKind::Plugin`], the byte offset within the batch the plugin named, if any.
    pub offset: Option<u64>,
    /// What happened, in words.
    pub message: String,
    /// For [`ErrorKind::Exit`], the code the plugin passed to `proc_exit`.
    pub exit_code: Option<u32>,
    /// Under [`Limits::wasi`](crate::Limits::wasi), what the plugin wrote to stdout and
    /// stderr during the failed operation: its first 4096 bytes, then `…` if there was more.
    pub log: String,
}

impl Error {
    /// An error of `kind` with no plugin name or offset yet.
    pub(crate) fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            plugin: String::new(),
            offset: None,
            message: message.into(),
            exit_code: None,
            log: String::new(),
        }
    }

    /// The same error, attributed to the plugin called `name`.
    pub(crate) fn in_plugin(mut self, name: &str) -> Self {
        self.plugin = name.to_string();
        self
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.plugin.is_empty() {
            write!(f, "plugin: {}: {}", self.kind, self.message)?;
        } else {
            write!(f, "plugin {}: {}: {}", self.plugin, self.kind, self.message)?;
        }
        if let Some(offset) = self.offset {
            write!(f, " (at batch offset {offset})")?;
        }
        if let Some(first) = self.log.trim().lines().next() {
            let more = if self.log.trim().lines().nth(1).is_some() {
                " …"
            } else {
                ""
            };
            write!(f, " (plugin output: {first:?}{more})")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}
