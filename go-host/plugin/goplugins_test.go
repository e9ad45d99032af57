package plugin_test

import (
	"bytes"
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/binpipe/binpipe/go-host/plugin"
)

// goPlugins caches the Go plugins built by buildGoPlugin, by source directory.
var goPlugins sync.Map

// buildGoPlugin builds the Go plugin in dir (GOOS=wasip1 GOARCH=wasm, c-shared) with the
// machine's Go, once per test binary, and returns the module.
func buildGoPlugin(t *testing.T, dir string) []byte {
	t.Helper()
	type result struct {
		once sync.Once
		wasm []byte
		err  error
	}
	v, _ := goPlugins.LoadOrStore(dir, &result{})
	r := v.(*result)
	r.once.Do(func() {
		out, err := os.MkdirTemp("", "binpipe-goplugin")
		if err != nil {
			r.err = err
			return
		}
		defer os.RemoveAll(out)
		path := filepath.Join(out, "plugin.wasm")
		cmd := exec.Command("go", "build", "-buildmode=c-shared", "-trimpath", "-o", path, ".")
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "GOOS=wasip1", "GOARCH=wasm", "CGO_ENABLED=0")
		if msg, err := cmd.CombinedOutput(); err != nil {
			r.err = errors.New(string(msg))
			return
		}
		r.wasm, r.err = os.ReadFile(path)
	})
	if r.err != nil {
		t.Fatalf("building the Go plugin %s: %v", dir, r.err)
	}
	return r.wasm
}

var wasi = plugin.WithLimits(plugin.Limits{WASI: true})

// TestGoFilterMatchesRustAndGo: the Go example plugin (plugins/go/filter, on the Go SDK,
// under the minimal WASI) describes itself as the Rust one does and gives the same bytes as
// the Rust filter under wazero, the Go reference, and the committed wasmtime output.
func TestGoFilterMatchesRustAndGo(t *testing.T) {
	ctx := context.Background()
	goFilter, err := plugin.Load(ctx, buildGoPlugin(t, "../../plugins/go/filter"), wasi)
	if err != nil {
		t.Fatal(err)
	}
	defer goFilter.Close(ctx)
	rust := loadExample(t, "filter")
	if g, r := goFilter.Describe(), rust.Describe(); g != r {
		t.Fatalf("Go describes %+v, Rust %+v", g, r)
	}
	in, err := os.ReadFile(filepath.Join(examplesDir, "telemetry.bin"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(examplesDir, "filter.out"))
	if err != nil {
		t.Fatal(err)
	}
	if got, err := goFilter.Transform(ctx, nil, in); err != nil || !bytes.Equal(got, want) {
		t.Fatalf("telemetry.bin: %d bytes, %v; want filter.out's %d", len(got), err, len(want))
	}
	for _, n := range []int{0, 1, 2, 31, 1000, 32768} {
		src := telemetry(n, uint64(100+n))
		ref, _ := filterRef(nil, src)
		g, gerr := goFilter.Transform(ctx, nil, src)
		r, rerr := rust.Transform(ctx, nil, src)
		if gerr != nil || rerr != nil || !bytes.Equal(g, ref) || !bytes.Equal(r, ref) {
			t.Fatalf("%d records: Go %d bytes (%v), Rust %d bytes (%v), reference %d", n, len(g), gerr, len(r), rerr, len(ref))
		}
	}
}

// TestGoPluginNeedsWASI: without Limits.WASI a Go plugin is refused at load, naming its
// WASI imports.
func TestGoPluginNeedsWASI(t *testing.T) {
	_, err := plugin.Load(context.Background(), buildGoPlugin(t, "../../plugins/go/filter"))
	var perr *plugin.Error
	if !errors.As(err, &perr) || perr.Kind != plugin.KindLoad || !strings.Contains(perr.Msg, "wasi_snapshot_preview1.fd_write") {
		t.Fatalf("Load without WASI: %v", err)
	}
}

// TestGoProbe: a Go plugin's panic (a trap with the panic in the log), os.Exit, printed output, plugin error and sleep under
// the minimal WASI, each on the same Plugin (pool of one), which replaces the instance after
// an exit and keeps it otherwise.
func TestGoProbe(t *testing.T) {
	ctx := context.Background()
	p, err := plugin.Load(ctx, buildGoPlugin(t, "testdata/goprobe"), wasi, plugin.WithPoolSize(1))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	for _, c := range []struct {
		first   byte
		kind    plugin.Kind // 0: no error
		code    uint32
		offset  int64
		logPart string
	}{
		{0x01, 0, 0, -1, ""},
		{0xff, plugin.KindTrap, 0, -1, "panic: goprobe: boom"}, // a reactor's panic prints, then traps
		{0x02, 0, 0, -1, ""},
		{0xfe, plugin.KindPlugin, 0, 3, "goprobe: refusing the batch"},
		{0xfd, 0, 0, -1, ""},
		{0xfc, plugin.KindExit, 3, -1, ""},
		{0x03, 0, 0, -1, ""},
	} {
		batch := []byte{c.first, 1, 2, 3, 4}
		start := time.Now()
		got, err := p.Transform(ctx, nil, batch)
		if took := time.Since(start); c.first == 0xfd && took > p.Limits().Deadline {
			t.Errorf("the hour's sleep took %v", took)
		}
		if c.kind == 0 {
			if err != nil || !bytes.Equal(got, batch) {
				t.Fatalf("%#x: %q, %v; want the batch back", c.first, got, err)
			}
			continue
		}
		var perr *plugin.Error
		if !errors.As(err, &perr) || perr.Kind != c.kind || perr.Code != c.code || perr.Offset != c.offset || !strings.Contains(perr.Log, c.logPart) {
			t.Fatalf("%#x: %v (log %q); want kind %v, code %d, offset %d, log with %q", c.first, err, perrLog(perr), c.kind, c.code, c.offset, c.logPart)
		}
	}
}

// TestGoRuntimeStartsOncePerInstance: on a pool of one instance, the probe's call counter
// (a package variable) counts every call, so the Go runtime and the init functions ran once.
func TestGoRuntimeStartsOncePerInstance(t *testing.T) {
	ctx := context.Background()
	p, err := plugin.Load(ctx, buildGoPlugin(t, "testdata/goprobe"), wasi, plugin.WithPoolSize(1))
	if err != nil {
		t.Fatal(err)
	}
	defer p.Close(ctx)
	for want := byte(1); want <= 5; want++ {
		got, err := p.Transform(ctx, nil, []byte{0xfa})
		if err != nil || len(got) != 1 || got[0] != want {
			t.Fatalf("call %d: %v, %v; want the count %d", want, got, err, want)
		}
	}
}

func perrLog(e *plugin.Error) string {
	if e == nil {
		return ""
	}
	return e.Log
}

// TestTransformStats: a call's fuel grows with its batch, and its memory is the instance's.
func TestTransformStats(t *testing.T) {
	ctx := context.Background()
	p := loadExample(t, "filter")
	_, small, err := p.TransformStats(ctx, nil, telemetry(10, 1))
	if err != nil {
		t.Fatal(err)
	}
	_, large, err := p.TransformStats(ctx, nil, telemetry(10000, 2))
	if err != nil {
		t.Fatal(err)
	}
	if small.Fuel == 0 || large.Fuel <= small.Fuel || large.Fuel >= p.Limits().Fuel {
		t.Errorf("fuel: %d for 10 records, %d for 10000", small.Fuel, large.Fuel)
	}
	if small.MemoryBytes == 0 || small.MemoryBytes%65536 != 0 || large.MemoryBytes < 10000*32 {
		t.Errorf("memory: %d, %d", small.MemoryBytes, large.MemoryBytes)
	}
}
