package cabi

import (
	"context"

	"github.com/binpipe/binpipe/go-host/internal/mem"
	"github.com/tetratelabs/wazero/api"
)

// Shuffle calls transform#shuffle and appends the result to dst.
func (c *Instance) Shuffle(ctx context.Context, dst, src []byte, elemSize uint32) ([]byte, error) {
	return c.bytesCall(ctx, c.shuffle, false, dst, src, uint64(elemSize))
}

// Unshuffle calls transform#unshuffle and appends the result to dst.
func (c *Instance) Unshuffle(ctx context.Context, dst, src []byte, elemSize uint32) ([]byte, error) {
	return c.bytesCall(ctx, c.unshuffle, false, dst, src, uint64(elemSize))
}

// DeltaEncode calls transform#delta-encode.
func (c *Instance) DeltaEncode(ctx context.Context, dst, src []byte, width uint32) ([]byte, error) {
	return c.bytesCall(ctx, c.deltaEnc, false, dst, src, uint64(width))
}

// DeltaDecode calls transform#delta-decode.
func (c *Instance) DeltaDecode(ctx context.Context, dst, src []byte, width uint32) ([]byte, error) {
	return c.bytesCall(ctx, c.deltaDec, false, dst, src, uint64(width))
}

// Byteswap calls transform#byteswap.
func (c *Instance) Byteswap(ctx context.Context, dst, src []byte, width uint32) ([]byte, error) {
	return c.bytesCall(ctx, c.byteswap, false, dst, src, uint64(width))
}

// Bitpack calls transform#bitpack with values lowered as a list<u32>.
func (c *Instance) Bitpack(ctx context.Context, dst []byte, values []uint32, bits uint32) ([]byte, error) {
	p, err := c.lowerU32s(ctx, values)
	if err != nil {
		return dst, err
	}
	return c.bytesResult(ctx, c.bitpack, false, dst, api.EncodeU32(p), uint64(len(values)), uint64(bits))
}

// Bitunpack calls transform#bitunpack and appends the values to dst.
func (c *Instance) Bitunpack(ctx context.Context, dst []uint32, src []byte, bits, count uint32) ([]uint32, error) {
	p, err := c.lowerBytes(ctx, src)
	if err != nil {
		return dst, err
	}
	out := dst
	err = c.wordsResult(ctx, c.bitunpack, 4, func(b []byte) { out = mem.DecodeU32s(out, b, 0) },
		api.EncodeU32(p), uint64(len(src)), uint64(bits), uint64(count))
	if err != nil {
		return dst, err
	}
	return out, nil
}

// ExtractField calls transform#extract-field.
func (c *Instance) ExtractField(ctx context.Context, dst, src []byte, recordSize, offset, width uint32) ([]byte, error) {
	return c.bytesCall(ctx, c.extractField, false, dst, src, uint64(recordSize), uint64(offset), uint64(width))
}
