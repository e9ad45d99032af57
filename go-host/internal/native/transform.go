package native

import (
	"context"
	"fmt"
	"github.com/binpipe/binpipe/go-host/internal/appendbuf"
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
	out, tail := appendbuf.Grow(dst, len(src), src)
	for in, w := src, 0; len(in) > 0; {
		c := min(len(in), chunkBytes) // a multiple of 8 unless it is the last chunk
		if k.t.byteswap(ptr(in), uint(c), ptr(tail[w:]), uint(c), uint64(width)) != 0 {
			return dst, broken(kernel)
		}
		in, w = in[c:], w+c
	}
	return appendbuf.Finish(out, tail, len(src)), nil
}

// ByteswapInPlace reverses the bytes of every width-byte element of buf (width 2, 4 or 8, else
// an invalid-argument error) where it stands; the last len(buf)%width bytes stay. Long inputs
// are swapped in chunks.
func (k Kernels) ByteswapInPlace(buf []byte, width uint32) error {
	const kernel = "byteswap"
	if k.t == nil {
		return k.unsupported(kernel)
	}
	if width != 2 && width != 4 && width != 8 {
		return invalidArgument("byteswap: width must be 2, 4 or 8")
	}
	for len(buf) > 0 {
		c := min(len(buf), chunkBytes) // a multiple of 8 unless it is the last chunk
		if k.t.byteswap_in_place(ptr(buf), uint(c), uint64(width)) != 0 {
			return broken(kernel)
		}
		buf = buf[c:]
	}
	return nil
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

// Shuffle appends the Blosc byte shuffle of src (elements of elemSize bytes, 1..=255, else
// an invalid-argument error) to dst. It is one native call: the output is stream-major, so
// the input cannot be split (about 0.1 ms per MiB, measured under load).
func (k Kernels) Shuffle(_ context.Context, dst, src []byte, elemSize uint32) ([]byte, error) {
	if k.t == nil || k.t.shuffle == nil {
		return dst, k.unsupported("shuffle")
	}
	return k.shuffleCall("shuffle", k.t.shuffle, dst, src, elemSize)
}

// Unshuffle appends the inverse of Shuffle to dst (one native call, as Shuffle).
func (k Kernels) Unshuffle(_ context.Context, dst, src []byte, elemSize uint32) ([]byte, error) {
	if k.t == nil || k.t.unshuffle == nil {
		return dst, k.unsupported("unshuffle")
	}
	return k.shuffleCall("unshuffle", k.t.unshuffle, dst, src, elemSize)
}

func (k Kernels) shuffleCall(kernel string, entry func(*byte, uint, *byte, uint, uint64) uint64, dst, src []byte, elemSize uint32) ([]byte, error) {
	if elemSize < 1 || elemSize > 255 {
		return dst, invalidArgument(kernel + ": elem-size must be in 1..=255")
	}
	out, tail := appendbuf.Grow(dst, len(src), src)
	if entry(ptr(src), uint(len(src)), ptr(tail), uint(len(src)), uint64(elemSize)) != 0 {
		return dst, broken(kernel)
	}
	return appendbuf.Finish(out, tail, len(src)), nil
}

// DeltaEncode appends the deltas of src's width-byte elements (width 1, 2, 4 or 8, else an
// invalid-argument error) modulo 2^(8*width) to dst; trailing bytes unchanged. Long inputs
// are encoded in chunks; each chunk's first delta is then set from the previous element.
func (k Kernels) DeltaEncode(_ context.Context, dst, src []byte, width uint32) ([]byte, error) {
	const kernel = "delta-encode"
	if k.t == nil {
		return dst, k.unsupported(kernel)
	}
	if width != 1 && width != 2 && width != 4 && width != 8 {
		return dst, invalidArgument("delta-encode: width must be 1, 2, 4 or 8")
	}
	out, tail := appendbuf.Grow(dst, len(src), src)
	w := int(width)
	for off := 0; off < len(src); {
		c := min(len(src)-off, chunkBytes)
		if k.t.delta_encode(ptr(src[off:]), uint(c), ptr(tail[off:]), uint(c), uint64(width)) != 0 {
			return dst, broken(kernel)
		}
		if off > 0 && c >= w { // the chunk's first element: its delta from the previous one
			d := le(src[off:off+w]) - le(src[off-w:off])
			for i := range w {
				tail[off+i] = byte(d >> (8 * i))
			}
		}
		off += c
	}
	return appendbuf.Finish(out, tail, len(src)), nil
}

// le reads a little-endian integer of len(b) <= 8 bytes.
func le(b []byte) uint64 {
	v := uint64(0)
	for i, c := range b {
		v |= uint64(c) << (8 * i)
	}
	return v
}

// DeltaDecode appends the running sums of src's width-byte elements (the inverse of
// DeltaEncode) to dst. It is one native call: the sum crosses every element (about 0.1-0.3 ms
// per MiB, measured under load).
func (k Kernels) DeltaDecode(_ context.Context, dst, src []byte, width uint32) ([]byte, error) {
	const kernel = "delta-decode"
	if k.t == nil {
		return dst, k.unsupported(kernel)
	}
	if width != 1 && width != 2 && width != 4 && width != 8 {
		return dst, invalidArgument("delta-decode: width must be 1, 2, 4 or 8")
	}
	out, tail := appendbuf.Grow(dst, len(src), src)
	if k.t.delta_decode(ptr(src), uint(len(src)), ptr(tail), uint(len(src)), uint64(width)) != 0 {
		return dst, broken(kernel)
	}
	return appendbuf.Finish(out, tail, len(src)), nil
}

// Bitpack appends values packed at bits bits each (0..=32) to dst: value i occupies bits
// [i*bits, (i+1)*bits) of a little-endian bit stream, ceil(len(values)*bits/8) bytes. bits
// above 32, or a value of 2^bits or more, is an invalid-argument error naming the first such
// value; dst is then returned unchanged. Long inputs are packed in chunks of a multiple of 8
// values (whole bytes).
func (k Kernels) Bitpack(_ context.Context, dst []byte, values []uint32, bits uint32) ([]byte, error) {
	const kernel = "bitpack"
	if k.t == nil {
		return dst, k.unsupported(kernel)
	}
	if bits > 32 {
		return dst, invalidArgument("bitpack: bits must be at most 32")
	}
	if uint64(len(values)) > math.MaxInt/32 {
		return dst, tooLarge(kernel, math.MaxInt/32)
	}
	n := (len(values)*int(bits) + 7) / 8
	out := slices.Grow(dst, n)[:len(dst)+n]
	tail := out[len(dst):]
	const chunkValues = chunkBytes / 4
	for v := 0; v < len(values); {
		c := min(len(values)-v, chunkValues)
		m := (c*int(bits) + 7) / 8
		w := v * int(bits) / 8
		if k.t.bitpack(ptr32(values[v:]), uint(c), ptr(tail[w:]), uint(m), uint64(bits)) != uint64(m) {
			for i, x := range values[v : v+c] {
				if bits < 32 && x>>bits != 0 {
					return dst, invalidArgument(fmt.Sprintf("values[%d] = %d does not fit in %d bits", v+i, x, bits))
				}
			}
			return dst, broken(kernel)
		}
		v += c
	}
	return out, nil
}
