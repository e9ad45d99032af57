//! `sandbox-diff <corpus-dir> <first-seed> <count>`: differential fuzzing of the plugin
//! sandbox's rewriters.
//!
//! For every seed, wasm-smith makes a random module within the plugin contract (wasm 2.0
//! features, no imports, every item exported, NaNs canonicalised, termination ensured by a
//! fuel global of its own); one seed in four has one byte of it mutated, which may leave it
//! valid or not ([`generate`]). This program then
//!
//! - runs a valid module under plain wasmtime, calling every exported function with fixed
//!   arguments ([`run`]), and the same module with the Rust host's checkpoints added
//!   (`binpipe_plugin_host::instrument`), and requires the same results and traps;
//! - requires the Rust host to refuse an invalid module as invalid, and not to call a valid
//!   one invalid, except that a module of externref (valid wasm 2.0, outside the plugin
//!   contract) must be refused and is not run;
//! - writes each module and what wasmtime gave (`<seed>.wasm`, `<seed>.json`) to the corpus
//!   directory, where the Go host's test (`go-host/plugin/internal/wasmbin/diff_test.go`)
//!   checks its own validator, and its rewriter's output under wazero, against it;
//! - records whether a valid module uses externref, which the plugin contract refuses (both
//!   hosts must refuse it), and then does all of the above for a second module of
//!   the same seed drawn without reference types (`<seed>-funcref.*`), so that most seeds
//!   still give a module both hosts run.
//!
//! It prints a summary and exits with 1 if any module disagreed.

mod generate;
mod run;

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::{env, fs};

use binpipe_plugin_host::{ErrorKind, Limits, Plugin};
use serde_json::json;

use generate::{Generated, generate};
use run::{Reference, run};

/// What the seeds gave.
#[derive(Default)]
struct Tally {
    valid: usize,
    invalid: usize,
    /// Valid modules that use externref (their seeds also give a `-funcref` module).
    externref: usize,
    calls: usize,
    findings: Vec<String>,
}

fn main() -> ExitCode {
    let args: Vec<String> = env::args().skip(1).collect();
    let (dir, first, count) = match args.as_slice() {
        [dir, first, count] => match (first.parse::<u64>(), count.parse::<u64>()) {
            (Ok(first), Ok(count)) => (PathBuf::from(dir), first, count),
            _ => return usage(),
        },
        _ => return usage(),
    };
    if let Err(e) = fs::create_dir_all(&dir) {
        eprintln!("sandbox-diff: {}: {e}", dir.display());
        return ExitCode::from(2);
    }
    let engine = match run::engine() {
        Ok(engine) => engine,
        Err(e) => {
            eprintln!("sandbox-diff: {e}");
            return ExitCode::from(2);
        }
    };
    let mut tally = Tally::default();
    for seed in first..first.saturating_add(count) {
        let done = one_seed(&engine, &dir, seed, false, &mut tally).and_then(|externref| {
            if externref {
                one_seed(&engine, &dir, seed, true, &mut tally)?;
            }
            Ok(())
        });
        if let Err(e) = done {
            eprintln!("sandbox-diff: seed {seed}: {e}");
            return ExitCode::from(2);
        }
    }
    println!(
        "sandbox-diff: seeds {first}..{}: {} valid modules ({} calls; {} of externref), {} invalid, {} findings",
        first.saturating_add(count),
        tally.valid,
        tally.calls,
        tally.externref,
        tally.invalid,
        tally.findings.len()
    );
    for finding in &tally.findings {
        println!("finding: {finding}");
    }
    if tally.findings.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}

/// Prints how to call this program.
fn usage() -> ExitCode {
    eprintln!("usage: sandbox-diff <corpus-dir> <first-seed> <count>");
    ExitCode::from(2)
}

/// Generates, checks and writes the module of `seed` (drawn without reference types if
/// `funcref_only`); returns whether it is valid and uses externref.
fn one_seed(
    engine: &wasmtime::Engine,
    dir: &Path,
    seed: u64,
    funcref_only: bool,
    tally: &mut Tally,
) -> std::io::Result<bool> {
    let name = if funcref_only {
        format!("{seed}-funcref")
    } else {
        seed.to_string()
    };
    let mut uses_externref = false;
    let record = match generate(seed, funcref_only) {
        Generated::None => return Ok(false),
        Generated::Valid(wasm, true) => {
            uses_externref = true;
            tally.externref += 1;
            tally.valid += 1;
            if refused_as_invalid(&wasm).is_none() {
                tally.findings.push(format!(
                    "seed {name}: the Rust host does not refuse a module of externref"
                ));
            }
            fs::write(dir.join(format!("{name}.wasm")), &wasm)?;
            json!({ "seed": name, "valid": true, "externref": true, "calls": [] })
        }
        Generated::Valid(wasm, false) => {
            let expected = run(engine, &wasm);
            tally.valid += 1;
            tally.calls += expected.calls.len();
            match binpipe_plugin_host::instrument(&wasm) {
                Ok(checked) => {
                    let got = run(engine, &checked);
                    if !expected.agrees_with(&got) {
                        tally.findings.push(format!(
                            "seed {name}: with the Rust host's checkpoints {got:?}, without {expected:?}"
                        ));
                    }
                }
                Err(e) => tally.findings.push(format!(
                    "seed {name}: the Rust host's checkpoints failed: {e}"
                )),
            }
            if let Some(refusal) = refused_as_invalid(&wasm) {
                tally.findings.push(format!(
                    "seed {name}: the Rust host calls a valid module invalid: {refusal}"
                ));
            }
            fs::write(dir.join(format!("{name}.wasm")), &wasm)?;
            reference_json(&name, &expected)
        }
        Generated::Invalid(wasm, why) => {
            tally.invalid += 1;
            if refused_as_invalid(&wasm).is_none() {
                tally.findings.push(format!(
                    "seed {name}: the Rust host does not refuse an invalid module ({why})"
                ));
            }
            fs::write(dir.join(format!("{name}.wasm")), &wasm)?;
            json!({ "seed": name, "valid": false, "error": why })
        }
    };
    fs::write(dir.join(format!("{name}.json")), record.to_string())?;
    Ok(uses_externref)
}

/// The Rust host's load error when it refuses `wasm` before looking at its imports and
/// exports (as invalid, or above a structural limit), rather than for lacking the plugin
/// world's exports, which these modules do.
fn refused_as_invalid(wasm: &[u8]) -> Option<String> {
    match Plugin::load(wasm, Limits::default()) {
        Err(e) if e.kind == ErrorKind::Load && !e.message.starts_with("missing export") => {
            Some(e.message)
        }
        _ => None,
    }
}

/// The corpus record of a valid module without externref and what wasmtime gave for it.
fn reference_json(seed: &str, reference: &Reference) -> serde_json::Value {
    let calls: Vec<serde_json::Value> = reference
        .calls
        .iter()
        .map(|call| {
            json!({
                "name": call.name,
                "params": call.params,
                "results": call.results,
                "outcome": call.outcome,
            })
        })
        .collect();
    json!({
        "seed": seed,
        "valid": true,
        "externref": false,
        "instantiate": reference.instantiate,
        "calls": calls,
    })
}
