package mem

import (
	"context"
	"errors"
	"testing"

	"github.com/tetratelabs/wazero"
)

// onePage is a module exporting one 64 KiB page of memory named "memory".
var onePage = []byte{
	0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, // magic, version
	0x05, 0x03, 0x01, 0x00, 0x01, // memory section: one memory, min 1 page
	0x07, 0x0a, 0x01, 0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x00, // export "memory"
}

func TestBounds(t *testing.T) {
	ctx := context.Background()
	rt := wazero.NewRuntime(ctx)
	defer rt.Close(ctx)
	mod, err := rt.Instantiate(ctx, onePage)
	if err != nil {
		t.Fatal(err)
	}
	m := mod.Memory()
	if err := Write(m, "test", 65532, []byte{1, 2, 3, 4}); err != nil {
		t.Fatalf("write at the end of memory: %v", err)
	}
	if v, err := U32(m, "test", 65532); err != nil || v != 0x04030201 {
		t.Fatalf("U32 = %#x, %v", v, err)
	}
	if b, err := View(m, "test", 0, 0); err != nil || len(b) != 0 {
		t.Fatalf("empty view at null: %v", err)
	}
	bad := []func() error{
		func() error { _, err := View(m, "past end", 65533, 4); return err },
		func() error { _, err := View(m, "null", 0, 1); return err },
		func() error { _, err := U8(m, "null", 0); return err },
		func() error { _, err := U32(m, "past end", 65533); return err },
		func() error { _, err := U64(m, "past end", 65529); return err },
		func() error { _, err := String(m, "huge", 1, 1<<31); return err },
		func() error { return Write(m, "past end", 65535, []byte{1, 2}) },
	}
	for i, f := range bad {
		var re *RangeError
		if err := f(); !errors.As(err, &re) || re.Size != 65536 {
			t.Errorf("case %d: %v, want a *RangeError naming the 65536-byte memory", i, err)
		} else {
			t.Log(err)
		}
	}
}

func TestWords(t *testing.T) {
	ctx := context.Background()
	rt := wazero.NewRuntime(ctx)
	defer rt.Close(ctx)
	mod, err := rt.Instantiate(ctx, onePage)
	if err != nil {
		t.Fatal(err)
	}
	m := mod.Memory()
	if err := WriteU32s(m, "test", 16, []uint32{1, 0x01020304}); err != nil {
		t.Fatal(err)
	}
	if err := WriteU64s(m, "test", 32, []uint64{0x0102030405060708}); err != nil {
		t.Fatal(err)
	}
	b, _ := View(m, "test", 16, 24)
	want := []byte{1, 0, 0, 0, 4, 3, 2, 1, 0, 0, 0, 0, 0, 0, 0, 0, 8, 7, 6, 5, 4, 3, 2, 1}
	if string(b) != string(want) {
		t.Fatalf("memory % x, want % x (little-endian)", b, want)
	}
	u32, err := AppendU32s(m, "test", 16, 2, []uint32{9}, 10)
	if err != nil || len(u32) != 3 || u32[0] != 9 || u32[1] != 11 || u32[2] != 0x0102030e {
		t.Fatalf("AppendU32s = %x, %v", u32, err)
	}
	u64, err := AppendU64s(m, "test", 32, 1, nil)
	if err != nil || len(u64) != 1 || u64[0] != 0x0102030405060708 {
		t.Fatalf("AppendU64s = %x, %v", u64, err)
	}
	var re *RangeError
	if _, err := AppendU32s(m, "test", 65532, 2, nil, 0); !errors.As(err, &re) {
		t.Errorf("AppendU32s past the end: %v", err)
	}
	if _, err := AppendU64s(m, "test", 8, 1<<30, nil); !errors.As(err, &re) {
		t.Errorf("AppendU64s of 8 GiB: %v", err)
	}
	if err := WriteU64s(m, "test", 65530, []uint64{1}); !errors.As(err, &re) {
		t.Errorf("WriteU64s past the end: %v", err)
	}
}
