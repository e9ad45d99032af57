package container

import (
	"strconv"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// Compression names the codec applied to each frame's column block.
type Compression uint8

const (
	// CompressionNone stores every frame's column block as is.
	CompressionNone Compression = 0
	// CompressionZstd compresses every frame's column block with zstd (a frame whose block
	// does not shrink is stored instead).
	CompressionZstd Compression = 1
)

// String returns "none", "zstd" or "Compression(n)".
func (c Compression) String() string {
	switch c {
	case CompressionNone:
		return "none"
	case CompressionZstd:
		return "zstd"
	}
	return "Compression(" + strconv.Itoa(int(c)) + ")"
}

// Header describes a container: its records and how each frame of them is encoded.
type Header struct {
	// Version is the format version; 0 in NewWriter means Version (the current one).
	Version uint16
	// RecordSize is the size of one record in bytes, at least 1.
	RecordSize uint32
	// Fields are the record's encoded fields; they must not overlap. Record bytes that no
	// field covers are stored raw (the "rest" column), so nothing is lost.
	Fields []Field
	// FrameSize is the number of raw bytes per frame (the last frame may hold fewer); a
	// multiple of RecordSize, at most MaxFrameSize.
	FrameSize uint32
	// Compression is the codec applied to each frame's column block.
	Compression Compression
}

// Field is a fixed-width field of every record: its column (the field's bytes of each
// record, concatenated, as binpipe.ExtractField gives it) is encoded by Stages in order.
type Field struct {
	// Name identifies the field in errors and tools: 1 to MaxNameLen bytes of UTF-8, unique.
	Name string
	// Offset and Width place the field in the record: Width >= 1, Offset+Width <= RecordSize.
	Offset, Width uint32
	// Stages encode the column, at most MaxStages. Only stages with an exact inverse are
	// allowed: shuffle, unshuffle, delta-encode, delta-decode, byteswap, hex-encode,
	// base64-encode, varint-encode (on a column whose length is a multiple of 8).
	Stages []binpipe.Stage
}

// DefaultHeader is the header of `binpipe pack` without flags: 1-byte records, no fields
// (the bytes are stored as one raw column), 1 MiB frames, zstd.
func DefaultHeader() Header {
	return Header{Version: Version, RecordSize: 1, FrameSize: 1 << 20, Compression: CompressionZstd}
}

// clone returns a copy of h that shares no slice with it.
func (h Header) clone() Header {
	fields := make([]Field, len(h.Fields))
	for i, f := range h.Fields {
		f.Stages = append([]binpipe.Stage(nil), f.Stages...)
		fields[i] = f
	}
	h.Fields = fields
	return h
}
