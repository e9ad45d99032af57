//! `count_byte`: every SIMD tier against the scalar reference, over every length 0..=1024 at
//! every alignment, with needles that are dense, sparse, absent and everywhere, over runs long
//! enough to overflow 8-bit lane counters, and on random inputs.

mod common;

use binpipe_kernels::{Kernels, count_byte};
use common::{Aligned, bytes, simd_tiers, sweep};
use proptest::prelude::*;
use std::sync::LazyLock;

/// The SIMD tiers, looked up (and their skips reported) once for all property-test cases.
static TIERS: LazyLock<Vec<Kernels>> = LazyLock::new(simd_tiers);

/// The inputs one length is checked with: `(name, data, needle)`.
fn cases(len: usize) -> Vec<(&'static str, Vec<u8>, u8)> {
    let random = bytes(len as u64, len);
    vec![
        // A quarter of the bytes match, at random places.
        ("dense", random.iter().map(|b| b & 3).collect(), 2),
        // About one byte in 256 matches.
        ("sparse", random.clone(), 0x5A),
        // No byte matches (all bytes have the top bit clear).
        ("never", random.iter().map(|b| b & 0x7F).collect(), 0x80),
        // Every byte matches.
        ("all", vec![0; len], 0),
        // Zero is the needle: masks and zeroed registers must not count it.
        ("zero-needle", random, 0),
    ]
}

#[test]
fn every_tier_matches_scalar_over_lengths_and_alignments() {
    let tiers = simd_tiers();
    let scalar = Kernels::scalar();
    for len in 0..=common::MAX_LEN {
        for (name, data, needle) in cases(len) {
            let want = scalar.count_byte(&data, needle);
            for align in 0..common::ALIGNMENTS {
                let placed = Aligned::new(&data, align);
                for k in &tiers {
                    assert_eq!(
                        k.count_byte(placed.view(), needle),
                        want,
                        "{} {name} len {len} align {align}",
                        k.isa()
                    );
                }
            }
        }
    }
}

#[test]
fn sweep_helper_random_data() {
    // The shared sweep over random data and a needle taken from the data itself.
    let tiers = simd_tiers();
    sweep(
        |len| bytes(0xC0FFEE ^ len as u64, len),
        |len, align, data| {
            let needle = data.first().copied().unwrap_or(7);
            let want = Kernels::scalar().count_byte(data, needle);
            for k in &tiers {
                assert_eq!(
                    k.count_byte(data, needle),
                    want,
                    "{} len {len} align {align}",
                    k.isa()
                );
            }
        },
    );
}

#[test]
fn long_runs_overflow_byte_counters() {
    // A run of one byte adds one to a lane counter per vector: the counters would wrap after
    // 255 × (vector width) × (accumulators) bytes if they were not flushed. Cover lengths
    // around those points for 16-, 32- and 64-byte vectors and four accumulators, and far
    // beyond.
    let tiers = simd_tiers();
    let mut lens = vec![70_000, 300_000];
    for width in [16, 32, 64] {
        for per in [255 * width, 4 * 255 * width, 2 * 4 * 255 * width] {
            lens.extend([per - 1, per, per + 1, per + width + 3]);
        }
    }
    for len in lens {
        let mut data = vec![b'x'; len];
        // A few other bytes so the answer is not simply `len`.
        for i in (0..len).step_by(4097) {
            data[i] = b'y';
        }
        for align in [0, 1, 31] {
            let placed = Aligned::new(&data, align);
            let want = Kernels::scalar().count_byte(placed.view(), b'x');
            for k in &tiers {
                assert_eq!(
                    k.count_byte(placed.view(), b'x'),
                    want,
                    "{} len {len} align {align}",
                    k.isa()
                );
                assert_eq!(k.count_byte(placed.view(), b'y'), len.div_ceil(4097) as u64);
            }
            assert!(placed.guards_intact());
        }
    }
}

#[test]
fn best_tier_matches_scalar() {
    for len in [0, 1, 15, 16, 17, 63, 64, 65, 1000, 100_000] {
        let data = bytes(len as u64, len);
        for needle in [0, 1, 0x80, 0xFF] {
            assert_eq!(
                count_byte(&data, needle),
                Kernels::scalar().count_byte(&data, needle)
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_inputs_match_scalar(
        data in proptest::collection::vec(any::<u8>(), 0..65_536),
        needle in any::<u8>(),
        start in 0usize..64,
    ) {
        let data = &data[start.min(data.len())..];
        let want = Kernels::scalar().count_byte(data, needle);
        for k in TIERS.iter() {
            prop_assert_eq!(k.count_byte(data, needle), want, "{}", k.isa());
        }
    }

    #[test]
    fn few_symbol_inputs_match_scalar(
        data in proptest::collection::vec(0u8..4, 0..65_536),
        needle in 0u8..4,
    ) {
        let want = Kernels::scalar().count_byte(&data, needle);
        for k in TIERS.iter() {
            prop_assert_eq!(k.count_byte(&data, needle), want, "{}", k.isa());
        }
    }
}
