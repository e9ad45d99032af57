//go:build !purego

package native

import (
	"testing"

	"golang.org/x/sys/cpu"
)

// TestClmulWide checks the VPCLMULQDQ bit read with CPUID against golang.org/x/sys/cpu where
// that package reports it (with AVX-512).
func TestClmulWide(t *testing.T) {
	t.Logf("VPCLMULQDQ: %v", clmulWide())
	if !cpu.X86.HasAVX512 {
		t.Skip("no AVX-512: x/sys/cpu does not report VPCLMULQDQ to compare with")
	}
	if clmulWide() != cpu.X86.HasAVX512VPCLMULQDQ {
		t.Errorf("CPUID says VPCLMULQDQ %v, x/sys/cpu %v", clmulWide(), cpu.X86.HasAVX512VPCLMULQDQ)
	}
}
