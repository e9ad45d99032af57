package plugin

import (
	"context"
	"errors"

	"github.com/binpipe/binpipe/go-host/plugin/internal/wasmbin"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// errFuelSpent ends a call whose metering code found the budget spent. wazero wraps it into
// the call's error (or the instantiation's, when the start function spends it), so errors.Is
// tells fuel exhaustion from a trap even when the instance is gone.
var errFuelSpent = errors.New("plugin: fuel used up")

// errStackExhausted ends a call whose stack counter passed stackSlots, the same way.
var errStackExhausted = errors.New("plugin: call stack exhausted")

// instantiateYield adds to rt the one function the instrumented plugins import (and the only
// import they may have): yield, which the metering code calls once per slice of fuel, and
// once more when the budget beyond the slice is spent or the stack bound is passed. It ends
// the call when its context is done — the call's deadline passed or the caller cancelled —
// by panicking with the context's error, when the caller's budget global is negative, by
// panicking with errFuelSpent, and when its stack counter is above stackSlots, with
// errStackExhausted; wazero turns the panic into the call's error. Being a call into Go, it also
// lets the Go scheduler and garbage collector have the goroutine, which compiled wasm code
// never gives back otherwise.
func instantiateYield(ctx context.Context, rt wazero.Runtime) error {
	_, err := rt.NewHostModuleBuilder(wasmbin.YieldModule).
		NewFunctionBuilder().
		WithGoModuleFunction(api.GoModuleFunc(yield), nil, nil).
		Export(wasmbin.YieldName).
		Instantiate(ctx)
	return err
}

// yield ends the call if its context is done, the calling module's budget is spent or its
// stack bound passed.
func yield(ctx context.Context, mod api.Module, _ []uint64) {
	if err := ctx.Err(); err != nil {
		panic(err)
	}
	if g := mod.ExportedGlobal(wasmbin.BudgetExport); g != nil && int64(g.Get()) < 0 {
		panic(errFuelSpent)
	}
	if g := mod.ExportedGlobal(wasmbin.StackExport); g != nil && uint32(g.Get()) > stackSlots {
		panic(errStackExhausted)
	}
}
