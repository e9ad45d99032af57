package plugin

import (
	"context"

	"github.com/binpipe/binpipe/go-host/pipeline"
)

// Stage returns the plugin as a pipeline stage named after its description. Every worker of a
// run calls Transform, which takes an instance from the plugin's pool for each batch; each
// call has its own deadline (Limits.Deadline), which bounds how long a cancelled run waits for
// a batch in flight. The pipeline rounds its batch size up to a multiple of the description's
// RecordSize; an input whose length is not a multiple of it leaves a partial record in the
// last batch, which fails with ErrPartialRecord.
func (p *Plugin) Stage() pipeline.Stage {
	newWorker := func() (pipeline.Worker, error) { return stageWorker{p}, nil }
	if p.desc.RecordSize > 1 {
		return pipeline.CustomAligned(p.desc.Name, int(p.desc.RecordSize), newWorker)
	}
	return pipeline.Custom(p.desc.Name, newWorker)
}

// stageWorker is a pipeline worker running batches through the plugin.
type stageWorker struct{ p *Plugin }

// Process transforms one batch.
func (w stageWorker) Process(dst, src []byte) ([]byte, error) {
	return w.p.Transform(context.Background(), dst, src)
}

// Close does nothing: the instances belong to the plugin, which the caller closes.
func (stageWorker) Close() error { return nil }
