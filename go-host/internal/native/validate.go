package native

import (
	"context"
	"math"
)

// ASCIIPrefix returns the length of the longest prefix of data whose bytes are all below 0x80.
func (k Kernels) ASCIIPrefix(_ context.Context, data []byte) (uint64, error) {
	if k.t == nil {
		return 0, k.unsupported("ascii-prefix")
	}
	total := uint64(0)
	for {
		c := min(len(data), chunkBytes)
		n := k.t.ascii_prefix(ptr(data), uint(c))
		if n > uint64(c) {
			return 0, broken("ascii-prefix")
		}
		if total += n; n < uint64(c) || c == len(data) {
			return total, nil
		}
		data = data[c:]
	}
}

// UTF8Validate returns len(data) and status 0 if data is UTF-8, else the length of its longest
// valid prefix and the status: 1 to 3, the length of the invalid sequence after it, or 4 if
// the data ends inside a sequence (core::str::from_utf8's verdict). Long inputs are validated
// in chunks of about chunkBytes, each ended before a continuation byte (so valid text is never
// cut inside a sequence: a cut chunk takes the kernel's slow error path); a chunk that still
// ends inside a sequence (only invalid data can) is continued from that sequence's start (at
// most 3 bytes back), so every chunk makes progress.
func (k Kernels) UTF8Validate(_ context.Context, data []byte) (uint64, uint32, error) {
	const kernel = "utf8-validate"
	if k.t == nil {
		return 0, 0, k.unsupported(kernel)
	}
	if len(data) == 0 {
		return 0, 0, nil // nothing to cross into the blob for
	}
	for off := 0; ; {
		c := min(len(data)-off, chunkBytes)
		for back := 0; back < 3 && off+c < len(data) && data[off+c]&0xc0 == 0x80; back++ {
			c-- // end the chunk where the sequence the next byte continues starts
		}
		res := k.t.utf8_validate(ptr(data[off:]), uint(c))
		if res == math.MaxUint64 {
			if off += c; off == len(data) {
				return uint64(len(data)), 0, nil
			}
			continue
		}
		upTo, errLen := res&(1<<56-1), uint32(res>>56)
		switch {
		case upTo > uint64(c) || errLen > 3 || (errLen == 0 && upTo+4 <= uint64(c)):
			return 0, 0, broken(kernel)
		case errLen == 0 && off+c < len(data): // cut off by the chunk, not the data
			off += int(upTo)
			continue
		case errLen == 0:
			return uint64(off) + upTo, 4, nil
		}
		return uint64(off) + upTo, errLen, nil
	}
}
