//! The checksum family on arbitrary data and seeds: every tier equals the scalar reference, and
//! seeding continues a stream (the CRCs of a split input chain to the CRC of the whole).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|input: &[u8]| {
    let mut p = common::Params::new(input);
    let seed = p.u64();
    let split = usize::from(p.byte());
    let data = p.rest();
    let tiers = common::tiers();
    let s = &tiers[0];
    let (crc, crc_c, xxh) = (
        s.crc32(data, seed as u32),
        s.crc32c(data, seed as u32),
        s.xxh3_64(data, seed),
    );
    for k in &tiers[1..] {
        assert_eq!(k.crc32(data, seed as u32), crc, "{:?}", k.isa());
        assert_eq!(k.crc32c(data, seed as u32), crc_c, "{:?}", k.isa());
        assert_eq!(k.xxh3_64(data, seed), xxh, "{:?}", k.isa());
    }
    let (a, b) = data.split_at(split.min(data.len()));
    let whole = binpipe_kernels::crc32(data, 0);
    assert_eq!(binpipe_kernels::crc32(b, binpipe_kernels::crc32(a, 0)), whole);
    let whole = binpipe_kernels::crc32c(data, 0);
    assert_eq!(binpipe_kernels::crc32c(b, binpipe_kernels::crc32c(a, 0)), whole);
});
