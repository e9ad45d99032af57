package fastpath

import (
	"context"
	"fmt"

	"github.com/binpipe/binpipe/go-host/internal/mem"
	"github.com/binpipe/binpipe/go-host/internal/wasm"
)

// CountByte is bp_count_byte over data.
func (x *Instance) CountByte(ctx context.Context, data []byte, needle byte) (uint64, error) {
	res, err := x.value(ctx, x.countByte, wasm.FastCountByte, data, uint64(needle))
	if err == nil && res > uint64(len(data)) {
		return 0, fmt.Errorf("%s: counted %d in %d bytes", wasm.FastCountByte, res, len(data))
	}
	return res, err
}

// FindByte is bp_find_byte: the offset of the first needle in data, if any.
func (x *Instance) FindByte(ctx context.Context, data []byte, needle byte) (uint64, bool, error) {
	res, err := x.value(ctx, x.findByte, wasm.FastFindByte, data, uint64(needle))
	return option(wasm.FastFindByte, res, err, len(data)-1)
}

// FindAny is bp_find_any: the offset of the first byte of data in needles, if any. The
// needles go to the aux-buffer.
func (x *Instance) FindAny(ctx context.Context, data, needles []byte) (uint64, bool, error) {
	res, err := x.value2(ctx, x.findAny, wasm.FastFindAny, data, needles)
	return option(wasm.FastFindAny, res, err, len(data)-1)
}

// Mismatch is bp_mismatch: the first offset where a and b differ, if any.
func (x *Instance) Mismatch(ctx context.Context, a, b []byte) (uint64, bool, error) {
	res, err := x.value2(ctx, x.mismatch, wasm.FastMismatch, a, b)
	return option(wasm.FastMismatch, res, err, min(len(a), len(b)))
}

// IndexByte is bp_index_byte: it appends to dst base plus every offset of needle in data.
func (x *Instance) IndexByte(ctx context.Context, dst []uint32, data []byte, needle byte, base uint32) ([]uint32, error) {
	out, err := x.transform(ctx, x.indexByte, wasm.FastIndexByte, data, 4*uint64(len(data)), uint64(needle))
	if err != nil {
		return dst, err
	}
	n, err := words(wasm.FastIndexByte, len(out), 4)
	if err != nil {
		return dst, err
	}
	return mem.AppendU32s(x.mem, "index-byte output", x.out.ptr, n, dst, base)
}
