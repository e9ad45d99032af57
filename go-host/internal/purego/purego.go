// Package purego is the pure-Go twin of every kernel of the WIT contract that Go's standard
// library does not already provide (CRC-32, CRC-32C and byte counts are hash/crc32 and
// bytes.Count in the root package): shuffle and unshuffle, byteswap, delta, varint, bit
// packing, the column kernels, field extraction, hex, base64, ASCII and UTF-8 validation, byte
// search, mismatch and XXH3, each in this package's file of that name. Every function follows
// the kernel's semantics in docs/kernels.md and is checked against the shared conformance
// vectors. It is the Go backend (BackendGo and the purego build tag), BackendAuto's path for
// small inputs and for kernels no faster path has, and the baseline every other path is
// measured against.
package purego

// Shuffle writes the Blosc byte shuffle of src into dst (len(dst) == len(src), elemSize >= 1,
// no overlap): with n = len(src)/elemSize, dst[j*n+i] = src[i*elemSize+j]; the last
// len(src)%elemSize bytes are copied unchanged.
func Shuffle(dst, src []byte, elemSize int) {
	n := len(src) / elemSize
	body := n * elemSize
	dst = dst[:len(src)]
	if elemSize == 1 || n == 0 {
		copy(dst, src)
		return
	}
	for j := range elemSize {
		row := dst[j*n : j*n+n]
		in := src[j:body]
		for i := range row {
			row[i] = in[i*elemSize]
		}
	}
	copy(dst[body:], src[body:])
}

// Unshuffle is the inverse of Shuffle: dst[i*elemSize+j] = src[j*n+i], tail copied.
func Unshuffle(dst, src []byte, elemSize int) {
	n := len(src) / elemSize
	body := n * elemSize
	dst = dst[:len(src)]
	if elemSize == 1 || n == 0 {
		copy(dst, src)
		return
	}
	for j := range elemSize {
		row := src[j*n : j*n+n]
		out := dst[j:body]
		for i, b := range row {
			out[i*elemSize] = b
		}
	}
	copy(dst[body:], src[body:])
}
