package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	binpipe "github.com/binpipe/binpipe/go-host"
	"github.com/binpipe/binpipe/go-host/container"
	"github.com/binpipe/binpipe/go-host/pipeline"
	"github.com/binpipe/binpipe/go-host/plugin"
)

const packSynopsis = "binpipe pack [--telemetry | --record-size N [--field NAME:OFFSET:WIDTH[:CHAIN]]...] [--frame-size SIZE] [--compression zstd|none] [--level N] [--workers N] [--plugin FILE.wasm]... [--json] IN OUT"

const packAbout = `Encodes IN into a binpipe container (docs/format.md) written to OUT ("-": stdin, stdout).
Without flags: 1-byte records, no fields (the bytes are one raw column), 1 MiB frames, zstd.
Records are --record-size bytes; each --field's column (its bytes of every record) is
encoded by its own chain of stages, e.g. --field ts:0:8:delta-encode:8,shuffle:8; record bytes
no field covers are stored raw. --telemetry is the preset for the 32-byte demo records.
A final partial record is kept: unpack gives back IN byte for byte. With --plugin, IN first
goes through the plugins (as in run) and the container holds their output.`

// fieldFlags collects --field values.
type fieldFlags []container.Field

// String lists the fields.
func (f *fieldFlags) String() string {
	var parts []string
	for _, fl := range *f {
		parts = append(parts, fl.Name)
	}
	return strings.Join(parts, " ")
}

// Set parses NAME:OFFSET:WIDTH[:CHAIN]; the chain is binpipe.ParseChain's comma-separated
// stages, which may contain colons themselves.
func (f *fieldFlags) Set(v string) error {
	parts := strings.SplitN(v, ":", 4)
	if len(parts) < 3 || parts[0] == "" {
		return fmt.Errorf("bad field %q: want NAME:OFFSET:WIDTH[:CHAIN], e.g. ts:0:8:delta-encode:8,shuffle:8", v)
	}
	off, err1 := strconv.ParseUint(parts[1], 10, 32)
	width, err2 := strconv.ParseUint(parts[2], 10, 32)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("bad field %q: OFFSET and WIDTH must be decimal numbers", v)
	}
	fl := container.Field{Name: parts[0], Offset: uint32(off), Width: uint32(width)}
	if len(parts) == 4 {
		stages, err := binpipe.ParseChain(parts[3])
		if err != nil {
			return fmt.Errorf("field %q: %w", parts[0], err)
		}
		fl.Stages = stages
	}
	*f = append(*f, fl)
	return nil
}

// packReport is pack's and unpack's --json output.
type packReport struct {
	In             string     `json:"in"`
	Out            string     `json:"out"`
	RawBytes       int64      `json:"raw_bytes"`
	ContainerBytes int64      `json:"container_bytes"`
	Ratio          float64    `json:"ratio"` // container bytes / raw bytes
	Seconds        float64    `json:"seconds"`
	MBps           float64    `json:"mb_s"` // raw bytes per second
	Header         *headerDoc `json:"header,omitempty"`
}

// headerDoc is a container header as JSON.
type headerDoc struct {
	Version     uint16     `json:"version"`
	RecordSize  uint32     `json:"record_size"`
	FrameSize   uint32     `json:"frame_size"`
	Compression string     `json:"compression"`
	Fields      []fieldDoc `json:"fields"`
}

// fieldDoc is one field of a header as JSON.
type fieldDoc struct {
	Name   string `json:"name"`
	Offset uint32 `json:"offset"`
	Width  uint32 `json:"width"`
	Chain  string `json:"chain"`
}

// describeHeader converts h for JSON.
func describeHeader(h container.Header) *headerDoc {
	d := &headerDoc{Version: h.Version, RecordSize: h.RecordSize, FrameSize: h.FrameSize,
		Compression: h.Compression.String(), Fields: []fieldDoc{}}
	for _, f := range h.Fields {
		d.Fields = append(d.Fields, fieldDoc{Name: f.Name, Offset: f.Offset, Width: f.Width, Chain: chainString(f.Stages)})
	}
	return d
}

// chainString writes stages as ParseChain reads them.
func chainString(stages []binpipe.Stage) string {
	var parts []string
	for _, s := range stages {
		parts = append(parts, s.String())
	}
	return strings.Join(parts, ",")
}

// cmdPack encodes a file into a container.
func cmdPack(ctx context.Context, std stdio, args []string) error {
	fs, jsonOut := newFlags("pack", packSynopsis, packAbout, std)
	telemetry := fs.Bool("telemetry", false, "preset for the 32-byte telemetry records of the demo (contract E)")
	recordSize := fs.Uint("record-size", 0, "record size in bytes (default 1, or 32 with --telemetry)")
	var fields fieldFlags
	fs.Var(&fields, "field", "NAME:OFFSET:WIDTH[:CHAIN] of each record, encoded by CHAIN (repeatable)")
	frameSize := sizeFlag(0)
	fs.Var(&frameSize, "frame-size", "raw bytes per frame, a multiple of the record size (default 1MiB)")
	compression := fs.String("compression", "zstd", "zstd or none")
	level := fs.Int("level", 0, "zstd level 1 (fastest) .. 22 (smallest); 0: the encoder's default")
	workers := fs.Int("workers", 0, "frames encoded at once (0: one per CPU)")
	var plugins []stageArg
	fs.Var(stageArgs{&plugins, "plugin"}, "plugin", "run IN through this plugin (FILE.wasm[@sha256=HEX]) before packing (repeatable)")
	pos, err := parseArgs(fs, packSynopsis, args, 2, 2)
	if err != nil {
		return err
	}
	h := container.DefaultHeader()
	if *telemetry {
		if *recordSize != 0 || len(fields) > 0 {
			return usagef(packSynopsis, "--telemetry sets the record size and the fields: give it without --record-size and --field")
		}
		h = container.TelemetryHeader()
	}
	if *recordSize != 0 {
		h.RecordSize = uint32(*recordSize)
	}
	if len(fields) > 0 {
		h.Fields = fields
	}
	if frameSize != 0 {
		if frameSize > container.MaxFrameSize {
			return usagef(packSynopsis, "--frame-size %s is above the format's limit of %s", formatSize(int64(frameSize)), formatSize(container.MaxFrameSize))
		}
		h.FrameSize = uint32(frameSize)
	} else if h.FrameSize%h.RecordSize != 0 {
		h.FrameSize -= h.FrameSize % h.RecordSize // the default, rounded down to whole records
	}
	switch *compression {
	case "zstd":
		h.Compression = container.CompressionZstd
	case "none":
		h.Compression = container.CompressionNone
	default:
		return usagef(packSynopsis, "unknown --compression %q: want zstd or none", *compression)
	}

	in, out, err := openInOut(std, pos[0], pos[1])
	if err != nil {
		return err
	}
	defer in.Close()
	defer out.abort()
	engine, err := newEngine(ctx, binpipe.BackendAuto)
	if err != nil {
		return err
	}
	defer engine.Close()
	// A header the flags made invalid is bad usage; checking it against a discarding writer
	// tells it apart from an I/O error of the real output.
	check, err := container.NewWriter(io.Discard, h, container.WriterOptions{Workers: 1, Level: *level})
	if err != nil {
		return &usageError{msg: err.Error(), usage: packSynopsis}
	}
	if err := check.Close(); err != nil {
		return err
	}
	counted := &countingWriter{w: out.w}
	start := time.Now()
	w, err := container.NewWriter(counted, h, container.WriterOptions{Workers: *workers, Level: *level, Engine: engine})
	if err != nil {
		return err
	}
	bar := newProgress(std, in.size, "pack")
	n, err := feedPack(ctx, w, ctxReader{ctx, bar.reader(in.r)}, plugins, *workers, engine)
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	bar.done()
	err = cancelled(ctx, err)
	if err != nil {
		return err
	}
	if err := out.commit(); err != nil {
		return err
	}
	rep := packReport{In: in.name, Out: pos[1], RawBytes: n, ContainerBytes: counted.n,
		Seconds: time.Since(start).Seconds(), Header: describeHeader(w.Header())}
	return printPackReport(std, "pack", rep, *jsonOut)
}

// feedPack copies r into the container writer w, through the plugins if there are any; it
// returns the number of bytes read from r.
func feedPack(ctx context.Context, w io.Writer, r io.Reader, plugins []stageArg, workers int, engine *binpipe.Engine) (int64, error) {
	if len(plugins) == 0 {
		return io.Copy(w, r)
	}
	stages, closePlugins, err := buildStages(ctx, plugins, plugin.Limits{})
	if err != nil {
		return 0, err
	}
	defer closePlugins()
	p, err := pipeline.New(pipeline.Options{Workers: workers, Engine: engine}, stages...)
	if err != nil {
		return 0, err
	}
	stats, err := p.Run(ctx, r, w)
	return stats.InBytes, err
}

// cmdUnpack decodes a container back into its raw bytes.
func cmdUnpack(ctx context.Context, std stdio, args []string) error {
	const synopsis = "binpipe unpack [--workers N] [--json] IN OUT"
	fs, jsonOut := newFlags("unpack", synopsis, "Decodes the container IN into the original bytes, written to OUT (\"-\": stdin, stdout),\nchecking both CRC-32Cs of every frame. OUT appears only if everything checked out.", std)
	workers := fs.Int("workers", 0, "frames decoded at once (0: one per CPU)")
	pos, err := parseArgs(fs, synopsis, args, 2, 2)
	if err != nil {
		return err
	}
	in, out, err := openInOut(std, pos[0], pos[1])
	if err != nil {
		return err
	}
	defer in.Close()
	defer out.abort()
	engine, err := newEngine(ctx, binpipe.BackendAuto)
	if err != nil {
		return err
	}
	defer engine.Close()
	start := time.Now()
	bar := newProgress(std, in.size, "unpack")
	counted := &countingReader{r: ctxReader{ctx, bar.reader(in.r)}}
	r, err := container.NewReader(counted, container.ReaderOptions{Workers: *workers, Engine: engine})
	if err != nil {
		bar.done()
		return cancelled(ctx, err)
	}
	n, err := io.Copy(out.w, r)
	if cerr := r.Close(); err == nil {
		err = cerr
	}
	bar.done()
	err = cancelled(ctx, err)
	if err != nil {
		return err
	}
	if err := out.commit(); err != nil {
		return err
	}
	rep := packReport{In: in.name, Out: pos[1], RawBytes: n, ContainerBytes: counted.n,
		Seconds: time.Since(start).Seconds(), Header: describeHeader(r.Header())}
	return printPackReport(std, "unpack", rep, *jsonOut)
}

// printPackReport prints pack's or unpack's summary: JSON on stdout, or one line on stderr
// (stdout may be the data).
func printPackReport(std stdio, cmd string, rep packReport, jsonOut bool) error {
	if rep.RawBytes > 0 {
		rep.Ratio = float64(rep.ContainerBytes) / float64(rep.RawBytes)
	}
	if rep.Seconds > 0 {
		rep.MBps = float64(rep.RawBytes) / rep.Seconds / 1e6
	}
	if jsonOut {
		return writeJSON(std.stdout, rep)
	}
	if std.progress || rep.Out != "-" {
		fmt.Fprintf(std.stderr, "binpipe %s: %s raw, %s container (%.1f%%), %.2fs, %.0f MB/s\n", cmd,
			humanBytes(rep.RawBytes), humanBytes(rep.ContainerBytes), 100*rep.Ratio, rep.Seconds, rep.MBps)
	}
	return nil
}

// ctxReader reads from r until ctx is cancelled, then fails with ctx's error, so that a copy
// (and the parallel encoder or decoder behind it) stops at the next read.
type ctxReader struct {
	ctx context.Context
	r   io.Reader
}

// Read reads from the wrapped reader unless ctx is done.
func (c ctxReader) Read(p []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	return c.r.Read(p)
}

// cancelled prefers ctx's error to err once ctx is done: whatever a cancelled copy failed
// with, the reason is the cancellation.
func cancelled(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil {
		return ctx.Err()
	}
	return err
}

// countingWriter counts the bytes written through it.
type countingWriter struct {
	w io.Writer
	n int64
}

// Write writes p and counts what was written.
func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// countingReader counts the bytes read through it.
type countingReader struct {
	r io.Reader
	n int64
}

// Read reads into p and counts what was read.
func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
