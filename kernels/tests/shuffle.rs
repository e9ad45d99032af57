//! Shuffle and unshuffle: every SIMD tier against the scalar reference over every length
//! 0..=1024 for many element sizes, at several source and destination alignments (every
//! alignment for the common sizes 2, 4, 8, 16), with guard bytes checked; round trips,
//! random property tests and the argument errors.

mod common;

use binpipe_kernels::{KernelError, Kernels, shuffle_into, unshuffle_into};
use common::{ALIGNMENTS, Aligned, MAX_LEN, bytes, simd_tiers};
use proptest::prelude::*;
use std::sync::LazyLock;

/// The SIMD tiers, looked up (and their skips reported) once for all property-test cases.
static TIERS: LazyLock<Vec<Kernels>> = LazyLock::new(simd_tiers);

/// Element sizes swept at a few alignments.
const SIZES: [u32; 23] = [
    1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 32, 64, 255,
];

/// Element sizes swept at every alignment.
const COMMON_SIZES: [u32; 4] = [2, 4, 8, 16];

/// Which direction a check runs.
#[derive(Clone, Copy, Debug)]
enum Dir {
    /// `shuffle_into`.
    Shuffle,
    /// `unshuffle_into`.
    Unshuffle,
}

/// Runs `dir` on tier `k` from `src` into a fresh guarded buffer at `dst_align`, checks the
/// guards and returns the output.
fn run(k: &Kernels, dir: Dir, src: &[u8], elem_size: u32, dst_align: usize) -> Vec<u8> {
    let mut dst = Aligned::new(&vec![0x3C; src.len()], dst_align);
    match dir {
        Dir::Shuffle => k.shuffle_into(src, elem_size, dst.view_mut()),
        Dir::Unshuffle => k.unshuffle_into(src, elem_size, dst.view_mut()),
    }
    .expect("valid arguments");
    assert!(
        dst.guards_intact(),
        "{} {dir:?} elem {elem_size} len {} wrote outside dst",
        k.isa(),
        src.len()
    );
    dst.view().to_vec()
}

/// Checks every tier against scalar, both directions, for one input at the given alignments.
fn check(tiers: &[Kernels], data: &[u8], elem_size: u32, src_align: usize, dst_align: usize) {
    let src = Aligned::new(data, src_align);
    for dir in [Dir::Shuffle, Dir::Unshuffle] {
        let want = run(&Kernels::scalar(), dir, src.view(), elem_size, 0);
        for k in tiers {
            let got = run(k, dir, src.view(), elem_size, dst_align);
            assert!(
                got == want,
                "{} {dir:?} elem {elem_size} len {} src align {src_align} dst align {dst_align}",
                k.isa(),
                data.len()
            );
        }
    }
    assert!(src.guards_intact());
}

#[test]
fn every_tier_matches_scalar_for_every_size() {
    let tiers = simd_tiers();
    for elem_size in SIZES {
        for len in 0..=MAX_LEN {
            let data = bytes(u64::from(elem_size) << 32 | len as u64, len);
            for (src_align, dst_align) in [(0, 0), (1, 3), (7, 60), (33, 17)] {
                check(&tiers, &data, elem_size, src_align, dst_align);
            }
        }
    }
}

#[test]
fn common_sizes_at_every_alignment() {
    let tiers = simd_tiers();
    for elem_size in COMMON_SIZES {
        for len in 0..=MAX_LEN {
            let data = bytes(u64::from(elem_size) << 32 | len as u64, len);
            for src_align in 0..ALIGNMENTS {
                // The destination at an odd offset from the source's, so the two differ.
                check(
                    &tiers,
                    &data,
                    elem_size,
                    src_align,
                    (src_align * 5 + 3) % ALIGNMENTS,
                );
            }
        }
    }
}

#[test]
fn long_inputs_for_every_size() {
    // Past the sweeps: several blocks of the widest vectors, odd lengths, every size.
    let tiers = simd_tiers();
    for elem_size in 1..=255 {
        let len = 4 * 255 * 64 + elem_size as usize + 5;
        let data = bytes(u64::from(elem_size), len);
        check(&tiers, &data, elem_size, 3, 9);
    }
}

#[test]
fn round_trip_and_literal_example() {
    let src = [1, 2, 3, 4, 5, 6, 7, 8, 9];
    for k in simd_tiers().into_iter().chain([Kernels::scalar()]) {
        let mut out = [0; 9];
        k.shuffle_into(&src, 2, &mut out).unwrap();
        assert_eq!(out, [1, 3, 5, 7, 2, 4, 6, 8, 9], "{}", k.isa());
        let mut back = [0; 9];
        k.unshuffle_into(&out, 2, &mut back).unwrap();
        assert_eq!(back, src, "{}", k.isa());
    }
}

#[test]
fn bad_arguments_are_invalid_argument() {
    let src = [0u8; 16];
    let is_invalid = |r: Result<(), KernelError>| matches!(r, Err(KernelError::InvalidArgument(_)));
    for k in simd_tiers().into_iter().chain([Kernels::scalar()]) {
        for elem_size in [0, 256, u32::MAX] {
            let mut dst = [0u8; 16];
            assert!(
                is_invalid(k.shuffle_into(&src, elem_size, &mut dst)),
                "{}",
                k.isa()
            );
            assert!(
                is_invalid(k.unshuffle_into(&src, elem_size, &mut dst)),
                "{}",
                k.isa()
            );
        }
        for dst_len in [0, 15, 17] {
            let mut dst = vec![0u8; dst_len];
            assert!(is_invalid(k.shuffle_into(&src, 4, &mut dst)), "{}", k.isa());
            assert!(
                is_invalid(k.unshuffle_into(&src, 4, &mut dst)),
                "{}",
                k.isa()
            );
        }
    }
    let mut dst = [0u8; 16];
    assert!(is_invalid(shuffle_into(&src, 0, &mut dst)));
    assert!(is_invalid(unshuffle_into(&src, 256, &mut dst)));
    assert!(is_invalid(shuffle_into(&src, 4, &mut dst[..15])));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn random_inputs_match_scalar_and_round_trip(
        data in proptest::collection::vec(any::<u8>(), 0..65_536),
        elem_size in 1u32..=255,
    ) {
        let scalar = Kernels::scalar();
        let mut want = vec![0; data.len()];
        scalar.shuffle_into(&data, elem_size, &mut want).unwrap();
        let mut want_back = vec![0; data.len()];
        scalar.unshuffle_into(&want, elem_size, &mut want_back).unwrap();
        prop_assert!(want_back == data, "scalar round trip");
        for k in TIERS.iter() {
            let mut got = vec![0; data.len()];
            k.shuffle_into(&data, elem_size, &mut got).unwrap();
            prop_assert!(got == want, "{} shuffle", k.isa());
            let mut back = vec![0; data.len()];
            k.unshuffle_into(&got, elem_size, &mut back).unwrap();
            prop_assert!(back == data, "{} round trip", k.isa());
            // Unshuffle of arbitrary data (not a shuffle's output) too.
            let mut want_un = vec![0; data.len()];
            scalar.unshuffle_into(&data, elem_size, &mut want_un).unwrap();
            k.unshuffle_into(&data, elem_size, &mut back).unwrap();
            prop_assert!(back == want_un, "{} unshuffle", k.isa());
        }
    }

    #[test]
    fn common_sizes_random_lengths(
        data in proptest::collection::vec(any::<u8>(), 0..65_536),
        pick in 0usize..4,
    ) {
        let elem_size = COMMON_SIZES[pick];
        let mut want = vec![0; data.len()];
        Kernels::scalar().shuffle_into(&data, elem_size, &mut want).unwrap();
        for k in TIERS.iter() {
            let mut got = vec![0; data.len()];
            k.shuffle_into(&data, elem_size, &mut got).unwrap();
            prop_assert!(got == want, "{} shuffle elem {}", k.isa(), elem_size);
            let mut back = vec![0; data.len()];
            k.unshuffle_into(&got, elem_size, &mut back).unwrap();
            prop_assert!(back == data, "{} round trip elem {}", k.isa(), elem_size);
        }
    }
}
