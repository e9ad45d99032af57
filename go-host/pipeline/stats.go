package pipeline

import "time"

// Stats describes a run. Run returns it whether or not the run failed.
type Stats struct {
	// Batches is the number of batches written.
	Batches int64
	// InBytes is the number of input bytes of the batches written.
	InBytes int64
	// OutBytes is the number of bytes written.
	OutBytes int64
	// Elapsed is the wall time of the run.
	Elapsed time.Duration
	// Stages has one entry per step of the run, in order: a step is one Func or Custom stage,
	// or one run of consecutive Kernels stages (a single chain call per batch, which cannot be
	// timed kernel by kernel; its Name joins the stages' names with "|").
	Stages []StageStats
}

// StageStats counts the work of one step over all workers. A batch counts when the step
// finished it, whether or not the batch was written (a later failure may stop the run first).
type StageStats struct {
	// Name is the stage's name (Stage.Name), or the joined names of fused Kernels stages.
	Name string
	// Batches is the number of batches the step processed.
	Batches int64
	// InBytes and OutBytes are the bytes the step read and produced.
	InBytes, OutBytes int64
	// Busy is the time workers spent in the step, summed over workers: Busy/Elapsed above 1
	// means the step ran on several cores at once.
	Busy time.Duration
}

// add accumulates o into s (same step, another worker).
func (s *StageStats) add(o StageStats) {
	s.Batches += o.Batches
	s.InBytes += o.InBytes
	s.OutBytes += o.OutBytes
	s.Busy += o.Busy
}
