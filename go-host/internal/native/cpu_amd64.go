//go:build !purego

package native

import "golang.org/x/sys/cpu"

// cpuHas reports whether the CPU and OS run tier t. golang.org/x/sys/cpu (maintained with
// Go, already in this module's graph through wazero) reports AVX, AVX2 and AVX-512 only when
// the OS saves the YMM/ZMM state (XCR0 via XGETBV, and Darwin's on-demand AVX-512).
//
// It has no LZCNT flag: every CPU with AVX2 and BMI1 has LZCNT (Intel from Haswell, which
// introduced all three; AMD since K10's ABM), so the AVX2 tier does not check it separately.
func cpuHas(t Tier) bool {
	x := &cpu.X86
	avx2 := x.HasAVX2 && x.HasBMI1 && x.HasBMI2 && x.HasPOPCNT && x.HasFMA && x.HasSSE42 && x.HasPCLMULQDQ
	switch t {
	case TierAVX2:
		return avx2
	case TierAVX512:
		return avx2 && x.HasAVX512F && x.HasAVX512BW && x.HasAVX512VL && x.HasAVX512DQ
	}
	return false
}

// clmulWide reports whether the CPU has VPCLMULQDQ (CPUID leaf 7, ECX bit 10), which the CRC
// entries then fold with: 256 bits at a time on the AVX2 tier, 512 on the AVX-512 tier (the
// tiers' own checks cover the OS's vector state). golang.org/x/sys/cpu reports the bit only
// with AVX-512 (HasAVX512VPCLMULQDQ), and AVX2 CPUs have it too (AMD Zen 3), so the bit is
// read here.
func clmulWide() bool {
	if max, _, _, _ := cpuid(0, 0); max < 7 {
		return false
	}
	_, _, ecx, _ := cpuid(7, 0)
	return ecx&(1<<10) != 0
}

// cpuid executes CPUID with EAX = leaf and ECX = subleaf (cpuid_amd64.s).
//
//go:noescape
func cpuid(leaf, subleaf uint32) (eax, ebx, ecx, edx uint32)
