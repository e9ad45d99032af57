//! Search kernels (`find_byte`, `find_any`, `index_byte`, `mismatch`): first checks of the
//! public API against naive loops.

mod common;

use binpipe_kernels::{
    KernelError, Kernels, find_any, find_byte, index_byte, index_byte_into, mismatch,
};

#[test]
fn public_api_matches_naive_loops() {
    for len in 0..300 {
        let data = common::bytes(len as u64, len);
        for needle in [0u8, 0x41, 0x80, 0xFF] {
            let want = data.iter().position(|&b| b == needle);
            assert_eq!(find_byte(&data, needle), want);
            let offsets: Vec<u32> = (0..len as u32)
                .filter(|&i| data[i as usize] == needle)
                .collect();
            assert_eq!(index_byte(&data, needle).unwrap(), offsets);
        }
        for needles in [
            &b"a"[..],
            b"ab",
            b"abc",
            b"abcd",
            b"\x00\x80\xff\x10\x20",
            &[7; 16],
        ] {
            let want = data.iter().position(|b| needles.contains(b));
            assert_eq!(find_any(&data, needles), Ok(want));
            assert_eq!(Kernels::scalar().find_any(&data, needles), Ok(want));
        }
    }
}

#[test]
fn argument_errors() {
    let e = Err(KernelError::InvalidArgument(
        "needles must hold 1 to 16 bytes",
    ));
    assert_eq!(find_any(b"abc", b""), e);
    assert_eq!(find_any(b"abc", &[0; 17]), e);
    let mut dst = [0u32; 2];
    assert!(matches!(
        index_byte_into(b"abc", b'a', &mut dst),
        Err(KernelError::InvalidArgument(_))
    ));
}

#[test]
fn mismatch_cases() {
    assert_eq!(mismatch(b"", b""), None);
    assert_eq!(mismatch(b"", b"a"), Some(0));
    assert_eq!(mismatch(b"abcdefghijk", b"abcdefghijk"), None);
    assert_eq!(mismatch(b"abcdefghijk", b"abcdefghijX"), Some(10));
    assert_eq!(mismatch(b"abcdefghijkl", b"abcdefghijk"), Some(11));
}
