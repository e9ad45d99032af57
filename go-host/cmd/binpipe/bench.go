package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"flag"
	"fmt"
	"hash/crc32"
	"reflect"
	"strings"
	"testing"
	"text/tabwriter"
	"time"
	"unicode/utf8"

	binpipe "github.com/binpipe/binpipe/go-host"
)

const benchSynopsis = "binpipe bench [--time 100ms] [--kernel NAME[,NAME...]] [--json]"

const benchAbout = `Benchmarks every kernel in this process (testing.Benchmark) at 4 KiB, 64 KiB and 1 MiB:
binpipe's default dispatch (auto: Go assembly, pure Go or wasm SIMD, whichever is fastest for
the size), the pure-Go backend, and the Go standard library where it has the same function.
Before timing, auto and Go must give the same answer. MB/s counts input bytes (10^6 B/s).`

// benchSizes are the input sizes of the table.
var benchSizes = []int{4 << 10, 64 << 10, 1 << 20}

// benchCase is one kernel of the table. run returns the result, to check that the backends
// agree; peer (optional) is the standard library's equivalent.
type benchCase struct {
	name     string
	input    func(n int) benchInput
	run      func(e *binpipe.Engine, in benchInput) (any, error)
	peerName string
	peer     func(in benchInput)
}

// benchInput is a kernel's input, prepared before timing: bytes, or values for the kernels
// that take them. size is its length in bytes, the basis of MB/s. The out* slices are
// reused output buffers, so that the table times the kernels, not the allocator.
type benchInput struct {
	b     []byte
	u64   []uint64
	u32   []uint32
	size  int
	out   *[]byte
	out64 *[]uint64
	out32 *[]uint32
}

// withScratch gives in its reusable output buffers.
func withScratch(in benchInput) benchInput {
	in.out, in.out64, in.out32 = new([]byte), new([]uint64), new([]uint32)
	return in
}

// keep returns a function that stores a kernel's appended result back into the scratch
// buffer buf (so the next call reuses its capacity) and passes the result on.
func keep[T any](buf *[]T) func([]T, error) (any, error) {
	return func(out []T, err error) (any, error) {
		*buf = out[:0]
		return out, err
	}
}

// cloneResult copies a result that lives in a scratch buffer.
func cloneResult(v any) any {
	switch r := v.(type) {
	case []byte:
		return append([]byte(nil), r...)
	case []uint64:
		return append([]uint64(nil), r...)
	case []uint32:
		return append([]uint32(nil), r...)
	}
	return v
}

// bytesInput wraps a byte-slice generator.
func bytesInput(gen func(n int) []byte) func(n int) benchInput {
	return func(n int) benchInput {
		b := gen(n)
		return benchInput{b: b, size: len(b)}
	}
}

// benchRow is one line of the table.
type benchRow struct {
	Kernel   string  `json:"kernel"`
	Size     int     `json:"size"`
	AutoMBps float64 `json:"auto_mb_s"`
	GoMBps   float64 `json:"go_mb_s"`
	Peer     string  `json:"peer,omitempty"`
	PeerMBps float64 `json:"peer_mb_s,omitempty"`
}

// cmdBench prints the kernel benchmark table.
func cmdBench(ctx context.Context, std stdio, args []string) error {
	fs, jsonOut := newFlags("bench", benchSynopsis, benchAbout, std)
	per := fs.Duration("time", 100*time.Millisecond, "target time of each measurement (testing's -benchtime)")
	only := fs.String("kernel", "", "comma-separated kernels to run (default all): "+strings.Join(benchNames(), ","))
	if _, err := parseArgs(fs, benchSynopsis, args, 0, 0); err != nil {
		return err
	}
	if *per <= 0 {
		return usagef(benchSynopsis, "--time must be positive")
	}
	cases, err := selectBenchCases(*only)
	if err != nil {
		return &usageError{msg: err.Error(), usage: benchSynopsis}
	}
	testing.Init()
	if err := flag.CommandLine.Set("test.benchtime", per.String()); err != nil {
		return err
	}
	auto, err := newEngine(ctx, binpipe.BackendAuto)
	if err != nil {
		return err
	}
	defer auto.Close()
	goEngine, err := binpipe.New(ctx, binpipe.WithBackend(binpipe.BackendGo))
	if err != nil {
		return err
	}
	defer goEngine.Close()

	p := newProgress(std, int64(len(cases)*len(benchSizes)), "bench")
	var rows []benchRow
	for _, c := range cases {
		for _, size := range benchSizes {
			if err := ctx.Err(); err != nil {
				p.done()
				return err
			}
			row, err := benchOne(c, size, auto, goEngine)
			if err != nil {
				p.done()
				return err
			}
			rows = append(rows, row)
			p.add(1)
		}
	}
	p.done()
	if *jsonOut {
		return writeJSON(std.stdout, map[string]any{"benchtime": per.String(), "rows": rows})
	}
	return printBenchTable(std, rows)
}

// benchOne measures one kernel at one size on both engines and the peer.
func benchOne(c benchCase, size int, auto, goEngine *binpipe.Engine) (benchRow, error) {
	in := withScratch(c.input(size))
	a, err := c.run(auto, in)
	a = cloneResult(a)
	if err != nil {
		return benchRow{}, fmt.Errorf("%s at %d bytes (auto): %w", c.name, size, err)
	}
	g, err := c.run(goEngine, in)
	if err != nil {
		return benchRow{}, fmt.Errorf("%s at %d bytes (go): %w", c.name, size, err)
	}
	if !reflect.DeepEqual(a, g) {
		return benchRow{}, fmt.Errorf("%s at %d bytes: the auto and Go backends disagree", c.name, size)
	}
	row := benchRow{Kernel: c.name, Size: size, Peer: c.peerName}
	size = in.size
	row.AutoMBps = mbps(size, func() { _, _ = c.run(auto, in) })
	row.GoMBps = mbps(size, func() { _, _ = c.run(goEngine, in) })
	if c.peer != nil {
		row.PeerMBps = mbps(size, func() { c.peer(in) })
	}
	return row, nil
}

// mbps runs f under testing.Benchmark and returns the throughput for size bytes per call.
func mbps(size int, f func()) float64 {
	r := testing.Benchmark(func(b *testing.B) {
		b.SetBytes(int64(size))
		for b.Loop() {
			f()
		}
	})
	if r.T <= 0 {
		return 0
	}
	return float64(r.Bytes) * float64(r.N) / r.T.Seconds() / 1e6
}

// printBenchTable prints the rows aligned, with auto's ratio to Go and to the peer.
func printBenchTable(std stdio, rows []benchRow) error {
	tw := tabwriter.NewWriter(std.stdout, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "kernel\tsize\tauto MB/s\tgo MB/s\tauto/go\tpeer\tpeer MB/s\tauto/peer\t\n")
	for _, r := range rows {
		peer, peerRate, ratio := "-", "-", "-"
		if r.Peer != "" {
			peer, peerRate = r.Peer, fmt.Sprintf("%.0f", r.PeerMBps)
			if r.PeerMBps > 0 {
				ratio = fmt.Sprintf("%.2fx", r.AutoMBps/r.PeerMBps)
			}
		}
		goRatio := "-"
		if r.GoMBps > 0 {
			goRatio = fmt.Sprintf("%.2fx", r.AutoMBps/r.GoMBps)
		}
		fmt.Fprintf(tw, "%s\t%s\t%.0f\t%.0f\t%s\t%s\t%s\t%s\t\n", r.Kernel, formatSize(int64(r.Size)),
			r.AutoMBps, r.GoMBps, goRatio, peer, peerRate, ratio)
	}
	return tw.Flush()
}

// benchNames lists the kernels of the table.
func benchNames() []string {
	var names []string
	for _, c := range benchCases {
		names = append(names, c.name)
	}
	return names
}

// selectBenchCases returns the cases named in a comma-separated list (all if empty).
func selectBenchCases(list string) ([]benchCase, error) {
	if list == "" {
		return benchCases, nil
	}
	var out []benchCase
	for _, name := range strings.Split(list, ",") {
		found := false
		for _, c := range benchCases {
			if c.name == name {
				out = append(out, c)
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("unknown kernel %q in --kernel: want one of %s", name, strings.Join(benchNames(), ","))
		}
	}
	return out, nil
}

// benchRandom returns n deterministic pseudo-random bytes (SplitMix64 from seed 1).
func benchRandom(n int) []byte {
	out := make([]byte, n+8)
	var s splitMix64 = 1
	for i := 0; i < n; i += 8 {
		binary.LittleEndian.PutUint64(out[i:], s.next())
	}
	return out[:n]
}

// benchText returns n bytes of mostly-ASCII UTF-8 text with some 2-, 3- and 4-byte characters.
func benchText(n int) []byte {
	const sample = "binpipe moves records through SIMD stages: Grüße, 東京, 🚀 — fast and bounded. "
	out := bytes.Repeat([]byte(sample), n/len(sample)+1)[:n]
	for !utf8.Valid(out) { // cut at a character boundary
		out = out[:len(out)-1]
	}
	return out
}

// benchHex and benchBase64 return valid encoded text of about n bytes.
func benchHex(n int) []byte { return []byte(hex.EncodeToString(benchRandom(n / 2))) }
func benchBase64(n int) []byte {
	return []byte(base64.StdEncoding.EncodeToString(benchRandom(n / 4 * 3)))
}

// uint64s and uint32s view input bytes as little-endian values.
func uint64s(in []byte, mask uint64) []uint64 {
	v := make([]uint64, len(in)/8)
	for i := range v {
		v[i] = binary.LittleEndian.Uint64(in[8*i:]) & mask
	}
	return v
}
func uint32s(in []byte, mask uint32) []uint32 {
	v := make([]uint32, len(in)/4)
	for i := range v {
		v[i] = binary.LittleEndian.Uint32(in[4*i:]) & mask
	}
	return v
}

// benchValues64 and benchValues32 are values of at most 14 and 12 bits (n bytes' worth).
func benchValues64(n int) benchInput {
	v := uint64s(benchRandom(n), 0x3fff)
	return benchInput{u64: v, size: 8 * len(v)}
}
func benchValues32(n int) benchInput {
	v := uint32s(benchRandom(n), 0xfff)
	return benchInput{u32: v, size: 4 * len(v)}
}

// benchVarints and benchPacked are the encodings of benchValues64 and benchValues32.
func benchVarints(n int) []byte { return binpipe.VarintEncode(nil, benchValues64(n).u64) }
func benchPacked(n int) []byte {
	out, _ := binpipe.Bitpack(nil, benchValues32(n).u32, 12)
	return out
}

var castagnoliTable = crc32.MakeTable(crc32.Castagnoli)

// benchCases is every kernel of the table.
var benchCases = []benchCase{
	{"crc32c", bytesInput(benchRandom), func(e *binpipe.Engine, in benchInput) (any, error) {
		v, err := e.CRC32C(in.b, 0)
		return v, err
	}, "hash/crc32", func(in benchInput) { crc32.Checksum(in.b, castagnoliTable) }},
	{"crc32", bytesInput(benchRandom), func(e *binpipe.Engine, in benchInput) (any, error) {
		v, err := e.CRC32(in.b, 0)
		return v, err
	}, "hash/crc32", func(in benchInput) { crc32.ChecksumIEEE(in.b) }},
	{"xxh3", bytesInput(benchRandom), func(e *binpipe.Engine, in benchInput) (any, error) {
		v, err := e.XXH3(in.b, 0)
		return v, err
	}, "", nil},
	{"count-byte", bytesInput(benchRandom), func(e *binpipe.Engine, in benchInput) (any, error) {
		v, err := e.CountByte(in.b, 0x5a)
		return v, err
	}, "bytes.Count", func(in benchInput) { bytes.Count(in.b, []byte{0x5a}) }},
	{"find-any", bytesInput(benchText), func(e *binpipe.Engine, in benchInput) (any, error) {
		v, err := e.FindAny(in.b, []byte("\x00\x01\x02"))
		return v, err
	}, "bytes.IndexAny", func(in benchInput) { bytes.IndexAny(in.b, "\x00\x01\x02") }},
	{"utf8-validate", bytesInput(benchText), func(e *binpipe.Engine, in benchInput) (any, error) {
		return nil, e.UTF8Validate(in.b)
	}, "utf8.Valid", func(in benchInput) { utf8.Valid(in.b) }},
	{"hex-encode", bytesInput(benchRandom), func(e *binpipe.Engine, in benchInput) (any, error) {
		return keep(in.out)(e.HexEncode((*in.out)[:0], in.b, false))
	}, "hex.AppendEncode", func(in benchInput) { *in.out = hex.AppendEncode((*in.out)[:0], in.b) }},
	{"hex-decode", bytesInput(benchHex), func(e *binpipe.Engine, in benchInput) (any, error) {
		return keep(in.out)(e.HexDecode((*in.out)[:0], in.b))
	}, "hex.AppendDecode", func(in benchInput) { *in.out, _ = hex.AppendDecode((*in.out)[:0], in.b) }},
	{"base64-encode", bytesInput(benchRandom), func(e *binpipe.Engine, in benchInput) (any, error) {
		return keep(in.out)(e.Base64Encode((*in.out)[:0], in.b, binpipe.AlphabetStandard, true))
	}, "encoding/base64", func(in benchInput) { *in.out = base64.StdEncoding.AppendEncode((*in.out)[:0], in.b) }},
	{"base64-decode", bytesInput(benchBase64), func(e *binpipe.Engine, in benchInput) (any, error) {
		return keep(in.out)(e.Base64Decode((*in.out)[:0], in.b, binpipe.AlphabetStandard, true))
	}, "encoding/base64", func(in benchInput) { *in.out, _ = base64.StdEncoding.AppendDecode((*in.out)[:0], in.b) }},
	{"shuffle:8", bytesInput(benchRandom), func(e *binpipe.Engine, in benchInput) (any, error) {
		return keep(in.out)(e.Shuffle((*in.out)[:0], in.b, 8))
	}, "", nil},
	{"unshuffle:8", bytesInput(benchRandom), func(e *binpipe.Engine, in benchInput) (any, error) {
		return keep(in.out)(e.Unshuffle((*in.out)[:0], in.b, 8))
	}, "", nil},
	{"delta-encode:8", bytesInput(benchRandom), func(e *binpipe.Engine, in benchInput) (any, error) {
		return keep(in.out)(e.DeltaEncode((*in.out)[:0], in.b, 8))
	}, "", nil},
	{"byteswap:4", bytesInput(benchRandom), func(e *binpipe.Engine, in benchInput) (any, error) {
		return keep(in.out)(e.Byteswap((*in.out)[:0], in.b, 4))
	}, "", nil},
	{"extract-field:32,16,8", bytesInput(benchRandom), func(e *binpipe.Engine, in benchInput) (any, error) {
		return keep(in.out)(e.ExtractField((*in.out)[:0], in.b, 32, 16, 8))
	}, "", nil},
	{"varint-encode", benchValues64, func(e *binpipe.Engine, in benchInput) (any, error) {
		return keep(in.out)(e.VarintEncode((*in.out)[:0], in.u64))
	}, "binary.AppendUvarint", func(in benchInput) {
		out := (*in.out)[:0]
		for _, v := range in.u64 {
			out = binary.AppendUvarint(out, v)
		}
		*in.out = out
	}},
	{"varint-decode", bytesInput(benchVarints), func(e *binpipe.Engine, in benchInput) (any, error) {
		return keep(in.out64)(e.VarintDecode((*in.out64)[:0], in.b))
	}, "binary.Uvarint", func(in benchInput) {
		for b := in.b; len(b) > 0; {
			_, n := binary.Uvarint(b)
			if n <= 0 {
				return
			}
			b = b[n:]
		}
	}},
	{"bitpack:12", benchValues32, func(e *binpipe.Engine, in benchInput) (any, error) {
		return keep(in.out)(e.Bitpack((*in.out)[:0], in.u32, 12))
	}, "", nil},
	{"bitunpack:12", bytesInput(benchPacked), func(e *binpipe.Engine, in benchInput) (any, error) {
		return keep(in.out32)(e.Bitunpack((*in.out32)[:0], in.b, 12, len(in.b)*8/12))
	}, "", nil},
}
