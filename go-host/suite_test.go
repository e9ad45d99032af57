package binpipe_test

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// The suite's differential tests: every kernel on every backend gives the same answer — the
// same output, or the same error kind and offset — on random inputs, random parameters and
// every error path, and matches an independent reference (the standard library, or the
// definition written out here) where one exists.

// verdict is a backend-independent description of one call's outcome.
func verdict(out any, err error) string {
	var ke *binpipe.KernelError
	var ue *binpipe.UTF8Error
	switch {
	case err == nil:
		return fmt.Sprintf("ok %x", out)
	case errors.As(err, &ke):
		return fmt.Sprintf("%s %s at %d", ke.Kernel, ke.Kind, ke.Offset)
	case errors.As(err, &ue):
		return fmt.Sprintf("utf8 %d/%d", ue.ValidUpTo, ue.ErrorLen)
	}
	return "failure: " + err.Error()
}

// kernelCall is one kernel with fixed parameters, run on an engine.
type kernelCall struct {
	name string
	run  func(e *binpipe.Engine) string
	ref  string // the reference verdict, or "" if there is none
}

// mutate returns a copy of b with one byte at a random position set to one of bad.
func mutate(rng *rand.Rand, b []byte, bad string) []byte {
	b = bytes.Clone(b)
	if len(b) > 0 {
		b[rng.IntN(len(b))] = bad[rng.IntN(len(bad))]
	}
	return b
}

// utf8Text is random UTF-8 mixing 1- to 4-byte sequences, possibly broken at one place.
func utf8Text(rng *rand.Rand, n int) []byte {
	var b []byte
	runes := []rune{'a', 'Z', 0x7f, 0xe9, 0x7ff, 0x800, 0x20ac, 0xfffd, 0xffff, 0x10000, 0x1f600, 0x10ffff}
	for len(b) < n {
		b = utf8.AppendRune(b, runes[rng.IntN(len(runes))])
	}
	b = b[:n] // may cut a sequence
	if n > 0 && rng.IntN(3) == 0 {
		b[rng.IntN(n)] = []byte{0x80, 0xbf, 0xc0, 0xc2, 0xe0, 0xed, 0xf0, 0xf4, 0xf5, 0xff}[rng.IntN(10)]
	}
	return b
}

// suiteCalls returns every kernel with random parameters for the input in; the same rng state
// gives the same calls.
func suiteCalls(rng *rand.Rand, in []byte) []kernelCall {
	n := len(in)
	seed32, seed64, needle := rng.Uint32(), rng.Uint64(), byte(rng.IntN(256))
	if n > 0 && rng.IntN(2) == 0 {
		needle = in[rng.IntN(n)]
	}
	needles := make([]byte, 1+rng.IntN(16))
	for i := range needles {
		needles[i] = byte(rng.IntN(256))
	}
	other := bytes.Clone(in)
	if n > 0 && rng.IntN(4) != 0 {
		other[rng.IntN(n)] ^= byte(1 + rng.IntN(255))
	}
	switch rng.IntN(3) {
	case 0:
		other = other[:rng.IntN(n+1)] // a prefix, or a prefix with a difference
	case 1:
		other = append(bytes.Clone(in), in...) // a strict extension
	}
	text := utf8Text(rng, n)
	asciiText := append(bytes.Repeat([]byte{'a'}, n/2), text[:n-n/2]...) // where Auto splits
	upper, pad := rng.IntN(2) == 0, rng.IntN(2) == 0
	alpha := binpipe.Alphabet(rng.IntN(2))
	enc := encoding(alpha, pad)

	hexText := []byte(hex.EncodeToString(in))
	if upper {
		hexText = bytes.ToUpper(hexText)
	}
	badHex := mutate(rng, hexText, "gG/:@`\x00 x")
	b64 := []byte(enc.EncodeToString(in))
	badB64 := mutate(rng, b64, "=*.-_+/ \n")
	values := make([]uint64, n/8)
	for i := range values {
		values[i] = binary.LittleEndian.Uint64(in[8*i:]) >> rng.IntN(64)
	}
	varints := appendUvarints(nil, values)
	badVarints := bytes.Clone(varints)
	switch {
	case len(badVarints) > 0 && rng.IntN(2) == 0:
		badVarints = badVarints[:rng.IntN(len(badVarints))]
		badVarints = append(badVarints, 0x80)
	default:
		badVarints = append(badVarints, bytes.Repeat([]byte{0xff}, 1+rng.IntN(11))...)
		badVarints = append(badVarints, byte(rng.IntN(4)))
	}
	width := []int{1, 2, 4, 8}[rng.IntN(4)]
	bits := rng.IntN(33)
	words := make([]uint32, n/4)
	for i := range words {
		words[i] = binary.LittleEndian.Uint32(in[4*i:])
		if bits < 32 {
			words[i] &= 1<<bits - 1
		}
	}
	if len(words) > 0 && bits < 32 && rng.IntN(4) == 0 {
		words[rng.IntN(len(words))] |= 1 << bits // one value too wide
	}
	count := rng.IntN(n*8/max(bits, 1) + 2)
	rs := 1 + rng.IntN(20)
	fw := 1 + rng.IntN(rs)
	fo := rng.IntN(rs - fw + 1)
	ty := binpipe.ElemType(rng.IntN(10))
	col := in[:n/ty.Width()*ty.Width()]
	op := binpipe.CmpOp(rng.IntN(6))
	value := randomScalar(rng, ty, col)
	bitmap := make([]byte, (len(col)/width+7)/8+rng.IntN(2))
	for i := range bitmap {
		bitmap[i] = byte(rng.IntN(256))
	}
	selCol := in[:n/width*width]
	bitmap = bitmap[:max(0, min(len(bitmap), (len(selCol)/width+7)/8+rng.IntN(2)))]

	b := func(out []byte, err error) string { return verdict(out, err) }
	calls := []kernelCall{
		{"crc32c", func(e *binpipe.Engine) string { return verdict(e.CRC32C(in, seed32)) },
			verdict(crc32.Update(seed32, castagnoli, in), nil)},
		{"crc32", func(e *binpipe.Engine) string { return verdict(e.CRC32(in, seed32)) },
			verdict(crc32.Update(seed32, crc32.IEEETable, in), nil)},
		{"xxh3-64", func(e *binpipe.Engine) string { return verdict(e.XXH3(in, seed64)) }, ""},
		{"count-byte", func(e *binpipe.Engine) string { return verdict(e.CountByte(in, needle)) },
			verdict(bytes.Count(in, []byte{needle}), nil)},
		{"find-byte", func(e *binpipe.Engine) string { return verdict(e.FindByte(in, needle)) },
			verdict(bytes.IndexByte(in, needle), nil)},
		{"find-any", func(e *binpipe.Engine) string { return verdict(e.FindAny(in, needles)) },
			verdict(refFindAny(in, needles), nil)},
		{"index-byte", func(e *binpipe.Engine) string { return verdict(e.IndexByte(nil, in, needle)) },
			verdict(refIndexByte(in, needle), nil)},
		{"mismatch", func(e *binpipe.Engine) string { return verdict(e.Mismatch(in, other)) },
			verdict(refMismatch(in, other), nil)},
		{"mismatch-swapped", func(e *binpipe.Engine) string { return verdict(e.Mismatch(other, in)) },
			verdict(refMismatch(other, in), nil)},
		{"utf8-validate", func(e *binpipe.Engine) string { return verdict(nil, e.UTF8Validate(text)) }, ""},
		{"utf8-validate-ascii-first", func(e *binpipe.Engine) string { return verdict(nil, e.UTF8Validate(asciiText)) }, ""},
		{"utf8-validate-random", func(e *binpipe.Engine) string { return verdict(nil, e.UTF8Validate(in)) }, ""},
		{"ascii-prefix", func(e *binpipe.Engine) string { return verdict(e.ASCIIPrefix(text)) },
			verdict(refASCIIPrefix(text), nil)},
		{"hex-encode", func(e *binpipe.Engine) string { return b(e.HexEncode(nil, in, upper)) },
			verdict(hexText, nil)},
		{"hex-decode", func(e *binpipe.Engine) string { return b(e.HexDecode(nil, hexText)) }, verdict(in, nil)},
		{"hex-decode-bad", func(e *binpipe.Engine) string { return b(e.HexDecode(nil, badHex)) }, refHexDecode(badHex)},
		{"hex-decode-odd", func(e *binpipe.Engine) string { return b(e.HexDecode(nil, hexText[:max(0, 2*n-1)])) }, ""},
		{"base64-encode", func(e *binpipe.Engine) string { return b(e.Base64Encode(nil, in, alpha, pad)) },
			verdict(b64, nil)},
		{"base64-decode", func(e *binpipe.Engine) string { return b(e.Base64Decode(nil, b64, alpha, pad)) },
			verdict(in, nil)},
		{"base64-decode-bad", func(e *binpipe.Engine) string { return b(e.Base64Decode(nil, badB64, alpha, pad)) }, ""},
		{"base64-decode-cut", func(e *binpipe.Engine) string {
			return b(e.Base64Decode(nil, b64[:rng2(n, len(b64))], alpha, pad))
		}, ""},
		{"varint-encode", func(e *binpipe.Engine) string { return b(e.VarintEncode(nil, values)) }, verdict(varints, nil)},
		{"varint-decode", func(e *binpipe.Engine) string { return verdict(e.VarintDecode(nil, varints)) }, verdict(values, nil)},
		{"varint-decode-bad", func(e *binpipe.Engine) string { return verdict(e.VarintDecode(nil, badVarints)) }, ""},
		{"varint-decode-random", func(e *binpipe.Engine) string { return verdict(e.VarintDecode(nil, in)) }, ""},
		{"shuffle", func(e *binpipe.Engine) string { return b(e.Shuffle(nil, in, 1+n%17)) }, verdict(refShuffle(in, 1+n%17), nil)},
		{"unshuffle", func(e *binpipe.Engine) string { return b(e.Unshuffle(nil, in, 1+n%17)) }, verdict(refUnshuffle(in, 1+n%17), nil)},
		{"delta-encode", func(e *binpipe.Engine) string { return b(e.DeltaEncode(nil, in, width)) }, verdict(refDelta(in, width, false), nil)},
		{"delta-decode", func(e *binpipe.Engine) string { return b(e.DeltaDecode(nil, in, width)) }, verdict(refDelta(in, width, true), nil)},
		{"byteswap", func(e *binpipe.Engine) string { return b(e.Byteswap(nil, in, max(width, 2))) }, verdict(refByteswap(in, max(width, 2)), nil)},
		{"bitpack", func(e *binpipe.Engine) string { return b(e.Bitpack(nil, words, bits)) }, refBitpack(words, bits)},
		{"bitunpack", func(e *binpipe.Engine) string { return verdict(e.Bitunpack(nil, in, bits, count)) }, refBitunpack(in, bits, count)},
		{"extract-field", func(e *binpipe.Engine) string { return b(e.ExtractField(nil, in, rs, fo, fw)) },
			verdict(refExtract(in, rs, fo, fw), nil)},
		{"compare", func(e *binpipe.Engine) string { return b(e.Compare(nil, col, ty, op, value)) }, ""},
		{"select", func(e *binpipe.Engine) string { return b(e.Select(nil, selCol, width, bitmap)) }, refSelect(selCol, width, bitmap)},
		{"aggregate", func(e *binpipe.Engine) string {
			s, err := e.Aggregate(col, ty)
			return verdict(fmt.Sprintf("%+v", s), err)
		}, ""},
	}
	return calls
}

// rng2 is a deterministic cut point for base64-decode-cut: anywhere short of the end.
func rng2(n, l int) int {
	if l == 0 {
		return 0
	}
	return (n*7919 + 13) % l
}

func encoding(a binpipe.Alphabet, pad bool) *base64.Encoding {
	enc := base64.StdEncoding
	if a == binpipe.AlphabetURLSafe {
		enc = base64.URLEncoding
	}
	if !pad {
		enc = enc.WithPadding(base64.NoPadding)
	}
	return enc.Strict()
}

func appendUvarints(b []byte, values []uint64) []byte {
	for _, v := range values {
		b = binary.AppendUvarint(b, v)
	}
	return b
}

// randomScalar is a valid value for ty, often one of the column's own elements.
func randomScalar(rng *rand.Rand, ty binpipe.ElemType, col []byte) binpipe.Scalar {
	w := ty.Width()
	var raw uint64
	if len(col) >= w && rng.IntN(2) == 0 {
		i := rng.IntN(len(col) / w)
		for k := w - 1; k >= 0; k-- {
			raw = raw<<8 | uint64(col[i*w+k])
		}
	} else {
		raw = rng.Uint64() >> (64 - 8*w)
	}
	switch ty.Kind() {
	case binpipe.ScalarUnsigned:
		return binpipe.Unsigned(raw)
	case binpipe.ScalarSigned:
		return binpipe.Signed(int64(raw<<(64-8*w)) >> (64 - 8*w))
	}
	if ty == binpipe.F32 {
		return binpipe.Float(float64(math.Float32frombits(uint32(raw))))
	}
	if rng.IntN(4) == 0 {
		return binpipe.Float([]float64{math.NaN(), math.Inf(1), math.Copysign(0, -1), 1e300}[rng.IntN(4)])
	}
	return binpipe.Float(math.Float64frombits(raw))
}

func refFindAny(data, needles []byte) int {
	for i, c := range data {
		if bytes.IndexByte(needles, c) >= 0 {
			return i
		}
	}
	return -1
}

func refIndexByte(data []byte, needle byte) []uint32 {
	var out []uint32
	for i, c := range data {
		if c == needle {
			out = append(out, uint32(i))
		}
	}
	return out
}

func refMismatch(a, b []byte) int {
	for i := 0; i < min(len(a), len(b)); i++ {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return min(len(a), len(b))
	}
	return -1
}

func refASCIIPrefix(b []byte) int {
	for i, c := range b {
		if c >= 0x80 {
			return i
		}
	}
	return len(b)
}

// refHexDecode is the verdict for hex text that has one bad digit (or none).
func refHexDecode(text []byte) string {
	for i, c := range text {
		if !strings.ContainsRune("0123456789abcdefABCDEF", rune(c)) {
			return fmt.Sprintf("hex-decode invalid-data at %d", i)
		}
	}
	out, err := hex.DecodeString(string(text))
	if err != nil {
		return fmt.Sprintf("hex-decode invalid-data at %d", len(text))
	}
	return verdict(out, nil)
}

func le(b []byte, w int) uint64 {
	var v uint64
	for k := w - 1; k >= 0; k-- {
		v = v<<8 | uint64(b[k])
	}
	return v
}

func putLE(b []byte, w int, v uint64) {
	for k := range w {
		b[k] = byte(v >> (8 * k))
	}
}

func refDelta(in []byte, w int, decode bool) []byte {
	out := bytes.Clone(in)
	var prev uint64
	for i := 0; i+w <= len(in); i += w {
		x := le(in[i:], w)
		if decode {
			prev += x
			putLE(out[i:], w, prev)
		} else {
			putLE(out[i:], w, x-prev)
			prev = x
		}
	}
	if out == nil {
		out = []byte{}
	}
	return out
}

func refByteswap(in []byte, w int) []byte {
	out := bytes.Clone(in)
	for i := 0; i+w <= len(in); i += w {
		for k := range w {
			out[i+k] = in[i+w-1-k]
		}
	}
	if out == nil {
		out = []byte{}
	}
	return out
}

func refBitpack(values []uint32, bits int) string {
	out := make([]byte, (len(values)*bits+7)/8)
	for i, v := range values {
		if bits < 32 && v>>bits != 0 {
			return "bitpack invalid-argument at 0"
		}
		for k := range bits {
			if v>>k&1 != 0 {
				p := i*bits + k
				out[p/8] |= 1 << (p % 8)
			}
		}
	}
	return verdict(out, nil)
}

func refBitunpack(in []byte, bits, count int) string {
	if len(in) < (count*bits+7)/8 {
		return fmt.Sprintf("bitunpack invalid-data at %d", len(in))
	}
	var out []uint32
	for i := range count {
		var v uint32
		for k := range bits {
			p := i*bits + k
			v |= uint32(in[p/8]>>(p%8)&1) << k
		}
		out = append(out, v)
	}
	return verdict(out, nil)
}

func refExtract(in []byte, rs, off, w int) []byte {
	out := []byte{}
	for r := 0; (r+1)*rs <= len(in); r++ {
		out = append(out, in[r*rs+off:r*rs+off+w]...)
	}
	return out
}

func refSelect(col []byte, w int, bitmap []byte) string {
	n := len(col) / w
	if len(bitmap) < (n+7)/8 {
		return "select invalid-argument at 0"
	}
	out := []byte{}
	for i := range n {
		if bitmap[i/8]>>(i%8)&1 != 0 {
			out = append(out, col[i*w:(i+1)*w]...)
		}
	}
	return verdict(out, nil)
}

// suiteFailures counts checkSuite's mismatches, to stop a broken run after 20.
var suiteFailures int

// checkSuite runs every kernel on every engine for one input and compares the verdicts.
func checkSuite(t *testing.T, engines []namedEngine, seed uint64, in []byte) {
	t.Helper()
	calls := suiteCalls(rand.New(rand.NewPCG(seed, uint64(len(in)))), in)
	for _, c := range calls {
		want := c.ref
		for _, ne := range engines {
			got := c.run(ne.e)
			if want == "" {
				want = got
			}
			if got != want {
				t.Errorf("%s: %s(len %d, seed %d) = %.200s; want %.200s", ne.name, c.name, len(in), seed, got, want)
				if suiteFailures++; suiteFailures == 20 {
					t.FailNow()
				}
				break
			}
		}
	}
}

// TestDifferentialSuite: every kernel, every backend, lengths 0..150 and larger sizes around
// the vector widths and the dispatch thresholds, random parameters and corruptions. (The
// conformance vectors and TestHammer cover inputs up to 1 MiB.)
func TestDifferentialSuite(t *testing.T) {
	engines := allEngines(t)
	data := splitmix64(5, 64<<10+5)
	for n := 0; n <= 150; n++ {
		for seed := range uint64(2) {
			checkSuite(t, engines, seed, data[:n])
		}
	}
	for _, n := range []int{255, 256, 257, 1000, 4095, 4096, 4097, 16 << 10, 64<<10 + 5} {
		checkSuite(t, engines, 7, data[len(data)-n:])
	}
}

// TestChunkingSuite uses a tiny maximum buffer, so the wasm paths feed the splittable kernels
// (checksums, searches, validation) in many pieces, with matches, differences and UTF-8
// sequences across piece boundaries; the other kernels refuse the input with ErrTooLarge on the
// wasm backends and run in Go under BackendAuto.
func TestChunkingSuite(t *testing.T) {
	engines := allEngines(t, binpipe.WithMaxBufferSize(1000))
	rng := rand.New(rand.NewPCG(3, 4))
	for _, n := range []int{999, 1000, 1001, 2999, 5003} {
		text := utf8Text(rng, n)
		text[n-1] = 'x' // the tail is valid: the only errors are inside
		for _, at := range []int{-1, 997, 998, 999, 1000, 1001, n / 2} {
			in := bytes.Clone(text)
			if at >= 0 && at < n {
				in[at] = 0xff
			}
			other := bytes.Clone(in)
			if at >= 0 && at < n {
				other[at] = 0xfe
			}
			want := []string{verdict(nil, binpipe.UTF8Validate(in)), verdict(refMismatch(in, other), nil),
				verdict(bytes.IndexByte(in, 0xff), nil), verdict(refASCIIPrefix(in), nil)}
			for _, ne := range engines {
				got := []string{verdict(nil, ne.e.UTF8Validate(in)), verdict(ne.e.Mismatch(in, other)),
					verdict(ne.e.FindAny(in, []byte{0xff})), verdict(ne.e.ASCIIPrefix(in))}
				for i := range want {
					if got[i] != want[i] {
						t.Fatalf("%s: len %d, bad byte at %d: kernel %d gave %s, want %s", ne.name, n, at, i, got[i], want[i])
					}
				}
				if ok := utf8.Valid(in); ok != (ne.e.UTF8Validate(in) == nil) {
					t.Fatalf("%s: UTF8Validate disagrees with utf8.Valid at len %d", ne.name, n)
				}
			}
		}
	}
	data := splitmix64(8, 5003)
	for _, ne := range engines {
		idx, err := ne.e.IndexByte(nil, data, 7)
		if err != nil || fmt.Sprint(idx) != fmt.Sprint(refIndexByte(data, 7)) {
			t.Fatalf("%s: chunked IndexByte wrong (%v)", ne.name, err)
		}
		if v, err := ne.e.CRC32(data, 9); err != nil || v != crc32.Update(9, crc32.IEEETable, data) {
			t.Fatalf("%s: chunked CRC32 wrong (%v)", ne.name, err)
		}
		_, err = ne.e.HexEncode(nil, data, false)
		switch ne.e.Backend() {
		case binpipe.BackendWasm, binpipe.BackendCanonical:
			if !errors.Is(err, binpipe.ErrTooLarge) {
				t.Errorf("%s: HexEncode over the maximum buffer: %v, want ErrTooLarge", ne.name, err)
			}
		default:
			if err != nil {
				t.Errorf("%s: HexEncode over the maximum buffer: %v, want a Go fallback", ne.name, err)
			}
		}
	}
}

// TestAppendAliasing checks the append form of every kernel with a []byte result on every
// backend: src placed in dst's spare capacity (in place, and overlapping the appended tail)
// gives the same bytes as separate buffers, and a failing call returns dst unchanged and
// leaves src intact.
func TestAppendAliasing(t *testing.T) {
	type fn func(e *binpipe.Engine, dst, src []byte) ([]byte, error)
	kernels := []struct {
		name string
		f    fn
		good []byte // a valid input
		bad  []byte // an input the kernel refuses, or nil
	}{
		{"hex-encode", func(e *binpipe.Engine, d, s []byte) ([]byte, error) { return e.HexEncode(d, s, true) }, splitmix64(1, 301), nil},
		{"hex-decode", (*binpipe.Engine).HexDecode, []byte(strings.Repeat("c0FfEe", 50)), []byte(strings.Repeat("c0FfEe", 40) + "zz")},
		{"base64-encode", func(e *binpipe.Engine, d, s []byte) ([]byte, error) {
			return e.Base64Encode(d, s, binpipe.AlphabetStandard, true)
		}, splitmix64(2, 301), nil},
		{"base64-decode", func(e *binpipe.Engine, d, s []byte) ([]byte, error) {
			return e.Base64Decode(d, s, binpipe.AlphabetURLSafe, false)
		}, []byte(base64.RawURLEncoding.EncodeToString(splitmix64(3, 301))), []byte("AAAA" + strings.Repeat("_-", 100) + "A")},
		{"shuffle", func(e *binpipe.Engine, d, s []byte) ([]byte, error) { return e.Shuffle(d, s, 3) }, splitmix64(4, 301), nil},
		{"unshuffle", func(e *binpipe.Engine, d, s []byte) ([]byte, error) { return e.Unshuffle(d, s, 8) }, splitmix64(5, 301), nil},
		{"delta-encode", func(e *binpipe.Engine, d, s []byte) ([]byte, error) { return e.DeltaEncode(d, s, 4) }, splitmix64(6, 301), nil},
		{"delta-decode", func(e *binpipe.Engine, d, s []byte) ([]byte, error) { return e.DeltaDecode(d, s, 2) }, splitmix64(7, 301), nil},
		{"byteswap", func(e *binpipe.Engine, d, s []byte) ([]byte, error) { return e.Byteswap(d, s, 8) }, splitmix64(8, 301), nil},
		{"extract-field", func(e *binpipe.Engine, d, s []byte) ([]byte, error) { return e.ExtractField(d, s, 5, 1, 3) }, splitmix64(9, 301), nil},
		{"compare", func(e *binpipe.Engine, d, s []byte) ([]byte, error) {
			return e.Compare(d, s, binpipe.U16, binpipe.Ge, binpipe.Unsigned(0x8000))
		}, splitmix64(10, 300), splitmix64(10, 301)},
		{"select", func(e *binpipe.Engine, d, s []byte) ([]byte, error) { return e.Select(d, s, 1, s) }, splitmix64(11, 300), nil},
	}
	for _, ne := range allEngines(t) {
		for _, k := range kernels {
			want, err := k.f(ne.e, nil, bytes.Clone(k.good))
			if err != nil {
				t.Fatalf("%s %s: %v", ne.name, k.name, err)
			}
			for _, pre := range []int{0, 1, 7, len(k.good)} { // dst's length before the call
				buf := make([]byte, pre+len(k.good), pre+4*len(k.good)+8)
				copy(buf[pre:], k.good)
				for i := range pre {
					buf[i] = byte(i)
				}
				got, err := k.f(ne.e, buf[:min(pre, len(buf))], buf[pre:])
				if err != nil || !bytes.Equal(got[:pre], buf[:pre]) || !bytes.Equal(got[pre:], want) {
					t.Fatalf("%s %s: src in dst's capacity at %d: %v, output differs", ne.name, k.name, pre, err)
				}
			}
			if k.bad == nil {
				continue
			}
			buf := make([]byte, len(k.bad), 4*len(k.bad))
			copy(buf, k.bad)
			dst := buf[:0]
			got, err := k.f(ne.e, dst, buf)
			if err == nil || len(got) != 0 || cap(got) != cap(buf) || &got[:1][0] != &buf[0] || !bytes.Equal(buf, k.bad) {
				t.Fatalf("%s %s: in place on bad input: %v; want an error, dst unchanged and src intact", ne.name, k.name, err)
			}
		}
	}
}
