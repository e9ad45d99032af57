// Package native runs binpipe-kernels' SIMD tiers (AVX2 and AVX-512 on amd64, NEON on arm64)
// inside the Go process, without cgo.
//
// tools/native compiles the kernels crate once per tier into a self-contained, position-
// independent machine-code blob, verifies every instruction of it (no calls out, no writable
// data, no indirect branches, no reachable panic, a bounded stack) and generates the Go
// assembly in this directory: each blob as one 64-byte-aligned TEXT symbol, plus one ABI0
// trampoline per entry point that passes the arguments in the System V (amd64) or AAPCS64
// (arm64) registers. The trampoline sets the calling convention, so one blob serves linux,
// darwin and windows alike. The z*.go and z*.s files are generated (`just native`) and
// checked byte for byte against a rebuild (`just native-reproducible`).
//
// Native code runs unsandboxed in the process, like Go's own assembly: the blobs' safety
// rests on the kernels crate, the verifier and the argument checks every method here makes
// before a call. The wasm backend is the isolated path.
//
// A call into assembly is not a preemption point, so methods split long inputs: one native
// call handles at most about 100 µs of work (chunkBytes, call.go), which bounds how long it can
// delay the garbage collector's stop-the-world.
//
// With the purego build tag, or on other architectures, no assembly is built: Available
// returns nil and New fails.
package native

import "slices"

// Tier is one native code tier.
type Tier uint8

// The tiers. A tier's CPU requirements are checked by Available (cpu_*.go).
const (
	TierNone   Tier = iota // no native code (other GOARCH, purego tag, CPU lacks every tier)
	TierAVX2               // x86-64: AVX2, BMI1, BMI2, POPCNT, LZCNT, FMA, SSE4.2, PCLMULQDQ
	TierAVX512             // x86-64: the AVX2 tier plus AVX-512 F, BW, VL and DQ
	TierNEON               // arm64: Advanced SIMD (always present)
)

// String returns the tier's name: "none", "avx2", "avx512" or "neon".
func (t Tier) String() string {
	switch t {
	case TierAVX2:
		return "avx2"
	case TierAVX512:
		return "avx512"
	case TierNEON:
		return "neon"
	}
	return "none"
}

// Available returns the tiers this build and CPU can run, narrowest first (nil if none).
func Available() []Tier {
	var out []Tier
	for _, t := range []Tier{TierAVX2, TierAVX512, TierNEON} {
		if tables[t] != nil && cpuHas(t) {
			out = append(out, t)
		}
	}
	return out
}

// Kernels runs native code pinned to one tier. The zero value has no tier: every method
// fails with an invalid-argument error.
type Kernels struct {
	t    *table
	tier Tier
	wide bool // the CRCs run their *_wide entries, which fold with VPCLMULQDQ (clmulWide)
}

// New returns the kernels of tier t, and false if t is not in Available().
func New(t Tier) (Kernels, bool) {
	if !slices.Contains(Available(), t) {
		return Kernels{}, false
	}
	return Kernels{t: tables[t], tier: t, wide: clmulWide() && t != TierNEON}, true
}

// Tier returns the tier k runs (TierNone for the zero value).
func (k Kernels) Tier() Tier { return k.tier }

// Has reports whether kernel (its WIT name: "xxh3-64", "base64-encode", ...) runs as native
// code on k's tier.
func (k Kernels) Has(kernel string) bool {
	return k.t != nil && tierKernels[k.tier][kernel]
}

// Kernels returns the WIT names of the kernels that run as native code on k's tier (those Has
// is true for), sorted; nil for the zero value.
func (k Kernels) Kernels() []string {
	if k.t == nil {
		return nil
	}
	out := make([]string, 0, len(tierKernels[k.tier]))
	for name := range tierKernels[k.tier] {
		out = append(out, name)
	}
	slices.Sort(out)
	return out
}
