package container

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"runtime"
	"strings"
	"testing"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// corpusHeader is the layout of the small valid file the corrupted corpus is made from: a
// gap (bytes 28..32 go to the rest column) and a partial record at the end.
func corpusHeader(c Compression) Header {
	h := TelemetryHeader()
	h.Fields = h.Fields[:5]
	h.FrameSize = 32 * 16
	h.Compression = c
	return h
}

// smallContainer returns a valid container of 3 frames (the last one short, ending in a
// partial record) and the data in it.
func smallContainer(t testing.TB, c Compression) ([]byte, []byte) {
	data := telemetry(40, 7)[:32*39+5]
	return pack(t, data, corpusHeader(c), WriterOptions{Workers: 1}), data
}

// part is a region of a container.
type part struct {
	name     string
	off, len int
}

// parts splits a valid container into its header, frame headers, payloads and trailer.
func parts(c []byte) []part {
	hl := int(binary.LittleEndian.Uint32(c[12:]))
	ps := []part{{"header", 0, hl}}
	off := hl
	for i := 0; string(c[off:off+4]) == string(frameTag[:]); i++ {
		enc := int(binary.LittleEndian.Uint32(c[off+12:]))
		ps = append(ps, part{fmt.Sprintf("frame %d header", i), off, frameHeaderLen},
			part{fmt.Sprintf("frame %d payload", i), off + frameHeaderLen, enc})
		off += frameHeaderLen + enc
	}
	return append(ps, part{"trailer", off, trailerLen})
}

// corruption is one damaged container.
type corruption struct {
	name string
	data []byte
}

// withCRC returns a copy of c with b put at off, then the CRC of the region [from, to) stored
// at to, so the damage gets past that CRC.
func withCRC(c []byte, off int, b []byte, from, to int) []byte {
	d := bytes.Clone(c)
	copy(d[off:], b)
	binary.LittleEndian.PutUint32(d[to:], binpipe.CRC32C(d[from:to], 0))
	return d
}

// u32 encodes v.
func u32(v uint32) []byte { return binary.LittleEndian.AppendUint32(nil, v) }

// corpus generates the corrupted containers.
func corpus(t testing.TB) []corruption {
	var out []corruption
	add := func(name string, d []byte) { out = append(out, corruption{name, d}) }
	for _, comp := range []Compression{CompressionZstd, CompressionNone} {
		c, _ := smallContainer(t, comp)
		ps := parts(c)
		tag := comp.String() + ": "
		for n := range len(c) {
			add(fmt.Sprintf("%struncated to %d of %d bytes", tag, n, len(c)), c[:n])
		}
		for _, p := range ps {
			step := 1
			if strings.HasSuffix(p.name, "payload") {
				step = max(1, p.len/13) // a dozen positions per payload, every header byte
			}
			for i := 0; i < p.len; i += step {
				for bit := range 8 {
					d := bytes.Clone(c)
					d[p.off+i] ^= 1 << bit
					add(fmt.Sprintf("%s%s byte %d bit %d flipped", tag, p.name, i, bit), d)
				}
			}
		}
		hl := ps[0].len
		hcrc := func(off int, b []byte) []byte { return withCRC(c, off, b, 0, hl-4) }
		add(tag+"header length 2^32-1", withCRC(c, 12, u32(^uint32(0)), 0, 0)[:len(c)])
		add(tag+"header length 2^20+1", func() []byte { d := bytes.Clone(c); copy(d[12:], u32(MaxHeaderSize+1)); return d }())
		add(tag+"record size 0 (CRC fixed)", hcrc(16, u32(0)))
		add(tag+"record size 2^32-1 (CRC fixed)", hcrc(16, u32(^uint32(0))))
		add(tag+"frame size 2^32-1 (CRC fixed)", hcrc(20, u32(^uint32(0))))
		add(tag+"frame size 64 MiB+32 (CRC fixed)", hcrc(20, u32(MaxFrameSize+32)))
		add(tag+"frame size 64 MiB (CRC fixed, frames now short)", hcrc(20, u32(MaxFrameSize)))
		lying := hcrc(20, u32(MaxFrameSize))
		copy(lying[ps[1].off+8:], u32(MaxFrameSize))
		copy(lying[ps[1].off+12:], u32(60<<20))
		add(tag+"frame size 64 MiB (CRC fixed), frame 0 claims 64 MiB raw in a 60 MiB payload", lying)
		add(tag+"frame size not a record multiple (CRC fixed)", hcrc(20, u32(32*16+1)))
		add(tag+"compression 7 (CRC fixed)", hcrc(24, []byte{7}))
		add(tag+"field count 65535 (CRC fixed)", hcrc(26, []byte{0xff, 0xff}))
		add(tag+"field count 6 (CRC fixed)", hcrc(26, []byte{6, 0}))
		add(tag+"field count 0 (CRC fixed)", hcrc(26, []byte{0, 0}))
		add(tag+"first name length 255 (CRC fixed)", hcrc(headerFixedLen, []byte{255}))
		add(tag+"first name length 0 (CRC fixed)", hcrc(headerFixedLen, []byte{0}))
		add(tag+"first field width 2^32-1 (CRC fixed)", hcrc(headerFixedLen+1+9+4, u32(^uint32(0))))
		add(tag+"first field offset 2^32-8 (CRC fixed)", hcrc(headerFixedLen+1+9, u32(^uint32(0)-7)))
		add(tag+"first field overlaps the second (CRC fixed)", hcrc(headerFixedLen+1+9+4, u32(9)))
		add(tag+"first field stage count 255 (CRC fixed)", hcrc(headerFixedLen+1+9+8, []byte{255}))
		add(tag+"first field stage spec length 255 (CRC fixed)", hcrc(headerFixedLen+1+9+8+1, []byte{255}))
		add(tag+"first stage spec not allowed (CRC fixed)", hcrc(headerFixedLen+1+9+8+2, []byte("hex-decode.....")[:14]))
		add(tag+"first stage spec unknown (CRC fixed)", hcrc(headerFixedLen+1+9+8+2, []byte("zzzzz-encode:8")))
		add(tag+"duplicate field name (CRC fixed)", hcrc(headerFixedLen+1+9+8+1+1+14+1+6+1, []byte("timesta")))
		for i, fp := range ps[1:] {
			if !strings.HasSuffix(fp.name, "header") {
				continue
			}
			f := fp.off
			add(fmt.Sprintf("%sframe %d raw length 2^32-1", tag, i/2), withCRC(c, f+8, u32(^uint32(0)), 0, 0)[:len(c)])
			add(fmt.Sprintf("%sframe %d encoded length 2^32-1", tag, i/2), withCRC(c, f+12, u32(^uint32(0)), 0, 0)[:len(c)])
			big := bytes.Clone(c)
			copy(big[f+12:], u32(500))
			add(fmt.Sprintf("%sframe %d encoded length 500, past the end", tag, i/2), big[:f+frameHeaderLen+40])
			add(fmt.Sprintf("%sframe %d raw length 0", tag, i/2), withCRC(c, f+8, u32(0), 0, 0)[:len(c)])
		}
		tr := ps[len(ps)-1].off
		tcrc := func(off int, b []byte) []byte { return withCRC(c, tr+off, b, tr, tr+24) }
		add(tag+"trailer frame count 2^64-1 (CRC fixed)", tcrc(4, bytes.Repeat([]byte{0xff}, 8)))
		add(tag+"trailer frame count 2 (CRC fixed)", tcrc(4, []byte{2, 0, 0, 0, 0, 0, 0, 0}))
		add(tag+"trailer raw bytes +1 (CRC fixed)", tcrc(12, binary.LittleEndian.AppendUint64(nil, uint64(32*39+6))))
		add(tag+"trailer stream CRC 0 (CRC fixed)", tcrc(20, u32(0)))
		add(tag+"a byte after the trailer", append(bytes.Clone(c), 0))
		add(tag+"a second trailer", append(bytes.Clone(c), c[tr:]...))
		add(tag+"frames swapped", swapFrames(c, ps[1], ps[2], ps[3], ps[4]))
		add(tag+"the short frame moved before a full one", swapFrames(c, ps[3], ps[4], ps[5], ps[6]))
		add(tag+"a frame repeated", append(append(bytes.Clone(c[:ps[5].off]), c[ps[3].off:ps[5].off]...), c[ps[5].off:]...))
		add(tag+"the short last frame dropped", append(bytes.Clone(c[:ps[5].off]), c[tr:]...))
		add(tag+"trailer missing (file ends at a frame boundary)", c[:tr])
		for _, v := range []uint16{0, 2, 0xffff} {
			d := bytes.Clone(c)
			binary.LittleEndian.PutUint16(d[8:], v)
			add(fmt.Sprintf("%sversion %d", tag, v), d)
		}
	}
	c, _ := smallContainer(t, CompressionNone)
	ps := parts(c)
	f, pay := ps[1].off, ps[2]
	// Damage inside a stored payload with the payload CRC recomputed: the column block's own
	// checks, then the raw CRC, must catch it.
	pcrc := func(off int, b []byte) []byte { return withCRC(c, pay.off+off, b, pay.off, pay.off+pay.len) }
	for i := range 5 {
		fixed := pcrc(4*i, u32(^uint32(0)))
		binary.LittleEndian.PutUint32(fixed[f+16:], binpipe.CRC32C(fixed[pay.off:pay.off+pay.len], 0))
		add(fmt.Sprintf("stored: column %d length 2^32-1 (payload CRC fixed)", i), fixed)
		fixed = pcrc(4*i, u32(3))
		binary.LittleEndian.PutUint32(fixed[f+16:], binpipe.CRC32C(fixed[pay.off:pay.off+pay.len], 0))
		add(fmt.Sprintf("stored: column %d length 3 (payload CRC fixed)", i), fixed)
	}
	for _, at := range []int{20, 200, pay.len - 1} {
		d := bytes.Clone(c)
		d[pay.off+at] ^= 0x40
		binary.LittleEndian.PutUint32(d[f+16:], binpipe.CRC32C(d[pay.off:pay.off+pay.len], 0))
		add(fmt.Sprintf("stored: payload byte %d changed (payload CRC fixed)", at), d)
	}
	z, _ := smallContainer(t, CompressionZstd)
	zp := parts(z)
	zf, zpay := zp[1].off, zp[2]
	d := bytes.Clone(z)
	copy(d[zpay.off:], []byte{0x28, 0xb5, 0x2f, 0xfd, 0x20, 0xff}) // single segment, FCS 255
	binary.LittleEndian.PutUint32(d[zf+16:], binpipe.CRC32C(d[zpay.off:zpay.off+zpay.len], 0))
	add("zstd: frame content size changed (payload CRC fixed)", d)
	d = bytes.Clone(z)
	copy(d[zpay.off:], []byte{0x28, 0xb5, 0x2f, 0xfd, 0xe0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f}) // FCS 2^63-1
	binary.LittleEndian.PutUint32(d[zf+16:], binpipe.CRC32C(d[zpay.off:zpay.off+zpay.len], 0))
	add("zstd: frame content size 2^63-1 (payload CRC fixed)", d)
	for _, m := range []string{"\x89BPD", "\x88BPC", "PK\x03\x04 not a container at all", "\x28\xb5\x2f\xfd plain zstd data.......",
		"\x1f\x8b\x08\x00 gzip................", "BINPIPE container?\n...............", "\x89BPC\n\x1a\n"} {
		add(fmt.Sprintf("wrong magic %q", m), append([]byte(m), c[len(m):]...))
	}
	return out
}

// swapFrames returns c with the frames (a header, a payload) and (b header, b payload) swapped;
// they must be adjacent and in order.
func swapFrames(c []byte, ah, ap, bh, bp part) []byte {
	out := bytes.Clone(c[:ah.off])
	out = append(out, c[bh.off:bp.off+bp.len]...)
	out = append(out, c[ah.off:ap.off+ap.len]...)
	return append(out, c[bp.off+bp.len:]...)
}

// readAll unpacks c with one worker, returning the error.
func readAll(c []byte) error {
	r, err := NewReader(bytes.NewReader(c), ReaderOptions{Workers: 1, Window: 2})
	if err != nil {
		return err
	}
	defer r.Close()
	_, err = io.Copy(io.Discard, r)
	return err
}

// allocBound is the most a read of a corpus container may allocate: it is a few KiB of data,
// whose header promises frames of 512 bytes, or (once CRC-fixed) up to 64 MiB; the lengths
// in it claim up to 4 GiB. Reading allocates buffers for what is present, plus the zstd
// decoder's state.
const allocBound = 4 << 20

func TestCorruptedCorpus(t *testing.T) {
	cs := corpus(t)
	if len(cs) < 200 {
		t.Fatalf("only %d corrupted containers", len(cs))
	}
	var worst uint64
	var worstName string
	for _, c := range cs {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		err := readAll(c.data)
		runtime.ReadMemStats(&after)
		var fe *FormatError
		if !errors.As(err, &fe) {
			t.Errorf("%s: got %v (%T), want a *FormatError", c.name, err, err)
			continue
		}
		if fe.Offset < 0 || fe.Offset > int64(len(c.data)) || fe.Msg == "" || fe.Frame < -1 {
			t.Errorf("%s: implausible error %+v for %d bytes", c.name, fe, len(c.data))
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > worst {
			worst, worstName = alloc, c.name
		}
	}
	if worst > allocBound {
		t.Errorf("reading %q allocated %d bytes, above the bound %d", worstName, worst, allocBound)
	}
	t.Logf("%d corrupted containers, each a *FormatError; most allocated by one read: %d bytes (%s)", len(cs), worst, worstName)
}

// TestCorruptedMessages pins the message of one case per kind of damage.
func TestCorruptedMessages(t *testing.T) {
	want := map[string]string{
		"zstd: truncated to 0 of":                               "offset 0: header: truncated after 0 of 16 bytes",
		"zstd: trailer missing (file ends at a frame boundary)": "truncated: no trailer after frame 2",
		"zstd: version 2":                                       "header: unsupported format version 2 (this reader reads version 1)",
		"wrong magic \"PK\\x03\\x04 not a container at all\"":   "not a binpipe container",
		"zstd: frame 0 payload byte 0 bit 0 flipped":            "frame 0 at offset",
		"zstd: a byte after the trailer":                        "data follows the trailer",
		"stored: column 1 length 2^32-1 (payload CRC fixed)":    "field \"sensor_id\": encoded column of 4294967295 bytes, above its bound",
		"zstd: frames swapped":                                  "trailer: stream CRC-32C",
		"zstd: the short frame moved":                           "raw length below the frame size 512, but a frame follows",
		"zstd: the short last frame dropped":                    "trailer: frame count 3, but 2 frames precede it",
		"zstd: frame size 64 MiB+32 (CRC fixed)":                "frame size 67108896 above the limit 67108864",
	}
	found := 0
	for _, c := range corpus(t) {
		for prefix, msg := range want {
			if strings.HasPrefix(c.name, prefix) {
				found++
				if err := readAll(c.data); err == nil || !strings.Contains(err.Error(), msg) {
					t.Errorf("%s: got %v, want a message containing %q", c.name, err, msg)
				}
			}
		}
	}
	if found < len(want) {
		t.Fatalf("only %d of %d pinned cases found in the corpus", found, len(want))
	}
}
