package main

import (
	"bytes"
	"context"
	"fmt"
	"hash/crc32"
	"io"
	"math/rand/v2"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	binpipe "github.com/binpipe/binpipe/go-host"
	"github.com/zeebo/xxh3"
)

// TestSum compares every algorithm with an independent implementation (hash/crc32,
// github.com/zeebo/xxh3) on sizes around XXH3's short-input limit (240) and the 1 MiB batch,
// for files and stdin (a pipe).
func TestSum(t *testing.T) {
	dir := t.TempDir()
	castagnoli := crc32.MakeTable(crc32.Castagnoli)
	for _, n := range []int{0, 1, 9, 240, 241, sumBatch - 1, sumBatch, sumBatch + 1, 3*sumBatch + 17} {
		data := random(n, uint64(n))
		name := fmt.Sprintf("f%d", n)
		path := writeFile(t, dir, name, data)
		want := map[string]string{
			"crc32c": fmt.Sprintf("%08x", crc32.Checksum(data, castagnoli)),
			"crc32":  fmt.Sprintf("%08x", crc32.ChecksumIEEE(data)),
			"xxh3":   fmt.Sprintf("%016x", xxh3.Hash(data)),
		}
		for algo, sum := range want {
			runCLI(t, dir, nil, "sum", "--algo", algo, name).want(t, 0, sum+"  "+name+"\n", "")
			runCLI(t, dir, data, "sum", "--algo", algo, "-").want(t, 0, sum+"  -\n", "")
			if n > 9 && n != sumBatch+1 {
				continue // the other forms on a few sizes
			}
			runCLI(t, dir, data, "sum", "--algo", algo).want(t, 0, sum+"  -\n", "")
			runCLI(t, dir, nil, "sum", "--algo", algo, "--json", path).want(t, 0,
				fmt.Sprintf(`"sum": %q,`+"\n      \"bytes\": %d", sum, n), "")
		}
	}
	// The default algorithm is crc32c, and the check value of "123456789" is e3069283.
	nine := writeFile(t, dir, "nine", []byte("123456789"))
	runCLI(t, dir, nil, "sum", nine).want(t, 0, "e3069283  "+nine+"\n", "")
}

// TestSumMissingFile reports the missing file, still sums the others, and exits 1.
func TestSumMissingFile(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "a", []byte("123456789"))
	r := runCLI(t, dir, nil, "sum", "--algo", "crc32", "missing", "a")
	r.want(t, 1, "cbf43926  a\n", "binpipe sum: missing: no such file or directory")
	if strings.Contains(r.stdout, "missing") {
		t.Errorf("stdout names the missing file: %s", r.stdout)
	}
	runCLI(t, dir, nil, "sum", filepath.Join(dir)).want(t, 1, "", "is a directory")
}

// TestSumXXH3Memory: sum --algo xxh3 streams stdin, allocating about one batch however long
// the input is (reading it whole, as sum once did, allocates more than the input).
func TestSumXXH3Memory(t *testing.T) {
	data := random(48<<20, 48)
	var stdout, stderr bytes.Buffer
	// The struct hides bytes.Reader's WriterTo, as a pipe would not have one.
	std := stdio{stdin: struct{ io.Reader }{bytes.NewReader(data)}, stdout: &stdout, stderr: &stderr}
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	err := cmdSum(context.Background(), std, []string{"--algo", "xxh3"})
	runtime.ReadMemStats(&after)
	if err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	if want := fmt.Sprintf("%016x  -\n", xxh3.Hash(data)); stdout.String() != want {
		t.Fatalf("stdout %q, want %q", stdout.String(), want)
	}
	if allocated := after.TotalAlloc - before.TotalAlloc; allocated > 4*sumBatch {
		t.Fatalf("hashing %d bytes of stdin allocated %d bytes: want about one %d-byte batch", len(data), allocated, sumBatch)
	}
}

// TestXXH3StateMatchesZeebo compares binpipe's streaming XXH3 with github.com/zeebo/xxh3 (an
// independent implementation) for every length 0..2048 cut into writes of 1 byte, random
// sizes and whole 64-, 240- and 1024-byte pieces, and for a few long inputs in random pieces.
func TestXXH3StateMatchesZeebo(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	data := random(3<<20+77, 9)
	h := binpipe.NewXXH3(0)
	hashPieces := func(in []byte, next func(rest int) int) uint64 {
		h.Reset()
		for len(in) > 0 {
			k := next(len(in))
			h.Write(in[:k])
			in = in[k:]
		}
		return h.Sum64()
	}
	pieces := map[string]func(rest int) int{
		"bytes":  func(int) int { return 1 },
		"random": func(rest int) int { return min(rest, r.IntN(1100)) },
		"64":     func(rest int) int { return min(rest, 64) },
		"240":    func(rest int) int { return min(rest, 240) },
		"1024":   func(rest int) int { return min(rest, 1024) },
	}
	for n := 0; n <= 2048; n++ {
		want := xxh3.Hash(data[:n])
		for name, next := range pieces {
			if got := hashPieces(data[:n], next); got != want {
				t.Fatalf("%d bytes in %s pieces: got %016x, zeebo/xxh3 %016x", n, name, got, want)
			}
		}
	}
	for _, n := range []int{4096, 65536 + 1, 1 << 20, len(data)} {
		if got, want := hashPieces(data[:n], func(rest int) int { return min(rest, r.IntN(200000)) }), xxh3.Hash(data[:n]); got != want {
			t.Fatalf("%d bytes in random pieces: got %016x, zeebo/xxh3 %016x", n, got, want)
		}
	}
}
