#!/usr/bin/env bash
# Builds the example plugins from source, reproducibly, and checks them.
#
#   plugins/build.sh [OUT_DIR]
#
# Produces, in OUT_DIR (default target/plugins):
#   filter.wasm, redact.wasm                      core modules (committed as tests/plugins/examples/)
#   filter.component.wasm, redact.component.wasm  their components, for wasmtime users
#
# Reproducible the same way as component/build.sh: pinned toolchain (rust-toolchain.toml),
# locked dependencies, the wasm profile (one codegen unit, LTO), and every absolute path that
# could leak into a module remapped to a fixed name.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$root/target/plugins}
target_dir=${CARGO_TARGET_DIR:-$root/target}
cargo_home=${CARGO_HOME:-$HOME/.cargo}
sysroot=$(cd "$root" && rustc --print sysroot)
remap="--remap-path-prefix=$root=/binpipe --remap-path-prefix=$cargo_home=/cargo --remap-path-prefix=$sysroot=/rustc"
mkdir -p "$out"

# Their own target dir: the remap flags differ from other builds' and would invalidate their cache.
(cd "$root" && RUSTFLAGS="$remap" cargo build --quiet --locked \
  -p binpipe-plugin-filter -p binpipe-plugin-redact --target wasm32-unknown-unknown --profile wasm \
  --target-dir "$target_dir/wasm-plugins")

tool() {
  (cd "$root" && cargo run --quiet --locked --release -p binpipe-wasm-tool -- "$@")
}
for plugin in filter redact; do
  cp "$target_dir/wasm-plugins/wasm32-unknown-unknown/wasm/binpipe_plugin_$plugin.wasm" "$out/$plugin.wasm"
  tool check "$out/$plugin.wasm" "$root/plugins/exports.txt"
  tool component "$out/$plugin.wasm" "$out/$plugin.component.wasm"
done
