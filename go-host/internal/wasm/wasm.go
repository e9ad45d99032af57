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
	ABIVersion = 2
	// WITVersion is the WIT package version (binpipe:kernels@0.1.0) this host speaks, packed as
	// major<<16 | minor<<8 | patch.
	WITVersion = 0x000100
)

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

// canonicalIfacePfx starts every canonical export name of a kernel.
const canonicalIfacePfx = "binpipe:kernels/"

// Canonical-ABI export names (wit-bindgen, from wit/kernels.wit): "binpipe:kernels/<interface>
// @0.1.0#<function>", and "cabi_post_" + that name for functions whose result owns memory.
const (
	CanonRealloc = "cabi_realloc"

	CanonCRC32C = canonicalIfacePfx + "checksum@0.1.0#crc32c"
	CanonCRC32  = canonicalIfacePfx + "checksum@0.1.0#crc32"
	CanonXXH3   = canonicalIfacePfx + "checksum@0.1.0#xxh3-64"

	CanonFindByte  = canonicalIfacePfx + "search@0.1.0#find-byte"
	CanonFindAny   = canonicalIfacePfx + "search@0.1.0#find-any"
	CanonCountByte = canonicalIfacePfx + "search@0.1.0#count-byte"
	CanonIndexByte = canonicalIfacePfx + "search@0.1.0#index-byte"
	CanonMismatch  = canonicalIfacePfx + "search@0.1.0#mismatch"

	CanonUTF8Validate = canonicalIfacePfx + "validate@0.1.0#utf8-validate"
	CanonASCIIPrefix  = canonicalIfacePfx + "validate@0.1.0#ascii-prefix"

	CanonHexEncode    = canonicalIfacePfx + "codec@0.1.0#hex-encode"
	CanonHexDecode    = canonicalIfacePfx + "codec@0.1.0#hex-decode"
	CanonBase64Encode = canonicalIfacePfx + "codec@0.1.0#base64-encode"
	CanonBase64Decode = canonicalIfacePfx + "codec@0.1.0#base64-decode"
	CanonVarintEncode = canonicalIfacePfx + "codec@0.1.0#varint-encode"
	CanonVarintDecode = canonicalIfacePfx + "codec@0.1.0#varint-decode"

	CanonShuffle      = canonicalIfacePfx + "transform@0.1.0#shuffle"
	CanonUnshuffle    = canonicalIfacePfx + "transform@0.1.0#unshuffle"
	CanonDeltaEncode  = canonicalIfacePfx + "transform@0.1.0#delta-encode"
	CanonDeltaDecode  = canonicalIfacePfx + "transform@0.1.0#delta-decode"
	CanonByteswap     = canonicalIfacePfx + "transform@0.1.0#byteswap"
	CanonBitpack      = canonicalIfacePfx + "transform@0.1.0#bitpack"
	CanonBitunpack    = canonicalIfacePfx + "transform@0.1.0#bitunpack"
	CanonExtractField = canonicalIfacePfx + "transform@0.1.0#extract-field"

	CanonCompare   = canonicalIfacePfx + "column@0.1.0#compare"
	CanonSelect    = canonicalIfacePfx + "column@0.1.0#select"
	CanonAggregate = canonicalIfacePfx + "column@0.1.0#aggregate"

	CanonRunChain = canonicalIfacePfx + "chain@0.1.0#run-chain"
)

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

// exports lists every function the host calls, with its signature: docs/abi.md for the fast
// path; for the canonical exports, the flattening of their WIT types (a list is (ptr, len), an
// enum, bool, u8 or u32 one i32, a u64 or the scalar variant's payload one i64; a result
// wider than one value comes back as a pointer to a return area).
var exports = map[string]signature{
	FastAlloc:        sig(retI32, i32),
	FastFree:         sig(nil, i32, i32),
	FastLastError:    sig(retI32),
	FastCRC32C:       sig(retI64, i32, i32, i32),
	FastCRC32:        sig(retI64, i32, i32, i32),
	FastXXH3:         sig(retI32, i32, i32, i64, i32),
	FastCountByte:    sig(retI64, i32, i32, i32),
	FastFindByte:     sig(retI64, i32, i32, i32),
	FastFindAny:      sig(retI64, i32, i32, i32, i32),
	FastIndexByte:    sig(retI64, i32, i32, i32, i32, i32),
	FastMismatch:     sig(retI64, i32, i32, i32, i32),
	FastUTF8Validate: sig(retI64, i32, i32),
	FastASCIIPrefix:  sig(retI64, i32, i32),
	FastHexEncode:    sig(retI64, i32, i32, i32, i32, i32),
	FastHexDecode:    sig(retI64, i32, i32, i32, i32),
	FastBase64Encode: sig(retI64, i32, i32, i32, i32, i32, i32),
	FastBase64Decode: sig(retI64, i32, i32, i32, i32, i32, i32),
	FastVarintEncode: sig(retI64, i32, i32, i32, i32),
	FastVarintDecode: sig(retI64, i32, i32, i32, i32),
	FastShuffle:      sig(retI32, i32, i32, i32, i32),
	FastUnshuffle:    sig(retI32, i32, i32, i32, i32),
	FastDeltaEncode:  sig(retI64, i32, i32, i32, i32, i32),
	FastDeltaDecode:  sig(retI64, i32, i32, i32, i32, i32),
	FastByteswap:     sig(retI64, i32, i32, i32, i32, i32),
	FastBitpack:      sig(retI64, i32, i32, i32, i32, i32),
	FastBitunpack:    sig(retI64, i32, i32, i32, i32, i32, i32),
	FastExtractField: sig(retI64, i32, i32, i32, i32, i32, i32, i32),
	FastCompare:      sig(retI64, i32, i32, i32, i32, i32, i32, i32, i64),
	FastSelect:       sig(retI64, i32, i32, i32, i32, i32, i32, i32),
	FastAggregate:    sig(retI32, i32, i32, i32, i32),

	CanonRealloc: sig(retI32, i32, i32, i32, i32),

	CanonCRC32C: sig(retI32, i32, i32, i32),
	CanonCRC32:  sig(retI32, i32, i32, i32),
	CanonXXH3:   sig(retI64, i32, i32, i64),

	CanonFindByte:        sig(retI32, i32, i32, i32),
	CanonFindAny:         sig(retI32, i32, i32, i32, i32),
	Post(CanonFindAny):   sig(nil, i32),
	CanonCountByte:       sig(retI64, i32, i32, i32),
	CanonIndexByte:       sig(retI32, i32, i32, i32),
	Post(CanonIndexByte): sig(nil, i32),
	CanonMismatch:        sig(retI32, i32, i32, i32, i32),

	CanonUTF8Validate: sig(retI32, i32, i32),
	CanonASCIIPrefix:  sig(retI64, i32, i32),

	CanonHexEncode:          sig(retI32, i32, i32, i32),
	Post(CanonHexEncode):    sig(nil, i32),
	CanonHexDecode:          sig(retI32, i32, i32),
	Post(CanonHexDecode):    sig(nil, i32),
	CanonBase64Encode:       sig(retI32, i32, i32, i32, i32),
	Post(CanonBase64Encode): sig(nil, i32),
	CanonBase64Decode:       sig(retI32, i32, i32, i32, i32),
	Post(CanonBase64Decode): sig(nil, i32),
	CanonVarintEncode:       sig(retI32, i32, i32),
	Post(CanonVarintEncode): sig(nil, i32),
	CanonVarintDecode:       sig(retI32, i32, i32),
	Post(CanonVarintDecode): sig(nil, i32),

	CanonShuffle:            sig(retI32, i32, i32, i32),
	Post(CanonShuffle):      sig(nil, i32),
	CanonUnshuffle:          sig(retI32, i32, i32, i32),
	Post(CanonUnshuffle):    sig(nil, i32),
	CanonDeltaEncode:        sig(retI32, i32, i32, i32),
	Post(CanonDeltaEncode):  sig(nil, i32),
	CanonDeltaDecode:        sig(retI32, i32, i32, i32),
	Post(CanonDeltaDecode):  sig(nil, i32),
	CanonByteswap:           sig(retI32, i32, i32, i32),
	Post(CanonByteswap):     sig(nil, i32),
	CanonBitpack:            sig(retI32, i32, i32, i32),
	Post(CanonBitpack):      sig(nil, i32),
	CanonBitunpack:          sig(retI32, i32, i32, i32, i32),
	Post(CanonBitunpack):    sig(nil, i32),
	CanonExtractField:       sig(retI32, i32, i32, i32, i32, i32),
	Post(CanonExtractField): sig(nil, i32),

	CanonCompare:         sig(retI32, i32, i32, i32, i32, i32, i64),
	Post(CanonCompare):   sig(nil, i32),
	CanonSelect:          sig(retI32, i32, i32, i32, i32, i32),
	Post(CanonSelect):    sig(nil, i32),
	CanonAggregate:       sig(retI32, i32, i32, i32),
	Post(CanonAggregate): sig(nil, i32),

	FastRunChain:         sig(retI64, i32, i32, i32, i32, i32, i32, i32),
	FastChainFailedStage: sig(retI32),
	CanonRunChain:        sig(retI32, i32, i32, i32, i32),
	Post(CanonRunChain):  sig(nil, i32),
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
