package pipeline

import (
	"context"
	"runtime/pprof"
	"time"
)

// worker is one worker goroutine's state: its Worker for each Func or Custom step and its own
// counters (merged into Stats when the run ends, so workers never contend on them).
type worker struct {
	r     *run
	procs []Worker // per step; nil for Kernels steps
	stats []StageStats
}

// newWorker makes a worker goroutine's state, with a fresh Worker for each Custom step. On
// failure it closes the Workers already made.
func newWorker(r *run) (*worker, error) {
	w := &worker{r: r, procs: make([]Worker, len(r.p.steps)), stats: make([]StageStats, len(r.p.steps))}
	for i := range r.p.steps {
		st := &r.p.steps[i]
		if st.kind == kindKernels {
			continue
		}
		pw, err := st.newWorker()
		if err != nil {
			_ = w.close()
			return nil, &Error{Batch: -1, Offset: -1, Stage: st.first, StageName: st.name, Err: err}
		}
		w.procs[i] = pw
	}
	return w, nil
}

// loop processes batches until the input ends or the run stops.
func (w *worker) loop() {
	defer w.r.wg.Done()
	for {
		select {
		case s, ok := <-w.r.work:
			if !ok {
				return
			}
			if s.seq < w.r.stopAt.Load() {
				s.err = w.process(s)
				if s.err != nil {
					w.r.stopBefore(s.seq + 1)
				}
			}
			w.r.done <- s // never blocks: the channel has room for every slot
		case <-w.r.ctx.Done():
			return
		}
	}
}

// process runs every step on the batch in slot s and leaves the result in s.out.
func (w *worker) process(s *slot) *Error {
	steps := w.r.p.steps
	data := s.input(w.r.p)[:s.n]
	for i := range steps {
		st := &steps[i]
		pprof.SetGoroutineLabels(w.r.labels[i])
		start := time.Now()
		var out []byte
		var err error
		if st.kind == kindKernels {
			out, err = s.runChain(st, i, data)
		} else {
			var next chainRunner
			if i+1 < len(steps) {
				next = s.chains[i+1]
			}
			out, err = s.runGo(i, w.procs[i], next, data)
		}
		busy := time.Since(start)
		if err != nil {
			pprof.SetGoroutineLabels(w.r.ctx)
			return st.fail(i, s, err)
		}
		w.stats[i].add(StageStats{Batches: 1, InBytes: int64(len(data)), OutBytes: int64(len(out)), Busy: busy})
		data = out
	}
	pprof.SetGoroutineLabels(w.r.ctx)
	s.out = data
	return nil
}

// close closes the worker's Custom Workers and returns the first error, as an *Error naming
// the stage.
func (w *worker) close() error {
	var first error
	for i, pw := range w.procs {
		if pw == nil {
			continue
		}
		if err := pw.Close(); err != nil && first == nil {
			st := &w.r.p.steps[i]
			first = &Error{Batch: -1, Offset: -1, Stage: st.first, StageName: st.name, Err: err}
		}
		w.procs[i] = nil
	}
	return first
}

// stageLabels makes, for each step, the context carrying its pprof label on top of ctx's.
func stageLabels(ctx context.Context, steps []step) []context.Context {
	labels := make([]context.Context, len(steps))
	for i := range steps {
		labels[i] = pprof.WithLabels(ctx, pprof.Labels("binpipe.stage", steps[i].name))
	}
	return labels
}
