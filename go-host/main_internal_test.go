package binpipe

import (
	"fmt"
	"os"
	"testing"
)

// testCacheEnv names the compilation cache directory every test engine shares, so the module
// is compiled once per test run rather than once per engine (each compile of the optimised
// module costs seconds under -race on a loaded machine).
const testCacheEnv = "BINPIPE_TEST_CACHE_DIR"

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "binpipe-test-cache-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	os.Setenv(testCacheEnv, dir)
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// testOptions are the options every test engine starts with: the shared compilation cache,
// and the module of BINPIPE_WASM if set (see helpers_test.go).
func testOptions(t testing.TB) []Option {
	opts := []Option{WithCompilationCacheDir(os.Getenv(testCacheEnv))}
	if path := os.Getenv("BINPIPE_WASM"); path != "" {
		bin, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		opts = append(opts, WithModule(bin))
	}
	return opts
}
