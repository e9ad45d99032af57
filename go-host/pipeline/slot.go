package pipeline

import (
	"errors"
	"fmt"
	"runtime/debug"
)

// slot is one batch in flight and every buffer it needs. The goroutine holding a slot (reader,
// worker or writer, handed over by channels) is its only user; slots are reused from batch to
// batch, so the buffers are allocated once per slot and grown only when a stage's result
// outgrows them.
type slot struct {
	seq    int64  // batch index
	offset int64  // input offset of the batch's first byte
	n      int    // input bytes
	out    []byte // the batch's result, set by the worker
	err    *Error // the first step failure, set by the worker
	// chains has, for each Kernels step, its chain worker (nil for other steps).
	chains []chainRunner
	// spill marks the Go steps whose result outgrew the next chain worker's input: they write
	// Go buffers, which grow, and the chain runs on pieces.
	spill []bool
	// bufs are the Go buffers Func and Custom steps write into, used in turn. When the first
	// step is not a Kernels step, the reader reads into bufs[0].
	bufs [2][]byte
}

// newSlot makes a slot for p: a chain worker per Kernels step (the first one sized for a
// batch, so that the reader can read into it) and Go buffers for the other steps.
func newSlot(p *Pipeline) (*slot, error) {
	s := &slot{chains: make([]chainRunner, len(p.steps)), spill: make([]bool, len(p.steps))}
	goSteps := len(p.steps) == 0 || p.steps[0].kind != kindKernels
	for i := range p.steps {
		st := &p.steps[i]
		if st.kind != kindKernels {
			goSteps = true
			continue
		}
		c, err := st.newChain(p.opts.BatchSize)
		if err != nil {
			_ = s.close()
			return nil, &Error{Batch: -1, Offset: -1, Stage: st.first, StageName: st.name, Err: err}
		}
		s.chains[i] = c
	}
	if goSteps {
		s.bufs[0] = make([]byte, 0, p.opts.BatchSize)
		s.bufs[1] = make([]byte, 0, p.opts.BatchSize)
	}
	return s, nil
}

// input is the buffer the reader fills with the batch: the first step's input; nil if the
// chain worker has none (its instance trapped and could not be replaced).
func (s *slot) input(p *Pipeline) []byte {
	if len(p.steps) > 0 && p.steps[0].kind == kindKernels {
		if in := s.chains[0].Input(); len(in) >= p.opts.BatchSize {
			return in[:p.opts.BatchSize]
		}
		return nil
	}
	return s.bufs[0][:p.opts.BatchSize]
}

// errNoInput reports a slot whose first chain worker lost its input buffer.
var errNoInput = errors.New("pipeline: the first chain worker has no input buffer (its instance could not be replaced)")

// runChain runs Kernels step i on data, which is already in the chain worker's input buffer
// unless the step before produced it elsewhere: then it is copied in. Data larger than the
// worker's input (a Go step before made more than a batch) runs in pieces of a multiple of
// the chain's stream alignment, whose results concatenate to the whole's, into a Go buffer.
// (Making a larger worker instead could wait forever for an instance: on an engine with a
// bounded pool, this run's other slots may hold them all.)
func (s *slot) runChain(st *step, i int, data []byte) ([]byte, error) {
	c := s.chains[i]
	in := c.Input()
	switch {
	case len(data) == 0 || sameStart(data, in):
		return c.Run(len(data))
	case len(data) <= len(in):
		copy(in, data)
		return c.Run(len(data))
	}
	d := 0
	if overlaps(data, s.bufs[0]) {
		d = 1
	}
	out := s.bufs[d][:0]
	piece := len(in) / st.align * st.align
	for len(data) > 0 {
		n := copy(in[:piece], data)
		res, err := c.Run(n)
		if err != nil {
			return nil, err
		}
		out = append(out, res...)
		data = data[n:]
		in = c.Input()
	}
	if cap(out) > cap(s.bufs[d]) {
		s.bufs[d] = out[:0] // grown by append from this buffer: keep it for the next batch
	}
	return out, nil
}

// runGo runs Func or Custom step i on data. Its result goes straight into the next step's
// input when that is a chain worker's and results have fitted there so far; otherwise into
// whichever Go buffer does not hold data. A buffer the result outgrew is replaced by a larger
// one for the next batch.
func (s *slot) runGo(i int, w Worker, next chainRunner, data []byte) ([]byte, error) {
	if next != nil && !s.spill[i] {
		in := next.Input()
		out, err := process(w, in[:0], data)
		s.spill[i] = len(out) > len(in) // too big: from now on, write Go buffers
		return out, err
	}
	d := 0
	if overlaps(data, s.bufs[0]) {
		d = 1
	}
	out, err := process(w, s.bufs[d][:0], data)
	if len(out) > cap(s.bufs[d]) && !overlaps(out, s.bufs[d]) {
		s.bufs[d] = make([]byte, 0, len(out)+len(out)/4)
	}
	return out, err
}

// close closes the slot's chain workers and returns the first error.
func (s *slot) close() error {
	var first error
	for i, c := range s.chains {
		if c == nil {
			continue
		}
		if err := c.Close(); err != nil && first == nil {
			first = err
		}
		s.chains[i] = nil
	}
	return first
}

// process calls w.Process, turning a panic into an error: the stage runs on a goroutine of
// the pipeline, where the caller of Run could not recover it.
func process(w Worker, dst, src []byte) (out []byte, err error) {
	defer func() {
		if v := recover(); v != nil {
			err = &panicError{value: v, stack: debug.Stack()}
		}
	}()
	return w.Process(dst, src)
}

// panicError is a stage's panic, with the stack where it happened.
type panicError struct {
	value any
	stack []byte
}

// Error gives the panic value and the stack.
func (e *panicError) Error() string {
	return fmt.Sprintf("stage panicked: %v\n%s", e.value, e.stack)
}
