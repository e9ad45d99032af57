package pipeline

import binpipe "github.com/binpipe/binpipe/go-host"

// Stage is one step of a pipeline. Make stages with Kernels, Func and Custom.
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
// are Custom stages.
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

// funcWorker runs a Func stage: Func's fn has no state, so every worker shares it.
type funcWorker func(dst, src []byte) ([]byte, error)

// Process calls the function.
func (f funcWorker) Process(dst, src []byte) ([]byte, error) { return f(dst, src) }

// Close does nothing.
func (funcWorker) Close() error { return nil }
