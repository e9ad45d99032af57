// Package bench compares binpipe with peer Go libraries. It is a separate module so that the
// peers never become dependencies of github.com/binpipe/binpipe/go-host. BenchmarkPeers
// (kernels_test.go) covers every kernel; BenchmarkShuffle here every shuffle backend against
// parquet-go; docs/benchmarks-go-peers.md has the results.
//
//	cd go-host/bench && go test -run '^$' -bench BenchmarkPeers -benchtime 200ms -count 3 | tee /tmp/peers.txt
//	go test -run '^$' -bench BenchmarkShuffle -count 5 | tee shuffle.txt && benchstat -col /impl shuffle.txt
package bench

import (
	"bytes"
	"fmt"
	"testing"
	"unsafe"

	binpipe "github.com/binpipe/binpipe/go-host"
	"github.com/binpipe/binpipe/go-host/internal/purego"
	"github.com/parquet-go/parquet-go/encoding/bytestreamsplit"
)

// parquet-go's BYTE_STREAM_SPLIT encoding is the Blosc byte shuffle without a tail, with amd64
// assembly for 4- and 8-byte elements (AVX-512 where available, else a scalar assembly loop
// for encoding and AVX2 for decoding 4-byte elements).
var bss bytestreamsplit.Encoding

func data(n int) []byte {
	b := make([]byte, n)
	x := uint64(1)
	for i := range b {
		x = x*6364136223846793005 + 1442695040888963407
		b[i] = byte(x >> 56)
	}
	return b
}

func f32s(b []byte) []float32 { return unsafe.Slice((*float32)(unsafe.Pointer(&b[0])), len(b)/4) }
func f64s(b []byte) []float64 { return unsafe.Slice((*float64)(unsafe.Pointer(&b[0])), len(b)/8) }

// TestSameAnswer checks that the peer computes the same transform before comparing speed.
func TestSameAnswer(t *testing.T) {
	in := data(64 << 10)
	for _, es := range []int{4, 8} {
		want, err := binpipe.Shuffle(nil, in, es)
		if err != nil {
			t.Fatal(err)
		}
		var got []byte
		if es == 4 {
			got, _ = bss.EncodeFloat(nil, f32s(in))
		} else {
			got, _ = bss.EncodeDouble(nil, f64s(in))
		}
		if !bytes.Equal(got, want) {
			t.Errorf("es %d: parquet-go byte stream split differs from binpipe.Shuffle", es)
		}
	}
}

// BenchmarkShuffle: impl=go-loop is the plain Go loop (internal/purego) called directly;
// binpipe-go is an Engine with BackendGo (the same loop behind the Engine), binpipe-wasm one
// with BackendWasm, binpipe-auto the package functions (BackendAuto: native code where the CPU
// has it); BenchmarkNative has each native tier.
func BenchmarkShuffle(b *testing.B) {
	wasmE, err := binpipe.New(b.Context(), binpipe.WithBackend(binpipe.BackendWasm))
	if err != nil {
		b.Fatal(err)
	}
	defer wasmE.Close()
	goE, err := binpipe.New(b.Context(), binpipe.WithBackend(binpipe.BackendGo))
	if err != nil {
		b.Fatal(err)
	}
	defer goE.Close()
	for _, op := range []string{"shuffle", "unshuffle"} {
		for _, es := range []int{4, 8} {
			for _, n := range []int{4 << 10, 64 << 10, 1 << 20} {
				in := data(n)
				out := make([]byte, 0, n)
				f32out := make([]float32, 0, n/4)
				f64out := make([]float64, 0, n/8)
				impls := map[string]func(){
					"binpipe-auto": func() { out, _ = shuffleWith(nil, op, out[:0], in, es) },
					"binpipe-wasm": func() { out, _ = shuffleWith(wasmE, op, out[:0], in, es) },
					"binpipe-go":   func() { out, _ = shuffleWith(goE, op, out[:0], in, es) },
					"go-loop": func() {
						if op == "shuffle" {
							purego.Shuffle(out[:n], in, es)
						} else {
							purego.Unshuffle(out[:n], in, es)
						}
					},
					"parquet-go": func() {
						switch {
						case op == "shuffle" && es == 4:
							out, _ = bss.EncodeFloat(out[:0], f32s(in))
						case op == "shuffle":
							out, _ = bss.EncodeDouble(out[:0], f64s(in))
						case es == 4:
							f32out, _ = bss.DecodeFloat(f32out[:0], in)
						default:
							f64out, _ = bss.DecodeDouble(f64out[:0], in)
						}
					},
				}
				for _, name := range []string{"parquet-go", "go-loop", "binpipe-go", "binpipe-wasm", "binpipe-auto"} {
					f := impls[name]
					b.Run(fmt.Sprintf("op=%s/es=%d/size=%dKiB/impl=%s", op, es, n>>10, name), func(b *testing.B) {
						b.SetBytes(int64(n))
						for b.Loop() {
							f()
						}
					})
				}
			}
		}
	}
}

func shuffleWith(e *binpipe.Engine, op string, dst, src []byte, es int) ([]byte, error) {
	switch {
	case e == nil && op == "shuffle":
		return binpipe.Shuffle(dst, src, es)
	case e == nil:
		return binpipe.Unshuffle(dst, src, es)
	case op == "shuffle":
		return e.Shuffle(dst, src, es)
	}
	return e.Unshuffle(dst, src, es)
}
