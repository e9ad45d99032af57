package native

import (
	"bytes"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/binpipe/binpipe/go-host/internal/callresult"
	"github.com/binpipe/binpipe/go-host/internal/purego"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// sweep calls f for every length 0..maxLen at every alignment 0..63 of a random buffer
// (fewer under -short).
func sweep(t *testing.T, f func(t *testing.T, in []byte)) {
	t.Helper()
	maxLen, maxAlign := 1024, 63
	if testing.Short() {
		maxLen, maxAlign = 300, 7
	}
	rng := rand.New(rand.NewPCG(1, 2))
	buf := make([]byte, maxLen+64+64)
	for i := range buf {
		buf[i] = byte(rng.Uint32())
	}
	base := 64 - int(uintptr(unsafePointer(buf))%64)
	for align := 0; align <= maxAlign; align++ {
		for n := 0; n <= maxLen; n++ {
			f(t, buf[base+align:base+align+n])
			if t.Failed() {
				t.Fatalf("failed at length %d, alignment %d", n, align)
			}
		}
	}
}

func TestSweepXXH3(t *testing.T) {
	for _, k := range tiers(t) {
		sweep(t, func(t *testing.T, in []byte) {
			for _, seed := range []uint64{0, 0x9e3779b97f4a7c15} {
				got, err := k.XXH3(ctx, in, seed)
				if want := purego.XXH3(in, seed); err != nil || got != want {
					t.Errorf("%v: XXH3(%d bytes, %#x) = %#x, %v; want %#x", k.Tier(), len(in), seed, got, err, want)
				}
			}
		})
	}
}

func TestSweepBase64Encode(t *testing.T) {
	for _, k := range tiers(t) {
		sweep(t, func(t *testing.T, in []byte) {
			for _, mode := range [4][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
				want := make([]byte, base64Len(len(in), mode[1]))
				want = want[:purego.Base64Encode(want, in, mode[0], mode[1])]
				got, err := k.Base64Encode(ctx, []byte("x"), in, mode[0], mode[1])
				if err != nil || !bytes.Equal(got[1:], want) || got[0] != 'x' {
					t.Errorf("%v: Base64Encode(%d bytes, %v) = %q, %v; want %q", k.Tier(), len(in), mode, got, err, want)
				}
			}
		})
	}
}

// TestSweepChecksums runs both folds of each tier's CRC entries: with VPCLMULQDQ where the CPU
// has it, and the 128-bit one every CPU of the tier runs.
func TestSweepChecksums(t *testing.T) {
	for _, k := range tiers(t) {
		folds := []Kernels{k}
		if k.wide {
			narrow := k
			narrow.wide = false
			folds = append(folds, narrow)
		} else {
			t.Logf("%v: no VPCLMULQDQ here: the wide CRC fold skipped", k.Tier())
		}
		for _, k := range folds {
			sweep(t, func(t *testing.T, in []byte) {
				for _, seed := range []uint32{0, 0xdeadbeef} {
					if got, err := k.CRC32C(ctx, in, seed); err != nil || got != crc32.Update(seed, castagnoli, in) {
						t.Errorf("%v (wide %v): CRC32C(%d bytes, %#x) = %#x, %v", k.Tier(), k.wide, len(in), seed, got, err)
					}
					if got, err := k.CRC32(ctx, in, seed); err != nil || got != crc32.Update(seed, crc32.IEEETable, in) {
						t.Errorf("%v (wide %v): CRC32(%d bytes, %#x) = %#x, %v", k.Tier(), k.wide, len(in), seed, got, err)
					}
				}
			})
		}
	}
}

func TestSweepASCIIPrefix(t *testing.T) {
	for _, k := range tiers(t) {
		sweep(t, func(t *testing.T, in []byte) {
			ascii := bytes.Clone(in)
			for i := range ascii {
				ascii[i] &= 0x7f
			}
			for _, at := range []int{len(ascii) / 2, len(ascii) - 1, len(ascii)} {
				buf := bytes.Clone(ascii)
				if at >= 0 && at < len(buf) {
					buf[at] |= 0x80
				}
				got, err := k.ASCIIPrefix(ctx, buf)
				if want := purego.ASCIIPrefix(buf); err != nil || got != uint64(want) {
					t.Errorf("%v: ASCIIPrefix(%d bytes) = %d, %v; want %d", k.Tier(), len(buf), got, err, want)
				}
			}
		})
	}
}

func TestSweepHex(t *testing.T) {
	for _, k := range tiers(t) {
		sweep(t, func(t *testing.T, in []byte) {
			for _, upper := range []bool{false, true} {
				want := hex.EncodeToString(in)
				if upper {
					want = strings.ToUpper(want)
				}
				enc, err := k.HexEncode(ctx, nil, in, upper)
				if err != nil || string(enc) != want {
					t.Fatalf("%v: HexEncode(%d bytes, %v) = %q, %v; want %q", k.Tier(), len(in), upper, enc, err, want)
				}
				dec, err := k.HexDecode(ctx, []byte("x"), enc)
				if err != nil || !bytes.Equal(dec[1:], in) {
					t.Fatalf("%v: HexDecode(%d digits) = %x, %v", k.Tier(), len(enc), dec, err)
				}
			}
			// A bad digit reports its offset; an odd length, len(src).
			digits := []byte(hex.EncodeToString(in))
			if len(digits) > 0 {
				bad := bytes.Clone(digits)
				at := len(in) % len(bad)
				bad[at] = 'g'
				checkDataError(t, k, "HexDecode", func() ([]byte, error) { return k.HexDecode(ctx, nil, bad) }, uint64(at))
			}
			odd := append(bytes.Clone(digits), '0')
			checkDataError(t, k, "HexDecode", func() ([]byte, error) { return k.HexDecode(ctx, nil, odd) }, uint64(len(odd)))
		})
	}
}

// checkDataError requires f to fail with invalid data at offset.
func checkDataError(t *testing.T, k Kernels, name string, f func() ([]byte, error), offset uint64) {
	t.Helper()
	out, err := f()
	var ke *callresult.Error
	if !errors.As(err, &ke) || ke.Kind != callresult.InvalidData || ke.Offset != offset || out != nil {
		t.Errorf("%v: %s = %q, %v; want invalid data at %d", k.Tier(), name, out, err, offset)
	}
}

func TestSweepBase64Decode(t *testing.T) {
	for _, k := range tiers(t) {
		sweep(t, func(t *testing.T, in []byte) {
			for _, mode := range [4][2]bool{{false, false}, {false, true}, {true, false}, {true, true}} {
				enc := make([]byte, base64Len(len(in), mode[1]))
				enc = enc[:purego.Base64Encode(enc, in, mode[0], mode[1])]
				got, err := k.Base64Decode(ctx, []byte("x"), enc, mode[0], mode[1])
				if err != nil || !bytes.Equal(got[1:], in) {
					t.Fatalf("%v: Base64Decode(%d chars, %v) = %x, %v", k.Tier(), len(enc), mode, got, err)
				}
				// Corrupt one character (or cut one off): the offset must be purego's.
				for _, bad := range [][]byte{corrupt(enc, len(in)), enc[:max(len(enc)-1, 0)]} {
					want := make([]byte, (len(bad)+3)/4*3)
					_, off := purego.Base64Decode(want, bad, mode[0], mode[1])
					got, err := k.Base64Decode(ctx, nil, bad, mode[0], mode[1])
					if off < 0 {
						if err != nil {
							t.Fatalf("%v: Base64Decode(%q, %v): %v, purego accepts it", k.Tier(), bad, mode, err)
						}
						continue
					}
					checkDataError(t, k, "Base64Decode", func() ([]byte, error) { return got, err }, uint64(off))
				}
			}
		})
	}
}

// corrupt returns a copy of b with the byte at seed % len(b) replaced by one outside both
// alphabets (b itself if empty).
func corrupt(b []byte, seed int) []byte {
	if len(b) == 0 {
		return b
	}
	c := bytes.Clone(b)
	c[seed%len(c)] = '*'
	return c
}

func TestSweepByteswap(t *testing.T) {
	for _, k := range tiers(t) {
		sweep(t, func(t *testing.T, in []byte) {
			for _, w := range []uint32{2, 4, 8} {
				want := make([]byte, len(in))
				purego.Byteswap(want, in, int(w))
				got, err := k.Byteswap(ctx, []byte("x"), in, w)
				if err != nil || !bytes.Equal(got[1:], want) {
					t.Fatalf("%v: Byteswap(%d bytes, %d) = %x, %v; want %x", k.Tier(), len(in), w, got, err, want)
				}
				// In place at the sweep's alignment, then back (twice is the identity).
				orig := bytes.Clone(in)
				if err := k.ByteswapInPlace(in, w); err != nil || !bytes.Equal(in, want) {
					t.Fatalf("%v: ByteswapInPlace(%d bytes, %d) = %x, %v; want %x", k.Tier(), len(in), w, in, err, want)
				}
				if err := k.ByteswapInPlace(in, w); err != nil || !bytes.Equal(in, orig) {
					t.Fatalf("%v: ByteswapInPlace twice (%d bytes, %d) = %x, %v; want %x", k.Tier(), len(in), w, in, err, orig)
				}
			}
		})
		if _, err := k.Byteswap(ctx, nil, []byte{1, 2, 3}, 3); err == nil {
			t.Errorf("%v: Byteswap accepted width 3", k.Tier())
		}
		if err := k.ByteswapInPlace([]byte{1, 2, 3}, 3); err == nil {
			t.Errorf("%v: ByteswapInPlace accepted width 3", k.Tier())
		}
	}
}

func TestSweepBitunpack(t *testing.T) {
	for _, k := range tiers(t) {
		sweep(t, func(t *testing.T, in []byte) {
			for _, bits := range []uint32{0, 1, 7, 13, 32} {
				count := uint32(0)
				if bits > 0 {
					count = uint32(len(in) * 8 / int(bits))
				}
				want := purego.Bitunpack(nil, in, int(bits), int(count))
				got, err := k.Bitunpack(ctx, []uint32{9}, in, bits, count)
				if err != nil || len(got) != len(want)+1 || got[0] != 9 || !slices.Equal(got[1:], want) {
					t.Fatalf("%v: Bitunpack(%d bytes, %d bits, %d) = %v, %v", k.Tier(), len(in), bits, count, err, len(got))
				}
				if bits > 0 {
					_, err := k.Bitunpack(ctx, nil, in, bits, count+8)
					var ke *callresult.Error
					if !errors.As(err, &ke) || ke.Kind != callresult.InvalidData || ke.Offset != uint64(len(in)) {
						t.Fatalf("%v: Bitunpack of a short input: %v", k.Tier(), err)
					}
				}
			}
		})
		if _, err := k.Bitunpack(ctx, nil, nil, 33, 0); err == nil {
			t.Errorf("%v: Bitunpack accepted 33 bits", k.Tier())
		}
	}
}

func TestSweepSearch(t *testing.T) {
	for _, k := range tiers(t) {
		sweep(t, func(t *testing.T, in []byte) {
			for _, needle := range []byte{0, in0(in)} {
				if got, err := k.CountByte(ctx, in, needle); err != nil || got != uint64(bytes.Count(in, []byte{needle})) {
					t.Fatalf("%v: CountByte(%d bytes, %d) = %d, %v", k.Tier(), len(in), needle, got, err)
				}
				var want []uint32
				for i, c := range in {
					if c == needle {
						want = append(want, uint32(i)+5)
					}
				}
				got, err := k.IndexByte(ctx, []uint32{1}, in, needle, 5)
				if err != nil || got[0] != 1 || !slices.Equal(got[1:], want) {
					t.Fatalf("%v: IndexByte(%d bytes, %d) = %v, %v; want %v", k.Tier(), len(in), needle, got, err, want)
				}
			}
			b := bytes.Clone(in)
			if at, ok, err := k.Mismatch(ctx, in, b); ok || err != nil {
				t.Fatalf("%v: Mismatch of equal inputs = %d, %v, %v", k.Tier(), at, ok, err)
			}
			if len(b) > 0 {
				i := len(in) * 7 / 11
				b[i] ^= 1
				if at, ok, err := k.Mismatch(ctx, in, b); !ok || err != nil || at != uint64(i) {
					t.Fatalf("%v: Mismatch(%d bytes) = %d, %v, %v; want %d", k.Tier(), len(in), at, ok, err, i)
				}
				if at, ok, err := k.Mismatch(ctx, in, in[:len(in)-1]); !ok || err != nil || at != uint64(len(in)-1) {
					t.Fatalf("%v: Mismatch with a prefix = %d, %v, %v", k.Tier(), at, ok, err)
				}
			}
		})
	}
}

// in0 is in's first byte, or 1.
func in0(in []byte) byte {
	if len(in) == 0 {
		return 1
	}
	return in[0]
}

func TestSweepShuffleDelta(t *testing.T) {
	for _, k := range tiers(t) {
		sweep(t, func(t *testing.T, in []byte) {
			want := make([]byte, len(in))
			for _, es := range []uint32{1, 2, 3, 4, 7, 8, 16, 255} {
				if !k.Has("shuffle") {
					break
				}
				purego.Shuffle(want, in, int(es))
				got, err := k.Shuffle(ctx, []byte("x"), in, es)
				if err != nil || !bytes.Equal(got[1:], want) {
					t.Fatalf("%v: Shuffle(%d bytes, %d): %v", k.Tier(), len(in), es, err)
				}
				back, err := k.Unshuffle(ctx, nil, got[1:], es)
				if err != nil || !bytes.Equal(back, in) {
					t.Fatalf("%v: Unshuffle(%d bytes, %d): %v", k.Tier(), len(in), es, err)
				}
			}
			for _, w := range []uint32{1, 2, 4, 8} {
				purego.DeltaEncode(want, in, int(w))
				got, err := k.DeltaEncode(ctx, []byte("x"), in, w)
				if err != nil || !bytes.Equal(got[1:], want) {
					t.Fatalf("%v: DeltaEncode(%d bytes, %d): %v", k.Tier(), len(in), w, err)
				}
				back, err := k.DeltaDecode(ctx, nil, got[1:], w)
				if err != nil || !bytes.Equal(back, in) {
					t.Fatalf("%v: DeltaDecode(%d bytes, %d): %v", k.Tier(), len(in), w, err)
				}
			}
		})
		if _, err := k.DeltaEncode(ctx, nil, nil, 3); err == nil {
			t.Errorf("%v: DeltaEncode accepted width 3", k.Tier())
		}
		if k.Has("shuffle") {
			if _, err := k.Shuffle(ctx, nil, nil, 0); err == nil {
				t.Errorf("%v: Shuffle accepted elem-size 0", k.Tier())
			}
		} else if _, err := k.Shuffle(ctx, nil, []byte{1}, 2); err == nil {
			t.Errorf("%v: Shuffle ran though Has denies it", k.Tier())
		}
	}
}

func TestSweepFindAny(t *testing.T) {
	for _, k := range tiers(t) {
		sweep(t, func(t *testing.T, in []byte) {
			for _, needles := range [][]byte{{0}, {in0(in)}, []byte("aeiou,;\n\t\x00\xff"), bytes.Repeat([]byte{7}, 16)} {
				want := indexAnyBytes(in, needles)
				at, ok, err := k.FindAny(ctx, in, needles)
				if err != nil || ok != (want >= 0) || (ok && at != uint64(want)) {
					t.Fatalf("%v: FindAny(%d bytes, %q) = %d, %v, %v; want %d", k.Tier(), len(in), needles, at, ok, err, want)
				}
			}
		})
		for _, bad := range [][]byte{nil, make([]byte, 17)} {
			if _, _, err := k.FindAny(ctx, []byte("x"), bad); err == nil {
				t.Errorf("%v: FindAny accepted %d needles", k.Tier(), len(bad))
			}
		}
	}
}

// indexAnyBytes is the byte-wise reference of FindAny (bytes.IndexAny works on UTF-8 runes).
func indexAnyBytes(in, needles []byte) int {
	for i, c := range in {
		if bytes.IndexByte(needles, c) >= 0 {
			return i
		}
	}
	return -1
}

func TestSweepBitpack(t *testing.T) {
	for _, k := range tiers(t) {
		sweep(t, func(t *testing.T, in []byte) {
			values := make([]uint32, len(in)/2)
			for i := range values {
				values[i] = uint32(in[2*i]) | uint32(in[2*i+1])<<8
			}
			for _, bits := range []uint32{0, 1, 7, 16, 17, 32} {
				vs := slices.Clone(values)
				for i := range vs {
					if bits < 32 {
						vs[i] &= 1<<bits - 1
					}
				}
				want, bad := purego.Bitpack([]byte("x"), vs, int(bits))
				got, err := k.Bitpack(ctx, []byte("x"), vs, bits)
				if bad >= 0 || err != nil || !bytes.Equal(got, want) {
					t.Fatalf("%v: Bitpack(%d values, %d bits) = %v", k.Tier(), len(vs), bits, err)
				}
				if bits > 0 && bits < 32 && len(vs) > 0 {
					vs[len(vs)/2] = 1 << bits
					if _, err := k.Bitpack(ctx, nil, vs, bits); err == nil {
						t.Fatalf("%v: Bitpack accepted a value of 2^%d", k.Tier(), bits)
					}
				}
			}
		})
	}
}

func TestSweepVarintDecode(t *testing.T) {
	for _, k := range tiers(t) {
		sweep(t, func(t *testing.T, in []byte) {
			// Random bytes: mostly valid varints, sometimes malformed, often cut off.
			for _, data := range [][]byte{in, append(bytes.Clone(in), 0)} {
				want, bad := purego.VarintDecode([]uint64{7}, data)
				got, err := k.VarintDecode(ctx, []uint64{7}, data)
				if bad >= 0 {
					checkVarintError(t, k, got, err, uint64(bad))
					continue
				}
				if err != nil || !slices.Equal(got, want) {
					t.Fatalf("%v: VarintDecode(%d bytes) = %d values, %v; want %d", k.Tier(), len(data), len(got), err, len(want))
				}
			}
		})
	}
}

func checkVarintError(t *testing.T, k Kernels, got []uint64, err error, offset uint64) {
	t.Helper()
	var ke *callresult.Error
	if !errors.As(err, &ke) || ke.Kind != callresult.InvalidData || ke.Offset != offset || len(got) != 1 {
		t.Fatalf("%v: VarintDecode error %v (%d values); want invalid data at %d", k.Tier(), err, len(got), offset)
	}
}
