//! The search family on arbitrary data and needles: every tier agrees with the scalar
//! reference (find-any, index-byte, mismatch), and find-byte with a naive scan.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|input: &[u8]| {
    let mut p = common::Params::new(input);
    let needle = p.byte();
    let needle_count = usize::from(p.byte() % 18); // 0 and 17 must be refused
    let needles = p.take(needle_count).to_vec();
    let split = usize::from(p.byte());
    let data = p.rest();
    let tiers = common::tiers();
    let scalar = &tiers[0];

    assert_eq!(
        binpipe_kernels::find_byte(data, needle),
        data.iter().position(|&b| b == needle)
    );
    let any = scalar.find_any(data, &needles);
    let mut offsets = vec![0u32; data.len()];
    let n = scalar.index_byte_into(data, needle, &mut offsets).unwrap();
    let (a, b) = data.split_at(split.min(data.len()));
    let b = &b[..a.len().min(b.len())];
    let diff = scalar.mismatch(a, b);
    for k in &tiers[1..] {
        assert_eq!(k.find_any(data, &needles), any, "{:?}", k.isa());
        let mut got = vec![0u32; data.len()];
        assert_eq!(k.index_byte_into(data, needle, &mut got), Ok(n), "{:?}", k.isa());
        assert_eq!(got[..n], offsets[..n], "{:?}", k.isa());
        assert_eq!(k.mismatch(a, b), diff, "{:?}", k.isa());
        assert_eq!(k.mismatch(data, data), None, "{:?}", k.isa());
    }
});
