//! hex-decode on arbitrary bytes: every tier agrees with the scalar reference (bytes, error
//! kind and offset); what decodes re-encodes to the input (in its case).
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let tiers = common::tiers();
    let mut want = vec![0u8; data.len() / 2];
    let expected = tiers[0].hex_decode_into(data, &mut want);
    for k in &tiers[1..] {
        let mut got = vec![0u8; data.len() / 2];
        assert_eq!(k.hex_decode_into(data, &mut got), expected, "{:?}", k.isa());
        if expected.is_ok() {
            assert_eq!(got, want, "{:?}", k.isa());
        }
    }
    assert_eq!(binpipe_kernels::hex_decode(data).map(|v| v.len()), expected);
    if expected.is_ok() {
        let lower = binpipe_kernels::hex_encode(&want, false);
        assert_eq!(lower, data.to_ascii_lowercase());
    }
});
