//go:build !purego

// Byte shuffle and unshuffle for 2-, 4- and 8-byte elements on amd64 (AVX2, and an SSE2
// version that every amd64 CPU has). See shuffle_amd64.go for the contract; the Go wrapper
// handles the elements left over after the last whole block and the len%elemSize tail.
//
// How it works. Shuffle is a transpose of an n×es byte matrix (rows = elements). Take a block
// of 16 elements held in es 16-byte registers; give each byte an address a = 16*reg + pos.
// One "zip stage" maps registers in[0..R) to out[0..R) with
//
//	out[2i]   = PUNPCKLBW(in[i], in[i+R/2])   (bytes 0-7 of both, interleaved)
//	out[2i+1] = PUNPCKHBW(in[i], in[i+R/2])   (bytes 8-15 of both, interleaved)
//
// which moves the byte at address a to address rotl(a, 1) (rotation within log2(16*R) bits):
// the top register bit becomes the new low position bit, and the top position bit becomes the
// new low register bit. In a block, the byte j of element e sits at address e*es + j before a
// shuffle and at j*16 + e after it, i.e. the address rotated left by 4 bits: a shuffle is 4
// zip stages, whatever es is. An unshuffle rotates the other way by 4, which is the same as
// rotating left by log2(es): 1, 2 or 3 zip stages.
//
// The AVX2 code runs two 16-element blocks at once, one per 128-bit lane (VPUNPCK*BW work
// within lanes): block A (elements 0-15) in the low lanes, block B (16-31) in the high lanes.
// For shuffle, the input registers are assembled from the two blocks (VINSERTI128), and the
// output registers hold 32 consecutive bytes of a plane: one store each. For unshuffle the input
// registers are 32 consecutive bytes of a plane, and the outputs are recombined with
// VPERM2I128 into 32 consecutive output bytes per store.
//
// Register roles in every function:
//	DI   dst pointer (shuffle: plane 0 of the current block; unshuffle: the current block)
//	SI   src pointer (shuffle: the current block; unshuffle: plane 0 of the current block)
//	DX   n, the distance between planes (number of elements in the whole input)
//	BX   3*n, R8 = plane 4 (es 8 only): planes 3, 5, 6, 7 are reached as (R8)/(BX) sums
//	CX   blocks left; the loop runs while CX > 0 (the wrapper passes CX >= 1)
// Invariant at the top of each loop: every block before the current one is fully written;
// DI, SI (and R8) point at the current block's first byte in their buffers.
// dst and src must not overlap (the stores of one block could clobber later loads).

#include "textflag.h"

// ZIPY: lo/hi = the low/high 8 bytes of each 128-bit lane of a and b, interleaved (a first).
#define ZIPY(a, b, lo, hi) VPUNPCKLBW b, a, lo; VPUNPCKHBW b, a, hi

// ZIPX: the SSE2 version (two-operand: copy a first).
#define ZIPX(a, b, lo, hi) MOVO a, lo; MOVO a, hi; PUNPCKLBW b, lo; PUNPCKHBW b, hi

// One zip stage over 2, 4 or 8 registers: i* in, o* out (distinct from the inputs).
#define STAGE2Y(i0, i1, o0, o1) ZIPY(i0, i1, o0, o1)
#define STAGE4Y(i0, i1, i2, i3, o0, o1, o2, o3) ZIPY(i0, i2, o0, o1); ZIPY(i1, i3, o2, o3)
#define STAGE8Y(i0, i1, i2, i3, i4, i5, i6, i7, o0, o1, o2, o3, o4, o5, o6, o7) \
	ZIPY(i0, i4, o0, o1); ZIPY(i1, i5, o2, o3); ZIPY(i2, i6, o4, o5); ZIPY(i3, i7, o6, o7)
#define STAGE2X(i0, i1, o0, o1) ZIPX(i0, i1, o0, o1)
#define STAGE4X(i0, i1, i2, i3, o0, o1, o2, o3) ZIPX(i0, i2, o0, o1); ZIPX(i1, i3, o2, o3)
#define STAGE8X(i0, i1, i2, i3, i4, i5, i6, i7, o0, o1, o2, o3, o4, o5, o6, o7) \
	ZIPX(i0, i4, o0, o1); ZIPX(i1, i5, o2, o3); ZIPX(i2, i6, o4, o5); ZIPX(i3, i7, o6, o7)

// LOAD2Y: register r of both blocks: block A's 16 bytes at off(SI), block B's at off+lane(SI).
#define LOAD2Y(off, lane, y, x) VMOVDQU off(SI), x; VINSERTI128 $1, off+lane(SI), y, y

// func cpuid(eaxArg, ecxArg uint32) (eax, ebx, ecx, edx uint32)
TEXT ·cpuid(SB), NOSPLIT, $0-24
	MOVL eaxArg+0(FP), AX
	MOVL ecxArg+4(FP), CX
	CPUID
	MOVL AX, eax+8(FP)
	MOVL BX, ebx+12(FP)
	MOVL CX, ecx+16(FP)
	MOVL DX, edx+20(FP)
	RET

// func xgetbv() (eax, edx uint32)  -- XCR0, the register states the OS saves.
TEXT ·xgetbv(SB), NOSPLIT, $0-8
	MOVL $0, CX
	XGETBV
	MOVL AX, eax+0(FP)
	MOVL DX, edx+4(FP)
	RET

// ---------------------------------------------------------------------------------------------
// AVX2: 32 elements per iteration.

// func shuffle2AVX2(dst, src *byte, n, blocks int)
// Block: 64 src bytes -> 32 bytes in each of 2 planes.
TEXT ·shuffle2AVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ blocks+24(FP), CX
s2y_loop:
	LOAD2Y(0, 32, Y0, X0)
	LOAD2Y(16, 32, Y1, X1)
	STAGE2Y(Y0, Y1, Y2, Y3)
	STAGE2Y(Y2, Y3, Y0, Y1)
	STAGE2Y(Y0, Y1, Y2, Y3)
	STAGE2Y(Y2, Y3, Y0, Y1) // Y0, Y1 = planes 0, 1 of elements 0-31
	VMOVDQU Y0, (DI)
	VMOVDQU Y1, (DI)(DX*1)
	ADDQ $64, SI
	ADDQ $32, DI
	DECQ CX
	JNZ  s2y_loop
	VZEROUPPER
	RET

// func shuffle4AVX2(dst, src *byte, n, blocks int)
// Block: 128 src bytes -> 32 bytes in each of 4 planes.
TEXT ·shuffle4AVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ blocks+24(FP), CX
	LEAQ (DX)(DX*2), BX
s4y_loop:
	LOAD2Y(0, 64, Y0, X0)
	LOAD2Y(16, 64, Y1, X1)
	LOAD2Y(32, 64, Y2, X2)
	LOAD2Y(48, 64, Y3, X3)
	STAGE4Y(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7)
	STAGE4Y(Y4, Y5, Y6, Y7, Y0, Y1, Y2, Y3)
	STAGE4Y(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7)
	STAGE4Y(Y4, Y5, Y6, Y7, Y0, Y1, Y2, Y3) // Y0-Y3 = planes 0-3 of elements 0-31
	VMOVDQU Y0, (DI)
	VMOVDQU Y1, (DI)(DX*1)
	VMOVDQU Y2, (DI)(DX*2)
	VMOVDQU Y3, (DI)(BX*1)
	ADDQ $128, SI
	ADDQ $32, DI
	DECQ CX
	JNZ  s4y_loop
	VZEROUPPER
	RET

// func shuffle8AVX2(dst, src *byte, n, blocks int)
// Block: 256 src bytes -> 32 bytes in each of 8 planes. R8 tracks plane 4.
TEXT ·shuffle8AVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ blocks+24(FP), CX
	LEAQ (DX)(DX*2), BX
	LEAQ (DI)(DX*4), R8
s8y_loop:
	LOAD2Y(0, 128, Y0, X0)
	LOAD2Y(16, 128, Y1, X1)
	LOAD2Y(32, 128, Y2, X2)
	LOAD2Y(48, 128, Y3, X3)
	LOAD2Y(64, 128, Y4, X4)
	LOAD2Y(80, 128, Y5, X5)
	LOAD2Y(96, 128, Y6, X6)
	LOAD2Y(112, 128, Y7, X7)
	STAGE8Y(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15)
	STAGE8Y(Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15, Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7)
	STAGE8Y(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15)
	STAGE8Y(Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15, Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7)
	// Y0-Y7 = planes 0-7 of elements 0-31
	VMOVDQU Y0, (DI)
	VMOVDQU Y1, (DI)(DX*1)
	VMOVDQU Y2, (DI)(DX*2)
	VMOVDQU Y3, (DI)(BX*1)
	VMOVDQU Y4, (R8)
	VMOVDQU Y5, (R8)(DX*1)
	VMOVDQU Y6, (R8)(DX*2)
	VMOVDQU Y7, (R8)(BX*1)
	ADDQ $256, SI
	ADDQ $32, DI
	ADDQ $32, R8
	DECQ CX
	JNZ  s8y_loop
	VZEROUPPER
	RET

// func unshuffle2AVX2(dst, src *byte, n, blocks int)
// Block: 32 bytes of each of 2 planes -> 64 dst bytes.
TEXT ·unshuffle2AVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ blocks+24(FP), CX
u2y_loop:
	VMOVDQU (SI), Y0
	VMOVDQU (SI)(DX*1), Y1
	STAGE2Y(Y0, Y1, Y2, Y3)
	// Y2, Y3 = output chunks 0, 1: block A in the low lanes, block B in the high lanes.
	VPERM2I128 $0x20, Y3, Y2, Y0 // block A: elements 0-15
	VPERM2I128 $0x31, Y3, Y2, Y1 // block B: elements 16-31
	VMOVDQU Y0, (DI)
	VMOVDQU Y1, 32(DI)
	ADDQ $32, SI
	ADDQ $64, DI
	DECQ CX
	JNZ  u2y_loop
	VZEROUPPER
	RET

// func unshuffle4AVX2(dst, src *byte, n, blocks int)
// Block: 32 bytes of each of 4 planes -> 128 dst bytes.
TEXT ·unshuffle4AVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ blocks+24(FP), CX
	LEAQ (DX)(DX*2), BX
u4y_loop:
	VMOVDQU (SI), Y0
	VMOVDQU (SI)(DX*1), Y1
	VMOVDQU (SI)(DX*2), Y2
	VMOVDQU (SI)(BX*1), Y3
	STAGE4Y(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7)
	STAGE4Y(Y4, Y5, Y6, Y7, Y0, Y1, Y2, Y3)
	// Y0-Y3 = output chunks 0-3 (16 bytes each) of block A (low lanes) and B (high lanes).
	VPERM2I128 $0x20, Y1, Y0, Y4
	VPERM2I128 $0x20, Y3, Y2, Y5
	VPERM2I128 $0x31, Y1, Y0, Y6
	VPERM2I128 $0x31, Y3, Y2, Y7
	VMOVDQU Y4, (DI)
	VMOVDQU Y5, 32(DI)
	VMOVDQU Y6, 64(DI)
	VMOVDQU Y7, 96(DI)
	ADDQ $32, SI
	ADDQ $128, DI
	DECQ CX
	JNZ  u4y_loop
	VZEROUPPER
	RET

// func unshuffle8AVX2(dst, src *byte, n, blocks int)
// Block: 32 bytes of each of 8 planes -> 256 dst bytes. R8 tracks plane 4.
TEXT ·unshuffle8AVX2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ blocks+24(FP), CX
	LEAQ (DX)(DX*2), BX
	LEAQ (SI)(DX*4), R8
u8y_loop:
	VMOVDQU (SI), Y0
	VMOVDQU (SI)(DX*1), Y1
	VMOVDQU (SI)(DX*2), Y2
	VMOVDQU (SI)(BX*1), Y3
	VMOVDQU (R8), Y4
	VMOVDQU (R8)(DX*1), Y5
	VMOVDQU (R8)(DX*2), Y6
	VMOVDQU (R8)(BX*1), Y7
	STAGE8Y(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15)
	STAGE8Y(Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15, Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7)
	STAGE8Y(Y0, Y1, Y2, Y3, Y4, Y5, Y6, Y7, Y8, Y9, Y10, Y11, Y12, Y13, Y14, Y15)
	// Y8-Y15 = output chunks 0-7 of block A (low lanes) and B (high lanes).
	VPERM2I128 $0x20, Y9, Y8, Y0
	VPERM2I128 $0x20, Y11, Y10, Y1
	VPERM2I128 $0x20, Y13, Y12, Y2
	VPERM2I128 $0x20, Y15, Y14, Y3
	VPERM2I128 $0x31, Y9, Y8, Y4
	VPERM2I128 $0x31, Y11, Y10, Y5
	VPERM2I128 $0x31, Y13, Y12, Y6
	VPERM2I128 $0x31, Y15, Y14, Y7
	VMOVDQU Y0, (DI)
	VMOVDQU Y1, 32(DI)
	VMOVDQU Y2, 64(DI)
	VMOVDQU Y3, 96(DI)
	VMOVDQU Y4, 128(DI)
	VMOVDQU Y5, 160(DI)
	VMOVDQU Y6, 192(DI)
	VMOVDQU Y7, 224(DI)
	ADDQ $32, SI
	ADDQ $32, R8
	ADDQ $256, DI
	DECQ CX
	JNZ  u8y_loop
	VZEROUPPER
	RET

// ---------------------------------------------------------------------------------------------
// SSE2: 16 elements (one block) per iteration, same networks on 16-byte registers.

// func shuffle2SSE2(dst, src *byte, n, blocks int)
TEXT ·shuffle2SSE2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ blocks+24(FP), CX
s2x_loop:
	MOVOU (SI), X0
	MOVOU 16(SI), X1
	STAGE2X(X0, X1, X2, X3)
	STAGE2X(X2, X3, X0, X1)
	STAGE2X(X0, X1, X2, X3)
	STAGE2X(X2, X3, X0, X1) // X0, X1 = planes 0, 1 of elements 0-15
	MOVOU X0, (DI)
	MOVOU X1, (DI)(DX*1)
	ADDQ  $32, SI
	ADDQ  $16, DI
	DECQ  CX
	JNZ   s2x_loop
	RET

// func shuffle4SSE2(dst, src *byte, n, blocks int)
TEXT ·shuffle4SSE2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ blocks+24(FP), CX
	LEAQ (DX)(DX*2), BX
s4x_loop:
	MOVOU (SI), X0
	MOVOU 16(SI), X1
	MOVOU 32(SI), X2
	MOVOU 48(SI), X3
	STAGE4X(X0, X1, X2, X3, X4, X5, X6, X7)
	STAGE4X(X4, X5, X6, X7, X0, X1, X2, X3)
	STAGE4X(X0, X1, X2, X3, X4, X5, X6, X7)
	STAGE4X(X4, X5, X6, X7, X0, X1, X2, X3) // X0-X3 = planes 0-3 of elements 0-15
	MOVOU X0, (DI)
	MOVOU X1, (DI)(DX*1)
	MOVOU X2, (DI)(DX*2)
	MOVOU X3, (DI)(BX*1)
	ADDQ  $64, SI
	ADDQ  $16, DI
	DECQ  CX
	JNZ   s4x_loop
	RET

// func shuffle8SSE2(dst, src *byte, n, blocks int)
TEXT ·shuffle8SSE2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ blocks+24(FP), CX
	LEAQ (DX)(DX*2), BX
	LEAQ (DI)(DX*4), R8
s8x_loop:
	MOVOU (SI), X0
	MOVOU 16(SI), X1
	MOVOU 32(SI), X2
	MOVOU 48(SI), X3
	MOVOU 64(SI), X4
	MOVOU 80(SI), X5
	MOVOU 96(SI), X6
	MOVOU 112(SI), X7
	STAGE8X(X0, X1, X2, X3, X4, X5, X6, X7, X8, X9, X10, X11, X12, X13, X14, X15)
	STAGE8X(X8, X9, X10, X11, X12, X13, X14, X15, X0, X1, X2, X3, X4, X5, X6, X7)
	STAGE8X(X0, X1, X2, X3, X4, X5, X6, X7, X8, X9, X10, X11, X12, X13, X14, X15)
	STAGE8X(X8, X9, X10, X11, X12, X13, X14, X15, X0, X1, X2, X3, X4, X5, X6, X7)
	// X0-X7 = planes 0-7 of elements 0-15
	MOVOU X0, (DI)
	MOVOU X1, (DI)(DX*1)
	MOVOU X2, (DI)(DX*2)
	MOVOU X3, (DI)(BX*1)
	MOVOU X4, (R8)
	MOVOU X5, (R8)(DX*1)
	MOVOU X6, (R8)(DX*2)
	MOVOU X7, (R8)(BX*1)
	ADDQ  $128, SI
	ADDQ  $16, DI
	ADDQ  $16, R8
	DECQ  CX
	JNZ   s8x_loop
	RET

// func unshuffle2SSE2(dst, src *byte, n, blocks int)
TEXT ·unshuffle2SSE2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ blocks+24(FP), CX
u2x_loop:
	MOVOU (SI), X0
	MOVOU (SI)(DX*1), X1
	STAGE2X(X0, X1, X2, X3) // X2, X3 = output bytes 0-15, 16-31
	MOVOU X2, (DI)
	MOVOU X3, 16(DI)
	ADDQ  $16, SI
	ADDQ  $32, DI
	DECQ  CX
	JNZ   u2x_loop
	RET

// func unshuffle4SSE2(dst, src *byte, n, blocks int)
TEXT ·unshuffle4SSE2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ blocks+24(FP), CX
	LEAQ (DX)(DX*2), BX
u4x_loop:
	MOVOU (SI), X0
	MOVOU (SI)(DX*1), X1
	MOVOU (SI)(DX*2), X2
	MOVOU (SI)(BX*1), X3
	STAGE4X(X0, X1, X2, X3, X4, X5, X6, X7)
	STAGE4X(X4, X5, X6, X7, X0, X1, X2, X3) // X0-X3 = output bytes 0-63
	MOVOU X0, (DI)
	MOVOU X1, 16(DI)
	MOVOU X2, 32(DI)
	MOVOU X3, 48(DI)
	ADDQ  $16, SI
	ADDQ  $64, DI
	DECQ  CX
	JNZ   u4x_loop
	RET

// func unshuffle8SSE2(dst, src *byte, n, blocks int)
TEXT ·unshuffle8SSE2(SB), NOSPLIT, $0-32
	MOVQ dst+0(FP), DI
	MOVQ src+8(FP), SI
	MOVQ n+16(FP), DX
	MOVQ blocks+24(FP), CX
	LEAQ (DX)(DX*2), BX
	LEAQ (SI)(DX*4), R8
u8x_loop:
	MOVOU (SI), X0
	MOVOU (SI)(DX*1), X1
	MOVOU (SI)(DX*2), X2
	MOVOU (SI)(BX*1), X3
	MOVOU (R8), X4
	MOVOU (R8)(DX*1), X5
	MOVOU (R8)(DX*2), X6
	MOVOU (R8)(BX*1), X7
	STAGE8X(X0, X1, X2, X3, X4, X5, X6, X7, X8, X9, X10, X11, X12, X13, X14, X15)
	STAGE8X(X8, X9, X10, X11, X12, X13, X14, X15, X0, X1, X2, X3, X4, X5, X6, X7)
	STAGE8X(X0, X1, X2, X3, X4, X5, X6, X7, X8, X9, X10, X11, X12, X13, X14, X15)
	// X8-X15 = output bytes 0-127
	MOVOU X8, (DI)
	MOVOU X9, 16(DI)
	MOVOU X10, 32(DI)
	MOVOU X11, 48(DI)
	MOVOU X12, 64(DI)
	MOVOU X13, 80(DI)
	MOVOU X14, 96(DI)
	MOVOU X15, 112(DI)
	ADDQ  $16, SI
	ADDQ  $16, R8
	ADDQ  $128, DI
	DECQ  CX
	JNZ   u8x_loop
	RET
