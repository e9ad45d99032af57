package binpipe_test

import (
	"errors"
	"slices"
	"testing"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// TestNativeTiers runs one subtest per native tier binpipe has code for: a tier this build and
// CPU lack is reported as skipped (the differential, conformance and chain tests run every
// tier that is available, through allEngines). An available tier pins BackendNative: every
// kernel's path is that tier or Go.
func TestNativeTiers(t *testing.T) {
	avail := binpipe.NativeTiers()
	for _, tier := range []string{"avx2", "avx512", "neon"} {
		t.Run(tier, func(t *testing.T) {
			if !slices.Contains(avail, tier) {
				t.Skipf("native tier %s: not available in this build on this CPU (available: %v)", tier, avail)
			}
			e := newEngine(t, binpipe.WithBackend(binpipe.BackendNative), binpipe.WithNativeTier(tier))
			var native []string
			for _, k := range kernelNamesForTest {
				switch p := e.Path(k, 1<<20); p {
				case tier:
					native = append(native, k)
				case "go":
				default:
					t.Errorf("%s on a BackendNative engine pinned to %s takes path %q", k, tier, p)
				}
			}
			t.Logf("native on %s: %v", tier, native)
		})
	}
}

// kernelNamesForTest are the WIT names of every kernel.
var kernelNamesForTest = []string{"crc32c", "crc32", "xxh3-64", "count-byte", "find-byte", "find-any",
	"index-byte", "mismatch", "utf8-validate", "ascii-prefix", "hex-encode", "hex-decode",
	"base64-encode", "base64-decode", "varint-encode", "varint-decode", "shuffle", "unshuffle",
	"delta-encode", "delta-decode", "byteswap", "bitpack", "bitunpack", "extract-field", "compare",
	"select", "aggregate"}

// TestNativeOptions: WithNativeTier takes only tier names and only with BackendNative;
// BackendNative and a pinned tier fail with ErrNoNative where the build or CPU cannot run them.
func TestNativeOptions(t *testing.T) {
	ctx := t.Context()
	for _, opts := range [][]binpipe.Option{
		{binpipe.WithNativeTier("sse2"), binpipe.WithBackend(binpipe.BackendNative)},
		{binpipe.WithNativeTier("go"), binpipe.WithBackend(binpipe.BackendNative)},
		{binpipe.WithNativeTier("avx2")}, // BackendAuto
		{binpipe.WithNativeTier("avx2"), binpipe.WithBackend(binpipe.BackendGo)},
	} {
		if _, err := binpipe.New(ctx, opts...); !errors.Is(err, binpipe.ErrInvalidArgument) {
			t.Errorf("New(%d options): %v, want ErrInvalidArgument", len(opts), err)
		}
	}
	avail := binpipe.NativeTiers()
	for _, tier := range []string{"avx2", "avx512", "neon"} {
		e, err := binpipe.New(ctx, binpipe.WithBackend(binpipe.BackendNative), binpipe.WithNativeTier(tier))
		switch {
		case slices.Contains(avail, tier) && err != nil:
			t.Errorf("New(native, %s): %v", tier, err)
		case !slices.Contains(avail, tier) && !errors.Is(err, binpipe.ErrNoNative):
			t.Errorf("New(native, %s) without the tier: %v, want ErrNoNative", tier, err)
		}
		if e != nil {
			e.Close()
		}
	}
	// BackendNative never compiles the module: a module that is not wasm at all is no error.
	e, err := binpipe.New(ctx, binpipe.WithBackend(binpipe.BackendNative), binpipe.WithModule([]byte("not wasm")))
	if len(avail) == 0 != errors.Is(err, binpipe.ErrNoNative) || (err != nil && !errors.Is(err, binpipe.ErrNoNative)) {
		t.Errorf("New(native) with tiers %v: %v", avail, err)
	}
	if e != nil {
		if _, err := e.HexEncode(nil, []byte("x"), false); err != nil {
			t.Errorf("native engine with a junk module: HexEncode: %v", err)
		}
		e.Close()
	}
}

// TestPath: fixed backends report their own path for every kernel, BackendAuto one of the
// paths that exist here, and an unknown kernel "".
func TestPath(t *testing.T) {
	for _, c := range []struct {
		b    binpipe.Backend
		want string
	}{{binpipe.BackendGo, "go"}, {binpipe.BackendWasm, "wasm"}, {binpipe.BackendCanonical, "canonical"}} {
		e := newEngine(t, binpipe.WithBackend(c.b))
		for _, k := range kernelNamesForTest {
			if p := e.Path(k, 100); p != c.want {
				t.Errorf("%v: Path(%s) = %q", c.b, k, p)
			}
		}
	}
	e := newEngine(t)
	ok := append([]string{"go", "wasm"}, binpipe.NativeTiers()...)
	for _, k := range kernelNamesForTest {
		for _, n := range []int{0, 100, 1 << 20} {
			if p := e.Path(k, n); !slices.Contains(ok, p) {
				t.Errorf("auto: Path(%s, %d) = %q, want one of %v", k, n, p, ok)
			}
		}
	}
	if p := e.Path("no-such-kernel", 1); p != "" {
		t.Errorf("Path(no-such-kernel) = %q", p)
	}
}
