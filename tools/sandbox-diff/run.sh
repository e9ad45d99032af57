#!/usr/bin/env bash
# Differential fuzzing of the plugin sandbox (see src/main.rs): wasm-smith modules run under
# wasmtime as they are and with the Rust host's checkpoints, then the Go host's rewriter's
# output under wazero (go-host/plugin/internal/wasmbin/diff_test.go) against the same record.
# Usage: tools/sandbox-diff/run.sh SECONDS     batches of 500 seeds until SECONDS have passed
#        tools/sandbox-diff/run.sh --seeds FIRST COUNT
# Prints one line per batch and a total; exits 1 on any finding.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
cargo build -q -p binpipe-sandbox-diff --locked
bin="${CARGO_TARGET_DIR:-$root/target}/debug/binpipe-sandbox-diff" # where cargo built it (CI sets CARGO_TARGET_DIR)
corpus="$(mktemp -d)"
trap 'rm -rf "$corpus"' EXIT

# batch FIRST COUNT: one corpus, checked by both sides.
batch() {
  rm -rf "$corpus" && mkdir -p "$corpus"
  "$bin" "$corpus" "$1" "$2"
  local out
  if ! out="$(cd go-host && BINPIPE_SANDBOX_CORPUS="$corpus" go test -count=1 -run '^TestSandboxDiff$' -v ./plugin/internal/wasmbin/ 2>&1)"; then
    echo "$out"
    echo "sandbox-diff: the Go rewriter disagrees (modules kept in $corpus)" >&2
    trap - EXIT
    return 1
  fi
  echo "go: $(echo "$out" | grep -oE '[0-9]+ valid modules.*')"
}

if [ "${1:-}" = "--seeds" ]; then
  batch "$2" "$3"
  exit 0
fi
seconds="${1:-60}"
start=$SECONDS
first=$(( $(date +%s) % 1000000 * 1000 ))
seeds=0
while (( SECONDS - start < seconds )); do
  batch "$((first + seeds))" 500
  seeds=$((seeds + 500))
done
echo "sandbox-diff: $seeds seeds from $first in $((SECONDS - start)) s, no findings"
