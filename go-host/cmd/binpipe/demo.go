package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"runtime"
	"text/tabwriter"
	"time"

	binpipe "github.com/binpipe/binpipe/go-host"
	"github.com/binpipe/binpipe/go-host/container"
	"github.com/klauspost/compress/zstd"
)

const demoSynopsis = "binpipe demo [--size 256MiB] [--workers N] [--dir DIR] [--json] | binpipe demo --emit OUT [--size 256MiB]"

const demoAbout = `The main job, end to end: generates --size bytes of deterministic 32-byte telemetry records
(timestamp, sensor id, per-sensor sequence, reading, temperature, flags), packs them with the
telemetry preset (delta + shuffle per field, zstd) into a temporary file in --dir, unpacks it
and checks the round trip byte for byte; then compresses the same bytes with plain zstd, and
does everything again with the pure-Go kernels (no wasm). Prints MB/s (10^6 raw bytes per
second) end to end and per stage, and the sizes. Per-stage rates are one core on the first
16 MiB; end to end uses --workers cores. --emit OUT only writes the generated records to OUT
("-": stdout), for measuring pack and unpack on them.`

// demoSampleSize is how much of the data the per-stage table runs on.
const demoSampleSize = 16 << 20

// demoReport is demo's --json output.
type demoReport struct {
	Size        int64          `json:"size"`
	Records     int64          `json:"records"`
	Workers     int            `json:"workers"`
	FrameSize   int            `json:"frame_size"`
	Runs        []demoRun      `json:"runs"`
	ZstdBytes   int64          `json:"plain_zstd_bytes"`
	ZstdSeconds float64        `json:"plain_zstd_seconds"`
	ZstdMBps    float64        `json:"plain_zstd_mb_s"`
	SampleSize  int            `json:"stage_sample_size"`
	Stages      []demoStageRow `json:"stages"`
}

// demoRun is one backend's pack and unpack of the whole data set.
type demoRun struct {
	Backend        string  `json:"backend"`
	ContainerBytes int64   `json:"container_bytes"`
	PackSeconds    float64 `json:"pack_seconds"`
	PackMBps       float64 `json:"pack_mb_s"`
	UnpackSeconds  float64 `json:"unpack_seconds"`
	UnpackMBps     float64 `json:"unpack_mb_s"`
	RoundTrip      bool    `json:"round_trip_identical"`
}

// demoStageRow is one stage of the per-stage table.
type demoStageRow struct {
	Stage    string  `json:"stage"`
	AutoMBps float64 `json:"auto_mb_s"`
	GoMBps   float64 `json:"go_mb_s"`
}

// cmdDemo runs the demo.
func cmdDemo(ctx context.Context, std stdio, args []string) error {
	fs, jsonOut := newFlags("demo", demoSynopsis, demoAbout, std)
	size := sizeFlag(256 << 20)
	fs.Var(&size, "size", "bytes of telemetry records to generate (rounded down to whole records)")
	workers := fs.Int("workers", 0, "frames encoded or decoded at once (0: one per CPU)")
	dir := fs.String("dir", "", "directory for the temporary container (default: the system's)")
	emit := fs.String("emit", "", "write the generated records to this file instead of running the demo")
	if _, err := parseArgs(fs, demoSynopsis, args, 0, 0); err != nil {
		return err
	}
	n := int64(size) - int64(size)%telemetryRecordSize
	if *emit != "" {
		return emitTelemetry(ctx, std, *emit, n)
	}
	h := container.TelemetryHeader()
	rep := demoReport{Size: n, Records: n / telemetryRecordSize, Workers: *workers, FrameSize: int(h.FrameSize), SampleSize: int(min(n, demoSampleSize))}
	if rep.Workers <= 0 {
		rep.Workers = runtime.GOMAXPROCS(0)
	}
	auto, err := newEngine(ctx, binpipe.BackendAuto)
	if err != nil {
		return err
	}
	defer auto.Close()
	goEngine, err := binpipe.New(ctx, binpipe.WithBackend(binpipe.BackendGo))
	if err != nil {
		return err
	}
	defer goEngine.Close()

	tmp, err := os.CreateTemp(*dir, "binpipe-demo-*.bp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	defer tmp.Close()

	bar := newProgress(std, 5*n, "demo")
	defer bar.done()
	for _, b := range []struct {
		name string
		e    *binpipe.Engine
	}{{"auto (default dispatch)", auto}, {"pure Go (BackendGo)", goEngine}} {
		run, err := demoRoundTrip(ctx, tmp, n, h, b.e, *workers, bar)
		if err != nil {
			return fmt.Errorf("%s: %w", b.name, err)
		}
		run.Backend = b.name
		rep.Runs = append(rep.Runs, run)
	}
	start := time.Now()
	zbytes, err := plainZstd(ctx, bar.reader(newTelemetry(n)))
	if err != nil {
		return err
	}
	rep.ZstdBytes, rep.ZstdSeconds = zbytes, time.Since(start).Seconds()
	rep.ZstdMBps = float64(n) / rep.ZstdSeconds / 1e6
	if rep.Stages, err = demoStages(rep.SampleSize, h, auto, goEngine); err != nil {
		return err
	}
	bar.done()
	if *jsonOut {
		return writeJSON(std.stdout, rep)
	}
	return printDemo(std, rep)
}

// emitTelemetry writes n bytes of generated records to path.
func emitTelemetry(ctx context.Context, std stdio, path string, n int64) error {
	out, err := createOutput(std, path)
	if err != nil {
		return err
	}
	defer out.abort()
	bar := newProgress(std, n, "emit")
	_, err = io.Copy(out.w, ctxReader{ctx, bar.reader(newTelemetry(n))})
	bar.done()
	if err = cancelled(ctx, err); err != nil {
		return err
	}
	return out.commit()
}

// demoRoundTrip packs n generated bytes into f with engine e, unpacks f and compares the
// result with the generator's bytes.
func demoRoundTrip(ctx context.Context, f *os.File, n int64, h container.Header, e *binpipe.Engine, workers int, bar *progress) (demoRun, error) {
	var run demoRun
	if err := f.Truncate(0); err != nil {
		return run, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return run, err
	}
	start := time.Now()
	w, err := container.NewWriter(f, h, container.WriterOptions{Workers: workers, Engine: e})
	if err != nil {
		return run, err
	}
	_, err = io.Copy(w, ctxReader{ctx, bar.reader(newTelemetry(n))})
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err = cancelled(ctx, err); err != nil {
		return run, fmt.Errorf("pack: %w", err)
	}
	run.PackSeconds = time.Since(start).Seconds()
	if run.ContainerBytes, err = f.Seek(0, io.SeekCurrent); err != nil {
		return run, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return run, err
	}
	start = time.Now()
	r, err := container.NewReader(ctxReader{ctx, f}, container.ReaderOptions{Workers: workers, Engine: e})
	if err != nil {
		return run, fmt.Errorf("unpack: %w", cancelled(ctx, err))
	}
	cmp := &compareWriter{want: bar.reader(newTelemetry(n))}
	_, err = io.Copy(cmp, r)
	r.Close()
	if err = cancelled(ctx, err); err != nil {
		return run, fmt.Errorf("unpack: %w", err)
	}
	if err := cmp.finish(); err != nil {
		return run, err
	}
	run.UnpackSeconds = time.Since(start).Seconds()
	run.RoundTrip = true
	run.PackMBps = float64(n) / run.PackSeconds / 1e6
	run.UnpackMBps = float64(n) / run.UnpackSeconds / 1e6
	return run, nil
}

// compareWriter checks that the bytes written to it are exactly want's.
type compareWriter struct {
	want io.Reader
	buf  []byte
	off  int64
}

// Write compares p with the next len(p) bytes of want.
func (c *compareWriter) Write(p []byte) (int, error) {
	if cap(c.buf) < len(p) {
		c.buf = make([]byte, len(p))
	}
	ref := c.buf[:len(p)]
	k, _ := io.ReadFull(c.want, ref)
	if k < len(p) || !bytes.Equal(ref, p) {
		i := 0
		for i < k && ref[i] == p[i] {
			i++
		}
		return i, fmt.Errorf("round trip differs from the original at offset %d", c.off+int64(i))
	}
	c.off += int64(len(p))
	return len(p), nil
}

// finish fails if want has bytes that were never written.
func (c *compareWriter) finish() error {
	if k, _ := io.ReadFull(c.want, make([]byte, 1)); k != 0 {
		return fmt.Errorf("round trip is shorter than the original: %d bytes", c.off)
	}
	return nil
}

// plainZstd returns the size of r compressed as one zstd stream at the default level, the
// baseline the container is compared with.
func plainZstd(ctx context.Context, r io.Reader) (int64, error) {
	cw := &countingWriter{w: io.Discard}
	zw, err := zstd.NewWriter(cw)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(zw, ctxReader{ctx, r})
	if cerr := zw.Close(); err == nil {
		err = cerr
	}
	return cw.n, cancelled(ctx, err)
}

// printDemo prints the demo's report as tables.
func printDemo(std stdio, rep demoReport) error {
	w := std.stdout
	fmt.Fprintf(w, "binpipe demo: %s of telemetry (%d records of %d bytes), frames of %s, %d workers\n\n",
		humanBytes(rep.Size), rep.Records, telemetryRecordSize, formatSize(int64(rep.FrameSize)), rep.Workers)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "end to end\tpack MB/s\tunpack MB/s\tcontainer\tround trip\t\n")
	for _, r := range rep.Runs {
		same := "identical"
		if !r.RoundTrip {
			same = "DIFFERS"
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%s\t%s\t\n", r.Backend, r.PackMBps, r.UnpackMBps, humanBytes(r.ContainerBytes), same)
	}
	fmt.Fprintf(tw, "plain zstd (same bytes, default level)\t%.0f\t\t%s\t\t\n", rep.ZstdMBps, humanBytes(rep.ZstdBytes))
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(rep.Runs) > 0 && rep.ZstdBytes > 0 && rep.Size > 0 {
		c := rep.Runs[0].ContainerBytes
		fmt.Fprintf(w, "\nsize: container %.1f%% of the raw bytes, plain zstd %.1f%%: the container is %.2fx smaller than zstd alone\n",
			100*float64(c)/float64(rep.Size), 100*float64(rep.ZstdBytes)/float64(rep.Size), float64(rep.ZstdBytes)/float64(c))
	}
	if len(rep.Runs) == 2 && rep.Runs[1].PackMBps > 0 && rep.Runs[1].UnpackMBps > 0 {
		fmt.Fprintf(w, "auto vs pure Go: pack %.2fx, unpack %.2fx\n",
			rep.Runs[0].PackMBps/rep.Runs[1].PackMBps, rep.Runs[0].UnpackMBps/rep.Runs[1].UnpackMBps)
	}
	fmt.Fprintf(w, "\nper stage (one core, first %s, MB/s of each stage's input):\n", formatSize(int64(rep.SampleSize)))
	tw = tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "stage\tauto MB/s\tgo MB/s\tauto/go\t\n")
	for _, s := range rep.Stages {
		ratio := "-"
		if s.GoMBps > 0 {
			ratio = fmt.Sprintf("%.2fx", s.AutoMBps/s.GoMBps)
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%.0f\t%s\t\n", s.Stage, s.AutoMBps, s.GoMBps, ratio)
	}
	return tw.Flush()
}
