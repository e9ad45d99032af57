package binpipe_test

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"hash"
	"io"
	"math/rand/v2"
	"testing"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// xxh3WriteSizes returns the ways the streaming tests cut an input of n bytes into writes.
func xxh3WriteSizes(n int, r *rand.Rand) map[string][]int {
	cut := func(size int) []int {
		var sizes []int
		for rest := n; ; rest -= size {
			if rest <= size {
				return append(sizes, rest)
			}
			sizes = append(sizes, size)
		}
	}
	var random []int
	for rest := n; rest > 0; {
		size := min(rest, r.IntN(300)) // empty writes included
		random = append(random, size)
		rest -= size
	}
	return map[string][]int{
		"whole": {n}, "bytes": cut(1), "random": random,
		"stripes": cut(64), "240s": cut(240), "blocks": cut(1024), "65s": cut(65),
	}
}

// TestXXH3StateSplits: for every length 0..2048, written whole, byte by byte, in random
// pieces and in pieces ending on 64-, 240- and 1024-byte boundaries, with seeds 0 and not,
// the streaming Sum64 equals the one-shot XXH3, and both equal the wasm module's XXH3 (the
// Rust kernel: an implementation that shares no code with the Go one).
func TestXXH3StateSplits(t *testing.T) {
	wasm := newEngine(t, binpipe.WithBackend(binpipe.BackendWasm))
	r := rand.New(rand.NewPCG(5, 6))
	data := splitmix64(0x5EED, 2048)
	for _, seed := range []uint64{0, 0xA5A5A5A5DEADBEEF} {
		h := binpipe.NewXXH3(seed)
		for n := 0; n <= len(data); n++ {
			want := binpipe.XXH3(data[:n], seed)
			if ref, err := wasm.XXH3(data[:n], seed); err != nil || ref != want {
				t.Fatalf("seed %#x, %d bytes: one-shot %#016x, wasm %#016x (%v)", seed, n, want, ref, err)
			}
			for name, sizes := range xxh3WriteSizes(n, r) {
				h.Reset()
				rest := data[:n]
				for _, size := range sizes {
					if k, err := h.Write(rest[:size]); k != size || err != nil {
						t.Fatalf("Write(%d bytes) = %d, %v", size, k, err)
					}
					rest = rest[size:]
				}
				if got := h.Sum64(); got != want {
					t.Fatalf("seed %#x, %d bytes written %s: got %#016x, want %#016x", seed, n, name, got, want)
				}
			}
		}
	}
}

// TestXXH3StateHash64 checks the hash.Hash64 contract: Sum appends the big-endian Sum64 and
// leaves the state alone, Reset keeps the seed, Size and BlockSize, and io.Copy of a large
// input through the interface.
func TestXXH3StateHash64(t *testing.T) {
	data := splitmix64(7, 5<<20+3)
	var h hash.Hash64 = binpipe.NewXXH3(99)
	if h.Size() != 8 || h.BlockSize() != 64 {
		t.Fatalf("Size %d, BlockSize %d: want 8, 64", h.Size(), h.BlockSize())
	}
	// The wrapper hides bytes.Reader.WriteTo, so io.Copy writes 32 KiB at a time.
	if _, err := io.Copy(h, struct{ io.Reader }{bytes.NewReader(data)}); err != nil {
		t.Fatal(err)
	}
	want := binpipe.XXH3(data, 99)
	prefix := []byte("prefix")
	sum := h.Sum(prefix)
	if !bytes.Equal(sum[:len(prefix)], prefix) || len(sum) != len(prefix)+8 {
		t.Fatalf("Sum(%q) = %x: want the prefix and 8 bytes", prefix, sum)
	}
	if got := binary.BigEndian.Uint64(sum[len(prefix):]); got != want {
		t.Fatalf("Sum bytes %#016x, want big-endian %#016x", got, want)
	}
	if got := h.Sum64(); got != want {
		t.Fatalf("Sum64 after Sum = %#016x, want %#016x", got, want)
	}
	h.Reset()
	h.Write(data[:1000])
	if got, want := h.Sum64(), binpipe.XXH3(data[:1000], 99); got != want {
		t.Fatalf("after Reset: got %#016x, want %#016x (seed 99 kept)", got, want)
	}
}

// ExampleNewXXH3 hashes input arriving in pieces.
func ExampleNewXXH3() {
	h := binpipe.NewXXH3(0)
	h.Write([]byte("hello, "))
	h.Write([]byte("world"))
	fmt.Printf("%016x\n", h.Sum64())
	fmt.Println(h.Sum64() == binpipe.XXH3([]byte("hello, world"), 0))
	// Output:
	// 302cd5fba73d006c
	// true
}

// BenchmarkXXH3Stream compares binpipe.XXH3 of 1 MiB with NewXXH3 fed the same bytes in
// 64 KiB writes.
func BenchmarkXXH3Stream(b *testing.B) {
	data := splitmix64(1, 1<<20)
	b.Run("oneshot", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		for b.Loop() {
			binpipe.XXH3(data, 0)
		}
	})
	b.Run("writes=64KiB", func(b *testing.B) {
		b.SetBytes(int64(len(data)))
		h := binpipe.NewXXH3(0)
		for b.Loop() {
			h.Reset()
			for at := 0; at < len(data); at += 64 << 10 {
				h.Write(data[at : at+64<<10])
			}
			h.Sum64()
		}
	})
}
