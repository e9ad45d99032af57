package binpipe

import (
	"errors"
	"sync"

	"github.com/binpipe/binpipe/go-host/internal/callresult"
	"github.com/binpipe/binpipe/go-host/internal/native"
)

// Native code: the crate's SIMD tiers compiled to Go assembly (internal/native). It runs in
// this process, like Go's own assembly, with no copy into guest memory and no sandbox.

// nativeTier is one native tier that this build and CPU can run.
type nativeTier struct {
	p path // pathAVX2, pathAVX512 or pathNEON
	k native.Kernels
}

// has reports whether the tier runs k as native code.
func (t nativeTier) has(k kernelID) bool { return t.k.Has(kernelNames[k]) }

// nativeTiers are the tiers internal/native can run here (none under the purego tag, on other
// GOARCHes and on CPUs without any tier), found once.
var nativeTiers = sync.OnceValue(func() []nativeTier {
	var out []nativeTier
	for _, t := range native.Available() {
		k, ok := native.New(t)
		p, known := tierPath(t)
		if ok && known {
			out = append(out, nativeTier{p, k})
		}
	}
	return out
})

// tierPath is the path of native tier t.
func tierPath(t native.Tier) (path, bool) {
	switch t {
	case native.TierAVX2:
		return pathAVX2, true
	case native.TierAVX512:
		return pathAVX512, true
	case native.TierNEON:
		return pathNEON, true
	}
	return pathGo, false
}

// NativeTiers returns the names of the native tiers this build and CPU can run, for
// WithNativeTier: "avx2" and "avx512" on x86-64 (AVX2 needs BMI1/2, POPCNT, LZCNT and FMA;
// AVX-512 the F, BW, VL and DQ subsets), "neon" on arm64. It is empty under the purego build
// tag, on other GOARCHes and on CPUs that have no tier.
func NativeTiers() []string {
	var out []string
	for _, t := range nativeTiers() {
		out = append(out, t.p.String())
	}
	return out
}

// nativeUnmeasured are the kernels internal/native gained after the committed Auto tables
// (tuned_<class>.go) were last measured. BackendAuto takes their native tiers only where a
// table's entry names one: the structural default "an unmeasured native kernel takes its
// widest tier" does not apply to them, so making a kernel native changes no Auto choice until
// `just tune` has measured it (BackendNative and WithNativeTier run them natively). A class
// whose table has an entry for the kernel follows the entry; remove a kernel from this set once
// every class with native code has been re-measured.
var nativeUnmeasured = [numKernels]bool{kCompare: true, kSelect: true, kAggregate: true,
	kVarintEncode: true, kExtractField: true, kFindByte: true, kUTF8Validate: true}

// nativeCalls is a native tier as the kernels interface the wasm ABIs implement, so the
// kernel functions call it as they call an instance: internal/native has every kernel.
type nativeCalls struct{ native.Kernels }

var _ kernels = native.Kernels{}

// nk returns native path p's tier.
func (e *Engine) nk(p path) *nativeCalls { return e.native[p-pathAVX2] }

// nativeErr converts a native kernel's refusal to a *KernelError, as release does for the
// module's; nil stays nil.
func (e *Engine) nativeErr(kernel string, err error) error {
	if err == nil {
		return nil
	}
	return nativeKernelErr(kernel, err)
}

// nativeKernelErr is nativeErr's conversion of a non-nil error.
func nativeKernelErr(kernel string, err error) error {
	var ke *callresult.Error
	if errors.As(err, &ke) {
		return fromGuest(kernel, ke)
	}
	return err
}

// keep returns out, or orig if err is not nil (the append kernels return dst unchanged on
// error).
func keep[T any](orig, out T, err error) (T, error) {
	if err != nil {
		return orig, err
	}
	return out, nil
}
