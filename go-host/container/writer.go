package container

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// Writer packs a stream of records into a container. Frames are encoded by up to
// WriterOptions.Workers goroutines at once and written in order. It does not close the
// underlying writer.
type Writer struct {
	dst       io.Writer
	enc       *frameEncoder
	frameSize int
	header    Header

	sem    chan struct{} // one token per encoding goroutine
	window int
	wg     sync.WaitGroup
	cur    *encodeJob   // the frame being filled
	queue  []*encodeJob // submitted frames, in order
	free   []*encodeJob

	next   int64   // index of the next frame
	off    int64   // bytes written to dst
	totals trailer // of the frames written
	err    error   // sticky
	closed bool
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
		return nil, err
	}
	if _, err := w.Write(hdr); err != nil {
		return nil, fmt.Errorf("container: writing the header: %w", err)
	}
	return &Writer{
		dst: w, enc: enc, frameSize: l.frameSize, header: l.h.clone(),
		sem: make(chan struct{}, workers), window: window, off: int64(len(hdr)),
	}, nil
}

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

// Write appends p to the records; full frames are encoded in the background. An error from
// encoding or from the underlying writer stops the Writer: every later call returns it.
func (w *Writer) Write(p []byte) (int, error) {
	if err := w.usable(); err != nil {
		return 0, err
	}
	n := 0
	for len(p) > 0 {
		j := w.filling()
		k := min(w.frameSize-len(j.raw), len(p))
		j.raw = append(j.raw, p[:k]...)
		p, n = p[k:], n+k
		if len(j.raw) == w.frameSize {
			if err := w.submit(); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

// ReadFrom packs everything r gives until io.EOF, reading straight into the frame buffers
// (io.Copy uses it).
func (w *Writer) ReadFrom(r io.Reader) (int64, error) {
	if err := w.usable(); err != nil {
		return 0, err
	}
	var n int64
	for {
		j := w.filling()
		k, err := io.ReadFull(r, j.raw[len(j.raw):w.frameSize])
		j.raw, n = j.raw[:len(j.raw)+k], n+int64(k)
		if len(j.raw) == w.frameSize {
			if serr := w.submit(); serr != nil {
				return n, serr
			}
		}
		switch {
		case err == io.EOF || err == io.ErrUnexpectedEOF:
			return n, nil
		case err != nil:
			return n, err
		}
	}
}

// Close encodes the last, partial frame, writes every pending frame and the trailer, and
// returns the first error met. It does not close the underlying writer.
func (w *Writer) Close() error {
	if w.closed {
		return w.finalErr()
	}
	w.closed = true
	if w.err == nil && w.cur != nil && len(w.cur.raw) > 0 {
		w.err = w.submit()
	}
	for len(w.queue) > 0 && w.err == nil {
		w.err = w.flushHead()
	}
	w.wg.Wait()
	if w.err != nil {
		return w.err
	}
	t := w.totals.put(make([]byte, 0, trailerLen))
	if _, err := w.dst.Write(t); err != nil {
		w.err = fmt.Errorf("container: writing the trailer: %w", err)
		return w.err
	}
	w.off += int64(len(t))
	w.enc.close()
	return nil
}

var errClosed = errors.New("container: Writer is closed")

// usable returns the sticky error, or errClosed after Close.
func (w *Writer) usable() error {
	if w.err != nil {
		return w.err
	}
	if w.closed {
		return errClosed
	}
	return nil
}

// finalErr is what a repeated Close returns.
func (w *Writer) finalErr() error { return w.err }

// filling returns the frame being filled, taking a free one if none is.
func (w *Writer) filling() *encodeJob {
	if w.cur == nil {
		if n := len(w.free); n > 0 {
			w.cur, w.free = w.free[n-1], w.free[:n-1]
		} else {
			w.cur = &encodeJob{raw: make([]byte, 0, w.frameSize), done: make(chan struct{}, 1)}
		}
	}
	return w.cur
}

// submit starts encoding the frame being filled and, when the window is full, writes the
// oldest frame.
func (w *Writer) submit() error {
	j := w.cur
	w.cur = nil
	j.index, j.err = w.next, nil
	w.next++
	w.queue = append(w.queue, j)
	w.wg.Add(1)
	go func() {
		defer w.wg.Done()
		w.sem <- struct{}{}
		w.enc.encode(j)
		<-w.sem
		j.done <- struct{}{}
	}()
	for len(w.queue) >= w.window {
		if err := w.flushHead(); err != nil {
			w.err = err
			return err
		}
	}
	return nil
}

// flushHead waits for the oldest frame and writes it.
func (w *Writer) flushHead() error {
	j := w.queue[0]
	w.queue = append(w.queue[:0], w.queue[1:]...)
	<-j.done
	if j.err != nil {
		return j.err
	}
	for _, b := range [][]byte{j.hdr[:], j.payload} {
		if _, err := w.dst.Write(b); err != nil {
			return fmt.Errorf("container: writing frame %d at offset %d: %w", j.index, w.off, err)
		}
		w.off += int64(len(b))
	}
	rawCRC := frameRawCRC(j.hdr[:])
	w.totals.rawCRC = crc32cCombine(w.totals.rawCRC, rawCRC, uint64(len(j.raw)))
	w.totals.frames++
	w.totals.rawBytes += uint64(len(j.raw))
	j.raw = j.raw[:0]
	w.free = append(w.free, j)
	return nil
}
