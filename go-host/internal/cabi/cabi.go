// Package cabi calls the canonical-ABI exports of one wasm instance: the functions wit-bindgen
// generates from wit/kernels.wit, lowered by hand as docs/abi.md describes (wazero runs core
// modules only, so no bindings generator is involved).
//
//   - list<u8> argument: p = cabi_realloc(0, 0, 1, n), one copy of the bytes to p, pass (p, n);
//     the callee owns the buffer and frees it.
//   - result<list<u8>, kernel-error>: the export returns a pointer to a return area; the host
//     copies everything out, then calls cabi_post_<export> exactly once, before any other call.
//
// The Go host uses this path for cross-checking the fast path and to measure what the
// canonical ABI costs per call; it allocates in the guest on every call. An Instance is not
// safe for concurrent use; after any error that is not a *kerr.Error, discard it.
package cabi

import (
	"context"
	"fmt"
	"math"

	"github.com/binpipe/binpipe/go-host/internal/kerr"
	"github.com/binpipe/binpipe/go-host/internal/mem"
	"github.com/binpipe/binpipe/go-host/internal/wasm"
	"github.com/tetratelabs/wazero/api"
)

// Instance is one module instance seen through the canonical ABI.
type Instance struct {
	mem   api.Memory
	chunk int // CRC32C and CountByte lower inputs in pieces of at most this many bytes

	realloc                  api.Function
	crc32c, countByte        api.Function
	shuffle, postShuffle     api.Function
	unshuffle, postUnshuffle api.Function
	stack                    []uint64
}

// New prepares mod (already checked by wasm.Compile) for canonical-ABI calls.
func New(mod api.Module, chunk int) *Instance {
	return &Instance{
		mem:           mod.Memory(),
		chunk:         max(chunk, 1),
		realloc:       mod.ExportedFunction(wasm.CanonRealloc),
		crc32c:        mod.ExportedFunction(wasm.CanonCRC32C),
		countByte:     mod.ExportedFunction(wasm.CanonCountByte),
		shuffle:       mod.ExportedFunction(wasm.CanonShuffle),
		postShuffle:   mod.ExportedFunction(wasm.CanonPostShuffle),
		unshuffle:     mod.ExportedFunction(wasm.CanonUnshuffle),
		postUnshuffle: mod.ExportedFunction(wasm.CanonPostUnshuffle),
		stack:         make([]uint64, 4),
	}
}

// lowerList lowers a list<u8>: cabi_realloc(0, 0, 1, n) then one copy into the new block.
// cabi_realloc may grow memory, so the view is taken after it returns.
func (c *Instance) lowerList(ctx context.Context, data []byte) (uint32, error) {
	if uint64(len(data)) > math.MaxUint32 {
		return 0, fmt.Errorf("cabi: list of %d bytes exceeds wasm32 memory", len(data))
	}
	c.stack[0], c.stack[1], c.stack[2], c.stack[3] = 0, 0, 1, api.EncodeU32(uint32(len(data)))
	if err := c.realloc.CallWithStack(ctx, c.stack); err != nil {
		return 0, fmt.Errorf("cabi_realloc(0, 0, 1, %d): %w", len(data), err)
	}
	p := api.DecodeU32(c.stack[0])
	if len(data) > 0 {
		if err := mem.Write(c.mem, "cabi_realloc block", p, data); err != nil {
			return 0, err
		}
	}
	return p, nil
}

// call lowers data, passes (p, n, arg) to fn and returns its one flat result.
func (c *Instance) call(ctx context.Context, fn api.Function, name string, data []byte, arg uint32) (uint64, error) {
	p, err := c.lowerList(ctx, data)
	if err != nil {
		return 0, err
	}
	c.stack[0], c.stack[1], c.stack[2] = api.EncodeU32(p), api.EncodeU32(uint32(len(data))), api.EncodeU32(arg)
	if err := fn.CallWithStack(ctx, c.stack); err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	return c.stack[0], nil
}

// CRC32C calls checksum#crc32c, in chunks continuing the seed for long inputs (each chunk is
// one list lowering; an empty input still makes one call).
func (c *Instance) CRC32C(ctx context.Context, data []byte, seed uint32) (uint32, error) {
	for {
		n := min(len(data), c.chunk)
		res, err := c.call(ctx, c.crc32c, wasm.CanonCRC32C, data[:n], seed)
		if err != nil {
			return 0, err
		}
		seed, data = api.DecodeU32(res), data[n:]
		if len(data) == 0 {
			return seed, nil
		}
	}
}

// CountByte calls search#count-byte, summing over chunks.
func (c *Instance) CountByte(ctx context.Context, data []byte, needle byte) (uint64, error) {
	var total uint64
	for {
		n := min(len(data), c.chunk)
		res, err := c.call(ctx, c.countByte, wasm.CanonCountByte, data[:n], uint32(needle))
		if err != nil {
			return 0, err
		}
		total, data = total+res, data[n:]
		if len(data) == 0 {
			return total, nil
		}
	}
}

// Shuffle calls transform#shuffle and appends the result to dst.
func (c *Instance) Shuffle(ctx context.Context, dst, src []byte, elemSize uint32) ([]byte, error) {
	return c.transform(ctx, c.shuffle, c.postShuffle, wasm.CanonShuffle, dst, src, elemSize)
}

// Unshuffle calls transform#unshuffle and appends the result to dst.
func (c *Instance) Unshuffle(ctx context.Context, dst, src []byte, elemSize uint32) ([]byte, error) {
	return c.transform(ctx, c.unshuffle, c.postUnshuffle, wasm.CanonUnshuffle, dst, src, elemSize)
}

// transform calls a func(list<u8>, u32) -> result<list<u8>, kernel-error> export.
func (c *Instance) transform(ctx context.Context, fn, post api.Function, name string, dst, src []byte, arg uint32) ([]byte, error) {
	res, err := c.call(ctx, fn, name, src, arg)
	if err != nil {
		return dst, err
	}
	r := api.DecodeU32(res)
	out, kerrv, err := c.liftResult(r)
	if err != nil {
		// The return area is unreadable: the module is broken, and the instance is discarded
		// without the post-return call (nothing it could free is trustworthy).
		return dst, fmt.Errorf("%s: %w", name, err)
	}
	result := dst
	if kerrv == nil {
		result = append(dst, out...) // copy out before cabi_post frees the list
	}
	c.stack[0] = api.EncodeU32(r)
	if err := post.CallWithStack(ctx, c.stack); err != nil {
		return dst, fmt.Errorf("cabi_post_%s: %w", name, err)
	}
	if kerrv != nil {
		return dst, kerrv
	}
	return result, nil
}

// liftResult reads result<list<u8>, kernel-error> at r (layout in docs/abi.md). On ok it
// returns a view of the list (valid until the post-return call); on err a *kerr.Error whose
// strings are already copied out.
func (c *Instance) liftResult(r uint32) ([]byte, *kerr.Error, error) {
	disc, err := mem.U8(c.mem, "return area", r)
	if err != nil {
		return nil, nil, err
	}
	switch disc {
	case 0:
		p, err := mem.U32(c.mem, "result list pointer", r+8)
		if err != nil {
			return nil, nil, err
		}
		n, err := mem.U32(c.mem, "result list length", r+12)
		if err != nil {
			return nil, nil, err
		}
		if n == 0 {
			return nil, nil, nil
		}
		out, err := mem.View(c.mem, "result list", p, n)
		return out, nil, err
	case 1:
		k, err := c.liftKernelError(r + 8)
		return nil, k, err
	}
	return nil, nil, fmt.Errorf("result discriminant %d at %#x, want 0 or 1", disc, r)
}

// liftKernelError reads the kernel-error variant at e: discriminant u8 @e, payload @e+8.
func (c *Instance) liftKernelError(e uint32) (*kerr.Error, error) {
	disc, err := mem.U8(c.mem, "kernel-error discriminant", e)
	if err != nil {
		return nil, err
	}
	pl := e + 8
	switch disc {
	case 0: // invalid-argument(string)
		msg, err := c.liftString(pl)
		return &kerr.Error{Kind: kerr.InvalidArgument, Message: msg}, err
	case 1: // invalid-data(data-error { offset: u64, message: string })
		off, err := mem.U64(c.mem, "data-error offset", pl)
		if err != nil {
			return nil, err
		}
		msg, err := c.liftString(pl + 8)
		return &kerr.Error{Kind: kerr.InvalidData, Offset: off, Message: msg}, err
	case 2: // too-large(u64)
		limit, err := mem.U64(c.mem, "too-large limit", pl)
		return &kerr.Error{Kind: kerr.TooLarge, Offset: limit, Message: "input too large"}, err
	}
	return nil, fmt.Errorf("kernel-error discriminant %d at %#x, want 0..2", disc, e)
}

// liftString copies the string whose (ptr, len) pair is at at.
func (c *Instance) liftString(at uint32) (string, error) {
	p, err := mem.U32(c.mem, "string pointer", at)
	if err != nil {
		return "", err
	}
	n, err := mem.U32(c.mem, "string length", at+4)
	if err != nil {
		return "", err
	}
	return mem.String(c.mem, "string", p, n)
}
