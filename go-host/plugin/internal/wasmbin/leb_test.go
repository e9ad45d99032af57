package wasmbin

import (
	"errors"
	"testing"
)

func TestLEBRoundTrip(t *testing.T) {
	for _, v := range []int64{0, 1, -1, 63, 64, -64, -65, 1 << 31, -1 << 31, 1<<63 - 1, -1 << 63} {
		r := &reader{buf: appendS64(nil, v)}
		got, err := r.sleb(64)
		if err != nil || got != v || !r.done() {
			t.Errorf("sleb64 %d: got %d, %v (done %v)", v, got, err, r.done())
		}
	}
	for _, v := range []uint32{0, 1, 127, 128, 1<<32 - 1} {
		r := &reader{buf: appendU32(nil, v)}
		got, err := r.u32()
		if err != nil || got != v || !r.done() {
			t.Errorf("u32 %d: got %d, %v", v, got, err)
		}
	}
}

func TestLEBRejectsOverlongAndOutOfRange(t *testing.T) {
	for _, tc := range []struct {
		name string
		buf  []byte
		bits uint
		sign bool
	}{
		{"u32 six bytes", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 32, false},
		{"u32 high bits in fifth byte", []byte{0xff, 0xff, 0xff, 0xff, 0x1f}, 32, false},
		{"s32 fifth byte not a sign extension", []byte{0xff, 0xff, 0xff, 0xff, 0x4f}, 32, true},
		{"s64 eleven bytes", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00}, 64, true},
		{"s64 tenth byte 0x02", []byte{0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x02}, 64, true},
		{"truncated", []byte{0x80}, 32, false},
	} {
		r := &reader{buf: tc.buf}
		var err error
		if tc.sign {
			_, err = r.sleb(tc.bits)
		} else {
			_, err = r.uleb(tc.bits)
		}
		var fe *FormatError
		if !errors.As(err, &fe) {
			t.Errorf("%s: got %v, want a *FormatError", tc.name, err)
		}
	}
	// The largest and smallest s32 in five bytes are accepted.
	for _, buf := range [][]byte{{0xff, 0xff, 0xff, 0xff, 0x07}, {0x80, 0x80, 0x80, 0x80, 0x78}} {
		if _, err := (&reader{buf: buf}).sleb(32); err != nil {
			t.Errorf("% x: %v", buf, err)
		}
	}
}
