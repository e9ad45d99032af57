package pipeline_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strings"
	"sync/atomic"
	"testing"
	"testing/iotest"
	"time"

	binpipe "github.com/binpipe/binpipe/go-host"
	"github.com/binpipe/binpipe/go-host/pipeline"
)

// sizes returns the data sizes every round-trip test covers for a batch size: empty, one
// byte, one batch less one, exactly one batch, one more, and many batches with a partial
// last one.
func sizes(batch int, r *rand.Rand) []int {
	return []int{0, 1, batch - 1, batch, batch + 1, 7*batch + 1 + r.IntN(batch), 40 * batch}
}

func TestFuncRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	for _, workers := range []int{1, 2, 16} {
		for trial := 0; trial < 3; trial++ {
			batch := 1 + r.IntN(5000)
			window := 1 + r.IntN(3*workers)
			opts := pipeline.Options{Workers: workers, BatchSize: batch, Window: window}
			enc := mustNew(t, opts, xorFunc(0x5a), identityFunc(), hexEncodeFunc())
			dec := mustNew(t, opts, hexDecodeFunc(), xorFunc(0x5a))
			for _, n := range sizes(batch, r) {
				t.Run(fmt.Sprintf("workers=%d/batch=%d/window=%d/n=%d", workers, batch, window, n), func(t *testing.T) {
					in := randomBytes(uint64(n), n)
					mid, st := run(t, enc, in)
					want := make([]byte, n)
					for i, c := range in {
						want[i] = c ^ 0x5a
					}
					if !bytes.Equal(mid, []byte(hex.EncodeToString(want))) {
						t.Fatalf("encoded stream differs from the whole-stream encoding")
					}
					wantBatches := int64((n + batch - 1) / batch)
					if st.Batches != wantBatches || st.InBytes != int64(n) || st.OutBytes != int64(2*n) {
						t.Fatalf("stats %+v, want %d batches, %d in, %d out", st, wantBatches, n, 2*n)
					}
					if len(st.Stages) != 3 || st.Stages[2].Name != "hex-encode" || st.Stages[2].OutBytes != int64(2*n) ||
						st.Stages[0].Batches != wantBatches {
						t.Fatalf("stage stats %+v", st.Stages)
					}
					// The decoder's batches hold whole hex pairs: BatchSize may be odd, so
					// round it to even for the decoder.
					dec := dec
					if batch%2 != 0 {
						dec = mustNew(t, pipeline.Options{Workers: workers, BatchSize: batch + 1, Window: window},
							hexDecodeFunc(), xorFunc(0x5a))
					}
					back, _ := run(t, dec, mid)
					if !bytes.Equal(back, in) {
						t.Fatalf("round trip differs")
					}
				})
			}
		}
	}
}

func TestNoStagesCopies(t *testing.T) {
	p := mustNew(t, pipeline.Options{BatchSize: 100, Workers: 2})
	in := randomBytes(3, 1234)
	out, st := run(t, p, in)
	if !bytes.Equal(out, in) || len(st.Stages) != 0 {
		t.Fatalf("identity pipeline: %d bytes out, stats %+v", len(out), st)
	}
}

// TestOrderUnderSlowStage delays batches at random, so they finish out of order.
func TestOrderUnderSlowStage(t *testing.T) {
	var seed atomic.Uint64
	slow := pipeline.Func("slow", func(dst, src []byte) ([]byte, error) {
		r := rand.New(rand.NewPCG(seed.Add(1), 0))
		time.Sleep(time.Duration(r.IntN(2000)) * time.Microsecond)
		return append(dst, src...), nil
	})
	for _, workers := range []int{1, 2, 16} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			p := mustNew(t, pipeline.Options{Workers: workers, BatchSize: 512, Window: 2 * workers}, slow, xorFunc(1))
			in := randomBytes(9, 300*512+17)
			out, _ := run(t, p, in)
			for i := range in {
				if out[i] != in[i]^1 {
					t.Fatalf("output differs at byte %d (batch %d)", i, i/512)
				}
			}
		})
	}
}

// failAt returns a stage that fails with an invalid-data kernel error at input offset at of
// the whole stream (each batch's position is found from its content, a counter).
func failAtByte(name string, marker byte) pipeline.Stage {
	return pipeline.Func(name, func(dst, src []byte) ([]byte, error) {
		if i := bytes.IndexByte(src, marker); i >= 0 {
			return dst, &binpipe.KernelError{Kernel: name, Kind: binpipe.KindInvalidData, Offset: uint64(i), Message: "marker"}
		}
		return append(dst, src...), nil
	})
}

func TestStageErrorNamesBatchStageOffset(t *testing.T) {
	const batch = 1000
	for _, workers := range []int{1, 2, 16} {
		for _, at := range []int{0, 999, 1000, 5432, 19999} {
			for _, stage := range []int{0, 1} {
				t.Run(fmt.Sprintf("workers=%d/at=%d/stage=%d", workers, at, stage), func(t *testing.T) {
					in := bytes.Repeat([]byte{1}, 20*batch)
					in[at] = 0xff
					// Stage 0 doubles nothing; the failing stage is first or second.
					stages := []pipeline.Stage{xorFunc(0), failAtByte("check", 0xff)}
					if stage == 0 {
						stages = []pipeline.Stage{failAtByte("check", 0xff), xorFunc(0)}
					}
					p := mustNew(t, pipeline.Options{Workers: workers, BatchSize: batch}, stages...)
					var out bytes.Buffer
					_, err := p.Run(context.Background(), bytes.NewReader(in), &out)
					var perr *pipeline.Error
					if !errors.As(err, &perr) {
						t.Fatalf("error %v is not a *pipeline.Error", err)
					}
					wantOffset := int64(at / batch * batch)
					if stage == 0 {
						wantOffset = int64(at)
					}
					if perr.Batch != int64(at/batch) || perr.Stage != stage || perr.StageName != "check" || perr.Offset != wantOffset {
						t.Fatalf("got batch %d stage %d (%s) offset %d, want batch %d stage %d offset %d: %v",
							perr.Batch, perr.Stage, perr.StageName, perr.Offset, at/batch, stage, wantOffset, err)
					}
					if !errors.Is(err, binpipe.ErrInvalidData) {
						t.Fatalf("error %v does not match binpipe.ErrInvalidData", err)
					}
					// Exactly the batches before the failing one were written.
					if out.Len() != at/batch*batch || !bytes.Equal(out.Bytes(), in[:out.Len()]) {
						t.Fatalf("wrote %d bytes before the failing batch, want %d", out.Len(), at/batch*batch)
					}
					if !strings.Contains(err.Error(), fmt.Sprintf("batch %d", at/batch)) {
						t.Fatalf("message %q does not name the batch", err)
					}
				})
			}
		}
	}
}

func TestShortReadsGiveTheSameOutput(t *testing.T) {
	in := randomBytes(11, 10007)
	p := mustNew(t, pipeline.Options{Workers: 2, BatchSize: 256}, xorFunc(3))
	want, _ := run(t, p, in)
	for name, wrap := range map[string]func(io.Reader) io.Reader{
		"one-byte": iotest.OneByteReader,
		"half":     iotest.HalfReader,
		"data+eof": iotest.DataErrReader,
		"one+eof":  func(r io.Reader) io.Reader { return iotest.DataErrReader(iotest.OneByteReader(r)) },
	} {
		t.Run(name, func(t *testing.T) {
			var out bytes.Buffer
			if _, err := p.Run(context.Background(), wrap(bytes.NewReader(in)), &out); err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(out.Bytes(), want) {
				t.Fatal("output differs from the one of a plain reader")
			}
		})
	}
}

func TestReaderError(t *testing.T) {
	errBroken := errors.New("broken pipe")
	for _, n := range []int{0, 100, 256, 1000} {
		t.Run(fmt.Sprint("after=", n), func(t *testing.T) {
			in := randomBytes(5, n)
			p := mustNew(t, pipeline.Options{Workers: 2, BatchSize: 256}, xorFunc(0))
			var out bytes.Buffer
			_, err := p.Run(context.Background(), &errAfterReader{data: in, err: errBroken}, &out)
			var perr *pipeline.Error
			if !errors.As(err, &perr) || perr.Stage != pipeline.StageRead || perr.StageName != "read" {
				t.Fatalf("error %v is not a read *pipeline.Error", err)
			}
			if !errors.Is(err, errBroken) || perr.Offset != int64(n) || perr.Batch != int64(n/256) {
				t.Fatalf("got %v (batch %d, offset %d), want the reader's error at offset %d, batch %d", err, perr.Batch, perr.Offset, n, n/256)
			}
			if out.Len() != n/256*256 || !bytes.Equal(out.Bytes(), in[:out.Len()]) {
				t.Fatalf("wrote %d bytes, want the %d of the whole batches before the error", out.Len(), n/256*256)
			}
		})
	}
	// A reader's own io.ErrUnexpectedEOF (a truncated stream) is an error, not the end.
	p := mustNew(t, pipeline.Options{BatchSize: 64}, xorFunc(0))
	_, err := p.Run(context.Background(), &errAfterReader{data: make([]byte, 10), err: iotest.ErrTimeout}, &bytes.Buffer{})
	if !errors.Is(err, iotest.ErrTimeout) {
		t.Fatalf("got %v, want the reader's timeout", err)
	}
}

func TestWriterError(t *testing.T) {
	for _, workers := range []int{1, 2, 16} {
		for _, limit := range []int{0, 255, 256, 2000} {
			t.Run(fmt.Sprintf("workers=%d/limit=%d", workers, limit), func(t *testing.T) {
				before := runtimeGoroutines()
				p := mustNew(t, pipeline.Options{Workers: workers, BatchSize: 256}, xorFunc(0))
				st, err := p.Run(context.Background(), newPatternReader(), &failingWriter{limit: limit})
				var perr *pipeline.Error
				if !errors.As(err, &perr) || perr.Stage != pipeline.StageWrite || !errors.Is(err, errDiskFull) {
					t.Fatalf("error %v is not the writer's *pipeline.Error", err)
				}
				if perr.Batch != int64(limit/256) || perr.Offset != int64(limit/256*256) || st.Batches != int64(limit/256) {
					t.Fatalf("write error at batch %d offset %d after %d batches, want batch %d", perr.Batch, perr.Offset, st.Batches, limit/256)
				}
				checkNoLeak(t, before)
			})
		}
	}
}

func TestCancelMidRun(t *testing.T) {
	for _, workers := range []int{1, 2, 16} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			before := runtimeGoroutines()
			slow := pipeline.Func("slow", func(dst, src []byte) ([]byte, error) {
				time.Sleep(time.Millisecond)
				return append(dst, src...), nil
			})
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var cancelled time.Time
			p := mustNew(t, pipeline.Options{Workers: workers, BatchSize: 4096, Progress: func(in, _ int64) {
				if in >= 50*4096 && cancelled.IsZero() {
					cancelled = time.Now()
					cancel()
				}
			}}, slow, xorFunc(9))
			st, err := p.Run(ctx, newPatternReader(), &bytes.Buffer{}) // an endless input
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("got %v, want context.Canceled", err)
			}
			if st.Batches < 50 {
				t.Fatalf("only %d batches written before the cancel", st.Batches)
			}
			t.Logf("Run returned %v after the cancel", time.Since(cancelled))
			checkNoLeak(t, before)
		})
	}
}

func TestCancelBeforeRun(t *testing.T) {
	before := runtimeGoroutines()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	p := mustNew(t, pipeline.Options{Workers: 4, BatchSize: 100}, xorFunc(1))
	if _, err := p.Run(ctx, newPatternReader(), &bytes.Buffer{}); !errors.Is(err, context.Canceled) {
		t.Fatalf("got %v, want context.Canceled", err)
	}
	checkNoLeak(t, before)
}
