package binpipe

import (
	"errors"
	"math"
	"slices"
	"strconv"
	"sync"

	"github.com/binpipe/binpipe/go-host/internal/cabi"
	"github.com/binpipe/binpipe/go-host/internal/fastpath"
)

// ChainWorker runs one chain of stages over and over on batches of at most maxInput bytes,
// with no copy that the caller's I/O does not make and no allocation per batch: the caller
// reads a batch straight into Input(), calls Run, and writes the result straight from the
// view Run returns.
//
//	w, err := e.NewChainWorker(1<<20, binpipe.DeltaEncodeStage(8), binpipe.ShuffleStage(8))
//	if err != nil { ... }
//	defer w.Close()
//	for {
//		n, err := io.ReadFull(r, w.Input())
//		if n > 0 {
//			out, err := w.Run(n)
//			if err != nil { ... }
//			if _, err := wr.Write(out); err != nil { ... }
//		}
//		if err != nil { ... } // io.EOF, io.ErrUnexpectedEOF: done
//	}
//
// On BackendWasm a worker leases one of the engine's pooled instances until Close, with two
// buffers in its linear memory, and Run is one bp_run_chain call; the canonical backend (tests
// only) calls the run-chain canonical export, which copies in and out and allocates in the
// guest. BackendGo
// runs the Go kernels stage by stage between two Go buffers; BackendNative does the same with
// each stage its tier has run natively (chain_native.go). BackendAuto takes whichever the
// measured per-stage costs (chain_thresholds.go) say is faster for these stages at maxInput:
// in process (each stage native where the engine routes it there, else Go) for chains of
// native stages; the module for codec chains (hex, base64, bit packing) that are not native;
// in process where wazero would interpret.
//
// A leased instance is not available to other calls on the engine: while every instance of
// the pool (WithPoolSize) is held by a worker, calls that need one wait. Give the engine a
// pool larger than the number of workers if the same goroutines also call it.
//
// A ChainWorker is not safe for concurrent use; use one per goroutine.
type ChainWorker struct {
	e        *Engine
	stages   []Stage
	records  []byte // the fast-path records of stages
	maxInput int
	bound    int // ChainOutputBound(maxInput, stages...)
	closed   bool

	// Go buffers: the input and the other ping-pong buffer (the Go path; the canonical backend
	// keeps its input and result in them).
	a, b   []byte
	goPath bool // the stages run in Go

	// The leased instance and its chain exports (wasm backends).
	in    *instance
	fast  *fastpath.Chain
	canon *cabi.Chain
	input []byte // view of the instance's input buffer, re-taken after every call
}

// NewChainWorker creates a worker for stages on inputs of up to maxInput bytes. Every stage
// is checked now (a bad one is a *ChainError naming it). On the wasm backends the input, every
// intermediate and the result must fit in the engine's maximum buffer size
// (WithMaxBufferSize), else the error matches ErrTooLarge (BackendAuto runs such a worker in
// process instead).
func (e *Engine) NewChainWorker(maxInput int, stages ...Stage) (*ChainWorker, error) {
	if maxInput < 0 {
		return nil, invalidArgument("run-chain", "maxInput must be at least 0, got "+strconv.Itoa(maxInput))
	}
	if err := checkChain(stages); err != nil {
		return nil, err
	}
	bound, err := chainBound(maxInput, stages)
	if err != nil {
		return nil, err
	}
	if e.closed.Load() {
		return nil, ErrClosed
	}
	w := &ChainWorker{e: e, stages: slices.Clone(stages), maxInput: maxInput, bound: bound}
	w.records = appendRecords(nil, stages)
	if e.workerPath(maxInput, bound, stages) == pathGo {
		w.goPath = true
		w.goBuffers()
		return w, nil
	}
	if bound > e.cfg.maxBuffer {
		return nil, &KernelError{Kernel: "run-chain", Kind: KindTooLarge, Offset: uint64(e.cfg.maxBuffer),
			Message: "the worker's input or an intermediate result exceeds the engine's maximum buffer size (WithMaxBufferSize)"}
	}
	if err := w.lease(); err != nil {
		return nil, err
	}
	return w, nil
}

// workerPath is the path of a worker for stages on maxInput bytes, whose buffers need bound
// bytes; BackendAuto takes the module when the cost model (chain_thresholds.go) says it wins.
func (e *Engine) workerPath(maxInput, bound int, stages []Stage) path {
	if p, fixed := e.fixedPath(); fixed {
		return p
	}
	if wasmCompiled && bound <= e.cfg.maxBuffer && e.chainWasmGain(maxInput, stages, false) > 0 {
		return pathWasm
	}
	return pathGo
}

// goBuffers gives the worker its two Go buffers.
func (w *ChainWorker) goBuffers() {
	if w.a == nil {
		w.a = make([]byte, w.bound+goSlack)
		w.b = make([]byte, w.bound+goSlack)
	}
}

// lease takes an instance from the pool and readies it: the chain's buffers and records in
// linear memory for the fast path, Go buffers for the canonical ABI.
func (w *ChainWorker) lease() error {
	e := w.e
	in, err := e.acquire("run-chain")
	if err != nil {
		return err
	}
	calls := in.chain
	if e.cfg.backend == backendCanonical {
		w.in, w.canon = in, calls.canon
		w.goBuffers()
		return nil
	}
	if err := calls.fast.Prepare(e.ctx, uint64(w.bound), w.records); err != nil {
		return e.release("run-chain", in, err)
	}
	w.in, w.fast = in, calls.fast
	return w.retake()
}

// retake takes the view of the input buffer again (memory may have grown).
func (w *ChainWorker) retake() error {
	v, err := w.fast.Input(uint32(w.maxInput))
	if err != nil {
		w.discard()
		return &trapError{"run-chain", err}
	}
	w.input = v[:w.maxInput:w.maxInput]
	return nil
}

// discard closes the leased instance after a failure (a trap, a broken ABI promise).
func (w *ChainWorker) discard() {
	if w.in != nil {
		w.e.pool.Put(w.in, false)
	}
	w.in, w.fast, w.canon, w.input = nil, nil, nil, nil
}

// Input returns the buffer a batch goes into: len(Input()) == maxInput. On the wasm fast path
// it is a view into the instance's linear memory, elsewhere Go memory. It is valid until the
// next Run or Close; take it again after each Run. After a failed Run it may be nil (the
// instance could not be replaced; Run reports why).
func (w *ChainWorker) Input() []byte {
	if w.fast != nil {
		return w.input
	}
	if w.a == nil {
		return nil
	}
	return w.a[:w.maxInput:w.maxInput]
}

// Run runs the chain on Input()[:n] and returns the result, a view valid until the next Run or
// Close (the input's bytes are not kept). A stage's refusal is a *ChainError naming it, and
// the worker stays usable. If the module traps, the error matches ErrTrap: the instance is
// discarded and replaced, with new buffers, so Input must be taken again.
func (w *ChainWorker) Run(n int) ([]byte, error) {
	switch {
	case w.closed:
		return nil, errWorkerClosed
	case w.e.closed.Load():
		return nil, ErrClosed
	case n < 0 || n > w.maxInput:
		return nil, invalidArgument("run-chain", "n must be in 0..="+strconv.Itoa(w.maxInput)+" (the worker's maxInput), got "+strconv.Itoa(n))
	}
	if w.goPath {
		return w.runGo(n)
	}
	if w.in == nil { // a trap left no instance: try again
		if err := w.lease(); err != nil {
			return nil, err
		}
		return nil, &markedError{ErrTrap, errorString("binpipe: run-chain: the instance was replaced after a trap; take Input again")}
	}
	var out []byte
	var err error
	if w.canon != nil {
		out, err = w.canon.RunChain(w.e.ctx, w.b[:0], w.a[:n], w.records)
	} else {
		out, err = w.fast.Run(w.e.ctx, uint32(n))
		if err == nil || isStageError(err) { // the instance lives on: view its input again
			if rerr := w.retake(); rerr != nil {
				err = rerr
			}
		}
	}
	if err == nil {
		return out, nil
	}
	return nil, w.failed(err)
}

// isStageError reports whether err is a stage's refusal through the fast path (a function of
// its own so the error-path variable does not cost Run an allocation).
func isStageError(err error) bool {
	var se *fastpath.StageError
	return errors.As(err, &se)
}

// runGo runs the chain on a[:n] in process (Go or native, stage by stage): stage 0 writes b,
// and the stages ping-pong from there.
func (w *ChainWorker) runGo(n int) ([]byte, error) {
	if len(w.stages) == 0 {
		return w.a[:n], nil
	}
	bufs := [2][]byte{w.a, w.b}
	if len(w.stages)%2 == 1 { // stage 0 writes bufs[0]
		bufs = [2][]byte{w.b, w.a}
	}
	return w.e.runStages(w.stages, w.a[:n], bufs)
}

// failed converts the error of a wasm Run: a stage's refusal keeps the instance; anything
// else discards it and leases a new one.
func (w *ChainWorker) failed(err error) error {
	var fe *fastpath.StageError
	var ce *cabi.StageError
	switch {
	case errors.As(err, &fe):
		return &ChainError{Stage: fe.Stage, Err: fromGuest(w.stages[fe.Stage].Name(), fe.Err)}
	case errors.As(err, &ce):
		return &ChainError{Stage: ce.Stage, Err: fromGuest(w.stages[ce.Stage].Name(), ce.Err)}
	}
	var te *trapError
	if !errors.As(err, &te) {
		w.discard()
		err = &trapError{"run-chain", err}
	}
	if lerr := w.lease(); lerr != nil {
		return errors.Join(err, lerr)
	}
	return err
}

// errWorkerClosed is Run's error after Close.
var errWorkerClosed = &markedError{ErrClosed, errorString("binpipe: run-chain: ChainWorker is closed")}

// Close returns the worker's instance to the pool. Run fails with ErrClosed afterwards. Close
// is idempotent and never fails.
func (w *ChainWorker) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if w.in != nil {
		w.e.pool.Put(w.in, true)
	}
	w.in, w.fast, w.canon, w.input, w.a, w.b = nil, nil, nil, nil, nil, nil
	return nil
}

// workerEngine is the engine of the package-level NewChainWorker: a BackendAuto engine of its
// own, so that workers, which hold an instance for their life, never starve the default
// engine's pool, which the package-level kernel functions share. Its pool is not bounded: the
// caller bounds it by the workers it makes.
var workerEngine = sync.OnceValue(func() *Engine {
	cfg := defaultConfig()
	cfg.lazy = true
	cfg.poolSize = math.MaxInt32
	return newEngine(cfg)
})

// NewChainWorker creates a ChainWorker (see Engine.NewChainWorker) on a package-level
// BackendAuto engine that serves only workers, so they never hold instances the package-level
// kernel functions need. If the wasm module cannot be used there, the worker runs in Go.
func NewChainWorker(maxInput int, stages ...Stage) (*ChainWorker, error) {
	w, err := workerEngine().NewChainWorker(maxInput, stages...)
	if retry(err) {
		return goEngine.NewChainWorker(maxInput, stages...)
	}
	return w, err
}
