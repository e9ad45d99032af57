package container

import "unsafe"

// scatter writes column col, of width-byte elements, into records of dst: element i goes to
// dst[i*stride+off:][:width]. dst must hold len(col)/width records of stride bytes (checked
// once; a short dst panics before any write). Widths 1, 2, 4 and 8 move one word per element
// without a bounds check each: about 2x the safe loop on the telemetry layout
// (BenchmarkScatter).
func scatter(dst, col []byte, stride, off, width int) {
	n := len(col) / width
	if n == 0 {
		return
	}
	_ = dst[(n-1)*stride+off+width-1] // the last byte written: every earlier one is below it
	// SAFETY: element i reads col[i*width : (i+1)*width], inside col since i < n =
	// len(col)/width, and writes dst[i*stride+off : i*stride+off+width], inside dst since the
	// check above holds for i = n-1 and stride >= 0. Byte arrays have alignment 1, so any
	// address is valid for them, and copying one preserves byte order on every architecture.
	d := unsafe.Add(unsafe.Pointer(unsafe.SliceData(dst)), off)
	c := unsafe.Pointer(unsafe.SliceData(col))
	switch width {
	case 1:
		for i, v := range col {
			*(*byte)(unsafe.Add(d, i*stride)) = v
		}
	case 2:
		for i := range n {
			*(*[2]byte)(unsafe.Add(d, i*stride)) = *(*[2]byte)(unsafe.Add(c, 2*i))
		}
	case 4:
		for i := range n {
			*(*[4]byte)(unsafe.Add(d, i*stride)) = *(*[4]byte)(unsafe.Add(c, 4*i))
		}
	case 8:
		for i := range n {
			*(*[8]byte)(unsafe.Add(d, i*stride)) = *(*[8]byte)(unsafe.Add(c, 8*i))
		}
	default:
		for i := range n {
			copy(dst[i*stride+off:i*stride+off+width], col[i*width:])
		}
	}
}

// appendRest appends the rest column of records: for each record in order, the bytes of each
// gap in ascending order.
func appendRest(dst, records []byte, stride int, gaps []span, restWidth int) []byte {
	n := len(records) / stride
	if n == 0 {
		return dst
	}
	start := len(dst)
	dst = append(dst, make([]byte, n*restWidth)...)
	out := dst[start:]
	at := 0
	for _, g := range gaps {
		gather(out[at:], records, stride, g.off, g.width, restWidth, n)
		at += g.width
	}
	return dst
}

// gather copies n elements of width bytes at records[i*stride+off] to out[i*step:].
func gather(out, records []byte, stride, off, width, step, n int) {
	for i := range n {
		copy(out[i*step:i*step+width], records[i*stride+off:])
	}
}

// scatterRest writes the rest column back into the gaps of n records in dst.
func scatterRest(dst, rest []byte, stride int, gaps []span, restWidth, n int) {
	at := 0
	for _, g := range gaps {
		for i := range n {
			copy(dst[i*stride+g.off:i*stride+g.off+g.width], rest[i*restWidth+at:])
		}
		at += g.width
	}
}
