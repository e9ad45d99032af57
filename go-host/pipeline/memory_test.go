package pipeline_test

import (
	"bytes"
	"context"
	"io"
	"runtime"
	"testing"

	binpipe "github.com/binpipe/binpipe/go-host"

	"github.com/binpipe/binpipe/go-host/pipeline"
)

// copyFunc copies the batch: no allocation once dst has room.
func copyFunc() pipeline.Stage {
	return pipeline.Func("copy", func(dst, src []byte) ([]byte, error) { return append(dst, src...), nil })
}

// TestMemoryBounded streams 256 MiB through Go stages, and checks that the heap never holds more than a few
// windows of batches: memory does not grow with the input.
func TestMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 256 MiB")
	}
	const size, batch, window = 256 << 20, 256 << 10, 4
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.HeapInuse
	var peak uint64
	sample := func(in, _ int64) {
		if in%(16*batch) == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.HeapInuse)
		}
	}
	p := mustNew(t, pipeline.Options{Workers: 2, BatchSize: batch, Window: window, Progress: sample},
		copyFunc(), identityFunc(), copyFunc())
	st, err := p.Run(context.Background(), io.LimitReader(newPatternReader(), size), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if st.InBytes != size || st.OutBytes != size {
		t.Fatalf("stats %+v", st)
	}
	// Each slot holds two batch buffers: window*2*batch = 2 MiB. Allow 8x that for the
	// runtime's own heap (race detector, profiles, GC lag): still 16x less than the input.
	bound := uint64(16 * window * batch)
	t.Logf("heap in use: %d KiB before, peak %d KiB during (bound %d KiB above the start)", base>>10, peak>>10, bound>>10)
	if peak > base+bound {
		t.Fatalf("heap peaked at %d KiB, %d KiB above the start: more than %d KiB", peak>>10, (peak-base)>>10, bound>>10)
	}
}

// TestNoAllocationPerBatch runs the same pipeline on 4 and on 400 batches: the allocations of
// a run (goroutines, channels, slots) must not grow with the number of batches.
func TestNoAllocationPerBatch(t *testing.T) {
	const batch = 4096
	p := mustNew(t, pipeline.Options{Workers: 2, BatchSize: batch}, copyFunc(), xorFunc(3), identityFunc())
	checkNoAllocationPerBatch(t, p, batch, 20)
}

// TestKernelsMemoryBounded streams 256 MiB through a wasm chain worker and a Go stage: the
// instances' linear memory is sized once per slot.
func TestKernelsMemoryBounded(t *testing.T) {
	if testing.Short() {
		t.Skip("streams 256 MiB")
	}
	e, err := binpipe.New(context.Background(), append(moduleOption(t), binpipe.WithBackend(binpipe.BackendWasm))...)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	const size, batch, window = 256 << 20, 256 << 10, 4
	var ms runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&ms)
	base := ms.Sys
	var peak uint64
	p := mustNew(t, pipeline.Options{Workers: 2, BatchSize: batch, Window: window, Engine: e, Progress: func(in, _ int64) {
		if in%(16*batch) == 0 {
			runtime.ReadMemStats(&ms)
			peak = max(peak, ms.Sys)
		}
	}}, pipeline.Kernels(binpipe.HexEncodeStage(false)), copyFunc(), pipeline.Kernels(binpipe.HexDecodeStage()))
	st, err := p.Run(context.Background(), io.LimitReader(newPatternReader(), size), io.Discard)
	if err != nil {
		t.Fatal(err)
	}
	if st.InBytes != size || st.OutBytes != size {
		t.Fatalf("stats %+v", st)
	}
	// Per slot: two chain workers, each with an input buffer and two 2-batch result buffers
	// in an instance (with its own heap), and two 2-batch Go buffers: about 16 batches, 4 MiB.
	// Allow 4x that per slot for the runtime and wasm instances' fixed memory.
	bound := uint64(window * 64 * batch)
	t.Logf("memory from the OS: %d MiB before, peak %d MiB during (bound %d MiB above the start)", base>>20, peak>>20, bound>>20)
	if peak > base+bound {
		t.Fatalf("memory peaked at %d MiB, %d MiB above the start: more than %d MiB", peak>>20, (peak-base)>>20, bound>>20)
	}
}

// TestKernelsNoAllocationPerBatch is TestNoAllocationPerBatch with wasm chain workers.
func TestKernelsNoAllocationPerBatch(t *testing.T) {
	e, err := binpipe.New(context.Background(), append(moduleOption(t), binpipe.WithBackend(binpipe.BackendWasm))...)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	const batch = 4096
	p := mustNew(t, pipeline.Options{Workers: 2, BatchSize: batch, Engine: e},
		pipeline.Kernels(binpipe.HexEncodeStage(false)), copyFunc(), pipeline.Kernels(binpipe.HexDecodeStage()))
	checkNoAllocationPerBatch(t, p, batch, 10)
}

// checkNoAllocationPerBatch runs p on 4 and on 400 batches of batch bytes, runs times each, and
// fails if the allocations per run grow with the number of batches.
func checkNoAllocationPerBatch(t *testing.T, p *pipeline.Pipeline, batch, runs int) {
	t.Helper()
	allocs := func(batches int) float64 {
		in := make([]byte, batches*batch)
		return testing.AllocsPerRun(runs, func() {
			if _, err := p.Run(context.Background(), bytes.NewReader(in), io.Discard); err != nil {
				t.Fatal(err)
			}
		})
	}
	few, many := allocs(4), allocs(400)
	t.Logf("allocations per run: %.1f for 4 batches, %.1f for 400", few, many)
	// 396 more batches: one allocation per batch would add 396; allow the runtime's own few
	// (the race detector's, a goroutine stack growing).
	if many > few+10 {
		t.Fatalf("%.1f allocations for 400 batches vs %.1f for 4: a batch allocates", many, few)
	}
}
