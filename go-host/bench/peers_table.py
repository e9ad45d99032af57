#!/usr/bin/env python3
"""Markdown table of BenchmarkPeers: per kernel and size, binpipe's MB/s, the best peer's, and
the ratio (medians over -count runs), then the geometric mean at 64 KiB of the kernels that
have a >=3x target. Uses tools/bench-chart.py's parser.

    python3 go-host/bench/peers_table.py /tmp/peers.txt
"""

import importlib.util
import math
import pathlib
import sys

TARGETS = ("find-any", "hex-encode", "hex-decode", "shuffle-4", "shuffle-8", "utf8-mixed",
           "compare", "select", "varint-decode", "bitunpack")

root = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("chart", root / "tools" / "bench-chart.py")
chart = importlib.util.module_from_spec(spec)
spec.loader.exec_module(chart)


def main() -> int:
    with open(sys.argv[1]) as f:
        table = chart.parse(f)
    order = []
    for kernel, _ in table:
        if kernel not in order:
            order.append(kernel)
    print("| kernel | size | binpipe MB/s | best peer | peer MB/s | ratio |")
    print("|---|---|---:|---|---:|---:|")
    at64 = {}
    for kernel in order:
        for size in chart.SIZES:
            impls = table.get((kernel, size))
            if not impls or "binpipe" not in impls:
                continue
            peers = {k: v for k, v in impls.items() if k != "binpipe"}
            best = max(peers, key=peers.get)
            r = impls["binpipe"] / peers[best]
            if size == "64KiB":
                at64[kernel] = r
            mark = f"**{r:.2f}×**" if r < 1 else f"{r:.2f}×"
            print(f"| {kernel} | {size} | {impls['binpipe']:.0f} | {best} | {peers[best]:.0f} | {mark} |")
    got = [at64[k] for k in TARGETS if k in at64]
    if got:
        g = math.exp(sum(map(math.log, got)) / len(got))
        print()
        print(f"geometric mean at 64 KiB over {', '.join(k for k in TARGETS if k in at64)}: {g:.2f}×")
    return 0


if __name__ == "__main__":
    sys.exit(main())
