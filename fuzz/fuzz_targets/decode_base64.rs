//! base64-decode on arbitrary bytes, both alphabets, padding on and off: every tier agrees with
//! the scalar reference (bytes, error kind and offset); what decodes re-encodes to the input
//! (strict decoding accepts only canonical text).
#![no_main]

use binpipe_kernels::Alphabet;
use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|input: &[u8]| {
    let mut p = common::Params::new(input);
    let mode = p.byte();
    let alphabet = if mode & 1 == 0 { Alphabet::Standard } else { Alphabet::UrlSafe };
    let padding = mode & 2 != 0;
    let data = p.rest();
    let cap = data.len().div_ceil(4) * 3;
    let tiers = common::tiers();
    let mut want = vec![0u8; cap];
    let expected = tiers[0].base64_decode_into(data, alphabet, padding, &mut want);
    for k in &tiers[1..] {
        let mut got = vec![0u8; cap];
        let result = k.base64_decode_into(data, alphabet, padding, &mut got);
        assert_eq!(result, expected, "{:?}", k.isa());
        if let Ok(n) = result {
            assert_eq!(got[..n], want[..n], "{:?}", k.isa());
        }
    }
    assert_eq!(
        binpipe_kernels::base64_decode(data, alphabet, padding).map(|v| v.len()),
        expected
    );
    if let Ok(n) = expected {
        assert_eq!(binpipe_kernels::base64_encode(&want[..n], alphabet, padding), data);
    }
});
