//! Chains: `run_chain` and `run_chain_in` against the independent reference here, the
//! individual kernels applied one by one through their own `Vec` forms (integer lists
//! converted from and to little-endian bytes by std): random chains of 1 to 6 stages of all
//! 14 kinds with valid and invalid parameters, round-trip chains that run to the end, buffers
//! at every alignment mod 8 (the integer stages' aligned and chunked paths), capacities too
//! small at a random stage, the stage index and offset of every error, empty chains and the
//! 64-stage limit.

mod common;

use binpipe_kernels::{
    Alphabet, ChainError, KernelError, MAX_STAGES, Stage, Which, chain_output_bound, run_chain,
    run_chain_in,
};
use common::{Aligned, bytes};
use proptest::prelude::*;

// ---------------------------------------------------------------------------------------------
// The reference

/// `bytes` (a multiple of 8 long) as little-endian `u64`s, by std.
fn u64s(bytes: &[u8]) -> Vec<u64> {
    bytes
        .chunks_exact(8)
        .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

/// `bytes` (a multiple of 4 long) as little-endian `u32`s, by std.
fn u32s(bytes: &[u8]) -> Vec<u32> {
    bytes
        .chunks_exact(4)
        .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
        .collect()
}

/// Any error standing for the chain's own element-size rule (its message is the chain's).
const LENGTH_RULE: KernelError = KernelError::InvalidArgument("input length");

/// One stage by its kernel's own `Vec` form.
fn reference_stage(stage: &Stage, input: &[u8]) -> Result<Vec<u8>, KernelError> {
    use binpipe_kernels as k;
    match *stage {
        Stage::Shuffle { elem_size } => k::shuffle(input, elem_size),
        Stage::Unshuffle { elem_size } => k::unshuffle(input, elem_size),
        Stage::DeltaEncode { width } => k::delta_encode(input, width),
        Stage::DeltaDecode { width } => k::delta_decode(input, width),
        Stage::Byteswap { width } => k::byteswap(input, width),
        Stage::ExtractField {
            record_size,
            offset,
            width,
        } => k::extract_field(input, record_size, offset, width),
        Stage::HexEncode { uppercase } => Ok(k::hex_encode(input, uppercase)),
        Stage::HexDecode => k::hex_decode(input),
        Stage::Base64Encode { alphabet, padding } => Ok(k::base64_encode(input, alphabet, padding)),
        Stage::Base64Decode { alphabet, padding } => k::base64_decode(input, alphabet, padding),
        Stage::VarintEncode if !input.len().is_multiple_of(8) => Err(LENGTH_RULE),
        Stage::VarintEncode => Ok(k::varint_encode(&u64s(input))),
        Stage::VarintDecode => {
            k::varint_decode(input).map(|v| v.iter().flat_map(|x| x.to_le_bytes()).collect())
        }
        Stage::Bitpack { bits } if bits <= 32 && !input.len().is_multiple_of(4) => Err(LENGTH_RULE),
        Stage::Bitpack { bits } => k::bitpack(&u32s(input), bits),
        Stage::Bitunpack { bits, count } => k::bitunpack(input, bits, count)
            .map(|v| v.iter().flat_map(|x| x.to_le_bytes()).collect()),
    }
}

/// What a stage's error is compared by: its kind and offset or limit (the messages are the
/// kernels' own, checked separately in `messages_are_the_kernels`).
fn shape(err: &KernelError) -> (u8, u64) {
    match *err {
        KernelError::InvalidArgument(_) => (0, 0),
        KernelError::InvalidData { offset, .. } => (1, offset),
        KernelError::TooLarge(limit) => (2, limit),
        _ => (3, 0),
    }
}

/// A chain's result compared by [`shape`].
type Shaped = Result<Vec<u8>, (usize, (u8, u64))>;

fn shaped(result: Result<Vec<u8>, ChainError>) -> Shaped {
    result.map_err(|e| (e.stage, shape(&e.error)))
}

/// Whether the error is found before the stage's capacity is checked: a parameter, the
/// element-size rule, or `bitunpack`'s truncation (its only data error); not bitpack's value
/// that does not fit in `bits` (an argument error in the data).
fn before_capacity(stage: &Stage, input_len: usize, err: &KernelError) -> bool {
    match err {
        KernelError::InvalidArgument(_) => !matches!(
            stage,
            Stage::Bitpack { bits } if *bits <= 32 && input_len.is_multiple_of(4)
        ),
        KernelError::InvalidData { .. } => matches!(stage, Stage::Bitunpack { .. }),
        _ => false,
    }
}

/// Output bytes a stage needs for `input`, derived from the reference: its output's length,
/// except base64-decode (the kernel wants `3 * ceil(n / 4)`) and the stages that failed on
/// the data (hex: `n / 2`; varint: 8 per byte below 0x80, one per varint end; bitpack: the
/// packed length).
fn reference_needed(stage: &Stage, input: &[u8], output: &Result<Vec<u8>, KernelError>) -> u64 {
    let n = input.len() as u64;
    match (stage, output) {
        (Stage::Base64Decode { .. }, _) => n.div_ceil(4) * 3,
        (Stage::VarintDecode, _) => 8 * input.iter().filter(|&&b| b < 0x80).count() as u64,
        (Stage::HexDecode, Err(_)) => n / 2,
        (Stage::Bitpack { bits }, Err(_)) => (n / 4 * u64::from(*bits)).div_ceil(8),
        (_, Ok(out)) => out.len() as u64,
        (_, Err(e)) => panic!("{stage:?}: no need defined after {e:?}"),
    }
}

/// The chain by the reference, each stage writing to a buffer of `caps[i]` bytes (`None`:
/// unlimited), with the documented check order.
fn reference_chain(data: &[u8], stages: &[Stage], caps: &[Option<usize>]) -> Shaped {
    if stages.len() > MAX_STAGES {
        return Err((MAX_STAGES, (0, 0)));
    }
    let mut current = data.to_vec();
    for (i, stage) in stages.iter().enumerate() {
        let output = reference_stage(stage, &current);
        if let Err(e) = &output
            && before_capacity(stage, current.len(), e)
        {
            return Err((i, shape(e)));
        }
        let needed = reference_needed(stage, &current, &output);
        if let Some(cap) = caps[i]
            && needed > cap as u64
        {
            return Err((i, (2, needed)));
        }
        current = output.map_err(|e| (i, shape(&e)))?;
    }
    Ok(current)
}

// ---------------------------------------------------------------------------------------------
// Strategies

/// An element size: mostly valid, sometimes 0 or above 255.
fn elem_size() -> impl Strategy<Value = u32> {
    prop_oneof![8 => 1..=16u32, 1 => 17..=255u32, 1 => Just(0u32), 1 => 256..=300u32]
}

/// A delta width: mostly 1, 2, 4 or 8.
fn delta_width() -> impl Strategy<Value = u8> {
    prop_oneof![8 => prop::sample::select(vec![1u8, 2, 4, 8]), 1 => any::<u8>()]
}

/// A byte swap width: mostly 2, 4 or 8.
fn swap_width() -> impl Strategy<Value = u8> {
    prop_oneof![8 => prop::sample::select(vec![2u8, 4, 8]), 1 => any::<u8>()]
}

/// Bits per value: mostly 0..=32.
fn bits() -> impl Strategy<Value = u8> {
    prop_oneof![8 => 0..=32u8, 1 => 33..=255u8]
}

/// An alphabet.
fn alphabet() -> impl Strategy<Value = Alphabet> {
    prop_oneof![Just(Alphabet::Standard), Just(Alphabet::UrlSafe)]
}

/// Extract-field parameters: mostly valid, sometimes anything.
fn field() -> impl Strategy<Value = Stage> {
    let valid = (1..=40u32)
        .prop_flat_map(|rs| (Just(rs), 0..rs))
        .prop_flat_map(|(rs, off)| (Just(rs), Just(off), 1..=rs - off));
    prop_oneof![
        4 => valid,
        1 => (0..=12u32, 0..=12u32, 0..=12u32),
    ]
    .prop_map(|(record_size, offset, width)| Stage::ExtractField {
        record_size,
        offset,
        width,
    })
}

/// Any stage of the 14 kinds.
fn stage() -> impl Strategy<Value = Stage> {
    prop_oneof![
        elem_size().prop_map(|elem_size| Stage::Shuffle { elem_size }),
        elem_size().prop_map(|elem_size| Stage::Unshuffle { elem_size }),
        delta_width().prop_map(|width| Stage::DeltaEncode { width }),
        delta_width().prop_map(|width| Stage::DeltaDecode { width }),
        swap_width().prop_map(|width| Stage::Byteswap { width }),
        field(),
        any::<bool>().prop_map(|uppercase| Stage::HexEncode { uppercase }),
        Just(Stage::HexDecode),
        (alphabet(), any::<bool>())
            .prop_map(|(alphabet, padding)| Stage::Base64Encode { alphabet, padding }),
        (alphabet(), any::<bool>())
            .prop_map(|(alphabet, padding)| Stage::Base64Decode { alphabet, padding }),
        Just(Stage::VarintEncode),
        Just(Stage::VarintDecode),
        bits().prop_map(|bits| Stage::Bitpack { bits }),
        (bits(), 0..=300u32).prop_map(|(bits, count)| Stage::Bitunpack { bits, count }),
    ]
}

/// A stage and the stage that undoes it (applied in reverse order in a round trip).
fn invertible() -> impl Strategy<Value = (Stage, Stage)> {
    prop_oneof![
        (1..=16u32).prop_map(|e| (
            Stage::Shuffle { elem_size: e },
            Stage::Unshuffle { elem_size: e }
        )),
        (1..=16u32).prop_map(|e| (
            Stage::Unshuffle { elem_size: e },
            Stage::Shuffle { elem_size: e }
        )),
        prop::sample::select(vec![1u8, 2, 4, 8]).prop_map(|w| (
            Stage::DeltaEncode { width: w },
            Stage::DeltaDecode { width: w }
        )),
        prop::sample::select(vec![2u8, 4, 8])
            .prop_map(|w| (Stage::Byteswap { width: w }, Stage::Byteswap { width: w })),
        any::<bool>().prop_map(|u| (Stage::HexEncode { uppercase: u }, Stage::HexDecode)),
        (alphabet(), any::<bool>()).prop_map(|(alphabet, padding)| (
            Stage::Base64Encode { alphabet, padding },
            Stage::Base64Decode { alphabet, padding }
        )),
    ]
}

/// Input bytes: short, often a multiple of 8, sometimes long enough for several chunks of
/// the integer stages' unaligned paths.
fn data() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        4 => prop::collection::vec(any::<u8>(), 0..=96),
        2 => (0..=40usize).prop_flat_map(|n| prop::collection::vec(any::<u8>(), 8 * n)),
        1 => prop::collection::vec(any::<u8>(), 1000..=2600),
    ]
}

// ---------------------------------------------------------------------------------------------
// Running a chain in caller buffers

/// Runs `stages` on `data` in buffers `a` (capacity `a_cap`) and `b` placed at the given
/// alignments; returns the result (from the buffer `run_chain_in` named) and checks the
/// buffer parity and the guard bytes.
fn in_buffers(
    data: &[u8],
    stages: &[Stage],
    (a_cap, a_align): (usize, usize),
    (b_cap, b_align): (usize, usize),
) -> Result<Vec<u8>, ChainError> {
    let mut a_init = data.to_vec();
    a_init.resize(a_cap.max(data.len()), 0x5A);
    let mut a = Aligned::new(&a_init, a_align);
    let mut b = Aligned::new(&vec![0x5A; b_cap], b_align);
    let result = run_chain_in(a.view_mut(), data.len(), b.view_mut(), stages);
    assert!(a.guards_intact() && b.guards_intact());
    let (which, n) = result?;
    let expected = if stages.len().is_multiple_of(2) {
        Which::A
    } else {
        Which::B
    };
    assert_eq!(which, expected, "result buffer for {} stages", stages.len());
    Ok(match which {
        Which::A => a.view()[..n].to_vec(),
        Which::B => b.view()[..n].to_vec(),
    })
}

/// The buffer size that always suffices for `stages` on `len` bytes.
fn bound(len: usize, stages: &[Stage]) -> usize {
    usize::try_from(chain_output_bound(len as u64, stages)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(if cfg!(target_arch = "wasm32") { 200 } else { 1500 }))]

    /// Random chains, in new vectors and in buffers the bound sizes, equal the kernels one
    /// by one, error stage and offset included.
    #[test]
    fn random_chains_match_the_kernels(
        data in data(),
        stages in prop::collection::vec(stage(), 1..=6),
        a_align in 0..8usize,
        b_align in 0..8usize,
    ) {
        let expected = reference_chain(&data, &stages, &vec![None; stages.len()]);
        prop_assert_eq!(shaped(run_chain(&data, &stages)), expected.clone());
        let cap = bound(data.len(), &stages);
        prop_assume!(cap <= 1 << 24);
        let got = in_buffers(&data, &stages, (cap, a_align), (cap, b_align));
        prop_assert_eq!(shaped(got), expected);
    }

    /// Encode stages followed by their inverses give the input back, in vectors and in
    /// buffers at any alignment, sometimes between a varint-encode of the input's u64s and
    /// the varint-decode that gives them back.
    #[test]
    fn round_trip_chains_run_to_the_end(
        data in data(),
        pairs in prop::collection::vec(invertible(), 1..=3),
        integers in any::<bool>(),
        a_align in 0..8usize,
        b_align in 0..8usize,
    ) {
        let mut stages: Vec<Stage> = pairs.iter().map(|p| p.0).collect();
        let mut data = data;
        if integers {
            // u64 values in, varints out and back: the input must be whole u64s.
            data.truncate(data.len() / 8 * 8);
            stages.insert(0, Stage::VarintEncode);
            stages.push(Stage::VarintDecode);
        }
        let inverse: Vec<Stage> = pairs.iter().rev().map(|p| p.1).collect();
        let split = if integers { stages.len() - 1 } else { stages.len() };
        stages.splice(split..split, inverse);
        prop_assert_eq!(run_chain(&data, &stages), Ok(data.clone()));
        let cap = bound(data.len(), &stages);
        prop_assert_eq!(in_buffers(&data, &stages, (cap, a_align), (cap, b_align)), Ok(data.clone()));
    }

    /// With capacities cut at random, the first stage whose buffer is too small fails with
    /// `TooLarge` carrying what it needs, unless an earlier check of that stage or an earlier
    /// stage fails first; otherwise the result is unchanged.
    #[test]
    fn small_capacities_fail_at_the_right_stage(
        data in data(),
        stages in prop::collection::vec(stage(), 1..=6),
        a_cut in 0..=100usize,
        b_cut in 0..=100usize,
        a_align in 0..8usize,
        b_align in 0..8usize,
    ) {
        let full = bound(data.len(), &stages);
        prop_assume!(full <= 1 << 24);
        let a_cap = data.len() + (full - data.len()) * a_cut / 100;
        let b_cap = full * b_cut / 100;
        // Stage i writes b when i is even, a when it is odd.
        let caps: Vec<Option<usize>> = (0..stages.len())
            .map(|i| Some(if i % 2 == 0 { b_cap } else { a_cap }))
            .collect();
        let expected = reference_chain(&data, &stages, &caps);
        let got = in_buffers(&data, &stages, (a_cap, a_align), (b_cap, b_align));
        prop_assert_eq!(shaped(got), expected);
    }
}

// ---------------------------------------------------------------------------------------------
// Fixed cases

#[test]
fn empty_chain_returns_the_input() {
    let data = bytes(1, 100);
    assert_eq!(run_chain(&data, &[]), Ok(data.clone()));
    assert_eq!(run_chain(&[], &[]), Ok(vec![]));
    let (mut a, mut b) = (data.clone(), vec![0; 3]);
    assert_eq!(run_chain_in(&mut a, 60, &mut b, &[]), Ok((Which::A, 60)));
    assert_eq!(a, data, "an empty chain writes nothing");
}

#[test]
fn more_than_64_stages_fail_at_stage_64() {
    let swap = Stage::Byteswap { width: 4 };
    let data = bytes(2, 64);
    // 64 swaps are the identity, and allowed.
    assert_eq!(run_chain(&data, &[swap; 64]), Ok(data.clone()));
    for n in [65, 100, 1000] {
        let stages = vec![swap; n];
        let err = run_chain(&data, &stages).unwrap_err();
        assert_eq!(err.stage, 64);
        assert!(matches!(err.error, KernelError::InvalidArgument(_)));
        let (mut a, mut b) = (data.clone(), vec![0; 64]);
        assert_eq!(run_chain_in(&mut a, 64, &mut b, &stages), Err(err));
    }
    // The limit wins over a bad first stage.
    let mut stages = vec![swap; 65];
    stages[0] = Stage::Byteswap { width: 3 };
    assert_eq!(run_chain(&data, &stages).unwrap_err().stage, 64);
}

#[test]
fn len_beyond_buffer_a_fails_at_stage_0() {
    let (mut a, mut b) = ([0u8; 4], [0u8; 8]);
    let err = run_chain_in(&mut a, 5, &mut b, &[]).unwrap_err();
    assert_eq!(err.stage, 0);
    assert!(matches!(err.error, KernelError::InvalidArgument(_)));
}

/// Errors carry the failing stage's index and an offset relative to that stage's input.
#[test]
fn errors_name_the_stage_and_its_own_offset() {
    let encode = Stage::HexEncode { uppercase: false };
    // Stage 2 decodes "az" (stages 0 and 1 give it back): 'z' is bad at offset 1 of it.
    let stages = [encode, Stage::HexDecode, Stage::HexDecode];
    let err = run_chain(b"az", &stages).unwrap_err();
    assert_eq!(err.stage, 2);
    assert_eq!(shape(&err.error), (1, 1));
    // Base64 decode after a byte swap that moved the bad byte from offset 4 to 5.
    let b64 = Stage::Base64Decode {
        alphabet: Alphabet::Standard,
        padding: false,
    };
    let err = run_chain(b"QUJD*UJD", &[Stage::Byteswap { width: 2 }, b64]).unwrap_err();
    assert_eq!(err.stage, 1);
    // Swapped: "UQDJU*DJ": '*' at 5.
    assert_eq!(shape(&err.error), (1, 5));
    // A bad parameter at stage 3 after three good ones.
    let stages = [
        Stage::DeltaEncode { width: 4 },
        Stage::Shuffle { elem_size: 4 },
        Stage::Unshuffle { elem_size: 4 },
        Stage::Shuffle { elem_size: 0 },
    ];
    let err = run_chain(&bytes(3, 64), &stages).unwrap_err();
    assert_eq!((err.stage, shape(&err.error)), (3, (0, 0)));
}

/// Integer stages: the chain's own element-size rule, and bitunpack's truncation before its
/// output is sized (a huge `count` fails on the data, not on memory).
#[test]
fn integer_stage_input_rules() {
    for len in [1, 7, 9, 15] {
        let err = run_chain(&bytes(4, len), &[Stage::VarintEncode]).unwrap_err();
        assert_eq!(
            (err.stage, shape(&err.error)),
            (0, (0, 0)),
            "varint-encode len {len}"
        );
    }
    for len in [1, 2, 3, 5] {
        let err = run_chain(&[0; 8][..len], &[Stage::Bitpack { bits: 8 }]).unwrap_err();
        assert_eq!(
            (err.stage, shape(&err.error)),
            (0, (0, 0)),
            "bitpack len {len}"
        );
    }
    let huge = Stage::Bitunpack {
        bits: 8,
        count: u32::MAX,
    };
    let err = run_chain(&bytes(5, 100), &[huge]).unwrap_err();
    assert_eq!(shape(&err.error), (1, 100));
    // With buffers too small for the output, truncation is still what is reported.
    let (mut a, mut b) = (bytes(5, 100), vec![0; 16]);
    let err = run_chain_in(&mut a, 100, &mut b, &[huge]).unwrap_err();
    assert_eq!(shape(&err.error), (1, 100));
}

/// The chain's errors are the kernels' own, messages included.
#[test]
fn messages_are_the_kernels() {
    use binpipe_kernels as k;
    let cases: [(Stage, &[u8], KernelError); 4] = [
        (
            Stage::Shuffle { elem_size: 0 },
            b"ab",
            k::shuffle(b"ab", 0).unwrap_err(),
        ),
        (Stage::HexDecode, b"0g", k::hex_decode(b"0g").unwrap_err()),
        (
            Stage::Bitunpack { bits: 9, count: 3 },
            b"abc",
            k::bitunpack(b"abc", 9, 3).unwrap_err(),
        ),
        (
            Stage::ExtractField {
                record_size: 4,
                offset: 3,
                width: 2,
            },
            b"abcd",
            k::extract_field(b"abcd", 4, 3, 2).unwrap_err(),
        ),
    ];
    for (stage, data, expected) in cases {
        assert_eq!(
            run_chain(data, &[stage]),
            Err(ChainError {
                stage: 0,
                error: expected
            })
        );
    }
}

/// `TooLarge` carries exactly what the stage needs, and that capacity suffices.
#[test]
fn too_large_carries_the_need() {
    let data = bytes(6, 40);
    let stages = [
        Stage::HexEncode { uppercase: true },
        Stage::Base64Encode {
            alphabet: Alphabet::UrlSafe,
            padding: true,
        },
    ];
    // Stage 0 needs 80 bytes of b; stage 1 needs 4*ceil(80/3) = 108 bytes of a.
    for (a_cap, b_cap, failing) in [(200, 79, Some((0, 80))), (107, 80, Some((1, 108)))] {
        let err = in_buffers(&data, &stages, (a_cap, 0), (b_cap, 0)).unwrap_err();
        assert_eq!(Some((err.stage, shape(&err.error).1)), failing);
        assert!(matches!(err.error, KernelError::TooLarge(_)));
    }
    let got = in_buffers(&data, &stages, (108, 0), (80, 0)).unwrap();
    assert_eq!(got, run_chain(&data, &stages).unwrap());
    // varint-decode needs 8 bytes per varint end, not 8 per input byte.
    let varints = binpipe_kernels::varint_encode(&[1 << 40, 5, u64::MAX]);
    assert_eq!(Stage::VarintDecode.needed(&varints), 24);
    let err = in_buffers(
        &varints,
        &[Stage::VarintDecode],
        (varints.len(), 3),
        (23, 1),
    );
    assert_eq!(err.unwrap_err().error, KernelError::TooLarge(24));
    assert_eq!(
        in_buffers(
            &varints,
            &[Stage::VarintDecode],
            (varints.len(), 3),
            (24, 1)
        ),
        Ok([1u64 << 40, 5, u64::MAX]
            .iter()
            .flat_map(|v| v.to_le_bytes())
            .collect())
    );
}

/// The integer stages across many chunks of their unaligned paths, every alignment mod 8,
/// against the kernels on typed slices; decode errors in a late chunk keep their offset.
#[test]
fn integer_stages_over_many_chunks() {
    let values: Vec<u64> = u64s(&bytes(7, 8 * 3000))
        .iter()
        .map(|v| v >> (v % 64))
        .collect();
    let raw: Vec<u8> = values.iter().flat_map(|v| v.to_le_bytes()).collect();
    let encoded = binpipe_kernels::varint_encode(&values);
    for align in 0..8 {
        let round = [Stage::VarintEncode, Stage::VarintDecode];
        let cap = bound(raw.len(), &round);
        assert_eq!(
            in_buffers(&raw, &round[..1], (cap, align), (cap, 7 - align)),
            Ok(encoded.clone())
        );
        assert_eq!(
            in_buffers(&raw, &round, (cap, align), (cap, (align + 3) % 8)),
            Ok(raw.clone())
        );
    }
    // A bad tenth byte deep inside: eleven 0xFF bytes at `at`.
    for at in [0, 255, 256, 1000, encoded.len() - 11] {
        let start = (0..encoded.len())
            .rev()
            .find(|&i| i <= at && (i == 0 || encoded[i - 1] < 0x80))
            .unwrap();
        let mut bad = encoded[..start].to_vec();
        bad.extend_from_slice(&[0xFF; 11]);
        bad.extend_from_slice(&encoded[start..]);
        let expected = binpipe_kernels::varint_decode(&bad).unwrap_err();
        for align in [0, 1, 4] {
            let got = in_buffers(
                &bad,
                &[Stage::VarintDecode],
                (bad.len(), 0),
                (8 * bad.len(), align),
            );
            assert_eq!(
                got.unwrap_err().error,
                expected,
                "bad varint at {start}, align {align}"
            );
        }
    }
    // Truncation at the end of a long input.
    let cut = &encoded[..encoded.len() - 1];
    let got = in_buffers(
        cut,
        &[Stage::VarintDecode],
        (cut.len(), 0),
        (8 * cut.len(), 5),
    );
    assert_eq!(shape(&got.unwrap_err().error), (1, cut.len() as u64));
    // Bit packing: 2000 values of every width, packed from and unpacked to odd addresses.
    for bits in 0..=32u8 {
        let words: Vec<u32> = u32s(&bytes(u64::from(bits), 4 * 2000))
            .iter()
            .map(|&v| if bits == 32 { v } else { v & ((1 << bits) - 1) })
            .collect();
        let raw: Vec<u8> = words.iter().flat_map(|v| v.to_le_bytes()).collect();
        let packed = binpipe_kernels::bitpack(&words, bits).unwrap();
        let stages = [
            Stage::Bitpack { bits },
            Stage::Bitunpack { bits, count: 2000 },
        ];
        for align in [0, 1, 2, 3, 4, 6] {
            assert_eq!(
                in_buffers(
                    &raw,
                    &stages[..1],
                    (raw.len(), align),
                    (raw.len(), align ^ 1)
                ),
                Ok(packed.clone())
            );
            assert_eq!(
                in_buffers(
                    &raw,
                    &stages,
                    (raw.len(), align),
                    (raw.len(), (align + 1) % 8)
                ),
                Ok(raw.clone())
            );
        }
    }
}

#[test]
fn chain_errors_display_and_chain() {
    let err = run_chain(b"zz", &[Stage::HexDecode]).unwrap_err();
    assert_eq!(err.to_string(), format!("chain stage 0: {}", err.error));
    let source = std::error::Error::source(&err).unwrap();
    assert_eq!(source.to_string(), err.error.to_string());
}
