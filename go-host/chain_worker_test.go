package binpipe_test

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"testing"

	binpipe "github.com/binpipe/binpipe/go-host"
)

const workerMax = 70000

func TestChainWorkerMatchesKernels(t *testing.T) {
	ref := newEngine(t, binpipe.WithBackend(binpipe.BackendGo))
	for _, ne := range allEngines(t) {
		t.Run(ne.name, func(t *testing.T) {
			for _, spec := range testChains {
				stages, _ := binpipe.ParseChain(spec)
				w, err := ne.e.NewChainWorker(workerMax, stages...)
				if err != nil {
					t.Fatalf("%s: %v", spec, err)
				}
				for _, in := range chainInputs() {
					want, werr := refChain(ref, in, stages)
					buf := w.Input()
					if len(buf) != workerMax {
						t.Fatalf("%s: len(Input()) = %d, want %d", spec, len(buf), workerMax)
					}
					copy(buf, in)
					got, err := w.Run(len(in))
					if msg := sameError(err, werr); msg != "" {
						t.Errorf("%s on %d bytes: %s", spec, len(in), msg)
					} else if err == nil && !bytes.Equal(got, want) {
						t.Errorf("%s on %d bytes: %d bytes differ from the kernels' %d", spec, len(in), len(got), len(want))
					}
				}
				if err := w.Close(); err != nil {
					t.Fatal(err)
				}
			}
		})
	}
}

func TestChainWorkerErrors(t *testing.T) {
	for _, ne := range allEngines(t, binpipe.WithPoolSize(1)) {
		var ce *binpipe.ChainError
		if _, err := ne.e.NewChainWorker(10, binpipe.HexEncodeStage(false), binpipe.ByteswapStage(3)); !errors.As(err, &ce) || ce.Stage != 1 {
			t.Errorf("%s: a bad stage 1: %v", ne.name, err)
		}
		if _, err := ne.e.NewChainWorker(-1); !errors.Is(err, binpipe.ErrInvalidArgument) {
			t.Errorf("%s: maxInput -1: %v", ne.name, err)
		}
		w, err := ne.e.NewChainWorker(8, binpipe.HexDecodeStage(), binpipe.HexEncodeStage(true))
		if err != nil {
			t.Fatal(err)
		}
		copy(w.Input(), "0a0b0c0z")
		var ke *binpipe.KernelError
		if _, err := w.Run(8); !errors.As(err, &ce) || ce.Stage != 0 || !errors.As(err, &ke) || ke.Offset != 7 ||
			!errors.Is(err, binpipe.ErrInvalidData) {
			t.Errorf("%s: bad hex: %v, want stage 0 invalid data at 7", ne.name, err)
		}
		copy(w.Input(), "0a0b0c0d")
		if out, err := w.Run(8); err != nil || string(out) != "0A0B0C0D" {
			t.Errorf("%s: after a stage error: %q, %v", ne.name, out, err)
		}
		if _, err := w.Run(9); !errors.Is(err, binpipe.ErrInvalidArgument) {
			t.Errorf("%s: Run(9) of an 8-byte worker: %v", ne.name, err)
		}
		if out, err := w.Run(0); err != nil || len(out) != 0 {
			t.Errorf("%s: Run(0): %q, %v", ne.name, out, err)
		}
		w.Close()
		w.Close()
		if _, err := w.Run(1); !errors.Is(err, binpipe.ErrClosed) {
			t.Errorf("%s: Run after Close: %v", ne.name, err)
		}
		// Close gave the instance back: with a pool of one, another worker can lease it.
		w2, err := ne.e.NewChainWorker(4, binpipe.ByteswapStage(4))
		if err != nil {
			t.Fatal(err)
		}
		copy(w2.Input(), "abcd")
		if out, err := w2.Run(4); err != nil || string(out) != "dcba" {
			t.Errorf("%s: second worker: %q, %v", ne.name, out, err)
		}
		w2.Close()
		empty, err := ne.e.NewChainWorker(3)
		if err != nil {
			t.Fatal(err)
		}
		copy(empty.Input(), "xyz")
		if out, err := empty.Run(3); err != nil || string(out) != "xyz" {
			t.Errorf("%s: empty chain: %q, %v", ne.name, out, err)
		}
		empty.Close()
	}
}

// TestChainWorkerAllocs proves that a worker's Run allocates nothing in steady state.
func TestChainWorkerAllocs(t *testing.T) {
	stages, _ := binpipe.ParseChain("extract-field:32,0,8,delta-encode:8,varint-encode,varint-decode,shuffle:8,hex-encode:lower,hex-decode")
	data := splitmix64(1, 64<<10)
	for _, ne := range allEngines(t) {
		if ne.name == "canonical" {
			continue // the canonical ABI allocates in the guest and in Go on every call, by design
		}
		w, err := ne.e.NewChainWorker(len(data), stages...)
		if err != nil {
			t.Fatal(err)
		}
		allocs := testing.AllocsPerRun(20, func() {
			copy(w.Input(), data)
			if _, err := w.Run(len(data)); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: Run allocates %v times per batch", ne.name, allocs)
		}
		w.Close()
	}
}

func TestChainWorkerPackageLevel(t *testing.T) {
	stages := []binpipe.Stage{binpipe.DeltaEncodeStage(8), binpipe.ShuffleStage(8)}
	data := splitmix64(2, 1<<20)
	want, err := binpipe.RunChain(nil, data, stages...)
	if err != nil {
		t.Fatal(err)
	}
	w, err := binpipe.NewChainWorker(len(data), stages...)
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	for range 3 {
		copy(w.Input(), data)
		got, err := w.Run(len(data))
		if err != nil || !bytes.Equal(got, want) {
			t.Fatalf("Run: %v", err)
		}
	}
}

// TestChainWorkerConcurrent runs one worker per goroutine on a shared engine whose pool holds
// exactly that many instances (run it with -race), with RunChain calls on the Go path beside.
func TestChainWorkerConcurrent(t *testing.T) {
	const workers = 4
	stages := []binpipe.Stage{binpipe.HexEncodeStage(false), binpipe.HexDecodeStage(), binpipe.DeltaEncodeStage(4)}
	for _, b := range []binpipe.Backend{binpipe.BackendWasm, binpipe.BackendAuto, binpipe.BackendGo} {
		e := newEngine(t, binpipe.WithBackend(b), binpipe.WithPoolSize(workers))
		var wg sync.WaitGroup
		errs := make(chan error, workers)
		for g := range workers {
			wg.Add(1)
			go func() {
				defer wg.Done()
				w, err := e.NewChainWorker(8<<10, stages...)
				if err != nil {
					errs <- err
					return
				}
				defer w.Close()
				for i := range 50 {
					data := splitmix64(uint64(g*1000+i), 1+(g*977+i*131)%(8<<10))
					want, err := binpipe.RunChain(nil, data, stages...)
					if err != nil {
						errs <- err
						return
					}
					copy(w.Input(), data)
					got, err := w.Run(len(data))
					if err != nil || !bytes.Equal(got, want) {
						errs <- fmt.Errorf("%v: goroutine %d batch %d: %v", b, g, i, err)
						return
					}
				}
			}()
		}
		wg.Wait()
		close(errs)
		for err := range errs {
			t.Error(err)
		}
	}
}
