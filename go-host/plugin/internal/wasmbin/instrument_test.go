package wasmbin_test

import (
	"bytes"
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
	// indirect(n) calls fib(n) through table slot 1.
	b.Table(2)
	b.Elem(0, grow, fib)
	b.Global(0x70, false, U32(uint32(fib), []byte{0xd2})...) // a funcref global: ref.func fib
	indirect := b.Func(tI, nil, Cat(LocalGet(0), I32Const(1), U32(uint32(tI), []byte{0x11}), []byte{0x00})...)
	start := b.Func(tV, nil, Cat(GlobalGet(g), I32Const(5), []byte{0x6a}, GlobalSet(g))...)
	b.Start(start)
	b.Export("fib", ExportFunc, fib)
	b.Export("sum", ExportFunc, sum)
	b.Export("sumParam", ExportFunc, sumParam)
	b.Export("grow", ExportFunc, grow)
	b.Export("global", ExportFunc, getG)
	b.Export("indirect", ExportFunc, indirect)
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

// newRuntime is a runtime with cfg and the host's yield function, which ends the call when
// its context is done.
func newRuntime(t testing.TB, cfg wazero.RuntimeConfig) wazero.Runtime {
	t.Helper()
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, cfg)
	_, err := rt.NewHostModuleBuilder(wasmbin.YieldModule).NewFunctionBuilder().
		WithGoFunction(api.GoFunc(func(ctx context.Context, _ []uint64) {
			if err := ctx.Err(); err != nil {
				panic(err)
			}
		}), nil, nil).Export(wasmbin.YieldName).Instantiate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return rt
}

func instantiate(t testing.TB, bin []byte) api.Module {
	t.Helper()
	ctx := context.Background()
	rt := newRuntime(t, wazero.NewRuntimeConfig().WithCoreFeatures(api.CoreFeaturesV2))
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
	if st.Functions != 7 || st.Loops != 2 || st.Grows != 1 {
		t.Fatalf("stats %+v, want 7 functions, 2 loops, 1 grow", st)
	}
	orig, inst := instantiate(t, bin), instantiate(t, out)
	for _, tc := range []struct {
		fn  string
		arg uint64
	}{{"fib", 15}, {"sum", 100}, {"sumParam", 100}, {"global", 0}, {"grow", 1}, {"grow", 100}, {"grow", 2}, {"indirect", 12}} {
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

// meter gives mod total fuel: one slice in the fuel global, the rest in the budget.
func meter(mod api.Module, total int64) {
	fuel := min(total, wasmbin.DefaultSlice)
	mod.ExportedGlobal(wasmbin.FuelExport).(api.MutableGlobal).Set(uint64(fuel))
	mod.ExportedGlobal(wasmbin.BudgetExport).(api.MutableGlobal).Set(uint64(total - fuel))
}

// left is the fuel mod has left.
func left(mod api.Module) int64 {
	return int64(mod.ExportedGlobal(wasmbin.FuelExport).Get()) + int64(mod.ExportedGlobal(wasmbin.BudgetExport).Get())
}

func TestFuelChargesEveryCallAndIteration(t *testing.T) {
	out, _ := instrument(t, sampleModule(), wasmbin.Options{InitialFuel: 1 << 40})
	mod := instantiate(t, out)

	meter(mod, 1<<40)
	if _, err := call(t, mod, "fib", 25); err != nil {
		t.Fatal(err)
	}
	calls := int64(2*121393 - 1) // fib(25) makes 2*fib(26)-1 calls: several slices
	if used := 1<<40 - left(mod); used != calls*fibBodyInstrs {
		t.Errorf("fib(25) used %d fuel, want %d calls x %d", used, calls, fibBodyInstrs)
	}

	// A loop is charged once per iteration: sum(n) uses a + n*b for fixed a, b.
	used := func(n uint64) int64 {
		meter(mod, 1<<40)
		if _, err := call(t, mod, "sum", n); err != nil {
			t.Fatal(err)
		}
		return 1<<40 - left(mod)
	}
	u1, u2, u3 := used(1), used(1001), used(2001)
	if u2-u1 != u3-u2 || u2-u1 < 1000*10 {
		t.Errorf("sum loop charges %d, %d, %d: want linear in n with at least 10 per iteration", u1, u2, u3)
	}
}

func TestFuelExhaustionTraps(t *testing.T) {
	out, _ := instrument(t, sampleModule(), wasmbin.Options{InitialFuel: 1 << 40})
	mod := instantiate(t, out)
	for _, total := range []int64{1000, 3 * wasmbin.DefaultSlice} { // within the first slice, after refills
		for _, fn := range []string{"fib", "sum"} {
			meter(mod, total)
			_, err := call(t, mod, fn, 1<<30)
			if err == nil || !strings.Contains(err.Error(), "unreachable") {
				t.Errorf("%s with %d fuel: %v, want the unreachable trap", fn, total, err)
			}
			if budget := int64(mod.ExportedGlobal(wasmbin.BudgetExport).Get()); budget >= 0 {
				t.Errorf("%s: budget %d after the trap, want negative", fn, budget)
			}
		}
	}
}

// callTreeModule exports tree(depth): a loop-free function calling itself twice per level,
// 2^(depth+1)-1 calls, each of which adds one to the exported global "calls".
func callTreeModule() []byte {
	b := New()
	tI := b.Type([]byte{I32}, []byte{I32})
	calls := b.Global(I64, true, I64Const(0)...)
	f := b.Func(tI, nil, Cat(GlobalGet(calls), I64Const(1), []byte{0x7c}, GlobalSet(calls),
		LocalGet(0), []byte{0x45, 0x04, I32}, I32Const(1), []byte{0x05},
		LocalGet(0), I32Const(1), []byte{0x6b}, Call(0),
		LocalGet(0), I32Const(1), []byte{0x6b}, Call(0), []byte{0x6a}, []byte{0x0b})...)
	b.Export("tree", ExportFunc, f)
	b.Export("calls", ExportGlobal, calls)
	return b.Bytes()
}

// runTree calls tree(depth) with a deadline and returns the calls it made, how long it took
// and its error. An uninstrumented module runs with WithCloseOnContextDone, wazero's own way to
// stop a call (it checks at loop headers); a metered one runs without, stopped by the host's
// yield only.
func runTree(t *testing.T, bin []byte, depth uint64, deadline time.Duration, metered bool) (uint64, time.Duration, error) {
	ctx := context.Background()
	rt := newRuntime(t, wazero.NewRuntimeConfig().WithCloseOnContextDone(!metered))
	defer rt.Close(ctx)
	mod, err := rt.InstantiateWithConfig(ctx, bin, wazero.NewModuleConfig().WithName(""))
	if err != nil {
		t.Fatal(err)
	}
	if metered {
		meter(mod, 1<<62)
	}
	calls := mod.ExportedGlobal("calls")
	cctx, cancel := context.WithTimeout(ctx, deadline)
	defer cancel()
	start := time.Now()
	_, err = mod.ExportedFunction("tree").Call(cctx, depth)
	return calls.Get(), time.Since(start), err
}

// TestCallTreeStopsOnlyWhenInstrumented shows that the instrumentation is what makes a
// loop-free call tree stop at its deadline: wazero alone never checks the context in it.
func TestCallTreeStopsOnlyWhenInstrumented(t *testing.T) {
	const deadline = 20 * time.Millisecond
	bin := callTreeModule()
	// Uninstrumented, a tree of 2^27-1 calls makes every call, long past the deadline: wazero
	// reports the deadline only when the call returns by itself.
	calls, took, err := runTree(t, bin, 26, deadline, false)
	if calls != 1<<27-1 || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("uninstrumented: %d calls in %v (%v); want all 2^27-1, ignoring the %v deadline", calls, took, err, deadline)
	}
	t.Logf("uninstrumented: all 2^27-1 calls made in %v despite a %v deadline (%v)", took, deadline, err)
	// Instrumented, the same tree (and a far larger one) stops at the deadline.
	out, _ := instrument(t, bin, wasmbin.Options{InitialFuel: 1 << 40})
	for _, depth := range []uint64{26, 60} {
		calls, took, err := runTree(t, out, depth, deadline, true)
		if !errors.Is(err, context.DeadlineExceeded) || calls >= 1<<(depth+1)-1 {
			t.Fatalf("instrumented depth %d: %v after %v and %d calls, want the deadline error", depth, err, took, calls)
		}
		t.Logf("instrumented depth %d: stopped after %v and %d calls", depth, took, calls)
	}
}

func TestTableMaximumSet(t *testing.T) {
	b := New()
	tI := b.Type([]byte{I32}, []byte{I32})
	b.Table(1)
	// grow(_) is table.grow(ref.null func, 1<<20) on table 0.
	f := b.Func(tI, nil, Cat([]byte{0xd0, 0x70}, I32Const(1<<20), []byte{0xfc, 15, 0})...)
	b.Export("grow", ExportFunc, f)
	out, st := instrument(t, b.Bytes(), wasmbin.Options{InitialFuel: 1 << 40, Bounds: wasmbin.Bounds{TableElements: 1024}})
	if st.TableGrows != 1 {
		t.Errorf("stats %+v", st)
	}
	m, err := wasmbin.Parse(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Tables) != 1 || !m.Tables[0].HasMax || m.Tables[0].Max != 1024 {
		t.Fatalf("tables %+v, want a maximum of 1024", m.Tables)
	}
	if got, err := call(t, instantiate(t, out), "grow", 0); err != nil || int32(got) != -1 {
		t.Errorf("table.grow by 2^20 = %d, %v; want -1", int32(got), err)
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

	b = New()
	b.Global(I32, false, I32Const(1)...)
	b.Export("g", ExportGlobal, 1)
	exportedGlobal := b.Bytes()

	b = New()
	b.Type(nil, nil)
	b.Func(1, nil) // type 1 does not exist; it would be the appended yield type
	funcType := b.Bytes()

	b = New()
	tV = b.Type(nil, nil)
	b.Table(1)
	b.Func(tV, nil, Cat(I32Const(0), []byte{0x11, 0x01, 0x00})...) // call_indirect (type 1)
	indirectType := b.Bytes()

	for _, tc := range []struct {
		name, bin []byte
		want      string
	}{
		{[]byte("exported global out of range"), exportedGlobal, "global index 1 out of range"},
		{[]byte("function type out of range"), funcType, "type index 1 out of range"},
		{[]byte("call_indirect type out of range"), indirectType, "type index 1 out of range"},
		{[]byte("shared memory"), []byte("\x00asm\x01\x00\x00\x00\x05\x04\x01\x03\x01\x01"), "shared"},
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

// TestLargeBodyDoesNotOvershoot: a function whose body costs more than one slice is charged
// whole from the budget at its entry, so it runs only if the call's fuel covers it, and the
// fuel left afterwards is exact.
func TestLargeBodyDoesNotOvershoot(t *testing.T) {
	b := New()
	tV := b.Type(nil, nil)
	const nops = 5000 // the body: 5000 nops and its end
	f := b.Func(tV, nil, bytes.Repeat([]byte{0x01}, nops)...)
	b.Export("big", ExportFunc, f)
	const slice = 1000
	out, _ := instrument(t, b.Bytes(), wasmbin.Options{InitialFuel: 1 << 40, Slice: slice})
	mod := instantiate(t, out)
	setFuel := func(total int64) {
		mod.ExportedGlobal(wasmbin.FuelExport).(api.MutableGlobal).Set(uint64(min(total, slice)))
		mod.ExportedGlobal(wasmbin.BudgetExport).(api.MutableGlobal).Set(uint64(total - min(total, slice)))
	}
	setFuel(nops) // one short of the body's nops+1 instructions
	if _, err := mod.ExportedFunction("big").Call(context.Background()); err == nil {
		t.Errorf("a body of %d instructions ran on %d fuel", nops+1, nops)
	}
	setFuel(3 * nops)
	if _, err := mod.ExportedFunction("big").Call(context.Background()); err != nil {
		t.Fatal(err)
	}
	if got := left(mod); got != 3*nops-(nops+1) {
		t.Errorf("fuel left %d, want %d", got, 3*nops-(nops+1))
	}
}
