package binpipe_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"math/rand/v2"
	"sync"
	"testing"

	binpipe "github.com/binpipe/binpipe/go-host"
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

var elemSizes = func() []int {
	s := []int{255}
	for es := 1; es <= 20; es++ {
		s = append(s, es)
	}
	return s
}()

// checkAll compares every kernel on every engine with the references for one input; the
// references are computed once per input, as they dominate the test's time under -race.
func checkAll(t testing.TB, engines []namedEngine, in []byte, sizes []int) {
	t.Helper()
	seed := uint32(len(in)) * 0x9E3779B9
	wantCRC := crc32.Update(seed, castagnoli, in)
	needle := byte(len(in))
	wantCount := bytes.Count(in, []byte{needle})
	for _, ne := range engines {
		if got, err := ne.e.CRC32C(in, seed); err != nil || got != wantCRC {
			t.Fatalf("%s: CRC32C(len %d) = %#x, %v; want %#x", ne.name, len(in), got, err, wantCRC)
		}
		if got, err := ne.e.CountByte(in, needle); err != nil || got != wantCount {
			t.Fatalf("%s: CountByte(len %d) = %d, %v; want %d", ne.name, len(in), got, err, wantCount)
		}
	}
	for _, es := range sizes {
		want := refShuffle(in, es)
		if !bytes.Equal(refUnshuffle(want, es), in) {
			t.Fatalf("reference unshuffle does not invert shuffle (len %d, es %d)", len(in), es)
		}
		for _, ne := range engines {
			got, err := ne.e.Shuffle(nil, in, es)
			if err != nil || !bytes.Equal(got, want) {
				t.Fatalf("%s: Shuffle(len %d, es %d) = %x, %v; want %x", ne.name, len(in), es, got, err, want)
			}
			back, err := ne.e.Unshuffle(got[:0:0], want, es)
			if err != nil || !bytes.Equal(back, in) {
				t.Fatalf("%s: Unshuffle(len %d, es %d) = %x, %v; want %x", ne.name, len(in), es, back, err, in)
			}
		}
	}
}

// TestDifferential: every backend equals the references at every length 0..1024 and all
// element sizes 1..20 and 255, and at a few large sizes (which cross the CRC/count chunk size).
func TestDifferential(t *testing.T) {
	data := splitmix64(42, 3<<20+5)
	engines := allEngines(t)
	for n := 0; n <= 1024; n++ {
		checkAll(t, engines, data[:n], elemSizes)
	}
	for _, n := range []int{4096 + 1, 64<<10 + 3, 1<<20 - 1, 1<<20 + 7, 3<<20 + 5} {
		checkAll(t, engines, data[:n], []int{1, 3, 4, 8, 16, 255})
	}
}

// TestChunking uses a tiny maximum buffer so the wasm paths feed CRC32C and CountByte in many
// pieces, refuse long shuffles with ErrTooLarge, and BackendAuto runs those in Go instead.
func TestChunking(t *testing.T) {
	data := splitmix64(7, 300<<10+3)
	engines := allEngines(t, binpipe.WithMaxBufferSize(1000))
	checkAll(t, engines, data, nil)
	checkAll(t, engines, data[:1000], []int{3, 8})
	for _, ne := range engines {
		_, err := ne.e.Shuffle(nil, data[:1001], 4)
		switch b := ne.e.Backend(); b {
		case binpipe.BackendWasm, binpipe.BackendCanonical:
			if !errors.Is(err, binpipe.ErrTooLarge) {
				t.Errorf("%s: Shuffle over the maximum buffer: %v, want ErrTooLarge", ne.name, err)
			}
		default:
			if err != nil {
				t.Errorf("%s: Shuffle over the maximum buffer: %v, want a Go fallback", ne.name, err)
			}
		}
	}
}

func TestBadElemSize(t *testing.T) {
	for _, ne := range allEngines(t) {
		for _, es := range []int{0, -1, 256, math.MaxInt} {
			dst := []byte("dst")
			out, err := ne.e.Shuffle(dst, []byte("abcdef"), es)
			var kerr *binpipe.KernelError
			if !errors.Is(err, binpipe.ErrInvalidArgument) || !errors.As(err, &kerr) || kerr.Kernel != "shuffle" {
				t.Errorf("%s: Shuffle(es %d) error %v, want a shuffle *KernelError matching ErrInvalidArgument", ne.name, es, err)
			}
			if string(out) != "dst" {
				t.Errorf("%s: Shuffle(es %d) returned %q, want dst unchanged", ne.name, es, out)
			}
			if _, err := ne.e.Unshuffle(nil, nil, es); !errors.Is(err, binpipe.ErrInvalidArgument) {
				t.Errorf("%s: Unshuffle(es %d) error %v", ne.name, es, err)
			}
		}
	}
}

// TestHammer calls every kernel from many goroutines on every backend, with a pool smaller
// than the number of goroutines, and through the package-level functions.
func TestHammer(t *testing.T) {
	engines := allEngines(t, binpipe.WithPoolSize(2))
	engines = append(engines, namedEngine{"package", nil})
	data := splitmix64(99, 256<<10)
	const goroutines, iters = 16, 60
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(g), 1))
			for range iters {
				ne := engines[rng.IntN(len(engines))]
				n := rng.IntN(64 << 10)
				if rng.IntN(8) == 0 {
					n = rng.IntN(len(data))
				}
				off := rng.IntN(len(data) - n + 1)
				in := data[off : off+n]
				es := 1 + rng.IntN(16)
				if err := hammerOnce(ne, in, es, rng.IntN(8)); err != nil {
					t.Errorf("%s len %d es %d: %v", ne.name, n, es, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func hammerOnce(ne namedEngine, in []byte, es, kernel int) error {
	var (
		crc   func([]byte, uint32) (uint32, error)
		count func([]byte, byte) (int, error)
		shuf  func([]byte, []byte, int) ([]byte, error)
		unsh  func([]byte, []byte, int) ([]byte, error)
	)
	if ne.e == nil {
		crc = func(b []byte, s uint32) (uint32, error) { return binpipe.CRC32C(b, s), nil }
		count = func(b []byte, c byte) (int, error) { return binpipe.CountByte(b, c), nil }
		shuf, unsh = binpipe.Shuffle, binpipe.Unshuffle
	} else {
		crc, count, shuf, unsh = ne.e.CRC32C, ne.e.CountByte, ne.e.Shuffle, ne.e.Unshuffle
	}
	switch kernel {
	case 0:
		if got, err := crc(in, 1); err != nil || got != crc32.Update(1, castagnoli, in) {
			return errorf("CRC32C = %#x, %v", got, err)
		}
	case 1:
		if got, err := count(in, 0x5a); err != nil || got != bytes.Count(in, []byte{0x5a}) {
			return errorf("CountByte = %d, %v", got, err)
		}
	case 2:
		if got, err := shuf(nil, in, es); err != nil || !bytes.Equal(got, refShuffle(in, es)) {
			return errorf("Shuffle wrong, %v", err)
		}
	case 3:
		if got, err := unsh(nil, in, es); err != nil || !bytes.Equal(got, refUnshuffle(in, es)) {
			return errorf("Unshuffle wrong, %v", err)
		}
	default:
		return hammerSuite(ne, in, kernel)
	}
	return nil
}

// hammerSuite is hammerOnce for some of the suite's kernels: round trips and references.
func hammerSuite(ne namedEngine, in []byte, kernel int) error {
	e := ne.e
	if e == nil {
		e = goOnly
	}
	switch kernel {
	case 4:
		var enc, dec []byte
		var err error
		if ne.e == nil {
			enc = binpipe.HexEncode(nil, in, true)
			dec, err = binpipe.HexDecode(nil, enc)
		} else if enc, err = e.HexEncode(nil, in, true); err == nil {
			dec, err = e.HexDecode(nil, enc)
		}
		if err != nil || !bytes.Equal(dec, in) || !bytes.Equal(enc, bytes.ToUpper([]byte(hex.EncodeToString(in)))) {
			return errorf("hex round trip wrong, %v", err)
		}
	case 5:
		idx, err := e.IndexByte(nil, in, 0x5a)
		if ne.e == nil {
			idx, err = binpipe.IndexByte(nil, in, 0x5a)
		}
		if err != nil || fmt.Sprint(idx) != fmt.Sprint(refIndexByte(in, 0x5a)) {
			return errorf("IndexByte wrong, %v", err)
		}
	case 6:
		values := make([]uint64, len(in)/8)
		for i := range values {
			values[i] = binary.LittleEndian.Uint64(in[8*i:]) >> (i % 64)
		}
		enc, err := e.VarintEncode(nil, values)
		if ne.e == nil {
			enc = binpipe.VarintEncode(nil, values)
		}
		if err != nil || !bytes.Equal(enc, appendUvarints(nil, values)) {
			return errorf("VarintEncode wrong, %v", err)
		}
		if dec, err := e.VarintDecode(nil, enc); err != nil || fmt.Sprint(dec) != fmt.Sprint(values) {
			return errorf("VarintDecode wrong, %v", err)
		}
	case 7:
		col := in[:len(in)/8*8]
		want, _ := goOnly.Aggregate(col, binpipe.F64)
		got, err := e.Aggregate(col, binpipe.F64)
		if ne.e == nil {
			got, err = binpipe.Aggregate(col, binpipe.F64)
		}
		if err != nil || got != want {
			return errorf("Aggregate = %+v, %v; want %+v", got, err, want)
		}
	}
	return nil
}

// goOnly is a Go-backend engine shared by the tests that need a reference run.
var goOnly = func() *binpipe.Engine {
	e, err := binpipe.New(context.Background(), binpipe.WithBackend(binpipe.BackendGo))
	if err != nil {
		panic(err)
	}
	return e
}()

// TestInPlace checks that a destination aliasing the source (Shuffle(buf[:0], buf, es)) gives
// the same bytes as separate buffers, on every backend.
func TestInPlace(t *testing.T) {
	src := splitmix64(7, 4099)
	for _, ne := range allEngines(t) {
		for _, es := range []int{1, 2, 3, 4, 8, 16} {
			want, err := ne.e.Shuffle(nil, src, es)
			if err != nil {
				t.Fatalf("%s: Shuffle: %v", ne.name, err)
			}
			buf := bytes.Clone(src)
			got, err := ne.e.Shuffle(buf[:0], buf, es)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s: in-place Shuffle(es %d) differs from out-of-place (err %v)", ne.name, es, err)
			}
			back, err := ne.e.Unshuffle(got[:0], got, es)
			if err != nil || !bytes.Equal(back, src) {
				t.Errorf("%s: in-place Unshuffle(es %d) does not restore the input (err %v)", ne.name, es, err)
			}
		}
	}
}

// TestByteswapInPlace checks Byteswap(buf[:0], buf, w), which the Go and native paths run
// without a second buffer, against the out-of-place swap on every backend, at lengths from one
// vector's tail to several native chunks, and that swapping twice restores the input.
func TestByteswapInPlace(t *testing.T) {
	for _, ne := range allEngines(t) {
		for _, n := range []int{1, 7, 63, 64, 65, 4099, 1<<20 + 5} {
			src := splitmix64(uint64(n), n)
			for _, w := range []int{2, 4, 8} {
				want, err := ne.e.Byteswap(nil, src, w)
				if err != nil {
					t.Fatalf("%s: Byteswap: %v", ne.name, err)
				}
				buf := bytes.Clone(src)
				got, err := ne.e.Byteswap(buf[:0], buf, w)
				if err != nil || !bytes.Equal(got, want) || &got[0] != &buf[0] {
					t.Fatalf("%s: in-place Byteswap(%d bytes, %d) differs from out-of-place, or moved (err %v)", ne.name, n, w, err)
				}
				if back, err := ne.e.Byteswap(got[:0], got, w); err != nil || !bytes.Equal(back, src) {
					t.Fatalf("%s: in-place Byteswap twice (%d bytes, %d) does not restore the input (err %v)", ne.name, n, w, err)
				}
			}
		}
		if buf := make([]byte, 8); !errors.Is(second(ne.e.Byteswap(buf[:0], buf, 3)), binpipe.ErrInvalidArgument) {
			t.Errorf("%s: in-place Byteswap accepted width 3", ne.name)
		}
	}
}

// second returns the error of a two-value call.
func second[T any](_ T, err error) error { return err }
