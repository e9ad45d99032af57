//! varint-decode on arbitrary bytes: every tier agrees with the scalar reference (values,
//! error kind and offset), and whatever decodes re-encodes to a prefix-equivalent form.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let tiers = common::tiers();
    let mut want = vec![0u64; data.len()];
    let expected = tiers[0].varint_decode_into(data, &mut want);
    for k in &tiers[1..] {
        let mut got = vec![0u64; data.len()];
        let result = k.varint_decode_into(data, &mut got);
        assert_eq!(result, expected, "{:?}", k.isa());
        if let Ok(n) = result {
            assert_eq!(got[..n], want[..n], "{:?}", k.isa());
        }
    }
    assert_eq!(binpipe_kernels::varint_decode(data).map(|v| v.len()), expected);
    if let Ok(n) = expected {
        // Shortest-form re-encoding decodes to the same values.
        let encoded = binpipe_kernels::varint_encode(&want[..n]);
        assert!(encoded.len() <= data.len());
        assert_eq!(binpipe_kernels::varint_decode(&encoded).unwrap(), want[..n]);
    }
});
