package container

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// FuzzReader feeds arbitrary bytes to the Reader: it must return the data or a *FormatError,
// never panic, never another error (the source is in memory), and agree with Verify.
//
//	go test -run '^$' -fuzz FuzzReader -fuzztime 1m
func FuzzReader(f *testing.F) {
	for _, comp := range []Compression{CompressionZstd, CompressionNone} {
		c, _ := smallContainer(f, comp)
		f.Add(c)
		f.Add(c[:len(c)/2])
	}
	f.Add(pack(f, []byte("hello, container"), DefaultHeader(), WriterOptions{}))
	f.Add(pack(f, nil, DefaultHeader(), WriterOptions{}))
	f.Add(pack(f, telemetry(10, 1), TelemetryHeader(), WriterOptions{}))
	f.Fuzz(func(t *testing.T, c []byte) {
		got, err := unpack(c, ReaderOptions{Workers: 2, Window: 3})
		var fe *FormatError
		if err != nil && !errors.As(err, &fe) {
			t.Fatalf("got %v (%T), want nil or a *FormatError", err, err)
		}
		if fe != nil && (fe.Offset < 0 || fe.Offset > int64(len(c))) {
			t.Fatalf("offset %d outside the %d-byte input: %v", fe.Offset, len(c), fe)
		}
		sum, verr := Verify(bytes.NewReader(c))
		if (err == nil) != (verr == nil) {
			t.Fatalf("Reader says %v, Verify says %v", err, verr)
		}
		if err == nil && (sum.RawBytes != int64(len(got)) || sum.ContainerBytes != int64(len(c))) {
			t.Fatalf("summary %+v for %d bytes out of %d", sum, len(got), len(c))
		}
	})
}

// TestReaderErrorsAreSticky checks that a Reader that failed keeps failing the same way.
func TestReaderErrorsAreSticky(t *testing.T) {
	c, _ := smallContainer(t, CompressionZstd)
	c[len(c)-40] ^= 1 // in the last payload
	r, err := NewReader(bytes.NewReader(c), ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	_, err1 := io.Copy(io.Discard, r)
	_, err2 := r.Read(make([]byte, 10))
	var fe *FormatError
	if !errors.As(err1, &fe) || err2 != err1 || fe.Frame != 2 {
		t.Fatalf("first error %v, then %v; want the same *FormatError about frame 2", err1, err2)
	}
}
