package purego

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"math/bits"
	"math/rand/v2"
	"testing"
)

// stdByteswap swaps with the standard library's bits.ReverseBytes16/32/64, element by element.
func stdByteswap(src []byte, width int) []byte {
	out := bytes.Clone(src)
	for i := 0; i+width <= len(src); i += width {
		switch width {
		case 2:
			binary.LittleEndian.PutUint16(out[i:], bits.ReverseBytes16(binary.LittleEndian.Uint16(src[i:])))
		case 4:
			binary.LittleEndian.PutUint32(out[i:], bits.ReverseBytes32(binary.LittleEndian.Uint32(src[i:])))
		default:
			binary.LittleEndian.PutUint64(out[i:], bits.ReverseBytes64(binary.LittleEndian.Uint64(src[i:])))
		}
	}
	return out
}

func TestByteswapCases(t *testing.T) {
	src := []byte{1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}
	for _, tc := range []struct {
		width int
		want  []byte
	}{
		{2, []byte{2, 1, 4, 3, 6, 5, 8, 7, 10, 9, 11}},
		{4, []byte{4, 3, 2, 1, 8, 7, 6, 5, 9, 10, 11}},
		{8, []byte{8, 7, 6, 5, 4, 3, 2, 1, 9, 10, 11}},
	} {
		got := make([]byte, len(src))
		Byteswap(got, src, tc.width)
		if !bytes.Equal(got, tc.want) {
			t.Errorf("Byteswap(width %d) = %v, want %v", tc.width, got, tc.want)
		}
	}
}

func TestByteswapMatchesStdlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for _, width := range []int{2, 4, 8} {
		for n := 0; n <= 300; n++ {
			src := randomBytes(rng, n)
			got := make([]byte, n)
			Byteswap(got, src, width)
			if want := stdByteswap(src, width); !bytes.Equal(got, want) {
				t.Fatalf("width %d len %d: got %x want %x", width, n, got, want)
			}
			back := make([]byte, n)
			Byteswap(back, got, width)
			if !bytes.Equal(back, src) {
				t.Fatalf("width %d len %d: twice is not the identity", width, n)
			}
		}
	}
}

func TestByteswapVectors(t *testing.T) {
	runTransformVectors(t, "byteswap", func(c *transformVector, data []byte) []byte {
		out := make([]byte, len(data))
		Byteswap(out, data, c.Args["width"])
		return out
	})
}

func BenchmarkByteswap(b *testing.B) {
	src := randomBytes(rand.New(rand.NewPCG(7, 8)), 64<<10)
	dst := make([]byte, len(src))
	for _, w := range []int{2, 4, 8} {
		b.Run(fmt.Sprintf("w%d", w), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				Byteswap(dst, src, w)
			}
		})
	}
}
