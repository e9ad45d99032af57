package plugin_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/binpipe/binpipe/go-host/plugin"
)

// The hostile suite shared with the Rust host: tests/plugins/hostile/<name>.wat states, on a
// line ";; expect: <load|transform> <kind>", what the host must report for <name>.wasm, and
// tests/plugins/limits.json the conditions every fixture runs under and the bounds it must
// keep.
const (
	hostileDir   = "../../tests/plugins/hostile"
	contractFile = "../../tests/plugins/limits.json"
	// fixtureEnv names the one fixture a child test process runs.
	fixtureEnv = "BINPIPE_HOSTILE_FIXTURE"
)

// suite is the "suite" object of limits.json.
type suite struct {
	MemoryPages      uint32 `json:"memory_pages"`
	DeadlineMs       int    `json:"deadline_ms"`
	MaxOutput        int    `json:"max_output"`
	BatchBytes       int    `json:"batch_bytes"`
	MaxLoadMs        int    `json:"max_load_ms"`
	CallSlackMs      int    `json:"call_slack_ms"`
	MaxStallMs       int    `json:"max_stall_ms"`
	MaxHostGrowthMiB int    `json:"max_host_growth_mib"`
}

func readSuite(t *testing.T) suite {
	t.Helper()
	raw, err := os.ReadFile(contractFile)
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Suite suite `json:"suite"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	return c.Suite
}

func (s suite) limits() plugin.Limits {
	return plugin.Limits{MemoryPages: s.MemoryPages, Deadline: ms(s.DeadlineMs), MaxOutput: s.MaxOutput}
}

func (s suite) batch() []byte {
	b := make([]byte, s.BatchBytes)
	for i := range b {
		b[i] = "0123456789abcdef"[i%16]
	}
	return b
}

func ms(n int) time.Duration { return time.Duration(n) * time.Millisecond }

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

// TestHostileFixtures runs every fixture in a child process of its own (this test binary,
// running TestHostileFixture with fixtureEnv set), one after the other, so that a fixture that
// crashes, hangs or exhausts memory fails alone and cannot hide another.
func TestHostileFixtures(t *testing.T) {
	if os.Getenv(fixtureEnv) != "" {
		t.Skip("in a fixture's child process")
	}
	s := readSuite(t)
	for _, f := range readFixtures(t) {
		t.Run(f.name, func(t *testing.T) {
			// the child's own bounds are checked inside; this one catches a hang
			ctx, cancel := context.WithTimeout(context.Background(), 4*ms(s.DeadlineMs+s.CallSlackMs+s.MaxLoadMs)+30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestHostileFixture$", "-test.v", "-test.count=1")
			cmd.Env = append(os.Environ(), fixtureEnv+"="+f.name)
			out, err := cmd.CombinedOutput()
			if err != nil || !bytes.Contains(out, []byte("--- PASS: TestHostileFixture ")) {
				t.Fatalf("child process: %v\n%s", err, out)
			}
			sc := bufio.NewScanner(bytes.NewReader(out))
			for sc.Scan() {
				if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, "fixtures_test.go") {
					t.Log(line)
				}
			}
		})
	}
}

// TestHostileFixture runs the fixture fixtureEnv names (see TestHostileFixtures): its phase
// and kind; Load within suite.max_load_ms; each call within the deadline plus
// suite.call_slack_ms; the host's resident memory growing at most suite.max_host_growth_mib;
// no stall of the host's goroutines above suite.max_stall_ms while the hostile code runs
// (stallDetector); and a healthy plugin's call succeeding afterwards.
func TestHostileFixture(t *testing.T) {
	name := os.Getenv(fixtureEnv)
	if name == "" {
		t.Skip("run by TestHostileFixtures in a child process")
	}
	s := readSuite(t)
	var f, control fixture
	for _, g := range readFixtures(t) {
		if g.name == name {
			f = g
		}
		if g.name == "control" {
			control = g
		}
	}
	if f.name == "" {
		t.Fatalf("no fixture %q", name)
	}
	ctx := context.Background()
	lim := s.limits()
	healthy, err := plugin.Load(ctx, control.wasm, plugin.WithLimits(lim))
	if err != nil {
		t.Fatal(err)
	}
	defer healthy.Close(ctx)

	rss0 := residentBytes()
	// The stall detector watches the hostile code run: Load for a fixture refused while
	// loading (its start function or describe), the calls for the others.
	stall := startStallDetector()
	start := time.Now()
	p, err := plugin.Load(ctx, f.wasm, plugin.WithLimits(lim), plugin.WithPoolSize(1))
	took := time.Since(start)
	t.Logf("Load %v: %s", took.Round(time.Millisecond), short(err))
	if bound := raceLoadFactor * ms(s.MaxLoadMs); took > bound {
		t.Errorf("Load took %v, bound %v", took, bound)
	}
	if f.phase == "load" {
		if kindOf(err) != f.kind {
			t.Errorf("Load: kind %q, want %s", kindOf(err), f.kind)
		}
	} else {
		if err != nil {
			t.Fatalf("Load: %v", err)
		}
		defer p.Close(ctx)
		_ = stall.stop()
		stall = startStallDetector()
		if f.name == "counter" {
			checkCounter(t, p)
		} else {
			batch := s.batch()
			for i := 0; i < 2; i++ { // the second call runs on a fresh instance if the first failed
				start := time.Now()
				got, err := p.Transform(ctx, nil, batch)
				took := time.Since(start)
				t.Logf("call %d %v: %d bytes, %s", i, took.Round(time.Millisecond), len(got), short(err))
				if want := f.kind; kindOf(err) != want && !(want == "ok" && err == nil) {
					t.Errorf("call %d: kind %q, want %s", i, kindOf(err), want)
				}
				if f.name == "control" && !bytes.Equal(got, batch) {
					t.Errorf("call %d: %d bytes back, want the batch", i, len(got))
				}
				if bound := ms(s.DeadlineMs + s.CallSlackMs); took > bound {
					t.Errorf("call %d took %v, bound %v", i, took, bound)
				}
			}
		}
	}
	gap := stall.stop()
	growth := max(residentPeak()-rss0, 0)
	t.Logf("longest stall %v, resident memory growth %d MiB", gap.Round(time.Millisecond), growth>>20)
	if gap > ms(s.MaxStallMs) {
		t.Errorf("the host stalled for %v, bound %d ms", gap, s.MaxStallMs)
	}
	if bound := raceMemoryFactor * s.MaxHostGrowthMiB; growth > int64(bound)<<20 {
		t.Errorf("resident memory grew by %d MiB, bound %d MiB", growth>>20, bound)
	}
	if got, err := healthy.Transform(ctx, nil, []byte("still here")); err != nil || string(got) != "still here" {
		t.Errorf("healthy plugin afterwards: %q, %v", got, err)
	}
}

// short is err's message cut to 200 bytes (a plugin's message may be long).
func short(err error) string {
	if err == nil {
		return "ok"
	}
	s := err.Error()
	if len(s) > 200 {
		s = s[:200] + "..."
	}
	return s
}

// stallDetector measures how long the host's goroutines can be kept from running: a goroutine
// ticking every 5 ms records the longest gap between two ticks. Each tick allocates, so that
// garbage collections keep happening; a collection stops every goroutine until the one
// running wasm reaches Go again, so wasm that runs long without yielding shows as a gap.
type stallDetector struct {
	quit chan struct{}
	gap  chan time.Duration
}

// sink keeps the detector's allocations from being optimised away.
var sink []byte

func startStallDetector() *stallDetector {
	d := &stallDetector{quit: make(chan struct{}), gap: make(chan time.Duration)}
	ready := make(chan struct{})
	go func() {
		tick := time.NewTicker(5 * time.Millisecond)
		defer tick.Stop()
		var longest time.Duration
		last := time.Now()
		close(ready)
		for {
			select {
			case <-d.quit:
				d.gap <- max(longest, time.Since(last))
				return
			case now := <-tick.C:
				longest = max(longest, now.Sub(last))
				last = now
				sink = make([]byte, 256<<10)
			}
		}
	}()
	<-ready
	return d
}

// stop ends the detector and returns the longest gap it saw.
func (d *stallDetector) stop() time.Duration {
	close(d.quit)
	return <-d.gap
}

// residentBytes is the process's resident memory now; residentPeak its peak so far (Linux:
// VmRSS, VmHWM; elsewhere the Go runtime's memory from the OS, which bounds the heap).
func residentBytes() int64 { return procStatus("VmRSS:") }
func residentPeak() int64  { return procStatus("VmHWM:") }

func procStatus(field string) int64 {
	if raw, err := os.ReadFile("/proc/self/status"); err == nil {
		for _, line := range strings.Split(string(raw), "\n") {
			if rest, ok := strings.CutPrefix(line, field); ok {
				kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
				if err == nil {
					return kb << 10
				}
			}
		}
	}
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return int64(m.Sys)
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
