package pipeline

import (
	"errors"
	"slices"
	"strings"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// Kernels is a stage of binpipe kernels, run in order inside one wasm instance (or in Go on a
// BackendGo engine) by a binpipe.ChainWorker: one call per batch, the batch read straight into
// the worker's input buffer and the result written straight from its view. Consecutive
// Kernels stages of a pipeline run as one chain call.
//
//	pipeline.Kernels(binpipe.DeltaEncodeStage(8), binpipe.ShuffleStage(8))
//
// Its name is its stages' names (binpipe.Stage.String) joined with "|"; "kernels()" when it
// has none (it then passes batches through unchanged).
func Kernels(stages ...binpipe.Stage) Stage {
	return &stageDef{kind: kindKernels, name: kernelsName(stages), kernels: slices.Clone(stages)}
}

// kernelsName names a Kernels stage.
func kernelsName(stages []binpipe.Stage) string {
	if len(stages) == 0 {
		return "kernels()"
	}
	names := make([]string, len(stages))
	for i, s := range stages {
		names[i] = s.String()
	}
	return strings.Join(names, "|")
}

// chainPlan is a run of consecutive Kernels stages fused into one chain.
type chainPlan struct {
	kernels []binpipe.Stage
	owner   []int    // per kernel: the index among New's stages of the stage it comes from
	start   []int    // per kernel: the index in the chain of its stage's first kernel
	names   []string // per kernel: its stage's name
	stages  []string // the names of the stages with kernels, in order
}

// add appends the kernels of stage i to the chain.
func (c *chainPlan) add(i int, d *stageDef) {
	first := len(c.kernels)
	if len(d.kernels) > 0 {
		c.stages = append(c.stages, d.name)
	}
	for _, k := range d.kernels {
		c.kernels = append(c.kernels, k)
		c.owner = append(c.owner, i)
		c.start = append(c.start, first)
		c.names = append(c.names, d.name)
	}
}

// alignment is the chain's binpipe.StreamAlignment, or New's error naming the stage whose
// result depends on batch boundaries.
func (c *chainPlan) alignment() (int, error) {
	a, err := binpipe.StreamAlignment(c.kernels...)
	if err == nil {
		return a, nil
	}
	var ce *binpipe.ChainError
	if errors.As(err, &ce) && ce.Stage >= 0 && ce.Stage < len(c.kernels) {
		return 0, stageError(c.owner[ce.Stage], c.names[ce.Stage], c.relative(ce))
	}
	return 0, stageError(c.owner[0], c.names[0], err)
}

// relative re-indexes a chain error by the kernel's position in its own stage.
func (c *chainPlan) relative(ce *binpipe.ChainError) error {
	if c.start[ce.Stage] == 0 {
		return ce
	}
	return &binpipe.ChainError{Stage: ce.Stage - c.start[ce.Stage], Err: ce.Err}
}

// locate is the step's locate: which stage a chain call's error belongs to.
func (c *chainPlan) locate(err error) (stage int, name string, readsInput bool, report error) {
	var ce *binpipe.ChainError
	if errors.As(err, &ce) && ce.Stage >= 0 && ce.Stage < len(c.kernels) {
		return c.owner[ce.Stage], c.names[ce.Stage], ce.Stage == 0, c.relative(ce)
	}
	return c.owner[0], c.names[0], false, err
}

// step makes the run step of the chain, with stream alignment align, on engine e (nil:
// binpipe's package-level workers).
func (c *chainPlan) step(e *binpipe.Engine, align int) step {
	kernels := c.kernels
	return step{
		kind:  kindKernels,
		name:  strings.Join(c.stages, "|"),
		first: c.owner[0],
		align: align,
		newChain: func(maxInput int) (chainRunner, error) {
			if e == nil {
				return binpipe.NewChainWorker(maxInput, kernels...)
			}
			return e.NewChainWorker(maxInput, kernels...)
		},
		locate: c.locate,
	}
}
