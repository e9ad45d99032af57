package purego

import (
	"encoding/binary"
	"math/bits"
)

// asciiHighBits is the top bit of each byte of a word.
const asciiHighBits = 0x8080_8080_8080_8080

// ASCIIPrefix returns the length of the longest prefix of data whose bytes are all below 0x80.
//
//	purego.ASCIIPrefix([]byte("abcé")) // 3
//
// It tests 32 bytes per step (four words or-ed), then locates the first byte with its top bit
// set in a word: the lowest set bit of the little-endian word's top bits.
func ASCIIPrefix(data []byte) int {
	i := 0
	for ; i+32 <= len(data); i += 32 {
		w := data[i : i+32 : i+32]
		if (binary.LittleEndian.Uint64(w)|binary.LittleEndian.Uint64(w[8:])|
			binary.LittleEndian.Uint64(w[16:])|binary.LittleEndian.Uint64(w[24:]))&asciiHighBits != 0 {
			break
		}
	}
	for ; i+8 <= len(data); i += 8 {
		if high := binary.LittleEndian.Uint64(data[i:]) & asciiHighBits; high != 0 {
			return i + bits.TrailingZeros64(high)/8
		}
	}
	for ; i < len(data); i++ {
		if data[i] >= 0x80 {
			return i
		}
	}
	return i
}
