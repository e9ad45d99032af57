package cabi

import (
	"context"
	"fmt"

	"github.com/binpipe/binpipe/go-host/internal/mem"
	"github.com/tetratelabs/wazero/api"
)

// CountByte calls search#count-byte.
func (c *Instance) CountByte(ctx context.Context, data []byte, needle byte) (uint64, error) {
	p, err := c.lowerBytes(ctx, data)
	if err != nil {
		return 0, err
	}
	return c.call(ctx, c.countByte, api.EncodeU32(p), uint64(len(data)), uint64(needle))
}

// FindByte calls search#find-byte, whose option<u64> comes back in a return area.
func (c *Instance) FindByte(ctx context.Context, data []byte, needle byte) (uint64, bool, error) {
	p, err := c.lowerBytes(ctx, data)
	if err != nil {
		return 0, false, err
	}
	r, err := c.callArea(ctx, c.findByte, api.EncodeU32(p), uint64(len(data)), uint64(needle))
	if err != nil {
		return 0, false, err
	}
	return c.optionResult(c.findByte, r)
}

// FindAny calls search#find-any: result<option<u64>, kernel-error>.
func (c *Instance) FindAny(ctx context.Context, data, needles []byte) (uint64, bool, error) {
	p, err := c.lowerBytes(ctx, data)
	if err != nil {
		return 0, false, err
	}
	q, err := c.lowerBytes(ctx, needles)
	if err != nil {
		return 0, false, err
	}
	r, err := c.callArea(ctx, c.findAny, api.EncodeU32(p), uint64(len(data)), api.EncodeU32(q), uint64(len(needles)))
	if err != nil {
		return 0, false, err
	}
	var (
		v  uint64
		ok bool
	)
	err = c.lift(ctx, c.findAny, r, func(r uint32) error {
		if err := c.resultAt(r); err != nil {
			return err
		}
		var err error
		v, ok, err = c.optionAt(r + 8)
		return err
	})
	return v, ok, err
}

// Mismatch calls search#mismatch, whose option<u64> comes back in a return area.
func (c *Instance) Mismatch(ctx context.Context, a, b []byte) (uint64, bool, error) {
	p, err := c.lowerBytes(ctx, a)
	if err != nil {
		return 0, false, err
	}
	q, err := c.lowerBytes(ctx, b)
	if err != nil {
		return 0, false, err
	}
	r, err := c.callArea(ctx, c.mismatch, api.EncodeU32(p), uint64(len(a)), api.EncodeU32(q), uint64(len(b)))
	if err != nil {
		return 0, false, err
	}
	return c.optionResult(c.mismatch, r)
}

// optionResult lifts the option<u64> return area r of e, which owns no memory.
func (c *Instance) optionResult(e export, r uint32) (uint64, bool, error) {
	v, ok, err := c.optionAt(r)
	if err != nil {
		return 0, false, fmt.Errorf("%s: %w", e.name, err)
	}
	return v, ok, nil
}

// IndexByte calls search#index-byte and appends base plus every offset to dst.
func (c *Instance) IndexByte(ctx context.Context, dst []uint32, data []byte, needle byte, base uint32) ([]uint32, error) {
	p, err := c.lowerBytes(ctx, data)
	if err != nil {
		return dst, err
	}
	out := dst
	err = c.wordsResult(ctx, c.indexByte, 4, func(b []byte) { out = mem.DecodeU32s(out, b, base) },
		api.EncodeU32(p), uint64(len(data)), uint64(needle))
	if err != nil {
		return dst, err
	}
	return out, nil
}
