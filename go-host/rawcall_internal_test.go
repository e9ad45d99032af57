package binpipe

import (
	"testing"

	"github.com/binpipe/binpipe/go-host/internal/wasm"
	"github.com/tetratelabs/wazero/api"
)

// BenchmarkRawCall is the floor under every wasm call: one CallWithStack on a cached handle of
// a function that does nothing (bp_abi_version), no pool, no buffers. Compare with
// BenchmarkKernels' size=0 rows to see what the engine adds.
func BenchmarkRawCall(b *testing.B) {
	e := newTestEngine(b, WithBackend(BackendWasm))
	in, err := e.acquire("raw")
	if err != nil {
		b.Fatal(err)
	}
	defer e.release("raw", in, nil)
	fn := in.mod.ExportedFunction("bp_abi_version")
	stack := make([]uint64, 1)
	for b.Loop() {
		if err := fn.CallWithStack(e.ctx, stack); err != nil || api.DecodeU32(stack[0]) != wasm.ABIVersion {
			b.Fatal(err)
		}
	}
}
