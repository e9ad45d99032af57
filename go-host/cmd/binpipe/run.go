package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	binpipe "github.com/binpipe/binpipe/go-host"
	"github.com/binpipe/binpipe/go-host/pipeline"
	"github.com/binpipe/binpipe/go-host/plugin"
)

const runSynopsis = "binpipe run (--stage SPEC | --plugin FILE.wasm[@sha256=HEX])... [--workers N] [--batch-size SIZE] [--plugin-deadline 2s] [--plugin-memory 16MiB] [--json] IN OUT"

const runAbout = `Streams IN through the stages in the order given and writes OUT ("-": stdin, stdout).
A --stage is a kernel, written as binpipe.ParseStage reads it: byteswap:4, hex-encode,
hex-encode:upper, hex-decode, base64-encode:url,nopad, base64-decode, extract-field:32,8,4,
varint-encode, varint-decode, bitpack:12, delta-encode:8, shuffle:8, ... Consecutive kernel
stages run as one chain call per batch inside the wasm module. Only stages whose result does
not depend on where the stream is cut into batches can stream; the others (shuffle,
unshuffle, delta-*, bitunpack) are refused: use pack, which encodes whole frames.
A --plugin is a sandboxed wasm stage (binpipe:plugin@0.1.0, docs/plugins.md), optionally
pinned by its SHA-256 as FILE.wasm@sha256=HEX; its record size, if any, is honoured by making
every batch whole records. A plugin that fails (trap, timeout, memory, its own error) stops the
run with exit status 1, naming the batch, the stage and the kind of failure.`

// stageArg is one --stage or --plugin, in command-line order.
type stageArg struct {
	kernel string // a ParseStage spec, or ""
	plugin string // a .wasm path, or ""
}

// stageArgs collects --stage and --plugin flags into one ordered list.
type stageArgs struct {
	list *[]stageArg
	kind string // "stage" or "plugin"
}

// String lists the values (for flag's help).
func (s stageArgs) String() string {
	if s.list == nil {
		return ""
	}
	var parts []string
	for _, a := range *s.list {
		parts = append(parts, a.kernel+a.plugin)
	}
	return strings.Join(parts, " ")
}

// Set appends one stage.
func (s stageArgs) Set(v string) error {
	if v == "" {
		return errors.New("empty " + s.kind)
	}
	if s.kind == "plugin" {
		*s.list = append(*s.list, stageArg{plugin: v})
	} else {
		*s.list = append(*s.list, stageArg{kernel: v})
	}
	return nil
}

// runReport is run's --json output.
type runReport struct {
	In        string       `json:"in"`
	Out       string       `json:"out"`
	InBytes   int64        `json:"in_bytes"`
	OutBytes  int64        `json:"out_bytes"`
	Batches   int64        `json:"batches"`
	BatchSize int          `json:"batch_size"`
	Seconds   float64      `json:"seconds"`
	MBps      float64      `json:"mb_s"`
	Stages    []stageStats `json:"stages"`
}

// stageStats is one stage's share of a run.
type stageStats struct {
	Name     string  `json:"name"`
	Batches  int64   `json:"batches"`
	InBytes  int64   `json:"in_bytes"`
	OutBytes int64   `json:"out_bytes"`
	BusyS    float64 `json:"busy_s"`
	MBps     float64 `json:"mb_s"` // input bytes per busy second
}

// cmdRun streams a file through kernel and plugin stages.
func cmdRun(ctx context.Context, std stdio, args []string) error {
	fs, jsonOut := newFlags("run", runSynopsis, runAbout, std)
	var order []stageArg
	fs.Var(stageArgs{&order, "stage"}, "stage", "a kernel stage, e.g. byteswap:4 (repeatable; order matters)")
	fs.Var(stageArgs{&order, "plugin"}, "plugin", "a plugin stage: path of a .wasm module (repeatable; order matters)")
	workers := fs.Int("workers", 0, "batches processed at once (0: one per CPU)")
	deadline := fs.Duration("plugin-deadline", plugin.DefaultDeadline, "the longest one plugin call may take")
	memory := sizeFlag(plugin.DefaultMemoryPages << 16)
	fs.Var(&memory, "plugin-memory", "the most linear memory a plugin may have (multiple of 64KiB)")
	var batch sizeFlag
	fs.Var(&batch, "batch-size", "bytes per batch (default: the pipeline's, rounded to whole records and the kernels' alignment)")
	pos, err := parseArgs(fs, runSynopsis, args, 2, 2)
	if err != nil {
		return err
	}
	if len(order) == 0 {
		return usagef(runSynopsis, "no stages: give at least one --stage or --plugin")
	}
	if *deadline <= 0 {
		return usagef(runSynopsis, "--plugin-deadline must be positive")
	}
	if memory <= 0 || memory%(64<<10) != 0 || memory > 4<<30 {
		return usagef(runSynopsis, "--plugin-memory must be a positive multiple of 64KiB, at most 4GiB")
	}
	limits := plugin.Limits{Deadline: *deadline, MemoryPages: uint32(memory >> 16)}
	stages, closePlugins, err := buildStages(ctx, order, limits)
	if err != nil {
		return err
	}
	defer closePlugins()
	engine, err := newEngine(ctx, binpipe.BackendAuto)
	if err != nil {
		return err
	}
	defer engine.Close()
	// New rounds the batch size (0: the default) up to the kernels' stream alignment and the
	// plugins' record sizes.
	p, err := pipeline.New(pipeline.Options{Workers: *workers, BatchSize: int(batch), Engine: engine}, stages...)
	if err != nil {
		return &usageError{msg: err.Error() + streamHint(err), usage: runSynopsis}
	}

	in, out, err := openInOut(std, pos[0], pos[1])
	if err != nil {
		return err
	}
	defer in.Close()
	defer out.abort()
	bar := newProgress(std, in.size, "run")
	stats, err := p.Run(ctx, bar.reader(in.r), out.w)
	bar.done()
	if err != nil {
		return describeRunError(err)
	}
	if err := out.commit(); err != nil {
		return err
	}
	rep := runReport{In: in.name, Out: pos[1], InBytes: stats.InBytes, OutBytes: stats.OutBytes,
		Batches: stats.Batches, BatchSize: p.BatchSize(), Seconds: stats.Elapsed.Seconds(),
		MBps: rate(stats.InBytes, stats.Elapsed)}
	for _, s := range stats.Stages {
		rep.Stages = append(rep.Stages, stageStats{Name: s.Name, Batches: s.Batches, InBytes: s.InBytes,
			OutBytes: s.OutBytes, BusyS: s.Busy.Seconds(), MBps: rate(s.InBytes, s.Busy)})
	}
	if *jsonOut {
		return writeJSON(std.stdout, rep)
	}
	if out.final == "-" {
		return nil // the data went to stdout; the summary would corrupt it
	}
	fmt.Fprintf(std.stderr, "binpipe run: %s -> %s: %s in, %s out, %d batches of %s, %.2fs (%.0f MB/s)\n",
		rep.In, rep.Out, humanBytes(rep.InBytes), humanBytes(rep.OutBytes), rep.Batches,
		formatSize(int64(rep.BatchSize)), rep.Seconds, rep.MBps)
	return nil
}

// buildStages turns the command line's stages into pipeline stages: consecutive kernels go
// into one Kernels stage, each plugin is loaded.
func buildStages(ctx context.Context, order []stageArg, limits plugin.Limits) (stages []pipeline.Stage, closeAll func(), err error) {
	var closers []func()
	closeAll = func() {
		for _, c := range closers {
			c()
		}
	}
	defer func() {
		if err != nil {
			closeAll()
		}
	}()
	var kernels []binpipe.Stage
	flush := func() {
		if len(kernels) > 0 {
			stages = append(stages, pipeline.Kernels(kernels...))
			kernels = nil
		}
	}
	for _, a := range order {
		if a.kernel != "" {
			s, err := binpipe.ParseStage(a.kernel)
			if err != nil {
				return nil, closeAll, usagef(runSynopsis, "--stage %v", err)
			}
			kernels = append(kernels, s)
			continue
		}
		flush()
		st, closePlugin, err := loadPlugin(ctx, a.plugin, limits)
		if err != nil {
			return nil, closeAll, err
		}
		closers = append(closers, closePlugin)
		stages = append(stages, st)
	}
	flush()
	return stages, closeAll, nil
}

// streamHint is what a pipeline.New error adds for run's user: a kernel stage refused as
// streamed (a *binpipe.ChainError from its stream alignment) still works in pack.
func streamHint(err error) string {
	var ce *binpipe.ChainError
	if errors.As(err, &ce) {
		return " (run streams its input in batches; pack encodes such stages frame by frame)"
	}
	return ""
}

// describeRunError keeps the pipeline's error, which names the batch, the stage and the
// input offset; context cancellation passes through as such.
func describeRunError(err error) error {
	if errors.Is(err, context.Canceled) {
		return context.Canceled
	}
	return err
}
