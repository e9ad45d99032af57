package purego

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// naiveMismatch is the definition, byte by byte.
func naiveMismatch(a, b []byte) int {
	n := min(len(a), len(b))
	for i := 0; i < n; i++ {
		if a[i] != b[i] {
			return i
		}
	}
	if len(a) != len(b) {
		return n
	}
	return -1
}

func TestMismatchCases(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", -1},
		{"", "a", 0},
		{"abcd", "abXd", 2},
		{"ab", "abc", 2},
		{"abc", "ab", 2},
		{"abc", "abc", -1},
		{"0123456789abcdef", "0123456789abcdeF", 15},
	} {
		if got := Mismatch([]byte(tc.a), []byte(tc.b)); got != tc.want {
			t.Errorf("Mismatch(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestMismatchEveryPosition(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	for _, length := range []int{1, 7, 8, 9, 63, 64, 255, 256, 257, 511, 512, 600, 1030} {
		a := make([]byte, length)
		for i := range a {
			a[i] = byte(rng.IntN(256))
		}
		b := bytes.Clone(a)
		if got := Mismatch(a, b); got != -1 {
			t.Fatalf("equal len %d: %d", length, got)
		}
		for pos := 0; pos < length; pos++ {
			b[pos] ^= 1 << (pos % 8)
			if got := Mismatch(a, b); got != pos {
				t.Fatalf("len %d pos %d: got %d", length, pos, got)
			}
			if got := Mismatch(b[:pos+1], a); got != pos {
				t.Fatalf("len %d pos %d (short a): got %d", length, pos, got)
			}
			b[pos] ^= 1 << (pos % 8)
		}
		for cut := 0; cut <= length; cut += 1 + length/50 {
			want := naiveMismatch(a[:cut], a)
			if got := Mismatch(a[:cut], a); got != want {
				t.Fatalf("prefix %d of %d: got %d want %d", cut, length, got, want)
			}
			if got := Mismatch(a, a[:cut]); got != want {
				t.Fatalf("prefix %d of %d (swapped): got %d want %d", cut, length, got, want)
			}
		}
	}
}

func TestMismatchVectors(t *testing.T) {
	for _, c := range loadSearchVectors(t, "search.json", "mismatch") {
		a, b := searchInput(t, c.Input), searchInput(t, c.Args["b"])
		if got, want := Mismatch(a, b), expectOffset(t, c); got != want {
			t.Errorf("%s: got %d want %d", c.Name, got, want)
		}
		if got, want := Mismatch(a, b), naiveMismatch(a, b); got != want {
			t.Errorf("%s: got %d, naive %d", c.Name, got, want)
		}
	}
}

func BenchmarkMismatch(b *testing.B) {
	x := bytes.Repeat([]byte{0x5A}, 64<<10)
	y := bytes.Clone(x)
	y[len(y)-1] = 0
	b.SetBytes(int64(len(x)))
	for b.Loop() {
		Mismatch(x, y)
	}
}
