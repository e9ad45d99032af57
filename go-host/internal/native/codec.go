package native

import (
	"context"
	"math"
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
	out, tail := grow(dst, n, src)
	url, pad := word(urlSafe), word(padding)
	w := 0
	for in := src; ; {
		c := min(len(in), chunkBytes/3*3)
		m := base64Len(c, padding)
		if k.t.base64_encode(ptr(in), uint(c), ptr(tail[w:]), uint(m), url, pad) != uint64(m) {
			return dst, broken(kernel)
		}
		w, in = w+m, in[c:]
		if len(in) == 0 {
			break
		}
	}
	return finish(out, tail, n), nil
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
	out, tail := grow(dst, 2*len(src), src)
	for in, w := src, 0; len(in) > 0; {
		c := min(len(in), chunkBytes)
		if k.t.hex_encode(ptr(in), uint(c), ptr(tail[w:]), uint(2*c), word(upper)) != uint64(2*c) {
			return dst, broken(kernel)
		}
		in, w = in[c:], w+2*c
	}
	return finish(out, tail, 2*len(src)), nil
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
	out, tail := grow(dst, n, src)
	for in, r := src, 0; ; {
		c := min(len(in), chunkBytes) // even while more follows
		res := k.t.hex_decode(ptr(in), uint(c), ptr(tail[r/2:]), uint(c/2))
		switch {
		case res&(1<<63) != 0 && res != math.MaxUint64:
			return dst, invalidData(uint64(r)+res&^(1<<63), "not a hex digit, or an odd number of digits")
		case res != uint64(c/2):
			return dst, broken(kernel)
		}
		if in, r = in[c:], r+c; len(in) == 0 {
			break
		}
	}
	return finish(out, tail, n), nil
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
	out, tail := grow(dst, (len(src)+3)/4*3, src)
	url, pad := word(urlSafe), word(padding)
	w := 0
	for in, r := src, 0; ; {
		c := min(len(in), chunkBytes/4*4)
		res := k.t.base64_decode(ptr(in), uint(c), ptr(tail[w:]), uint((c+3)/4*3), url, pad)
		switch {
		case res == math.MaxUint64 || (res&(1<<63) == 0 && res > uint64((c+3)/4*3)):
			return dst, broken(kernel)
		case res&(1<<63) != 0:
			return dst, invalidData(uint64(r)+res&^(1<<63), "not strict base64")
		}
		w += int(res)
		if in, r = in[c:], r+c; len(in) == 0 {
			break
		}
		if int(res) < c/4*3 { // the chunk ended in padding, and more follows
			return dst, invalidData(uint64(r), "not strict base64")
		}
	}
	return finish(out, tail, w), nil
}
