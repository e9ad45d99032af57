"""Vectors for the transform family's delta coding, byte swap and field extraction:
delta-encode, delta-decode, byteswap, extract-field (shuffle and unshuffle are in core).

References, each computed twice and cross-checked on every case:
* delta-encode / delta-decode: numpy (`np.diff` with the element prepended, `np.cumsum`, both
  in the unsigned little-endian dtype of the width, where arithmetic wraps modulo
  2^(8*width)) and a literal Python loop over `int.from_bytes` with `% 2**(8*width)`; every
  case also checks that decoding the encoding (and encoding the decoding) gives the input.
* byteswap: numpy's `ndarray.byteswap()` and a loop reversing each element's bytes; swapping
  twice must give the input.
* extract-field: numpy (the records as an `n x record_size` array, sliced
  `[:, offset:offset + width]`) and a loop over records and bytes.
A width outside the kernel's set, a record size or field width of 0, and a field that does
not fit in the record (`offset + width > record_size`, computed without 32-bit wrapping) are
`invalid-argument`.

Coverage: every length 0..=70 for every width (so every tail length), lengths around the 16-,
32- and 64-byte vectors and their four-vector blocks, runs of 0x00 and 0xFF and alternating
extremes (carries and borrows through whole elements), every record size 1..=16 with every
valid (offset, width), larger records (17 to 1000 bytes) at their first, middle and last
bytes, records longer than the input, parameter errors (widths 0 3 5 16 255; record size 0,
width 0, field past the record end, offset + width overflowing u32), and 64 KiB / 1 MiB + 7
generated inputs.
"""

from __future__ import annotations

from typing import Iterator

import numpy as np

from generate import KIB, LARGE, MASK32, Case, Input, InvalidArgument, seed_for

DELTA_WIDTHS = (1, 2, 4, 8)
SWAP_WIDTHS = (2, 4, 8)
SHORT = range(0, 71)
# Around 16-, 32- and 64-byte vectors and blocks of four of them.
BOUNDARY_LENGTHS = (127, 128, 129, 255, 256, 257)
LARGE_LENGTHS = (64 * KIB, LARGE)
BAD_DELTA_WIDTHS = (0, 3, 5, 16, 255)
BAD_SWAP_WIDTHS = (0, 1, 3, 5, 16, 255)


def _dtype(width: int) -> np.dtype:
    return np.dtype(f"<u{width}")


# --------------------------------------------------------------------------------------------
# References


def _elements(data: bytes, width: int) -> list[int]:
    body = len(data) - len(data) % width
    return [int.from_bytes(data[i : i + width], "little") for i in range(0, body, width)]


def _pack(values: list[int], width: int, tail: bytes) -> bytes:
    return b"".join(v.to_bytes(width, "little") for v in values) + tail


def delta_encode_loop(data: bytes, width: int) -> bytes:
    """KERNELS.md: out[0] = x[0], out[i] = x[i] - x[i-1] mod 2^(8 width); tail copied."""
    x = _elements(data, width)
    mod = 1 << (8 * width)
    out = [(x[i] - (x[i - 1] if i else 0)) % mod for i in range(len(x))]
    return _pack(out, width, data[len(x) * width :])


def delta_decode_loop(data: bytes, width: int) -> bytes:
    """The running sum mod 2^(8 width); tail copied."""
    mod = 1 << (8 * width)
    out, total = [], 0
    for v in _elements(data, width):
        total = (total + v) % mod
        out.append(total)
    return _pack(out, width, data[len(out) * width :])


def delta_numpy(data: bytes, width: int, decode: bool) -> bytes:
    body = len(data) - len(data) % width
    x = np.frombuffer(data[:body], dtype=_dtype(width))
    if decode:
        y = np.cumsum(x, dtype=x.dtype)
    else:
        y = np.diff(x, prepend=np.zeros(1, dtype=x.dtype))
    assert y.dtype == x.dtype
    return y.astype(_dtype(width)).tobytes() + data[body:]


def _check_delta_width(width: int) -> None:
    if width not in DELTA_WIDTHS:
        raise InvalidArgument("width")


def ref_delta_encode(data: bytes, width: int) -> bytes:
    _check_delta_width(width)
    out = delta_numpy(data, width, decode=False)
    assert out == delta_encode_loop(data, width), "numpy and the loop disagree (encode)"
    assert delta_numpy(out, width, decode=True) == data, "decode(encode(x)) != x"
    return out


def ref_delta_decode(data: bytes, width: int) -> bytes:
    _check_delta_width(width)
    out = delta_numpy(data, width, decode=True)
    assert out == delta_decode_loop(data, width), "numpy and the loop disagree (decode)"
    assert delta_numpy(out, width, decode=False) == data, "encode(decode(x)) != x"
    return out


def byteswap_loop(data: bytes, width: int) -> bytes:
    body = len(data) - len(data) % width
    out = bytearray()
    for i in range(0, body, width):
        out += data[i : i + width][::-1]
    return bytes(out) + data[body:]


def byteswap_numpy(data: bytes, width: int) -> bytes:
    body = len(data) - len(data) % width
    return np.frombuffer(data[:body], dtype=_dtype(width)).byteswap().tobytes() + data[body:]


def ref_byteswap(data: bytes, width: int) -> bytes:
    if width not in SWAP_WIDTHS:
        raise InvalidArgument("width")
    out = byteswap_numpy(data, width)
    assert out == byteswap_loop(data, width), "numpy and the loop disagree (byteswap)"
    assert byteswap_numpy(out, width) == data, "byteswap twice != x"
    return out


def extract_loop(data: bytes, record_size: int, offset: int, width: int) -> bytes:
    """KERNELS.md: for every complete record r, bytes [r*record-size + offset, +width)."""
    out = bytearray()
    for r in range(len(data) // record_size):
        for j in range(width):
            out.append(data[r * record_size + offset + j])
    return bytes(out)


def extract_numpy(data: bytes, record_size: int, offset: int, width: int) -> bytes:
    n = len(data) // record_size
    records = np.frombuffer(data[: n * record_size], dtype=np.uint8).reshape(n, record_size)
    return records[:, offset : offset + width].tobytes()


def ref_extract_field(data: bytes, record_size: int, offset: int, width: int) -> bytes:
    if record_size < 1 or width < 1 or offset + width > record_size:
        raise InvalidArgument("record_size, offset, width")
    out = extract_numpy(data, record_size, offset, width)
    assert out == extract_loop(data, record_size, offset, width), "numpy and the loop disagree"
    return out


REFERENCES = {
    "delta-encode": ref_delta_encode,
    "delta-decode": ref_delta_decode,
    "byteswap": ref_byteswap,
    "extract-field": ref_extract_field,
}


# --------------------------------------------------------------------------------------------
# Cases


def _extremes(length: int) -> dict[str, bytes]:
    return {
        "ff": b"\xff" * length,
        "00": b"\x00" * length,
        "ff00": bytes(0xFF if i % 3 == 0 else 0 for i in range(length)),
        "count": bytes(i & 0xFF for i in range(length)),
    }


def _width_cases(kernel: str, widths, bad_widths) -> Iterator[Case]:
    for w in widths:
        for length in SHORT:
            name = f"{kernel}/w-{w}/len-{length}"
            yield name, kernel, {"width": w}, Input.gen(seed_for(name), length)
        for length in BOUNDARY_LENGTHS:
            name = f"{kernel}/w-{w}/len-{length}"
            yield name, kernel, {"width": w}, Input.gen(seed_for(name), length)
        for length in (17, 67, 130):
            for pattern, data in _extremes(length).items():
                name = f"{kernel}/w-{w}/{pattern}/len-{length}"
                yield name, kernel, {"width": w}, Input.hex(data)
        for length in LARGE_LENGTHS:
            name = f"{kernel}/large/w-{w}/len-{length}"
            yield name, kernel, {"width": w}, Input.gen(seed_for(name), length)
    for w in bad_widths:
        yield f"{kernel}/bad-width-{w}/empty", kernel, {"width": w}, Input.hex(b"")
        name = f"{kernel}/bad-width-{w}/len-16"
        yield name, kernel, {"width": w}, Input.gen(seed_for(name), 16)


def delta_encode_cases() -> Iterator[Case]:
    # u16 elements 1, 0, 0x100 and a one-byte tail: 0 - 1 wraps to 0xffff.
    yield "delta-encode/doc-example", "delta-encode", {"width": 2}, Input.hex(
        bytes([1, 0, 0, 0, 0, 1, 9])
    )
    yield from _width_cases("delta-encode", DELTA_WIDTHS, BAD_DELTA_WIDTHS)


def delta_decode_cases() -> Iterator[Case]:
    yield "delta-decode/doc-example", "delta-decode", {"width": 2}, Input.hex(
        bytes([1, 0, 0xFF, 0xFF, 0, 1, 9])
    )
    yield from _width_cases("delta-decode", DELTA_WIDTHS, BAD_DELTA_WIDTHS)


def byteswap_cases() -> Iterator[Case]:
    yield "byteswap/doc-example", "byteswap", {"width": 4}, Input.hex(bytes(range(1, 11)))
    yield from _width_cases("byteswap", SWAP_WIDTHS, BAD_SWAP_WIDTHS)


def _field(record_size: int, offset: int, width: int) -> dict:
    return {"record_size": record_size, "offset": offset, "width": width}


def extract_field_cases() -> Iterator[Case]:
    kernel = "extract-field"
    yield f"{kernel}/doc-example", kernel, _field(3, 1, 1), Input.hex(b"abcdefghi")
    # Every valid field of every record size 1..=16: 3 or (for a quarter) 20 records plus a
    # partial one.
    for rs in range(1, 17):
        for off in range(rs):
            for w in range(1, rs - off + 1):
                records = 20 if (off + w) % 4 == 0 else 3
                name = f"{kernel}/r-{rs}/o-{off}/w-{w}"
                length = records * rs + (rs - 1)
                yield name, kernel, _field(rs, off, w), Input.gen(seed_for(name), length)
    # Common layouts over every short length (so every partial last record).
    for rs, off, w in ((4, 1, 1), (3, 1, 2), (8, 4, 4), (16, 8, 8), (12, 0, 12)):
        for length in SHORT:
            name = f"{kernel}/r-{rs}/o-{off}/w-{w}/len-{length}"
            yield name, kernel, _field(rs, off, w), Input.gen(seed_for(name), length)
    # Larger records: the first, a middle and the last bytes, and wide fields.
    for rs in (17, 24, 32, 33, 64, 100, 255, 1000):
        fields = {(0, 1), (rs // 2, 1), (rs - 1, 1), (0, rs), (1, rs - 1), (rs // 3, rs // 2)}
        for off, w in sorted(fields):
            name = f"{kernel}/r-{rs}/o-{off}/w-{w}"
            length = 600 if rs < 100 else 2 * rs + 7
            yield name, kernel, _field(rs, off, w), Input.gen(seed_for(name), length)
    # No complete record: the output is empty.
    for rs, off, w in ((10, 2, 3), (1000, 0, 1), (MASK32, 0, MASK32), (MASK32, MASK32 - 1, 1)):
        name = f"{kernel}/short/r-{rs}/o-{off}/w-{w}"
        yield name, kernel, _field(rs, off, w), Input.gen(seed_for(name), 9)
    for rs, off, w in ((4, 1, 1), (8, 4, 4), (16, 8, 8), (24, 4, 13), (7, 3, 3), (64, 0, 64)):
        for length in LARGE_LENGTHS:
            name = f"{kernel}/large/r-{rs}/o-{off}/w-{w}/len-{length}"
            yield name, kernel, _field(rs, off, w), Input.gen(seed_for(name), length)
    bad = (
        (0, 0, 1),  # record size 0
        (0, 0, 0),
        (4, 0, 0),  # width 0
        (4, 1, 4),  # past the record end by one
        (4, 4, 1),
        (4, 5, 0),
        (16, 0, 17),
        (MASK32, MASK32, 1),  # offset + width = 2^32: wraps to 0 in u32
        (MASK32, 1, MASK32),
        (MASK32, 0x8000_0000, 0x8000_0000),
        (MASK32, MASK32, MASK32),
    )
    for rs, off, w in bad:
        yield f"{kernel}/bad/r-{rs}/o-{off}/w-{w}/empty", kernel, _field(rs, off, w), Input.hex(b"")
        name = f"{kernel}/bad/r-{rs}/o-{off}/w-{w}/len-64"
        yield name, kernel, _field(rs, off, w), Input.gen(seed_for(name), 64)


CASE_SETS = (delta_encode_cases, delta_decode_cases, byteswap_cases, extract_field_cases)
