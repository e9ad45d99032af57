package binpipe

import (
	"errors"
	"github.com/binpipe/binpipe/go-host/internal/appendbuf"
	"strconv"
	"strings"
	"sync"
)

// ChainError is a chain stage's refusal of its input or parameters: Stage is the index of the
// failing stage in the chain (64 for a chain of more than 64 stages), Err its *KernelError,
// whose offsets are relative to that stage's own input. errors.Is(err, ErrInvalidData) and
// errors.As(err, &kernelErr) see through it.
type ChainError struct {
	Stage int
	Err   error
}

// Error formats the error as "binpipe: run-chain: stage <i>: <kernel error>".
func (e *ChainError) Error() string {
	return "binpipe: run-chain: stage " + strconv.Itoa(e.Stage) + ": " + strings.TrimPrefix(e.Err.Error(), "binpipe: ")
}

// Unwrap returns the stage's error.
func (e *ChainError) Unwrap() error { return e.Err }

// RunChain appends to dst the result of running stages on src, one after the other, each
// stage's output the next one's input, and returns the extended slice. An empty chain appends
// src unchanged.
//
//	// timestamps: delta-encode, then byte planes (compresses far better than the raw values)
//	out, err := binpipe.RunChain(nil, timestamps, binpipe.DeltaEncodeStage(8), binpipe.ShuffleStage(8))
//
// A stage that refuses its input or its parameters fails the chain with a *ChainError naming
// it; on error dst is returned unchanged. src may alias dst's spare capacity. On the Go path,
// intermediate results live in reused scratch buffers: once they have grown, a call allocates
// nothing if dst has room for ChainOutputBound(len(src), stages...) plus 16 bytes. A
// ChainWorker is the allocation-free way to run a chain batch after batch on every backend.
func RunChain(dst, src []byte, stages ...Stage) ([]byte, error) {
	out, err := defaultEngine().RunChain(dst, src, stages...)
	if retry(err) {
		return goEngine.RunChain(dst, src, stages...)
	}
	return out, err
}

// RunChain is the package-level RunChain on e's backend. BackendGo runs the Go kernels stage
// by stage, ping-ponging between two buffers; BackendNative does the same, each stage its tier
// has running natively. BackendWasm makes one bp_run_chain call (one crossing, one copy in and
// one out, whatever the number of stages); the canonical backend (tests only) calls the
// run-chain canonical export. BackendAuto estimates both from measured per-stage costs (chain_thresholds.go) and
// takes the module from 4 KiB when it wins: chains of codecs (hex, base64, bit packing) that
// have no native code go to the module; chains of native stages stay in process.
//
// Errors come in the module's order (docs/abi.md, "Chains"): first a parameter the stage
// record cannot hold (a negative one, a width or bits above 255, an unknown alphabet), for
// any stage; then the stages run in order, each checked when its turn comes, so a chain whose
// stage 0 fails on its data reports stage 0 even if stage 3 has a shuffle of elem-size 0.
func (e *Engine) RunChain(dst, src []byte, stages ...Stage) ([]byte, error) {
	if len(stages) > maxChainStages {
		return dst, checkChain(stages)
	}
	for i, s := range stages { // as the module, which reads every record first
		if !s.encodable() {
			return dst, &ChainError{Stage: i, Err: s.check()}
		}
	}
	var bad error // the first bad stage's error, reported if the stages before it succeed
	for i, s := range stages {
		if err := s.check(); err != nil {
			bad, stages = &ChainError{Stage: i, Err: err}, stages[:i]
			break
		}
	}
	if e.closed.Load() {
		return dst, ErrClosed
	}
	out, err := e.runChecked(dst, src, stages)
	switch {
	case err != nil:
		return dst, err
	case bad != nil:
		return dst, bad
	}
	return out, nil
}

// runChecked is RunChain for checked stages.
func (e *Engine) runChecked(dst, src []byte, stages []Stage) ([]byte, error) {
	if len(stages) == 0 {
		return append(dst, src...), nil
	}
	bound, err := chainBound(len(src), stages)
	if err != nil {
		return dst, err
	}
	p := e.chainRoute(len(src), bound, stages)
	if p == pathGo {
		return e.runGo(dst, src, stages, bound)
	}
	if bound > e.cfg.maxBuffer {
		return dst, &KernelError{Kernel: "run-chain", Kind: KindTooLarge, Offset: uint64(e.cfg.maxBuffer),
			Message: "the chain's input or an intermediate result exceeds the engine's maximum buffer size (WithMaxBufferSize)"}
	}
	return e.wasmChain(p, dst, src, stages, bound)
}

// runGo runs the checked, non-empty stages on src in process (each stage in Go or natively,
// applyStage), ping-ponging between two buffers of bound bytes (plus goSlack), and appends the
// result to dst.
func (e *Engine) runGo(dst, src []byte, stages []Stage, bound int) ([]byte, error) {
	need := bound + goSlack
	scratch := getScratch(need)
	defer chainScratch.Put(scratch)

	// The last stage writes bufs[0]: dst's spare room if it is large enough and does not
	// overlap src (src must survive a failure), else a second scratch buffer.
	tail := dst[len(dst):cap(dst)]
	var bufs [2][]byte
	bufs[1] = *scratch
	direct := len(tail) >= need && !appendbuf.Overlaps(tail[:need], src)
	if direct {
		bufs[0] = tail
	} else {
		second := getScratch(need)
		defer chainScratch.Put(second)
		bufs[0] = *second
	}
	res, err := e.runStages(stages, src, bufs)
	if err != nil {
		return dst, err
	}
	if direct {
		return dst[:len(dst)+len(res)], nil
	}
	return append(dst, res...), nil
}

// runStages runs the checked stages on src: stage i writes bufs[(len(stages)-1-i)%2], so the
// last one writes bufs[0], and reads what the stage before it wrote (the first reads src). It
// returns the last stage's output, a prefix of bufs[0]. A *KernelError becomes a *ChainError.
func (e *Engine) runStages(stages []Stage, src []byte, bufs [2][]byte) ([]byte, error) {
	in := src
	for i, s := range stages {
		out, err := e.applyStage(s, bufs[(len(stages)-1-i)&1], in)
		if err != nil {
			var ke *KernelError
			if errors.As(err, &ke) {
				return nil, &ChainError{Stage: i, Err: ke}
			}
			return nil, err
		}
		in = out
	}
	return in, nil
}

// chainScratch keeps RunChain's intermediate buffers (*[]byte) for reuse.
var chainScratch sync.Pool

// getScratch returns a pooled buffer of at least n bytes (len == cap).
func getScratch(n int) *[]byte {
	if b, ok := chainScratch.Get().(*[]byte); ok {
		if cap(*b) >= n {
			*b = (*b)[:cap(*b)]
			return b
		}
		*b = make([]byte, n)
		return b
	}
	b := make([]byte, n)
	return &b
}
