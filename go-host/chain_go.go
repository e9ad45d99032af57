package binpipe

import (
	"encoding/binary"
	"strconv"

	"github.com/binpipe/binpipe/go-host/internal/purego"
)

// goSlack is the spare room the Go kernels that store whole words (varint-encode, bitpack)
// need past their output; every Go-side chain buffer has it beyond ChainOutputBound.
const goSlack = 16

// chainChunk is how many values the integer stages convert at a time through an array on the
// stack (a multiple of 8, so a bitpack chunk ends on a byte boundary).
const chainChunk = 512

// applyGo runs the checked stage s on in with the Go kernels, writing into out (which does not
// overlap in and has room for s.outputBound(len(in)) + goSlack bytes), and returns the
// written prefix of out. Errors are *KernelErrors, offsets relative to in.
func (s Stage) applyGo(out, in []byte) ([]byte, error) {
	name := s.Name()
	switch s.kind {
	case kindShuffle:
		out = out[:len(in)]
		purego.Shuffle(out, in, s.a)
	case kindUnshuffle:
		out = out[:len(in)]
		purego.Unshuffle(out, in, s.a)
	case kindDeltaEncode:
		out = out[:len(in)]
		purego.DeltaEncode(out, in, s.a)
	case kindDeltaDecode:
		out = out[:len(in)]
		purego.DeltaDecode(out, in, s.a)
	case kindByteswap:
		out = out[:len(in)]
		purego.Byteswap(out, in, s.a)
	case kindExtractField:
		out = out[:purego.ExtractField(out, in, s.a, s.b, s.c)]
	case kindHexEncode:
		out = out[:2*len(in)]
		purego.HexEncode(out, in, s.a != 0)
	case kindHexDecode:
		n, bad := purego.HexDecode(out, in)
		if bad >= 0 {
			return nil, invalidData(name, bad, "not a hex digit, or an odd number of digits")
		}
		out = out[:n]
	case kindBase64Encode:
		out = out[:purego.Base64Encode(out, in, s.a == int(AlphabetURLSafe), s.b != 0)]
	case kindBase64Decode:
		n, bad := purego.Base64Decode(out, in, s.a == int(AlphabetURLSafe), s.b != 0)
		if bad >= 0 {
			return nil, invalidData(name, bad, "not strict base64")
		}
		out = out[:n]
	case kindVarintEncode:
		return varintEncodeBytes(out[:0], in)
	case kindVarintDecode:
		return varintDecodeBytes(out[:0], in)
	case kindBitpack:
		return bitpackBytes(out[:0], in, s.a)
	case kindBitunpack:
		return bitunpackBytes(out[:0], in, s.a, s.b)
	}
	return out, nil
}

// varintEncodeBytes appends the varints of the little-endian uint64s in src to dst, whose
// capacity has room for 10 bytes a value plus goSlack.
func varintEncodeBytes(dst, src []byte) ([]byte, error) {
	if len(src)%8 != 0 {
		return nil, invalidArgument("varint-encode", "input length "+strconv.Itoa(len(src))+
			" is not a multiple of 8 (little-endian u64 values)")
	}
	var vals [chainChunk]uint64
	for len(src) > 0 {
		k := min(len(src)/8, chainChunk)
		for i := range vals[:k] {
			vals[i] = binary.LittleEndian.Uint64(src[8*i:])
		}
		dst = purego.VarintEncode(dst, vals[:k])
		src = src[8*k:]
	}
	return dst, nil
}

// varintDecodeBytes appends the values of the varints in src to dst as little-endian uint64s.
// It decodes at most chainChunk bytes at a time, cut after a byte that ends a varint, so no
// varint straddles two pieces and every error offset is the one the whole input gives: a piece
// with no varint end in its first chainChunk bytes holds an error at its 11th byte at the
// latest, and only the last piece can end inside a varint.
func varintDecodeBytes(dst, src []byte) ([]byte, error) {
	var vals [chainChunk]uint64
	base := 0
	for base < len(src) {
		end := len(src)
		if end-base > chainChunk {
			end = base + chainChunk
			for end > base && src[end-1]&0x80 != 0 {
				end--
			}
			if end == base {
				end = base + chainChunk
			}
		}
		got, bad := purego.VarintDecode(vals[:0], src[base:end])
		if bad >= 0 {
			return nil, invalidData("varint-decode", base+bad, "malformed varint")
		}
		for _, v := range got {
			dst = binary.LittleEndian.AppendUint64(dst, v)
		}
		base = end
	}
	return dst, nil
}

// bitpackBytes appends the little-endian uint32s of src packed into bits bits each to dst,
// whose capacity has room for the packed bytes plus goSlack.
func bitpackBytes(dst, src []byte, bits int) ([]byte, error) {
	const kernel = "bitpack"
	if len(src)%4 != 0 {
		return nil, invalidArgument(kernel, "input length "+strconv.Itoa(len(src))+
			" is not a multiple of 4 (little-endian u32 values)")
	}
	var vals [chainChunk]uint32
	for base := 0; base < len(src)/4; base += chainChunk {
		k := min(len(src)/4-base, chainChunk)
		for i := range vals[:k] {
			vals[i] = binary.LittleEndian.Uint32(src[4*(base+i):])
		}
		var bad int
		if dst, bad = purego.Bitpack(dst, vals[:k], bits); bad >= 0 {
			return nil, invalidArgument(kernel, "value "+strconv.Itoa(base+bad)+" = "+
				strconv.FormatUint(uint64(vals[bad]), 10)+" does not fit in "+strconv.Itoa(bits)+" bits")
		}
	}
	return dst, nil
}

// bitunpackBytes appends the count values of bits bits each packed in src to dst as
// little-endian uint32s.
func bitunpackBytes(dst, src []byte, bits, count int) ([]byte, error) {
	if need := (uint64(count)*uint64(bits) + 7) / 8; uint64(len(src)) < need {
		return nil, invalidData("bitunpack", len(src), "input ends before "+strconv.Itoa(count)+" values of "+
			strconv.Itoa(bits)+" bits ("+strconv.FormatUint(need, 10)+" bytes)")
	}
	var vals [chainChunk]uint32
	for base := 0; base < count; base += chainChunk {
		k := min(count-base, chainChunk)
		got := purego.Bitunpack(vals[:0], src[base*bits/8:], bits, k)
		for _, v := range got {
			dst = binary.LittleEndian.AppendUint32(dst, v)
		}
	}
	return dst, nil
}
