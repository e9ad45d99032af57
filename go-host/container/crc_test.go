package container

import (
	"testing"

	binpipe "github.com/binpipe/binpipe/go-host"
)

func TestCRC32CCombine(t *testing.T) {
	r := rng(5)
	data := make([]byte, 5000)
	r.fill(data)
	for _, cut := range []int{0, 1, 7, 8, 9, 63, 64, 65, 1000, 4999, 5000} {
		a, b := data[:cut], data[cut:]
		got := crc32cCombine(binpipe.CRC32C(a, 0), binpipe.CRC32C(b, 0), uint64(len(b)))
		if want := binpipe.CRC32C(data, 0); got != want {
			t.Errorf("cut at %d: combined 0x%08x, want 0x%08x", cut, got, want)
		}
	}
}
