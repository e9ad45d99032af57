package binpipe_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"os"
	"testing"

	binpipe "github.com/binpipe/binpipe/go-host"
)

var backends = []binpipe.Backend{binpipe.BackendAuto, binpipe.BackendGo, binpipe.BackendWasm, binpipe.BackendCanonical}

// scalarModuleEnv names the scalar wasm build (target/wasm/binpipe.scalar.wasm from
// component/build.sh) that tests run in addition to the embedded simd128 build.
const scalarModuleEnv = "BINPIPE_SCALAR_WASM"

// moduleEnv names a simd128 build that replaces the embedded module in every test engine, to
// test a freshly built module before it is embedded.
const moduleEnv = "BINPIPE_WASM"

// testModule is the module of moduleEnv, or nil for the embedded one.
var testModule = func() []byte {
	path := os.Getenv(moduleEnv)
	if path == "" {
		return nil
	}
	bin, err := os.ReadFile(path)
	if err != nil {
		panic(moduleEnv + ": " + err.Error())
	}
	return bin
}()

type namedEngine struct {
	name string
	e    *binpipe.Engine
}

// newEngine creates an engine closed at the end of the test (with the module of moduleEnv, if
// set, unless opts name another).
func newEngine(t testing.TB, opts ...binpipe.Option) *binpipe.Engine {
	t.Helper()
	// The compilation cache directory shared by every test engine (main_internal_test.go).
	pre := []binpipe.Option{binpipe.WithCompilationCacheDir(os.Getenv("BINPIPE_TEST_CACHE_DIR"))}
	if testModule != nil {
		pre = append(pre, binpipe.WithModule(testModule))
	}
	e, err := binpipe.New(context.Background(), append(pre, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e
}

// allEngines returns one engine per backend with the embedded module, and one BackendNative
// engine per native tier this build and CPU run ("native-avx2", ...; TestNativeTiers reports
// the tiers skipped here).
func allEngines(t testing.TB, opts ...binpipe.Option) []namedEngine {
	var out []namedEngine
	for _, b := range backends {
		out = append(out, namedEngine{b.String(), newEngine(t, append([]binpipe.Option{binpipe.WithBackend(b)}, opts...)...)})
	}
	return append(out, nativeEngines(t, opts...)...)
}

// nativeEngines returns one BackendNative engine per native tier this build and CPU run,
// named "native-<tier>".
func nativeEngines(t testing.TB, opts ...binpipe.Option) []namedEngine {
	var out []namedEngine
	for _, tier := range binpipe.NativeTiers() {
		o := append([]binpipe.Option{binpipe.WithBackend(binpipe.BackendNative), binpipe.WithNativeTier(tier)}, opts...)
		out = append(out, namedEngine{"native-" + tier, newEngine(t, o...)})
	}
	return out
}

// scalarEngines returns the wasm backends loaded with the scalar module, or skips the test.
func scalarEngines(t *testing.T) []namedEngine {
	path := os.Getenv(scalarModuleEnv)
	if path == "" {
		t.Skipf("%s is not set: set it to target/wasm/binpipe.scalar.wasm (component/build.sh) to test the scalar module", scalarModuleEnv)
	}
	bin, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v", scalarModuleEnv, err)
	}
	var out []namedEngine
	for _, b := range []binpipe.Backend{binpipe.BackendAuto, binpipe.BackendWasm, binpipe.BackendCanonical} {
		out = append(out, namedEngine{"scalar-" + b.String(), newEngine(t, binpipe.WithBackend(b), binpipe.WithModule(bin))})
	}
	return out
}

// splitmix64 returns n bytes of SplitMix64 output from seed (tests/vectors/README.md).
func splitmix64(seed uint64, n int) []byte {
	out := make([]byte, 0, n+8)
	state := seed
	for len(out) < n {
		state += 0x9E3779B97F4A7C15
		z := state
		z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
		z = (z ^ (z >> 27)) * 0x94D049BB133111EB
		z ^= z >> 31
		out = binary.LittleEndian.AppendUint64(out, z)
	}
	return out[:n]
}

// refShuffle is the definition in KERNELS.md, one byte at a time: the test oracle.
func refShuffle(src []byte, es int) []byte {
	out := make([]byte, len(src))
	n := len(src) / es
	for i := 0; i < n; i++ {
		for j := 0; j < es; j++ {
			out[j*n+i] = src[i*es+j]
		}
	}
	copy(out[n*es:], src[n*es:])
	return out
}

// refUnshuffle is the inverse, one byte at a time.
func refUnshuffle(src []byte, es int) []byte {
	out := make([]byte, len(src))
	n := len(src) / es
	for i := 0; i < n; i++ {
		for j := 0; j < es; j++ {
			out[i*es+j] = src[j*n+i]
		}
	}
	copy(out[n*es:], src[n*es:])
	return out
}

func TestSplitMix64(t *testing.T) {
	// tests/vectors/README.md: seed 1234567 starts 85 fc 08 fb 17 d0 9e 59.
	got := splitmix64(1234567, 8)
	want := []byte{0x85, 0xfc, 0x08, 0xfb, 0x17, 0xd0, 0x9e, 0x59}
	if string(got) != string(want) {
		t.Fatalf("splitmix64(1234567) = % x, want % x", got, want)
	}
}

func errorf(format string, args ...any) error { return fmt.Errorf(format, args...) }
