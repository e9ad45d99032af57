#!/usr/bin/env python3
"""Markdown table of BenchmarkPeers output: per kernel and size, "binpipe MB/s / best peer's
MB/s = ratio" (medians over -count runs or rounds; ratios below 1 in bold; impls named
binpipe-* are binpipe's other paths, never peers), then the geometric mean at
64 KiB over the kernels with a >=3x target, against the best peer and against the best
standard-library or plain-loop peer (leaving out third-party assembly: zeebo, segmentio,
parquet-go, arrow-go). Parses with tools/bench-chart.py. A second argument names another
binpipe impl of BenchmarkNative to compare instead of "binpipe" (Auto), e.g. binpipe-avx2.

    python3 go-host/bench/peers_table.py /tmp/peers.txt [binpipe-avx2]
"""

import importlib.util
import math
import pathlib
import sys

TARGETS = ("find-any", "hex-encode", "hex-decode", "shuffle-4", "shuffle-8", "utf8-mixed",
           "compare", "select", "varint-decode", "bitunpack")

# Peers that are third-party amd64/arm64 assembly rather than the standard library or a loop.
ASM = ("zeebo-", "segmentio-", "parquet-", "arrow-")

root = pathlib.Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("chart", root / "tools" / "bench-chart.py")
chart = importlib.util.module_from_spec(spec)
spec.loader.exec_module(chart)


def main() -> int:
    with open(sys.argv[1]) as f:
        table = chart.parse(f)
    me = sys.argv[2] if len(sys.argv) > 2 else "binpipe"
    order = []
    for kernel, _ in table:
        if kernel not in order:
            order.append(kernel)
    print("| kernel | best peer | 4 KiB | 64 KiB | 1 MiB |")
    print("|---|---|---|---|---|")
    at64, std64 = {}, {}
    for kernel in order:
        cells, names = [], []
        for size in chart.SIZES:
            impls = table.get((kernel, size))
            if not impls or me not in impls:
                cells.append("")
                continue
            # binpipe's own paths (binpipe-go, binpipe-wasm, binpipe-avx2, ... in
            # BenchmarkNative) are not peers.
            peers = {k: v for k, v in impls.items() if not k.startswith("binpipe")}
            best = max(peers, key=peers.get)
            if best not in names:
                names.append(best)
            r = impls[me] / peers[best]
            std = {k: v for k, v in peers.items() if not k.startswith(ASM)}
            if size == "64KiB":
                at64[kernel] = r
                if std:
                    std64[kernel] = impls[me] / max(std.values())
            ratio = f"**{r:.2f}×**" if r < 1 else f"{r:.2f}×"
            cells.append(f"{impls[me]:.0f} / {peers[best]:.0f} = {ratio}")
        print(f"| {kernel} | {', '.join(names)} | " + " | ".join(cells) + " |")
    for label, ratios in (("the best peer", at64), ("the best standard-library or plain-loop peer", std64)):
        got = [ratios[k] for k in TARGETS if k in ratios]
        if got:
            g = math.exp(sum(map(math.log, got)) / len(got))
            cells = ", ".join(f"{k} {ratios[k]:.2f}×" for k in TARGETS if k in ratios)
            print()
            print(f"geometric mean at 64 KiB against {label}: **{g:.2f}×** ({cells})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
