package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/binpipe/binpipe/go-host/plugin"
)

const pluginSynopsis = "binpipe plugin check [--wasi] [--sample FILE] [--calls N] [--json] FILE.wasm | binpipe plugin new --lang go|rust [--sdk DIR] DIR"

const pluginAbout = `new writes a buildable plugin project (the SDK's example: returns each batch) with a test
into DIR, named after DIR; --sdk points it at a local copy of the SDK (plugins/go/sdk or
plugins/sdk of the binpipe repository) instead of the published package.

check loads the plugin module under the default limits (with --wasi, also the minimal
virtual WASI that Go plugins need), prints its description, then runs the sample (or a
generated batch of 64 KiB, cut to whole records) --calls times and reports the time, fuel and
memory of each call. A module the host refuses exits 1 with the load error.`

// checkCall is one call of plugin check.
type checkCall struct {
	Nanos       int64  `json:"nanos"`
	Fuel        uint64 `json:"fuel"`
	MemoryBytes uint32 `json:"memory_bytes"`
	OutputBytes int    `json:"output_bytes"`
}

// checkReport is what plugin check found.
type checkReport struct {
	Plugin      plugin.Description `json:"description"`
	LoadNanos   int64              `json:"load_nanos"`
	SampleBytes int                `json:"sample_bytes"`
	Calls       []checkCall        `json:"calls"`
}

// cmdPlugin is "binpipe plugin check".
func cmdPlugin(ctx context.Context, std stdio, args []string) error {
	if len(args) > 0 && args[0] == "new" {
		fs, _ := newFlags("plugin new", pluginSynopsis, pluginAbout, std)
		lang := fs.String("lang", "", "go or rust")
		sdk := fs.String("sdk", "", "a local SDK directory to depend on")
		pos, err := parseArgs(fs, pluginSynopsis, args[1:], 1, 1)
		if err != nil {
			return err
		}
		if err := newPlugin(*lang, pos[0], *sdk); err != nil {
			return err
		}
		_, err = fmt.Fprintf(std.stdout, "wrote a %s plugin project in %s\n", *lang, pos[0])
		return err
	}
	if len(args) == 0 || args[0] != "check" {
		return usagef(pluginSynopsis, "want the subcommand check or new")
	}
	fs, jsonOut := newFlags("plugin check", pluginSynopsis, pluginAbout, std)
	wasi := fs.Bool("wasi", false, "grant the minimal virtual WASI (Go plugins need it)")
	sample := fs.String("sample", "", "a file to use as the batch (default: generated)")
	calls := fs.Int("calls", 3, "how many calls to make")
	pos, err := parseArgs(fs, pluginSynopsis, args[1:], 1, 1)
	if err != nil {
		return err
	}
	if *calls < 1 {
		return usagef(pluginSynopsis, "--calls must be at least 1")
	}
	start := time.Now()
	p, err := plugin.LoadFile(ctx, pos[0], plugin.WithLimits(plugin.Limits{WASI: *wasi}), plugin.WithPoolSize(1))
	if err != nil {
		return fmt.Errorf("%s: %w", pos[0], err)
	}
	defer p.Close(context.Background())
	rep := checkReport{Plugin: p.Describe(), LoadNanos: time.Since(start).Nanoseconds()}
	batch, err := checkBatch(*sample, p.Describe())
	if err != nil {
		return err
	}
	rep.SampleBytes = len(batch)
	var out []byte
	for range *calls {
		t := time.Now()
		var stats plugin.CallStats
		out, stats, err = p.TransformStats(ctx, out[:0], batch)
		if err != nil {
			return fmt.Errorf("%s: %w", pos[0], err)
		}
		rep.Calls = append(rep.Calls, checkCall{time.Since(t).Nanoseconds(), stats.Fuel, stats.MemoryBytes, len(out)})
	}
	if *jsonOut {
		return writeJSON(std.stdout, rep)
	}
	d := rep.Plugin
	fmt.Fprintf(std.stdout, "%s: plugin %q version %q, record size %d, max batch %d; loaded in %v\n",
		pos[0], d.Name, d.Version, d.RecordSize, d.MaxBatch, time.Duration(rep.LoadNanos).Round(time.Microsecond))
	for i, c := range rep.Calls {
		fmt.Fprintf(std.stdout, "call %d: %d bytes -> %d bytes in %v, fuel %d, memory %d KiB\n",
			i+1, rep.SampleBytes, c.OutputBytes, time.Duration(c.Nanos).Round(time.Microsecond), c.Fuel, c.MemoryBytes>>10)
	}
	return nil
}

// checkBatch is the sample file, or 64 KiB of generated telemetry records cut to whole records of d.
func checkBatch(sample string, d plugin.Description) ([]byte, error) {
	if sample != "" {
		b, err := os.ReadFile(sample)
		if err != nil {
			return nil, err
		}
		if rs := int(d.RecordSize); rs != 0 && len(b)%rs != 0 {
			return nil, errors.New("--sample " + sample + ": not a whole number of the plugin's records")
		}
		return b, nil
	}
	b, err := io.ReadAll(newTelemetry(64 << 10))
	if err != nil {
		return nil, err
	}
	if rs := int(d.RecordSize); rs != 0 {
		b = b[:len(b)-len(b)%rs]
	}
	return b, nil
}
