//! CRC-32C: every tier against the scalar reference, the scalar reference against a bitwise
//! CRC written from the polynomial, the check value, and the continuation rule.

mod common;

use binpipe_kernels::{Isa, Kernels};
use common::{ALIGNMENTS, Aligned, bytes, simd_tiers, sweep};
use proptest::prelude::*;

/// CRC-32C one bit at a time, straight from the definition: reflected polynomial
/// 0x82F63B78, register preset to `!seed`, output inverted.
fn bitwise(data: &[u8], seed: u32) -> u32 {
    let mut crc = !seed;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0x82F6_3B78
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// Every tier, scalar included.
fn all_tiers() -> Vec<Kernels> {
    let mut tiers = vec![Kernels::scalar()];
    tiers.extend(simd_tiers());
    tiers
}

#[test]
fn check_value_on_every_tier() {
    for k in all_tiers() {
        assert_eq!(k.crc32c(b"123456789", 0), 0xE306_9283, "{}", k.isa());
        assert_eq!(k.crc32c(b"", 0), 0, "{}", k.isa());
        assert_eq!(k.crc32c(b"", 0xDEAD_BEEF), 0xDEAD_BEEF, "{}", k.isa());
    }
    assert_eq!(binpipe_kernels::crc32c(b"123456789", 0), 0xE306_9283);
}

/// Known answers from RFC 3720 (iSCSI), appendix B.4.
#[test]
fn rfc3720_vectors() {
    let ascending: Vec<u8> = (0..32).collect();
    let descending: Vec<u8> = (0..32).rev().collect();
    for k in all_tiers() {
        assert_eq!(k.crc32c(&[0; 32], 0), 0x8A91_36AA, "{}", k.isa());
        assert_eq!(k.crc32c(&[0xFF; 32], 0), 0x62A8_AB43, "{}", k.isa());
        assert_eq!(k.crc32c(&ascending, 0), 0x46DD_794E, "{}", k.isa());
        assert_eq!(k.crc32c(&descending, 0), 0x113F_DB5C, "{}", k.isa());
    }
}

#[test]
fn scalar_matches_bitwise_definition() {
    let scalar = Kernels::scalar();
    for len in 0..=1024 {
        let data = bytes(len as u64, len);
        for seed in [0, 1, 0xFFFF_FFFF, 0x1234_5678] {
            assert_eq!(
                scalar.crc32c(&data, seed),
                bitwise(&data, seed),
                "len {len}"
            );
        }
    }
}

#[test]
fn every_tier_matches_scalar_over_lengths_and_alignments() {
    let scalar = Kernels::scalar();
    let tiers = simd_tiers();
    for data_seed in [1u64, 0xC0FFEE, 0x5EED_0003] {
        for crc_seed in [0u32, 0x9E37_79B9] {
            sweep(
                |len| bytes(data_seed ^ len as u64, len),
                |len, align, data| {
                    let expect = scalar.crc32c(data, crc_seed);
                    for k in &tiers {
                        assert_eq!(
                            k.crc32c(data, crc_seed),
                            expect,
                            "{} len {len} align {align} seed {crc_seed:#x}",
                            k.isa()
                        );
                    }
                },
            );
        }
    }
}

/// Lengths beyond the sweep, across the step sizes of the long-input paths (1536-byte
/// three-stream steps, 128/256-byte folding steps), at two alignments.
#[test]
fn every_tier_matches_scalar_on_longer_lengths() {
    let scalar = Kernels::scalar();
    let tiers = simd_tiers();
    let data = bytes(77, 5000 + 64);
    for align in [0, 13] {
        for len in 1025..=5000 {
            let view = &data[align..align + len];
            let expect = scalar.crc32c(view, 0x0BAD_F00D);
            for k in &tiers {
                assert_eq!(k.crc32c(view, 0x0BAD_F00D), expect, "{} len {len}", k.isa());
            }
        }
    }
}

/// Long runs of one byte value exercise the fold with degenerate chunks.
#[test]
fn constant_inputs() {
    let scalar = Kernels::scalar();
    for value in [0x00, 0xFF, 0x80, 0x01] {
        for len in [127, 128, 255, 256, 511, 512, 1023, 4096, 65_536 + 7] {
            let data = vec![value; len];
            let expect = scalar.crc32c(&data, 0);
            for k in simd_tiers() {
                assert_eq!(k.crc32c(&data, 0), expect, "{} {value:#x}×{len}", k.isa());
            }
        }
    }
}

#[test]
fn large_inputs() {
    let scalar = Kernels::scalar();
    let data = bytes(42, (1 << 20) + 13);
    for offset in [0, 1, 13, 63] {
        let view = &data[offset..];
        let expect = scalar.crc32c(view, 7);
        for k in simd_tiers() {
            assert_eq!(k.crc32c(view, 7), expect, "{} offset {offset}", k.isa());
        }
        assert_eq!(binpipe_kernels::crc32c(view, 7), expect);
    }
}

#[test]
fn continuation_with_random_splits() {
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let data = bytes(9, 5000);
    for k in all_tiers() {
        let whole = k.crc32c(&data, 0);
        for _ in 0..200 {
            let len = (next() % data.len() as u64) as usize;
            let split = (next() % (len as u64 + 1)) as usize;
            let (a, b) = data[..len].split_at(split);
            assert_eq!(
                k.crc32c(b, k.crc32c(a, 0)),
                k.crc32c(&data[..len], 0),
                "{} len {len} split {split}",
                k.isa()
            );
        }
        // Three pieces, one of them empty.
        let (a, rest) = data.split_at(1234);
        let (b, c) = rest.split_at(0);
        assert_eq!(
            k.crc32c(c, k.crc32c(b, k.crc32c(a, 0))),
            whole,
            "{}",
            k.isa()
        );
    }
}

#[test]
fn guard_bytes_never_matter() {
    // The kernels only read their slice: the CRC of a placed slice equals that of a copy, for
    // placements right against the guard bytes.
    let scalar = Kernels::scalar();
    for len in [0, 1, 15, 16, 17, 200, 300, 600] {
        let data = bytes(len as u64 + 100, len);
        let expect = scalar.crc32c(&data, 0);
        for align in 0..ALIGNMENTS {
            let placed = Aligned::new(&data, align);
            for k in simd_tiers() {
                assert_eq!(k.crc32c(placed.view(), 0), expect, "{}", k.isa());
            }
            assert!(placed.guards_intact());
        }
    }
}

/// Writes a note past the test harness's output capture, so a green run says what it could
/// not exercise (a run on a CPU without AVX-512 must not read as "AVX-512 tested").
fn note(message: &str) {
    use std::io::Write;
    let _ = writeln!(std::io::stderr().lock(), "note: {message}");
}

#[test]
fn tiers_report_what_they_skip() {
    for isa in Isa::ALL {
        if Kernels::new(isa).is_none() {
            note(&format!(
                "crc32c {isa} tier not exercised: not available on this CPU or target"
            ));
        }
    }
    #[cfg(target_arch = "x86_64")]
    {
        if !std::is_x86_feature_detected!("pclmulqdq") {
            note("crc32c PCLMULQDQ folding not exercised: CPU lacks PCLMULQDQ");
        }
        if Kernels::new(Isa::Avx2).is_some() && !std::is_x86_feature_detected!("vpclmulqdq") {
            note("crc32c 256-bit VPCLMULQDQ folding not exercised: CPU lacks VPCLMULQDQ");
        }
        if Kernels::new(Isa::Avx512).is_none() || !std::is_x86_feature_detected!("vpclmulqdq") {
            note(
                "crc32c 512-bit VPCLMULQDQ folding not exercised: needs AVX-512 F/BW/VL + VPCLMULQDQ",
            );
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_inputs_up_to_a_mebibyte(
        len in prop_oneof![0usize..4096, 0usize..(1 << 20)],
        data_seed: u64,
        crc_seed: u32,
        offset in 0usize..64,
    ) {
        let data = bytes(data_seed, len + offset);
        let view = &data[offset..];
        let expect = Kernels::scalar().crc32c(view, crc_seed);
        for k in simd_tiers() {
            prop_assert_eq!(k.crc32c(view, crc_seed), expect, "{}", k.isa());
        }
    }
}

/// `assume_vpclmulqdq` (what a build without `std` vouches for) gives the scalar reference's
/// CRC on every tier, over lengths 0..=1024 at offsets 0..64. Only where the CPU has it.
#[cfg(target_arch = "x86_64")]
#[test]
fn vouched_vpclmulqdq_matches_scalar() {
    if !std::is_x86_feature_detected!("vpclmulqdq") {
        eprintln!("note: skipping the vouched VPCLMULQDQ fold: CPU lacks VPCLMULQDQ");
        return;
    }
    let data = bytes(0x5EED, 1024 + 64);
    let scalar = Kernels::scalar();
    for k in simd_tiers() {
        // SAFETY: VPCLMULQDQ was detected just above.
        let wide = unsafe { k.assume_vpclmulqdq() };
        for off in 0..64 {
            for len in 0..=1024 {
                let d = &data[off..off + len];
                assert_eq!(
                    wide.crc32c(d, 7),
                    scalar.crc32c(d, 7),
                    "{} off {off} len {len}",
                    k.isa()
                );
            }
        }
    }
}
