package purego

import "encoding/binary"

// ExtractField copies bytes [offset, offset+width) of every complete record of recordSize
// bytes in src to dst, one after another, and returns the number of bytes written,
// (len(src)/recordSize)*width. The caller validated recordSize >= 1, width >= 1 and
// offset+width <= recordSize, and sized dst to at least that many bytes.
//
//	purego.ExtractField(dst, []byte("abcdefghi"), 3, 1, 1) // 3; dst[:3] = "beh"
//
// A field that is the whole record is one copy; 1-, 2-, 4- and 8-byte fields are one load and
// store each; other fields up to 16 bytes are two overlapping word copies (one at the field's
// start, one ending at its end); wider ones use copy.
func ExtractField(dst, src []byte, recordSize, offset, width int) int {
	n := len(src) / recordSize
	out := n * width
	dst = dst[:out]
	if offset == 0 && width == recordSize {
		return copy(dst, src[:out])
	}
	src = src[:n*recordSize]
	p := offset
	switch {
	case width == 1:
		for r := range dst {
			dst[r] = src[p]
			p += recordSize
		}
	case width == 2:
		for o := 0; o < out; o += 2 {
			binary.LittleEndian.PutUint16(dst[o:], binary.LittleEndian.Uint16(src[p:]))
			p += recordSize
		}
	case width == 4:
		for o := 0; o < out; o += 4 {
			binary.LittleEndian.PutUint32(dst[o:], binary.LittleEndian.Uint32(src[p:]))
			p += recordSize
		}
	case width == 8:
		for o := 0; o < out; o += 8 {
			binary.LittleEndian.PutUint64(dst[o:], binary.LittleEndian.Uint64(src[p:]))
			p += recordSize
		}
	case width == 3:
		for o := 0; o < out; o += 3 {
			binary.LittleEndian.PutUint16(dst[o:], binary.LittleEndian.Uint16(src[p:]))
			binary.LittleEndian.PutUint16(dst[o+1:], binary.LittleEndian.Uint16(src[p+1:]))
			p += recordSize
		}
	case width < 8:
		last := width - 4
		for o := 0; o < out; o += width {
			binary.LittleEndian.PutUint32(dst[o:], binary.LittleEndian.Uint32(src[p:]))
			binary.LittleEndian.PutUint32(dst[o+last:], binary.LittleEndian.Uint32(src[p+last:]))
			p += recordSize
		}
	case width <= 16:
		last := width - 8
		for o := 0; o < out; o += width {
			binary.LittleEndian.PutUint64(dst[o:], binary.LittleEndian.Uint64(src[p:]))
			binary.LittleEndian.PutUint64(dst[o+last:], binary.LittleEndian.Uint64(src[p+last:]))
			p += recordSize
		}
	default:
		for o := 0; o < out; o += width {
			copy(dst[o:o+width], src[p:p+width])
			p += recordSize
		}
	}
	return out
}
