package container

import (
	"bytes"
	"io"
	"runtime"
	"testing"
)

// allocated returns the bytes f allocates.
func allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// TestMemoryDoesNotGrowWithInput checks that packing and unpacking reuse their frame buffers:
// four times the data allocates about the same, far less than the data.
func TestMemoryDoesNotGrowWithInput(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector makes sync.Pool drop buffers: allocations grow with the input there")
	}
	h := TelemetryHeader()
	h.FrameSize = 256 << 10
	small, large := telemetry(4<<20/32, 1), telemetry(16<<20/32, 1)
	packedSmall, packedLarge := pack(t, small, h, WriterOptions{}), pack(t, large, h, WriterOptions{})
	packing := func(data []byte) func() {
		return func() {
			w, err := NewWriter(io.Discard, h, WriterOptions{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write(data); err != nil {
				t.Fatal(err)
			}
			if err := w.Close(); err != nil {
				t.Fatal(err)
			}
		}
	}
	unpacking := func(c []byte) func() {
		return func() {
			r, err := NewReader(bytes.NewReader(c), ReaderOptions{Workers: 2})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := r.WriteTo(io.Discard); err != nil {
				t.Fatal(err)
			}
			r.Close()
		}
	}
	for _, c := range []struct {
		name         string
		small, large func()
	}{
		{"pack", packing(small), packing(large)},
		{"unpack", unpacking(packedSmall), unpacking(packedLarge)},
	} {
		s, l := allocated(c.small), allocated(c.large)
		// 12 MiB more input may cost per-frame bookkeeping (48 more frames), not buffers.
		if l > s+1<<20 {
			t.Errorf("%s: %d bytes allocated for 4 MiB, %d for 16 MiB: memory grows with the input", c.name, s, l)
		}
		t.Logf("%s: %d bytes allocated for 4 MiB, %d for 16 MiB", c.name, s, l)
	}
}
