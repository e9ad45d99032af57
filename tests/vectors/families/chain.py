"""Vectors for run-chain (interface chain): transform and codec kernels applied in order.

Reference: the composition of the other families' independent references, imported, not
re-derived: shuffle / unshuffle from generate.py (core), delta-encode, delta-decode, byteswap,
extract-field from families/transform.py, hex and base64 from families/text.py, varint and bit
packing from families/bits.py. Each stage runs its kernel's reference on the previous stage's
output; the chain adds only its own rules (KERNELS.md "chain", docs/abi.md section 3):
varint-encode reads u64 LE and bitpack u32 LE values, so an input length that is not a
multiple of 8 (resp. 4) is invalid-argument at that stage; varint-decode and bitunpack write
their values LE (as the bits family's references already do); an empty chain returns the
input; more than 64 stages is invalid-argument at stage 64. A failing stage's error carries
its index (`"stage"`) and its kernel's offset, relative to that stage's input.

Coverage: every stage kind alone with valid and invalid parameters on inputs made for it (so
a one-stage chain equals its kernel); the telemetry record's field chains (contract E:
extract-field, delta-encode, shuffle) and their inverses, from 0 to 100 records, with a
partial last record, and 64 KiB + 7 of random records; round trips of encode stages followed
by their inverses at lengths 0 to 4099; integer stages inside chains (varint round trips
through hex, bitunpack then bitpack, truncation and length errors at inner stages); errors
at stages 0 to 5 with offsets relative to the failing stage's input; empty chains, 64
stages, 65, 100 and 200 stages (a bad first stage does not win over the limit); 200
pseudo-random chains of 1 to 6 stages of all 14 kinds with valid and invalid parameters
(each drawn so no intermediate exceeds 16 KiB).
"""

from __future__ import annotations

import struct
from typing import Iterator

from families import bits, text, transform
from generate import (
    KIB,
    REFERENCES as CORE_REFERENCES,
    Case,
    Input,
    InvalidArgument,
    InvalidData,
    TooLarge,
    seed_for,
    splitmix64,
)

MAX_STAGES = 64

# Stage kind (the WIT `chain.stage` case name, which is its kernel's name) -> the kernel's
# reference, taking (data, **params).
KERNEL_REFERENCES = {
    "shuffle": CORE_REFERENCES["shuffle"],
    "unshuffle": CORE_REFERENCES["unshuffle"],
    **transform.REFERENCES,
    **text.REFERENCES,
    **bits.REFERENCES,
}

# The stage kinds in WIT order.
KINDS = (
    "shuffle",
    "unshuffle",
    "delta-encode",
    "delta-decode",
    "byteswap",
    "extract-field",
    "hex-encode",
    "hex-decode",
    "base64-encode",
    "base64-decode",
    "varint-encode",
    "varint-decode",
    "bitpack",
    "bitunpack",
)
assert set(KINDS) == set(KERNEL_REFERENCES), "a stage kind without a reference"

# The stages that read integer lists: the byte size of one integer.
READS = {"varint-encode": 8, "bitpack": 4}


def run_stage(kind: str, params: dict, data: bytes) -> bytes:
    """One stage: its kernel's reference, after the chain's element-size rule."""
    unit = READS.get(kind)
    if unit and len(data) % unit:
        # (bitpack's `bits` is checked first by the kernel, but it is invalid-argument too.)
        raise InvalidArgument(f"{kind}: input length is not a multiple of {unit}")
    return KERNEL_REFERENCES[kind](data, **params)


def ref_run_chain(data: bytes, stages: list[dict]) -> bytes | dict:
    """The chain's output bytes, or the whole `expect` object of its error."""
    if len(stages) > MAX_STAGES:
        return {"error": {"kind": "invalid-argument", "stage": MAX_STAGES}}
    for index, stage in enumerate(stages):
        try:
            data = run_stage(stage["kind"], stage["params"], data)
        except InvalidArgument:
            return {"error": {"kind": "invalid-argument", "stage": index}}
        except InvalidData as e:
            return {"error": {"kind": "invalid-data", "offset": e.offset, "stage": index}}
        except TooLarge:
            return {"error": {"kind": "too-large", "stage": index}}
    return data


REFERENCES = {"run-chain": ref_run_chain}


# --------------------------------------------------------------------------------------------
# Stages


def st(kind: str, **params) -> dict:
    """A stage in the vector form: `{"kind": ..., "params": {...}}`."""
    assert kind in KINDS, kind
    return {"kind": kind, "params": params}


def spec(text_: str) -> list[dict]:
    """Stages from a compact `kind:p=v,...;kind` text (test-writing shorthand only)."""
    stages = []
    for part in filter(None, text_.split(";")):
        kind, _, rest = part.partition(":")
        params = {}
        for kv in filter(None, rest.split(",")):
            key, _, value = kv.partition("=")
            if value in ("true", "false"):
                params[key] = value == "true"
            elif value in ("standard", "url-safe"):
                params[key] = value
            else:
                params[key] = int(value)
        stages.append(st(kind, **params))
    return stages


def chain_case(name: str, stages: list[dict], data: Input) -> Case:
    return name, "run-chain", {"stages": stages}, data


# --------------------------------------------------------------------------------------------
# Inputs


def gen(name: str, length: int) -> Input:
    return Input.gen(seed_for(name), length)


def u64s(values: list[int]) -> bytes:
    return b"".join(v.to_bytes(8, "little") for v in values)


def u32s(values: list[int]) -> bytes:
    return b"".join(v.to_bytes(4, "little") for v in values)


def small_u32s(name: str, n: int, bits_: int) -> bytes:
    """`n` u32 LE values below 2^bits_."""
    raw = splitmix64(seed_for(name), 4 * n)
    mask = (1 << bits_) - 1
    return u32s([int.from_bytes(raw[i : i + 4], "little") & mask for i in range(0, 4 * n, 4)])


def telemetry(name: str, records: int) -> bytes:
    """Contract E's 32-byte records: timestamp u64 (ns, ~1 ms steps with jitter), sensor_id
    u32, seq u32 (per sensor), reading f64, temperature f32, flags u32 (bit 0 = valid)."""
    raw = splitmix64(seed_for(name), 8 * records)
    out = bytearray()
    t = 1_700_000_000_000_000_000
    seqs: dict[int, int] = {}
    for i in range(records):
        r = int.from_bytes(raw[8 * i : 8 * i + 8], "little")
        t += 1_000_000 + (r & 0xFFFF) - 0x8000
        sensor = (r >> 16) % 8
        seqs[sensor] = seqs.get(sensor, 0) + 1
        reading = 20.0 + ((r >> 24) & 0xFFFF) / 1000.0
        temperature = 15.0 + ((r >> 40) & 0xFF) / 10.0
        flags = 1 if (r >> 48) % 16 else 0
        out += struct.pack("<QIIdfI", t, sensor, seqs[sensor], reading, temperature, flags)
    return bytes(out)


# Contract E: each telemetry field (offset, width) and its encoding chain after extraction.
TELEMETRY_FIELDS = {
    "timestamp": (0, 8, "delta-encode:width=8;shuffle:elem_size=8"),
    "sensor_id": (8, 4, "shuffle:elem_size=4"),
    "seq": (12, 4, "delta-encode:width=4;shuffle:elem_size=4"),
    "reading": (16, 8, "shuffle:elem_size=8"),
    "temperature": (24, 4, "shuffle:elem_size=4"),
    "flags": (28, 4, "shuffle:elem_size=4"),
}

# The stage that undoes each invertible stage kind (with the same parameters).
INVERSE = {
    "shuffle": "unshuffle",
    "unshuffle": "shuffle",
    "delta-encode": "delta-decode",
    "delta-decode": "delta-encode",
    "byteswap": "byteswap",
    "base64-encode": "base64-decode",
}


def inverse(stages: list[dict]) -> list[dict]:
    """The stages undoing `stages` (all invertible), in reverse order."""
    out = []
    for s in reversed(stages):
        if s["kind"] == "hex-encode":
            out.append(st("hex-decode"))
        else:
            out.append(st(INVERSE[s["kind"]], **s["params"]))
    return out


# --------------------------------------------------------------------------------------------
# Cases


def single_stage_cases() -> Iterator[Case]:
    """Every kind alone, valid and invalid parameters, on inputs made for it."""
    data = gen("chain/single/data", 37)
    for es in (1, 4, 8, 255, 0, 256):
        for kind in ("shuffle", "unshuffle"):
            yield chain_case(f"chain/single/{kind}/es-{es}", [st(kind, elem_size=es)], data)
    for w in (1, 2, 4, 8, 0, 3, 16):
        for kind in ("delta-encode", "delta-decode"):
            yield chain_case(f"chain/single/{kind}/w-{w}", [st(kind, width=w)], data)
    for w in (2, 4, 8, 1, 16):
        yield chain_case(f"chain/single/byteswap/w-{w}", [st("byteswap", width=w)], data)
    records = gen("chain/single/records", 100)
    for rs, off, w in ((32, 8, 4), (3, 1, 1), (7, 0, 7), (4, 3, 2), (0, 0, 1), (5, 0, 0)):
        yield chain_case(
            f"chain/single/extract-field/{rs}-{off}-{w}",
            [st("extract-field", record_size=rs, offset=off, width=w)],
            records,
        )
    for upper in (False, True):
        yield chain_case(
            f"chain/single/hex-encode/upper-{upper}", [st("hex-encode", uppercase=upper)], data
        )
    for label, raw in (
        ("valid", b"00ff7F80aB"),
        ("bad", b"00ff7g80"),
        ("odd", b"00ff7"),
        ("empty", b""),
    ):
        yield chain_case(f"chain/single/hex-decode/{label}", [st("hex-decode")], Input.hex(raw))
    for alphabet in ("standard", "url-safe"):
        for padding in (False, True):
            mode = f"{alphabet}/pad-{padding}"
            p = {"alphabet": alphabet, "padding": padding}
            yield chain_case(f"chain/single/base64-encode/{mode}", [st("base64-encode", **p)], data)
            valid = text.b64_encode(data.data, alphabet, padding)
            yield chain_case(
                f"chain/single/base64-decode/{mode}/valid",
                [st("base64-decode", **p)],
                Input.hex(valid),
            )
            yield chain_case(
                f"chain/single/base64-decode/{mode}/bad",
                [st("base64-decode", **p)],
                Input.hex(valid[:10] + b"*" + valid[11:]),
            )
    values = u64s(bits.mixed_values("chain/single/varint", 20))
    yield chain_case("chain/single/varint-encode/valid", [st("varint-encode")], Input.hex(values))
    for cut in (1, 7, 9):
        yield chain_case(
            f"chain/single/varint-encode/len-{len(values) - cut}",
            [st("varint-encode")],
            Input.hex(values[:-cut]),
        )
    encoded = bits.ref_varint_encode(values)
    yield chain_case("chain/single/varint-decode/valid", [st("varint-decode")], Input.hex(encoded))
    yield chain_case(
        "chain/single/varint-decode/cut", [st("varint-decode")], Input.hex(encoded + b"\x80")
    )
    yield chain_case(
        "chain/single/varint-decode/tenth-byte",
        [st("varint-decode")],
        Input.hex(encoded + b"\xff" * 9 + b"\x02"),
    )
    packable = small_u32s("chain/single/bitpack", 21, 5)
    for b in (5, 6, 32, 4, 33):
        stages = [st("bitpack", bits=b)]
        yield chain_case(f"chain/single/bitpack/bits-{b}", stages, Input.hex(packable))
    yield chain_case("chain/single/bitpack/len-6", [st("bitpack", bits=8)], Input.hex(packable[:6]))
    for b, count in ((5, 10), (0, 7), (32, 9), (13, 22), (33, 1)):
        yield chain_case(
            f"chain/single/bitunpack/bits-{b}/count-{count}",
            [st("bitunpack", bits=b, count=count)],
            data,
        )


def telemetry_cases() -> Iterator[Case]:
    """Contract E's field chains and their inverses; a partial last record is ignored."""
    for records in (0, 1, 7, 100):
        for tail in (0, 5) if records == 7 else (0,):
            name = f"chain/telemetry/records-{records}+{tail}"
            raw = telemetry(name, records) + bytes(range(tail))
            for field, (offset, width, encoding) in TELEMETRY_FIELDS.items():
                encode = [st("extract-field", record_size=32, offset=offset, width=width)]
                encode += spec(encoding)
                yield chain_case(f"{name}/{field}/encode", encode, Input.hex(raw))
                column = transform.ref_extract_field(raw, 32, offset, width)
                stored = ref_run_chain(column, spec(encoding))
                yield chain_case(
                    f"{name}/{field}/decode", inverse(spec(encoding)), Input.hex(stored)
                )
    # 2048 random 32-byte records and a partial one (64 KiB + 7): outputs by digest.
    name = "chain/telemetry/random-records-2048"
    for field in ("timestamp", "seq"):
        offset, width, encoding = TELEMETRY_FIELDS[field]
        encode = [st("extract-field", record_size=32, offset=offset, width=width)]
        stages = encode + spec(encoding)
        yield chain_case(f"{name}/{field}/encode", stages, gen(name, 64 * KIB + 7))


# Invertible chains; each case runs the chain then its inverse.
ROUND_TRIPS = (
    "shuffle:elem_size=4",
    "delta-encode:width=8;shuffle:elem_size=8",
    "byteswap:width=4;delta-encode:width=4;shuffle:elem_size=4",
    "hex-encode:uppercase=true",
    "base64-encode:alphabet=url-safe,padding=false",
    "delta-encode:width=2;hex-encode:uppercase=false;base64-encode:alphabet=standard,padding=true",
    "unshuffle:elem_size=3;delta-decode:width=1;byteswap:width=8",
)


def round_trip_cases() -> Iterator[Case]:
    for i, chain in enumerate(ROUND_TRIPS):
        stages = spec(chain)
        for length in (0, 1, 15, 64, 257, 4099):
            name = f"chain/round-trip/{i}/len-{length}"
            data = gen(name, length)
            both = stages + inverse(stages)
            assert ref_run_chain(data.data, both) == data.data, name
            yield chain_case(name, both, data)


def integer_cases() -> Iterator[Case]:
    """The integer stages inside chains."""
    values = u64s(bits.mixed_values("chain/integers/values", 64))
    for label, chain in (
        ("varint", "varint-encode;varint-decode"),
        ("varint-hex", "varint-encode;hex-encode:uppercase=false;hex-decode;varint-decode"),
        ("varint-shuffle", "varint-encode;shuffle:elem_size=3;unshuffle:elem_size=3;varint-decode"),
        ("delta-varint", "delta-encode:width=8;varint-encode;varint-decode;delta-decode:width=8"),
    ):
        yield chain_case(f"chain/integers/{label}", spec(chain), Input.hex(values))
    packed = gen("chain/integers/packed", 40)
    for b in (1, 7, 8, 13, 32):
        count = 40 * 8 // b
        yield chain_case(
            f"chain/integers/bitunpack-bitpack/bits-{b}",
            [st("bitunpack", bits=b, count=count), st("bitpack", bits=b)],
            packed,
        )
        yield chain_case(
            f"chain/integers/bitunpack-delta/bits-{b}",
            [st("bitunpack", bits=b, count=count), st("delta-encode", width=4)],
            packed,
        )
    # Errors at inner stages: truncation (offset = that stage's input length), lengths that
    # are not whole integers, a value too wide for bitpack, a cut-off varint.
    yield chain_case(
        "chain/integers/bitunpack-truncated-at-1",
        [st("extract-field", record_size=4, offset=0, width=1), st("bitunpack", bits=8, count=11)],
        packed,
    )
    yield chain_case(
        "chain/integers/varint-encode-len-at-1",
        spec("hex-decode;varint-encode"),
        Input.hex(b"00" * 12),
    )
    yield chain_case(
        "chain/integers/bitpack-len-at-2",
        spec(
            "hex-encode:uppercase=false;extract-field:record_size=3,offset=0,width=1;"
            "bitpack:bits=8"
        ),
        gen("chain/integers/len", 10),
    )
    yield chain_case(
        "chain/integers/bitpack-too-wide-at-1",
        [st("bitunpack", bits=9, count=30), st("bitpack", bits=8)],
        packed,
    )
    yield chain_case(
        "chain/integers/varint-cut-at-2",
        spec("varint-encode;extract-field:record_size=10,offset=0,width=9;varint-decode"),
        Input.hex(u64s([1 << 63] * 3)),
    )


def error_stage_cases() -> Iterator[Case]:
    """An error at stage k (0..=5), its offset relative to stage k's input."""
    bad_hex = b"0123456789abcdef" * 4
    for k in range(6):
        for pos in (0, 7, 33, 63):
            data = bad_hex[:pos] + b"x" + bad_hex[pos + 1 :]
            # k byte swaps of width 2 move the bad byte when k is odd.
            stages = [st("byteswap", width=2)] * k + [st("hex-decode")]
            yield chain_case(f"chain/error-at/{k}/hex-pos-{pos}", stages, Input.hex(data))
    text_ = text.b64_encode(gen("chain/error-at/b64", 60).data, "standard", True)
    prefixes = (
        "",
        "hex-encode:uppercase=false;hex-decode",
        "shuffle:elem_size=1;unshuffle:elem_size=5;shuffle:elem_size=5",
    )
    for k, prefix in enumerate(prefixes):
        for pos in (0, 41, 79):
            data = text_[:pos] + b"!" + text_[pos + 1 :]
            stages = spec(prefix) + spec("base64-decode:alphabet=standard,padding=true")
            yield chain_case(f"chain/error-at/b64/{k}/pos-{pos}", stages, Input.hex(data))
    # A bad parameter at the last of six stages, after five that ran.
    good = spec(
        "delta-encode:width=4;shuffle:elem_size=4;byteswap:width=2;unshuffle:elem_size=4;"
        "delta-decode:width=4"
    )
    data = gen("chain/error-at/param", 64)
    for bad in (
        "shuffle:elem_size=0",
        "delta-encode:width=3",
        "byteswap:width=1",
        "extract-field:record_size=4,offset=4,width=1",
        "bitpack:bits=40",
        "bitunpack:bits=33,count=0",
    ):
        yield chain_case(f"chain/error-at/5/param/{bad}", good + spec(bad), data)


def limit_cases() -> Iterator[Case]:
    for length in (0, 10):
        yield chain_case(f"chain/empty/len-{length}", [], gen(f"chain/empty/len-{length}", length))
    yield chain_case("chain/empty/len-5000", [], gen("chain/empty/len-5000", 5000))
    data = gen("chain/limit/data", 100)
    swap = st("byteswap", width=2)
    yield chain_case("chain/limit/64-swaps", [swap] * 64, data)
    yield chain_case("chain/limit/63-swaps", [swap] * 63, data)
    hex_round_trip = spec("hex-encode:uppercase=true;hex-decode")
    yield chain_case("chain/limit/32-hex-round-trips", hex_round_trip * 32, data)
    for n in (65, 100, 200):
        yield chain_case(f"chain/limit/{n}-swaps", [swap] * n, data)
    yield chain_case("chain/limit/65-bad-first", [st("byteswap", width=3)] + [swap] * 64, data)
    empty = Input.hex(b"")
    yield chain_case("chain/empty-input/hex", spec("hex-decode;hex-encode:uppercase=false"), empty)
    integers = spec("varint-encode;varint-decode;bitpack:bits=3")
    yield chain_case("chain/empty-input/integers", integers, empty)


class Rand:
    """A deterministic stream of choices from SplitMix64 output."""

    def __init__(self, name: str):
        self.raw = splitmix64(seed_for(name), 8 * 4096)
        self.i = 0

    def below(self, n: int) -> int:
        word = int.from_bytes(self.raw[8 * self.i : 8 * self.i + 8], "little")
        self.i += 1
        return word % n

    def pick(self, items):
        return items[self.below(len(items))]


def random_stage(r: Rand, length: int) -> dict:
    """A stage of any kind; parameters valid about 6 times in 7."""
    kind = r.pick(KINDS)
    bad = r.below(7) == 0
    if kind in ("shuffle", "unshuffle"):
        return st(kind, elem_size=r.pick((0, 256, 1000)) if bad else 1 + r.below(16))
    if kind in ("delta-encode", "delta-decode"):
        return st(kind, width=r.pick((0, 3, 5, 255)) if bad else r.pick((1, 2, 4, 8)))
    if kind == "byteswap":
        return st(kind, width=r.pick((0, 1, 3, 16)) if bad else r.pick((2, 4, 8)))
    if kind == "extract-field":
        if bad:
            return st(kind, record_size=r.below(5), offset=r.below(5), width=r.pick((0, 5, 9)))
        rs = 1 + r.below(40)
        off = r.below(rs)
        return st(kind, record_size=rs, offset=off, width=1 + r.below(rs - off))
    if kind == "hex-encode":
        return st(kind, uppercase=bool(r.below(2)))
    if kind in ("base64-encode", "base64-decode"):
        return st(kind, alphabet=r.pick(("standard", "url-safe")), padding=bool(r.below(2)))
    if kind == "bitpack":
        return st(kind, bits=33 + r.below(200) if bad else r.below(33))
    if kind == "bitunpack":
        b = 33 + r.below(200) if bad else r.below(33)
        fits = length * 8 // max(b, 1)
        return st(kind, bits=b, count=r.below(min(fits, 600) + 2))
    return st(kind)


def random_data(r: Rand, name: str) -> bytes:
    """Random bytes, or text and integer streams the decoders accept."""
    length = r.pick((0, 1, 3, 8, 16, 24, 40, 64, 100, 255, 256))
    raw = splitmix64(seed_for(name), length)
    form = r.below(5)
    if form == 1:
        return text.ref_hex_encode(raw, bool(r.below(2)))
    if form == 2:
        return text.b64_encode(raw, r.pick(("standard", "url-safe")), bool(r.below(2)))
    if form == 3:
        return bits.ref_varint_encode(u64s(bits.mixed_values(name, length // 8)))
    return raw


# Intermediates larger than this are avoided when drawing random chains.
RANDOM_LIMIT = 16 * KIB


def random_cases() -> Iterator[Case]:
    for i in range(200):
        name = f"chain/random/{i}"
        r = Rand(name)
        data = random_data(r, name)
        stages: list[dict] = []
        current: bytes | None = data
        for _ in range(1 + r.below(6)):
            for _attempt in range(20):
                stage = random_stage(r, len(current) if current is not None else 0)
                if current is None:
                    break
                out = ref_run_chain(current, [stage])
                if isinstance(out, dict) or len(out) <= RANDOM_LIMIT:
                    break
            stages.append(stage)
            if current is not None:
                out = ref_run_chain(current, [stage])
                current = None if isinstance(out, dict) else out
        yield chain_case(name, stages, Input.hex(data))


CASE_SETS = (
    single_stage_cases,
    telemetry_cases,
    round_trip_cases,
    integer_cases,
    error_stage_cases,
    limit_cases,
    random_cases,
)
