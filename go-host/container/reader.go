package container

import (
	"errors"
	"fmt"
	"io"
	"sync"
)

// Reader unpacks a container: Read gives the records back. Frames are read in order,
// decoded by up to ReaderOptions.Workers goroutines at once, and each is checked (payload
// CRC, raw CRC, structure) before any of its bytes is returned; the trailer is checked
// before io.EOF. Every problem in the data is a *FormatError.
//
// Unlike the Writer, the Reader does not run on go-host/pipeline: a pipeline cuts its input
// into batches of one fixed size, while frames have variable encoded lengths that only their
// headers give. The Reader reads frames in order on the caller's goroutine (so no goroutine is
// ever blocked on the source), decodes up to Workers of them at once, and keeps at most Window
// frames in flight.
type Reader struct {
	src    io.Reader
	dec    *frameDecoder
	header Header

	sem    chan struct{}
	window int
	wg     sync.WaitGroup
	queue  []*decodeJob // frames read, in order
	free   []*decodeJob
	cur    *decodeJob // the frame being returned
	pos    int

	off      int64   // bytes consumed from src
	next     int64   // index of the next frame
	seen     trailer // what the frame headers add up to
	shortAt  int64   // offset of the previous frame's raw length if it was short, else -1
	pending  error   // the error that ends reading, once the queue is drained
	finished bool    // the trailer was read, or pending is set
	err      error   // sticky: returned by every later call
	closed   bool
}

// NewReader reads and checks the container header from r.
func NewReader(r io.Reader, opts ReaderOptions) (*Reader, error) {
	var prefix [headerPrefixLen]byte
	if n, err := io.ReadFull(r, prefix[:]); err != nil {
		return nil, readError(err, -1, int64(n), fmt.Sprintf("header: truncated after %d of %d bytes", n, headerPrefixLen))
	}
	n, fe := checkPrefix(prefix[:])
	if fe != nil {
		return nil, fe
	}
	b, got, err := readGrow(r, append(make([]byte, 0, 256), prefix[:]...), n)
	if err != nil {
		return nil, readError(err, -1, int64(got), fmt.Sprintf("header: truncated after %d of %d bytes", got, n))
	}
	maxFrame := opts.MaxFrameSize
	if maxFrame == 0 {
		maxFrame = MaxFrameSize
	}
	l, fe := parseHeader(b, maxFrame)
	if fe != nil {
		return nil, fe
	}
	workers, window := concurrency(opts.Workers, opts.Window)
	return &Reader{
		src: r, header: l.h,
		dec: &frameDecoder{l: l, run: chainOf(opts.Engine), workers: workers},
		sem: make(chan struct{}, workers), window: window, off: int64(n), shortAt: -1,
	}, nil
}

// readError turns an error of the underlying reader at offset off into a truncation
// FormatError (msg) if it is an early end of file, else wraps it.
func readError(err error, frame, off int64, msg string) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &FormatError{Frame: frame, Offset: off, Msg: msg}
	}
	return fmt.Errorf("container: reading at offset %d: %w", off, err)
}

// readGrow reads until b holds n bytes, growing it as data arrives (so a length field that
// promises more than the input holds costs at most twice the input). A buffer that grows gets
// a quarter more than n, so that the next, slightly larger, frames fit it too. It returns b,
// the total length read, and the error that stopped it early.
func readGrow(r io.Reader, b []byte, n int) ([]byte, int, error) {
	for len(b) < n {
		if len(b) == cap(b) {
			nb := make([]byte, len(b), min(n+n/4, max(2*cap(b), 64<<10)))
			copy(nb, b)
			b = nb
		}
		k, err := io.ReadFull(r, b[len(b):min(n, cap(b))])
		b = b[:len(b)+k]
		if err != nil {
			return b, len(b), err
		}
	}
	return b, len(b), nil
}

// Header returns the container's header.
func (r *Reader) Header() Header { return r.header.clone() }

// Read fills p with unpacked records. It returns io.EOF after the last frame once the
// trailer has been checked.
func (r *Reader) Read(p []byte) (int, error) {
	for {
		if r.cur != nil && r.pos < len(r.cur.raw) {
			n := copy(p, r.cur.raw[r.pos:])
			r.pos += n
			return n, nil
		}
		if err := r.nextFrame(); err != nil {
			return 0, err
		}
	}
}

// WriteTo writes every unpacked record to w straight from the frame buffers (io.Copy uses it).
func (r *Reader) WriteTo(w io.Writer) (int64, error) {
	var total int64
	for {
		if r.cur != nil && r.pos < len(r.cur.raw) {
			n, err := w.Write(r.cur.raw[r.pos:])
			r.pos += n
			total += int64(n)
			if err != nil {
				return total, err
			}
		}
		if err := r.nextFrame(); err != nil {
			if err == io.EOF {
				return total, nil
			}
			return total, err
		}
	}
}

// Close stops decoding and waits for the decoding goroutines. It does not close the
// underlying reader.
func (r *Reader) Close() error {
	if !r.closed {
		r.closed = true
		r.wg.Wait()
		r.dec.close()
		r.cur, r.queue, r.free = nil, nil, nil
		r.err = errReaderClosed
	}
	return nil
}

var errReaderClosed = errors.New("container: Reader is closed")

// nextFrame makes the next decoded frame current, reading ahead to keep the window full.
func (r *Reader) nextFrame() error {
	if r.err != nil {
		return r.err
	}
	if r.cur != nil {
		r.free = append(r.free, r.cur)
		r.cur = nil
	}
	for !r.finished && len(r.queue) < r.window {
		r.fetch()
	}
	if len(r.queue) == 0 {
		r.err = r.pending
		return r.err
	}
	j := r.queue[0]
	r.queue = append(r.queue[:0], r.queue[1:]...)
	<-j.done
	if j.err != nil {
		r.err = j.err
		return r.err
	}
	r.cur, r.pos = j, 0
	return nil
}

// fail ends reading with err once the frames before it are delivered.
func (r *Reader) fail(err error) {
	r.pending, r.finished = err, true
}

// fetch reads the next frame and starts decoding it, or reads and checks the trailer.
func (r *Reader) fetch() {
	var tag [4]byte
	n, err := io.ReadFull(r.src, tag[:])
	if err != nil {
		msg := fmt.Sprintf("truncated: no trailer after frame %d", r.next-1)
		if r.next == 0 {
			msg = "truncated: no frame or trailer after the header"
		}
		if n > 0 {
			msg = fmt.Sprintf("truncated: %d bytes of a frame or trailer tag", n)
		}
		r.fail(readError(err, -1, r.off+int64(n), msg))
		return
	}
	switch tag {
	case frameTag:
		r.fetchFrame(tag)
	case trailerTag:
		r.fetchTrailer(tag)
	default:
		r.fail(&FormatError{Frame: r.next, Offset: r.off, Msg: fmt.Sprintf("bad tag % x: neither a frame (% x) nor the trailer (% x)", tag, frameTag, trailerTag)})
	}
}

// fetchFrame reads the frame whose tag was just read and starts decoding it.
func (r *Reader) fetchFrame(tag [4]byte) {
	index, off := r.next, r.off
	if r.shortAt >= 0 {
		r.fail(&FormatError{Frame: index - 1, Offset: r.shortAt, Msg: fmt.Sprintf("raw length below the frame size %d, but a frame follows (only the last frame may be short)", r.dec.l.frameSize)})
		return
	}
	var b [frameHeaderLen]byte
	copy(b[:], tag[:])
	if n, err := io.ReadFull(r.src, b[4:]); err != nil {
		r.fail(readError(err, index, off+4+int64(n), fmt.Sprintf("truncated: frame header ends after %d of %d bytes", 4+n, frameHeaderLen)))
		return
	}
	fh, fe := parseFrameHeader(b[:], r.dec.l, index, off)
	if fe != nil {
		r.fail(fe)
		return
	}
	j := r.job()
	var n int
	var err error
	j.payload, n, err = readGrow(r.src, j.payload[:0], int(fh.encLen))
	if err != nil {
		r.free = append(r.free, j)
		r.fail(readError(err, index, off+frameHeaderLen+int64(n), fmt.Sprintf("truncated: payload ends after %d of %d bytes", n, fh.encLen)))
		return
	}
	r.off += frameHeaderLen + int64(fh.encLen)
	r.next++
	if int(fh.rawLen) < r.dec.l.frameSize {
		r.shortAt = off + 8
	}
	r.seen.frames++
	r.seen.rawBytes += uint64(fh.rawLen)
	r.seen.rawCRC = crc32cCombine(r.seen.rawCRC, fh.rawCRC, uint64(fh.rawLen))
	j.index, j.off, j.fh, j.err = index, off, fh, nil
	r.queue = append(r.queue, j)
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		r.sem <- struct{}{}
		if fe := r.dec.decode(j); fe != nil {
			j.err = fe
		}
		<-r.sem
		j.done <- struct{}{}
	}()
}

// fetchTrailer reads and checks the trailer whose tag was just read, then checks that
// nothing follows it.
func (r *Reader) fetchTrailer(tag [4]byte) {
	var b [trailerLen]byte
	copy(b[:], tag[:])
	if n, err := io.ReadFull(r.src, b[4:]); err != nil {
		r.fail(readError(err, -1, r.off+4+int64(n), fmt.Sprintf("truncated: trailer ends after %d of %d bytes", 4+n, trailerLen)))
		return
	}
	if fe := checkTrailer(b[:], r.seen, r.off); fe != nil {
		r.fail(fe)
		return
	}
	r.off += trailerLen
	var one [1]byte
	if n, err := io.ReadFull(r.src, one[:]); n > 0 {
		r.fail(&FormatError{Frame: -1, Offset: r.off, Msg: "data follows the trailer"})
		return
	} else if err != io.EOF {
		r.fail(fmt.Errorf("container: reading at offset %d: %w", r.off, err))
		return
	}
	r.fail(io.EOF)
}

// job returns a free decode job, or a new one.
func (r *Reader) job() *decodeJob {
	if n := len(r.free); n > 0 {
		j := r.free[n-1]
		r.free = r.free[:n-1]
		return j
	}
	return &decodeJob{done: make(chan struct{}, 1)}
}
