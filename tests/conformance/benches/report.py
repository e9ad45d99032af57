#!/usr/bin/env python3
"""Turns the criterion results of `wasm_vs_native` into the markdown tables of
docs/benchmarks-wasm.md.

    python3 tests/conformance/benches/report.py [CRITERION_DIR]

CRITERION_DIR defaults to $CARGO_TARGET_DIR/criterion, else target/criterion. Times are
criterion's median estimate per iteration (one call).
"""

import json
import os
import sys
from pathlib import Path

KERNELS = ("crc32c", "count-byte", "shuffle", "unshuffle")
SIZES = (4096, 65536, 1048576)
WASM = ("wasm-simd128", "wasm-scalar")


def median_ns(root: Path, *parts: str) -> float:
    with open(root.joinpath(*parts, "new", "estimates.json")) as f:
        return json.load(f)["median"]["point_estimate"]


def size_name(n: int) -> str:
    return f"{n >> 20} MiB" if n >= 1 << 20 else f"{n >> 10} KiB"


def fmt_ns(ns: float) -> str:
    return f"{ns / 1000:,.1f} µs" if ns >= 10_000 else f"{ns:,.1f} ns"


def main() -> None:
    default = Path(os.environ.get("CARGO_TARGET_DIR", "target")) / "criterion"
    root = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    print("| kernel | size | native | wasm simd128 | wasm scalar | simd128 / native | scalar / native |")
    print("|---|---|---|---|---|---|---|")
    for kernel in KERNELS:
        for size in SIZES:
            native = median_ns(root, kernel, "native", str(size))
            wasm = [median_ns(root, kernel, w, str(size)) for w in WASM]
            gbps = lambda ns: size / ns  # bytes per ns == GB/s
            cells = [f"{fmt_ns(t)} ({gbps(t):.2f} GB/s)" for t in [native, *wasm]]
            ratios = [f"{t / native:.2f}×" for t in wasm]
            print(f"| {kernel} | {size_name(size)} | " + " | ".join(cells + ratios) + " |")
    print()
    print("| call with empty input | time per call |")
    print("|---|---|")
    for bench in (
        "native/crc32c-empty",
        "fast-path/crc32c-empty",
        "fast-path/shuffle-empty",
        "canonical/crc32c-empty",
        "canonical/shuffle-empty",
    ):
        abi, name = bench.split("/")
        print(f"| {abi} `{name}` | {fmt_ns(median_ns(root, 'call-overhead', f'{abi}_{name}'))} |")


if __name__ == "__main__":
    main()
