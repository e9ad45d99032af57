//! Byte swap: the scalar reference against std's `swap_bytes`; every SIMD tier against the
//! scalar reference for every width over every length 0..=1024 at every source alignment
//! (destination at another alignment, guard bytes checked); long inputs, swapping twice is
//! the identity, random property tests and the argument errors. The in-place swap on every
//! tier against the same reference, over the same lengths and alignments.

mod common;

use binpipe_kernels::{KernelError, Kernels, byteswap, byteswap_in_place, byteswap_into};
use common::{ALIGNMENTS, Aligned, MAX_LEN, bytes, simd_tiers};
use proptest::prelude::*;
use std::sync::LazyLock;

/// The SIMD tiers, looked up (and their skips reported) once for all property-test cases.
static TIERS: LazyLock<Vec<Kernels>> = LazyLock::new(simd_tiers);

/// Every valid width.
const WIDTHS: [u8; 3] = [2, 4, 8];

/// Independent reference: std's `u16/u32/u64::swap_bytes`.
fn reference(src: &[u8], width: u8) -> Vec<u8> {
    macro_rules! typed {
        ($t:ty) => {{
            const W: usize = core::mem::size_of::<$t>();
            let mut out = Vec::with_capacity(src.len());
            for chunk in src.chunks_exact(W) {
                let x = <$t>::from_le_bytes(chunk.try_into().unwrap());
                out.extend_from_slice(&x.swap_bytes().to_le_bytes());
            }
            out.extend_from_slice(&src[src.len() / W * W..]);
            out
        }};
    }
    match width {
        2 => typed!(u16),
        4 => typed!(u32),
        8 => typed!(u64),
        _ => unreachable!("test widths are valid"),
    }
}

/// Runs tier `k` from `src` into a fresh guarded buffer at `dst_align`, checks the guards and
/// returns the output.
fn run(k: &Kernels, src: &[u8], width: u8, dst_align: usize) -> Vec<u8> {
    let mut dst = Aligned::new(&vec![0x3C; src.len()], dst_align);
    k.byteswap_into(src, width, dst.view_mut())
        .expect("valid arguments");
    assert!(
        dst.guards_intact(),
        "{} width {width} len {} wrote outside dst",
        k.isa(),
        src.len()
    );
    dst.view().to_vec()
}

/// Runs tier `k`'s in-place swap on a guarded copy of `data` at `align`, checks the guards
/// and returns the result.
fn run_in_place(k: &Kernels, data: &[u8], width: u8, align: usize) -> Vec<u8> {
    let mut buf = Aligned::new(data, align);
    k.byteswap_in_place(buf.view_mut(), width)
        .expect("valid arguments");
    assert!(
        buf.guards_intact(),
        "{} width {width} len {} wrote outside buf",
        k.isa(),
        data.len()
    );
    buf.view().to_vec()
}

#[test]
fn in_place_matches_reference_on_every_tier_over_lengths_and_alignments() {
    let tiers: Vec<Kernels> = simd_tiers()
        .into_iter()
        .chain([Kernels::scalar()])
        .collect();
    for width in WIDTHS {
        for len in (0..=MAX_LEN).chain([65_536 + 7, (1 << 20) + 3]) {
            let data = bytes(u64::from(width) << 36 | len as u64, len);
            let want = reference(&data, width);
            let aligns = if len > MAX_LEN { 0..3 } else { 0..ALIGNMENTS };
            for align in aligns {
                for k in &tiers {
                    let got = run_in_place(k, &data, width, align);
                    assert!(
                        got == want,
                        "{} in place width {width} len {len} align {align}",
                        k.isa()
                    );
                }
            }
            let mut buf = data.clone();
            byteswap_in_place(&mut buf, width).unwrap();
            assert_eq!(buf, want, "dispatched in place width {width} len {len}");
        }
    }
}

#[test]
fn scalar_matches_std_swap_bytes() {
    let scalar = Kernels::scalar();
    for width in WIDTHS {
        for len in (0..=MAX_LEN).chain([4099, 65_536 + 7]) {
            let data = bytes(u64::from(width) << 40 | len as u64, len);
            assert_eq!(
                run(&scalar, &data, width, 0),
                reference(&data, width),
                "width {width} len {len}"
            );
        }
    }
}

#[test]
fn literal_examples() {
    let x: Vec<u8> = (1..=19).collect();
    for k in simd_tiers().into_iter().chain([Kernels::scalar()]) {
        let mut out = [0; 19];
        k.byteswap_into(&x, 2, &mut out).unwrap();
        assert_eq!(out[..6], [2, 1, 4, 3, 6, 5], "{}", k.isa());
        assert_eq!(out[18], 19, "{}", k.isa());
        k.byteswap_into(&x, 4, &mut out).unwrap();
        assert_eq!(out[..8], [4, 3, 2, 1, 8, 7, 6, 5], "{}", k.isa());
        assert_eq!(out[16..], [17, 18, 19], "{}", k.isa());
        k.byteswap_into(&x, 8, &mut out).unwrap();
        assert_eq!(out[..8], [8, 7, 6, 5, 4, 3, 2, 1], "{}", k.isa());
        assert_eq!(out[16..], [17, 18, 19], "{}", k.isa());
    }
}

#[test]
fn every_tier_matches_scalar_over_lengths_and_alignments() {
    let tiers = simd_tiers();
    let scalar = Kernels::scalar();
    for width in WIDTHS {
        for len in 0..=MAX_LEN {
            let data = bytes(u64::from(width) << 32 | len as u64, len);
            let want = run(&scalar, &data, width, 0);
            for align in 0..ALIGNMENTS {
                let src = Aligned::new(&data, align);
                // The destination at an odd offset from the source's, so the two differ.
                let dst_align = (align * 5 + 3) % ALIGNMENTS;
                for k in &tiers {
                    let got = run(k, src.view(), width, dst_align);
                    assert!(
                        got == want,
                        "{} width {width} len {len} align {align}",
                        k.isa()
                    );
                }
                assert!(src.guards_intact());
            }
        }
    }
}

#[test]
fn long_inputs_and_twice_is_identity() {
    let tiers = simd_tiers();
    let scalar = Kernels::scalar();
    for width in WIDTHS {
        for len in [65_536, 65_536 + 7, (1 << 20) + 3] {
            let data = bytes(len as u64 ^ u64::from(width), len);
            let want = run(&scalar, &data, width, 0);
            assert_eq!(want, reference(&data, width));
            assert_eq!(run(&scalar, &want, width, 0), data);
            for k in &tiers {
                let got = run(k, &data, width, 5);
                assert!(got == want, "{} width {width} len {len}", k.isa());
                assert!(run(k, &got, width, 9) == data, "{} twice", k.isa());
            }
        }
    }
}

#[test]
fn dispatched_functions_agree_with_reference() {
    for width in WIDTHS {
        for len in [0, 1, 7, 8, 100, 1000, 5000] {
            let data = bytes(len as u64 + 99, len);
            let mut out = vec![0; len];
            byteswap_into(&data, width, &mut out).unwrap();
            assert_eq!(out, reference(&data, width));
            assert_eq!(byteswap(&data, width).unwrap(), out);
        }
    }
}

#[test]
fn bad_arguments_are_invalid_argument() {
    let src = [0u8; 16];
    let is_invalid = |r: Result<(), KernelError>| matches!(r, Err(KernelError::InvalidArgument(_)));
    for k in simd_tiers().into_iter().chain([Kernels::scalar()]) {
        for width in [0, 1, 3, 5, 6, 7, 9, 16, 32, 64, 255] {
            let mut dst = [0u8; 16];
            assert!(is_invalid(k.byteswap_into(&src, width, &mut dst)));
            assert!(is_invalid(k.byteswap_into(&[], width, &mut [])));
        }
        for width in [0, 1, 3, 16] {
            assert!(is_invalid(k.byteswap_in_place(&mut [0u8; 16], width)));
        }
        for dst_len in [0, 15, 17] {
            let mut dst = vec![0u8; dst_len];
            assert!(is_invalid(k.byteswap_into(&src, 4, &mut dst)));
        }
    }
    let mut dst = [0u8; 16];
    assert!(is_invalid(byteswap_into(&src, 1, &mut dst)));
    assert!(is_invalid(byteswap_into(&src, 2, &mut dst[..15])));
    assert!(is_invalid(byteswap_in_place(&mut dst, 6)));
    assert!(matches!(
        byteswap(&src, 16),
        Err(KernelError::InvalidArgument(_))
    ));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn random_inputs_match_scalar_and_twice_is_identity(
        data in proptest::collection::vec(any::<u8>(), 0..20_000),
        pick in 0usize..3,
    ) {
        let width = WIDTHS[pick];
        let scalar = Kernels::scalar();
        let want = run(&scalar, &data, width, 0);
        prop_assert!(run(&scalar, &want, width, 0) == data, "scalar twice");
        for k in TIERS.iter() {
            let got = run(k, &data, width, 3);
            prop_assert!(got == want, "{} byteswap", k.isa());
            prop_assert!(run(k, &got, width, 7) == data, "{} twice", k.isa());
            prop_assert!(run_in_place(k, &data, width, 5) == want, "{} in place", k.isa());
        }
    }
}
