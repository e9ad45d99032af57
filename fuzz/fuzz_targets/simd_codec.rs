//! The encoders on arbitrary data: every tier's hex, base64 and varint encoding equals the
//! scalar reference's, and decodes back to the input.
#![no_main]

use binpipe_kernels::Alphabet;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|input: &[u8]| {
    let mut p = common::Params::new(input);
    let mode = p.byte();
    let alphabet = if mode & 1 == 0 { Alphabet::Standard } else { Alphabet::UrlSafe };
    let (padding, uppercase) = (mode & 2 != 0, mode & 4 != 0);
    let data = p.rest();
    let values: Vec<u64> = data
        .chunks(8)
        .map(|c| c.iter().rev().fold(0u64, |v, &b| v << 8 | u64::from(b)) >> (mode >> 3))
        .collect();
    let tiers = common::tiers();
    let s = &tiers[0];

    let mut hex = vec![0u8; 2 * data.len()];
    s.hex_encode_into(data, uppercase, &mut hex).unwrap();
    let b64_len = binpipe_kernels::base64_encoded_len(data.len(), padding).unwrap();
    let mut b64 = vec![0u8; b64_len];
    s.base64_encode_into(data, alphabet, padding, &mut b64).unwrap();
    let mut varint = vec![0u8; 10 * values.len()];
    let varint_len = s.varint_encode_into(&values, &mut varint).unwrap();
    for k in &tiers[1..] {
        let mut out = vec![0u8; 2 * data.len()];
        k.hex_encode_into(data, uppercase, &mut out).unwrap();
        assert_eq!(out, hex, "hex {:?}", k.isa());
        let mut out = vec![0u8; b64_len];
        k.base64_encode_into(data, alphabet, padding, &mut out).unwrap();
        assert_eq!(out, b64, "base64 {:?}", k.isa());
        let mut out = vec![0u8; 10 * values.len()];
        assert_eq!(k.varint_encode_into(&values, &mut out), Ok(varint_len), "{:?}", k.isa());
        assert_eq!(out[..varint_len], varint[..varint_len], "varint {:?}", k.isa());
    }
    assert_eq!(binpipe_kernels::hex_decode(&hex).unwrap(), data);
    assert_eq!(binpipe_kernels::base64_decode(&b64, alphabet, padding).unwrap(), data);
    assert_eq!(binpipe_kernels::varint_decode(&varint[..varint_len]).unwrap(), values);
});
