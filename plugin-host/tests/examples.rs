//! The example plugins (`tests/plugins/examples/{filter,redact}.wasm`, built by
//! `plugins/build.sh`) on telemetry records, against references written here in plain Rust.

use std::fs;
use std::path::Path;

use binpipe_plugin_host::{Description, ErrorKind, Limits, Plugin};

/// Length of a telemetry record (contract E): timestamp u64 @0, sensor_id u32 @8, seq u32
/// @12, reading f64 @16, temperature f32 @24, flags u32 @28 (bit 0 = valid).
const RECORD: usize = 32;

/// Loads the committed example plugin `name`.
fn example(name: &str) -> Plugin {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join(format!("../tests/plugins/examples/{name}.wasm"));
    let wasm = fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    Plugin::load(&wasm, Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// `count` telemetry records from a fixed-seed generator: increasing timestamps with jitter,
/// 16 sensors with per-sensor sequence numbers, about a quarter of the records invalid, and
/// flag bits above bit 0 set at random (the filter must look at bit 0 alone).
fn telemetry(count: usize, seed: u64) -> Vec<u8> {
    let mut state = seed;
    let mut next = move || {
        // SplitMix64.
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut seq = [0u32; 16];
    let mut timestamp = 1_700_000_000_000_000_000u64;
    let mut out = Vec::with_capacity(count * RECORD);
    for _ in 0..count {
        let r = next();
        timestamp += 1_000_000 + r % 50_000;
        let sensor = (r >> 20) as usize % seq.len();
        seq[sensor] += 1;
        let valid = u32::from(r >> 40 & 3 != 0);
        let flags = valid | ((r >> 44) as u32 & 0xfffe);
        out.extend_from_slice(&timestamp.to_le_bytes());
        out.extend_from_slice(&(1000 + sensor as u32).to_le_bytes());
        out.extend_from_slice(&seq[sensor].to_le_bytes());
        out.extend_from_slice(&(f64::from(r as u32) / 1e6).to_le_bytes());
        out.extend_from_slice(&(20.0 + (r >> 50) as f32 / 1e3).to_le_bytes());
        out.extend_from_slice(&flags.to_le_bytes());
    }
    out
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

#[test]
fn examples_refuse_partial_records_with_the_offset() {
    for name in ["filter", "redact"] {
        let plugin = example(name);
        let mut instance = plugin.instance();
        let mut batch = telemetry(3, 10);
        batch.truncate(3 * RECORD - 5);
        let err = instance.transform(&batch).expect_err("partial record");
        assert_eq!(
            (err.kind, err.offset),
            (ErrorKind::Plugin, Some(64)),
            "{err}"
        );
        assert_eq!(err.plugin, name);
        // A refusal is the plugin's answer, not a failure: the next batch goes through.
        let whole = telemetry(4, 11);
        assert!(instance.transform(&whole).is_ok(), "{name} after a refusal");
    }
}
