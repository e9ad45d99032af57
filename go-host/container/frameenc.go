package container

import (
	"encoding/binary"
	"fmt"

	"github.com/klauspost/compress/zstd"
)

// frameEncoder turns a frame's raw bytes into a frame; safe for concurrent use.
type frameEncoder struct {
	l    *layout
	run  chainFunc
	zenc *zstd.Encoder // nil without compression; EncodeAll is safe for concurrent use
}

// encodeJob is one frame on its way to the file; its buffers are reused frame after frame.
type encodeJob struct {
	index   int64
	raw     []byte // the frame's raw bytes (len <= frame size)
	block   []byte // the column block, unless the layout is the identity
	zbuf    []byte // the compressed block
	hdr     [frameHeaderLen]byte
	payload []byte // what follows hdr: the block or zbuf
	err     error
	done    chan struct{}
}

// encode fills j.hdr and j.payload from j.raw.
func (e *frameEncoder) encode(j *encodeJob) {
	block := j.raw
	if !e.l.identity() {
		var err error
		j.block, err = e.l.appendBlock(j.block[:0], j.raw, e.run)
		if err != nil {
			j.err = fmt.Errorf("container: frame %d: %w", j.index, err)
			return
		}
		block = j.block
	}
	fh := frameHeader{codec: codecStored, rawLen: uint32(len(j.raw)), rawCRC: crc32c(j.raw)}
	j.payload = block
	if e.zenc != nil {
		j.zbuf = e.zenc.EncodeAll(block, j.zbuf[:0])
		if len(j.zbuf) < len(block) {
			fh.codec, j.payload = codecZstd, j.zbuf
		}
	}
	fh.encLen, fh.encCRC = uint32(len(j.payload)), crc32c(j.payload)
	fh.put(j.hdr[:])
}

// close releases the zstd encoder.
func (e *frameEncoder) close() {
	if e.zenc != nil {
		e.zenc.Close()
	}
}

// frameRawCRC returns the raw CRC-32C stored in an encoded frame header.
func frameRawCRC(hdr []byte) uint32 { return binary.LittleEndian.Uint32(hdr[20:]) }
