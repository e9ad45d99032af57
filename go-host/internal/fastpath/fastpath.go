// Package fastpath calls the fast-path ABI (version 1, docs/abi.md) of one wasm instance.
//
// An Instance owns two persistent buffers in linear memory, allocated with bp_alloc and grown
// on demand: input is copied straight into the in-buffer through a memory view, the kernel
// writes into the out-buffer, and output is appended from a view to the caller's slice. That
// is one copy each way and no allocation per call. Function handles are looked up once and
// called with CallWithStack on a reused stack.
//
// An Instance is not safe for concurrent use. After any error that is not a *kerr.Error
// (a trap or an ABI violation) the instance must be discarded.
package fastpath

import (
	"context"
	"encoding/binary"
	"fmt"
	"math"

	"github.com/binpipe/binpipe/go-host/internal/kerr"
	"github.com/binpipe/binpipe/go-host/internal/mem"
	"github.com/tetratelabs/wazero/api"
)

// minBuffer is the smallest buffer allocated, so that small calls never reallocate.
const minBuffer = 64 << 10

// buffer is a bp_alloc allocation; cap 0 means none.
type buffer struct{ ptr, cap uint32 }

// Instance is one module instance seen through the fast-path ABI.
type Instance struct {
	mem   api.Memory
	chunk int // CRC32C and CountByte feed inputs in pieces of at most this many bytes

	alloc, free, lastError api.Function
	crc32c, countByte      api.Function
	shuffle, unshuffle     api.Function
	stack                  []uint64
	in, out                buffer
}

// New prepares mod (already checked by wasm.Compile) for fast-path calls. chunk bounds the
// in-buffer for the kernels that can be fed in pieces.
func New(mod api.Module, chunk int) *Instance {
	if chunk < minBuffer {
		chunk = minBuffer
	}
	return &Instance{
		mem:       mod.Memory(),
		chunk:     chunk,
		alloc:     mod.ExportedFunction("bp_alloc"),
		free:      mod.ExportedFunction("bp_free"),
		lastError: mod.ExportedFunction("bp_last_error"),
		crc32c:    mod.ExportedFunction("bp_crc32c"),
		countByte: mod.ExportedFunction("bp_count_byte"),
		shuffle:   mod.ExportedFunction("bp_shuffle"),
		unshuffle: mod.ExportedFunction("bp_unshuffle"),
		stack:     make([]uint64, 4),
	}
}

// Buffered is the total size of the persistent buffers, for the pool's retention policy.
func (x *Instance) Buffered() uint64 { return uint64(x.in.cap) + uint64(x.out.cap) }

// ensure makes b hold at least n bytes. Growing frees the old buffer first (its contents are
// dead) and allocates a new one, which may grow memory: views taken before are stale.
func (x *Instance) ensure(ctx context.Context, b *buffer, n int) error {
	if n <= int(b.cap) {
		return nil
	}
	if uint64(n) > math.MaxUint32 {
		return fmt.Errorf("fastpath: buffer of %d bytes exceeds wasm32 memory", n)
	}
	// Round up to a power of two (up to 64 MiB; to a MiB above) so a growing workload
	// reallocates O(log n) times without wasting much of the 4 GiB address space.
	c := uint64(minBuffer)
	for c < uint64(n) && c < 64<<20 {
		c <<= 1
	}
	if c < uint64(n) {
		c = (uint64(n) + 1<<20 - 1) &^ (1<<20 - 1)
	}
	if c > math.MaxUint32 {
		c = uint64(n)
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
		return &kerr.Error{Kind: kerr.TooLarge, Offset: uint64(n),
			Message: fmt.Sprintf("bp_alloc(%d) failed: guest memory exhausted", c)}
	}
	*b = buffer{ptr: p, cap: uint32(c)}
	return nil
}

// load copies data into the in-buffer, growing it first.
func (x *Instance) load(ctx context.Context, data []byte) error {
	if err := x.ensure(ctx, &x.in, len(data)); err != nil {
		return err
	}
	return mem.Write(x.mem, "input buffer", x.in.ptr, data)
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
	if kind < kerr.InvalidArgument || kind > kerr.TooLarge {
		return fmt.Errorf("%s: error record has unknown kind %d (%q)", fn, kind, msg)
	}
	return &kerr.Error{Kind: kind, Offset: offset, Message: msg}
}

// call3 copies data into the in-buffer and runs a (ptr, len, arg) -> i64 kernel on it.
func (x *Instance) call3(ctx context.Context, fn api.Function, name string, data []byte, arg uint32) (uint64, error) {
	if err := x.load(ctx, data); err != nil {
		return 0, err
	}
	x.stack[0], x.stack[1], x.stack[2] = api.EncodeU32(x.in.ptr), api.EncodeU32(uint32(len(data))), api.EncodeU32(arg)
	if err := fn.CallWithStack(ctx, x.stack); err != nil {
		return 0, fmt.Errorf("%s: %w", name, err)
	}
	if res := x.stack[0]; int64(res) != -1 {
		return res, nil
	}
	return 0, x.guestError(ctx, name)
}

// CRC32C is bp_crc32c over data, continuing from seed. Inputs longer than the chunk size are
// fed in pieces, each continuing from the previous piece's CRC; an empty input still makes
// one call (that is what the call-cost benchmark measures).
func (x *Instance) CRC32C(ctx context.Context, data []byte, seed uint32) (uint32, error) {
	for {
		n := min(len(data), x.chunk)
		res, err := x.call3(ctx, x.crc32c, "bp_crc32c", data[:n], seed)
		if err != nil {
			return 0, err
		}
		if res > math.MaxUint32 {
			return 0, fmt.Errorf("bp_crc32c: returned %d, not a u32", res)
		}
		seed, data = uint32(res), data[n:]
		if len(data) == 0 {
			return seed, nil
		}
	}
}

// CountByte is bp_count_byte over data, summed over chunks as CRC32C feeds them.
func (x *Instance) CountByte(ctx context.Context, data []byte, needle byte) (uint64, error) {
	var total uint64
	for {
		n := min(len(data), x.chunk)
		res, err := x.call3(ctx, x.countByte, "bp_count_byte", data[:n], uint32(needle))
		if err != nil {
			return 0, err
		}
		if res > uint64(n) {
			return 0, fmt.Errorf("bp_count_byte: counted %d in %d bytes", res, n)
		}
		total, data = total+res, data[n:]
		if len(data) == 0 {
			return total, nil
		}
	}
}

// Shuffle runs bp_shuffle on src and appends the result to dst. The buffers grow to fit src:
// a shuffle cannot be split into independent pieces.
func (x *Instance) Shuffle(ctx context.Context, dst, src []byte, elemSize uint32) ([]byte, error) {
	return x.transform(ctx, x.shuffle, "bp_shuffle", dst, src, elemSize)
}

// Unshuffle runs bp_unshuffle on src and appends the result to dst.
func (x *Instance) Unshuffle(ctx context.Context, dst, src []byte, elemSize uint32) ([]byte, error) {
	return x.transform(ctx, x.unshuffle, "bp_unshuffle", dst, src, elemSize)
}

func (x *Instance) transform(ctx context.Context, fn api.Function, name string, dst, src []byte, elemSize uint32) ([]byte, error) {
	if err := x.ensure(ctx, &x.out, len(src)); err != nil {
		return dst, err
	}
	if err := x.load(ctx, src); err != nil {
		return dst, err
	}
	n := uint32(len(src))
	x.stack[0], x.stack[1], x.stack[2], x.stack[3] = api.EncodeU32(x.in.ptr), api.EncodeU32(n), api.EncodeU32(x.out.ptr), api.EncodeU32(elemSize)
	if err := fn.CallWithStack(ctx, x.stack); err != nil {
		return dst, fmt.Errorf("%s: %w", name, err)
	}
	if int32(x.stack[0]) == -1 {
		return dst, x.guestError(ctx, name)
	}
	if x.stack[0] != 0 {
		return dst, fmt.Errorf("%s: returned %d, want 0 or -1", name, int32(x.stack[0]))
	}
	out, err := mem.View(x.mem, "output buffer", x.out.ptr, n)
	if err != nil {
		return dst, err
	}
	return append(dst, out...), nil
}
