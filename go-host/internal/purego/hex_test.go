package purego

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// textVector is one case of tests/vectors/text.json.
type textVector struct {
	Name   string `json:"name"`
	Kernel string `json:"kernel"`
	Args   struct {
		Uppercase bool   `json:"uppercase"`
		Alphabet  string `json:"alphabet"`
		Padding   bool   `json:"padding"`
	} `json:"args"`
	Input struct {
		Hex *string `json:"hex"`
		Gen *struct {
			Seed uint64 `json:"seed"`
			Len  int    `json:"len"`
		} `json:"gen"`
	} `json:"input"`
	Expect struct {
		Hex    *string `json:"hex"`
		SHA256 string  `json:"sha256"`
		Len    int     `json:"len"`
		Error  *struct {
			Kind   string `json:"kind"`
			Offset int    `json:"offset"`
		} `json:"error"`
	} `json:"expect"`
}

// loadTextVectors reads the cases of tests/vectors/text.json for kernel, skipping the test
// when the file is absent.
func loadTextVectors(t *testing.T, kernel string) []textVector {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "tests", "vectors", "text.json"))
	if err != nil {
		t.Skipf("no vectors: %v", err)
	}
	var doc struct {
		Version int          `json:"version"`
		Cases   []textVector `json:"cases"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil || doc.Version != 1 {
		t.Fatalf("text.json: version %d, %v", doc.Version, err)
	}
	var out []textVector
	for _, c := range doc.Cases {
		if c.Kernel == kernel {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		t.Fatalf("text.json has no %s cases", kernel)
	}
	return out
}

// input is the case's data: its hex, or SplitMix64 output as the vector format defines it.
func (c textVector) input(t *testing.T) []byte {
	t.Helper()
	if c.Input.Hex != nil {
		b, err := hex.DecodeString(*c.Input.Hex)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	out := make([]byte, 0, c.Input.Gen.Len+8)
	for state := c.Input.Gen.Seed; len(out) < c.Input.Gen.Len; {
		state += 0x9E3779B97F4A7C15
		z := state
		z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
		z = (z ^ z>>27) * 0x94D049BB133111EB
		z ^= z >> 31
		out = binary.LittleEndian.AppendUint64(out, z)
	}
	return out[:c.Input.Gen.Len]
}

// check compares an output or an error offset (-1: none) with the case's expectation.
func (c textVector) check(t *testing.T, out []byte, errOffset int) {
	t.Helper()
	switch {
	case c.Expect.Error != nil:
		if c.Expect.Error.Kind != "invalid-data" || errOffset != c.Expect.Error.Offset {
			t.Errorf("%s: error offset %d, want %s at %d", c.Name, errOffset,
				c.Expect.Error.Kind, c.Expect.Error.Offset)
		}
	case errOffset >= 0:
		t.Errorf("%s: unexpected error at %d", c.Name, errOffset)
	case c.Expect.Hex != nil:
		if got := hex.EncodeToString(out); got != *c.Expect.Hex {
			t.Errorf("%s: got %.80s, want %.80s", c.Name, got, *c.Expect.Hex)
		}
	default:
		sum := sha256.Sum256(out)
		if len(out) != c.Expect.Len || hex.EncodeToString(sum[:]) != c.Expect.SHA256 {
			t.Errorf("%s: output of %d bytes differs from the expected %d", c.Name, len(out), c.Expect.Len)
		}
	}
}

// hexDecodeOK is HexDecode into a fresh buffer: the bytes, or the error offset.
func hexDecodeOK(src []byte) ([]byte, int) {
	dst := make([]byte, len(src)/2)
	n, off := HexDecode(dst, src)
	return dst[:n], off
}

// hexOffsetByDefinition is the error offset from the rule's definition, with encoding/hex
// judging validity: the length of the longest prefix that a suffix (at most one digit) makes
// valid.
func hexOffsetByDefinition(src []byte) int {
	valid := func(s []byte) bool { _, err := hex.DecodeString(string(s)); return err == nil }
	if valid(src) {
		return -1
	}
	for k := len(src); k >= 0; k-- {
		p := src[:k:k]
		if valid(p) || valid(append(p, '0')) {
			return k
		}
	}
	return 0
}

func TestHexCases(t *testing.T) {
	for _, tc := range []struct {
		src  string
		want string
		off  int
	}{
		{"", "", -1},
		{"009fFF", "\x00\x9f\xff", -1},
		{"0", "", 1},
		{"0g0", "", 1},
		{"00 ", "", 2},
		{"0x00", "", 1},
		{"abc", "", 3},
		{"ab\n", "", 2},
		{"zz1", "", 0},
	} {
		got, off := hexDecodeOK([]byte(tc.src))
		if off != tc.off || (off < 0 && string(got) != tc.want) {
			t.Errorf("HexDecode(%q) = %x, %d; want %x, %d", tc.src, got, off, tc.want, tc.off)
		}
	}
	dst := make([]byte, 6)
	HexEncode(dst, []byte{0x00, 0x9F, 0xFF}, true)
	if string(dst) != "009FFF" {
		t.Errorf("HexEncode upper = %s", dst)
	}
	HexEncode(dst, []byte{0x00, 0x9F, 0xFF}, false)
	if string(dst) != "009fff" {
		t.Errorf("HexEncode lower = %s", dst)
	}
}

func TestHexAgainstStdlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := range 600 {
		src := make([]byte, n)
		for i := range src {
			src[i] = byte(rng.Uint32())
		}
		dst := make([]byte, 2*n)
		HexEncode(dst, src, false)
		if want := hex.EncodeToString(src); string(dst) != want {
			t.Fatalf("len %d: lower %s, want %s", n, dst, want)
		}
		HexEncode(dst, src, true)
		if want := strings.ToUpper(hex.EncodeToString(src)); string(dst) != want {
			t.Fatalf("len %d: upper %s, want %s", n, dst, want)
		}
		got, off := hexDecodeOK(dst)
		if off != -1 || !bytes.Equal(got, src) {
			t.Fatalf("len %d: decode %x %d", n, got, off)
		}
	}
	// Every byte value at every position of short inputs: validity and bytes as
	// encoding/hex says, offsets as the definition says.
	for n := range 6 {
		for pos := range n {
			for b := range 256 {
				src := []byte("a0F9b3")[:n]
				src[pos] = byte(b)
				got, off := hexDecodeOK(src)
				want, err := hex.DecodeString(string(src))
				if (err == nil) != (off == -1) || (err == nil && !bytes.Equal(got, want)) {
					t.Fatalf("%q: got %x %d, encoding/hex %x %v", src, got, off, want, err)
				}
				if def := hexOffsetByDefinition(src); off != def {
					t.Fatalf("%q: offset %d, definition %d", src, off, def)
				}
			}
		}
	}
	// Random text with some bad bytes.
	for range 3000 {
		src := make([]byte, rng.IntN(200))
		for i := range src {
			if rng.IntN(40) == 0 {
				src[i] = byte(rng.Uint32())
			} else {
				src[i] = "0123456789abcdefABCDEF"[rng.IntN(22)]
			}
		}
		_, off := hexDecodeOK(src)
		if def := hexOffsetByDefinition(src); off != def {
			t.Fatalf("%q: offset %d, definition %d", src, off, def)
		}
	}
}

func TestHexVectors(t *testing.T) {
	for _, c := range loadTextVectors(t, "hex-encode") {
		src := c.input(t)
		dst := make([]byte, 2*len(src))
		HexEncode(dst, src, c.Args.Uppercase)
		c.check(t, dst, -1)
	}
	for _, c := range loadTextVectors(t, "hex-decode") {
		got, off := hexDecodeOK(c.input(t))
		c.check(t, got, off)
	}
}

func BenchmarkHex(b *testing.B) {
	src := make([]byte, 64<<10)
	for i := range src {
		src[i] = byte(i * 7)
	}
	text := make([]byte, 2*len(src))
	b.Run("encode/lower", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			HexEncode(text, src, false)
		}
	})
	b.Run("encode/upper", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			HexEncode(text, src, true)
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			HexDecode(src, text)
		}
	})
	b.Run("decode/encoding-hex", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			_, _ = hex.Decode(src, text)
		}
	})
}
