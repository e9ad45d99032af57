package purego

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"testing"
)

// searchVector is one case of tests/vectors/search.json or validate.json.
type searchVector struct {
	Name   string                     `json:"name"`
	Kernel string                     `json:"kernel"`
	Args   map[string]json.RawMessage `json:"args"`
	Input  json.RawMessage            `json:"input"`
	Expect map[string]json.RawMessage `json:"expect"`
}

// loadSearchVectors reads the cases of one family's vector file for kernel, skipping the
// test when the file is absent.
func loadSearchVectors(t *testing.T, file, kernel string) []searchVector {
	t.Helper()
	raw, err := os.ReadFile(filepath.Join("..", "..", "..", "tests", "vectors", file))
	if err != nil {
		t.Skipf("no vectors: %v", err)
	}
	var doc struct {
		Version int            `json:"version"`
		Cases   []searchVector `json:"cases"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil || doc.Version != 1 {
		t.Fatalf("%s: version %d, %v", file, doc.Version, err)
	}
	var out []searchVector
	for _, c := range doc.Cases {
		if c.Kernel == kernel {
			out = append(out, c)
		}
	}
	if len(out) == 0 {
		t.Fatalf("%s has no %s cases", file, kernel)
	}
	return out
}

// searchInput decodes an input object: {"hex": "..."} or {"gen": {"seed": S, "len": L}}
// (SplitMix64, as the vector format defines it).
func searchInput(t *testing.T, raw json.RawMessage) []byte {
	t.Helper()
	var in struct {
		Hex *string `json:"hex"`
		Gen *struct {
			Seed uint64 `json:"seed"`
			Len  int    `json:"len"`
		} `json:"gen"`
	}
	if err := json.Unmarshal(raw, &in); err != nil {
		t.Fatal(err)
	}
	if in.Hex != nil {
		b, err := hex.DecodeString(*in.Hex)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	out := make([]byte, 0, in.Gen.Len+8)
	for state := in.Gen.Seed; len(out) < in.Gen.Len; {
		state += 0x9E3779B97F4A7C15
		z := state
		z = (z ^ z>>30) * 0xBF58476D1CE4E5B9
		z = (z ^ z>>27) * 0x94D049BB133111EB
		z ^= z >> 31
		out = binary.LittleEndian.AppendUint64(out, z)
	}
	return out[:in.Gen.Len]
}

// expectOffset reads {"value": N} or {"value": null} as N or -1.
func expectOffset(t *testing.T, c searchVector) int {
	t.Helper()
	v, ok := c.Expect["value"]
	if !ok {
		t.Fatalf("%s: no value in %v", c.Name, c.Expect)
	}
	if string(v) == "null" {
		return -1
	}
	n, err := strconv.Atoi(string(v))
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// naiveFindAny is the definition: the first byte that is one of the needles.
func naiveFindAny(data, needles []byte) int {
	for i, b := range data {
		if bytes.IndexByte(needles, b) >= 0 {
			return i
		}
	}
	return -1
}

func TestFindAnyCases(t *testing.T) {
	for _, tc := range []struct {
		data, needles string
		want          int
	}{
		{"", "a", -1},
		{"a,b;c", ";,", 1},
		{"abc", "xyz", -1},
		{"abc", "cc", 2},
		{"\x00", "\x00", 0},
		{"zzzz\xff", "\x80\xff\x7f\x00", 4},
		{string(make([]byte, 100)) + "\t", "\t\n\r ", 100},
		{string(bytes.Repeat([]byte("x"), 70)) + "\n", "\n\r", 70},
	} {
		if got := FindAny([]byte(tc.data), []byte(tc.needles)); got != tc.want {
			t.Errorf("FindAny(%q, %q) = %d, want %d", tc.data, tc.needles, got, tc.want)
		}
	}
}

func TestFindAnyMatchesNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 1; n <= 16; n++ {
		for trial := 0; trial < 40; trial++ {
			needles := make([]byte, n)
			for i := range needles {
				needles[i] = byte(rng.IntN(256))
			}
			if trial%5 == 0 {
				needles[n-1] = needles[0] // duplicates are allowed
			}
			// Clean data with no needle, then a needle planted at every position.
			length := rng.IntN(300)
			data := make([]byte, length)
			for i := range data {
				for {
					data[i] = byte(rng.IntN(256))
					if bytes.IndexByte(needles, data[i]) < 0 {
						break
					}
				}
			}
			if got := FindAny(data, needles); got != -1 {
				t.Fatalf("none: got %d", got)
			}
			for pos := 0; pos < length; pos++ {
				keep := data[pos]
				data[pos] = needles[pos%n]
				if got, want := FindAny(data, needles), naiveFindAny(data, needles); got != want || want != pos {
					t.Fatalf("needles %x len %d pos %d: got %d want %d", needles, length, pos, got, want)
				}
				data[pos] = keep
			}
		}
	}
	// Random data of many lengths, where needles occur by chance.
	for length := 0; length < 2000; length += 7 {
		data := make([]byte, length)
		for i := range data {
			data[i] = byte(rng.IntN(256))
		}
		needles := data[:min(length, 1+length%16)]
		if length == 0 {
			needles = []byte{0}
		}
		if got, want := FindAny(data, needles), naiveFindAny(data, needles); got != want {
			t.Fatalf("len %d: got %d want %d", length, got, want)
		}
	}
}

func TestFindAnyVectors(t *testing.T) {
	for _, c := range loadSearchVectors(t, "search.json", "find-any") {
		var needlesHex string
		if err := json.Unmarshal(c.Args["needles"], &needlesHex); err != nil {
			t.Fatal(err)
		}
		needles, _ := hex.DecodeString(needlesHex)
		if len(needles) < 1 || len(needles) > 16 {
			if _, ok := c.Expect["error"]; !ok {
				t.Errorf("%s: %d needles should be an error case", c.Name, len(needles))
			}
			continue // the caller validates the count
		}
		if got, want := FindAny(searchInput(t, c.Input), needles), expectOffset(t, c); got != want {
			t.Errorf("%s: got %d want %d", c.Name, got, want)
		}
	}
}

func BenchmarkFindAny(b *testing.B) {
	data := bytes.Repeat([]byte("the quick brown fox jumps over the lazy dog "), 1500)[:64<<10]
	for _, needles := range []string{",;", "\t\n\r\"", "{}[]<>|\\"} {
		b.Run(strconv.Itoa(len(needles)), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				FindAny(data, []byte(needles))
			}
		})
	}
}
