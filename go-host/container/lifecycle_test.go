package container

import (
	"bytes"
	"errors"
	"io"
	"runtime"
	"strings"
	"testing"
	"time"
)

// failingWriter accepts limit bytes, then fails.
type failingWriter struct{ limit int }

var errDiskFull = errors.New("disk full")

func (f *failingWriter) Write(p []byte) (int, error) {
	if len(p) > f.limit {
		n := f.limit
		f.limit = 0
		return n, errDiskFull
	}
	f.limit -= len(p)
	return len(p), nil
}

// settled waits until the goroutine count is back to at most n, or fails.
func settled(t *testing.T, n int) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > n {
		if time.Now().After(deadline) {
			buf := make([]byte, 1<<20)
			t.Fatalf("%d goroutines left, had %d:\n%s", runtime.NumGoroutine(), n, buf[:runtime.Stack(buf, true)])
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestWriterUnderlyingWriteError(t *testing.T) {
	before := runtime.NumGoroutine()
	h := TelemetryHeader()
	h.FrameSize = 32 * 64
	data := telemetry(10000, 2)
	for _, workers := range []int{1, 2, 16} {
		w, err := NewWriter(&failingWriter{limit: 5000}, h, WriterOptions{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		_, werr := w.Write(data)
		cerr := w.Close()
		if cerr == nil || !errors.Is(cerr, errDiskFull) || !strings.Contains(cerr.Error(), "writing frame") {
			t.Fatalf("%d workers: Write gave %v, Close gave %v; want the disk-full error naming the frame", workers, werr, cerr)
		}
		if werr != nil && !errors.Is(werr, errDiskFull) {
			t.Fatalf("%d workers: Write gave %v", workers, werr)
		}
		if _, err := w.Write([]byte{1}); err == nil {
			t.Fatalf("%d workers: Write after a failure succeeded", workers)
		}
	}
	settled(t, before)
}

func TestWriterSourceReadError(t *testing.T) {
	before := runtime.NumGoroutine()
	w, err := NewWriter(io.Discard, DefaultHeader(), WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	src := io.MultiReader(bytes.NewReader(make([]byte, 3<<20)), &errReader{})
	if _, err := w.ReadFrom(src); !errors.Is(err, errBroken) {
		t.Fatalf("ReadFrom gave %v, want the source's error", err)
	}
	if err := w.Close(); err == nil {
		t.Fatal("Close after a failed ReadFrom succeeded")
	}
	settled(t, before)
}

var errBroken = errors.New("broken source")

type errReader struct{}

func (errReader) Read([]byte) (int, error) { return 0, errBroken }

func TestReaderCloseMidStream(t *testing.T) {
	before := runtime.NumGoroutine()
	h := TelemetryHeader()
	h.FrameSize = 32 * 256
	c := pack(t, telemetry(100000, 4), h, WriterOptions{})
	for _, workers := range []int{1, 2, 16} {
		r, err := NewReader(bytes.NewReader(c), ReaderOptions{Workers: workers})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.CopyN(io.Discard, r, 100000); err != nil {
			t.Fatal(err)
		}
		r.Close()
		if _, err := r.Read(make([]byte, 1)); err == nil {
			t.Fatal("Read after Close succeeded")
		}
	}
	settled(t, before)
}

func TestWriterStatsAndProgress(t *testing.T) {
	h := TelemetryHeader()
	h.FrameSize = 32 * 1024
	data := telemetry(10*1024+7, 5)
	var calls int
	var lastRaw int64
	var buf bytes.Buffer
	w, err := NewWriter(&buf, h, WriterOptions{Workers: 2, Progress: func(raw, _ int64) { calls, lastRaw = calls+1, raw }})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	st := w.Stats()
	if st.Batches != 11 || st.InBytes != int64(len(data)) || calls != 11 || lastRaw != int64(len(data)) {
		t.Fatalf("stats %+v, %d progress calls, last %d; want 11 frames of %d bytes", st, calls, lastRaw, len(data))
	}
}
