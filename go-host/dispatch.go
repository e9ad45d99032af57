package binpipe

// How a call finds its path: every engine holds, per kernel, a short list of steps ("from n
// units on, take path p"), built once in New from its backend (plan below). A fixed backend
// has one step per kernel; BackendAuto's steps come from the measured table of this CPU class
// (tuned.go) or, where that table has nothing for a kernel, from the structural defaults
// there. route walks the steps: at most a few compares per call.

// path is one way of running a kernel.
type path uint8

const (
	pathGo        path = iota // Go: the standard library, internal/purego
	pathWasm                  // the wasm module through the fast-path ABI
	pathCanonical             // the wasm module through the canonical-ABI exports
	pathAVX2                  // native code, x86-64 AVX2 tier (internal/native)
	pathAVX512                // native code, x86-64 AVX-512 tier
	pathNEON                  // native code, arm64 NEON tier
	numPaths
)

// pathNames are Path's names, indexed by path.
var pathNames = [numPaths]string{"go", "wasm", "canonical", "avx2", "avx512", "neon"}

// String returns the path's name, as Engine.Path reports it.
func (p path) String() string { return pathNames[p] }

// isNative reports whether p runs native code.
func (p path) isNative() bool { return p >= pathAVX2 }

// inProcess reports whether p runs without the wasm module (Go or native code).
func (p path) inProcess() bool { return p == pathGo || p.isNative() }

// pathByName returns the path named name ("go", "wasm", "avx2", ...).
func pathByName(name string) (path, bool) {
	for p, n := range pathNames {
		if n == name {
			return path(p), true
		}
	}
	return 0, false
}

// step says: from inputs of from units on (bytes, except where the kernel says otherwise),
// take use.
type step struct {
	from int
	use  path
}

// route picks the path of one call of kernel k on an n-unit input. wasmOK is false where the
// kernel's parameters rule the module out (wasmShuffleWins, deltaWasmWins): BackendAuto then
// stays in process. Fixed backends ignore n and wasmOK. BackendAuto runs the kernels that
// internal/native cannot split in Go above nativeCallMax (thresholds.go), where the garbage
// collector can preempt them.
func (e *Engine) route(k kernelID, n int, wasmOK bool) path {
	steps := e.plan[k]
	p := steps[0].use
	if e.fixed {
		return p
	}
	for _, s := range steps[1:] {
		if n < s.from {
			break
		}
		p = s.use
	}
	switch {
	case p == pathWasm && (!wasmOK || n > e.cfg.maxBuffer):
		return pathGo
	case p.isNative() && n > nativeCallMax(k):
		return pathGo // one native call for the whole input: keep it short for the GC
	}
	return p
}

// fixedPath is the path every call takes on a backend that never chooses by size: Go, wasm
// and canonical. BackendNative chooses per kernel (native or, where the tier lacks the
// kernel, Go) and BackendAuto per kernel and size, so neither is fixed in this sense.
func (e *Engine) fixedPath() (path, bool) {
	switch e.cfg.backend {
	case BackendGo:
		return pathGo, true
	case BackendWasm:
		return pathWasm, true
	case backendCanonical:
		return pathCanonical, true
	}
	return pathGo, false
}

// Path reports the path a call of kernel (its WIT name, for example "hex-encode") on an
// n-byte input takes on e: "go" (the standard library or binpipe's Go code), "wasm" or
// "canonical" (the wasm module), or a native tier, "avx2", "avx512" or "neon". n counts the
// kernel's input bytes; for varint-encode and bitpack the bytes of the values (8 and 4 per
// value), for bitunpack 4 per value to unpack. Parameters can narrow the choice further: a
// shuffle whose element size the module handles poorly, or width-8 delta coding, never goes
// to wasm under BackendAuto. An unknown kernel name reports "".
//
//	e.Path("base64-encode", 64<<10) // "avx2" on an AVX2 machine whose table says so
func (e *Engine) Path(kernel string, n int) string {
	k, ok := kernelByName(kernel)
	if !ok {
		return ""
	}
	return e.route(k, n, true).String()
}

// Path reports the path the package-level function of kernel takes on an n-byte input on this
// machine: the default engine's (BackendAuto) Engine.Path.
//
//	binpipe.Path("xxh3-64", 1<<20) // "avx512", "avx2", "go", ...
func Path(kernel string, n int) string { return defaultEngine().Path(kernel, n) }
