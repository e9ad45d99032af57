//! Runs a module under wasmtime and records what every exported function gives.
//!
//! The same conventions are in the Go twin (`go-host/plugin/internal/wasmbin/diff_test.go`):
//! parameter k of a call is k+1 (as an integer, or a float of that value; refs are null);
//! a result is written as a decimal integer (floats by their bits), `null` or `ref`; a trap
//! as `trap:<class>`; functions taking or giving v128 are not called; calls stop after the
//! first trap.

use std::thread;
use std::time::Duration;

use wasmtime::{
    Config, Engine, ExternType, Instance, Module, Ref, ResourceLimiter, Store, Trap, Val, ValType,
};

/// Most pages a memory may grow to, as in the Go host's runtime for the corpus.
const MAX_PAGES: usize = 256;
/// Most elements all tables together may have (the contract's max_table_elements).
const MAX_TABLE_ELEMENTS: usize = 65_536;
/// Epoch ticks (10 ms each) a call may take: a mutated module need not terminate.
const DEADLINE_TICKS: u64 = 50;

/// One call of an exported function.
#[derive(Debug, PartialEq, Eq)]
pub struct Call {
    pub name: String,
    pub params: Vec<String>,
    pub results: Vec<String>,
    /// `ok:<results, comma-separated>` or `trap:<class>`.
    pub outcome: String,
}

/// What running a module gave.
#[derive(Debug, PartialEq, Eq)]
pub struct Reference {
    /// `ok`, `trap:<class>` or `error:<message>` (compiling or linking failed).
    pub instantiate: String,
    pub calls: Vec<Call>,
}

impl Reference {
    /// Whether `other` gave the same, up to where either ran out of stack or time (a
    /// rewriter adds frames, and a deadline is not deterministic).
    pub fn agrees_with(&self, other: &Reference) -> bool {
        let inconclusive = |outcome: &str| outcome == "trap:stack" || outcome == "trap:timeout";
        if inconclusive(&self.instantiate) || inconclusive(&other.instantiate) {
            return true;
        }
        if self.instantiate != other.instantiate {
            return false;
        }
        for (a, b) in self.calls.iter().zip(&other.calls) {
            if inconclusive(&a.outcome) || inconclusive(&b.outcome) {
                return true;
            }
            if a != b {
                return false;
            }
        }
        self.calls.len() == other.calls.len()
    }
}

/// The engine: Cranelift, epoch interruption for the deadline, a thread advancing it.
pub fn engine() -> wasmtime::Result<Engine> {
    let mut config = Config::new();
    config.epoch_interruption(true);
    let engine = Engine::new(&config)?;
    let ticking = engine.clone();
    thread::Builder::new()
        .name("sandbox-diff-epoch".into())
        .spawn(move || {
            loop {
                thread::sleep(Duration::from_millis(10));
                ticking.increment_epoch();
            }
        })?;
    Ok(engine)
}

/// Bounds a store's memory and tables as the Go host bounds the corpus runs.
#[derive(Default)]
struct Limiter {
    table_elements: usize,
}

impl ResourceLimiter for Limiter {
    fn memory_growing(
        &mut self,
        _: usize,
        desired: usize,
        _: Option<usize>,
    ) -> wasmtime::Result<bool> {
        Ok(desired <= MAX_PAGES << 16)
    }

    fn table_growing(
        &mut self,
        current: usize,
        desired: usize,
        _: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let total = self.table_elements + desired.saturating_sub(current);
        let allowed = total <= MAX_TABLE_ELEMENTS;
        if allowed {
            self.table_elements = total;
        }
        Ok(allowed)
    }
}

/// The class of a failed instantiation or call.
fn class(error: &wasmtime::Error) -> String {
    let Some(trap) = error.downcast_ref::<Trap>() else {
        return format!("error:{error}");
    };
    let class = match trap {
        Trap::UnreachableCodeReached => "unreachable",
        Trap::IntegerDivisionByZero => "div0",
        Trap::IntegerOverflow => "overflow",
        Trap::BadConversionToInteger => "conversion",
        Trap::MemoryOutOfBounds => "memory",
        Trap::TableOutOfBounds | Trap::IndirectCallToNull => "table",
        Trap::BadSignature => "signature",
        Trap::StackOverflow => "stack",
        Trap::Interrupt => "timeout",
        other => return format!("trap:other:{other:?}"),
    };
    format!("trap:{class}")
}

/// The name of a value type in the corpus.
fn type_name(ty: &ValType) -> String {
    match ty {
        ValType::I32 => "i32".into(),
        ValType::I64 => "i64".into(),
        ValType::F32 => "f32".into(),
        ValType::F64 => "f64".into(),
        ValType::V128 => "v128".into(),
        ValType::Ref(r) if r.heap_type().is_extern() => "externref".into(),
        ValType::Ref(_) => "funcref".into(),
    }
}

/// Argument `k` of type `ty`.
fn argument(k: usize, ty: &ValType) -> Val {
    let n = k as u64 + 1;
    match ty {
        ValType::I32 => Val::I32(n as i32),
        ValType::I64 => Val::I64(n as i64),
        ValType::F32 => Val::F32((n as f32).to_bits()),
        ValType::F64 => Val::F64((n as f64).to_bits()),
        ValType::Ref(r) => Val::null_ref(r.heap_type()),
        ValType::V128 => Val::V128(0u128.into()),
    }
}

/// A result as the corpus writes it.
fn result(value: &Val) -> String {
    match value {
        Val::I32(v) => (*v as u32).to_string(),
        Val::I64(v) => (*v as u64).to_string(),
        Val::F32(bits) => bits.to_string(),
        Val::F64(bits) => bits.to_string(),
        Val::V128(v) => u128::from(*v).to_string(),
        other => match other.ref_() {
            Some(Ref::Func(None) | Ref::Extern(None) | Ref::Any(None) | Ref::Exn(None)) => {
                "null".into()
            }
            _ => "ref".into(),
        },
    }
}

/// Instantiates `wasm` in a fresh store and calls its function exports in order.
pub fn run(engine: &Engine, wasm: &[u8]) -> Reference {
    let module = match Module::new(engine, wasm) {
        Ok(module) => module,
        Err(e) => {
            return Reference {
                instantiate: format!("error:compiling: {e:#}"),
                calls: Vec::new(),
            };
        }
    };
    let mut store = Store::new(engine, Limiter::default());
    store.limiter(|limiter| limiter);
    store.set_epoch_deadline(DEADLINE_TICKS);
    let instance = match Instance::new(&mut store, &module, &[]) {
        Ok(instance) => instance,
        Err(e) => {
            return Reference {
                instantiate: class(&e),
                calls: Vec::new(),
            };
        }
    };
    let mut calls = Vec::new();
    for export in module.exports() {
        let ExternType::Func(ty) = export.ty() else {
            continue;
        };
        let params: Vec<ValType> = ty.params().collect();
        let results: Vec<ValType> = ty.results().collect();
        if params
            .iter()
            .chain(&results)
            .any(|t| matches!(t, ValType::V128))
        {
            continue;
        }
        let Some(func) = instance.get_func(&mut store, export.name()) else {
            continue;
        };
        let args: Vec<Val> = params
            .iter()
            .enumerate()
            .map(|(k, t)| argument(k, t))
            .collect();
        let mut out: Vec<Val> = results.iter().map(|t| argument(0, t)).collect();
        store.set_epoch_deadline(DEADLINE_TICKS);
        let outcome = match func.call(&mut store, &args, &mut out) {
            Ok(()) => format!(
                "ok:{}",
                out.iter().map(result).collect::<Vec<_>>().join(",")
            ),
            Err(e) => class(&e),
        };
        let trapped = !outcome.starts_with("ok:");
        calls.push(Call {
            name: export.name().to_string(),
            params: params.iter().map(type_name).collect(),
            results: results.iter().map(type_name).collect(),
            outcome,
        });
        if trapped {
            break;
        }
    }
    Reference {
        instantiate: "ok".into(),
        calls,
    }
}
