package binpipe

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"

	"github.com/binpipe/binpipe/go-host/internal/cabi"
	"github.com/binpipe/binpipe/go-host/internal/callresult"
	"github.com/binpipe/binpipe/go-host/internal/fastpath"
	"github.com/binpipe/binpipe/go-host/internal/pool"
	"github.com/binpipe/binpipe/go-host/internal/wasm"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// Engine runs binpipe's kernels with one backend. It owns a wazero runtime, the compiled
// module and a pool of instances, each with its own persistent buffers in linear memory.
//
//	e, err := binpipe.New(ctx, binpipe.WithBackend(binpipe.BackendWasm))
//	if err != nil { ... }
//	defer e.Close()
//	out, err := e.Shuffle(nil, data, 8)
//
// An Engine is safe for concurrent use. Most programs use the package-level functions, which
// share a default BackendAuto engine; create an Engine to choose the backend, bound the pool,
// cache compiled code on disk or load another build of the module.
type Engine struct {
	cfg config
	// ctx is context.Background for every call: our kernels run without
	// WithCloseOnContextDone (it would slow every loop), so a context could not cancel them,
	// and wazero's per-call ctx.Value lookups allocate on derived contexts.
	ctx    context.Context
	closed atomic.Bool

	// plan holds, per kernel, the steps route walks (dispatch.go); fixed says every kernel has
	// one step and route ignores the size. native holds the native tiers, indexed by
	// path - pathAVX2 (nil where the tier is not available).
	plan   [numKernels][]step
	fixed  bool
	native [numPaths - pathAVX2]*nativeCalls

	once    sync.Once // compiles the module and builds the pool
	initErr error
	rt      wazero.Runtime
	cache   wazero.CompilationCache
	pool    *pool.Pool[instance]
}

// instance is one module instance with both ABI views of it; not goroutine-safe.
type instance struct {
	mod api.Module
	mem api.Memory
	fp  *fastpath.Instance
	ca  *cabi.Instance
	// chain holds the chain exports, looked up once per instance (chain_module.go).
	chain chainCalls
}

// New creates an Engine. Unless the backend is BackendGo or BackendNative (or BackendAuto where
// wazero cannot compile to machine code, so Auto stays in Go and native code) it compiles the
// module now, once (instances are made on demand), and fails with ErrIncompatibleModule if the
// module speaks another ABI or WIT version than this package. ctx bounds only that
// compilation. BackendNative fails with ErrNoNative if this build and CPU have no native tier
// (or not the one WithNativeTier names); WithNativeTier with another backend is an error
// matching ErrInvalidArgument.
func New(ctx context.Context, opts ...Option) (*Engine, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if err := cfg.checkNative(); err != nil {
		return nil, err
	}
	e := newEngine(cfg)
	if cfg.backend.needsWasm() && !cfg.lazy {
		if _, err := e.wasmPool(ctx); err != nil {
			return nil, err
		}
	}
	return e, nil
}

// newEngine returns an engine for the checked cfg with its dispatch plan, without compiling
// the module.
func newEngine(cfg config) *Engine {
	e := &Engine{cfg: cfg, ctx: context.Background()}
	tiers := nativeTiers()
	for _, t := range tiers {
		e.native[t.p-pathAVX2] = &nativeCalls{Kernels: t.k}
	}
	e.planPaths(tiers)
	return e
}

// Backend reports the engine's backend.
func (e *Engine) Backend() Backend { return e.cfg.backend }

// wasmPool compiles the module and creates the instance pool on first use.
func (e *Engine) wasmPool(ctx context.Context) (*pool.Pool[instance], error) {
	e.once.Do(func() { e.initErr = e.initWasm(ctx) })
	return e.pool, e.initErr
}

func (e *Engine) initWasm(ctx context.Context) error {
	rc := wazero.NewRuntimeConfig() // compiler where supported; never WithCloseOnContextDone
	if e.cfg.cacheDir != "" {
		cache, err := wazero.NewCompilationCacheWithDir(e.cfg.cacheDir)
		if err != nil {
			return fmt.Errorf("binpipe: compilation cache %q: %w", e.cfg.cacheDir, err)
		}
		e.cache = cache
		rc = rc.WithCompilationCache(cache)
	}
	e.rt = wazero.NewRuntimeWithConfig(ctx, rc)
	bin := e.cfg.module
	if bin == nil {
		bin = wasm.Binary
	}
	cm, err := wasm.Compile(ctx, e.rt, bin)
	if err != nil {
		e.closeRuntime()
		if errors.Is(err, wasm.ErrIncompatible) {
			return &markedError{ErrIncompatibleModule, err}
		}
		return err
	}
	mc := wazero.NewModuleConfig().WithName("").WithStartFunctions()
	e.pool = pool.New(e.cfg.poolSize,
		func(ctx context.Context) (*instance, error) {
			mod, err := e.rt.InstantiateModule(ctx, cm, mc)
			if err != nil {
				return nil, err
			}
			in := &instance{mod: mod, mem: mod.Memory(), fp: fastpath.New(mod), ca: cabi.New(mod)}
			in.chain = chainsOf(in)
			return in, nil
		},
		func(in *instance) { _ = in.mod.Close(context.Background()) },
		func(in *instance) bool {
			n := in.mem.Size() // cheap, but 0 at the 4 GiB maximum
			return n != 0 && n <= retainMemory
		},
	)
	return nil
}

func (e *Engine) closeRuntime() {
	if e.rt != nil {
		_ = e.rt.Close(e.ctx)
	}
	if e.cache != nil {
		_ = e.cache.Close(e.ctx)
	}
}

// Close releases the runtime, the compiled module and every instance. Calls made after Close
// fail with ErrClosed; calls still running may fail with ErrTrap or ErrClosed. Close is
// idempotent.
func (e *Engine) Close() error {
	if e.closed.Swap(true) {
		return nil
	}
	e.once.Do(func() { e.initErr = ErrClosed }) // never compile after Close
	if e.pool != nil {
		e.pool.Close()
	}
	e.closeRuntime()
	return nil
}

// acquire takes an instance from the pool for one call.
func (e *Engine) acquire(kernel string) (*instance, error) {
	p, err := e.wasmPool(e.ctx)
	if err != nil {
		return nil, err
	}
	in, err := p.Get(e.ctx)
	if err != nil {
		if errors.Is(err, pool.ErrClosed) || e.closed.Load() {
			return nil, ErrClosed
		}
		return nil, fmt.Errorf("binpipe: %s: instantiating wasm module: %w", kernel, err)
	}
	return in, nil
}

// release returns in to the pool and converts err from the instance: a kernel error keeps
// the instance; anything else (a trap, a broken ABI promise) discards it.
func (e *Engine) release(kernel string, in *instance, err error) error {
	if err == nil {
		e.pool.Put(in, true)
		return nil
	}
	var ke *callresult.Error
	if errors.As(err, &ke) {
		e.pool.Put(in, true)
		return fromGuest(kernel, ke)
	}
	e.pool.Put(in, false)
	if e.closed.Load() {
		return &markedError{ErrClosed, &trapError{kernel, err}}
	}
	return &trapError{kernel, err}
}

// call runs f on a pooled instance, through the fast-path ABI for pathWasm and the canonical
// ABI for pathCanonical, and converts f's error as release does. (Native paths call their tier
// directly, without an instance: each kernel has its own native branch.)
func (e *Engine) call(kernel string, p path, f func(k kernels) error) error {
	in, err := e.acquire(kernel)
	if err != nil {
		return err
	}
	var k kernels = in.fp
	if p == pathCanonical {
		k = in.ca
	}
	return e.release(kernel, in, f(k))
}

// chunk is the piece size in which the wasm backends feed kernels whose input can be split
// (checksums, searches, validation): at most the engine's maximum buffer, and at least 4 bytes
// so that an unfinished UTF-8 sequence always leaves a chunk some progress.
func (e *Engine) chunk() int {
	return max(min(wasmChunk, e.cfg.maxBuffer), 4)
}

// fits reports the too-large error of a wasm call whose n input bytes exceed the maximum buffer
// and cannot be split (BackendAuto runs such calls in process instead).
func (e *Engine) fits(kernel string, n int) error {
	if n <= e.cfg.maxBuffer {
		return nil
	}
	return &KernelError{Kernel: kernel, Kind: KindTooLarge, Offset: uint64(e.cfg.maxBuffer),
		Message: "input exceeds the engine's maximum buffer size (WithMaxBufferSize)"}
}

// kernels is one call of every kernel into one instance, through one of the two ABIs
// (*fastpath.Instance and *cabi.Instance implement it identically).
type kernels interface {
	CRC32C(ctx context.Context, data []byte, seed uint32) (uint32, error)
	CRC32(ctx context.Context, data []byte, seed uint32) (uint32, error)
	XXH3(ctx context.Context, data []byte, seed uint64) (uint64, error)

	CountByte(ctx context.Context, data []byte, needle byte) (uint64, error)
	FindByte(ctx context.Context, data []byte, needle byte) (uint64, bool, error)
	FindAny(ctx context.Context, data, needles []byte) (uint64, bool, error)
	IndexByte(ctx context.Context, dst []uint32, data []byte, needle byte, base uint32) ([]uint32, error)
	Mismatch(ctx context.Context, a, b []byte) (uint64, bool, error)

	UTF8Validate(ctx context.Context, data []byte) (validUpTo uint64, status uint32, err error)
	ASCIIPrefix(ctx context.Context, data []byte) (uint64, error)

	HexEncode(ctx context.Context, dst, src []byte, upper bool) ([]byte, error)
	HexDecode(ctx context.Context, dst, src []byte) ([]byte, error)
	Base64Encode(ctx context.Context, dst, src []byte, urlSafe, padding bool) ([]byte, error)
	Base64Decode(ctx context.Context, dst, src []byte, urlSafe, padding bool) ([]byte, error)
	VarintEncode(ctx context.Context, dst []byte, values []uint64) ([]byte, error)
	VarintDecode(ctx context.Context, dst []uint64, src []byte) ([]uint64, error)

	Shuffle(ctx context.Context, dst, src []byte, elemSize uint32) ([]byte, error)
	Unshuffle(ctx context.Context, dst, src []byte, elemSize uint32) ([]byte, error)
	DeltaEncode(ctx context.Context, dst, src []byte, width uint32) ([]byte, error)
	DeltaDecode(ctx context.Context, dst, src []byte, width uint32) ([]byte, error)
	Byteswap(ctx context.Context, dst, src []byte, width uint32) ([]byte, error)
	Bitpack(ctx context.Context, dst []byte, values []uint32, bits uint32) ([]byte, error)
	Bitunpack(ctx context.Context, dst []uint32, src []byte, bits, count uint32) ([]uint32, error)
	ExtractField(ctx context.Context, dst, src []byte, recordSize, offset, width uint32) ([]byte, error)

	Compare(ctx context.Context, dst, column []byte, ty, op, class uint32, value uint64) ([]byte, error)
	Select(ctx context.Context, dst, column []byte, width uint32, bitmap []byte) ([]byte, error)
	Aggregate(ctx context.Context, column []byte, ty uint32) (callresult.Stats, error)
}

var (
	_ kernels = (*fastpath.Instance)(nil)
	_ kernels = (*cabi.Instance)(nil)
)
