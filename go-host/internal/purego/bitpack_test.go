package purego

import (
	"encoding/binary"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"
)

// bigPack packs with math/big: value i shifted to bit i*bits of one integer, whose
// little-endian bytes are the stream.
func bigPack(values []uint32, bits int) []byte {
	acc := new(big.Int)
	for i, v := range values {
		acc.Or(acc, new(big.Int).Lsh(big.NewInt(int64(v)), uint(i*bits)))
	}
	out := make([]byte, (len(values)*bits+7)/8)
	be := acc.Bytes()
	for i, b := range be {
		out[len(be)-1-i] = b
	}
	return out
}

// bigUnpack unpacks with math/big.
func bigUnpack(src []byte, bits, count int) []uint32 {
	be := slices.Clone(src)
	slices.Reverse(be)
	acc := new(big.Int).SetBytes(be)
	mask := new(big.Int).Sub(new(big.Int).Lsh(big.NewInt(1), uint(bits)), big.NewInt(1))
	out := make([]uint32, count)
	for i := range out {
		out[i] = uint32(new(big.Int).And(new(big.Int).Rsh(acc, uint(i*bits)), mask).Uint64())
	}
	return out
}

func randValues(r *rand.Rand, n, bits int) []uint32 {
	out := make([]uint32, n)
	for i := range out {
		out[i] = uint32(r.Uint64() >> (64 - bits))
	}
	return out
}

func TestBitpackCases(t *testing.T) {
	for _, tc := range []struct {
		values []uint32
		bits   int
		want   []byte
	}{
		{[]uint32{1, 2, 3}, 3, []byte{0xD1, 0x00}},
		{[]uint32{1, 0, 1, 1, 0, 0, 0, 1, 1}, 1, []byte{0x8D, 0x01}},
		{[]uint32{0xABC, 0xDEF}, 12, []byte{0xBC, 0xFA, 0xDE}},
		{[]uint32{0xFFFF_FFFF, 7}, 32, []byte{0xFF, 0xFF, 0xFF, 0xFF, 7, 0, 0, 0}},
		{[]uint32{0, 0, 0}, 0, []byte{}},
		{nil, 17, []byte{}},
	} {
		got, bad := Bitpack(nil, tc.values, tc.bits)
		if bad != -1 || !slices.Equal(got, tc.want) {
			t.Errorf("Bitpack(%v, %d) = %x %d, want %x", tc.values, tc.bits, got, bad, tc.want)
		}
		back := Bitunpack(nil, tc.want, tc.bits, len(tc.values))
		if len(tc.values) > 0 && !slices.Equal(back, tc.values) {
			t.Errorf("Bitunpack(%x, %d) = %v", tc.want, tc.bits, back)
		}
	}
	if got, bad := Bitpack([]byte{9}, []uint32{1, 8, 9}, 3); bad != 1 || !slices.Equal(got, []byte{9}) {
		t.Errorf("too wide: %x %d", got, bad)
	}
	if got, bad := Bitpack([]byte{9}, []uint32{1}, 0); bad != 0 || len(got) != 1 {
		t.Errorf("bits 0: %x %d", got, bad)
	}
	if got := Bitunpack([]uint32{5}, nil, 0, 3); !slices.Equal(got, []uint32{5, 0, 0, 0}) {
		t.Errorf("bits 0 unpack: %v", got)
	}
	if got, _ := Bitpack([]byte{9}, []uint32{1, 2, 3}, 3); !slices.Equal(got, []byte{9, 0xD1, 0x00}) {
		t.Errorf("append pack: %x", got)
	}
}

func TestBitpackAgainstMathBig(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 8))
	for bits := 0; bits <= 32; bits++ {
		for n := range 140 {
			values := randValues(r, n, bits)
			want := bigPack(values, bits)
			got, bad := Bitpack(nil, values, bits)
			if bad != -1 || !slices.Equal(got, want) {
				t.Fatalf("bits %d n %d: pack %x, want %x", bits, n, got, want)
			}
			// Unpack arbitrary bytes (nonzero padding bits), with and without bytes to spare.
			src := make([]byte, (n*bits+7)/8+r.IntN(3))
			for i := range src {
				src[i] = byte(r.Uint32())
			}
			if un := Bitunpack(nil, src, bits, n); !slices.Equal(un, bigUnpack(src, bits, n)) {
				t.Fatalf("bits %d n %d: unpack differs from math/big", bits, n)
			}
			// A too-wide value at each position.
			if bits < 32 && n > 0 {
				pos := r.IntN(n)
				values[pos] |= 1 << bits
				if _, bad := Bitpack(nil, values, bits); bad != pos {
					t.Fatalf("bits %d: badIndex %d, want %d", bits, bad, pos)
				}
			}
		}
	}
}

func BenchmarkBitunpack(b *testing.B) {
	r := rand.New(rand.NewPCG(9, 10))
	for _, bits := range []int{1, 7, 13, 32} {
		values := randValues(r, 16384, bits)
		src, _ := Bitpack(nil, values, bits)
		dst := make([]uint32, 0, len(values))
		b.Run(fmt.Sprintf("bits-%d", bits), func(b *testing.B) {
			b.SetBytes(int64(4 * len(values)))
			for b.Loop() {
				dst = Bitunpack(dst[:0], src, bits, len(values))
			}
		})
	}
}

func TestBitpackVectors(t *testing.T) {
	for _, c := range bitsVectors(t) {
		var out []byte
		bad, kind := -1, "invalid-argument"
		bits := c.Args.Bits
		switch c.Kernel {
		case "bitpack":
			values := make([]uint32, len(c.data)/4)
			for i := range values {
				values[i] = binary.LittleEndian.Uint32(c.data[4*i:])
			}
			if bits > 32 { // the caller's check
				bad = 0
				break
			}
			out, bad = Bitpack(nil, values, bits)
		case "bitunpack":
			// The caller's checks: bits, then the data length (truncation).
			if bits > 32 {
				bad = 0
				break
			}
			if need := (uint64(c.Args.Count)*uint64(bits) + 7) / 8; uint64(len(c.data)) < need {
				bad, kind = len(c.data), "invalid-data"
				break
			}
			for _, v := range Bitunpack(nil, c.data, bits, c.Args.Count) {
				out = binary.LittleEndian.AppendUint32(out, v)
			}
		default:
			continue
		}
		if !c.matches(out, bad, kind) {
			t.Errorf("%s: got %d bytes, bad %d", c.Name, len(out), bad)
		}
	}
}
