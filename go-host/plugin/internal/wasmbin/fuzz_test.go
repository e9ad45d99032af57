package wasmbin_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/binpipe/binpipe/go-host/plugin/internal/wasmbin"
	. "github.com/binpipe/binpipe/go-host/plugin/internal/wasmtest"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// fuzzRuntimeConfig keeps fuzzed modules small and stoppable.
func fuzzRuntimeConfig() wazero.RuntimeConfig {
	return wazero.NewRuntimeConfig().WithCoreFeatures(api.CoreFeaturesV2).
		WithMemoryLimitPages(16).WithCloseOnContextDone(true)
}

// outcome is what calling one exported function gave.
type outcome struct {
	results []uint64
	failed  bool
}

// runExports instantiates bin and calls every exported function that takes no parameters.
// ok is false when something ran out of time, so the run says nothing.
func runExports(t *testing.T, bin []byte) (map[string]outcome, bool) {
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, fuzzRuntimeConfig())
	defer rt.Close(ctx)
	cctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	mod, err := rt.InstantiateWithConfig(cctx, bin, wazero.NewModuleConfig().WithName(""))
	if cctx.Err() != nil {
		return nil, false
	}
	if err != nil {
		return map[string]outcome{"<start>": {failed: true}}, true
	}
	got := map[string]outcome{}
	for name, def := range mod.ExportedFunctionDefinitions() {
		if len(def.ParamTypes()) != 0 {
			continue
		}
		res, err := mod.ExportedFunction(name).Call(cctx)
		if cctx.Err() != nil {
			return nil, false
		}
		got[name] = outcome{results: res, failed: err != nil}
		if err != nil { // a trap may leave the instance closed: stop here
			break
		}
	}
	return got, true
}

// FuzzInstrument checks, for any input, that the rewriter never panics; that it accepts
// every module wazero accepts (except those using the reserved export prefix); that the
// rewritten module is valid exactly when the original is; and that it computes the same
// results.
func FuzzInstrument(f *testing.F) {
	f.Add(sampleModule())
	b := New()
	tI := b.Type(nil, []byte{I32})
	b.Memory(1, -1)
	b.Data(8, []byte{1, 2, 3, 4})
	f0 := b.Func(tI, []byte{I64}, Cat(I32Const(8), []byte{0x28, 0x02, 0x00}, // i32.load
		[]byte{0xfd, 0x0c}, make([]byte, 16), []byte{0x1a}, // v128.const, drop
		[]byte{0x02, 0x7f}, I32Const(3), []byte{0x0b}, []byte{0x6a})...)
	b.Export("f", ExportFunc, f0)
	f.Add(b.Bytes())

	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, fuzzRuntimeConfig())
	defer rt.Close(ctx)
	compiles := func(bin []byte) error {
		cm, err := rt.CompileModule(ctx, bin)
		if err == nil {
			_ = cm.Close(ctx)
		}
		return err
	}

	f.Fuzz(func(t *testing.T, bin []byte) {
		origErr := compiles(bin)
		m, err := wasmbin.Parse(bin)
		var out []byte
		if err == nil {
			out, _, err = wasmbin.Instrument(m, wasmbin.Options{InitialFuel: 1 << 40})
		}
		if err != nil {
			var fe *wasmbin.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			if origErr == nil && !strings.Contains(err.Error(), "reserved") {
				t.Fatalf("wazero accepts the module, the rewriter refuses it: %v", err)
			}
			return
		}
		instErr := compiles(out)
		if (origErr == nil) != (instErr == nil) {
			t.Fatalf("original compiles: %v; instrumented compiles: %v", origErr, instErr)
		}
		if origErr != nil {
			return
		}
		want, ok1 := runExports(t, bin)
		got, ok2 := runExports(t, out)
		if !ok1 || !ok2 {
			return
		}
		for name, w := range want {
			g, ok := got[name]
			if !ok || g.failed != w.failed || !equalResults(g.results, w.results) {
				t.Fatalf("%s: instrumented %+v, original %+v", name, g, w)
			}
		}
	})
}

func equalResults(a, b []uint64) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
