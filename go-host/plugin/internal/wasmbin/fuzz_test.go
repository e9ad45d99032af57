package wasmbin_test

import (
	"context"
	"errors"
	"maps"
	"slices"
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

// fuzzFuel is the fuel a fuzzed module gets for its start function and for each call.
const fuzzFuel = 50_000_000

// runExports instantiates bin and calls every exported function that takes no parameters.
// ok is false when the run says nothing: it ran out of time, or (metered) out of fuel, or its
// start function failed (metered), which might be the fuel. A metered run is bounded by its
// fuel and its deadline; an unmetered one is run only after its metered twin finished within
// its fuel, which bounds the instructions the unmetered one runs too.
func runExports(t *testing.T, bin []byte, metered bool) (map[string]outcome, bool) {
	ctx := context.Background()
	rt := newRuntime(t, fuzzRuntimeConfig())
	defer rt.Close(ctx)
	cctx, cancel := context.WithTimeout(ctx, 100*time.Millisecond)
	defer cancel()
	mod, err := rt.InstantiateWithConfig(cctx, bin, wazero.NewModuleConfig().WithName(""))
	if cctx.Err() != nil || (err != nil && metered) {
		return nil, false
	}
	if err != nil {
		return map[string]outcome{"<start>": {failed: true}}, true
	}
	got := map[string]outcome{}
	defs := mod.ExportedFunctionDefinitions()
	for _, name := range slices.Sorted(maps.Keys(defs)) {
		if len(defs[name].ParamTypes()) != 0 {
			continue
		}
		if metered {
			meter(mod, fuzzFuel)
		}
		res, err := mod.ExportedFunction(name).Call(cctx)
		if cctx.Err() != nil || (metered && left(mod) < 0) {
			return nil, false
		}
		got[name] = outcome{results: res, failed: err != nil}
		if err != nil { // a trap may leave the instance closed: stop here
			break
		}
	}
	return got, true
}

// FuzzInstrument checks, for any input, that the decoder and rewriter never panic and refuse
// with a *FormatError; and, for a module they accept, that the rewritten module is valid
// exactly when the original is, and computes the same results.
func FuzzInstrument(f *testing.F) {
	f.Add(sampleModule())
	f.Add(bulkModule()) // the instructions replaced by helpers, with their immediates
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
		m, err := wasmbin.Parse(bin)
		if err != nil {
			var fe *wasmbin.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			return
		}
		out, st, err := wasmbin.Instrument(m, wasmbin.Options{InitialFuel: fuzzFuel})
		if err != nil {
			var fe *wasmbin.FormatError
			if !errors.As(err, &fe) {
				t.Fatalf("error of type %T: %v", err, err)
			}
			// A refused module is not given to wazero: its decoder allocates by the counts it
			// reads before checking them, so bytes this decoder reads differently (the reason
			// it refuses them) can make it allocate gigabytes. That the rewriter refuses no
			// valid module is shown on real ones instead (the Rust examples, the fixtures).
			return
		}
		origErr := compiles(bin)
		instErr := compiles(out)
		if origErr != nil && strings.Contains(origErr.Error(), "custom section") {
			// wazero refuses some custom sections at the end of a module (an empty name)
			// and accepts them elsewhere; custom sections never affect execution.
			return
		}
		if (origErr == nil) != (instErr == nil) {
			t.Fatalf("original compiles: %v; instrumented compiles: %v", origErr, instErr)
		}
		if origErr != nil || st.TableGrows > 0 { // table.grow may allocate gigabytes unmetered
			return
		}
		for _, tab := range m.Tables {
			if tab.Min > 1<<16 { // so may instantiation
				return
			}
		}
		got, ok := runExports(t, out, true)
		if !ok {
			return
		}
		want, ok := runExports(t, bin, false)
		if !ok {
			return
		}
		for name, w := range want {
			g, ok := got[name]
			if !ok && len(got) < len(want) { // the metered run stopped at an earlier trap
				continue
			}
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
