package wasmbin_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/binpipe/binpipe/go-host/plugin/internal/wasmbin"
	. "github.com/binpipe/binpipe/go-host/plugin/internal/wasmtest"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// fibBodyInstrs is the number of instructions in fib's body (see sampleModule): the fuel one
// call of fib costs.
const fibBodyInstrs = 17

// sampleModule has recursion (fib), a counted loop (sum), a loop with a parameter (sumParam),
// memory.grow (grow), a global and a start function that writes it.
func sampleModule() []byte {
	b := New()
	tI := b.Type([]byte{I32}, []byte{I32})
	tV := b.Type(nil, nil)
	b.Memory(1, 4)
	g := b.Global(I32, true, I32Const(7)...)
	fib := 0
	fib = b.Func(tI, nil, Cat(
		LocalGet(0), I32Const(2), []byte{0x48}, // i32.lt_s
		[]byte{0x04, I32}, LocalGet(0),
		[]byte{0x05}, LocalGet(0), I32Const(1), []byte{0x6b}, Call(fib),
		LocalGet(0), I32Const(2), []byte{0x6b}, Call(fib), []byte{0x6a},
		[]byte{0x0b})...)
	sum := b.Func(tI, []byte{I32}, Cat(
		[]byte{0x02, 0x40, 0x03, 0x40},
		LocalGet(1), LocalGet(0), []byte{0x6a}, LocalSet(1),
		LocalGet(0), I32Const(1), []byte{0x6b}, []byte{0x22, 0x00}, []byte{0x0d, 0x00},
		[]byte{0x0b, 0x0b}, LocalGet(1))...)
	sumParam := b.Func(tI, nil, Cat(
		I32Const(0), []byte{0x03, byte(tI)}, // loop (param i32) (result i32)
		LocalGet(0), []byte{0x6a},
		LocalGet(0), I32Const(1), []byte{0x6b}, []byte{0x22, 0x00}, []byte{0x0d, 0x00},
		[]byte{0x0b})...)
	grow := b.Func(tI, nil, Cat(LocalGet(0), []byte{0x40, 0x00})...)
	getG := b.Func(tI, nil, GlobalGet(g)...)
	start := b.Func(tV, nil, Cat(GlobalGet(g), I32Const(5), []byte{0x6a}, GlobalSet(g))...)
	b.Start(start)
	b.Export("fib", ExportFunc, fib)
	b.Export("sum", ExportFunc, sum)
	b.Export("sumParam", ExportFunc, sumParam)
	b.Export("grow", ExportFunc, grow)
	b.Export("global", ExportFunc, getG)
	b.Export("memory", ExportMemory, 0)
	return b.Bytes()
}

func instrument(t testing.TB, bin []byte, opt wasmbin.Options) ([]byte, wasmbin.Stats) {
	t.Helper()
	m, err := wasmbin.Parse(bin)
	if err != nil {
		t.Fatal(err)
	}
	out, st, err := wasmbin.Instrument(m, opt)
	if err != nil {
		t.Fatal(err)
	}
	return out, st
}

func instantiate(t testing.TB, bin []byte) api.Module {
	t.Helper()
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCoreFeatures(api.CoreFeaturesV2))
	t.Cleanup(func() { _ = rt.Close(ctx) })
	mod, err := rt.InstantiateWithConfig(ctx, bin, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		t.Fatal(err)
	}
	return mod
}

func call(t testing.TB, mod api.Module, name string, arg uint64) (uint64, error) {
	t.Helper()
	res, err := mod.ExportedFunction(name).Call(context.Background(), arg)
	if err != nil {
		return 0, err
	}
	return res[0], nil
}

func TestInstrumentedModuleComputesTheSame(t *testing.T) {
	bin := sampleModule()
	out, st := instrument(t, bin, wasmbin.Options{InitialFuel: 1 << 40})
	if st.Functions != 6 || st.Loops != 2 || st.Grows != 1 {
		t.Fatalf("stats %+v, want 6 functions, 2 loops, 1 grow", st)
	}
	orig, inst := instantiate(t, bin), instantiate(t, out)
	for _, tc := range []struct {
		fn  string
		arg uint64
	}{{"fib", 15}, {"sum", 100}, {"sumParam", 100}, {"global", 0}, {"grow", 1}, {"grow", 100}, {"grow", 2}} {
		want, err1 := call(t, orig, tc.fn, tc.arg)
		got, err2 := call(t, inst, tc.fn, tc.arg)
		if err1 != nil || err2 != nil || got != want {
			t.Errorf("%s(%d): instrumented %d (%v), original %d (%v)", tc.fn, tc.arg, got, err2, want, err1)
		}
	}
	if got, _ := call(t, orig, "fib", 15); got != 610 {
		t.Errorf("fib(15) = %d", got)
	}
	if got, _ := call(t, orig, "global", 0); got != 12 {
		t.Errorf("global after start = %d, want 12", got)
	}
}

func TestFuelChargesEveryCallAndIteration(t *testing.T) {
	out, _ := instrument(t, sampleModule(), wasmbin.Options{InitialFuel: 1 << 40})
	mod := instantiate(t, out)
	fuel := mod.ExportedGlobal(wasmbin.FuelExport).(api.MutableGlobal)

	fuel.Set(1 << 40)
	if _, err := call(t, mod, "fib", 20); err != nil {
		t.Fatal(err)
	}
	calls := uint64(2*10946 - 1) // fib(20) makes 2*fib(21)-1 calls
	if used := uint64(1<<40) - fuel.Get(); used != calls*fibBodyInstrs {
		t.Errorf("fib(20) used %d fuel, want %d calls x %d", used, calls, fibBodyInstrs)
	}

	// A loop is charged once per iteration: sum(n) uses a + n*b for fixed a, b.
	used := func(n uint64) uint64 {
		fuel.Set(1 << 40)
		if _, err := call(t, mod, "sum", n); err != nil {
			t.Fatal(err)
		}
		return uint64(1<<40) - fuel.Get()
	}
	u1, u2, u3 := used(1), used(1001), used(2001)
	if u2-u1 != u3-u2 || u2-u1 < 1000*10 {
		t.Errorf("sum loop charges %d, %d, %d: want linear in n with at least 10 per iteration", u1, u2, u3)
	}
}

func TestFuelExhaustionTraps(t *testing.T) {
	out, _ := instrument(t, sampleModule(), wasmbin.Options{InitialFuel: 1 << 40})
	mod := instantiate(t, out)
	fuel := mod.ExportedGlobal(wasmbin.FuelExport).(api.MutableGlobal)
	for _, fn := range []string{"fib", "sum"} {
		fuel.Set(1000)
		_, err := call(t, mod, fn, 100000)
		if err == nil || !strings.Contains(err.Error(), "unreachable") {
			t.Errorf("%s with 1000 fuel: %v, want the unreachable trap", fn, err)
		}
		if int64(fuel.Get()) >= 0 {
			t.Errorf("%s: fuel %d after the trap, want negative", fn, int64(fuel.Get()))
		}
	}
	// Raising the floor stops the next charge whatever the fuel left: the host's deadline.
	fuel.Set(1 << 40)
	mod.ExportedGlobal(wasmbin.FloorExport).(api.MutableGlobal).Set(1<<63 - 1)
	if _, err := call(t, mod, "fib", 1); err == nil {
		t.Error("a call with the floor raised ran")
	}
}

func TestFailedGrowIsRecorded(t *testing.T) {
	out, _ := instrument(t, sampleModule(), wasmbin.Options{InitialFuel: 1 << 40})
	mod := instantiate(t, out)
	failed := mod.ExportedGlobal(wasmbin.GrowFailedExport)
	if got, _ := call(t, mod, "grow", 1); got != 1 || uint32(failed.Get())&(1<<31) != 0 {
		t.Fatalf("grow(1) = %d, flags %#x", got, failed.Get())
	}
	if got, _ := call(t, mod, "grow", 100); int32(got) != -1 || uint32(failed.Get())&(1<<31) == 0 {
		t.Fatalf("grow(100) = %d, flags %#x: want -1 and bit 31", int32(got), failed.Get())
	}
}

func TestMemoryMaximumLowered(t *testing.T) {
	out, _ := instrument(t, sampleModule(), wasmbin.Options{InitialFuel: 1 << 40, MaxPages: 2})
	m, err := wasmbin.Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Memories) != 1 || m.Memories[0].Max != 2 || m.Memories[0].Min != 1 {
		t.Fatalf("memories %+v, want min 1 max 2", m.Memories)
	}
	mod := instantiate(t, out)
	if got, _ := call(t, mod, "grow", 2); int32(got) != -1 {
		t.Errorf("grow(2) beyond the lowered maximum = %d", int32(got))
	}
}

func TestRefusals(t *testing.T) {
	// A body referring to the global index the instrumentation will append.
	b := New()
	tI := b.Type(nil, []byte{I32})
	b.Global(I32, false, I32Const(1)...)
	f := b.Func(tI, nil, GlobalGet(1)...)
	b.Export("f", ExportFunc, f)
	outOfRange := b.Bytes()

	b = New()
	b.Global(I64, true, I64Const(0)...)
	b.Export(wasmbin.FuelExport, ExportGlobal, 0)
	reserved := b.Bytes()

	b = New()
	tV := b.Type(nil, nil)
	b.Func(tV, nil, 0x12, 0x00) // return_call: the tail-call proposal is not enabled
	tail := b.Bytes()

	for _, tc := range []struct {
		name, bin []byte
		want      string
	}{
		{[]byte("global out of range"), outOfRange, "global index 1 out of range"},
		{[]byte("reserved export"), reserved, "reserved"},
		{[]byte("unknown opcode"), tail, "unsupported instruction"},
		{[]byte("truncated"), sampleModule()[:40], "announced"},
		{[]byte("not wasm"), []byte("\x00asm\x02\x00\x00\x00"), "magic"},
	} {
		m, err := wasmbin.Parse(tc.bin)
		if err == nil {
			_, _, err = wasmbin.Instrument(m, wasmbin.Options{})
		}
		var fe *wasmbin.FormatError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want a *FormatError with %q", tc.name, err, tc.want)
		}
	}
}

func TestParseReportsImportsAndExports(t *testing.T) {
	b := New()
	tV := b.Type(nil, nil)
	b.ImportFunc("wasi_snapshot_preview1", "fd_write", tV)
	b.ImportMemory("env", "memory", 1)
	f := b.Func(tV, nil)
	b.Export("run", ExportFunc, f)
	m, err := wasmbin.Parse(b.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	want := []wasmbin.Import{{"wasi_snapshot_preview1", "fd_write", wasmbin.KindFunc}, {"env", "memory", wasmbin.KindMemory}}
	if len(m.Imports) != 2 || m.Imports[0] != want[0] || m.Imports[1] != want[1] {
		t.Errorf("imports %+v", m.Imports)
	}
	if len(m.Exports) != 1 || m.Exports[0] != (wasmbin.Export{Name: "run", Kind: wasmbin.KindFunc, Index: 1}) {
		t.Errorf("exports %+v", m.Exports)
	}
}
