#!/usr/bin/env python3
"""Turns criterion's results for the binpipe-kernels benches into markdown tables.

Usage: python3 kernels/benches/report.py CRITERION_DIR [CRITERION_DIR ...]

Each CRITERION_DIR is the `criterion` folder of one complete run
(`$CARGO_TARGET_DIR/criterion`, copied away between runs). For every benchmark group (one
kernel, one input) the table gives each function's throughput in GiB/s (the median over runs
of criterion's median) and the ratio binpipe ÷ peer: computed within each run, where both
sides were measured minutes apart on the same buffer, then the median over runs, with the
lowest and highest run in brackets when there are several runs.
"""

import json
import pathlib
import statistics
import sys
from collections import defaultdict

GIB = float(1 << 30)
SIZE_ORDER = {"4KiB": 0, "64KiB": 1, "1MiB": 2}


def load(root):
    """{group: {function: GiB/s}} for one run."""
    groups = defaultdict(dict)
    for bench in sorted(pathlib.Path(root).glob("**/new/benchmark.json")):
        meta = json.loads(bench.read_text())
        estimates = json.loads((bench.parent / "estimates.json").read_text())
        size = (meta.get("throughput") or {}).get("Bytes")
        if size is None:
            continue
        ns = estimates["median"]["point_estimate"]
        groups[meta["group_id"]][meta["function_id"]] = size / ns * 1e9 / GIB
    return groups


def sort_key(group):
    parts = group.split("/")
    middle = [int(p[4:]) if p.startswith("elem") else p for p in parts[1:-1]]
    return middle, SIZE_ORDER.get(parts[-1], 9)


def main():
    runs = [load(d) for d in sys.argv[1:]]
    names = sorted({g for run in runs for g in run})
    kernels = defaultdict(list)
    for group in names:
        kernels[group.split("/")[0]].append(group)
    for kernel, groups in kernels.items():
        functions = []
        for group in groups:
            for run in runs:
                for f in run.get(group, {}):
                    if f not in functions and f != "binpipe":
                        functions.append(f)
        tier_order = ["scalar", "sse2", "avx2", "avx512", "neon", "simd128"]
        tiers = sorted(
            (f for f in functions if f.startswith("binpipe-")),
            key=lambda f: tier_order.index(f[8:]) if f[8:] in tier_order else 99,
        )
        peers = [f for f in functions if not f.startswith("binpipe-")]
        print(f"### {kernel}\n")
        print("| input | binpipe | " + " | ".join(peers + tiers) + " |")
        print("|---|---:|" + "---:|" * (len(peers) + len(tiers)))
        for group in sorted(groups, key=sort_key):
            rows = [run[group] for run in runs if group in run]
            ours = statistics.median(r["binpipe"] for r in rows)
            cells = []
            for f in peers:
                speeds = [r[f] for r in rows if f in r]
                ratios = sorted(r["binpipe"] / r[f] for r in rows if f in r)
                cell = f"{statistics.median(speeds):.1f}: **{statistics.median(ratios):.2f}×**"
                if len(ratios) > 1:
                    cell += f" ({ratios[0]:.2f}–{ratios[-1]:.2f})"
                cells.append(cell)
            for f in tiers:
                speeds = [r[f] for r in rows if f in r]
                cells.append(f"{statistics.median(speeds):.1f}" if speeds else "—")
            label = "/".join(group.split("/")[1:])
            print(f"| {label} | {ours:.1f} | " + " | ".join(cells) + " |")
        print()


if __name__ == "__main__":
    main()
