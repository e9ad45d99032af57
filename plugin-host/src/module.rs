//! Load-time checks of a plugin's core module, and its wrapping into a component.
//!
//! A plugin arrives as a core module (the same bytes the Go host loads). Before any of it
//! runs, it must validate as wasm 2.0 (wazero's feature set), import nothing, export what the
//! world needs, and declare no more initial memory than the limit. The component is then
//! built from the module and the world in `wit/plugin/plugin.wit` — never from a world the
//! module brought along in its own `component-type` sections, which are dropped.

use wasmparser::{ExternalKind, Parser, Payload, Validator, WasmFeatures};
use wit_component::StringEncoding;
use wit_parser::Resolve;

use crate::error::{Error, ErrorKind};
use crate::limits::Limits;

/// The plugin world, compiled into the host.
const PLUGIN_WIT: &str = include_str!("../../wit/plugin/plugin.wit");

/// Exports the hosts call, with their kinds.
const REQUIRED_EXPORTS: [(&str, ExternalKind); 4] = [
    ("memory", ExternalKind::Memory),
    ("cabi_realloc", ExternalKind::Func),
    ("describe", ExternalKind::Func),
    ("transform", ExternalKind::Func),
];

/// A [`ErrorKind::Load`] error.
fn load_error(message: impl Into<String>) -> Error {
    Error::new(ErrorKind::Load, message)
}

/// Checks `wasm` against the load rules and returns the component to instantiate.
pub(crate) fn component_bytes(wasm: &[u8], limits: &Limits) -> Result<Vec<u8>, Error> {
    check(wasm, limits)?;
    let mut module = without_component_types(wasm)?;
    let mut resolve = Resolve::new();
    let package = resolve
        .push_str("wit/plugin/plugin.wit", PLUGIN_WIT)
        .map_err(|e| load_error(format!("the plugin world: {e:#}")))?;
    let world = resolve
        .select_world(&[package], Some("plugin"))
        .map_err(|e| load_error(format!("the plugin world: {e:#}")))?;
    wit_component::embed_component_metadata(&mut module, &resolve, world, StringEncoding::UTF8)
        .map_err(|e| load_error(format!("embedding the plugin world: {e:#}")))?;
    wit_component::ComponentEncoder::default()
        .validate(true)
        .module(&module)
        .and_then(|encoder| encoder.encode())
        .map_err(|e| load_error(format!("does not fit the plugin world: {e:#}")))
}

/// The load rules: valid wasm 2.0, no imports, the required exports, initial memory within
/// `limits.memory_pages`.
fn check(wasm: &[u8], limits: &Limits) -> Result<(), Error> {
    Validator::new_with_features(WasmFeatures::WASM2)
        .validate_all(wasm)
        .map_err(|e| load_error(format!("not a valid wasm 2.0 core module: {e}")))?;

    let mut imports = Vec::new();
    let mut exports = Vec::new();
    let mut initial_pages = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(|e| load_error(e.to_string()))? {
            Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    let import = import.map_err(|e| load_error(e.to_string()))?;
                    imports.push(format!("{}::{}", import.module, import.name));
                }
            }
            Payload::MemorySection(section) => {
                for memory in section {
                    initial_pages.push(memory.map_err(|e| load_error(e.to_string()))?.initial);
                }
            }
            Payload::ExportSection(section) => {
                for export in section {
                    let export = export.map_err(|e| load_error(e.to_string()))?;
                    exports.push((export.name.to_string(), export.kind));
                }
            }
            _ => {}
        }
    }

    if !imports.is_empty() {
        return Err(load_error(format!(
            "imports {}; a plugin is granted no imports",
            imports.join(", ")
        )));
    }
    let missing: Vec<&str> = REQUIRED_EXPORTS
        .iter()
        .filter(|(name, kind)| !exports.iter().any(|(n, k)| n == name && k == kind))
        .map(|(name, _)| *name)
        .collect();
    if !missing.is_empty() {
        return Err(load_error(format!(
            "missing export(s) {}; a plugin exports memory, cabi_realloc, describe and transform",
            missing.join(", ")
        )));
    }
    if let Some(&pages) = initial_pages
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

/// `wasm` without its `component-type*` custom sections, every other section kept as is.
fn without_component_types(wasm: &[u8]) -> Result<Vec<u8>, Error> {
    let mut module = wasm_encoder::Module::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| load_error(e.to_string()))?;
        if let Payload::CustomSection(custom) = &payload
            && custom.name().starts_with("component-type")
        {
            continue;
        }
        if let Some((id, range)) = payload.as_section() {
            let data = usize::try_from(range.start)
                .ok()
                .zip(usize::try_from(range.end).ok())
                .and_then(|(start, end)| wasm.get(start..end))
                .ok_or_else(|| load_error("a section's range is outside the module"))?;
            module.section(&wasm_encoder::RawSection { id, data });
        }
    }
    Ok(module.finish())
}
