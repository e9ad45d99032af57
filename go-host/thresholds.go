package binpipe

import (
	"math"
	"runtime"
)

// Hybrid dispatch between Go and wasm (BackendAuto's structural defaults where the CPU class's
// measured table, tuned.go, has no entry for a kernel and no native tier has it) and buffer
// tuning.
//
// The thresholds come from BenchmarkKernels (every kernel on every backend at 4 KiB, 64 KiB
// and 1 MiB), BenchmarkThresholds (wasm vs Go per kernel from 128 bytes to 16 KiB) and
// BenchmarkShuffleThreshold (wasm vs Go shuffles from 64 bytes to 64 KiB) in bench_test.go;
// the tables, the machine and the commands are in docs/benchmarks-go.md ("Hybrid thresholds",
// "The suite's kernels"). Re-measure and update both when the module's kernels or the pure-Go
// twins change, or wazero's compiler improves.
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

	// The suite's kernels: BenchmarkThresholds (go vs wasm from 128 B to 16 KiB, 3 rounds, per
	// round ratio go-time/wasm-time: >1 means wasm is faster) and BenchmarkKernels (4 KiB,
	// 64 KiB, 1 MiB, 2 rounds), docs/benchmarks-go.md, "The suite's kernels". Where Go has
	// the kernel in assembly or a pure-Go twin that keeps up, wasm is never used:
	//   crc32: hash/crc32 (CLMUL) is 9-17x the module's CRC at 4 KiB-1 MiB;
	//   xxh3-64: the pure-Go XXH3 is 1.4-2.8x the module at 4 KiB-1 MiB and wins from 128 B;
	//   find-any, index-byte, mismatch, ascii-prefix: the twins (bytes.IndexByte and
	//   word-at-a-time loops) are 1.4-9x the module at every size;
	//   base64-encode: Go wins below 2 KiB, then a tie (0.86-1.14x up to 1 MiB);
	//   varint-encode and varint-decode: Go is 1.04-2.7x at every size;
	//   extract-field and select: Go is 1.8-2.5x at every size; byteswap: 0.7-1.1x, at best
	//   a tie.
	crc32WasmMin        = never
	findByteWasmMin     = never
	indexByteWasmMin    = never
	xxh3WasmMin         = never
	findAnyWasmMin      = never
	mismatchWasmMin     = never
	asciiPrefixWasmMin  = never
	base64EncodeWasmMin = never
	varintEncodeWasmMin = never
	varintDecodeWasmMin = never
	byteswapWasmMin     = never
	extractFieldWasmMin = never
	selectWasmMin       = never
	// utf8ValidateWasmMin counts the bytes after the ASCII prefix, which Auto validates in Go
	// (the twin beats the module 2.5-9x on ASCII): on mixed-width text wasm is 1.2x at 128 B
	// (min 0.87), 1.8x at 256 B (min 1.66), 5x at 2 KiB, 5-10x at 4 KiB-1 MiB.
	utf8ValidateWasmMin = 256
	// hexEncodeWasmMin: 1.1x at 256 B (min 0.91), 2.0x at 512 B (min 1.57), 3.4-4.6x from
	// 4 KiB.
	hexEncodeWasmMin = 512
	// hexDecodeWasmMin: 0.94x at 128 B, 1.9x at 512 B (min 1.53), 3.0-3.4x from 4 KiB.
	hexDecodeWasmMin = 512
	// base64DecodeWasmMin: 1.1x at 512 B (min 0.62), 1.5x at 1 KiB (min 1.11), 1.1-2.3x from
	// 4 KiB (2.1x at 64 KiB and 1 MiB).
	base64DecodeWasmMin = 1 << 10
	// compareWasmMin: 0.5x at 128 B, 2.1-2.6x at 1 KiB (min 1.10), 3.5-6.7x from 4 KiB.
	compareWasmMin = 1 << 10
	// deltaEncodeWasmMin and deltaDecodeWasmMin: encode 1.1x at 2 KiB (min 0.96), 1.7-2x at
	// 4 KiB, 1.1-1.6x above; decode 1.2x at 2 KiB (min 0.98), 1.2-1.5x at 4-64 KiB, 0.9x at
	// 1 MiB (the copies in and out weigh more once the data leaves L2). These hold for widths
	// 1, 2 and 4; width 8 stays in Go at every size (see deltaWasmWins).
	deltaEncodeWasmMin = 4 << 10
	deltaDecodeWasmMin = 4 << 10
	// bitpackWasmMin (bytes of values, 4 per value): 1.1x at 2 KiB (min 0.89), 1.1-1.2x from
	// 4 KiB (11-bit values). A small gain, kept because it holds at every size above.
	bitpackWasmMin = 4 << 10
	// bitunpackWasmMin counts values: 1.2x at 256 values (min 1.15), 1.9-4.8x from 1024.
	bitunpackWasmMin = 256
	// aggregateWasmMin: f64 1.0-1.5x from 2 KiB (a tie at 1 MiB), i32 1.5x at 4 KiB (min
	// 1.34) and 1.2-2x above; below 2 KiB it varies 0.5-2x between rounds.
	aggregateWasmMin = 4 << 10

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
// in-register transposes for 2, 4 and 8 bytes win clearly (3-5× the loop; native code takes
// every size where there is some). The generic transpose that serves the other sizes keeps
// many vectors live, which wazero's register allocator spills: 0.2-1.0× the Go loop for 3-12,
// a tie from 16 up (one +26% outlier at 64); one-byte elements are a copy, which Go does
// without a crossing.
func wasmShuffleWins(elemSize int) bool {
	return elemSize > 1 && elemSize <= wasmShuffleMaxElem && elemSize&(elemSize-1) == 0
}

// deltaWasmWins reports whether the wasm delta kernels can beat Go for width under wazero
// (above deltaEncodeWasmMin/deltaDecodeWasmMin bytes). Width 8 cannot: one 64-bit add or
// subtract per element is what Go's loop does already, and the module adds copies in and out
// (BenchmarkBackends, docs/benchmarks-go-peers.md: wasm/Go 0.69-0.94 encoding and 0.39-0.90
// decoding width-8 timestamps at 4 KiB-1 MiB), while for widths 1-4 the module's lanes win
// 1.2-1.9x.
func deltaWasmWins(width int) bool { return width != 8 }

// nativeCallMax is the longest input BackendAuto gives k's native code, whatever the table
// says: longer inputs run in Go. Native code cannot be preempted, so the garbage collector's
// stop-the-world waits for a running call; internal/native splits long inputs of most kernels
// into calls of at most 256 KiB (about 3-70 µs), but some cannot be split: XXH3 has no
// streaming state in the kernels crate (20-30 µs per MiB, measured under load: 2 MiB keeps a
// call near 50 µs), a shuffle's output planes span the whole input, and delta decoding's
// running sum crosses every element (1 MiB: tens of µs), and a float aggregate is one call
// (its 8-lane sum cannot be split without changing the result's bits). BackendNative, chosen
// explicitly, runs every length natively.
func nativeCallMax(k kernelID) int {
	switch k {
	case kXXH3:
		return 2 << 20
	case kShuffle, kUnshuffle, kDeltaDecode, kAggregate:
		return 1 << 20
	}
	return math.MaxInt
}
