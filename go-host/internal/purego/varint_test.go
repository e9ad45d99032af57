package purego

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"testing"
)

// varintValues returns n values whose encodings take every length 1..10, mixed.
func varintValues(r *rand.Rand, n int) []uint64 {
	out := make([]uint64, n)
	for i := range out {
		length := 1 + r.IntN(10)
		bitsLen := min(7*length, 64)
		v := r.Uint64() >> (64 - bitsLen)
		if length > 1 {
			v |= 1 << (7 * (length - 1))
		}
		out[i] = v
	}
	return out
}

// stdVarintEncode encodes with encoding/binary, value by value.
func stdVarintEncode(values []uint64) []byte {
	var out []byte
	for _, v := range values {
		out = binary.AppendUvarint(out, v)
	}
	return out
}

func TestVarintCases(t *testing.T) {
	max10 := []byte{0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01}
	for _, tc := range []struct {
		name   string
		values []uint64
		enc    []byte
	}{
		{"empty", nil, nil},
		{"small", []uint64{0, 1, 127}, []byte{0, 1, 0x7F}},
		{"300", []uint64{1, 300}, []byte{0x01, 0xAC, 0x02}},
		{"2^56", []uint64{1 << 56}, []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}},
		{"max", []uint64{1<<64 - 1}, max10},
		{"2^63", []uint64{1 << 63}, []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x01}},
	} {
		if got := VarintEncode(nil, tc.values); !slices.Equal(got, tc.enc) {
			t.Errorf("%s: encode = %x, want %x", tc.name, got, tc.enc)
		}
		got, bad := VarintDecode(nil, tc.enc)
		if bad != -1 || !slices.Equal(got, tc.values) && len(tc.values) > 0 {
			t.Errorf("%s: decode = %v, %d", tc.name, got, bad)
		}
	}
	// Appends to what dst holds.
	if got := VarintEncode([]byte{9}, []uint64{300}); !slices.Equal(got, []byte{9, 0xAC, 0x02}) {
		t.Errorf("append encode = %x", got)
	}
	if got, bad := VarintDecode([]uint64{7}, []byte{1}); bad != -1 || !slices.Equal(got, []uint64{7, 1}) {
		t.Errorf("append decode = %v %d", got, bad)
	}
}

func TestVarintDecodeErrors(t *testing.T) {
	ten := func(tenth byte, tail ...byte) []byte {
		return append(append(slices.Repeat([]byte{0x80}, 9), tenth), tail...)
	}
	for _, tc := range []struct {
		name string
		src  []byte
		want int
	}{
		{"cut", []byte{0x80}, 1},
		{"cut after value", []byte{0x01, 0x80, 0x80}, 3},
		{"nine and cut", slices.Repeat([]byte{0xFF}, 9), 9},
		{"tenth has continuation, at end", ten(0x80), 9},
		{"tenth has continuation, more follows", ten(0x80, 0, 0, 0, 0, 0, 0, 0, 0), 9},
		{"tenth is 2", ten(0x02, 5, 5, 5, 5, 5, 5, 5, 5), 9},
		{"tenth is 7f", ten(0x7F), 9},
		{"after values", append([]byte{0x05, 0x81, 0x01}, slices.Repeat([]byte{0xFF}, 10)...), 12},
		{"long run", slices.Repeat([]byte{0x80}, 40), 9},
	} {
		if _, bad := VarintDecode(nil, tc.src); bad != tc.want {
			t.Errorf("%s: errOffset %d, want %d", tc.name, bad, tc.want)
		}
	}
	// Non-shortest forms of every length are accepted, as are tenth bytes 0 and 1.
	for n := 1; n <= 10; n++ {
		src := append(slices.Repeat([]byte{0x80}, n-1), 0)
		if got, bad := VarintDecode(nil, src); bad != -1 || !slices.Equal(got, []uint64{0}) {
			t.Errorf("%d-byte zero: %v %d", n, got, bad)
		}
	}
	if got, bad := VarintDecode(nil, ten(0x01)); bad != -1 || !slices.Equal(got, []uint64{1 << 63}) {
		t.Errorf("tenth 1: %v %d", got, bad)
	}
}

func TestVarintAgainstStdlib(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for n := range 400 {
		values := varintValues(r, n)
		// Mostly small values too: runs of one-byte varints.
		if n%2 == 1 {
			for i := range values {
				if r.IntN(8) != 0 {
					values[i] &= 0x7F
				}
			}
		}
		want := stdVarintEncode(values)
		got := VarintEncode(nil, values)
		if !slices.Equal(got, want) {
			t.Fatalf("n %d: encode differs from binary.AppendUvarint", n)
		}
		dec, bad := VarintDecode(nil, want)
		if bad != -1 || !slices.Equal(dec, values) && n > 0 {
			t.Fatalf("n %d: decode = %d, bad %d", n, len(dec), bad)
		}
	}
}

// TestVarintCorruptedEverywhere checks every error offset against binary.Uvarint, read with
// the kernel's rule: Uvarint reports a continuation bit on the tenth byte at the eleventh byte
// (or as truncation at the end of the input); the kernel reports it at the tenth.
func TestVarintCorruptedEverywhere(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	base := stdVarintEncode(varintValues(r, 60))
	for pos := range base {
		for _, b := range []byte{base[pos] | 0x80, 0x02, 0xFF, 0x80, 0x00} {
			src := slices.Clone(base)
			src[pos] = b
			want, wantBad := refDecode(src)
			got, bad := VarintDecode(nil, src)
			if bad != wantBad || bad == -1 && !slices.Equal(got, want) {
				t.Fatalf("pos %d byte %#x: errOffset %d, want %d", pos, b, bad, wantBad)
			}
		}
	}
}

// refDecode decodes with binary.Uvarint, translating its errors to the kernel's offsets.
func refDecode(src []byte) ([]uint64, int) {
	var out []uint64
	for i := 0; i < len(src); {
		v, n := binary.Uvarint(src[i:])
		switch {
		case n > 0:
			out = append(out, v)
			i += n
		case n == 0 && len(src)-i < 10:
			return out, len(src) // cut off before a tenth byte
		default:
			// Overflow (Uvarint: -(k+1) at the 11th byte), or ten bytes whose tenth has its
			// continuation bit and nothing after (Uvarint: truncated): the tenth byte.
			return out, i + 9
		}
	}
	return out, -1
}

func FuzzVarintDecode(f *testing.F) {
	f.Add([]byte{0x01, 0xAC, 0x02})
	f.Add(slices.Repeat([]byte{0x80}, 12))
	f.Fuzz(func(t *testing.T, src []byte) {
		want, wantBad := refDecode(src)
		got, bad := VarintDecode(nil, src)
		if bad != wantBad || bad == -1 && !slices.Equal(got, want) {
			t.Fatalf("%x: got %v %d, want %v %d", src, got, bad, want, wantBad)
		}
		if bad == -1 && !slices.Equal(VarintEncode(nil, got), stdVarintEncode(got)) {
			t.Fatal("re-encode differs")
		}
	})
}

func BenchmarkVarintDecode(b *testing.B) {
	r := rand.New(rand.NewPCG(5, 6))
	for _, mix := range []string{"1-byte", "mixed"} {
		values := varintValues(r, 8192)
		if mix == "1-byte" {
			for i := range values {
				values[i] &= 0x7F
			}
		}
		src := stdVarintEncode(values)
		dst := make([]uint64, 0, len(src))
		b.Run(fmt.Sprintf("%s/%d", mix, len(src)), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				dst, _ = VarintDecode(dst[:0], src)
			}
		})
		b.Run(fmt.Sprintf("%s/%d/binary.Uvarint", mix, len(src)), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				dst = dst[:0]
				for i := 0; i < len(src); {
					v, n := binary.Uvarint(src[i:])
					dst = append(dst, v)
					i += n
				}
			}
		})
	}
}

// bitsVector is one case of tests/vectors/bits.json, with its input bytes.
type bitsVector struct {
	Name   string
	Kernel string
	Args   struct{ Bits, Count int }
	Input  struct {
		Hex string
		Gen *struct {
			Seed uint64
			Len  int
		}
	}
	Expect struct {
		Hex    *string
		Sha256 string
		Len    int
		Error  *struct {
			Kind   string
			Offset int
		}
	}
	data []byte
}

// bitsVectors loads the conformance vectors of the bits family.
func bitsVectors(t *testing.T) []bitsVector {
	t.Helper()
	raw, err := os.ReadFile("../../../tests/vectors/bits.json")
	if err != nil {
		t.Skipf("no vectors: %v", err)
	}
	var file struct {
		Version int
		Cases   []bitsVector
	}
	if err := json.Unmarshal(raw, &file); err != nil || file.Version != 1 {
		t.Fatalf("bits.json: version %d, %v", file.Version, err)
	}
	for i := range file.Cases {
		c := &file.Cases[i]
		if c.Input.Gen != nil {
			c.data = bitsGen(c.Input.Gen.Seed, c.Input.Gen.Len)
		} else if c.data, err = hex.DecodeString(c.Input.Hex); err != nil {
			t.Fatal(err)
		}
	}
	return file.Cases
}

// bitsGen is the vector format's generated input (SplitMix64).
func bitsGen(seed uint64, n int) []byte {
	out := make([]byte, 0, n+8)
	for len(out) < n {
		seed += 0x9E3779B97F4A7C15
		z := seed
		z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
		z = (z ^ z>>27) * 0x94D049BB133111EB
		out = binary.LittleEndian.AppendUint64(out, z^z>>31)
	}
	return out[:n]
}

// matches reports whether out (or the error offset bad, -1 for none) is what c expects;
// kind is the error kind the Go function's failure stands for.
func (c *bitsVector) matches(out []byte, bad int, kind string) bool {
	switch {
	case c.Expect.Error != nil:
		return bad >= 0 && kind == c.Expect.Error.Kind &&
			(kind != "invalid-data" || bad == c.Expect.Error.Offset)
	case bad >= 0:
		return false
	case c.Expect.Hex != nil:
		return hex.EncodeToString(out) == *c.Expect.Hex
	default:
		sum := sha256.Sum256(out)
		return hex.EncodeToString(sum[:]) == c.Expect.Sha256 && len(out) == c.Expect.Len
	}
}

func TestVarintVectors(t *testing.T) {
	for _, c := range bitsVectors(t) {
		var out []byte
		bad := -1
		switch c.Kernel {
		case "varint-encode":
			values := make([]uint64, len(c.data)/8)
			for i := range values {
				values[i] = binary.LittleEndian.Uint64(c.data[8*i:])
			}
			out = VarintEncode(nil, values)
		case "varint-decode":
			var values []uint64
			values, bad = VarintDecode(nil, c.data)
			for _, v := range values {
				out = binary.LittleEndian.AppendUint64(out, v)
			}
		default:
			continue
		}
		if !c.matches(out, bad, "invalid-data") {
			t.Errorf("%s: got %d bytes, error offset %d", c.Name, len(out), bad)
		}
	}
}
