//! Example binpipe plugin `redact`: zeroes the `sensor_id` of every telemetry record.
//!
//! A telemetry record is 32 bytes, little-endian, with `sensor_id: u32` at offset 8. The
//! plugin overwrites bytes 8..12 of each record with zeros and leaves the rest untouched, so
//! the output has the input's length. Batches must be whole records (record-size 32); a batch
//! that is not is refused with a plugin error at the offset of the partial record.
//!
//! Written on the [`binpipe_plugin`] SDK: the logic is [`Redact`]'s [`Plugin`] impl, tested
//! natively; `export!` makes it the module's plugin on wasm32.

use binpipe_plugin::{Description, Plugin, PluginError};

/// Length of one telemetry record.
pub const RECORD_SIZE: usize = 32;

/// The bytes of `sensor_id` within a record.
const SENSOR_ID: core::ops::Range<usize> = 8..12;

/// The plugin: zeroes the `sensor_id` field of every record.
pub struct Redact;

impl Plugin for Redact {
    fn describe() -> Description {
        Description::new("redact", env!("CARGO_PKG_VERSION")).record_size(RECORD_SIZE as u32)
    }

    fn transform(batch: &[u8], output: &mut Vec<u8>) -> Result<(), PluginError> {
        for record in binpipe_plugin::records(batch, RECORD_SIZE)? {
            let start = output.len();
            output.extend_from_slice(record);
            output[start + SENSOR_ID.start..start + SENSOR_ID.end].fill(0);
        }
        Ok(())
    }
}

binpipe_plugin::export!(Redact);

#[cfg(test)]
mod tests {
    use super::*;

    fn run(batch: &[u8]) -> Result<Vec<u8>, PluginError> {
        let mut out = Vec::new();
        Redact::transform(batch, &mut out).map(|()| out)
    }

    #[test]
    fn zeroes_only_sensor_ids() {
        let batch: Vec<u8> = (0..3 * RECORD_SIZE as u32)
            .map(|i| i as u8 | 0x80)
            .collect();
        let got = run(&batch).unwrap();
        assert_eq!(got.len(), batch.len());
        for (i, (&got, &was)) in got.iter().zip(&batch).enumerate() {
            let want = if SENSOR_ID.contains(&(i % RECORD_SIZE)) {
                0
            } else {
                was
            };
            assert_eq!(got, want, "byte {i}");
        }
    }

    #[test]
    fn partial_record_is_refused_at_its_offset() {
        let err = run(&[0xaa; RECORD_SIZE + 10]).unwrap_err();
        assert_eq!(err.offset, Some(32));
    }
}
