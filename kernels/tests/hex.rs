//! Hex encode and decode: every SIMD tier against the scalar reference over every length
//! 0..=1024 at every alignment, every position of every input corrupted with every class of
//! bad byte (error kind and offset equal to the scalar reference's), round trips, the scalar
//! reference against the `hex` crate and against the offset rule computed from its definition,
//! argument errors and random property tests.

mod common;

use binpipe_kernels::{
    KernelError, Kernels, hex_decode, hex_decode_into, hex_encode, hex_encode_into,
};
use common::{ALIGNMENTS, Aligned, MAX_LEN, bytes, simd_tiers};
use proptest::prelude::*;
use std::sync::LazyLock;

/// The SIMD tiers, looked up (and their skips reported) once for all property-test cases.
static TIERS: LazyLock<Vec<Kernels>> = LazyLock::new(simd_tiers);

/// Every tier, scalar first.
fn all_tiers() -> Vec<Kernels> {
    let mut tiers = vec![Kernels::scalar()];
    tiers.extend(simd_tiers());
    tiers
}

/// `k`'s encoding of `data`, into a guarded buffer at `align`.
fn encode(k: &Kernels, data: &[u8], uppercase: bool, align: usize) -> Vec<u8> {
    let mut dst = Aligned::new(&vec![0x3C; 2 * data.len()], align);
    let n = k
        .hex_encode_into(data, uppercase, dst.view_mut())
        .expect("valid arguments");
    assert_eq!(n, 2 * data.len());
    assert!(dst.guards_intact(), "{} encode wrote outside dst", k.isa());
    dst.view().to_vec()
}

/// `k`'s decoding of `data`, into a guarded buffer at `align` (the decoded bytes, or the error).
fn decode(k: &Kernels, data: &[u8], align: usize) -> Result<Vec<u8>, KernelError> {
    let mut dst = Aligned::new(&vec![0x3C; data.len() / 2], align);
    let result = k.hex_decode_into(data, dst.view_mut());
    assert!(dst.guards_intact(), "{} decode wrote outside dst", k.isa());
    result.map(|n| {
        assert_eq!(n, data.len() / 2);
        dst.view().to_vec()
    })
}

/// The error offset, from the rule's definition: the length of the longest prefix that some
/// suffix turns into valid hex (a prefix of valid hex needs at most one more digit), with the
/// `hex` crate judging validity.
fn offset_by_definition(data: &[u8]) -> Option<u64> {
    let valid = |s: &[u8]| hex::decode(s).is_ok();
    if valid(data) {
        return None;
    }
    let extendable = |p: &[u8]| valid(p) || valid(&[p, b"0"].concat());
    let longest = (0..=data.len()).rev().find(|&k| extendable(&data[..k]));
    Some(longest.unwrap_or(0) as u64)
}

/// The offset of an `InvalidData` error (panics on any other result).
fn offset_of(result: &Result<Vec<u8>, KernelError>) -> u64 {
    match result {
        Err(KernelError::InvalidData { offset, .. }) => *offset,
        other => panic!("expected invalid data, got {other:?}"),
    }
}

#[test]
fn literal_examples() {
    for k in all_tiers() {
        let isa = k.isa();
        assert_eq!(encode(&k, b"", false, 0), b"", "{isa}");
        assert_eq!(
            encode(&k, &[0x00, 0x9F, 0xFF], false, 0),
            b"009fff",
            "{isa}"
        );
        assert_eq!(encode(&k, &[0x00, 0x9F, 0xFF], true, 0), b"009FFF", "{isa}");
        assert_eq!(
            decode(&k, b"009fFF", 0),
            Ok(vec![0x00, 0x9F, 0xFF]),
            "{isa}"
        );
        assert_eq!(decode(&k, b"", 0), Ok(vec![]), "{isa}");
        assert_eq!(offset_of(&decode(&k, b"0", 0)), 1, "{isa}");
        assert_eq!(offset_of(&decode(&k, b"0g0", 0)), 1, "{isa}");
        assert_eq!(offset_of(&decode(&k, b"00 ", 0)), 2, "{isa}");
        assert_eq!(offset_of(&decode(&k, b"0x00", 0)), 1, "{isa}");
    }
    assert_eq!(hex_encode(b"\x01\xab", true), b"01AB");
    assert_eq!(hex_decode(b"01aB"), Ok(vec![1, 0xAB]));
}

#[test]
fn scalar_matches_the_hex_crate_and_the_offset_definition() {
    let scalar = Kernels::scalar();
    for len in 0..=300 {
        let data = bytes(len as u64, len);
        assert_eq!(
            encode(&scalar, &data, false, 0),
            hex::encode(&data).into_bytes()
        );
        assert_eq!(
            encode(&scalar, &data, true, 0),
            hex::encode_upper(&data).into_bytes()
        );
    }
    // Every byte value in every position of a short input, and odd lengths.
    for len in 0..=5 {
        for pos in 0..len {
            for byte in 0..=255u8 {
                let mut data = b"a0F9b3".to_vec();
                data.truncate(len);
                data[pos] = byte;
                let got = decode(&scalar, &data, 0);
                match hex::decode(&data) {
                    Ok(want) => assert_eq!(got, Ok(want), "{data:?}"),
                    Err(_) => assert_eq!(
                        Some(offset_of(&got)),
                        offset_by_definition(&data),
                        "{data:?}"
                    ),
                }
            }
        }
    }
}

#[test]
fn every_tier_matches_scalar_over_lengths_and_alignments() {
    let tiers = simd_tiers();
    let scalar = Kernels::scalar();
    for len in 0..=MAX_LEN {
        let data = bytes(0x4E58 ^ len as u64, len);
        for uppercase in [false, true] {
            let want = encode(&scalar, &data, uppercase, 0);
            assert_eq!(decode(&scalar, &want, 0).as_deref(), Ok(&data[..]));
            for align in 0..ALIGNMENTS {
                let src = Aligned::new(&data, align);
                let text = Aligned::new(&want, align);
                for k in &tiers {
                    let isa = k.isa();
                    let dst_align = (align * 7 + 5) % ALIGNMENTS;
                    assert!(
                        encode(k, src.view(), uppercase, dst_align) == want,
                        "{isa} encode len {len} align {align}"
                    );
                    assert!(
                        decode(k, text.view(), dst_align).as_deref() == Ok(&data[..]),
                        "{isa} decode len {len} align {align}"
                    );
                }
            }
        }
    }
}

/// Bytes that are not hex digits, one per class: neighbours of every digit range, whitespace,
/// zero, high bytes (signed-compare pitfalls) and case-folded neighbours.
const BAD: [u8; 16] = [
    b'/', b':', b'@', b'G', b'`', b'g', b' ', b'\n', 0x00, 0x7F, 0x80, 0xB0, 0xC6, 0xE6, 0xFF, b'x',
];

#[test]
fn every_corrupted_position_reports_the_scalar_error() {
    let tiers = simd_tiers();
    let scalar = Kernels::scalar();
    for len in (0..=300).chain([511, 512, 513, 1023, 1024]) {
        let text = hex::encode(bytes(len as u64, len / 2)).into_bytes();
        let text = if len % 2 == 1 {
            [&text[..], b"7"].concat()
        } else {
            text
        };
        assert_eq!(text.len(), len);
        let positions: Vec<usize> = if len <= 300 {
            (0..len).collect()
        } else {
            (0..len)
                .step_by(7)
                .chain(len.saturating_sub(70)..len)
                .collect()
        };
        for pos in positions {
            for bad in BAD {
                let mut data = text.clone();
                data[pos] = bad;
                let want = decode(&scalar, &data, 0);
                assert_eq!(
                    offset_of(&want),
                    pos as u64,
                    "scalar len {len} pos {pos} byte {bad:#x}"
                );
                // A second bad byte later must not change the answer.
                if pos + 3 < len {
                    data[len - 1] = b'g';
                }
                for k in &tiers {
                    let got = decode(k, &data, 1);
                    assert_eq!(got, want, "{} len {len} pos {pos} byte {bad:#x}", k.isa());
                }
            }
        }
    }
}

#[test]
fn argument_errors() {
    let is_invalid =
        |r: Result<usize, KernelError>| matches!(r, Err(KernelError::InvalidArgument(_)));
    for k in all_tiers() {
        let mut short = [0u8; 5];
        assert!(
            is_invalid(k.hex_encode_into(b"abc", false, &mut short)),
            "{}",
            k.isa()
        );
        assert!(
            is_invalid(k.hex_decode_into(b"0011223", &mut short[..2])),
            "{}",
            k.isa()
        );
        // The argument check comes before the data check.
        assert!(
            is_invalid(k.hex_decode_into(b"zz11", &mut short[..1])),
            "{}",
            k.isa()
        );
        // A longer dst is fine; only the start is written.
        let mut long = [0xEEu8; 9];
        assert_eq!(k.hex_encode_into(b"\x12", false, &mut long), Ok(2));
        assert_eq!(&long[..3], b"12\xee");
        assert_eq!(k.hex_decode_into(b"1234", &mut long), Ok(2));
        assert_eq!(&long[..3], b"\x12\x34\xee");
    }
    assert!(is_invalid(hex_encode_into(b"ab", true, &mut [0u8; 3])));
    assert!(is_invalid(hex_decode_into(b"abcd", &mut [0u8; 1])));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_inputs_round_trip_and_match_scalar(
        data in proptest::collection::vec(any::<u8>(), 0..20_000),
        uppercase in any::<bool>(),
    ) {
        let scalar = Kernels::scalar();
        let want = encode(&scalar, &data, uppercase, 0);
        prop_assert_eq!(&want, &hex_encode(&data, uppercase));
        prop_assert_eq!(hex_decode(&want), Ok(data.clone()));
        for k in TIERS.iter() {
            prop_assert!(encode(k, &data, uppercase, 3) == want, "{} encode", k.isa());
            prop_assert!(decode(k, &want, 5) == Ok(data.clone()), "{} decode", k.isa());
        }
    }

    #[test]
    fn random_text_decodes_like_scalar(
        data in proptest::collection::vec(
            prop_oneof![8 => proptest::sample::select(b"0123456789abcdefABCDEF".to_vec()), 1 => any::<u8>()],
            0..3_000,
        ),
    ) {
        let want = decode(&Kernels::scalar(), &data, 0);
        match hex::decode(&data) {
            Ok(bytes) => prop_assert_eq!(&want, &Ok(bytes)),
            Err(_) => prop_assert!(want.is_err()),
        }
        for k in TIERS.iter() {
            prop_assert!(decode(k, &data, 2) == want, "{}", k.isa());
        }
    }
}
