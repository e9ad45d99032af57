package binpipe

import (
	"github.com/binpipe/binpipe/go-host/internal/appendbuf"
	"math"
	"strconv"

	"github.com/binpipe/binpipe/go-host/internal/purego"
)

// Shuffle appends the Blosc byte shuffle of src to dst and returns the extended slice. With
// n = len(src)/elemSize, byte j of element i moves to out[j*n+i]; the last len(src)%elemSize
// bytes are copied unchanged. elemSize must be in 1..=255, else the error matches
// ErrInvalidArgument. src may alias dst's spare capacity (for example Shuffle(buf[:0], buf, 4)
// shuffles in place), at the cost of one copy. On error dst is returned unchanged.
func (e *Engine) Shuffle(dst, src []byte, elemSize int) ([]byte, error) {
	return e.shuffleLike("shuffle", kShuffle, dst, src, elemSize)
}

// Unshuffle appends the inverse of Shuffle to dst: out[i*elemSize+j] = src[j*n+i], tail
// copied. Parameters and errors are as for Shuffle.
func (e *Engine) Unshuffle(dst, src []byte, elemSize int) ([]byte, error) {
	return e.shuffleLike("unshuffle", kUnshuffle, dst, src, elemSize)
}

func (e *Engine) shuffleLike(kernel string, k kernelID, dst, src []byte, elemSize int) ([]byte, error) {
	if elemSize < 1 || elemSize > 255 {
		return dst, invalidArgument(kernel, "elem-size must be in 1..=255, got "+strconv.Itoa(elemSize))
	}
	if e.closed.Load() {
		return dst, ErrClosed
	}
	// The module's generic transpose (element sizes other than 2, 4 and 8) loses to Go.
	p := e.route(k, len(src), wasmShuffleWins(elemSize))
	if p == pathGo {
		out, tail := appendbuf.Grow(dst, len(src), src)
		if k == kShuffle {
			purego.Shuffle(tail, src, elemSize)
		} else {
			purego.Unshuffle(tail, src, elemSize)
		}
		return appendbuf.Finish(out, tail, len(tail)), nil
	}
	if p.isNative() {
		var out []byte
		var err error
		if k == kShuffle {
			out, err = e.nk(p).Shuffle(e.ctx, dst, src, uint32(elemSize))
		} else {
			out, err = e.nk(p).Unshuffle(e.ctx, dst, src, uint32(elemSize))
		}
		return keep(dst, out, e.nativeErr(kernel, err))
	}
	return e.bytesCall(kernel, p, dst, len(src), func(ks kernels) ([]byte, error) {
		if k == kShuffle {
			return ks.Shuffle(e.ctx, dst, src, uint32(elemSize))
		}
		return ks.Unshuffle(e.ctx, dst, src, uint32(elemSize))
	})
}

// checkWidth refuses a width outside {1, 2, 4, 8} (from 2 if !one).
func checkWidth(kernel string, width int, one bool) error {
	switch width {
	case 2, 4, 8:
		return nil
	case 1:
		if one {
			return nil
		}
		return invalidArgument(kernel, "width must be 2, 4 or 8, got 1")
	}
	if one {
		return invalidArgument(kernel, "width must be 1, 2, 4 or 8, got "+strconv.Itoa(width))
	}
	return invalidArgument(kernel, "width must be 2, 4 or 8, got "+strconv.Itoa(width))
}

// DeltaEncode appends the delta coding of src's unsigned little-endian width-byte elements to
// dst: out[0] = x[0], out[i] = x[i] - x[i-1] modulo 2^(8*width); the trailing
// len(src)%width bytes are copied unchanged. width must be 1, 2, 4 or 8, else the error
// matches ErrInvalidArgument. src may alias dst's spare capacity; on error dst is returned
// unchanged.
func (e *Engine) DeltaEncode(dst, src []byte, width int) ([]byte, error) {
	return e.widthTransform("delta-encode", kDeltaEncode, dst, src, width)
}

// DeltaDecode appends the inverse of DeltaEncode to dst: the running sum modulo 2^(8*width),
// tail copied. Parameters and errors are as for DeltaEncode.
func (e *Engine) DeltaDecode(dst, src []byte, width int) ([]byte, error) {
	return e.widthTransform("delta-decode", kDeltaDecode, dst, src, width)
}

// Byteswap appends src to dst with the bytes of every width-byte element reversed; the trailing
// len(src)%width bytes are copied unchanged. width must be 2, 4 or 8, else the error matches
// ErrInvalidArgument. src may alias dst's spare capacity; on error dst is returned unchanged.
// Byteswap(buf[:0], buf, width) swaps buf in place: the Go and native paths then write no
// second buffer.
func (e *Engine) Byteswap(dst, src []byte, width int) ([]byte, error) {
	if appendbuf.InPlace(dst, src) {
		return e.byteswapInPlace(dst, src, width)
	}
	return e.widthTransform("byteswap", kByteswap, dst, src, width)
}

// byteswapInPlace is Byteswap with src the start of dst's spare capacity: the Go and native
// paths rewrite src where it stands; wasm copies it into guest memory and back anyway.
func (e *Engine) byteswapInPlace(dst, src []byte, width int) ([]byte, error) {
	const kernel = "byteswap"
	if err := checkWidth(kernel, width, false); err != nil {
		return dst, err
	}
	if e.closed.Load() {
		return dst, ErrClosed
	}
	switch p := e.route(kByteswap, len(src), true); {
	case p == pathGo:
		purego.Byteswap(src, src, width)
	case p.isNative():
		if err := e.nativeErr(kernel, e.nk(p).ByteswapInPlace(src, uint32(width))); err != nil {
			return dst, err
		}
	default:
		return e.widthTransform(kernel, kByteswap, dst, src, width)
	}
	return dst[:len(dst)+len(src)], nil
}

func (e *Engine) widthTransform(kernel string, k kernelID, dst, src []byte, width int) ([]byte, error) {
	if err := checkWidth(kernel, width, k != kByteswap); err != nil {
		return dst, err
	}
	if e.closed.Load() {
		return dst, ErrClosed
	}
	p := e.route(k, len(src), k == kByteswap || deltaWasmWins(width))
	if p == pathGo {
		out, tail := appendbuf.Grow(dst, len(src), src)
		switch k {
		case kDeltaEncode:
			purego.DeltaEncode(tail, src, width)
		case kDeltaDecode:
			purego.DeltaDecode(tail, src, width)
		default:
			purego.Byteswap(tail, src, width)
		}
		return appendbuf.Finish(out, tail, len(tail)), nil
	}
	if p.isNative() {
		var out []byte
		var err error
		switch k {
		case kDeltaEncode:
			out, err = e.nk(p).DeltaEncode(e.ctx, dst, src, uint32(width))
		case kDeltaDecode:
			out, err = e.nk(p).DeltaDecode(e.ctx, dst, src, uint32(width))
		default:
			out, err = e.nk(p).Byteswap(e.ctx, dst, src, uint32(width))
		}
		return keep(dst, out, e.nativeErr(kernel, err))
	}
	return e.bytesCall(kernel, p, dst, len(src), func(ks kernels) ([]byte, error) {
		switch k {
		case kDeltaEncode:
			return ks.DeltaEncode(e.ctx, dst, src, uint32(width))
		case kDeltaDecode:
			return ks.DeltaDecode(e.ctx, dst, src, uint32(width))
		}
		return ks.Byteswap(e.ctx, dst, src, uint32(width))
	})
}

// checkBits refuses a bit width outside 0..=32.
func checkBits(kernel string, bits int) error {
	if bits < 0 || bits > 32 {
		return invalidArgument(kernel, "bits must be in 0..=32, got "+strconv.Itoa(bits))
	}
	return nil
}

// Bitpack appends values packed into bits bits each (0..=32) to dst, as a little-endian bit
// stream: value i occupies stream bits [i*bits, (i+1)*bits), stream bit k being bit k%8 of
// byte k/8. It appends ceil(len(values)*bits/8) bytes, unused high bits zero. A value of
// 2^bits or more, or bits outside 0..=32, is an error matching ErrInvalidArgument; on error
// dst is returned unchanged.
func (e *Engine) Bitpack(dst []byte, values []uint32, bits int) ([]byte, error) {
	const kernel = "bitpack"
	if err := checkBits(kernel, bits); err != nil {
		return dst, err
	}
	if e.closed.Load() {
		return dst, ErrClosed
	}
	n := 4 * len(values)
	p := e.route(kBitpack, n, true)
	if p == pathGo {
		out, bad := purego.Bitpack(dst, values, bits)
		if bad >= 0 {
			return dst, invalidArgument(kernel, "values["+strconv.Itoa(bad)+"] = "+
				strconv.FormatUint(uint64(values[bad]), 10)+" does not fit in "+strconv.Itoa(bits)+" bits")
		}
		return out, nil
	}
	if p.isNative() {
		out, err := e.nk(p).Bitpack(e.ctx, dst, values, uint32(bits))
		return keep(dst, out, e.nativeErr(kernel, err))
	}
	return e.bytesCall(kernel, p, dst, n, func(k kernels) ([]byte, error) {
		return k.Bitpack(e.ctx, dst, values, uint32(bits))
	})
}

// Bitunpack appends to dst the count values of bits bits each (0..=32) packed in src as
// Bitpack packs them, and returns the extended slice. src shorter than ceil(count*bits/8)
// bytes is truncation, an error matching ErrInvalidData at len(src); bytes past that length
// are ignored. bits outside 0..=32 or count outside 0..=math.MaxUint32 is an error matching
// ErrInvalidArgument. On error dst is returned unchanged.
func (e *Engine) Bitunpack(dst []uint32, src []byte, bits, count int) ([]uint32, error) {
	const kernel = "bitunpack"
	if err := checkBits(kernel, bits); err != nil {
		return dst, err
	}
	if count < 0 || uint64(count) > math.MaxUint32 {
		return dst, invalidArgument(kernel, "count must be in 0..=4294967295, got "+strconv.Itoa(count))
	}
	if need := (uint64(count)*uint64(bits) + 7) / 8; uint64(len(src)) < need {
		return dst, invalidData(kernel, len(src), "input ends before "+strconv.Itoa(count)+" values of "+
			strconv.Itoa(bits)+" bits ("+strconv.FormatUint(need, 10)+" bytes)")
	}
	if e.closed.Load() {
		return dst, ErrClosed
	}
	p := e.route(kBitunpack, 4*count, true) // the work is one output value per count
	switch {
	case p == pathGo:
		return purego.Bitunpack(dst, src, bits, count), nil
	case p.isNative():
		out, err := e.nk(p).Bitunpack(e.ctx, dst, src, uint32(bits), uint32(count))
		return keep(dst, out, e.nativeErr(kernel, err))
	}
	if err := e.fits(kernel, len(src)); err != nil {
		return dst, err
	}
	out := dst
	err := e.call(kernel, p, func(k kernels) (err error) {
		out, err = k.Bitunpack(e.ctx, dst, src, uint32(bits), uint32(count))
		return err
	})
	if err != nil {
		return dst, err
	}
	return out, nil
}

// ExtractField appends to dst, for every complete record r of src (len(src)/recordSize of
// them), the bytes [r*recordSize+offset, +width), and returns the extended slice: one column of
// an array of fixed-size structs. recordSize and width must be at least 1 and
// offset+width at most recordSize (all within uint32), else the error matches
// ErrInvalidArgument. src may alias dst's spare capacity; on error dst is returned unchanged.
func (e *Engine) ExtractField(dst, src []byte, recordSize, offset, width int) ([]byte, error) {
	const kernel = "extract-field"
	switch {
	case recordSize < 1 || uint64(recordSize) > math.MaxUint32:
		return dst, invalidArgument(kernel, "record-size must be in 1..=4294967295, got "+strconv.Itoa(recordSize))
	case width < 1 || uint64(width) > math.MaxUint32:
		return dst, invalidArgument(kernel, "width must be in 1..=4294967295, got "+strconv.Itoa(width))
	case offset < 0 || uint64(offset) > math.MaxUint32 || offset > recordSize-width:
		return dst, invalidArgument(kernel, "offset + width must be at most record-size, got offset "+
			strconv.Itoa(offset)+", width "+strconv.Itoa(width)+", record-size "+strconv.Itoa(recordSize))
	}
	if e.closed.Load() {
		return dst, ErrClosed
	}
	p := e.route(kExtractField, len(src), true)
	if p == pathGo {
		out, tail := appendbuf.Grow(dst, len(src)/recordSize*width, src)
		n := purego.ExtractField(tail, src, recordSize, offset, width)
		return appendbuf.Finish(out, tail, n), nil
	}
	if p.isNative() {
		out, err := e.nk(p).ExtractField(e.ctx, dst, src, uint32(recordSize), uint32(offset), uint32(width))
		return keep(dst, out, e.nativeErr(kernel, err))
	}
	return e.bytesCall(kernel, p, dst, len(src), func(k kernels) ([]byte, error) {
		return k.ExtractField(e.ctx, dst, src, uint32(recordSize), uint32(offset), uint32(width))
	})
}

// Shuffle appends the Blosc byte shuffle of src to dst and returns the extended slice, like
// base64.AppendEncode. With n = len(src)/elemSize, byte j of element i moves to out[j*n+i];
// the last len(src)%elemSize bytes are copied unchanged. elemSize must be in 1..=255, else the
// error matches ErrInvalidArgument.
//
//	planes, err := binpipe.Shuffle(nil, float64s, 8) // byte planes compress better
//
// It runs native code where this CPU has it (AVX2, NEON), else the wasm module for large inputs
// of 2-, 4- and 8-byte elements and Go otherwise. On error dst is returned unchanged.
func Shuffle(dst, src []byte, elemSize int) ([]byte, error) {
	out, err := defaultEngine().Shuffle(dst, src, elemSize)
	if retry(err) {
		return goEngine.Shuffle(dst, src, elemSize)
	}
	return out, err
}

// Unshuffle appends the inverse of Shuffle to dst: out[i*elemSize+j] = src[j*n+i], tail
// copied. Parameters and errors are as for Shuffle.
func Unshuffle(dst, src []byte, elemSize int) ([]byte, error) {
	out, err := defaultEngine().Unshuffle(dst, src, elemSize)
	if retry(err) {
		return goEngine.Unshuffle(dst, src, elemSize)
	}
	return out, err
}

// DeltaEncode appends the delta coding of src's unsigned little-endian width-byte elements
// (width 1, 2, 4 or 8) to dst: out[0] = x[0], out[i] = x[i] - x[i-1] modulo 2^(8*width); the
// trailing len(src)%width bytes are copied unchanged. Sorted or slowly changing integers
// become small deltas, which compress well.
//
//	deltas, err := binpipe.DeltaEncode(nil, timestamps, 8)
//
// A bad width is an error matching ErrInvalidArgument; on error dst is returned unchanged.
func DeltaEncode(dst, src []byte, width int) ([]byte, error) {
	out, err := defaultEngine().DeltaEncode(dst, src, width)
	if retry(err) {
		return goEngine.DeltaEncode(dst, src, width)
	}
	return out, err
}

// DeltaDecode appends the inverse of DeltaEncode to dst (the running sum modulo
// 2^(8*width), tail copied). Parameters and errors are as for DeltaEncode.
func DeltaDecode(dst, src []byte, width int) ([]byte, error) {
	out, err := defaultEngine().DeltaDecode(dst, src, width)
	if retry(err) {
		return goEngine.DeltaDecode(dst, src, width)
	}
	return out, err
}

// Byteswap appends src to dst with the bytes of every width-byte element reversed (width 2, 4
// or 8; big-endian ⇄ little-endian); the trailing len(src)%width bytes are copied unchanged.
// A bad width is an error matching ErrInvalidArgument; on error dst is returned unchanged.
func Byteswap(dst, src []byte, width int) ([]byte, error) {
	out, err := defaultEngine().Byteswap(dst, src, width)
	if retry(err) {
		return goEngine.Byteswap(dst, src, width)
	}
	return out, err
}

// Bitpack appends values packed into bits bits each (0..=32) to dst as a little-endian bit
// stream (value i occupies stream bits [i*bits, (i+1)*bits), stream bit k being bit k%8 of
// byte k/8): ceil(len(values)*bits/8) bytes, unused high bits zero.
//
//	packed, err := binpipe.Bitpack(nil, []uint32{1, 2, 3, 4}, 3) // 12 bits in 2 bytes
//
// A value of 2^bits or more, or bits outside 0..=32, is an error matching ErrInvalidArgument;
// on error dst is returned unchanged.
func Bitpack(dst []byte, values []uint32, bits int) ([]byte, error) {
	out, err := defaultEngine().Bitpack(dst, values, bits)
	if retry(err) {
		return goEngine.Bitpack(dst, values, bits)
	}
	return out, err
}

// Bitunpack appends to dst the count values of bits bits each packed in src as Bitpack packs
// them. src shorter than ceil(count*bits/8) bytes is an error matching ErrInvalidData at
// len(src); bits outside 0..=32 or a negative count is an error matching ErrInvalidArgument.
// On error dst is returned unchanged.
func Bitunpack(dst []uint32, src []byte, bits, count int) ([]uint32, error) {
	out, err := defaultEngine().Bitunpack(dst, src, bits, count)
	if retry(err) {
		return goEngine.Bitunpack(dst, src, bits, count)
	}
	return out, err
}

// ExtractField appends to dst, for every complete record of recordSize bytes in src, the width
// bytes at offset: one field of an array of fixed-size records, as a column.
//
//	ids, err := binpipe.ExtractField(nil, records, 16, 4, 8) // bytes 4..12 of each 16-byte record
//
// recordSize and width must be at least 1 and offset+width at most recordSize, else the error
// matches ErrInvalidArgument; on error dst is returned unchanged.
func ExtractField(dst, src []byte, recordSize, offset, width int) ([]byte, error) {
	out, err := defaultEngine().ExtractField(dst, src, recordSize, offset, width)
	if retry(err) {
		return goEngine.ExtractField(dst, src, recordSize, offset, width)
	}
	return out, err
}
