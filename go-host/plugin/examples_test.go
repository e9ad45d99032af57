package plugin_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/binpipe/binpipe/go-host/pipeline"
	"github.com/binpipe/binpipe/go-host/plugin"
)

// The example plugins (plugins/filter, plugins/redact), built by plugins/build.sh.
const examplesDir = "../../tests/plugins/examples"

// recordSize is the telemetry record's size (contract E).
const recordSize = 32

// telemetry makes n telemetry records: timestamp u64 @0 (ns, ~1 ms apart with jitter),
// sensor_id u32 @8, seq u32 @12 (per sensor), reading f64 @16, temperature f32 @24, flags u32
// @28 (bit 0 valid, about 3 records in 4; other bits random).
func telemetry(n int, seed uint64) []byte {
	rng := rand.New(rand.NewPCG(seed, 7))
	out := make([]byte, n*recordSize)
	ts := uint64(1_700_000_000_000_000_000)
	seq := map[uint32]uint32{}
	for i := 0; i < n; i++ {
		r := out[i*recordSize:]
		ts += 1_000_000 + uint64(rng.IntN(20_000)) - 10_000
		sensor := uint32(rng.IntN(16))
		seq[sensor]++
		flags := rng.Uint32() &^ 1
		if rng.IntN(4) != 0 {
			flags |= 1
		}
		binary.LittleEndian.PutUint64(r[0:], ts)
		binary.LittleEndian.PutUint32(r[8:], sensor)
		binary.LittleEndian.PutUint32(r[12:], seq[sensor])
		binary.LittleEndian.PutUint64(r[16:], math.Float64bits(rng.NormFloat64()*100))
		binary.LittleEndian.PutUint32(r[24:], math.Float32bits(float32(20+rng.NormFloat64()*5)))
		binary.LittleEndian.PutUint32(r[28:], flags)
	}
	return out
}

// filterRef keeps the records whose flags bit 0 is set (the Go reference of plugins/filter).
func filterRef(dst, src []byte) ([]byte, error) {
	for off := 0; off+recordSize <= len(src); off += recordSize {
		if binary.LittleEndian.Uint32(src[off+28:])&1 == 1 {
			dst = append(dst, src[off:off+recordSize]...)
		}
	}
	return dst, nil
}

// redactRef zeroes sensor_id, bytes 8..12 of each record (the Go reference of plugins/redact).
func redactRef(dst, src []byte) ([]byte, error) {
	start := len(dst)
	dst = append(dst, src...)
	for off := start; off+recordSize <= len(dst); off += recordSize {
		clear(dst[off+8 : off+12])
	}
	return dst, nil
}

func loadExample(t *testing.T, name string) *plugin.Plugin {
	t.Helper()
	path := filepath.Join(examplesDir, name+".wasm")
	if _, err := os.Stat(path); errors.Is(err, os.ErrNotExist) {
		t.Skipf("%s not built yet (plugins/build.sh)", path)
	}
	p, err := plugin.LoadFile(context.Background(), path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Close(context.Background()) })
	return p
}

// TestExamplesMatchGo: the example plugins give the same bytes as their Go references, one
// call at a time (sizes 0 to 1 MiB) and through a pipeline.
func TestExamplesMatchGo(t *testing.T) {
	for _, ex := range []struct {
		name string
		ref  func(dst, src []byte) ([]byte, error)
	}{{"filter", filterRef}, {"redact", redactRef}} {
		t.Run(ex.name, func(t *testing.T) {
			p := loadExample(t, ex.name)
			if d := p.Describe(); d.Name != ex.name || d.RecordSize != recordSize {
				t.Fatalf("Describe() = %+v", d)
			}
			for _, n := range []int{0, 1, 2, 31, 1000, 32768} {
				src := telemetry(n, uint64(n))
				got, err := p.Transform(context.Background(), nil, src)
				want, _ := ex.ref(nil, src)
				if err != nil || !bytes.Equal(got, want) {
					t.Fatalf("%d records: %d bytes (%v), want %d", n, len(got), err, len(want))
				}
			}
			in := telemetry(100_000, 42)
			for _, workers := range []int{1, 4} {
				// Not a multiple of the 32-byte records: the stage makes the pipeline round it up.
				pl, err := pipeline.New(pipeline.Options{Workers: workers, BatchSize: 64<<10 + 5}, pipeline.Transform(p))
				if err != nil {
					t.Fatal(err)
				}
				if pl.BatchSize()%recordSize != 0 {
					t.Fatalf("batch size %d is not whole records", pl.BatchSize())
				}
				var out bytes.Buffer
				if _, err := pl.Run(context.Background(), bytes.NewReader(in), &out); err != nil {
					t.Fatal(err)
				}
				want, _ := ex.ref(nil, in)
				if !bytes.Equal(out.Bytes(), want) {
					t.Fatalf("pipeline with %d workers: %d bytes, want %d", workers, out.Len(), len(want))
				}
			}
		})
	}
}

// BenchmarkExamples measures the example plugins on 1 MiB batches of telemetry against
// their Go references:
//
//	go test -run XXX -bench Examples ./plugin
func BenchmarkExamples(b *testing.B) {
	src := telemetry(32768, 1)
	for _, ex := range []struct {
		name string
		ref  func(dst, src []byte) ([]byte, error)
	}{{"filter", filterRef}, {"redact", redactRef}} {
		path := filepath.Join(examplesDir, ex.name+".wasm")
		p, err := plugin.LoadFile(context.Background(), path)
		if err != nil {
			b.Skip(err)
		}
		dst := make([]byte, 0, len(src))
		b.Run(ex.name+"/plugin", func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				if _, err := p.Transform(context.Background(), dst[:0], src); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(ex.name+"/go", func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				_, _ = ex.ref(dst[:0], src)
			}
		})
		_ = p.Close(context.Background())
	}
}
