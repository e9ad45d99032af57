package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"runtime/pprof"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/binpipe/binpipe/go-host/pipeline"
)

// countingWorker is a Custom stage's Worker with state: it fails if two goroutines ever use it
// at once, and counts its batches.
type countingWorker struct {
	busy    atomic.Bool
	batches int
	closed  *atomic.Int64
	total   *atomic.Int64
}

func (w *countingWorker) Process(dst, src []byte) ([]byte, error) {
	if !w.busy.CompareAndSwap(false, true) {
		return dst, errors.New("worker used by two goroutines at once")
	}
	defer w.busy.Store(false)
	w.batches++
	return append(dst, src...), nil
}

func (w *countingWorker) Close() error {
	w.closed.Add(1)
	w.total.Add(int64(w.batches))
	return nil
}

func TestCustomWorkerPerGoroutine(t *testing.T) {
	for _, workers := range []int{1, 2, 16} {
		t.Run(fmt.Sprint("workers=", workers), func(t *testing.T) {
			var made, closed, total atomic.Int64
			stage := pipeline.Custom("count", func() (pipeline.Worker, error) {
				made.Add(1)
				return &countingWorker{closed: &closed, total: &total}, nil
			})
			p := mustNew(t, pipeline.Options{Workers: workers, BatchSize: 100}, stage, xorFunc(0))
			in := randomBytes(1, 100*100+5)
			out, st := run(t, p, in)
			if !bytes.Equal(out, in) {
				t.Fatal("output differs")
			}
			if made.Load() != int64(workers) || closed.Load() != int64(workers) {
				t.Fatalf("%d workers made and %d closed, want %d", made.Load(), closed.Load(), workers)
			}
			if total.Load() != st.Batches || st.Batches != 101 {
				t.Fatalf("workers processed %d batches, stats say %d, want 101", total.Load(), st.Batches)
			}
		})
	}
}

type closeFailWorker struct{}

var errClose = errors.New("close failed")

func (closeFailWorker) Process(dst, src []byte) ([]byte, error) { return append(dst, src...), nil }
func (closeFailWorker) Close() error                            { return errClose }

func TestCustomWorkerErrors(t *testing.T) {
	errMake := errors.New("no instance")
	failing := pipeline.Custom("plugin", func() (pipeline.Worker, error) { return nil, errMake })
	before := runtimeGoroutines()
	p := mustNew(t, pipeline.Options{Workers: 3}, xorFunc(1), failing)
	_, err := p.Run(context.Background(), bytes.NewReader([]byte("abc")), io.Discard)
	var perr *pipeline.Error
	if !errors.As(err, &perr) || !errors.Is(err, errMake) || perr.Stage != 1 || perr.StageName != "plugin" || perr.Batch != -1 {
		t.Fatalf("got %v, want the worker error of stage 1 with no batch", err)
	}
	checkNoLeak(t, before)

	p = mustNew(t, pipeline.Options{Workers: 2}, pipeline.Custom("closer", func() (pipeline.Worker, error) { return closeFailWorker{}, nil }))
	var out bytes.Buffer
	_, err = p.Run(context.Background(), bytes.NewReader([]byte("abc")), &out)
	if !errors.Is(err, errClose) || !errors.As(err, &perr) || perr.Stage != 0 || out.String() != "abc" {
		t.Fatalf("got %v and %q, want the Close error after the output", err, out.String())
	}
}

func TestNewRefusesBadStages(t *testing.T) {
	for name, stages := range map[string][]pipeline.Stage{
		"nil stage":     {xorFunc(1), nil},
		"nil func":      {pipeline.Func("f", nil)},
		"nil newWorker": {pipeline.Custom("c", nil)},
	} {
		if _, err := pipeline.New(pipeline.Options{}, stages...); err == nil {
			t.Errorf("%s: New accepted it", name)
		}
	}
}

// TestPprofLabels looks, while a stage runs, for its goroutine in the goroutine profile with
// the binpipe.stage label.
func TestPprofLabels(t *testing.T) {
	var once sync.Once
	var profile string
	probe := pipeline.Func("probe", func(dst, src []byte) ([]byte, error) {
		once.Do(func() {
			var b strings.Builder
			_ = pprof.Lookup("goroutine").WriteTo(&b, 1)
			profile = b.String()
		})
		return append(dst, src...), nil
	})
	p := mustNew(t, pipeline.Options{Workers: 2, BatchSize: 10}, xorFunc(1), probe)
	run(t, p, make([]byte, 100))
	if !containsLabel(profile, "probe") {
		t.Fatalf("no goroutine labelled binpipe.stage=probe in the profile:\n%s", profile)
	}
}

func TestStagePanicIsAnError(t *testing.T) {
	before := runtimeGoroutines()
	boom := pipeline.Func("boom", func(dst, src []byte) ([]byte, error) {
		if src[0] == 3 {
			panic("bad batch")
		}
		return append(dst, src...), nil
	})
	p := mustNew(t, pipeline.Options{Workers: 2, BatchSize: 1}, boom)
	var out bytes.Buffer
	_, err := p.Run(context.Background(), bytes.NewReader([]byte{0, 1, 2, 3, 4, 5}), &out)
	var perr *pipeline.Error
	if !errors.As(err, &perr) || perr.Batch != 3 || perr.StageName != "boom" || !strings.Contains(err.Error(), "bad batch") {
		t.Fatalf("got %v, want the panic of batch 3 as an error", err)
	}
	if out.String() != "\x00\x01\x02" {
		t.Fatalf("wrote %q, want the 3 batches before the panic", out.String())
	}
	checkNoLeak(t, before)
}

func TestCustomAlignedRoundsTheBatchSize(t *testing.T) {
	var sizes sync.Map
	stage := pipeline.CustomAligned("records", 24, func() (pipeline.Worker, error) {
		return recordWorker{&sizes}, nil
	})
	p := mustNew(t, pipeline.Options{Workers: 2, BatchSize: 100}, stage)
	if p.BatchSize() != 120 {
		t.Fatalf("batch size %d, want 120 (100 rounded up to 24-byte records)", p.BatchSize())
	}
	in := randomBytes(3, 24*1000)
	out, _ := run(t, p, in)
	if !bytes.Equal(out, in) {
		t.Fatal("output differs")
	}
	sizes.Range(func(k, _ any) bool {
		if k.(int)%24 != 0 {
			t.Errorf("a batch of %d bytes is not whole records", k.(int))
		}
		return true
	})
	for _, bad := range []int{0, -3} {
		_, err := pipeline.New(pipeline.Options{}, pipeline.CustomAligned("bad", bad, func() (pipeline.Worker, error) {
			return recordWorker{&sizes}, nil
		}))
		if err == nil || !strings.Contains(err.Error(), "record size") {
			t.Errorf("record size %d: err = %v, want a record-size error", bad, err)
		}
	}
}

// recordWorker copies batches and notes their sizes.
type recordWorker struct{ sizes *sync.Map }

func (w recordWorker) Process(dst, src []byte) ([]byte, error) {
	w.sizes.Store(len(src), true)
	return append(dst, src...), nil
}

func (recordWorker) Close() error { return nil }
