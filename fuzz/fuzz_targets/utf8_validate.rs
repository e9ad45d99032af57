//! utf8-validate and ascii-prefix on arbitrary bytes: exactly `core::str::from_utf8`'s verdict,
//! and every tier's ascii-prefix equals the scalar reference.
#![no_main]

use libfuzzer_sys::fuzz_target;

#[path = "common.rs"]
mod common;

fuzz_target!(|data: &[u8]| {
    let got = binpipe_kernels::utf8_validate(data);
    match core::str::from_utf8(data) {
        Ok(_) => assert_eq!(got, Ok(())),
        Err(e) => {
            let err = got.expect_err("accepted invalid UTF-8");
            assert_eq!(err.valid_up_to, e.valid_up_to());
            assert_eq!(err.error_len.map(usize::from), e.error_len());
        }
    }
    let tiers = common::tiers();
    let want = tiers[0].ascii_prefix(data);
    assert_eq!(want, data.iter().take_while(|b| b.is_ascii()).count());
    for k in &tiers[1..] {
        assert_eq!(k.ascii_prefix(data), want, "{:?}", k.isa());
    }
});
