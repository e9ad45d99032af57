package native

import (
	"context"
	"math/bits"
	"strconv"

	"github.com/binpipe/binpipe/go-host/internal/appendbuf"
	"github.com/binpipe/binpipe/go-host/internal/callresult"
)

// The column kernels: ty, op and class are the WIT codes (u8..f64 = 0..9, eq..ge = 0..5,
// unsigned, signed, float = 0..2), as the root package and the wasm ABIs pass them.

// numElemTypes and numCmpOps bound the WIT codes of element types and comparison operators.
const (
	numElemTypes = 10
	numCmpOps    = 6
)

// elemWidth is the width in bytes of element type ty (< numElemTypes).
func elemWidth(ty uint32) int {
	return [numElemTypes]int{1, 2, 4, 8, 1, 2, 4, 8, 4, 8}[ty]
}

// count is the number of w-byte elements in n bytes; w is 1, 2, 4 or 8, so a shift, not a
// division (a division by a variable costs a few nanoseconds on every call).
func count(n, w int) int {
	return n >> bits.TrailingZeros(uint(w))
}

// whole reports whether n bytes are a whole number of w-byte elements (w 1, 2, 4 or 8).
func whole(n, w int) bool {
	return n&(w-1) == 0
}

// elemClass is the scalar class of element type ty (< numElemTypes): 0 unsigned, 1 signed,
// 2 float.
func elemClass(ty uint32) uint32 {
	return [numElemTypes]uint32{0, 0, 0, 0, 1, 1, 1, 1, 2, 2}[ty]
}

// checkColumn refuses an unknown element type or a column that is not a whole number of its
// elements; it returns the width.
func checkColumn(kernel string, column []byte, ty uint32) (int, error) {
	if ty >= numElemTypes {
		return 0, invalidArgument(kernel + ": unknown element type " + strconv.FormatUint(uint64(ty), 10))
	}
	w := elemWidth(ty)
	if !whole(len(column), w) {
		return 0, invalidArgument(kernel + ": column length must be a multiple of the element width")
	}
	return w, nil
}

// Compare appends to dst the bitmap of the elements x of column (element type ty) for which
// "x op value" holds: bit i is bit i%8 of byte i/8, ceil(n/8) bytes, unused bits zero. value
// is of class class (its bits: an integer's two's complement, a float's float64 bits) and must
// be ty's class and, for integers, fit in ty; else, or for an unknown ty or op, or a column that
// is not a whole number of elements, an invalid-argument error (dst returned unchanged). Long
// columns are compared in chunks of chunkBytes, a multiple of 8 elements of every width.
func (k Kernels) Compare(_ context.Context, dst, column []byte, ty, op, class uint32, value uint64) ([]byte, error) {
	const kernel = "compare"
	if k.t == nil {
		return dst, k.unsupported(kernel)
	}
	w, err := checkColumn(kernel, column, ty)
	if err != nil {
		return dst, err
	}
	if op >= numCmpOps {
		return dst, invalidArgument(kernel + ": unknown comparison operator " + strconv.FormatUint(uint64(op), 10))
	}
	if class != elemClass(ty) {
		return dst, invalidArgument(kernel + ": value's class (unsigned, signed, float) does not match the column type")
	}
	if bits := 8 * w; class != 2 && bits < 64 {
		fits := value>>bits == 0
		if class == 1 { // the value sign-extends from bit bits-1
			fits = uint64(int64(value)>>(bits-1)+1) <= 1
		}
		if !fits {
			return dst, invalidArgument(kernel + ": value is not representable in the column type")
		}
	}
	n := (count(len(column), w) + 7) / 8
	out, tail := appendbuf.Grow(dst, n, column)
	spec := uint64(ty) | uint64(op)<<8 | uint64(class)<<16
	for off := 0; off < len(column); {
		c := min(len(column)-off, chunkBytes)
		m := (count(c, w) + 7) / 8
		at := count(off, w) / 8
		if k.t.compare(ptr(column[off:]), uint(c), ptr(tail[at:]), uint(m), spec, value) != uint64(m) {
			return dst, broken(kernel)
		}
		off += c
	}
	return appendbuf.Finish(out, tail, n), nil
}

// Select appends to dst, in order, the width-byte elements (width 1, 2, 4 or 8) of column whose
// bit is set in bitmap (bit i is bit i%8 of byte i/8); only the first ceil(n/8) bytes of
// bitmap count. A bad width, a column that is not a whole number of elements or a short bitmap
// is an invalid-argument error (dst returned unchanged). Long columns are selected in chunks
// of chunkBytes, a multiple of 8 elements (whole bitmap bytes); dst's spare capacity up to
// len(column) bytes may hold scratch afterwards.
func (k Kernels) Select(_ context.Context, dst, column []byte, width uint32, bitmap []byte) ([]byte, error) {
	const kernel = "select"
	if k.t == nil {
		return dst, k.unsupported(kernel)
	}
	if width != 1 && width != 2 && width != 4 && width != 8 {
		return dst, invalidArgument(kernel + ": width must be 1, 2, 4 or 8")
	}
	w := int(width)
	if !whole(len(column), w) {
		return dst, invalidArgument(kernel + ": column length must be a multiple of width")
	}
	if len(bitmap) < (count(len(column), w)+7)/8 {
		return dst, invalidArgument(kernel + ": bitmap is shorter than ceil(n/8) bytes")
	}
	out, tail := appendbuf.Grow(dst, len(column), column, bitmap)
	written := 0
	for off := 0; off < len(column); {
		c := min(len(column)-off, chunkBytes)
		bits := bitmap[count(off, w)/8:]
		bits = bits[:(count(c, w)+7)/8]
		// The kernel may write scratch up to c bytes from written (<= off): inside tail.
		m := k.t.select_into(ptr(column[off:]), uint(c), ptr(bits), uint(len(bits)), ptr(tail[written:]), uint64(width))
		if m > uint64(c) {
			return dst, broken(kernel)
		}
		written += int(m)
		off += c
	}
	return appendbuf.Finish(out, tail, written), nil
}

// Aggregate returns the count, minimum, maximum and sum of column (element type ty): integer
// sums wrap in 64 bits, minima and maxima compare in ty's order; float minima and maxima skip
// NaNs and order -0.0 before +0.0, and the float sum is the kernels' 8-lane float64 sum. An
// unknown ty or a column that is not a whole number of elements is an invalid-argument error.
// Integer columns are aggregated in chunks of chunkBytes and the chunks' results combined;
// a float column is one native call, because its 8-lane sum cannot be split and combined with
// the same bits (256 KiB took 12-23 µs in TestChunkDuration, under load).
func (k Kernels) Aggregate(_ context.Context, column []byte, ty uint32) (callresult.Stats, error) {
	const kernel = "aggregate"
	if k.t == nil {
		return callresult.Stats{}, k.unsupported(kernel)
	}
	if _, err := checkColumn(kernel, column, ty); err != nil {
		return callresult.Stats{}, err
	}
	class := elemClass(ty)
	chunk := chunkBytes
	if class == 2 {
		chunk = len(column) // one call: the float lane sums do not combine across chunks
	}
	if len(column) == 0 {
		return callresult.Stats{Class: class}, nil // built in the result registers, not copied
	}
	var total callresult.Stats
	for off := 0; off < len(column); {
		c := min(len(column)-off, chunk)
		var raw [5]uint64 // count, has_min | has_max << 1, min, max, sum
		if k.t.aggregate(ptr(column[off:]), uint(c), ptr64(raw[:]), uint(len(raw)), uint64(ty)) != 0 {
			return callresult.Stats{}, broken(kernel)
		}
		s := callresult.Stats{Count: raw[0], HasMin: raw[1]&1 != 0, HasMax: raw[1]&2 != 0, Class: class,
			Min: raw[2], Max: raw[3], Sum: raw[4]}
		if off == 0 {
			total = s
		} else {
			total = combine(total, s)
		}
		off += c
	}
	return total, nil
}

// combine merges the stats of two consecutive integer chunks (unsigned if a.Class is 0, else
// signed): counts add, sums wrap, minima and maxima compare in the class's order.
func combine(a, b callresult.Stats) callresult.Stats {
	less := func(x, y uint64) bool { return x < y }
	if a.Class == 1 {
		less = func(x, y uint64) bool { return int64(x) < int64(y) }
	}
	a.Count += b.Count
	a.Sum += b.Sum
	if b.HasMin && (!a.HasMin || less(b.Min, a.Min)) {
		a.Min, a.HasMin = b.Min, true
	}
	if b.HasMax && (!a.HasMax || less(a.Max, b.Max)) {
		a.Max, a.HasMax = b.Max, true
	}
	return a
}
