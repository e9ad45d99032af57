package fastpath

import (
	"context"

	"github.com/binpipe/binpipe/go-host/internal/mem"
	"github.com/binpipe/binpipe/go-host/internal/wasm"
	"github.com/tetratelabs/wazero/api"
)

// Shuffle runs bp_shuffle on src and appends the result to dst. A shuffle cannot be split
// into independent pieces, so the buffers grow to fit src.
func (x *Instance) Shuffle(ctx context.Context, dst, src []byte, elemSize uint32) ([]byte, error) {
	return x.shuffleLike(ctx, x.shuffle, wasm.FastShuffle, dst, src, elemSize)
}

// Unshuffle runs bp_unshuffle on src and appends the result to dst.
func (x *Instance) Unshuffle(ctx context.Context, dst, src []byte, elemSize uint32) ([]byte, error) {
	return x.shuffleLike(ctx, x.unshuffle, wasm.FastUnshuffle, dst, src, elemSize)
}

// shuffleLike calls a (src, len, dst, elem_size) -> i32 export (0 ok, -1 error), whose output
// is len bytes.
func (x *Instance) shuffleLike(ctx context.Context, fn api.Function, name string, dst, src []byte, elemSize uint32) ([]byte, error) {
	if err := x.ensure(ctx, &x.out, uint64(len(src))); err != nil {
		return dst, err
	}
	if err := x.load(ctx, &x.in, "input buffer", src); err != nil {
		return dst, err
	}
	n := uint32(len(src))
	x.stack[0], x.stack[1], x.stack[2], x.stack[3] = api.EncodeU32(x.in.ptr), api.EncodeU32(n), api.EncodeU32(x.out.ptr), api.EncodeU32(elemSize)
	if err := x.status(ctx, fn, name); err != nil {
		return dst, err
	}
	out, err := mem.View(x.mem, "output buffer", x.out.ptr, n)
	if err != nil {
		return dst, err
	}
	return append(dst, out...), nil
}

// DeltaEncode is bp_delta_encode; it appends the len(src) output bytes to dst.
func (x *Instance) DeltaEncode(ctx context.Context, dst, src []byte, width uint32) ([]byte, error) {
	return x.appendBytes(ctx, x.deltaEnc, wasm.FastDeltaEncode, dst, src, uint64(len(src)), uint64(width))
}

// DeltaDecode is bp_delta_decode.
func (x *Instance) DeltaDecode(ctx context.Context, dst, src []byte, width uint32) ([]byte, error) {
	return x.appendBytes(ctx, x.deltaDec, wasm.FastDeltaDecode, dst, src, uint64(len(src)), uint64(width))
}

// Byteswap is bp_byteswap.
func (x *Instance) Byteswap(ctx context.Context, dst, src []byte, width uint32) ([]byte, error) {
	return x.appendBytes(ctx, x.byteswap, wasm.FastByteswap, dst, src, uint64(len(src)), uint64(width))
}

// Bitpack is bp_bitpack; the values go to the in-buffer as little-endian u32s.
func (x *Instance) Bitpack(ctx context.Context, dst []byte, values []uint32, bits uint32) ([]byte, error) {
	n := 4 * uint64(len(values))
	if err := x.ensure(ctx, &x.in, n); err != nil {
		return dst, err
	}
	if err := mem.WriteU32s(x.mem, "input buffer", x.in.ptr, values); err != nil {
		return dst, err
	}
	out, err := x.produce(ctx, x.bitpack, wasm.FastBitpack, uint32(n), (uint64(bits)*uint64(len(values))+7)/8, uint64(bits))
	if err != nil {
		return dst, err
	}
	return append(dst, out...), nil
}

// Bitunpack is bp_bitunpack; it appends the count values to dst.
func (x *Instance) Bitunpack(ctx context.Context, dst []uint32, src []byte, bits, count uint32) ([]uint32, error) {
	out, err := x.transform(ctx, x.bitunpack, wasm.FastBitunpack, src, 4*uint64(count), uint64(bits), uint64(count))
	if err != nil {
		return dst, err
	}
	n, err := words(wasm.FastBitunpack, len(out), 4)
	if err != nil {
		return dst, err
	}
	return mem.AppendU32s(x.mem, "bitunpack output", x.out.ptr, n, dst, 0)
}

// ExtractField is bp_extract_field; it appends the fields to dst.
func (x *Instance) ExtractField(ctx context.Context, dst, src []byte, recordSize, offset, width uint32) ([]byte, error) {
	out := uint64(0)
	if recordSize > 0 {
		out = uint64(len(src)) / uint64(recordSize) * uint64(width)
	}
	return x.appendBytes(ctx, x.extractField, wasm.FastExtractField, dst, src, out,
		uint64(recordSize), uint64(offset), uint64(width))
}
