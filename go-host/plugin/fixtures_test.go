package plugin_test

import (
	"bytes"
	"context"
	"encoding/binary"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/binpipe/binpipe/go-host/plugin"
)

// The hostile suite shared with the Rust host: tests/plugins/hostile/<name>.wat states, on a
// line ";; expect: <load|transform> <kind>", what the host must report for <name>.wasm.
const hostileDir = "../../tests/plugins/hostile"

// suiteLimits are the limits the suite's expectations assume (output-1000x: a 4096-byte batch,
// 1 MiB of output).
var suiteLimits = plugin.Limits{Deadline: time.Second, MaxOutput: 1 << 20}

// suiteBatch is the batch every transform gets.
var suiteBatch = bytes.Repeat([]byte("0123456789abcdef"), 4096/16)

type fixture struct {
	name, phase, kind string
	wasm              []byte
}

func readFixtures(t *testing.T) []fixture {
	t.Helper()
	wats, err := filepath.Glob(filepath.Join(hostileDir, "*.wat"))
	if err != nil || len(wats) < 15 {
		t.Fatalf("hostile fixtures in %s: %d found (%v)", hostileDir, len(wats), err)
	}
	var fs []fixture
	for _, wat := range wats {
		src, err := os.ReadFile(wat)
		if err != nil {
			t.Fatal(err)
		}
		f := fixture{name: strings.TrimSuffix(filepath.Base(wat), ".wat")}
		for _, line := range strings.Split(string(src), "\n") {
			if rest, ok := strings.CutPrefix(line, ";; expect: "); ok {
				if w := strings.Fields(rest); len(w) == 2 {
					f.phase, f.kind = w[0], w[1]
				}
			}
		}
		if f.phase == "" {
			t.Fatalf("%s: no expect line", wat)
		}
		if f.wasm, err = os.ReadFile(strings.TrimSuffix(wat, ".wat") + ".wasm"); err != nil {
			t.Fatal(err)
		}
		fs = append(fs, f)
	}
	return fs
}

// limitsFor are the suite's limits, except for the two fixtures whose work is in wazero's Go
// code, not in the plugin: stack-overflow (wazero grows a call's stack by copying it, up to
// ~50 MB) and grow-bomb (each memory.grow may reallocate the memory). Each takes ~0.1 s, but
// seconds under the race detector on a busy machine, so they get a longer deadline to show
// their kind rather than a timeout.
func limitsFor(name string) plugin.Limits {
	lim := suiteLimits
	if name == "stack-overflow" || name == "grow-bomb" {
		lim.Deadline = 30 * time.Second
	}
	return lim
}

// TestHostileFixtures: every fixture gives its kind, in the phase it names, within twice its
// deadline plus a second, with the heap it allocated bounded; failed instances are replaced
// (the counter probe) and a healthy plugin still works after each.
func TestHostileFixtures(t *testing.T) {
	ctx := context.Background()
	var control []byte
	for _, f := range readFixtures(t) {
		if f.name == "control" {
			control = f.wasm
		}
	}
	healthy, err := plugin.Load(ctx, control, plugin.WithLimits(suiteLimits))
	if err != nil {
		t.Fatal(err)
	}
	defer healthy.Close(ctx)

	for _, f := range readFixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			lim := limitsFor(f.name)
			bound := 2*lim.Deadline + time.Second
			var before runtime.MemStats
			runtime.ReadMemStats(&before)
			start := time.Now()
			p, err := plugin.Load(ctx, f.wasm, plugin.WithLimits(lim), plugin.WithPoolSize(1))
			if f.phase == "load" {
				if kindOf(err) != f.kind {
					t.Fatalf("Load: %v (kind %q), want kind %s", err, kindOf(err), f.kind)
				}
				t.Logf("Load: %v", err)
			} else {
				if err != nil {
					t.Fatalf("Load: %v", err)
				}
				defer p.Close(ctx)
				if f.name == "counter" {
					checkCounter(t, p)
				} else {
					for i := 0; i < 2; i++ { // the second call runs on a fresh instance if the first failed
						got, err := p.Transform(ctx, nil, suiteBatch)
						want := f.kind
						if want == "ok" {
							want = ""
							if !bytes.Equal(got, suiteBatch) {
								t.Errorf("call %d: %d bytes back, want the batch", i, len(got))
							}
						}
						if kindOf(err) != want || (want == "" && err != nil) {
							t.Fatalf("call %d: %v (kind %q), want kind %s", i, err, kindOf(err), f.kind)
						}
						if i == 0 && err != nil {
							t.Logf("Transform: %v", err)
						}
					}
				}
			}
			took := time.Since(start)
			var after runtime.MemStats
			runtime.ReadMemStats(&after)
			alloc := after.TotalAlloc - before.TotalAlloc
			t.Logf("took %v, allocated %d MiB", took, alloc>>20)
			if took > bound {
				t.Errorf("took %v, bound %v", took, bound)
			}
			if alloc > 512<<20 {
				t.Errorf("allocated %d MiB", alloc>>20)
			}
			if got, err := healthy.Transform(ctx, nil, []byte("still here")); err != nil || string(got) != "still here" {
				t.Errorf("healthy plugin afterwards: %q, %v", got, err)
			}
		})
	}
}

// checkCounter: calls 1 and 2 count, an empty batch traps, and the next call answers 1
// because it runs on a fresh instance.
func checkCounter(t *testing.T, p *plugin.Plugin) {
	ctx := context.Background()
	for _, want := range []uint32{1, 2} {
		got, err := p.Transform(ctx, nil, []byte("x"))
		if err != nil || len(got) != 4 || binary.LittleEndian.Uint32(got) != want {
			t.Fatalf("call %d: % x, %v", want, got, err)
		}
	}
	if _, err := p.Transform(ctx, nil, nil); kindOf(err) != "trap" {
		t.Fatalf("empty batch: %v, want a trap", err)
	}
	got, err := p.Transform(ctx, nil, []byte("x"))
	if err != nil || len(got) != 4 || binary.LittleEndian.Uint32(got) != 1 {
		t.Fatalf("after the trap: % x, %v; want 1 from a fresh instance", got, err)
	}
}
