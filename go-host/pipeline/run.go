package pipeline

import (
	"context"
	"io"
	"math"
	"sync"
	"sync/atomic"
	"time"
)

// run is the state of one Run: the channels between the reader, the workers and the writer,
// and the slots.
type run struct {
	p      *Pipeline
	ctx    context.Context // cancelled when the parent is, or when the writer stops
	src    io.Reader
	labels []context.Context // per step: ctx with the step's pprof label

	// Every channel has room for every slot (at most Window), so sends never block; only the
	// receives wait, each beside ctx.Done.
	free chan *slot      // written slots, for the reader to refill
	work chan *slot      // read batches, for the workers
	done chan *slot      // processed (or skipped) batches, for the writer
	end  chan endOfInput // the reader's last word

	// stopAt is the lowest batch index not to read or process: one past the first batch
	// that failed (math.MaxInt64 while none has).
	stopAt atomic.Int64
	slots  []*slot // every slot the reader took; read after the goroutines have ended
	wg     sync.WaitGroup

	made      chan madeSlot // the slot being made (room for one: its maker never waits)
	making    bool          // a slot is being made (the reader's own state)
	makeMu    sync.Mutex    // guards abandoned against the maker's send
	abandoned bool          // Run has returned: the maker closes its slot itself
}

// endOfInput is how the reader ends: the number of batches it read and why it stopped (nil at
// the end of the input).
type endOfInput struct {
	batches int64
	err     error
}

// Run streams r through the pipeline's stages to w and returns the run's counters with the
// first error: an *Error for a failing stage, reader or writer, or ctx.Err() if ctx was
// cancelled. On an *Error the output holds exactly the results of the batches before the
// failing one. Run starts a reader and Options.Workers worker goroutines, writes on the calling
// goroutine, and returns only after every goroutine it started has ended.
func (p *Pipeline) Run(ctx context.Context, r io.Reader, w io.Writer) (Stats, error) {
	start := time.Now()
	parent := ctx
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	window := p.opts.Window
	rn := &run{
		p: p, ctx: ctx, src: r, labels: stageLabels(ctx, p.steps),
		free: make(chan *slot, window), work: make(chan *slot, window),
		done: make(chan *slot, window), end: make(chan endOfInput, 1), made: make(chan madeSlot, 1),
	}
	rn.stopAt.Store(math.MaxInt64)

	workers := make([]*worker, 0, min(p.opts.Workers, window))
	var err error
	for len(workers) < cap(workers) && err == nil {
		var wk *worker
		if wk, err = newWorker(rn); err == nil {
			workers = append(workers, wk)
		}
	}
	stats := Stats{Stages: make([]StageStats, len(p.steps))}
	if err == nil {
		rn.wg.Add(1 + len(workers))
		go rn.read()
		for _, wk := range workers {
			go wk.loop()
		}
		err = rn.write(w, &stats)
		cancel()
		rn.wg.Wait()
	}
	if cerr := rn.closeSlots(parent); cerr != nil && err == nil {
		err = cerr
	}
	for _, wk := range workers {
		if cerr := wk.close(); cerr != nil && err == nil {
			err = cerr
		}
		for i := range stats.Stages {
			stats.Stages[i].add(wk.stats[i])
		}
	}
	for i := range stats.Stages {
		stats.Stages[i].Name = p.steps[i].name
	}
	stats.Elapsed = time.Since(start)
	return stats, err
}

// read cuts the input into batches, each read straight into a free slot's first buffer, until
// the input ends, reading fails, a batch has failed, or the run is cancelled.
func (r *run) read() {
	defer r.wg.Done()
	defer close(r.work)
	var seq, offset int64
	for seq < r.stopAt.Load() {
		s, err := r.acquire()
		if err != nil {
			if r.ctx.Err() == nil {
				r.end <- endOfInput{batches: seq, err: err}
			}
			return
		}
		in := s.input(r.p)
		if in == nil {
			r.end <- endOfInput{batches: seq, err: errNoInput}
			return
		}
		n, err := r.fill(in)
		if err != nil && err != io.EOF {
			r.free <- s
			if r.ctx.Err() == nil {
				r.end <- endOfInput{batches: seq, err: &Error{Batch: seq, Offset: offset + int64(n),
					Stage: StageRead, StageName: "read", Err: err}}
			}
			return
		}
		if n == 0 {
			r.free <- s
		} else {
			s.seq, s.offset, s.n, s.out, s.err = seq, offset, n, nil, nil
			r.work <- s
			seq++
			offset += int64(n)
		}
		if err == io.EOF {
			break
		}
	}
	r.end <- endOfInput{batches: seq}
}

// fill reads into buf until it is full (then err is nil), the input ends (io.EOF, however
// many bytes were read), reading fails, or the run is cancelled. Unlike io.ReadFull, it tells
// the end of the input from a reader's own io.ErrUnexpectedEOF (a truncated stream).
func (r *run) fill(buf []byte) (n int, err error) {
	for stalls := 0; n < len(buf); {
		if err := r.ctx.Err(); err != nil {
			return n, err
		}
		k, err := r.src.Read(buf[n:])
		n += k
		if err != nil {
			return n, err
		}
		if k > 0 {
			stalls = 0
		} else if stalls++; stalls == maxStalls {
			return n, io.ErrNoProgress
		}
	}
	return n, nil
}

// maxStalls is how many empty reads without an error in a row make a reader broken, as in
// bufio.
const maxStalls = 100

// acquire returns a free slot, or one made while fewer than Window exist. A slot is made on
// a goroutine of its own (one at a time) while the reader keeps watching for a free slot: a
// chain worker leases an instance from the engine's pool and waits while every instance is in
// use, so with an engine whose pool is smaller than the run needs, the run goes on with the
// slots it has instead of waiting forever for an instance its own slots hold.
func (r *run) acquire() (*slot, error) {
	select {
	case s := <-r.free:
		return s, nil
	default:
	}
	if !r.making && len(r.slots) < r.p.opts.Window {
		r.making = true
		go r.makeSlot()
	}
	var made chan madeSlot // nil (never ready) unless a slot is being made
	if r.making {
		made = r.made
	}
	select {
	case s := <-r.free:
		return s, nil
	case m := <-made:
		r.making = false
		if m.err != nil {
			return nil, m.err
		}
		r.slots = append(r.slots, m.s)
		return m.s, nil
	case <-r.ctx.Done():
		return nil, r.ctx.Err()
	}
}

// madeSlot is the result of making a slot.
type madeSlot struct {
	s   *slot
	err error
}

// makeSlot makes a slot and hands it to the reader, or closes it if the run is over.
func (r *run) makeSlot() {
	s, err := newSlot(r.p)
	r.makeMu.Lock()
	defer r.makeMu.Unlock()
	if r.abandoned {
		if err == nil {
			_ = s.close()
		}
		return
	}
	r.made <- madeSlot{s, err}
}

// closeSlots closes every slot once the reader, the workers and the writer are done: the
// slots the reader took, then the one still being made, if any. Closing the others returns
// the instances it may be waiting for, so it normally comes at once; but if the engine's
// pool is held elsewhere and the caller has cancelled, Run does not wait for it: the maker
// then closes its slot itself when the engine serves it (or is closed).
func (r *run) closeSlots(parent context.Context) error {
	var first error
	keep := func(err error) {
		if err != nil && first == nil {
			first = err
		}
	}
	for _, s := range r.slots {
		keep(s.close())
	}
	if !r.making {
		return first
	}
	select {
	case m := <-r.made:
		if m.err == nil {
			keep(m.s.close())
		}
	case <-parent.Done():
		r.makeMu.Lock()
		r.abandoned = true
		select {
		case m := <-r.made:
			if m.err == nil {
				keep(m.s.close())
			}
		default:
		}
		r.makeMu.Unlock()
	}
	return first
}

// stopBefore makes batch n and every later one unread and unprocessed.
func (r *run) stopBefore(n int64) {
	for {
		cur := r.stopAt.Load()
		if n >= cur || r.stopAt.CompareAndSwap(cur, n) {
			return
		}
	}
}

// write writes the processed batches in input order, holding those that finish early (at most
// Window), until every batch read is written or the run stops, and returns the run's error.
func (r *run) write(w io.Writer, stats *Stats) error {
	window := int64(r.p.opts.Window)
	pending := make([]*slot, window) // batch i waits at i % window
	var next int64
	total := int64(-1)
	var endErr error
	for total < 0 || next < total {
		select {
		case s := <-r.done:
			pending[s.seq%window] = s
		case e := <-r.end:
			total, endErr = e.batches, e.err
			continue
		case <-r.ctx.Done():
			return r.ctx.Err()
		}
		for s := pending[next%window]; s != nil && s.seq == next; s = pending[next%window] {
			pending[next%window] = nil
			if s.err != nil {
				return s.err
			}
			if _, err := w.Write(s.out); err != nil {
				return &Error{Batch: s.seq, Offset: s.offset, Stage: StageWrite, StageName: "write", Err: err}
			}
			stats.Batches++
			stats.InBytes += int64(s.n)
			stats.OutBytes += int64(len(s.out))
			r.free <- s
			next++
			if r.p.opts.Progress != nil {
				r.p.opts.Progress(stats.InBytes, stats.OutBytes)
			}
		}
	}
	return endErr
}
