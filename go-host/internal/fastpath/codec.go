package fastpath

import (
	"context"

	"github.com/binpipe/binpipe/go-host/internal/mem"
	"github.com/binpipe/binpipe/go-host/internal/wasm"
)

// HexEncode is bp_hex_encode; it appends the 2*len(src) digits to dst.
func (x *Instance) HexEncode(ctx context.Context, dst, src []byte, upper bool) ([]byte, error) {
	return x.appendBytes(ctx, x.hexEncode, wasm.FastHexEncode, dst, src, 2*uint64(len(src)), bit(upper))
}

// HexDecode is bp_hex_decode; it appends the decoded bytes to dst.
func (x *Instance) HexDecode(ctx context.Context, dst, src []byte) ([]byte, error) {
	return x.appendBytes(ctx, x.hexDecode, wasm.FastHexDecode, dst, src, uint64(len(src))/2)
}

// Base64Encode is bp_base64_encode; it appends the encoding to dst.
func (x *Instance) Base64Encode(ctx context.Context, dst, src []byte, urlSafe, padding bool) ([]byte, error) {
	n := uint64(len(src))
	return x.appendBytes(ctx, x.b64Encode, wasm.FastBase64Encode, dst, src, 4*((n+2)/3), bit(urlSafe), bit(padding))
}

// Base64Decode is bp_base64_decode; it appends the decoded bytes to dst.
func (x *Instance) Base64Decode(ctx context.Context, dst, src []byte, urlSafe, padding bool) ([]byte, error) {
	n := uint64(len(src))
	return x.appendBytes(ctx, x.b64Decode, wasm.FastBase64Decode, dst, src, 3*((n+3)/4), bit(urlSafe), bit(padding))
}

// VarintEncode is bp_varint_encode; the values go to the in-buffer as little-endian u64s.
func (x *Instance) VarintEncode(ctx context.Context, dst []byte, values []uint64) ([]byte, error) {
	n := 8 * uint64(len(values))
	if err := x.ensure(ctx, &x.in, n); err != nil {
		return dst, err
	}
	if err := mem.WriteU64s(x.mem, "input buffer", x.in.ptr, values); err != nil {
		return dst, err
	}
	out, err := x.produce(ctx, x.varEncode, wasm.FastVarintEncode, uint32(n), 10*uint64(len(values)))
	if err != nil {
		return dst, err
	}
	return append(dst, out...), nil
}

// VarintDecode is bp_varint_decode; it appends the decoded values to dst.
func (x *Instance) VarintDecode(ctx context.Context, dst []uint64, src []byte) ([]uint64, error) {
	out, err := x.transform(ctx, x.varDecode, wasm.FastVarintDecode, src, 8*uint64(len(src)))
	if err != nil {
		return dst, err
	}
	n, err := words(wasm.FastVarintDecode, len(out), 8)
	if err != nil {
		return dst, err
	}
	return mem.AppendU64s(x.mem, "varint-decode output", x.out.ptr, n, dst)
}
