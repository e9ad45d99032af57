package bench

import (
	"bytes"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"math"
	"testing"
	"unicode/utf8"
	"unsafe"
)

// Realistic inputs for the kernel benchmarks, n bytes each, deterministic (a 64-bit LCG).

type rng uint64

func (r *rng) next() uint64 {
	*r = *r*6364136223846793005 + 1442695040888963407
	x := uint64(*r)
	return x ^ x>>29
}

func (r *rng) intn(n int) int { return int(r.next()>>33) % n }

// text returns n bytes of lowercase words separated by spaces, with a '\n' ending a line about
// every 64 bytes (lines of 30-100 bytes).
func text(n int) []byte {
	r := rng(7)
	b := make([]byte, 0, n+16)
	lineLen := 30 + r.intn(70)
	for len(b) < n {
		for w := 2 + r.intn(8); w > 0; w-- {
			b = append(b, byte('a'+r.intn(26)))
		}
		if len(b) >= lineLen {
			b = append(b, '\n')
			lineLen = len(b) + 30 + r.intn(70)
		} else {
			b = append(b, ' ')
		}
	}
	return b[:n]
}

// words returns n bytes of lowercase words and spaces only, ending in last: a scan for last (or
// for any byte absent from the text) runs over the whole input.
func words(n int, last byte) []byte {
	b := text(n)
	for i, c := range b {
		if c == '\n' {
			b[i] = ' '
		}
	}
	b[n-1] = last
	return b
}

// mixedUTF8 returns n bytes of valid UTF-8, words in four scripts with ASCII spaces: accented
// Latin (1- and 2-byte sequences), Cyrillic (2), CJK (3) and emoji (4). About 85% of the bytes
// are non-ASCII.
func mixedUTF8(n int) []byte {
	r := rng(11)
	b := make([]byte, 0, n)
	for {
		script := r.intn(4)
		for w := 2 + r.intn(6); w > 0; w-- {
			var c rune
			switch script {
			case 0: // Latin with accents: 'a'..'z' and U+00E0..U+00FF
				if r.intn(2) == 0 {
					c = rune('a' + r.intn(26))
				} else {
					c = rune(0xE0 + r.intn(32))
				}
			case 1: // Cyrillic U+0430..U+044F
				c = rune(0x430 + r.intn(32))
			case 2: // CJK unified ideographs
				c = rune(0x4E00 + r.intn(0x5000))
			default: // emoji U+1F600..U+1F64F
				c = rune(0x1F600 + r.intn(0x50))
			}
			if len(b)+utf8.RuneLen(c)+1 > n { // pad with spaces to exactly n bytes
				for len(b) < n {
					b = append(b, ' ')
				}
				return b
			}
			b = utf8.AppendRune(b, c)
		}
		b = append(b, ' ')
	}
}

// hexText returns n bytes of lowercase hex digits.
func hexText(n int) []byte { return []byte(hex.EncodeToString(data(n / 2))) }

// base64Text returns n bytes (n a multiple of 4) of padded standard base64.
func base64Text(n int) []byte {
	return []byte(base64.StdEncoding.EncodeToString(data(n / 4 * 3)))
}

// varintValues returns n/8 values whose bit lengths are spread uniformly over 1..64, so their
// varints take 1 to 10 bytes (5.2 on average).
func varintValues(n int) []uint64 {
	r := rng(13)
	v := make([]uint64, n/8)
	for i := range v {
		v[i] = r.next() >> r.intn(64)
	}
	return v
}

// varintStream returns exactly n bytes of varints: those of varintValues, then 1-byte ones.
func varintStream(n int) []byte {
	b := make([]byte, 0, n)
	for _, v := range varintValues(n) {
		if len(b)+binary.MaxVarintLen64 > n {
			break
		}
		b = binary.AppendUvarint(b, v)
	}
	for len(b) < n {
		b = append(b, 0x2a)
	}
	return b
}

// timestamps returns n bytes of little-endian uint64 nanosecond timestamps, about 1 ms apart
// with jitter: what delta coding is for.
func timestamps(n int) []byte {
	r := rng(17)
	b := make([]byte, n)
	t := uint64(1_790_000_000_000_000_000)
	for i := 0; i+8 <= n; i += 8 {
		t += 1_000_000 + uint64(r.intn(1000))
		binary.LittleEndian.PutUint64(b[i:], t)
	}
	return b
}

// values17 returns n/4 values below 2^17.
func values17(n int) []uint32 {
	r := rng(19)
	v := make([]uint32, n/4)
	for i := range v {
		v[i] = uint32(r.next() >> 47)
	}
	return v
}

// temperatures returns n bytes of float64 readings uniform in [0, 50).
func temperatures(n int) []byte {
	r := rng(23)
	b := make([]byte, n)
	for i := 0; i+8 <= n; i += 8 {
		binary.LittleEndian.PutUint64(b[i:], math.Float64bits(float64(r.next()>>11)/(1<<53)*50))
	}
	return b
}

func u32s(b []byte) []uint32 { return unsafe.Slice((*uint32)(unsafe.Pointer(&b[0])), len(b)/4) }
func u64s(b []byte) []uint64 { return unsafe.Slice((*uint64)(unsafe.Pointer(&b[0])), len(b)/8) }

// bytesOf views a slice of fixed-size values as its bytes (for comparing answers).
func bytesOf[T uint32 | uint64 | float32 | float64](v []T) []byte {
	if len(v) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(&v[0])), len(v)*int(unsafe.Sizeof(v[0])))
}

// word encodes an integer answer as bytes (for comparing answers).
func word[T ~int | ~uint32 | ~uint64](v T) []byte {
	return binary.LittleEndian.AppendUint64(nil, uint64(v))
}

// TestInputs checks that the generated inputs are what the benchmarks say they are.
func TestInputs(t *testing.T) {
	for _, n := range []int{4 << 10, 64 << 10, 1 << 20} {
		m := mixedUTF8(n)
		if len(m) != n || !utf8.Valid(m) {
			t.Errorf("mixedUTF8(%d): %d bytes, valid %v", n, len(m), utf8.Valid(m))
		}
		lens := map[int]int{}
		for _, r := range string(m) {
			lens[utf8.RuneLen(r)] += utf8.RuneLen(r)
		}
		if lens[1] > n/4 || lens[2] < n/8 || lens[3] < n/8 || lens[4] < n/8 {
			t.Errorf("mixedUTF8(%d): bytes in 1/2/3/4-byte sequences %v", n, lens)
		}
		if v := varintStream(n); len(v) != n {
			t.Errorf("varintStream(%d): %d bytes", n, len(v))
		}
		if d, _ := hex.DecodeString(string(hexText(n))); len(d) != n/2 {
			t.Errorf("hexText(%d) decodes to %d bytes", n, len(d))
		}
		if d, _ := base64.StdEncoding.Strict().DecodeString(string(base64Text(n))); len(d) != n/4*3 {
			t.Errorf("base64Text(%d) decodes to %d bytes", n, len(d))
		}
		if lines := bytes.Count(text(n), []byte{'\n'}); lines < n/100 || lines > n/30 {
			t.Errorf("text(%d): %d lines", n, lines)
		}
		if i := bytes.IndexAny(words(n, ','), string(csvNeedles)); i != n-1 {
			t.Errorf("words(%d, ','): first needle at %d", n, i)
		}
	}
}
