package native

import (
	"bytes"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"testing"

	"github.com/binpipe/binpipe/go-host/internal/callresult"
	"github.com/binpipe/binpipe/go-host/internal/purego"
)

// elemBits is element i of column (type ty) as a compare value: an integer's two's
// complement sign- or zero-extended to 64 bits, a float's float64 bits.
func elemBits(column []byte, ty uint32, i int) uint64 {
	w := elemWidth(ty)
	b := column[i*w : (i+1)*w]
	var v uint64
	for j, c := range b {
		v |= uint64(c) << (8 * j)
	}
	switch {
	case ty == 8:
		return math.Float64bits(float64(math.Float32frombits(uint32(v))))
	case elemClass(ty) == 1 && w < 8:
		shift := 64 - 8*w
		return uint64(int64(v<<shift) >> shift)
	}
	return v
}

// checkColumnKernels compares Compare (every op, a value from the column and one from rng),
// Select (every width, a random bitmap) and Aggregate (every type) on column with purego.
func checkColumnKernels(t *testing.T, k Kernels, column []byte, rng *rand.Rand) {
	t.Helper()
	for ty := range uint32(numElemTypes) {
		w := elemWidth(ty)
		if len(column)%w != 0 {
			continue
		}
		n := len(column) / w
		values := []uint64{0}
		if n > 0 {
			values = append(values, elemBits(column, ty, rng.IntN(n)))
		}
		scratch := make([]byte, 8)
		binary.LittleEndian.PutUint64(scratch, rng.Uint64())
		values = append(values, elemBits(scratch, ty, 0))
		for op := range uint32(numCmpOps) {
			for _, v := range values {
				want := make([]byte, (n+7)/8)
				purego.Compare(want, column, uint8(ty), uint8(op), v)
				got, err := k.Compare(ctx, []byte("x"), column, ty, op, elemClass(ty), v)
				if err != nil || got[0] != 'x' || !bytes.Equal(got[1:], want) {
					t.Fatalf("%v: Compare(%d bytes, ty %d, op %d, %#x) = %x, %v; want %x", k.Tier(), len(column), ty, op, v, got, err, want)
				}
			}
		}
		want := purego.Aggregate(column, uint8(ty))
		got, err := k.Aggregate(ctx, column, ty)
		if err != nil || got.Class != elemClass(ty) || got.Count != want.Count || got.HasMin != want.HasMin ||
			got.HasMax != want.HasMax || got.Min != want.Min || got.Max != want.Max || got.Sum != want.Sum {
			t.Fatalf("%v: Aggregate(%d bytes, ty %d) = %+v, %v; want %+v", k.Tier(), len(column), ty, got, err, want)
		}
	}
	for _, w := range []int{1, 2, 4, 8} {
		if len(column)%w != 0 {
			continue
		}
		bitmap := make([]byte, (len(column)/w+7)/8+rng.IntN(2)) // bytes past ceil(n/8) are ignored
		for i := range bitmap {
			bitmap[i] = byte(rng.Uint32())
		}
		want := make([]byte, len(column))
		want = want[:purego.Select(want, column, w, bitmap)]
		got, err := k.Select(ctx, []byte("x"), column, uint32(w), bitmap)
		if err != nil || got[0] != 'x' || !bytes.Equal(got[1:], want) {
			t.Fatalf("%v: Select(%d bytes, width %d) = %d bytes, %v; want %d", k.Tier(), len(column), w, len(got)-1, err, len(want))
		}
	}
}

func TestSweepColumn(t *testing.T) {
	for _, k := range tiers(t) {
		rng := rand.New(rand.NewPCG(7, 8))
		sweep(t, func(t *testing.T, in []byte) { checkColumnKernels(t, k, in, rng) })
	}
}

// specialColumn is n random elements of width w drawn mostly from edge values: the integer
// extremes and, read as floats, NaNs, infinities and both zeros.
func specialColumn(rng *rand.Rand, n, w int) []byte {
	var edges []uint64
	if w == 4 {
		edges = []uint64{0, 1 << 31, 0x7fc00000, 0xffc00001, 0x7f800000, 0xff800000, 0x7fffffff, 0x80000001, 0x3f800000}
	} else {
		edges = []uint64{0, 1 << 63, 0x7ff8000000000000, 0xfff0000000000001, 0x7ff0000000000000, 0xfff0000000000000,
			math.MaxInt64, 1, 0x3ff0000000000000, 0xff, 0x80, 0x7fff, 0x8000}
	}
	col := make([]byte, n*w)
	for i := range n {
		v := rng.Uint64()
		if rng.IntN(4) != 0 {
			v = edges[rng.IntN(len(edges))]
		}
		for j := range w {
			col[i*w+j] = byte(v >> (8 * j))
		}
	}
	return col
}

// TestColumnProperties runs random columns of edge values (float specials, integer extremes)
// of random lengths through every column kernel.
func TestColumnProperties(t *testing.T) {
	rounds := 400
	if testing.Short() {
		rounds = 60
	}
	for _, k := range tiers(t) {
		rng := rand.New(rand.NewPCG(9, 10))
		for range rounds {
			w := []int{1, 2, 4, 8}[rng.IntN(4)]
			checkColumnKernels(t, k, specialColumn(rng, rng.IntN(2000), w), rng)
		}
	}
}

// TestLongColumns crosses the chunk boundaries of Compare, Select and Aggregate (integer
// columns are aggregated chunk by chunk).
func TestLongColumns(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	col := specialColumn(rng, 3*chunkBytes/8+5, 8)
	for _, k := range tiers(t) {
		for _, n := range []int{chunkBytes - 8, chunkBytes, chunkBytes + 8, 2*chunkBytes + 24, len(col)} {
			checkColumnKernels(t, k, col[:n], rng)
		}
	}
}

// TestColumnArguments: every argument the kernels refuse is an invalid-argument error, with
// dst unchanged, before any native call.
func TestColumnArguments(t *testing.T) {
	for _, k := range tiers(t) {
		dst := []byte("d")
		for name, f := range map[string]func() ([]byte, error){
			"unknown type":         func() ([]byte, error) { return k.Compare(ctx, dst, nil, 10, 0, 0, 0) },
			"unknown op":           func() ([]byte, error) { return k.Compare(ctx, dst, nil, 0, 6, 0, 0) },
			"wrong class":          func() ([]byte, error) { return k.Compare(ctx, dst, nil, 0, 0, 1, 0) },
			"u8 value 256":         func() ([]byte, error) { return k.Compare(ctx, dst, nil, 0, 0, 0, 256) },
			"i8 value 128":         func() ([]byte, error) { return k.Compare(ctx, dst, nil, 4, 0, 1, 128) },
			"i16 value -32769":     func() ([]byte, error) { return k.Compare(ctx, dst, nil, 5, 0, 1, uint64(1<<64-32769)) },
			"ragged compare":       func() ([]byte, error) { return k.Compare(ctx, dst, make([]byte, 3), 1, 0, 0, 0) },
			"select width 3":       func() ([]byte, error) { return k.Select(ctx, dst, make([]byte, 3), 3, []byte{1}) },
			"ragged select":        func() ([]byte, error) { return k.Select(ctx, dst, make([]byte, 6), 4, []byte{1}) },
			"short select bitmap":  func() ([]byte, error) { return k.Select(ctx, dst, make([]byte, 9), 1, []byte{1}) },
			"aggregate type 10":    func() ([]byte, error) { _, err := k.Aggregate(ctx, nil, 10); return dst, err },
			"ragged aggregate f64": func() ([]byte, error) { _, err := k.Aggregate(ctx, make([]byte, 12), 9); return dst, err },
		} {
			got, err := f()
			var ke *callresult.Error
			if !errors.As(err, &ke) || ke.Kind != callresult.InvalidArgument || string(got) != "d" {
				t.Errorf("%v: %s: %q, %v; want an invalid-argument error and dst unchanged", k.Tier(), name, got, err)
			}
		}
		// In range: i8 -128 and f32 values beyond float32's range (they round to infinity).
		if _, err := k.Compare(ctx, nil, []byte{0x80}, 4, 0, 1, uint64(1<<64-128)); err != nil {
			t.Errorf("%v: Compare(i8, -128): %v", k.Tier(), err)
		}
		if got, err := k.Compare(ctx, nil, []byte{0, 0, 0x80, 0x7f}, 8, 0, 2, math.Float64bits(1e300)); err != nil || got[0] != 1 {
			t.Errorf("%v: Compare(f32 +inf == 1e300) = %x, %v; want 01", k.Tier(), got, err)
		}
	}
}
