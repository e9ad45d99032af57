package purego

import (
	"cmp"
	"encoding/binary"
	"math"
	"math/bits"
)

// Column element types, in WIT order (the ty argument of Compare and Aggregate).
const (
	ColU8 uint8 = iota
	ColU16
	ColU32
	ColU64
	ColI8
	ColI16
	ColI32
	ColI64
	ColF32
	ColF64
)

// Comparison operators, in WIT order (the op argument of Compare).
const (
	OpEq uint8 = iota
	OpNe
	OpLt
	OpLe
	OpGt
	OpGe
)

// canonicalNaN is the bits of the quiet NaN that a NaN float sum is reported as: IEEE 754
// leaves a NaN's sign and payload open, so the sum is made the same on every platform.
const canonicalNaN = 0x7FF8_0000_0000_0000

// Compare writes to dst the bitmap of the elements x of column (element type ty, 0..9 in WIT
// order) for which x op value holds (op 0..5: eq ne lt le gt ge). Bit i is bit i%8 of byte
// i/8; unused bits of the last byte are zero.
//
//	bitmap := make([]byte, (len(column)/4+7)/8)
//	purego.Compare(bitmap, column, purego.ColI32, purego.OpLt, uint64(int64(-5)))
//
// The caller has validated everything: len(column) is a multiple of the width, len(dst) is
// at least ceil(n/8), and value is already in the column's class: the u64, the i64 as its
// two's complement bits, or the f64's bits (for f32 columns Compare rounds it to the nearest
// f32, which may be an infinity). Floats compare as IEEE 754: NaN matches only ne.
func Compare(dst, column []byte, ty, op uint8, value uint64) {
	switch ty {
	case ColU8:
		compareT(dst, column, 1, op, uint8(value))
	case ColU16:
		compareT(dst, column, 2, op, uint16(value))
	case ColU32:
		compareT(dst, column, 4, op, uint32(value))
	case ColU64:
		compareT(dst, column, 8, op, value)
	case ColI8:
		compareT(dst, column, 1, op, int8(value))
	case ColI16:
		compareT(dst, column, 2, op, int16(value))
	case ColI32:
		compareT(dst, column, 4, op, int32(value))
	case ColI64:
		compareT(dst, column, 8, op, int64(value))
	case ColF32:
		compareT(dst, column, 4, op, float32(math.Float64frombits(value)))
	case ColF64:
		compareT(dst, column, 8, op, math.Float64frombits(value))
	}
}

// compareT decodes 64 elements at a time into a stack buffer (see decode) and packs their results into
// one 64-bit word of the bitmap.
func compareT[T elem](dst, column []byte, width int, op uint8, v T) {
	var buf [64]T
	n := len(column) / width
	for i := 0; i < n; i += 64 {
		m := min(64, n-i)
		decode(buf[:m], column[i*width:(i+m)*width])
		word := matches(buf[:m], op, v)
		out := dst[i/8 : i/8+(m+7)/8]
		if len(out) == 8 {
			binary.LittleEndian.PutUint64(out, word)
			continue
		}
		for j := range out {
			out[j] = byte(word >> (8 * j))
		}
	}
}

// matches returns bit j set where xs[j] op v (len(xs) <= 64), one loop per operator.
func matches[T cmp.Ordered](xs []T, op uint8, v T) uint64 {
	var word uint64
	switch op {
	case OpEq:
		for j, x := range xs {
			word |= b2u(x == v) << j
		}
	case OpNe:
		for j, x := range xs {
			word |= b2u(x != v) << j
		}
	case OpLt:
		for j, x := range xs {
			word |= b2u(x < v) << j
		}
	case OpLe:
		for j, x := range xs {
			word |= b2u(x <= v) << j
		}
	case OpGt:
		for j, x := range xs {
			word |= b2u(x > v) << j
		}
	case OpGe:
		for j, x := range xs {
			word |= b2u(x >= v) << j
		}
	}
	return word
}

// b2u is 1 for true, 0 for false (the compiler makes it a SETcc).
func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// elem is every element type of a column.
type elem interface {
	~uint8 | ~uint16 | ~uint32 | ~uint64 | ~int8 | ~int16 | ~int32 | ~int64 | ~float32 | ~float64
}

// decode fills dst from the little-endian elements at the front of src. One direct call for
// every type, so the callers' 64-element buffers stay on the stack (a function value would
// make them escape: one allocation per call).
func decode[T elem](dst []T, src []byte) {
	switch d := any(dst).(type) {
	case []uint8:
		copy(d, src)
	case []int8:
		for i := range d {
			d[i] = int8(src[i])
		}
	case []uint16:
		src = src[:2*len(d)]
		for i := range d {
			d[i] = binary.LittleEndian.Uint16(src[2*i:])
		}
	case []int16:
		src = src[:2*len(d)]
		for i := range d {
			d[i] = int16(binary.LittleEndian.Uint16(src[2*i:]))
		}
	case []uint32:
		src = src[:4*len(d)]
		for i := range d {
			d[i] = binary.LittleEndian.Uint32(src[4*i:])
		}
	case []int32:
		src = src[:4*len(d)]
		for i := range d {
			d[i] = int32(binary.LittleEndian.Uint32(src[4*i:]))
		}
	case []float32:
		src = src[:4*len(d)]
		for i := range d {
			d[i] = math.Float32frombits(binary.LittleEndian.Uint32(src[4*i:]))
		}
	case []uint64:
		src = src[:8*len(d)]
		for i := range d {
			d[i] = binary.LittleEndian.Uint64(src[8*i:])
		}
	case []int64:
		src = src[:8*len(d)]
		for i := range d {
			d[i] = int64(binary.LittleEndian.Uint64(src[8*i:]))
		}
	case []float64:
		src = src[:8*len(d)]
		for i := range d {
			d[i] = math.Float64frombits(binary.LittleEndian.Uint64(src[8*i:]))
		}
	}
}

// Select copies to the front of dst, in order, the width-byte elements of column (width 1,
// 2, 4 or 8) whose bit is set in bitmap (bit i is bit i%8 of byte i/8), and returns the
// number of bytes written. Only the first n bits of bitmap count.
//
//	n := purego.Select(out, column, 4, bitmap) // out[:n] holds the kept elements
//
// The caller has validated everything: len(column) is a multiple of width, bitmap holds at
// least ceil(n/8) bytes, and dst has room for the kept elements. Nothing past them is
// written.
func Select(dst, column []byte, width int, bitmap []byte) int {
	n := len(column) / width
	out := dst[:0] // appends stay within dst: the caller guarantees the room
	for first := 0; first < n; first += 64 {
		m := bitmapWord(bitmap, first/8)
		if rest := n - first; rest < 64 {
			m &= 1<<rest - 1
		}
		if m == ^uint64(0) {
			out = append(out, column[first*width:(first+64)*width]...)
			continue
		}
		// One loop per width, so that each append has a constant length the compiler turns
		// into a single load and store (a variable length calls memmove per element).
		switch width {
		case 8:
			for ; m != 0; m &= m - 1 {
				i := first + bits.TrailingZeros64(m)
				out = append(out, column[i*8:i*8+8]...)
			}
		case 4:
			for ; m != 0; m &= m - 1 {
				i := first + bits.TrailingZeros64(m)
				out = append(out, column[i*4:i*4+4]...)
			}
		case 2:
			for ; m != 0; m &= m - 1 {
				i := first + bits.TrailingZeros64(m)
				out = append(out, column[i*2:i*2+2]...)
			}
		default:
			for ; m != 0; m &= m - 1 {
				out = append(out, column[first+bits.TrailingZeros64(m)])
			}
		}
	}
	return len(out)
}

// bitmapWord is the 64 bitmap bits from byte at on (little-endian), zero past the bitmap's end.
func bitmapWord(bitmap []byte, at int) uint64 {
	if at+8 <= len(bitmap) {
		return binary.LittleEndian.Uint64(bitmap[at:])
	}
	var m uint64
	for k, c := range bitmap[at:] {
		m |= uint64(c) << (8 * k)
	}
	return m
}

// Stats is a column's summary. Min, Max and Sum are bits in the type's class: the u64, the
// i64 as two's complement, or the f64's bits (an f32 widened exactly).
type Stats struct {
	// Count is the number of elements.
	Count uint64
	// HasMin and HasMax are false for an empty column or (floats) one that is all NaN.
	HasMin, HasMax bool
	// Min and Max are the smallest and largest elements (NaNs skipped, -0.0 < +0.0).
	Min, Max uint64
	// Sum wraps in 64 bits for integers; for floats it is the 8-lane f64 sum of the
	// contract, a NaN sum being the canonical quiet NaN 0x7FF8000000000000.
	Sum uint64
}

// Aggregate returns the count, min, max and sum of column, of element type ty (0..9 in WIT
// order). Integer sums wrap in 64 bits. Float sums are f64 (f32 elements widened) in 8
// lanes: lane k adds the elements i with i%8 == k in order, and the lanes combine as
// ((l0+l1)+(l2+l3))+((l4+l5)+(l6+l7)), so every implementation gives the same bits.
//
//	s := purego.Aggregate(column, purego.ColF64)
//	mean := math.Float64frombits(s.Sum) / float64(s.Count)
//
// The caller has validated that len(column) is a multiple of the width.
func Aggregate(column []byte, ty uint8) Stats {
	switch ty {
	case ColU8:
		return aggregateInt[uint8](column, 1)
	case ColU16:
		return aggregateInt[uint16](column, 2)
	case ColU32:
		return aggregateInt[uint32](column, 4)
	case ColU64:
		return aggregateInt[uint64](column, 8)
	case ColI8:
		return aggregateInt[int8](column, 1)
	case ColI16:
		return aggregateInt[int16](column, 2)
	case ColI32:
		return aggregateInt[int32](column, 4)
	case ColI64:
		return aggregateInt[int64](column, 8)
	case ColF32:
		return aggregateFloat[float32](column, 4)
	case ColF64:
		return aggregateFloat[float64](column, 8)
	}
	return Stats{}
}

// integer is every integer element type.
type integer interface {
	~uint8 | ~uint16 | ~uint32 | ~uint64 | ~int8 | ~int16 | ~int32 | ~int64
}

// aggregateInt decodes 64 elements at a time and folds them. uint64(x) sign-extends signed
// elements, and the 64-bit sum wraps, as the contract asks.
func aggregateInt[T integer](column []byte, width int) Stats {
	n := len(column) / width
	s := Stats{Count: uint64(n)}
	if n == 0 {
		return s
	}
	var buf [64]T
	decode(buf[:1], column[:width])
	lo, hi := buf[0], buf[0]
	var total uint64
	for i := 0; i < n; i += 64 {
		m := min(64, n-i)
		decode(buf[:m], column[i*width:(i+m)*width])
		for _, x := range buf[:m] {
			lo = min(lo, x)
			hi = max(hi, x)
			total += uint64(x)
		}
	}
	s.HasMin, s.HasMax = true, true
	s.Min, s.Max, s.Sum = uint64(lo), uint64(hi), total
	return s
}

// aggregateFloat folds a float column: NaNs skipped by min and max, -0.0 below +0.0, the
// 8-lane f64 sum.
func aggregateFloat[T float32 | float64](column []byte, width int) Stats {
	n := len(column) / width
	s := Stats{Count: uint64(n)}
	var lanes [8]float64
	var lo, hi float64
	var buf [64]T
	for i := 0; i < n; i += 64 {
		m := min(64, n-i)
		decode(buf[:m], column[i*width:(i+m)*width])
		for j, x := range buf[:m] {
			f := float64(x)
			lanes[j%8] += f // i is a multiple of 64, so j%8 == (i+j)%8
			if f != f {
				continue
			}
			if !s.HasMin || f < lo || (f == lo && math.Signbit(f) && !math.Signbit(lo)) {
				lo = f
			}
			if !s.HasMax || f > hi || (f == hi && !math.Signbit(f) && math.Signbit(hi)) {
				hi = f
			}
			s.HasMin, s.HasMax = true, true
		}
	}
	if s.HasMin {
		s.Min, s.Max = math.Float64bits(lo), math.Float64bits(hi)
	}
	l := &lanes
	sum := ((l[0] + l[1]) + (l[2] + l[3])) + ((l[4] + l[5]) + (l[6] + l[7]))
	if sum != sum {
		s.Sum = canonicalNaN
	} else {
		s.Sum = math.Float64bits(sum)
	}
	return s
}
