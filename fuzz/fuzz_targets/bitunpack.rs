//! bitunpack on arbitrary bytes and parameters: every tier agrees with the scalar reference,
//! and what unpacks packs back to the same bits.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|input: &[u8]| {
    let mut p = common::Params::new(input);
    let bits = p.byte() % 40; // 33..40 must be refused
    let count = u32::from(p.byte()) | u32::from(p.byte()) << 8;
    let data = p.rest();
    let tiers = common::tiers();
    let mut want = vec![0u32; count as usize];
    let expected = tiers[0].bitunpack_into(data, bits, count, &mut want);
    for k in &tiers[1..] {
        let mut got = vec![0u32; count as usize];
        assert_eq!(k.bitunpack_into(data, bits, count, &mut got), expected, "{:?}", k.isa());
        if expected.is_ok() {
            assert_eq!(got, want, "{:?}", k.isa());
        }
    }
    if expected.is_ok() {
        let packed = binpipe_kernels::bitpack(&want, bits).unwrap();
        let used = packed.len();
        assert_eq!(binpipe_kernels::bitunpack(&packed, bits, count).unwrap(), want);
        // Packing keeps exactly the bits that were read; unused high bits of the last byte are zero.
        if used > 0 {
            assert_eq!(packed[..used - 1], data[..used - 1]);
        }
    }
});
