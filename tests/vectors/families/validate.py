"""Vectors for the validate family: utf8-validate and ascii-prefix.

References: Python's `bytes.decode("utf-8")` for the verdict and `valid_up_to` (the
exception's `start`); `error_len` from a literal Python transcription of Rust's
`core::str::from_utf8` (`run_utf8_validation`: the length of the maximal prefix of a valid
sequence at `valid_up_to`, at least 1, or none when the input ends inside a sequence),
cross-checked on every case against Python's `end - start`, which follows the same
maximal-subpart rule (and reports "unexpected end of data" exactly where Rust says none).
ascii-prefix: a loop to the first byte >= 0x80.

Coverage: the boundary code points of every width; valid text of every length 0..=70 with
characters of all widths; overlongs, surrogates, code points above U+10FFFF, bytes that never
occur, and cut-off sequences, each at several positions (vector boundaries) in ASCII and in
multi-byte text; every lead byte 80..ff with second bytes at the edges of every range;
corruption at every position and truncation at every length of a multi-byte text; 4 KiB
valid inputs; 64 KiB and 1 MiB + 7 generated (random, so invalid early) inputs.
"""

from __future__ import annotations

from typing import Iterator

from generate import KIB, LARGE, Case, Input, seed_for, splitmix64

# --------------------------------------------------------------------------------------------
# References


def rust_utf8_error(data: bytes) -> tuple[int, int | None] | None:
    """Rust's run_utf8_validation, transcribed: None if valid, else (valid_up_to, error_len)."""
    n = len(data)
    i = 0
    while i < n:
        first = data[i]
        if first < 0x80:
            i += 1
            continue
        # utf8_char_width
        if 0xC2 <= first <= 0xDF:
            width = 2
        elif 0xE0 <= first <= 0xEF:
            width = 3
        elif 0xF0 <= first <= 0xF4:
            width = 4
        else:
            return (i, 1)

        def at(k: int) -> int | None:
            return data[i + k] if i + k < n else None

        def continuation(b: int) -> bool:
            return 0x80 <= b <= 0xBF

        second = at(1)
        if second is None:
            return (i, None)
        if width == 2:
            ok = continuation(second)
        elif width == 3:
            ok = (
                (first == 0xE0 and 0xA0 <= second <= 0xBF)
                or (0xE1 <= first <= 0xEC and continuation(second))
                or (first == 0xED and 0x80 <= second <= 0x9F)
                or (0xEE <= first <= 0xEF and continuation(second))
            )
        else:
            ok = (
                (first == 0xF0 and 0x90 <= second <= 0xBF)
                or (0xF1 <= first <= 0xF3 and continuation(second))
                or (first == 0xF4 and 0x80 <= second <= 0x8F)
            )
        if not ok:
            return (i, 1)
        for k in range(2, width):
            b = at(k)
            if b is None:
                return (i, None)
            if not continuation(b):
                return (i, k)
        i += width
    return None


def ref_utf8_validate(data: bytes) -> dict:
    rust = rust_utf8_error(data)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as e:
        python_len = None if e.reason == "unexpected end of data" else e.end - e.start
        assert rust == (e.start, python_len), f"{data.hex()}: rust rule {rust}, python {e}"
        return {"utf8_error": {"valid_up_to": e.start, "error_len": python_len}}
    assert rust is None, f"{data.hex()}: python accepts, rust rule says {rust}"
    return {"ok": True}


def ref_ascii_prefix(data: bytes) -> int:
    for i, b in enumerate(data):
        if b >= 0x80:
            return i
    return len(data)


REFERENCES = {
    "utf8-validate": ref_utf8_validate,
    "ascii-prefix": ref_ascii_prefix,
}


# --------------------------------------------------------------------------------------------
# Cases

EVERY_POSITION_LENGTHS = (15, 16, 17, 31, 32, 33, 63, 64, 65)
# Positions that straddle 16-, 32- and 64-byte blocks.
PLACES = (0, 1, 15, 16, 31, 32, 63, 64, 65)


def text(seed: int, length: int) -> bytes:
    """Valid UTF-8 of at most `length` bytes, characters of every width chosen by `seed`."""
    raw = splitmix64(seed, 4 * length + 16)
    out = b""
    for k in range(0, len(raw) - 3, 4):
        r = int.from_bytes(raw[k : k + 4], "little")
        kind, v = r % 4, r >> 8
        if kind == 0:
            cp = 0x20 + v % 0x5F
        elif kind == 1:
            cp = 0x80 + v % 0x780
        elif kind == 2:
            cp = 0x800 + v % 0xF800
            if 0xD800 <= cp <= 0xDFFF:
                cp -= 0x1000
        else:
            cp = 0x10000 + v % 0x100000
        ch = chr(cp).encode("utf-8")
        if len(out) + len(ch) > length:
            break
        out += ch
    return out


def ascii(seed: int, length: int) -> bytes:
    return bytes(b & 0x7F for b in splitmix64(seed, length))


BOUNDARY_CODE_POINTS = (
    0x00, 0x7F, 0x80, 0x7FF, 0x800, 0xFFF, 0x1000, 0xD7FF, 0xE000, 0xFFFD, 0xFFFF,
    0x10000, 0x3FFFF, 0x40000, 0xFFFFF, 0x100000, 0x10FFFF,
)

BAD_SEQUENCES = {
    "overlong-2-nul": b"\xc0\x80",
    "overlong-2-max": b"\xc1\xbf",
    "overlong-3-nul": b"\xe0\x80\x80",
    "overlong-3-max": b"\xe0\x9f\xbf",
    "overlong-4-nul": b"\xf0\x80\x80\x80",
    "overlong-4-max": b"\xf0\x8f\xbf\xbf",
    "surrogate-low": b"\xed\xa0\x80",
    "surrogate-high": b"\xed\xbf\xbf",
    "surrogate-pair": b"\xed\xa0\xbd\xed\xb8\x80",
    "above-10ffff": b"\xf4\x90\x80\x80",
    "lead-f5": b"\xf5\x80\x80\x80",
    "lead-f7": b"\xf7\xbf\xbf\xbf",
    "five-byte": b"\xf8\x88\x80\x80\x80",
    "six-byte": b"\xfc\x84\x80\x80\x80\x80",
    "byte-fe": b"\xfe",
    "byte-ff": b"\xff",
    "lone-continuation": b"\x80",
    "continuations": b"\xbf\x80\xbf",
    "cut-2-then-ascii": b"\xc3A",
    "cut-3-then-ascii": b"\xe2\x82A",
    "cut-4-then-ascii": b"\xf0\x9f\x98A",
    "cut-4-then-lead": b"\xf0\x9f\xc3\xa9",
}

CUT_SEQUENCES = {"cut-2": b"\xc3", "cut-3-1": b"\xe2", "cut-3-2": b"\xe2\x82",
                 "cut-4-1": b"\xf0", "cut-4-2": b"\xf0\x9f", "cut-4-3": b"\xf0\x9f\x98"}


def utf8_cases() -> Iterator[Case]:
    k = "utf8-validate"
    yield f"{k}/empty", k, {}, Input.hex(b"")
    for cp in BOUNDARY_CODE_POINTS:
        ch = chr(cp).encode("utf-8")
        yield f"{k}/code-point-{cp:06x}", k, {}, Input.hex(ch)
        yield f"{k}/code-point-{cp:06x}/x40", k, {}, Input.hex(ch * (40 // len(ch) + 1))
    for length in range(0, 71):
        yield f"{k}/text/len-{length}", k, {}, Input.hex(text(seed_for(f"{k}/text/{length}"), length))
    for bad_name, seq in BAD_SEQUENCES.items():
        for base_name, base in (("ascii", ascii(1, 80)), ("text", text(2, 80))):
            for place in PLACES:
                # Insert at the nearest character boundary at or after `place`.
                at = next(p for p in range(place, len(base) + 1)
                          if p == len(base) or base[p] & 0xC0 != 0x80)
                data = base[:at] + seq + base[at:]
                yield f"{k}/{bad_name}/{base_name}/at-{place}", k, {}, Input.hex(data)
    for cut_name, seq in CUT_SEQUENCES.items():
        for length in PLACES + (70,):
            data = ascii(3, length) + seq
            yield f"{k}/{cut_name}/at-end-of-{length}", k, {}, Input.hex(data)
    # Every lead byte with second bytes at the edges of every allowed range, then two
    # continuation bytes and ASCII.
    for lead in range(0x80, 0x100):
        for second in (0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0):
            data = ascii(4, 20) + bytes([lead, second, 0x80, 0x80]) + b"tail"
            yield f"{k}/lead-{lead:02x}/second-{second:02x}", k, {}, Input.hex(data)
    valid = text(5, 70)
    for pos in range(len(valid)):
        for bad in (0x80, 0xFF):
            data = bytearray(valid)
            data[pos] = bad
            yield f"{k}/corrupt-{bad:02x}/pos-{pos}", k, {}, Input.hex(bytes(data))
    long_text = text(6, 70)
    for cut in range(len(long_text) + 1):
        yield f"{k}/truncated/len-{cut}", k, {}, Input.hex(long_text[:cut])
    yield f"{k}/large/text-4k", k, {}, Input.hex(text(7, 4 * KIB))
    yield f"{k}/large/ascii-4k", k, {}, Input.hex(ascii(8, 4 * KIB))
    yield f"{k}/large/ascii-4k-then-bad", k, {}, Input.hex(ascii(9, 4 * KIB) + b"\xed\xa0\x80")
    yield f"{k}/large/text-4k-cut", k, {}, Input.hex(text(10, 4 * KIB) + b"\xf0\x9f\x98")
    for length in (64 * KIB, LARGE):
        name = f"{k}/large/gen-{length}"
        yield name, k, {}, Input.gen(seed_for(name), length)


def ascii_prefix_cases() -> Iterator[Case]:
    k = "ascii-prefix"
    for length in range(0, 71):
        base = ascii(seed_for(f"{k}/{length}"), length)
        yield f"{k}/len-{length}/all", k, {}, Input.hex(base)
        spots = range(length) if length in EVERY_POSITION_LENGTHS else sorted(
            {0, length // 2, length - 1} if length else set()
        )
        for pos in spots:
            data = bytearray(base)
            data[pos] = (0x80, 0xC3, 0xFF)[pos % 3]
            if pos + 2 < length:
                data[pos + 2] = 0x80
            yield f"{k}/len-{length}/pos-{pos}", k, {}, Input.hex(bytes(data))
    yield f"{k}/long", k, {}, Input.hex(ascii(11, 5000) + b"\xc3\xa9" + ascii(12, 10))
    for length in (64 * KIB, LARGE):
        name = f"{k}/large/gen-{length}"
        yield name, k, {}, Input.gen(seed_for(name), length)


CASE_SETS = (utf8_cases, ascii_prefix_cases)
