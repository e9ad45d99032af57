package pipeline

import (
	"errors"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// step is what a worker runs on a batch, one after the other: a Func or Custom stage, or a run
// of consecutive Kernels stages fused into one chain call.
type step struct {
	kind  stageKind
	name  string
	first int // index among New's stages of the step's first stage
	// newWorker makes a worker goroutine's Worker for a Func or Custom step.
	newWorker func() (Worker, error)
	// newChain makes a slot's chain worker for a Kernels step, with room for maxInput bytes.
	newChain func(maxInput int) (chainRunner, error)
	// align is a Kernels step's binpipe.StreamAlignment.
	align int
	// locate maps a chain call's error to the stage that failed: its index among New's
	// stages, its name, whether it reads the step's input (offsets then count in the batch),
	// and the error to report.
	locate func(err error) (stage int, name string, readsInput bool, report error)
}

// chainRunner is a Kernels step's per-slot worker: a *binpipe.ChainWorker.
type chainRunner interface {
	Input() []byte
	Run(n int) ([]byte, error)
	Close() error
}

// fail builds the *Error of step st, the run's step i, failing with err on batch s.
func (st *step) fail(i int, s *slot, err error) *Error {
	e := &Error{Batch: s.seq, Offset: s.offset, Stage: st.first, StageName: st.name, Err: err}
	readsInput := true
	if st.locate != nil {
		e.Stage, e.StageName, readsInput, e.Err = st.locate(err)
	}
	if i == 0 && readsInput {
		e.Offset += dataOffset(err)
	}
	return e
}

// dataOffset is the offset in its input at which a stage found invalid data, or 0.
func dataOffset(err error) int64 {
	var ke *binpipe.KernelError
	if errors.As(err, &ke) && ke.Kind == binpipe.KindInvalidData {
		return int64(ke.Offset)
	}
	return 0
}
