package purego

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
)

// naiveASCIIPrefix is the definition: the offset of the first byte >= 0x80.
func naiveASCIIPrefix(data []byte) int {
	for i, b := range data {
		if b >= 0x80 {
			return i
		}
	}
	return len(data)
}

func TestASCIIPrefixCases(t *testing.T) {
	for _, tc := range []struct {
		data string
		want int
	}{
		{"", 0},
		{"plain", 5},
		{"abcé", 3},
		{"\x80", 0},
		{"0123456789abcdefghijklmnopqrstuvwxyz\xff", 36},
	} {
		if got := ASCIIPrefix([]byte(tc.data)); got != tc.want {
			t.Errorf("ASCIIPrefix(%q) = %d, want %d", tc.data, got, tc.want)
		}
	}
}

func TestASCIIPrefixEveryPosition(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for length := 0; length <= 200; length++ {
		data := make([]byte, length)
		for i := range data {
			data[i] = byte(rng.IntN(0x80))
		}
		if got := ASCIIPrefix(data); got != length {
			t.Fatalf("all ascii len %d: %d", length, got)
		}
		for pos := 0; pos < length; pos++ {
			keep := data[pos]
			data[pos] = byte(0x80 + rng.IntN(0x80))
			if got := ASCIIPrefix(data); got != pos || naiveASCIIPrefix(data) != pos {
				t.Fatalf("len %d pos %d: %d", length, pos, got)
			}
			data[pos] = keep
		}
	}
}

func TestASCIIPrefixVectors(t *testing.T) {
	for _, c := range loadSearchVectors(t, "validate.json", "ascii-prefix") {
		var want int
		if err := json.Unmarshal(c.Expect["value"], &want); err != nil {
			t.Fatal(err)
		}
		if got := ASCIIPrefix(searchInput(t, c.Input)); got != want {
			t.Errorf("%s: got %d want %d", c.Name, got, want)
		}
	}
}

func BenchmarkASCIIPrefix(b *testing.B) {
	data := make([]byte, 64<<10)
	for i := range data {
		data[i] = 'a' + byte(i%26)
	}
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		ASCIIPrefix(data)
	}
}
