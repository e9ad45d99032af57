// Package fastpath calls the fast-path ABI (version 2, docs/abi.md) of one wasm instance.
//
// An Instance owns three persistent buffers in linear memory, allocated with bp_alloc and
// grown on demand: the in-buffer takes the input, the aux-buffer a second input (mismatch's b,
// find-any's needles, select's bitmap), the out-buffer the kernel's output. Input is copied
// straight into its buffer through a memory view and output appended from a view to the
// caller's slice: one copy each way and no allocation per call. Function handles are looked up
// once and called with CallWithStack on a reused stack.
//
// Every method is one call into the module (the root package splits long inputs where a kernel
// allows it). An Instance is not safe for concurrent use. After any error that is not a
// *callresult.Error (a trap or an ABI violation) the instance must be discarded.
package fastpath

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/binpipe/binpipe/go-host/internal/callresult"
	"github.com/binpipe/binpipe/go-host/internal/mem"
	"github.com/binpipe/binpipe/go-host/internal/wasm"
	"github.com/tetratelabs/wazero/api"
)

// minBuffer is the smallest buffer allocated, so that small calls never reallocate.
const minBuffer = 64 << 10

// maxParams is the most parameters a fast-path export takes (bp_compare).
const maxParams = 8

// buffer is a bp_alloc allocation; cap 0 means none.
type buffer struct{ ptr, cap uint32 }

// Instance is one module instance seen through the fast-path ABI.
type Instance struct {
	mem api.Memory

	alloc, free, lastError api.Function
	crc32c, crc32, xxh3    api.Function
	countByte, findByte    api.Function
	findAny, indexByte     api.Function
	mismatch               api.Function
	utf8Validate           api.Function
	asciiPrefix            api.Function
	hexEncode, hexDecode   api.Function
	b64Encode, b64Decode   api.Function
	varEncode, varDecode   api.Function
	shuffle, unshuffle     api.Function
	deltaEnc, deltaDec     api.Function
	byteswap               api.Function
	bitpack, bitunpack     api.Function
	extractField           api.Function
	compare, sel           api.Function
	aggregate              api.Function

	stack        []uint64
	in, aux, out buffer
}

// New prepares mod (already checked by wasm.Compile) for fast-path calls.
func New(mod api.Module) *Instance {
	f := mod.ExportedFunction
	return &Instance{
		mem:          mod.Memory(),
		alloc:        f(wasm.FastAlloc),
		free:         f(wasm.FastFree),
		lastError:    f(wasm.FastLastError),
		crc32c:       f(wasm.FastCRC32C),
		crc32:        f(wasm.FastCRC32),
		xxh3:         f(wasm.FastXXH3),
		countByte:    f(wasm.FastCountByte),
		findByte:     f(wasm.FastFindByte),
		findAny:      f(wasm.FastFindAny),
		indexByte:    f(wasm.FastIndexByte),
		mismatch:     f(wasm.FastMismatch),
		utf8Validate: f(wasm.FastUTF8Validate),
		asciiPrefix:  f(wasm.FastASCIIPrefix),
		hexEncode:    f(wasm.FastHexEncode),
		hexDecode:    f(wasm.FastHexDecode),
		b64Encode:    f(wasm.FastBase64Encode),
		b64Decode:    f(wasm.FastBase64Decode),
		varEncode:    f(wasm.FastVarintEncode),
		varDecode:    f(wasm.FastVarintDecode),
		shuffle:      f(wasm.FastShuffle),
		unshuffle:    f(wasm.FastUnshuffle),
		deltaEnc:     f(wasm.FastDeltaEncode),
		deltaDec:     f(wasm.FastDeltaDecode),
		byteswap:     f(wasm.FastByteswap),
		bitpack:      f(wasm.FastBitpack),
		bitunpack:    f(wasm.FastBitunpack),
		extractField: f(wasm.FastExtractField),
		compare:      f(wasm.FastCompare),
		sel:          f(wasm.FastSelect),
		aggregate:    f(wasm.FastAggregate),
		stack:        make([]uint64, maxParams),
	}
}

// Buffered is the total size of the persistent buffers.
func (x *Instance) Buffered() uint64 {
	return uint64(x.in.cap) + uint64(x.aux.cap) + uint64(x.out.cap)
}

// tooLarge is the kernel error for a buffer that cannot exist in wasm32 memory.
func tooLarge(n uint64, why string) error {
	return &callresult.Error{Kind: callresult.TooLarge, Offset: math.MaxUint32,
		Message: fmt.Sprintf("a guest buffer of %d bytes %s", n, why)}
}

// ensure makes b hold at least n bytes (at least one, so its pointer is never null). Growing
// frees the old buffer first (its contents are dead) and allocates a new one, which may grow
// memory: views taken before are stale.
func (x *Instance) ensure(ctx context.Context, b *buffer, n uint64) error {
	if n <= uint64(b.cap) && b.cap != 0 {
		return nil
	}
	if n > math.MaxUint32 {
		return tooLarge(n, "exceeds wasm32 memory")
	}
	// Round up to a power of two (up to 64 MiB; to a MiB above) so a growing workload
	// reallocates O(log n) times without wasting much of the 4 GiB address space.
	c := uint64(minBuffer)
	for c < n && c < 64<<20 {
		c <<= 1
	}
	if c < n {
		c = (n + 1<<20 - 1) &^ (1<<20 - 1)
	}
	if c > math.MaxUint32 {
		c = n
	}
	if b.cap != 0 {
		x.stack[0], x.stack[1] = api.EncodeU32(b.ptr), api.EncodeU32(b.cap)
		old := *b
		*b = buffer{}
		if err := x.free.CallWithStack(ctx, x.stack); err != nil {
			return fmt.Errorf("bp_free(%#x, %d): %w", old.ptr, old.cap, err)
		}
	}
	x.stack[0] = api.EncodeU32(uint32(c))
	if err := x.alloc.CallWithStack(ctx, x.stack); err != nil {
		return fmt.Errorf("bp_alloc(%d): %w", c, err)
	}
	p := api.DecodeU32(x.stack[0])
	if p == 0 {
		return tooLarge(c, "does not fit: guest memory exhausted")
	}
	if p%16 != 0 {
		return fmt.Errorf("bp_alloc(%d) = %#x, not 16-aligned", c, p)
	}
	*b = buffer{ptr: p, cap: uint32(c)}
	return nil
}

// load copies data into b, growing it first.
func (x *Instance) load(ctx context.Context, b *buffer, what string, data []byte) error {
	if err := x.ensure(ctx, b, uint64(len(data))); err != nil {
		return err
	}
	return mem.Write(x.mem, what, b.ptr, data)
}

// guestError reads the error record at bp_last_error after a call returned -1.
func (x *Instance) guestError(ctx context.Context, fn string) error {
	if err := x.lastError.CallWithStack(ctx, x.stack); err != nil {
		return fmt.Errorf("bp_last_error: %w", err)
	}
	rec := api.DecodeU32(x.stack[0])
	r, err := mem.View(x.mem, "error record", rec, 24)
	if err != nil {
		return err
	}
	le := binary.LittleEndian
	kind, msgPtr, offset, msgLen := le.Uint32(r[0:]), le.Uint32(r[4:]), le.Uint64(r[8:]), le.Uint32(r[16:])
	msg, err := mem.String(x.mem, "error message", msgPtr, msgLen)
	if err != nil {
		return err
	}
	if kind < callresult.InvalidArgument || kind > callresult.TooLarge {
		return fmt.Errorf("%s: error record has unknown kind %d (%q)", fn, kind, msg)
	}
	return &callresult.Error{Kind: kind, Offset: offset, Message: msg}
}

// invoke calls fn with the arguments on the stack and returns its i64 result, turning -1 into
// the guest's error record.
func (x *Instance) invoke(ctx context.Context, fn api.Function, name string) (uint64, error) {
	if err := fn.CallWithStack(ctx, x.stack); err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	res := x.stack[0]
	if int64(res) == -1 {
		return 0, x.guestError(ctx, name)
	}
	return res, nil
}

// status calls fn, whose i32 result is 0 on success and -1 on error (the guest's error record).
func (x *Instance) status(ctx context.Context, fn api.Function, name string) error {
	if err := fn.CallWithStack(ctx, x.stack); err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	switch res := api.DecodeI32(x.stack[0]); res {
	case 0:
		return nil
	case -1:
		return x.guestError(ctx, name)
	default:
		return fmt.Errorf("%s: returned %d, want 0 or -1", name, res)
	}
}

// value runs a (ptr, len, args...) -> i64 kernel on data and returns its result: a count, an
// offset, -2 (as a uint64) for none, never -1 (that is the error).
func (x *Instance) value(ctx context.Context, fn api.Function, name string, data []byte, args ...uint64) (uint64, error) {
	if err := x.load(ctx, &x.in, "input buffer", data); err != nil {
		return 0, err
	}
	x.stack[0], x.stack[1] = api.EncodeU32(x.in.ptr), api.EncodeU32(uint32(len(data)))
	copy(x.stack[2:], args)
	return x.invoke(ctx, fn, name)
}

// value2 runs a (ptr, len, ptr2, len2) -> i64 kernel on a (in-buffer) and b (aux-buffer).
func (x *Instance) value2(ctx context.Context, fn api.Function, name string, a, b []byte) (uint64, error) {
	if err := x.load(ctx, &x.in, "input buffer", a); err != nil {
		return 0, err
	}
	if err := x.load(ctx, &x.aux, "second input buffer", b); err != nil {
		return 0, err
	}
	x.stack[0], x.stack[1] = api.EncodeU32(x.in.ptr), api.EncodeU32(uint32(len(a)))
	x.stack[2], x.stack[3] = api.EncodeU32(x.aux.ptr), api.EncodeU32(uint32(len(b)))
	return x.invoke(ctx, fn, name)
}

// option converts a value result where -2 means none; a found offset must be at most limit.
func option(name string, res uint64, err error, limit int) (uint64, bool, error) {
	switch {
	case err != nil:
		return 0, false, err
	case int64(res) == -2:
		return 0, false, nil
	case limit < 0 || res > uint64(limit):
		return 0, false, fmt.Errorf("%s: returned %d, not -2 or an offset up to %d", name, int64(res), limit)
	}
	return res, true, nil
}

// produce runs a (src, len, dst, dst_cap, args...) -> i64 kernel whose input is already in the
// in-buffer (n bytes) and whose output needs outCap bytes; it returns a view of the output,
// valid until the next call into the module.
func (x *Instance) produce(ctx context.Context, fn api.Function, name string, n uint32, outCap uint64, args ...uint64) ([]byte, error) {
	if err := x.ensure(ctx, &x.out, outCap); err != nil {
		return nil, err
	}
	x.stack[0], x.stack[1] = api.EncodeU32(x.in.ptr), api.EncodeU32(n)
	x.stack[2], x.stack[3] = api.EncodeU32(x.out.ptr), api.EncodeU32(x.out.cap)
	copy(x.stack[4:], args)
	res, err := x.invoke(ctx, fn, name)
	if err != nil {
		return nil, err
	}
	if res > outCap {
		return nil, fmt.Errorf("%s: wrote %d bytes, the output needs at most %d", name, int64(res), outCap)
	}
	return mem.View(x.mem, "output buffer", x.out.ptr, uint32(res))
}

// transform loads src and runs produce on it.
func (x *Instance) transform(ctx context.Context, fn api.Function, name string, src []byte, outCap uint64, args ...uint64) ([]byte, error) {
	if err := x.load(ctx, &x.in, "input buffer", src); err != nil {
		return nil, err
	}
	return x.produce(ctx, fn, name, uint32(len(src)), outCap, args...)
}

// appendBytes runs transform and appends its output to dst; on error dst comes back unchanged.
func (x *Instance) appendBytes(ctx context.Context, fn api.Function, name string, dst, src []byte, outCap uint64, args ...uint64) ([]byte, error) {
	out, err := x.transform(ctx, fn, name, src, outCap, args...)
	if err != nil {
		return dst, err
	}
	return append(dst, out...), nil
}

// words checks that an output of n bytes holds whole size-byte words and returns their count.
func words(name string, n, size int) (uint32, error) {
	if n%size != 0 {
		return 0, fmt.Errorf("%s: wrote %d bytes, not a whole number of %d-byte values", name, n, size)
	}
	return uint32(n / size), nil
}

func bit(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
