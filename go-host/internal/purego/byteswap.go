package purego

import (
	"encoding/binary"
	"math/bits"
)

// Byteswap reverses the bytes of every width-byte element of src into dst (len(dst) ==
// len(src); width 2, 4 or 8, validated by the caller); the last len(src)%width bytes are
// copied unchanged.
//
//	purego.Byteswap(dst, []byte{1, 2, 3, 4, 5}, 2) // dst = [2 1 4 3 5]
//
// Eight bytes at a time: bits.ReverseBytes64 (one BSWAP) reverses a 64-bit element; rotating
// that by 32 puts two reversed 32-bit elements back in place; 16-bit elements swap by masks
// and shifts.
func Byteswap(dst, src []byte, width int) {
	body := len(src) - len(src)%width
	dst = dst[:len(src)]
	i := 0
	switch width {
	case 2:
		const low = 0x00FF_00FF_00FF_00FF
		for ; i+8 <= body; i += 8 {
			x := binary.LittleEndian.Uint64(src[i:])
			binary.LittleEndian.PutUint64(dst[i:], (x&low)<<8|(x>>8)&low)
		}
		for ; i < body; i += 2 {
			dst[i], dst[i+1] = src[i+1], src[i]
		}
	case 4:
		for ; i+8 <= body; i += 8 {
			x := binary.LittleEndian.Uint64(src[i:])
			binary.LittleEndian.PutUint64(dst[i:], bits.RotateLeft64(bits.ReverseBytes64(x), 32))
		}
		for ; i < body; i += 4 {
			binary.BigEndian.PutUint32(dst[i:], binary.LittleEndian.Uint32(src[i:]))
		}
	default:
		for ; i < body; i += 8 {
			binary.BigEndian.PutUint64(dst[i:], binary.LittleEndian.Uint64(src[i:]))
		}
	}
	copy(dst[body:], src[body:])
}
