package container

import (
	"bytes"
	"encoding/binary"
	"math"
	"testing"
)

// rng is a small deterministic generator (xorshift64*) for test data.
type rng uint64

func (r *rng) next() uint64 {
	*r ^= *r >> 12
	*r ^= *r << 25
	*r ^= *r >> 27
	return uint64(*r) * 0x2545F4914F6CDD1D
}

// intn returns a value in [0, n).
func (r *rng) intn(n int) int { return int(r.next() % uint64(n)) }

// fill fills b with pseudo-random bytes.
func (r *rng) fill(b []byte) {
	for i := range b {
		b[i] = byte(r.next() >> 56)
	}
}

// telemetry returns n contract-E telemetry records (32 bytes each), the same for the same n
// and seed: 64 sensors, timestamps ~1 ms apart with jitter, per-sensor counters, random-walk
// readings, temperatures near 21 C, flags mostly valid.
func telemetry(n int, seed uint64) []byte {
	r := rng(seed | 1)
	out := make([]byte, n*TelemetryRecordSize)
	const sensors = 64
	var seq [sensors]uint32
	var level [sensors]float64
	for i := range level {
		level[i] = 100 + float64(i)*3.5
	}
	ts := uint64(1_767_225_600_000_000_000) // 2026-01-01T00:00:00Z in ns
	for i := range n {
		rec := out[i*TelemetryRecordSize:]
		ts += 1_000_000 + uint64(r.intn(20_000)) - 10_000
		s := r.intn(sensors)
		seq[s]++
		level[s] += (float64(r.intn(2001)) - 1000) / 1000
		temp := float32(21 + float64(r.intn(400))/100 - 2)
		flags := uint32(1)
		if r.intn(50) == 0 {
			flags = 0
		}
		if r.intn(200) == 0 {
			flags |= 4
		}
		binary.LittleEndian.PutUint64(rec[0:], ts)
		binary.LittleEndian.PutUint32(rec[8:], uint32(s))
		binary.LittleEndian.PutUint32(rec[12:], seq[s])
		binary.LittleEndian.PutUint64(rec[16:], math.Float64bits(level[s]))
		binary.LittleEndian.PutUint32(rec[24:], math.Float32bits(temp))
		binary.LittleEndian.PutUint32(rec[28:], flags)
	}
	return out
}

// pack packs data with h and returns the container.
func pack(t testing.TB, data []byte, h Header, opts WriterOptions) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, err := NewWriter(&buf, h, opts)
	if err != nil {
		t.Fatalf("NewWriter: %v", err)
	}
	if _, err := w.Write(data); err != nil {
		t.Fatalf("Write: %v", err)
	}
	if err := w.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	return buf.Bytes()
}

// unpack reads a whole container.
func unpack(c []byte, opts ReaderOptions) ([]byte, error) {
	r, err := NewReader(bytes.NewReader(c), opts)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	var out bytes.Buffer
	_, err = out.ReadFrom(r)
	return out.Bytes(), err
}
