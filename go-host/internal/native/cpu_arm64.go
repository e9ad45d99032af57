//go:build !purego

package native

// cpuHas reports whether the CPU runs tier t: Advanced SIMD is part of the arm64 baseline.
func cpuHas(t Tier) bool { return t == TierNEON }

// clmulWide is false: VPCLMULQDQ is an x86-64 feature (the NEON CRC entries ignore it).
func clmulWide() bool { return false }
