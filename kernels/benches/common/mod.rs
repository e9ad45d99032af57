//! Shared bench settings: sizes, a short criterion configuration, deterministic data.
#![allow(dead_code)]

use std::time::Duration;

use criterion::Criterion;

/// The input sizes every bench runs at, with their labels.
pub const SIZES: [(usize, &str); 3] = [(4 << 10, "4KiB"), (64 << 10, "64KiB"), (1 << 20, "1MiB")];

/// Criterion settings that keep a full run to a few minutes on a small shared machine:
/// ratios measured side by side in one run matter here, not tight absolute numbers.
pub fn config() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_secs(1))
        .without_plots()
}

/// The tests' deterministic data (SplitMix64), so benches and tests share one generator.
#[path = "../../tests/common/mod.rs"]
mod test_support;

pub use test_support::bytes;
