//! `binpipe-wasm-tool`: guards the built core module and wraps it into a component.
//!
//! ```text
//! binpipe-wasm-tool check MODULE.wasm EXPORTS.txt   # no imports, exactly the listed exports,
//!                                                   # valid under the wasm 2.0 feature set
//! binpipe-wasm-tool component MODULE.wasm OUT.wasm  # `component new`, validated
//! binpipe-wasm-tool gen [--check] ROOT              # the tables generated from wit/kernels.wit
//! ```
//!
//! Built from the `wit-component` and `wasmparser` crates rather than installing `wasm-tools`:
//! the same libraries, a fraction of the build time.

use std::collections::BTreeSet;
use std::process::ExitCode;
use std::{env, fs};

use wasmparser::{Parser, Payload, Validator, WasmFeatures};

mod generate;

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let result = match args
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        ["check", module, exports] => check(module, exports),
        ["component", module, out] => component(module, out),
        ["gen", root] => generate::generate(root, false),
        ["gen", "--check", root] => generate::generate(root, true),
        _ => Err(
            "usage: binpipe-wasm-tool check MODULE EXPORTS | component MODULE OUT | gen [--check] ROOT"
                .into(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(msg) => {
            eprintln!("binpipe-wasm-tool: {msg}");
            ExitCode::FAILURE
        }
    }
}

/// Reads a file, naming it in the error.
fn read(path: &str) -> Result<Vec<u8>, String> {
    fs::read(path).map_err(|e| format!("{path}: {e}"))
}

/// Fails unless `module` imports nothing, exports exactly the names in `exports_file` (one
/// per line, `#` comments allowed), and validates with only wasm 2.0 features (wazero's set:
/// SIMD yes, relaxed SIMD, threads and the rest no).
fn check(module: &str, exports_file: &str) -> Result<(), String> {
    let bytes = read(module)?;
    Validator::new_with_features(WasmFeatures::WASM2)
        .validate_all(&bytes)
        .map_err(|e| format!("{module}: not valid wasm 2.0 (wazero could not run it): {e}"))?;

    let mut imports = Vec::new();
    let mut exports = BTreeSet::new();
    for payload in Parser::new(0).parse_all(&bytes) {
        match payload.map_err(|e| format!("{module}: {e}"))? {
            Payload::ImportSection(section) => {
                for import in section.into_imports() {
                    let import = import.map_err(|e| format!("{module}: {e}"))?;
                    imports.push(format!("{}::{}", import.module, import.name));
                }
            }
            Payload::ExportSection(section) => {
                for export in section {
                    let export = export.map_err(|e| format!("{module}: {e}"))?;
                    exports.insert(export.name.to_string());
                }
            }
            _ => {}
        }
    }

    let expected: BTreeSet<String> = String::from_utf8(read(exports_file)?)
        .map_err(|e| format!("{exports_file}: {e}"))?
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
        .map(String::from)
        .collect();

    let mut problems = Vec::new();
    if !imports.is_empty() {
        problems.push(format!(
            "imports {imports:?}; the module must import nothing"
        ));
    }
    let lost: Vec<_> = expected.difference(&exports).collect();
    if !lost.is_empty() {
        problems.push(format!("lost expected exports {lost:?}"));
    }
    let gained: Vec<_> = exports.difference(&expected).collect();
    if !gained.is_empty() {
        problems.push(format!(
            "gained unlisted exports {gained:?} (add them to {exports_file} if intended)"
        ));
    }
    if problems.is_empty() {
        println!("{module}: ok ({} exports, no imports)", exports.len());
        Ok(())
    } else {
        Err(format!("{module}: {}", problems.join("; ")))
    }
}

/// Wraps the core module into a component. A module built with wit-bindgen carries its WIT
/// world; one built on the `binpipe-plugin` SDK does not, and gets the plugin world of
/// `wit/plugin` embedded first.
fn component(module: &str, out: &str) -> Result<(), String> {
    let mut bytes = read(module)?;
    if !has_component_type(&bytes) {
        let wit = concat!(env!("CARGO_MANIFEST_DIR"), "/../../wit/plugin");
        let mut resolve = wit_parser::Resolve::default();
        let (pkg, _) = resolve.push_dir(wit).map_err(|e| format!("{wit}: {e:#}"))?;
        let world = resolve
            .select_world(&[pkg], Some("plugin"))
            .map_err(|e| format!("{wit}: {e:#}"))?;
        wit_component::embed_component_metadata(
            &mut bytes,
            &resolve,
            world,
            wit_component::StringEncoding::UTF8,
        )
        .map_err(|e| format!("{module}: {e:#}"))?;
    }
    let component = wit_component::ComponentEncoder::default()
        .validate(true)
        .module(&bytes)
        .map_err(|e| format!("{module}: {e:#}"))?
        .encode()
        .map_err(|e| format!("{module}: {e:#}"))?;
    fs::write(out, &component).map_err(|e| format!("{out}: {e}"))?;
    println!("{out}: component, {} bytes", component.len());
    Ok(())
}

/// Whether the module has a `component-type` custom section (a WIT world, as wit-bindgen
/// embeds).
fn has_component_type(bytes: &[u8]) -> bool {
    Parser::new(0).parse_all(bytes).any(|payload| {
        matches!(payload, Ok(Payload::CustomSection(c)) if c.name().starts_with("component-type"))
    })
}
