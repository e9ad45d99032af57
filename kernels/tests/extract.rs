//! Field extraction: the scalar reference against an independent index-formula loop; every
//! SIMD tier against the scalar reference for every record size 1..=64 with every valid
//! `(offset, width)` at several record counts and tails, and for common layouts over every
//! length 0..=1024 at every alignment; bytes of `dst` past the fields and guard bytes are
//! checked untouched; long inputs, random property tests and the argument errors.

mod common;

use binpipe_kernels::{KernelError, Kernels, extract_field, extract_field_into};
use common::{ALIGNMENTS, Aligned, MAX_LEN, bytes, simd_tiers};
use proptest::prelude::*;
use std::sync::LazyLock;

/// The SIMD tiers, looked up (and their skips reported) once for all property-test cases.
static TIERS: LazyLock<Vec<Kernels>> = LazyLock::new(simd_tiers);

/// Bytes of `dst` past the fields that every run checks are left alone.
const SLACK: usize = 19;

/// Layouts `(record_size, offset, width)` swept over every length and alignment: the
/// specialised widths in small and large records, fields at the start, middle and end.
const COMMON: [(u32, u32, u32); 22] = [
    (1, 0, 1),
    (2, 0, 1),
    (2, 1, 1),
    (3, 1, 1),
    (4, 0, 2),
    (4, 2, 2),
    (4, 0, 4),
    (6, 2, 4),
    (8, 0, 4),
    (8, 4, 4),
    (8, 7, 1),
    (12, 4, 4),
    (12, 4, 8),
    (16, 0, 8),
    (16, 8, 8),
    (24, 8, 8),
    (5, 1, 2),
    (7, 3, 4),
    (17, 3, 8),
    (40, 0, 16),
    (64, 60, 4),
    (100, 33, 50),
];

/// Independent reference: byte `j` of field `r` is `src[r * record_size + offset + j]`.
fn reference(src: &[u8], record_size: u32, offset: u32, width: u32) -> Vec<u8> {
    let (rs, off, w) = (record_size as usize, offset as usize, width as usize);
    let mut out = Vec::new();
    for r in 0..src.len() / rs {
        for j in 0..w {
            out.push(src[r * rs + off + j]);
        }
    }
    out
}

/// Runs tier `k` into a fresh guarded buffer at `dst_align` with [`SLACK`] spare bytes,
/// checks the returned length, the guards and the spare bytes, and returns the fields.
fn run(k: &Kernels, src: &[u8], layout: (u32, u32, u32), dst_align: usize) -> Vec<u8> {
    let (rs, off, w) = layout;
    let out_len = src.len() / rs as usize * w as usize;
    let mut dst = Aligned::new(&vec![0x3C; out_len + SLACK], dst_align);
    let written = k
        .extract_field_into(src, rs, off, w, dst.view_mut())
        .expect("valid arguments");
    assert_eq!(written, out_len, "{} {layout:?} len {}", k.isa(), src.len());
    assert!(
        dst.guards_intact() && dst.view()[out_len..].iter().all(|&b| b == 0x3C),
        "{} {layout:?} len {} wrote past the fields",
        k.isa(),
        src.len()
    );
    dst.view()[..out_len].to_vec()
}

/// Every valid layout with a record size of at most 64.
fn all_layouts() -> impl Iterator<Item = (u32, u32, u32)> {
    (1..=64u32)
        .flat_map(|rs| (0..rs).flat_map(move |off| (1..=rs - off).map(move |w| (rs, off, w))))
}

#[test]
fn scalar_matches_independent_reference() {
    let scalar = Kernels::scalar();
    for (i, layout) in all_layouts().enumerate() {
        let len = (i * 7) % 600;
        let data = bytes(i as u64, len);
        assert_eq!(
            run(&scalar, &data, layout, 0),
            reference(&data, layout.0, layout.1, layout.2),
            "{layout:?} len {len}"
        );
    }
    for layout in COMMON {
        for len in 0..=MAX_LEN {
            let data = bytes(len as u64, len);
            assert_eq!(
                run(&scalar, &data, layout, 0),
                reference(&data, layout.0, layout.1, layout.2),
                "{layout:?} len {len}"
            );
        }
    }
}

#[test]
fn literal_examples() {
    let src = b"abcdefghijk";
    for k in simd_tiers().into_iter().chain([Kernels::scalar()]) {
        assert_eq!(run(&k, src, (3, 1, 1), 0), b"beh", "{}", k.isa());
        assert_eq!(run(&k, src, (4, 2, 2), 0), b"cdgh", "{}", k.isa());
        assert_eq!(run(&k, src, (11, 0, 11), 0), src, "{}", k.isa());
        assert_eq!(run(&k, src, (12, 0, 1), 0), b"", "{}", k.isa());
    }
    assert_eq!(extract_field(src, 5, 4, 1).unwrap(), b"ej");
}

#[test]
fn every_layout_up_to_64_matches_scalar() {
    let tiers = simd_tiers();
    let scalar = Kernels::scalar();
    for (i, layout) in all_layouts().enumerate() {
        let rs = layout.0 as usize;
        for (j, records) in [1usize, 2, 5, 17, 40, 67].into_iter().enumerate() {
            let tail = if j % 2 == 0 { 0 } else { rs - 1 };
            let len = records * rs + tail;
            let data = bytes((i as u64) << 8 | j as u64, len);
            let src = Aligned::new(&data, (i + j) % ALIGNMENTS);
            let want = run(&scalar, src.view(), layout, 0);
            for k in &tiers {
                assert!(
                    run(k, src.view(), layout, (i * 3 + j) % ALIGNMENTS) == want,
                    "{} {layout:?} len {len}",
                    k.isa()
                );
            }
        }
    }
}

#[test]
fn common_layouts_over_lengths_and_alignments() {
    let tiers = simd_tiers();
    let scalar = Kernels::scalar();
    for layout in COMMON {
        for len in 0..=MAX_LEN {
            let data = bytes(u64::from(layout.0) << 32 | len as u64, len);
            let want = run(&scalar, &data, layout, 0);
            for align in 0..ALIGNMENTS {
                let src = Aligned::new(&data, align);
                // The destination at an odd offset from the source's, so the two differ.
                let dst_align = (align * 5 + 3) % ALIGNMENTS;
                for k in &tiers {
                    assert!(
                        run(k, src.view(), layout, dst_align) == want,
                        "{} {layout:?} len {len} align {align}",
                        k.isa()
                    );
                }
                assert!(src.guards_intact());
            }
        }
    }
}

#[test]
fn long_inputs() {
    let tiers = simd_tiers();
    let scalar = Kernels::scalar();
    let layouts = COMMON
        .into_iter()
        .chain([(1000, 999, 1), (65_536, 4, 60_000), (3, 0, 3)]);
    for layout in layouts {
        for len in [65_536 + 7, (1 << 20) + 3] {
            let data = bytes(len as u64 ^ u64::from(layout.0), len);
            let want = run(&scalar, &data, layout, 0);
            assert_eq!(want, reference(&data, layout.0, layout.1, layout.2));
            for k in &tiers {
                assert!(
                    run(k, &data, layout, 5) == want,
                    "{} {layout:?} len {len}",
                    k.isa()
                );
            }
        }
    }
}

#[test]
fn dispatched_functions_agree_with_reference() {
    for layout in COMMON {
        for len in [0, 1, 7, 8, 100, 1000, 5000] {
            let data = bytes(len as u64 + 99, len);
            let want = reference(&data, layout.0, layout.1, layout.2);
            let mut out = vec![0; want.len() + 3];
            let n = extract_field_into(&data, layout.0, layout.1, layout.2, &mut out).unwrap();
            assert_eq!(out[..n], want[..]);
            assert_eq!(
                extract_field(&data, layout.0, layout.1, layout.2).unwrap(),
                want
            );
        }
    }
}

#[test]
fn bad_arguments_are_invalid_argument() {
    let src = [0u8; 16];
    let is_invalid =
        |r: Result<usize, KernelError>| matches!(r, Err(KernelError::InvalidArgument(_)));
    let bad = [
        (0, 0, 1),
        (0, 0, 0),
        (4, 0, 0),
        (4, 1, 4),
        (4, 4, 1),
        (4, 5, 0),
        (u32::MAX, 1, u32::MAX),
        (u32::MAX, u32::MAX, 1),
        (u32::MAX, u32::MAX, u32::MAX),
        (u32::MAX, 0x8000_0000, 0x8000_0000),
        (16, 0, 17),
    ];
    for k in simd_tiers().into_iter().chain([Kernels::scalar()]) {
        for (rs, off, w) in bad {
            let mut dst = [0u8; 64];
            assert!(is_invalid(k.extract_field_into(&src, rs, off, w, &mut dst)));
            assert!(is_invalid(k.extract_field_into(&[], rs, off, w, &mut [])));
        }
        // `dst` one byte short of the 4 fields of 2 bytes.
        let mut dst = [0u8; 7];
        assert!(is_invalid(k.extract_field_into(&src, 4, 1, 2, &mut dst)));
        // Exactly long enough, and for an input with no complete record, empty is enough.
        assert_eq!(k.extract_field_into(&src, 4, 1, 2, &mut [0; 8]), Ok(8));
        assert_eq!(k.extract_field_into(&src, 17, 1, 2, &mut []), Ok(0));
        // The largest valid layout.
        assert_eq!(
            k.extract_field_into(&src, u32::MAX, 0, u32::MAX, &mut []),
            Ok(0)
        );
    }
    for (rs, off, w) in bad {
        assert!(is_invalid(extract_field_into(
            &src,
            rs,
            off,
            w,
            &mut [0; 64]
        )));
        assert!(matches!(
            extract_field(&src, rs, off, w),
            Err(KernelError::InvalidArgument(_))
        ));
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_layouts_match_reference(
        data in proptest::collection::vec(any::<u8>(), 0..20_000),
        rs in 1u32..=300,
        off_pick in any::<u32>(),
        w_pick in any::<u32>(),
    ) {
        let off = off_pick % rs;
        let w = 1 + w_pick % (rs - off);
        let want = reference(&data, rs, off, w);
        prop_assert!(run(&Kernels::scalar(), &data, (rs, off, w), 0) == want, "scalar");
        for k in TIERS.iter() {
            prop_assert!(run(k, &data, (rs, off, w), 3) == want, "{}", k.isa());
        }
    }
}
