package plugin_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/binpipe/binpipe/go-host/plugin"
	. "github.com/binpipe/binpipe/go-host/plugin/internal/wasmtest"
)

// testLimits are small enough to keep the tests quick.
var testLimits = plugin.Limits{MemoryPages: 128, Deadline: time.Second, MaxOutput: 4 << 20}

func load(t testing.TB, s spec, opts ...plugin.Option) *plugin.Plugin {
	t.Helper()
	p, err := plugin.Load(context.Background(), s.bytes(), append([]plugin.Option{plugin.WithLimits(testLimits)}, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close(context.Background()) })
	return p
}

// kindOf is the Kind of err's *plugin.Error, or "" if there is none.
func kindOf(err error) string {
	var perr *plugin.Error
	if errors.As(err, &perr) {
		return perr.Kind.String()
	}
	return ""
}

func inverted(b []byte) []byte {
	out := make([]byte, len(b))
	for i, c := range b {
		out[i] = ^c
	}
	return out
}

func TestTransformAndDescribe(t *testing.T) {
	s := invert("invert")
	s.recordSize, s.maxBatch = 4, 4096
	p := load(t, s)
	if d := p.Describe(); d != (plugin.Description{Name: "invert", Version: "1.0", RecordSize: 4, MaxBatch: 4096}) {
		t.Fatalf("Describe() = %+v", d)
	}
	for _, n := range []int{0, 4, 4096, 4100, 100000} { // longer than MaxBatch: split in pieces
		src := bytes.Repeat([]byte{1, 2, 3, 250}, n/4)
		got, err := p.Transform(context.Background(), []byte("prefix"), src)
		if err != nil {
			t.Fatalf("n=%d: %v", n, err)
		}
		if want := append([]byte("prefix"), inverted(src)...); !bytes.Equal(got, want) {
			t.Fatalf("n=%d: wrong bytes", n)
		}
	}
	_, err := p.Transform(context.Background(), nil, make([]byte, 6))
	if !errors.Is(err, plugin.ErrPartialRecord) {
		t.Errorf("6 bytes of 4-byte records: %v", err)
	}
}

func TestPluginErrorKeepsTheInstance(t *testing.T) {
	p := load(t, spec{name: "refuser", transform: errResult(strMessage, 10, 5)}, plugin.WithPoolSize(1))
	for i := 0; i < 3; i++ {
		_, err := p.Transform(context.Background(), nil, []byte("abcdefgh"))
		var perr *plugin.Error
		if !errors.As(err, &perr) || perr.Kind != plugin.KindPlugin || perr.Msg != "bad record" || perr.Offset != 5 || perr.Plugin != "refuser" {
			t.Fatalf("got %#v", err)
		}
	}
	if s := p.PoolStats(); s.Created != 1 || s.Discarded != 0 {
		t.Errorf("pool %+v: a plugin error must not replace the instance", s)
	}
}

func TestPluginErrorOffsetCountsEarlierPieces(t *testing.T) {
	s := spec{name: "refuser", maxBatch: 8, transform: errResult(strMessage, 10, 3)}
	p := load(t, s)
	_, err := p.Transform(context.Background(), nil, make([]byte, 20))
	var perr *plugin.Error
	if !errors.As(err, &perr) || perr.Offset != 3 { // the first piece fails
		t.Fatalf("got %v", err)
	}
}

// TestHostile runs every misbehaving plugin: each gives its kind within the deadline plus a
// margin, the failed instance is replaced, and a healthy plugin's next call succeeds.
func TestHostile(t *testing.T) {
	healthy := load(t, invert("healthy"))
	for name, h := range hostile(testLimits.MaxOutput) {
		t.Run(name, func(t *testing.T) {
			lim := testLimits
			if h.spec.deadline != 0 {
				lim.Deadline = h.spec.deadline
			}
			p := load(t, h.spec, plugin.WithPoolSize(1), plugin.WithLimits(lim))
			for i := 0; i < 2; i++ { // the second call runs on the replacement instance
				start := time.Now()
				_, err := p.Transform(context.Background(), nil, []byte("some batch"))
				took := time.Since(start)
				if kindOf(err) != h.kind {
					t.Fatalf("call %d: %v (kind %q), want kind %s", i, err, kindOf(err), h.kind)
				}
				if took > 2*lim.Deadline+time.Second {
					t.Errorf("call %d took %v with a deadline of %v", i, took, lim.Deadline)
				}
			}
			if s := p.PoolStats(); s.Created != 2 || s.Discarded != 2 { // describe's, reused by call 0, then call 1's
				t.Errorf("pool %+v: want every failed instance replaced", s)
			}
			got, err := healthy.Transform(context.Background(), nil, []byte{1, 2, 3})
			if err != nil || !bytes.Equal(got, []byte{0xfe, 0xfd, 0xfc}) {
				t.Errorf("healthy plugin after %s: %v %v", name, got, err)
			}
		})
	}
}

func TestFuelBudget(t *testing.T) {
	// 2^21 calls of a 17-instruction function: far more than 10^6 fuel, far less than the deadline.
	lim := testLimits
	lim.Fuel = 1_000_000
	p, err := plugin.Load(context.Background(), callTree(20).bytes(), plugin.WithLimits(lim))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	_, err = p.Transform(context.Background(), nil, []byte("x"))
	var perr *plugin.Error
	if !errors.As(err, &perr) || perr.Kind != plugin.KindTimeout || !strings.Contains(perr.Msg, "fuel") {
		t.Fatalf("got %v, want a fuel timeout", err)
	}
	// With the default fuel the same call completes.
	q := load(t, callTree(20))
	if got, err := q.Transform(context.Background(), nil, []byte("x")); err != nil || string(got) != "x" {
		t.Fatalf("default fuel: %q %v", got, err)
	}
}

// TestFuelBudgetInStartFunction: a start function that spends its fuel fails Load as a fuel
// timeout, though the instance it ran in (and the budget global) is gone by then.
func TestFuelBudgetInStartFunction(t *testing.T) {
	wasm, err := os.ReadFile(filepath.Join(hostileDir, "bulk-fill-start.wasm"))
	if err != nil {
		t.Fatal(err)
	}
	lim := readSuite(t).limits() // its memory cap admits the module's 16 MiB
	lim.Fuel = 100_000_000       // a few fills of its 16 MiB loop, well inside the deadline
	lim.Deadline = 30 * time.Second
	_, err = plugin.Load(context.Background(), wasm, plugin.WithLimits(lim))
	var perr *plugin.Error
	if !errors.As(err, &perr) || perr.Kind != plugin.KindTimeout || !strings.Contains(perr.Msg, "start function used up its fuel") {
		t.Fatalf("got %v, want the start function's fuel timeout", err)
	}
}

// TestStackExhaustionSaysSo: a runaway recursion stops at the stack bound as a trap that
// names the stack, not as the unreachable the bound is enforced with.
func TestStackExhaustionSaysSo(t *testing.T) {
	rec := hostile(1 << 20)["recursion"]
	p := load(t, rec.spec)
	_, err := p.Transform(context.Background(), nil, []byte("x"))
	var perr *plugin.Error
	if !errors.As(err, &perr) || perr.Kind != plugin.KindTrap || !strings.Contains(perr.Msg, "exhausted its call stack") {
		t.Fatalf("got %v, want a trap naming the call stack", err)
	}
}

func TestCallerCancellation(t *testing.T) {
	lim := testLimits
	lim.Deadline = time.Minute
	p, err := plugin.Load(context.Background(), callTree(60).bytes(), plugin.WithLimits(lim))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start := time.Now()
	_, err = p.Transform(ctx, nil, []byte("x"))
	if kindOf(err) != "timeout" || !errors.Is(err, context.Canceled) || time.Since(start) > 10*time.Second {
		t.Fatalf("got %v after %v", err, time.Since(start))
	}
}

func TestLoadRefusals(t *testing.T) {
	good := invert("ok").bytes()
	sum := sha256.Sum256(good)
	wrongSum := sha256.Sum256([]byte("other"))
	bigMem := invert("big")
	bigMem.memMin = testLimits.MemoryPages + 1
	noTransform := invert("x")
	noTransform.skipExports = map[string]bool{"transform": true, "memory": true}
	wrongType := invert("x")
	wrongType.transformParams = []byte{I32}
	wrongType.transform = okResult(LocalGet(0), I32Const(0))
	wasi := invert("x")
	wasi.importWASI = true
	bigTable := invert("x")
	bigTable.tableMin = plugin.DefaultModuleLimits.MaxTableElements + 1
	badDescribe := invert("x")
	badDescribe.describe = I32Const(-4)
	emptyName := invert("")

	for _, tc := range []struct {
		name string
		wasm []byte
		opts []plugin.Option
		want string
	}{
		{"sha256 mismatch", good, []plugin.Option{plugin.WithSHA256(hex.EncodeToString(wrongSum[:]))}, "pinned"},
		{"not wasm", []byte("hello"), nil, "not a valid wasm module"},
		{"imports wasi", wasi.bytes(), nil, "wasi_snapshot_preview1.fd_write (func)"},
		{"missing exports", noTransform.bytes(), nil, "transform (func), memory (memory)"},
		{"initial memory above the limit", bigMem.bytes(), nil, "129 pages"},
		{"transform of the wrong type", wrongType.bytes(), nil, "export transform has type (i32) -> (i32)"},
		{"bad digest option", good, []plugin.Option{plugin.WithSHA256("abc")}, "64 hexadecimal digits"},
		{"table above the limit", bigTable.bytes(), nil, "65537 initial table elements"},
		// An export section announcing 2^32-1 entries in 5 bytes: wazero would allocate by
		// the count before reading; the host's decoder refuses it first.
		{"announced count", []byte("\x00asm\x01\x00\x00\x00\x07\x05\xff\xff\xff\xff\x0f"), nil, "4294967295 entries announced in 0 bytes"},
	} {
		_, err := plugin.Load(context.Background(), tc.wasm, append([]plugin.Option{plugin.WithLimits(testLimits)}, tc.opts...)...)
		if kindOf(err) != "load" || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want a load error containing %q", tc.name, err, tc.want)
		}
	}
	for _, tc := range []struct {
		name string
		wasm []byte
		want string
	}{
		{"describe out of range", badDescribe.bytes(), "describe return area [0xfffffffc, +24)"},
		{"empty name", emptyName.bytes(), "empty name"},
	} {
		_, err := plugin.Load(context.Background(), tc.wasm, plugin.WithLimits(testLimits))
		if kindOf(err) != "protocol" || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want a protocol error containing %q", tc.name, err, tc.want)
		}
	}
	p, err := plugin.Load(context.Background(), good, plugin.WithSHA256(strings.ToUpper(hex.EncodeToString(sum[:]))))
	if err != nil {
		t.Fatalf("pinned to its own digest: %v", err)
	}
	_ = p.Close(context.Background())
}

func TestCancelledBeforeTheCall(t *testing.T) {
	p := load(t, invert("x"))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := p.Transform(ctx, nil, []byte("a")); kindOf(err) != "timeout" || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v", err)
	}
}

func TestLoadFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "invert.wasm")
	if err := os.WriteFile(path, invert("file").bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	p, err := plugin.LoadFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(context.Background())
	if p.Describe().Name != "file" {
		t.Errorf("name %q", p.Describe().Name)
	}
	if _, err := plugin.LoadFile(context.Background(), path+".missing"); kindOf(err) != "load" || !errors.Is(err, os.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
}

func TestClosed(t *testing.T) {
	p := load(t, invert("x"))
	if err := p.Close(context.Background()); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Transform(context.Background(), nil, []byte("a")); !errors.Is(err, plugin.ErrClosed) {
		t.Errorf("after Close: %v", err)
	}
}
