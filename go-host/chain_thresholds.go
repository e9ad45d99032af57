package binpipe

import "math"

// Hybrid dispatch of chains (BackendAuto). A chain runs either stage by stage in process (each
// stage in Go, or natively where the engine has the stage's kernel: chain_native.go) or in one
// bp_run_chain call; which is faster depends on its stages, not on a size alone: native stages
// need no copy, the module's hex, base64 and bit packing are 2-5× Go's. So BackendAuto
// estimates both from a per-stage cost table and takes the cheaper.
//
// The costs are picoseconds per input byte of the stage, from BenchmarkChainStages (each stage
// alone in a ChainWorker, 1 MiB, median of 3 runs, 64 KiB in brackets where it differs; the
// 2-core project machine, shared and loaded, so ±20%):
//
//	go test -run '^$' -bench 'BenchmarkChainStages' -benchtime 30x -count 3 ./
//
//	stage                  go ps/B        wasm ps/B
//	shuffle:4, :8          130 (75)       300 (300)    Go assembly (amd64, since removed)
//	shuffle:3              1500           5500         the module's generic transpose
//	unshuffle:4, :8        140 (57)       200 (180)
//	unshuffle:16           1020           900
//	delta-encode:8, :2     240, 340       200, 195
//	delta-decode:8         215            195
//	byteswap:4             210            175
//	extract-field:32,16,8  140 (64)       130 (73)
//	hex-encode, hex-decode 1190, 800      290, 200
//	base64-encode, -decode 1760, 810      320, 310
//	varint-encode, -decode 1090, 4150     690, 3850
//	bitpack:11, bitunpack  2360, 3840     1050, 1030
//
// BenchmarkChain checks the model on whole chains (docs in README.md, "Chains").
const (
	// chainWasmMin is the smallest input BackendAuto's RunChain sends to the module: below it
	// the crossing and the copies in and out are not amortised.
	chainWasmMin = 4 << 10
	// chainCallPS is the fixed cost of one bp_run_chain call (crossing, view, bookkeeping),
	// and chainCopyPS the cost per byte of copying into and out of linear memory (RunChain's
	// append form; a ChainWorker has no copies).
	chainCallPS = 300_000
	chainCopyPS = 100
	// nativeStageShare: a native stage is estimated at 1/nativeStageShare of the module's cost.
	nativeStageShare = 2
)

// stageCostPS returns the estimated cost of s per input byte on the Go path and in the module,
// in picoseconds.
func (s Stage) stageCostPS() (goPS, wasmPS uint64) {
	switch s.kind {
	case kindShuffle, kindUnshuffle:
		switch {
		case s.a == 1: // a copy
			goPS, wasmPS = 50, 100
		default:
			goPS = 1300
		}
		switch {
		case s.a == 1:
		case wasmShuffleWins(s.a):
			wasmPS = 250
		case s.a < 16:
			wasmPS = 4000
		default:
			wasmPS = 1000
		}
		return goPS, wasmPS
	case kindDeltaEncode, kindDeltaDecode:
		return 260, 200
	case kindByteswap:
		return 210, 175
	case kindExtractField:
		return 140, 130
	case kindHexEncode:
		return 1190, 290
	case kindHexDecode:
		return 800, 200
	case kindBase64Encode:
		return 1760, 320
	case kindBase64Decode:
		return 810, 310
	case kindVarintEncode:
		return 1090, 690
	case kindVarintDecode:
		return 4150, 3850
	case kindBitpack:
		return 2360, 1050
	case kindBitunpack:
		return 3840, 1030
	}
	return 0, 0
}

// chainWasmGain estimates how many picoseconds running the checked stages on an n-byte input
// in the module saves over running them in process on e (negative: in process is faster),
// counting copies in and out if copies. A stage e runs natively (stagePath) is taken to cost
// half the module's (nativeStageShare): the same lanes, at least twice as wide as wazero's
// 128-bit SSE, without bounds checks (NATIVE.md measured 5-7x today's Go API on four
// kernels) — so a chain whose stages are all native stays in process.
func (e *Engine) chainWasmGain(n int, stages []Stage, copies bool) int64 {
	size := uint64(n)
	gain := -int64(chainCallPS)
	if copies {
		gain -= int64(size * chainCopyPS)
	}
	for _, s := range stages {
		goPS, wasmPS := s.stageCostPS()
		if e.stagePath(s, int(min(size, math.MaxInt32))).isNative() {
			goPS = min(goPS, wasmPS/nativeStageShare)
		}
		gain += int64(size*goPS) - int64(size*wasmPS)
		size, _ = s.outputBound(size)
	}
	if copies {
		gain -= int64(size * chainCopyPS)
	}
	return gain
}
