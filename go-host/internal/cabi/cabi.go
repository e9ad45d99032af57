// Package cabi calls the canonical-ABI exports of one wasm instance: the functions wit-bindgen
// generates from wit/kernels.wit, lowered by hand as docs/abi.md describes (wazero runs core
// modules only, so no bindings generator is involved).
//
//   - list<T> argument: p = cabi_realloc(0, 0, align(T), n*size(T)), one copy of the
//     little-endian elements to p, pass (p, n); the callee owns the block and frees it.
//   - a result wider than one flat value (option<u64>, list<T>, result<…>, the stats record):
//     the export returns a pointer to a return area; the host copies everything out, then, if
//     the result owns memory (it holds a list or a string), calls cabi_post_<export> exactly
//     once, before any other call.
//
// The Go host uses this path for cross-checking the fast path and to measure what the
// canonical ABI costs per call; it allocates in the guest (and in Go) on every call. Every
// method is one call into the module. An Instance is not safe for concurrent use; after any
// error that is not a *callresult.Error, discard it.
package cabi

import (
	"context"
	"errors"
	"fmt"
	"math"

	"github.com/binpipe/binpipe/go-host/internal/callresult"
	"github.com/binpipe/binpipe/go-host/internal/mem"
	"github.com/binpipe/binpipe/go-host/internal/wasm"
	"github.com/tetratelabs/wazero/api"
)

// maxFlatParams is the most flat parameters an export takes (compare).
const maxFlatParams = 6

// export is one canonical export and its post-return function (nil if it has none).
type export struct {
	name string
	fn   api.Function
	post api.Function
}

// Instance is one module instance seen through the canonical ABI.
type Instance struct {
	mem     api.Memory
	realloc api.Function
	stack   []uint64

	crc32c, crc32, xxh3                              export
	findByte, findAny, countByte, indexByte          export
	mismatch, utf8Validate, asciiPrefix              export
	hexEncode, hexDecode, b64Encode, b64Decode       export
	varEncode, varDecode                             export
	shuffle, unshuffle, deltaEnc, deltaDec, byteswap export
	bitpack, bitunpack, extractField                 export
	compare, sel, aggregate                          export
}

// New prepares mod (already checked by wasm.Compile) for canonical-ABI calls.
func New(mod api.Module) *Instance {
	ex := func(name string) export {
		e := export{name: name, fn: mod.ExportedFunction(name)}
		if _, _, ok := wasm.Signature(wasm.Post(name)); ok {
			e.post = mod.ExportedFunction(wasm.Post(name))
		}
		return e
	}
	return &Instance{
		mem:          mod.Memory(),
		realloc:      mod.ExportedFunction(wasm.CanonRealloc),
		stack:        make([]uint64, maxFlatParams),
		crc32c:       ex(wasm.CanonCRC32C),
		crc32:        ex(wasm.CanonCRC32),
		xxh3:         ex(wasm.CanonXXH3),
		findByte:     ex(wasm.CanonFindByte),
		findAny:      ex(wasm.CanonFindAny),
		countByte:    ex(wasm.CanonCountByte),
		indexByte:    ex(wasm.CanonIndexByte),
		mismatch:     ex(wasm.CanonMismatch),
		utf8Validate: ex(wasm.CanonUTF8Validate),
		asciiPrefix:  ex(wasm.CanonASCIIPrefix),
		hexEncode:    ex(wasm.CanonHexEncode),
		hexDecode:    ex(wasm.CanonHexDecode),
		b64Encode:    ex(wasm.CanonBase64Encode),
		b64Decode:    ex(wasm.CanonBase64Decode),
		varEncode:    ex(wasm.CanonVarintEncode),
		varDecode:    ex(wasm.CanonVarintDecode),
		shuffle:      ex(wasm.CanonShuffle),
		unshuffle:    ex(wasm.CanonUnshuffle),
		deltaEnc:     ex(wasm.CanonDeltaEncode),
		deltaDec:     ex(wasm.CanonDeltaDecode),
		byteswap:     ex(wasm.CanonByteswap),
		bitpack:      ex(wasm.CanonBitpack),
		bitunpack:    ex(wasm.CanonBitunpack),
		extractField: ex(wasm.CanonExtractField),
		compare:      ex(wasm.CanonCompare),
		sel:          ex(wasm.CanonSelect),
		aggregate:    ex(wasm.CanonAggregate),
	}
}

// alloc is cabi_realloc(0, 0, align, n): a new block the callee will own.
func (c *Instance) alloc(ctx context.Context, align uint32, n uint64) (uint32, error) {
	if n > math.MaxUint32 {
		return 0, &callresult.Error{Kind: callresult.TooLarge, Offset: math.MaxUint32,
			Message: fmt.Sprintf("a list of %d bytes exceeds wasm32 memory", n)}
	}
	c.stack[0], c.stack[1], c.stack[2], c.stack[3] = 0, 0, api.EncodeU32(align), api.EncodeU32(uint32(n))
	if err := c.realloc.CallWithStack(ctx, c.stack); err != nil {
		return 0, fmt.Errorf("cabi_realloc(0, 0, %d, %d): %w", align, n, err)
	}
	return api.DecodeU32(c.stack[0]), nil
}

// lowerBytes lowers a list<u8>: one allocation, one copy. cabi_realloc may grow memory, so the
// view is taken after it returns.
func (c *Instance) lowerBytes(ctx context.Context, data []byte) (uint32, error) {
	p, err := c.alloc(ctx, 1, uint64(len(data)))
	if err != nil {
		return 0, err
	}
	return p, mem.Write(c.mem, "cabi_realloc block", p, data)
}

// lowerU32s lowers a list<u32>.
func (c *Instance) lowerU32s(ctx context.Context, values []uint32) (uint32, error) {
	p, err := c.alloc(ctx, 4, 4*uint64(len(values)))
	if err != nil {
		return 0, err
	}
	return p, mem.WriteU32s(c.mem, "cabi_realloc block", p, values)
}

// lowerU64s lowers a list<u64>.
func (c *Instance) lowerU64s(ctx context.Context, values []uint64) (uint32, error) {
	p, err := c.alloc(ctx, 8, 8*uint64(len(values)))
	if err != nil {
		return 0, err
	}
	return p, mem.WriteU64s(c.mem, "cabi_realloc block", p, values)
}

// call runs e with the flat arguments args and returns its one flat result.
func (c *Instance) call(ctx context.Context, e export, args ...uint64) (uint64, error) {
	copy(c.stack, args)
	if err := e.fn.CallWithStack(ctx, c.stack); err != nil {
		return 0, fmt.Errorf("%s: %w", e.name, err)
	}
	return c.stack[0], nil
}

// callArea runs e and returns the address of its return area.
func (c *Instance) callArea(ctx context.Context, e export, args ...uint64) (uint32, error) {
	res, err := c.call(ctx, e, args...)
	return api.DecodeU32(res), err
}

// lift reads the return area r of e with read, then calls e's post-return function. An error
// from read that is not a *callresult.Error means the module is broken: the instance is discarded
// without the post-return call (nothing it could free is trustworthy).
func (c *Instance) lift(ctx context.Context, e export, r uint32, read func(r uint32) error) error {
	err := read(r)
	var ke *callresult.Error
	if err != nil && !errors.As(err, &ke) {
		return fmt.Errorf("%s: %w", e.name, err)
	}
	if e.post != nil {
		c.stack[0] = api.EncodeU32(r)
		if perr := e.post.CallWithStack(ctx, c.stack); perr != nil {
			return fmt.Errorf("%s: %w", wasm.Post(e.name), perr)
		}
	}
	return err
}

// listAt returns a view of the list<T> (ptr, len) pair at at, size bytes per element; the
// view is valid until the post-return call.
func (c *Instance) listAt(at uint32, size uint64) ([]byte, error) {
	p, err := mem.U32(c.mem, "result list pointer", at)
	if err != nil {
		return nil, err
	}
	n, err := mem.U32(c.mem, "result list length", at+4)
	if err != nil {
		return nil, err
	}
	if uint64(n)*size > math.MaxUint32 {
		return nil, fmt.Errorf("result list of %d %d-byte elements exceeds wasm32 memory", n, size)
	}
	return mem.View(c.mem, "result list", p, uint32(uint64(n)*size))
}

// resultAt reads the discriminant of a result<T, kernel-error> at r: nil means ok (payload at
// r+8), a *callresult.Error the err case.
func (c *Instance) resultAt(r uint32) error {
	disc, err := mem.U8(c.mem, "result discriminant", r)
	switch {
	case err != nil:
		return err
	case disc == 0:
		return nil
	case disc == 1:
		k, err := c.liftKernelError(r + 8)
		if err != nil {
			return err
		}
		return k
	}
	return fmt.Errorf("result discriminant %d at %#x, want 0 or 1", disc, r)
}

// optionAt reads an option<u64> (discriminant u8, value u64 at +8) at at.
func (c *Instance) optionAt(at uint32) (uint64, bool, error) {
	disc, err := mem.U8(c.mem, "option discriminant", at)
	switch {
	case err != nil:
		return 0, false, err
	case disc == 0:
		return 0, false, nil
	case disc == 1:
		v, err := mem.U64(c.mem, "option value", at+8)
		return v, err == nil, err
	}
	return 0, false, fmt.Errorf("option discriminant %d at %#x, want 0 or 1", disc, at)
}

// liftKernelError reads the kernel-error variant at e: discriminant u8 @e, payload @e+8.
func (c *Instance) liftKernelError(e uint32) (*callresult.Error, error) {
	disc, err := mem.U8(c.mem, "kernel-error discriminant", e)
	if err != nil {
		return nil, err
	}
	pl := e + 8
	switch disc {
	case 0: // invalid-argument(string)
		msg, err := c.liftString(pl)
		return &callresult.Error{Kind: callresult.InvalidArgument, Message: msg}, err
	case 1: // invalid-data(data-error { offset: u64, message: string })
		off, err := mem.U64(c.mem, "data-error offset", pl)
		if err != nil {
			return nil, err
		}
		msg, err := c.liftString(pl + 8)
		return &callresult.Error{Kind: callresult.InvalidData, Offset: off, Message: msg}, err
	case 2: // too-large(u64)
		limit, err := mem.U64(c.mem, "too-large limit", pl)
		return &callresult.Error{Kind: callresult.TooLarge, Offset: limit, Message: "input too large"}, err
	}
	return nil, fmt.Errorf("kernel-error discriminant %d at %#x, want 0..2", disc, e)
}

// liftString copies the string whose (ptr, len) pair is at at.
func (c *Instance) liftString(at uint32) (string, error) {
	b, err := c.listAt(at, 1)
	return string(b), err
}

// bytesResult runs e, whose result is result<list<u8>, kernel-error> (or, if bare, list<u8>),
// and appends the list to dst; on error dst comes back unchanged.
func (c *Instance) bytesResult(ctx context.Context, e export, bare bool, dst []byte, args ...uint64) ([]byte, error) {
	r, err := c.callArea(ctx, e, args...)
	if err != nil {
		return dst, err
	}
	out := dst
	err = c.lift(ctx, e, r, func(r uint32) error {
		at := r
		if !bare {
			if err := c.resultAt(r); err != nil {
				return err
			}
			at = r + 8
		}
		b, err := c.listAt(at, 1)
		out = append(out, b...) // copy out before the post-return call frees the list
		return err
	})
	if err != nil {
		return dst, err
	}
	return out, nil
}

// wordsResult runs e, whose result is result<list<T>, kernel-error> for a T of size bytes, and
// passes the list's bytes to take before the post-return call.
func (c *Instance) wordsResult(ctx context.Context, e export, size uint64, take func([]byte), args ...uint64) error {
	r, err := c.callArea(ctx, e, args...)
	if err != nil {
		return err
	}
	return c.lift(ctx, e, r, func(r uint32) error {
		if err := c.resultAt(r); err != nil {
			return err
		}
		b, err := c.listAt(r+8, size)
		if err == nil {
			take(b)
		}
		return err
	})
}
