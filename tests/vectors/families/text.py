"""Vectors for the text codecs: hex-encode, hex-decode, base64-encode, base64-decode.

References:
* hex-encode: `binascii.hexlify` (uppercase: its output upper-cased).
* hex-decode: bytes from `binascii.unhexlify`; error offsets from a literal transcription of
  the rule (the first byte that is not a hex digit, else an odd length at `len(data)`),
  checked on every case against the offset rule's definition computed with `unhexlify` as
  the judge of validity (the longest prefix that some suffix makes valid).
* base64-encode: `base64.b64encode` / `base64.urlsafe_b64encode`, `=` stripped without
  padding.
* base64-decode: bytes from `base64.b64decode(..., validate=True)`; error offsets from a
  literal transcription of the strict rules in `kernels/src/base64/mod.rs` (`first_error`
  below). Every case checks that the transcription and Python agree on validity (Python's
  decoder does not check the unused bits, so "valid" for Python also requires that re-encoding
  gives the input back), and that the offset equals the offset rule's definition computed with
  that validity judge: a prefix of valid base64 is completed by at most three characters
  among `A` and `=`, and extendability is prefix-closed, so checking the prefix of length
  `offset` (extendable) and `offset + 1` (not) suffices.

Coverage: check values and RFC 4648 section 10; every length 0..=70 in every mode; lengths at
the edges of 16/32/64-byte vector blocks up to 385 bytes; 2049-byte hex and 3073-byte base64
inputs, 64 KiB (+1, +2) and 1 MiB + 7 generated inputs (sha256 outputs) for the encoders. For
the decoders: valid text of every length 0..=70 bytes (mixed case for hex) and at block edges,
odd lengths, truncations and extensions; every bad-byte class at every position of short
inputs, one class per position (cycling) on longer ones and two per position around block
edges; two errors (the first wins); every padding rule (misplaced, dirty bits, missing, excess,
data after it, `=` without padding), alone and after a 64-character valid prefix, in both
alphabets; 64 KiB and 1 MiB + 7 random inputs (bad at once).
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Iterator

from generate import KIB, LARGE, Case, Input, InvalidData, seed_for, splitmix64

ALPHABETS = {
    "standard": b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/",
    "url-safe": b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_",
}
MODES = [(a, p) for a in ("standard", "url-safe") for p in (True, False)]
EQ = ord("=")
HEX_DIGITS = b"0123456789abcdefABCDEF"

# --------------------------------------------------------------------------------------------
# hex


def hex_first_error(data: bytes) -> int | None:
    """The rule, literally: the first byte that is not a hex digit, else odd length at len."""
    for i, c in enumerate(data):
        if c not in HEX_DIGITS:
            return i
    return len(data) if len(data) % 2 else None


def hex_valid(data: bytes) -> bool:
    try:
        binascii.unhexlify(data)
    except (binascii.Error, ValueError):
        return False
    return True


def hex_offset_by_definition(data: bytes) -> int:
    """Longest prefix that some suffix (at most one digit) makes valid, unhexlify judging."""

    def extendable(p: bytes) -> bool:
        return hex_valid(p) or hex_valid(p + b"0")

    return max(k for k in range(len(data) + 1) if extendable(data[:k]))


def ref_hex_encode(data: bytes, uppercase: bool) -> bytes:
    out = binascii.hexlify(data)
    return out.upper() if uppercase else out


def ref_hex_decode(data: bytes) -> bytes:
    offset = hex_first_error(data)
    assert (offset is None) == hex_valid(data), f"hex validity disagrees on {data!r}"
    if offset is not None:
        if len(data) <= 300:
            assert offset == hex_offset_by_definition(data), data
        raise InvalidData(offset)
    out = binascii.unhexlify(data)
    assert binascii.hexlify(out) == data.lower()
    return out


# --------------------------------------------------------------------------------------------
# base64


def b64_first_error(data: bytes, alphabet: str, padding: bool) -> int | None:
    """The decoding rules of kernels/src/base64/mod.rs, character by character."""
    value = {c: i for i, c in enumerate(ALPHABETS[alphabet])}
    padded = False
    for i, c in enumerate(data):
        position = i % 4
        if c == EQ and padding:
            # `=` third after a character with 4 zero low bits, or fourth after `=` or after a
            # character with 2 zero low bits.
            if position == 2:
                fits = value[data[i - 1]] & 0x0F == 0
            elif position == 3:
                fits = data[i - 1] == EQ or value[data[i - 1]] & 0x03 == 0
            else:
                fits = False
            if not fits:
                return i
            padded = True
        elif c not in value:
            return i
        elif padded:
            return i
    n = len(data)
    if padding and n % 4:
        return n
    if n % 4 == 1:
        return n
    if n % 4 == 2 and value[data[-1]] & 0x0F:
        return n
    if n % 4 == 3 and value[data[-1]] & 0x03:
        return n
    return None


def b64_encode(data: bytes, alphabet: str, padding: bool) -> bytes:
    out = base64.b64encode(data) if alphabet == "standard" else base64.urlsafe_b64encode(data)
    return out if padding else out.rstrip(b"=")


def b64_python_decode(data: bytes, alphabet: str, padding: bool) -> bytes | None:
    """Python's strict-as-it-gets decode, or None if Python (or canonical form) rejects it."""
    other = b"-_" if alphabet == "standard" else b"+/"
    if any(c in other for c in data):
        return None  # b64decode maps altchars onto `+/`, so it would accept these
    if not padding:
        if EQ in data:
            return None
        data_padded = data + b"=" * (-len(data) % 4)
    else:
        data_padded = data
    try:
        out = base64.b64decode(
            data_padded, altchars=b"-_" if alphabet == "url-safe" else None, validate=True
        )
    except (binascii.Error, ValueError):
        return None
    # Python ignores unused bits; the canonical input is the encoding of what it decoded.
    if b64_encode(out, alphabet, padding) != data:
        return None
    return out


def b64_offset_checked(data: bytes, alphabet: str, padding: bool, offset: int) -> None:
    """Asserts that `offset` is the offset rule's answer, with Python judging validity."""
    suffixes = [b""] + [
        bytes(b"A="[(bits >> i) & 1] for i in range(k))
        for k in range(1, 4)
        for bits in range(1 << k)
    ]

    def extendable(p: bytes) -> bool:
        return any(b64_python_decode(p + s, alphabet, padding) is not None for s in suffixes)

    assert extendable(data[:offset]), (data, alphabet, padding, offset)
    assert offset == len(data) or not extendable(data[: offset + 1]), (
        data,
        alphabet,
        padding,
        offset,
    )


def ref_base64_encode(data: bytes, alphabet: str, padding: bool) -> bytes:
    return b64_encode(data, alphabet, padding)


def ref_base64_decode(data: bytes, alphabet: str, padding: bool) -> bytes:
    offset = b64_first_error(data, alphabet, padding)
    decoded = b64_python_decode(data, alphabet, padding)
    assert (offset is None) == (decoded is not None), (
        f"base64 validity disagrees on {data[:80]!r} {alphabet} {padding}"
    )
    if offset is not None:
        if len(data) <= 400:
            b64_offset_checked(data, alphabet, padding, offset)
        raise InvalidData(offset)
    return decoded


REFERENCES = {
    "hex-encode": lambda data, uppercase: ref_hex_encode(data, uppercase),
    "hex-decode": lambda data: ref_hex_decode(data),
    "base64-encode": lambda data, alphabet, padding: ref_base64_encode(data, alphabet, padding),
    "base64-decode": lambda data, alphabet, padding: ref_base64_decode(data, alphabet, padding),
}

# --------------------------------------------------------------------------------------------
# Cases

# Bytes that are not hex digits: neighbours of each digit range, whitespace, zero, DEL, high
# bytes (signed compares) and bytes that fold onto letters with `| 0x20` but are not letters.
HEX_BAD = b"/:@G`g \n\x00\x7f\x80\xb0\xc6\xe6\xffx"
# Bytes outside a base64 alphabet (some only outside one of them): neighbours of every range,
# both alphabets' specials, `=`, whitespace, zero, DEL, high bytes.
B64_BAD = b"+/-_=@[`{:,.* \n\r\t\x00\x7f\x80\xab\xc1\xe1\xff"
# Valid characters that may break the canonical unused bits.
B64_GOOD = b"ABzP"

# Lengths at the edges of the vector blocks (16, 32, 64 bytes and their multiples).
BLOCK_EDGES = (95, 96, 97, 127, 128, 129, 191, 192, 193, 255, 256, 257, 383, 384, 385, 1000)


def _mixed_case(text: bytes) -> bytes:
    return bytes(c - 32 if 0x61 <= c <= 0x66 and i % 3 == 0 else c for i, c in enumerate(text))


def hex_encode_cases() -> Iterator[Case]:
    for uppercase in (False, True):
        case = "upper" if uppercase else "lower"
        yield f"hex-encode/{case}/empty", "hex-encode", {"uppercase": uppercase}, Input.hex(b"")
        yield (
            f"hex-encode/{case}/all-bytes",
            "hex-encode",
            {"uppercase": uppercase},
            Input.hex(bytes(range(256))),
        )
        for length in list(range(0, 71)) + list(BLOCK_EDGES[:-1]) + [2049]:
            name = f"hex-encode/{case}/len-{length}"
            yield name, "hex-encode", {"uppercase": uppercase}, Input.gen(seed_for(name), length)
        for length in (64 * KIB, 64 * KIB + 1, LARGE):
            name = f"hex-encode/{case}/large/len-{length}"
            yield name, "hex-encode", {"uppercase": uppercase}, Input.gen(seed_for(name), length)


def hex_decode_cases() -> Iterator[Case]:
    yield "hex-decode/empty", "hex-decode", {}, Input.hex(b"")
    yield "hex-decode/all-bytes", "hex-decode", {}, Input.hex(binascii.hexlify(bytes(range(256))))
    yield "hex-decode/all-bytes-upper", "hex-decode", {}, Input.hex(
        binascii.hexlify(bytes(range(256))).upper()
    )
    # Valid text of every even length 0..=140 and at block edges; odd lengths are truncation.
    for n in sorted(set(range(0, 71)) | {b // 2 for b in BLOCK_EDGES}):
        name = f"hex-decode/len-{2 * n}"
        text = _mixed_case(binascii.hexlify(splitmix64(seed_for(name), n)))
        yield name, "hex-decode", {}, Input.hex(text)
        if n <= 70:
            yield f"hex-decode/odd/len-{2 * n + 1}", "hex-decode", {}, Input.hex(text + b"a")
    # Every bad byte at every position of short texts, one bad byte per position (cycling
    # through the classes) on longer ones, and all classes at positions around block edges.
    for length in (1, 2, 3, 4, 33, 66):
        text = _mixed_case(binascii.hexlify(splitmix64(length, (length + 1) // 2)))[:length]
        for pos in range(length):
            bads = HEX_BAD if length <= 4 else HEX_BAD[pos % len(HEX_BAD) : pos % len(HEX_BAD) + 1]
            for bad in bads:
                data = text[:pos] + bytes([bad]) + text[pos + 1 :]
                name = f"hex-decode/bad-{bad:02x}/len-{length}/pos-{pos}"
                yield name, "hex-decode", {}, Input.hex(data)
    # Around the block edges of a longer text, two classes per position (cycling).
    text = _mixed_case(binascii.hexlify(splitmix64(1234, 128)))
    for n, pos in enumerate((0, 15, 16, 31, 32, 33, 63, 64, 65, 127, 128, 129, 191, 192, 254, 255)):
        for k in range(2):
            bad = HEX_BAD[(2 * n + k) % len(HEX_BAD)]
            data = text[:pos] + bytes([bad]) + text[pos + 1 :]
            yield f"hex-decode/bad-{bad:02x}/len-256/pos-{pos}", "hex-decode", {}, Input.hex(data)
    # Two bad bytes: the first wins; a bad byte in an odd-length input wins over the length.
    two_bad = text[:100] + b"g" + text[101:200] + b"z" + text[201:]
    yield "hex-decode/two-bad", "hex-decode", {}, Input.hex(two_bad)
    yield "hex-decode/bad-and-odd", "hex-decode", {}, Input.hex(text[:77] + b" " + text[78:101])
    yield "hex-decode/bad-last-odd", "hex-decode", {}, Input.hex(text[:100] + b"g")
    # Random bytes: almost surely bad at the very start.
    for length in (64 * KIB, LARGE):
        name = f"hex-decode/large-random/len-{length}"
        yield name, "hex-decode", {}, Input.gen(seed_for(name), length)


def base64_encode_cases() -> Iterator[Case]:
    rfc = [b"", b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar"]
    for alphabet, padding in MODES:
        args = {"alphabet": alphabet, "padding": padding}
        mode = f"{alphabet}/{'pad' if padding else 'nopad'}"
        for plain in rfc:
            name = f"base64-encode/{mode}/rfc-{plain.decode() or 'empty'}"
            yield name, "base64-encode", args, Input.hex(plain)
        specials = Input.hex(b"\xfb\xff\xbf\xfb\xef")
        yield f"base64-encode/{mode}/specials", "base64-encode", args, specials
        yield f"base64-encode/{mode}/all-bytes", "base64-encode", args, Input.hex(bytes(range(256)))
        for length in list(range(0, 71)) + list(BLOCK_EDGES[:-1]) + [3073]:
            name = f"base64-encode/{mode}/len-{length}"
            yield name, "base64-encode", args, Input.gen(seed_for(name), length)
        for length in (64 * KIB, 64 * KIB + 1, 64 * KIB + 2, LARGE):
            name = f"base64-encode/{mode}/large/len-{length}"
            yield name, "base64-encode", args, Input.gen(seed_for(name), length)


def base64_decode_cases() -> Iterator[Case]:
    for alphabet, padding in MODES:
        args = {"alphabet": alphabet, "padding": padding}
        mode = f"{alphabet}/{'pad' if padding else 'nopad'}"
        kernel = "base64-decode"

        def case(label: str, data: bytes) -> Case:
            return f"{kernel}/{mode}/{label}", kernel, args, Input.hex(data)

        def enc(plain: bytes) -> bytes:
            return b64_encode(plain, alphabet, padding)

        yield case("specials", enc(b"\xfb\xff\xbf\xfb\xef"))
        yield case("all-bytes", enc(bytes(range(256))))
        # Valid text of every plain length 0..=70 and at block edges (text lengths around
        # 16, 32, 64 and their multiples).
        for length in sorted(set(range(0, 71)) | {b * 3 // 4 for b in BLOCK_EDGES[:-1]}):
            name = f"{kernel}/{mode}/len-{length}"
            yield case(f"len-{length}", enc(splitmix64(seed_for(name), length)))
        # Truncations and extensions of valid text.
        for length in (1, 2, 3, 49):
            text = enc(splitmix64(length, length))
            for cut in (1, 2, 3):
                if cut <= len(text):
                    yield case(f"cut-{cut}/len-{length}", text[: len(text) - cut])
            for extra in (b"=", b"==", b"A", b"AA", b"AAA", b"AAAA", b"\n"):
                yield case(f"extra-{extra.hex()}/len-{length}", text + extra)
        # Every bad byte (and canonical-breaking good byte) at every position of short texts;
        # on longer texts one class per position, cycling.
        for length in (1, 2, 4, 5, 11, 13, 25):
            text = enc(splitmix64(1000 + length, length))
            for pos in range(len(text)):
                everything = B64_BAD + B64_GOOD
                if length == 2:
                    subs = everything
                else:
                    k = pos % len(everything)
                    subs = everything[k : k + 1]
                for sub in subs:
                    if sub == text[pos]:
                        continue
                    data = text[:pos] + bytes([sub]) + text[pos + 1 :]
                    yield case(f"sub-{sub:02x}/len-{length}/pos-{pos}", data)
        # Around the block edges of a longer text, two classes per position (cycling).
        text = enc(splitmix64(77, 96))
        edges = (0, 3, 15, 16, 17, 31, 32, 33, 63, 64, 65, 100, 127)
        for n, pos in enumerate(edges):
            for k in range(2):
                sub = B64_BAD[(2 * n + k) % len(B64_BAD)]
                if sub == text[pos]:
                    continue
                data = text[:pos] + bytes([sub]) + text[pos + 1 :]
                yield case(f"sub-{sub:02x}/len-96/pos-{pos}", data)
        # Two errors: the first wins.
        yield case("two-bad", text[:100] + b"*" + text[101:200] + b" " + text[201:])
        # Padding rules, each in a short input and after a long valid prefix.
        prefix = enc(splitmix64(99, 48))
        for label, data in [
            ("pad-first", b"=m9v"),
            ("pad-second", b"Z=9v"),
            ("pad-dirty-2", b"Zh=="),
            ("pad-dirty-3", b"Zm9="),
            ("pad-clean-2", b"Zg=="),
            ("pad-clean-3", b"Zm8="),
            ("pad-then-data", b"Zg==Zg=="),
            ("pad-then-char", b"Zg=A"),
            ("pad-three", b"Zg==="),
            ("pad-four", b"===="),
            ("pad-one-char", b"Z==="),
            ("pad-missing-2", b"Zg"),
            ("pad-missing-3", b"Zm8"),
            ("pad-half", b"Zg="),
            ("one-char", b"Z"),
            ("five-chars", b"Zm9vY"),
            ("dirty-2", b"Zh"),
            ("dirty-3", b"Zm9"),
            ("clean-2", b"Zg"),
            ("clean-3", b"Zm8"),
            ("only-pad", b"="),
            ("double-pad", b"=="),
        ]:
            yield case(label, data)
            yield case(f"after-48/{label}", prefix + data)
        # The other alphabet's specials.
        yield case("other-alphabet", b"-_8=+/8=")
        # Random bytes: almost surely bad at the very start.
        for length in (64 * KIB, LARGE):
            name = f"{kernel}/{mode}/large-random/len-{length}"
            yield name, kernel, args, Input.gen(seed_for(name), length)


CASE_SETS = (hex_encode_cases, hex_decode_cases, base64_encode_cases, base64_decode_cases)
