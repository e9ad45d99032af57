//! XXH3-64: the scalar reference against xxhash-rust (itself checked against the reference C
//! implementation), every tier against the scalar reference, and the check values.

mod common;

use binpipe_kernels::{Isa, Kernels};
use common::{ALIGNMENTS, Aligned, bytes, simd_tiers, sweep};
use proptest::prelude::*;
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

/// Known answers from the reference implementation (Python's `xxhash` package, which wraps
/// the C library).
#[test]
fn reference_known_answers() {
    let ascending: Vec<u8> = (0..=255).collect();
    let cases: [(&[u8], u64, u64); 9] = [
        (b"", 0, 0x2D06_8005_38D3_94C2),
        (b"a", 0, 0xE6C6_32B6_1E96_4E1F),
        (b"abc", 0, 0x78AF_5F94_892F_3950),
        (b"123456789", 0, 0x72DC_B18B_67A1_7DFF),
        (
            b"The quick brown fox jumps over the lazy dog",
            0,
            0xCE7D_19A5_418F_B365,
        ),
        (b"", 1, 0x4DC5_B0CC_826F_6703),
        (&ascending, 0, 0x9408_A443_3B95_2D71),
        (&ascending.repeat(4), u64::MAX, 0xF889_7312_C9CE_BE17),
        (&[0; 2000], 0x9E37_79B9_7F4A_7C15, 0xC3CA_E4E1_F085_27D9),
    ];
    for k in all_tiers() {
        for (data, seed, expect) in cases {
            assert_eq!(
                k.xxh3_64(data, seed),
                expect,
                "{} len {}",
                k.isa(),
                data.len()
            );
        }
    }
}

/// Lengths around every boundary of the algorithm (16, 128, 240, stripes of 64, blocks of
/// 1024), many seeds, every tier against xxhash-rust directly.
#[test]
fn every_tier_matches_xxhash_rust_at_boundaries() {
    let data = bytes(11, 70_000);
    let mut lens: Vec<usize> = Vec::new();
    for edge in [16, 128, 240, 1024, 2048, 4096, 16_384, 65_536] {
        lens.extend(edge - 3..=edge + 3);
    }
    for stripe_end in (256..=2048).step_by(64) {
        lens.extend([stripe_end - 1, stripe_end, stripe_end + 1]);
    }
    let mut state = 0x0123_4567_89AB_CDEFu64;
    let mut seeds: Vec<u64> = SEEDS.to_vec();
    for _ in 0..8 {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        seeds.push(state);
    }
    for k in all_tiers() {
        for &len in &lens {
            for &seed in &seeds {
                assert_eq!(
                    k.xxh3_64(&data[..len], seed),
                    xxh3_64_with_seed(&data[..len], seed),
                    "{} len {len} seed {seed:#x}",
                    k.isa()
                );
            }
        }
    }
}

/// Inputs over a mebibyte, at odd lengths and offsets, with several seeds.
#[test]
fn large_inputs() {
    let data = bytes(42, (1 << 20) + 4096);
    for (offset, len) in [
        (0, 1 << 20),
        (1, (1 << 20) + 1),
        (13, (1 << 20) + 1023),
        (63, (1 << 20) + 4000),
    ] {
        let view = &data[offset..offset + len];
        for seed in [0, 1, u64::MAX] {
            let expect = xxh3_64_with_seed(view, seed);
            for k in all_tiers() {
                assert_eq!(k.xxh3_64(view, seed), expect, "{} len {len}", k.isa());
            }
            assert_eq!(binpipe_kernels::xxh3_64(view, seed), expect);
        }
    }
}

/// Constant inputs: the keyed products degenerate (a zero data word keyed with the secret).
#[test]
fn constant_inputs() {
    for value in [0x00, 0xFF, 0x80] {
        for len in [241, 1024, 1025, 4096, 65_536 + 7] {
            let data = vec![value; len];
            let expect = xxh3_64_with_seed(&data, 0);
            for k in all_tiers() {
                assert_eq!(k.xxh3_64(&data, 0), expect, "{} {value:#x}×{len}", k.isa());
            }
        }
    }
}

#[test]
fn guard_bytes_never_matter() {
    let scalar = Kernels::scalar();
    for len in [0, 1, 16, 17, 240, 241, 300, 1025] {
        let data = bytes(len as u64 + 100, len);
        let expect = scalar.xxh3_64(&data, 3);
        for align in 0..ALIGNMENTS {
            let placed = Aligned::new(&data, align);
            for k in simd_tiers() {
                assert_eq!(k.xxh3_64(placed.view(), 3), expect, "{}", k.isa());
            }
            assert!(placed.guards_intact());
        }
    }
}

#[test]
fn tiers_report_what_they_skip() {
    use std::io::Write;
    for isa in Isa::ALL {
        if Kernels::new(isa).is_none() {
            let _ = writeln!(
                std::io::stderr().lock(),
                "note: xxh3 {isa} tier not exercised: not available on this CPU or target"
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_inputs_match_xxhash_rust(
        len in prop_oneof![0usize..300, 0usize..5000, 0usize..(1 << 20)],
        data_seed: u64,
        seed: u64,
        offset in 0usize..64,
    ) {
        let data = bytes(data_seed, len + offset);
        let view = &data[offset..];
        let expect = xxh3_64_with_seed(view, seed);
        for k in all_tiers() {
            prop_assert_eq!(k.xxh3_64(view, seed), expect, "{}", k.isa());
        }
        prop_assert_eq!(binpipe_kernels::xxh3_64(view, seed), expect);
    }
}
