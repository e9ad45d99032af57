package plugin

import (
	"context"

	"github.com/binpipe/binpipe/go-host/plugin/internal/wasmbin"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// instantiateYield adds to rt the one function the instrumented plugins import (and the only
// import they may have): yield, which the metering code calls once per slice of fuel. It ends
// the call when its context is done — the call's deadline passed or the caller cancelled —
// by panicking with the context's error, which wazero turns into the call's error. Being a
// call into Go, it also lets the Go scheduler and garbage collector have the goroutine, which
// compiled wasm code never gives back otherwise.
func instantiateYield(ctx context.Context, rt wazero.Runtime) error {
	_, err := rt.NewHostModuleBuilder(wasmbin.YieldModule).
		NewFunctionBuilder().
		WithGoFunction(api.GoFunc(yield), nil, nil).
		Export(wasmbin.YieldName).
		Instantiate(ctx)
	return err
}

// yield ends the call if its context is done.
func yield(ctx context.Context, _ []uint64) {
	if err := ctx.Err(); err != nil {
		panic(err)
	}
}
