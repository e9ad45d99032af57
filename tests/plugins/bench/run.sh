#!/usr/bin/env bash
# The example plugins' numbers for docs/plugins.md, on a quiet machine only (`just bench-plugins`):
# per language (the Rust filter, the Go filter) and host (wazero through `binpipe plugin check`,
# wasmtime through plugin-host's criterion bench): module size, load time, the cost of an empty
# call and throughput at 4 KiB, 64 KiB and 1 MiB, all metered under the default limits. The
# 1-minute load average is recorded before and after; above MAXLOAD before, or MAXLOAD + 1
# after (the run's own thread), nothing is written. Output: tests/plugins/bench/results.txt.
set -euo pipefail
cd "$(dirname "$0")/../../.."
MAXLOAD=${MAXLOAD:-0.5}
load() { cut -d' ' -f1 /proc/loadavg; }
above() { awk -v l="$1" -v m="$2" 'BEGIN { exit !(l > m) }'; }
# summary NAME: one line from plugin check's JSON on stdin.
summary() {
  python3 -c '
import json, statistics, sys
r = json.load(sys.stdin)
calls = r["calls"]
rest = [c["nanos"] for c in calls[1:]] or [calls[0]["nanos"]]
med = statistics.median(rest)
n = r["sample_bytes"]
gbs = f"{n / med:.2f} GB/s" if n else "-"
print(f"{sys.argv[1]}: load {r['"'"'load_nanos'"'"'] / 1e6:.1f} ms, first call {calls[0]['"'"'nanos'"'"'] / 1e3:.1f} us, "
      f"median call {med:.0f} ns ({gbs}), fuel {calls[-1]['"'"'fuel'"'"']}, memory {calls[-1]['"'"'memory_bytes'"'"']} B")
' "$1"
}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# Builds first: their load must not count.
(cd plugins/go/filter && GOOS=wasip1 GOARCH=wasm go build -buildmode=c-shared -trimpath -o "$tmp/filter-go.wasm" .)
(cd go-host/cmd/binpipe && go build -o "$tmp/binpipe" .)
cargo bench -p binpipe-plugin-host --locked --bench examples --no-run
python3 - "$tmp" <<'PY'
import sys
rec = open('tests/plugins/examples/telemetry.bin', 'rb').read()
for size in (4 << 10, 64 << 10, 1 << 20):
    n = size // 32 * 32
    data = (rec * (n // len(rec) + 1))[:n]
    open(f'{sys.argv[1]}/batch-{size}.bin', 'wb').write(data)
open(f'{sys.argv[1]}/empty.bin', 'wb').close()
PY
sleep 60 # let the builds' load decay
before=$(load)
if above "$before" "$MAXLOAD"; then
  echo "load average $before > $MAXLOAD: not benchmarking (wait for a quiet machine)" >&2
  exit 1
fi
out="$tmp/results.txt"
{
  echo "# cpu: $(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'); $(nproc) CPUs; $(go version); $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "# load average before: $before"
  echo "## module sizes (bytes)"
  echo "filter (Rust) $(stat -c %s tests/plugins/examples/filter.wasm)"
  echo "filter (Go)   $(stat -c %s "$tmp/filter-go.wasm")"
  echo "## wazero: binpipe plugin check --json --calls 50 (load; first call; median of the rest)"
  for size in empty 4096 65536 1048576; do
    f="$tmp/batch-$size.bin"; [ "$size" = empty ] && f="$tmp/empty.bin"
    "$tmp/binpipe" plugin check --json --calls 50 --sample "$f" tests/plugins/examples/filter.wasm | summary "filter (Rust) $size"
    "$tmp/binpipe" plugin check --json --calls 50 --sample "$f" --wasi "$tmp/filter-go.wasm" | summary "filter (Go) $size"
  done
  echo "## wasmtime: cargo bench -p binpipe-plugin-host --bench examples"
  BINPIPE_GO_FILTER="$tmp/filter-go.wasm" cargo bench -p binpipe-plugin-host --locked --bench examples -- 'filter|call|load' 2>&1 | grep -E '^[a-z]|time:|thrpt:' | grep -v -E '^(Benchmarking|Found|Gnuplot)'
} >"$out"
after=$(load)
echo "# load average after: $after" >>"$out"
if above "$after" "$(awk -v m="$MAXLOAD" 'BEGIN { print m + 1 }')"; then
  echo "load average rose to $after during the run: results discarded" >&2
  exit 1
fi
cp "$out" tests/plugins/bench/results.txt
echo "wrote tests/plugins/bench/results.txt; load $before -> $after"
