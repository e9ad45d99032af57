// Package binpipe gives Go programs binpipe's binary-data kernels without cgo: checksums
// (CRC32C, CRC32, XXH3), byte search (FindByte, FindAny, CountByte, IndexByte, Mismatch),
// validation (UTF8Validate, ASCIIPrefix), codecs (hex, base64, varint), layout transforms
// (Shuffle, DeltaEncode, Byteswap, Bitpack, ExtractField, …) and column kernels (Compare,
// Select, Aggregate). Each call takes the fastest pure-Go-buildable path for its kernel and
// input size on this CPU, as measured for its class (tuned.go): binpipe's Rust SIMD kernels
// compiled to Go assembly (native tiers AVX2, AVX-512, NEON), the standard library's assembly
// where it has some (hash/crc32, bytes.IndexByte, bytes.Count), plain Go for small inputs, or
// the same SIMD kernels compiled to WebAssembly and run by wazero. Path reports the choice.
//
// Native code runs in this process, like Go's own assembly: it is not cgo, and it is not
// sandboxed, so a bug in a native kernel is memory corruption. The wasm backend (BackendWasm)
// is the isolated path. The purego build tag builds the package without any assembly.
//
// Kernels that produce bytes append them, like the standard library's Append functions:
//
//	out, err := binpipe.HexDecode(out[:0], text) // reuse out's storage
//
// On error they return dst unchanged. An input may alias dst's spare capacity (decode in
// place with HexDecode(buf[:0], buf)).
//
// The package-level functions use a default engine, created on first use, that is safe for
// concurrent use; if the wasm module ever fails they compute the answer in Go, so their only
// errors are the kernels' own. Create an Engine with New to pick a backend (BackendGo,
// BackendWasm, BackendNative) or tune the wasm runtime.
//
// Kernel semantics are the WIT package binpipe:kernels@0.1.0 (wit/kernels.wit in the
// repository); errors are *KernelError values matching ErrInvalidArgument, ErrInvalidData or
// ErrTooLarge, and UTF8Validate's *UTF8Error, which matches ErrInvalidData.
package binpipe

import (
	"errors"
	"sync"

	"github.com/binpipe/binpipe/go-host/internal/wasm"
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
		std.e = newEngine(cfg)
	})
	return std.e
}

// goEngine runs every kernel in Go. The package functions fall back to it when the default
// engine fails for a reason other than the input (a wasm trap), so they return only kernel
// errors.
var goEngine = newEngine(config{backend: BackendGo, poolSize: 1, maxBuffer: defaultMaxBuffer})

// retry reports whether err is a failure of the engine rather than the kernel's verdict on its
// input: a package function then computes its answer with goEngine.
func retry(err error) bool {
	if err == nil {
		return false
	}
	var ke *KernelError
	var ue *UTF8Error
	return !errors.As(err, &ke) && !errors.As(err, &ue)
}

// WITPackage names the kernel contract this package implements: the WIT package whose
// functions the kernels are, and which the wasm module must implement.
const WITPackage = wasm.WITPackage
