"""Vectors for the checksum family: crc32 (CRC-32/ISO-HDLC) and xxh3-64.

References:
* crc32: Python's `zlib.crc32(data, seed)` (zlib's own C code), cross-checked on every case
  against a bitwise CRC-32 written here from the reflected polynomial 0xEDB88320 (for large
  inputs, a byte table built by that bitwise routine), which itself must give the published
  check value.
* xxh3-64: the PyPI package `xxhash` (pinned in requirements.txt), which wraps the reference C
  library; `xxh3_64_intdigest(data, seed)` must give the published check value for "" and
  agree with the streaming interface (`xxh3_64(seed=...)` fed in two parts).
"""

from __future__ import annotations

import zlib
from typing import Iterator

import xxhash

from generate import KIB, LARGE, MASK32, MASK64, MIB, Case, Input, seed_for, splitmix64

CRC32_POLY_REFLECTED = 0xEDB88320


def crc32_bitwise(data: bytes, seed: int = 0) -> int:
    """CRC-32 bit by bit from the reflected polynomial; init and xorout 0xFFFFFFFF."""
    crc = seed ^ MASK32
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ (CRC32_POLY_REFLECTED if crc & 1 else 0)
    return crc ^ MASK32


assert crc32_bitwise(b"123456789") == 0xCBF43926, "bitwise CRC-32 misses the check value"


def _crc32_table() -> list[int]:
    """Byte table whose entries are the bitwise routine's state after one byte."""
    table = []
    for i in range(256):
        crc = i
        for _ in range(8):
            crc = (crc >> 1) ^ (CRC32_POLY_REFLECTED if crc & 1 else 0)
        table.append(crc)
    return table


CRC32_TABLE = _crc32_table()


def crc32_table(data: bytes, seed: int = 0) -> int:
    """The bitwise routine a byte at a time (fast enough for megabyte inputs)."""
    crc = seed ^ MASK32
    for byte in data:
        crc = CRC32_TABLE[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ MASK32


def ref_crc32(data: bytes, seed: int) -> int:
    """zlib's CRC-32, insisting that the hand-written one agrees."""
    got = zlib.crc32(data, seed)
    mine = crc32_bitwise(data, seed) if len(data) <= 4 * KIB else crc32_table(data, seed)
    assert got == mine, f"zlib {got:#x} != hand-written {mine:#x} (len {len(data)})"
    return got


def ref_xxh3_64(data: bytes, seed: int) -> int:
    """The reference library's XXH3-64, one-shot and streaming in two parts agreeing."""
    got = xxhash.xxh3_64_intdigest(data, seed)
    stream = xxhash.xxh3_64(seed=seed)
    stream.update(data[: len(data) // 3])
    stream.update(data[len(data) // 3 :])
    assert stream.intdigest() == got, f"xxhash streaming disagrees (len {len(data)})"
    return got


assert ref_xxh3_64(b"", 0) == 0x2D06800538D394C2, "xxhash misses the XXH3-64 check value"

REFERENCES = {
    "crc32": lambda data, seed: ref_crc32(data, seed),
    "xxh3-64": lambda data, seed: ref_xxh3_64(data, seed),
}


def crc32_cases() -> Iterator[Case]:
    check = Input.hex(b"123456789")
    assert ref_crc32(check.data, 0) == 0xCBF43926
    yield "crc32/check-value", "crc32", {"seed": 0}, check
    yield "crc32/empty", "crc32", {"seed": 0}, Input.hex(b"")
    for seed in (1, 0xDEADBEEF, MASK32):
        yield f"crc32/empty/seed-{seed:08x}", "crc32", {"seed": seed}, Input.hex(b"")
    yield "crc32/quick-brown-fox", "crc32", {"seed": 0}, Input.hex(
        b"The quick brown fox jumps over the lazy dog"
    )
    for length in range(0, 301):
        name = f"crc32/len-{length}"
        yield name, "crc32", {"seed": 0}, Input.gen(seed_for(name), length)
    for fill in (0x00, 0xFF):
        for length in (1, 4, 16, 32, 100, 300):
            yield (
                f"crc32/fill-{fill:02x}/len-{length}",
                "crc32",
                {"seed": 0},
                Input.hex(bytes([fill]) * length),
            )
    # Arbitrary seeds: the kernel must start from ~seed, whatever the input length.
    for seed in (1, 0x12345678, 0xCBF43926, MASK32):
        for length in (1, 7, 8, 15, 16, 17, 31, 64, 127, 128, 255, 256, 1000, 1024, 4096, 4099):
            name = f"crc32/seed-{seed:08x}/len-{length}"
            yield name, "crc32", {"seed": seed}, Input.gen(seed_for(name), length)
    # Continuation: the seed is the CRC of a first part; the result must equal the CRC of the
    # concatenation (checked here against zlib computing the whole at once).
    for first, second in (
        (0, 5), (1, 1), (3, 64), (64, 3), (9, 15), (100, 1000), (4096, 4096), (65536, 7),
        (7, 65536 + 9),
    ):
        name = f"crc32/continue/{first}+{second}"
        a = splitmix64(seed_for(name + "/a"), first)
        b = Input.gen(seed_for(name + "/b"), second)
        seed = ref_crc32(a, 0)
        assert ref_crc32(b.data, seed) == zlib.crc32(a + b.data), name
        yield name, "crc32", {"seed": seed}, b
    for length in (1023, 1024, 1025, 64 * KIB, 64 * KIB + 1, MIB, LARGE):
        name = f"crc32/large/len-{length}"
        yield name, "crc32", {"seed": 0}, Input.gen(seed_for(name), length)
    name = f"crc32/large/seeded/len-{LARGE}"
    yield name, "crc32", {"seed": 0x9E3779B9}, Input.gen(seed_for(name), LARGE)


# Seeds for the xxh3-64 sweeps: zero (the default secret), one, all ones, and a fixed
# random 64-bit value (read as u64: larger than any float keeps exactly).
XXH3_SEEDS = (0, 1, MASK64, 0xA3C5_9AC2_F1E6_5B07)


def xxh3_cases() -> Iterator[Case]:
    yield "xxh3-64/check-value", "xxh3-64", {"seed": 0}, Input.hex(b"")
    yield "xxh3-64/abc", "xxh3-64", {"seed": 0}, Input.hex(b"abc")
    # Every length through all the short paths (0-3, 4-8, 9-16, 17-128, 129-240) and into the
    # long one, with every seed.
    for seed in XXH3_SEEDS:
        for length in range(0, 301):
            name = f"xxh3-64/seed-{seed:016x}/len-{length}"
            yield name, "xxh3-64", {"seed": seed}, Input.gen(seed_for(name), length)
    # Stripe (64) and block (1024) boundaries of the long path, and large inputs.
    boundaries = []
    for edge in (320, 384, 512, 1024, 2048, 16 * KIB, 64 * KIB):
        boundaries += [edge - 1, edge, edge + 1]
    boundaries += [MIB, LARGE]
    for seed in XXH3_SEEDS:
        for length in boundaries:
            name = f"xxh3-64/seed-{seed:016x}/boundary/len-{length}"
            yield name, "xxh3-64", {"seed": seed}, Input.gen(seed_for(name), length)
    for fill in (0x00, 0xFF):
        for length in (0, 1, 16, 17, 128, 129, 240, 241, 1024, 4096):
            yield (
                f"xxh3-64/fill-{fill:02x}/len-{length}",
                "xxh3-64",
                {"seed": 0},
                Input.hex(bytes([fill]) * length),
            )
    # Seeds that stress the 32-bit halves (the 4..8-byte path swaps the low half into the
    # high one) and the derived secret of long inputs.
    for seed in (0xFFFF_FFFF, 1 << 32, 0x8000_0000_0000_0000, 0x0123_4567_89AB_CDEF):
        for length in (4, 5, 8, 9, 16, 100, 200, 241, 5000):
            name = f"xxh3-64/seed-{seed:016x}/len-{length}"
            yield name, "xxh3-64", {"seed": seed}, Input.gen(seed_for(name), length)


CASE_SETS = (crc32_cases, xxh3_cases)
