package pipeline

import (
	"runtime"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// DefaultBatchSize is the batch size when Options.BatchSize is 0: large enough that a batch's
// fixed costs (about 2 µs: one call into the module, the hand-offs between reader, worker and
// writer) are under 5 % of its work even for the fastest kernels (hex-encode, 3 GB/s), small
// enough that a batch and a result twice its size stay in a core's 512 KiB L2 cache.
// docs/pipeline.md has the measurement.
const DefaultBatchSize = 128 << 10

// Options configures a Pipeline. The zero value is usable: every field has a default.
type Options struct {
	// Workers is the number of goroutines running stages; 0 means runtime.GOMAXPROCS(0).
	Workers int
	// BatchSize is the number of input bytes per batch (the last batch may be shorter); 0 means
	// DefaultBatchSize. New rounds it up to a multiple of every Kernels run's
	// binpipe.StreamAlignment, so that running the kernels batch by batch gives the same bytes
	// as running them on the whole stream.
	BatchSize int
	// Window is the number of batches in flight (being read, processed, waiting to be written
	// in order, or being written); 0 means 2*Workers. Each batch in flight owns its buffers, so
	// memory is bounded by Window batches. A Window below Workers leaves workers idle.
	Window int
	// Engine runs the Kernels stages; nil means the engine of binpipe.NewChainWorker
	// (BackendAuto, with an instance pool that serves only chain workers). A run leases one
	// instance per slot and per run of Kernels stages for as long as it lasts: give an engine
	// of your own a pool (binpipe.WithPoolSize) of at least Window x (Kernels runs) instances
	// beyond what other users hold. With fewer the run makes fewer slots (less parallelism);
	// if it cannot make even one, it waits for instances like any call on that engine.
	Engine *binpipe.Engine
	// Progress, if set, is called by the writer after each batch is written, with the input
	// and output byte counts so far. It runs on the goroutine that called Run and delays the
	// next write while it runs.
	Progress func(inBytes, outBytes int64)
}

// withDefaults fills the zero fields of o.
func (o Options) withDefaults() Options {
	if o.Workers <= 0 {
		o.Workers = runtime.GOMAXPROCS(0)
	}
	if o.BatchSize <= 0 {
		o.BatchSize = DefaultBatchSize
	}
	if o.Window <= 0 {
		o.Window = 2 * o.Workers
	}
	return o
}
