package shufasm

// level is the best instruction set usable here: AVX2 if the CPU has it and the OS saves the
// YMM registers, else SSE2 (part of the amd64 baseline). Tests lower it to cover SSE2.
var level = detect()

func detect() int {
	if hasAVX2() {
		return levelAVX2
	}
	return levelSSE2
}

// hasAVX2 follows the Intel SDM's recipe: CPUID leaf 1 reports OSXSAVE (ECX bit 27) and AVX
// (ECX bit 28); XGETBV(0) shows the OS enables the XMM and YMM state (XCR0 bits 1 and 2); CPUID
// leaf 7 subleaf 0 reports AVX2 (EBX bit 5).
func hasAVX2() bool {
	maxLeaf, _, _, _ := cpuid(0, 0)
	if maxLeaf < 7 {
		return false
	}
	_, _, ecx1, _ := cpuid(1, 0)
	const osxsave, avx = 1 << 27, 1 << 28
	if ecx1&osxsave == 0 || ecx1&avx == 0 {
		return false
	}
	if xcr0, _ := xgetbv(); xcr0&6 != 6 {
		return false
	}
	_, ebx7, _, _ := cpuid(7, 0)
	return ebx7&(1<<5) != 0
}

// blockLen is the number of elements the assembly handles per loop iteration.
func blockLen() int {
	if level == levelAVX2 {
		return 32
	}
	return 16
}

// shuffleBlocks runs the assembly over blocks*blockLen() elements. The whole input has n
// elements (the plane stride); dst and src point at element 0; blocks >= 1.
func shuffleBlocks(dst, src *byte, n, blocks, elemSize int) {
	avx2 := level == levelAVX2
	switch {
	case elemSize == 2 && avx2:
		shuffle2AVX2(dst, src, n, blocks)
	case elemSize == 4 && avx2:
		shuffle4AVX2(dst, src, n, blocks)
	case elemSize == 8 && avx2:
		shuffle8AVX2(dst, src, n, blocks)
	case elemSize == 2:
		shuffle2SSE2(dst, src, n, blocks)
	case elemSize == 4:
		shuffle4SSE2(dst, src, n, blocks)
	case elemSize == 8:
		shuffle8SSE2(dst, src, n, blocks)
	}
}

func unshuffleBlocks(dst, src *byte, n, blocks, elemSize int) {
	avx2 := level == levelAVX2
	switch {
	case elemSize == 2 && avx2:
		unshuffle2AVX2(dst, src, n, blocks)
	case elemSize == 4 && avx2:
		unshuffle4AVX2(dst, src, n, blocks)
	case elemSize == 8 && avx2:
		unshuffle8AVX2(dst, src, n, blocks)
	case elemSize == 2:
		unshuffle2SSE2(dst, src, n, blocks)
	case elemSize == 4:
		unshuffle4SSE2(dst, src, n, blocks)
	case elemSize == 8:
		unshuffle8SSE2(dst, src, n, blocks)
	}
}

// Implemented in shuffle_amd64.s. Each transforms blocks*32 (AVX2) or blocks*16 (SSE2)
// elements; n is the total element count (distance between planes). Preconditions, checked by
// the callers above: blocks >= 1, the buffers hold n*elemSize bytes, no overlap.

func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
func xgetbv() (eax, edx uint32)

//go:noescape
func shuffle2AVX2(dst, src *byte, n, blocks int)

//go:noescape
func shuffle4AVX2(dst, src *byte, n, blocks int)

//go:noescape
func shuffle8AVX2(dst, src *byte, n, blocks int)

//go:noescape
func unshuffle2AVX2(dst, src *byte, n, blocks int)

//go:noescape
func unshuffle4AVX2(dst, src *byte, n, blocks int)

//go:noescape
func unshuffle8AVX2(dst, src *byte, n, blocks int)

//go:noescape
func shuffle2SSE2(dst, src *byte, n, blocks int)

//go:noescape
func shuffle4SSE2(dst, src *byte, n, blocks int)

//go:noescape
func shuffle8SSE2(dst, src *byte, n, blocks int)

//go:noescape
func unshuffle2SSE2(dst, src *byte, n, blocks int)

//go:noescape
func unshuffle4SSE2(dst, src *byte, n, blocks int)

//go:noescape
func unshuffle8SSE2(dst, src *byte, n, blocks int)
