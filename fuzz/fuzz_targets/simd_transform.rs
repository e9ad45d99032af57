//! The transforms on arbitrary data and parameters: every tier equals the scalar reference
//! (outputs and errors), and each inverse pair round-trips.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|input: &[u8]| {
    let mut p = common::Params::new(input);
    let width = p.byte() % 10; // includes invalid widths
    let record_size = u32::from(p.byte() % 70);
    let offset = u32::from(p.byte() % 70);
    let field = u32::from(p.byte() % 70);
    let bits = p.byte() % 34;
    let data = p.rest();
    let tiers = common::tiers();
    let s = &tiers[0];
    let n = data.len();

    type Into = fn(&binpipe_kernels::Kernels, &[u8], u8, &mut [u8]) -> Result<(), binpipe_kernels::KernelError>;
    let same_size: [(&str, Into); 3] = [
        ("delta-encode", |k, d, w, o| k.delta_encode_into(d, w, o)),
        ("delta-decode", |k, d, w, o| k.delta_decode_into(d, w, o)),
        ("byteswap", |k, d, w, o| k.byteswap_into(d, w, o)),
    ];
    for (name, f) in same_size {
        let mut want = vec![0u8; n];
        let expected = f(s, data, width, &mut want);
        for k in &tiers[1..] {
            let mut got = vec![0u8; n];
            assert_eq!(f(k, data, width, &mut got), expected, "{name} {:?}", k.isa());
            assert!(expected.is_err() || got == want, "{name} {:?}", k.isa());
        }
    }
    if let Ok(enc) = binpipe_kernels::delta_encode(data, width) {
        assert_eq!(binpipe_kernels::delta_decode(&enc, width).unwrap(), data);
        let swapped = binpipe_kernels::byteswap(data, width);
        if let Ok(swapped) = swapped {
            assert_eq!(binpipe_kernels::byteswap(&swapped, width).unwrap(), data);
        }
    }

    let mut want = vec![0u8; n];
    let expected = s.extract_field_into(data, record_size, offset, field, &mut want);
    for k in &tiers[1..] {
        let mut got = vec![0u8; n];
        let result = k.extract_field_into(data, record_size, offset, field, &mut got);
        assert_eq!(result, expected, "extract-field {:?}", k.isa());
        if let Ok(len) = result {
            assert_eq!(got[..len], want[..len], "extract-field {:?}", k.isa());
        }
    }

    let values: Vec<u32> = data
        .chunks(4)
        .map(|c| c.iter().rev().fold(0u32, |v, &b| v << 8 | u32::from(b)))
        .map(|v| if bits >= 32 { v } else { v & ((1u32 << bits) - 1) })
        .collect();
    let cap = (values.len() * usize::from(bits)).div_ceil(8);
    let mut want = vec![0u8; cap];
    let expected = s.bitpack_into(&values, bits, &mut want);
    for k in &tiers[1..] {
        let mut got = vec![0u8; cap];
        assert_eq!(k.bitpack_into(&values, bits, &mut got), expected, "bitpack {:?}", k.isa());
        assert!(expected.is_err() || got == want, "bitpack {:?}", k.isa());
    }
    if expected.is_ok() {
        let count = values.len() as u32;
        assert_eq!(binpipe_kernels::bitunpack(&want, bits, count).unwrap(), values);
    }
});
