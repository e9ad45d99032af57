//! Validation kernels. `utf8_validate` against `core::str::from_utf8` (valid text of every
//! character width, corrupted at every position, truncated at every length, overlongs,
//! surrogates, code points above U+10FFFF, at every alignment); `ascii_prefix` on every SIMD
//! tier against the scalar reference, and the scalar reference against a naive loop.

mod common;

use binpipe_kernels::{Kernels, Utf8Error, ascii_prefix, utf8_validate};
use common::{Aligned, bytes, simd_tiers, sweep};
use proptest::prelude::*;
use std::sync::LazyLock;

/// The SIMD tiers, looked up (and their skips reported) once for all property-test cases.
static TIERS: LazyLock<Vec<Kernels>> = LazyLock::new(simd_tiers);

/// The standard library's verdict, in the crate's error type.
fn std_verdict(data: &[u8]) -> Result<(), Utf8Error> {
    core::str::from_utf8(data)
        .map(|_| ())
        .map_err(|e| Utf8Error {
            valid_up_to: e.valid_up_to(),
            error_len: e.error_len().map(|n| n as u8),
        })
}

/// Checks `utf8_validate(data)` against the standard library at a few alignments.
fn check(data: &[u8], what: &str) {
    let want = std_verdict(data);
    for align in [0, 1, 7, 33] {
        let placed = Aligned::new(data, align);
        assert_eq!(
            utf8_validate(placed.view()),
            want,
            "{what}: len {} align {align}",
            data.len()
        );
        for k in TIERS.iter().chain([&Kernels::scalar()]) {
            assert_eq!(
                k.utf8_validate(placed.view()),
                want,
                "{what}: {:?} len {} align {align}",
                k.isa(),
                data.len()
            );
        }
    }
}

/// Valid UTF-8 of about `len` bytes with characters of every width (the mix chosen by
/// `seed`): ASCII, U+0080..U+07FF, U+0800..U+FFFF (no surrogates), U+10000..U+10FFFF.
fn text(seed: u64, len: usize) -> Vec<u8> {
    let raw = bytes(seed, 4 * len + 16);
    let mut out = String::new();
    for chunk in raw.chunks_exact(4) {
        if out.len() >= len {
            break;
        }
        let r = u32::from_le_bytes(chunk.try_into().unwrap());
        let c = match r % 4 {
            0 => char::from_u32(0x20 + (r >> 8) % 0x5F),
            1 => char::from_u32(0x80 + (r >> 8) % 0x780),
            2 => char::from_u32(0x800 + (r >> 8) % 0xF800),
            _ => char::from_u32(0x10000 + (r >> 8) % 0x100000),
        };
        out.extend(c);
    }
    out.into_bytes()
}

/// Byte values that break a sequence wherever they land.
const BAD_BYTES: [u8; 10] = [0x80, 0xBF, 0xC0, 0xC1, 0xC2, 0xE0, 0xED, 0xF4, 0xF5, 0xFF];

/// Invalid sequences: overlongs, surrogates, code points above U+10FFFF, bytes that never
/// appear, sequences cut short by the next character.
const BAD_SEQUENCES: [&[u8]; 20] = [
    b"\xC0\x80",
    b"\xC1\xBF",
    b"\xE0\x80\x80",
    b"\xE0\x9F\xBF",
    b"\xF0\x80\x80\x80",
    b"\xF0\x8F\xBF\xBF",
    b"\xED\xA0\x80",
    b"\xED\xBF\xBF",
    b"\xED\xAF\xBF\xED\xB0\x80",
    b"\xF4\x90\x80\x80",
    b"\xF5\x80\x80\x80",
    b"\xF7\xBF\xBF\xBF",
    b"\xF8\x88\x80\x80\x80",
    b"\xFC\x84\x80\x80\x80\x80",
    b"\xFE",
    b"\xFF",
    b"\xE2\x82A",
    b"\xF0\x9F\x98A",
    b"\xC3",
    b"\x80\x80\x80",
];

#[test]
fn short_cases_match_std() {
    for case in [
        &b""[..],
        b"abc",
        "héllo wörld €𝄞".as_bytes(),
        b"\x80",
        b"\xE2\x82",
        b"\xF0\x9F\x98",
        b"\xED\xA0\x80",
        b"\xF4\x90\x80\x80",
        b"\xC0\xAF",
    ] {
        check(case, "short");
    }
    assert_eq!(
        utf8_validate(b"a\x80b"),
        Err(Utf8Error {
            valid_up_to: 1,
            error_len: Some(1)
        })
    );
    assert_eq!(
        utf8_validate(b"ab\xE2\x82"),
        Err(Utf8Error {
            valid_up_to: 2,
            error_len: None
        })
    );
}

#[test]
fn valid_text_of_every_length_and_alignment() {
    sweep(
        |len| {
            let mut t = text(len as u64, len);
            // Cut back to a character boundary at or below `len`.
            while t.len() > len || std::str::from_utf8(&t).is_err() {
                t.pop();
            }
            t
        },
        |len, align, data| {
            assert_eq!(utf8_validate(data), Ok(()), "len {len} align {align}");
        },
    );
}

#[test]
fn corruption_at_every_position() {
    for (seed, len) in [(1, 70), (2, 200), (3, 1100)] {
        let valid = text(seed, len);
        let mut data = valid.clone();
        for pos in 0..valid.len() {
            for &bad in &BAD_BYTES {
                data[pos] = bad;
                check(&data, "corrupted byte");
            }
            data[pos] = valid[pos];
        }
    }
    // Mostly ASCII with a corruption at every position: the SIMD ASCII fast paths.
    let ascii: Vec<u8> = bytes(9, 1100).iter().map(|b| b & 0x7F).collect();
    let mut data = ascii.clone();
    for pos in 0..ascii.len() {
        for &bad in &BAD_BYTES {
            data[pos] = bad;
            check(&data, "corrupted ascii");
        }
        data[pos] = ascii[pos];
    }
}

#[test]
fn bad_sequences_at_every_position() {
    for (seed, len) in [(11, 100), (12, 300)] {
        let valid = text(seed, len);
        let ascii: Vec<u8> = bytes(seed, len).iter().map(|b| b & 0x7F).collect();
        for base in [&valid, &ascii] {
            for pos in 0..=base.len() {
                for seq in BAD_SEQUENCES {
                    let data = [&base[..pos], seq, &base[pos..]].concat();
                    check(&data, "inserted sequence");
                }
            }
        }
    }
}

#[test]
fn truncation_at_every_length() {
    let valid = text(21, 1100);
    for cut in 0..=valid.len() {
        check(&valid[..cut], "truncated");
        // A cut-off character followed by more text is an error of known length instead.
        let data = [&valid[..cut], b"abc"].concat();
        check(&data, "cut then text");
    }
}

#[test]
fn ascii_prefix_every_tier_over_lengths_and_alignments() {
    let tiers = simd_tiers();
    sweep(
        |len| {
            bytes(0xA5C ^ len as u64, len)
                .iter()
                .map(|b| b & 0x7F)
                .collect()
        },
        |len, align, data| {
            assert_eq!(Kernels::scalar().ascii_prefix(data), len);
            for k in &tiers {
                assert_eq!(
                    k.ascii_prefix(data),
                    len,
                    "{} len {len} align {align}",
                    k.isa()
                );
            }
        },
    );
}

#[test]
fn ascii_prefix_non_ascii_at_every_position() {
    let tiers = simd_tiers();
    for len in 0..=common::MAX_LEN {
        let clean: Vec<u8> = bytes(len as u64, len).iter().map(|b| b & 0x7F).collect();
        let mut placed = Aligned::new(&clean, len % common::ALIGNMENTS);
        for pos in 0..len {
            let later = (pos + 5).min(len - 1);
            placed.view_mut()[pos] = [0x80, 0xC3, 0xFF][pos % 3];
            placed.view_mut()[later] = 0x80;
            let naive = placed.view().iter().position(|&b| b >= 0x80).unwrap();
            assert_eq!(naive, pos);
            assert_eq!(Kernels::scalar().ascii_prefix(placed.view()), pos);
            assert_eq!(ascii_prefix(placed.view()), pos);
            for k in &tiers {
                assert_eq!(
                    k.ascii_prefix(placed.view()),
                    pos,
                    "{} len {len} pos {pos}",
                    k.isa()
                );
            }
            placed.view_mut()[pos] = clean[pos];
            placed.view_mut()[later] = clean[later];
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn utf8_arbitrary_bytes(data in proptest::collection::vec(any::<u8>(), 0..512)) {
        prop_assert_eq!(utf8_validate(&data), std_verdict(&data));
    }

    #[test]
    fn utf8_strings_with_one_corruption(
        s in "\\PC{0,400}",
        pos in any::<prop::sample::Index>(),
        bad in any::<u8>(),
    ) {
        let mut data = s.into_bytes();
        prop_assert_eq!(utf8_validate(&data), Ok(()));
        if !data.is_empty() {
            let i = pos.index(data.len());
            data[i] = bad;
        }
        prop_assert_eq!(utf8_validate(&data), std_verdict(&data));
    }

    #[test]
    fn ascii_prefix_random(
        data in proptest::collection::vec(0u8..0x80, 0..8192),
        hits in proptest::collection::vec((any::<prop::sample::Index>(), 0x80u8..), 0..3),
        start in 0usize..64,
    ) {
        let mut data = data;
        if !data.is_empty() {
            for (at, byte) in hits {
                let i = at.index(data.len());
                data[i] = byte;
            }
        }
        let data = &data[start.min(data.len())..];
        let naive = data.iter().position(|&b| b >= 0x80).unwrap_or(data.len());
        prop_assert_eq!(Kernels::scalar().ascii_prefix(data), naive);
        prop_assert_eq!(ascii_prefix(data), naive);
        for k in TIERS.iter() {
            prop_assert_eq!(k.ascii_prefix(data), naive, "{}", k.isa());
        }
    }
}
