package pipeline_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"strings"
	"testing"
	"time"

	binpipe "github.com/binpipe/binpipe/go-host"
	"github.com/binpipe/binpipe/go-host/pipeline"
)

// moduleOption loads the module named by $BINPIPE_WASM, if set (a fresh build, tested before
// it is embedded), as go-host's own tests do.
func moduleOption(t testing.TB) []binpipe.Option {
	path := os.Getenv("BINPIPE_WASM")
	if path == "" {
		return nil
	}
	bin, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("BINPIPE_WASM: %v", err)
	}
	return []binpipe.Option{binpipe.WithModule(bin)}
}

// engines returns a Go-backend and a wasm-backend engine, and nil (the default engine).
func engines(t *testing.T) map[string]*binpipe.Engine {
	t.Helper()
	out := map[string]*binpipe.Engine{"default": nil}
	for _, b := range []binpipe.Backend{binpipe.BackendGo, binpipe.BackendWasm} {
		e, err := binpipe.New(context.Background(), append(moduleOption(t), binpipe.WithBackend(b))...)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { e.Close() })
		out[b.String()] = e
	}
	return out
}

// TestKernelsRoundTrip encodes with kernel chains (fused, and split by a Func stage that
// changes sizes), decodes, and compares with the whole-stream encoding.
func TestKernelsRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	for ename, e := range engines(t) {
		for _, workers := range []int{1, 2, 16} {
			batch := 1 + r.IntN(9000)
			opts := pipeline.Options{Workers: workers, BatchSize: batch, Engine: e}
			// base64 of the hex of the bytes, then hex again: the kernel runs are split by
			// a Func stage that doubles the size (the next chain's input outgrows a batch).
			enc := mustNew(t, opts,
				pipeline.Kernels(binpipe.HexEncodeStage(false)),
				pipeline.Kernels(binpipe.Base64EncodeStage(binpipe.AlphabetURLSafe, false)),
				hexEncodeFunc(),
				pipeline.Kernels(binpipe.HexDecodeStage()),
			)
			if enc.BatchSize()%3 != 0 || enc.BatchSize() < batch {
				t.Fatalf("batch size %d not rounded up to base64's 3 bytes from %d", enc.BatchSize(), batch)
			}
			for _, n := range sizes(enc.BatchSize(), r) {
				t.Run(fmt.Sprintf("%s/workers=%d/batch=%d/n=%d", ename, workers, enc.BatchSize(), n), func(t *testing.T) {
					in := randomBytes(uint64(n)+5, n)
					got, st := run(t, enc, in)
					want := base64.RawURLEncoding.EncodeToString([]byte(hex.EncodeToString(in)))
					if string(got) != want {
						t.Fatalf("encoded %d bytes, want %d: streams differ", len(got), len(want))
					}
					if len(st.Stages) != 3 || st.Stages[0].Name != "hex-encode:lower|base64-encode:url,nopad" {
						t.Fatalf("steps %+v, want the two kernel stages fused into one", st.Stages)
					}
					dec := mustNew(t, pipeline.Options{Workers: workers, BatchSize: 4 * batch, Engine: e},
						pipeline.Kernels(binpipe.Base64DecodeStage(binpipe.AlphabetURLSafe, false), binpipe.HexDecodeStage()))
					back, _ := run(t, dec, got)
					if !bytes.Equal(back, in) {
						t.Fatal("round trip differs")
					}
				})
			}
		}
	}
}

func TestEmptyKernelsPassThrough(t *testing.T) {
	p := mustNew(t, pipeline.Options{BatchSize: 10}, pipeline.Kernels(), xorFunc(0), pipeline.Kernels())
	in := randomBytes(2, 95)
	if out, st := run(t, p, in); !bytes.Equal(out, in) || len(st.Stages) != 1 {
		t.Fatalf("empty Kernels stages changed the data or ran: %+v", st)
	}
}

func TestNewRefusesBatchDependentKernels(t *testing.T) {
	_, err := pipeline.New(pipeline.Options{}, xorFunc(1),
		pipeline.Kernels(binpipe.HexEncodeStage(true)), pipeline.Kernels(binpipe.ByteswapStage(4), binpipe.ShuffleStage(4)))
	var ce *binpipe.ChainError
	if err == nil || !strings.Contains(err.Error(), "stage 2 (byteswap:4|shuffle:4)") ||
		!errors.As(err, &ce) || ce.Stage != 1 || !errors.Is(err, binpipe.ErrInvalidArgument) {
		t.Fatalf("got %v, want an error naming stage 2 and its kernel 1 (shuffle)", err)
	}
}

func TestKernelErrorNamesBatchStageOffset(t *testing.T) {
	const batch = 1024
	for ename, e := range engines(t) {
		for _, workers := range []int{1, 2, 16} {
			in := []byte(strings.Repeat("0123456789abcdef", 40*batch/16))
			const at = 7*batch + 100
			in[at] = 'x'
			cases := []struct {
				name          string
				stages        []pipeline.Stage
				stage, kernel int
				offset        int64
			}{
				{"first", []pipeline.Stage{pipeline.Kernels(binpipe.HexDecodeStage())}, 0, 0, at},
				{"fused", []pipeline.Stage{pipeline.Kernels(binpipe.ByteswapStage(2)), pipeline.Kernels(binpipe.ByteswapStage(2), binpipe.HexDecodeStage())}, 1, 1, 7 * batch},
				{"after-func", []pipeline.Stage{xorFunc(0), pipeline.Kernels(binpipe.HexDecodeStage())}, 1, 0, 7 * batch},
			}
			for _, c := range cases {
				t.Run(fmt.Sprintf("%s/workers=%d/%s", ename, workers, c.name), func(t *testing.T) {
					p := mustNew(t, pipeline.Options{Workers: workers, BatchSize: batch, Engine: e}, c.stages...)
					var out bytes.Buffer
					_, err := p.Run(context.Background(), bytes.NewReader(in), &out)
					var perr *pipeline.Error
					var ce *binpipe.ChainError
					if !errors.As(err, &perr) || !errors.As(err, &ce) || !errors.Is(err, binpipe.ErrInvalidData) {
						t.Fatalf("got %v, want a *pipeline.Error wrapping a *binpipe.ChainError of invalid data", err)
					}
					if perr.Batch != 7 || perr.Stage != c.stage || perr.StageName != c.stages[c.stage].Name() || perr.Offset != c.offset || ce.Stage != c.kernel {
						t.Fatalf("got batch %d stage %d (%s) kernel %d offset %d, want batch 7 stage %d kernel %d offset %d: %v",
							perr.Batch, perr.Stage, perr.StageName, ce.Stage, perr.Offset, c.stage, c.kernel, c.offset, err)
					}
					if out.Len() != 7*batch/2 {
						t.Fatalf("wrote %d bytes, want the %d of the 7 batches before the error", out.Len(), 7*batch/2)
					}
				})
			}
		}
	}
}

// TestSmallEnginePool runs on an engine whose pool has fewer instances than the run has
// slots: the run must go on with the slots it could make, not wait for its own instances.
func TestSmallEnginePool(t *testing.T) {
	before := runtimeGoroutines()
	e, err := binpipe.New(context.Background(), append(moduleOption(t), binpipe.WithBackend(binpipe.BackendWasm), binpipe.WithPoolSize(1))...)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	p := mustNew(t, pipeline.Options{Workers: 2, Window: 8, BatchSize: 1000, Engine: e}, pipeline.Kernels(binpipe.HexEncodeStage(true)))
	in := randomBytes(8, 50_000)
	out, _ := run(t, p, in)
	if string(out) != strings.ToUpper(hex.EncodeToString(in)) {
		t.Fatal("output differs")
	}
	// The instance went back to the pool: a kernel call on the engine does not wait.
	if _, err := e.HexEncode(nil, in[:10], false); err != nil {
		t.Fatal(err)
	}
	checkNoLeak(t, before)
}

// TestCancelWhileEnginePoolIsHeld cancels a run that waits for an instance held elsewhere:
// Run returns at once, and the slot being made is closed when the instance comes back.
func TestCancelWhileEnginePoolIsHeld(t *testing.T) {
	before := runtimeGoroutines()
	e, err := binpipe.New(context.Background(), append(moduleOption(t), binpipe.WithBackend(binpipe.BackendWasm), binpipe.WithPoolSize(1))...)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	holder, err := e.NewChainWorker(16, binpipe.HexEncodeStage(false))
	if err != nil {
		t.Fatal(err)
	}
	p := mustNew(t, pipeline.Options{Workers: 2, BatchSize: 1000, Engine: e}, pipeline.Kernels(binpipe.HexEncodeStage(true)))
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := p.Run(ctx, newPatternReader(), io.Discard); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v, want the context's deadline", err)
	}
	holder.Close()
	// The abandoned slot took the instance and gave it back: a kernel call gets it.
	if _, err := e.HexEncode(nil, []byte("ab"), false); err != nil {
		t.Fatal(err)
	}
	checkNoLeak(t, before)
}
