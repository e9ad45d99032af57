package binpipe

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/binpipe/binpipe/go-host/internal/fastpath"
	"github.com/binpipe/binpipe/go-host/internal/wasm"
	"github.com/tetratelabs/wazero/api"
)

// TestChainModulePath checks that a module with the chain exports runs chains in one call
// (not stage by stage) on both ABIs, and that a stage's refusal there names the stage.
func TestChainModulePath(t *testing.T) {
	for _, b := range []Backend{BackendWasm, BackendCanonical} {
		e := newTestEngine(t, WithBackend(b))
		stages := []Stage{DeltaEncodeStage(8), ShuffleStage(8), HexEncodeStage(true)}
		data := bytes.Repeat([]byte("0123456789abcdef"), 1000)
		want, err := goEngine.RunChain(nil, data, stages...)
		if err != nil {
			t.Fatal(err)
		}
		bound, _ := chainBound(len(data), stages)
		got, err := e.wasmChain(e.route(0, 0, true), []byte("x"), data, stages, bound)
		if err != nil || !bytes.Equal(got[1:], want) || got[0] != 'x' {
			t.Errorf("%v: wasmChain: %v", b, err)
		}
		_, err = e.wasmChain(e.route(0, 0, true), nil, []byte("0g"), []Stage{ByteswapStage(2), HexDecodeStage()}, 2)
		var ce *ChainError
		var ke *KernelError
		if !errors.As(err, &ce) || ce.Stage != 1 || !errors.As(err, &ke) || ke.Kernel != "hex-decode" || ke.Offset != 0 {
			t.Errorf("%v: bad hex at stage 1: %v", b, err)
		}
		if s := e.pool.Stats(); s.Discarded != 0 {
			t.Errorf("%v: a stage error discarded the instance: %+v", b, s)
		}
	}
}

// chainFakeModule is a module with every export the host checks, stubs for most, and a
// bp_run_chain that returns its input unchanged in buffer b, unless its length is 0xDEAD:
// then it traps. Every bp_alloc returns 1024.
func chainFakeModule() []byte {
	run := []byte{0x20, 0x02} // local.get 2 (len)
	run = append(run, i32c(0xDEAD)...)
	run = append(run, 0x46, 0x04, 0x40, 0x00, 0x0b) // i32.eq; if; unreachable; end
	run = append(run, i64c(1<<32)...)
	run = append(run, 0x20, 0x02, 0xad, 0x84) // local.get 2; i64.extend_i32_u; i64.or
	fns := []asmFunc{versionFunc("bp_abi_version", wasm.ABIVersion), versionFunc("bp_wit_version", wasm.WITVersion)}
	for _, n := range wasm.Exports() {
		params, results, _ := wasm.Signature(n)
		switch n {
		case wasm.FastAlloc, wasm.CanonRealloc:
			fns = append(fns, asmFunc{name: n, params: valueTypes(params), results: valueTypes(results), body: i32c(1024)})
		case wasm.FastRunChain:
			fns = append(fns, asmFunc{name: n, params: valueTypes(params), results: valueTypes(results), body: run})
		default:
			fns = append(fns, stub(n, valueTypes(params), valueTypes(results)))
		}
	}
	return assemble(2, fns...)
}

// TestChainWorkerTrap makes a worker's instance trap: Run reports ErrTrap, the instance is
// discarded and replaced, and the worker runs again once Input is taken again.
func TestChainWorkerTrap(t *testing.T) {
	e := newTestEngine(t, WithModule(chainFakeModule()), WithBackend(BackendWasm), WithPoolSize(1))
	w, err := e.NewChainWorker(0xE000, ByteswapStage(2))
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	copy(w.Input(), "abcd")
	if out, err := w.Run(4); err != nil || string(out) != "abcd" {
		t.Fatalf("Run before the trap: %q, %v", out, err)
	}
	first := w.in
	_, err = w.Run(0xDEAD)
	var ce *ChainError
	if !errors.Is(err, ErrTrap) || errors.As(err, &ce) {
		t.Fatalf("Run that traps: %v; want ErrTrap", err)
	}
	t.Log(err)
	if !first.mod.IsClosed() || w.in == nil || w.in == first {
		t.Fatal("the trapped instance was not replaced")
	}
	if s := e.pool.Stats(); s.Created != 2 || s.Discarded != 1 {
		t.Errorf("pool after the trap: %+v", s)
	}
	copy(w.Input(), "wxyz")
	if out, err := w.Run(4); err != nil || string(out) != "wxyz" {
		t.Fatalf("Run after the trap: %q, %v", out, err)
	}
}

// TestChainExportsRequired refuses a module without the chain exports, or with a wrong
// signature for one.
func TestChainExportsRequired(t *testing.T) {
	for _, c := range []struct{ drop, bad, want string }{
		{drop: wasm.FastRunChain, want: `missing export "bp_run_chain"`},
		{drop: wasm.Post(wasm.CanonRunChain), want: "missing export"},
		{bad: wasm.FastChainFailedStage, want: `export "bp_chain_failed_stage" has signature`},
	} {
		fns := []asmFunc{versionFunc("bp_abi_version", 2), versionFunc("bp_wit_version", 0x100)}
		for _, n := range wasm.Exports() {
			params, results, _ := wasm.Signature(n)
			switch n {
			case c.drop:
				continue
			case c.bad:
				params = []api.ValueType{api.ValueTypeI32}
			}
			fns = append(fns, stub(n, valueTypes(params), valueTypes(results)))
		}
		_, err := New(t.Context(), WithModule(assemble(2, fns...)), WithBackend(BackendWasm))
		if !errors.Is(err, ErrIncompatibleModule) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("drop %q, bad %q: %v, want ErrIncompatibleModule mentioning %s", c.drop, c.bad, err, c.want)
		}
	}
}

// TestChainAutoRoute checks the cost model's choices: codec chains go to the module, chains of
// native shuffles stay in process, small inputs stay in Go.
func TestChainAutoRoute(t *testing.T) {
	if !wasmCompiled {
		t.Skip("wazero interprets here: BackendAuto stays in Go")
	}
	e := newTestEngine(t)
	for _, c := range []struct {
		spec string
		n    int
		want path
		asm  bool // the choice holds where the engine runs 8-byte shuffles natively
	}{
		{"hex-encode:lower", 64 << 10, pathWasm, false},
		{"base64-decode", 1 << 20, pathWasm, false},
		{"delta-encode:8,shuffle:8", 1 << 20, pathGo, true},
		{"extract-field:32,16,8,shuffle:8", 64 << 10, pathGo, true},
		{"hex-encode:lower", 1 << 10, pathGo, false},
		{"byteswap:4", 64 << 10, pathGo, false}, // a small gain, eaten by the copies in and out
	} {
		if c.asm && !e.stagePath(ShuffleStage(8), c.n).isNative() {
			continue
		}
		stages, err := ParseChain(c.spec)
		if err != nil {
			t.Fatal(err)
		}
		bound, _ := chainBound(c.n, stages)
		want := c.want
		if allNative(e, stages, c.n) {
			want = pathGo // in process, natively: no copies
		}
		if got := e.chainRoute(c.n, bound, stages); got != want {
			t.Errorf("RunChain route of %s on %d bytes: %d, want %d", c.spec, c.n, got, want)
		}
	}
	stages := []Stage{HexEncodeStage(false)}
	if p := e.workerPath(64<<10, 128<<10, stages); p != pathWasm && !allNative(e, stages, 64<<10) {
		t.Errorf("worker route of hex-encode: %d, want wasm", p)
	}
	stages = []Stage{ShuffleStage(8)}
	if p := e.workerPath(64<<10, 64<<10, stages); allNative(e, stages, 64<<10) && p != pathGo {
		t.Errorf("worker route of shuffle:8: %d, want in process (native)", p)
	}
}

// allNative reports whether e runs every stage natively on an n-byte chain input.
func allNative(e *Engine, stages []Stage, n int) bool {
	for _, s := range stages {
		if !e.stagePath(s, n).isNative() {
			return false
		}
	}
	return true
}

// TestChainGuestOrder sends stage records the Go side would refuse straight to the module, to
// check that RunChain's error order is the module's: an unencodable record first, then the
// stages in turn.
func TestChainGuestOrder(t *testing.T) {
	e := newTestEngine(t, WithBackend(BackendWasm))
	for _, c := range []struct {
		late  Stage
		stage int
	}{{ByteswapStage(3), 0}, {ByteswapStage(300), 1}, {ShuffleStage(0), 0}, {BitunpackStage(33, 1), 0},
		{Stage{kind: kindHexEncode, a: 2}, 1}, {Stage{kind: kindHexDecode, a: 1}, 1}} {
		if c.late.encodable() != (c.stage == 0) {
			t.Errorf("%v: encodable() = %v", c.late, c.late.encodable())
		}
		in, err := e.acquire("run-chain")
		if err != nil {
			t.Fatal(err)
		}
		records := appendRecords(nil, []Stage{HexDecodeStage(), c.late})
		_, err = in.chain.fast.RunChain(e.ctx, nil, []byte("zz"), records, 1024)
		e.pool.Put(in, true)
		var se *fastpath.StageError
		if !errors.As(err, &se) || se.Stage != c.stage {
			t.Errorf("module: hex-decode of bad data, then %v: %v, want stage %d", c.late, err, c.stage)
		}
	}
}
