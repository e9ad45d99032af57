//! Base64 encode and decode, both alphabets, padded and not: every SIMD tier against the
//! scalar reference over every length 0..=1024 at every alignment, every position of every
//! input corrupted with every class of bad byte (error kind and offset equal to the scalar
//! reference's), round trips, the scalar reference against the `base64` crate and against the
//! offset rule computed from its definition, argument errors and random property tests.

mod common;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
use binpipe_kernels::{
    Alphabet, KernelError, Kernels, base64_decode, base64_decode_into, base64_encode,
    base64_encode_into, base64_encoded_len,
};
use common::{ALIGNMENTS, Aligned, MAX_LEN, bytes, simd_tiers};
use proptest::prelude::*;
use std::sync::LazyLock;

/// The SIMD tiers, looked up (and their skips reported) once for all property-test cases.
static TIERS: LazyLock<Vec<Kernels>> = LazyLock::new(simd_tiers);

/// Every alphabet and padding combination.
const MODES: [(Alphabet, bool); 4] = [
    (Alphabet::Standard, true),
    (Alphabet::Standard, false),
    (Alphabet::UrlSafe, true),
    (Alphabet::UrlSafe, false),
];

/// Every tier, scalar first.
fn all_tiers() -> Vec<Kernels> {
    let mut tiers = vec![Kernels::scalar()];
    tiers.extend(simd_tiers());
    tiers
}

/// The `base64` crate's engine for a mode: strict (canonical padding or none, no trailing
/// bits), so it accepts exactly what our decoder accepts.
fn engine(alphabet: Alphabet, padding: bool) -> &'static base64::engine::GeneralPurpose {
    match (alphabet, padding) {
        (Alphabet::Standard, true) => &STANDARD,
        (Alphabet::Standard, false) => &STANDARD_NO_PAD,
        (Alphabet::UrlSafe, true) => &URL_SAFE,
        (Alphabet::UrlSafe, false) => &URL_SAFE_NO_PAD,
    }
}

/// `3 * ceil(len / 4)`: the decoders' `dst` requirement.
fn capacity(len: usize) -> usize {
    len.div_ceil(4) * 3
}

/// `k`'s encoding of `data`, into a guarded buffer at `align`.
fn encode(k: &Kernels, data: &[u8], alphabet: Alphabet, padding: bool, align: usize) -> Vec<u8> {
    let len = base64_encoded_len(data.len(), padding).unwrap();
    let mut dst = Aligned::new(&vec![0x3C; len], align);
    let n = k
        .base64_encode_into(data, alphabet, padding, dst.view_mut())
        .expect("valid arguments");
    assert_eq!(n, len);
    assert!(dst.guards_intact(), "{} encode wrote outside dst", k.isa());
    dst.view().to_vec()
}

/// `k`'s decoding of `data` into a guarded buffer at `align`: the bytes, or the error.
fn decode(
    k: &Kernels,
    data: &[u8],
    alphabet: Alphabet,
    padding: bool,
    align: usize,
) -> Result<Vec<u8>, KernelError> {
    let mut dst = Aligned::new(&vec![0x3C; capacity(data.len())], align);
    let result = k.base64_decode_into(data, alphabet, padding, dst.view_mut());
    assert!(dst.guards_intact(), "{} decode wrote outside dst", k.isa());
    result.map(|n| dst.view()[..n].to_vec())
}

/// The error offset, from the rule's definition: the length of the longest prefix that some
/// suffix turns into valid base64, with the `base64` crate judging validity. A prefix of valid
/// base64 is completed by at most three characters, each `A` (value 0) or `=`.
fn offset_by_definition(data: &[u8], alphabet: Alphabet, padding: bool) -> Option<u64> {
    let valid = |s: &[u8]| engine(alphabet, padding).decode(s).is_ok();
    if valid(data) {
        return None;
    }
    let mut suffixes = vec![Vec::new()];
    for len in 1..=3 {
        for bits in 0..1 << len {
            suffixes.push(
                (0..len)
                    .map(|i| if bits >> i & 1 == 1 { b'=' } else { b'A' })
                    .collect(),
            );
        }
    }
    let extendable = |p: &[u8]| suffixes.iter().any(|s| valid(&[p, s].concat()));
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
    use Alphabet::{Standard, UrlSafe};
    for k in all_tiers() {
        let isa = k.isa();
        // RFC 4648 section 10.
        for (plain, coded) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(
                encode(&k, plain.as_bytes(), Standard, true, 0),
                coded.as_bytes(),
                "{isa}"
            );
            assert_eq!(
                decode(&k, coded.as_bytes(), Standard, true, 0),
                Ok(plain.as_bytes().to_vec()),
                "{isa}"
            );
            let bare = coded.trim_end_matches('=');
            assert_eq!(
                encode(&k, plain.as_bytes(), UrlSafe, false, 0),
                bare.as_bytes(),
                "{isa}"
            );
            assert_eq!(
                decode(&k, bare.as_bytes(), UrlSafe, false, 0),
                Ok(plain.as_bytes().to_vec()),
                "{isa}"
            );
        }
        assert_eq!(
            encode(&k, b"\xfb\xff\xbf", Standard, true, 0),
            b"+/+/",
            "{isa}"
        );
        assert_eq!(
            encode(&k, b"\xfb\xff\xbf", UrlSafe, true, 0),
            b"-_-_",
            "{isa}"
        );
        // Each error case of the module rules.
        let cases: [(&[u8], bool, u64); 14] = [
            (b"Zm9v YmFy", true, 4),  // whitespace
            (b"Zm9vYmFy\n", true, 8), // trailing newline
            (b"=m9v", true, 0),       // `=` first in a group
            (b"Z=9v", true, 1),       // `=` second in a group
            (b"Zh==", true, 2),       // unused bits set before `==`
            (b"Zm9=", true, 3),       // unused bits set before `=`
            (b"Zg==Zg==", true, 4),   // data after padding
            (b"Zg=A", true, 3),       // a character after `=`
            (b"Zg===", true, 4),      // too much padding
            (b"Zg", true, 2),         // missing padding
            (b"Zm9vY", false, 5),     // a final group of one character
            (b"Zg==", false, 2),      // `=` in unpadded base64
            (b"Zh", false, 2),        // unused bits set, completable
            (b"-_8=", true, 0),       // the other alphabet
        ];
        for (data, padding, offset) in cases {
            let got = decode(&k, data, Standard, padding, 0);
            assert_eq!(
                offset_of(&got),
                offset,
                "{isa} {:?}",
                String::from_utf8_lossy(data)
            );
        }
    }
    assert_eq!(base64_encode(b"\xfb\xff", Alphabet::UrlSafe, false), b"-_8");
    assert_eq!(
        base64_decode(b"-_8", Alphabet::UrlSafe, false),
        Ok(vec![0xfb, 0xff])
    );
}

#[test]
fn encoded_len_edges() {
    assert_eq!(base64_encoded_len(0, true), Some(0));
    assert_eq!(base64_encoded_len(1, true), Some(4));
    assert_eq!(base64_encoded_len(1, false), Some(2));
    assert_eq!(base64_encoded_len(2, false), Some(3));
    assert_eq!(base64_encoded_len(3, false), Some(4));
    assert_eq!(
        base64_encoded_len(usize::MAX / 4 * 3, true),
        Some(usize::MAX / 4 * 4)
    );
    assert_eq!(base64_encoded_len(usize::MAX / 4 * 3 + 1, true), None);
    assert_eq!(base64_encoded_len(usize::MAX, false), None);
}

#[test]
fn scalar_matches_the_base64_crate_and_the_offset_definition() {
    let scalar = Kernels::scalar();
    for (alphabet, padding) in MODES {
        let engine = engine(alphabet, padding);
        for len in 0..=300 {
            let data = bytes(len as u64, len);
            let text = encode(&scalar, &data, alphabet, padding, 0);
            assert_eq!(text, engine.encode(&data).into_bytes());
            assert_eq!(decode(&scalar, &text, alphabet, padding, 0), Ok(data));
        }
        // Every byte value in every position of short inputs, canonical and not: validity
        // and bytes as the crate says, offsets as the definition says.
        for base in [&b"QUJD"[..], b"QUI=", b"QQ==", b"QUJDRA=="] {
            let base: Vec<u8> = if padding {
                base.to_vec()
            } else {
                base.iter().copied().filter(|&c| c != b'=').collect()
            };
            for len in 0..=base.len() {
                for pos in 0..len {
                    for byte in 0..=255u8 {
                        let mut data = base[..len].to_vec();
                        data[pos] = byte;
                        let got = decode(&scalar, &data, alphabet, padding, 0);
                        match engine.decode(&data) {
                            Ok(want) => {
                                assert_eq!(got, Ok(want), "{data:?} {alphabet:?} {padding}")
                            }
                            Err(_) => assert_eq!(
                                Some(offset_of(&got)),
                                offset_by_definition(&data, alphabet, padding),
                                "{:?} {alphabet:?} {padding}",
                                String::from_utf8_lossy(&data)
                            ),
                        }
                    }
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
        let data = bytes(0xB64 ^ len as u64, len);
        for (alphabet, padding) in MODES {
            let want = encode(&scalar, &data, alphabet, padding, 0);
            for align in 0..ALIGNMENTS {
                let src = Aligned::new(&data, align);
                let text = Aligned::new(&want, align);
                let dst_align = (align * 7 + 5) % ALIGNMENTS;
                for k in &tiers {
                    let isa = k.isa();
                    assert!(
                        encode(k, src.view(), alphabet, padding, dst_align) == want,
                        "{isa} encode len {len} align {align} {alphabet:?} {padding}"
                    );
                    assert!(
                        decode(k, text.view(), alphabet, padding, dst_align).as_deref()
                            == Ok(&data[..]),
                        "{isa} decode len {len} align {align} {alphabet:?} {padding}"
                    );
                }
            }
        }
    }
}

/// Bytes to corrupt with, one per class: neighbours of every alphabet range, both alphabets'
/// specials, `=`, whitespace, zero, DEL and high bytes (signed-compare and table pitfalls).
const BAD: [u8; 24] = [
    b'+',
    b'/',
    b'-',
    b'_',
    b'=',
    b'@',
    b'[',
    b'`',
    b'{',
    b'/' + 1,
    b'9' + 1,
    b',',
    b'.',
    b' ',
    b'\n',
    b'\r',
    0x00,
    0x7F,
    0x80,
    0xAB,
    0xC1,
    0xE1,
    0xFF,
    b'*',
];

/// Replacement characters that are valid but may break canonical trailing bits.
const GOOD: [u8; 4] = [b'A', b'B', b'z', b'P'];

#[test]
fn every_corrupted_position_reports_the_scalar_error() {
    let tiers = simd_tiers();
    let scalar = Kernels::scalar();
    for (alphabet, padding) in MODES {
        for plain_len in (0..=240).chain([383, 384, 385, 767, 768, 769]) {
            let text = encode(
                &scalar,
                &bytes(plain_len as u64, plain_len),
                alphabet,
                padding,
                0,
            );
            let len = text.len();
            let positions: Vec<usize> = if len <= 330 {
                (0..len).collect()
            } else {
                (0..len).step_by(5).chain(len - 70..len).collect()
            };
            for pos in positions {
                for byte in BAD.into_iter().chain(GOOD) {
                    let mut data = text.clone();
                    data[pos] = byte;
                    let want = decode(&scalar, &data, alphabet, padding, 0);
                    for k in &tiers {
                        let got = decode(k, &data, alphabet, padding, 1);
                        assert_eq!(got, want, "{} len {len} pos {pos} byte {byte:#x}", k.isa());
                    }
                }
            }
            // Truncated and over-long inputs.
            for cut in 1..=3.min(len) {
                let data = &text[..len - cut];
                let want = decode(&scalar, data, alphabet, padding, 0);
                for k in &tiers {
                    assert_eq!(
                        decode(k, data, alphabet, padding, 0),
                        want,
                        "{} cut {cut}",
                        k.isa()
                    );
                }
            }
            for extra in [&b"="[..], b"==", b"A", b"AA", b"AAA", b"AAAA", b"\n"] {
                let data = [&text[..], extra].concat();
                let want = decode(&scalar, &data, alphabet, padding, 0);
                for k in &tiers {
                    assert_eq!(
                        decode(k, &data, alphabet, padding, 0),
                        want,
                        "{} extra {extra:?}",
                        k.isa()
                    );
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
        let mut short = [0u8; 3];
        assert!(is_invalid(k.base64_encode_into(
            b"abcd",
            Alphabet::Standard,
            true,
            &mut short
        )));
        assert!(is_invalid(k.base64_encode_into(
            b"ab",
            Alphabet::Standard,
            false,
            &mut short[..2]
        )));
        assert_eq!(
            k.base64_encode_into(b"ab", Alphabet::Standard, false, &mut short),
            Ok(3)
        );
        assert!(is_invalid(k.base64_decode_into(
            b"QUJDRA",
            Alphabet::Standard,
            false,
            &mut [0u8; 5]
        )));
        // The argument check comes before the data check.
        assert!(is_invalid(k.base64_decode_into(
            b"!!!!!",
            Alphabet::Standard,
            false,
            &mut [0u8; 5]
        )));
        assert_eq!(
            k.base64_decode_into(b"QQ==", Alphabet::Standard, true, &mut short),
            Ok(1)
        );
    }
    assert!(is_invalid(base64_encode_into(
        b"a",
        Alphabet::UrlSafe,
        true,
        &mut [0u8; 3]
    )));
    assert!(is_invalid(base64_decode_into(
        b"QUJD",
        Alphabet::UrlSafe,
        true,
        &mut [0u8; 2]
    )));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_inputs_round_trip_and_match_scalar(
        data in proptest::collection::vec(any::<u8>(), 0..20_000),
        mode in 0usize..4,
    ) {
        let (alphabet, padding) = MODES[mode];
        let scalar = Kernels::scalar();
        let want = encode(&scalar, &data, alphabet, padding, 0);
        prop_assert_eq!(&want, &base64_encode(&data, alphabet, padding));
        prop_assert_eq!(base64_decode(&want, alphabet, padding), Ok(data.clone()));
        for k in TIERS.iter() {
            prop_assert!(encode(k, &data, alphabet, padding, 3) == want, "{} encode", k.isa());
            prop_assert!(decode(k, &want, alphabet, padding, 5) == Ok(data.clone()), "{} decode", k.isa());
        }
    }

    #[test]
    fn random_text_decodes_like_scalar(
        data in proptest::collection::vec(
            prop_oneof![
                16 => proptest::sample::select(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_".to_vec()),
                1 => Just(b'='),
                1 => any::<u8>(),
            ],
            0..3_000,
        ),
        mode in 0usize..4,
    ) {
        let (alphabet, padding) = MODES[mode];
        let want = decode(&Kernels::scalar(), &data, alphabet, padding, 0);
        match engine(alphabet, padding).decode(&data) {
            Ok(bytes) => prop_assert_eq!(&want, &Ok(bytes)),
            Err(_) => prop_assert!(want.is_err()),
        }
        for k in TIERS.iter() {
            prop_assert!(decode(k, &data, alphabet, padding, 2) == want, "{}", k.isa());
        }
    }
}
