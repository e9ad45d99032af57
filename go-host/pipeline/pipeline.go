package pipeline

import (
	"errors"
	"fmt"
)

// Pipeline is a configured chain of stages. It is safe for concurrent use: each Run has its own
// goroutines and buffers.
type Pipeline struct {
	opts  Options
	steps []step
}

// New checks the stages and the options and plans the run: consecutive Kernels stages become
// one chain call per batch. It fails on a nil stage or function, and on a Kernels stage whose
// result depends on batch boundaries (binpipe.StreamAlignment), naming the stage.
func New(opts Options, stages ...Stage) (*Pipeline, error) {
	opts = opts.withDefaults()
	steps, err := plan(stages)
	if err != nil {
		return nil, err
	}
	return &Pipeline{opts: opts, steps: steps}, nil
}

// BatchSize reports the batch size the pipeline uses: Options.BatchSize or its default, rounded
// up to the kernels' stream alignment.
func (p *Pipeline) BatchSize() int { return p.opts.BatchSize }

// plan turns the stages into steps.
func plan(stages []Stage) ([]step, error) {
	var steps []step
	for i, s := range stages {
		if s == nil {
			return nil, fmt.Errorf("pipeline: stage %d is nil", i)
		}
		d := s.def()
		var w func() (Worker, error)
		switch d.kind {
		case kindFunc:
			if d.fn == nil {
				return nil, stageError(i, d.name, errors.New("nil function"))
			}
			fn := d.fn
			w = func() (Worker, error) { return funcWorker(fn), nil }
		case kindCustom:
			if d.newWorker == nil {
				return nil, stageError(i, d.name, errors.New("nil newWorker"))
			}
			w = d.newWorker
		}
		steps = append(steps, step{kind: d.kind, name: d.name, first: i, newWorker: w})
	}
	return steps, nil
}

// stageError is the error of New for stage i.
func stageError(i int, name string, err error) error {
	return fmt.Errorf("pipeline: stage %d (%s): %w", i, name, err)
}
