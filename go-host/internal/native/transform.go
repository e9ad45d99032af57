package native

import (
	"context"
	"math"
	"slices"
)

// Byteswap appends src with the bytes of every width-byte element reversed (width 2, 4 or 8;
// else an invalid-argument error) to dst; the last len(src) % width bytes are copied as they
// are. Long inputs are swapped in chunks of whole elements.
func (k Kernels) Byteswap(_ context.Context, dst, src []byte, width uint32) ([]byte, error) {
	const kernel = "byteswap"
	if k.t == nil {
		return dst, k.unsupported(kernel)
	}
	if width != 2 && width != 4 && width != 8 {
		return dst, invalidArgument("byteswap: width must be 2, 4 or 8")
	}
	out, tail := grow(dst, len(src), src)
	for in, w := src, 0; len(in) > 0; {
		c := min(len(in), chunkBytes) // a multiple of 8 unless it is the last chunk
		if k.t.byteswap(ptr(in), uint(c), ptr(tail[w:]), uint(c), uint64(width)) != 0 {
			return dst, broken(kernel)
		}
		in, w = in[c:], w+c
	}
	return finish(out, tail, len(src)), nil
}

// Bitunpack appends count values of bits bits each (0..=32, else an invalid-argument error),
// unpacked from the little-endian bit stream src, to dst. A src shorter than
// ceil(count*bits/8) bytes is invalid data at len(src) (truncation). Long inputs are unpacked
// in chunks of a multiple of 8 values (whole bytes).
func (k Kernels) Bitunpack(_ context.Context, dst []uint32, src []byte, bits, count uint32) ([]uint32, error) {
	const kernel = "bitunpack"
	if k.t == nil {
		return dst, k.unsupported(kernel)
	}
	if bits > 32 {
		return dst, invalidArgument("bitunpack: bits must be at most 32")
	}
	if uint64(count) > math.MaxInt/4 {
		return dst, tooLarge(kernel, math.MaxInt/4)
	}
	if need := (uint64(count)*uint64(bits) + 7) / 8; uint64(len(src)) < need {
		return dst, invalidData(uint64(len(src)), "truncated: fewer bytes than count values need")
	}
	n := int(count)
	out := slices.Grow(dst, n)[:len(dst)+n]
	tail := out[len(dst):]
	const chunkValues = chunkBytes / 4 // values per call: their output is one chunk of bytes
	for v := 0; v < n; {
		c := min(n-v, chunkValues)
		in := src[v*int(bits)/8:]
		in = in[:(c*int(bits)+7)/8]
		if k.t.bitunpack(ptr(in), uint(len(in)), ptr32(tail[v:]), uint(c), uint64(bits)) != 0 {
			return dst, broken(kernel)
		}
		v += c
	}
	return out, nil
}
