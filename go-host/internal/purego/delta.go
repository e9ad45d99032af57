package purego

import "encoding/binary"

// SWAR masks: the top bit of each byte, and of each 16-bit lane, of a word.
const (
	high8  = 0x8080_8080_8080_8080
	high16 = 0x8000_8000_8000_8000
)

// sub8 subtracts the eight bytes of b from those of a lane by lane (mod 256): with the top
// bit of each lane of a set, no lane borrows from the next; the top bits are then fixed.
func sub8(a, b uint64) uint64 { return ((a | high8) - (b &^ high8)) ^ ((a ^ ^b) & high8) }

// sub16 is sub8 for four 16-bit lanes.
func sub16(a, b uint64) uint64 { return ((a | high16) - (b &^ high16)) ^ ((a ^ ^b) & high16) }

// DeltaEncode writes the delta coding of src's unsigned little-endian width-byte elements
// into dst (len(dst) == len(src); width 1, 2, 4 or 8, validated by the caller): dst's element
// 0 is src's, element i is src[i] - src[i-1] modulo 2^(8*width); the last len(src)%width
// bytes are copied unchanged.
//
//	purego.DeltaEncode(dst, []byte{5, 7, 6}, 1) // dst = [5 2 255]
//
// One- and two-byte elements go eight bytes at a time: the word minus itself shifted one
// element on (the previous word's last element entering), subtracted lane by lane.
func DeltaEncode(dst, src []byte, width int) {
	body := len(src) - len(src)%width
	dst = dst[:len(src)]
	i := 0
	switch width {
	case 1:
		var prev uint64
		for ; i+8 <= body; i += 8 {
			x := binary.LittleEndian.Uint64(src[i:])
			binary.LittleEndian.PutUint64(dst[i:], sub8(x, x<<8|prev>>56))
			prev = x
		}
		p := byte(prev >> 56)
		for ; i < body; i++ {
			dst[i] = src[i] - p
			p = src[i]
		}
	case 2:
		var prev uint64
		for ; i+8 <= body; i += 8 {
			x := binary.LittleEndian.Uint64(src[i:])
			binary.LittleEndian.PutUint64(dst[i:], sub16(x, x<<16|prev>>48))
			prev = x
		}
		p := uint16(prev >> 48)
		for ; i < body; i += 2 {
			x := binary.LittleEndian.Uint16(src[i:])
			binary.LittleEndian.PutUint16(dst[i:], x-p)
			p = x
		}
	case 4:
		var p uint32
		for ; i < body; i += 4 {
			x := binary.LittleEndian.Uint32(src[i:])
			binary.LittleEndian.PutUint32(dst[i:], x-p)
			p = x
		}
	default:
		var p uint64
		for ; i < body; i += 8 {
			x := binary.LittleEndian.Uint64(src[i:])
			binary.LittleEndian.PutUint64(dst[i:], x-p)
			p = x
		}
	}
	copy(dst[body:], src[body:])
}

// DeltaDecode is the inverse of DeltaEncode: the running sum of the width-byte elements
// modulo 2^(8*width); the last len(src)%width bytes are copied unchanged.
//
// One- and two-byte elements go eight bytes at a time. The even and the odd elements of a word
// are spread into lanes twice as wide, where one multiplication by 0x…0101 (for bytes) gives
// each lane the sum of the lanes below it without overflowing; adding the two halves' sums
// gives every prefix sum, and the running sum so far is added to every lane. The only
// dependency between words is the running sum's addition.
func DeltaDecode(dst, src []byte, width int) {
	body := len(src) - len(src)%width
	dst = dst[:len(src)]
	i := 0
	switch width {
	case 1:
		const lanes, ones = 0x00FF_00FF_00FF_00FF, 0x0001_0001_0001_0001
		var sum uint64 // the running sum (only its low byte counts)
		for ; i+8 <= body; i += 8 {
			x := binary.LittleEndian.Uint64(src[i:])
			even := (x & lanes) * ones     // lane j: b0 + b2 + … + b2j
			odd := (x >> 8 & lanes) * ones // lane j: b1 + b3 + … + b(2j+1)
			c := (sum & 0xFF) * ones       // the running sum in every lane
			upToOdd := even + odd + c      // lane j: the prefix through b(2j+1)
			upToEven := even + odd<<16 + c // lane j: the prefix through b2j
			binary.LittleEndian.PutUint64(dst[i:], upToEven&lanes|(upToOdd&lanes)<<8)
			sum += (even + odd) >> 48
		}
		s := byte(sum)
		for ; i < body; i++ {
			s += src[i]
			dst[i] = s
		}
	case 2:
		const lanes, ones = 0x0000_FFFF_0000_FFFF, 0x0000_0001_0000_0001
		var sum uint64 // the running sum (only its low 16 bits count)
		for ; i+8 <= body; i += 8 {
			x := binary.LittleEndian.Uint64(src[i:])
			even := (x & lanes) * ones      // lane j: e0 + … + e2j
			odd := (x >> 16 & lanes) * ones // lane j: e1 + … + e(2j+1)
			c := (sum & 0xFFFF) * ones
			upToOdd := even + odd + c
			upToEven := even + odd<<32 + c
			binary.LittleEndian.PutUint64(dst[i:], upToEven&lanes|(upToOdd&lanes)<<16)
			sum += (even + odd) >> 32
		}
		s := uint16(sum)
		for ; i < body; i += 2 {
			s += binary.LittleEndian.Uint16(src[i:])
			binary.LittleEndian.PutUint16(dst[i:], s)
		}
	case 4:
		var sum uint32
		for ; i < body; i += 4 {
			sum += binary.LittleEndian.Uint32(src[i:])
			binary.LittleEndian.PutUint32(dst[i:], sum)
		}
	default:
		var sum uint64
		for ; i < body; i += 8 {
			sum += binary.LittleEndian.Uint64(src[i:])
			binary.LittleEndian.PutUint64(dst[i:], sum)
		}
	}
	copy(dst[body:], src[body:])
}
