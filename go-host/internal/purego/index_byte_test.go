package purego

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"slices"
	"testing"
)

// naiveIndexByte is the definition: every offset of needle, ascending.
func naiveIndexByte(data []byte, needle byte) []uint32 {
	out := []uint32{}
	for i, b := range data {
		if b == needle {
			out = append(out, uint32(i))
		}
	}
	return out
}

func TestIndexByteCases(t *testing.T) {
	if got := IndexByte(nil, []byte("a\nb\n"), '\n'); !slices.Equal(got, []uint32{1, 3}) {
		t.Errorf("got %v", got)
	}
	if got := IndexByte(nil, nil, 'x'); len(got) != 0 {
		t.Errorf("empty: %v", got)
	}
	// Append form: what dst already holds stays in front.
	if got := IndexByte([]uint32{7, 8}, []byte("xax"), 'x'); !slices.Equal(got, []uint32{7, 8, 0, 2}) {
		t.Errorf("append: %v", got)
	}
}

func TestIndexByteMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for length := 0; length < 3000; length += 13 {
		// Densities from every byte to none: values drawn from 1, 2, 4, ..., 256 symbols.
		for _, symbols := range []int{1, 2, 4, 16, 64, 256} {
			data := make([]byte, length)
			for i := range data {
				data[i] = byte(rng.IntN(symbols))
			}
			for _, needle := range []byte{0, 1, 0xFF} {
				if got, want := IndexByte(nil, data, needle), naiveIndexByte(data, needle); !slices.Equal(got, want) {
					t.Fatalf("len %d symbols %d needle %d: got %v want %v", length, symbols, needle, got, want)
				}
			}
		}
	}
	// Clusters: dense runs separated by long gaps (the loop switches modes).
	data := make([]byte, 10000)
	for i := range data {
		if (i/100)%3 == 0 && rng.IntN(3) == 0 {
			data[i] = '\n'
		}
	}
	if got, want := IndexByte(nil, data, '\n'), naiveIndexByte(data, '\n'); !slices.Equal(got, want) {
		t.Fatalf("clusters: %d offsets, want %d", len(got), len(want))
	}
}

func TestIndexByteVectors(t *testing.T) {
	for _, c := range loadSearchVectors(t, "search.json", "index-byte") {
		var needle byte
		if err := json.Unmarshal(c.Args["needle"], &needle); err != nil {
			t.Fatal(err)
		}
		got := IndexByte(nil, searchInput(t, c.Input), needle)
		le := make([]byte, 0, 4*len(got))
		for _, off := range got {
			le = binary.LittleEndian.AppendUint32(le, off)
		}
		if err := checkBytesExpect(c, le); err != "" {
			t.Errorf("%s: %s", c.Name, err)
		}
	}
}

// checkBytesExpect compares an output with {"hex": ...} or {"sha256": ..., "len": N}.
func checkBytesExpect(c searchVector, got []byte) string {
	if h, ok := c.Expect["hex"]; ok {
		var want string
		_ = json.Unmarshal(h, &want)
		if hex.EncodeToString(got) != want {
			return "output differs"
		}
		return ""
	}
	var want struct {
		SHA256 string `json:"sha256"`
		Len    int    `json:"len"`
	}
	raw, _ := json.Marshal(c.Expect)
	_ = json.Unmarshal(raw, &want)
	if want.SHA256 == "" {
		return "no hex or sha256 expectation"
	}
	if len(got) != want.Len || sha256Sum(got) != want.SHA256 {
		return "output differs (sha256)"
	}
	return ""
}

// sha256Sum is the lowercase hex SHA-256 of b.
func sha256Sum(b []byte) string {
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func BenchmarkIndexByte(b *testing.B) {
	data := make([]byte, 64<<10)
	rng := rand.New(rand.NewPCG(5, 6))
	for i := range data {
		data[i] = byte(rng.IntN(256))
	}
	dst := make([]uint32, 0, len(data))
	for _, tc := range []struct {
		name   string
		needle byte
	}{{"sparse", 7}} {
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				dst = IndexByte(dst[:0], data, tc.needle)
			}
		})
	}
}
