package main

import (
	"fmt"
	"hash/crc32"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zeebo/xxh3"
)

// TestSum compares every algorithm with an independent implementation (hash/crc32,
// github.com/zeebo/xxh3) on sizes around the 1 MiB batch, for files and stdin.
func TestSum(t *testing.T) {
	dir := t.TempDir()
	castagnoli := crc32.MakeTable(crc32.Castagnoli)
	for _, n := range []int{0, 1, 9, sumBatch - 1, sumBatch, sumBatch + 1, 3*sumBatch + 17} {
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
