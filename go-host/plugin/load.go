package plugin

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/binpipe/binpipe/go-host/internal/pool"
	"github.com/binpipe/binpipe/go-host/plugin/internal/wasmbin"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// Names of the core-module exports the host uses (wit/plugin/plugin.wit, wit-bindgen's shape).
const (
	exportDescribe      = "describe"
	exportTransform     = "transform"
	exportRealloc       = "cabi_realloc"
	exportPostDescribe  = "cabi_post_describe"
	exportPostTransform = "cabi_post_transform"
	exportMemory        = "memory"
	exportInitialize    = "_initialize" // a reactor module's initialiser, called under Limits.WASI
)

// export is a function export the host calls, with its expected type.
type export struct {
	name            string
	params, results []api.ValueType
	required        bool
}

var i32 = api.ValueTypeI32

// functionExports are the function exports the host calls: the required ones, then the
// post-return functions, which are called when present.
var functionExports = []export{
	{exportDescribe, nil, []api.ValueType{i32}, true},
	{exportTransform, []api.ValueType{i32, i32}, []api.ValueType{i32}, true},
	{exportRealloc, []api.ValueType{i32, i32, i32, i32}, []api.ValueType{i32}, true},
	{exportPostDescribe, []api.ValueType{i32}, nil, false},
	{exportPostTransform, []api.ValueType{i32}, nil, false},
}

// stackSlots bounds a call's stack: the sum of the frame weights (wasmbin.FrameWeight: 8
// slots, plus parameters, locals and instructions) of the functions active at once. A call
// that would pass it traps, as a stack overflow (KindTrap).
const stackSlots = 1 << 20

// LoadFile reads the module at path and loads it like Load.
func LoadFile(ctx context.Context, path string, opts ...Option) (*Plugin, error) {
	wasm, err := os.ReadFile(path)
	if err != nil {
		return nil, loadErr("", "reading "+path, err)
	}
	return Load(ctx, wasm, opts...)
}

// Load checks, instruments and compiles a plugin module, makes one instance and calls its
// describe function. It refuses, with a KindLoad *Error saying why: a digest other than the
// pinned one, bytes that are not a wasm module, a module beyond Limits.Module (checked
// before compiling), an index outside its index space, any import (no import is granted), a
// missing or mistyped export (describe, transform, cabi_realloc, memory), initial memory above
// Limits.MemoryPages, a module that is not valid wasm 2.0 (validated by wasmbin before wazero
// sees it: operand types included) or that uses externref (only funcref is supported), and a
// module wazero finds invalid. A module whose instantiation is certain to trap (an active
// element segment that does not fit its table: wazero v1.12 lets an empty one through) fails
// as KindTrap. A describe call that fails gives the kind of its failure (KindTrap, KindTimeout, KindMemory, KindProtocol), and a description
// without a name or with max-batch below record-size is KindProtocol.
func Load(ctx context.Context, wasm []byte, opts ...Option) (*Plugin, error) {
	cfg, err := newConfig(opts)
	if err != nil {
		return nil, loadErr("", "bad option", err)
	}
	if cfg.sha256 != nil {
		if sum := sha256.Sum256(wasm); !bytes.Equal(sum[:], cfg.sha256) {
			return nil, loadErr("", fmt.Sprintf("SHA-256 %s, pinned %s", hex.EncodeToString(sum[:]), hex.EncodeToString(cfg.sha256)), nil)
		}
	}
	if err := cfg.limits.Module.checkSize(len(wasm)); err != nil {
		return nil, err
	}
	mod, err := wasmbin.Parse(wasm)
	if err != nil {
		return nil, loadErr("", "not a valid wasm module", err)
	}
	if err := checkShape(mod, cfg.limits); err != nil {
		return nil, err
	}
	metered, _, err := wasmbin.Instrument(mod, wasmbin.Options{
		InitialFuel: int64(cfg.limits.Fuel),
		MaxPages:    cfg.limits.MemoryPages,
		Bounds:      cfg.limits.Module.bounds(),
		// wazero grows a call's stack by copying it, up to 400 MB; a bound far below keeps a
		// runaway recursion short and small (see stackSlots)
		MaxStackSlots: stackSlots,
	})
	var trap *wasmbin.TrapError
	if errors.As(err, &trap) {
		return nil, &Error{Kind: KindTrap, Offset: -1, Msg: "instantiating the module traps", Err: err}
	}
	if err != nil {
		return nil, loadErr("", "instrumenting the module", err)
	}

	// Capacity from the maximum: each instance's memory is allocated once, at its maximum
	// (at most MemoryPages; untouched pages cost address space, not RAM), so memory.grow
	// never copies or clears memory while the plugin runs.
	rt := wazero.NewRuntimeWithConfig(ctx, wazero.NewRuntimeConfig().
		WithCoreFeatures(api.CoreFeaturesV2).
		WithMemoryLimitPages(cfg.limits.MemoryPages).
		WithMemoryCapacityFromMax(true))
	if err := instantiateYield(ctx, rt); err != nil {
		_ = rt.Close(ctx)
		return nil, loadErr("", "making the host's yield function", err)
	}
	if cfg.limits.WASI {
		if err := instantiateWASI(ctx, rt); err != nil {
			_ = rt.Close(ctx)
			return nil, loadErr("", "making the minimal WASI", err)
		}
	}
	compiled, err := rt.CompileModule(ctx, metered)
	if err != nil {
		_ = rt.Close(ctx)
		return nil, loadErr("", "compiling the module", err)
	}
	if err := checkSignatures(compiled, cfg.limits.WASI); err != nil {
		_ = rt.Close(ctx)
		return nil, err
	}
	p := &Plugin{rt: rt, compiled: compiled, limits: cfg.limits}
	p.pool = pool.New(cfg.poolSize, p.instantiate, (*instance).close, nil)
	if err := p.describe(ctx); err != nil {
		_ = p.Close(ctx)
		return nil, err
	}
	return p, nil
}

// checkShape refuses imports (but the minimal WASI's functions under Limits.WASI), missing
// exports and too much initial memory, naming each.
func checkShape(m *wasmbin.Module, lim Limits) error {
	var refused []string
	for _, im := range m.Imports {
		if _, ok := wasiFuncByName(im.Name); lim.WASI && ok && im.Module == wasiModule && im.Kind == wasmbin.KindFunc {
			continue
		}
		refused = append(refused, fmt.Sprintf("%s.%s (%s)", im.Module, im.Name, wasmbin.KindName(im.Kind)))
	}
	if len(refused) > 0 {
		granted := "no import is granted to plugins"
		if lim.WASI {
			granted = "only the minimal WASI's functions are granted"
		}
		return loadErr("", "the module imports "+strings.Join(refused, ", ")+"; "+granted, nil)
	}
	kinds := map[string]byte{}
	for _, e := range m.Exports {
		kinds[e.Name] = e.Kind
	}
	var missing []string
	for _, want := range []struct {
		name string
		kind byte
	}{{exportDescribe, wasmbin.KindFunc}, {exportTransform, wasmbin.KindFunc}, {exportRealloc, wasmbin.KindFunc}, {exportMemory, wasmbin.KindMemory}} {
		if k, ok := kinds[want.name]; !ok || k != want.kind {
			missing = append(missing, fmt.Sprintf("%s (%s)", want.name, wasmbin.KindName(want.kind)))
		}
	}
	if len(missing) > 0 {
		return loadErr("", "the module lacks the export(s) "+strings.Join(missing, ", "), nil)
	}
	for _, mem := range m.Memories {
		if mem.Min > lim.MemoryPages {
			return loadErr("", fmt.Sprintf("the module asks for %d pages (%d KiB) of initial memory; the limit is %d pages",
				mem.Min, uint64(mem.Min)*64, lim.MemoryPages), nil)
		}
	}
	return nil
}

// checkSignatures checks the types of the function exports and of the WASI imports, and under
// WASI the type of _initialize, if exported.
func checkSignatures(cm wazero.CompiledModule, wasi bool) error {
	for _, def := range cm.ImportedFunctions() {
		module, name, _ := def.Import()
		if module != wasiModule {
			continue // the host's yield, which the rewriter imports
		}
		f, _ := wasiFuncByName(name)
		if !equalTypes(def.ParamTypes(), f.params) || !equalTypes(def.ResultTypes(), f.results) {
			return loadErr("", fmt.Sprintf("import %s.%s has type %s -> %s, want %s -> %s", module, name,
				typeNames(def.ParamTypes()), typeNames(def.ResultTypes()), typeNames(f.params), typeNames(f.results)), nil)
		}
	}
	fns := cm.ExportedFunctions()
	exports := functionExports
	if wasi {
		exports = append(exports[:len(exports):len(exports)], export{exportInitialize, nil, nil, false})
	}
	for _, e := range exports {
		def, ok := fns[e.name]
		if !ok {
			if e.required {
				return loadErr("", "the module lacks the function export "+e.name, nil)
			}
			continue
		}
		if !equalTypes(def.ParamTypes(), e.params) || !equalTypes(def.ResultTypes(), e.results) {
			return loadErr("", fmt.Sprintf("export %s has type %s -> %s, want %s -> %s", e.name,
				typeNames(def.ParamTypes()), typeNames(def.ResultTypes()), typeNames(e.params), typeNames(e.results)), nil)
		}
	}
	return nil
}

func equalTypes(a, b []api.ValueType) bool { return bytes.Equal(a, b) }

func typeNames(ts []api.ValueType) string {
	names := make([]string, len(ts))
	for i, t := range ts {
		names[i] = api.ValueTypeName(t)
	}
	return "(" + strings.Join(names, ", ") + ")"
}
