package native

import (
	"context"
	"math"
	"sync"
)

// CountByte returns the number of bytes of data equal to needle.
func (k Kernels) CountByte(_ context.Context, data []byte, needle byte) (uint64, error) {
	if k.t == nil {
		return 0, k.unsupported("count-byte")
	}
	return k.count(data, needle), nil
}

// count is CountByte after the tier check, chunk by chunk.
func (k Kernels) count(data []byte, needle byte) uint64 {
	total := uint64(0)
	for len(data) > 0 {
		c := min(len(data), chunkBytes)
		total += k.t.count_byte(ptr(data), uint(c), uint64(needle))
		data = data[c:]
	}
	return total
}

// FindByte returns the offset of the first byte of data equal to needle and true, or false if
// there is none. Long inputs are searched chunk by chunk.
func (k Kernels) FindByte(_ context.Context, data []byte, needle byte) (uint64, bool, error) {
	if k.t == nil {
		return 0, false, k.unsupported("find-byte")
	}
	for off := 0; off < len(data); {
		c := min(len(data)-off, chunkBytes)
		if at := k.t.find_byte(ptr(data[off:]), uint(c), uint64(needle)); at != math.MaxUint64 {
			if at >= uint64(c) {
				return 0, false, broken("find-byte")
			}
			return uint64(off) + at, true, nil
		}
		off += c
	}
	return 0, false, nil
}

// Mismatch returns the first offset where a and b differ and true; if one is a strict prefix
// of the other, the shorter length and true; if they are equal, false.
func (k Kernels) Mismatch(_ context.Context, a, b []byte) (uint64, bool, error) {
	if k.t == nil {
		return 0, false, k.unsupported("mismatch")
	}
	common := min(len(a), len(b))
	for off := 0; off < common; {
		c := min(common-off, chunkBytes)
		if at := k.t.mismatch(ptr(a[off:]), uint(c), ptr(b[off:]), uint(c)); at != math.MaxUint64 {
			if at >= uint64(c) {
				return 0, false, broken("mismatch")
			}
			return uint64(off) + at, true, nil
		}
		off += c
	}
	if len(a) != len(b) {
		return uint64(common), true, nil
	}
	return 0, false, nil
}

// IndexByte appends base plus every offset of needle in data, ascending, to dst. data longer
// than 2^32-1 bytes is too large. The kernel needs room for one offset per input byte: it
// writes into dst's spare capacity when that is large enough, else into a pooled scratch
// buffer of indexChunk offsets, copied to dst (which then grows by exactly the offsets).
func (k Kernels) IndexByte(_ context.Context, dst []uint32, data []byte, needle byte, base uint32) ([]uint32, error) {
	const kernel = "index-byte"
	if k.t == nil {
		return dst, k.unsupported(kernel)
	}
	if uint64(len(data)) > math.MaxUint32 {
		return dst, tooLarge(kernel, math.MaxUint32)
	}
	out := dst
	for off := 0; off < len(data); {
		c := min(len(data)-off, indexChunk)
		chunk := data[off : off+c]
		var n int
		var at []uint32
		if cap(out)-len(out) >= c {
			at = out[len(out) : len(out)+c]
			if n = int(k.t.index_byte(ptr(chunk), uint(c), ptr32(at), uint(c), uint64(needle))); n > c {
				return dst, broken(kernel)
			}
			at, out = at[:n], out[:len(out)+n]
		} else {
			scratch := scratchPool.Get().(*[indexChunk]uint32)
			if n = int(k.t.index_byte(ptr(chunk), uint(c), ptr32(scratch[:]), uint(c), uint64(needle))); n > c {
				scratchPool.Put(scratch)
				return dst, broken(kernel)
			}
			out = append(out, scratch[:n]...)
			scratchPool.Put(scratch)
			at = out[len(out)-n:]
		}
		if add := base + uint32(off); add != 0 {
			for i := range at {
				at[i] += add
			}
		}
		off += c
	}
	return out, nil
}

// indexChunk is IndexByte's chunk: its scratch buffer of offsets is 64 KiB.
const indexChunk = 16 << 10

// scratchPool holds IndexByte's scratch buffers.
var scratchPool = sync.Pool{New: func() any { return new([indexChunk]uint32) }}

// FindAny returns the offset of the first byte of data equal to any of needles (1 to 16
// bytes, else an invalid-argument error) and true, or false if there is none.
func (k Kernels) FindAny(_ context.Context, data, needles []byte) (uint64, bool, error) {
	if k.t == nil {
		return 0, false, k.unsupported("find-any")
	}
	if len(needles) < 1 || len(needles) > 16 {
		return 0, false, invalidArgument("find-any: needles must hold 1 to 16 bytes")
	}
	for off := 0; off < len(data); {
		c := min(len(data)-off, chunkBytes)
		if at := k.t.find_any(ptr(data[off:]), uint(c), ptr(needles), uint(len(needles))); at != math.MaxUint64 {
			if at >= uint64(c) {
				return 0, false, broken("find-any")
			}
			return uint64(off) + at, true, nil
		}
		off += c
	}
	return 0, false, nil
}
