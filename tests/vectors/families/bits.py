"""Vectors for the bit-level codecs: varint-encode, varint-decode (codec), bitpack, bitunpack
(transform).

References, written from KERNELS.md and each computed two independent ways:
* varint-encode: a literal LEB128 loop (7 bits at a time, low group first, continuation bit
  on all but the last byte), cross-checked against a second encoder that slices the value's
  binary string into 7-bit groups; every case also decodes its output back.
* varint-decode: a literal transcription of the rules (a varint ends at its first byte below
  0x80; the tenth byte must be 0 or 1, else invalid-data at the tenth byte whether or not more
  data follows; a varint cut off by the end is invalid-data at len(data); non-shortest forms
  accepted), cross-checked on valid inputs by re-encoding every value at its original length
  and comparing with the input bytes.
* bitpack / bitunpack: Python integers (value i of a group of eight shifted to bit i*bits of
  one integer written with int.to_bytes(..., "little"); eight values fill exactly `bits`
  bytes, and unpacking reads int.from_bytes of each group's bytes), cross-checked against a
  bit-by-bit loop over the whole stream for inputs up to 4 KiB.
Lists of integers (varint-encode's values: list<u64>, bitpack's values: list<u32>, and the
outputs of varint-decode and bitunpack) are their little-endian bytes (tests/vectors/README.md).

Coverage: varint check values and every length boundary 2^(7k)-1 / 2^(7k); every value count
0..=40 of mixed lengths 1..10 and every byte length 0..=70 of a mixed stream (so every cut-off
point); runs of one-byte values past 64 bytes, one-and-two-byte streams, non-shortest forms of
every length, every tenth-byte case, corruption at every position of an 80-byte stream,
continuation runs of 10 to 100 bytes; 64 KiB and 1 MiB + 7 generated inputs (decode: random
bytes end in an error at an exact offset; encode: random u64s). Bit packing: every width
0..=32 with every count 0..=17, counts around 32, 64, 128 for widths 1 3 7 8 13 16 27 31 32,
values too wide at the first, a middle and the last position, widths 33 64 255, unpacking with
spare input bytes, truncated input at every length for several widths, a count of 2^32-1 with
too little data, 4 KiB packed inputs, and 64 KiB / 1 MiB + 7 generated inputs.
"""

from __future__ import annotations

from typing import Iterator

from generate import (
    KIB,
    LARGE,
    MASK32,
    MASK64,
    Case,
    Input,
    InvalidArgument,
    InvalidData,
    seed_for,
    splitmix64,
)

# --------------------------------------------------------------------------------------------
# LEB128 references


def leb128_encode(value: int) -> bytes:
    """KERNELS.md: seven bits at a time, low group first, continuation bit on all but the last."""
    out = bytearray()
    while True:
        group = value & 0x7F
        value >>= 7
        if value:
            out.append(group | 0x80)
        else:
            out.append(group)
            return bytes(out)


def leb128_encode_by_string(value: int) -> bytes:
    """The same from the binary string: 7-character groups from the right."""
    digits = format(value, "b")
    digits = "0" * (-len(digits) % 7) + digits
    groups = [int(digits[i : i + 7], 2) for i in range(0, len(digits), 7)][::-1]
    return bytes([g | 0x80 for g in groups[:-1]] + [groups[-1]])


def u64_list(data: bytes) -> list[int]:
    assert len(data) % 8 == 0, "a list<u64> input is a multiple of 8 bytes"
    return [int.from_bytes(data[i : i + 8], "little") for i in range(0, len(data), 8)]


def u64_bytes(values: list[int]) -> bytes:
    return b"".join(v.to_bytes(8, "little") for v in values)


def ref_varint_encode(data: bytes) -> bytes:
    out = bytearray()
    for value in u64_list(data):
        enc = leb128_encode(value)
        assert enc == leb128_encode_by_string(value), f"encoders disagree on {value}"
        out += enc
    values, forms, error = leb128_decode(bytes(out))
    assert error is None and values == u64_list(data), "decode(encode(x)) != x"
    return bytes(out)


def leb128_decode(data: bytes) -> tuple[list[int], list[bytes], int | None]:
    """The decoding rules: (values, each value's bytes, error offset or None)."""
    values, forms = [], []
    i = 0
    while i < len(data):
        start, value, k = i, 0, 0
        while True:
            if i >= len(data):
                return values, forms, len(data)  # cut off by the end
            byte = data[i]
            if k == 9 and byte > 1:
                return values, forms, i  # an 11th byte needed, or a value above u64::MAX
            value |= (byte & 0x7F) << (7 * k)
            i += 1
            k += 1
            if byte < 0x80:
                break
        assert value <= MASK64
        values.append(value)
        forms.append(data[start:i])
    return values, forms, None


def reencode_at_length(value: int, length: int) -> bytes:
    """`value` as a varint of exactly `length` bytes (non-shortest if longer than needed)."""
    groups = [(value >> (7 * k)) & 0x7F for k in range(length)]
    return bytes([g | 0x80 for g in groups[:-1]] + [groups[-1]])


def ref_varint_decode(data: bytes) -> bytes:
    values, forms, error = leb128_decode(data)
    if error is not None:
        raise InvalidData(error)
    assert b"".join(reencode_at_length(v, len(f)) for v, f in zip(values, forms)) == data
    return u64_bytes(values)


# --------------------------------------------------------------------------------------------
# Bit packing references


def _check_bits(bits: int) -> None:
    if not 0 <= bits <= 32:
        raise InvalidArgument("bits")


def packed_len(count: int, bits: int) -> int:
    return (count * bits + 7) // 8


def bitpack_bigint(values: list[int], bits: int) -> bytes:
    """Eight values fill exactly `bits` bytes: one integer per group of eight (linear time)."""
    out = bytearray()
    for g in range(0, len(values), 8):
        acc = 0
        for i, v in enumerate(values[g : g + 8]):
            acc |= v << (i * bits)
        out += acc.to_bytes(packed_len(len(values[g : g + 8]), bits), "little")
    return bytes(out)


def bitpack_bits(values: list[int], bits: int) -> bytes:
    out = bytearray(packed_len(len(values), bits))
    for i, v in enumerate(values):
        for b in range(bits):
            k = i * bits + b
            out[k // 8] |= ((v >> b) & 1) << (k % 8)
    return bytes(out)


def ref_bitpack(data: bytes, bits: int) -> bytes:
    _check_bits(bits)
    assert len(data) % 4 == 0, "a list<u32> input is a multiple of 4 bytes"
    values = [int.from_bytes(data[i : i + 4], "little") for i in range(0, len(data), 4)]
    if any(v >> bits for v in values):
        raise InvalidArgument("values")
    out = bitpack_bigint(values, bits)
    if len(data) <= 4 * KIB:
        assert out == bitpack_bits(values, bits), "big-integer and bit-loop packing disagree"
    return out


def bitunpack_bigint(data: bytes, bits: int, count: int) -> list[int]:
    """One integer per group of eight values (`bits` bytes), read little-endian."""
    mask = (1 << bits) - 1
    out = []
    for g in range(0, count, 8):
        acc = int.from_bytes(data[g // 8 * bits : g // 8 * bits + bits], "little")
        out += [(acc >> (i * bits)) & mask for i in range(min(8, count - g))]
    return out


def bitunpack_bits(data: bytes, bits: int, count: int) -> list[int]:
    out = []
    for i in range(count):
        v = 0
        for b in range(bits):
            k = i * bits + b
            v |= ((data[k // 8] >> (k % 8)) & 1) << b
        out.append(v)
    return out


def ref_bitunpack(data: bytes, bits: int, count: int) -> bytes:
    _check_bits(bits)
    if len(data) < packed_len(count, bits):
        raise InvalidData(len(data))
    values = bitunpack_bigint(data, bits, count)
    if len(data) <= 4 * KIB:
        assert values == bitunpack_bits(data, bits, count), "unpackers disagree"
    return b"".join(v.to_bytes(4, "little") for v in values)


REFERENCES = {
    "varint-encode": lambda data: ref_varint_encode(data),
    "varint-decode": lambda data: ref_varint_decode(data),
    "bitpack": lambda data, bits: ref_bitpack(data, bits),
    "bitunpack": lambda data, bits, count: ref_bitunpack(data, bits, count),
}


# --------------------------------------------------------------------------------------------
# Cases


def _words(name: str, n: int) -> list[int]:
    raw = splitmix64(seed_for(name), 8 * n)
    return [int.from_bytes(raw[i : i + 8], "little") for i in range(0, 8 * n, 8)]


def _of_length(word: int, length: int) -> int:
    """A value whose shortest encoding is `length` (1..10) bytes, from a random word."""
    if length == 1:
        return word & 0x7F
    bits = min(7 * length, 64)
    return (word >> (64 - bits)) | (1 << (7 * (length - 1)))


def mixed_values(name: str, n: int) -> list[int]:
    """Values of every encoded length 1..10."""
    return [_of_length(w, 1 + (w >> 3) % 10) for w in _words(name, n)]


def varint_encode_cases() -> Iterator[Case]:
    k = "varint-encode"
    yield f"{k}/empty", k, {}, Input.hex(b"")
    checks = [0, 1, 127, 128, 300, 16383, 16384, 1 << 63, MASK64]
    yield f"{k}/check-values", k, {}, Input.hex(u64_bytes(checks))
    for length in range(1, 10):
        for v in ((1 << (7 * length)) - 1, 1 << (7 * length)):
            yield f"{k}/boundary-{v:x}", k, {}, Input.hex(u64_bytes([v]))
    for n in range(0, 41):
        name = f"{k}/mixed/count-{n}"
        yield name, k, {}, Input.hex(u64_bytes(mixed_values(name, n)))
    for n in (8, 9, 15, 16, 17, 63, 64, 65, 200):
        name = f"{k}/one-byte/count-{n}"
        yield name, k, {}, Input.hex(u64_bytes([w & 0x7F for w in _words(name, n)]))
        name = f"{k}/one-two-byte/count-{n}"
        yield name, k, {}, Input.hex(u64_bytes([w & 0x3FFF for w in _words(name, n)]))
    # Mostly one byte with a long value every few: every group shape of the word encoder.
    name = f"{k}/mostly-small"
    vals = [_of_length(w, 10 if i % 11 == 5 else 1 + (i % 7 == 0)) for i, w in enumerate(_words(name, 300))]
    yield name, k, {}, Input.hex(u64_bytes(vals))
    # Generated u64s: nearly all take 9 or 10 bytes.
    for length in (64 * KIB, 1024 * KIB + 8):
        name = f"{k}/large/len-{length}"
        yield name, k, {}, Input.gen(seed_for(name), length)


def varint_decode_cases() -> Iterator[Case]:
    k = "varint-decode"
    yield f"{k}/empty", k, {}, Input.hex(b"")
    yield f"{k}/doc-example", k, {}, Input.hex(bytes([0x01, 0xAC, 0x02]))
    yield f"{k}/u64-max", k, {}, Input.hex(b"\xff" * 9 + b"\x01")
    yield f"{k}/2^63", k, {}, Input.hex(b"\x80" * 9 + b"\x01")
    for n in range(0, 41):
        name = f"{k}/mixed/count-{n}"
        yield name, k, {}, Input.hex(b"".join(leb128_encode(v) for v in mixed_values(name, n)))
    # Every prefix of one mixed stream: cut-off points inside every length of varint.
    stream = b"".join(leb128_encode(v) for v in mixed_values(f"{k}/prefix", 40))
    for length in range(0, 71):
        yield f"{k}/prefix/len-{length}", k, {}, Input.hex(stream[:length])
    # Non-shortest forms of every length, the tenth-byte rules, truncation after nine bytes.
    for length in range(1, 11):
        yield f"{k}/zero-{length}-bytes", k, {}, Input.hex(b"\x80" * (length - 1) + b"\x00")
    for tenth in (0x00, 0x01, 0x02, 0x7F, 0x80, 0x81, 0xFF):
        for tail in (b"", b"\x00", b"\x05" * 8):
            data = b"\xff" * 9 + bytes([tenth]) + tail
            yield f"{k}/tenth-{tenth:02x}/tail-{len(tail)}", k, {}, Input.hex(data)
    yield f"{k}/nine-and-cut", k, {}, Input.hex(b"\xff" * 9)
    for prefix in (0, 1, 7, 63, 64, 65):
        data = b"\x01" * prefix + b"\x80" * 40
        yield f"{k}/continuation-run/after-{prefix}", k, {}, Input.hex(data)
    for run in (10, 11, 64, 100):
        data = b"\x05" * 70 + b"\x80" * run + b"\x00" * 30
        yield f"{k}/continuation-run/len-{run}", k, {}, Input.hex(data)
    # Corruption at every position: a continuation bit set, 0x02 or 0x80 there.
    base = b"".join(leb128_encode(v) for v in mixed_values(f"{k}/corrupt", 40))[:80]
    base = base[: max(i + 1 for i, b in enumerate(base) if b < 0x80)]
    for pos in range(len(base)):
        for byte in sorted({base[pos] | 0x80, 0x02, 0x80}):
            data = bytearray(base)
            data[pos] = byte
            yield f"{k}/corrupt/pos-{pos}/byte-{byte:02x}", k, {}, Input.hex(bytes(data))
    # Streams the vector paths take whole: runs of one-byte values, one- and two-byte values,
    # mostly small values with long ones between.
    for n in (63, 64, 65, 128, 200, 1000):
        name = f"{k}/one-byte/count-{n}"
        yield name, k, {}, Input.hex(bytes(w & 0x7F for w in _words(name, n)))
    for n in (100, 1000):
        name = f"{k}/one-two-byte/count-{n}"
        yield name, k, {}, Input.hex(b"".join(leb128_encode(w & 0x3FFF) for w in _words(name, n)))
    name = f"{k}/mostly-small"
    vals = [_of_length(w, 10 if i % 13 == 5 else 1 + (i % 5 == 0)) for i, w in enumerate(_words(name, 1500))]
    yield name, k, {}, Input.hex(b"".join(leb128_encode(v) for v in vals))
    name = f"{k}/mixed-4k"
    yield name, k, {}, Input.hex(b"".join(leb128_encode(v) for v in mixed_values(name, 700)))
    # Random bytes: many valid varints, then an error at an exact offset.
    for length in (64 * KIB, LARGE):
        name = f"{k}/large/len-{length}"
        yield name, k, {}, Input.gen(seed_for(name), length)


def _u32_bytes(values: list[int]) -> bytes:
    return b"".join(v.to_bytes(4, "little") for v in values)


def _values(name: str, n: int, bits: int) -> list[int]:
    return [(w & MASK32) >> (32 - bits) if bits else 0 for w in _words(name, n)]


# Widths with every short count, and the widths with longer counts.
PACK_WIDTHS = range(0, 33)
PACK_SHORT = range(0, 18)
PACK_SOME_WIDTHS = (1, 3, 7, 8, 13, 16, 27, 31, 32)
PACK_LONG = (31, 32, 33, 63, 64, 65, 127, 128, 129)
BAD_WIDTHS = (33, 64, 255)


def bitpack_cases() -> Iterator[Case]:
    k = "bitpack"
    yield f"{k}/doc-example", k, {"bits": 3}, Input.hex(_u32_bytes([1, 2, 3]))
    for bits in PACK_WIDTHS:
        for n in PACK_SHORT:
            name = f"{k}/bits-{bits}/count-{n}"
            yield name, k, {"bits": bits}, Input.hex(_u32_bytes(_values(name, n, bits)))
    for bits in PACK_SOME_WIDTHS:
        for n in PACK_LONG:
            name = f"{k}/bits-{bits}/count-{n}"
            yield name, k, {"bits": bits}, Input.hex(_u32_bytes(_values(name, n, bits)))
        name = f"{k}/bits-{bits}/all-ones"
        yield name, k, {"bits": bits}, Input.hex(_u32_bytes([(1 << bits) - 1] * 40))
    for bits in (0, 1, 5, 16, 31):
        for pos in (0, 20, 39):
            name = f"{k}/too-wide/bits-{bits}/pos-{pos}"
            vals = _values(name, 40, bits)
            vals[pos] = 1 << bits
            yield name, k, {"bits": bits}, Input.hex(_u32_bytes(vals))
    for bits in BAD_WIDTHS:
        yield f"{k}/bad-bits-{bits}", k, {"bits": bits}, Input.hex(_u32_bytes([0, 1]))
        yield f"{k}/bad-bits-{bits}/empty", k, {"bits": bits}, Input.hex(b"")
    for bits in (7, 13):
        name = f"{k}/bits-{bits}/count-1000"
        yield name, k, {"bits": bits}, Input.hex(_u32_bytes(_values(name, 1000, bits)))
    # Generated words are arbitrary u32s: all valid at 32 bits, too wide below.
    for length in (64 * KIB, 1024 * KIB + 4):
        for bits in (32, 31):
            name = f"{k}/large/bits-{bits}/len-{length}"
            yield name, k, {"bits": bits}, Input.gen(seed_for(name), length)


def bitunpack_cases() -> Iterator[Case]:
    k = "bitunpack"
    yield f"{k}/doc-example", k, {"bits": 3, "count": 3}, Input.hex(bytes([0xD1, 0x00]))
    for bits in PACK_WIDTHS:
        for n in PACK_SHORT:
            name = f"{k}/bits-{bits}/count-{n}"
            args = {"bits": bits, "count": n}
            yield name, k, args, Input.gen(seed_for(name), packed_len(n, bits))
    for bits in PACK_SOME_WIDTHS:
        for n in PACK_LONG:
            name = f"{k}/bits-{bits}/count-{n}"
            args = {"bits": bits, "count": n}
            yield name, k, args, Input.gen(seed_for(name), packed_len(n, bits))
            if n in (33, 129):
                # Spare bytes after the packed values are ignored.
                name = f"{k}/bits-{bits}/count-{n}/spare-9"
                yield name, k, args, Input.gen(seed_for(name), packed_len(n, bits) + 9)
    # Truncated data at every length.
    for bits, n in ((1, 17), (7, 9), (13, 20), (32, 5), (31, 8)):
        for length in range(packed_len(n, bits)):
            name = f"{k}/truncated/bits-{bits}/count-{n}/len-{length}"
            yield name, k, {"bits": bits, "count": n}, Input.gen(seed_for(name), length)
    yield f"{k}/huge-count", k, {"bits": 1, "count": MASK32}, Input.gen(7, 100)
    yield f"{k}/bits-0/count-1000", k, {"bits": 0, "count": 1000}, Input.hex(b"")
    yield f"{k}/count-0", k, {"bits": 9, "count": 0}, Input.hex(b"")
    for bits in BAD_WIDTHS:
        yield f"{k}/bad-bits-{bits}", k, {"bits": bits, "count": 1}, Input.gen(3, 64)
        yield f"{k}/bad-bits-{bits}/count-0", k, {"bits": bits, "count": 0}, Input.hex(b"")
    for bits in (3, 13):
        name = f"{k}/bits-{bits}/4k"
        yield name, k, {"bits": bits, "count": 4096 * 8 // bits}, Input.gen(seed_for(name), 4096)
    for length in (64 * KIB, LARGE):
        for bits in (1, 7, 13, 31, 32):
            name = f"{k}/large/bits-{bits}/len-{length}"
            args = {"bits": bits, "count": length * 8 // bits}
            yield name, k, args, Input.gen(seed_for(name), length)


CASE_SETS = (varint_encode_cases, varint_decode_cases, bitpack_cases, bitunpack_cases)
