package native

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/binpipe/binpipe/go-host/internal/callresult"
	"github.com/binpipe/binpipe/go-host/internal/purego"
)

// Varint-encode and extract-field against purego.

// varintValues reads in as little-endian 8-byte values, each shifted right by its first byte
// mod 64, so every encoded length from 1 to 10 bytes occurs.
func varintValues(in []byte) []uint64 {
	values := make([]uint64, len(in)/8)
	for i := range values {
		var v uint64
		for j := range 8 {
			v |= uint64(in[8*i+j]) << (8 * j)
		}
		values[i] = v >> (in[8*i] % 64)
	}
	return values
}

// checkVarintEncode compares VarintEncode of values, appended to a prefix, with purego.
func checkVarintEncode(t *testing.T, k Kernels, values []uint64) {
	t.Helper()
	want := purego.VarintEncode([]byte("x"), values)
	got, err := k.VarintEncode(ctx, []byte("x"), values)
	if err != nil || !bytes.Equal(got, want) {
		t.Fatalf("%v: VarintEncode(%d values) = %d bytes, %v; want %d", k.Tier(), len(values), len(got), err, len(want))
	}
}

// checkExtract compares ExtractField of src with purego.
func checkExtract(t *testing.T, k Kernels, src []byte, recordSize, offset, width int) {
	t.Helper()
	want := make([]byte, len(src)/recordSize*width)
	purego.ExtractField(want, src, recordSize, offset, width)
	got, err := k.ExtractField(ctx, []byte("x"), src, uint32(recordSize), uint32(offset), uint32(width))
	if err != nil || got[0] != 'x' || !bytes.Equal(got[1:], want) {
		t.Fatalf("%v: ExtractField(%d bytes, record %d, offset %d, width %d) = %d bytes, %v; want %d",
			k.Tier(), len(src), recordSize, offset, width, len(got)-1, err, len(want))
	}
}

// extractShapes are the (record size, offset, width) triples the sweep runs: every path of
// the kernels (shuffles for records of 2 to 8 bytes, fixed copies of 1 to 32 bytes, wide
// fields over 32 bytes, whole records).
var extractShapes = [][3]int{
	{1, 0, 1}, {2, 1, 1}, {3, 0, 2}, {4, 1, 2}, {5, 1, 3}, {8, 2, 4}, {8, 0, 8}, {12, 4, 8},
	{16, 3, 13}, {24, 0, 16}, {40, 5, 33}, {50, 1, 45}, {64, 0, 64}, {100, 10, 70},
}

func TestSweepVarintEncodeExtract(t *testing.T) {
	for _, k := range tiers(t) {
		sweep(t, func(t *testing.T, in []byte) {
			checkVarintEncode(t, k, varintValues(in))
			for _, s := range extractShapes {
				checkExtract(t, k, in, s[0], s[1], s[2])
			}
		})
	}
}

// TestRecordsProperties: random values of random lengths, and random record shapes.
func TestRecordsProperties(t *testing.T) {
	rounds := 500
	if testing.Short() {
		rounds = 80
	}
	for _, k := range tiers(t) {
		rng := rand.New(rand.NewPCG(13, 14))
		for range rounds {
			values := make([]uint64, rng.IntN(600))
			for i := range values {
				values[i] = rng.Uint64() >> rng.UintN(64)
			}
			checkVarintEncode(t, k, values)
			rs := 1 + rng.IntN(80)
			w := 1 + rng.IntN(rs)
			src := make([]byte, rng.IntN(4000))
			for i := range src {
				src[i] = byte(rng.Uint32())
			}
			checkExtract(t, k, src, rs, rng.IntN(rs-w+1), w)
		}
	}
}

// TestLongRecords crosses the chunk boundaries of VarintEncode and ExtractField.
func TestLongRecords(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 16))
	src := make([]byte, 3*chunkBytes+77)
	for i := range src {
		src[i] = byte(rng.Uint32())
	}
	values := varintValues(src)
	for _, k := range tiers(t) {
		for _, n := range []int{chunkBytes/8 - 1, chunkBytes / 8, chunkBytes/8 + 1, len(values)} {
			checkVarintEncode(t, k, values[:n])
		}
		for _, s := range [][3]int{{1, 0, 1}, {7, 2, 3}, {48, 0, 48}, {chunkBytes + 5, 3, 40}} {
			checkExtract(t, k, src, s[0], s[1], s[2])
		}
	}
}

func TestExtractArguments(t *testing.T) {
	for _, k := range tiers(t) {
		for _, s := range [][3]uint32{{0, 0, 1}, {4, 0, 0}, {4, 3, 2}, {4, 1 << 31, 1 << 31}} {
			got, err := k.ExtractField(ctx, []byte("d"), make([]byte, 16), s[0], s[1], s[2])
			var ke *callresult.Error
			if !errors.As(err, &ke) || ke.Kind != callresult.InvalidArgument || string(got) != "d" {
				t.Errorf("%v: ExtractField(record %d, offset %d, width %d) = %q, %v; want an invalid-argument error", k.Tier(), s[0], s[1], s[2], got, err)
			}
		}
	}
}
