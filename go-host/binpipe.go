// Package binpipe gives Go programs binpipe's binary-data kernels without cgo: CRC-32C, byte
// counting, Blosc byte shuffle. Each call takes the fastest pure-Go-buildable path for its
// kernel and input size, as measured: the standard library's assembly where it has some
// (hash/crc32, bytes.Count), binpipe's own Go assembly for 2-, 4- and 8-byte shuffles on amd64,
// and binpipe's SIMD kernels compiled to WebAssembly and run by wazero for the rest (other
// shuffle widths and architectures, above a few hundred bytes).
//
// The package-level functions use a default engine, created on first use, that is safe for
// concurrent use. Create an Engine with New to pick a backend (BackendGo, BackendWasm,
// BackendCanonical) or tune the wasm runtime.
//
// Kernel semantics are the WIT package binpipe:kernels@0.1.0 (wit/kernels.wit in the
// repository); errors are *KernelError values matching ErrInvalidArgument, ErrInvalidData or
// ErrTooLarge.
package binpipe

import (
	"context"
	"hash/crc32"
	"sync"
)

// Version is the version of this package and of the kernel contract it implements.
const Version = "0.1.0"

var std struct {
	once sync.Once
	e    *Engine
}

// defaultEngine returns the package-level BackendAuto engine. It compiles the wasm module only
// when a call first needs it.
func defaultEngine() *Engine {
	std.once.Do(func() {
		cfg := defaultConfig()
		cfg.lazy = true
		std.e = &Engine{cfg: cfg, ctx: context.Background()}
	})
	return std.e
}

// CRC32C returns the CRC-32C (Castagnoli) of data, continuing from seed: CRC32C(b, CRC32C(a, 0))
// equals CRC32C(a‖b, 0), and seed 0 starts fresh.
//
//	crc := binpipe.CRC32C([]byte("123456789"), 0) // 0xE3069283
//
// It runs Go's hash/crc32, which uses the CPU's CRC instructions.
func CRC32C(data []byte, seed uint32) uint32 {
	if crc32cWasmMin == never { // hybrid dispatch never leaves Go for CRC-32C: skip the engine
		return crc32.Update(seed, castagnoli, data)
	}
	v, err := defaultEngine().CRC32C(data, seed)
	if err != nil {
		// Only reachable if a threshold sent CRC32C to wasm and the module failed; the
		// answer is well defined, so compute it in Go.
		return crc32.Update(seed, castagnoli, data)
	}
	return v
}

// CountByte returns the number of bytes in data equal to needle. It runs Go's bytes.Count.
func CountByte(data []byte, needle byte) int {
	if countByteWasmMin == never { // as in CRC32C: the hybrid choice is always Go
		return countByteGo(data, needle)
	}
	n, err := defaultEngine().CountByte(data, needle)
	if err != nil {
		return countByteGo(data, needle) // as in CRC32C: unreachable with Go-only thresholds
	}
	return n
}

// Shuffle appends the Blosc byte shuffle of src to dst and returns the extended slice, like
// base64.AppendEncode. With n = len(src)/elemSize, byte j of element i moves to out[j*n+i];
// the last len(src)%elemSize bytes are copied unchanged. elemSize must be in 1..=255, else the
// error matches ErrInvalidArgument.
//
//	planes, err := binpipe.Shuffle(nil, float64s, 8) // byte planes compress better
//
// It runs Go assembly for 2-, 4- and 8-byte elements on amd64, else the wasm module for large
// inputs and Go for small ones. On error dst is returned unchanged.
func Shuffle(dst, src []byte, elemSize int) ([]byte, error) {
	return defaultEngine().Shuffle(dst, src, elemSize)
}

// Unshuffle appends the inverse of Shuffle to dst: out[i*elemSize+j] = src[j*n+i], tail
// copied. Parameters and errors are as for Shuffle.
func Unshuffle(dst, src []byte, elemSize int) ([]byte, error) {
	return defaultEngine().Unshuffle(dst, src, elemSize)
}

// WITPackage names the kernel contract this package implements: the WIT package whose
// functions the kernels are, and which the wasm module must implement.
const WITPackage = "binpipe:kernels@0.1.0"
