//! Splitting a batch into fixed-size records.

use crate::PluginError;

/// The `size`-byte records of `batch`, or a [`PluginError`] at the offset of the trailing
/// partial record when `batch` is not a whole number of them.
///
/// A plugin that describes itself with `record_size` never sees such a batch (the host refuses
/// it first); the check keeps the plugin correct under any host.
///
/// # Panics
/// When `size` is 0.
pub fn records(batch: &[u8], size: usize) -> Result<core::slice::ChunksExact<'_, u8>, PluginError> {
    assert!(size > 0, "records: a record size of 0");
    let whole = batch.len() - batch.len() % size;
    if whole != batch.len() {
        return Err(PluginError::new(format!(
            "batch of {} bytes is not a whole number of {size}-byte records",
            batch.len()
        ))
        .at(whole));
    }
    Ok(batch.chunks_exact(size))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_records_split_in_order() {
        let batch: Vec<u8> = (0..12).collect();
        let got: Vec<&[u8]> = records(&batch, 4).unwrap().collect();
        assert_eq!(got, [&batch[0..4], &batch[4..8], &batch[8..12]]);
        assert_eq!(records(&[], 4).unwrap().count(), 0);
    }

    #[test]
    fn a_partial_record_is_refused_at_its_offset() {
        let err = records(&[0; 10], 4).unwrap_err();
        assert_eq!(err.offset, Some(8));
        assert_eq!(
            err.message,
            "batch of 10 bytes is not a whole number of 4-byte records"
        );
    }
}
