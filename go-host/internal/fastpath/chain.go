package fastpath

import (
	"context"
	"errors"
	"fmt"

	"github.com/binpipe/binpipe/go-host/internal/callresult"
	"github.com/binpipe/binpipe/go-host/internal/mem"
	"github.com/binpipe/binpipe/go-host/internal/wasm"
	"github.com/tetratelabs/wazero/api"
)

// RecordSize is the size of one stage record of bp_run_chain: kind, p0, p1, p2, each a
// little-endian u32 (docs/abi.md).
const RecordSize = 16

// Chain is the chain exports of one instance, seen through the fast-path ABI. It uses the
// Instance's buffers: the in-buffer is bp_run_chain's a, the out-buffer its b, the aux-buffer
// holds the stage records. Like the Instance, it is not safe for concurrent use.
type Chain struct {
	x           *Instance
	run, failed api.Function
	stages      uint32 // records in the aux-buffer
}

// NewChain looks up the chain exports of mod (already checked by wasm.Compile), whose
// fast-path view is x.
func NewChain(mod api.Module, x *Instance) *Chain {
	return &Chain{x: x, run: mod.ExportedFunction(wasm.FastRunChain), failed: mod.ExportedFunction(wasm.FastChainFailedStage)}
}

// PrepareChain readies the instance for chains of n stages on inputs of up to size bytes: the
// in-buffer (bp_run_chain's a) and the out-buffer (b) get room for size bytes each, and the
// stage records go to the aux-buffer. It may grow memory: views taken before are stale. The
// chain stays prepared until another method uses the buffers.
func (c *Chain) Prepare(ctx context.Context, size uint64, records []byte) error {
	x := c.x
	if len(records)%RecordSize != 0 {
		return fmt.Errorf("stage records of %d bytes, not a multiple of %d", len(records), RecordSize)
	}
	if err := x.ensure(ctx, &x.in, size); err != nil {
		return err
	}
	if err := x.ensure(ctx, &x.out, size); err != nil {
		return err
	}
	if err := x.load(ctx, &x.aux, "stage records", records); err != nil {
		return err
	}
	c.stages = uint32(len(records) / RecordSize)
	return nil
}

// Input is a view of the first n bytes of the prepared chain's input buffer, valid until
// the next call into the module.
func (c *Chain) Input(n uint32) ([]byte, error) {
	x := c.x
	if n > x.in.cap {
		return nil, fmt.Errorf("chain input of %d bytes exceeds the %d-byte buffer", n, x.in.cap)
	}
	return mem.View(x.mem, "chain input buffer", x.in.ptr, n)
}

// Run runs bp_run_chain on the first n bytes of the input buffer with the
// prepared stages and returns a view of the result, valid until the next call into the
// module. A stage's refusal is a *StageError; any other error (a trap, an answer outside the
// ABI) means the instance must be discarded.
func (c *Chain) Run(ctx context.Context, n uint32) ([]byte, error) {
	x := c.x
	if n > x.in.cap {
		return nil, fmt.Errorf("chain input of %d bytes exceeds the %d-byte buffer", n, x.in.cap)
	}
	x.stack[0], x.stack[1], x.stack[2] = api.EncodeU32(x.in.ptr), api.EncodeU32(x.in.cap), api.EncodeU32(n)
	x.stack[3], x.stack[4] = api.EncodeU32(x.out.ptr), api.EncodeU32(x.out.cap)
	x.stack[5], x.stack[6] = api.EncodeU32(x.aux.ptr), api.EncodeU32(c.stages)
	if err := c.run.CallWithStack(ctx, x.stack); err != nil {
		return nil, fmt.Errorf("%s: %w", wasm.FastRunChain, err)
	}
	res := x.stack[0]
	if int64(res) == -1 {
		return nil, c.failure(ctx)
	}
	which, length := res>>32, uint32(res)
	buf := x.in
	switch which {
	case 0:
	case 1:
		buf = x.out
	default:
		return nil, fmt.Errorf("%s: returned %#x: buffer selector %d, want 0 or 1", wasm.FastRunChain, res, which)
	}
	if length > buf.cap {
		return nil, fmt.Errorf("%s: result of %d bytes exceeds its %d-byte buffer", wasm.FastRunChain, length, buf.cap)
	}
	return mem.View(x.mem, "chain result", buf.ptr, length)
}

// StageError is a chain stage's refusal: the *callresult.Error and the failing stage's index.
type StageError struct {
	Stage int
	Err   *callresult.Error
}

// Error names the stage and the kernel error.
func (e *StageError) Error() string { return fmt.Sprintf("stage %d: %v", e.Stage, e.Err) }

// Unwrap returns the kernel error.
func (e *StageError) Unwrap() error { return e.Err }

// failure reads why bp_run_chain returned -1: a *StageError, or, for an index that is
// no stage's (the host's buffers were refused), an ABI error.
func (c *Chain) failure(ctx context.Context) error {
	x := c.x
	if err := c.failed.CallWithStack(ctx, x.stack); err != nil {
		return fmt.Errorf("%s: %w", wasm.FastChainFailedStage, err)
	}
	stage := api.DecodeI32(x.stack[0])
	gerr := x.guestError(ctx, wasm.FastRunChain)
	var ke *callresult.Error
	if !errors.As(gerr, &ke) {
		return gerr
	}
	if stage < 0 || uint32(stage) >= c.stages {
		return fmt.Errorf("%s failed at stage %d of %d: %s", wasm.FastRunChain, stage, c.stages, ke.Message)
	}
	return &StageError{Stage: int(stage), Err: ke}
}

// RunChain runs the stages (records) on src in one bp_run_chain call and appends the result
// to dst; size is the chain's output bound for len(src) (at least len(src)). On error dst
// comes back unchanged; a stage's refusal is a *StageError.
func (c *Chain) RunChain(ctx context.Context, dst, src, records []byte, size uint64) ([]byte, error) {
	if err := c.Prepare(ctx, max(size, uint64(len(src))), records); err != nil {
		return dst, err
	}
	if err := mem.Write(c.x.mem, "chain input buffer", c.x.in.ptr, src); err != nil {
		return dst, err
	}
	out, err := c.Run(ctx, uint32(len(src)))
	if err != nil {
		return dst, err
	}
	return append(dst, out...), nil
}
