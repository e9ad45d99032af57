package purego

import "encoding/hex"

// hexUpper holds the uppercase digits of every byte, two per entry, high nibble first.
var hexUpper = func() (t [512]byte) {
	const digits = "0123456789ABCDEF"
	for i := range 256 {
		t[2*i], t[2*i+1] = digits[i>>4], digits[i&15]
	}
	return t
}()

// hexValue maps every byte to its value as a hex digit (0-9, a-f, A-F), or 0xFF.
var hexValue = func() (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	for i := range 10 {
		t['0'+i] = byte(i)
	}
	for i := range 6 {
		t['a'+i], t['A'+i] = byte(10+i), byte(10+i)
	}
	return t
}()

// HexEncode writes two hex digits per byte of src to dst, high nibble first: 0-9a-f, or with
// upper 0-9A-F. len(dst) must be at least 2*len(src).
//
//	dst := make([]byte, 4)
//	purego.HexEncode(dst, []byte{0x01, 0xAB}, true) // dst is "01AB"
//
// Lowercase is encoding/hex.Encode; uppercase reads both digits of a byte from one table.
func HexEncode(dst, src []byte, upper bool) {
	if !upper {
		hex.Encode(dst, src)
		return
	}
	dst = dst[:2*len(src)]
	for i, b := range src {
		dst[2*i], dst[2*i+1] = hexUpper[2*int(b)], hexUpper[2*int(b)+1]
	}
}

// HexDecode decodes the hex digits of src (0-9, a-f, A-F, nothing else) into dst, which must
// hold len(src)/2 bytes, and returns the number of bytes written and -1. On invalid input it
// returns 0 and the offset of the error (dst then holds unspecified bytes), as the kernel
// contract says: the offset of the first byte that is not a hex digit, else, for an odd
// number of digits, len(src).
//
//	n, off := purego.HexDecode(dst, []byte("01aB")) // dst[:n] is {0x01, 0xAB}, off is -1
//	_, off = purego.HexDecode(dst, []byte("0x00"))  // off is 1
func HexDecode(dst, src []byte) (n int, errOffset int) {
	pairs := len(src) / 2
	dst = dst[:pairs]
	for i := range dst {
		hi, lo := hexValue[src[2*i]], hexValue[src[2*i+1]]
		if (hi|lo)&0xF0 != 0 {
			if hi == 0xFF {
				return 0, 2 * i
			}
			return 0, 2*i + 1
		}
		dst[i] = hi<<4 | lo
	}
	if len(src)%2 == 1 {
		if hexValue[src[len(src)-1]] == 0xFF {
			return 0, len(src) - 1
		}
		return 0, len(src)
	}
	return pairs, -1
}
