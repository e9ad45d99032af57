package container

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	binpipe "github.com/binpipe/binpipe/go-host"
)

func TestNewWriterRefusesBadHeaders(t *testing.T) {
	field := func(name string, off, width uint32, stages ...binpipe.Stage) Field {
		return Field{Name: name, Offset: off, Width: width, Stages: stages}
	}
	base := Header{RecordSize: 8, FrameSize: 64}
	cases := []struct {
		name string
		edit func(h *Header)
		want string
	}{
		{"version 2", func(h *Header) { h.Version = 2 }, "unsupported format version 2"},
		{"record size 0", func(h *Header) { h.RecordSize = 0 }, "record size 0"},
		{"frame size not a multiple", func(h *Header) { h.FrameSize = 60 }, "not a positive multiple of the record size 8"},
		{"frame size above the limit", func(h *Header) { h.FrameSize = MaxFrameSize + 8 }, "above the limit"},
		{"compression 9", func(h *Header) { h.Compression = 9 }, "unknown compression id 9"},
		{"empty name", func(h *Header) { h.Fields = []Field{field("", 0, 4)} }, "length must be 1 to 255 bytes"},
		{"duplicate name", func(h *Header) { h.Fields = []Field{field("a", 0, 4), field("a", 4, 4)} }, "duplicate field name"},
		{"width 0", func(h *Header) { h.Fields = []Field{field("a", 0, 0)} }, "do not fit a 8-byte record"},
		{"past the record", func(h *Header) { h.Fields = []Field{field("a", 6, 4)} }, "do not fit a 8-byte record"},
		{"overlap", func(h *Header) { h.Fields = []Field{field("a", 0, 4), field("b", 3, 2)} }, `field "b": overlaps field "a"`},
		{"lossy stage", func(h *Header) { h.Fields = []Field{field("a", 0, 4, binpipe.HexDecodeStage())} }, "not allowed in a field chain"},
		{"extract-field stage", func(h *Header) { h.Fields = []Field{field("a", 0, 4, binpipe.ExtractFieldStage(4, 0, 2))} }, "not allowed in a field chain"},
		{"varint on a 4-byte column", func(h *Header) { h.Fields = []Field{field("a", 0, 4, binpipe.VarintEncodeStage())} }, "a sample of 1 records does not encode"},
		{"65 stages", func(h *Header) {
			h.Fields = []Field{field("a", 0, 4, make([]binpipe.Stage, 65)...)}
		}, "65 stages, at most 64"},
		{"block bound above the limit", func(h *Header) {
			h.FrameSize = MaxFrameSize
			h.Fields = []Field{field("a", 0, 8, binpipe.HexEncodeStage(false), binpipe.HexEncodeStage(false), binpipe.HexEncodeStage(false))}
		}, "column block may reach"},
	}
	for _, c := range cases {
		h := base
		c.edit(&h)
		_, err := NewWriter(&bytes.Buffer{}, h, WriterOptions{})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: got %v, want an error containing %q", c.name, err, c.want)
		}
	}
}

func TestHeaderRoundTrip(t *testing.T) {
	h := TelemetryHeader()
	h.Fields[1].Stages = append(h.Fields[1].Stages, binpipe.Base64EncodeStage(binpipe.AlphabetURLSafe, false), binpipe.HexEncodeStage(true))
	var buf bytes.Buffer
	w, err := NewWriter(&buf, h, WriterOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := NewReader(&buf, ReaderOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	got := r.Header()
	if len(got.Fields) != len(h.Fields) || got.RecordSize != h.RecordSize || got.FrameSize != h.FrameSize || got.Compression != h.Compression {
		t.Fatalf("header %+v read back as %+v", h, got)
	}
	for i, f := range h.Fields {
		g := got.Fields[i]
		if g.Name != f.Name || g.Offset != f.Offset || g.Width != f.Width || len(g.Stages) != len(f.Stages) {
			t.Fatalf("field %d: %+v read back as %+v", i, f, g)
		}
		for j := range f.Stages {
			if g.Stages[j] != f.Stages[j] {
				t.Fatalf("field %d stage %d: %v read back as %v", i, j, f.Stages[j], g.Stages[j])
			}
		}
	}
}

// TestWorkedExample builds the example of docs/format.md byte by byte, independently of the
// Writer, and checks that the Writer writes exactly it and the Reader reads it.
func TestWorkedExample(t *testing.T) {
	crc := func(b []byte) []byte { return binary.LittleEndian.AppendUint32(nil, binpipe.CRC32C(b, 0)) }
	abc := []byte("abc")
	if binpipe.CRC32C(abc, 0) != 0x364B3FB7 {
		t.Fatalf("CRC-32C(abc) = 0x%08x, docs/format.md says 0x364B3FB7", binpipe.CRC32C(abc, 0))
	}
	hdr := []byte{0x89, 'B', 'P', 'C', 0x0D, 0x0A, 0x1A, 0x0A, 1, 0, 0, 0, 32, 0, 0, 0,
		1, 0, 0, 0, 0, 0, 0x10, 0, 0, 0, 0, 0}
	want := append(hdr, crc(hdr)...)
	want = append(want, 'B', 'P', 'F', 'R', 0, 0, 0, 0, 3, 0, 0, 0, 3, 0, 0, 0)
	want = append(want, crc(abc)...)
	want = append(want, crc(abc)...)
	want = append(want, abc...)
	tr := []byte{'B', 'P', 'E', 'N', 1, 0, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 0, 0, 0, 0}
	tr = append(tr, crc(abc)...)
	want = append(append(want, tr...), crc(tr)...)

	h := DefaultHeader()
	h.Compression = CompressionNone
	got := pack(t, abc, h, WriterOptions{})
	if !bytes.Equal(got, want) {
		t.Fatalf("Writer wrote\n% x\nthe example is\n% x", got, want)
	}
	if back, err := unpack(want, ReaderOptions{}); err != nil || !bytes.Equal(back, abc) {
		t.Fatalf("reading the example: %q, %v", back, err)
	}
}

func TestScatterWidths(t *testing.T) {
	r := rng(11)
	for _, width := range []int{1, 2, 3, 4, 5, 8, 13} {
		for _, stride := range []int{width, width + 1, 32} {
			if stride < width {
				continue
			}
			n := 37
			col := make([]byte, n*width)
			r.fill(col)
			dst := make([]byte, n*stride)
			off := stride - width
			scatter(dst, col, stride, off, width)
			for i := range n {
				if !bytes.Equal(dst[i*stride+off:i*stride+off+width], col[i*width:(i+1)*width]) {
					t.Fatalf("width %d stride %d: element %d misplaced", width, stride, i)
				}
			}
		}
	}
}
