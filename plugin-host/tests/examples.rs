//! The example plugins (`tests/plugins/examples/{filter,redact}.wasm`, built by
//! `plugins/build.sh`) on telemetry records, against references written here in plain Rust.

use std::fs;
use std::path::Path;

mod common;

use binpipe_plugin_host::{Description, ErrorKind, Limits, Plugin};
use common::{RECORD, telemetry};

/// Loads the committed example plugin `name`.
fn example(name: &str) -> Plugin {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../tests/plugins/examples/{name}.wasm"));
    let wasm = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Plugin::load(&wasm, Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The filter's reference: the records whose flags bit 0 is set.
fn reference_filter(batch: &[u8]) -> Vec<u8> {
    batch
        .chunks_exact(RECORD)
        .filter(|record| u32::from_le_bytes(record[28..32].try_into().unwrap()) & 1 == 1)
        .flatten()
        .copied()
        .collect()
}

/// The redactor's reference: every record with sensor_id set to 0.
fn reference_redact(batch: &[u8]) -> Vec<u8> {
    let mut out = batch.to_vec();
    for record in out.chunks_exact_mut(RECORD) {
        record[8..12].copy_from_slice(&0u32.to_le_bytes());
    }
    out
}

#[test]
fn examples_describe_themselves() {
    for name in ["filter", "redact"] {
        assert_eq!(
            *example(name).description(),
            Description {
                name: name.into(),
                version: "0.1.0".into(),
                record_size: 32,
                max_batch: 0,
            }
        );
    }
}

#[test]
fn filter_matches_the_reference() {
    let plugin = example("filter");
    let mut instance = plugin.instance();
    for (count, seed) in [(0, 1), (1, 2), (7, 3), (1000, 4), (32768, 5)] {
        let batch = telemetry(count, seed);
        let want = reference_filter(&batch);
        if count >= 1000 {
            assert!(
                !want.is_empty() && want.len() < batch.len(),
                "a mixed batch"
            );
        }
        assert_eq!(instance.transform(&batch), Ok(want), "{count} records");
    }
}

#[test]
fn redact_matches_the_reference() {
    let plugin = example("redact");
    let mut instance = plugin.instance();
    for (count, seed) in [(0, 6), (1, 7), (1000, 8), (32768, 9)] {
        let batch = telemetry(count, seed);
        assert_eq!(
            instance.transform(&batch),
            Ok(reference_redact(&batch)),
            "{count} records"
        );
    }
}

/// A batch that is not a whole number of records is the caller's error, refused by the host
/// before the plugin runs (as the Go host's `ErrPartialRecord`); the instance is kept.
#[test]
fn partial_records_are_refused_before_the_plugin_runs() {
    for name in ["filter", "redact"] {
        let plugin = example(name);
        let mut instance = plugin.instance();
        let mut batch = telemetry(3, 10);
        batch.truncate(3 * RECORD - 5);
        let err = instance.transform(&batch).expect_err("partial record");
        assert_eq!(
            (err.kind, err.offset),
            (ErrorKind::PartialRecord, None),
            "{err}"
        );
        assert_eq!(err.plugin, name);
        let whole = telemetry(4, 11);
        assert!(instance.transform(&whole).is_ok(), "{name} after a refusal");
    }
}

/// The cross-host check: `tests/plugins/examples/telemetry.bin` (512 records) and what each
/// example returns for it under wasmtime (`<name>.out`), committed so the Go host can assert
/// wazero gives the same bytes. Here the outputs must equal both this host's result and the
/// reference. `BINPIPE_REGENERATE_FIXTURES=1` rewrites the three files.
#[test]
fn committed_outputs_are_what_wasmtime_and_the_references_give() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/plugins/examples");
    let regenerate = std::env::var_os("BINPIPE_REGENERATE_FIXTURES").is_some();
    let input = telemetry(512, 12);
    let input_file = dir.join("telemetry.bin");
    if regenerate {
        fs::write(&input_file, &input).expect("write telemetry.bin");
    }
    assert_eq!(
        fs::read(&input_file).ok(),
        Some(input.clone()),
        "telemetry.bin"
    );
    type Reference = fn(&[u8]) -> Vec<u8>;
    let references: [(&str, Reference); 2] =
        [("filter", reference_filter), ("redact", reference_redact)];
    for (name, reference) in references {
        let output = example(name).instance().transform(&input).expect(name);
        assert_eq!(output, reference(&input), "{name} vs its reference");
        let output_file = dir.join(format!("{name}.out"));
        if regenerate {
            fs::write(&output_file, &output).expect("write output");
        }
        assert_eq!(fs::read(&output_file).ok(), Some(output), "{name}.out");
    }
}
