package plugin

import (
	"context"
	"errors"
	"fmt"

	"github.com/binpipe/binpipe/go-host/plugin/internal/wasmbin"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// instance is one instantiation of the metered module. It is not safe for concurrent use:
// the pool lends it to one caller at a time, and an instance that failed is closed, never
// lent again.
type instance struct {
	mod                      api.Module
	mem                      api.Memory
	describe, transform      api.Function
	realloc                  api.Function
	postDescribe, postXform  api.Function // nil when the module has none
	fuel, budget, growFailed api.MutableGlobal
	wasi                     *wasiState // nil without Limits.WASI
	stack                    [4]uint64
}

// instantiate makes a new instance (the pool's constructor). The start function, if any,
// runs under a deadline of its own (Limits.Deadline, within ctx) and with its own
// Limits.Fuel; its failure is a KindTrap or KindTimeout *Error. Under Limits.WASI, an
// exported _initialize (a reactor module's: Go's runtime starts there) runs next, once per
// instance, under the same deadline and fuel; its failure has the kind of any call's.
func (p *Plugin) instantiate(ctx context.Context) (*instance, error) {
	ictx, cancel := context.WithTimeout(ctx, p.limits.Deadline)
	defer cancel()
	var w *wasiState
	if p.limits.WASI {
		w = newWASIState()
	}
	mod, err := p.rt.InstantiateModule(withWASI(ictx, w), p.compiled, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		// The module compiled, so what failed is its start function or a segment that does
		// not fit its memory or table: a trap, or a timeout.
		e := &Error{Kind: KindTrap, Plugin: p.desc.Name, Offset: -1, Msg: "instantiating the module trapped", Err: err}
		switch {
		case ctx.Err() != nil:
			e.Kind, e.Msg, e.Err = KindTimeout, "instantiating the module stopped: the caller's context ended", ctx.Err()
		case ictx.Err() != nil:
			e.Kind, e.Msg, e.Err = KindTimeout, fmt.Sprintf("the start function ran past its deadline of %v", p.limits.Deadline), context.DeadlineExceeded
		case errors.Is(err, errFuelSpent):
			e.Kind, e.Msg = KindTimeout, fmt.Sprintf("the start function used up its fuel (%d)", p.limits.Fuel)
		case errors.Is(err, errStackExhausted):
			e.Msg = fmt.Sprintf("the start function exhausted its call stack (%d slots)", stackSlots)
		case errors.As(err, new(*exitError)):
			e.Kind, e.Msg = KindExit, "the start function called proc_exit"
		}
		if w != nil {
			e.Log = w.logText()
		}
		return nil, e
	}
	in := &instance{
		mod:          mod,
		mem:          mod.Memory(),
		describe:     mod.ExportedFunction(exportDescribe),
		transform:    mod.ExportedFunction(exportTransform),
		realloc:      mod.ExportedFunction(exportRealloc),
		postDescribe: mod.ExportedFunction(exportPostDescribe),
		postXform:    mod.ExportedFunction(exportPostTransform),
		wasi:         w,
	}
	var ok1, ok2, ok3 bool
	in.fuel, ok1 = mod.ExportedGlobal(wasmbin.FuelExport).(api.MutableGlobal)
	in.budget, ok2 = mod.ExportedGlobal(wasmbin.BudgetExport).(api.MutableGlobal)
	in.growFailed, ok3 = mod.ExportedGlobal(wasmbin.GrowFailedExport).(api.MutableGlobal)
	if in.mem == nil || !ok1 || !ok2 || !ok3 {
		_ = mod.Close(ctx)
		return nil, loadErr(p.desc.Name, "the instrumented module lacks its memory or metering globals", nil)
	}
	if initialize := mod.ExportedFunction(exportInitialize); w != nil && initialize != nil {
		if _, err := in.call(ictx, initialize); err != nil {
			e := p.failure(in, exportInitialize, err, ctx, ictx)
			in.close()
			return nil, e
		}
	}
	return in, nil
}

// close closes the instance (the pool's destructor).
func (in *instance) close() { _ = in.mod.Close(context.Background()) }

// meter refills the instance's fuel for one host operation (describe, or a Transform with
// all its pieces and their copies in and out): one slice in the fuel global, the rest of
// Limits.Fuel in the budget; and clears the grow flag.
func (in *instance) meter(fuel uint64) {
	slice := min(fuel, wasmbin.DefaultSlice)
	in.fuel.Set(slice)
	in.budget.Set(fuel - slice)
	in.growFailed.Set(0)
	if in.wasi != nil {
		in.wasi.resetLog()
	}
}

// stats is what the current host operation used of fuel (of its total fuel) and memory. It
// reads the instance's globals and memory only, so it holds after a failed call too.
func (in *instance) stats(fuel uint64) CallStats {
	left := int64(in.fuel.Get()) + int64(in.budget.Get())
	used := fuel
	if left > 0 {
		used -= min(uint64(left), fuel)
	}
	return CallStats{Fuel: used, MemoryBytes: in.mem.Size()}
}

// call calls fn with args and returns its one result (0 for functions without one).
func (in *instance) call(ctx context.Context, fn api.Function, args ...uint64) (uint64, error) {
	copy(in.stack[:], args)
	if in.wasi != nil {
		ctx = withWASI(ctx, in.wasi)
	}
	if err := fn.CallWithStack(ctx, in.stack[:]); err != nil {
		return 0, err
	}
	return in.stack[0], nil
}

// failure turns the error of a call into an *Error of the right kind. callerCtx is the
// context the caller gave, callCtx the one with the deadline.
func (p *Plugin) failure(in *instance, what string, err error, callerCtx, callCtx context.Context) *Error {
	e := &Error{Plugin: p.desc.Name, Offset: -1, Err: err}
	in.attachLog(e)
	var exit *exitError
	switch {
	case errors.As(err, &exit):
		e.Kind, e.Msg, e.Code = KindExit, fmt.Sprintf("%s called proc_exit(%d)", what, exit.code), exit.code
	case callerCtx.Err() != nil:
		e.Kind, e.Msg, e.Err = KindTimeout, what+" stopped: the caller's context ended", callerCtx.Err()
	case callCtx.Err() != nil:
		e.Kind, e.Msg, e.Err = KindTimeout, fmt.Sprintf("%s ran past its deadline of %v", what, p.limits.Deadline), context.DeadlineExceeded
	case errors.Is(err, errFuelSpent) || int64(in.budget.Get()) < 0:
		e.Kind, e.Msg = KindTimeout, fmt.Sprintf("%s used up its fuel (%d)", what, p.limits.Fuel)
	case errors.Is(err, errStackExhausted):
		e.Kind, e.Msg = KindTrap, fmt.Sprintf("%s exhausted its call stack (%d slots)", what, stackSlots)
	case uint32(in.growFailed.Get())&(1<<31) != 0:
		e.Kind, e.Msg = KindMemory, fmt.Sprintf("%s trapped after memory.grow failed at the limit of %d pages", what, p.limits.MemoryPages)
	default:
		e.Kind, e.Msg = KindTrap, what+" trapped"
	}
	return e
}

// attachLog gives e the log of the instance's current host operation, under Limits.WASI.
func (in *instance) attachLog(e *Error) {
	if in.wasi != nil && e.Log == "" {
		e.Log = in.wasi.logText()
	}
}
