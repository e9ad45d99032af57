package main

import (
	"fmt"
	"hash/crc32"
	"io"
	"time"

	binpipe "github.com/binpipe/binpipe/go-host"
	"github.com/binpipe/binpipe/go-host/container"
	"github.com/klauspost/compress/zstd"
)

// demoStagePasses is how many times the per-stage table runs over its sample after a
// warm-up pass; the rates are over all of them.
const demoStagePasses = 3

// stageTimer accumulates, per stage name in first-seen order, input bytes and time, and
// keeps one reusable output buffer per stage so that the allocator stays out of the timings.
type stageTimer struct {
	order   []string
	bytes   map[string]int64
	busy    map[string]time.Duration
	scratch map[string][]byte
}

// newStageTimer returns an empty timer.
func newStageTimer() *stageTimer {
	return &stageTimer{bytes: map[string]int64{}, busy: map[string]time.Duration{}, scratch: map[string][]byte{}}
}

// time runs f on stage name's scratch buffer (emptied), charging its time and n input bytes
// to the stage; f returns its output, which becomes the stage's scratch buffer.
func (t *stageTimer) time(name string, n int, f func(dst []byte) ([]byte, error)) ([]byte, error) {
	if _, ok := t.bytes[name]; !ok {
		t.order = append(t.order, name)
	}
	dst := t.scratch[name][:0]
	start := time.Now()
	out, err := f(dst)
	t.busy[name] += time.Since(start)
	t.bytes[name] += int64(n)
	t.scratch[name] = out
	return out, err
}

// reset forgets the times and byte counts (after a warm-up pass), keeping the buffers.
func (t *stageTimer) reset() {
	clear(t.bytes)
	clear(t.busy)
	t.order = t.order[:0]
}

// mbps is stage name's throughput.
func (t *stageTimer) mbps(name string) float64 {
	return rate(t.bytes[name], t.busy[name])
}

// demoStages times, on one core, every step the container takes for the first sampleSize
// bytes, frame by frame, with each engine: per field, extract-field then each stage of its
// chain, zstd of the column block and CRC-32C; then the way back (zstd decode, each inverse
// stage). It checks that the way back restores each column.
func demoStages(sampleSize int, h container.Header, engines ...*binpipe.Engine) ([]demoStageRow, error) {
	data := make([]byte, sampleSize)
	if _, err := io.ReadFull(newTelemetry(int64(sampleSize)), data); err != nil {
		return nil, err
	}
	enc, err := zstd.NewWriter(nil, zstd.WithEncoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	defer enc.Close()
	dec, err := zstd.NewReader(nil, zstd.WithDecoderConcurrency(1))
	if err != nil {
		return nil, err
	}
	defer dec.Close()
	timers := make([]*stageTimer, len(engines))
	for i, e := range engines {
		timers[i] = newStageTimer()
		for pass := range demoStagePasses + 1 {
			if pass == 1 {
				timers[i].reset() // pass 0 warms up: compiles, grows the buffers
			}
			for off := 0; off < len(data); off += int(h.FrameSize) {
				frame := data[off:min(off+int(h.FrameSize), len(data))]
				if err := timeFrame(timers[i], e, frame, h, enc, dec); err != nil {
					return nil, err
				}
			}
		}
	}
	var rows []demoStageRow
	for _, name := range timers[0].order {
		row := demoStageRow{Stage: name, AutoMBps: timers[0].mbps(name)}
		if len(timers) > 1 {
			row.GoMBps = timers[1].mbps(name)
		}
		rows = append(rows, row)
	}
	return rows, nil
}

// timeFrame encodes and decodes one frame's columns the way the container does, timing
// each step.
func timeFrame(t *stageTimer, e *binpipe.Engine, frame []byte, h container.Header, enc *zstd.Encoder, dec *zstd.Decoder) error {
	rs := int(h.RecordSize)
	var block []byte
	var cols [][]byte
	for _, f := range h.Fields {
		name := fmt.Sprintf("%s extract-field:%d,%d,%d", f.Name, rs, f.Offset, f.Width)
		col, err := t.time(name, len(frame), func(dst []byte) ([]byte, error) {
			return e.ExtractField(dst, frame, rs, int(f.Offset), int(f.Width))
		})
		if err != nil {
			return err
		}
		cols = append(cols, col)
		for _, s := range f.Stages {
			in := col
			if col, err = t.time(f.Name+" "+s.String(), len(in), func(dst []byte) ([]byte, error) {
				return e.RunChain(dst, in, s)
			}); err != nil {
				return err
			}
		}
		block = append(block, col...)
	}
	z, err := t.time("zstd encode (column block)", len(block), func(dst []byte) ([]byte, error) {
		return enc.EncodeAll(block, dst), nil
	})
	if err != nil {
		return err
	}
	if _, err := t.time("crc32c (raw frame)", len(frame), func(dst []byte) ([]byte, error) {
		_, err := e.CRC32C(frame, 0)
		return dst, err
	}); err != nil {
		return err
	}
	back, err := t.time("zstd decode (column block)", len(block), func(dst []byte) ([]byte, error) {
		return dec.DecodeAll(z, dst)
	})
	if err != nil {
		return err
	}
	for i, f := range h.Fields {
		n := len(cols[i]) // every chain of the preset keeps the length
		col := back[:n]
		back = back[n:]
		for j := len(f.Stages) - 1; j >= 0; j-- {
			inv, ok := f.Stages[j].Inverse()
			if !ok {
				return fmt.Errorf("field %s: stage %s has no inverse", f.Name, f.Stages[j])
			}
			in := col
			if col, err = t.time(f.Name+" "+inv.String(), len(in), func(dst []byte) ([]byte, error) {
				return e.RunChain(dst, in, inv)
			}); err != nil {
				return err
			}
		}
		if crc32.Checksum(col, castagnoliTable) != crc32.Checksum(cols[i], castagnoliTable) {
			return fmt.Errorf("field %s: decoding did not restore the column", f.Name)
		}
	}
	return nil
}
