//! Example binpipe plugin `filter`: keeps the telemetry records whose valid flag is set.
//!
//! A telemetry record is 32 bytes, little-endian, with `flags: u32` at offset 28; bit 0 is
//! "valid". The plugin drops every record without it and keeps the others in order. Batches
//! must be whole records (the plugin describes itself with record-size 32); a batch that is
//! not is refused with a plugin error at the offset of the partial record.
//!
//! The logic ([`keep_valid`]) is plain Rust, tested natively; the canonical-ABI glue that
//! wit-bindgen generates from `wit/plugin/plugin.wit` exists only on wasm32.

/// Length of one telemetry record.
pub const RECORD_SIZE: usize = 32;

/// Offset of the `flags` field within a record.
const FLAGS_OFFSET: usize = 28;

/// Compacts `batch` in place to the records whose flags bit 0 is set, keeping their order.
///
/// # Errors
/// When `batch.len()` is not a multiple of [`RECORD_SIZE`], returns the offset of the
/// trailing partial record; `batch` is left unchanged.
pub fn keep_valid(batch: &mut Vec<u8>) -> Result<(), usize> {
    let whole = batch.len() - batch.len() % RECORD_SIZE;
    if whole != batch.len() {
        return Err(whole);
    }
    let mut kept = 0;
    for start in (0..whole).step_by(RECORD_SIZE) {
        if batch[start + FLAGS_OFFSET] & 1 == 1 {
            batch.copy_within(start..start + RECORD_SIZE, kept);
            kept += RECORD_SIZE;
        }
    }
    batch.truncate(kept);
    Ok(())
}

#[cfg(target_arch = "wasm32")]
mod glue {
    wit_bindgen::generate!({
        path: "../../wit/plugin",
        world: "plugin",
    });

    /// The plugin's implementation of the `binpipe:plugin` world.
    struct Filter;

    impl Guest for Filter {
        fn describe() -> Description {
            Description {
                name: "filter".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                record_size: super::RECORD_SIZE as u32,
                max_batch: 0,
            }
        }

        fn transform(mut batch: Vec<u8>) -> Result<Vec<u8>, PluginError> {
            match super::keep_valid(&mut batch) {
                Ok(()) => Ok(batch),
                Err(offset) => Err(PluginError {
                    message: format!(
                        "batch of {} bytes is not a whole number of {}-byte records",
                        batch.len(),
                        super::RECORD_SIZE
                    ),
                    offset: Some(offset as u64),
                }),
            }
        }
    }

    export!(Filter);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A record whose bytes are all `tag`, with flags = `flags`.
    fn record(tag: u8, flags: u32) -> Vec<u8> {
        let mut r = vec![tag; RECORD_SIZE];
        r[FLAGS_OFFSET..].copy_from_slice(&flags.to_le_bytes());
        r
    }

    #[test]
    fn keeps_valid_records_in_order() {
        let records = [
            record(1, 1),
            record(2, 0),
            record(3, 3),
            record(4, 2),
            record(5, 0xffff_ffff),
        ];
        let mut batch = records.concat();
        keep_valid(&mut batch).unwrap();
        assert_eq!(batch, [&records[0][..], &records[2], &records[4]].concat());
    }

    #[test]
    fn empty_and_all_invalid_give_empty() {
        let mut empty = Vec::new();
        keep_valid(&mut empty).unwrap();
        assert!(empty.is_empty());
        let mut none_valid = [record(7, 0), record(8, 4)].concat();
        keep_valid(&mut none_valid).unwrap();
        assert!(none_valid.is_empty());
    }

    #[test]
    fn partial_record_is_refused_at_its_offset() {
        let mut batch = [record(1, 1), record(2, 1)].concat();
        batch.truncate(40);
        let before = batch.clone();
        assert_eq!(keep_valid(&mut batch), Err(32));
        assert_eq!(batch, before);
    }
}
