package purego

import (
	"fmt"
	"math/rand/v2"
	"testing"
)

// xxh3Splits names ways to cut an input of n bytes into writes: each returns the write sizes.
var xxh3Splits = map[string]func(n int, r *rand.Rand) []int{
	"whole":  func(n int, _ *rand.Rand) []int { return []int{n} },
	"bytes":  func(n int, _ *rand.Rand) []int { return repeatSize(n, 1) },
	"64":     func(n int, _ *rand.Rand) []int { return repeatSize(n, 64) },
	"240":    func(n int, _ *rand.Rand) []int { return repeatSize(n, 240) },
	"1024":   func(n int, _ *rand.Rand) []int { return repeatSize(n, 1024) },
	"random": randomSizes,
	// Writes that end one byte either side of the stripe, buffer and block ends.
	"edges": func(n int, _ *rand.Rand) []int {
		var sizes []int
		at := 0
		for _, end := range []int{63, 65, 127, 239, 241, 255, 257, 1023, 1025, 2047} {
			if end > at && end < n {
				sizes = append(sizes, end-at)
				at = end
			}
		}
		return append(sizes, n-at)
	},
}

// repeatSize cuts n into writes of size, the last one shorter.
func repeatSize(n, size int) []int {
	var sizes []int
	for ; n > size; n -= size {
		sizes = append(sizes, size)
	}
	return append(sizes, n)
}

// randomSizes cuts n into writes of random sizes, empty ones included, mostly short.
func randomSizes(n int, r *rand.Rand) []int {
	var sizes []int
	for n > 0 {
		limit := 70
		if r.IntN(4) == 0 {
			limit = 1100
		}
		size := min(n, r.IntN(limit))
		sizes = append(sizes, size)
		n -= size
	}
	return sizes
}

// streamXXH3 hashes data written in pieces of sizes.
func streamXXH3(data []byte, seed uint64, sizes []int) uint64 {
	var s XXH3State
	s.Reset(seed)
	for _, size := range sizes {
		s.Write(data[:size])
		data = data[size:]
	}
	return s.Sum64()
}

// TestXXH3StateSplits: for every length 0..2048, every way of splitting it and a few seeds,
// the streaming hash equals the one-shot XXH3 (checked against the reference vectors in
// xxh3_test.go).
func TestXXH3StateSplits(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	data := xxh3TestData(2048)
	for _, seed := range []uint64{0, 1, 0x9E3779B97F4A7C15} {
		for n := 0; n <= len(data); n++ {
			want := XXH3(data[:n], seed)
			for name, split := range xxh3Splits {
				if got := streamXXH3(data[:n], seed, split(n, r)); got != want {
					t.Fatalf("seed %#x, %d bytes written %s: got %#016x, want %#016x", seed, n, name, got, want)
				}
			}
		}
	}
}

// TestXXH3StateLong covers inputs of many blocks, lengths on and around block ends.
func TestXXH3StateLong(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	data := xxh3TestData(40*xxh3Block + 100)
	for blocks := 2; blocks <= 40; blocks += 3 {
		for _, delta := range []int{-65, -64, -1, 0, 1, 63, 64, 100} {
			n := blocks*xxh3Block + delta
			for _, seed := range []uint64{0, 42} {
				want := XXH3(data[:n], seed)
				for _, name := range []string{"whole", "1024", "random", "64"} {
					if got := streamXXH3(data[:n], seed, xxh3Splits[name](n, r)); got != want {
						t.Fatalf("seed %d, %d bytes written %s: got %#016x, want %#016x", seed, n, name, got, want)
					}
				}
			}
		}
	}
}

// TestXXH3StateSumMidway: Sum64 leaves the state as it was, so every prefix's hash can be
// read while writing; Reset starts over with the new seed; the zero value hashes with seed 0.
func TestXXH3StateSumMidway(t *testing.T) {
	data := xxh3TestData(3000)
	var s XXH3State
	if got, want := s.Sum64(), XXH3(nil, 0); got != want {
		t.Fatalf("zero value: got %#016x, want %#016x", got, want)
	}
	for _, seed := range []uint64{0, 7} {
		s.Write([]byte("left over from before Reset"))
		s.Reset(seed)
		for n := 0; n < len(data); n += 37 {
			if got, want := s.Sum64(), XXH3(data[:n], seed); got != want {
				t.Fatalf("seed %d, after %d bytes: got %#016x, want %#016x", seed, n, got, want)
			}
			s.Write(data[n:min(n+37, len(data))])
		}
		if got, want := s.Sum64(), XXH3(data, seed); got != want {
			t.Fatalf("seed %d, all %d bytes: got %#016x, want %#016x", seed, len(data), got, want)
		}
	}
}

// BenchmarkXXH3Stream compares the one-shot hash of 1 MiB with the same bytes written in
// 64 KiB pieces.
func BenchmarkXXH3Stream(b *testing.B) {
	data := xxh3TestData(1 << 20)
	b.Run("oneshot", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			XXH3(data, 0)
		}
	})
	for _, piece := range []int{64 << 10, 4 << 10} {
		b.Run(fmt.Sprintf("writes=%d", piece), func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			var s XXH3State
			for b.Loop() {
				s.Reset(0)
				for at := 0; at < len(data); at += piece {
					s.Write(data[at : at+piece])
				}
				s.Sum64()
			}
		})
	}
}
