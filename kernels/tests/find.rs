//! Search kernels: `find_any`, `index_byte_into` and `mismatch` on every SIMD tier against the
//! scalar reference, and the scalar reference (and the public functions, which hand some cases
//! to `memchr`) against naive loops. Lengths 0..=1024 at every alignment 0..64, a needle or a
//! difference at every position, absent needles, every byte value against many needle sets,
//! and random inputs.

mod common;

use binpipe_kernels::{
    KernelError, Kernels, find_any, find_byte, index_byte, index_byte_into, mismatch,
};
use common::{Aligned, bytes, simd_tiers, sweep};
use proptest::prelude::*;
use std::sync::LazyLock;

/// The SIMD tiers, looked up (and their skips reported) once for all property-test cases.
static TIERS: LazyLock<Vec<Kernels>> = LazyLock::new(simd_tiers);

/// Needle sets covering every size 1..=16, both halves of the nibble bitmap, bytes with the
/// top bit set, 0x00 and 0xFF, duplicates, and one high nibble shared by many needles.
fn needle_sets() -> Vec<Vec<u8>> {
    let mut sets = vec![
        vec![0x00],
        vec![0xFF],
        vec![b',', b';'],
        vec![0x80, 0x7F, 0x00],
        b"\t\n\r \",;|".to_vec(),
        vec![0x0F, 0xF0, 0x8F, 0xF8],
        vec![0x41; 16],
        (0x30..0x40).collect(),
        (0..16).map(|i| i * 17).collect(),
        vec![0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88],
        vec![b'a', b'a', b'b', b'b', b'c', b'c', b'd', b'd'],
    ];
    for size in 1..=16 {
        let raw = bytes(0x5EED + size as u64, size);
        sets.push(raw);
    }
    sets
}

/// Naive oracle for `find_any`.
fn naive_find_any(data: &[u8], needles: &[u8]) -> Option<usize> {
    data.iter().position(|b| needles.contains(b))
}

/// `data` with every needle replaced by a byte that is not one (so positions can be planted).
fn without(data: &[u8], needles: &[u8]) -> Vec<u8> {
    let filler = (0..=255u8).find(|b| !needles.contains(b)).unwrap();
    data.iter()
        .map(|&b| if needles.contains(&b) { filler } else { b })
        .collect()
}

#[test]
fn find_any_needle_at_every_position() {
    let tiers = simd_tiers();
    let sets = needle_sets();
    for len in 0..=common::MAX_LEN {
        let needles = &sets[len % sets.len()];
        let clean = without(&bytes(len as u64, len), needles);
        let align = len % common::ALIGNMENTS;
        let mut placed = Aligned::new(&clean, align);
        for k in &tiers {
            assert_eq!(
                k.find_any(placed.view(), needles),
                Ok(None),
                "{} len {len}",
                k.isa()
            );
        }
        for pos in 0..len {
            // A needle at `pos` and another one later: the first must win.
            let later = (pos + 1 + pos % 7).min(len - 1);
            placed.view_mut()[pos] = needles[pos % needles.len()];
            placed.view_mut()[later] = needles[(pos + 3) % needles.len()];
            let want = Some(pos);
            assert_eq!(Kernels::scalar().find_any(placed.view(), needles), Ok(want));
            for k in &tiers {
                assert_eq!(
                    k.find_any(placed.view(), needles),
                    Ok(want),
                    "{} len {len} pos {pos} needles {needles:x?}",
                    k.isa()
                );
            }
            placed.view_mut()[pos] = clean[pos];
            placed.view_mut()[later] = clean[later];
        }
    }
}

#[test]
fn find_any_every_tier_matches_scalar_over_lengths_and_alignments() {
    let tiers = simd_tiers();
    let sets = needle_sets();
    sweep(
        |len| bytes(0xF1DA ^ len as u64, len),
        |len, align, data| {
            // Sets of 16 random bytes hit about one byte in 16; smaller ones more rarely.
            let needles = &sets[(len + align) % sets.len()];
            let want = naive_find_any(data, needles);
            assert_eq!(Kernels::scalar().find_any(data, needles), Ok(want));
            assert_eq!(find_any(data, needles), Ok(want));
            for k in &tiers {
                assert_eq!(
                    k.find_any(data, needles),
                    Ok(want),
                    "{} len {len} align {align}",
                    k.isa()
                );
            }
        },
    );
}

#[test]
fn find_any_classifies_every_byte_value() {
    // Each byte value alone in an otherwise needle-free input, against many sets: the nibble
    // bitmap must be exact for all 256 values (no false positives across nibble groups).
    let tiers = simd_tiers();
    let mut sets = needle_sets();
    for seed in 0..64 {
        let raw = bytes(0xB17 + seed, 1 + seed as usize % 16);
        sets.push(raw);
    }
    for needles in &sets {
        for value in 0..=255u8 {
            for len in [16, 40, 64, 130, 257] {
                let mut data = without(&bytes(len as u64, len), needles);
                let pos = (value as usize * 7) % len;
                data[pos] = value;
                let want = needles.contains(&value).then_some(pos);
                assert_eq!(find_any(&data, needles), Ok(want));
                for k in &tiers {
                    assert_eq!(
                        k.find_any(&data, needles),
                        Ok(want),
                        "{} value {value:#x} needles {needles:x?}",
                        k.isa()
                    );
                }
            }
        }
    }
}

#[test]
fn find_any_public_paths_match_naive() {
    // The free function sends one to three distinct needles to memchr, more to our code.
    for len in [
        0, 1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129, 1000, 70_000,
    ] {
        let data = bytes(len as u64 ^ 0xAB, len);
        for needles in needle_sets() {
            assert_eq!(
                find_any(&data, &needles),
                Ok(naive_find_any(&data, &needles))
            );
        }
        for needle in [0, 0x41, 0x80, 0xFF] {
            let want = data.iter().position(|&b| b == needle);
            assert_eq!(find_byte(&data, needle), want);
            for k in std::iter::once(Kernels::scalar()).chain(simd_tiers()) {
                assert_eq!(k.find_byte(&data, needle), want, "{:?} len {len}", k.isa());
            }
        }
    }
}

#[test]
fn find_byte_every_tier_at_every_position_and_alignment() {
    for len in [1, 31, 32, 33, 64, 65, 200] {
        let mut data = vec![b'a'; len];
        for pos in 0..len {
            data[pos] = b'b';
            for align in [0, 1, 31] {
                let placed = Aligned::new(&data, align);
                for k in TIERS.iter().chain([&Kernels::scalar()]) {
                    assert_eq!(k.find_byte(placed.view(), b'b'), Some(pos), "{:?}", k.isa());
                    assert_eq!(k.find_byte(placed.view(), b'c'), None, "{:?}", k.isa());
                }
            }
            data[pos] = b'a';
        }
    }
}

#[test]
fn find_any_needle_count_errors() {
    let want = Err(KernelError::InvalidArgument(
        "needles must hold 1 to 16 bytes",
    ));
    for data in [&b""[..], b"abc"] {
        assert_eq!(find_any(data, b""), want);
        assert_eq!(find_any(data, &[0; 17]), want);
        assert_eq!(find_any(data, &[1; 100]), want);
        for k in std::iter::once(Kernels::scalar()).chain(simd_tiers()) {
            assert_eq!(k.find_any(data, b""), want);
            assert_eq!(k.find_any(data, &[0; 17]), want);
        }
        assert!(find_any(data, &[0; 16]).is_ok());
    }
}

/// Naive oracle for `index_byte`.
fn naive_index(data: &[u8], needle: u8) -> Vec<u32> {
    (0..data.len())
        .filter(|&i| data[i] == needle)
        .map(|i| i as u32)
        .collect()
}

/// Runs `index_byte_into` on tier `k` into a `dst` exactly `data.len()` long, pre-filled with
/// a sentinel, and checks that nothing past the written count changed.
fn index_on(k: &Kernels, data: &[u8], needle: u8) -> Vec<u32> {
    let mut dst = vec![0xDEAD_BEEF; data.len()];
    let n = k.index_byte_into(data, needle, &mut dst).unwrap();
    assert!(
        dst[n..].iter().all(|&x| x == 0xDEAD_BEEF),
        "{} wrote past {n}",
        k.isa()
    );
    dst.truncate(n);
    dst
}

#[test]
fn index_byte_every_tier_matches_scalar_over_lengths_and_alignments() {
    let tiers = simd_tiers();
    sweep(
        |len| {
            // Four densities across lengths: all, a quarter, sparse, none.
            let raw = bytes(0x1DE ^ len as u64, len);
            match len % 4 {
                0 => raw.iter().map(|b| b & 3).collect(),
                1 => vec![2; len],
                2 => raw,
                _ => raw.iter().map(|b| b | 0x80).collect(),
            }
        },
        |len, align, data| {
            for needle in [2, data.get(len / 2).copied().unwrap_or(0)] {
                let want = naive_index(data, needle);
                assert_eq!(index_on(&Kernels::scalar(), data, needle), want);
                for k in &tiers {
                    assert_eq!(
                        index_on(k, data, needle),
                        want,
                        "{} len {len} align {align} needle {needle}",
                        k.isa()
                    );
                }
            }
        },
    );
}

#[test]
fn index_byte_single_needle_at_every_position() {
    let tiers = simd_tiers();
    for len in 0..=300 {
        for pos in 0..len {
            let mut data = vec![0x11; len];
            data[pos] = 0x22;
            let placed = Aligned::new(&data, (len + pos) % common::ALIGNMENTS);
            for k in &tiers {
                assert_eq!(
                    index_on(k, placed.view(), 0x22),
                    vec![pos as u32],
                    "{} len {len} pos {pos}",
                    k.isa()
                );
            }
        }
    }
}

#[test]
fn index_byte_public_and_errors() {
    for len in [0, 1, 33, 1000, 100_000] {
        let data: Vec<u8> = bytes(len as u64, len).iter().map(|b| b & 7).collect();
        let want = naive_index(&data, 5);
        assert_eq!(index_byte(&data, 5).unwrap(), want);
        let mut dst = vec![0; len + 3];
        assert_eq!(index_byte_into(&data, 5, &mut dst), Ok(want.len()));
        assert_eq!(dst[..want.len()], want[..]);
    }
    let mut short = [0u32; 2];
    for k in std::iter::once(Kernels::scalar()).chain(simd_tiers()) {
        assert!(matches!(
            k.index_byte_into(b"abc", b'a', &mut short),
            Err(KernelError::InvalidArgument(msg)) if msg.contains("dst")
        ));
    }
    assert!(matches!(
        index_byte_into(b"abc", b'a', &mut short),
        Err(KernelError::InvalidArgument(msg)) if msg.contains("dst")
    ));
    assert_eq!(index_byte_into(b"", b'a', &mut []), Ok(0));
}

/// Naive oracle for `mismatch`.
fn naive_mismatch(a: &[u8], b: &[u8]) -> Option<usize> {
    match a.iter().zip(b).position(|(x, y)| x != y) {
        Some(i) => Some(i),
        None if a.len() != b.len() => Some(a.len().min(b.len())),
        None => None,
    }
}

#[test]
fn mismatch_difference_at_every_position() {
    let tiers = simd_tiers();
    for len in 0..=common::MAX_LEN {
        let a = bytes(0x313 ^ len as u64, len);
        let (align_a, align_b) = (len % 64, (len * 7 + 3) % 64);
        let pa = Aligned::new(&a, align_a);
        let mut pb = Aligned::new(&a, align_b);
        for k in &tiers {
            assert_eq!(
                k.mismatch(pa.view(), pb.view()),
                None,
                "{} len {len}",
                k.isa()
            );
        }
        for pos in 0..len {
            // Flip one bit, low or high, so every compare lane and mask bit is exercised.
            let flip = 1 << (pos % 8);
            pb.view_mut()[pos] ^= flip;
            assert_eq!(Kernels::scalar().mismatch(pa.view(), pb.view()), Some(pos));
            for k in &tiers {
                assert_eq!(
                    k.mismatch(pa.view(), pb.view()),
                    Some(pos),
                    "{} len {len} pos {pos}",
                    k.isa()
                );
                assert_eq!(k.mismatch(pb.view(), pa.view()), Some(pos));
            }
            pb.view_mut()[pos] ^= flip;
        }
    }
}

#[test]
fn mismatch_prefixes_and_sweep() {
    let tiers = simd_tiers();
    sweep(
        |len| bytes(0x99 ^ len as u64, len),
        |len, align, a| {
            // Strict prefixes of several lengths, and a copy at another alignment.
            for cut in [0, len / 3, len.saturating_sub(1), len] {
                let b = Aligned::new(&a[..cut], (align * 5) % 64);
                let want = naive_mismatch(a, b.view());
                assert_eq!(Kernels::scalar().mismatch(a, b.view()), want);
                assert_eq!(mismatch(a, b.view()), want);
                for k in &tiers {
                    assert_eq!(
                        k.mismatch(a, b.view()),
                        want,
                        "{} len {len} cut {cut} align {align}",
                        k.isa()
                    );
                    assert_eq!(k.mismatch(b.view(), a), want);
                }
            }
        },
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn find_any_random(
        data in proptest::collection::vec(any::<u8>(), 0..8192),
        needles in proptest::collection::vec(any::<u8>(), 1..=16),
        start in 0usize..64,
    ) {
        let data = &data[start.min(data.len())..];
        let want = naive_find_any(data, &needles);
        prop_assert_eq!(Kernels::scalar().find_any(data, &needles), Ok(want));
        prop_assert_eq!(find_any(data, &needles), Ok(want));
        for k in TIERS.iter() {
            prop_assert_eq!(k.find_any(data, &needles), Ok(want), "{}", k.isa());
        }
    }

    #[test]
    fn find_any_few_symbols(
        data in proptest::collection::vec(0u8..32, 0..4096),
        needles in proptest::collection::vec(0u8..48, 1..=16),
    ) {
        let want = naive_find_any(&data, &needles);
        for k in TIERS.iter() {
            prop_assert_eq!(k.find_any(&data, &needles), Ok(want), "{}", k.isa());
        }
    }

    #[test]
    fn index_byte_random(
        data in proptest::collection::vec(0u8..8, 0..8192),
        needle in 0u8..9,
        start in 0usize..64,
    ) {
        let data = &data[start.min(data.len())..];
        let want = naive_index(data, needle);
        prop_assert_eq!(index_byte(data, needle).unwrap(), want.clone());
        for k in std::iter::once(Kernels::scalar()).chain(TIERS.iter().copied()) {
            prop_assert_eq!(index_on(&k, data, needle), want.clone(), "{}", k.isa());
        }
    }

    #[test]
    fn mismatch_random(
        prefix in proptest::collection::vec(any::<u8>(), 0..4096),
        a_tail in proptest::collection::vec(any::<u8>(), 0..64),
        b_tail in proptest::collection::vec(any::<u8>(), 0..64),
    ) {
        let a = [&prefix[..], &a_tail[..]].concat();
        let b = [&prefix[..], &b_tail[..]].concat();
        let want = naive_mismatch(&a, &b);
        prop_assert_eq!(mismatch(&a, &b), want);
        prop_assert_eq!(Kernels::scalar().mismatch(&a, &b), want);
        for k in TIERS.iter() {
            prop_assert_eq!(k.mismatch(&a, &b), want, "{}", k.isa());
        }
    }
}
