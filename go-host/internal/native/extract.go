package native

import (
	"context"

	"github.com/binpipe/binpipe/go-host/internal/appendbuf"
)

// ExtractField appends to dst, for every complete record of src (len(src)/recordSize of them),
// its bytes [offset, offset+width): one column of an array of fixed-size structs. recordSize
// and width must be at least 1 and offset+width at most recordSize, else an invalid-argument
// error (dst returned unchanged). Long inputs are extracted in chunks of whole records, about
// chunkBytes of src each (at least one record).
func (k Kernels) ExtractField(_ context.Context, dst, src []byte, recordSize, offset, width uint32) ([]byte, error) {
	const kernel = "extract-field"
	if k.t == nil {
		return dst, k.unsupported(kernel)
	}
	switch {
	case recordSize == 0:
		return dst, invalidArgument(kernel + ": record-size must be at least 1")
	case width == 0:
		return dst, invalidArgument(kernel + ": width must be at least 1")
	case uint64(offset)+uint64(width) > uint64(recordSize):
		return dst, invalidArgument(kernel + ": offset + width must not exceed record-size")
	}
	rs, w := int(recordSize), int(width)
	records := len(src) / rs
	n := records * w
	out, tail := appendbuf.Grow(dst, n, src)
	shape := uint64(recordSize) | uint64(offset)<<32
	per := max(chunkBytes/rs, 1) // records per call
	for r := 0; r < records; {
		c := min(records-r, per)
		in := src[r*rs : (r+c)*rs]
		if k.t.extract_field(ptr(in), uint(len(in)), ptr(tail[r*w:]), uint(c*w), shape, uint64(width)) != uint64(c*w) {
			return dst, broken(kernel)
		}
		r += c
	}
	return appendbuf.Finish(out, tail, n), nil
}
