package container

import (
	"encoding/binary"
	"io"
)

// frameSink passes frames through to the container's writer and adds them up for the trailer,
// following the frame headers in the byte stream (however the bytes are split into writes;
// every frame has a payload of at least one byte).
type frameSink struct {
	dst    io.Writer
	off    int64   // bytes written to dst
	totals trailer // of the complete frames written
	hdr    [frameHeaderLen]byte
	have   int // bytes of hdr seen of the current frame
	skip   int // payload bytes of the current frame still to pass
}

// Write writes p to the destination and follows the frames in it.
func (s *frameSink) Write(p []byte) (int, error) {
	n, err := s.dst.Write(p)
	s.off += int64(n)
	for q := p[:n]; len(q) > 0; {
		if s.have < frameHeaderLen {
			k := copy(s.hdr[s.have:], q)
			s.have += k
			q = q[k:]
			if s.have == frameHeaderLen {
				s.skip = int(binary.LittleEndian.Uint32(s.hdr[12:]))
			}
			continue
		}
		k := min(s.skip, len(q))
		s.skip -= k
		q = q[k:]
		if s.skip == 0 {
			s.frameDone()
		}
	}
	return n, err
}

// frameDone adds the current frame to the totals.
func (s *frameSink) frameDone() {
	raw := uint64(binary.LittleEndian.Uint32(s.hdr[8:]))
	s.totals.rawCRC = crc32cCombine(s.totals.rawCRC, frameRawCRC(s.hdr[:]), raw)
	s.totals.frames++
	s.totals.rawBytes += raw
	s.have = 0
}
