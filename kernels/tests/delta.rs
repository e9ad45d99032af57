//! Delta encode and decode: the scalar reference against an independent one written with
//! std's typed integers; every SIMD tier against the scalar reference for every width over
//! every length 0..=1024 at every source alignment (destination at another alignment, guard
//! bytes checked); long inputs, round trips both ways, random property tests and the
//! argument errors.

mod common;

use binpipe_kernels::{
    KernelError, Kernels, delta_decode, delta_decode_into, delta_encode, delta_encode_into,
};
use common::{ALIGNMENTS, Aligned, MAX_LEN, bytes, simd_tiers};
use proptest::prelude::*;
use std::sync::LazyLock;

/// The SIMD tiers, looked up (and their skips reported) once for all property-test cases.
static TIERS: LazyLock<Vec<Kernels>> = LazyLock::new(simd_tiers);

/// Every valid width.
const WIDTHS: [u8; 4] = [1, 2, 4, 8];

/// Which direction a check runs.
#[derive(Clone, Copy, Debug)]
enum Dir {
    /// `delta_encode_into`.
    Encode,
    /// `delta_decode_into`.
    Decode,
}

/// Independent reference: std's fixed-width integers, `wrapping_sub` / `wrapping_add`.
fn reference(dir: Dir, src: &[u8], width: u8) -> Vec<u8> {
    macro_rules! typed {
        ($t:ty) => {{
            const W: usize = core::mem::size_of::<$t>();
            let mut out = Vec::with_capacity(src.len());
            let mut prev: $t = 0;
            for chunk in src.chunks_exact(W) {
                let x = <$t>::from_le_bytes(chunk.try_into().unwrap());
                let y = match dir {
                    Dir::Encode => {
                        let d = x.wrapping_sub(prev);
                        prev = x;
                        d
                    }
                    Dir::Decode => {
                        prev = prev.wrapping_add(x);
                        prev
                    }
                };
                out.extend_from_slice(&y.to_le_bytes());
            }
            out.extend_from_slice(&src[src.len() / W * W..]);
            out
        }};
    }
    match width {
        1 => typed!(u8),
        2 => typed!(u16),
        4 => typed!(u32),
        8 => typed!(u64),
        _ => unreachable!("test widths are valid"),
    }
}

/// Runs `dir` on tier `k` from `src` into a fresh guarded buffer at `dst_align`, checks the
/// guards and returns the output.
fn run(k: &Kernels, dir: Dir, src: &[u8], width: u8, dst_align: usize) -> Vec<u8> {
    let mut dst = Aligned::new(&vec![0x3C; src.len()], dst_align);
    match dir {
        Dir::Encode => k.delta_encode_into(src, width, dst.view_mut()),
        Dir::Decode => k.delta_decode_into(src, width, dst.view_mut()),
    }
    .expect("valid arguments");
    assert!(
        dst.guards_intact(),
        "{} {dir:?} width {width} len {} wrote outside dst",
        k.isa(),
        src.len()
    );
    dst.view().to_vec()
}

#[test]
fn scalar_matches_independent_reference() {
    let scalar = Kernels::scalar();
    for width in WIDTHS {
        for len in (0..=MAX_LEN).chain([4099, 65_536 + 7]) {
            let data = bytes(u64::from(width) << 40 | len as u64, len);
            for dir in [Dir::Encode, Dir::Decode] {
                assert_eq!(
                    run(&scalar, dir, &data, width, 0),
                    reference(dir, &data, width),
                    "{dir:?} width {width} len {len}"
                );
            }
        }
    }
}

#[test]
fn literal_examples() {
    // u16 elements 0x0001, 0x0000 (wraps to 0xFFFF), 0x0100; a one-byte tail 0x09.
    let x = [0x01, 0x00, 0x00, 0x00, 0x00, 0x01, 0x09];
    let encoded = [0x01, 0x00, 0xFF, 0xFF, 0x00, 0x01, 0x09];
    for k in simd_tiers().into_iter().chain([Kernels::scalar()]) {
        let mut out = [0; 7];
        k.delta_encode_into(&x, 2, &mut out).unwrap();
        assert_eq!(out, encoded, "{}", k.isa());
        k.delta_decode_into(&encoded, 2, &mut out).unwrap();
        assert_eq!(out, x, "{}", k.isa());
    }
    assert_eq!(delta_encode(&[5, 7, 6], 1).unwrap(), [5, 2, 0xFF]);
    assert_eq!(delta_decode(&[5, 2, 0xFF], 1).unwrap(), [5, 7, 6]);
}

#[test]
fn every_tier_matches_scalar_over_lengths_and_alignments() {
    let tiers = simd_tiers();
    let scalar = Kernels::scalar();
    for width in WIDTHS {
        for len in 0..=MAX_LEN {
            let data = bytes(u64::from(width) << 32 | len as u64, len);
            for dir in [Dir::Encode, Dir::Decode] {
                let want = run(&scalar, dir, &data, width, 0);
                for align in 0..ALIGNMENTS {
                    let src = Aligned::new(&data, align);
                    // The destination at an odd offset from the source's, so the two differ.
                    let dst_align = (align * 5 + 3) % ALIGNMENTS;
                    for k in &tiers {
                        let got = run(k, dir, src.view(), width, dst_align);
                        assert!(
                            got == want,
                            "{} {dir:?} width {width} len {len} align {align}",
                            k.isa()
                        );
                    }
                    assert!(src.guards_intact());
                }
            }
        }
    }
}

#[test]
fn extreme_values_carry_across_blocks() {
    // All-0xFF and all-0x00 runs, alternating extremes, and counting sequences: carries and
    // borrows through every byte of an element and across every vector and block boundary.
    let tiers = simd_tiers();
    let scalar = Kernels::scalar();
    for width in WIDTHS {
        for len in [31, 64, 127, 500, 1000, 4096 + 5] {
            let patterns: Vec<Vec<u8>> = vec![
                vec![0xFF; len],
                vec![0; len],
                (0..len)
                    .map(|i| if i % 3 == 0 { 0xFF } else { 0 })
                    .collect(),
                (0..len).map(|i| i as u8).collect(),
                (0..len)
                    .map(|i| (i as u8).wrapping_mul(37) | 0x80)
                    .collect(),
            ];
            for data in patterns {
                for dir in [Dir::Encode, Dir::Decode] {
                    let want = run(&scalar, dir, &data, width, 0);
                    for k in &tiers {
                        assert!(
                            run(k, dir, &data, width, 1) == want,
                            "{} {dir:?} width {width} len {len}",
                            k.isa()
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn long_inputs_round_trip() {
    let tiers = simd_tiers();
    let scalar = Kernels::scalar();
    for width in WIDTHS {
        for len in [65_536, 65_536 + 7, (1 << 20) + 3] {
            let data = bytes(len as u64 ^ u64::from(width), len);
            let enc = run(&scalar, Dir::Encode, &data, width, 0);
            assert_eq!(run(&scalar, Dir::Decode, &enc, width, 0), data);
            for k in &tiers {
                assert!(
                    run(k, Dir::Encode, &data, width, 5) == enc,
                    "{} encode width {width} len {len}",
                    k.isa()
                );
                assert!(
                    run(k, Dir::Decode, &enc, width, 9) == data,
                    "{} decode width {width} len {len}",
                    k.isa()
                );
            }
        }
    }
}

#[test]
fn dispatched_functions_agree_with_scalar() {
    for width in WIDTHS {
        for len in [0, 1, 7, 8, 100, 1000, 5000] {
            let data = bytes(len as u64 + 99, len);
            let mut out = vec![0; len];
            delta_encode_into(&data, width, &mut out).unwrap();
            assert_eq!(out, reference(Dir::Encode, &data, width));
            assert_eq!(delta_encode(&data, width).unwrap(), out);
            delta_decode_into(&data, width, &mut out).unwrap();
            assert_eq!(out, reference(Dir::Decode, &data, width));
            assert_eq!(delta_decode(&data, width).unwrap(), out);
        }
    }
}

#[test]
fn bad_arguments_are_invalid_argument() {
    let src = [0u8; 16];
    let is_invalid = |r: Result<(), KernelError>| matches!(r, Err(KernelError::InvalidArgument(_)));
    for k in simd_tiers().into_iter().chain([Kernels::scalar()]) {
        for width in [0, 3, 5, 6, 7, 9, 16, 32, 64, 255] {
            let mut dst = [0u8; 16];
            assert!(is_invalid(k.delta_encode_into(&src, width, &mut dst)));
            assert!(is_invalid(k.delta_decode_into(&src, width, &mut dst)));
            assert!(is_invalid(k.delta_encode_into(&[], width, &mut [])));
        }
        for dst_len in [0, 15, 17] {
            let mut dst = vec![0u8; dst_len];
            assert!(is_invalid(k.delta_encode_into(&src, 4, &mut dst)));
            assert!(is_invalid(k.delta_decode_into(&src, 4, &mut dst)));
        }
    }
    let mut dst = [0u8; 16];
    assert!(is_invalid(delta_encode_into(&src, 3, &mut dst)));
    assert!(is_invalid(delta_decode_into(&src, 0, &mut dst)));
    assert!(is_invalid(delta_encode_into(&src, 2, &mut dst[..15])));
    assert!(matches!(
        delta_encode(&src, 16),
        Err(KernelError::InvalidArgument(_))
    ));
    assert!(matches!(
        delta_decode(&[], 255),
        Err(KernelError::InvalidArgument(_))
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn random_inputs_match_scalar_and_round_trip(
        data in proptest::collection::vec(any::<u8>(), 0..20_000),
        pick in 0usize..4,
    ) {
        let width = WIDTHS[pick];
        let scalar = Kernels::scalar();
        let enc = run(&scalar, Dir::Encode, &data, width, 0);
        let dec = run(&scalar, Dir::Decode, &data, width, 0);
        prop_assert!(run(&scalar, Dir::Decode, &enc, width, 0) == data, "scalar decode(encode)");
        prop_assert!(run(&scalar, Dir::Encode, &dec, width, 0) == data, "scalar encode(decode)");
        for k in TIERS.iter() {
            prop_assert!(run(k, Dir::Encode, &data, width, 3) == enc, "{} encode", k.isa());
            prop_assert!(run(k, Dir::Decode, &data, width, 3) == dec, "{} decode", k.isa());
            prop_assert!(run(k, Dir::Decode, &enc, width, 7) == data, "{} round trip", k.isa());
        }
    }
}
