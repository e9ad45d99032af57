package shufasm

import (
	"bytes"
	"math/rand/v2"
	"testing"
	"testing/quick"

	"github.com/binpipe/binpipe/go-host/internal/purego"
)

var elemSizes = []int{2, 4, 8}

// forEachLevel runs f with every instruction set this machine has (AVX2 and/or SSE2), so the
// SSE2 fallback is tested on AVX2 machines too.
func forEachLevel(t *testing.T, f func(t *testing.T)) {
	t.Helper()
	saved := level
	defer func() { level = saved }()
	levels := []int{saved}
	if saved == levelAVX2 {
		levels = append(levels, levelSSE2)
	}
	for _, l := range levels {
		level = l
		t.Run(Level(), f)
	}
}

func randBytes(r *rand.Rand, n int) []byte {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// check compares Shuffle and Unshuffle with purego on src; it also checks that the bytes
// around dst's window are untouched.
func check(t *testing.T, src []byte, es, dstOff int) {
	t.Helper()
	for _, op := range []string{"shuffle", "unshuffle"} {
		want := make([]byte, len(src))
		buf := bytes.Repeat([]byte{0xee}, dstOff+len(src)+64)
		dst := buf[dstOff : dstOff+len(src)]
		var ok bool
		if op == "shuffle" {
			purego.Shuffle(want, src, es)
			ok = Shuffle(dst, src, es)
		} else {
			purego.Unshuffle(want, src, es)
			ok = Unshuffle(dst, src, es)
		}
		if !ok {
			t.Fatalf("%s es %d not handled (level %s)", op, es, Level())
		}
		if !bytes.Equal(dst, want) {
			i := 0
			for dst[i] == want[i] {
				i++
			}
			t.Fatalf("%s es %d len %d dstOff %d: first difference at %d: got %#x want %#x",
				op, es, len(src), dstOff, i, dst[i], want[i])
		}
		for i, b := range buf {
			if (i < dstOff || i >= dstOff+len(src)) && b != 0xee {
				t.Fatalf("%s es %d len %d: wrote outside dst at %d", op, es, len(src), i-dstOff)
			}
		}
	}
}

func TestSupported(t *testing.T) {
	t.Logf("level %s", Level())
	for es := range 20 {
		want := Level() != "none" && (es == 2 || es == 4 || es == 8)
		if Supported(es) != want {
			t.Errorf("Supported(%d) = %v", es, !want)
		}
	}
	if !Supported(4) {
		if Shuffle(make([]byte, 8), make([]byte, 8), 4) || Unshuffle(make([]byte, 8), make([]byte, 8), 4) {
			t.Error("unsupported but reported handled")
		}
		t.Skip("no assembly on this platform")
	}
	if Shuffle(make([]byte, 9), make([]byte, 9), 3) {
		t.Error("es 3 reported handled")
	}
}

func TestEveryLength(t *testing.T) {
	if !Supported(4) {
		t.Skip("no assembly on this platform")
	}
	r := rand.New(rand.NewPCG(1, 2))
	data := randBytes(r, 1024+64)
	forEachLevel(t, func(t *testing.T) {
		for _, es := range elemSizes {
			for n := 0; n <= 1024; n++ {
				check(t, data[:n], es, 0)
			}
		}
	})
}

func TestAlignments(t *testing.T) {
	if !Supported(4) {
		t.Skip("no assembly on this platform")
	}
	r := rand.New(rand.NewPCG(3, 4))
	data := randBytes(r, 4096)
	forEachLevel(t, func(t *testing.T) {
		for _, es := range elemSizes {
			for srcOff := range 64 {
				for dstOff := 0; dstOff < 64; dstOff += 7 {
					for _, n := range []int{32*es - 1, 64*es + 3, 100 * es, 1000 + srcOff} {
						check(t, data[srcOff:srcOff+n], es, dstOff)
					}
				}
			}
		}
	})
}

func TestLarge(t *testing.T) {
	if !Supported(4) {
		t.Skip("no assembly on this platform")
	}
	r := rand.New(rand.NewPCG(5, 6))
	data := randBytes(r, 1<<20+100)
	forEachLevel(t, func(t *testing.T) {
		for _, es := range elemSizes {
			for _, n := range []int{1 << 20, 1<<20 + 1, 1<<20 + 7, 1<<20 + 33, 1<<20 + 99} {
				check(t, data[:n], es, 3)
			}
		}
	})
}

func TestQuick(t *testing.T) {
	if !Supported(4) {
		t.Skip("no assembly on this platform")
	}
	forEachLevel(t, func(t *testing.T) {
		f := func(src []byte, esIdx uint8, off uint8) bool {
			es := elemSizes[int(esIdx)%len(elemSizes)]
			check(t, src, es, int(off%64))
			return !t.Failed()
		}
		cfg := &quick.Config{MaxCount: 2000, Rand: nil}
		if err := quick.Check(f, cfg); err != nil {
			t.Error(err)
		}
		// quick's slices are short; add seeded random lengths up to 20 KiB.
		r := rand.New(rand.NewPCG(7, 8))
		for range 300 {
			es := elemSizes[r.IntN(len(elemSizes))]
			check(t, randBytes(r, r.IntN(20<<10)), es, r.IntN(64))
		}
	})
}

func TestRoundTrip(t *testing.T) {
	if !Supported(4) {
		t.Skip("no assembly on this platform")
	}
	r := rand.New(rand.NewPCG(9, 10))
	forEachLevel(t, func(t *testing.T) {
		for range 200 {
			es := elemSizes[r.IntN(len(elemSizes))]
			src := randBytes(r, r.IntN(5000))
			mid := make([]byte, len(src))
			back := make([]byte, len(src))
			Shuffle(mid, src, es)
			Unshuffle(back, mid, es)
			if !bytes.Equal(back, src) {
				t.Fatalf("es %d len %d: round trip differs", es, len(src))
			}
		}
	})
}

func TestShortDstPanics(t *testing.T) {
	if !Supported(4) {
		t.Skip("no assembly on this platform")
	}
	defer func() {
		if recover() == nil {
			t.Error("no panic for a short dst")
		}
	}()
	Shuffle(make([]byte, 100), make([]byte, 200), 4)
}

func BenchmarkShufasm(b *testing.B) {
	if !Supported(4) {
		b.Skip("no assembly on this platform")
	}
	data := randBytes(rand.New(rand.NewPCG(1, 1)), 1<<20)
	dst := make([]byte, 1<<20)
	for _, es := range elemSizes {
		for _, n := range []int{4 << 10, 64 << 10, 1 << 20} {
			b.Run("shuffle/es="+itoa(es)+"/size="+itoa(n), func(b *testing.B) {
				b.SetBytes(int64(n))
				for b.Loop() {
					Shuffle(dst, data[:n], es)
				}
			})
			b.Run("unshuffle/es="+itoa(es)+"/size="+itoa(n), func(b *testing.B) {
				b.SetBytes(int64(n))
				for b.Loop() {
					Unshuffle(dst, data[:n], es)
				}
			})
		}
	}
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
