package binpipe

import (
	"math"
	"runtime"
)

// Hybrid dispatch (BackendAuto) and buffer tuning: every number the dispatcher uses is here.
//
// The thresholds come from BenchmarkKernels in bench_test.go, which runs every kernel on every
// backend at each size side by side; the table, the machine and the command are in
// docs/benchmarks-go.md ("Hybrid thresholds"). Re-measure and update both when the module's
// kernels change (for example when a SIMD path lands) or wazero's compiler improves.
const (
	// never disables the wasm path for a kernel under BackendAuto.
	never = math.MaxInt

	// crc32cWasmMin: hash/crc32 uses the CPU's CRC32/CLMUL instructions, which wasm lacks;
	// Go wins at every size.
	crc32cWasmMin = never
	// countByteWasmMin: bytes.Count is SIMD assembly in Go; Go wins at every size.
	countByteWasmMin = never
	// shuffleWasmMin and unshuffleWasmMin: the input length in bytes from which the wasm fast
	// path (one crossing plus a copy in and out, ~0.2-0.3 µs fixed) beats the plain Go loop.
	// BenchmarkShuffleThreshold, element sizes 4 and 8: Go wins at 64 bytes (2-4x), the two
	// tie at 128-192, wasm wins at 256 (1.3-1.8x) and by 2-3x from 512 bytes up.
	shuffleWasmMin   = 256
	unshuffleWasmMin = 256

	// wasmChunk is the piece size in which CRC32C and CountByte are fed to the module: large
	// enough to amortise the ~40 ns crossing, small enough to stay in L2 and keep the
	// instance's in-buffer small.
	wasmChunk = 1 << 20

	// defaultMaxBuffer is the default of WithMaxBufferSize; maxMaxBuffer its upper bound (a
	// shuffle holds input and output, 2 × 1.5 GiB, in the 4 GiB wasm32 address space).
	defaultMaxBuffer = 1 << 30
	maxMaxBuffer     = 3 << 29

	// retainMemory: an instance whose linear memory grew beyond this many bytes is closed
	// instead of going back to the pool (wasm memory never shrinks).
	retainMemory = 64 << 20
)

// wasmCompiled reports whether wazero compiles wasm to machine code on this platform. Elsewhere
// it interprets, far slower than Go, so BackendAuto stays in Go.
const wasmCompiled = runtime.GOARCH == "amd64" || runtime.GOARCH == "arm64"
