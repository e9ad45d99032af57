#!/usr/bin/env python3
"""Turns criterion's results for the binpipe-kernels benches into markdown tables.

Usage: python3 kernels/benches/report.py "$CARGO_TARGET_DIR/criterion"

For every benchmark group (one kernel, one input) it prints each function's median
throughput in GiB/s and the ratio of binpipe's best-tier throughput to that function's
(above 1: binpipe is faster).
"""

import json
import pathlib
import sys
from collections import defaultdict

GIB = float(1 << 30)


def load(root):
    """Yields (group, function, bytes per iteration, median ns) for every measured function."""
    for bench in sorted(pathlib.Path(root).glob("**/new/benchmark.json")):
        meta = json.loads(bench.read_text())
        estimates = json.loads((bench.parent / "estimates.json").read_text())
        throughput = meta.get("throughput") or {}
        size = throughput.get("Bytes")
        if size is None:
            continue
        yield meta["group_id"], meta["function_id"], size, estimates["median"]["point_estimate"]


def main():
    groups = defaultdict(dict)
    for group, function, size, ns in load(sys.argv[1]):
        groups[group][function] = size / ns * 1e9 / GIB
    kernels = defaultdict(list)
    for group in groups:
        kernels[group.split("/")[0]].append(group)
    for kernel, names in kernels.items():
        functions = []
        for name in names:
            for f in groups[name]:
                if f not in functions and f != "binpipe":
                    functions.append(f)
        print(f"### {kernel}\n")
        print("GiB/s (median); in brackets binpipe ÷ peer (above 1: binpipe faster).\n")
        print("| input | binpipe | " + " | ".join(functions) + " |")
        print("|---|---:|" + "---:|" * len(functions))
        order = {"4KiB": 0, "64KiB": 1, "1MiB": 2}
        for name in sorted(names, key=lambda n: (n.split("/")[1:-1], order.get(n.split("/")[-1], 9))):
            row = groups[name]
            ours = row.get("binpipe")
            cells = []
            for f in functions:
                if f not in row:
                    cells.append("—")
                elif ours is None or f.startswith("binpipe-"):
                    cells.append(f"{row[f]:.2f}")
                else:
                    cells.append(f"{row[f]:.2f} ({ours / row[f]:.2f}×)")
            label = "/".join(name.split("/")[1:])
            print(f"| {label} | {ours:.2f} | " + " | ".join(cells) + " |")
        print()


if __name__ == "__main__":
    main()
