#!/usr/bin/env python3
"""Go-through-native against the same tier called from Rust: per kernel, size and tier, the
MB/s of BenchmarkNative's binpipe-<tier> row over the MB/s of the kernels crate's criterion
bench of that tier on the same kind of input (ratio below 0.9 in bold).

    python3 go-host/bench/rust_parity.py results/native-avx512.txt results/native-avx512-criterion.txt
    python3 go-host/bench/rust_parity.py --filter   # the criterion filter bench-native.sh runs

Where a criterion group has no per-tier function (shuffle, utf8, column), its "binpipe"
function (the crate's dispatched best tier) is compared with the Go row of that tier, named
in the table. The inputs are alike, not identical: both sides' data is pseudo-random of the
same shape (see MAP); kernels whose speed depends on the data more than that (index-byte,
find-any, varint, bitpack widths) are not compared.
"""

import importlib.util
import pathlib
import re
import sys

# Go kernel (BenchmarkNative) -> (criterion bench file, criterion group prefix, has per-tier functions).
MAP = {
    "crc32": ("crc32", "crc32", True),
    "crc32c": ("crc32c", "crc32c", True),
    "xxh3": ("xxh3", "xxh3", True),
    "count-byte": ("count", "count_byte/dense", True),
    "mismatch": ("find", "mismatch", True),
    "ascii-prefix": ("utf8", "ascii_prefix", True),
    "utf8-ascii": ("utf8", "utf8_validate/ascii", False),
    "utf8-mixed": ("utf8", "utf8_validate/mixed", False),
    "hex-encode": ("hex", "hex_encode", True),
    "hex-decode": ("hex", "hex_decode", True),
    "base64-encode": ("base64", "base64_encode", True),
    "base64-decode": ("base64", "base64_decode", True),
    "byteswap": ("byteswap", "byteswap/w8", True),
    "delta-encode": ("delta", "delta_encode/w8", True),
    "delta-decode": ("delta", "delta_decode/w8", True),
    "unshuffle-8": ("shuffle", "unshuffle/elem8", False),
    "compare": ("column", "column/compare-lt/f64", False),
    "select": ("column", "column/select/width-8", False),
    "aggregate": ("column", "column/aggregate/f64", False),
}
SIZES = ("4KiB", "64KiB", "1MiB")
UNITS = {"B/s": 1e-6, "KiB/s": 1024 / 1e6, "MiB/s": 1024**2 / 1e6, "GiB/s": 1024**3 / 1e6}

root = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("chart", root / "tools" / "bench-chart.py")
chart = importlib.util.module_from_spec(spec)
spec.loader.exec_module(chart)


def criterion(path):
    """{bench id: MB/s} from criterion's text output (the middle throughput estimate)."""
    out, current = {}, None
    with open(path) as f:
        for line in f:
            head = line.strip().split()
            if head and "/" in head[0] and not line.startswith(" "):
                current = head[0]
            m = re.search(r"thrpt:\s+\[\S+ \S+ (\S+) (\S+) ", line)
            if m and current:
                out[current] = float(m.group(1)) * UNITS[m.group(2)]
    return out


def main() -> int:
    if sys.argv[1:] == ["--filter"]:
        groups = "|".join(re.escape(g) for _, g, _ in MAP.values())
        print(f"^({groups})/[^/]+/binpipe(-avx2|-avx512|-neon)?$")
        print(" ".join(sorted({b for b, _, _ in MAP.values()})))
        return 0
    with open(sys.argv[1]) as f:
        go = chart.parse(f)
    rust = criterion(sys.argv[2])
    tiers = sorted({i[len("binpipe-"):] for impls in go.values() for i in impls
                    if i.startswith("binpipe-") and i[len("binpipe-"):] in ("avx2", "avx512", "neon")})
    best = tiers[-1] if tiers else None
    print("| kernel | tier | " + " | ".join(s.replace("KiB", " KiB").replace("MiB", " MiB") for s in SIZES) + " |")
    print("|---|---|" + "---|" * len(SIZES))
    low = []
    for kernel, (_, group, per_tier) in MAP.items():
        for tier in tiers if per_tier else [best]:
            cells = []
            for size in SIZES:
                g = go.get((kernel, size), {}).get(f"binpipe-{tier}")
                r = rust.get(f"{group}/{size}/binpipe-{tier}" if per_tier else f"{group}/{size}/binpipe")
                if g is None or r is None:
                    cells.append("")
                    continue
                ratio = g / r
                if ratio < 0.9:
                    low.append(f"{kernel} {tier} {size}")
                cell = f"{g:.0f} / {r:.0f} = " + (f"**{ratio:.2f}×**" if ratio < 0.9 else f"{ratio:.2f}×")
                cells.append(cell)
            name = tier if per_tier else f"{tier} (Rust: dispatched)"
            print(f"| {kernel} | {name} | " + " | ".join(cells) + " |")
    print()
    print("below 0.9x: " + (", ".join(low) if low else "none"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
