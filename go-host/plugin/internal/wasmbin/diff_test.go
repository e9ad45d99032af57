package wasmbin_test

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/binpipe/binpipe/go-host/plugin/internal/wasmbin"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// diffCorpusEnv names the directory of a corpus written by tools/sandbox-diff: random
// wasm-smith modules (<seed>.wasm) with what each gave under wasmtime (<seed>.json).
const diffCorpusEnv = "BINPIPE_SANDBOX_CORPUS"

// diffCase is one corpus record (tools/sandbox-diff/src/main.rs writes them).
type diffCase struct {
	Seed        string     `json:"seed"` // the seed, with "-funcref" for its module drawn without reference types
	Valid       bool       `json:"valid"`
	Externref   bool       `json:"externref"` // valid, but uses externref: the contract refuses it
	Error       string     `json:"error"`
	Instantiate string     `json:"instantiate"`
	Calls       []diffCall `json:"calls"`
}

// diffCall is one call of an exported function and its outcome: "ok:<results>" or
// "trap:<class>".
type diffCall struct {
	Name    string   `json:"name"`
	Params  []string `json:"params"`
	Results []string `json:"results"`
	Outcome string   `json:"outcome"`
}

// diffFuel is the fuel of the start function and of each call: far more than wasm-smith's
// own termination fuel lets a module spend, so running out means the metering is wrong.
const diffFuel = 1 << 40

// diffOptions are the rewriter's options for the corpus: the memory and table limits the
// wasmtime run used too.
var diffOptions = wasmbin.Options{InitialFuel: diffFuel, MaxPages: 256, Bounds: wasmbin.Bounds{TableElements: 1 << 16}}

// TestSandboxDiff checks the validator and the rewriter against wasmtime on a wasm-smith
// corpus: every module wasmparser finds invalid must be refused by Parse or Instrument (before
// wazero sees it), every valid one that uses externref too (the plugin contract has only
// funcref), and every other valid one, instrumented, must give under wazero the results and
// traps the original gave under wasmtime, call by call, up to a stack overflow or deadline on
// either side (stack depths and time differ between the engines). Without the corpus it is
// skipped.
func TestSandboxDiff(t *testing.T) {
	dir := os.Getenv(diffCorpusEnv)
	if dir == "" {
		t.Skip(diffCorpusEnv + " is not set: no wasm-smith corpus to compare with (just fuzz-sandbox makes one)")
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no corpus records in %s (%v)", dir, err)
	}
	var valid, invalid, externref, calls, inconclusive int
	for _, path := range paths {
		var c diffCase
		text, err := os.ReadFile(path)
		if err == nil {
			err = json.Unmarshal(text, &c)
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		wasm, err := os.ReadFile(strings.TrimSuffix(path, ".json") + ".wasm")
		if err != nil {
			t.Fatal(err)
		}
		if !c.Valid {
			invalid++
			if _, err := diffInstrument(wasm); err == nil {
				t.Errorf("seed %s: the validator accepts a module wasmparser refuses (%s)", c.Seed, c.Error)
			}
			continue
		}
		if c.Externref {
			externref++
			if _, err := diffInstrument(wasm); err == nil || !strings.Contains(err.Error(), "externref") {
				t.Errorf("seed %s: a module of externref is not refused for it: %v", c.Seed, err)
			}
			continue
		}
		valid++
		out, err := diffInstrument(wasm)
		var trap *wasmbin.TrapError
		if errors.As(err, &trap) { // instantiation traps, found before instantiating
			if c.Instantiate != "trap:table" {
				t.Errorf("seed %s: the rewriter predicts a trap (%v), wasmtime instantiates: %s", c.Seed, err, c.Instantiate)
			}
			continue
		}
		if err != nil {
			t.Errorf("seed %s: the rewriter refuses a valid module: %v", c.Seed, err)
			continue
		}
		n, conclusive, mismatch := diffRun(t, out, c)
		calls += n
		if !conclusive {
			inconclusive++
		}
		if mismatch != "" {
			t.Errorf("seed %s: %s", c.Seed, mismatch)
		}
	}
	t.Logf("%d valid modules (%d calls compared, %d runs ended early by stack or deadline), %d valid but of externref (refused), %d invalid (refused)",
		valid, calls, inconclusive, externref, invalid)
}

// diffInstrument parses and instruments wasm.
func diffInstrument(wasm []byte) ([]byte, error) {
	m, err := wasmbin.Parse(wasm)
	if err != nil {
		return nil, err
	}
	out, _, err := wasmbin.Instrument(m, diffOptions)
	return out, err
}

// diffInconclusive reports whether an outcome says nothing about the rewriter.
func diffInconclusive(outcome string) bool {
	return outcome == "trap:stack" || outcome == "trap:timeout"
}

// diffRun instantiates the instrumented module bin and makes the calls of c, comparing each
// outcome. It returns the calls compared, whether the run went as far as the reference's,
// and the first difference ("" if none).
func diffRun(t *testing.T, bin []byte, c diffCase) (int, bool, string) {
	ctx := context.Background()
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().WithCoreFeatures(api.CoreFeaturesV2).
		WithMemoryLimitPages(256).WithCloseOnContextDone(true))
	defer rt.Close(ctx)
	_, err := rt.NewHostModuleBuilder(wasmbin.YieldModule).NewFunctionBuilder().
		WithGoFunction(api.GoFunc(func(ctx context.Context, _ []uint64) {
			if err := ctx.Err(); err != nil {
				panic(err)
			}
		}), nil, nil).Export(wasmbin.YieldName).Instantiate(ctx)
	if err != nil {
		t.Fatal(err)
	}
	cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
	defer cancel()
	mod, err := rt.InstantiateWithConfig(cctx, bin, wazero.NewModuleConfig().WithName(""))
	got := "ok"
	if err != nil {
		got = diffClass(err)
	}
	if cctx.Err() != nil || diffInconclusive(got) || diffInconclusive(c.Instantiate) {
		return 0, false, ""
	}
	if got != c.Instantiate {
		return 0, true, "instantiating: wazero " + got + ", wasmtime " + c.Instantiate
	}
	if err != nil {
		return 0, true, ""
	}
	for i, call := range c.Calls {
		fn := mod.ExportedFunction(call.Name)
		if fn == nil {
			return i, true, "no exported function " + strconv.Quote(call.Name)
		}
		fuel := min(int64(diffFuel), wasmbin.DefaultSlice)
		mod.ExportedGlobal(wasmbin.FuelExport).(api.MutableGlobal).Set(uint64(fuel))
		mod.ExportedGlobal(wasmbin.BudgetExport).(api.MutableGlobal).Set(uint64(diffFuel - fuel))
		args := make([]uint64, len(call.Params))
		for k, ty := range call.Params {
			args[k] = diffArgument(k, ty)
		}
		res, err := fn.Call(cctx, args...)
		got := diffClass(err)
		if err == nil {
			parts := make([]string, len(res))
			for k, r := range res {
				parts[k] = diffResult(r, call.Results[k])
			}
			got = "ok:" + strings.Join(parts, ",")
		}
		if cctx.Err() != nil || diffInconclusive(got) || diffInconclusive(call.Outcome) {
			return i, false, ""
		}
		if got != call.Outcome {
			return i + 1, true, "calling " + strconv.Quote(call.Name) + ": wazero " + got + ", wasmtime " + call.Outcome
		}
		if err != nil {
			return i + 1, true, ""
		}
	}
	return len(c.Calls), true, ""
}

// diffArgument is argument k of type ty: k+1 as an integer or float, or a null reference.
func diffArgument(k int, ty string) uint64 {
	n := uint64(k + 1)
	switch ty {
	case "i32", "i64":
		return n
	case "f32":
		return uint64(math.Float32bits(float32(n)))
	case "f64":
		return math.Float64bits(float64(n))
	}
	return 0 // funcref, externref: null
}

// diffResult writes a result of type ty as the corpus does.
func diffResult(r uint64, ty string) string {
	switch ty {
	case "i32", "f32":
		return strconv.FormatUint(uint64(uint32(r)), 10)
	case "funcref", "externref":
		if r == 0 {
			return "null"
		}
		return "ref"
	}
	return strconv.FormatUint(r, 10)
}

// diffClass is the corpus's class of a wazero error ("" for none).
func diffClass(err error) string {
	if err == nil {
		return ""
	}
	msg := err.Error()
	for _, c := range []struct{ text, class string }{
		{"unreachable", "unreachable"},
		{"integer divide by zero", "div0"},
		{"integer overflow", "overflow"},
		{"invalid conversion to integer", "conversion"},
		{"out of bounds memory access", "memory"},
		{"indirect call type mismatch", "signature"},
		{"table", "table"},
		{"stack overflow", "stack"},
		{"context deadline exceeded", "timeout"},
	} {
		if strings.Contains(msg, c.text) {
			return "trap:" + c.class
		}
	}
	return "trap:other:" + msg
}
