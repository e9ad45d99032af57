//! The load rules a plugin core module must pass before it is instrumented or compiled: its
//! size and structure within [`ModuleLimits`], valid wasm 2.0 (wazero's feature set), no
//! imports (under [`Limits::wasi`], only the minimal WASI's functions, with their types), no export name in the host's reserved `binpipe.` namespace, the exports the
//! hosts call with their types, initial memory and tables within the limits.

use wasmparser::{
    ExternalKind, FuncType, FunctionBody, Operator, Parser, Payload, ValType, Validator,
    WasmFeatures,
};

use crate::error::{Error, ErrorKind};
use crate::limits::{Limits, ModuleLimits};
use crate::wasi;

/// Export names starting with this are the hosts' own (the Go host's instrumentation adds
/// some); a plugin may not use them.
const RESERVED_PREFIX: &str = "binpipe.";

/// A function export the hosts call: its name, parameters, results, and whether it must be
/// there.
struct Wanted {
    name: &'static str,
    params: &'static [ValType],
    results: &'static [ValType],
    required: bool,
}

/// The function exports of the plugin world (wit/plugin/plugin.wit, in wit-bindgen's shape).
const FUNCTIONS: [Wanted; 5] = [
    Wanted {
        name: "describe",
        params: &[],
        results: &[ValType::I32],
        required: true,
    },
    Wanted {
        name: "transform",
        params: &[ValType::I32, ValType::I32],
        results: &[ValType::I32],
        required: true,
    },
    Wanted {
        name: "cabi_realloc",
        params: &[ValType::I32, ValType::I32, ValType::I32, ValType::I32],
        results: &[ValType::I32],
        required: true,
    },
    Wanted {
        name: "cabi_post_describe",
        params: &[ValType::I32],
        results: &[],
        required: false,
    },
    Wanted {
        name: "cabi_post_transform",
        params: &[ValType::I32],
        results: &[],
        required: false,
    },
];

/// A [`ErrorKind::Load`] error.
pub(crate) fn load_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Load, message)
}

/// A [`ErrorKind::Load`] error for a module that has `count` of `what`, above `limit`
/// (named `name` in `Limits`).
fn above(
    what: &str,
    count: impl std::fmt::Display,
    name: &str,
    limit: impl std::fmt::Display,
) -> Error {
    load_error(format!(
        "the module has {count} {what}, above the limit {name} = {limit}"
    ))
}

/// Checks `wasm` against every load rule.
pub(crate) fn check(wasm: &[u8], limits: &Limits) -> Result<(), Error> {
    let module = &limits.module;
    if wasm.len() > module.max_module_bytes {
        return Err(above(
            "bytes",
            wasm.len(),
            "max_module_bytes",
            module.max_module_bytes,
        ));
    }
    let shape = structure(wasm, module)?;
    // wasm 2.0 without externref: the contract supports funcref only (both hosts), and this
    // refusal must not depend on whether wasmtime was built with its `gc` feature.
    Validator::new_with_features(WasmFeatures::WASM2.difference(WasmFeatures::GC_TYPES))
        .validate_all(wasm)
        .map_err(|e| {
            load_error(format!(
                "not a valid wasm 2.0 core module without externref: {e}"
            ))
        })?;
    interface(&shape, limits)
}

/// What [`structure`] collects for the checks that need a valid module.
#[derive(Default)]
struct Shape {
    /// Every import: module, name, and the type index of a function import.
    imports: Vec<(String, String, Option<u32>)>,
    /// The type index of every imported function, in index order.
    imported_functions: Vec<u32>,
    types: Vec<FuncType>,
    /// The type index of every function the module defines.
    functions: Vec<u32>,
    exports: Vec<(String, ExternalKind, u32)>,
    initial_pages: Vec<u64>,
}

/// Walks the module once, refusing any count above its limit as soon as its section says
/// it (before reading the entries), and collects what [`interface`] checks.
fn structure(wasm: &[u8], limits: &ModuleLimits) -> Result<Shape, Error> {
    let mut shape = Shape::default();
    let mut table_elements = 0u64;
    let mut locals = 0u64;
    let mut blocks = 0u64;
    let bad = |e: wasmparser::BinaryReaderError| load_error(format!("not a valid module: {e}"));
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(bad)? {
            Payload::TypeSection(section) => {
                at_most("types", section.count(), "max_types", limits.max_types)?;
                for ty in section.into_iter_err_on_gc_types() {
                    let ty = ty.map_err(bad)?;
                    at_most(
                        "parameters in a type",
                        len(ty.params()),
                        "max_params",
                        limits.max_params,
                    )?;
                    at_most(
                        "results in a type",
                        len(ty.results()),
                        "max_results",
                        limits.max_results,
                    )?;
                    shape.types.push(ty);
                }
            }
            Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    let import = import.map_err(bad)?;
                    let func = match import.ty {
                        wasmparser::TypeRef::Func(ty) => Some(ty),
                        _ => None,
                    };
                    shape.imported_functions.extend(func);
                    shape
                        .imports
                        .push((import.module.to_string(), import.name.to_string(), func));
                }
            }
            Payload::FunctionSection(section) => {
                at_most(
                    "functions",
                    section.count(),
                    "max_functions",
                    limits.max_functions,
                )?;
                for ty in section {
                    shape.functions.push(ty.map_err(bad)?);
                }
            }
            Payload::TableSection(section) => {
                at_most("tables", section.count(), "max_tables", limits.max_tables)?;
                for table in section {
                    table_elements = table_elements.saturating_add(table.map_err(bad)?.ty.initial);
                }
                if table_elements > limits.max_table_elements {
                    return Err(above(
                        "table elements (initial sizes)",
                        table_elements,
                        "max_table_elements",
                        limits.max_table_elements,
                    ));
                }
            }
            Payload::MemorySection(section) => {
                for memory in section {
                    shape.initial_pages.push(memory.map_err(bad)?.initial);
                }
            }
            Payload::GlobalSection(section) => {
                at_most(
                    "globals",
                    section.count(),
                    "max_globals",
                    limits.max_globals,
                )?;
            }
            Payload::ExportSection(section) => {
                at_most(
                    "exports",
                    section.count(),
                    "max_exports",
                    limits.max_exports,
                )?;
                for export in section {
                    let export = export.map_err(bad)?;
                    shape
                        .exports
                        .push((export.name.to_string(), export.kind, export.index));
                }
            }
            Payload::ElementSection(section) => {
                let (name, limit) = ("max_element_segments", limits.max_element_segments);
                at_most("element segments", section.count(), name, limit)?;
            }
            Payload::DataSection(section) => {
                at_most(
                    "data segments",
                    section.count(),
                    "max_data_segments",
                    limits.max_data_segments,
                )?;
            }
            Payload::CodeSectionEntry(function) => {
                let body = function_body(&function, limits)?;
                locals = locals.saturating_add(body.locals);
                blocks = blocks.saturating_add(body.blocks);
                if blocks > limits.max_blocks {
                    let what = "control points in all functions";
                    return Err(above(what, blocks, "max_blocks", limits.max_blocks));
                }
                if locals > limits.max_locals {
                    let what = "locals declared by all functions";
                    return Err(above(what, locals, "max_locals", limits.max_locals));
                }
            }
            _ => {}
        }
    }
    Ok(shape)
}

/// `items.len()` as a u32 (a valid type has far fewer than 2^32).
fn len<T>(items: &[T]) -> u32 {
    u32::try_from(items.len()).unwrap_or(u32::MAX)
}

/// Refuses `count` of `what` above `limit` (named `name`).
fn at_most(what: &str, count: u32, name: &str, limit: u32) -> Result<(), Error> {
    if count > limit {
        return Err(above(what, count, name, limit));
    }
    Ok(())
}

/// What one function body counts towards the module-wide limits.
struct Body {
    /// Locals it declares.
    locals: u64,
    /// Its control points ([`ModuleLimits::max_function_blocks`]).
    blocks: u64,
}

/// Checks one function body's size, declared locals, nesting, control points and
/// `br_table` sizes.
fn function_body(body: &FunctionBody<'_>, limits: &ModuleLimits) -> Result<Body, Error> {
    let bad = |e: wasmparser::BinaryReaderError| load_error(format!("not a valid module: {e}"));
    let range = body.range();
    let size = range.end - range.start;
    if size > u64::from(limits.max_function_bytes) {
        return Err(above(
            "bytes in a function body",
            size,
            "max_function_bytes",
            limits.max_function_bytes,
        ));
    }
    let mut locals = 0u64;
    for group in body.get_locals_reader().map_err(bad)? {
        locals += u64::from(group.map_err(bad)?.0);
        if locals > u64::from(limits.max_locals_per_function) {
            return Err(above(
                "locals declared by a function",
                locals,
                "max_locals_per_function",
                limits.max_locals_per_function,
            ));
        }
    }
    // Blocks open inside the body (the body's own block not counted).
    let mut depth = 0u32;
    let mut blocks = 0u32;
    let mut operators = body.get_operators_reader().map_err(bad)?;
    while !operators.eof() {
        let op = operators.read().map_err(bad)?;
        blocks = blocks.saturating_add(match &op {
            Operator::Block { .. }
            | Operator::If { .. }
            | Operator::Else
            | Operator::BrIf { .. } => 1,
            Operator::Loop { .. } => 4,
            Operator::BrTable { targets } => targets.len().saturating_add(1),
            // Instructions whose work grows with an operand: a helper call on the Go host, a
            // call with fuel and epoch checks here; 4000 memory.fill in one body took 1.5 s
            // to compile (1000: 0.17 s, loaded machine), so they weigh like a loop.
            Operator::MemoryFill { .. }
            | Operator::MemoryCopy { .. }
            | Operator::MemoryInit { .. }
            | Operator::MemoryGrow { .. }
            | Operator::TableFill { .. }
            | Operator::TableCopy { .. }
            | Operator::TableInit { .. }
            | Operator::TableGrow { .. } => 4,
            _ => 0,
        });
        let (name, limit) = ("max_function_blocks", limits.max_function_blocks);
        at_most("control points in a function", blocks, name, limit)?;
        match op {
            Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => {
                depth += 1;
                at_most("nested blocks", depth, "max_nesting", limits.max_nesting)?;
            }
            Operator::End => depth = depth.saturating_sub(1),
            Operator::BrTable { targets } => {
                let (name, limit) = ("max_br_table_targets", limits.max_br_table_targets);
                at_most(
                    "br_table targets",
                    targets.len().saturating_add(1),
                    name,
                    limit,
                )?;
            }
            _ => {}
        }
    }
    Ok(Body {
        locals,
        blocks: u64::from(blocks),
    })
}

/// The type of function `index` (imported functions first), if there is one.
fn function_type(shape: &Shape, index: u32) -> Option<&FuncType> {
    let imported = shape.imported_functions.len();
    let ty = match (index as usize).checked_sub(imported) {
        None => shape.imported_functions[index as usize],
        Some(defined) => *shape.functions.get(defined)?,
    };
    shape.types.get(ty as usize)
}

/// The rules on imports: none, or under [`Limits::wasi`] only the minimal WASI's functions,
/// with their types.
fn imports(shape: &Shape, limits: &Limits) -> Result<(), Error> {
    let mut refused = Vec::new();
    for (module, name, func) in &shape.imports {
        let granted = match (
            limits.wasi && module == wasi::MODULE,
            func,
            wasi::signature(name),
        ) {
            (true, Some(ty), Some(signature)) => Some((ty, signature)),
            _ => None,
        };
        let Some((&ty, (params, results))) = granted else {
            refused.push(format!("{module}::{name}"));
            continue;
        };
        let ty = shape
            .types
            .get(ty as usize)
            .ok_or_else(|| load_error(format!("import {module}::{name} names no type")))?;
        if ty.params() != params || ty.results() != results {
            return Err(load_error(format!(
                "import {module}::{name} has type {:?} -> {:?}, want {params:?} -> {results:?}",
                ty.params(),
                ty.results()
            )));
        }
    }
    if refused.is_empty() {
        return Ok(());
    }
    let granted = if limits.wasi {
        "only the minimal WASI's functions are granted"
    } else {
        "a plugin is granted no imports"
    };
    Err(load_error(format!(
        "imports {}; {granted}",
        refused.join(", ")
    )))
}

/// The rules on what the module imports and exports, and its initial memory.
fn interface(shape: &Shape, limits: &Limits) -> Result<(), Error> {
    imports(shape, limits)?;
    if let Some((name, _, _)) = shape
        .exports
        .iter()
        .find(|(name, _, _)| name.starts_with(RESERVED_PREFIX))
    {
        return Err(load_error(format!(
            "exports {name:?}; names starting with {RESERVED_PREFIX:?} are reserved for the host"
        )));
    }
    let export = |name: &str, kind: ExternalKind| {
        shape
            .exports
            .iter()
            .find(|(n, k, _)| n == name && *k == kind)
            .map(|&(_, _, index)| index)
    };
    let mut missing: Vec<&str> = FUNCTIONS
        .iter()
        .filter(|wanted| wanted.required && export(wanted.name, ExternalKind::Func).is_none())
        .map(|wanted| wanted.name)
        .collect();
    if export("memory", ExternalKind::Memory).is_none() {
        missing.insert(0, "memory");
    }
    if !missing.is_empty() {
        return Err(load_error(format!(
            "missing export(s) {}; a plugin exports memory, cabi_realloc, describe and transform",
            missing.join(", ")
        )));
    }
    let initialize = Wanted {
        name: "_initialize",
        params: &[],
        results: &[],
        required: false,
    };
    let wasi = limits.wasi.then_some(&initialize);
    for wanted in FUNCTIONS.iter().chain(wasi) {
        let Some(index) = export(wanted.name, ExternalKind::Func) else {
            continue;
        };
        // Validation proved the index names a function.
        let ty = function_type(shape, index)
            .ok_or_else(|| load_error(format!("export {} names no function", wanted.name)))?;
        if ty.params() != wanted.params || ty.results() != wanted.results {
            return Err(load_error(format!(
                "export {} has type {:?} -> {:?}, want {:?} -> {:?}",
                wanted.name,
                ty.params(),
                ty.results(),
                wanted.params,
                wanted.results
            )));
        }
    }
    if let Some(&pages) = shape
        .initial_pages
        .iter()
        .find(|&&pages| pages > u64::from(limits.memory_pages))
    {
        return Err(load_error(format!(
            "declares {pages} pages of initial memory, above the limit of {} pages",
            limits.memory_pages
        )));
    }
    Ok(())
}
