package bench

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"math"
	"math/bits"
	"testing"
	"unicode/utf8"

	binpipe "github.com/binpipe/binpipe/go-host"
	"github.com/parquet-go/bitpack"
	"github.com/segmentio/asm/ascii"
	sbase64 "github.com/segmentio/asm/base64"
	"github.com/segmentio/asm/bswap"
	sutf8 "github.com/segmentio/asm/utf8"
	"github.com/zeebo/xxh3"
)

// BenchmarkPeers runs every kernel's package-level binpipe function (BackendAuto: the hybrid
// dispatch of thresholds.go) side by side with the best no-cgo Go implementations at 4 KiB,
// 64 KiB and 1 MiB. Sub-benchmarks are named <kernel>/<size>/<impl>, impl being "binpipe" or
// the peer's short name, as tools/bench-chart.py expects; MB/s counts the kernel's input
// bytes (for varint-encode, bitpack and bitunpack: the bytes of the uint64/uint32 values).
//
//	go test -run '^$' -bench BenchmarkPeers -benchtime 200ms -count 3 | tee /tmp/peers.txt
//	python3 ../../tools/bench-chart.py /tmp/peers.txt ../../docs/benchmarks-go.svg
func BenchmarkPeers(b *testing.B) {
	for _, k := range kernelCases {
		b.Run(k.name, func(b *testing.B) {
			for _, n := range []int{4 << 10, 64 << 10, 1 << 20} {
				impls := k.setup(api{}, n)
				for _, im := range impls {
					im.run() // warm up: compile the module, fill the pool, grow dst
					b.Run(sizeName(n)+"/"+im.name, func(b *testing.B) {
						b.SetBytes(int64(n))
						for b.Loop() {
							im.run()
						}
					})
				}
			}
		})
	}
}

// TestPeersAgree checks that every peer computes binpipe's answer on the benchmark inputs, so
// that the benchmark compares equal work.
func TestPeersAgree(t *testing.T) {
	for _, k := range kernelCases {
		for _, n := range []int{4 << 10, 64 << 10} {
			impls := k.setup(api{}, n)
			impls[0].run()
			want := bytes.Clone(impls[0].out())
			for _, im := range impls[1:] {
				im.run()
				if got := im.out(); !bytes.Equal(got, want) {
					t.Errorf("%s/%s/%s: answer differs from binpipe's (%d vs %d bytes)", k.name, sizeName(n), im.name, len(got), len(want))
				}
			}
		}
	}
}

func sizeName(n int) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%dMiB", n>>20)
	}
	return fmt.Sprintf("%dKiB", n>>10)
}

// impl is one implementation of a kernel on one prepared input: run computes the answer into
// state captured by the closures, out returns the last answer as bytes.
type impl struct {
	name string
	run  func()
	out  func() []byte
}

// kernelCase prepares a kernel's n-byte input and returns its implementations, binpipe first.
type kernelCase struct {
	name  string
	setup func(bp api, n int) []impl
}

// scalarImpl wraps an implementation whose answer is one integer.
func scalarImpl[T ~int | ~uint32 | ~uint64](name string, f func() T) impl {
	var v T
	return impl{name, func() { v = f() }, func() []byte { return word(v) }}
}

// bytesImpl wraps an implementation that appends its answer to a reused buffer.
func bytesImpl(name string, capacity int, f func(dst []byte) []byte) impl {
	dst := make([]byte, 0, capacity)
	return impl{name, func() { dst = f(dst[:0]) }, func() []byte { return dst }}
}

// inPlaceImpl is an implementation that swaps its own copy of d in place: each run swaps the
// buffer back and forth, and out reports the swapped state.
func inPlaceImpl(name string, d []byte, swap func(buf []byte)) impl {
	buf, swapped := bytes.Clone(d), false
	return impl{name, func() { swap(buf); swapped = !swapped }, func() []byte {
		if !swapped {
			swap(buf)
			swapped = true
		}
		return buf
	}}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func boolWord(ok bool) int {
	if ok {
		return 1
	}
	return 0
}

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

const seed = 0x9E3779B97F4A7C15

// csvNeedles are the bytes a CSV scanner stops at.
var csvNeedles = []byte(",\"\r\n")

var kernelCases = []kernelCase{
	{"crc32", func(bp api, n int) []impl {
		d := data(n)
		return []impl{
			scalarImpl("binpipe", func() uint32 { return bp.CRC32(d, 0) }),
			scalarImpl("hash-crc32", func() uint32 { return crc32.ChecksumIEEE(d) }),
		}
	}},
	{"crc32c", func(bp api, n int) []impl {
		d := data(n)
		return []impl{
			scalarImpl("binpipe", func() uint32 { return bp.CRC32C(d, 0) }),
			scalarImpl("hash-crc32", func() uint32 { return crc32.Checksum(d, castagnoli) }),
		}
	}},
	{"xxh3", func(bp api, n int) []impl {
		d := data(n)
		return []impl{
			scalarImpl("binpipe", func() uint64 { return bp.XXH3(d, seed) }),
			scalarImpl("zeebo-xxh3", func() uint64 { return xxh3.HashSeed(d, seed) }),
		}
	}},
	{"find-byte", func(bp api, n int) []impl {
		d := words(n, '\n')
		return []impl{
			scalarImpl("binpipe", func() int { return bp.FindByte(d, '\n') }),
			scalarImpl("bytes-indexbyte", func() int { return bytes.IndexByte(d, '\n') }),
		}
	}},
	{"find-any", func(bp api, n int) []impl {
		d := words(n, ',')
		var set [256]bool
		for _, c := range csvNeedles {
			set[c] = true
		}
		return []impl{
			scalarImpl("binpipe", func() int { return must(bp.FindAny(d, csvNeedles)) }),
			// bytes.IndexAny takes UTF-8 runes; with ASCII needles and more than 8 bytes of
			// input it scans bytes against an ASCII bit set.
			scalarImpl("bytes-indexany", func() int { return bytes.IndexAny(d, string(csvNeedles)) }),
			scalarImpl("table-loop", func() int {
				for i, c := range d {
					if set[c] {
						return i
					}
				}
				return -1
			}),
		}
	}},
	{"count-byte", func(bp api, n int) []impl {
		d := text(n)
		return []impl{
			scalarImpl("binpipe", func() int { return bp.CountByte(d, '\n') }),
			scalarImpl("bytes-count", func() int { return bytes.Count(d, []byte{'\n'}) }),
		}
	}},
	{"index-byte", func(bp api, n int) []impl {
		d := text(n)
		positions := func(name string, f func(dst []uint32) []uint32) impl {
			dst := make([]uint32, 0, n)
			return impl{name, func() { dst = f(dst[:0]) }, func() []byte { return bytesOf(dst) }}
		}
		return []impl{
			positions("binpipe", func(dst []uint32) []uint32 { return must(bp.IndexByte(dst, d, '\n')) }),
			positions("bytes-indexbyte-loop", func(dst []uint32) []uint32 {
				for i := 0; ; {
					j := bytes.IndexByte(d[i:], '\n')
					if j < 0 {
						return dst
					}
					i += j
					dst = append(dst, uint32(i))
					i++
				}
			}),
			positions("go-loop", func(dst []uint32) []uint32 {
				for i, c := range d {
					if c == '\n' {
						dst = append(dst, uint32(i))
					}
				}
				return dst
			}),
		}
	}},
	{"mismatch", func(bp api, n int) []impl {
		a := data(n)
		c := bytes.Clone(a)
		c[n-1] ^= 1
		return []impl{
			scalarImpl("binpipe", func() int { return bp.Mismatch(a, c) }),
			scalarImpl("bytes-equal-chunks", func() int { return mismatchEqual(a, c) }),
			scalarImpl("word-loop", func() int { return mismatchWords(a, c) }),
		}
	}},
	{"utf8-ascii", func(bp api, n int) []impl { return utf8Impls(bp, text(n)) }},
	{"utf8-mixed", func(bp api, n int) []impl { return utf8Impls(bp, mixedUTF8(n)) }},
	{"ascii-prefix", func(bp api, n int) []impl {
		d := text(n)
		return []impl{
			scalarImpl("binpipe", func() int { return bp.ASCIIPrefix(d) }),
			// ascii.Valid answers only whether all of d is ASCII: the same scan on ASCII input.
			scalarImpl("segmentio-ascii", func() int { return boolWord(ascii.Valid(d)) * len(d) }),
			scalarImpl("word-loop", func() int { return asciiPrefixWords(d) }),
		}
	}},
	{"hex-encode", func(bp api, n int) []impl {
		d := data(n)
		return []impl{
			bytesImpl("binpipe", 2*n, func(dst []byte) []byte { return bp.HexEncode(dst, d, false) }),
			bytesImpl("encoding-hex", 2*n, func(dst []byte) []byte { return hex.AppendEncode(dst, d) }),
		}
	}},
	{"hex-decode", func(bp api, n int) []impl {
		d := hexText(n)
		return []impl{
			bytesImpl("binpipe", n/2, func(dst []byte) []byte { return must(bp.HexDecode(dst, d)) }),
			bytesImpl("encoding-hex", n/2, func(dst []byte) []byte { return must(hex.AppendDecode(dst, d)) }),
		}
	}},
	{"base64-encode", func(bp api, n int) []impl {
		d := data(n)
		m := base64.StdEncoding.EncodedLen(n)
		return []impl{
			bytesImpl("binpipe", m, func(dst []byte) []byte {
				return bp.Base64Encode(dst, d, binpipe.AlphabetStandard, true)
			}),
			bytesImpl("encoding-base64", m, func(dst []byte) []byte { return base64.StdEncoding.AppendEncode(dst, d) }),
			bytesImpl("segmentio-base64", m, func(dst []byte) []byte {
				dst = dst[:m]
				sbase64.StdEncoding.Encode(dst, d)
				return dst
			}),
		}
	}},
	{"base64-decode", func(bp api, n int) []impl {
		d := base64Text(n)
		m := base64.StdEncoding.DecodedLen(n)
		strict := base64.StdEncoding.Strict()
		sstrict := sbase64.StdEncoding.Strict()
		return []impl{
			bytesImpl("binpipe", m, func(dst []byte) []byte {
				return must(bp.Base64Decode(dst, d, binpipe.AlphabetStandard, true))
			}),
			bytesImpl("encoding-base64", m, func(dst []byte) []byte { return must(strict.AppendDecode(dst, d)) }),
			bytesImpl("segmentio-base64", m, func(dst []byte) []byte {
				return dst[:must(sstrict.Decode(dst[:m], d))]
			}),
		}
	}},
	{"varint-encode", func(bp api, n int) []impl {
		v := varintValues(n)
		m := 2 * n // 10/8 of the values' bytes at most
		return []impl{
			bytesImpl("binpipe", m, func(dst []byte) []byte { return bp.VarintEncode(dst, v) }),
			bytesImpl("encoding-binary", m, func(dst []byte) []byte {
				for _, x := range v {
					dst = binary.AppendUvarint(dst, x)
				}
				return dst
			}),
		}
	}},
	{"varint-decode", func(bp api, n int) []impl {
		d := varintStream(n)
		decoded := func(name string, f func(dst []uint64) []uint64) impl {
			dst := make([]uint64, 0, n)
			return impl{name, func() { dst = f(dst[:0]) }, func() []byte { return bytesOf(dst) }}
		}
		return []impl{
			decoded("binpipe", func(dst []uint64) []uint64 { return must(bp.VarintDecode(dst, d)) }),
			decoded("encoding-binary", func(dst []uint64) []uint64 {
				for i := 0; i < len(d); {
					x, k := binary.Uvarint(d[i:])
					if k <= 0 {
						panic("bad varint")
					}
					dst = append(dst, x)
					i += k
				}
				return dst
			}),
		}
	}},
	{"shuffle-4", func(bp api, n int) []impl { return shuffleImpls(bp, n, 4, false) }},
	{"shuffle-8", func(bp api, n int) []impl { return shuffleImpls(bp, n, 8, false) }},
	{"unshuffle-4", func(bp api, n int) []impl { return shuffleImpls(bp, n, 4, true) }},
	{"unshuffle-8", func(bp api, n int) []impl { return shuffleImpls(bp, n, 8, true) }},
	{"delta-encode", func(bp api, n int) []impl {
		d := timestamps(n)
		return []impl{
			bytesImpl("binpipe", n, func(dst []byte) []byte { return must(bp.DeltaEncode(dst, d, 8)) }),
			bytesImpl("go-loop", n, func(dst []byte) []byte {
				dst = dst[:n]
				var prev uint64
				for i := 0; i+8 <= n; i += 8 {
					x := binary.LittleEndian.Uint64(d[i:])
					binary.LittleEndian.PutUint64(dst[i:], x-prev)
					prev = x
				}
				return dst
			}),
		}
	}},
	{"delta-decode", func(bp api, n int) []impl {
		d := must(binpipe.DeltaEncode(nil, timestamps(n), 8))
		return []impl{
			bytesImpl("binpipe", n, func(dst []byte) []byte { return must(bp.DeltaDecode(dst, d, 8)) }),
			bytesImpl("go-loop", n, func(dst []byte) []byte {
				dst = dst[:n]
				var sum uint64
				for i := 0; i+8 <= n; i += 8 {
					sum += binary.LittleEndian.Uint64(d[i:])
					binary.LittleEndian.PutUint64(dst[i:], sum)
				}
				return dst
			}),
		}
	}},
	{"byteswap", func(bp api, n int) []impl {
		d := data(n)
		return []impl{
			bytesImpl("binpipe", n, func(dst []byte) []byte { return must(bp.Byteswap(dst, d, 8)) }),
			bytesImpl("go-loop", n, func(dst []byte) []byte {
				dst = dst[:n]
				for i := 0; i+8 <= n; i += 8 {
					binary.LittleEndian.PutUint64(dst[i:], binary.BigEndian.Uint64(d[i:]))
				}
				return dst
			}),
		}
	}},
	// In place, where segmentio/asm's AVX2 bswap works: binpipe's Byteswap(buf[:0], buf, 8).
	{"byteswap-in-place", func(bp api, n int) []impl {
		d := data(n)
		return []impl{
			inPlaceImpl("binpipe", d, func(buf []byte) { must(bp.Byteswap(buf[:0], buf, 8)) }),
			inPlaceImpl("segmentio-bswap", d, bswap.Swap64),
			inPlaceImpl("go-loop", d, func(buf []byte) {
				for i := 0; i+8 <= len(buf); i += 8 {
					binary.LittleEndian.PutUint64(buf[i:], binary.BigEndian.Uint64(buf[i:]))
				}
			}),
		}
	}},
	{"bitpack", func(bp api, n int) []impl {
		v := values17(n)
		m := (len(v)*17 + 7) / 8
		return []impl{
			bytesImpl("binpipe", m, func(dst []byte) []byte { return must(bp.Bitpack(dst, v, 17)) }),
			bytesImpl("parquet-bitpack", m, func(dst []byte) []byte {
				dst = dst[:m]
				bitpack.Pack(dst, v, 17)
				return dst
			}),
			bytesImpl("go-loop", m, func(dst []byte) []byte { return packLoop(dst, v, 17) }),
		}
	}},
	{"bitunpack", func(bp api, n int) []impl {
		count := n / 4
		packed := must(binpipe.Bitpack(nil, values17(n), 17))
		padded := append(bytes.Clone(packed), make([]byte, bitpack.PaddingInt32)...)
		unpacked := func(name string, f func(dst []uint32) []uint32) impl {
			dst := make([]uint32, 0, count)
			return impl{name, func() { dst = f(dst[:0]) }, func() []byte { return bytesOf(dst) }}
		}
		return []impl{
			unpacked("binpipe", func(dst []uint32) []uint32 { return must(bp.Bitunpack(dst, packed, 17, count)) }),
			// parquet-go's unpacker reads up to PaddingInt32 bytes past the packed data.
			unpacked("parquet-bitpack", func(dst []uint32) []uint32 {
				dst = dst[:count]
				bitpack.Unpack(dst, padded, 17)
				return dst
			}),
			unpacked("go-loop", func(dst []uint32) []uint32 { return unpackLoop(dst, packed, 17, count) }),
		}
	}},
	{"extract-field", func(bp api, n int) []impl {
		d := data(n) // 16-byte records; the field is bytes 4..12 of each
		m := n / 16 * 8
		return []impl{
			bytesImpl("binpipe", m, func(dst []byte) []byte { return must(bp.ExtractField(dst, d, 16, 4, 8)) }),
			bytesImpl("go-loop", m, func(dst []byte) []byte {
				dst = dst[:m]
				for r, j := 0, 0; r+16 <= n; r, j = r+16, j+8 {
					binary.LittleEndian.PutUint64(dst[j:], binary.LittleEndian.Uint64(d[r+4:]))
				}
				return dst
			}),
		}
	}},
	{"compare", func(bp api, n int) []impl {
		col := temperatures(n)
		m := (n/8 + 7) / 8
		return []impl{
			bytesImpl("binpipe", m, func(dst []byte) []byte {
				return must(bp.Compare(dst, col, binpipe.F64, binpipe.Gt, binpipe.Float(30)))
			}),
			bytesImpl("go-loop", m, func(dst []byte) []byte { return compareLoop(dst, f64s(col), 30) }),
		}
	}},
	{"select", func(bp api, n int) []impl {
		col := data(n) // 8-byte ids
		// The rows of the compare case: about 40% of the bits set, at random.
		bitmap := must(binpipe.Compare(nil, temperatures(n), binpipe.F64, binpipe.Gt, binpipe.Float(30)))
		return []impl{
			bytesImpl("binpipe", n, func(dst []byte) []byte { return must(bp.Select(dst, col, 8, bitmap)) }),
			bytesImpl("go-loop", n, func(dst []byte) []byte { return selectLoop(dst, col, bitmap) }),
		}
	}},
	{"aggregate", func(bp api, n int) []impl {
		col := temperatures(n)
		stats := func(name string, f func() binpipe.Stats) impl {
			var s binpipe.Stats
			return impl{name, func() { s = f() }, func() []byte { return []byte(fmt.Sprint(s)) }}
		}
		return []impl{
			stats("binpipe", func() binpipe.Stats { return must(bp.Aggregate(col, binpipe.F64)) }),
			stats("go-loop", func() binpipe.Stats { return aggregateLoop(f64s(col)) }),
		}
	}},
}

func utf8Impls(bp api, d []byte) []impl {
	return []impl{
		scalarImpl("binpipe", func() int { return boolWord(bp.UTF8Validate(d) == nil) }),
		scalarImpl("unicode-utf8", func() int { return boolWord(utf8.Valid(d)) }),
		scalarImpl("segmentio-utf8", func() int { return boolWord(sutf8.Valid(d)) }),
	}
}

// shuffleImpls: binpipe's Shuffle or Unshuffle against parquet-go's BYTE_STREAM_SPLIT and the
// plain Go loop.
func shuffleImpls(bp api, n, es int, inverse bool) []impl {
	d := data(n)
	f32out := make([]float32, 0, n/4)
	f64out := make([]float64, 0, n/8)
	var parquet impl
	switch {
	case !inverse && es == 4:
		parquet = bytesImpl("parquet-go", n, func(dst []byte) []byte { return must(bss.EncodeFloat(dst, f32s(d))) })
	case !inverse:
		parquet = bytesImpl("parquet-go", n, func(dst []byte) []byte { return must(bss.EncodeDouble(dst, f64s(d))) })
	case es == 4:
		parquet = impl{"parquet-go", func() { f32out = must(bss.DecodeFloat(f32out[:0], d)) }, func() []byte { return bytesOf(f32out) }}
	default:
		parquet = impl{"parquet-go", func() { f64out = must(bss.DecodeDouble(f64out[:0], d)) }, func() []byte { return bytesOf(f64out) }}
	}
	if inverse {
		return []impl{
			bytesImpl("binpipe", n, func(dst []byte) []byte { return must(bp.Unshuffle(dst, d, es)) }),
			parquet,
			bytesImpl("go-loop", n, func(dst []byte) []byte { return unshuffleLoop(dst[:n], d, es) }),
		}
	}
	return []impl{
		bytesImpl("binpipe", n, func(dst []byte) []byte { return must(bp.Shuffle(dst, d, es)) }),
		parquet,
		bytesImpl("go-loop", n, func(dst []byte) []byte { return shuffleLoop(dst[:n], d, es) }),
	}
}

func shuffleLoop(dst, src []byte, es int) []byte {
	m := len(src) / es
	for i := range m {
		e := src[i*es : i*es+es]
		for j, c := range e {
			dst[j*m+i] = c
		}
	}
	return dst
}

func unshuffleLoop(dst, src []byte, es int) []byte {
	m := len(src) / es
	for i := range m {
		e := dst[i*es : i*es+es]
		for j := range e {
			e[j] = src[j*m+i]
		}
	}
	return dst
}

// mismatchEqual compares 256-byte chunks with bytes.Equal (assembly), then the differing chunk
// byte by byte.
func mismatchEqual(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for ; i+256 <= n && bytes.Equal(a[i:i+256], b[i:i+256]); i += 256 {
	}
	for ; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return n
	}
	return -1
}

// mismatchWords compares 8 bytes at a time.
func mismatchWords(a, b []byte) int {
	n := min(len(a), len(b))
	i := 0
	for ; i+8 <= n; i += 8 {
		if x := binary.LittleEndian.Uint64(a[i:]) ^ binary.LittleEndian.Uint64(b[i:]); x != 0 {
			return i + bits.TrailingZeros64(x)/8
		}
	}
	for ; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return n
	}
	return -1
}

// asciiPrefixWords tests 8 bytes at a time for a high bit.
func asciiPrefixWords(d []byte) int {
	i := 0
	for ; i+8 <= len(d); i += 8 {
		if x := binary.LittleEndian.Uint64(d[i:]) & 0x8080808080808080; x != 0 {
			return i + bits.TrailingZeros64(x)/8
		}
	}
	for ; i < len(d) && d[i] < 0x80; i++ {
	}
	return i
}

// packLoop packs values through a 64-bit accumulator, 4 bytes at a time.
func packLoop(dst []byte, v []uint32, w uint) []byte {
	var acc uint64
	var have uint
	for _, x := range v {
		acc |= uint64(x) << have
		have += w
		if have >= 32 {
			dst = binary.LittleEndian.AppendUint32(dst, uint32(acc))
			acc >>= 32
			have -= 32
		}
	}
	for ; have > 0; have -= min(have, 8) {
		dst = append(dst, byte(acc))
		acc >>= 8
	}
	return dst
}

// unpackLoop reads each value from an unaligned 64-bit load at its first byte.
func unpackLoop(dst []uint32, src []byte, w uint, count int) []uint32 {
	mask := uint64(1)<<w - 1
	bit := uint(0)
	i := 0
	for ; i < count && int(bit/8)+8 <= len(src); i, bit = i+1, bit+w {
		dst = append(dst, uint32(binary.LittleEndian.Uint64(src[bit/8:])>>(bit%8)&mask))
	}
	for ; i < count; i, bit = i+1, bit+w {
		var x uint64
		for k := uint(0); k < w; k++ {
			b := bit + k
			x |= uint64(src[b/8]>>(b%8)&1) << k
		}
		dst = append(dst, uint32(x))
	}
	return dst
}

func b2u(b bool) byte {
	if b {
		return 1
	}
	return 0
}

// compareLoop builds the bitmap of x > v a byte (8 elements) at a time, branch-free.
func compareLoop(dst []byte, col []float64, v float64) []byte {
	i := 0
	for ; i+8 <= len(col); i += 8 {
		c := col[i : i+8 : i+8]
		dst = append(dst, b2u(c[0] > v)|b2u(c[1] > v)<<1|b2u(c[2] > v)<<2|b2u(c[3] > v)<<3|
			b2u(c[4] > v)<<4|b2u(c[5] > v)<<5|b2u(c[6] > v)<<6|b2u(c[7] > v)<<7)
	}
	if i < len(col) {
		var m byte
		for j, x := range col[i:] {
			m |= b2u(x > v) << j
		}
		dst = append(dst, m)
	}
	return dst
}

// selectLoop appends the 8-byte elements whose bit is set, walking the set bits of each
// bitmap word.
func selectLoop(dst, col []byte, bitmap []byte) []byte {
	n := len(col) / 8
	for w := 0; w*64 < n; w++ {
		var m uint64
		if w*8+8 <= len(bitmap) {
			m = binary.LittleEndian.Uint64(bitmap[w*8:])
		} else {
			for k, c := range bitmap[w*8:] {
				m |= uint64(c) << (8 * k)
			}
		}
		for ; m != 0; m &= m - 1 {
			i := w*64 + bits.TrailingZeros64(m)
			dst = append(dst, col[i*8:i*8+8]...)
		}
	}
	return dst
}

// aggregateLoop computes the Stats of a float64 column as binpipe defines them: NaNs skipped
// by min and max, -0.0 below +0.0, the sum in 8 lanes combined pairwise.
func aggregateLoop(col []float64) binpipe.Stats {
	var lanes [8]float64
	mn, mx := math.Inf(1), math.Inf(-1)
	seen := false
	for i, x := range col {
		lanes[i&7] += x
		if x != x {
			continue
		}
		seen = true
		if x < mn || x == mn && math.Signbit(x) {
			mn = x
		}
		if x > mx || x == mx && !math.Signbit(x) {
			mx = x
		}
	}
	sum := ((lanes[0] + lanes[1]) + (lanes[2] + lanes[3])) + ((lanes[4] + lanes[5]) + (lanes[6] + lanes[7]))
	s := binpipe.Stats{Count: uint64(len(col)), Sum: binpipe.Float(sum)}
	if seen {
		s.HasMin, s.Min, s.HasMax, s.Max = true, binpipe.Float(mn), true, binpipe.Float(mx)
	}
	return s
}
