package container

import (
	"bytes"
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/klauspost/compress/zstd"
)

// plainZstd compresses data as one zstd stream at the default level.
func plainZstd(t testing.TB, data []byte) int {
	var buf bytes.Buffer
	zw, err := zstd.NewWriter(&buf)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := zw.Write(data); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Len()
}

// TestTelemetrySmallerThanPlainZstd checks what the telemetry layout is for: its fields,
// delta-encoded and shuffled per column, compress better than the records as they are.
func TestTelemetrySmallerThanPlainZstd(t *testing.T) {
	data := telemetry(8<<20/TelemetryRecordSize, 1)
	packed := pack(t, data, TelemetryHeader(), WriterOptions{})
	plain := plainZstd(t, data)
	if len(packed) >= plain {
		t.Fatalf("telemetry container %d bytes, plain zstd %d bytes", len(packed), plain)
	}
	t.Logf("8 MiB telemetry: container %d bytes (%.2fx), plain zstd %d bytes (%.2fx)",
		len(packed), float64(len(data))/float64(len(packed)), plain, float64(len(data))/float64(plain))
}

// BenchmarkTelemetry packs and unpacks 64 MiB of telemetry records (contract E) with the
// telemetry layout and with the default one, with 1 worker and with GOMAXPROCS, and reports
// sizes next to plain zstd of the same bytes:
//
//	go test -run '^$' -bench Telemetry -benchtime 5x
func BenchmarkTelemetry(b *testing.B) {
	data := telemetry(64<<20/TelemetryRecordSize, 1)
	plain := plainZstd(b, data)
	for _, c := range []struct {
		name string
		h    Header
	}{{"telemetry-layout", TelemetryHeader()}, {"default", DefaultHeader()}} {
		packed := pack(b, data, c.h, WriterOptions{})
		for _, workers := range []int{1, runtime.GOMAXPROCS(0)} {
			b.Run(fmt.Sprintf("pack/%s/workers-%d", c.name, workers), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					w, err := NewWriter(io.Discard, c.h, WriterOptions{Workers: workers})
					if err != nil {
						b.Fatal(err)
					}
					if _, err := w.ReadFrom(bytes.NewReader(data)); err != nil {
						b.Fatal(err)
					}
					if err := w.Close(); err != nil {
						b.Fatal(err)
					}
				}
				b.ReportMetric(float64(len(packed)), "container-bytes")
				b.ReportMetric(float64(plain), "plain-zstd-bytes")
			})
			b.Run(fmt.Sprintf("unpack/%s/workers-%d", c.name, workers), func(b *testing.B) {
				b.SetBytes(int64(len(data)))
				for b.Loop() {
					r, err := NewReader(bytes.NewReader(packed), ReaderOptions{Workers: workers})
					if err != nil {
						b.Fatal(err)
					}
					if _, err := r.WriteTo(io.Discard); err != nil {
						b.Fatal(err)
					}
					r.Close()
				}
			})
		}
	}
}
