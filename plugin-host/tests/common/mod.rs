//! Test data shared by the example tests and the bench.

/// Length of a telemetry record (contract E): timestamp u64 @0, sensor_id u32 @8, seq u32
/// @12, reading f64 @16, temperature f32 @24, flags u32 @28 (bit 0 = valid).
pub const RECORD: usize = 32;

/// `count` telemetry records from a fixed-seed generator: increasing timestamps with jitter,
/// 16 sensors with per-sensor sequence numbers, about a quarter of the records invalid, and
/// flag bits above bit 0 set at random (the filter must look at bit 0 alone).
pub fn telemetry(count: usize, seed: u64) -> Vec<u8> {
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
