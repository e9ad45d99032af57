//! bitpack and bitunpack: the scalar reference against a naive bit loop, round trips and the
//! errors.

mod common;

use binpipe_kernels::{KernelError, bitpack, bitunpack};

/// Packs bit by bit, as KERNELS.md states the layout.
fn naive_pack(values: &[u32], bits: u32) -> Vec<u8> {
    let mut out = vec![0u8; (values.len() * bits as usize).div_ceil(8)];
    for (i, &v) in values.iter().enumerate() {
        for b in 0..bits as usize {
            let k = i * bits as usize + b;
            out[k / 8] |= (((v >> b) & 1) as u8) << (k % 8);
        }
    }
    out
}

/// `n` values below `2^bits`.
fn values(seed: u64, n: usize, bits: u32) -> Vec<u32> {
    common::bytes(seed, 4 * n)
        .chunks_exact(4)
        .map(|c| {
            let v = u32::from_le_bytes(c.try_into().unwrap());
            if bits == 32 { v } else { v & ((1 << bits) - 1) }
        })
        .collect()
}

#[test]
fn scalar_matches_naive_bit_loop() {
    for bits in 0..=32u8 {
        for n in 0..200 {
            let vals = values(u64::from(bits) << 32 | n as u64, n, bits.into());
            let packed = bitpack(&vals, bits).unwrap();
            assert_eq!(packed, naive_pack(&vals, bits.into()), "bits {bits} n {n}");
            assert_eq!(bitunpack(&packed, bits, n as u32).unwrap(), vals);
        }
    }
}

#[test]
fn errors() {
    assert!(matches!(
        bitpack(&[1], 33),
        Err(KernelError::InvalidArgument(_))
    ));
    assert!(matches!(
        bitpack(&[8], 3),
        Err(KernelError::InvalidArgument(_))
    ));
    assert!(matches!(
        bitpack(&[1], 0),
        Err(KernelError::InvalidArgument(_))
    ));
    assert!(matches!(
        bitunpack(&[], 33, 0),
        Err(KernelError::InvalidArgument(_))
    ));
    assert!(matches!(
        bitunpack(&[0xFF], 3, 3),
        Err(KernelError::InvalidData { offset: 1, .. })
    ));
    assert_eq!(bitunpack(&[], 0, 5), Ok(vec![0; 5]));
}
