package binpipe

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/binpipe/binpipe/go-host/internal/wasm"
)

func newTestEngine(t testing.TB, opts ...Option) *Engine {
	t.Helper()
	e, err := New(context.Background(), append(testOptions(t), opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

func TestIncompatibleModule(t *testing.T) {
	abiOnly := assemble(0, versionFunc("bp_abi_version", 1))
	tests := []struct {
		name   string
		module []byte
		want   string
	}{
		{"abi-1", abiOnly, "fast-path ABI version 1, this host speaks version 2"},
		{"wit-0.2.0", fakeModule(2, 0x000200), "binpipe:kernels@0.2.0, this host speaks @0.1.0"},
		{"no-exports", assemble(0, versionFunc("bp_abi_version", 2), versionFunc("bp_wit_version", 0x100)), "missing export"},
		{"bad-signature", fakeModule(2, 0x100, stub("bp_mismatch", []byte{tI32}, []byte{tI64})), `export "bp_mismatch" has signature`},
		{"no-version", assemble(1), `missing export "bp_abi_version"`},
	}
	for _, tt := range tests {
		for _, b := range []Backend{BackendAuto, BackendWasm, BackendCanonical} {
			_, err := New(context.Background(), WithModule(tt.module), WithBackend(b))
			if !errors.Is(err, ErrIncompatibleModule) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("%s/%v: New: %v; want ErrIncompatibleModule mentioning %q", tt.name, b, err, tt.want)
			}
		}
	}
	if _, err := New(context.Background(), WithModule([]byte("not wasm"))); err == nil || errors.Is(err, ErrIncompatibleModule) {
		t.Errorf("New(garbage) = %v, want a compile error", err)
	}
	// The Go backend never loads the module, so it cannot fail on it.
	if _, err := New(context.Background(), WithModule(abiOnly), WithBackend(BackendGo)); err != nil {
		t.Errorf("New(BackendGo, bad module) = %v", err)
	}
}

// TestTrapReplacesInstance makes the module trap for real (unreachable in bp_crc32c) through
// the public API: the call returns ErrTrap, the instance is closed, and the next call runs on
// a new instance.
func TestTrapReplacesInstance(t *testing.T) {
	e := newTestEngine(t, WithModule(fakeModule(2, 0x100)), WithBackend(BackendWasm), WithPoolSize(1))
	if v, err := e.CRC32C([]byte("abc"), 1); err != nil || v != 7 {
		t.Fatalf("CRC32C before the trap = %d, %v", v, err)
	}
	_, err := e.CRC32C([]byte("abc"), 0xDEAD)
	var kerr *KernelError
	if !errors.Is(err, ErrTrap) || errors.As(err, &kerr) || !strings.Contains(err.Error(), "crc32c") {
		t.Fatalf("CRC32C that traps: %v; want ErrTrap naming the kernel", err)
	}
	t.Log(err)
	if s := e.pool.Stats(); s.Created != 1 || s.Discarded != 1 || s.Idle != 0 {
		t.Fatalf("after the trap: %+v; want the instance discarded", s)
	}
	if v, err := e.CRC32C([]byte("abc"), 1); err != nil || v != 7 {
		t.Fatalf("CRC32C after the trap = %d, %v", v, err)
	}
	if s := e.pool.Stats(); s.Created != 2 || s.Idle != 1 {
		t.Fatalf("after recovery: %+v; want a second instance", s)
	}
}

// TestTrapRealModule provokes a trap in the real module: the canonical crc32c export given a
// list outside linear memory reads out of bounds. The test hook is the engine's own
// acquire/release pair, so the discard path is the one every kernel call takes.
func TestTrapRealModule(t *testing.T) {
	e := newTestEngine(t, WithBackend(BackendWasm), WithPoolSize(1))
	data := []byte("123456789")
	if v, err := e.CRC32C(data, 0); err != nil || v != 0xE3069283 {
		t.Fatalf("CRC32C = %#x, %v", v, err)
	}
	in, err := e.acquire("crc32c")
	if err != nil {
		t.Fatal(err)
	}
	first := in
	_, callErr := in.mod.ExportedFunction(wasm.CanonCRC32C).Call(e.ctx, 0xFFFF0000, 0x1000, 0)
	if callErr == nil {
		t.Fatal("reading outside linear memory did not trap")
	}
	err = e.release("crc32c", in, callErr)
	if !errors.Is(err, ErrTrap) {
		t.Fatalf("release after a trap: %v, want ErrTrap", err)
	}
	t.Log(err)
	if !first.mod.IsClosed() {
		t.Error("the trapped instance was not closed")
	}
	for _, b := range []Backend{BackendWasm, BackendCanonical} {
		e.cfg.backend = b
		if v, err := e.CRC32C(data, 0); err != nil || v != 0xE3069283 {
			t.Fatalf("%v: CRC32C after the trap = %#x, %v", b, v, err)
		}
	}
	in, _ = e.acquire("crc32c")
	defer e.release("crc32c", in, nil)
	if in == first {
		t.Error("the trapped instance came back from the pool")
	}
}

// TestGuestErrors bypasses the Go parameter check so the module itself refuses elem-size 0,
// through both ABIs: the fast path's error record and the canonical result<_, kernel-error>.
// A kernel error keeps the instance.
func TestGuestErrors(t *testing.T) {
	e := newTestEngine(t, WithBackend(BackendWasm), WithPoolSize(1))
	for _, abi := range []string{"fastpath", "canonical"} {
		for _, kernel := range []string{"shuffle", "unshuffle"} {
			in, err := e.acquire(kernel)
			if err != nil {
				t.Fatal(err)
			}
			var out []byte
			switch {
			case abi == "fastpath" && kernel == "shuffle":
				out, err = in.fp.Shuffle(e.ctx, []byte("dst"), []byte("abcdef"), 0)
			case abi == "fastpath":
				out, err = in.fp.Unshuffle(e.ctx, []byte("dst"), []byte("abcdef"), 256)
			case kernel == "shuffle":
				out, err = in.ca.Shuffle(e.ctx, []byte("dst"), []byte("abcdef"), 0)
			default:
				out, err = in.ca.Unshuffle(e.ctx, []byte("dst"), []byte("abcdef"), 256)
			}
			err = e.release(kernel, in, err)
			var kerr *KernelError
			if !errors.As(err, &kerr) || !errors.Is(err, ErrInvalidArgument) || kerr.Kernel != kernel || kerr.Message == "" {
				t.Errorf("%s %s: %v, want an invalid-argument *KernelError with the module's message", abi, kernel, err)
			}
			if string(out) != "dst" {
				t.Errorf("%s %s: returned %q, want dst unchanged", abi, kernel, out)
			}
			t.Logf("%s: %v", abi, err)
		}
	}
	if s := e.pool.Stats(); s.Created != 1 || s.Discarded != 0 {
		t.Errorf("pool %+v: a kernel error must not discard the instance", s)
	}
}

// TestMemoryGrowth runs shuffles that grow linear memory several times on one instance; any
// view kept across a growing call would read or write a stale copy and give a wrong answer.
// The instance that grew past retainMemory is then dropped instead of pooled.
func TestMemoryGrowth(t *testing.T) {
	data := make([]byte, 40<<20)
	for i := range data {
		data[i] = byte(i*7 + i>>9)
	}
	sizes := []int{1000, 200 << 10, 3 << 20, 12<<20 + 1, 40 << 20, 5000}
	wants := make([][]byte, len(sizes))
	for i, n := range sizes {
		// The Go path (amd64 assembly for 8-byte elements, verified elsewhere) is the oracle
		// here; a byte loop would dominate the test's time under -race.
		wants[i], _ = goEngine.Shuffle(nil, data[:n], 8)
	}
	for _, b := range []Backend{BackendWasm, BackendCanonical} {
		e := newTestEngine(t, WithBackend(b), WithPoolSize(1))
		for i, n := range sizes {
			src := data[:n]
			got, err := e.Shuffle([]byte{1, 2}, src, 8)
			if err != nil || !bytes.Equal(got[:2], []byte{1, 2}) || !bytes.Equal(got[2:], wants[i]) {
				t.Fatalf("%v: Shuffle(%d bytes) wrong (err %v)", b, n, err)
			}
			if c, err := e.CRC32C(src, 0); err != nil || c != CRC32C(src, 0) {
				t.Fatalf("%v: CRC32C(%d bytes) wrong (err %v)", b, n, err)
			}
		}
		if s := e.pool.Stats(); s.Discarded != 1 || s.Created != 2 {
			t.Errorf("%v: pool %+v; want the instance that grew past %d bytes dropped once", b, s, retainMemory)
		}
	}
}

func TestClose(t *testing.T) {
	for _, b := range []Backend{BackendAuto, BackendGo, BackendWasm, BackendCanonical} {
		e := newTestEngine(t, WithBackend(b))
		if _, err := e.Shuffle(nil, make([]byte, 1<<20), 4); err != nil {
			t.Fatal(err)
		}
		if err := e.Close(); err != nil {
			t.Fatal(err)
		}
		if err := e.Close(); err != nil {
			t.Fatalf("second Close: %v", err)
		}
		if _, err := e.CRC32C(nil, 0); !errors.Is(err, ErrClosed) {
			t.Errorf("%v: CRC32C after Close: %v", b, err)
		}
		if _, err := e.Shuffle(nil, make([]byte, 1<<20), 4); !errors.Is(err, ErrClosed) {
			t.Errorf("%v: Shuffle after Close: %v", b, err)
		}
	}
}

func TestOptions(t *testing.T) {
	for _, o := range []Option{WithPoolSize(0), WithMaxBufferSize(0), WithMaxBufferSize(-1), WithMaxBufferSize(maxMaxBuffer + 1), WithBackend(Backend(9)), WithModule(nil)} {
		if _, err := New(context.Background(), o); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("New with a bad option: %v, want ErrInvalidArgument", err)
		}
	}
	dir := t.TempDir()
	for range 2 { // the second engine loads the compiled code from the cache
		e := newTestEngine(t, WithBackend(BackendWasm), WithCompilationCacheDir(dir))
		if v, err := e.CRC32C([]byte("123456789"), 0); err != nil || v != 0xE3069283 {
			t.Fatalf("CRC32C with a compilation cache = %#x, %v", v, err)
		}
	}
}

func TestKernelErrorText(t *testing.T) {
	err := &KernelError{Kernel: "hex-decode", Kind: KindInvalidData, Offset: 3, Message: "bad digit"}
	if got, want := err.Error(), "binpipe: hex-decode: invalid-data: bad digit at offset 3"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, ErrInvalidData) || errors.Is(err, ErrInvalidArgument) || errors.Is(err, ErrTooLarge) {
		t.Error("errors.Is does not follow Kind")
	}
}

// TestGuestParamErrors bypasses the Go parameter checks so the module itself judges every bad
// parameter, through both ABIs (the canonical one only for values its WIT types can carry),
// and checks that it reports the same kind and offset as the Go check that normally runs
// first. A kernel error keeps the instance.
func TestGuestParamErrors(t *testing.T) {
	e := newTestEngine(t, WithBackend(BackendWasm), WithPoolSize(1))
	g := newTestEngine(t, WithBackend(BackendGo))
	ctx := e.ctx
	col := []byte{1, 2, 3, 4, 5, 6, 7}
	type call func(k kernels) error
	ignore := func(_ any, err error) error { return err }
	ignore3 := func(_ uint64, _ bool, err error) error { return err }
	cases := []struct {
		name      string
		goErr     error
		call      call
		canonical bool // the bad value fits the WIT type
	}{
		{"find-any/0", ignore(g.FindAny(col, nil)), func(k kernels) error { return ignore3(k.FindAny(ctx, col, nil)) }, true},
		{"find-any/17", ignore(g.FindAny(col, make([]byte, 17))), func(k kernels) error { return ignore3(k.FindAny(ctx, col, make([]byte, 17))) }, true},
		{"delta-encode/3", ignore(g.DeltaEncode(nil, col, 3)), func(k kernels) error { return ignore(k.DeltaEncode(ctx, nil, col, 3)) }, true},
		{"delta-decode/0", ignore(g.DeltaDecode(nil, col, 0)), func(k kernels) error { return ignore(k.DeltaDecode(ctx, nil, col, 0)) }, true},
		{"byteswap/1", ignore(g.Byteswap(nil, col, 1)), func(k kernels) error { return ignore(k.Byteswap(ctx, nil, col, 1)) }, true},
		{"byteswap/16", ignore(g.Byteswap(nil, col, 16)), func(k kernels) error { return ignore(k.Byteswap(ctx, nil, col, 16)) }, true},
		{"bitpack/33", ignore(g.Bitpack(nil, []uint32{1}, 33)), func(k kernels) error { return ignore(k.Bitpack(ctx, nil, []uint32{1}, 33)) }, true},
		{"bitpack/value", ignore(g.Bitpack(nil, []uint32{1, 8, 2}, 3)), func(k kernels) error { return ignore(k.Bitpack(ctx, nil, []uint32{1, 8, 2}, 3)) }, true},
		{"bitunpack/33", ignore(g.Bitunpack(nil, col, 33, 1)), func(k kernels) error { return ignore(k.Bitunpack(ctx, nil, col, 33, 1)) }, true},
		{"bitunpack/cut", ignore(g.Bitunpack(nil, col, 9, 7)), func(k kernels) error { return ignore(k.Bitunpack(ctx, nil, col, 9, 7)) }, true},
		{"extract-field/rs0", ignore(g.ExtractField(nil, col, 0, 0, 1)), func(k kernels) error { return ignore(k.ExtractField(ctx, nil, col, 0, 0, 1)) }, true},
		{"extract-field/w0", ignore(g.ExtractField(nil, col, 2, 0, 0)), func(k kernels) error { return ignore(k.ExtractField(ctx, nil, col, 2, 0, 0)) }, true},
		{"extract-field/past", ignore(g.ExtractField(nil, col, 4, 3, 2)), func(k kernels) error { return ignore(k.ExtractField(ctx, nil, col, 4, 3, 2)) }, true},
		{"compare/ty", ignore(g.Compare(nil, col, 10, Eq, Unsigned(0))), func(k kernels) error { return ignore(k.Compare(ctx, nil, col, 10, 0, 0, 0)) }, false},
		{"compare/op", ignore(g.Compare(nil, col, U8, 6, Unsigned(0))), func(k kernels) error { return ignore(k.Compare(ctx, nil, col, 0, 6, 0, 0)) }, false},
		{"compare/class", ignore(g.Compare(nil, col, U8, Eq, Signed(1))), func(k kernels) error { return ignore(k.Compare(ctx, nil, col, 0, 0, 1, 1)) }, true},
		{"compare/range-u8", ignore(g.Compare(nil, col, U8, Eq, Unsigned(256))), func(k kernels) error { return ignore(k.Compare(ctx, nil, col, 0, 0, 0, 256)) }, true},
		{"compare/range-i16", ignore(g.Compare(nil, col[:6], I16, Eq, Signed(-32769))), func(k kernels) error {
			return ignore(k.Compare(ctx, nil, col[:6], 5, 0, 1, uint64(1<<64-32769)))
		}, true},
		{"compare/float-for-int", ignore(g.Compare(nil, col, U8, Eq, Float(1))), func(k kernels) error { return ignore(k.Compare(ctx, nil, col, 0, 0, 2, 0)) }, true},
		{"compare/ragged", ignore(g.Compare(nil, col, U16, Eq, Unsigned(1))), func(k kernels) error { return ignore(k.Compare(ctx, nil, col, 1, 0, 0, 1)) }, true},
		{"select/3", ignore(g.Select(nil, col[:6], 3, []byte{1})), func(k kernels) error { return ignore(k.Select(ctx, nil, col[:6], 3, []byte{1})) }, true},
		{"select/ragged", ignore(g.Select(nil, col, 2, []byte{1})), func(k kernels) error { return ignore(k.Select(ctx, nil, col, 2, []byte{1})) }, true},
		{"select/bitmap", ignore(g.Select(nil, make([]byte, 9), 1, []byte{1})), func(k kernels) error { return ignore(k.Select(ctx, nil, make([]byte, 9), 1, []byte{1})) }, true},
		{"aggregate/ty", ignore(g.Aggregate(col, 10)), func(k kernels) error { return ignore(k.Aggregate(ctx, col, 10)) }, false},
		{"aggregate/ragged", ignore(g.Aggregate(col, F32)), func(k kernels) error { return ignore(k.Aggregate(ctx, col, 8)) }, true},
		{"shuffle/0", ignore(g.Shuffle(nil, col, 0)), func(k kernels) error { return ignore(k.Shuffle(ctx, nil, col, 0)) }, true},
		{"unshuffle/256", ignore(g.Unshuffle(nil, col, 256)), func(k kernels) error { return ignore(k.Unshuffle(ctx, nil, col, 256)) }, true},
	}
	for _, c := range cases {
		var want *KernelError
		if !errors.As(c.goErr, &want) {
			t.Fatalf("%s: the Go check gave %v, want a *KernelError", c.name, c.goErr)
		}
		for _, abi := range []string{"fastpath", "canonical"} {
			if abi == "canonical" && !c.canonical {
				continue
			}
			in, err := e.acquire(want.Kernel)
			if err != nil {
				t.Fatal(err)
			}
			var k kernels = in.fp
			if abi == "canonical" {
				k = in.ca
			}
			err = e.release(want.Kernel, in, c.call(k))
			var got *KernelError
			if !errors.As(err, &got) || got.Kind != want.Kind || got.Offset != want.Offset || got.Kernel != want.Kernel {
				t.Errorf("%s %s: the module gave %v; the Go check gives %v", abi, c.name, err, c.goErr)
			}
		}
	}
	if s := e.pool.Stats(); s.Discarded != 0 {
		t.Errorf("pool %+v: a kernel error must not discard the instance", s)
	}
}

// TestBrokenModule: answers a correct module never gives (an offset past the input, a return
// area outside memory, an output longer than its buffer) are ErrTrap, not answers, and the
// instance is discarded.
func TestBrokenModule(t *testing.T) {
	i32, i64 := []byte{tI32}, []byte{tI64}
	cases := []struct {
		name    string
		backend Backend
		fn      asmFunc
		call    func(e *Engine) error
	}{
		{"find-byte past the end", BackendWasm,
			asmFunc{name: "bp_find_byte", params: []byte{tI32, tI32, tI32}, results: i64, body: i64c(100)},
			func(e *Engine) error { _, err := e.FindByte([]byte("abc"), 'x'); return err }},
		{"hex-encode output too long", BackendWasm,
			asmFunc{name: "bp_hex_encode", params: []byte{tI32, tI32, tI32, tI32, tI32}, results: i64, body: i64c(1 << 20)},
			func(e *Engine) error { _, err := e.HexEncode(nil, []byte("abc"), false); return err }},
		{"utf8 status 7", BackendWasm,
			asmFunc{name: "bp_utf8_validate", params: []byte{tI32, tI32}, results: i64, body: i64c(7 << 32)},
			func(e *Engine) error { return e.UTF8Validate([]byte("abc")) }},
		{"mismatch return area outside memory", BackendCanonical,
			asmFunc{name: "binpipe:kernels/search@0.1.0#mismatch", params: []byte{tI32, tI32, tI32, tI32}, results: i32, body: i32c(-16)},
			func(e *Engine) error { _, err := e.Mismatch([]byte("a"), []byte("b")); return err }},
	}
	for _, c := range cases {
		e := newTestEngine(t, WithModule(fakeModule(2, 0x100, c.fn)), WithBackend(c.backend), WithPoolSize(1))
		err := c.call(e)
		if !errors.Is(err, ErrTrap) {
			t.Errorf("%s: %v, want ErrTrap", c.name, err)
			continue
		}
		t.Logf("%s: %v", c.name, err)
		if s := e.pool.Stats(); s.Discarded != 1 {
			t.Errorf("%s: pool %+v, want the instance discarded", c.name, s)
		}
	}
}
