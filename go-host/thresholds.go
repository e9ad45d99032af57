package binpipe

import (
	"math"
	"runtime"
)

// Hybrid dispatch (BackendAuto) and buffer tuning: every number the dispatcher uses is here.
//
// The thresholds come from BenchmarkKernels (every kernel on every backend at 0, 4 KiB, 64 KiB
// and 1 MiB) and BenchmarkShuffleThreshold (wasm vs Go from 64 bytes to 64 KiB) in
// bench_test.go; the tables, the machine and the commands are in docs/benchmarks-go.md
// ("Hybrid thresholds"). Re-measure and update both when the module's kernels change or
// wazero's compiler improves.
const (
	// never disables the wasm path for a kernel under BackendAuto.
	never = math.MaxInt

	// crc32cWasmMin: hash/crc32 uses the CPU's CRC32/CLMUL instructions, which wasm lacks;
	// Go wins at every size.
	crc32cWasmMin = never
	// countByteWasmMin: bytes.Count is SIMD assembly in Go; Go wins at every size.
	countByteWasmMin = never
	// shuffleWasmMin and unshuffleWasmMin: the input length in bytes from which the wasm fast
	// path (one crossing plus a copy in and out, ~0.15-0.2 µs fixed on the benchmark machine)
	// beats the plain Go loop. BenchmarkShuffleThreshold, element sizes 4 and 8, three runs
	// (docs/benchmarks-go.md, "Hybrid thresholds"): at 64 bytes Go wins (wasm 0.2-0.75x);
	// shuffle ties at 128-192 and wins from 256 in every run (1.1-2.4x, 2-4.5x from 512);
	// unshuffle is mixed up to 256 with 8-byte elements and wins from 384 in every run
	// (1.8-2.6x).
	shuffleWasmMin   = 256
	unshuffleWasmMin = 384

	// The suite's kernels. Provisional, until BenchmarkKernels has run on the module that has
	// them: wasm never where Go has assembly (hash/crc32's CLMUL for CRC-32, bytes.IndexByte
	// under FindByte and IndexByte); elsewhere from 4 KiB, where the ~0.2 µs crossing and the
	// copies are a small part of a call.
	crc32WasmMin        = never
	findByteWasmMin     = never
	indexByteWasmMin    = never
	xxh3WasmMin         = 4 << 10
	findAnyWasmMin      = 4 << 10
	mismatchWasmMin     = 4 << 10
	utf8ValidateWasmMin = 4 << 10
	asciiPrefixWasmMin  = 4 << 10
	hexEncodeWasmMin    = 4 << 10
	hexDecodeWasmMin    = 4 << 10
	base64EncodeWasmMin = 4 << 10
	base64DecodeWasmMin = 4 << 10
	varintEncodeWasmMin = 4 << 10 // bytes of values: 8 per value
	varintDecodeWasmMin = 4 << 10
	deltaEncodeWasmMin  = 4 << 10
	deltaDecodeWasmMin  = 4 << 10
	byteswapWasmMin     = 4 << 10
	bitpackWasmMin      = 4 << 10 // bytes of values: 4 per value
	bitunpackWasmMin    = 1 << 10 // values unpacked
	extractFieldWasmMin = 4 << 10
	compareWasmMin      = 4 << 10
	selectWasmMin       = 4 << 10
	aggregateWasmMin    = 4 << 10

	// shuffleAsmWasmMin replaces shuffleWasmMin and unshuffleWasmMin where internal/shufasm
	// handles the element size (2, 4 or 8 bytes on amd64): our AVX2 (or SSE2) assembly needs
	// no crossing and no copies, and beats the wasm path at every size measured:
	// BenchmarkShuffleThreshold, element sizes 4 and 8, 64 bytes to 64 KiB, 1.9-17× (weakest at
	// 64 and 192 bytes of 8-byte elements, where 8 elements are left to the Go loop), and
	// 7.5-15× at 1 MiB (docs/benchmarks-go.md, "Hybrid thresholds", kernel and peer tables).
	// So wasm is never used for those shuffles.
	shuffleAsmWasmMin = never

	// wasmShuffleMaxElem: the largest element size handed to wasm (see wasmShuffleWins).
	wasmShuffleMaxElem = 8

	// wasmChunk is the piece size in which the wasm backends feed the kernels whose input can
	// be split (CRC32C, CRC32, CountByte, FindByte, FindAny, IndexByte, Mismatch, UTF8Validate,
	// ASCIIPrefix) to the module: large enough to amortise the ~0.15 µs call, small enough to
	// keep the instance's buffers small.
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

// wasmShuffleWins reports whether the wasm shuffle kernels beat the plain Go loop under wazero
// for elemSize (above shuffleWasmMin/unshuffleWasmMin bytes). BenchmarkShuffleElemSizes, 64 KiB,
// every class of element size (docs/benchmarks-go.md, "Element sizes"): only the module's
// in-register transposes for 2, 4 and 8 bytes win clearly (3-5× the loop; on amd64 the Go
// assembly takes those sizes anyway). The generic transpose that serves the other sizes keeps
// many vectors live, which wazero's register allocator spills: 0.2-1.0× the Go loop for 3-12,
// a tie from 16 up (one +26% outlier at 64); one-byte elements are a copy, which Go does
// without a crossing.
func wasmShuffleWins(elemSize int) bool {
	return elemSize > 1 && elemSize <= wasmShuffleMaxElem && elemSize&(elemSize-1) == 0
}
