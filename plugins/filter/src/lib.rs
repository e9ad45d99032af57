//! Example binpipe plugin `filter`: keeps the telemetry records whose valid flag is set.
//!
//! A telemetry record is 32 bytes, little-endian, with `flags: u32` at offset 28; bit 0 is
//! "valid". The plugin drops every record without it and keeps the others in order. Batches
//! must be whole records (the plugin describes itself with record-size 32); a batch that is
//! not is refused with a plugin error at the offset of the partial record.
//!
//! Written on the [`binpipe_plugin`] SDK: the logic is [`Filter`]'s [`Plugin`] impl, tested
//! natively; `export!` makes it the module's plugin on wasm32.

use binpipe_plugin::{Description, Plugin, PluginError};

/// Length of one telemetry record.
pub const RECORD_SIZE: usize = 32;

/// Offset of the `flags` field within a record.
const FLAGS_OFFSET: usize = 28;

/// The plugin: keeps the records whose flags bit 0 is set.
pub struct Filter;

impl Plugin for Filter {
    fn describe() -> Description {
        Description::new("filter", env!("CARGO_PKG_VERSION")).record_size(RECORD_SIZE as u32)
    }

    fn transform(batch: &[u8], output: &mut Vec<u8>) -> Result<(), PluginError> {
        for record in binpipe_plugin::records(batch, RECORD_SIZE)? {
            if record[FLAGS_OFFSET] & 1 == 1 {
                output.extend_from_slice(record);
            }
        }
        Ok(())
    }
}

binpipe_plugin::export!(Filter);

#[cfg(test)]
mod tests {
    use super::*;

    /// A record whose bytes are all `tag`, with flags = `flags`.
    fn record(tag: u8, flags: u32) -> Vec<u8> {
        let mut r = vec![tag; RECORD_SIZE];
        r[FLAGS_OFFSET..].copy_from_slice(&flags.to_le_bytes());
        r
    }

    fn run(batch: &[u8]) -> Result<Vec<u8>, PluginError> {
        let mut out = Vec::new();
        Filter::transform(batch, &mut out).map(|()| out)
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
        assert_eq!(
            run(&records.concat()).unwrap(),
            [&records[0][..], &records[2], &records[4]].concat()
        );
    }

    #[test]
    fn empty_and_all_invalid_give_empty() {
        assert!(run(&[]).unwrap().is_empty());
        assert!(
            run(&[record(7, 0), record(8, 4)].concat())
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn partial_record_is_refused_at_its_offset() {
        let mut batch = [record(1, 1), record(2, 1)].concat();
        batch.truncate(40);
        let err = run(&batch).unwrap_err();
        assert_eq!(err.offset, Some(32));
        assert_eq!(
            err.message,
            "batch of 40 bytes is not a whole number of 32-byte records"
        );
    }
}
