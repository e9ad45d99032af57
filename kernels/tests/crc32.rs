//! CRC-32/ISO-HDLC: every tier against the scalar reference, the scalar reference against a
//! bitwise CRC written from the polynomial and against crc32fast, the check value, and the
//! continuation rule.

mod common;

use binpipe_kernels::{Isa, Kernels};
use common::{ALIGNMENTS, Aligned, bytes, simd_tiers, sweep};
use proptest::prelude::*;

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

/// Known answers computed with zlib (Python's `zlib.crc32`), including the continuation form
/// `zlib.crc32(b, zlib.crc32(a))`.
#[test]
fn zlib_known_answers() {
    let ascending: Vec<u8> = (0..=255).collect();
    for k in all_tiers() {
        assert_eq!(k.crc32(b"a", 0), 0xE8B7_BE43, "{}", k.isa());
        assert_eq!(k.crc32(b"abc", 0), 0x3524_41C2, "{}", k.isa());
        assert_eq!(
            k.crc32(b"The quick brown fox jumps over the lazy dog", 0),
            0x414F_A339,
            "{}",
            k.isa()
        );
        assert_eq!(k.crc32(&[0; 32], 0), 0x190A_55AD, "{}", k.isa());
        assert_eq!(k.crc32(&[0xFF; 32], 0), 0xFF6C_AB0B, "{}", k.isa());
        assert_eq!(k.crc32(&ascending, 0), 0x2905_8C73, "{}", k.isa());
        assert_eq!(
            k.crc32(b"56789", k.crc32(b"1234", 0)),
            0xCBF4_3926,
            "{}",
            k.isa()
        );
    }
}

/// Lengths beyond the sweep, across the step sizes of the long-input paths (128- and
/// 256-byte folding steps, the 1024-byte AVX-512 threshold), at two alignments.
#[test]
fn every_tier_matches_scalar_on_longer_lengths() {
    let scalar = Kernels::scalar();
    let tiers = simd_tiers();
    let data = bytes(77, 5000 + 64);
    for align in [0, 13] {
        for len in 1025..=5000 {
            let view = &data[align..align + len];
            let expect = scalar.crc32(view, 0x0BAD_F00D);
            for k in &tiers {
                assert_eq!(k.crc32(view, 0x0BAD_F00D), expect, "{} len {len}", k.isa());
            }
        }
    }
}

/// Long runs of one byte value exercise the fold with degenerate chunks.
#[test]
fn constant_inputs() {
    let scalar = Kernels::scalar();
    for value in [0x00, 0xFF, 0x80, 0x01] {
        for len in [
            15,
            16,
            17,
            127,
            128,
            255,
            256,
            511,
            512,
            1023,
            4096,
            65_536 + 7,
        ] {
            let data = vec![value; len];
            let expect = scalar.crc32(&data, 0);
            for k in simd_tiers() {
                assert_eq!(k.crc32(&data, 0), expect, "{} {value:#x}×{len}", k.isa());
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
        let expect = scalar.crc32(view, 7);
        assert_eq!(crc32fast::Hasher::new_with_initial(7).chain(view), expect);
        for k in simd_tiers() {
            assert_eq!(k.crc32(view, 7), expect, "{} offset {offset}", k.isa());
        }
        assert_eq!(binpipe_kernels::crc32(view, 7), expect);
    }
}

/// `crc32fast::Hasher` updated with one slice, finalized.
trait Chain {
    /// The hasher's CRC after `data`.
    fn chain(self, data: &[u8]) -> u32;
}

impl Chain for crc32fast::Hasher {
    fn chain(mut self, data: &[u8]) -> u32 {
        self.update(data);
        self.finalize()
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
        let whole = k.crc32(&data, 0);
        for _ in 0..200 {
            let len = (next() % data.len() as u64) as usize;
            let split = (next() % (len as u64 + 1)) as usize;
            let (a, b) = data[..len].split_at(split);
            assert_eq!(
                k.crc32(b, k.crc32(a, 0)),
                k.crc32(&data[..len], 0),
                "{} len {len} split {split}",
                k.isa()
            );
        }
        // Three pieces, one of them empty.
        let (a, rest) = data.split_at(1234);
        let (b, c) = rest.split_at(0);
        assert_eq!(k.crc32(c, k.crc32(b, k.crc32(a, 0))), whole, "{}", k.isa());
    }
}

#[test]
fn guard_bytes_never_matter() {
    // The kernels only read their slice: the CRC of a placed slice equals that of a copy, for
    // placements right against the guard bytes.
    let scalar = Kernels::scalar();
    for len in [0, 1, 15, 16, 17, 31, 200, 300, 600, 1100] {
        let data = bytes(len as u64 + 100, len);
        let expect = scalar.crc32(&data, 0);
        for align in 0..ALIGNMENTS {
            let placed = Aligned::new(&data, align);
            for k in simd_tiers() {
                assert_eq!(k.crc32(placed.view(), 0), expect, "{}", k.isa());
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
                "crc32 {isa} tier not exercised: not available on this CPU or target"
            ));
        }
    }
    #[cfg(target_arch = "x86_64")]
    {
        if !std::is_x86_feature_detected!("pclmulqdq") {
            note("crc32 PCLMULQDQ folding not exercised: CPU lacks PCLMULQDQ");
        }
        if Kernels::new(Isa::Avx2).is_some() && !std::is_x86_feature_detected!("vpclmulqdq") {
            note("crc32 256-bit VPCLMULQDQ folding not exercised: CPU lacks VPCLMULQDQ");
        }
        if Kernels::new(Isa::Avx512).is_none() || !std::is_x86_feature_detected!("vpclmulqdq") {
            note(
                "crc32 512-bit VPCLMULQDQ folding not exercised: needs AVX-512 F/BW/VL + VPCLMULQDQ",
            );
        }
    }
    #[cfg(target_arch = "aarch64")]
    {
        if !std::arch::is_aarch64_feature_detected!("crc") {
            note("crc32 Arm CRC instructions not exercised: CPU lacks them");
        }
        if !std::arch::is_aarch64_feature_detected!("aes") {
            note("crc32 PMULL folding not exercised: CPU lacks PMULL");
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
        let expect = Kernels::scalar().crc32(view, crc_seed);
        for k in simd_tiers() {
            prop_assert_eq!(k.crc32(view, crc_seed), expect, "{}", k.isa());
        }
        prop_assert_eq!(binpipe_kernels::crc32(view, crc_seed), expect);
    }

    #[test]
    fn continuation_splits_anywhere(
        len in 0usize..3000,
        split_frac in 0.0f64..=1.0,
        data_seed: u64,
        crc_seed: u32,
    ) {
        let data = bytes(data_seed, len);
        let split = ((len as f64) * split_frac) as usize;
        let (a, b) = data.split_at(split.min(len));
        for k in all_tiers() {
            prop_assert_eq!(k.crc32(b, k.crc32(a, crc_seed)), k.crc32(&data, crc_seed), "{}", k.isa());
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
                    wide.crc32(d, 7),
                    scalar.crc32(d, 7),
                    "{} off {off} len {len}",
                    k.isa()
                );
            }
        }
    }
}
