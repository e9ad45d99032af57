//! bitpack and bitunpack: every SIMD tier against the scalar reference for every width 0..=32
//! and every count 0..=1024 (several alignments; every alignment for a few widths), guard bytes
//! and untouched tails checked; the scalar reference against a naive bit loop; truncated data
//! at every length; argument errors; property round trips.

mod common;

use binpipe_kernels::{KernelError, Kernels, bitpack, bitpack_into, bitunpack, bitunpack_into};
use common::{ALIGNMENTS, Aligned, MAX_LEN, bytes, simd_tiers};
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

/// Packed length of `n` values of `bits` bits.
fn packed_len(n: usize, bits: u8) -> usize {
    (n * usize::from(bits)).div_ceil(8)
}

/// Packs bit by bit, as KERNELS.md states the layout.
fn naive_pack(values: &[u32], bits: u8) -> Vec<u8> {
    let bits = usize::from(bits);
    let mut out = vec![0u8; (values.len() * bits).div_ceil(8)];
    for (i, &v) in values.iter().enumerate() {
        for b in 0..bits {
            let k = i * bits + b;
            out[k / 8] |= (((v >> b) & 1) as u8) << (k % 8);
        }
    }
    out
}

/// Unpacks bit by bit.
fn naive_unpack(data: &[u8], bits: u8, count: usize) -> Vec<u32> {
    let bits = usize::from(bits);
    (0..count)
        .map(|i| {
            (0..bits).fold(0u32, |v, b| {
                let k = i * bits + b;
                v | u32::from((data[k / 8] >> (k % 8)) & 1) << b
            })
        })
        .collect()
}

/// `n` values below `2^bits`.
fn values(seed: u64, n: usize, bits: u8) -> Vec<u32> {
    bytes(seed, 4 * n)
        .chunks_exact(4)
        .map(|c| {
            let v = u32::from_le_bytes(c.try_into().unwrap());
            v.checked_shr(32 - u32::from(bits)).unwrap_or(0)
        })
        .collect()
}

/// Unpacks on tier `k` into a fresh `dst` two values longer than `count`; checks that the two
/// extra elements are untouched.
fn unpack_on(k: &Kernels, data: &[u8], bits: u8, count: usize) -> Result<Vec<u32>, KernelError> {
    let mut dst = vec![0xDEAD_BEEF; count + 2];
    k.bitunpack_into(data, bits, count as u32, &mut dst)?;
    assert_eq!(
        dst[count..],
        [0xDEAD_BEEF; 2],
        "{} wrote past count",
        k.isa()
    );
    dst.truncate(count);
    Ok(dst)
}

/// Checks every tier's unpack of `data` against scalar's.
fn check_unpack(data: &[u8], bits: u8, count: usize, what: &str) {
    let want = unpack_on(&Kernels::scalar(), data, bits, count);
    for k in TIERS.iter() {
        let got = unpack_on(k, data, bits, count);
        assert!(
            got == want,
            "{} unpack bits {bits} count {count} {what}",
            k.isa()
        );
    }
}

/// Checks every tier's pack of `vals` against scalar's, into an exact-length `dst` at
/// `align` (guards intact) and into a longer one (the bytes past the packed length untouched).
fn check_pack(vals: &[u32], bits: u8, align: usize) {
    let len = packed_len(vals.len(), bits);
    let mut want = vec![0; len];
    assert_eq!(
        Kernels::scalar().bitpack_into(vals, bits, &mut want),
        Ok(len)
    );
    for k in TIERS.iter() {
        let mut dst = Aligned::new(&vec![0x3C; len], align);
        assert_eq!(k.bitpack_into(vals, bits, dst.view_mut()), Ok(len));
        assert!(
            dst.view() == want,
            "{} pack bits {bits} n {} align {align}",
            k.isa(),
            vals.len()
        );
        assert!(
            dst.guards_intact(),
            "{} pack bits {bits} n {}",
            k.isa(),
            vals.len()
        );
        let mut roomy = vec![0x3C; len + 20];
        assert_eq!(k.bitpack_into(vals, bits, &mut roomy), Ok(len));
        assert!(
            roomy[..len] == want && roomy[len..] == [0x3C; 20],
            "{}",
            k.isa()
        );
    }
}

#[test]
fn literal_examples() {
    assert_eq!(bitpack(&[1, 2, 3], 3), Ok(vec![0xD1, 0x00]));
    assert_eq!(bitunpack(&[0xD1, 0x00], 3, 3), Ok(vec![1, 2, 3]));
    assert_eq!(
        bitpack(&[1, 0, 1, 1, 0, 0, 0, 1, 1], 1),
        Ok(vec![0x8D, 0x01])
    );
    assert_eq!(bitpack(&[0xABC, 0xDEF], 12), Ok(vec![0xBC, 0xFA, 0xDE]));
    assert_eq!(
        bitpack(&[u32::MAX, 7], 32),
        Ok(vec![0xFF, 0xFF, 0xFF, 0xFF, 7, 0, 0, 0])
    );
    assert_eq!(bitpack(&[0, 0, 0], 0), Ok(vec![]));
    assert_eq!(bitunpack(&[], 0, 5), Ok(vec![0; 5]));
    assert_eq!(bitpack(&[], 17), Ok(vec![]));
}

#[test]
fn scalar_matches_naive_bit_loop() {
    for bits in 0..=32u8 {
        for n in 0..300 {
            let vals = values(u64::from(bits) << 32 | n as u64, n, bits);
            let packed = naive_pack(&vals, bits);
            let mut dst = vec![0; packed.len()];
            assert_eq!(
                Kernels::scalar().bitpack_into(&vals, bits, &mut dst),
                Ok(packed.len())
            );
            assert_eq!(dst, packed, "bits {bits} n {n}");
            // Arbitrary packed data, not only data with zero padding bits.
            let data = bytes(u64::from(bits) << 40 | n as u64, packed.len());
            let got = unpack_on(&Kernels::scalar(), &data, bits, n).unwrap();
            assert_eq!(got, naive_unpack(&data, bits, n), "bits {bits} n {n}");
        }
    }
}

#[test]
fn every_tier_every_width_and_count() {
    for bits in 0..=32u8 {
        for n in 0..=MAX_LEN {
            let vals = values(u64::from(bits) << 32 | n as u64, n, bits);
            check_pack(&vals, bits, n % 5);
            // Unpack arbitrary bytes: exactly the packed length, and with bytes to spare.
            let len = packed_len(n, bits);
            let data = bytes(u64::from(bits) << 40 | n as u64, len + 40);
            for (extra, align) in [(0, 0), (1, 3), (17, 33), (40, 62)] {
                let placed = Aligned::new(&data[..len + extra], align);
                check_unpack(
                    placed.view(),
                    bits,
                    n,
                    &format!("extra {extra} align {align}"),
                );
            }
        }
    }
}

#[test]
fn some_widths_at_every_alignment() {
    for bits in [1, 3, 8, 13, 16, 27, 31, 32] {
        for n in (0..=256).chain([MAX_LEN - 1, MAX_LEN]) {
            let vals = values(u64::from(bits) << 32 | n as u64, n, bits);
            let packed = bitpack(&vals, bits).unwrap();
            for align in 0..ALIGNMENTS {
                check_pack(&vals, bits, align);
                let placed = Aligned::new(&packed, align);
                check_unpack(placed.view(), bits, n, &format!("align {align}"));
                assert_eq!(
                    unpack_on(
                        &TIERS.last().copied().unwrap_or(Kernels::scalar()),
                        placed.view(),
                        bits,
                        n
                    )
                    .unwrap(),
                    vals
                );
            }
        }
    }
}

#[test]
fn long_inputs_round_trip() {
    for bits in 0..=32u8 {
        let n = 20_000 + usize::from(bits);
        let vals = values(u64::from(bits), n, bits);
        let packed = naive_pack(&vals, bits);
        for k in all_tiers() {
            let mut dst = vec![0; packed.len()];
            assert_eq!(k.bitpack_into(&vals, bits, &mut dst), Ok(packed.len()));
            assert!(dst == packed, "{} bits {bits}", k.isa());
            assert!(
                unpack_on(&k, &packed, bits, n).unwrap() == vals,
                "{} bits {bits}",
                k.isa()
            );
        }
        assert_eq!(bitunpack(&packed, bits, n as u32).unwrap(), vals);
    }
}

#[test]
fn truncated_data_at_every_length() {
    for bits in 1..=32u8 {
        for n in [1, 7, 8, 9, 40, 100] {
            let len = packed_len(n, bits);
            let data = bytes(u64::from(bits), len);
            for cut in 0..len {
                for k in all_tiers() {
                    let got = unpack_on(&k, &data[..cut], bits, n);
                    assert!(
                        matches!(got, Err(KernelError::InvalidData { offset, .. }) if offset == cut as u64),
                        "{} bits {bits} n {n} cut {cut}: {got:?}",
                        k.isa()
                    );
                }
                assert!(matches!(
                    bitunpack(&data[..cut], bits, n as u32),
                    Err(KernelError::InvalidData { offset, .. }) if offset == cut as u64
                ));
            }
        }
    }
}

#[test]
fn argument_errors() {
    let invalid_arg =
        |r: Result<(), KernelError>| matches!(r, Err(KernelError::InvalidArgument(_)));
    for k in all_tiers() {
        for bits in [33, 34, 64, 255] {
            assert!(invalid_arg(
                k.bitpack_into(&[1], bits, &mut [0; 64]).map(drop)
            ));
            assert!(invalid_arg(k.bitunpack_into(
                &[0; 64],
                bits,
                1,
                &mut [0; 4]
            )));
            // The width is checked before the data length.
            assert!(invalid_arg(k.bitunpack_into(&[], bits, 1, &mut [0; 4])));
        }
        // A value too wide, at every position of 40 values, for every width below 32.
        for bits in 0..32u8 {
            let vals = values(u64::from(bits), 40, bits);
            for pos in 0..vals.len() {
                let mut bad = vals.clone();
                bad[pos] |= 1 << bits;
                let mut dst = vec![0; 200];
                assert!(
                    invalid_arg(k.bitpack_into(&bad, bits, &mut dst).map(drop)),
                    "{} bits {bits} pos {pos}",
                    k.isa()
                );
            }
        }
        // dst too short, by one byte or one value.
        let vals = values(1, 30, 13);
        let mut short = vec![0; packed_len(30, 13) - 1];
        assert!(invalid_arg(k.bitpack_into(&vals, 13, &mut short).map(drop)));
        let packed = bitpack(&vals, 13).unwrap();
        assert!(invalid_arg(k.bitunpack_into(&packed, 13, 30, &mut [0; 29])));
        // A short dst is reported before truncated data.
        assert!(invalid_arg(k.bitunpack_into(
            &packed[..3],
            13,
            30,
            &mut [0; 29]
        )));
    }
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
        bitpack_into(&[1, 2], 2, &mut [0; 0]),
        Err(KernelError::InvalidArgument(_))
    ));
    let mut dst = [0; 3];
    assert!(matches!(
        bitunpack_into(&[0xFF], 3, 3, &mut dst),
        Err(KernelError::InvalidData { offset: 1, .. })
    ));
}

proptest! {
    #[test]
    fn round_trip(raw in proptest::collection::vec(any::<u32>(), 0..700), bits in 0u8..=32) {
        let vals: Vec<u32> = raw.iter().map(|v| v.checked_shr(32 - u32::from(bits)).unwrap_or(0)).collect();
        let packed = bitpack(&vals, bits).unwrap();
        prop_assert_eq!(&packed, &naive_pack(&vals, bits));
        for k in all_tiers() {
            prop_assert_eq!(unpack_on(&k, &packed, bits, vals.len()).unwrap(), vals.clone());
        }
        prop_assert_eq!(bitunpack(&packed, bits, vals.len() as u32).unwrap(), vals);
    }

    #[test]
    fn arbitrary_data_matches_naive(data in proptest::collection::vec(any::<u8>(), 0..700), bits in 0u8..=32, cut in 0usize..50) {
        let count = (data.len() * 8).checked_div(usize::from(bits)).unwrap_or(300).saturating_sub(cut);
        let want = naive_unpack(&data, bits, count);
        for k in all_tiers() {
            prop_assert_eq!(unpack_on(&k, &data, bits, count).unwrap(), want.clone());
        }
    }
}
