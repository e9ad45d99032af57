package container

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/binpipe/binpipe/go-host/pipeline"
	"github.com/klauspost/compress/zstd"
)

// Writer packs a stream of records into a container. The bytes written are cut into frames
// of the header's frame size, encoded by a go-host/pipeline run (one batch per frame, up to
// WriterOptions.Workers at once) and written in order. Close must be called: it writes the
// last frame and the trailer. The Writer does not close the underlying writer.
type Writer struct {
	header Header
	enc    *frameEncoder
	p      *pipeline.Pipeline
	sink   *frameSink

	pw     *io.PipeWriter // the Writer's bytes go to the pipeline through a pipe
	result chan runResult // the pipeline run's result, once it ends
	stats  pipeline.Stats // set by wait
	runErr error          // set by wait
	err    error          // sticky
	closed bool
}

// runResult is how a pipeline run ended.
type runResult struct {
	stats pipeline.Stats
	err   error
}

// NewWriter checks h, writes the container header to w and returns a Writer for the records.
// h.Version 0 means Version. The layout is checked by packing and unpacking a small sample:
// a field chain that cannot give its column back is refused here, not in the middle of a file.
func NewWriter(w io.Writer, h Header, opts WriterOptions) (*Writer, error) {
	if h.Version == 0 {
		h.Version = Version
	}
	l, hdr, err := validateHeader(h)
	if err != nil {
		return nil, err
	}
	workers, window := concurrency(opts.Workers, opts.Window)
	enc := &frameEncoder{l: l, run: chainOf(opts.Engine)}
	if h.Compression == CompressionZstd {
		level := zstd.SpeedDefault
		if opts.Level != 0 {
			level = zstd.EncoderLevelFromZstd(opts.Level)
		}
		enc.zenc, err = zstd.NewWriter(nil, zstd.WithEncoderLevel(level), zstd.WithEncoderConcurrency(workers),
			zstd.WithEncoderCRC(false), zstd.WithSingleSegment(true), zstd.WithWindowSize(zstdWindow(l.maxBlock)))
		if err != nil {
			return nil, fmt.Errorf("container: zstd encoder: %w", err)
		}
	}
	if err := checkSample(enc, opts); err != nil {
		enc.close()
		return nil, err
	}
	popts := pipeline.Options{Workers: workers, Window: window, BatchSize: l.frameSize, Engine: opts.Engine, Progress: opts.Progress}
	p, err := pipeline.New(popts,
		pipeline.Custom("encode-frame", func() (pipeline.Worker, error) { return &encodeWorker{enc: enc}, nil }))
	if err != nil {
		enc.close()
		return nil, fmt.Errorf("container: %w", err)
	}
	if _, err := w.Write(hdr); err != nil {
		enc.close()
		return nil, fmt.Errorf("container: writing the header: %w", err)
	}
	return &Writer{header: l.h.clone(), enc: enc, p: p, sink: &frameSink{dst: w, off: int64(len(hdr))}}, nil
}

// encodeWorker is the pipeline stage: one raw batch (a frame's bytes) in, one frame out.
type encodeWorker struct {
	enc   *frameEncoder
	block []byte // the worker's column block buffer
}

// Process appends the frame of the raw bytes src to dst.
func (w *encodeWorker) Process(dst, src []byte) ([]byte, error) {
	return w.enc.appendFrame(dst, src, &w.block)
}

// Close releases nothing: the buffers go with the worker.
func (w *encodeWorker) Close() error { return nil }

// zstdWindow is the smallest power-of-two zstd window, at least the minimum, that holds a
// whole column block.
func zstdWindow(block int) int {
	w := zstd.MinWindowSize
	for w < block && w < zstd.MaxWindowSize {
		w <<= 1
	}
	return w
}

// Header returns the container's header.
func (w *Writer) Header() Header { return w.header.clone() }

// Stats returns the counters of the pipeline run that encoded the frames (one batch per
// frame, the "encode-frame" stage's busy time), once Close has returned.
func (w *Writer) Stats() pipeline.Stats { return w.stats }

// Write appends p to the records; full frames are encoded in the background. An error from
// encoding or from the underlying writer stops the Writer: every later call returns it.
func (w *Writer) Write(p []byte) (int, error) {
	if err := w.start(); err != nil {
		return 0, err
	}
	n, err := w.pw.Write(p)
	if err != nil {
		return n, w.stop(err)
	}
	return n, nil
}

// ReadFrom packs everything r gives until io.EOF (io.Copy uses it).
func (w *Writer) ReadFrom(r io.Reader) (int64, error) {
	if err := w.start(); err != nil {
		return 0, err
	}
	buf := make([]byte, 256<<10)
	var n int64
	for {
		k, rerr := r.Read(buf)
		if k > 0 {
			if _, err := w.pw.Write(buf[:k]); err != nil {
				return n, w.stop(err)
			}
			n += int64(k)
		}
		switch {
		case rerr == io.EOF:
			return n, nil
		case rerr != nil:
			w.stop(rerr)
			return n, rerr // the source's error, as io.Copy returns it
		}
	}
}

// Close encodes the last, partial frame, writes every pending frame and the trailer, and
// returns the first error met. It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.closed {
		return w.err
	}
	w.closed = true
	defer w.enc.close()
	if w.err != nil {
		if w.pw != nil {
			_ = w.pw.CloseWithError(w.err)
			w.wait()
		}
		return w.err
	}
	if w.pw != nil {
		_ = w.pw.Close()
		res := w.wait()
		if res.err != nil {
			w.err = writeError(res.err)
			return w.err
		}
	}
	t := w.sink.totals.put(make([]byte, 0, trailerLen))
	if _, err := w.sink.dst.Write(t); err != nil {
		w.err = fmt.Errorf("container: writing the trailer at offset %d: %w", w.sink.off, err)
		return w.err
	}
	w.sink.off += int64(len(t))
	return nil
}

var errClosed = errors.New("container: Writer is closed")

// start returns the sticky error, or errClosed after Close, or starts the pipeline run on
// the first call.
func (w *Writer) start() error {
	switch {
	case w.err != nil:
		return w.err
	case w.closed:
		return errClosed
	case w.pw != nil:
		return nil
	}
	pr, pw := io.Pipe()
	w.pw, w.result = pw, make(chan runResult, 1)
	go func() {
		stats, err := w.p.Run(context.Background(), pr, w.sink)
		if err != nil {
			_ = pr.CloseWithError(err) // a blocked Write returns it
		} else {
			_ = pr.Close()
		}
		w.result <- runResult{stats, err}
	}()
	return nil
}

// stop records the error that ended writing: the pipeline run's, if it failed.
func (w *Writer) stop(err error) error {
	_ = w.pw.CloseWithError(err)
	if res := w.wait(); res.err != nil && res.err != err {
		err = res.err
	}
	w.err = writeError(err)
	return w.err
}

// wait waits for the pipeline run to end (once) and returns how it ended.
func (w *Writer) wait() runResult {
	if w.result != nil {
		res := <-w.result
		w.result, w.stats, w.runErr = nil, res.stats, res.err
	}
	return runResult{w.stats, w.runErr}
}

// writeError describes a pipeline error as a frame's.
func writeError(err error) error {
	var pe *pipeline.Error
	if !errors.As(err, &pe) {
		return err
	}
	if pe.StageName == "write" {
		return fmt.Errorf("container: writing frame %d: %w", pe.Batch, pe.Err)
	}
	return fmt.Errorf("container: frame %d (raw bytes from offset %d): %w", pe.Batch, pe.Offset, pe.Err)
}
