package pipeline

import (
	"context"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// Stage is one step of a pipeline. Make stages with Kernels, Func, Custom and Transform.
type Stage interface {
	// Name names the stage in errors, Stats and pprof labels.
	Name() string
	// def returns the stage's definition; only this package's constructors implement it.
	def() *stageDef
}

// Worker is the per-worker state of a Custom stage, for example a plugin instance. Each worker
// goroutine of a run makes its own Worker and is the only caller of its methods.
type Worker interface {
	// Process appends the stage's result for the batch src to dst and returns it, like
	// binpipe's append-form kernels. dst has spare capacity owned by the pipeline: writing the
	// result there avoids an allocation. src must not be modified or kept after Process
	// returns.
	Process(dst, src []byte) ([]byte, error)
	// Close releases the Worker at the end of the run.
	Close() error
}

type stageKind uint8

const (
	kindKernels stageKind = iota
	kindFunc
	kindCustom
)

// stageDef is what New needs to know about a stage.
type stageDef struct {
	kind      stageKind
	name      string
	fn        func(dst, src []byte) ([]byte, error)
	newWorker func() (Worker, error)
	kernels   []binpipe.Stage
	// align is a Custom stage's record size (1 for Custom): its batches are whole multiples.
	align int
}

// Name returns the stage's name.
func (d *stageDef) Name() string { return d.name }

func (d *stageDef) def() *stageDef { return d }

// Func is a stage computed in Go by fn, in the append form of binpipe's kernels: fn appends
// its result for src to dst and returns it. dst is a buffer the pipeline reuses from batch to
// batch (results that fit its capacity cost no allocation); src is valid only during the call
// and must not be modified. fn is called from several goroutines at once and must be safe for
// that.
func Func(name string, fn func(dst, src []byte) ([]byte, error)) Stage {
	return &stageDef{kind: kindFunc, name: name, fn: fn}
}

// Custom is a stage with per-worker state: each worker goroutine of a run calls newWorker once,
// uses its Worker for every batch it processes, and closes it at the end of the run. Plugins
// are Custom stages, through Transform.
func Custom(name string, newWorker func() (Worker, error)) Stage {
	return &stageDef{kind: kindCustom, name: name, newWorker: newWorker, align: 1}
}

// CustomAligned is Custom for a stage that takes only whole records of recordSize bytes (a
// plugin with a record size, for example): New rounds the batch size up to a multiple of
// recordSize too, so that every batch but a short last one holds whole records. recordSize
// must be at least 1.
func CustomAligned(name string, recordSize int, newWorker func() (Worker, error)) Stage {
	return &stageDef{kind: kindCustom, name: name, newWorker: newWorker, align: recordSize}
}

// Transformer is what Transform needs of a stage that keeps its own state and is safe for
// concurrent use. A *plugin.Plugin is one:
//
//	redact, _ := plugin.LoadFile(ctx, "redact.wasm")
//	p, _ := pipeline.New(pipeline.Options{}, pipeline.Transform(redact))
type Transformer interface {
	// Name names the stage in errors, Stats and pprof labels.
	Name() string
	// RecordSize is the size of the records Transform takes only whole, or 0 or 1 for batches
	// of any length.
	RecordSize() int
	// Transform appends the result for the batch src to dst and returns it, as Worker.Process
	// does; it is called from several goroutines at once.
	Transform(ctx context.Context, dst, src []byte) ([]byte, error)
}

// Transform is the stage that runs every batch through t. A RecordSize above 1 makes it
// CustomAligned: New rounds the batch size up to a multiple of it, and an input whose length is
// not a multiple leaves a partial record in the last batch, for t to refuse. Each call gets
// context.Background(): a stage that must bound a batch in flight (a plugin's Limits.Deadline)
// does so itself.
func Transform(t Transformer) Stage {
	newWorker := func() (Worker, error) { return transformWorker{t}, nil }
	if rs := t.RecordSize(); rs > 1 {
		return CustomAligned(t.Name(), rs, newWorker)
	}
	return Custom(t.Name(), newWorker)
}

// transformWorker is a Transform stage's worker: the Transformer is shared, so it has no state.
type transformWorker struct{ t Transformer }

// Process transforms one batch.
func (w transformWorker) Process(dst, src []byte) ([]byte, error) {
	return w.t.Transform(context.Background(), dst, src)
}

// Close does nothing: the Transformer belongs to the caller, who closes it.
func (transformWorker) Close() error { return nil }

// funcWorker runs a Func stage: Func's fn has no state, so every worker shares it.
type funcWorker func(dst, src []byte) ([]byte, error)

// Process calls the function.
func (f funcWorker) Process(dst, src []byte) ([]byte, error) { return f(dst, src) }

// Close does nothing.
func (funcWorker) Close() error { return nil }
