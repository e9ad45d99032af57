package native

import (
	"math/rand/v2"
	"testing"
	"unicode/utf8"

	"github.com/binpipe/binpipe/go-host/internal/purego"
)

// checkUTF8 compares UTF8Validate of in with purego's (core::str::from_utf8's verdict).
func checkUTF8(t *testing.T, k Kernels, in []byte) {
	t.Helper()
	upTo, errLen := purego.UTF8Validate(in)
	want := uint32(errLen)
	if upTo < len(in) && errLen == 0 {
		want = 4
	}
	gotUpTo, got, err := k.UTF8Validate(ctx, in)
	if err != nil || gotUpTo != uint64(upTo) || got != want {
		t.Fatalf("%v: UTF8Validate(%d bytes) = %d, %d, %v; want %d, %d", k.Tier(), len(in), gotUpTo, got, err, upTo, want)
	}
	if (got == 0) != utf8.Valid(in) {
		t.Fatalf("%v: UTF8Validate(%d bytes) says %d, utf8.Valid %v", k.Tier(), len(in), got, utf8.Valid(in))
	}
}

// mixedText is n bytes of valid UTF-8 of 1- to 4-byte characters, cut to n (so it may end
// inside a character).
func mixedText(rng *rand.Rand, n int) []byte {
	runes := []rune{'a', 'z', '~', 'é', 'ß', 'Ж', '€', '漢', '😀', 0x10FFFF}
	out := make([]byte, 0, n+4)
	for len(out) < n {
		out = utf8.AppendRune(out, runes[rng.IntN(len(runes))])
	}
	return out[:n]
}

func TestSweepUTF8Validate(t *testing.T) {
	for _, k := range tiers(t) {
		rng := rand.New(rand.NewPCG(19, 20))
		sweep(t, func(t *testing.T, in []byte) {
			checkUTF8(t, k, in) // random bytes: invalid early, mostly
			text := mixedText(rng, len(in))
			checkUTF8(t, k, text)
			if len(text) > 0 { // one corrupted byte
				text[rng.IntN(len(text))] = byte(rng.Uint32())
				checkUTF8(t, k, text)
			}
		})
	}
}

// TestUTF8Long: valid text across chunk boundaries, with an error or a character cut at each
// boundary.
func TestUTF8Long(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	text := mixedText(rng, 3*chunkBytes+11)
	for _, k := range tiers(t) {
		for _, n := range []int{chunkBytes - 1, chunkBytes, chunkBytes + 1, chunkBytes + 2, 2*chunkBytes + 3, len(text)} {
			checkUTF8(t, k, text[:n])
		}
		for _, at := range []int{chunkBytes - 2, chunkBytes - 1, chunkBytes, 2*chunkBytes + 1} {
			bad := append([]byte(nil), text...)
			bad[at] = 0xff
			checkUTF8(t, k, bad)
		}
		// A run of continuation bytes across a boundary, longer than any sequence: the chunk
		// cannot be ended before it, so it ends inside it and is continued.
		for _, at := range []int{chunkBytes - 4, chunkBytes - 2, chunkBytes} {
			bad := append([]byte(nil), text...)
			bad[at-1] = 0xe2
			copy(bad[at:], []byte{0x82, 0x82, 0x82, 0x82, 0x82})
			checkUTF8(t, k, bad)
		}
	}
}
