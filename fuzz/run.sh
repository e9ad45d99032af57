#!/usr/bin/env bash
# Runs every cargo-fuzz target for SECONDS each (default 60) and prints one summary line per
# target: executions, corpus size, and whether it found a crash (artifacts/<target>/).
# Usage: fuzz/run.sh [SECONDS] [TARGET...]   (needs $NIGHTLY, default the pinned one, and cargo-fuzz)
set -euo pipefail
cd "$(dirname "$0")"
nightly="${NIGHTLY:-nightly-2026-05-20}"
seconds="${1:-60}"
shift || true
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  mapfile -t targets < <(cargo "+$nightly" fuzz list)
fi
cargo "+$nightly" fuzz build --release
summary=()
status=0
for t in "${targets[@]}"; do
  mkdir -p "corpus/$t"
  log="$(mktemp)"
  if cargo "+$nightly" fuzz run --release "$t" "corpus/$t" -- -max_total_time="$seconds" -print_final_stats=1 >"$log" 2>&1; then
    verdict="no findings"
  else
    verdict="FOUND A CRASH (see fuzz/artifacts/$t and $log)"
    status=1
  fi
  runs="$(grep -oE 'stat::number_of_executed_units: *[0-9]+' "$log" | grep -oE '[0-9]+$' || echo '?')"
  corpus="$(find "corpus/$t" -type f | wc -l)"
  summary+=("$(printf '%-16s %12s execs in %ss, corpus %6s, %s' "$t" "$runs" "$seconds" "$corpus" "$verdict")")
  [ "$verdict" = "no findings" ] && rm -f "$log"
done
printf '%s\n' "${summary[@]}"
exit "$status"
