//! varint-encode and varint-decode: the scalar reference against `integer-encoding`, literal
//! examples, round trips and every error with its offset.

mod common;

use binpipe_kernels::{
    KernelError, varint_decode, varint_decode_into, varint_encode, varint_encode_into,
};
use integer_encoding::VarInt;

/// Values of every encoded length 1..=10, mixed (SplitMix64 words shifted right by 0..64).
fn mixed_values(seed: u64, n: usize) -> Vec<u64> {
    common::bytes(seed, 8 * n)
        .chunks_exact(8)
        .enumerate()
        .map(|(i, c)| {
            let w = u64::from_le_bytes(c.try_into().unwrap());
            w >> (w as usize % 64).max(i % 3)
        })
        .collect()
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
}

#[test]
fn scalar_matches_integer_encoding() {
    for n in 0..300 {
        let values = mixed_values(n as u64, n);
        let mut want = Vec::new();
        for &v in &values {
            want.extend_from_slice(&v.encode_var_vec());
        }
        assert_eq!(varint_encode(&values), want, "n {n}");
        assert_eq!(varint_decode(&want).unwrap(), values, "n {n}");
        let mut dst = vec![0; want.len()];
        assert_eq!(varint_encode_into(&values, &mut dst), Ok(want.len()));
        if !want.is_empty() {
            let mut short = vec![0; want.len() - 1];
            assert!(matches!(
                varint_encode_into(&values, &mut short),
                Err(KernelError::InvalidArgument(_))
            ));
        }
    }
}

#[test]
fn errors_and_offsets() {
    let bad = |offset| {
        Err(KernelError::InvalidData {
            offset,
            message: "",
        })
    };
    let kind = |r: Result<Vec<u64>, KernelError>| match r {
        Err(KernelError::InvalidData { offset, .. }) => bad(offset),
        other => other,
    };
    assert_eq!(kind(varint_decode(&[0x80])), bad(1));
    assert_eq!(kind(varint_decode(&[0x01, 0x80, 0x80])), bad(3));
    // A tenth byte with the continuation bit, or above 1: at the tenth byte.
    let mut ten = vec![0x80; 9];
    ten.push(0x80);
    assert_eq!(kind(varint_decode(&ten)), bad(9));
    ten[9] = 0x02;
    assert_eq!(kind(varint_decode(&ten)), bad(9));
    ten[9] = 0x01;
    assert_eq!(kind(varint_decode(&ten)), Ok(vec![1 << 63]));
    let mut dst = [0; 1];
    assert!(matches!(
        varint_decode_into(&[1, 2], &mut dst),
        Err(KernelError::InvalidArgument(_))
    ));
}
