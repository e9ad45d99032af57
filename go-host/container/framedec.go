package container

import (
	"fmt"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// frameDecoder turns frames back into raw bytes, checking both CRCs; safe for concurrent use.
type frameDecoder struct {
	l       *layout
	run     chainFunc
	workers int

	zonce sync.Once // the zstd decoder is made at the first compressed frame
	zdec  *zstd.Decoder
	zerr  error
}

// decodeJob is one frame read from the file; its buffers are reused frame after frame.
type decodeJob struct {
	index   int64
	off     int64 // file offset of the frame header
	fh      frameHeader
	payload []byte
	block   []byte // the decompressed column block
	scratch []byte // decoded field columns
	rawBuf  []byte
	raw     []byte // the result: rawBuf, block or payload
	err     error
	done    chan struct{}
}

// zstdDecoder returns the decoder, made once, its memory bounded by the largest block.
func (d *frameDecoder) zstdDecoder() (*zstd.Decoder, error) {
	d.zonce.Do(func() {
		d.zdec, d.zerr = zstd.NewReader(nil,
			zstd.WithDecoderConcurrency(d.workers),
			zstd.WithDecoderMaxMemory(uint64(max(d.l.maxBlock, zstd.MinWindowSize))),
			zstd.WithDecodeAllCapLimit(true))
	})
	return d.zdec, d.zerr
}

// close releases the zstd decoder's goroutines, if one was made.
func (d *frameDecoder) close() {
	d.zonce.Do(func() {})
	if d.zdec != nil {
		d.zdec.Close()
	}
}

// decode sets j.raw from j.payload or returns what is wrong with the frame.
func (d *frameDecoder) decode(j *decodeJob) *FormatError {
	bad := func(at int64, field, msg string) *FormatError {
		return &FormatError{Frame: j.index, Offset: j.off + at, Field: field, Msg: msg}
	}
	if c := crc32c(j.payload); c != j.fh.encCRC {
		return bad(16, "", fmt.Sprintf("payload CRC-32C mismatch (stored 0x%08x, computed 0x%08x)", j.fh.encCRC, c))
	}
	rawLen := int(j.fh.rawLen)
	block := j.payload
	if j.fh.codec == codecZstd {
		var fe *FormatError
		if block, fe = d.decompress(j, rawLen); fe != nil {
			return fe
		}
	}
	if d.l.identity() {
		if len(block) != rawLen {
			return bad(frameHeaderLen, "", fmt.Sprintf("column block of %d bytes for %d raw bytes (no fields: they must be equal)", len(block), rawLen))
		}
		j.raw = block
	} else {
		j.rawBuf = sized(j.rawBuf, rawLen, d.l.frameSize)
		j.raw = j.rawBuf
		if be := d.l.decodeBlock(j.raw, block, d.run, &j.scratch); be != nil {
			if j.fh.codec == codecZstd {
				return bad(frameHeaderLen, be.field, fmt.Sprintf("%s (byte %d of the decompressed column block)", be.msg, be.pos))
			}
			return bad(frameHeaderLen+int64(be.pos), be.field, be.msg)
		}
	}
	if c := crc32c(j.raw); c != j.fh.rawCRC {
		return bad(20, "", fmt.Sprintf("raw CRC-32C mismatch (stored 0x%08x, decoded bytes give 0x%08x)", j.fh.rawCRC, c))
	}
	return nil
}

// decompress returns the column block of a zstd frame, after checking that the zstd frame
// declares a content size within the block bound. With no fields it decodes straight into
// the raw buffer.
func (d *frameDecoder) decompress(j *decodeJob, rawLen int) ([]byte, *FormatError) {
	bad := func(msg string) ([]byte, *FormatError) {
		return nil, &FormatError{Frame: j.index, Offset: j.off + frameHeaderLen, Msg: "zstd: " + msg}
	}
	var zh zstd.Header
	if err := zh.Decode(j.payload); err != nil {
		return bad("frame header: " + err.Error())
	}
	limit := uint64(d.l.blockBound(rawLen))
	switch {
	case zh.Skippable || zh.DictionaryID != 0:
		return bad("a skippable frame or a dictionary, not allowed")
	case !zh.HasFCS:
		return bad("frame does not declare its content size")
	case zh.FrameContentSize > limit:
		return bad(fmt.Sprintf("content size %d above the column block bound %d", zh.FrameContentSize, limit))
	}
	zdec, err := d.zstdDecoder()
	if err != nil {
		return bad(err.Error())
	}
	n := int(zh.FrameContentSize)
	dst := &j.block
	if d.l.identity() {
		dst = &j.rawBuf
	}
	*dst = sized(*dst, n, d.l.maxBlock)
	out, err := zdec.DecodeAll(j.payload, (*dst)[:0])
	if err != nil {
		return bad(err.Error())
	}
	if len(out) != n {
		return bad(fmt.Sprintf("decoded %d bytes, the frame declares %d", len(out), n))
	}
	*dst = out
	return out, nil
}

// sized returns b with length n, reallocated only if its capacity is short; a new buffer gets
// a quarter more room (at most limit) for the next, slightly larger, frames.
func sized(b []byte, n, limit int) []byte {
	if cap(b) < n {
		return make([]byte, n, max(n, min(n+n/4, limit)))
	}
	return b[:n]
}
