package plugin_test

import (
	"context"
	"testing"
	"time"

	"github.com/binpipe/binpipe/go-host/plugin/internal/wasmbin"
	. "github.com/binpipe/binpipe/go-host/plugin/internal/wasmtest"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// bulkFillModule exports run(n): n memory.fill instructions over all 16 MiB of its memory,
// in a loop.
func bulkFillModule() []byte {
	b := New()
	tI := b.Type([]byte{I32}, nil)
	b.Memory(256, 256)
	f := b.Func(tI, nil, Cat(
		[]byte{0x02, 0x40, 0x03, 0x40},        // block loop
		LocalGet(0), []byte{0x45, 0x0d, 0x01}, // br_if 1 (n == 0)
		I32Const(0), LocalGet(0), I32Const(16<<20), []byte{0xfc, 11, 0x00}, // memory.fill
		LocalGet(0), I32Const(1), []byte{0x6b}, LocalSet(0), // n--
		[]byte{0x0c, 0x00, 0x0b, 0x0b})...) // br 0, end, end
	b.Export("run", ExportFunc, f)
	return b.Bytes()
}

// runWithDetector instantiates bin (with a yield that never stops the call) and calls
// run(n) while a stallDetector watches.
func runWithDetector(t *testing.T, bin []byte, n uint64) (stall, time.Duration) {
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCoreFeatures(api.CoreFeaturesV2))
	defer rt.Close(ctx)
	if _, err := rt.NewHostModuleBuilder(wasmbin.YieldModule).NewFunctionBuilder().
		WithGoFunction(api.GoFunc(func(context.Context, []uint64) {}), nil, nil).
		Export(wasmbin.YieldName).Instantiate(ctx); err != nil {
		t.Fatal(err)
	}
	mod, err := rt.InstantiateWithConfig(ctx, bin, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		t.Fatal(err)
	}
	d := startStallDetector()
	start := time.Now()
	if _, err := mod.ExportedFunction("run").Call(ctx, n); err != nil {
		t.Fatal(err)
	}
	took := time.Since(start)
	return d.stop(), took
}

// TestStallDetectorSeesUnmeteredBulkFill shows that the stall detector of the hostile suite
// can fail: the same loop of 16 MiB memory.fill instructions, for about half a second, stalls
// the host's goroutines for longer than suite.max_stall_ms (plus the noise floor) uninstrumented (a garbage
// collection waits for the wasm code, which never reaches Go), and not once instrumented
// (the fill helper yields within a slice of fuel).
func TestStallDetectorSeesUnmeteredBulkFill(t *testing.T) {
	if !raceStallChecked {
		t.Skip("stall bounds are checked in the run without the race detector (see raceStallChecked); under it the runtime's own slowness shows as stalls")
	}
	s := readSuite(t)
	bin := bulkFillModule()
	m, err := wasmbin.Parse(bin)
	if err != nil {
		t.Fatal(err)
	}
	metered, st, err := wasmbin.Instrument(m, wasmbin.Options{InitialFuel: 1 << 50})
	if err != nil || st.Bulk != 1 {
		t.Fatalf("instrumenting: %v, %+v", err, st)
	}
	floor := noiseFloor()
	// calibrate: as many fills as take about 500 ms
	_, one := runWithDetector(t, metered, 8)
	n := uint64(max(8, 8*int64(500*time.Millisecond)/max(int64(one), 1)))

	gap, took := runWithDetector(t, bin, n)
	t.Logf("uninstrumented: %d fills in %v, stall %+v", n, took, gap)
	if bound := ms(s.MaxStallMs) + floor.own; gap.own <= bound {
		t.Errorf("uninstrumented: stall %+v, want above %v: the detector cannot fail", gap, bound)
	}
	gap, took = runWithDetector(t, metered, n)
	t.Logf("instrumented: %d fills in %v, stall %+v", n, took, gap)
	gap.check(t, s, floor)
}
