package binpipe

import "unsafe"

// Chains in process: a chain that runs stage by stage in Go memory (RunChain's and
// ChainWorker's Go path) runs each stage natively where the engine routes the stage's kernel
// to native code at that size, with no copy into guest memory. The integer stages
// (varint-encode, varint-decode, bitpack, bitunpack) read or write their values as
// little-endian bytes; natively those bytes are viewed as the kernels' []uint64 or []uint32
// in place, which needs them aligned for the element type: an unaligned buffer (a caller's
// input at an odd offset) takes the Go path for that stage.

// stageKernels maps a stage kind to its kernel.
var stageKernels = [kindCount]kernelID{
	kindShuffle: kShuffle, kindUnshuffle: kUnshuffle,
	kindDeltaEncode: kDeltaEncode, kindDeltaDecode: kDeltaDecode, kindByteswap: kByteswap,
	kindExtractField: kExtractField,
	kindHexEncode:    kHexEncode, kindHexDecode: kHexDecode,
	kindBase64Encode: kBase64Encode, kindBase64Decode: kBase64Decode,
	kindVarintEncode: kVarintEncode, kindVarintDecode: kVarintDecode,
	kindBitpack: kBitpack, kindBitunpack: kBitunpack,
}

// stagePath is the in-process path of the checked stage s on n input bytes: the native tier
// e routes its kernel to at that size, else Go (never the module: this is the stage-by-stage
// path).
func (e *Engine) stagePath(s Stage, n int) path {
	if p := e.route(stageKernels[s.kind], n, false); p.isNative() {
		return p
	}
	return pathGo
}

// applyStage runs the checked stage s on in, in process, writing into out (as applyGo).
func (e *Engine) applyStage(s Stage, out, in []byte) ([]byte, error) {
	p := e.stagePath(s, len(in))
	if !p.isNative() {
		return s.applyGo(out, in)
	}
	ks, dst := e.nk(p), out[:0]
	var err error
	switch s.kind {
	case kindShuffle:
		dst, err = ks.Shuffle(e.ctx, dst, in, uint32(s.a))
	case kindUnshuffle:
		dst, err = ks.Unshuffle(e.ctx, dst, in, uint32(s.a))
	case kindDeltaEncode:
		dst, err = ks.DeltaEncode(e.ctx, dst, in, uint32(s.a))
	case kindDeltaDecode:
		dst, err = ks.DeltaDecode(e.ctx, dst, in, uint32(s.a))
	case kindByteswap:
		dst, err = ks.Byteswap(e.ctx, dst, in, uint32(s.a))
	case kindExtractField:
		dst, err = ks.ExtractField(e.ctx, dst, in, uint32(s.a), uint32(s.b), uint32(s.c))
	case kindHexEncode:
		dst, err = ks.HexEncode(e.ctx, dst, in, s.a != 0)
	case kindHexDecode:
		dst, err = ks.HexDecode(e.ctx, dst, in)
	case kindBase64Encode:
		dst, err = ks.Base64Encode(e.ctx, dst, in, s.a == int(AlphabetURLSafe), s.b != 0)
	case kindBase64Decode:
		dst, err = ks.Base64Decode(e.ctx, dst, in, s.a == int(AlphabetURLSafe), s.b != 0)
	case kindVarintEncode, kindVarintDecode, kindBitpack, kindBitunpack:
		return e.applyIntStage(ks, s, out, in)
	}
	if err != nil {
		return nil, e.nativeErr(s.Name(), err)
	}
	return dst, nil
}

// applyIntStage runs an integer stage natively with its little-endian values viewed in place,
// or in Go where a view is not aligned. out has room for the stage's output bound (the
// applyGo contract), so the native kernels append within it. A native refusal is run again in
// Go, which words the error as every path does (a value too wide for bitpack named by index,
// a malformed varint at its offset).
func (e *Engine) applyIntStage(ks *nativeCalls, s Stage, out, in []byte) ([]byte, error) {
	switch s.kind {
	case kindVarintEncode:
		if vals, ok := wordView[uint64](in); ok && len(in)%8 == 0 {
			if res, err := ks.VarintEncode(e.ctx, out[:0], vals); err == nil {
				return res, nil
			}
		}
	case kindVarintDecode:
		if room, ok := wordView[uint64](out[:0]); ok {
			if vals, err := ks.VarintDecode(e.ctx, room, in); err == nil {
				return within(out, wordBytes(vals)), nil
			}
		}
	case kindBitpack:
		if vals, ok := wordView[uint32](in); ok && len(in)%4 == 0 {
			if res, err := ks.Bitpack(e.ctx, out[:0], vals, uint32(s.a)); err == nil {
				return res, nil
			}
		}
	case kindBitunpack:
		if room, ok := wordView[uint32](out[:0]); ok {
			if vals, err := ks.Bitunpack(e.ctx, room, in, uint32(s.a), uint32(s.b)); err == nil {
				return within(out, wordBytes(vals)), nil
			}
		}
	}
	return s.applyGo(out, in)
}

// within returns b as a prefix of out: b is out's memory when the kernel appended within out's
// capacity, as the output bound provides; otherwise it is copied there.
func within(out, b []byte) []byte {
	if len(b) > 0 && unsafe.SliceData(b) != unsafe.SliceData(out[:cap(out)]) {
		return append(out[:0], b...)
	}
	return out[:len(b)]
}

// wordView is b's memory as a []T of length len(b)/size and capacity cap(b)/size, where size
// is T's; ok is false if b's memory is not aligned for T. Native tiers run only on
// little-endian GOARCHes (amd64, arm64), where each T holds its little-endian bytes.
func wordView[T uint32 | uint64](b []byte) (_ []T, ok bool) {
	size := int(unsafe.Sizeof(T(0)))
	if cap(b) < size {
		return nil, true
	}
	p := unsafe.SliceData(b[:cap(b)])
	if uintptr(unsafe.Pointer(p))%uintptr(size) != 0 {
		return nil, false
	}
	return unsafe.Slice((*T)(unsafe.Pointer(p)), cap(b)/size)[:len(b)/size], true
}

// wordBytes is the memory of v as bytes (the inverse of wordView).
func wordBytes[T uint32 | uint64](v []T) []byte {
	if len(v) == 0 {
		return nil
	}
	return unsafe.Slice((*byte)(unsafe.Pointer(unsafe.SliceData(v))), len(v)*int(unsafe.Sizeof(T(0))))
}
