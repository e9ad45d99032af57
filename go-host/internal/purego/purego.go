// Package purego is the pure-Go implementation of the kernels Go's standard library lacks:
// Blosc byte shuffle and unshuffle, as plain loops. It is the Go backend, the hybrid
// dispatcher's small-input path, and the baseline the wasm path is measured against.
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
