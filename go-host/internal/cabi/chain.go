package cabi

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/binpipe/binpipe/go-host/internal/callresult"
	"github.com/binpipe/binpipe/go-host/internal/mem"
	"github.com/binpipe/binpipe/go-host/internal/wasm"
	"github.com/tetratelabs/wazero/api"
)

// Canonical layout of the WIT variant chain.stage (14 cases, so a u8 discriminant): the
// largest payload is field-spec (three u32s, alignment 4), so the payload starts at offset 4
// and an element is 16 bytes, aligned to 4.
const (
	stageElemSize  = 16
	stageElemAlign = 4
	stagePayload   = 4
)

// Chain is the run-chain export of one instance, seen through the canonical ABI.
type Chain struct {
	c   *Instance
	run export
}

// NewChain looks up chain#run-chain and its post-return function in mod (already checked by
// wasm.Compile), whose canonical view is c.
func NewChain(mod api.Module, c *Instance) *Chain {
	return &Chain{c: c, run: export{name: wasm.CanonRunChain, fn: mod.ExportedFunction(wasm.CanonRunChain),
		post: mod.ExportedFunction(wasm.Post(wasm.CanonRunChain))}}
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

// lowerStages lowers the fast-path stage records (kind, p0, p1, p2: u32 LE each, see
// fastpath.RecordSize) as a list<stage>: one element of 16 bytes per record, the
// discriminant (the kind) at 0 and the payload at 4, laid out as the case's type.
func (ch *Chain) lowerStages(ctx context.Context, records []byte) (ptr uint32, n int, err error) {
	n = len(records) / 16
	p, err := ch.c.alloc(ctx, stageElemAlign, uint64(n)*stageElemSize)
	if err != nil {
		return 0, 0, err
	}
	b, err := mem.View(ch.c.mem, "cabi_realloc block", p, uint32(n*stageElemSize))
	if err != nil {
		return 0, 0, err
	}
	le := binary.LittleEndian
	for i := range n {
		rec, el := records[16*i:16*i+16], b[stageElemSize*i:stageElemSize*i+stageElemSize]
		clear(el)
		kind, p0, p1, p2 := le.Uint32(rec), le.Uint32(rec[4:]), le.Uint32(rec[8:]), le.Uint32(rec[12:])
		el[0] = byte(kind)
		pl := el[stagePayload:]
		switch kind {
		case 0, 1: // shuffle(u32), unshuffle(u32)
			le.PutUint32(pl, p0)
		case 2, 3, 4, 6, 12: // delta-encode(u8), delta-decode(u8), byteswap(u8), hex-encode(bool), bitpack(u8)
			pl[0] = byte(p0)
		case 5: // extract-field(field-spec { record-size, offset, width: u32 })
			le.PutUint32(pl, p0)
			le.PutUint32(pl[4:], p1)
			le.PutUint32(pl[8:], p2)
		case 8, 9: // base64-*(base64-options { alphabet: enum (u8), padding: bool })
			pl[0], pl[1] = byte(p0), byte(p1)
		case 13: // bitunpack(bitunpack-spec { bits: u8, count: u32 at 4 })
			pl[0] = byte(p0)
			le.PutUint32(pl[4:], p1)
		case 7, 10, 11: // hex-decode, varint-encode, varint-decode: no payload
		default:
			return 0, 0, fmt.Errorf("stage record %d has unknown kind %d", i, kind)
		}
	}
	return p, n, nil
}

// RunChain calls chain#run-chain on src with the stages given as fast-path records and
// appends the result to dst; on error dst comes back unchanged. A stage's refusal is a
// *StageError. The result is result<list<u8>, chain-error>: discriminant u8 at 0, payload at
// 8; chain-error is { stage: u32 at 0, error: kernel-error at 8 }.
func (ch *Chain) RunChain(ctx context.Context, dst, src, records []byte) ([]byte, error) {
	data, err := ch.c.lowerBytes(ctx, src)
	if err != nil {
		return dst, err
	}
	stages, n, err := ch.lowerStages(ctx, records)
	if err != nil {
		return dst, err
	}
	r, err := ch.c.callArea(ctx, ch.run, api.EncodeU32(data), uint64(len(src)), api.EncodeU32(stages), uint64(n))
	if err != nil {
		return dst, err
	}
	out := dst
	err = ch.c.lift(ctx, ch.run, r, func(r uint32) error {
		disc, err := mem.U8(ch.c.mem, "result discriminant", r)
		switch {
		case err != nil:
			return err
		case disc == 0:
			b, err := ch.c.listAt(r+8, 1)
			out = append(out, b...) // copy out before the post-return call frees the list
			return err
		case disc != 1:
			return fmt.Errorf("result discriminant %d at %#x, want 0 or 1", disc, r)
		}
		stage, err := mem.U32(ch.c.mem, "chain-error stage", r+8)
		if err != nil {
			return err
		}
		ke, err := ch.c.liftKernelError(r + 16)
		if err != nil {
			return err
		}
		if int(stage) >= n {
			return fmt.Errorf("chain-error names stage %d of %d", stage, n)
		}
		return &StageError{Stage: int(stage), Err: ke}
	})
	if err != nil {
		return dst, err
	}
	return out, nil
}
