package container

import (
	"encoding/binary"
	"fmt"
)

// Frame codecs: how a frame's payload holds its column block.
const (
	codecStored byte = 0
	codecZstd   byte = 1
)

// frameHeader is the fixed part of a frame (docs/format.md, "Frame").
type frameHeader struct {
	codec          byte
	rawLen, encLen uint32
	encCRC, rawCRC uint32
}

// put writes h into b[:frameHeaderLen].
func (h frameHeader) put(b []byte) {
	copy(b, frameTag[:])
	b[4] = h.codec
	b[5], b[6], b[7] = 0, 0, 0
	binary.LittleEndian.PutUint32(b[8:], h.rawLen)
	binary.LittleEndian.PutUint32(b[12:], h.encLen)
	binary.LittleEndian.PutUint32(b[16:], h.encCRC)
	binary.LittleEndian.PutUint32(b[20:], h.rawCRC)
}

// parseFrameHeader checks and decodes the frame header b (whose tag is frameTag) of frame
// index at file offset off, against the layout.
func parseFrameHeader(b []byte, l *layout, index, off int64) (frameHeader, *FormatError) {
	h := frameHeader{
		codec:  b[4],
		rawLen: binary.LittleEndian.Uint32(b[8:]),
		encLen: binary.LittleEndian.Uint32(b[12:]),
		encCRC: binary.LittleEndian.Uint32(b[16:]),
		rawCRC: binary.LittleEndian.Uint32(b[20:]),
	}
	bad := func(at int64, msg string) (frameHeader, *FormatError) {
		return h, &FormatError{Frame: index, Offset: off + at, Msg: msg}
	}
	switch {
	case h.codec != codecStored && !(h.codec == codecZstd && l.h.Compression == CompressionZstd):
		return bad(4, fmt.Sprintf("frame codec %d not allowed in a container with compression %s", h.codec, l.h.Compression))
	case b[5]|b[6]|b[7] != 0:
		return bad(5, fmt.Sprintf("reserved bytes % x, not zero", b[5:8]))
	case h.rawLen == 0 || h.rawLen > uint32(l.frameSize):
		return bad(8, fmt.Sprintf("raw length %d outside 1..=%d (the frame size)", h.rawLen, l.frameSize))
	case h.encLen == 0 || int64(h.encLen) > int64(l.blockBound(int(h.rawLen))):
		return bad(12, fmt.Sprintf("encoded length %d outside 1..=%d (the largest column block of %d raw bytes)", h.encLen, l.blockBound(int(h.rawLen)), h.rawLen))
	}
	return h, nil
}

// trailer is the end of a container (docs/format.md, "Trailer").
type trailer struct {
	frames, rawBytes uint64
	rawCRC           uint32
}

// put appends the encoded trailer to b.
func (t trailer) put(b []byte) []byte {
	start := len(b)
	b = append(b, trailerTag[:]...)
	b = binary.LittleEndian.AppendUint64(b, t.frames)
	b = binary.LittleEndian.AppendUint64(b, t.rawBytes)
	b = binary.LittleEndian.AppendUint32(b, t.rawCRC)
	return binary.LittleEndian.AppendUint32(b, crc32c(b[start:]))
}

// checkTrailer checks the trailer b (whose tag is trailerTag), at file offset off, against
// what the frames gave.
func checkTrailer(b []byte, want trailer, off int64) *FormatError {
	bad := func(at int64, msg string) *FormatError {
		return &FormatError{Frame: -1, Offset: off + at, Msg: "trailer: " + msg}
	}
	if stored, got := binary.LittleEndian.Uint32(b[24:]), crc32c(b[:24]); stored != got {
		return bad(24, fmt.Sprintf("trailer CRC-32C mismatch (stored 0x%08x, computed 0x%08x)", stored, got))
	}
	if n := binary.LittleEndian.Uint64(b[4:]); n != want.frames {
		return bad(4, fmt.Sprintf("frame count %d, but %d frames precede it", n, want.frames))
	}
	if n := binary.LittleEndian.Uint64(b[12:]); n != want.rawBytes {
		return bad(12, fmt.Sprintf("raw byte count %d, but the frames hold %d", n, want.rawBytes))
	}
	if c := binary.LittleEndian.Uint32(b[20:]); c != want.rawCRC {
		return bad(20, fmt.Sprintf("stream CRC-32C 0x%08x, but the frames' CRCs combine to 0x%08x", c, want.rawCRC))
	}
	return nil
}
