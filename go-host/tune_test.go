package binpipe_test

import (
	"bytes"
	"fmt"
	"go/format"
	"math"
	"os"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// TestTune measures, for every kernel and input size, every path this machine has (Go, wasm,
// each native tier) and writes BackendAuto's preference table for this CPU class,
// tuned_<class>.go (tuned.go explains how Auto uses it). It runs only when BINPIPE_TUNE is set
// (`just tune` sets it, once with and once without the purego tag, which measures the class
// "none": Go against wasm), and refuses to write when the 1-minute load average exceeds
// BINPIPE_TUNE_MAXLOAD (default 0.5) before the run, or that plus the run's own busy thread
// after it (the table records both loads).
//
//	BINPIPE_TUNE=1 go test -run '^TestTune$' -count=1 -timeout 1h .
//
// Method: the sizes of tuneSizes; per round, every size, kernel and path in turn, the path
// order rotating between rounds (interleaved); each measurement runs the call for
// BINPIPE_TUNE_MS (default 25) milliseconds; per path the median of BINPIPE_TUNE_ROUNDS (default
// 5) rounds. At each size the winner is the first path, in the order go, native tiers from
// narrow to wide, wasm, whose median is within 5% of the fastest (a tie keeps the simpler
// path); a change of winner between two sizes becomes a step at their geometric mean. The
// inputs are BenchmarkKernels' (valid encodings, mixed-width UTF-8, 8-byte shuffles).
func TestTune(t *testing.T) {
	if os.Getenv("BINPIPE_TUNE") == "" {
		t.Skip("set BINPIPE_TUNE=1 (just tune) to measure this machine and write its tuned_<class>.go")
	}
	maxLoad := envFloat(t, "BINPIPE_TUNE_MAXLOAD", 0.5)
	budget := time.Duration(envFloat(t, "BINPIPE_TUNE_MS", 25) * float64(time.Millisecond))
	rounds := int(envFloat(t, "BINPIPE_TUNE_ROUNDS", 5))
	before := loadAverage()
	if before > maxLoad {
		t.Fatalf("load average %.2f exceeds %.2f: not measuring (measure on a quiet machine)", before, maxLoad)
	}

	tiers := binpipe.NativeTiers()
	class := tuneClass(tiers)
	paths := []tunePath{{"go", newEngine(t, binpipe.WithBackend(binpipe.BackendGo))}}
	for _, order := range []string{"avx2", "avx512", "neon"} {
		if slices.Contains(tiers, order) {
			paths = append(paths, tunePath{order, newEngine(t, binpipe.WithBackend(binpipe.BackendNative), binpipe.WithNativeTier(order))})
		}
	}
	paths = append(paths, tunePath{"wasm", newEngine(t, binpipe.WithBackend(binpipe.BackendWasm))})

	// medians[kernel][size][path] in ns per call.
	times := map[string][][][]float64{}
	cases := make([][]benchKernel, len(tuneSizes))
	for i, n := range tuneSizes {
		cases[i] = tuneKernels(n)
	}
	for r := range rounds {
		for i, n := range tuneSizes {
			for _, k := range cases[i] {
				if times[k.name] == nil {
					times[k.name] = make([][][]float64, len(tuneSizes))
				}
				if times[k.name][i] == nil {
					times[k.name][i] = make([][]float64, len(paths))
				}
				for j := range paths {
					pi := (j + r) % len(paths)
					p := paths[pi]
					if p.e.Path(k.name, k.bytes) != p.name {
						continue // this tier lacks the kernel
					}
					ns, err := timeCall(budget, func() error { return k.run(p.e) })
					if err != nil {
						t.Fatalf("%s at %d bytes on %s: %v", k.name, n, p.name, err)
					}
					times[k.name][i][pi] = append(times[k.name][i][pi], ns)
				}
			}
		}
	}
	after := loadAverage()

	var src bytes.Buffer
	writeTable(&src, class, paths, times, before, after)
	out, err := format.Source(src.Bytes())
	if err != nil {
		t.Fatalf("generated table does not parse: %v\n%s", err, src.Bytes())
	}
	// The measurement keeps one thread busy, which by itself brings the 1-minute load average
	// close to 1: only load above that came from other work.
	if after > maxLoad+1 {
		t.Fatalf("load average rose to %.2f (over %.2f, this run's own thread included) during the run: not writing tuned_%s.go (measure on a quiet machine)", after, maxLoad+1, class)
	}
	file := os.Getenv("BINPIPE_TUNE_OUT")
	if file == "" {
		file = "tuned_" + class + ".go"
	}
	if err := os.WriteFile(file, out, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (class %s, load %.2f before, %.2f after)", file, class, before, after)
}

// tuneSizes are the input sizes TestTune measures.
var tuneSizes = []int{16, 64, 256, 1 << 10, 4 << 10, 16 << 10, 64 << 10, 256 << 10, 1 << 20}

type tunePath struct {
	name string
	e    *binpipe.Engine
}

// tuneKernels are BenchmarkKernels' cases of n bytes that stand for a kernel (named by its WIT
// name), without the variants.
func tuneKernels(n int) []benchKernel {
	var out []benchKernel
	for _, k := range benchKernels(n) {
		if slices.Contains(kernelNamesForTest, k.name) {
			out = append(out, k)
		}
	}
	return out
}

// tuneClass is the CPU class of tiers: the widest, or "none".
func tuneClass(tiers []string) string {
	for _, c := range []string{"avx512", "avx2", "neon"} {
		if slices.Contains(tiers, c) {
			return c
		}
	}
	return "none"
}

// timeCall runs f once, then in growing batches until budget has passed, and returns the time
// per call in ns.
func timeCall(budget time.Duration, f func() error) (float64, error) {
	if err := f(); err != nil {
		return 0, err
	}
	calls := 0
	start := time.Now()
	for batch := 1; ; batch *= 2 {
		for range batch {
			if err := f(); err != nil {
				return 0, err
			}
		}
		calls += batch
		if d := time.Since(start); d >= budget {
			return float64(d.Nanoseconds()) / float64(calls), nil
		}
	}
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return math.Inf(1)
	}
	s := slices.Clone(v)
	slices.Sort(s)
	return s[len(s)/2]
}

// writeTable writes the Go source of class's table: per kernel the steps, and as comments the
// medians behind them.
func writeTable(w *bytes.Buffer, class string, paths []tunePath, times map[string][][][]float64, before, after float64) {
	name := map[string]string{"avx512": "AVX512", "avx2": "AVX2", "neon": "NEON", "none": "None"}[class]
	fmt.Fprintf(w, "// Code generated by TestTune (just tune); DO NOT EDIT.\n\npackage binpipe\n\n")
	fmt.Fprintf(w, "// tuned%s is BackendAuto's preference table for the CPU class %q, measured by TestTune\n", name, class)
	fmt.Fprintf(w, "// (median ns per call of %s at each size; the steps take the fastest, ties within 5%%\n", pathList(paths))
	fmt.Fprintf(w, "// to the simpler path).\n")
	fmt.Fprintf(w, "var tuned%s = tuned{\n\tclass: %q,\n\tmachine: %q,\n", name, class, machineName())
	fmt.Fprintf(w, "\twhen: %q,\n\tsteps: map[string][]tunedStep{\n",
		fmt.Sprintf("%s, load average %.2f before, %.2f after", time.Now().UTC().Format("2006-01-02 15:04 MST"), before, after))
	for _, k := range kernelNamesForTest {
		ts := times[k]
		if ts == nil {
			continue
		}
		var winners []string
		for i, n := range tuneSizes {
			best := math.Inf(1)
			for j := range paths {
				best = min(best, median(ts[i][j]))
			}
			win := ""
			var cells []string
			for j, p := range paths {
				m := median(ts[i][j])
				if math.IsInf(m, 1) {
					continue
				}
				cells = append(cells, fmt.Sprintf("%s %.4g", p.name, m))
				if win == "" && m <= 1.05*best {
					win = p.name
				}
			}
			winners = append(winners, win)
			fmt.Fprintf(w, "\t\t// %s %s: %s -> %s\n", k, sizeLabel(n), strings.Join(cells, ", "), win)
		}
		fmt.Fprintf(w, "\t\t%q: {{0, %q}", k, winners[0])
		for i := 1; i < len(winners); i++ {
			if winners[i] != winners[i-1] {
				from := int(math.Round(math.Sqrt(float64(tuneSizes[i-1]) * float64(tuneSizes[i]))))
				fmt.Fprintf(w, ", {%d, %q}", from, winners[i])
			}
		}
		fmt.Fprintf(w, "},\n")
	}
	fmt.Fprintf(w, "\t},\n}\n")
}

func pathList(paths []tunePath) string {
	var names []string
	for _, p := range paths {
		names = append(names, p.name)
	}
	return strings.Join(names, ", ")
}

func sizeLabel(n int) string {
	switch {
	case n >= 1<<20:
		return strconv.Itoa(n>>20) + " MiB"
	case n >= 1<<10:
		return strconv.Itoa(n>>10) + " KiB"
	}
	return strconv.Itoa(n) + " B"
}

// machineName names the CPU (model and the SIMD flags that choose tiers), Go and the platform.
func machineName() string {
	model, flags := "", []string(nil)
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			k, v, ok := strings.Cut(line, ":")
			k, v = strings.TrimSpace(k), strings.TrimSpace(v)
			switch {
			case !ok:
			case model == "" && (k == "model name" || k == "Model"):
				model = v
			case flags == nil && (k == "flags" || k == "Features"):
				for _, f := range strings.Fields(v) {
					if strings.HasPrefix(f, "avx") || strings.HasPrefix(f, "bmi") || f == "vpclmulqdq" ||
						f == "pclmulqdq" || f == "sse4_2" || f == "sha_ni" || f == "asimd" || f == "sve" {
						flags = append(flags, f)
					}
				}
			}
		}
	}
	if model == "" {
		model = "unknown CPU"
	}
	return fmt.Sprintf("%s (%s), %d CPUs, %s %s/%s", model, strings.Join(flags, " "), runtime.NumCPU(), runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

// loadAverage is the 1-minute load average (0 where /proc/loadavg does not exist).
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	f, _ := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
	return f
}

func envFloat(t *testing.T, name string, def float64) float64 {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, v, err)
	}
	return f
}
