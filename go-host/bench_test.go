package binpipe_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	binpipe "github.com/binpipe/binpipe/go-host"
	"github.com/binpipe/binpipe/go-host/internal/purego"
)

// Benchmarks for docs/benchmarks-go.md. Run side by side, compare ratios (the machine is shared):
//
//	go test -run '^$' -bench Kernels -benchtime 200ms -count 3 | tee bench.txt
//	benchstat -col /impl bench.txt
//
// impl=go-peer is the standard library (hash/crc32, bytes.Count, encoding/hex,
// encoding/base64, unicode/utf8, bytes.IndexByte) or the plain Go loop called directly,
// without an Engine: the baseline every backend is compared with.

var benchSizes = []struct {
	name string
	n    int
}{{"4KiB", 4 << 10}, {"64KiB", 64 << 10}, {"1MiB", 1 << 20}}

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

// benchKernel is one kernel prepared for an input size: run calls it once on e (nil: the Go
// peer, if the kernel has one), bytes is the input size it reports.
type benchKernel struct {
	name  string
	bytes int
	run   func(e *binpipe.Engine) error
	peer  bool
}

// benchKernels prepares every kernel for inputs of n bytes: valid encodings for the decoders,
// mixed-width UTF-8 text for the validators, columns of the natural width for the column
// kernels.
func benchKernels(n int) []benchKernel {
	data := splitmix64(uint64(n), n)
	rng := rand.New(rand.NewPCG(1, uint64(n)))
	text := utf8Text(rng, n)
	for !utf8.Valid(text) {
		text = utf8Text(rng, n)
	}
	ascii := bytes.Repeat([]byte("binpipe "), n/8+1)[:n]
	hexText := []byte(hex.EncodeToString(data[:n/2]))
	b64 := []byte(base64.StdEncoding.EncodeToString(data[:n/4*3]))
	values := make([]uint64, n/8)
	for i := range values {
		values[i] = binary.LittleEndian.Uint64(data[8*i:]) >> (i % 64) // 1- to 10-byte varints
	}
	var varints []byte
	for _, v := range values {
		varints = binary.AppendUvarint(varints, v)
	}
	varints = varints[:0]
	for i := 0; len(varints) < n; i++ {
		varints = binary.AppendUvarint(varints, values[i%len(values)])
	}
	for len(varints) > n { // whole varints only
		_, k := binary.Uvarint(varints)
		varints = varints[k:]
	}
	words := make([]uint32, n/4)
	for i := range words {
		words[i] = binary.LittleEndian.Uint32(data[4*i:]) & (1<<11 - 1)
	}
	packed, _ := binpipe.Bitpack(nil, words, 11)
	bitmap := make([]byte, (n/8+7)/8)
	for i := range bitmap {
		bitmap[i] = byte(rng.Uint32() & rng.Uint32()) // a quarter of the elements
	}
	other := bytes.Clone(data)
	needles := []byte(",;\t\n\"\\")
	out := make([]byte, 0, 4*n+64)
	idx := make([]uint32, 0, n)
	vals := make([]uint64, 0, n)
	var sink int
	ks := []benchKernel{
		{"crc32c", n, func(e *binpipe.Engine) error {
			if e == nil {
				sink += int(crc32.Update(0, castagnoli, data))
				return nil
			}
			_, err := e.CRC32C(data, 0)
			return err
		}, true},
		{"crc32", n, func(e *binpipe.Engine) error {
			if e == nil {
				sink += int(crc32.Update(0, crc32.IEEETable, data))
				return nil
			}
			_, err := e.CRC32(data, 0)
			return err
		}, true},
		{"xxh3-64", n, func(e *binpipe.Engine) error { _, err := e.XXH3(data, 0); return err }, false},
		{"count-byte", n, func(e *binpipe.Engine) error {
			if e == nil {
				sink += bytes.Count(data, []byte{0x5a})
				return nil
			}
			_, err := e.CountByte(data, 0x5a)
			return err
		}, true},
		{"find-byte", n, func(e *binpipe.Engine) error {
			if e == nil {
				sink += bytes.IndexByte(ascii, 0)
				return nil
			}
			_, err := e.FindByte(ascii, 0)
			return err
		}, true},
		{"find-any", n, func(e *binpipe.Engine) error {
			if e == nil {
				sink += bytes.IndexAny(ascii, string(needles))
				return nil
			}
			_, err := e.FindAny(ascii, needles)
			return err
		}, true},
		{"index-byte", n, func(e *binpipe.Engine) error { _, err := e.IndexByte(idx[:0], data, 0x5a); return err }, false},
		{"mismatch", n, func(e *binpipe.Engine) error {
			if e == nil {
				sink += purego.Mismatch(data, other)
				return nil
			}
			_, err := e.Mismatch(data, other)
			return err
		}, false},
		{"utf8-validate", n, func(e *binpipe.Engine) error {
			if e == nil {
				if !utf8.Valid(text) {
					sink++
				}
				return nil
			}
			return e.UTF8Validate(text)
		}, true},
		{"utf8-validate-ascii", n, func(e *binpipe.Engine) error {
			if e == nil {
				if !utf8.Valid(ascii) {
					sink++
				}
				return nil
			}
			return e.UTF8Validate(ascii)
		}, true},
		{"ascii-prefix", n, func(e *binpipe.Engine) error { _, err := e.ASCIIPrefix(ascii); return err }, false},
		{"hex-encode", n, func(e *binpipe.Engine) error {
			if e == nil {
				hex.AppendEncode(out[:0], data)
				return nil
			}
			_, err := e.HexEncode(out[:0], data, false)
			return err
		}, true},
		{"hex-decode", len(hexText), func(e *binpipe.Engine) error {
			if e == nil {
				_, err := hex.AppendDecode(out[:0], hexText)
				return err
			}
			_, err := e.HexDecode(out[:0], hexText)
			return err
		}, true},
		{"base64-encode", n, func(e *binpipe.Engine) error {
			if e == nil {
				base64.StdEncoding.AppendEncode(out[:0], data)
				return nil
			}
			_, err := e.Base64Encode(out[:0], data, binpipe.AlphabetStandard, true)
			return err
		}, true},
		{"base64-decode", len(b64), func(e *binpipe.Engine) error {
			if e == nil {
				_, err := base64.StdEncoding.Strict().AppendDecode(out[:0], b64)
				return err
			}
			_, err := e.Base64Decode(out[:0], b64, binpipe.AlphabetStandard, true)
			return err
		}, true},
		{"varint-encode", 8 * len(values), func(e *binpipe.Engine) error {
			if e == nil {
				o := out[:0]
				for _, v := range values {
					o = binary.AppendUvarint(o, v)
				}
				return nil
			}
			_, err := e.VarintEncode(out[:0], values)
			return err
		}, true},
		{"varint-decode", len(varints), func(e *binpipe.Engine) error {
			if e == nil {
				for b := varints; len(b) > 0; {
					_, k := binary.Uvarint(b)
					b = b[k:]
				}
				return nil
			}
			_, err := e.VarintDecode(vals[:0], varints)
			return err
		}, true},
		{"shuffle", n, func(e *binpipe.Engine) error {
			if e == nil {
				purego.Shuffle(out[:n], data, 8)
				return nil
			}
			_, err := e.Shuffle(out[:0], data, 8)
			return err
		}, true},
		{"unshuffle", n, func(e *binpipe.Engine) error {
			if e == nil {
				purego.Unshuffle(out[:n], data, 8)
				return nil
			}
			_, err := e.Unshuffle(out[:0], data, 8)
			return err
		}, true},
		{"delta-encode", n, func(e *binpipe.Engine) error { _, err := e.DeltaEncode(out[:0], data, 4); return err }, false},
		{"delta-decode", n, func(e *binpipe.Engine) error { _, err := e.DeltaDecode(out[:0], data, 4); return err }, false},
		{"byteswap", n, func(e *binpipe.Engine) error { _, err := e.Byteswap(out[:0], data, 4); return err }, false},
		{"bitpack", 4 * len(words), func(e *binpipe.Engine) error { _, err := e.Bitpack(out[:0], words, 11); return err }, false},
		{"bitunpack", 4 * len(words), func(e *binpipe.Engine) error {
			_, err := e.Bitunpack(idx[:0], packed, 11, len(words))
			return err
		}, false},
		{"extract-field", n, func(e *binpipe.Engine) error { _, err := e.ExtractField(out[:0], data, 16, 4, 8); return err }, false},
		{"compare", n, func(e *binpipe.Engine) error {
			_, err := e.Compare(out[:0], data, binpipe.I32, binpipe.Lt, binpipe.Signed(0))
			return err
		}, false},
		{"select", n, func(e *binpipe.Engine) error { _, err := e.Select(out[:0], data, 8, bitmap); return err }, false},
		{"aggregate", n, func(e *binpipe.Engine) error { _, err := e.Aggregate(data, binpipe.F64); return err }, false},
		{"aggregate-i32", n, func(e *binpipe.Engine) error { _, err := e.Aggregate(data, binpipe.I32); return err }, false},
	}
	_ = sink
	return ks
}

// BenchmarkKernels runs every kernel on every backend, and the Go peer where there is one, at
// 4 KiB, 64 KiB and 1 MiB: the measurements behind thresholds.go.
func BenchmarkKernels(b *testing.B) {
	impls := benchImpls(b)
	for _, size := range benchSizes {
		for _, k := range benchKernels(size.n) {
			for _, impl := range impls {
				if impl.e == nil && !k.peer {
					continue
				}
				name := fmt.Sprintf("kernel=%s/size=%s/impl=%s", k.name, size.name, impl.name)
				b.Run(name, func(b *testing.B) {
					b.SetBytes(int64(k.bytes))
					b.ReportAllocs()
					for b.Loop() {
						if err := k.run(impl.e); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}

// BenchmarkThresholds finds, per kernel, the input size from which the wasm fast path beats
// the Go path (BackendGo): the crossovers behind thresholds.go. BINPIPE_BENCH_KERNELS (a
// comma-separated list of kernel names) narrows it down.
func BenchmarkThresholds(b *testing.B) {
	wasmE := newEngine(b, binpipe.WithBackend(binpipe.BackendWasm))
	goE := newEngine(b, binpipe.WithBackend(binpipe.BackendGo))
	only := os.Getenv("BINPIPE_BENCH_KERNELS")
	for _, n := range []int{128, 256, 512, 1 << 10, 2 << 10, 4 << 10, 8 << 10, 16 << 10} {
		for _, k := range benchKernels(n) {
			if only != "" && !slices.Contains(strings.Split(only, ","), k.name) {
				continue
			}
			for _, impl := range []benchImpl{{"go", goE}, {"wasm", wasmE}} {
				b.Run(fmt.Sprintf("kernel=%s/size=%d/impl=%s", k.name, n, impl.name), func(b *testing.B) {
					b.SetBytes(int64(k.bytes))
					for b.Loop() {
						if err := k.run(impl.e); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}

// BenchmarkCallCost is the fixed cost of one call of each kernel on an empty input, per
// backend: the crossing, the pool and the buffers.
func BenchmarkCallCost(b *testing.B) {
	for _, ne := range allEngines(b) {
		for _, k := range benchKernels(0) {
			b.Run(fmt.Sprintf("kernel=%s/impl=%s", k.name, ne.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					if err := k.run(ne.e); err != nil {
						b.Fatal(err)
					}
				}
			})
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
					b.Run(name, func(b *testing.B) { benchShuffle(b, kernel, impl.e, data[:n], out, es) })
				}
			}
		}
	}
}

// BenchmarkShuffleElemSizes compares the wasm fast path with the Go path (the plain loop) for
// every class of element size at 64 KiB: the measurement behind wasmShuffleWins in
// thresholds.go.
func BenchmarkShuffleElemSizes(b *testing.B) {
	wasmE := newEngine(b, binpipe.WithBackend(binpipe.BackendWasm))
	goE := newEngine(b, binpipe.WithBackend(binpipe.BackendGo))
	data := splitmix64(3, 64<<10)
	out := make([]byte, 0, 64<<10)
	for _, kernel := range []string{"shuffle", "unshuffle"} {
		for _, es := range []int{1, 2, 3, 4, 5, 7, 8, 12, 16, 24, 32, 64, 255} {
			for _, impl := range []benchImpl{{"go", goE}, {"wasm", wasmE}} {
				name := fmt.Sprintf("kernel=%s/es=%d/impl=%s", kernel, es, impl.name)
				b.Run(name, func(b *testing.B) { benchShuffle(b, kernel, impl.e, data, out, es) })
			}
		}
	}
}

func benchShuffle(b *testing.B, kernel string, e *binpipe.Engine, in, out []byte, es int) {
	b.SetBytes(int64(len(in)))
	b.ReportAllocs()
	var err error
	for b.Loop() {
		if kernel == "shuffle" {
			out, err = e.Shuffle(out[:0], in, es)
		} else {
			out, err = e.Unshuffle(out[:0], in, es)
		}
	}
	if err != nil {
		b.Fatal(err)
	}
}

// BenchmarkPackageFunctions compares the package-level CRC32C, CRC32 and CountByte, which
// most programs call, with the standard library they dispatch to, side by side: the
// difference is binpipe's whole dispatch cost.
func BenchmarkPackageFunctions(b *testing.B) {
	data := splitmix64(1, 1<<20)
	for _, size := range append(benchSizes[:0:0], append([]struct {
		name string
		n    int
	}{{"0", 0}}, benchSizes...)...) {
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
