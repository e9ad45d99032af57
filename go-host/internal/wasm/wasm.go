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
	"maps"
	"slices"

	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// Binary is the embedded core module (simd128 build).
//
//go:embed binpipe.wasm
var Binary []byte

// ABIVersion is the fast-path ABI version this host speaks. (The WIT package and its version,
// WITPackage and WITVersion, and the canonical export names are in zkernels.go, generated
// from wit/kernels.wit by `just gen`.)
const ABIVersion = 2

// ErrIncompatible is wrapped by every error Compile returns for a module that is valid wasm but
// not a binpipe module this host can use.
var ErrIncompatible = errors.New("incompatible wasm module")

// Fast-path ABI export names (docs/abi.md, section 2).
const (
	FastAlloc            = "bp_alloc"
	FastFree             = "bp_free"
	FastLastError        = "bp_last_error"
	FastCRC32C           = "bp_crc32c"
	FastCRC32            = "bp_crc32"
	FastXXH3             = "bp_xxh3_64"
	FastCountByte        = "bp_count_byte"
	FastFindByte         = "bp_find_byte"
	FastFindAny          = "bp_find_any"
	FastIndexByte        = "bp_index_byte"
	FastMismatch         = "bp_mismatch"
	FastUTF8Validate     = "bp_utf8_validate"
	FastASCIIPrefix      = "bp_ascii_prefix"
	FastHexEncode        = "bp_hex_encode"
	FastHexDecode        = "bp_hex_decode"
	FastBase64Encode     = "bp_base64_encode"
	FastBase64Decode     = "bp_base64_decode"
	FastVarintEncode     = "bp_varint_encode"
	FastVarintDecode     = "bp_varint_decode"
	FastShuffle          = "bp_shuffle"
	FastUnshuffle        = "bp_unshuffle"
	FastDeltaEncode      = "bp_delta_encode"
	FastDeltaDecode      = "bp_delta_decode"
	FastByteswap         = "bp_byteswap"
	FastBitpack          = "bp_bitpack"
	FastBitunpack        = "bp_bitunpack"
	FastExtractField     = "bp_extract_field"
	FastCompare          = "bp_compare"
	FastSelect           = "bp_select"
	FastAggregate        = "bp_aggregate"
	FastRunChain         = "bp_run_chain"
	FastChainFailedStage = "bp_chain_failed_stage"
	fastABIVersion       = "bp_abi_version"
	fastWITVersion       = "bp_wit_version"
)

// CanonRealloc is wit-bindgen's allocator export, which lowering a list<u8> argument calls.
const CanonRealloc = "cabi_realloc"

// Post is the name of the post-return export of the canonical export name.
func Post(name string) string { return "cabi_post_" + name }

const (
	i32 = api.ValueTypeI32
	i64 = api.ValueTypeI64
)

type signature struct{ params, results []api.ValueType }

func sig(results []api.ValueType, params ...api.ValueType) signature {
	return signature{params, results}
}

var (
	retI32 = []api.ValueType{i32}
	retI64 = []api.ValueType{i64}
)

// exports lists every function the host calls, with its signature: the fast path's and
// cabi_realloc's, and the canonical exports generated from the WIT (zkernels.go).
var exports = func() map[string]signature {
	m := maps.Clone(fastExports)
	maps.Copy(m, canonicalExports)
	return m
}()

// fastExports is the fast-path ABI's functions (docs/abi.md) and cabi_realloc, with their
// signatures.
var fastExports = map[string]signature{
	FastAlloc:            sig(retI32, i32),
	FastFree:             sig(nil, i32, i32),
	FastLastError:        sig(retI32),
	FastCRC32C:           sig(retI64, i32, i32, i32),
	FastCRC32:            sig(retI64, i32, i32, i32),
	FastXXH3:             sig(retI32, i32, i32, i64, i32),
	FastCountByte:        sig(retI64, i32, i32, i32),
	FastFindByte:         sig(retI64, i32, i32, i32),
	FastFindAny:          sig(retI64, i32, i32, i32, i32),
	FastIndexByte:        sig(retI64, i32, i32, i32, i32, i32),
	FastMismatch:         sig(retI64, i32, i32, i32, i32),
	FastUTF8Validate:     sig(retI64, i32, i32),
	FastASCIIPrefix:      sig(retI64, i32, i32),
	FastHexEncode:        sig(retI64, i32, i32, i32, i32, i32),
	FastHexDecode:        sig(retI64, i32, i32, i32, i32),
	FastBase64Encode:     sig(retI64, i32, i32, i32, i32, i32, i32),
	FastBase64Decode:     sig(retI64, i32, i32, i32, i32, i32, i32),
	FastVarintEncode:     sig(retI64, i32, i32, i32, i32),
	FastVarintDecode:     sig(retI64, i32, i32, i32, i32),
	FastShuffle:          sig(retI32, i32, i32, i32, i32),
	FastUnshuffle:        sig(retI32, i32, i32, i32, i32),
	FastDeltaEncode:      sig(retI64, i32, i32, i32, i32, i32),
	FastDeltaDecode:      sig(retI64, i32, i32, i32, i32, i32),
	FastByteswap:         sig(retI64, i32, i32, i32, i32, i32),
	FastBitpack:          sig(retI64, i32, i32, i32, i32, i32),
	FastBitunpack:        sig(retI64, i32, i32, i32, i32, i32, i32),
	FastExtractField:     sig(retI64, i32, i32, i32, i32, i32, i32, i32),
	FastCompare:          sig(retI64, i32, i32, i32, i32, i32, i32, i32, i64),
	FastSelect:           sig(retI64, i32, i32, i32, i32, i32, i32, i32),
	FastAggregate:        sig(retI32, i32, i32, i32, i32),
	CanonRealloc:         sig(retI32, i32, i32, i32, i32),
	FastRunChain:         sig(retI64, i32, i32, i32, i32, i32, i32, i32),
	FastChainFailedStage: sig(retI32),
}

// Exports returns the name of every function the host calls, sorted (for tests that build
// fake modules, and for a deterministic check order).
func Exports() []string {
	names := make([]string, 0, len(exports))
	for n := range exports {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Signature returns the parameter and result types the host expects of export name.
func Signature(name string) (params, results []api.ValueType, ok bool) {
	s, ok := exports[name]
	return s.params, s.results, ok
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
	if err := checkSig(fns, fastABIVersion, version); err != nil {
		return err
	}
	mod, err := rt.InstantiateModule(ctx, cm, wazero.NewModuleConfig().WithName("").WithStartFunctions())
	if err != nil {
		return fmt.Errorf("binpipe: instantiating wasm module: %w", err)
	}
	defer mod.Close(ctx)
	abi, err := callU32(ctx, mod, fastABIVersion)
	if err != nil {
		return err
	}
	if abi != ABIVersion {
		return fmt.Errorf("binpipe: %w: it speaks fast-path ABI version %d, this host speaks version %d (rebuild the module or update the host)",
			ErrIncompatible, abi, ABIVersion)
	}
	if err := checkSig(fns, fastWITVersion, version); err != nil {
		return err
	}
	wit, err := callU32(ctx, mod, fastWITVersion)
	if err != nil {
		return err
	}
	if wit != WITVersion {
		return fmt.Errorf("binpipe: %w: it implements WIT binpipe:kernels@%s, this host speaks @%s",
			ErrIncompatible, semver(wit), semver(WITVersion))
	}
	for _, name := range Exports() {
		if err := checkSig(fns, name, exports[name]); err != nil {
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
