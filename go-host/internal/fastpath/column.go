package fastpath

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/binpipe/binpipe/go-host/internal/callresult"
	"github.com/binpipe/binpipe/go-host/internal/mem"
	"github.com/binpipe/binpipe/go-host/internal/wasm"
	"github.com/tetratelabs/wazero/api"
)

// widths is the element width of each WIT elem-type, in WIT order.
var widths = [...]uint64{1, 2, 4, 8, 1, 2, 4, 8, 4, 8}

// width is the width of element type ty, or 1 for a type the module will refuse.
func width(ty uint32) uint64 {
	if int(ty) < len(widths) {
		return widths[ty]
	}
	return 1
}

// Compare is bp_compare; it appends the bitmap to dst. class and value are the scalar's WIT
// case (0 unsigned, 1 signed, 2 float) and its 64 bits.
func (x *Instance) Compare(ctx context.Context, dst, column []byte, ty, op, class uint32, value uint64) ([]byte, error) {
	n := uint64(len(column)) / width(ty)
	return x.appendBytes(ctx, x.compare, wasm.FastCompare, dst, column, (n+7)/8,
		uint64(ty), uint64(op), uint64(class), value)
}

// Select is bp_select; the bitmap goes to the aux-buffer, the selected elements are appended
// to dst.
func (x *Instance) Select(ctx context.Context, dst, column []byte, width uint32, bitmap []byte) ([]byte, error) {
	if err := x.load(ctx, &x.aux, "bitmap buffer", bitmap); err != nil {
		return dst, err
	}
	return x.appendBytes(ctx, x.sel, wasm.FastSelect, dst, column, uint64(len(column)),
		uint64(width), api.EncodeU32(x.aux.ptr), api.EncodeU32(uint32(len(bitmap))))
}

// statsSize is the size of the record bp_aggregate writes.
const statsSize = 40

// Aggregate is bp_aggregate; the stats record comes back through the out-buffer.
func (x *Instance) Aggregate(ctx context.Context, column []byte, ty uint32) (callresult.Stats, error) {
	if err := x.ensure(ctx, &x.out, statsSize); err != nil {
		return callresult.Stats{}, err
	}
	if err := x.load(ctx, &x.in, "input buffer", column); err != nil {
		return callresult.Stats{}, err
	}
	x.stack[0], x.stack[1], x.stack[2], x.stack[3] = api.EncodeU32(x.in.ptr), api.EncodeU32(uint32(len(column))), uint64(ty), api.EncodeU32(x.out.ptr)
	if err := x.status(ctx, x.aggregate, wasm.FastAggregate); err != nil {
		return callresult.Stats{}, err
	}
	r, err := mem.View(x.mem, "stats record", x.out.ptr, statsSize)
	if err != nil {
		return callresult.Stats{}, err
	}
	le := binary.LittleEndian
	flags := le.Uint32(r[8:])
	s := callresult.Stats{
		Count:  le.Uint64(r[0:]),
		HasMin: flags&1 != 0,
		HasMax: flags&2 != 0,
		Class:  le.Uint32(r[12:]),
		Min:    le.Uint64(r[16:]),
		Max:    le.Uint64(r[24:]),
		Sum:    le.Uint64(r[32:]),
	}
	if flags > 3 || s.Class > callresult.ClassFloat {
		return callresult.Stats{}, fmt.Errorf("%s: stats record has flags %#x, class %d", wasm.FastAggregate, flags, s.Class)
	}
	return s, nil
}
