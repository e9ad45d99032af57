package wasmbin_test

import (
	"context"
	"testing"

	"github.com/binpipe/binpipe/go-host/plugin/internal/wasmbin"
	"github.com/tetratelabs/wazero"
)

// BenchmarkInstrumentation measures what metering costs: the same functions, uninstrumented
// without and with WithCloseOnContextDone (the plugin host needs the latter for loops), and
// instrumented (which needs it too). tree is call-bound (2^17 calls of a 17-instruction
// function), sum is loop-bound (100000 iterations of a 10-instruction loop), fib is both.
//
//	go test -run XXX -bench Instrumentation ./plugin/internal/wasmbin
func BenchmarkInstrumentation(b *testing.B) {
	sample, tree := sampleModule(), callTreeModule()
	instrSample, _ := instrument(b, sample, wasmbin.Options{InitialFuel: 1 << 40})
	instrTree, _ := instrument(b, tree, wasmbin.Options{InitialFuel: 1 << 40})
	for _, fn := range []struct {
		name, export string
		arg          uint64
		orig, instr  []byte
	}{
		{"tree", "tree", 16, tree, instrTree},
		{"sum", "sum", 100000, sample, instrSample},
		{"fib", "fib", 20, sample, instrSample},
	} {
		for _, v := range []struct {
			name    string
			bin     []byte
			closing bool
			metered bool
		}{
			{"plain", fn.orig, false, false},
			{"close-on-done", fn.orig, true, false},
			{"instrumented", fn.instr, true, true},
		} {
			b.Run(fn.name+"/"+v.name, func(b *testing.B) {
				ctx := context.Background()
				rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCloseOnContextDone(v.closing))
				defer rt.Close(ctx)
				mod, err := rt.InstantiateWithConfig(ctx, v.bin, wazero.NewModuleConfig().WithName(""))
				if err != nil {
					b.Fatal(err)
				}
				f := mod.ExportedFunction(fn.export)
				stack := []uint64{0}
				for b.Loop() {
					if v.metered {
						meter(mod, 1<<62)
					}
					stack[0] = fn.arg
					if err := f.CallWithStack(ctx, stack); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}
