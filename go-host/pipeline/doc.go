// Package pipeline streams bytes from an io.Reader through a chain of stages to an io.Writer,
// in batches, on several goroutines, in bounded memory, keeping the input's order.
//
//	p, err := pipeline.New(pipeline.Options{},
//		pipeline.Kernels(binpipe.DeltaEncodeStage(8), binpipe.ShuffleStage(8)),
//		pipeline.Func("checksum", addCRC),
//	)
//	if err != nil { ... }
//	stats, err := p.Run(ctx, in, out)
//
// One reader goroutine cuts the input into batches of Options.BatchSize bytes, Options.Workers
// worker goroutines run the stages on batches, and the writer (the goroutine that called Run)
// writes results in input order. A batch lives in a slot that owns every buffer the batch
// needs, including one binpipe.ChainWorker per run of kernel stages: the reader reads
// straight into the first chain worker's input buffer in guest memory (an io.ReadFull loop),
// a run of consecutive Kernels stages is one call into the module, and the writer writes the
// result straight from its view. At most Options.Window slots exist, so memory is bounded by Window batches
// whatever the size of the input, and a slow writer or stage holds back the reader
// (backpressure). Slots and their buffers are reused from batch to batch: in steady state
// a batch allocates nothing.
//
// The first failing batch stops the run: the batches before it are written, and Run returns
// an *Error naming the batch, the stage and the input offset. Errors of the io.Reader and the
// io.Writer are *Error values too, with Stage set to StageRead or StageWrite. Cancelling the
// context stops the run promptly and Run returns ctx.Err(); Run returns only after every
// goroutine it started has ended. A Read or Write call that blocks is not interrupted: Run
// returns when it returns.
//
// Each stage runs under the pprof label binpipe.stage=<name>, and Run reports per-stage
// counters and busy time in Stats. docs/pipeline.md in the repository describes the design and
// how the default batch size was measured.
package pipeline
