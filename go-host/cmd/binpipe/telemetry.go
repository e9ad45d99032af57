package main

import (
	"encoding/binary"
	"io"
	"math"
)

// Telemetry records (contract E): 32 bytes, little-endian.
//
//	timestamp   u64 @0   ns, increasing by about 1 ms with jitter
//	sensor_id   u32 @8
//	seq         u32 @12  per-sensor counter
//	reading     f64 @16  a random walk per sensor
//	temperature f32 @24
//	flags       u32 @28  bit 0 = valid
const telemetryRecordSize = 32

// telemetrySensors is how many sensors take turns in the generated data.
const telemetrySensors = 16

// splitMix64 is a tiny deterministic generator (Steele, Lea and Flood's SplitMix64).
type splitMix64 uint64

// next returns the next 64 random bits.
func (s *splitMix64) next() uint64 {
	*s += 0x9E3779B97F4A7C15
	z := uint64(*s)
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9
	z = (z ^ (z >> 27)) * 0x94D049BB133111EB
	return z ^ (z >> 31)
}

// telemetryReader generates a deterministic stream of telemetry records: the same size
// always gives the same bytes, so a round trip can be checked by generating them again.
type telemetryReader struct {
	remaining int64 // bytes still to produce
	rng       splitMix64
	timestamp uint64
	seq       [telemetrySensors]uint32
	reading   [telemetrySensors]float64
	pending   [telemetryRecordSize]byte // a record split by a short Read
	pendingAt int                       // bytes of pending already returned; len = none pending
}

// newTelemetry returns a reader of size bytes of records; a size that is not a multiple of
// 32 ends with a partial record.
func newTelemetry(size int64) *telemetryReader {
	t := &telemetryReader{remaining: size, rng: 0x62696e70697065, timestamp: 1_767_225_600_000_000_000, pendingAt: telemetryRecordSize}
	for i := range t.reading {
		t.reading[i] = 100 + 10*float64(i)
	}
	return t
}

// record writes the next record into r.
func (t *telemetryReader) record(r []byte) {
	x := t.rng.next()
	t.timestamp += 1_000_000 + (x & 0xffff) - 0x8000 // 1 ms ± 32.8 µs
	sensor := uint32(x>>16) % telemetrySensors
	t.seq[sensor]++
	t.reading[sensor] += float64(int16(x>>32)) / 32768 * 0.05
	temperature := float32(20+0.5*float64(sensor)) + float32(int8(x>>48))/256
	flags := uint32(1)
	if x>>56 == 0 { // about 1 record in 256 is invalid
		flags = 0
	}
	if x>>59 == 31 { // and 1 in 32 carries a warning bit
		flags |= 2
	}
	binary.LittleEndian.PutUint64(r[0:], t.timestamp)
	binary.LittleEndian.PutUint32(r[8:], sensor+1000)
	binary.LittleEndian.PutUint32(r[12:], t.seq[sensor])
	binary.LittleEndian.PutUint64(r[16:], math.Float64bits(t.reading[sensor]))
	binary.LittleEndian.PutUint32(r[24:], math.Float32bits(temperature))
	binary.LittleEndian.PutUint32(r[28:], flags)
}

// Read fills p with the next bytes of the stream.
func (t *telemetryReader) Read(p []byte) (int, error) {
	if t.remaining == 0 {
		return 0, io.EOF
	}
	if int64(len(p)) > t.remaining {
		p = p[:t.remaining]
	}
	n := 0
	if t.pendingAt < telemetryRecordSize {
		n = copy(p, t.pending[t.pendingAt:])
		t.pendingAt += n
	}
	for len(p)-n >= telemetryRecordSize {
		t.record(p[n : n+telemetryRecordSize])
		n += telemetryRecordSize
	}
	if n < len(p) {
		t.record(t.pending[:])
		t.pendingAt = copy(p[n:], t.pending[:])
		n = len(p)
	}
	t.remaining -= int64(n)
	return n, nil
}
