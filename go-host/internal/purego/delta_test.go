package purego

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// naiveDelta is the definition, element by element with uint64 arithmetic masked to the
// width: encode out[i] = x[i] - x[i-1], decode the running sum; tail copied.
func naiveDelta(src []byte, width int, decode bool) []byte {
	out := bytes.Clone(src)
	mask := uint64(1)<<(8*width) - 1
	if width == 8 {
		mask = ^uint64(0)
	}
	elem := func(b []byte) uint64 {
		var w [8]byte
		copy(w[:], b[:width])
		return binary.LittleEndian.Uint64(w[:])
	}
	var prev uint64
	for i := 0; i+width <= len(src); i += width {
		x := elem(src[i:])
		var y uint64
		if decode {
			prev = (prev + x) & mask
			y = prev
		} else {
			y = (x - prev) & mask
			prev = x
		}
		var w [8]byte
		binary.LittleEndian.PutUint64(w[:], y)
		copy(out[i:i+width], w[:width])
	}
	return out
}

func randomBytes(rng *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(rng.Uint32())
	}
	return b
}

func TestDeltaCases(t *testing.T) {
	for _, tc := range []struct {
		src, enc []byte
		width    int
	}{
		{[]byte{}, []byte{}, 4},
		{[]byte{5, 7, 6}, []byte{5, 2, 255}, 1},
		// u16 1, 0 (0 - 1 wraps to 0xffff), 0x100, and a one-byte tail.
		{[]byte{1, 0, 0, 0, 0, 1, 9}, []byte{1, 0, 0xff, 0xff, 0, 1, 9}, 2},
		{[]byte{1, 0, 0, 0, 0, 0, 0, 0, 0xff}, []byte{1, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff}, 4},
		{[]byte{9, 9, 9}, []byte{9, 9, 9}, 8},
	} {
		got := make([]byte, len(tc.src))
		DeltaEncode(got, tc.src, tc.width)
		if !bytes.Equal(got, tc.enc) {
			t.Errorf("DeltaEncode(%x, %d) = %x, want %x", tc.src, tc.width, got, tc.enc)
		}
		DeltaDecode(got, tc.enc, tc.width)
		if !bytes.Equal(got, tc.src) {
			t.Errorf("DeltaDecode(%x, %d) = %x, want %x", tc.enc, tc.width, got, tc.src)
		}
	}
}

func TestDeltaMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for _, width := range []int{1, 2, 4, 8} {
		for n := 0; n <= 300; n++ {
			inputs := [][]byte{randomBytes(rng, n), bytes.Repeat([]byte{0xff}, n), make([]byte, n)}
			for _, src := range inputs {
				for _, decode := range []bool{false, true} {
					got := make([]byte, n)
					if decode {
						DeltaDecode(got, src, width)
					} else {
						DeltaEncode(got, src, width)
					}
					if want := naiveDelta(src, width, decode); !bytes.Equal(got, want) {
						t.Fatalf("width %d len %d decode %v: got %x want %x", width, n, decode, got, want)
					}
				}
				enc := make([]byte, n)
				DeltaEncode(enc, src, width)
				back := make([]byte, n)
				DeltaDecode(back, enc, width)
				if !bytes.Equal(back, src) {
					t.Fatalf("width %d len %d: round trip", width, n)
				}
			}
		}
	}
}

// transformVector is one case of tests/vectors/transform.json.
type transformVector struct {
	Name   string         `json:"name"`
	Kernel string         `json:"kernel"`
	Args   map[string]int `json:"args"`
	Input  struct {
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
			Kind string `json:"kind"`
		} `json:"error"`
	} `json:"expect"`
}

// runTransformVectors runs every successful case of kernel in the conformance vectors through
// run (the error cases are the caller's validation, not the twin's).
func runTransformVectors(t *testing.T, kernel string, run func(c *transformVector, data []byte) []byte) {
	t.Helper()
	f, err := os.Open(filepath.Join("..", "..", "..", "tests", "vectors", "transform.json"))
	if err != nil {
		t.Skipf("no vectors: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<24)
	ran := 0
	for sc.Scan() {
		line := strings.TrimSuffix(sc.Text(), ",")
		if !strings.HasPrefix(line, `{"name"`) {
			continue
		}
		var c transformVector
		if err := json.Unmarshal([]byte(line), &c); err != nil {
			t.Fatal(err)
		}
		if c.Kernel != kernel || c.Expect.Error != nil {
			continue
		}
		var data []byte
		if c.Input.Hex != nil {
			data, _ = hex.DecodeString(*c.Input.Hex)
		} else {
			data = transformGen(c.Input.Gen.Seed, c.Input.Gen.Len)
		}
		got := run(&c, data)
		if c.Expect.Hex != nil {
			if want := *c.Expect.Hex; hex.EncodeToString(got) != want {
				t.Errorf("%s: got %x want %s", c.Name, got, want)
			}
		} else if sum := fmt.Sprintf("%x", sha256.Sum256(got)); sum != c.Expect.SHA256 || len(got) != c.Expect.Len {
			t.Errorf("%s: sha256 %s len %d, want %s len %d", c.Name, sum, len(got), c.Expect.SHA256, c.Expect.Len)
		}
		ran++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if ran == 0 {
		t.Fatalf("no %s vectors", kernel)
	}
}

// transformGen is the vector format's generated input (SplitMix64, little-endian blocks).
func transformGen(state uint64, n int) []byte {
	out := make([]byte, 0, n+8)
	for len(out) < n {
		state += 0x9E3779B97F4A7C15
		z := state
		z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
		z = (z ^ z>>27) * 0x94D049BB133111EB
		out = binary.LittleEndian.AppendUint64(out, z^z>>31)
	}
	return out[:n]
}

func TestDeltaVectors(t *testing.T) {
	for _, kernel := range []string{"delta-encode", "delta-decode"} {
		runTransformVectors(t, kernel, func(c *transformVector, data []byte) []byte {
			out := make([]byte, len(data))
			if kernel == "delta-encode" {
				DeltaEncode(out, data, c.Args["width"])
			} else {
				DeltaDecode(out, data, c.Args["width"])
			}
			return out
		})
	}
}

// benchDelta runs f over 64 KiB of random data.
func benchDelta(b *testing.B, f func(dst, src []byte, width int), width int) {
	src := randomBytes(rand.New(rand.NewPCG(3, 4)), 64<<10)
	dst := make([]byte, len(src))
	b.SetBytes(int64(len(src)))
	for b.Loop() {
		f(dst, src, width)
	}
}

func BenchmarkDeltaEncode(b *testing.B) {
	for _, w := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("w%d", w), func(b *testing.B) { benchDelta(b, DeltaEncode, w) })
	}
}

func BenchmarkDeltaDecode(b *testing.B) {
	for _, w := range []int{1, 2, 4, 8} {
		b.Run(fmt.Sprintf("w%d", w), func(b *testing.B) { benchDelta(b, DeltaDecode, w) })
	}
}

// BenchmarkDeltaNaive is the byte-at-a-time definition, for comparison.
func BenchmarkDeltaNaive(b *testing.B) {
	for _, w := range []int{1, 2} {
		b.Run(fmt.Sprintf("decode-w%d", w), func(b *testing.B) {
			benchDelta(b, func(dst, src []byte, width int) {
				var sum byte
				for i := range src {
					sum += src[i]
					dst[i] = sum
				}
			}, w)
		})
	}
}
