//go:build !purego

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

// shuffleBody runs the assembly over the first elements of src (n = len(src)/elemSize, the
// plane stride): whole 32-element blocks with AVX2, then at most one 16-element block (or, on
// SSE2 machines, all 16-element blocks) with SSE2. It returns how many elements it handled;
// the caller does the rest. dst and src hold n*elemSize bytes at least and do not overlap.
func shuffleBody(dst, src []byte, n, elemSize int) int {
	done := 0
	if level == levelAVX2 && n >= 32 {
		blocks := n / 32
		switch elemSize {
		case 2:
			shuffle2AVX2(&dst[0], &src[0], n, blocks)
		case 4:
			shuffle4AVX2(&dst[0], &src[0], n, blocks)
		case 8:
			shuffle8AVX2(&dst[0], &src[0], n, blocks)
		}
		done = blocks * 32
	}
	if n-done >= 16 {
		blocks := (n - done) / 16
		// Element done: plane 0 starts at dst[done], its bytes at src[done*elemSize].
		d, s := &dst[done], &src[done*elemSize]
		switch elemSize {
		case 2:
			shuffle2SSE2(d, s, n, blocks)
		case 4:
			shuffle4SSE2(d, s, n, blocks)
		case 8:
			shuffle8SSE2(d, s, n, blocks)
		}
		done += blocks * 16
	}
	return done
}

// unshuffleBody is shuffleBody for Unshuffle.
func unshuffleBody(dst, src []byte, n, elemSize int) int {
	done := 0
	if level == levelAVX2 && n >= 32 {
		blocks := n / 32
		switch elemSize {
		case 2:
			unshuffle2AVX2(&dst[0], &src[0], n, blocks)
		case 4:
			unshuffle4AVX2(&dst[0], &src[0], n, blocks)
		case 8:
			unshuffle8AVX2(&dst[0], &src[0], n, blocks)
		}
		done = blocks * 32
	}
	if n-done >= 16 {
		blocks := (n - done) / 16
		// Element done: its bytes go to dst[done*elemSize], plane 0 starts at src[done].
		d, s := &dst[done*elemSize], &src[done]
		switch elemSize {
		case 2:
			unshuffle2SSE2(d, s, n, blocks)
		case 4:
			unshuffle4SSE2(d, s, n, blocks)
		case 8:
			unshuffle8SSE2(d, s, n, blocks)
		}
		done += blocks * 16
	}
	return done
}

// Implemented in shuffle_amd64.s. Each transforms blocks*32 (AVX2) or blocks*16 (SSE2)
// elements, starting at the element that dst and src point at; n is the total element count
// (the distance between planes). Preconditions, checked by the callers above: blocks >= 1, the
// buffers hold the blocks' bytes, no overlap.

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
