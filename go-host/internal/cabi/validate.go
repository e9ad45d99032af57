package cabi

import (
	"context"
	"fmt"

	"github.com/binpipe/binpipe/go-host/internal/mem"
	"github.com/tetratelabs/wazero/api"
)

// UTF8Validate calls validate#utf8-validate: result<_, utf8-error>, in a return area that owns
// no memory. status is encoded as by the fast path: 0 valid, 1 to 3 the error length, 4 for an
// input that ends inside a sequence.
func (c *Instance) UTF8Validate(ctx context.Context, data []byte) (validUpTo uint64, status uint32, err error) {
	p, err := c.lowerBytes(ctx, data)
	if err != nil {
		return 0, 0, err
	}
	r, err := c.callArea(ctx, c.utf8Validate, api.EncodeU32(p), uint64(len(data)))
	if err != nil {
		return 0, 0, err
	}
	validUpTo, status, err = c.utf8Error(r)
	if err != nil {
		return 0, 0, fmt.Errorf("%s: %w", c.utf8Validate.name, err)
	}
	if status == 0 {
		validUpTo = uint64(len(data))
	}
	return validUpTo, status, nil
}

// utf8Error reads result<_, utf8-error { valid-up-to: u64 @8, error-len: option<u8> @16 }>.
func (c *Instance) utf8Error(r uint32) (uint64, uint32, error) {
	disc, err := mem.U8(c.mem, "result discriminant", r)
	if err != nil || disc == 0 {
		return 0, 0, err
	}
	if disc != 1 {
		return 0, 0, fmt.Errorf("result discriminant %d at %#x, want 0 or 1", disc, r)
	}
	upTo, err := mem.U64(c.mem, "utf8-error valid-up-to", r+8)
	if err != nil {
		return 0, 0, err
	}
	some, err := mem.U8(c.mem, "utf8-error error-len discriminant", r+16)
	if err != nil {
		return 0, 0, err
	}
	switch some {
	case 0:
		return upTo, 4, nil
	case 1:
		n, err := mem.U8(c.mem, "utf8-error error-len", r+17)
		if err == nil && (n < 1 || n > 3) {
			err = fmt.Errorf("utf8-error error-len %d, want 1..3", n)
		}
		return upTo, uint32(n), err
	}
	return 0, 0, fmt.Errorf("option discriminant %d at %#x, want 0 or 1", some, r+16)
}

// ASCIIPrefix calls validate#ascii-prefix.
func (c *Instance) ASCIIPrefix(ctx context.Context, data []byte) (uint64, error) {
	p, err := c.lowerBytes(ctx, data)
	if err != nil {
		return 0, err
	}
	return c.call(ctx, c.asciiPrefix, api.EncodeU32(p), uint64(len(data)))
}
