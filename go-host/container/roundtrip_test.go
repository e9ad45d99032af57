package container

import (
	"bytes"
	"fmt"
	"io"
	"testing"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// randomStages returns up to 3 stages valid for a column of width-byte elements: varint-encode
// only where the length is a multiple of 8 for every record count.
func randomStages(r *rng, width int) []binpipe.Stage {
	var out []binpipe.Stage
	multiple := width // the column length is always a multiple of this
	for range r.intn(4) {
		var s binpipe.Stage
		switch r.intn(9) {
		case 0:
			s = binpipe.ShuffleStage(1 + r.intn(16))
		case 1:
			s = binpipe.UnshuffleStage(1 + r.intn(16))
		case 2:
			s = binpipe.DeltaEncodeStage([]int{1, 2, 4, 8}[r.intn(4)])
		case 3:
			s = binpipe.DeltaDecodeStage([]int{1, 2, 4, 8}[r.intn(4)])
		case 4:
			s = binpipe.ByteswapStage([]int{2, 4, 8}[r.intn(3)])
		case 5:
			s = binpipe.HexEncodeStage(r.intn(2) == 0)
			multiple *= 2
		case 6:
			pad := r.intn(2) == 0
			s = binpipe.Base64EncodeStage(binpipe.Alphabet(r.intn(2)), pad)
			multiple = 1
			if pad {
				multiple = 4
			}
		case 7, 8:
			if multiple%8 != 0 {
				continue
			}
			s = binpipe.VarintEncodeStage()
			multiple = 1
		}
		out = append(out, s)
	}
	return out
}

// randomHeader returns a valid header with a random record size, field layout and chains.
func randomHeader(r *rng) Header {
	h := Header{RecordSize: uint32(1 + r.intn(40)), Compression: Compression(r.intn(2))}
	if r.intn(8) == 0 {
		h.RecordSize = uint32(100 + r.intn(300))
	}
	for off := 0; off < int(h.RecordSize); {
		w := []int{1, 2, 4, 8, 3, 5, 16}[r.intn(7)]
		if off+w > int(h.RecordSize) {
			w = int(h.RecordSize) - off
		}
		if r.intn(3) > 0 { // else: a gap, stored in the rest column
			h.Fields = append(h.Fields, Field{Name: fmt.Sprintf("f%d", len(h.Fields)), Offset: uint32(off), Width: uint32(w), Stages: randomStages(r, w)})
		}
		off += w + r.intn(2)*r.intn(3)
	}
	r.shuffleFields(h.Fields)
	h.FrameSize = h.RecordSize * uint32(1+r.intn(64))
	return h
}

// shuffleFields puts the fields in random order (header order is column order, not offset
// order).
func (r *rng) shuffleFields(f []Field) {
	for i := len(f) - 1; i > 0; i-- {
		j := r.intn(i + 1)
		f[i], f[j] = f[j], f[i]
	}
}

// randomData returns data of an interesting size for h: empty, 1 byte, exactly one frame,
// several frames and a partial one, or anything; random or compressible bytes.
func randomData(r *rng, h Header) []byte {
	fs := int(h.FrameSize)
	var n int
	switch r.intn(6) {
	case 0:
		n = 0
	case 1:
		n = 1
	case 2:
		n = fs
	case 3:
		n = fs*(2+r.intn(5)) + 1 + r.intn(fs)
	case 4:
		n = fs * (2 + r.intn(5))
	default:
		n = r.intn(20 * fs)
	}
	b := make([]byte, n)
	if r.intn(2) == 0 {
		r.fill(b)
	} else {
		for i := range b {
			b[i] = byte(i/7) ^ byte(i%int(h.RecordSize))
		}
	}
	return b
}

// writeChunks writes data to w in random-sized pieces, or through ReadFrom.
func writeChunks(r *rng, w *Writer, data []byte, frameSize int) error {
	if r.intn(3) == 0 {
		_, err := w.ReadFrom(bytes.NewReader(data))
		return err
	}
	for len(data) > 0 {
		k := min(len(data), 1+r.intn(3*frameSize))
		if _, err := w.Write(data[:k]); err != nil {
			return err
		}
		data = data[k:]
	}
	return nil
}

func TestRoundTripRandomLayouts(t *testing.T) {
	r := rng(42)
	cases := 300
	if testing.Short() {
		cases = 50
	}
	for i := range cases {
		h := randomHeader(&r)
		data := randomData(&r, h)
		workers := []int{1, 2, 3, 16}[r.intn(4)]
		window := r.intn(2 * workers)
		var buf bytes.Buffer
		w, err := NewWriter(&buf, h, WriterOptions{Workers: workers, Window: window})
		if err != nil {
			t.Fatalf("case %d: NewWriter(%+v): %v", i, h, err)
		}
		if err := writeChunks(&r, w, data, int(h.FrameSize)); err != nil {
			t.Fatalf("case %d: writing: %v", i, err)
		}
		if err := w.Close(); err != nil {
			t.Fatalf("case %d: Close: %v", i, err)
		}
		got, err := unpack(buf.Bytes(), ReaderOptions{Workers: []int{1, 2, 16}[r.intn(3)], Window: r.intn(8)})
		if err != nil {
			t.Fatalf("case %d: header %+v, %d bytes: unpack: %v", i, h, len(data), err)
		}
		if !bytes.Equal(got, data) {
			t.Fatalf("case %d: header %+v: %d bytes in, %d out, first difference at %d", i, h, len(data), len(got), binpipe.Mismatch(got, data))
		}
		sum, err := Verify(bytes.NewReader(buf.Bytes()))
		if err != nil {
			t.Fatalf("case %d: Verify: %v", i, err)
		}
		frames := (len(data) + int(h.FrameSize) - 1) / int(h.FrameSize)
		if sum.RawBytes != int64(len(data)) || sum.Frames != int64(frames) || sum.ContainerBytes != int64(buf.Len()) ||
			sum.RawCRC32C != binpipe.CRC32C(data, 0) {
			t.Fatalf("case %d: summary %+v for %d bytes in %d frames, container %d bytes", i, sum, len(data), frames, buf.Len())
		}
	}
}

func TestRoundTripSizes(t *testing.T) {
	h := TelemetryHeader()
	h.FrameSize = 32 * 100
	fs := int(h.FrameSize)
	for _, n := range []int{0, 1, 31, 32, 33, fs - 1, fs, fs + 1, 5 * fs, 5*fs + 17} {
		data := telemetry(n/32+1, uint64(n))[:n]
		c := pack(t, data, h, WriterOptions{Workers: 2})
		got, err := unpack(c, ReaderOptions{Workers: 2})
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("%d bytes: round trip failed (err %v, %d bytes back)", n, err, len(got))
		}
	}
}

func TestReadSmallBuffers(t *testing.T) {
	data := telemetry(5000, 3)
	h := TelemetryHeader()
	h.FrameSize = 32 * 64
	c := pack(t, data, h, WriterOptions{})
	rd, err := NewReader(bytes.NewReader(c), ReaderOptions{Workers: 3})
	if err != nil {
		t.Fatal(err)
	}
	defer rd.Close()
	var got []byte
	buf := make([]byte, 7)
	for {
		n, err := rd.Read(buf)
		got = append(got, buf[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(got, data) {
		t.Fatal("7-byte reads give different bytes")
	}
}

func TestDefaultHeaderRoundTrip(t *testing.T) {
	data := make([]byte, 3<<20+12345)
	r := rng(9)
	r.fill(data[:1<<20]) // incompressible first frame: stored
	c := pack(t, data, DefaultHeader(), WriterOptions{})
	got, err := unpack(c, ReaderOptions{})
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("round trip failed: %v", err)
	}
	if len(c) > len(data)/3+2<<20 {
		t.Fatalf("container of %d bytes for %d bytes, one third of them random", len(c), len(data))
	}
}
