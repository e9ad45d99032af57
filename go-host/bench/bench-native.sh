#!/usr/bin/env bash
# The native-backend benchmark set, on a quiet machine only (`just bench-native`):
#   1. BenchmarkNative (this directory): the Go API on every path (Auto, Go, wasm, each native
#      tier) against the best no-cgo peers at 4 KiB, 64 KiB and 1 MiB;
#   2. BenchmarkCallCost (go-host): every kernel's 0-byte call on every backend and tier, and
#      BenchmarkCrossing (go-host/internal/native): one empty entry call, the crossing alone;
#   3. with BINPIPE_BENCH_RUST=1, the kernels crate's criterion benches of the same tiers
#      called from Rust, for the groups rust_parity.py compares (its --filter), and its table
#      of Go-through-native over Rust.
# Rounds are interleaved: ROUNDS runs of one compiled test binary, each going through every
# implementation in turn. The 1-minute load average is recorded before and after; above
# MAXLOAD (default 0.5) before, or MAXLOAD + 1 after (the run's own thread counts about 1),
# nothing is written. Results go to results/native-<class>.txt with the
# CPU model and flags at the top, and benchstat and peers_table.py (each path vs the best peer)
# summaries beside it.
set -euo pipefail
cd "$(dirname "$0")"
ROUNDS=${ROUNDS:-6}
MAXLOAD=${MAXLOAD:-0.5}
BENCHTIME=${BENCHTIME:-200ms}

load() { cut -d' ' -f1 /proc/loadavg; }
too_loaded() { awk -v l="$1" -v m="$MAXLOAD" 'BEGIN { exit !(l > m) }'; }

before=$(load)
if too_loaded "$before"; then
  echo "load average $before > $MAXLOAD: not benchmarking (wait for a quiet machine)" >&2
  exit 1
fi
model=$(grep -m1 -E '^(model name|Model)' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
flags=$(grep -m1 -E '^(flags|Features)' /proc/cpuinfo | cut -d: -f2- | tr ' ' '\n' | grep -E '^(avx|bmi|vpclmulqdq|pclmulqdq|sha_ni|asimd|sve)' | tr '\n' ' ' || true)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
go test -c -o "$tmp/bench.test" .
(cd .. && go test -c -o "$tmp/host.test" . && go test -c -o "$tmp/native.test" ./internal/native)
class=$("$tmp/bench.test" -test.run '^TestNativeClass$' -test.v | sed -n 's/.*native class: //p' | head -1)
class=${class:-none}
out="$tmp/native.txt"
{
  echo "# cpu: ${model:-unknown}"
  echo "# flags: ${flags}"
  echo "# class: ${class}; $(go version); $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo "# load average before: ${before}"
} >"$out"
for r in $(seq "$ROUNDS"); do
  echo "round $r/$ROUNDS" >&2
  "$tmp/bench.test" -test.run '^$' -test.bench '^BenchmarkNative$' -test.benchtime "$BENCHTIME" >>"$out"
  (cd .. && "$tmp/host.test" -test.run '^$' -test.bench '^BenchmarkCallCost$' -test.benchtime "$BENCHTIME") >>"$out"
  "$tmp/native.test" -test.run '^$' -test.bench '^BenchmarkCrossing$' -test.benchtime "$BENCHTIME" >>"$out"
done
if [ "${BINPIPE_BENCH_RUST:-}" = 1 ]; then
  filter=$(python3 rust_parity.py --filter | sed -n 1p)
  (cd ../.. && cargo bench -p binpipe-kernels --locked --no-run)
  for f in $(python3 rust_parity.py --filter | sed -n 2p); do
    (cd ../.. && cargo bench -p binpipe-kernels --locked --bench "$f" -- "$filter") >>"$tmp/criterion.txt"
  done
fi
after=$(load)
echo "# load average after: ${after}" >>"$out"
# The benchmark's own busy thread alone lifts the 1-minute average to about 1 on its way; more
# than that on top of MAXLOAD means something else ran.
if awk -v l="$after" -v m="$MAXLOAD" 'BEGIN { exit !(l > m + 1) }'; then
  echo "load average rose to $after > $MAXLOAD + 1 (the run's own thread) during the run: results discarded" >&2
  exit 1
fi
command -v benchstat >/dev/null || go install golang.org/x/perf/cmd/benchstat@"${BENCHSTAT_VERSION:?set BENCHSTAT_VERSION}"
mkdir -p results
cp "$out" "results/native-$class.txt"
benchstat "results/native-$class.txt" >"results/native-$class-benchstat.txt"
{
  for impl in binpipe binpipe-go binpipe-wasm $(sed -n 's/.*\/\(binpipe-\(avx2\|avx512\|neon\)\)-[0-9]* .*/\1/p' "results/native-$class.txt" | sort -u); do
    echo "## $impl vs the best peer"; echo
    python3 peers_table.py "results/native-$class.txt" "$impl"; echo
  done
} >"results/native-$class-table.md"
if [ -f "$tmp/criterion.txt" ]; then
  cp "$tmp/criterion.txt" "results/native-$class-criterion.txt"
  python3 rust_parity.py "results/native-$class.txt" "results/native-$class-criterion.txt" >"results/native-$class-rust.md"
fi
echo "wrote results/native-$class.txt (+ -benchstat.txt, -table.md); load $before -> $after"
