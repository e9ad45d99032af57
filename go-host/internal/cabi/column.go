package cabi

import (
	"context"
	"fmt"

	"github.com/binpipe/binpipe/go-host/internal/callresult"
	"github.com/binpipe/binpipe/go-host/internal/mem"
	"github.com/tetratelabs/wazero/api"
)

// Compare calls column#compare; the scalar flattens to its case (class) and its 64 bits.
func (c *Instance) Compare(ctx context.Context, dst, column []byte, ty, op, class uint32, value uint64) ([]byte, error) {
	return c.bytesCall(ctx, c.compare, false, dst, column, uint64(ty), uint64(op), uint64(class), value)
}

// Select calls column#select.
func (c *Instance) Select(ctx context.Context, dst, column []byte, width uint32, bitmap []byte) ([]byte, error) {
	p, err := c.lowerBytes(ctx, column)
	if err != nil {
		return dst, err
	}
	q, err := c.lowerBytes(ctx, bitmap)
	if err != nil {
		return dst, err
	}
	return c.bytesResult(ctx, c.sel, false, dst, api.EncodeU32(p), uint64(len(column)), uint64(width),
		api.EncodeU32(q), uint64(len(bitmap)))
}

// Aggregate calls column#aggregate: result<stats, kernel-error>, where stats is
// { count: u64 @0, min: option<scalar> @8, max: option<scalar> @32, sum: scalar @56 } and a
// scalar is { case u8 @0, value u64 @8 }.
func (c *Instance) Aggregate(ctx context.Context, column []byte, ty uint32) (callresult.Stats, error) {
	p, err := c.lowerBytes(ctx, column)
	if err != nil {
		return callresult.Stats{}, err
	}
	r, err := c.callArea(ctx, c.aggregate, api.EncodeU32(p), uint64(len(column)), uint64(ty))
	if err != nil {
		return callresult.Stats{}, err
	}
	var s callresult.Stats
	err = c.lift(ctx, c.aggregate, r, func(r uint32) error {
		if err := c.resultAt(r); err != nil {
			return err
		}
		st := r + 8
		var err error
		if s.Count, err = mem.U64(c.mem, "stats count", st); err != nil {
			return err
		}
		var minClass, maxClass uint32
		if s.HasMin, minClass, s.Min, err = c.optionScalarAt(st + 8); err != nil {
			return err
		}
		if s.HasMax, maxClass, s.Max, err = c.optionScalarAt(st + 32); err != nil {
			return err
		}
		if s.Class, s.Sum, err = c.scalarAt(st + 56); err != nil {
			return err
		}
		if (s.HasMin && minClass != s.Class) || (s.HasMax && maxClass != s.Class) {
			return fmt.Errorf("stats scalars of different cases: min %d, max %d, sum %d", minClass, maxClass, s.Class)
		}
		return nil
	})
	return s, err
}

// optionScalarAt reads an option<scalar> (discriminant u8, scalar at +8).
func (c *Instance) optionScalarAt(at uint32) (bool, uint32, uint64, error) {
	disc, err := mem.U8(c.mem, "option discriminant", at)
	switch {
	case err != nil:
		return false, 0, 0, err
	case disc == 0:
		return false, 0, 0, nil
	case disc == 1:
		class, v, err := c.scalarAt(at + 8)
		return err == nil, class, v, err
	}
	return false, 0, 0, fmt.Errorf("option discriminant %d at %#x, want 0 or 1", disc, at)
}

// scalarAt reads a scalar: case u8 (0 unsigned, 1 signed, 2 float), 64-bit value at +8.
func (c *Instance) scalarAt(at uint32) (uint32, uint64, error) {
	class, err := mem.U8(c.mem, "scalar discriminant", at)
	if err != nil {
		return 0, 0, err
	}
	if uint32(class) > callresult.ClassFloat {
		return 0, 0, fmt.Errorf("scalar discriminant %d at %#x, want 0..2", class, at)
	}
	v, err := mem.U64(c.mem, "scalar value", at+8)
	return uint32(class), v, err
}
