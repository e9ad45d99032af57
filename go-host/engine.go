package binpipe

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"hash/crc32"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/binpipe/binpipe/go-host/internal/cabi"
	"github.com/binpipe/binpipe/go-host/internal/fastpath"
	"github.com/binpipe/binpipe/go-host/internal/kerr"
	"github.com/binpipe/binpipe/go-host/internal/pool"
	"github.com/binpipe/binpipe/go-host/internal/purego"
	"github.com/binpipe/binpipe/go-host/internal/shufasm"
	"github.com/binpipe/binpipe/go-host/internal/wasm"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

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
}

// New creates an Engine. Unless the backend is BackendGo (or BackendAuto where wazero cannot
// compile to machine code, so Auto stays in Go) it compiles the module now, once (instances are
// made on demand), and fails with ErrIncompatibleModule if the module speaks another ABI or
// WIT version than this package. ctx bounds only that compilation.
func New(ctx context.Context, opts ...Option) (*Engine, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	e := &Engine{cfg: cfg, ctx: context.Background()}
	if cfg.backend.needsWasm() && !cfg.lazy {
		if _, err := e.wasmPool(ctx); err != nil {
			return nil, err
		}
	}
	return e, nil
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
	chunk := min(wasmChunk, e.cfg.maxBuffer)
	mc := wazero.NewModuleConfig().WithName("").WithStartFunctions()
	e.pool = pool.New(e.cfg.poolSize,
		func(ctx context.Context) (*instance, error) {
			mod, err := e.rt.InstantiateModule(ctx, cm, mc)
			if err != nil {
				return nil, err
			}
			return &instance{mod: mod, mem: mod.Memory(), fp: fastpath.New(mod, chunk), ca: cabi.New(mod, chunk)}, nil
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
	var ke *kerr.Error
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

type path uint8

const (
	pathGo path = iota
	pathWasm
	pathCanonical
)

// route picks the path for one call; for BackendAuto, minWasm is the kernel's threshold.
func (e *Engine) route(n, minWasm int) path {
	switch e.cfg.backend {
	case BackendGo:
		return pathGo
	case BackendWasm:
		return pathWasm
	case BackendCanonical:
		return pathCanonical
	}
	if wasmCompiled && n >= minWasm && n <= e.cfg.maxBuffer {
		return pathWasm
	}
	return pathGo
}

// CRC32C returns the CRC-32C (Castagnoli) of data, continuing from seed: CRC32C(b, CRC32C(a, 0))
// equals CRC32C(a‖b, 0), and seed 0 starts fresh. CRC32C([]byte("123456789"), 0) is 0xE3069283.
func (e *Engine) CRC32C(data []byte, seed uint32) (uint32, error) {
	const kernel = "crc32c"
	if e.closed.Load() {
		return 0, ErrClosed
	}
	p := e.route(len(data), crc32cWasmMin)
	if p == pathGo {
		return crc32.Update(seed, castagnoli, data), nil
	}
	in, err := e.acquire(kernel)
	if err != nil {
		return 0, err
	}
	var v uint32
	if p == pathWasm {
		v, err = in.fp.CRC32C(e.ctx, data, seed)
	} else {
		v, err = in.ca.CRC32C(e.ctx, data, seed)
	}
	if err = e.release(kernel, in, err); err != nil {
		return 0, err
	}
	return v, nil
}

// CountByte returns the number of bytes in data equal to needle.
func (e *Engine) CountByte(data []byte, needle byte) (int, error) {
	const kernel = "count-byte"
	if e.closed.Load() {
		return 0, ErrClosed
	}
	p := e.route(len(data), countByteWasmMin)
	if p == pathGo {
		return countByteGo(data, needle), nil
	}
	in, err := e.acquire(kernel)
	if err != nil {
		return 0, err
	}
	var v uint64
	if p == pathWasm {
		v, err = in.fp.CountByte(e.ctx, data, needle)
	} else {
		v, err = in.ca.CountByte(e.ctx, data, needle)
	}
	if err = e.release(kernel, in, err); err != nil {
		return 0, err
	}
	return int(v), nil
}

// Shuffle appends the Blosc byte shuffle of src to dst and returns the extended slice. With
// n = len(src)/elemSize, byte j of element i moves to out[j*n+i]; the last len(src)%elemSize
// bytes are copied unchanged. elemSize must be in 1..=255, else the error matches
// ErrInvalidArgument. src may alias dst's spare capacity (for example Shuffle(buf[:0], buf, 4)
// shuffles in place), at the cost of one copy. On error dst is returned unchanged.
func (e *Engine) Shuffle(dst, src []byte, elemSize int) ([]byte, error) {
	return e.transform("shuffle", dst, src, elemSize, shuffleWasmMin)
}

// Unshuffle appends the inverse of Shuffle to dst: out[i*elemSize+j] = src[j*n+i], tail
// copied. Parameters and errors are as for Shuffle.
func (e *Engine) Unshuffle(dst, src []byte, elemSize int) ([]byte, error) {
	return e.transform("unshuffle", dst, src, elemSize, unshuffleWasmMin)
}

func (e *Engine) transform(kernel string, dst, src []byte, elemSize, minWasm int) ([]byte, error) {
	if elemSize < 1 || elemSize > 255 {
		return dst, invalidArgument(kernel, "elem-size must be in 1..=255, got "+strconv.Itoa(elemSize))
	}
	if e.closed.Load() {
		return dst, ErrClosed
	}
	switch {
	case shufasm.Supported(elemSize):
		// Our assembly (2-, 4- and 8-byte elements on amd64) is part of the Go path.
		minWasm = shuffleAsmWasmMin
	case !wasmShuffleWins(elemSize):
		minWasm = never
	}
	p := e.route(len(src), minWasm)
	if p == pathGo {
		out := slices.Grow(dst, len(src))
		n := len(out)
		out = out[:n+len(src)]
		if overlaps(out[n:], src) {
			src = bytes.Clone(src) // the kernels read src while writing out: never in place
		}
		if kernel == "shuffle" {
			if !shufasm.Shuffle(out[n:], src, elemSize) {
				purego.Shuffle(out[n:], src, elemSize)
			}
		} else if !shufasm.Unshuffle(out[n:], src, elemSize) {
			purego.Unshuffle(out[n:], src, elemSize)
		}
		return out, nil
	}
	if len(src) > e.cfg.maxBuffer {
		return dst, &KernelError{Kernel: kernel, Kind: KindTooLarge, Offset: uint64(e.cfg.maxBuffer),
			Message: "input exceeds the engine's maximum buffer size (WithMaxBufferSize)"}
	}
	in, err := e.acquire(kernel)
	if err != nil {
		return dst, err
	}
	out := dst
	switch {
	case p == pathWasm && kernel == "shuffle":
		out, err = in.fp.Shuffle(e.ctx, dst, src, uint32(elemSize))
	case p == pathWasm:
		out, err = in.fp.Unshuffle(e.ctx, dst, src, uint32(elemSize))
	case kernel == "shuffle":
		out, err = in.ca.Shuffle(e.ctx, dst, src, uint32(elemSize))
	default:
		out, err = in.ca.Unshuffle(e.ctx, dst, src, uint32(elemSize))
	}
	if err = e.release(kernel, in, err); err != nil {
		return dst, err
	}
	return out, nil
}

// countByteGo is bytes.Count for one byte (assembly on amd64 and arm64).
func countByteGo(data []byte, needle byte) int {
	return bytes.Count(data, []byte{needle})
}
