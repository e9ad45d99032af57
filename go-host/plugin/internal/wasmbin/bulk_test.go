package wasmbin_test

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/binpipe/binpipe/go-host/plugin/internal/wasmbin"
	. "github.com/binpipe/binpipe/go-host/plugin/internal/wasmtest"
	"github.com/tetratelabs/wazero"
	"github.com/tetratelabs/wazero/api"
)

// bulkModule exports fill, copy and init (d, s, n) over a 3-page memory (2 more may be
// grown), and tfill, tcopy, tinit over a table of 300000 elements: each runs the one
// instruction, so the instrumented module, which replaces them with chunking helpers, can be
// compared with the original operation by operation, traps included.
func bulkModule() []byte {
	b := New()
	t3 := b.Type([]byte{I32, I32, I32}, nil)
	b.Memory(3, 5)
	b.Table(300000)
	b.Data(0, bytes.Repeat([]byte("abcdefghijklmnopqrstuvwxyz012345"), 4096)) // active: 128 KiB
	g := func(op ...byte) []byte { return Cat(LocalGet(0), LocalGet(1), LocalGet(2), op) }
	b.Export("fill", ExportFunc, b.Func(t3, nil, g(0xfc, 11, 0)...))
	b.Export("copy", ExportFunc, b.Func(t3, nil, g(0xfc, 10, 0, 0)...))
	b.Export("tfill", ExportFunc, b.Func(t3, nil, Cat(LocalGet(0), []byte{0xd0, 0x70}, LocalGet(2), []byte{0xfc, 17, 0})...))
	b.Export("tcopy", ExportFunc, b.Func(t3, nil, g(0xfc, 14, 0, 0)...))
	// init: memory.init of data segment 0 (the active one: dropped after instantiation, so
	// only zero-length inits at 0 succeed), and table.init of element segment 0
	b.Export("init", ExportFunc, b.Func(t3, nil, g(0xfc, 8, 0, 0)...))
	b.Export("tinit", ExportFunc, b.Func(t3, nil, g(0xfc, 12, 0, 0)...))
	b.Export("memory", ExportMemory, 0)
	f0 := b.Func(b.Type(nil, nil), nil)
	b.Elem(0, f0, f0, f0)
	return withDataCount(b.Bytes(), 1) // memory.init needs a data count section
}

// withDataCount inserts a data count section of n before the code section of bin.
func withDataCount(bin []byte, n byte) []byte {
	pos := 8
	for pos < len(bin) {
		id := bin[pos]
		size, l := uleb(bin[pos+1:])
		if id == 10 {
			out := append(append([]byte{}, bin[:pos]...), 12, 1, n)
			return append(out, bin[pos:]...)
		}
		pos += 1 + l + int(size)
	}
	panic("no code section")
}

func uleb(b []byte) (uint64, int) {
	var v uint64
	for i := 0; ; i++ {
		v |= uint64(b[i]&0x7f) << (7 * i)
		if b[i]&0x80 == 0 {
			return v, i + 1
		}
	}
}

// TestBulkHelpersKeepSemantics runs the same operations on the original and the
// instrumented module, each on a fresh instance, and compares traps and the whole memory
// after each: ranges in and out of bounds, ending exactly at the end, overlapping copies in
// both directions, lengths of many chunks, wrapping sums.
func TestBulkHelpersKeepSemantics(t *testing.T) {
	orig := bulkModule()
	metered, st := instrument(t, orig, wasmbin.Options{InitialFuel: 1 << 40, Bounds: wasmbin.Bounds{TableElements: 1 << 20}})
	if st.Bulk != 6 {
		t.Fatalf("stats %+v, want 6 bulk instructions replaced", st)
	}
	const mem = 3 << 16
	cases := []struct {
		op      string
		d, s, n uint32
	}{
		{"fill", 0, 7, mem}, {"fill", 1, 7, mem - 1}, {"fill", 1, 7, mem}, {"fill", mem, 7, 0},
		{"fill", mem + 1, 7, 0}, {"fill", 100, 9, 200000}, {"fill", 0xffffffff, 1, 2},
		{"copy", 1, 0, mem - 1}, {"copy", 0, 1, mem - 1}, {"copy", 5000, 3, 150000},
		{"copy", 3, 5000, 150000}, {"copy", 0, 0, mem}, {"copy", 0, 1, mem}, {"copy", mem, mem, 0},
		{"copy", 70000, 65536, 131072}, {"copy", 10, 0xfffffff0, 0x20},
		{"init", 0, 0, 0}, {"init", 0, 0, 1}, {"init", mem + 1, 0, 0}, {"init", 0, 1, 0},
		{"tfill", 0, 0, 300000}, {"tfill", 1, 0, 300000}, {"tfill", 300000, 0, 0},
		{"tcopy", 1, 0, 299999}, {"tcopy", 0, 1, 299999}, {"tcopy", 0, 0, 300001},
		{"tinit", 0, 0, 3}, {"tinit", 299998, 0, 3}, {"tinit", 0, 1, 3}, {"tinit", 0, 3, 0},
	}
	ctx := context.Background()
	run := func(bin []byte, op string, d, s, n uint32) (string, []byte) {
		rt := newRuntime(t, wazero.NewRuntimeConfig().WithCoreFeatures(api.CoreFeaturesV2))
		defer rt.Close(ctx)
		mod, err := rt.InstantiateWithConfig(ctx, bin, wazero.NewModuleConfig().WithName(""))
		if err != nil {
			t.Fatal(err)
		}
		// fill memory with a pattern first, so that copies move distinguishable bytes
		buf, _ := mod.Memory().Read(0, mod.Memory().Size())
		for i := range buf {
			buf[i] = byte(i*7 + i>>8)
		}
		_, err = mod.ExportedFunction(op).Call(ctx, uint64(d), uint64(s), uint64(n))
		msg := "ok"
		if err != nil {
			msg = err.Error()
			if i := strings.Index(msg, "\n"); i >= 0 {
				msg = msg[:i]
			}
		}
		after, _ := mod.Memory().Read(0, mod.Memory().Size())
		return msg, bytes.Clone(after)
	}
	for _, c := range cases {
		wantErr, wantMem := run(orig, c.op, c.d, c.s, c.n)
		gotErr, gotMem := run(metered, c.op, c.d, c.s, c.n)
		if gotErr != wantErr || !bytes.Equal(gotMem, wantMem) {
			t.Errorf("%s(%#x, %#x, %#x): instrumented %q (memory equal: %v), original %q",
				c.op, c.d, c.s, c.n, gotErr, bytes.Equal(gotMem, wantMem), wantErr)
		}
	}
}

// TestIndexRefusals: every index a body or section names is checked against its index space
// before rewriting, so that none lands on what the rewriter appends (the yield import, the
// metering globals, helper functions and types).
func TestIndexRefusals(t *testing.T) {
	body := func(locals []byte, code ...byte) []byte {
		b := New()
		tV := b.Type(nil, nil)
		b.Memory(1, -1)
		b.Table(1)
		b.Func(tV, locals, code...)
		return b.Bytes()
	}
	noMemory := New()
	noMemory.Func(noMemory.Type(nil, nil), nil, Cat(I32Const(0), []byte{0x28, 0x02, 0x00, 0x1a})...)
	startOut := New()
	startOut.Func(startOut.Type(nil, nil), nil)
	startOut.Start(1)
	elemOut := New()
	elemOut.Table(1)
	elemOut.Func(elemOut.Type(nil, nil), nil)
	elemOut.Elem(0, 1)
	exportOut := New()
	exportOut.Func(exportOut.Type(nil, nil), nil)
	exportOut.Export("f", ExportFunc, 1)
	globalRef := New()
	globalRef.Func(globalRef.Type(nil, nil), nil)
	globalRef.Global(0x70, false, U32(1, []byte{0xd2})...)
	for _, tc := range []struct {
		name string
		bin  []byte
		want string
	}{
		{"call past the functions (onto the yield import)", body(nil, Call(1)...), "function index 1 out of range"},
		{"call wrapping around", body(nil, 0x10, 0xff, 0xff, 0xff, 0xff, 0x0f), "function index 4294967295 out of range"},
		{"ref.func past the functions", body(nil, 0xd2, 0x05, 0x1a), "function index 5 out of range"},
		{"local past the locals", body([]byte{I32}, LocalGet(1)...), "local index 1 out of range"},
		{"label past the blocks", body(nil, 0x02, 0x40, 0x0c, 0x02, 0x0b), "label index 2 out of range"},
		{"br_table label past the blocks", body(nil, Cat(I32Const(0), []byte{0x0e, 0x01, 0x00, 0x03})...), "label index 3 out of range"},
		{"table past the tables", body(nil, Cat(I32Const(0), []byte{0x25, 0x01, 0x1a})...), "table index 1 out of range"},
		{"call_indirect table", body(nil, Cat(I32Const(0), []byte{0x11, 0x00, 0x02})...), "table index 2 out of range"},
		{"table.fill table", body(nil, Cat(I32Const(0), []byte{0xd0, 0x70}, I32Const(0), []byte{0xfc, 17, 1})...), "table index 1 out of range"},
		{"table.copy source table", body(nil, Cat(I32Const(0), I32Const(0), I32Const(0), []byte{0xfc, 14, 0, 3})...), "table 3 out of range"},
		{"element segment past the segments", body(nil, 0xfc, 13, 0), "element segment index 0 out of range"},
		{"data segment without a data count", body(nil, 0xfc, 9, 0), "without a data count section"},
		{"memory instruction without memory", noMemory.Bytes(), "without memory"},
		{"start function past the functions", startOut.Bytes(), "start function 1 out of range"},
		{"element segment function", elemOut.Bytes(), "function 1 out of range"},
		{"exported function", exportOut.Bytes(), "func index 1 out of range"},
		{"ref.func in a global", globalRef.Bytes(), "function index 1 out of range"},
	} {
		m, err := wasmbin.Parse(tc.bin)
		if err == nil {
			_, _, err = wasmbin.Instrument(m, wasmbin.Options{})
		}
		var fe *wasmbin.FormatError
		if !errors.As(err, &fe) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: %v, want a *FormatError with %q", tc.name, err, tc.want)
		}
	}
}
