package container

import "encoding/binary"

// scatter writes column col, of width-byte elements, into records of dst: element i goes to
// dst[i*stride+off:][:width]. dst holds len(col)/width records of stride bytes. Widths 1, 2,
// 4 and 8 move one machine word per element.
func scatter(dst, col []byte, stride, off, width int) {
	n := len(col) / width
	if n == 0 {
		return
	}
	d := dst[off : (n-1)*stride+off+width]
	switch width {
	case 1:
		for i, v := range col {
			d[i*stride] = v
		}
	case 2:
		for i := range n {
			binary.LittleEndian.PutUint16(d[i*stride:], binary.LittleEndian.Uint16(col[2*i:]))
		}
	case 4:
		for i := range n {
			binary.LittleEndian.PutUint32(d[i*stride:], binary.LittleEndian.Uint32(col[4*i:]))
		}
	case 8:
		for i := range n {
			binary.LittleEndian.PutUint64(d[i*stride:], binary.LittleEndian.Uint64(col[8*i:]))
		}
	default:
		for i := range n {
			copy(d[i*stride:i*stride+width], col[i*width:])
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
