package cabi

import (
	"context"

	"github.com/binpipe/binpipe/go-host/internal/mem"
	"github.com/tetratelabs/wazero/api"
)

// HexEncode calls codec#hex-encode (a bare list<u8> result) and appends it to dst.
func (c *Instance) HexEncode(ctx context.Context, dst, src []byte, upper bool) ([]byte, error) {
	return c.bytesCall(ctx, c.hexEncode, true, dst, src, bit(upper))
}

// HexDecode calls codec#hex-decode and appends the bytes to dst.
func (c *Instance) HexDecode(ctx context.Context, dst, src []byte) ([]byte, error) {
	return c.bytesCall(ctx, c.hexDecode, false, dst, src)
}

// Base64Encode calls codec#base64-encode (alphabet 0 standard, 1 url-safe).
func (c *Instance) Base64Encode(ctx context.Context, dst, src []byte, urlSafe, padding bool) ([]byte, error) {
	return c.bytesCall(ctx, c.b64Encode, true, dst, src, bit(urlSafe), bit(padding))
}

// Base64Decode calls codec#base64-decode.
func (c *Instance) Base64Decode(ctx context.Context, dst, src []byte, urlSafe, padding bool) ([]byte, error) {
	return c.bytesCall(ctx, c.b64Decode, false, dst, src, bit(urlSafe), bit(padding))
}

// VarintEncode calls codec#varint-encode with values lowered as a list<u64>.
func (c *Instance) VarintEncode(ctx context.Context, dst []byte, values []uint64) ([]byte, error) {
	p, err := c.lowerU64s(ctx, values)
	if err != nil {
		return dst, err
	}
	return c.bytesResult(ctx, c.varEncode, true, dst, api.EncodeU32(p), uint64(len(values)))
}

// VarintDecode calls codec#varint-decode and appends the values to dst.
func (c *Instance) VarintDecode(ctx context.Context, dst []uint64, src []byte) ([]uint64, error) {
	p, err := c.lowerBytes(ctx, src)
	if err != nil {
		return dst, err
	}
	out := dst
	err = c.wordsResult(ctx, c.varDecode, 8, func(b []byte) { out = mem.DecodeU64s(out, b) },
		api.EncodeU32(p), uint64(len(src)))
	if err != nil {
		return dst, err
	}
	return out, nil
}

// bytesCall lowers src as the first list<u8> argument, followed by args, and appends e's
// list<u8> result to dst.
func (c *Instance) bytesCall(ctx context.Context, e export, bare bool, dst, src []byte, args ...uint64) ([]byte, error) {
	p, err := c.lowerBytes(ctx, src)
	if err != nil {
		return dst, err
	}
	var flat [maxFlatParams]uint64
	flat[0], flat[1] = api.EncodeU32(p), uint64(len(src))
	n := 2 + copy(flat[2:], args)
	return c.bytesResult(ctx, e, bare, dst, flat[:n]...)
}

func bit(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}
