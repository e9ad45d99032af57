package native

import "context"

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
