#!/usr/bin/env python3
"""Draws the Go benchmark table (binpipe vs the best peer, per kernel) as an SVG bar chart.

Input: raw `go test -bench` output of the peer benchmark (go-host/bench), whose sub-benchmarks
are named `.../<kernel>/<size>/<impl>` where `<impl>` is `binpipe` or the peer's name and
`<size>` is `4KiB`, `64KiB` or `1MiB`, each reporting MB/s. Repeated runs (-count N) are
reduced to their median. Output: one group of bars per kernel, one bar per size, the height
being binpipe's throughput over the best peer's on a log scale, with guides at 1x and 3x.

    python3 tools/bench-chart.py bench.txt docs/benchmarks-go.svg
"""

from __future__ import annotations

import math
import re
import statistics
import sys
from collections import defaultdict

SIZES = ("4KiB", "64KiB", "1MiB")
COLORS = {"4KiB": "#9ecae1", "64KiB": "#3182bd", "1MiB": "#08519c"}
LINE = re.compile(r"^Benchmark\S*?/([\w.-]+)/(4KiB|64KiB|1MiB)/([\w.-]+?)(?:-\d+)?\s+\d+\s.*?([\d.]+) MB/s")


def parse(lines):
    """{(kernel, size): {impl: median MB/s}}."""
    samples = defaultdict(lambda: defaultdict(list))
    for line in lines:
        m = LINE.match(line.strip())
        if m:
            kernel, size, impl, mbps = m.groups()
            samples[(kernel, size)][impl].append(float(mbps))
    return {
        key: {impl: statistics.median(v) for impl, v in impls.items()}
        for key, impls in samples.items()
    }


def ratios(table):
    """{kernel: {size: (ratio, best peer name)}} for every kernel with binpipe and a peer."""
    out = defaultdict(dict)
    for (kernel, size), impls in table.items():
        peers = {k: v for k, v in impls.items() if k != "binpipe"}
        if "binpipe" not in impls or not peers:
            continue
        best = max(peers, key=peers.get)
        out[kernel][size] = (impls["binpipe"] / peers[best], best)
    return dict(sorted(out.items()))


def svg(data) -> str:
    kernels = list(data)
    bar, gap, left, top, height = 11, 14, 70, 40, 300
    width = max(left + len(kernels) * (len(SIZES) * bar + gap) + 20, 560)
    lo, hi = 0.1, 100.0

    def y(r: float) -> float:
        r = min(max(r, lo), hi)
        return top + height * (1 - (math.log10(r) - math.log10(lo)) / (math.log10(hi) - math.log10(lo)))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{top + height + 110}" '
        'font-family="sans-serif" font-size="11">',
        f'<text x="{left}" y="20" font-size="14">binpipe Go API vs best no-cgo Go peer '
        "(throughput ratio, log scale)</text>",
    ]
    for r in (0.1, 0.3, 1, 3, 10, 30, 100):
        style = 'stroke="#d62728" stroke-width="1.5"' if r in (1, 3) else 'stroke="#ddd"'
        parts.append(f'<line x1="{left}" x2="{width - 10}" y1="{y(r):.1f}" y2="{y(r):.1f}" {style}/>')
        parts.append(f'<text x="{left - 6}" y="{y(r) + 4:.1f}" text-anchor="end">{r:g}x</text>')
    for i, kernel in enumerate(kernels):
        x0 = left + gap / 2 + i * (len(SIZES) * bar + gap)
        for j, size in enumerate(SIZES):
            if size not in data[kernel]:
                continue
            r, peer = data[kernel][size]
            top_y, base = y(r), y(1)
            y0, h = min(top_y, base), abs(base - top_y)
            parts.append(
                f'<rect x="{x0 + j * bar:.1f}" y="{y0:.1f}" width="{bar - 1}" height="{max(h, 1):.1f}" '
                f'fill="{COLORS[size]}"><title>{kernel} {size}: {r:.2f}x vs {peer}</title></rect>'
            )
        cx = x0 + len(SIZES) * bar / 2
        parts.append(
            f'<text x="{cx:.1f}" y="{top + height + 12}" text-anchor="end" '
            f'transform="rotate(-50 {cx:.1f} {top + height + 12})">{kernel}</text>'
        )
    for j, size in enumerate(SIZES):
        lx = left + j * 80
        ly = top + height + 95
        parts.append(f'<rect x="{lx}" y="{ly - 9}" width="10" height="10" fill="{COLORS[size]}"/>')
        parts.append(f'<text x="{lx + 14}" y="{ly}">{size}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    with open(sys.argv[1]) as f:
        data = ratios(parse(f))
    if not data:
        print(f"{sys.argv[1]}: no binpipe-vs-peer results found", file=sys.stderr)
        return 1
    with open(sys.argv[2], "w") as f:
        f.write(svg(data))
    for kernel, sizes in data.items():
        cells = ", ".join(f"{s} {r:.2f}x ({p})" for s, (r, p) in sizes.items())
        print(f"{kernel}: {cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
