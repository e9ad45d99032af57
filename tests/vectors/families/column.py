"""Vectors for the column family: compare, select, aggregate.

References: numpy over typed arrays (`np.frombuffer` with little-endian dtypes) for the
comparisons, the selection (boolean-mask indexing) and the integer minima, maxima and sums
(numpy's fixed-width sums wrap, cross-checked against Python integers reduced mod 2^64);
`np.packbits(..., bitorder="little")` for the bitmaps. The contract's float rules are written
out here in Python: NaNs dropped before min/max, -0.0 ordered before +0.0, the sum in 8 lanes
(lane k takes elements i with i % 8 == k, in order, as Python floats, i.e. f64) combined as
((l0+l1)+(l2+l3))+((l4+l5)+(l6+l7)), and a NaN sum reported as the canonical quiet NaN
0x7FF8000000000000 (IEEE 754 leaves a NaN's sign and payload open, and ISAs differ).
"""

from __future__ import annotations

import struct
from typing import Iterator

import numpy as np

from generate import KIB, Case, Input, InvalidArgument, seed_for, splitmix64

MASK64 = (1 << 64) - 1
CANONICAL_NAN = 0x7FF8_0000_0000_0000

# WIT order; each type's numpy dtype and class.
TYPES = {
    "u8": ("<u1", "unsigned"),
    "u16": ("<u2", "unsigned"),
    "u32": ("<u4", "unsigned"),
    "u64": ("<u8", "unsigned"),
    "i8": ("<i1", "signed"),
    "i16": ("<i2", "signed"),
    "i32": ("<i4", "signed"),
    "i64": ("<i8", "signed"),
    "f32": ("<f4", "float"),
    "f64": ("<f8", "float"),
}
OPS = ("eq", "ne", "lt", "le", "gt", "ge")


def width(ty: str) -> int:
    return np.dtype(TYPES[ty][0]).itemsize


def f64_bits(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def bits_f64(bits: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", bits))[0]


def fscalar(x: float) -> dict:
    """A float scalar in the vector format: the f64's bits."""
    return {"float": "0x%016x" % f64_bits(x)}


def column_of(ty: str, n: int) -> int:
    """Number of elements of `ty` in `n` bytes, or invalid-argument."""
    w = width(ty)
    if n % w:
        raise InvalidArgument("column length is not a multiple of the width")
    return n // w


def typed(data: bytes, ty: str) -> np.ndarray:
    return np.frombuffer(data, dtype=TYPES[ty][0])


# --------------------------------------------------------------------------------------------
# References


def value_of(ty: str, value: dict):
    """The comparison value as a numpy scalar of `ty`, per the class and range rules."""
    dtype, cls = TYPES[ty]
    (kind, v), = value.items()
    if kind != cls:
        raise InvalidArgument("value class does not match the column type")
    if cls == "float":
        x = np.float64(bits_f64(int(v, 16)))
        if ty == "f32":
            # Round to nearest f32 (ties to even); beyond the range becomes +-inf.
            with np.errstate(over="ignore"):
                return x.astype(np.float32)
        return x
    info = np.iinfo(np.dtype(dtype))
    if not info.min <= v <= info.max:
        raise InvalidArgument("value not representable")
    return np.array(v, dtype=dtype)[()]


def ref_compare(data: bytes, ty: str, op: str, value: dict) -> bytes:
    column_of(ty, len(data))
    v = value_of(ty, value)
    x = typed(data, ty)
    with np.errstate(invalid="ignore"):
        hit = {
            "eq": x == v,
            "ne": x != v,
            "lt": x < v,
            "le": x <= v,
            "gt": x > v,
            "ge": x >= v,
        }[op]
    return np.packbits(hit, bitorder="little").tobytes()


def ref_select(data: bytes, width: int, bitmap: str) -> bytes:
    if width not in (1, 2, 4, 8):
        raise InvalidArgument("width")
    if len(data) % width:
        raise InvalidArgument("column length is not a multiple of the width")
    n = len(data) // width
    bits = bytes.fromhex(bitmap)
    if len(bits) < (n + 7) // 8:
        raise InvalidArgument("bitmap shorter than ceil(n/8)")
    keep = np.unpackbits(np.frombuffer(bits, dtype=np.uint8), bitorder="little")[:n].astype(bool)
    return np.frombuffer(data, dtype="<u%d" % width)[keep].tobytes()


def int_scalar(cls: str, v: int) -> dict:
    return {cls: int(v)}


def float_minmax(x: np.ndarray):
    """(min, max) as Python floats with NaNs dropped and -0.0 < +0.0; (None, None) if none."""
    numbers = x[~np.isnan(x)].astype(np.float64)
    if numbers.size == 0:
        return None, None
    lo, hi = float(numbers.min()), float(numbers.max())
    zeros = numbers[numbers == 0]
    if lo == 0:
        lo = -0.0 if np.signbit(zeros).any() else 0.0
    if hi == 0:
        hi = 0.0 if (~np.signbit(zeros)).any() else -0.0
    return lo, hi


def lane_sum(x: np.ndarray) -> int:
    """The contract's 8-lane f64 sum, as bits (NaN made canonical)."""
    lanes = [0.0] * 8
    for i, v in enumerate(x.tolist()):
        lanes[i % 8] += float(v)
    l = lanes
    total = ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]))
    return CANONICAL_NAN if total != total else f64_bits(total)


def ref_aggregate(data: bytes, ty: str) -> dict:
    n = column_of(ty, len(data))
    cls = TYPES[ty][1]
    x = typed(data, ty)
    if cls == "float":
        lo, hi = float_minmax(x)
        stats = {
            "count": n,
            "min": None if lo is None else fscalar(lo),
            "max": None if hi is None else fscalar(hi),
            "sum": {"float": "0x%016x" % lane_sum(x)},
        }
    else:
        wide = np.uint64 if cls == "unsigned" else np.int64
        total = int(x.astype(wide).sum(dtype=wide))
        exact = sum(int(v) for v in x.tolist()) & MASK64
        if cls == "signed" and exact >= 1 << 63:
            exact -= 1 << 64
        assert total == exact, f"numpy's wrapping sum {total} != {exact}"
        stats = {
            "count": n,
            "min": None if n == 0 else int_scalar(cls, x.min()),
            "max": None if n == 0 else int_scalar(cls, x.max()),
            "sum": int_scalar(cls, total),
        }
    return {"stats": stats}


REFERENCES = {
    "compare": lambda data, ty, op, value: ref_compare(data, ty, op, value),
    "select": lambda data, width, bitmap: ref_select(data, width, bitmap),
    "aggregate": lambda data, ty: ref_aggregate(data, ty),
}


# --------------------------------------------------------------------------------------------
# Interesting values


def specials(ty: str) -> list[bytes]:
    """Element encodings worth testing: type limits, 0, +-1, and for floats NaNs (both signs,
    quiet and signalling), +-inf, +-0.0, subnormals, the extremes."""
    dtype, cls = TYPES[ty]
    if cls == "float":
        if ty == "f32":
            words = [0x00000000, 0x80000000, 0x3F800000, 0xBF800000, 0x3F000000, 0x7F800000,
                     0xFF800000, 0x7F7FFFFF, 0xFF7FFFFF, 0x00800000, 0x00000001, 0x80000001,
                     0x3DCCCCCD, 0x7FC00000, 0xFFC00000, 0x7F800001, 0x7FFFFFFF]
            return [w.to_bytes(4, "little") for w in words]
        words = [0x0, 1 << 63, f64_bits(1.0), f64_bits(-1.0), f64_bits(0.5), 0x7FF0 << 48,
                 0xFFF0 << 48, 0x7FEFFFFFFFFFFFFF, 0xFFEFFFFFFFFFFFFF, 0x0010000000000000, 1,
                 (1 << 63) | 1, f64_bits(0.1), f64_bits(3.5e38), 0x7FF8 << 48, 0xFFF8 << 48,
                 0x7FF0000000000001, 0x7FFFFFFFFFFFFFFF]
        return [w.to_bytes(8, "little") for w in words]
    info = np.iinfo(np.dtype(dtype))
    vals = {0, 1, 2, info.min, info.min + 1, info.max, info.max - 1, 0x7F, 0x80, 0xFF, 0x100,
            0x7FFF, 0x8000}
    if cls == "signed":
        vals |= {-1, -2, -0x80, -0x81}
    vals = sorted(v for v in vals if info.min <= v <= info.max)
    return [np.array(v, dtype=dtype).tobytes() for v in vals]


def value_for(ty: str, elem: bytes) -> dict:
    """The scalar (of `ty`'s class) equal to one element."""
    x = typed(elem, ty)[0]
    cls = TYPES[ty][1]
    if cls == "float":
        return fscalar(float(x))
    return {cls: int(x)}


def values(ty: str) -> list[dict]:
    """Comparison values: every special, and for f32 also f64 values that are not f32
    (rounding ties, overflow to +-inf, underflow to +-0)."""
    out = [value_for(ty, e) for e in specials(ty)]
    if ty == "f32":
        f32max = float(np.finfo(np.float32).max)
        out += [fscalar(v) for v in (3.5e38, -3.5e38, 1.7976931348623157e308, -1e300, 1e-320,
                                     -1e-320, 0.1, 1.0 + 2.0 ** -24, 1.0 + 2.0 ** -24 + 2.0 ** -40,
                                     f32max + 2.0 ** 103, f32max + 2.0 ** 104)]
    return out


def mixed_column(ty: str, n: int, name: str) -> bytes:
    """`n` elements, two of three taken from the specials, the rest random."""
    pool = specials(ty)
    w = width(ty)
    rnd = splitmix64(seed_for(name), 8 * n)
    out = bytearray()
    for i in range(n):
        r = int.from_bytes(rnd[8 * i:8 * i + 8], "little")
        out += (r >> 8).to_bytes(8, "little")[:w] if r % 3 == 0 else pool[(r >> 2) % len(pool)]
    return bytes(out)


# --------------------------------------------------------------------------------------------
# Cases


def compare_cases() -> Iterator[Case]:
    for ty in TYPES:
        vals = values(ty)
        w = width(ty)
        # Every length 0..70: the operator rotates, the value is a special or an element.
        # Every length 0..70: the operator rotates, the value is a special or an element.
        # Integer columns are random (gen); float columns mix in the specials.
        for n in range(0, 71):
            name = f"compare/{ty}/len-{n}"
            if TYPES[ty][1] == "float":
                inp = Input.hex(mixed_column(ty, n, name))
            else:
                inp = Input.gen(seed_for(name), n * w)
            data = inp.data
            op = OPS[n % 6]
            value = value_for(ty, data[(n // 2) * w:(n // 2) * w + w]) if n and n % 2 else vals[n % len(vals)]
            yield name, "compare", {"ty": ty, "op": op, "value": value}, inp
        # Interesting values against a column holding every special: every operator for
        # floats (NaN, zeros, infinities), two rotating operators for integers.
        data = Input.hex(b"".join(specials(ty)))
        for i, value in enumerate(vals):
            ops = OPS if TYPES[ty][1] == "float" else (OPS[i % 6], OPS[(i + 3) % 6])
            for op in ops:
                yield (f"compare/{ty}/specials/{op}/value-{i}", "compare",
                       {"ty": ty, "op": op, "value": value}, data)
        # 64 KiB of random elements (and, for some types, an odd element count).
        for size in (64 * KIB, 64 * KIB - 9 * w) if ty in ("u8", "i16", "f64") else (64 * KIB,):
            name = f"compare/{ty}/large-{size}"
            inp = Input.gen(seed_for(name), size)
            value = value_for(ty, inp.data[size // 2 // w * w:][:w])
            yield name, "compare", {"ty": ty, "op": OPS[size % 6], "value": value}, inp
    # Parameter errors: lengths, classes, ranges.
    for ty, n in (("u16", 3), ("i32", 6), ("f32", 5), ("u64", 7), ("f64", 12), ("i16", 1)):
        cls = TYPES[ty][1]
        value = fscalar(0.0) if cls == "float" else {cls: 0}
        yield (f"compare/bad-length/{ty}/{n}", "compare", {"ty": ty, "op": "eq", "value": value},
               Input.hex(bytes(n)))
    for ty in TYPES:
        cls = TYPES[ty][1]
        for other in ("unsigned", "signed", "float"):
            if other != cls:
                value = fscalar(1.0) if other == "float" else {other: 1}
                for n in (0, 8):
                    yield (f"compare/bad-class/{ty}/{other}/len-{n}", "compare",
                           {"ty": ty, "op": "lt", "value": value}, Input.hex(bytes(n)))
    for ty, v in (("u8", 256), ("u16", 65536), ("u32", 1 << 32), ("i8", 128), ("i8", -129),
                  ("i16", 32768), ("i16", -32769), ("i32", 1 << 31), ("i32", -(1 << 31) - 1),
                  ("u8", MASK64), ("i32", -(1 << 63))):
        cls = TYPES[ty][1]
        for n in (0, 8):
            yield (f"compare/unrepresentable/{ty}/{v}/len-{n}", "compare",
                   {"ty": ty, "op": "eq", "value": {cls: v}}, Input.hex(bytes(n)))
    # The edges that are representable.
    for ty, v in (("u8", 255), ("u64", MASK64), ("i8", -128), ("i64", -(1 << 63)),
                  ("i64", (1 << 63) - 1), ("u32", (1 << 32) - 1)):
        cls = TYPES[ty][1]
        name = f"compare/edge/{ty}/{v}"
        yield name, "compare", {"ty": ty, "op": "ge", "value": {cls: v}}, Input.gen(seed_for(name), 64)


def bitmap_for(n: int, density: int, name: str, extra: bool) -> str:
    """A bitmap for `n` elements, each bit set with probability density/8; the unused bits of
    the last byte (and, if `extra`, one byte after it) set, for select to ignore."""
    rnd = splitmix64(seed_for(name + "/bitmap"), n)
    bits = bytearray((n + 7) // 8)
    for i in range(n):
        if rnd[i] & 7 < density:
            bits[i // 8] |= 1 << (i % 8)
    if n % 8:
        bits[-1] |= (0xFF << (n % 8)) & 0xFF
    if extra:
        bits.append(0xFF)
    return bytes(bits).hex()


def select_cases() -> Iterator[Case]:
    for w in (1, 2, 4, 8):
        for n in range(0, 71):
            name = f"select/width-{w}/len-{n}"
            bitmap = bitmap_for(n, n % 9, name, n % 2 == 1)
            yield name, "select", {"width": w, "bitmap": bitmap}, Input.gen(seed_for(name), n * w)
        for size in (64 * KIB, 64 * KIB + 24) if w == 8 else (64 * KIB,):
            name = f"select/width-{w}/large-{size}"
            bitmap = bitmap_for(size // w, 4, name, False)
            yield name, "select", {"width": w, "bitmap": bitmap}, Input.gen(seed_for(name), size)
    for w in (0, 3, 5, 6, 7, 9, 16, 255):
        for n in (0, 16):
            yield (f"select/bad-width-{w}/len-{n}", "select", {"width": w, "bitmap": "ffff"},
                   Input.hex(bytes(n)))
    for w, n in ((2, 3), (4, 6), (8, 12), (8, 1)):
        yield (f"select/bad-length/width-{w}/{n}", "select", {"width": w, "bitmap": "ffff"},
               Input.hex(bytes(n)))
    for w, n, bitmap in ((1, 9, "ff"), (1, 1, ""), (2, 16, ""), (8, 17 * 8, "ffff"), (4, 64 * 4, "ff" * 7)):
        name = f"select/short-bitmap/width-{w}/n-{n}"
        yield name, "select", {"width": w, "bitmap": bitmap}, Input.gen(seed_for(name), n)
    for w, n, bitmap in ((1, 8, "ff"), (1, 9, "ff01"), (4, 0, "")):
        name = f"select/exact-bitmap/width-{w}/n-{n}"
        yield name, "select", {"width": w, "bitmap": bitmap}, Input.gen(seed_for(name), n * w)


def aggregate_cases() -> Iterator[Case]:
    for ty in TYPES:
        w = width(ty)
        for n in range(0, 71):
            name = f"aggregate/{ty}/len-{n}"
            if TYPES[ty][1] == "float":
                inp = Input.hex(mixed_column(ty, n, name))
            else:
                inp = Input.gen(seed_for(name), n * w)
            yield name, "aggregate", {"ty": ty}, inp
        # Each special alone, repeated: extremes in every lane, sums that wrap, all NaN.
        for i, e in enumerate(specials(ty)):
            for n in (9,):
                yield f"aggregate/{ty}/all-special-{i}/len-{n}", "aggregate", {"ty": ty}, Input.hex(e * n)
        for size in (64 * KIB, 64 * KIB - 5 * w):
            name = f"aggregate/{ty}/large-{size}"
            yield name, "aggregate", {"ty": ty}, Input.gen(seed_for(name), size)
    # Long runs of a byte type's extreme: narrow (16-bit) partial-sum lanes must be widened
    # before 257 additions of 255 or -128 overflow them.
    for ty, byte in (("u8", 0xFF), ("i8", 0x80), ("i8", 0x7F)):
        yield f"aggregate/{ty}/run-{byte:02x}", "aggregate", {"ty": ty}, Input.hex(bytes([byte]) * 9000)
    # Signed zeros and NaNs: the order of -0.0 and +0.0 decides min and max.
    for ty, neg, pos, nan in (("f32", 0x80000000, 0, 0x7FC00000),
                              ("f64", 1 << 63, 0, 0x7FF8 << 48)):
        w = width(ty)
        for pattern in ((pos, neg, nan), (nan, neg, pos), (neg, pos, neg), (nan, pos, pos),
                        (neg, neg, nan), (nan, nan, nan)):
            for n in (3, 17, 40):
                data = b"".join(pattern[i % 3].to_bytes(w, "little") for i in range(n))
                tag = "-".join("%x" % p for p in pattern)
                yield f"aggregate/{ty}/zeros/{tag}/len-{n}", "aggregate", {"ty": ty}, Input.hex(data)
        # inf - inf: a NaN the hardware makes (negative on x86), reported canonically.
        inf = np.array([np.inf, -np.inf], dtype=TYPES[ty][0]).tobytes()
        yield f"aggregate/{ty}/inf-minus-inf", "aggregate", {"ty": ty}, Input.hex(inf * 8)
    for ty, n in (("u16", 1), ("i32", 7), ("f32", 2), ("u64", 9), ("f64", 4)):
        yield f"aggregate/bad-length/{ty}/{n}", "aggregate", {"ty": ty}, Input.hex(bytes(n))


CASE_SETS = (compare_cases, select_cases, aggregate_cases)
