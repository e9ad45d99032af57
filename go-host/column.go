package binpipe

import (
	"github.com/binpipe/binpipe/go-host/internal/appendbuf"
	"math"
	"strconv"

	"github.com/binpipe/binpipe/go-host/internal/callresult"
	"github.com/binpipe/binpipe/go-host/internal/purego"
)

// ElemType is the element type of a little-endian column (the WIT column.elem-type).
type ElemType uint8

// The element types, in WIT order.
const (
	U8 ElemType = iota
	U16
	U32
	U64
	I8
	I16
	I32
	I64
	F32
	F64
)

var elemNames = [...]string{"u8", "u16", "u32", "u64", "i8", "i16", "i32", "i64", "f32", "f64"}

// String returns the WIT name, for example "u16" or "f64".
func (t ElemType) String() string {
	if int(t) < len(elemNames) {
		return elemNames[t]
	}
	return "ElemType(" + strconv.Itoa(int(t)) + ")"
}

// Width returns the size of one element in bytes (0 for an unknown type).
func (t ElemType) Width() int {
	switch t {
	case U8, I8:
		return 1
	case U16, I16:
		return 2
	case U32, I32, F32:
		return 4
	case U64, I64, F64:
		return 8
	}
	return 0
}

// Kind returns the class of scalar that matches the type.
func (t ElemType) Kind() ScalarKind {
	switch {
	case t <= U64:
		return ScalarUnsigned
	case t <= I64:
		return ScalarSigned
	}
	return ScalarFloat
}

// CmpOp is a comparison operator (the WIT column.cmp-op).
type CmpOp uint8

// The comparison operators, in WIT order.
const (
	Eq CmpOp = iota // equal
	Ne              // not equal
	Lt              // less than
	Le              // less than or equal
	Gt              // greater than
	Ge              // greater than or equal
)

var opNames = [...]string{"eq", "ne", "lt", "le", "gt", "ge"}

// String returns the WIT name, for example "lt".
func (op CmpOp) String() string {
	if int(op) < len(opNames) {
		return opNames[op]
	}
	return "CmpOp(" + strconv.Itoa(int(op)) + ")"
}

// ScalarKind says which case of the WIT column.scalar variant a Scalar is.
type ScalarKind uint8

// The scalar cases, in WIT order.
const (
	ScalarUnsigned ScalarKind = iota // a value for U8..U64 columns
	ScalarSigned                     // a value for I8..I64 columns
	ScalarFloat                      // a value for F32 and F64 columns
)

// String returns the WIT name of the case: "unsigned", "signed" or "float".
func (k ScalarKind) String() string {
	switch k {
	case ScalarUnsigned:
		return "unsigned"
	case ScalarSigned:
		return "signed"
	case ScalarFloat:
		return "float"
	}
	return "ScalarKind(" + strconv.Itoa(int(k)) + ")"
}

// Scalar is one value of a column's class (the WIT column.scalar): make one with Unsigned,
// Signed or Float. The zero value is Unsigned(0). Scalars compare with == bit for bit (a NaN
// equals the same NaN).
type Scalar struct {
	kind ScalarKind
	bits uint64 // the u64, the s64's two's complement, or the f64's bits
}

// Unsigned returns the scalar for an unsigned column (U8..U64).
func Unsigned(v uint64) Scalar { return Scalar{ScalarUnsigned, v} }

// Signed returns the scalar for a signed column (I8..I64).
func Signed(v int64) Scalar { return Scalar{ScalarSigned, uint64(v)} }

// Float returns the scalar for a float column (F32, F64).
func Float(v float64) Scalar { return Scalar{ScalarFloat, math.Float64bits(v)} }

// Kind returns the scalar's case.
func (s Scalar) Kind() ScalarKind { return s.kind }

// Uint64 returns the value of an Unsigned scalar (the raw 64 bits of the others).
func (s Scalar) Uint64() uint64 { return s.bits }

// Int64 returns the value of a Signed scalar.
func (s Scalar) Int64() int64 { return int64(s.bits) }

// Float64 returns the value of a Float scalar.
func (s Scalar) Float64() float64 { return math.Float64frombits(s.bits) }

// String formats the value in Go syntax after its case, for example "signed(-3)".
func (s Scalar) String() string {
	switch s.kind {
	case ScalarSigned:
		return "signed(" + strconv.FormatInt(s.Int64(), 10) + ")"
	case ScalarFloat:
		return "float(" + strconv.FormatFloat(s.Float64(), 'g', -1, 64) + ")"
	}
	return "unsigned(" + strconv.FormatUint(s.bits, 10) + ")"
}

// Stats summarises a column (the WIT column.stats).
type Stats struct {
	// Count is the number of elements.
	Count uint64
	// Min and Max are the smallest and largest elements, valid only if HasMin and HasMax:
	// both are false for an empty column and for a float column whose elements are all NaN
	// (NaNs are skipped). -0.0 counts as smaller than +0.0.
	Min, Max       Scalar
	HasMin, HasMax bool
	// Sum is the sum: integers wrap in 64 bits (Unsigned for unsigned types, Signed for signed
	// ones); floats are summed as float64 in 8 lanes (lane k takes the elements i with
	// i%8 == k, in order), combined as ((l0+l1)+(l2+l3))+((l4+l5)+(l6+l7)), so that every
	// backend and CPU gives the same bits.
	Sum Scalar
}

// checkColumn refuses an unknown type and a column that is not a whole number of elements.
func checkColumn(kernel string, column []byte, ty ElemType) error {
	w := ty.Width()
	switch {
	case w == 0:
		return invalidArgument(kernel, "ty must be one of U8..F64, got "+ty.String())
	case len(column)%w != 0:
		return invalidArgument(kernel, "column length "+strconv.Itoa(len(column))+" is not a multiple of the "+
			strconv.Itoa(w)+"-byte "+ty.String()+" width")
	}
	return nil
}

// checkScalar refuses a value of the wrong class for ty, or an integer that does not fit in ty.
func checkScalar(kernel string, ty ElemType, v Scalar) error {
	if v.kind != ty.Kind() {
		return invalidArgument(kernel, "value must be a "+ty.Kind().String()+" scalar for a "+ty.String()+
			" column, got "+v.String())
	}
	bits := 8 * uint(ty.Width())
	switch {
	case v.kind == ScalarUnsigned && bits < 64 && v.bits>>bits != 0,
		v.kind == ScalarSigned && bits < 64 && (v.Int64() < -1<<(bits-1) || v.Int64() >= 1<<(bits-1)):
		return invalidArgument(kernel, "value "+v.String()+" does not fit in "+ty.String())
	}
	return nil
}

// Compare appends to dst the bitmap of the elements x of column (of type ty) for which
// "x op value" holds, and returns the extended slice: bit i is bit i%8 of byte i/8,
// ceil(n/8) bytes, unused bits zero. Floats compare as IEEE 754, so NaN matches only Ne; for
// an F32 column value is first rounded to the nearest float32 (it may become an infinity).
// value must be of ty's class (Unsigned, Signed, Float) and, for integers, fit in ty; ty and
// op must be known and column a whole number of elements; else the error matches
// ErrInvalidArgument. column may alias dst's spare capacity; on error dst is returned unchanged.
func (e *Engine) Compare(dst, column []byte, ty ElemType, op CmpOp, value Scalar) ([]byte, error) {
	const kernel = "compare"
	if err := checkColumn(kernel, column, ty); err != nil {
		return dst, err
	}
	if op > Ge {
		return dst, invalidArgument(kernel, "op must be one of Eq..Ge, got "+op.String())
	}
	if err := checkScalar(kernel, ty, value); err != nil {
		return dst, err
	}
	if e.closed.Load() {
		return dst, ErrClosed
	}
	p := e.route(kCompare, len(column), true)
	if p == pathGo {
		out, tail := appendbuf.Grow(dst, (len(column)/ty.Width()+7)/8, column)
		purego.Compare(tail, column, uint8(ty), uint8(op), value.bits)
		return appendbuf.Finish(out, tail, len(tail)), nil
	}
	if p.isNative() {
		out, err := e.nk(p).Compare(e.ctx, dst, column, uint32(ty), uint32(op), uint32(value.kind), value.bits)
		return keep(dst, out, e.nativeErr(kernel, err))
	}
	return e.bytesCall(kernel, p, dst, len(column), func(k kernels) ([]byte, error) {
		return k.Compare(e.ctx, dst, column, uint32(ty), uint32(op), uint32(value.kind), value.bits)
	})
}

// Select appends to dst, in order, the width-byte elements (width 1, 2, 4 or 8) of column whose
// bit is set in bitmap (bit i is bit i%8 of byte i/8), and returns the extended slice. A bad
// width, a column that is not a whole number of elements, or a bitmap shorter than ceil(n/8)
// bytes is an error matching ErrInvalidArgument; bitmap bytes past that are ignored. column and
// bitmap may alias dst's spare capacity; on error dst is returned unchanged.
func (e *Engine) Select(dst, column []byte, width int, bitmap []byte) ([]byte, error) {
	const kernel = "select"
	if err := checkWidth(kernel, width, true); err != nil {
		return dst, err
	}
	n := len(column) / width
	switch {
	case len(column)%width != 0:
		return dst, invalidArgument(kernel, "column length "+strconv.Itoa(len(column))+" is not a multiple of width "+strconv.Itoa(width))
	case len(bitmap) < (n+7)/8:
		return dst, invalidArgument(kernel, "bitmap holds "+strconv.Itoa(len(bitmap))+" bytes, "+strconv.Itoa(n)+
			" elements need "+strconv.Itoa((n+7)/8))
	}
	if e.closed.Load() {
		return dst, ErrClosed
	}
	p := e.route(kSelect, len(column), true)
	if p == pathGo {
		out, tail := appendbuf.Grow(dst, len(column), column, bitmap)
		m := purego.Select(tail, column, width, bitmap)
		return appendbuf.Finish(out, tail, m), nil
	}
	if p.isNative() {
		out, err := e.nk(p).Select(e.ctx, dst, column, uint32(width), bitmap)
		return keep(dst, out, e.nativeErr(kernel, err))
	}
	return e.bytesCall(kernel, p, dst, len(column), func(k kernels) ([]byte, error) {
		return k.Select(e.ctx, dst, column, uint32(width), bitmap)
	})
}

// Aggregate returns the count, minimum, maximum and sum of column, of element type ty (see
// Stats). An unknown ty or a column that is not a whole number of elements is an error
// matching ErrInvalidArgument.
func (e *Engine) Aggregate(column []byte, ty ElemType) (s Stats, err error) {
	const kernel = "aggregate"
	if err := checkColumn(kernel, column, ty); err != nil {
		return Stats{}, err
	}
	if e.closed.Load() {
		return Stats{}, ErrClosed
	}
	p := e.route(kAggregate, len(column), true)
	switch {
	case p == pathGo:
		r := purego.Aggregate(column, uint8(ty))
		s.set(ty, callresult.Stats{Count: r.Count, HasMin: r.HasMin, HasMax: r.HasMax,
			Class: uint32(ty.Kind()), Min: r.Min, Max: r.Max, Sum: r.Sum})
		return s, nil
	case p.isNative():
		raw, err := e.nk(p).Aggregate(e.ctx, column, uint32(ty))
		if err != nil {
			return Stats{}, e.nativeErr(kernel, err)
		}
		s.set(ty, raw)
		return s, nil
	}
	if err := e.fits(kernel, len(column)); err != nil {
		return Stats{}, err
	}
	var raw callresult.Stats
	err = e.call(kernel, p, func(k kernels) (err error) {
		raw, err = k.Aggregate(e.ctx, column, uint32(ty))
		if err == nil && raw.Class != uint32(ty.Kind()) {
			err = &abiError{"aggregate of a " + ty.String() + " column returned " + ScalarKind(raw.Class).String() + " scalars"}
		}
		return err
	})
	if err != nil {
		return Stats{}, err
	}
	s.set(ty, raw)
	return s, nil
}

// set fills zero-valued s from the raw record, as Stats of ty's class. It writes the fields
// in place: building a Stats and copying it (more words than Go returns in registers) made the
// copy's wide loads wait on the narrow stores just before them, a third of an empty call.
func (s *Stats) set(ty ElemType, r callresult.Stats) {
	k := ty.Kind()
	s.Count, s.HasMin, s.HasMax, s.Sum = r.Count, r.HasMin, r.HasMax, Scalar{k, r.Sum}
	if r.HasMin {
		s.Min = Scalar{k, r.Min}
	}
	if r.HasMax {
		s.Max = Scalar{k, r.Max}
	}
}

// Compare appends to dst the bitmap of the elements x of column (of type ty) for which
// "x op value" holds (bit i is bit i%8 of byte i/8, ceil(n/8) bytes, unused bits zero) and
// returns the extended slice. Floats compare as IEEE 754: NaN matches only Ne.
//
//	hot, err := binpipe.Compare(nil, temps, binpipe.F64, binpipe.Gt, binpipe.Float(30))
//	rows, err := binpipe.Select(nil, ids, 8, hot) // the ids of the hot rows
//
// value must be of ty's class (Unsigned, Signed or Float) and, for integers, fit in ty; the
// column must be a whole number of elements; else the error matches ErrInvalidArgument. On
// error dst is returned unchanged.
func Compare(dst, column []byte, ty ElemType, op CmpOp, value Scalar) ([]byte, error) {
	out, err := defaultEngine().Compare(dst, column, ty, op, value)
	if retry(err) {
		return goEngine.Compare(dst, column, ty, op, value)
	}
	return out, err
}

// Select appends to dst, in order, the width-byte elements (width 1, 2, 4 or 8) of column whose
// bit is set in bitmap, as Compare makes it, and returns the extended slice. A bitmap shorter
// than ceil(n/8) bytes, a bad width or a column that is not a whole number of elements is an
// error matching ErrInvalidArgument; on error dst is returned unchanged.
func Select(dst, column []byte, width int, bitmap []byte) ([]byte, error) {
	out, err := defaultEngine().Select(dst, column, width, bitmap)
	if retry(err) {
		return goEngine.Select(dst, column, width, bitmap)
	}
	return out, err
}

// Aggregate returns the count, minimum, maximum and sum of column, of element type ty; see
// Stats for NaN, -0.0 and overflow.
//
//	s, err := binpipe.Aggregate(column, binpipe.I32)
//	if err == nil && s.HasMin {
//		fmt.Println(s.Min.Int64(), s.Max.Int64(), s.Sum.Int64())
//	}
func Aggregate(column []byte, ty ElemType) (Stats, error) {
	s, err := defaultEngine().Aggregate(column, ty)
	if retry(err) {
		return goEngine.Aggregate(column, ty)
	}
	return s, err
}
