package native

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

// checkFindByte compares FindByte of in with bytes.IndexByte for needle.
func checkFindByte(t *testing.T, k Kernels, in []byte, needle byte) {
	t.Helper()
	at, ok, err := k.FindByte(ctx, in, needle)
	want := bytes.IndexByte(in, needle)
	if err != nil || ok != (want >= 0) || (ok && int(at) != want) {
		t.Fatalf("%v: FindByte(%d bytes, %#x) = %d, %v, %v; want %d", k.Tier(), len(in), needle, at, ok, err, want)
	}
}

func TestSweepFindByte(t *testing.T) {
	for _, k := range tiers(t) {
		sweep(t, func(t *testing.T, in []byte) {
			for _, needle := range []byte{0x00, 0x41, 0xff} { // mostly absent in short inputs
				checkFindByte(t, k, in, needle)
			}
			if len(in) > 0 { // the last byte, which can only be found at the end or before
				checkFindByte(t, k, in, in[len(in)-1])
			}
		})
	}
}

// TestFindByteProperties: one needle placed at a random offset of a buffer without it, and
// inputs long enough to cross chunks.
func TestFindByteProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 18))
	for _, k := range tiers(t) {
		for _, n := range []int{1, 63, 64, 65, 4095, chunkBytes - 1, chunkBytes, chunkBytes + 1, 2*chunkBytes + 9} {
			buf := bytes.Repeat([]byte{'a'}, n)
			checkFindByte(t, k, buf, 'b')
			for range 4 {
				i := rng.IntN(n)
				buf[i] = 'b'
				checkFindByte(t, k, buf, 'b')
				buf[i] = 'a'
			}
		}
	}
}
