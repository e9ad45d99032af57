package binpipe

import (
	"fmt"
	"runtime"
)

// Backend selects how an Engine runs the kernels.
type Backend int

const (
	// BackendAuto (the default) takes, per call, the fastest path for the kernel and the input
	// size: Go's assembly (hash/crc32, bytes.IndexByte, bytes.Count) where Go has it,
	// binpipe's own Go assembly for shuffles of 2-, 4- and 8-byte elements on amd64, and for
	// the other kernels the wasm fast path for large inputs and plain Go for small ones. The
	// thresholds are in thresholds.go.
	BackendAuto Backend = iota
	// BackendGo runs everything in Go, without wasm: the standard library where it has the
	// kernel, binpipe's Go assembly shuffles (2-, 4- and 8-byte elements on amd64) and
	// binpipe's pure-Go kernels (internal/purego) for the rest. It never compiles the wasm
	// module.
	BackendGo
	// BackendWasm runs every kernel in the wasm module through the fast-path ABI.
	BackendWasm
	// BackendCanonical runs every kernel through the module's canonical-ABI (component model)
	// exports, lowering arguments as a component host would. It exists to cross-check the
	// fast path and to measure what the canonical ABI costs; it allocates on every call.
	BackendCanonical
)

// String returns the backend's name: "auto", "go", "wasm" or "canonical".
func (b Backend) String() string {
	switch b {
	case BackendAuto:
		return "auto"
	case BackendGo:
		return "go"
	case BackendWasm:
		return "wasm"
	case BackendCanonical:
		return "canonical"
	}
	return fmt.Sprintf("Backend(%d)", int(b))
}

// needsWasm reports whether an engine with this backend can call into the module on this
// platform (BackendAuto stays in Go where wazero would interpret instead of compile).
func (b Backend) needsWasm() bool {
	return b == BackendWasm || b == BackendCanonical || (b == BackendAuto && wasmCompiled)
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
		if b < BackendAuto || b > BackendCanonical {
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
// pieces; the other kernels cannot be split, so BackendWasm and BackendCanonical fail on
// longer inputs with ErrTooLarge and BackendAuto runs them in Go. A transform needs its input
// and its output in guest memory (VarintDecode's output is 8 bytes per input byte), and wasm32
// memory ends at 4 GiB.
func WithMaxBufferSize(n int) Option {
	return func(c *config) error {
		if n < 1 || uint64(n) > maxMaxBuffer {
			return fmt.Errorf("binpipe: WithMaxBufferSize(%d): %w: need 1..%d", n, ErrInvalidArgument, uint64(maxMaxBuffer))
		}
		c.maxBuffer = n
		return nil
	}
}
