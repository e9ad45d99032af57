package native

import (
	"context"
	"github.com/binpipe/binpipe/go-host/internal/appendbuf"
	"math"
	"slices"
	"sync"
)

// base64Len is the length of the base64 encoding of n bytes, padded or not.
func base64Len(n int, padding bool) int {
	if padding {
		return (n + 2) / 3 * 4
	}
	return (n*4 + 2) / 3
}

// Base64Encode appends the RFC 4648 base64 of src (url-safe alphabet if urlSafe, '='-padded
// if padding) to dst. Long inputs are encoded in chunks of whole 3-byte groups.
func (k Kernels) Base64Encode(_ context.Context, dst, src []byte, urlSafe, padding bool) ([]byte, error) {
	const kernel = "base64-encode"
	if k.t == nil {
		return dst, k.unsupported(kernel)
	}
	if len(src) > math.MaxInt/4*3-3 {
		return dst, tooLarge(kernel, math.MaxInt/4*3-3)
	}
	n := base64Len(len(src), padding)
	out, tail := appendbuf.Grow(dst, n, src)
	url, pad := word(urlSafe), word(padding)
	for in, w := src, 0; len(in) > 0; {
		c := min(len(in), chunkBytes/3*3)
		m := base64Len(c, padding)
		if k.t.base64_encode(ptr(in), uint(c), ptr(tail[w:]), uint(m), url, pad) != uint64(m) {
			return dst, broken(kernel)
		}
		w, in = w+m, in[c:]
	}
	return appendbuf.Finish(out, tail, n), nil
}

// word is a flag as the entries take it.
func word(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// HexEncode appends two hex digits per byte of src (uppercase if upper) to dst.
func (k Kernels) HexEncode(_ context.Context, dst, src []byte, upper bool) ([]byte, error) {
	const kernel = "hex-encode"
	if k.t == nil {
		return dst, k.unsupported(kernel)
	}
	if len(src) > math.MaxInt/2 {
		return dst, tooLarge(kernel, math.MaxInt/2)
	}
	out, tail := appendbuf.Grow(dst, 2*len(src), src)
	for in, w := src, 0; len(in) > 0; {
		c := min(len(in), chunkBytes)
		if k.t.hex_encode(ptr(in), uint(c), ptr(tail[w:]), uint(2*c), word(upper)) != uint64(2*c) {
			return dst, broken(kernel)
		}
		in, w = in[c:], w+2*c
	}
	return appendbuf.Finish(out, tail, 2*len(src)), nil
}

// HexDecode appends the bytes whose hex digits (0-9a-fA-F) are src to dst. A bad digit is
// invalid data at its offset; an odd length, with no bad digit, at len(src). On error dst is
// returned unchanged.
func (k Kernels) HexDecode(_ context.Context, dst, src []byte) ([]byte, error) {
	const kernel = "hex-decode"
	if k.t == nil {
		return dst, k.unsupported(kernel)
	}
	n := len(src) / 2
	out, tail := appendbuf.Grow(dst, n, src)
	for in, r := src, 0; len(in) > 0; {
		c := min(len(in), chunkBytes) // even while more follows
		res := k.t.hex_decode(ptr(in), uint(c), ptr(tail[r/2:]), uint(c/2))
		switch {
		case res&(1<<63) != 0 && res != math.MaxUint64:
			return dst, invalidData(uint64(r)+res&^(1<<63), "not a hex digit, or an odd number of digits")
		case res != uint64(c/2):
			return dst, broken(kernel)
		}
		in, r = in[c:], r+c
	}
	return appendbuf.Finish(out, tail, n), nil
}

// Base64Decode appends to dst the bytes whose strict RFC 4648 base64 (url-safe alphabet if
// urlSafe; '='-padded if padding) is src. Bad input is invalid data at the offset rule's
// offset; dst is then returned unchanged. Long inputs are decoded in chunks of whole 4-character
// groups; a chunk that ends in padding while more input follows is an error at the next byte.
func (k Kernels) Base64Decode(_ context.Context, dst, src []byte, urlSafe, padding bool) ([]byte, error) {
	const kernel = "base64-decode"
	if k.t == nil {
		return dst, k.unsupported(kernel)
	}
	out, tail := appendbuf.Grow(dst, (len(src)+3)/4*3, src)
	url, pad := word(urlSafe), word(padding)
	w := 0
	for in, r := src, 0; len(in) > 0; {
		c := min(len(in), chunkBytes/4*4)
		res := k.t.base64_decode(ptr(in), uint(c), ptr(tail[w:]), uint((c+3)/4*3), url, pad)
		switch {
		case res == math.MaxUint64 || (res&(1<<63) == 0 && res > uint64((c+3)/4*3)):
			return dst, broken(kernel)
		case res&(1<<63) != 0:
			return dst, invalidData(uint64(r)+res&^(1<<63), "not strict base64")
		}
		w += int(res)
		if in, r = in[c:], r+c; len(in) > 0 && int(res) < c/4*3 { // ended in padding, more follows
			return dst, invalidData(uint64(r), "not strict base64")
		}
	}
	return appendbuf.Finish(out, tail, w), nil
}

// VarintEncode appends the unsigned LEB128 (protobuf varint) encoding of every value, shortest
// form, to dst. Long inputs are encoded in chunks of chunkBytes/8 values, each into room for
// 10 bytes a value (the longest form).
func (k Kernels) VarintEncode(_ context.Context, dst []byte, values []uint64) ([]byte, error) {
	const kernel = "varint-encode"
	if k.t == nil {
		return dst, k.unsupported(kernel)
	}
	if uint64(len(values)) > math.MaxInt/10 {
		return dst, tooLarge(kernel, math.MaxInt/10)
	}
	const chunkValues = chunkBytes / 8
	out := dst
	for v := 0; v < len(values); {
		c := min(len(values)-v, chunkValues)
		out = slices.Grow(out, 10*c)
		room := out[len(out) : len(out)+10*c]
		m := k.t.varint_encode(ptr64(values[v:]), uint(c), ptr(room), uint(len(room)))
		if m < uint64(c) || m > uint64(len(room)) {
			return dst, broken(kernel)
		}
		out = out[:len(out)+int(m)]
		v += c
	}
	return out, nil
}

// VarintDecode appends every unsigned LEB128 varint of src to dst. A varint over 10 bytes or
// above 2^64-1 is invalid data at the offending byte, a cut-off one at len(src); dst is then
// returned unchanged. Long inputs are decoded in chunks of about varintChunk bytes that end
// after a varint's last byte; the kernel needs room for one value per input byte, so it writes
// into dst's spare capacity when that is large enough, else into a pooled scratch buffer.
func (k Kernels) VarintDecode(_ context.Context, dst []uint64, src []byte) ([]uint64, error) {
	const kernel = "varint-decode"
	if k.t == nil {
		return dst, k.unsupported(kernel)
	}
	out := dst
	for off := 0; off < len(src); {
		c := min(len(src)-off, varintChunk)
		if off+c < len(src) { // end the chunk after the last byte below 0x80, if any
			for i := c - 1; i >= 0; i-- {
				if src[off+i] < 0x80 {
					c = i + 1
					break
				}
			}
		}
		chunk := src[off : off+c]
		var res uint64
		if cap(out)-len(out) >= c {
			room := out[len(out) : len(out)+c]
			if res = k.t.varint_decode(ptr(chunk), uint(c), ptr64(room), uint(c)); res <= uint64(c) {
				out = out[:len(out)+int(res)]
			}
		} else {
			scratch := varintPool.Get().(*[varintChunk]uint64)
			if res = k.t.varint_decode(ptr(chunk), uint(c), ptr64(scratch[:c]), uint(c)); res <= uint64(c) {
				out = append(out, scratch[:res]...)
			}
			varintPool.Put(scratch)
		}
		switch {
		case res == math.MaxUint64:
			return dst, broken(kernel)
		case res&(1<<63) != 0:
			return dst, invalidData(uint64(off)+res&^(1<<63), "malformed varint")
		case res > uint64(c):
			return dst, broken(kernel)
		}
		off += c
	}
	return out, nil
}

// varintChunk is VarintDecode's chunk: its scratch buffer of values is 128 KiB.
const varintChunk = 16 << 10

// varintPool holds VarintDecode's scratch buffers.
var varintPool = sync.Pool{New: func() any { return new([varintChunk]uint64) }}
