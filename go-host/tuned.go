package binpipe

// BackendAuto's choice of path, per kernel and input size, on every CPU.
//
// The choice is made once per engine (plan) from a measured preference table for the CPU's
// class, its widest native tier: "avx512", "avx2", "neon", or "none" (no native code: the
// purego build tag, another GOARCH, or a CPU without any tier). Each class has one committed
// table, tuned_<class>.go, written by TestTune (`just tune`, which refuses to measure on a
// loaded machine), naming the machine it was measured on; a class measured on one CPU (say an
// AMD EPYC with AVX-512) is used on every CPU of the class (an Intel Xeon with AVX-512) until
// someone measures there too and commits the result.
//
// Where a table has no entry for a kernel (the class was never measured, the tier it names is
// not available or lacks the kernel, the entry is malformed) the structural defaults decide:
//   - a native kernel beats the module at every size (no copy into guest memory, wider
//     vectors than wazero's 128-bit SSE), so the module is not used for it;
//   - below nativeGoBelow bytes a Go loop beats the ~5-10 ns native call;
//   - the standard library's assembly (CRC-32C, CRC-32, bytes.Count, bytes.IndexByte) stays
//     in Go at every size until a measurement says otherwise;
//   - without native code, the module's thresholds (thresholds.go) decide between Go and wasm;
//   - an unmeasured kernel takes its widest native tier (AVX-512 is not always the fastest: the
//     measurement is how a table learns that), except a kernel made native after the tables
//     were measured (nativeUnmeasured in native.go), which keeps the defaults of a kernel
//     without native code until a table names its tier.

// tuned is one CPU class's measured preference table, as TestTune writes it.
type tuned struct {
	class   string // "avx512", "avx2", "neon" or "none"
	machine string // CPU model and flags, Go version, GOOS/GOARCH: where it was measured
	when    string // date and the load average before and after the run
	// steps holds, per kernel (WIT name), from which input size on which path is fastest
	// ("go", "wasm", or a native tier name), ascending, the first from 0.
	steps map[string][]tunedStep
}

// tunedStep is one step of a tuned table: from inputs of from units on, take the path named use.
type tunedStep struct {
	from int
	use  string
}

// tunedTables are the committed tables, one per class (tuned_<class>.go).
var tunedTables = [...]*tuned{&tunedAVX512, &tunedAVX2, &tunedNEON, &tunedNone}

// nativeGoBelow: without a measurement, inputs shorter than this many bytes stay in Go, whose
// loops finish them in about the time a native call takes to start.
const nativeGoBelow = 32

// wasmDefaults is the structural default wasm threshold of each kernel for CPU classes whose
// table lacks the kernel and which have no native code for it (thresholds.go). Units are the
// route's: bytes, 8 per value for varint-encode, 4 per value for bitpack and bitunpack.
var wasmDefaults = [numKernels]int{
	kCRC32C: crc32cWasmMin, kCRC32: crc32WasmMin, kXXH3: xxh3WasmMin,
	kCountByte: countByteWasmMin, kFindByte: findByteWasmMin, kFindAny: findAnyWasmMin,
	kIndexByte: indexByteWasmMin, kMismatch: mismatchWasmMin,
	kUTF8Validate: utf8ValidateWasmMin, kASCIIPrefix: asciiPrefixWasmMin,
	kHexEncode: hexEncodeWasmMin, kHexDecode: hexDecodeWasmMin,
	kBase64Encode: base64EncodeWasmMin, kBase64Decode: base64DecodeWasmMin,
	kVarintEncode: varintEncodeWasmMin, kVarintDecode: varintDecodeWasmMin,
	kShuffle: shuffleWasmMin, kUnshuffle: unshuffleWasmMin,
	kDeltaEncode: deltaEncodeWasmMin, kDeltaDecode: deltaDecodeWasmMin, kByteswap: byteswapWasmMin,
	kBitpack: bitpackWasmMin, kBitunpack: 4 * bitunpackWasmMin, kExtractField: extractFieldWasmMin,
	kCompare: compareWasmMin, kSelect: selectWasmMin, kAggregate: aggregateWasmMin,
}

// goAssembly reports whether Go's standard library runs k in assembly, which the structural
// defaults keep at every size.
func goAssembly(k kernelID) bool {
	return k == kCRC32C || k == kCRC32 || k == kCountByte || k == kFindByte
}

// cpuClass is this build's and CPU's class: its widest native tier, or "none".
func cpuClass(tiers []nativeTier) string {
	best := pathGo
	for _, t := range tiers {
		best = max(best, t.p)
	}
	if best == pathGo {
		return "none"
	}
	return best.String()
}

// tableFor returns the committed table of class, or nil.
func tableFor(class string) *tuned {
	for _, t := range tunedTables {
		if t.class == class {
			return t
		}
	}
	return nil
}

// autoSteps returns BackendAuto's steps for k: the table's, if it has a usable entry, else the
// structural defaults.
func autoSteps(k kernelID, table *tuned, tiers []nativeTier) []step {
	if table != nil {
		if s, ok := fromTable(table.steps[k.String()], k, tiers); ok {
			return s
		}
	}
	steps := []step{{0, pathGo}}
	if t, ok := widestWith(k, tiers); ok && !nativeUnmeasured[k] {
		if goAssembly(k) {
			return steps
		}
		return append(steps, step{nativeGoBelow, t.p})
	}
	if min := wasmDefaults[k]; min != never && wasmCompiled {
		steps = append(steps, step{min, pathWasm})
	}
	return steps
}

// fromTable converts a table entry, or reports false if it is empty or unusable here: not
// ascending from 0, naming an unknown path, a tier this machine lacks or that lacks k, or wasm
// where wazero would interpret.
func fromTable(entry []tunedStep, k kernelID, tiers []nativeTier) ([]step, bool) {
	if len(entry) == 0 || entry[0].from != 0 {
		return nil, false
	}
	out := make([]step, 0, len(entry))
	for i, ts := range entry {
		p, ok := pathByName(ts.use)
		switch {
		case !ok, p == pathCanonical, p == pathWasm && !wasmCompiled, i > 0 && ts.from <= entry[i-1].from:
			return nil, false
		case p.isNative():
			if _, ok := tierWith(p, k, tiers); !ok {
				return nil, false
			}
		}
		out = append(out, step{ts.from, p})
	}
	return out, true
}

// widestWith returns the widest tier that has k natively.
func widestWith(k kernelID, tiers []nativeTier) (nativeTier, bool) {
	var best nativeTier
	found := false
	for _, t := range tiers {
		if t.has(k) && (!found || t.p > best.p) {
			best, found = t, true
		}
	}
	return best, found
}

// tierWith returns tier p if it is available and has k natively.
func tierWith(p path, k kernelID, tiers []nativeTier) (nativeTier, bool) {
	for _, t := range tiers {
		if t.p == p && t.has(k) {
			return t, true
		}
	}
	return nativeTier{}, false
}

// nativeChoice is BackendNative's tier for k: the pinned tier if one is, else the native tier
// that k's table entry takes at its largest size, else the widest tier with k; false if no
// available tier has k (the call then takes the Go path).
func nativeChoice(k kernelID, pinned path, table *tuned, tiers []nativeTier) (path, bool) {
	if pinned != pathGo {
		t, ok := tierWith(pinned, k, tiers)
		return t.p, ok
	}
	if table != nil {
		if s, ok := fromTable(table.steps[k.String()], k, tiers); ok {
			for i := len(s) - 1; i >= 0; i-- {
				if s[i].use.isNative() {
					return s[i].use, true
				}
			}
		}
	}
	t, ok := widestWith(k, tiers)
	return t.p, ok
}

// plan builds e's steps for every kernel from its backend.
func (e *Engine) planPaths(tiers []nativeTier) {
	table := tableFor(cpuClass(tiers))
	for k := range kernelID(numKernels) {
		switch e.cfg.backend {
		case BackendAuto:
			e.plan[k] = autoSteps(k, table, tiers)
		case BackendNative:
			p, ok := nativeChoice(k, e.cfg.nativeTier, table, tiers)
			if !ok {
				p = pathGo
			}
			e.plan[k] = []step{{0, p}}
		default:
			p, _ := e.fixedPath()
			e.plan[k] = []step{{0, p}}
		}
	}
	e.fixed = e.cfg.backend != BackendAuto
}
