//! varint-encode and varint-decode: every SIMD tier against the scalar reference over every
//! input length 0..=1024 at every alignment (prefixes of encodings of values of every length
//! 1..=10 mixed, so every cut-off point is covered too), inputs corrupted at every position,
//! `dst` of every length, property tests and round trips; the reference against
//! `integer-encoding`.

mod common;

use binpipe_kernels::{
    KernelError, Kernels, varint_decode, varint_decode_into, varint_encode, varint_encode_into,
};
use common::{ALIGNMENTS, Aligned, MAX_LEN, bytes, simd_tiers};
use integer_encoding::VarInt;
use proptest::prelude::*;
use std::sync::LazyLock;

/// The SIMD tiers, looked up (and their skips reported) once for all property-test cases.
static TIERS: LazyLock<Vec<Kernels>> = LazyLock::new(simd_tiers);

/// Every tier, scalar first.
fn all_tiers() -> Vec<Kernels> {
    std::iter::once(Kernels::scalar())
        .chain(TIERS.iter().copied())
        .collect()
}

/// SplitMix64 words.
fn words(seed: u64, n: usize) -> Vec<u64> {
    bytes(seed, 8 * n)
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

/// A value whose shortest encoding is `len` (1..=10) bytes, from the random word `w`.
fn of_len(w: u64, len: u32) -> u64 {
    if len == 1 {
        return w & 0x7F;
    }
    let bits = (7 * len).min(64);
    let low = 7 * (len - 1);
    (w >> (64 - bits)) | 1 << low
}

/// Value mixes: (name, how the encoded length of value `i` with random word `w` is chosen).
type Mix = (&'static str, fn(usize, u64) -> u32);

/// The mixes the sweeps run: every length uniformly, mostly one byte (runs of one-byte
/// varints broken by long ones), one and two bytes, and the 9- and 10-byte slow path.
const MIXES: [Mix; 5] = [
    ("uniform", |_, w| (w % 10) as u32 + 1),
    ("mostly-1", |_, w| {
        if w % 23 == 0 {
            1 + (w >> 8) as u32 % 10
        } else {
            1
        }
    }),
    ("all-1", |_, _| 1),
    ("1-2", |_, w| 1 + (w >> 40) as u32 % 2),
    ("long", |i, w| {
        if i % 3 == 0 {
            9 + (w >> 9) as u32 % 2
        } else {
            1 + (w >> 20) as u32 % 4
        }
    }),
];

/// `n` values drawn from `mix`.
fn values(seed: u64, n: usize, mix: Mix) -> Vec<u64> {
    words(seed, n)
        .into_iter()
        .enumerate()
        .map(|(i, w)| of_len(w.rotate_left(17), mix.1(i, w)))
        .collect()
}

/// The encoding of `values` by `integer-encoding`, value by value.
fn reference_encoding(values: &[u64]) -> Vec<u8> {
    let mut out = Vec::new();
    for &v in values {
        out.extend_from_slice(&v.encode_var_vec());
    }
    out
}

/// Decodes `data` on tier `k` into a fresh `dst` of `dst_len` values; returns the result and
/// the values written.
fn decode_on(k: &Kernels, data: &[u8], dst_len: usize) -> (Result<usize, KernelError>, Vec<u64>) {
    let mut dst = vec![0x5A5A_5A5A_5A5A_5A5Au64; dst_len];
    let got = k.varint_decode_into(data, &mut dst);
    let n = *got.as_ref().unwrap_or(&0);
    dst.truncate(n);
    (got, dst)
}

/// Checks every tier against scalar on `data` with a `dst` of `dst_len` values.
fn check_decode(data: &[u8], dst_len: usize, what: &str) {
    let (want, want_vals) = decode_on(&Kernels::scalar(), data, dst_len);
    for k in TIERS.iter() {
        let (got, got_vals) = decode_on(k, data, dst_len);
        assert_eq!(
            got,
            want,
            "{} {what} len {} dst {dst_len}",
            k.isa(),
            data.len()
        );
        assert_eq!(got_vals, want_vals, "{} {what} len {}", k.isa(), data.len());
    }
}

#[test]
fn literal_examples() {
    assert_eq!(
        varint_encode(&[0, 1, 127, 128, 300]),
        [0, 1, 0x7F, 0x80, 0x01, 0xAC, 0x02]
    );
    let max = [0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01];
    assert_eq!(varint_encode(&[u64::MAX]), max);
    assert_eq!(varint_decode(&max), Ok(vec![u64::MAX]));
    assert_eq!(varint_decode(&[0x80, 0x00, 0xFF, 0x00]), Ok(vec![0, 127]));
    assert_eq!(varint_decode(&[]), Ok(vec![]));
    assert_eq!(varint_encode(&[]), [0u8; 0]);
}

#[test]
fn scalar_matches_integer_encoding() {
    for mix in MIXES {
        for n in 0..=300 {
            let vals = values(n as u64, n, mix);
            let want = reference_encoding(&vals);
            let k = Kernels::scalar();
            let mut dst = vec![0; want.len()];
            assert_eq!(k.varint_encode_into(&vals, &mut dst), Ok(want.len()));
            assert_eq!(dst, want, "{} n {n}", mix.0);
            let mut back = vec![0; want.len()];
            assert_eq!(k.varint_decode_into(&want, &mut back), Ok(n));
            // integer-encoding decodes one value at a time.
            let mut rest = &want[..];
            for (i, &v) in vals.iter().enumerate() {
                let (decoded, used) = u64::decode_var(rest).expect("valid varint");
                assert_eq!((decoded, back[i]), (v, v), "{} n {n} value {i}", mix.0);
                rest = &rest[used..];
            }
        }
    }
}

#[test]
fn decode_every_tier_every_length_and_alignment() {
    for mix in MIXES {
        let vals = values(mix.0.len() as u64, MAX_LEN, mix);
        let stream = varint_encode(&vals);
        for len in 0..=MAX_LEN {
            let want = Kernels::scalar().varint_decode_into(&stream[..len], &mut vec![0; len]);
            for align in 0..ALIGNMENTS {
                let placed = Aligned::new(&stream[..len], align);
                for k in TIERS.iter() {
                    let mut dst = vec![0; len];
                    let got = k.varint_decode_into(placed.view(), &mut dst);
                    assert_eq!(got, want, "{} {} len {len} align {align}", k.isa(), mix.0);
                    if let Ok(n) = got {
                        assert_eq!(vals[..n], dst[..n], "{} {} len {len}", k.isa(), mix.0);
                    }
                }
            }
        }
    }
}

#[test]
fn encode_every_tier_every_count() {
    for mix in MIXES {
        let vals = values(7 + mix.0.len() as u64, MAX_LEN, mix);
        for n in 0..=MAX_LEN {
            let want = reference_encoding(&vals[..n]);
            for k in all_tiers() {
                // Exactly the encoding's length, at a few alignments, guards intact.
                for align in [0, 1, 7, 33] {
                    let mut dst = Aligned::new(&vec![0x3C; want.len()], align);
                    assert_eq!(
                        k.varint_encode_into(&vals[..n], dst.view_mut()),
                        Ok(want.len())
                    );
                    assert!(
                        dst.view() == want,
                        "{} {} n {n} align {align}",
                        k.isa(),
                        mix.0
                    );
                    assert!(dst.guards_intact(), "{} {} n {n}", k.isa(), mix.0);
                }
                // Ten bytes a value: the bytes past the encoding are left alone.
                let mut roomy = vec![0x3C; 10 * n + 5];
                assert_eq!(k.varint_encode_into(&vals[..n], &mut roomy), Ok(want.len()));
                assert_eq!(roomy[..want.len()], want[..]);
                assert!(
                    roomy[want.len()..].iter().all(|&b| b == 0x3C),
                    "{}",
                    k.isa()
                );
                // One byte short: refused, untouched.
                if let Some(short) = want.len().checked_sub(1) {
                    let mut dst = vec![0x3C; short];
                    assert!(matches!(
                        k.varint_encode_into(&vals[..n], &mut dst),
                        Err(KernelError::InvalidArgument(_))
                    ));
                    assert!(dst.iter().all(|&b| b == 0x3C));
                }
            }
            assert_eq!(varint_encode(&vals[..n]), want);
            let mut dst = vec![0; want.len()];
            assert_eq!(varint_encode_into(&vals[..n], &mut dst), Ok(want.len()));
        }
    }
}

#[test]
fn decode_corrupted_at_every_position() {
    for mix in MIXES {
        let vals = values(99, 150, mix);
        let stream = varint_encode(&vals);
        let len = stream.len().min(400);
        for pos in 0..len {
            // A continuation bit added, a tenth byte of 2, a byte with both, a terminator.
            for byte in [stream[pos] | 0x80, 0x02, 0xFF, 0x80, 0x00, 0x01] {
                let mut bad = stream[..len].to_vec();
                bad[pos] = byte;
                check_decode(&bad, len, &format!("{} pos {pos} byte {byte:#x}", mix.0));
            }
            // A run of continuation bytes from `pos`, long enough to cross blocks.
            let mut run = stream[..len].to_vec();
            for b in run.iter_mut().skip(pos).take(70) {
                *b |= 0x80;
            }
            check_decode(&run, len, &format!("{} run at {pos}", mix.0));
        }
    }
}

#[test]
fn decode_errors_and_offsets() {
    let data_err = |offset| KernelError::InvalidData {
        offset,
        message: "",
    };
    let strip = |r: Result<Vec<u64>, KernelError>| match r {
        Err(KernelError::InvalidData { offset, .. }) => Err(data_err(offset)),
        other => other,
    };
    assert_eq!(strip(varint_decode(&[0x80])), Err(data_err(1)));
    assert_eq!(strip(varint_decode(&[0x01, 0x80, 0x80])), Err(data_err(3)));
    // Nine continuation bytes and no tenth: truncation.
    assert_eq!(strip(varint_decode(&[0xFF; 9])), Err(data_err(9)));
    // A tenth byte with the continuation bit, or above 1: at the tenth byte, even at the end.
    let mut ten = vec![0x80; 10];
    assert_eq!(strip(varint_decode(&ten)), Err(data_err(9)));
    ten.extend_from_slice(&[0x00; 5]);
    assert_eq!(strip(varint_decode(&ten)), Err(data_err(9)));
    for tenth in [0x02, 0x7F] {
        ten[9] = tenth;
        assert_eq!(strip(varint_decode(&ten)), Err(data_err(9)));
    }
    ten[9] = 0x01;
    assert_eq!(strip(varint_decode(&ten[..10])), Ok(vec![1 << 63]));
    ten[9] = 0x00;
    assert_eq!(strip(varint_decode(&ten[..10])), Ok(vec![0]));
    // After valid values, the offset counts from the start of the data.
    let mut data = vec![0x05, 0x81, 0x01];
    data.extend_from_slice(&[0xFF; 10]);
    assert_eq!(strip(varint_decode(&data)), Err(data_err(12)));
    // Non-shortest forms of every length are accepted.
    for len in 1..=10 {
        let mut form = vec![0x80; len - 1];
        form.push(0x00);
        assert_eq!(varint_decode(&form), Ok(vec![0]), "{len}-byte zero");
    }
}

#[test]
fn decode_into_short_dst() {
    for mix in MIXES {
        let vals = values(5, 200, mix);
        let stream = varint_encode(&vals);
        for dst_len in 0..=vals.len() + 1 {
            check_decode(&stream, dst_len, &format!("{} dst {dst_len}", mix.0));
            let mut dst = vec![0; dst_len];
            let got = varint_decode_into(&stream, &mut dst);
            if dst_len < vals.len() {
                assert!(matches!(got, Err(KernelError::InvalidArgument(_))));
            } else {
                assert_eq!(got, Ok(vals.len()));
            }
        }
        // A data error before the point where `dst` fills up wins; after it, dst-full does.
        let mut bad = stream.clone();
        bad.push(0x80);
        let mut dst = vec![0; vals.len()];
        assert!(matches!(
            varint_decode_into(&bad, &mut dst),
            Err(KernelError::InvalidData { .. })
        ));
        let mut dst = vec![0; vals.len() - 1];
        assert!(matches!(
            varint_decode_into(&bad, &mut dst),
            Err(KernelError::InvalidArgument(_))
        ));
    }
}

#[test]
fn long_inputs() {
    for mix in MIXES {
        let vals = values(3, 50_000 + mix.0.len(), mix);
        let stream = varint_encode(&vals);
        assert_eq!(stream, reference_encoding(&vals), "{}", mix.0);
        for k in all_tiers() {
            let mut dst = vec![0; stream.len()];
            assert_eq!(k.varint_decode_into(&stream, &mut dst), Ok(vals.len()));
            assert!(dst[..vals.len()] == vals[..], "{} {}", k.isa(), mix.0);
            let mut enc = vec![0; stream.len()];
            assert_eq!(k.varint_encode_into(&vals, &mut enc), Ok(stream.len()));
            assert!(enc == stream, "{} {}", k.isa(), mix.0);
        }
        assert_eq!(varint_decode(&stream).unwrap(), vals);
    }
}

proptest! {
    #[test]
    fn round_trip(vals in proptest::collection::vec(any::<u64>(), 0..600), shift in 0u32..64) {
        let vals: Vec<u64> = vals.into_iter().map(|v| v >> shift).collect();
        let enc = varint_encode(&vals);
        prop_assert_eq!(&enc, &reference_encoding(&vals));
        for k in all_tiers() {
            let mut dst = vec![0; enc.len()];
            prop_assert_eq!(k.varint_encode_into(&vals, &mut dst), Ok(enc.len()));
            prop_assert_eq!(&dst, &enc);
            let mut back = vec![0; enc.len()];
            prop_assert_eq!(k.varint_decode_into(&enc, &mut back), Ok(vals.len()));
            prop_assert_eq!(&back[..vals.len()], &vals[..]);
        }
    }

    #[test]
    fn arbitrary_bytes_match_scalar(data in proptest::collection::vec(any::<u8>(), 0..600),
                                    high in 0u8..=255) {
        // Bias towards continuation bytes so long varints and errors are common.
        let data: Vec<u8> = data.into_iter().map(|b| if b < high { b | 0x80 } else { b }).collect();
        let mut want_dst = vec![0; data.len()];
        let want = Kernels::scalar().varint_decode_into(&data, &mut want_dst);
        for k in TIERS.iter() {
            let mut dst = vec![0; data.len()];
            prop_assert_eq!(k.varint_decode_into(&data, &mut dst), want);
            if let Ok(n) = want {
                prop_assert_eq!(&dst[..n], &want_dst[..n]);
            }
        }
    }
}
