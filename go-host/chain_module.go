package binpipe

import (
	"encoding/binary"
	"errors"

	"github.com/binpipe/binpipe/go-host/internal/cabi"
	"github.com/binpipe/binpipe/go-host/internal/callresult"
	"github.com/binpipe/binpipe/go-host/internal/fastpath"
)

// appendRecords appends the fast-path stage records of the checked stages to dst: kind (the
// WIT case index), p0, p1, p2, each a little-endian u32 (docs/abi.md). Stage keeps its
// parameters in record order, so the record is the stage.
func appendRecords(dst []byte, stages []Stage) []byte {
	le := binary.LittleEndian
	for _, s := range stages {
		dst = le.AppendUint32(dst, uint32(s.kind-1))
		dst = le.AppendUint32(dst, uint32(s.a))
		dst = le.AppendUint32(dst, uint32(s.b))
		dst = le.AppendUint32(dst, uint32(s.c))
	}
	return dst
}

// chainCalls is an instance's chain exports through both ABIs.
type chainCalls struct {
	fast  *fastpath.Chain
	canon *cabi.Chain
}

// chainsOf looks up the chain exports of in; the pool does it once per instance (engine.go
// keeps the result in instance.chain), as ExportedFunction allocates.
func chainsOf(in *instance) chainCalls {
	return chainCalls{fast: fastpath.NewChain(in.mod, in.fp), canon: cabi.NewChain(in.mod, in.ca)}
}

// releaseChain returns in to the pool after a chain call and converts err as release does,
// a stage's refusal becoming a *ChainError that names the stage.
func (e *Engine) releaseChain(in *instance, stages []Stage, err error) error {
	var fe *fastpath.StageError
	var ce *cabi.StageError
	var ke *callresult.Error
	stage := -1
	switch {
	case errors.As(err, &fe):
		stage, ke = fe.Stage, fe.Err
	case errors.As(err, &ce):
		stage, ke = ce.Stage, ce.Err
	default:
		return e.release("run-chain", in, err)
	}
	e.pool.Put(in, true)
	return &ChainError{Stage: stage, Err: fromGuest(stages[stage].Name(), ke)}
}

// wasmChain runs the checked, non-empty stages on src in the module, in one call through the
// fast path (pathWasm) or the canonical export (pathCanonical), and appends the result to
// dst.
func (e *Engine) wasmChain(p path, dst, src []byte, stages []Stage, bound int) (out []byte, err error) {
	in, err := e.acquire("run-chain")
	if err != nil {
		return dst, err
	}
	calls := in.chain
	var recBuf [maxChainStages * fastpath.RecordSize]byte
	records := appendRecords(recBuf[:0], stages)
	if p == pathCanonical {
		out, err = calls.canon.RunChain(e.ctx, dst, src, records)
	} else {
		out, err = calls.fast.RunChain(e.ctx, dst, src, records, uint64(bound))
	}
	if err != nil {
		return dst, e.releaseChain(in, stages, err)
	}
	e.pool.Put(in, true)
	return out, nil
}

// chainRoute picks the path of the checked stages on an n-byte input whose output bound is
// bound; BackendAuto takes the module when the cost model (chain_thresholds.go) says it wins.
func (e *Engine) chainRoute(n, bound int, stages []Stage) path {
	if p, fixed := e.fixedPath(); fixed {
		return p
	}
	if wasmCompiled && n >= chainWasmMin && bound <= e.cfg.maxBuffer && e.chainWasmGain(n, stages, true) > 0 {
		return pathWasm
	}
	return pathGo
}
