// Package wasm embeds binpipe's core wasm module and compiles a module once per runtime,
// checking before anything runs that it speaks this host's ABIs: the fast-path ABI version
// (bp_abi_version), the WIT package version (bp_wit_version) and the signature of every
// export the host calls.
//
// binpipe.wasm is a build product: component/build.sh builds it from kernels/ and component/
// (see docs/abi.md); it is copied here and committed.
package wasm

import (
	"context"
	_ "embed"
	"errors"
	"fmt"
	"slices"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// Binary is the embedded core module (simd128 build).
//
//go:embed binpipe.wasm
var Binary []byte

const (
	// ABIVersion is the fast-path ABI version this host speaks.
	ABIVersion = 1
	// WITVersion is the WIT package version (binpipe:kernels@0.1.0) this host speaks, packed as
	// major<<16 | minor<<8 | patch.
	WITVersion = 0x000100
)

// ErrIncompatible is wrapped by every error Compile returns for a module that is valid wasm but
// not a binpipe module this host can use.
var ErrIncompatible = errors.New("incompatible wasm module")

// Canonical-ABI export names (wit-bindgen, from wit/kernels.wit).
const (
	CanonCRC32C        = "binpipe:kernels/checksum@0.1.0#crc32c"
	CanonCountByte     = "binpipe:kernels/search@0.1.0#count-byte"
	CanonShuffle       = "binpipe:kernels/transform@0.1.0#shuffle"
	CanonUnshuffle     = "binpipe:kernels/transform@0.1.0#unshuffle"
	CanonPostShuffle   = "cabi_post_" + CanonShuffle
	CanonPostUnshuffle = "cabi_post_" + CanonUnshuffle
	CanonRealloc       = "cabi_realloc"
)

const (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
)

type signature struct{ params, results []api.ValueType }

func sig(results []api.ValueType, params ...api.ValueType) signature {
	return signature{params, results}
}

// exports lists every function the host calls, with its signature (docs/abi.md).
var exports = map[string]signature{
	"bp_alloc":         sig([]api.ValueType{i32}, i32),
	"bp_free":          sig(nil, i32, i32),
	"bp_last_error":    sig([]api.ValueType{i32}),
	"bp_crc32c":        sig([]api.ValueType{i64}, i32, i32, i32),
	"bp_count_byte":    sig([]api.ValueType{i64}, i32, i32, i32),
	"bp_shuffle":       sig([]api.ValueType{i32}, i32, i32, i32, i32),
	"bp_unshuffle":     sig([]api.ValueType{i32}, i32, i32, i32, i32),
	CanonRealloc:       sig([]api.ValueType{i32}, i32, i32, i32, i32),
	CanonCRC32C:        sig([]api.ValueType{i32}, i32, i32, i32),
	CanonCountByte:     sig([]api.ValueType{i64}, i32, i32, i32),
	CanonShuffle:       sig([]api.ValueType{i32}, i32, i32, i32),
	CanonUnshuffle:     sig([]api.ValueType{i32}, i32, i32, i32),
	CanonPostShuffle:   sig(nil, i32),
	CanonPostUnshuffle: sig(nil, i32),
}

// Compile compiles bin in rt and checks it: the ABI version first, then the WIT version (so an
// old or future module reports its version rather than a missing export), then every export's
// signature and the memory export. On success the caller owns the compiled module.
func Compile(ctx context.Context, rt wazero.Runtime, bin []byte) (wazero.CompiledModule, error) {
	cm, err := rt.CompileModule(ctx, bin)
	if err != nil {
		return nil, fmt.Errorf("binpipe: compiling wasm module: %w", err)
	}
	if err := check(ctx, rt, cm); err != nil {
		_ = cm.Close(ctx)
		return nil, err
	}
	return cm, nil
}

func check(ctx context.Context, rt wazero.Runtime, cm wazero.CompiledModule) error {
	fns := cm.ExportedFunctions()
	if n := len(cm.ImportedFunctions()); n > 0 {
		return fmt.Errorf("binpipe: %w: the module imports %d functions, binpipe modules import nothing", ErrIncompatible, n)
	}
	version := sig([]api.ValueType{i32})
	if err := checkSig(fns, "bp_abi_version", version); err != nil {
		return err
	}
	mod, err := rt.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		return fmt.Errorf("binpipe: instantiating wasm module: %w", err)
	}
	defer mod.Close(ctx)
	abi, err := callU32(ctx, mod, "bp_abi_version")
	if err != nil {
		return err
	}
	if abi != ABIVersion {
		return fmt.Errorf("binpipe: %w: it speaks fast-path ABI version %d, this host speaks version %d (rebuild the module or update the host)",
			ErrIncompatible, abi, ABIVersion)
	}
	if err := checkSig(fns, "bp_wit_version", version); err != nil {
		return err
	}
	wit, err := callU32(ctx, mod, "bp_wit_version")
	if err != nil {
		return err
	}
	if wit != WITVersion {
		return fmt.Errorf("binpipe: %w: it implements WIT binpipe:kernels@%s, this host speaks @%s",
			ErrIncompatible, semver(wit), semver(WITVersion))
	}
	for name, s := range exports {
		if err := checkSig(fns, name, s); err != nil {
			return err
		}
	}
	if _, ok := cm.ExportedMemories()["memory"]; !ok {
		return fmt.Errorf("binpipe: %w: no exported memory named \"memory\"", ErrIncompatible)
	}
	return nil
}

func checkSig(fns map[string]api.FunctionDefinition, name string, want signature) error {
	def, ok := fns[name]
	if !ok {
		return fmt.Errorf("binpipe: %w: missing export %q", ErrIncompatible, name)
	}
	if !slices.Equal(def.ParamTypes(), want.params) || !slices.Equal(def.ResultTypes(), want.results) {
		return fmt.Errorf("binpipe: %w: export %q has signature %v -> %v, want %v -> %v",
			ErrIncompatible, name, names(def.ParamTypes()), names(def.ResultTypes()), names(want.params), names(want.results))
	}
	return nil
}

func callU32(ctx context.Context, mod api.Module, name string) (uint32, error) {
	res, err := mod.ExportedFunction(name).Call(ctx)
	if err != nil {
		return 0, fmt.Errorf("binpipe: calling %s: %w", name, err)
	}
	return api.DecodeU32(res[0]), nil
}

func names(ts []api.ValueType) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = api.ValueTypeName(t)
	}
	return out
}

func semver(v uint32) string {
	return fmt.Sprintf("%d.%d.%d", v>>16, v>>8&0xff, v&0xff)
}
