package pipeline

import (
	"errors"
	"fmt"

	binpipe "github.com/binpipe/binpipe/go-host"
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
	steps, align, err := plan(opts.Engine, stages)
	if err != nil {
		return nil, err
	}
	if opts.BatchSize > maxBatchSize-align {
		return nil, fmt.Errorf("pipeline: batch size %d (alignment %d) exceeds %d bytes", opts.BatchSize, align, maxBatchSize)
	}
	opts.BatchSize = (opts.BatchSize + align - 1) / align * align
	return &Pipeline{opts: opts, steps: steps}, nil
}

// maxBatchSize bounds Options.BatchSize, rounded: a batch lives in one wasm instance's memory.
const maxBatchSize = 1 << 30

// BatchSize reports the batch size the pipeline uses: Options.BatchSize or its default, rounded
// up to the kernels' stream alignment.
func (p *Pipeline) BatchSize() int { return p.opts.BatchSize }

// plan turns the stages into steps, fusing consecutive Kernels stages into one chain (a chain
// with no kernels is no step at all), and returns the least common multiple of the chains'
// stream alignments.
func plan(e *binpipe.Engine, stages []Stage) ([]step, int, error) {
	var steps []step
	align := 1
	for i := 0; i < len(stages); i++ {
		if stages[i] == nil {
			return nil, 0, fmt.Errorf("pipeline: stage %d is nil", i)
		}
		d := stages[i].def()
		switch d.kind {
		case kindKernels:
			var c chainPlan
			for ; i < len(stages) && stages[i] != nil && stages[i].def().kind == kindKernels; i++ {
				c.add(i, stages[i].def())
			}
			i-- // the loop's i++ moves to the stage after the chain
			if len(c.kernels) == 0 {
				continue
			}
			a, err := c.alignment()
			if err != nil {
				return nil, 0, err
			}
			if align = lcm(align, a); align > maxBatchSize {
				return nil, 0, stageError(c.owner[0], c.names[0], fmt.Errorf("stream alignment exceeds %d bytes", maxBatchSize))
			}
			steps = append(steps, c.step(e, a))
		case kindFunc:
			if d.fn == nil {
				return nil, 0, stageError(i, d.name, errors.New("nil function"))
			}
			fn := d.fn
			steps = append(steps, step{kind: d.kind, name: d.name, first: i,
				newWorker: func() (Worker, error) { return funcWorker(fn), nil }})
		case kindCustom:
			if d.newWorker == nil {
				return nil, 0, stageError(i, d.name, errors.New("nil newWorker"))
			}
			if d.align < 1 {
				return nil, 0, stageError(i, d.name, fmt.Errorf("record size %d is not positive", d.align))
			}
			if d.align > 1 {
				if align = lcm(align, d.align); align > maxBatchSize {
					return nil, 0, stageError(i, d.name, fmt.Errorf("record size %d makes the batch alignment exceed %d bytes", d.align, maxBatchSize))
				}
			}
			steps = append(steps, step{kind: d.kind, name: d.name, first: i, newWorker: d.newWorker})
		}
	}
	return steps, align, nil
}

// lcm is the least common multiple of two positive ints (a bound check follows each use).
func lcm(a, b int) int {
	x, y := a, b
	for y != 0 {
		x, y = y, x%y
	}
	return a / x * b
}

// stageError is the error of New for stage i.
func stageError(i int, name string, err error) error {
	return fmt.Errorf("pipeline: stage %d (%s): %w", i, name, err)
}
