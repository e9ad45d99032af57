package binpipe

import (
	"math"
	"math/bits"
	"strconv"
)

// outputBound is the most bytes s writes for an n-byte input (exact where the length does not
// depend on the data). ok is false if the size does not fit in a uint64.
func (s Stage) outputBound(n uint64) (out uint64, ok bool) {
	mul := func(a, b uint64) (uint64, bool) {
		hi, lo := bits.Mul64(a, b)
		return lo, hi == 0
	}
	switch s.kind {
	case kindExtractField:
		return mul(n/uint64(s.a), uint64(s.c))
	case kindHexEncode:
		return mul(n, 2)
	case kindHexDecode:
		return n / 2, true
	case kindBase64Encode:
		return mul((n+2)/3, 4) // the padded length; unpadded is at most this
	case kindBase64Decode:
		return mul((n+3)/4, 3)
	case kindVarintEncode:
		return mul(n/8, 10) // at most 10 bytes per 8-byte value
	case kindVarintDecode:
		return mul(n, 8) // at least 1 byte per value
	case kindBitpack:
		v, ok := mul(n/4, uint64(s.a))
		return (v + 7) / 8, ok
	case kindBitunpack:
		return mul(uint64(s.b), 4)
	}
	return n, true // shuffle, unshuffle, delta, byteswap
}

// chainBound is ChainOutputBound for checked stages.
func chainBound(n int, stages []Stage) (int, error) {
	size, most := uint64(n), uint64(n)
	for i, s := range stages {
		var ok bool
		if size, ok = s.outputBound(size); !ok || size > math.MaxInt {
			return 0, &ChainError{Stage: i, Err: &KernelError{Kernel: s.Name(), Kind: KindTooLarge, Offset: math.MaxInt,
				Message: "the stage's output for a " + strconv.Itoa(n) + "-byte chain input does not fit in an int"}}
		}
		most = max(most, size)
	}
	return int(most), nil
}

// ChainOutputBound returns the size of a buffer that can hold the input and every intermediate
// and final result of running stages on an n-byte input: the largest of n and each stage's
// worst-case output size (for example 2n after a hex-encode, 8n after a varint-decode, 4*count
// after a bitunpack). A ChainWorker sizes its two buffers with it. A bad stage, or a size
// that does not fit in an int, is a *ChainError naming the stage; a negative n is an error
// matching ErrInvalidArgument.
//
//	n, err := binpipe.ChainOutputBound(1<<20, binpipe.DeltaEncodeStage(8), binpipe.HexEncodeStage(false)) // 2 MiB
func ChainOutputBound(n int, stages ...Stage) (int, error) {
	if n < 0 {
		return 0, invalidArgument("run-chain", "input length must be at least 0, got "+strconv.Itoa(n))
	}
	if err := checkChain(stages); err != nil {
		return 0, err
	}
	return chainBound(n, stages)
}

// maxAlignment bounds StreamAlignment's result: a batch must fit in memory, and its length
// in an int (2^31-1 bytes where int has 32 bits).
const maxAlignment = min(1<<40, math.MaxInt)

// blocks describes how a stage maps its input to its output when its result does not depend
// on where a batch starts: every in bytes of input become out bytes of output, independently
// of the bytes around them (varying reports an output length that depends on the data). ok is
// false for stages whose result depends on the batch boundaries, and why says how.
func (s Stage) blocks() (in, out uint64, varying, ok bool, why string) {
	switch s.kind {
	case kindShuffle, kindUnshuffle:
		if s.a == 1 { // one-byte elements: a copy
			return 1, 1, false, true, ""
		}
		return 0, 0, false, false, "the position of every byte depends on the batch length"
	case kindDeltaEncode, kindDeltaDecode:
		return 0, 0, false, false, "each element depends on the one before it, across the batch boundary"
	case kindByteswap:
		return uint64(s.a), uint64(s.a), false, true, ""
	case kindExtractField:
		return uint64(s.a), uint64(s.c), false, true, ""
	case kindHexEncode:
		return 1, 2, false, true, ""
	case kindHexDecode:
		return 2, 1, false, true, ""
	case kindBase64Encode:
		return 3, 4, false, true, ""
	case kindBase64Decode:
		return 4, 3, false, true, ""
	case kindVarintEncode:
		return 8, 0, true, true, ""
	case kindVarintDecode:
		return 0, 0, false, false, "a varint may straddle the batch boundary (the boundaries are in the data)"
	case kindBitpack:
		// k values fill whole bytes: k*bits is a multiple of 8.
		k := uint64(8 / gcd(s.a, 8))
		return 4 * k, k * uint64(s.a) / 8, false, true, ""
	case kindBitunpack:
		return 0, 0, false, false, "its value count is fixed per call, not per batch"
	}
	return 0, 0, false, false, "invalid stage"
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// StreamAlignment returns the smallest batch size A such that running stages on each batch of
// a stream and concatenating the results equals running them on the whole stream, whenever
// every batch but the last is a multiple of A bytes: 1 for an empty chain or hex-encode, 3 for
// base64-encode, the record size for extract-field, 8 for varint-encode, 32 for bitpack:3, the
// least common multiple along the chain (a stage's block counted in chain-input bytes). A
// pipeline rounds its batch size up to a multiple of it.
//
// Stages whose result depends on the batch boundaries (shuffle and unshuffle of elements
// wider than one byte, delta-encode, delta-decode, varint-decode, bitunpack), and stages that
// need whole blocks after one whose output length depends on the data (varint-encode), make it
// fail with a *ChainError naming the first such stage, matching ErrInvalidArgument. Bad stages
// fail as in RunChain.
func StreamAlignment(stages ...Stage) (int, error) {
	if err := checkChain(stages); err != nil {
		return 0, err
	}
	// A batch of align chain-input bytes reaches stage i as align*num/den bytes.
	align, num, den := uint64(1), uint64(1), uint64(1)
	varyingFrom := -1 // the stage whose output length depends on the data, if any
	for i, s := range stages {
		in, out, varying, ok, why := s.blocks()
		fail := func(msg string) (int, error) {
			return 0, &ChainError{Stage: i, Err: invalidArgument(s.Name(),
				"stage "+s.String()+" cannot run per batch: "+msg)}
		}
		if !ok {
			return fail(why)
		}
		if num == 0 { // an earlier stage produced nothing: any batch size works from here
			continue
		}
		if varyingFrom >= 0 {
			if in > 1 {
				return fail("it needs whole " + strconv.FormatUint(in, 10) + "-byte blocks, but stage " +
					strconv.Itoa(varyingFrom) + " (" + stages[varyingFrom].String() + ") before it writes a data-dependent length")
			}
			continue
		}
		// align*num/den must be a multiple of in: align a multiple of den*in / gcd(num, den*in).
		tooBig := "the batch alignment exceeds " + strconv.Itoa(maxAlignment) + " bytes"
		need, ok := mulBounded(den, in)
		if !ok {
			return fail(tooBig)
		}
		step := need / gcd64(num, need)
		if align, ok = mulBounded(align/gcd64(align, step), step); !ok {
			return fail(tooBig)
		}
		if varying {
			varyingFrom = i
			continue
		}
		n2, ok1 := mulBounded(num, out)
		d2, ok2 := mulBounded(den, in)
		if !ok1 || !ok2 {
			return fail(tooBig)
		}
		g := gcd64(n2, d2)
		num, den = n2/g, d2/g
	}
	return int(align), nil
}

// mulBounded is a*b, and whether it is at most maxAlignment.
func mulBounded(a, b uint64) (uint64, bool) {
	hi, lo := bits.Mul64(a, b)
	return lo, hi == 0 && lo <= maxAlignment
}

func gcd64(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}
