package purego

import (
	"encoding/binary"
	"slices"
)

// Bitpack appends values packed at bits bits each (0..=32, validated by the caller) to dst:
// value i occupies bits [i*bits, (i+1)*bits) of a little-endian bit stream (stream bit k is bit
// k%8 of byte k/8), ceil(len(values)*bits/8) bytes, unused high bits zero. badIndex is -1, or
// the index of the first value of 2^bits or more (then out is dst unchanged).
//
//	purego.Bitpack(nil, []uint32{1, 2, 3}, 3) // [0xD1 0x00], -1
//
// Values are or-ed into a 64-bit accumulator that is stored 8 bytes at a time.
func Bitpack(dst []byte, values []uint32, bits int) (out []byte, badIndex int) {
	if bits < 32 {
		limit := uint32(1) << bits
		for i, v := range values {
			if v >= limit {
				return dst, i
			}
		}
	}
	n := (len(values)*bits + 7) / 8
	start := len(dst)
	dst = slices.Grow(dst, n+8)
	buf := dst[start : start+n+8]
	var acc uint64
	held, o := 0, 0
	for _, v := range values {
		acc |= uint64(v) << held
		held += bits
		if held >= 64 {
			binary.LittleEndian.PutUint64(buf[o:], acc)
			o += 8
			held -= 64
			// The bits of v that did not fit (none if held is 0: v < 2^bits).
			acc = uint64(v) >> (bits - held)
		}
	}
	for ; held > 0; held -= 8 {
		buf[o] = byte(acc)
		acc >>= 8
		o++
	}
	return dst[:start+n], -1
}

// Bitunpack appends count values of bits bits each (0..=32), unpacked from src, to dst. The
// caller has checked bits and that src holds ceil(count*bits/8) bytes.
//
//	purego.Bitunpack(nil, []byte{0xD1, 0x00}, 3, 3) // [1 2 3]
//
// While 8 bytes can be read where a value starts, it is one 8-byte load, a shift and a mask;
// the last few values are gathered a byte at a time.
func Bitunpack(dst []uint32, src []byte, bits, count int) []uint32 {
	start := len(dst)
	dst = slices.Grow(dst, count)[:start+count]
	out := dst[start:]
	if bits == 0 {
		clear(out)
		return dst
	}
	mask := uint64(1)<<bits - 1
	i, pos := 0, 0
	for ; i < len(out) && pos>>3+8 <= len(src); i++ {
		w := binary.LittleEndian.Uint64(src[pos>>3:])
		out[i] = uint32(w >> (pos & 7) & mask)
		pos += bits
	}
	for ; i < len(out); i++ {
		var w uint64
		for k, at := 0, pos>>3; k*8 < pos&7+bits; k++ {
			w |= uint64(src[at+k]) << (8 * k)
		}
		out[i] = uint32(w >> (pos & 7) & mask)
		pos += bits
	}
	return dst
}
