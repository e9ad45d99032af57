#!/usr/bin/env bash
# Builds the wasm guest from source, reproducibly, and checks it.
#
#   component/build.sh [OUT_DIR]
#
# Produces, in OUT_DIR (default target/wasm):
#   binpipe.wasm                  core module, simd128  (copied to go-host/internal/wasm/, embedded)
#   binpipe.scalar.wasm           core module without simd128 (tests run both)
#   binpipe.component.wasm        component of binpipe.wasm, for wasmtime users
#   binpipe.scalar.component.wasm component of the scalar module
#
# Reproducible: the toolchain is pinned (rust-toolchain.toml), dependencies are locked
# (--locked), and every absolute path that could leak into the module (the checkout, the
# cargo home, the sysroot) is remapped to a fixed name, so any clone on any machine yields
# the same bytes.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out=${1:-$root/target/wasm}
target_dir=${CARGO_TARGET_DIR:-$root/target}
cargo_home=${CARGO_HOME:-$HOME/.cargo}
sysroot=$(cd "$root" && rustc --print sysroot)
remap="--remap-path-prefix=$root=/binpipe --remap-path-prefix=$cargo_home=/cargo --remap-path-prefix=$sysroot=/rustc"
mkdir -p "$out"

# build VARIANT RUSTC_TARGET_FEATURES: one core module, in its own target dir so the two
# variants' different flags never invalidate each other's cache.
build() {
  local variant=$1 features=$2
  (cd "$root" && RUSTFLAGS="$remap -C target-feature=$features" cargo build --quiet --locked \
    -p binpipe-component --target wasm32-unknown-unknown --profile wasm \
    --target-dir "$target_dir/wasm-$variant")
  cp "$target_dir/wasm-$variant/wasm32-unknown-unknown/wasm/binpipe_component.wasm" "$out/$3"
}
build simd +simd128 binpipe.wasm
build scalar -simd128 binpipe.scalar.wasm

tool() {
  (cd "$root" && cargo run --quiet --locked --release -p binpipe-wasm-tool -- "$@")
}
for module in binpipe binpipe.scalar; do
  tool check "$out/$module.wasm" "$root/component/exports.txt"
  tool component "$out/$module.wasm" "$out/$module.component.wasm"
done
