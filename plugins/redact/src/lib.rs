//! Example binpipe plugin `redact`: zeroes the `sensor_id` of every telemetry record.
//!
//! A telemetry record is 32 bytes, little-endian, with `sensor_id: u32` at offset 8. The
//! plugin overwrites bytes 8..12 of each record with zeros and leaves the rest untouched, so
//! the output has the input's length. Batches must be whole records (record-size 32); a batch
//! that is not is refused with a plugin error at the offset of the partial record.
//!
//! The logic ([`redact_sensor_ids`]) is plain Rust, tested natively; the canonical-ABI glue
//! that wit-bindgen generates from `wit/plugin/plugin.wit` exists only on wasm32.

/// Length of one telemetry record.
pub const RECORD_SIZE: usize = 32;

/// The bytes of `sensor_id` within a record.
const SENSOR_ID: core::ops::Range<usize> = 8..12;

/// Zeroes the `sensor_id` field of every record in `batch`, in place.
///
/// # Errors
/// When `batch.len()` is not a multiple of [`RECORD_SIZE`], returns the offset of the
/// trailing partial record; `batch` is left unchanged.
pub fn redact_sensor_ids(batch: &mut [u8]) -> Result<(), usize> {
    let whole = batch.len() - batch.len() % RECORD_SIZE;
    if whole != batch.len() {
        return Err(whole);
    }
    for record in batch.chunks_exact_mut(RECORD_SIZE) {
        record[SENSOR_ID].fill(0);
    }
    Ok(())
}

#[cfg(target_arch = "wasm32")]
mod glue {
    wit_bindgen::generate!({
        path: "../../wit/plugin",
        world: "plugin",
    });

    /// The plugin's implementation of the `binpipe:plugin` world.
    struct Redact;

    impl Guest for Redact {
        fn describe() -> Description {
            Description {
                name: "redact".into(),
                version: env!("CARGO_PKG_VERSION").into(),
                record_size: super::RECORD_SIZE as u32,
                max_batch: 0,
            }
        }

        fn transform(mut batch: Vec<u8>) -> Result<Vec<u8>, PluginError> {
            match super::redact_sensor_ids(&mut batch) {
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

    export!(Redact);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zeroes_only_sensor_ids() {
        let mut batch: Vec<u8> = (0..3 * RECORD_SIZE as u32)
            .map(|i| i as u8 | 0x80)
            .collect();
        let before = batch.clone();
        redact_sensor_ids(&mut batch).unwrap();
        for (i, (&got, &was)) in batch.iter().zip(&before).enumerate() {
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
        let mut batch = vec![0xaa; RECORD_SIZE + 10];
        assert_eq!(redact_sensor_ids(&mut batch), Err(32));
        assert_eq!(batch, vec![0xaa; RECORD_SIZE + 10]);
    }
}
