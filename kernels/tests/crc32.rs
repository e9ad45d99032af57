//! CRC-32/ISO-HDLC: every tier against the scalar reference, the scalar reference against a
//! bitwise CRC written from the polynomial and against crc32fast, the check value, and the
//! continuation rule.

mod common;

use binpipe_kernels::Kernels;
use common::{bytes, simd_tiers, sweep};

/// CRC-32 one bit at a time, straight from the definition: reflected polynomial 0xEDB88320,
/// register preset to `!seed`, output inverted.
fn bitwise(data: &[u8], seed: u32) -> u32 {
    let mut crc = !seed;
    for &byte in data {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 {
                (crc >> 1) ^ 0xEDB8_8320
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
        assert_eq!(k.crc32(b"123456789", 0), 0xCBF4_3926, "{}", k.isa());
        assert_eq!(k.crc32(b"", 0), 0, "{}", k.isa());
        assert_eq!(k.crc32(b"", 0xDEAD_BEEF), 0xDEAD_BEEF, "{}", k.isa());
    }
    assert_eq!(binpipe_kernels::crc32(b"123456789", 0), 0xCBF4_3926);
}

#[test]
fn scalar_matches_bitwise_definition_and_crc32fast() {
    let scalar = Kernels::scalar();
    for len in 0..=1024 {
        let data = bytes(len as u64, len);
        for seed in [0, 1, 0xFFFF_FFFF, 0x1234_5678] {
            let expect = bitwise(&data, seed);
            assert_eq!(scalar.crc32(&data, seed), expect, "len {len}");
            let mut hasher = crc32fast::Hasher::new_with_initial(seed);
            hasher.update(&data);
            assert_eq!(hasher.finalize(), expect, "crc32fast, len {len}");
        }
    }
}

#[test]
fn every_tier_matches_scalar_over_lengths_and_alignments() {
    let scalar = Kernels::scalar();
    let tiers = simd_tiers();
    for data_seed in [1u64, 0xC0FFEE] {
        for crc_seed in [0u32, 0x9E37_79B9] {
            sweep(
                |len| bytes(data_seed ^ len as u64, len),
                |len, align, data| {
                    let expect = scalar.crc32(data, crc_seed);
                    for k in &tiers {
                        assert_eq!(
                            k.crc32(data, crc_seed),
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
