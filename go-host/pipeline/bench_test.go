package pipeline

import (
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"testing"
	"time"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// The benchmarks of docs/pipeline.md. From go-host/pipeline:
//
//	go test -run '^$' -bench 'Ratios' -benchtime 5x             # e2e vs slowest stage, 1 vs 2 workers
//	go test -run '^$' -bench 'BatchSize' -benchtime 20x          # the default batch size
//	go test -run '^$' -bench 'Pipeline|StageAlone' -benchtime 5x # each on its own

// benchChains are streamable kernel chains, from one cheap kernel (where the pipeline's own
// costs show most) to a few.
var benchChains = []struct {
	name    string
	kernels []binpipe.Stage
}{
	{"hex-encode", []binpipe.Stage{binpipe.HexEncodeStage(false)}},
	{"byteswap:8|base64", []binpipe.Stage{binpipe.ByteswapStage(8), binpipe.Base64EncodeStage(binpipe.AlphabetStandard, true)}},
	{"extract:32,16,8|byteswap:8|hex", []binpipe.Stage{binpipe.ExtractFieldStage(32, 16, 8), binpipe.ByteswapStage(8), binpipe.HexEncodeStage(false)}},
}

// benchInput is the bytes streamed per pipeline run.
const benchInput = 64 << 20

// benchSource is an endless stream copied from a fixed block.
type benchSource struct {
	block []byte
	pos   int
}

func newBenchSource() *benchSource {
	b := make([]byte, 1<<20+7)
	x := uint64(0x243f6a8885a308d3)
	for i := range b {
		x ^= x << 13
		x ^= x >> 7
		x ^= x << 17
		b[i] = byte(x)
	}
	return &benchSource{block: b}
}

func (s *benchSource) Read(p []byte) (int, error) {
	n := 0
	for n < len(p) {
		k := copy(p[n:], s.block[s.pos:])
		n += k
		s.pos = (s.pos + k) % len(s.block)
	}
	return n, nil
}

// benchEngine is the BackendWasm engine of the benchmarks, with the module named by
// $BINPIPE_WASM if set (a build newer than the embedded one).
func benchEngine(b *testing.B) *binpipe.Engine {
	// Room for every instance the benchmarks lease at once (slots and alone runners).
	opts := []binpipe.Option{binpipe.WithBackend(binpipe.BackendWasm), binpipe.WithPoolSize(32)}
	if path := os.Getenv("BINPIPE_WASM"); path != "" {
		bin, err := os.ReadFile(path)
		if err != nil {
			b.Fatal(err)
		}
		opts = append(opts, binpipe.WithModule(bin))
	}
	e, err := binpipe.New(context.Background(), opts...)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { e.Close() })
	return e
}

// runOnce streams benchInput bytes through p and returns the time it took.
func runOnce(b *testing.B, p *Pipeline, src io.Reader) time.Duration {
	start := time.Now()
	if _, err := p.Run(context.Background(), io.LimitReader(src, benchInput), io.Discard); err != nil {
		b.Fatal(err)
	}
	return time.Since(start)
}

// aloneRunner is a chain worker for kernels with input filled once, to time the kernels alone:
// one goroutine, no reading, no writing. The input is the batch a pipeline's chain worker
// would see: the bench source's first batch bytes run through the kernels before (prefix).
func aloneRunner(b *testing.B, e *binpipe.Engine, batch int, prefix []binpipe.Stage, kernels ...binpipe.Stage) (chainRunner, int) {
	in := make([]byte, batch)
	_, _ = newBenchSource().Read(in)
	in, err := binpipe.RunChain(nil, in, prefix...)
	if err != nil {
		b.Fatal(err)
	}
	var c chainPlan
	c.add(0, Kernels(kernels...).def())
	r, err := c.step(e, 1).newChain(len(in))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { r.Close() })
	copy(r.Input(), in)
	return r, len(in)
}

// runAlone runs r on n-byte inputs once per batch of benchInput and returns the time it took.
func runAlone(b *testing.B, r chainRunner, n, batch int) time.Duration {
	start := time.Now()
	for done := 0; done < benchInput; done += batch {
		if _, err := r.Run(n); err != nil {
			b.Fatal(err)
		}
	}
	return time.Since(start)
}

func mbps(d time.Duration) float64 { return float64(benchInput) / d.Seconds() / 1e6 }

// BenchmarkRatios measures, interleaved in each iteration so that load bursts hit all alike:
// the pipeline with 1 and with 2 workers, the whole chain alone and each of its kernels alone
// (one goroutine, no I/O, each kernel on the bytes it sees inside the chain), and reports the
// throughputs, in input bytes of the chain, and their ratios.
func BenchmarkRatios(b *testing.B) {
	e := benchEngine(b)
	batch := DefaultBatchSize
	for _, c := range benchChains {
		b.Run(c.name, func(b *testing.B) {
			src := newBenchSource()
			p1 := mustPipeline(b, Options{Workers: 1, Engine: e}, Kernels(c.kernels...))
			p2 := mustPipeline(b, Options{Workers: 2, Engine: e}, Kernels(c.kernels...))
			chain, _ := aloneRunner(b, e, batch, nil, c.kernels...)
			kernels := make([]chainRunner, len(c.kernels))
			sizes := make([]int, len(c.kernels))
			for i, k := range c.kernels {
				kernels[i], sizes[i] = aloneRunner(b, e, batch, c.kernels[:i], k)
			}
			var w1, w2, whole time.Duration
			slowest := make([]time.Duration, len(kernels))
			for b.Loop() {
				w1 += runOnce(b, p1, src)
				w2 += runOnce(b, p2, src)
				whole += runAlone(b, chain, batch, batch)
				for i, k := range kernels {
					slowest[i] += runAlone(b, k, sizes[i], batch)
				}
			}
			slow := slowest[0]
			for _, d := range slowest {
				slow = max(slow, d)
			}
			b.ReportMetric(mbps(w1/time.Duration(b.N)), "w1-MB/s")
			b.ReportMetric(mbps(w2/time.Duration(b.N)), "w2-MB/s")
			b.ReportMetric(mbps(whole/time.Duration(b.N)), "chain-alone-MB/s")
			b.ReportMetric(mbps(slow/time.Duration(b.N)), "slowest-alone-MB/s")
			b.ReportMetric(whole.Seconds()/w1.Seconds(), "w1/chain-alone")
			b.ReportMetric(slow.Seconds()/w1.Seconds(), "w1/slowest-alone")
			b.ReportMetric(slow.Seconds()/w2.Seconds(), "w2/slowest-alone")
			b.ReportMetric(w1.Seconds()/w2.Seconds(), "w2/w1")
		})
	}
}

// BenchmarkPipeline is the end-to-end throughput of each chain and worker count.
func BenchmarkPipeline(b *testing.B) {
	e := benchEngine(b)
	for _, c := range benchChains {
		for _, workers := range []int{1, 2} {
			b.Run(fmt.Sprintf("%s/workers=%d", c.name, workers), func(b *testing.B) {
				p := mustPipeline(b, Options{Workers: workers, Engine: e}, Kernels(c.kernels...))
				src := newBenchSource()
				b.SetBytes(benchInput)
				b.ReportAllocs()
				for b.Loop() {
					runOnce(b, p, src)
				}
			})
		}
	}
}

// BenchmarkStageAlone is each kernel of the chains alone: one goroutine, no I/O.
func BenchmarkStageAlone(b *testing.B) {
	e := benchEngine(b)
	for _, c := range benchChains {
		for _, k := range c.kernels {
			b.Run(k.String(), func(b *testing.B) {
				r, n := aloneRunner(b, e, DefaultBatchSize, nil, k)
				b.SetBytes(int64(n))
				b.ReportAllocs()
				for b.Loop() {
					if _, err := r.Run(n); err != nil {
						b.Fatal(err)
					}
				}
			})
		}
	}
}

// BenchmarkBatchSize measures, per batch size, the chain alone (the per-call cost against the
// caches) and the whole pipeline on every core, interleaved per iteration.
func BenchmarkBatchSize(b *testing.B) {
	e := benchEngine(b)
	c := benchChains[1]
	for size := 4 << 10; size <= 4<<20; size *= 2 {
		b.Run(fmt.Sprintf("batch=%dKiB", size>>10), func(b *testing.B) {
			p := mustPipeline(b, Options{BatchSize: size, Engine: e}, Kernels(c.kernels...))
			batch := p.BatchSize()
			r, _ := aloneRunner(b, e, batch, nil, c.kernels...)
			src := newBenchSource()
			var alone, whole time.Duration
			for b.Loop() {
				alone += runAlone(b, r, batch, batch)
				whole += runOnce(b, p, src)
			}
			b.ReportMetric(mbps(alone/time.Duration(b.N)), "chain-alone-MB/s")
			b.ReportMetric(mbps(whole/time.Duration(b.N)), fmt.Sprintf("pipeline-w%d-MB/s", runtime.GOMAXPROCS(0)))
		})
	}
}

func mustPipeline(b *testing.B, opts Options, stages ...Stage) *Pipeline {
	p, err := New(opts, stages...)
	if err != nil {
		b.Fatal(err)
	}
	return p
}

// BenchmarkFixedCosts measures what a batch costs besides its kernels: one chain call on 16
// bytes (the crossing into wasm), and a pipeline batch through a stage that returns its input
// (the hand-offs between reader, worker and writer), per batch.
func BenchmarkFixedCosts(b *testing.B) {
	e := benchEngine(b)
	b.Run("chain-call", func(b *testing.B) {
		r, _ := aloneRunner(b, e, 16, nil, binpipe.ByteswapStage(8))
		for b.Loop() {
			if _, err := r.Run(16); err != nil {
				b.Fatal(err)
			}
		}
	})
	for _, workers := range []int{1, 2} {
		b.Run(fmt.Sprintf("pipeline-batch/workers=%d", workers), func(b *testing.B) {
			const batch, batches = 1024, 4096
			identity := Func("identity", func(_, src []byte) ([]byte, error) { return src, nil })
			p := mustPipeline(b, Options{Workers: workers, BatchSize: batch}, identity)
			src := newBenchSource()
			var total time.Duration
			for b.Loop() {
				start := time.Now()
				if _, err := p.Run(context.Background(), io.LimitReader(src, batch*batches), io.Discard); err != nil {
					b.Fatal(err)
				}
				total += time.Since(start)
			}
			b.ReportMetric(float64(total.Nanoseconds())/float64(b.N*batches), "ns/batch")
		})
	}
}
