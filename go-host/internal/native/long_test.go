package native

import (
	"bytes"
	"encoding/hex"
	"hash/crc32"
	"math/rand/v2"
	"runtime"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/binpipe/binpipe/go-host/internal/purego"
)

// checkAll runs every native kernel on in and compares with the Go references.
func checkAll(t *testing.T, k Kernels, in []byte) {
	t.Helper()
	if got, _ := k.XXH3(ctx, in, 7); got != purego.XXH3(in, 7) {
		t.Errorf("%v: XXH3 of %d bytes differs", k.Tier(), len(in))
	}
	if got, _ := k.CRC32C(ctx, in, 1); got != crc32.Update(1, castagnoli, in) {
		t.Errorf("%v: CRC32C of %d bytes differs", k.Tier(), len(in))
	}
	if got, _ := k.CRC32(ctx, in, 1); got != crc32.Update(1, crc32.IEEETable, in) {
		t.Errorf("%v: CRC32 of %d bytes differs", k.Tier(), len(in))
	}
	if got, _ := k.ASCIIPrefix(ctx, in); got != uint64(purego.ASCIIPrefix(in)) {
		t.Errorf("%v: ASCIIPrefix of %d bytes differs", k.Tier(), len(in))
	}
	enc, _ := k.Base64Encode(ctx, nil, in, true, true)
	want := make([]byte, base64Len(len(in), true))
	if !bytes.Equal(enc, want[:purego.Base64Encode(want, in, true, true)]) {
		t.Errorf("%v: Base64Encode of %d bytes differs", k.Tier(), len(in))
	}
	h, _ := k.HexEncode(ctx, nil, in, false)
	if string(h) != hex.EncodeToString(in) {
		t.Errorf("%v: HexEncode of %d bytes differs", k.Tier(), len(in))
	}
	if d, err := k.HexDecode(ctx, nil, h); err != nil || !bytes.Equal(d, in) {
		t.Errorf("%v: HexDecode of %d digits: %v", k.Tier(), len(h), err)
	}
	if d, err := k.Base64Decode(ctx, nil, enc, true, true); err != nil || !bytes.Equal(d, in) {
		t.Errorf("%v: Base64Decode of %d chars: %v", k.Tier(), len(enc), err)
	}
	swapped := make([]byte, len(in))
	purego.Byteswap(swapped, in, 8)
	if got, err := k.Byteswap(ctx, nil, in, 8); err != nil || !bytes.Equal(got, swapped) {
		t.Errorf("%v: Byteswap of %d bytes differs", k.Tier(), len(in))
	}
	if buf := bytes.Clone(in); k.ByteswapInPlace(buf, 8) != nil || !bytes.Equal(buf, swapped) {
		t.Errorf("%v: ByteswapInPlace of %d bytes differs", k.Tier(), len(in))
	}
	if got, _ := k.CountByte(ctx, in, 'a'); got != uint64(bytes.Count(in, []byte{'a'})) {
		t.Errorf("%v: CountByte of %d bytes differs", k.Tier(), len(in))
	}
	if idx, err := k.IndexByte(ctx, nil, in, 'a', 0); err != nil || len(idx) != bytes.Count(in, []byte{'a'}) || (len(idx) > 0 && in[idx[len(idx)-1]] != 'a') {
		t.Errorf("%v: IndexByte of %d bytes differs", k.Tier(), len(in))
	}
	if len(in) > 0 {
		b := bytes.Clone(in)
		b[len(b)-1] ^= 1
		if at, ok, _ := k.Mismatch(ctx, in, b); !ok || at != uint64(len(in)-1) {
			t.Errorf("%v: Mismatch of %d bytes differs", k.Tier(), len(in))
		}
	}
	for _, w := range []uint32{1, 8} {
		deltas := make([]byte, len(in))
		purego.DeltaEncode(deltas, in, int(w))
		if got, err := k.DeltaEncode(ctx, nil, in, w); err != nil || !bytes.Equal(got, deltas) {
			t.Errorf("%v: DeltaEncode of %d bytes, width %d differs", k.Tier(), len(in), w)
		}
		if got, err := k.DeltaDecode(ctx, nil, deltas, w); err != nil || !bytes.Equal(got, in) {
			t.Errorf("%v: DeltaDecode of %d bytes, width %d differs", k.Tier(), len(in), w)
		}
	}
	if k.Has("shuffle") {
		sh := make([]byte, len(in))
		purego.Shuffle(sh, in, 12)
		if got, err := k.Shuffle(ctx, nil, in, 12); err != nil || !bytes.Equal(got, sh) {
			t.Errorf("%v: Shuffle of %d bytes differs", k.Tier(), len(in))
		}
	}
	if at, ok, _ := k.FindAny(ctx, in, []byte{0xff, 0xfe}); ok != (indexAnyBytes(in, []byte{0xff, 0xfe}) >= 0) || (ok && int(at) != indexAnyBytes(in, []byte{0xff, 0xfe})) {
		t.Errorf("%v: FindAny of %d bytes differs", k.Tier(), len(in))
	}
	vals := make([]uint32, len(in)/4)
	for i := range vals {
		vals[i] = uint32(in[4*i]) | uint32(in[4*i+1])<<8 | uint32(in[4*i+2]&0x1f)<<16
	}
	packed, _ := purego.Bitpack(nil, vals, 21)
	if got, err := k.Bitpack(ctx, nil, vals, 21); err != nil || !bytes.Equal(got, packed) {
		t.Errorf("%v: Bitpack of %d values differs: %v", k.Tier(), len(vals), err)
	}
	bitmap := make([]byte, (len(in)+7)/8)
	purego.Compare(bitmap, in, 0, 4, 0x80) // u8 > 0x7f
	if got, err := k.Compare(ctx, nil, in, 0, 4, 0, 0x80); err != nil || !bytes.Equal(got, bitmap) {
		t.Errorf("%v: Compare of %d bytes differs", k.Tier(), len(in))
	}
	kept := make([]byte, len(in))
	kept = kept[:purego.Select(kept, in, 1, bitmap)]
	if got, err := k.Select(ctx, nil, in, 1, bitmap); err != nil || !bytes.Equal(got, kept) {
		t.Errorf("%v: Select of %d bytes differs", k.Tier(), len(in))
	}
	if s, err := k.Aggregate(ctx, in, 0); err != nil || s.Sum != purego.Aggregate(in, 0).Sum || s.Max != purego.Aggregate(in, 0).Max {
		t.Errorf("%v: Aggregate of %d bytes differs", k.Tier(), len(in))
	}
	if got, err := k.VarintEncode(ctx, nil, varintValues(in)); err != nil || !bytes.Equal(got, purego.VarintEncode(nil, varintValues(in))) {
		t.Errorf("%v: VarintEncode of %d values differs", k.Tier(), len(in)/8)
	}
	field := make([]byte, len(in)/7*3)
	purego.ExtractField(field, in, 7, 2, 3)
	if got, err := k.ExtractField(ctx, nil, in, 7, 2, 3); err != nil || !bytes.Equal(got, field) {
		t.Errorf("%v: ExtractField of %d bytes differs", k.Tier(), len(in))
	}
	if at, ok, _ := k.FindByte(ctx, in, 0xff); ok != (bytes.IndexByte(in, 0xff) >= 0) || (ok && int(at) != bytes.IndexByte(in, 0xff)) {
		t.Errorf("%v: FindByte of %d bytes differs", k.Tier(), len(in))
	}
	upTo, errLen := purego.UTF8Validate(in)
	if got, status, err := k.UTF8Validate(ctx, in); err != nil || got != uint64(upTo) ||
		(status == 0) != (upTo == len(in)) || (errLen != 0 && status != uint32(errLen)) {
		t.Errorf("%v: UTF8Validate of %d bytes differs", k.Tier(), len(in))
	}
	count := len(in) * 8 / 13
	if got, err := k.Bitunpack(ctx, nil, in, 13, uint32(count)); err != nil || !slices.Equal(got, purego.Bitunpack(nil, in, 13, count)) {
		t.Errorf("%v: Bitunpack of %d bytes differs", k.Tier(), len(in))
	}
}

// TestLongInputs crosses the chunk boundaries: lengths around multiples of chunkBytes.
func TestLongInputs(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	in := make([]byte, 3*chunkBytes+7)
	for i := range in {
		in[i] = byte(rng.Uint32() & 0x7f) // ASCII, so ascii-prefix crosses chunks too
	}
	for _, k := range tiers(t) {
		for _, n := range []int{chunkBytes - 1, chunkBytes, chunkBytes + 1, 2*chunkBytes + 3, len(in)} {
			checkAll(t, k, in[:n])
		}
	}
}

// TestConcurrentGC calls every kernel from several goroutines while another allocates and
// forces collections, under default async preemption: buffers must stay alive and intact.
func TestConcurrentGC(t *testing.T) {
	ks := tiers(t)
	stop := make(chan struct{})
	var gc sync.WaitGroup
	gc.Go(func() {
		var keep [][]byte
		for {
			select {
			case <-stop:
				return
			default:
			}
			keep = append(keep, make([]byte, 1<<12))
			if len(keep) > 64 {
				keep = keep[:0]
				runtime.GC()
			}
		}
	})
	deadline := time.Now().Add(time.Second)
	if testing.Short() {
		deadline = time.Now().Add(300 * time.Millisecond)
	}
	var wg sync.WaitGroup
	for g := range 3 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(g), 9))
			for time.Now().Before(deadline) {
				in := make([]byte, rng.IntN(5000))
				for i := range in {
					in[i] = byte(rng.Uint32())
				}
				checkAll(t, ks[rng.IntN(len(ks))], in)
			}
		})
	}
	wg.Wait()
	close(stop)
	gc.Wait()
}

// TestChunkDuration logs how long one full chunk takes per kernel (the bound on how long a
// native call delays a stop-the-world); it asserts nothing about speed.
func TestChunkDuration(t *testing.T) {
	in := make([]byte, chunkBytes)
	for _, k := range tiers(t) {
		for name, f := range map[string]func(){
			"xxh3-64":                             func() { _, _ = k.XXH3(ctx, in, 0) },
			"crc32c":                              func() { _, _ = k.CRC32C(ctx, in, 0) },
			"crc32":                               func() { _, _ = k.CRC32(ctx, in, 0) },
			"ascii-prefix":                        func() { _, _ = k.ASCIIPrefix(ctx, in) },
			"base64-encode":                       func() { _, _ = k.Base64Encode(ctx, nil, in, false, true) },
			"hex-encode":                          func() { _, _ = k.HexEncode(ctx, nil, in, false) },
			"byteswap":                            func() { _, _ = k.Byteswap(ctx, nil, in, 4) },
			"byteswap in place":                   func() { _ = k.ByteswapInPlace(in, 4) },
			"delta-encode":                        func() { _, _ = k.DeltaEncode(ctx, nil, in, 4) },
			"delta-decode (whole input, 256 KiB)": func() { _, _ = k.DeltaDecode(ctx, nil, in, 4) },
			"unshuffle (whole input, 256 KiB)":    func() { _, _ = k.Unshuffle(ctx, nil, in, 4) },
			"bitunpack":                           func() { _, _ = k.Bitunpack(ctx, nil, in, 7, chunkBytes/4) },
			"compare":                             func() { _, _ = k.Compare(ctx, nil, in, 2, 0, 0, 0) },
			"select":                              func() { _, _ = k.Select(ctx, nil, in, 4, in[:chunkBytes/32]) },
			"aggregate (f64: whole input)":        func() { _, _ = k.Aggregate(ctx, in, 9) },
			"varint-encode":                       func() { _, _ = k.VarintEncode(ctx, nil, make([]uint64, chunkBytes/8)) },
			"extract-field":                       func() { _, _ = k.ExtractField(ctx, nil, in, 8, 0, 4) },
			"find-byte":                           func() { _, _, _ = k.FindByte(ctx, in, 1) },
			"utf8-validate":                       func() { _, _, _ = k.UTF8Validate(ctx, in) },
		} {
			start := time.Now()
			f()
			t.Logf("%v %s: %v per %d KiB chunk (includes the output allocation)", k.Tier(), name, time.Since(start), chunkBytes>>10)
		}
	}
}

// TestLongVarints decodes valid varints across many chunk boundaries, then a malformed one
// (11 continuation bytes) after them, at purego's offset.
func TestLongVarints(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	values := make([]uint64, 40000)
	for i := range values {
		values[i] = rng.Uint64() >> (rng.UintN(64))
	}
	enc := purego.VarintEncode(nil, values)
	bad := append(bytes.Clone(enc), bytes.Repeat([]byte{0x80}, 11)...)
	for _, k := range tiers(t) {
		got, err := k.VarintDecode(ctx, nil, enc)
		if err != nil || !slices.Equal(got, values) {
			t.Errorf("%v: VarintDecode of %d bytes: %v (%d values)", k.Tier(), len(enc), err, len(got))
		}
		got, err = k.VarintDecode(ctx, make([]uint64, 0, len(bad)), enc) // the spare-capacity path
		if err != nil || !slices.Equal(got, values) {
			t.Errorf("%v: VarintDecode into spare capacity: %v", k.Tier(), err)
		}
		_, err = k.VarintDecode(ctx, nil, bad)
		_, want := purego.VarintDecode(nil, bad)
		if want < len(enc) {
			t.Fatalf("purego reports %d", want)
		}
		checkVarintError(t, k, []uint64{0}, err, uint64(want))
	}
}
