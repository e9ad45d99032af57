package binpipe

// Chains in process: a chain that runs stage by stage in Go memory (RunChain's and
// ChainWorker's Go path) runs each stage natively where the engine routes the stage's kernel
// to native code at that size, with no copy into guest memory. The integer stages that read
// and write values as little-endian bytes (varint-encode, varint-decode, bitpack, bitunpack)
// stay in Go: the native kernels take and give typed values.

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
	switch s.kind {
	case kindVarintEncode, kindVarintDecode, kindBitpack, kindBitunpack:
		return pathGo
	}
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
	}
	if err != nil {
		return nil, e.nativeErr(s.Name(), err)
	}
	return dst, nil
}
