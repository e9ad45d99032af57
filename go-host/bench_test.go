package binpipe_test

import (
	"bytes"
	"fmt"
	"hash/crc32"
	"testing"

	binpipe "github.com/binpipe/binpipe/go-host"
	"github.com/binpipe/binpipe/go-host/internal/purego"
)

// Benchmarks for docs/benchmarks-go.md. Run side by side, compare ratios (the machine is shared):
//
//	go test -run '^$' -bench . -count 5 | tee bench.txt
//	benchstat -col /impl bench.txt
//
// impl=go-peer is the standard library (hash/crc32, bytes.Count) or the plain Go shuffle loop
// called directly, without an Engine: the baseline every backend is compared with.

var benchSizes = []struct {
	name string
	n    int
}{{"0", 0}, {"4KiB", 4 << 10}, {"64KiB", 64 << 10}, {"1MiB", 1 << 20}}

type benchImpl struct {
	name string
	e    *binpipe.Engine // nil: the Go peer
}

func benchImpls(b *testing.B) []benchImpl {
	impls := []benchImpl{{"go-peer", nil}}
	for _, ne := range allEngines(b) {
		impls = append(impls, benchImpl{ne.name, ne.e})
	}
	return impls
}

// BenchmarkKernels runs every kernel on every backend and the Go peer at each size; size=0
// measures the fixed cost of a call (for wasm and canonical: the crossing and the pool).
func BenchmarkKernels(b *testing.B) {
	impls := benchImpls(b)
	data := splitmix64(1, 1<<20)
	out := make([]byte, 0, 1<<20)
	for _, kernel := range []string{"crc32c", "count-byte", "shuffle", "unshuffle"} {
		for _, size := range benchSizes {
			in := data[:size.n]
			for _, impl := range impls {
				name := fmt.Sprintf("kernel=%s/size=%s/impl=%s", kernel, size.name, impl.name)
				b.Run(name, func(b *testing.B) { benchOne(b, kernel, impl.e, in, out, 8) })
			}
		}
	}
}

// BenchmarkShuffleThreshold finds where the wasm fast path overtakes the Go loop for shuffle
// and unshuffle (the thresholds in thresholds.go), for the common element sizes 4 and 8.
func BenchmarkShuffleThreshold(b *testing.B) {
	wasmE := newEngine(b, binpipe.WithBackend(binpipe.BackendWasm))
	goE := newEngine(b, binpipe.WithBackend(binpipe.BackendGo))
	data := splitmix64(2, 64<<10)
	out := make([]byte, 0, 64<<10)
	for _, kernel := range []string{"shuffle", "unshuffle"} {
		for _, es := range []int{4, 8} {
			for _, n := range []int{64, 128, 192, 256, 384, 512, 1 << 10, 4 << 10, 16 << 10, 64 << 10} {
				for _, impl := range []benchImpl{{"go", goE}, {"wasm", wasmE}} {
					name := fmt.Sprintf("kernel=%s/es=%d/size=%d/impl=%s", kernel, es, n, impl.name)
					b.Run(name, func(b *testing.B) { benchOne(b, kernel, impl.e, data[:n], out, es) })
				}
			}
		}
	}
}

// BenchmarkShuffleElemSizes compares the wasm fast path with the Go path (assembly where
// internal/shufasm has it, else the plain loop) for every class of element size at 64 KiB: the
// measurement behind wasmShuffleWins in thresholds.go.
func BenchmarkShuffleElemSizes(b *testing.B) {
	wasmE := newEngine(b, binpipe.WithBackend(binpipe.BackendWasm))
	goE := newEngine(b, binpipe.WithBackend(binpipe.BackendGo))
	data := splitmix64(3, 64<<10)
	out := make([]byte, 0, 64<<10)
	for _, kernel := range []string{"shuffle", "unshuffle"} {
		for _, es := range []int{1, 2, 3, 4, 5, 7, 8, 12, 16, 24, 32, 64, 255} {
			for _, impl := range []benchImpl{{"go", goE}, {"wasm", wasmE}} {
				name := fmt.Sprintf("kernel=%s/es=%d/impl=%s", kernel, es, impl.name)
				b.Run(name, func(b *testing.B) { benchOne(b, kernel, impl.e, data, out, es) })
			}
		}
	}
}

func benchOne(b *testing.B, kernel string, e *binpipe.Engine, in, out []byte, es int) {
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	var err error
	switch kernel {
	case "crc32c":
		var sink uint32
		if e == nil {
			for b.Loop() {
				sink = crc32.Update(sink, castagnoli, in)
			}
			return
		}
		for b.Loop() {
			sink, err = e.CRC32C(in, sink)
		}
	case "count-byte":
		var sink int
		if e == nil {
			for b.Loop() {
				sink += bytes.Count(in, []byte{0x5a})
			}
			return
		}
		for b.Loop() {
			sink, err = e.CountByte(in, 0x5a)
		}
		_ = sink
	case "shuffle", "unshuffle":
		if e == nil {
			dst := out[:len(in)]
			for b.Loop() {
				if kernel == "shuffle" {
					purego.Shuffle(dst, in, es)
				} else {
					purego.Unshuffle(dst, in, es)
				}
			}
			return
		}
		for b.Loop() {
			if kernel == "shuffle" {
				out, err = e.Shuffle(out[:0], in, es)
			} else {
				out, err = e.Unshuffle(out[:0], in, es)
			}
		}
	}
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPackageFunctions compares the package-level CRC32C and CountByte, which most programs
// call, with the standard library they dispatch to, side by side: the difference is binpipe's
// whole dispatch cost.
func BenchmarkPackageFunctions(b *testing.B) {
	data := splitmix64(1, 1<<20)
	for _, size := range benchSizes {
		in := data[:size.n]
		b.Run("kernel=crc32c/size="+size.name+"/impl=go-peer", func(b *testing.B) {
			var sink uint32
			for b.Loop() {
				sink = crc32.Update(sink, castagnoli, in)
			}
		})
		b.Run("kernel=crc32c/size="+size.name+"/impl=package", func(b *testing.B) {
			var sink uint32
			for b.Loop() {
				sink = binpipe.CRC32C(in, sink)
			}
		})
		b.Run("kernel=count-byte/size="+size.name+"/impl=go-peer", func(b *testing.B) {
			var sink int
			for b.Loop() {
				sink += bytes.Count(in, []byte{0x5a})
			}
		})
		b.Run("kernel=count-byte/size="+size.name+"/impl=package", func(b *testing.B) {
			var sink int
			for b.Loop() {
				sink += binpipe.CountByte(in, 0x5a)
			}
		})
	}
}
