//! Validation kernels (`utf8_validate`, `ascii_prefix`): first checks against the standard
//! library and a naive loop.

mod common;

use binpipe_kernels::{Utf8Error, ascii_prefix, utf8_validate};

fn std_verdict(data: &[u8]) -> Result<(), Utf8Error> {
    core::str::from_utf8(data)
        .map(|_| ())
        .map_err(|e| Utf8Error {
            valid_up_to: e.valid_up_to(),
            error_len: e.error_len().map(|n| n as u8),
        })
}

#[test]
fn utf8_matches_std_on_short_inputs() {
    for case in [
        &b""[..],
        b"abc",
        "héllo wörld €𝄞".as_bytes(),
        b"\x80",
        b"\xE2\x82",
        b"\xED\xA0\x80",
        b"\xF4\x90\x80\x80",
        b"\xC0\xAF",
    ] {
        assert_eq!(utf8_validate(case), std_verdict(case), "{case:x?}");
    }
}

#[test]
fn ascii_prefix_matches_naive() {
    for len in 0..300 {
        let data = common::bytes(len as u64, len);
        let naive = data.iter().position(|&b| b >= 0x80).unwrap_or(len);
        assert_eq!(ascii_prefix(&data), naive);
        let masked: Vec<u8> = data.iter().map(|b| b & 0x7F).collect();
        assert_eq!(ascii_prefix(&masked), len);
    }
}
