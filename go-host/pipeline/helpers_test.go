package pipeline_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/binpipe/binpipe/go-host/pipeline"
)

// randomBytes returns n bytes from a seeded generator.
func randomBytes(seed uint64, n int) []byte {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	b := make([]byte, n)
	for i := range b {
		b[i] = byte(r.Uint32())
	}
	return b
}

// xorFunc is a byte-wise stage (its result does not depend on batch boundaries).
func xorFunc(key byte) pipeline.Stage {
	return pipeline.Func("xor", func(dst, src []byte) ([]byte, error) {
		for _, c := range src {
			dst = append(dst, c^key)
		}
		return dst, nil
	})
}

// hexEncodeFunc doubles the size of every batch.
func hexEncodeFunc() pipeline.Stage {
	return pipeline.Func("hex-encode", func(dst, src []byte) ([]byte, error) {
		return hex.AppendEncode(dst, src), nil
	})
}

// hexDecodeFunc halves the size of every batch of even length.
func hexDecodeFunc() pipeline.Stage {
	return pipeline.Func("hex-decode", func(dst, src []byte) ([]byte, error) {
		return hex.AppendDecode(dst, src)
	})
}

// identityFunc returns its input itself: the pipeline must cope with a result that aliases it.
func identityFunc() pipeline.Stage {
	return pipeline.Func("identity", func(_, src []byte) ([]byte, error) { return src, nil })
}

// run runs p on in and returns the output.
func run(t *testing.T, p *pipeline.Pipeline, in []byte) ([]byte, pipeline.Stats) {
	t.Helper()
	var out bytes.Buffer
	st, err := p.Run(context.Background(), bytes.NewReader(in), &out)
	if err != nil {
		t.Fatalf("Run: %v", err)
	}
	return out.Bytes(), st
}

// mustNew builds a pipeline or fails the test.
func mustNew(t testing.TB, opts pipeline.Options, stages ...pipeline.Stage) *pipeline.Pipeline {
	t.Helper()
	p, err := pipeline.New(opts, stages...)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	return p
}

// checkNoLeak fails the test if, once settled, more goroutines run than before: the count
// may take a moment to drop (a goroutine that has signalled its end is still exiting).
func checkNoLeak(t *testing.T, before int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for {
		n := runtime.NumGoroutine()
		if n <= before {
			return
		}
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			buf = buf[:runtime.Stack(buf, true)]
			t.Fatalf("%d goroutines after the run, %d before:\n%s", n, before, buf)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// patternReader yields an endless stream, copied from a fixed random block (cheap enough to
// feed hundreds of MiB under the race detector).
type patternReader struct {
	block []byte
	pos   int
}

func newPatternReader() *patternReader { return &patternReader{block: randomBytes(7, 64<<10+13)} }

func (r *patternReader) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		k := copy(p[n:], r.block[r.pos:])
		n += k
		r.pos = (r.pos + k) % len(r.block)
	}
	return n, nil
}

// failingWriter accepts limit bytes, then fails.
type failingWriter struct {
	limit, n int
}

var errDiskFull = errors.New("disk full")

func (w *failingWriter) Write(p []byte) (int, error) {
	if w.n+len(p) > w.limit {
		k := w.limit - w.n
		w.n = w.limit
		return k, errDiskFull
	}
	w.n += len(p)
	return len(p), nil
}

// errAfterReader returns the first n bytes of data, then err.
type errAfterReader struct {
	data []byte
	err  error
}

func (r *errAfterReader) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, r.err
	}
	k := copy(p, r.data)
	r.data = r.data[k:]
	return k, nil
}

// containsLabel reports whether a goroutine profile shows a goroutine labelled
// binpipe.stage=name.
func containsLabel(profile, name string) bool {
	return strings.Contains(profile, `"binpipe.stage":"`+name+`"`)
}

// runtimeGoroutines is the goroutine count before a run, for checkNoLeak.
func runtimeGoroutines() int { return runtime.NumGoroutine() }
