# binpipe — every task. `just` lists them; `just test` runs every test; `just demo` runs the main job.
#
# A fresh machine needs only Go, Rust (rustup), Python 3 and Node: `just tools` installs the
# rest (pinned), and the test recipes call it first.

set shell := ["bash", "-euo", "pipefail", "-c"]

# Pinned tool versions, in one place.
benchstat_version := "v0.0.0-20260908200009-22c9c6c9d4da"
fuzz_nightly := "nightly-2026-05-20"
cargo_fuzz_version := "0.13.2"

wasm_out := justfile_directory() / "target" / "wasm"
embedded_wasm := justfile_directory() / "go-host" / "internal" / "wasm" / "binpipe.wasm"
plugins_out := justfile_directory() / "target" / "plugins"
committed_plugins := justfile_directory() / "tests" / "plugins" / "examples"

# List the recipes.
default:
    @just --list

# Install the pinned prerequisites a fresh machine lacks (rust targets, qemu, aarch64 linker, python refs).
tools:
    #!/usr/bin/env bash
    set -euo pipefail
    # rust-toolchain.toml pins rustc and lists the targets; rustup installs them on first use.
    rustup show active-toolchain >/dev/null
    rustup target add --toolchain "$(rustup show active-toolchain | cut -d" " -f1)" wasm32-unknown-unknown wasm32-wasip1 aarch64-unknown-linux-gnu 2>&1 | grep -v "is up to date" || true
    missing=()
    command -v qemu-aarch64 >/dev/null || missing+=(qemu-user)
    command -v aarch64-linux-gnu-gcc >/dev/null || missing+=(gcc-aarch64-linux-gnu libc6-dev-arm64-cross)
    if [ ${#missing[@]} -gt 0 ]; then
      echo "installing ${missing[*]}"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
    python3 -m pip install -q --disable-pip-version-check -r tests/vectors/requirements.txt 2>&1 | grep -v 'WARNING: Running pip as' || true

# Build the wasm modules (simd128 and scalar) and their components into target/wasm.
wasm-build:
    component/build.sh "{{wasm_out}}"

# Build the wasm and embed the simd128 module in the Go host (commit the result).
wasm: wasm-build
    cp "{{wasm_out}}/binpipe.wasm" "{{embedded_wasm}}"

# Fail unless rebuilding the wasm from source gives exactly the committed embedded module.
wasm-reproducible: wasm-build
    cmp "{{wasm_out}}/binpipe.wasm" "{{embedded_wasm}}" || { echo "go-host/internal/wasm/binpipe.wasm differs from a rebuild from source: run 'just wasm' and commit" >&2; exit 1; }
    @echo "embedded wasm is byte-identical to a rebuild from source"

# Build the native tiers (tools/native: AVX2, AVX-512, NEON) into verified blobs and regenerate go-host/internal/native's Go assembly (commit the result).
native: tools
    cd tools/native && go run . -root ../..

# Fail unless rebuilding the native blobs from source gives exactly the committed generated files.
native-reproducible: tools
    cd tools/native && go run . -root ../.. -check

# The native tool's tests: every verifier rule shown to fire on a small bad object.
test-native-tool: tools
    cd tools/native && go test -count=1 ./...

# go-host/internal/native as a GOARCH=arm64 test binary under qemu-aarch64 (the NEON blob).
test-native-arm64: tools
    mkdir -p target/native && cd go-host && GOARCH=arm64 CGO_ENABLED=0 go test -c -o ../target/native/native_arm64.test ./internal/native/
    qemu-aarch64 target/native/native_arm64.test -test.count=1

# The root package on arm64 (every backend and the NEON tier: differential, conformance, aliasing, chain workers) as a GOARCH=arm64 test binary under qemu-aarch64.
test-go-arm64: tools
    mkdir -p target/native && cd go-host && GOARCH=arm64 CGO_ENABLED=0 go test -c -o ../target/native/binpipe_arm64.test .
    cd go-host && qemu-aarch64 ../target/native/binpipe_arm64.test -test.count=1 -test.run 'TestNative|TestPath|TestDifferential$|TestDifferentialSuite|TestInPlace|TestAppendAliasing|TestConformanceVectors$|TestChainWorker|TestTuned|TestAutoSteps'

# Regenerate what is generated from wit/kernels.wit: go-host/internal/wasm/zkernels.go, component/src/fastpath/zwit.rs, component/exports.txt's canonical lines (commit the result).
gen:
    cargo run -q -p binpipe-wasm-tool --locked -- gen .

# Formatting and lints: cargo fmt, clippy on every target we build, rustdoc links, gofmt, go vet; the files generated from the WIT are fresh.
lint:
    cargo fmt --all --check
    cargo run -q -p binpipe-wasm-tool --locked -- gen --check .
    cargo clippy --workspace --all-targets --locked -- -D warnings
    RUSTDOCFLAGS="-D warnings" cargo doc -p binpipe-kernels -p binpipe-plugin --no-deps --locked --quiet
    cargo clippy -p binpipe-kernels --all-targets --locked --target aarch64-unknown-linux-gnu -- -D warnings
    RUSTFLAGS="-C target-feature=+simd128" cargo clippy -p binpipe-kernels -p binpipe-component -p binpipe-plugin -p binpipe-plugin-filter -p binpipe-plugin-redact --locked --target wasm32-unknown-unknown -- -D warnings
    cargo clippy -p binpipe-kernels -p binpipe-component --locked --target wasm32-unknown-unknown -- -D warnings
    test -z "$(gofmt -l go-host tools/native plugins/go)" || { gofmt -l go-host tools/native plugins/go; echo "gofmt: files above need formatting" >&2; exit 1; }
    cd tools/native && go vet ./...
    cd go-host && CGO_ENABLED=0 go vet ./...
    cd go-host/container && CGO_ENABLED=0 go vet ./...
    cd go-host/cmd/binpipe && CGO_ENABLED=0 go vet ./...
    cd plugins/go/sdk && go vet ./... && GOOS=wasip1 GOARCH=wasm go vet ./...
    cd plugins/go/filter && GOOS=wasip1 GOARCH=wasm go vet ./...
    cd go-host/plugin/testdata/goprobe && GOOS=wasip1 GOARCH=wasm go vet ./...

# Cross-builds: every Go module (tests included, through go vet) for 32-bit, other 64-bit and
# non-linux targets, with and without the purego tag (no assembly at all); then the chain
# planning tests run as a real 386 binary (int is 32 bits there).
cross:
    #!/usr/bin/env bash
    set -euo pipefail
    for t in linux/amd64 linux/386 linux/arm linux/arm64 linux/riscv64 windows/amd64 windows/arm64 darwin/amd64 darwin/arm64; do
      for tags in "" purego; do
        for m in go-host go-host/container go-host/cmd/binpipe; do
          (cd "$m" && GOOS=${t%/*} GOARCH=${t#*/} CGO_ENABLED=0 go vet -tags "$tags" ./...) || { echo "cross-build failed: $m for $t (tags: ${tags:-none})" >&2; exit 1; }
        done
      done
      echo "cross-build ok: $t (default and purego)"
    done
    cd go-host && GOARCH=386 CGO_ENABLED=0 go test -count=1 -run 'Stage|Bound|Alignment|Parse' .

# Native kernel tests on every x86_64 tier this CPU has (tiers it lacks are skipped, saying so).
test-kernels:
    cargo test -p binpipe-kernels --release --locked
    cargo test -p binpipe-kernels --release --locked --features force-scalar

# Kernel tests on aarch64 NEON under qemu-aarch64.
test-neon: tools
    cargo test -p binpipe-kernels --release --locked --target aarch64-unknown-linux-gnu

# Kernel tests compiled to wasm, with and without simd128, run under Node's WASI.
test-wasm-kernels:
    RUSTFLAGS="-C target-feature=+simd128" cargo test -p binpipe-kernels --release --locked --target wasm32-wasip1
    cargo test -p binpipe-kernels --release --locked --target wasm32-wasip1

# Conformance vectors: regenerate from the independent references and compare with the committed file.
test-vectors: tools
    python3 tests/vectors/generate.py --check

# Conformance vectors natively (every tier) and under wasmtime (debug: cranelift builds 3x faster than in release).
test-conformance: wasm-build
    BINPIPE_WASM_DIR="{{wasm_out}}" cargo test -p binpipe-conformance --locked

# internal/purego (single-goroutine loops, 25x slower under the race detector) runs without
# -race, and so do internal/native's full sweeps, under -cpuprofile (SIGPROF lands inside the
# native blobs; its -short run, GC hammer included, is raced); the purego build tag (no assembly: no native tiers) is vetted and the root tests run
# once with it, without -race. The CLI's tests run the
# real binary as processes; its concurrency is the pipeline's and the container's (raced
# here), so they run without -race (with it: 8 minutes instead of 20 s).
#
# Go under wazero: host, conformance (simd and scalar module), pipeline, plugins (the Go
# plugins built by the tests with this Go), container (all -race), CLI, the Go plugin SDK.
test-go: wasm-build
    mkdir -p target/native && cd go-host && CGO_ENABLED=0 go build ./... && BINPIPE_SCALAR_WASM="{{wasm_out}}/binpipe.scalar.wasm" go test -race -count=1 $(go list ./... | grep -v -e /internal/purego$ -e /internal/native$) && go test -count=1 ./internal/purego/ && go test -count=1 -cpuprofile ../target/native/native.prof -o ../target/native/native_prof.test ./internal/native/ && go test -race -short -count=1 ./internal/native/
    cd go-host && go test -count=1 -run 'TestHostileFixtures|TestStallDetector' ./plugin/  # the sandbox's timing bounds, without the race detector's slowdown
    cd go-host && CGO_ENABLED=0 go vet -tags purego ./... && go test -tags purego -count=1 .
    cd go-host/container && CGO_ENABLED=0 go build ./... && go test -race -count=1 ./...
    cd go-host/cmd/binpipe && CGO_ENABLED=0 go build ./... && go test -count=1 ./...
    cd plugins/go/sdk && go test -race -count=1 ./...

# Build the example plugins (core modules and components) into target/plugins.
plugins-build:
    plugins/build.sh "{{plugins_out}}"

# Build the example plugins and copy their core modules to tests/plugins/examples (commit them).
plugins: plugins-build
    cp "{{plugins_out}}/filter.wasm" "{{plugins_out}}/redact.wasm" "{{committed_plugins}}/"

# Fail unless rebuilding the example plugins gives exactly the committed modules.
plugins-reproducible: plugins-build
    for p in filter redact; do cmp "{{plugins_out}}/$p.wasm" "{{committed_plugins}}/$p.wasm" || { echo "tests/plugins/examples/$p.wasm differs from a rebuild from source: run 'just plugins' and commit" >&2; exit 1; }; done
    @echo "example plugins are byte-identical to a rebuild from source"

# Plugins under wasmtime: fixtures match their .wat, the hostile suite, the examples vs references.
test-plugins:
    cargo test -p binpipe-plugin-host -p binpipe-plugin -p binpipe-plugin-filter -p binpipe-plugin-redact --locked

# The plugin sandbox's differential fuzzing on a fixed seed range (300 wasm-smith modules).
test-sandbox-diff:
    tools/sandbox-diff/run.sh --seeds 0 300

# Every test: lints, kernels on every ISA, vectors, wasmtime, plugins, Go, committed-wasm rebuilds.
test: tools lint cross test-kernels test-neon test-wasm-kernels test-vectors test-conformance test-plugins test-sandbox-diff test-go test-native-tool test-native-arm64 test-go-arm64 wasm-reproducible plugins-reproducible native-reproducible
    @echo "all tests passed"

# Packs and unpacks 256 MiB of telemetry records: per-stage and end-to-end throughput, size vs
# plain zstd, and the same run in pure Go. Needs only Go.
#
# The main job (`just demo --size 64MiB` for a smaller run).
demo *args:
    cd go-host/cmd/binpipe && go run . demo {{args}}

# Rust benchmarks: native kernels vs the best crates, and wasm (wasmtime) vs native.
bench-rust: wasm-build
    cargo bench -p binpipe-kernels --locked
    BINPIPE_WASM_DIR="{{wasm_out}}" cargo bench -p binpipe-conformance --locked
    cargo bench -p binpipe-plugin-host --locked

# Go benchmarks: every backend vs the Go standard library and peers, summarised by benchstat.
bench-go:
    #!/usr/bin/env bash
    set -euo pipefail
    command -v benchstat >/dev/null || go install golang.org/x/perf/cmd/benchstat@{{benchstat_version}}
    cd go-host && go test -run '^$' -bench . -benchtime 200ms -count 6 . | tee /tmp/binpipe-bench-go.txt
    benchstat /tmp/binpipe-bench-go.txt

# Measure BackendAuto's path tables here (quiet machine: refuses above load 0.5): rewrites go-host/tuned_<class>.go and tuned_none.go.
tune:
    cd go-host && BINPIPE_TUNE=1 go test -run '^TestTune$' -count=1 -timeout 1h -v . | grep -v '^=== RUN'
    cd go-host && BINPIPE_TUNE=1 go test -tags purego -run '^TestTune$' -count=1 -timeout 1h -v . | grep -v '^=== RUN'

# The example plugins (Rust and Go filter) on both hosts: module size, load time, empty call, throughput; quiet machine only, results in tests/plugins/bench/results.txt.
bench-plugins:
    tests/plugins/bench/run.sh

# Go API on every path (auto, native tiers, wasm, go) vs no-cgo peers, 0-byte call costs; quiet machine only (load <= 0.5), results in go-host/bench/results/native-<class>*.
bench-native:
    #!/usr/bin/env bash
    set -euo pipefail
    export BENCHSTAT_VERSION={{benchstat_version}}
    go-host/bench/bench-native.sh

# Every benchmark.
bench: bench-rust bench-go

# Differential fuzzing of the plugin sandbox for SECONDS: wasm-smith modules under wasmtime (as they are and with the Rust host's checkpoints) against the Go host's rewriter under wazero.
fuzz-sandbox seconds="60":
    tools/sandbox-diff/run.sh {{seconds}}

# Fuzz every decoder and kernel family for SECONDS each; prints executions and findings per target.
fuzz seconds="60":
    #!/usr/bin/env bash
    set -euo pipefail
    rustup toolchain list | grep -q "^{{fuzz_nightly}}" || rustup toolchain install {{fuzz_nightly}} --profile minimal
    cargo fuzz --version 2>/dev/null | grep -q "{{cargo_fuzz_version}}" || cargo install cargo-fuzz --version {{cargo_fuzz_version}} --locked
    NIGHTLY={{fuzz_nightly}} fuzz/run.sh {{seconds}}
