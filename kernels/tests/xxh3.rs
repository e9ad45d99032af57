//! XXH3-64: the scalar reference against xxhash-rust (itself checked against the reference C
//! implementation), every tier against the scalar reference, and the check values.

mod common;

use binpipe_kernels::Kernels;
use common::{bytes, simd_tiers, sweep};
use xxhash_rust::xxh3::xxh3_64_with_seed;

/// Every tier, scalar included.
fn all_tiers() -> Vec<Kernels> {
    let mut tiers = vec![Kernels::scalar()];
    tiers.extend(simd_tiers());
    tiers
}

#[test]
fn check_value_on_every_tier() {
    for k in all_tiers() {
        assert_eq!(k.xxh3_64(b"", 0), 0x2D06_8005_38D3_94C2, "{}", k.isa());
    }
    assert_eq!(binpipe_kernels::xxh3_64(b"", 0), 0x2D06_8005_38D3_94C2);
}

/// Seeds that matter: zero (default secret), one, all ones, and a few mixed values.
const SEEDS: [u64; 6] = [
    0,
    1,
    u64::MAX,
    0x9E37_79B9_7F4A_7C15,
    0x0000_0000_FFFF_FFFF,
    0x1234_5678_0000_0000,
];

#[test]
fn scalar_matches_xxhash_rust() {
    let scalar = Kernels::scalar();
    let data = bytes(5, 20_000);
    for len in (0..=2100).chain([16_383, 16_384, 16_385, 20_000]) {
        for seed in SEEDS {
            assert_eq!(
                scalar.xxh3_64(&data[..len], seed),
                xxh3_64_with_seed(&data[..len], seed),
                "len {len} seed {seed:#x}"
            );
        }
    }
}

#[test]
fn every_tier_matches_scalar_over_lengths_and_alignments() {
    let scalar = Kernels::scalar();
    let tiers = simd_tiers();
    for seed in [0u64, 0xA5A5_5A5A_DEAD_BEEF] {
        sweep(
            |len| bytes(0xC0FFEE ^ len as u64, len),
            |len, align, data| {
                let expect = scalar.xxh3_64(data, seed);
                for k in &tiers {
                    assert_eq!(
                        k.xxh3_64(data, seed),
                        expect,
                        "{} len {len} align {align} seed {seed:#x}",
                        k.isa()
                    );
                }
            },
        );
    }
}
