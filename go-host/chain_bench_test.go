package binpipe_test

import (
	"encoding/binary"
	"fmt"
	"strconv"
	"strings"
	"testing"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// benchChains are the chains BenchmarkChain measures: the container's column chains
// (contract E: timestamps, 4-byte fields), a field pulled out of 32-byte records, and the
// codecs, where wasm's SIMD wins most.
var benchChains = []string{
	"delta-encode:8,shuffle:8",
	"shuffle:4",
	"extract-field:32,16,8,shuffle:8",
	"extract-field:32,0,8,delta-encode:8,shuffle:8",
	"delta-decode:4,byteswap:4",
	"hex-encode:lower,hex-decode",
	"base64-encode:std,pad,base64-decode:std,pad",
}

// benchInput is valid input for every bench chain.
func benchInput(n int) []byte { return splitmix64(42, n) }

// BenchmarkChain measures one chain per batch on 64 KiB and 1 MiB: a ChainWorker (the
// pipeline's path: the batch copied into Input, as a read would, the result read from a view)
// and RunChain (append form: copies in and out), on the Go, wasm and auto backends and
// BackendNative pinned to each native tier here (stages the tier lacks run in Go).
//
//	go test -run '^$' -bench 'BenchmarkChain$' -benchtime 200x ./
func BenchmarkChain(b *testing.B) {
	engines := append([]namedEngine{
		{"go", newEngine(b, binpipe.WithBackend(binpipe.BackendGo))},
		{"wasm", newEngine(b, binpipe.WithBackend(binpipe.BackendWasm))},
		{"auto", newEngine(b, binpipe.WithBackend(binpipe.BackendAuto))},
	}, nativeEngines(b)...)
	for _, spec := range benchChains {
		stages, err := binpipe.ParseChain(spec)
		if err != nil {
			b.Fatal(err)
		}
		for _, n := range []int{64 << 10, 1 << 20} {
			data := benchInput(n)
			for _, ne := range engines {
				b.Run(fmt.Sprintf("%s/%dKiB/worker-%s", spec, n>>10, ne.name), func(b *testing.B) {
					w, err := ne.e.NewChainWorker(n, stages...)
					if err != nil {
						b.Fatal(err)
					}
					defer w.Close()
					copy(w.Input(), data)
					b.SetBytes(int64(n))
					b.ReportAllocs()
					for b.Loop() {
						if _, err := w.Run(n); err != nil {
							b.Fatal(err)
						}
						copy(w.Input(), data) // what the read does; the stages may also have overwritten it
					}
				})
			}
			for _, ne := range engines {
				b.Run(fmt.Sprintf("%s/%dKiB/runchain-%s", spec, n>>10, ne.name), func(b *testing.B) {
					bound, _ := binpipe.ChainOutputBound(n, stages...)
					dst := make([]byte, 0, bound+16)
					b.SetBytes(int64(n))
					b.ReportAllocs()
					for b.Loop() {
						if _, err := ne.e.RunChain(dst, data, stages...); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}

// stageBenchInput returns n bytes of valid input for stage s: for decoders, the encoding of
// random data; for bitpack, values that fit; else random bytes.
func stageBenchInput(b *testing.B, s binpipe.Stage, n int) []byte {
	raw := benchInput(n)
	enc := func(stages ...binpipe.Stage) []byte {
		out, err := binpipe.RunChain(nil, raw, stages...)
		if err != nil {
			b.Fatal(err)
		}
		return out
	}
	switch s.Name() {
	case "hex-decode":
		raw = raw[:n/2]
		return enc(binpipe.HexEncodeStage(false))
	case "base64-decode":
		raw = raw[:n/4*3]
		return enc(binpipe.Base64EncodeStage(binpipe.AlphabetStandard, true))
	case "varint-decode", "bitpack", "bitunpack":
		if s.Name() == "varint-decode" {
			raw = benchInput(2 * n)
		}
		for i := 0; i+8 <= len(raw); i += 8 { // values of 1 to 64 bits; for bitpack, 11-bit u32s
			v := binary.LittleEndian.Uint64(raw[i:])
			v >>= v & 63
			if s.Name() != "varint-decode" {
				v = v&0x7ff | (v>>32&0x7ff)<<32
			}
			binary.LittleEndian.PutUint64(raw[i:], v)
		}
		switch s.Name() {
		case "varint-decode": // about n bytes, cut after a varint's last byte
			out := enc(binpipe.VarintEncodeStage())[:n]
			for out[len(out)-1] >= 0x80 {
				out = out[:len(out)-1]
			}
			return out
		case "bitunpack":
			return enc(binpipe.BitpackStage(11))
		}
	}
	return raw
}

// benchStages are the single stages BenchmarkChainStages measures, to derive the per-stage
// costs of the hybrid chain dispatcher (chain_module.go).
var benchStages = []string{
	"shuffle:4", "shuffle:8", "shuffle:3", "unshuffle:4", "unshuffle:8", "unshuffle:16",
	"delta-encode:8", "delta-decode:8", "delta-encode:2", "byteswap:4", "extract-field:32,16,8",
	"hex-encode:lower", "hex-decode", "base64-encode:std,pad", "base64-decode:std,pad",
	"varint-encode", "varint-decode", "bitpack:11", "bitunpack:11,COUNT",
}

// BenchmarkChainStages runs each single stage in a ChainWorker on the Go and the wasm
// backends and on each native tier (64 KiB and 1 MiB): the stage's cost inside a chain,
// without copies or per-stage crossings (the per-stage costs of chain_thresholds.go).
//
//	go test -run '^$' -bench 'BenchmarkChainStages' -count 3 ./
func BenchmarkChainStages(b *testing.B) {
	engines := append([]namedEngine{
		{"go", newEngine(b, binpipe.WithBackend(binpipe.BackendGo))},
		{"wasm", newEngine(b, binpipe.WithBackend(binpipe.BackendWasm))},
	}, nativeEngines(b)...)
	for _, spec := range benchStages {
		for _, n := range []int{64 << 10, 1 << 20} {
			spec := strings.ReplaceAll(spec, "COUNT", strconv.Itoa(n/4))
			s, err := binpipe.ParseStage(spec)
			if err != nil {
				b.Fatal(err)
			}
			data := stageBenchInput(b, s, n)
			for _, ne := range engines {
				b.Run(fmt.Sprintf("%s/%dKiB/%s", spec, n>>10, ne.name), func(b *testing.B) {
					w, err := ne.e.NewChainWorker(len(data), s)
					if err != nil {
						b.Fatal(err)
					}
					defer w.Close()
					b.SetBytes(int64(len(data)))
					for b.Loop() {
						copy(w.Input(), data)
						if _, err := w.Run(len(data)); err != nil {
							b.Fatal(err)
						}
					}
				})
			}
		}
	}
}
