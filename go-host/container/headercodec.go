package container

import (
	"encoding/binary"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// marshalHeader encodes h (docs/format.md, "Header"). It refuses only what the encoding cannot
// represent; parseHeader checks the rest.
func marshalHeader(h Header) ([]byte, error) {
	if len(h.Fields) > MaxFields {
		return nil, fmt.Errorf("%d fields, at most %d allowed", len(h.Fields), MaxFields)
	}
	b := make([]byte, headerFixedLen, 256)
	copy(b, magic[:])
	binary.LittleEndian.PutUint16(b[8:], h.Version)
	binary.LittleEndian.PutUint32(b[16:], h.RecordSize)
	binary.LittleEndian.PutUint32(b[20:], h.FrameSize)
	b[24] = byte(h.Compression)
	binary.LittleEndian.PutUint16(b[26:], uint16(len(h.Fields)))
	for _, f := range h.Fields {
		if len(f.Name) < 1 || len(f.Name) > MaxNameLen {
			return nil, fmt.Errorf("field name %s: length must be 1 to %d bytes", quote(f.Name), MaxNameLen)
		}
		if len(f.Stages) > MaxStages {
			return nil, fmt.Errorf("field %s: %d stages, at most %d allowed", quote(f.Name), len(f.Stages), MaxStages)
		}
		b = append(b, byte(len(f.Name)))
		b = append(b, f.Name...)
		b = binary.LittleEndian.AppendUint32(b, f.Offset)
		b = binary.LittleEndian.AppendUint32(b, f.Width)
		b = append(b, byte(len(f.Stages)))
		for _, s := range f.Stages {
			spec := s.String()
			if len(spec) > MaxSpecLen {
				return nil, fmt.Errorf("field %s: stage spec %s longer than %d bytes", quote(f.Name), quote(spec), MaxSpecLen)
			}
			b = append(b, byte(len(spec)))
			b = append(b, spec...)
		}
	}
	if len(b)+crcLen > MaxHeaderSize {
		return nil, fmt.Errorf("header of %d bytes, at most %d allowed", len(b)+crcLen, MaxHeaderSize)
	}
	binary.LittleEndian.PutUint32(b[12:], uint32(len(b)+crcLen))
	return binary.LittleEndian.AppendUint32(b, binpipe.CRC32C(b, 0)), nil
}

// checkPrefix checks the first headerPrefixLen bytes of a container and returns the header
// length they give.
func checkPrefix(p []byte) (int, *FormatError) {
	if [8]byte(p[:8]) != magic {
		return 0, headerError(0, "", fmt.Sprintf("bad magic % x (want % x): not a binpipe container", p[:8], magic))
	}
	if v := binary.LittleEndian.Uint16(p[8:]); v != Version {
		return 0, headerError(8, "", fmt.Sprintf("unsupported format version %d (this reader reads version %d)", v, Version))
	}
	if f := binary.LittleEndian.Uint16(p[10:]); f != 0 {
		return 0, headerError(10, "", fmt.Sprintf("unknown flags 0x%04x (version %d defines none)", f, Version))
	}
	n := binary.LittleEndian.Uint32(p[12:])
	if n < headerFixedLen+crcLen || n > MaxHeaderSize {
		return 0, headerError(12, "", fmt.Sprintf("header length %d outside %d..=%d", n, headerFixedLen+crcLen, MaxHeaderSize))
	}
	return int(n), nil
}

// headerParser reads the fields of a header, tracking the offset for errors.
type headerParser struct {
	b   []byte
	off int
	err *FormatError
}

// take returns the next n bytes, or nil (and records an error about what) past the end.
func (p *headerParser) take(n int, what, field string) []byte {
	if p.err != nil {
		return nil
	}
	if n > len(p.b)-crcLen-p.off {
		p.err = headerError(int64(p.off), field, what+" runs past the end of the header")
		return nil
	}
	s := p.b[p.off : p.off+n]
	p.off += n
	return s
}

// fail records the first error at offset at.
func (p *headerParser) fail(at int, field, msg string) {
	if p.err == nil {
		p.err = headerError(int64(at), field, msg)
	}
}

// parseHeader checks and decodes a complete header b, whose prefix checkPrefix accepted (so
// len(b) is the header length), refusing frame sizes above maxFrame.
func parseHeader(b []byte, maxFrame uint32) (*layout, *FormatError) {
	end := len(b) - crcLen
	if stored, got := binary.LittleEndian.Uint32(b[end:]), binpipe.CRC32C(b[:end], 0); stored != got {
		return nil, headerError(int64(end), "", fmt.Sprintf("header CRC-32C mismatch (stored 0x%08x, computed 0x%08x)", stored, got))
	}
	h := Header{
		Version:     binary.LittleEndian.Uint16(b[8:]),
		RecordSize:  binary.LittleEndian.Uint32(b[16:]),
		FrameSize:   binary.LittleEndian.Uint32(b[20:]),
		Compression: Compression(b[24]),
	}
	switch {
	case h.RecordSize == 0:
		return nil, headerError(16, "", "record size 0")
	case h.FrameSize < h.RecordSize || h.FrameSize%h.RecordSize != 0:
		return nil, headerError(20, "", fmt.Sprintf("frame size %d is not a positive multiple of the record size %d", h.FrameSize, h.RecordSize))
	case h.FrameSize > min(maxFrame, MaxFrameSize):
		return nil, headerError(20, "", fmt.Sprintf("frame size %d above the limit %d", h.FrameSize, min(maxFrame, MaxFrameSize)))
	case h.Compression > CompressionZstd:
		return nil, headerError(24, "", fmt.Sprintf("unknown compression id %d", b[24]))
	case b[25] != 0:
		return nil, headerError(25, "", fmt.Sprintf("reserved byte is %d, not 0", b[25]))
	}
	count := int(binary.LittleEndian.Uint16(b[26:]))
	if count > MaxFields || count > int(h.RecordSize) {
		return nil, headerError(26, "", fmt.Sprintf("%d fields: at most %d, and no more than the record size %d", count, MaxFields, h.RecordSize))
	}
	p := &headerParser{b: b, off: headerFixedLen}
	h.Fields = make([]Field, 0, count)
	growths := make([][]growth, 0, count)
	for range count {
		f, gs, ok := p.field(h)
		if !ok {
			return nil, p.err
		}
		h.Fields = append(h.Fields, f)
		growths = append(growths, gs)
	}
	if p.off != end {
		return nil, headerError(int64(p.off), "", fmt.Sprintf("%d unexpected bytes after the last field", end-p.off))
	}
	if msg, name := overlap(h.Fields); msg != "" {
		return nil, headerError(headerFixedLen, name, msg)
	}
	l := newLayout(h, growths)
	if l.maxBlock > MaxBlockSize {
		return nil, headerError(20, "", fmt.Sprintf("a full frame's column block may reach %d bytes, above the limit %d", l.maxBlock, MaxBlockSize))
	}
	return l, nil
}

// field parses one field entry.
func (p *headerParser) field(h Header) (Field, []growth, bool) {
	at := p.off
	nameLen := p.take(1, "field name length", "")
	if nameLen == nil {
		return Field{}, nil, false
	}
	if nameLen[0] == 0 {
		p.fail(at, "", "empty field name")
		return Field{}, nil, false
	}
	name := p.take(int(nameLen[0]), "field name", "")
	if name == nil {
		return Field{}, nil, false
	}
	f := Field{Name: string(name)}
	if !utf8.Valid(name) {
		p.fail(at+1, "", "field name "+quote(f.Name)+" is not UTF-8")
		return f, nil, false
	}
	for _, g := range h.Fields {
		if g.Name == f.Name {
			p.fail(at+1, f.Name, "duplicate field name")
			return f, nil, false
		}
	}
	at = p.off
	place := p.take(8, "field offset and width", f.Name)
	if place == nil {
		return f, nil, false
	}
	f.Offset, f.Width = binary.LittleEndian.Uint32(place), binary.LittleEndian.Uint32(place[4:])
	if f.Width == 0 || uint64(f.Offset)+uint64(f.Width) > uint64(h.RecordSize) {
		p.fail(at, f.Name, fmt.Sprintf("offset %d and width %d do not fit a %d-byte record (width >= 1, offset+width <= record size)", f.Offset, f.Width, h.RecordSize))
		return f, nil, false
	}
	at = p.off
	n := p.take(1, "stage count", f.Name)
	if n == nil {
		return f, nil, false
	}
	if n[0] > MaxStages {
		p.fail(at, f.Name, fmt.Sprintf("%d stages, at most %d allowed", n[0], MaxStages))
		return f, nil, false
	}
	var gs []growth
	for range int(n[0]) {
		at = p.off
		specLen := p.take(1, "stage spec length", f.Name)
		if specLen == nil {
			return f, nil, false
		}
		spec := p.take(int(specLen[0]), "stage spec", f.Name)
		if spec == nil {
			return f, nil, false
		}
		s, g, msg := parseFieldStage(string(spec))
		if msg != "" {
			p.fail(at, f.Name, msg)
			return f, nil, false
		}
		f.Stages = append(f.Stages, s)
		gs = append(gs, g)
	}
	return f, gs, true
}

// overlap returns a message and a field name if two fields share a byte.
func overlap(fields []Field) (string, string) {
	sorted := slices.Clone(fields)
	slices.SortFunc(sorted, func(a, b Field) int { return int(a.Offset) - int(b.Offset) })
	for i := 1; i < len(sorted); i++ {
		a, b := sorted[i-1], sorted[i]
		if a.Offset+a.Width > b.Offset {
			return "overlaps field " + strconv.Quote(a.Name), b.Name
		}
	}
	return "", ""
}

// validateHeader checks a header given to NewWriter by encoding and parsing it, and returns
// its layout and encoding.
func validateHeader(h Header) (*layout, []byte, error) {
	if h.Version == 0 {
		h.Version = Version
	}
	b, err := marshalHeader(h)
	if err != nil {
		return nil, nil, errors.New("container: invalid header: " + err.Error())
	}
	if _, fe := checkPrefix(b[:headerPrefixLen]); fe != nil {
		return nil, nil, invalidHeader(fe)
	}
	l, fe := parseHeader(b, MaxFrameSize)
	if fe != nil {
		return nil, nil, invalidHeader(fe)
	}
	return l, b, nil
}

// invalidHeader turns a parse error of a header given to NewWriter into a configuration error.
func invalidHeader(fe *FormatError) error {
	msg := strings.TrimPrefix(fe.Msg, "header: ")
	if fe.Field != "" {
		msg = "field " + strconv.Quote(fe.Field) + ": " + msg
	}
	return errors.New("container: invalid header: " + msg)
}
