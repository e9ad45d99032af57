package main

import (
	"io"
	"time"

	"github.com/schollz/progressbar/v3"
)

// progress draws a byte-count progress bar on stderr, or nothing when stderr is not a
// terminal. A nil *progress is valid and draws nothing.
type progress struct {
	bar *progressbar.ProgressBar
}

// newProgress starts a bar for total bytes (-1 if unknown) when std allows one.
func newProgress(std stdio, total int64, what string) *progress {
	if !std.progress {
		return nil
	}
	return &progress{bar: progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(std.stderr),
		progressbar.OptionSetDescription(what),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(30),
		progressbar.OptionThrottle(100*time.Millisecond),
		progressbar.OptionShowCount(),
		progressbar.OptionClearOnFinish(),
	)}
}

// add advances the bar by n bytes.
func (p *progress) add(n int) {
	if p != nil && n > 0 {
		_ = p.bar.Add(n) // drawing errors (a closed terminal) must not fail the work
	}
}

// done removes the bar from the terminal.
func (p *progress) done() {
	if p != nil {
		_ = p.bar.Finish()
		_ = p.bar.Clear()
	}
}

// reader wraps r so that every byte read advances the bar.
func (p *progress) reader(r io.Reader) io.Reader {
	if p == nil {
		return r
	}
	return &progressReader{r: r, p: p}
}

// progressReader counts the bytes read through it into a progress bar.
type progressReader struct {
	r io.Reader
	p *progress
}

// Read reads from the wrapped reader and advances the bar.
func (r *progressReader) Read(b []byte) (int, error) {
	n, err := r.r.Read(b)
	r.p.add(n)
	return n, err
}
