package binpipe

import (
	"fmt"
	"runtime"
)

// Backend selects how an Engine runs the kernels.
type Backend int

const (
	// BackendAuto (the default) takes, per call, the fastest path for the kernel and the input
	// size on this CPU: native code on the kernel's fastest tier, Go's assembly (hash/crc32,
	// bytes.IndexByte, bytes.Count), binpipe's Go, or the wasm module, as the measured table of
	// this CPU class says (tuned.go; `just tune` measures it), with structural defaults where
	// the table has nothing: native beats wasm at every size, a Go loop wins below a few dozen
	// bytes, and without native code the thresholds of thresholds.go choose between Go and
	// wasm. Engine.Path reports the choice.
	BackendAuto Backend = iota
	// BackendGo runs everything in Go, without wasm and without binpipe's native code: the
	// standard library where it has the kernel (hash/crc32, bytes.IndexByte, bytes.Count) and
	// binpipe's pure-Go kernels (internal/purego) for the rest. It never compiles the wasm
	// module.
	BackendGo
	// BackendWasm runs every kernel in the wasm module through the fast-path ABI: the isolated
	// path, where a kernel bug cannot corrupt the Go process's memory.
	BackendWasm
	// backendCanonical runs every kernel through the module's canonical-ABI (component model)
	// exports, lowering arguments as a component host would. It exists to cross-check the
	// fast path and to measure what the canonical ABI costs (it allocates on every call), so
	// only the tests and benchmarks name it (as BackendCanonical, export_test.go).
	backendCanonical
	// BackendNative runs every kernel that has native code on this CPU natively, at every size:
	// binpipe's Rust SIMD kernels compiled to Go assembly, in this process, like Go's own
	// assembly (no cgo, no sandbox: a bug in a kernel is memory corruption). The tier is the
	// one WithNativeTier pins, else the kernel's fastest tier per this CPU class's table (the
	// widest without one). A kernel the tier lacks runs as on BackendGo (Engine.Path says
	// which), never in wasm: BackendNative never compiles the module. New fails with
	// ErrNoNative where there is no native tier (the purego build tag, GOARCHes other than
	// amd64 and arm64, CPUs without AVX2).
	BackendNative
)

// String returns the backend's name: "auto", "go", "wasm", "canonical" or "native".
func (b Backend) String() string {
	switch b {
	case BackendAuto:
		return "auto"
	case BackendGo:
		return "go"
	case BackendWasm:
		return "wasm"
	case backendCanonical:
		return "canonical"
	case BackendNative:
		return "native"
	}
	return fmt.Sprintf("Backend(%d)", int(b))
}

// needsWasm reports whether an engine with this backend can call into the module on this
// platform (BackendAuto stays in Go where wazero would interpret instead of compile).
func (b Backend) needsWasm() bool {
	return b == BackendWasm || b == backendCanonical || (b == BackendAuto && wasmCompiled)
}

// Option configures an Engine created with New.
type Option func(*config) error

type config struct {
	backend   Backend
	poolSize  int
	cacheDir  string
	module    []byte
	maxBuffer int
	lazy      bool // compile the module on first use (the default engine)
	// nativeTier is the tier WithNativeTier pins (pathGo: none pinned).
	nativeTier path
}

func defaultConfig() config {
	return config{
		backend:   BackendAuto,
		poolSize:  runtime.GOMAXPROCS(0),
		maxBuffer: defaultMaxBuffer,
	}
}

// WithBackend selects the backend (default BackendAuto).
func WithBackend(b Backend) Option {
	return func(c *config) error {
		if b < BackendAuto || b > BackendNative {
			return fmt.Errorf("binpipe: WithBackend(%d): %w: unknown backend", int(b), ErrInvalidArgument)
		}
		c.backend = b
		return nil
	}
}

// WithPoolSize bounds the number of wasm instances, which is the number of calls that can run
// in wasm at the same time; further calls wait. Default: runtime.GOMAXPROCS(0).
func WithPoolSize(n int) Option {
	return func(c *config) error {
		if n < 1 {
			return fmt.Errorf("binpipe: WithPoolSize(%d): %w: need at least 1", n, ErrInvalidArgument)
		}
		c.poolSize = n
		return nil
	}
}

// WithCompilationCacheDir keeps wazero's compiled code in dir, so later processes skip
// compiling the module. The directory is created if needed; it is keyed by wazero version.
func WithCompilationCacheDir(dir string) Option {
	return func(c *config) error {
		c.cacheDir = dir
		return nil
	}
}

// WithModule replaces the embedded wasm module by wasm, which must be a binpipe core module
// built by component/build.sh (for example target/wasm/binpipe.scalar.wasm, which tests use to
// check the scalar build). New fails with ErrIncompatibleModule if it speaks another ABI
// version. The slice is not copied; do not modify it afterwards.
func WithModule(wasm []byte) Option {
	return func(c *config) error {
		if len(wasm) == 0 {
			return fmt.Errorf("binpipe: WithModule: %w: empty module", ErrInvalidArgument)
		}
		c.module = wasm
		return nil
	}
}

// WithMaxBufferSize bounds how much input one call places in guest memory at once (default
// 1 GiB). The checksums CRC32C and CRC32, the searches (CountByte, FindByte, FindAny,
// IndexByte, Mismatch) and the validators (UTF8Validate, ASCIIPrefix) feed longer inputs in
// pieces; the other kernels cannot be split, so BackendWasm fails on longer inputs with
// ErrTooLarge and BackendAuto runs them in process (native code or Go). A
// transform needs its input and its output in guest memory (VarintDecode's output is 8 bytes
// per input byte), and wasm32 memory ends at 4 GiB. Native code and Go have no such limit.
func WithMaxBufferSize(n int) Option {
	return func(c *config) error {
		if n < 1 || uint64(n) > maxMaxBuffer {
			return fmt.Errorf("binpipe: WithMaxBufferSize(%d): %w: need 1..%d", n, ErrInvalidArgument, uint64(maxMaxBuffer))
		}
		c.maxBuffer = n
		return nil
	}
}

// WithNativeTier pins BackendNative to one native tier, by its name in NativeTiers ("avx2",
// "avx512", "neon"), for tests and benchmarks that compare tiers: kernels the tier lacks run
// in Go. New fails with ErrNoNative if this build and CPU cannot run the tier, and with an
// error matching ErrInvalidArgument for another name or another backend.
func WithNativeTier(tier string) Option {
	return func(c *config) error {
		p, ok := pathByName(tier)
		if !ok || !p.isNative() {
			return fmt.Errorf("binpipe: WithNativeTier(%q): %w: not a native tier (avx2, avx512, neon)", tier, ErrInvalidArgument)
		}
		c.nativeTier = p
		return nil
	}
}

// checkNative refuses a native configuration this build and CPU cannot run.
func (c *config) checkNative() error {
	if c.nativeTier != pathGo && c.backend != BackendNative {
		return fmt.Errorf("binpipe: WithNativeTier(%q) with %v: %w: only BackendNative pins a tier", c.nativeTier, c.backend, ErrInvalidArgument)
	}
	if c.backend != BackendNative {
		return nil
	}
	for _, t := range nativeTiers() {
		if c.nativeTier == pathGo || t.p == c.nativeTier {
			return nil
		}
	}
	if c.nativeTier != pathGo {
		return fmt.Errorf("binpipe: WithNativeTier(%q): %w", c.nativeTier, ErrNoNative)
	}
	return fmt.Errorf("binpipe: BackendNative: %w", ErrNoNative)
}
