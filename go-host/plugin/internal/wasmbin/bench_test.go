package wasmbin_test

import (
	"context"
	"os"
	"testing"

	"github.com/binpipe/binpipe/go-host/plugin/internal/wasmbin"
	"github.com/tetratelabs/wazero"
)

// BenchmarkInstrumentation measures what metering costs: the same functions uninstrumented,
// without and with WithCloseOnContextDone (wazero's own way to stop loops, which leaves the
// compiled code at every loop iteration), and instrumented (which needs neither). tree is call-bound (2^17 calls of a 17-instruction
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
			{"instrumented", fn.instr, false, true},
		} {
			b.Run(fn.name+"/"+v.name, func(b *testing.B) {
				ctx := context.Background()
				rt := newRuntime(b, wazero.NewRuntimeConfig().WithCloseOnContextDone(v.closing))
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

// BenchmarkInstrumentationFilter is BenchmarkInstrumentation on the example filter plugin
// (tests/plugins/examples/filter.wasm, Rust) over a 1 MiB batch of 32-byte records: its
// transform is one loop over the records.
func BenchmarkInstrumentationFilter(b *testing.B) {
	orig, err := os.ReadFile("../../../../tests/plugins/examples/filter.wasm")
	if err != nil {
		b.Skip(err)
	}
	instr, _ := instrument(b, orig, wasmbin.Options{InitialFuel: 1 << 40})
	batch := make([]byte, 1<<20)
	for i := 28; i < len(batch); i += 64 { // every other record valid
		batch[i] = 1
	}
	for _, v := range []struct {
		name    string
		bin     []byte
		closing bool
		metered bool
	}{
		{"plain", orig, false, false},
		{"close-on-done", orig, true, false},
		{"instrumented", instr, false, true},
	} {
		b.Run(v.name, func(b *testing.B) {
			ctx := context.Background()
			rt := newRuntime(b, wazero.NewRuntimeConfig().WithCloseOnContextDone(v.closing))
			defer rt.Close(ctx)
			mod, err := rt.InstantiateWithConfig(ctx, v.bin, wazero.NewModuleConfig().WithName(""))
			if err != nil {
				b.Fatal(err)
			}
			realloc, transform, post := mod.ExportedFunction("cabi_realloc"), mod.ExportedFunction("transform"), mod.ExportedFunction("cabi_post_transform")
			stack := make([]uint64, 4)
			b.SetBytes(int64(len(batch)))
			for b.Loop() {
				if v.metered {
					meter(mod, 1<<62)
				}
				copy(stack, []uint64{0, 0, 1, uint64(len(batch))})
				if err := realloc.CallWithStack(ctx, stack); err != nil {
					b.Fatal(err)
				}
				p := uint32(stack[0])
				mod.Memory().Write(p, batch)
				stack[0], stack[1] = uint64(p), uint64(len(batch))
				if err := transform.CallWithStack(ctx, stack); err != nil {
					b.Fatal(err)
				}
				if err := post.CallWithStack(ctx, stack); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
