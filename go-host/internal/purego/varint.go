package purego

import (
	"encoding/binary"
	"math/bits"
	"slices"
)

const (
	varintLow7 = 0x7F7F_7F7F_7F7F_7F7F // seven value bits in each byte
	varintHigh = 0x8080_8080_8080_8080 // the continuation bit of each byte
)

// varintSpread puts the low 56 bits of v into eight bytes of 7 bits each (byte i holds bits
// 7i..7i+7, its high bit clear): three shift-and-mask rounds of 28+28, 14+14 and 7+7 bits.
func varintSpread(v uint64) uint64 {
	x := v & 0x00FF_FFFF_FFFF_FFFF
	x = x&0x0FFF_FFFF | (x&0x00FF_FFFF_F000_0000)<<4
	x = x&0x0000_3FFF_0000_3FFF | (x&0x0FFF_C000_0FFF_C000)<<2
	return x&0x007F_007F_007F_007F | (x&0x3F80_3F80_3F80_3F80)<<1
}

// varintCompact is the inverse of varintSpread: the low 7 bits of each byte of w,
// concatenated into a 56-bit value.
func varintCompact(w uint64) uint64 {
	x := w & varintLow7
	x = x&0x007F_007F_007F_007F | (x>>1)&0x3F80_3F80_3F80_3F80
	x = x&0x0000_3FFF_0000_3FFF | (x>>2)&0x0FFF_C000_0FFF_C000
	return x&0x0FFF_FFFF | (x>>4)&0x00FF_FFFF_F000_0000
}

// VarintEncode appends the unsigned LEB128 (protobuf varint) encoding of every value, shortest
// form, to dst and returns the extended slice.
//
//	purego.VarintEncode(nil, []uint64{1, 300}) // [0x01 0xAC 0x02]
//
// A value of 2 bytes or more is one 8-byte store of its spread 7-bit groups with the
// continuation bits or-ed in, and two more bytes for values of 2^56 and up; one-byte values
// are one byte. The slice grows once, by 10 bytes a value (the longest form), and is cut to
// the encoding's length at the end.
func VarintEncode(dst []byte, values []uint64) []byte {
	start := len(dst)
	dst = slices.Grow(dst, 10*len(values)+8)
	buf := dst[start : start+10*len(values)+8]
	o := 0
	for _, v := range values {
		if v < 0x80 {
			buf[o] = byte(v)
			o++
			continue
		}
		// Bytes: ceil(significant bits / 7); all but the last carry the continuation bit.
		n := (64 - bits.LeadingZeros64(v) + 6) / 7
		cont := uint64(varintHigh)
		if n <= 8 {
			cont &= 1<<(8*(n-1)) - 1
		}
		binary.LittleEndian.PutUint64(buf[o:], varintSpread(v)|cont)
		if n > 8 {
			top := byte(v >> 63)
			buf[o+8] = byte(v>>56)&0x7F | top<<7
			buf[o+9] = top
		}
		o += n
	}
	return dst[:start+o]
}

// VarintDecode appends the values of the consecutive LEB128 varints in src to dst. errOffset
// is -1 when src is valid; otherwise out holds a partial result to discard and errOffset is
// the offset of the kernel contract: the tenth byte of a varint must be 0 or 1 (a
// continuation bit there means an eleventh byte, a larger value exceeds 64 bits), else
// errOffset is that byte's offset; a varint cut off by the end of src gives len(src).
// Non-shortest forms are accepted.
//
//	purego.VarintDecode(nil, []byte{0x01, 0xAC, 0x02}) // [1 300], -1
//
// While 8 bytes remain, each varint is one 8-byte load: the first byte below 0x80 (the
// lowest set bit of ^w & 0x8080…80) gives its length, and its 7-bit groups are compacted in
// three shift-and-mask rounds; eight one-byte varints in one word are appended at once.
func VarintDecode(dst []uint64, src []byte) (out []uint64, errOffset int) {
	i := 0
	for i+8 <= len(src) {
		w := binary.LittleEndian.Uint64(src[i:])
		ends := ^w & varintHigh
		if ends == varintHigh {
			dst = append(dst, w&0xFF, w>>8&0xFF, w>>16&0xFF, w>>24&0xFF,
				w>>32&0xFF, w>>40&0xFF, w>>48&0xFF, w>>56)
			i += 8
			continue
		}
		if ends == 0 {
			// Nine bytes or more: the byte loop handles this varint.
			v, next, bad := varintSlow(src, i)
			if bad >= 0 {
				return dst, bad
			}
			dst = append(dst, v)
			i = next
			continue
		}
		end := bits.TrailingZeros64(ends) + 1 // bits up to and including the last byte's
		dst = append(dst, varintCompact(w&(1<<end-1)))
		i += end / 8
	}
	for i < len(src) {
		v, next, bad := varintSlow(src, i)
		if bad >= 0 {
			return dst, bad
		}
		dst = append(dst, v)
		i = next
	}
	return dst, -1
}

// varintSlow decodes the varint at src[i:] a byte at a time: its value and the offset after
// it, or the error offset (else -1).
func varintSlow(src []byte, i int) (v uint64, next, bad int) {
	for k := 0; ; k++ {
		if i+k >= len(src) {
			return 0, 0, len(src)
		}
		b := src[i+k]
		if k == 9 && b > 1 {
			return 0, 0, i + k
		}
		v |= uint64(b&0x7F) << (7 * k)
		if b < 0x80 {
			return v, i + k + 1, -1
		}
	}
}
