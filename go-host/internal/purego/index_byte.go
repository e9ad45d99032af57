package purego

import "bytes"

// IndexByte appends to dst the offset of every byte of data equal to needle, ascending, and
// returns the extended slice.
//
//	offsets := purego.IndexByte(nil, []byte("a\nb\n"), '\n') // [1 3]
//
// The caller has checked that len(data) fits in a uint32. Sparse needles are found by
// bytes.IndexByte (the standard library's vector assembly); after a match close to the
// previous one, the next bytes are checked in a plain loop, which beats one call per match
// on dense input.
func IndexByte(dst []uint32, data []byte, needle byte) []uint32 {
	i := 0
	for i < len(data) {
		j := bytes.IndexByte(data[i:], needle)
		if j < 0 {
			break
		}
		i += j
		dst = append(dst, uint32(i))
		i++
		if j < 16 {
			end := min(i+64, len(data))
			for ; i < end; i++ {
				if data[i] == needle {
					dst = append(dst, uint32(i))
				}
			}
		}
	}
	return dst
}
