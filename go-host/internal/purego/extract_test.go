package purego

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"testing"
)

// naiveExtract is the definition: byte j of field r is src[r*recordSize+offset+j].
func naiveExtract(src []byte, recordSize, offset, width int) []byte {
	var out []byte
	for r := 0; r < len(src)/recordSize; r++ {
		for j := 0; j < width; j++ {
			out = append(out, src[r*recordSize+offset+j])
		}
	}
	return out
}

func TestExtractFieldCases(t *testing.T) {
	src := []byte("abcdefghijk")
	for _, tc := range []struct {
		recordSize, offset, width int
		want                      string
	}{
		{3, 1, 1, "beh"},
		{4, 2, 2, "cdgh"},
		{11, 0, 11, "abcdefghijk"},
		{12, 0, 1, ""},
		{5, 4, 1, "ej"},
		{1, 0, 1, "abcdefghijk"},
		{2, 0, 1, "acegi"},
		{5, 0, 3, "abcfgh"},
	} {
		dst := bytes.Repeat([]byte{'#'}, len(src)+4)
		n := ExtractField(dst, src, tc.recordSize, tc.offset, tc.width)
		if string(dst[:n]) != tc.want || bytes.Count(dst[n:], []byte{'#'}) != len(dst)-n {
			t.Errorf("ExtractField(%d, %d, %d) = %q (dst %q), want %q", tc.recordSize, tc.offset, tc.width, dst[:n], dst, tc.want)
		}
	}
}

func TestExtractFieldEveryLayout(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for rs := 1; rs <= 40; rs++ {
		for off := 0; off < rs; off++ {
			for w := 1; off+w <= rs; w++ {
				for _, records := range []int{0, 1, 2, 7, 33} {
					src := randomBytes(rng, records*rs+rng.IntN(rs))
					want := naiveExtract(src, rs, off, w)
					dst := bytes.Repeat([]byte{0x5A}, len(want)+9)
					n := ExtractField(dst, src, rs, off, w)
					if n != len(want) || !bytes.Equal(dst[:n], want) || bytes.Count(dst[n:], []byte{0x5A}) != 9 {
						t.Fatalf("rs %d off %d w %d len %d: got %x want %x", rs, off, w, len(src), dst[:n], want)
					}
				}
			}
		}
	}
}

func TestExtractFieldVectors(t *testing.T) {
	runTransformVectors(t, "extract-field", func(c *transformVector, data []byte) []byte {
		rs, off, w := c.Args["record_size"], c.Args["offset"], c.Args["width"]
		out := make([]byte, len(data)/rs*w)
		return out[:ExtractField(out, data, rs, off, w)]
	})
}

func BenchmarkExtractField(b *testing.B) {
	src := randomBytes(rand.New(rand.NewPCG(11, 12)), 64<<10)
	dst := make([]byte, len(src))
	for _, l := range [][3]int{{4, 1, 1}, {8, 4, 4}, {16, 8, 8}, {24, 4, 13}} {
		b.Run(fmt.Sprintf("r%do%dw%d", l[0], l[1], l[2]), func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				ExtractField(dst, src, l[0], l[1], l[2])
			}
		})
	}
}
