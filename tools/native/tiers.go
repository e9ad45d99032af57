package main

// tier is one blob: a Rust target, the global target features the shim crate (and with it
// binpipe-kernels, whose tier checks are compile-time without std) is compiled with, and the
// Go architecture that embeds it.
type tier struct {
	name     string // Go-side tier name: "avx2", "avx512", "neon"
	goName   string // the native.Tier constant
	triple   string // Rust target
	goarch   string // "amd64" or "arm64"
	features string // -C target-feature
	extra    []string
}

// x86Base is the AVX2 tier's feature set; it is a subset of every AVX-512 CPU's.
const x86Base = "+avx2,+bmi1,+bmi2,+popcnt,+lzcnt,+fma,+sse4.2,+pclmulqdq"

var tiers = []tier{
	{name: "avx2", goName: "TierAVX2", triple: "x86_64-unknown-linux-gnu", goarch: "amd64",
		features: x86Base},
	{name: "avx512", goName: "TierAVX512", triple: "x86_64-unknown-linux-gnu", goarch: "amd64",
		features: x86Base + ",+avx512f,+avx512bw,+avx512vl,+avx512dq"},
	// code-model tiny: ADR (±1 MiB, PC-relative) instead of ADRP pages, so the blob works at
	// any offset. reserve-x18 keeps LLVM off x18 (the platform register of Darwin and Windows,
	// and reserved by Go); reserve-x28 off x28, Go's g register, which Go's signal handler on
	// linux/arm64 reads as it is (a signal may arrive inside the blob: async preemption).
	// rustc warns that both flags are unstable or being phased out, and the verifier refuses
	// any use of x18 or x28 whatever the flags do.
	{name: "neon", goName: "TierNEON", triple: "aarch64-unknown-linux-gnu", goarch: "arm64",
		features: "+neon,+reserve-x18,+reserve-x28", extra: []string{"-C", "code-model=tiny",
			// AArch64's own jump-table threshold, beside the generic one in rustflags.
			"-C", "llvm-args=-aarch64-min-jump-table-entries=1000000"}},
}

// rustflags are the flags of every tier's build.
func (t tier) rustflags() []string {
	flags := []string{
		"-C", "relocation-model=pie", // PC-relative addressing only
		"-C", "no-redzone=yes", // the trampoline's frame holds everything below SP
		"-C", "force-frame-pointers=yes", // Go's unwinder and profilers walk frame pointers
		"-C", "debuginfo=line-tables-only", // only for the verifier's messages; not in the blob
		"-C", "target-feature=" + t.features,
		// No jump tables (an indirect branch through a table of addresses): switches become
		// compare-and-branch trees. -Z no-jump-tables is nightly-only; this LLVM option is not.
		"-C", "llvm-args=-min-jump-table-entries=1000000",
	}
	return append(flags, t.extra...)
}
