package container

import (
	"encoding/binary"

	"github.com/klauspost/compress/zstd"
)

// frameEncoder turns a frame's raw bytes into a frame; safe for concurrent use.
type frameEncoder struct {
	l    *layout
	run  chainFunc
	zenc *zstd.Encoder // nil without compression; EncodeAll is safe for concurrent use
}

// appendFrame appends the frame (header and payload) of raw to dst, using *block for the
// column block, and returns the extended slice. An error names the field whose chain failed.
func (e *frameEncoder) appendFrame(dst, raw []byte, block *[]byte) ([]byte, error) {
	b := raw
	if !e.l.identity() {
		var err error
		if *block, err = e.l.appendBlock((*block)[:0], raw, e.run); err != nil {
			return dst, err
		}
		b = *block
	}
	start := len(dst)
	dst = append(dst, make([]byte, frameHeaderLen)...)
	fh := frameHeader{codec: codecStored, rawLen: uint32(len(raw)), rawCRC: crc32c(raw)}
	if e.zenc != nil {
		dst = e.zenc.EncodeAll(b, dst)
		if len(dst)-start-frameHeaderLen < len(b) {
			fh.codec = codecZstd
		} else {
			dst = dst[:start+frameHeaderLen] // zstd did not help: store the block
		}
	}
	if fh.codec == codecStored {
		dst = append(dst, b...)
	}
	payload := dst[start+frameHeaderLen:]
	fh.encLen, fh.encCRC = uint32(len(payload)), crc32c(payload)
	fh.put(dst[start:])
	return dst, nil
}

// close releases the zstd encoder.
func (e *frameEncoder) close() {
	if e.zenc != nil {
		e.zenc.Close()
	}
}

// frameRawCRC returns the raw CRC-32C stored in an encoded frame header.
func frameRawCRC(hdr []byte) uint32 { return binary.LittleEndian.Uint32(hdr[20:]) }
