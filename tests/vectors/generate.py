#!/usr/bin/env python3
"""Generates tests/vectors/*.json, the cross-language conformance vectors, one file per family.

Every expected value comes from a reference that is independent of binpipe's code:

* crc32c: the PyPI package `crc32c` (pinned in requirements.txt), cross-checked on every case
  against a bitwise CRC-32C written here from the polynomial (or, for large inputs, a table
  built by that bitwise routine), which itself must give the published check value.
* count-byte: Python's `bytes.count`.
* shuffle / unshuffle: the definition in KERNELS.md written as a plain double loop; every case
  also checks that `unshuffle(shuffle(x)) == x` and `shuffle(unshuffle(x)) == x`.

The output is deterministic: same script, same pinned packages, same bytes.

    python3 tests/vectors/generate.py                  # rewrite every family's file
    python3 tests/vectors/generate.py --family codec   # rewrite codec.json only
    python3 tests/vectors/generate.py --check          # fail if any file is not what we generate

The file format is described in README.md beside this script.

Families: the kernels of the first release are the family `core` (this file, written to
core.json). Every other family is a module `families/<name>.py` written to `<name>.json`; it
imports the helpers below (`from generate import Input, seed_for, ...`) and defines
`REFERENCES` (kernel name -> reference taking the input bytes and the args as keywords) and
`CASE_SETS` (functions yielding `(name, kernel, args, input)` tuples), exactly as this file
does for `core`. A reference returns an int (`value`), `None` (`value: null`, an `option`
that is `none`), bytes (`hex`, or `sha256` + `len` when large), or a dict that is the whole
`expect` object (e.g. `{"ok": True}`); it raises InvalidArgument, InvalidData(offset) or
TooLarge for an expected `kernel-error`.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
import sys
from pathlib import Path
from types import ModuleType
from typing import Callable, Iterator

import crc32c as crc32c_pkg

FORMAT_VERSION = 1
HERE = Path(__file__).resolve().parent
FAMILY_DIR = HERE / "families"

# Outputs up to this many bytes are stored whole (hex); larger ones as sha256 + length.
HEX_OUTPUT_LIMIT = 4096
KIB = 1024
MIB = 1024 * 1024
# "1 MiB + odd bytes": leaves a tail for every element size we test, and an unaligned end.
LARGE = MIB + 7
MASK32 = 0xFFFF_FFFF
MASK64 = 0xFFFF_FFFF_FFFF_FFFF


# --------------------------------------------------------------------------------------------
# Inputs


def splitmix64(seed: int, length: int) -> bytes:
    """The vector format's generated input: SplitMix64 blocks, little-endian, truncated."""
    state = seed & MASK64
    out = bytearray()
    while len(out) < length:
        state = (state + 0x9E3779B97F4A7C15) & MASK64
        z = state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK64
        z ^= z >> 31
        out += z.to_bytes(8, "little")
    return bytes(out[:length])


# SplitMix64 reference output for seed 1234567 (Vigna's splitmix64.c, first three outputs).
assert splitmix64(1234567, 24) == b"".join(
    v.to_bytes(8, "little")
    for v in (0x599ED017FB08FC85, 0x2C73F08458540FA5, 0x883EBCE5A3F27C77)
), "SplitMix64 does not match its published output"


def seed_for(name: str) -> int:
    """A stable generator seed per case name, below 2^48 so every JSON reader keeps it exact."""
    return int.from_bytes(hashlib.sha256(name.encode()).digest()[:6], "little")


class Input:
    """A case's input: its JSON form and its bytes."""

    def __init__(self, spec: dict, data: bytes):
        self.spec = spec
        self.data = data

    @staticmethod
    def gen(seed: int, length: int) -> "Input":
        return Input({"gen": {"seed": seed, "len": length}}, splitmix64(seed, length))

    @staticmethod
    def hex(data: bytes) -> "Input":
        return Input({"hex": data.hex()}, bytes(data))


# --------------------------------------------------------------------------------------------
# References


class InvalidArgument(Exception):
    """The reference refuses a parameter: the kernel must report `invalid-argument`."""


class InvalidData(Exception):
    """The reference rejects the data: the kernel must report `invalid-data` at `offset`."""

    def __init__(self, offset: int):
        super().__init__(f"invalid data at {offset}")
        self.offset = offset


class TooLarge(Exception):
    """The input exceeds a documented limit: the kernel must report `too-large`."""


CRC32C_POLY_REFLECTED = 0x82F63B78


def crc32c_bitwise(data: bytes, seed: int = 0) -> int:
    """CRC-32C bit by bit from the reflected polynomial; init and xorout 0xFFFFFFFF."""
    crc = seed ^ MASK32
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (CRC32C_POLY_REFLECTED if crc & 1 else 0)
    return crc ^ MASK32


assert crc32c_bitwise(b"123456789") == 0xE3069283, "bitwise CRC-32C misses the check value"


def _crc32c_table() -> list[int]:
    """Byte table whose entries are the bitwise routine's state after one byte."""
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ (CRC32C_POLY_REFLECTED if crc & 1 else 0)
        table.append(crc)
    return table


CRC32C_TABLE = _crc32c_table()


def crc32c_table(data: bytes, seed: int = 0) -> int:
    """The bitwise routine a byte at a time (fast enough for megabyte inputs)."""
    crc = seed ^ MASK32
    for byte in data:
        crc = CRC32C_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ MASK32


def ref_crc32c(data: bytes, seed: int) -> int:
    """The package's CRC-32C, insisting that the hand-written one agrees."""
    got = crc32c_pkg.crc32c(data, seed)
    mine = crc32c_bitwise(data, seed) if len(data) <= 4 * KIB else crc32c_table(data, seed)
    assert got == mine, f"crc32c package {got:#x} != hand-written {mine:#x} (len {len(data)})"
    return got


def ref_count_byte(data: bytes, needle: int) -> int:
    return data.count(bytes([needle]))


def _check_elem_size(elem_size: int) -> None:
    if not 1 <= elem_size <= 255:
        raise InvalidArgument("elem_size")


def shuffle_ref(data: bytes, elem_size: int) -> bytes:
    """KERNELS.md: n = len / elem-size; out[j*n + i] = in[i*elem-size + j]; tail copied."""
    _check_elem_size(elem_size)
    n = len(data) // elem_size
    out = bytearray(len(data))
    for i in range(n):
        for j in range(elem_size):
            out[j * n + i] = data[i * elem_size + j]
    out[n * elem_size :] = data[n * elem_size :]
    return bytes(out)


def unshuffle_ref(data: bytes, elem_size: int) -> bytes:
    """Inverse of shuffle: out[i*elem-size + j] = in[j*n + i]; tail copied."""
    _check_elem_size(elem_size)
    n = len(data) // elem_size
    out = bytearray(len(data))
    for i in range(n):
        for j in range(elem_size):
            out[i * elem_size + j] = data[j * n + i]
    out[n * elem_size :] = data[n * elem_size :]
    return bytes(out)


def ref_shuffle(data: bytes, elem_size: int) -> bytes:
    out = shuffle_ref(data, elem_size)
    assert unshuffle_ref(out, elem_size) == data, "unshuffle(shuffle(x)) != x"
    return out


def ref_unshuffle(data: bytes, elem_size: int) -> bytes:
    out = unshuffle_ref(data, elem_size)
    assert shuffle_ref(out, elem_size) == data, "shuffle(unshuffle(x)) != x"
    return out


# kernel (WIT name) -> reference taking (input bytes, **args); returns int, bytes or raises.
REFERENCES: dict[str, Callable[..., int | bytes]] = {
    "crc32c": lambda data, seed: ref_crc32c(data, seed),
    "count-byte": lambda data, needle: ref_count_byte(data, needle),
    "shuffle": lambda data, elem_size: ref_shuffle(data, elem_size),
    "unshuffle": lambda data, elem_size: ref_unshuffle(data, elem_size),
}


# --------------------------------------------------------------------------------------------
# Cases

# (name, kernel, args, input)
Case = tuple[str, str, dict, Input]


def crc32c_cases() -> Iterator[Case]:
    check = Input.hex(b"123456789")
    assert ref_crc32c(check.data, 0) == 0xE3069283
    yield "crc32c/check-value", "crc32c", {"seed": 0}, check
    yield "crc32c/empty", "crc32c", {"seed": 0}, Input.hex(b"")
    for seed in (1, 0xDEADBEEF, MASK32):
        yield f"crc32c/empty/seed-{seed:08x}", "crc32c", {"seed": seed}, Input.hex(b"")
    for length in range(0, 301):
        name = f"crc32c/len-{length}"
        yield name, "crc32c", {"seed": 0}, Input.gen(seed_for(name), length)
    for fill in (0x00, 0xFF):
        for length in (1, 4, 32, 100):
            yield (
                f"crc32c/fill-{fill:02x}/len-{length}",
                "crc32c",
                {"seed": 0},
                Input.hex(bytes([fill]) * length),
            )
    # Arbitrary seeds: the kernel must start from ~seed, whatever the input length.
    for seed in (1, 0x12345678, 0xE3069283, MASK32):
        for length in (1, 7, 8, 15, 16, 31, 64, 255, 256, 1000, 4096, 4099):
            name = f"crc32c/seed-{seed:08x}/len-{length}"
            yield name, "crc32c", {"seed": seed}, Input.gen(seed_for(name), length)
    # Continuation: the seed is the CRC of a first part; the result must equal the CRC of the
    # concatenation (checked here against the package computing the whole at once).
    for first, second in ((0, 5), (1, 1), (3, 64), (64, 3), (100, 1000), (4096, 4096), (65536, 7)):
        name = f"crc32c/continue/{first}+{second}"
        a = splitmix64(seed_for(name + "/a"), first)
        b = Input.gen(seed_for(name + "/b"), second)
        seed = ref_crc32c(a, 0)
        assert ref_crc32c(b.data, seed) == crc32c_pkg.crc32c(a + b.data), name
        yield name, "crc32c", {"seed": seed}, b
    for length in (64 * KIB, 64 * KIB + 1, LARGE):
        name = f"crc32c/large/len-{length}"
        yield name, "crc32c", {"seed": 0}, Input.gen(seed_for(name), length)
    name = f"crc32c/large/seeded/len-{LARGE}"
    yield name, "crc32c", {"seed": 0x9E3779B9}, Input.gen(seed_for(name), LARGE)


def _pattern(length: int, needle: int, every: int, other: int) -> bytes:
    """`needle` at every `every`-th offset (from 0), `other` elsewhere."""
    return bytes(needle if i % every == 0 else other for i in range(length))


def count_byte_cases() -> Iterator[Case]:
    yield "count-byte/empty", "count-byte", {"needle": 0}, Input.hex(b"")
    # Random data, needle taken from the data so it is present at least once (sparsely).
    for length in range(0, 301):
        name = f"count-byte/len-{length}"
        data = Input.gen(seed_for(name), length)
        needle = data.data[length // 2] if length else 0x2A
        yield name, "count-byte", {"needle": needle}, data
    # Dense: the needle at every third byte, so every vector lane and tail position sees hits.
    for length in range(0, 301, 3):
        needle = (length * 37) & 0xFF
        data = _pattern(length, needle, 3, needle ^ 0x55)
        yield f"count-byte/dense/len-{length}", "count-byte", {"needle": needle}, Input.hex(data)
    # Bytes with the sign bit set, zero, and 0xFF: signed-compare and sum-of-masks pitfalls.
    for needle in (0x00, 0x01, 0x7F, 0x80, 0xFE, 0xFF):
        for length in (1, 15, 16, 17, 31, 32, 33, 63, 64, 65, 127, 128, 129):
            data = bytes([needle]) * length
            yield (
                f"count-byte/all/needle-{needle:02x}/len-{length}",
                "count-byte",
                {"needle": needle},
                Input.hex(data),
            )
            data = _pattern(length, needle, 2, needle ^ 0x80)
            yield (
                f"count-byte/alternate/needle-{needle:02x}/len-{length}",
                "count-byte",
                {"needle": needle},
                Input.hex(data),
            )
    # Sparse: one needle at each position of a 100-byte field of other bytes.
    for pos in range(0, 100):
        data = bytearray(b"\x11" * 100)
        data[pos] = 0x22
        yield f"count-byte/single/pos-{pos}", "count-byte", {"needle": 0x22}, Input.hex(bytes(data))
    # Absent.
    for length in (1, 16, 64, 200, 300):
        name = f"count-byte/absent/len-{length}"
        data = Input.gen(seed_for(name), length)
        needle = next(b for b in range(256) if b not in data.data)
        assert ref_count_byte(data.data, needle) == 0
        yield name, "count-byte", {"needle": needle}, data
    yield "count-byte/absent/fill", "count-byte", {"needle": 0x00}, Input.hex(b"\xff" * 300)
    # Dense and long enough to overflow any 8-bit per-lane counter that is not flushed in time
    # (more than 255 hits per lane of a 64-byte vector).
    data = bytes([0xC3]) * (16 * KIB + 3)
    yield "count-byte/dense-long/all", "count-byte", {"needle": 0xC3}, Input.hex(data)
    data = _pattern(20 * KIB + 5, 0x00, 7, 0x01)
    yield "count-byte/dense-long/every-7th", "count-byte", {"needle": 0x00}, Input.hex(data)
    for length in (64 * KIB, LARGE):
        for needle in (0x00, 0x80, 0xFF):
            name = f"count-byte/large/len-{length}/needle-{needle:02x}"
            yield name, "count-byte", {"needle": needle}, Input.gen(seed_for(name), length)


# Every length 0..=300 for these (the element sizes with dedicated vector paths).
SHUFFLE_SWEEP_SIZES = (2, 4, 8)
# Boundary lengths for these: n elements plus a tail of 0, 1 or elem_size - 1 bytes.
SHUFFLE_SIZES = (1, 2, 3, 4, 5, 7, 8, 9, 12, 16, 17, 32, 64, 255)
SHUFFLE_COUNTS = (1, 2, 3, 7, 15, 16, 17, 31, 32, 33, 63, 64, 65, 128, 257)
# elem_size outside 1..=255.
BAD_ELEM_SIZES = (0, 256, 1000, MASK32)


def _transform_cases(kernel: str) -> Iterator[Case]:
    for es in (1, 2, 3, 4, 7, 8, 16, 255):
        yield f"{kernel}/empty/es-{es}", kernel, {"elem_size": es}, Input.hex(b"")
    for es in SHUFFLE_SWEEP_SIZES:
        for length in range(0, 301):
            name = f"{kernel}/es-{es}/len-{length}"
            yield name, kernel, {"elem_size": es}, Input.gen(seed_for(name), length)
    for es in SHUFFLE_SIZES:
        lengths = set(range(0, min(3 * es, 40) + 1))
        for n in SHUFFLE_COUNTS:
            for tail in (0, 1, es - 1):
                length = n * es + tail
                # Mid-size outputs are stored whole; keep their number (and the file) small.
                if length <= 300 or length > HEX_OUTPUT_LIMIT or n in (32, 64, 65):
                    lengths.add(length)
        for length in sorted(lengths):
            if es in SHUFFLE_SWEEP_SIZES and length <= 300:
                continue
            name = f"{kernel}/es-{es}/len-{length}"
            yield name, kernel, {"elem_size": es}, Input.gen(seed_for(name), length)
    # Small inputs shorter than one element: everything is tail.
    yield f"{kernel}/tail-only", kernel, {"elem_size": 255}, Input.hex(bytes(range(254)))
    for es in (1, 2, 3, 4, 8, 16, 255):
        for length in (64 * KIB, LARGE):
            name = f"{kernel}/large/es-{es}/len-{length}"
            yield name, kernel, {"elem_size": es}, Input.gen(seed_for(name), length)
    for es in BAD_ELEM_SIZES:
        yield f"{kernel}/bad-elem-size-{es}/empty", kernel, {"elem_size": es}, Input.hex(b"")
        name = f"{kernel}/bad-elem-size-{es}/len-16"
        yield name, kernel, {"elem_size": es}, Input.gen(seed_for(name), 16)


def shuffle_cases() -> Iterator[Case]:
    yield "shuffle/doc-example", "shuffle", {"elem_size": 2}, Input.hex(bytes(range(1, 9)))
    yield from _transform_cases("shuffle")


def unshuffle_cases() -> Iterator[Case]:
    yield "unshuffle/doc-example", "unshuffle", {"elem_size": 2}, Input.hex(
        bytes([1, 3, 5, 7, 2, 4, 6, 8])
    )
    yield from _transform_cases("unshuffle")


CASE_SETS = (crc32c_cases, count_byte_cases, shuffle_cases, unshuffle_cases)


# --------------------------------------------------------------------------------------------
# Output


def expect(references: dict, kernel: str, args: dict, data: bytes) -> dict:
    """The expected outcome of `kernel(data, **args)`, computed by the reference."""
    try:
        result = references[kernel](data, **args)
    except InvalidArgument:
        return {"error": {"kind": "invalid-argument"}}
    except InvalidData as e:
        return {"error": {"kind": "invalid-data", "offset": e.offset}}
    except TooLarge:
        return {"error": {"kind": "too-large"}}
    if result is None or isinstance(result, int):
        assert not isinstance(result, bool), f"{kernel}: reference returned a bool"
        return {"value": result}
    if isinstance(result, dict):
        return result
    if len(result) <= HEX_OUTPUT_LIMIT:
        return {"hex": bytes(result).hex()}
    return {"sha256": hashlib.sha256(result).hexdigest(), "len": len(result)}


def generate(references: dict, case_sets) -> str:
    """One family's complete file text: one case per line, so diffs stay readable."""
    lines = []
    names = set()
    for case_set in case_sets:
        for name, kernel, args, inp in case_set():
            assert name not in names, f"duplicate case name {name}"
            names.add(name)
            case = {
                "name": name,
                "kernel": kernel,
                "args": args,
                "input": inp.spec,
                "expect": expect(references, kernel, args, inp.data),
            }
            lines.append(json.dumps(case, separators=(",", ":")))
    return '{"version":%d,"cases":[\n%s\n]}\n' % (FORMAT_VERSION, ",\n".join(lines))


def families() -> dict[str, ModuleType | None]:
    """Every family: `core` (None: this module) and each `families/<name>.py`."""
    found: dict[str, ModuleType | None] = {"core": None}
    sys.path.insert(0, str(HERE))
    for path in sorted(FAMILY_DIR.glob("*.py")):
        if not path.name.startswith("_"):
            found[path.stem] = importlib.import_module(f"families.{path.stem}")
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="fail if a file differs")
    parser.add_argument("--family", action="append", help="only this family (repeatable)")
    opts = parser.parse_args()
    all_families = families()
    chosen = opts.family or list(all_families)
    status = 0
    for family in chosen:
        if family not in all_families:
            print(f"unknown family {family!r}; have {sorted(all_families)}", file=sys.stderr)
            return 2
        module = all_families[family]
        if module is None:
            text = generate(REFERENCES, CASE_SETS)
        else:
            text = generate(module.REFERENCES, module.CASE_SETS)
        out = HERE / f"{family}.json"
        cases = text.count(chr(10)) - 2
        if opts.check:
            current = out.read_text() if out.exists() else ""
            if current != text:
                print(f"{out} is out of date: run python3 tests/vectors/generate.py", file=sys.stderr)
                status = 1
            else:
                print(f"{out.name}: up to date ({cases} cases)")
            continue
        out.write_text(text)
        print(f"wrote {out.name}: {cases} cases, {len(text)} bytes")
    if opts.check and not opts.family:
        known = {f"{name}.json" for name in all_families}
        for stray in sorted(p.name for p in HERE.glob("*.json")):
            if stray not in known:
                print(f"{stray} belongs to no family: delete it", file=sys.stderr)
                status = 1
    return status


if __name__ == "__main__":
    # Run as a script, this module is __main__; families import it as `generate`, so register
    # this instance under that name too instead of loading a second copy.
    sys.modules.setdefault("generate", sys.modules[__name__])
    sys.exit(main())
