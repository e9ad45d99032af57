package wasmbin_test

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/binpipe/binpipe/go-host/plugin/internal/wasmbin"
	. "github.com/binpipe/binpipe/go-host/plugin/internal/wasmtest"
)

// Value types and instruction bytes the validator tests use beyond wasmtest's.
const (
	f32     = 0x7d
	f64     = 0x7c
	v128    = 0x7b
	funcref = 0x70
	end     = 0x0b
)

// v128Const is v128.const 0.
var v128Const = append([]byte{0xfd, 12}, make([]byte, 16)...)

// load is a memory instruction op with alignment exponent align and offset 0.
func load(align byte, op ...byte) []byte { return append(op, align, 0) }

// bodyCase is one function body: the function's type, its locals, the code before the
// instruction under test, the instruction (empty: the body's final end) and the code after it.
type bodyCase struct {
	name             string
	params, results  []byte
	locals           []byte
	before, at, rest []byte
	want             string // "" for a valid body, else what the refusal says
	// module features the body needs
	memory, table, dataCount bool
	immutableGlobal          bool // an immutable i32 global 0 (else mutable)
	exportSelf               bool // export the function (declaring it for ref.func)
}

// module is the case's function in a module, with the offset of the instruction under test.
func (c bodyCase) module() ([]byte, int) {
	b := New()
	typ := b.Type(c.params, c.results)
	if c.memory {
		b.Memory(1, 1)
	}
	if c.table {
		b.Table(1)
	}
	b.Global(I32, !c.immutableGlobal, I32Const(0)...)
	code := Cat(c.before, c.at, c.rest)
	f := b.Func(typ, c.locals, code...)
	if c.exportSelf {
		b.Export("f", ExportFunc, f)
	}
	if c.dataCount {
		b.Data(0, []byte{1})
	}
	bin := b.Bytes()
	if c.dataCount {
		bin = withDataCount(bin, 1)
	}
	at := bytes.LastIndex(bin, append(code, end)) // the body's code, its final end included
	return bin, at + len(c.before)
}

// validate parses and instruments bin, as the host does before compiling.
func validate(bin []byte) error {
	m, err := wasmbin.Parse(bin)
	if err == nil {
		_, _, err = wasmbin.Instrument(m, wasmbin.Options{})
	}
	return err
}

// checkCases requires every valid case to pass and every invalid one to be refused with a
// *FormatError at the instruction under test, saying what the case wants.
func checkCases(t *testing.T, cases []bodyCase) {
	t.Helper()
	for _, c := range cases {
		bin, at := c.module()
		err := validate(bin)
		if c.want == "" {
			if err != nil {
				t.Errorf("%s: valid body refused: %v", c.name, err)
			}
			continue
		}
		var fe *wasmbin.FormatError
		switch {
		case !errors.As(err, &fe):
			t.Errorf("%s: %v, want a *FormatError saying %q", c.name, err, c.want)
		case !strings.Contains(fe.Msg, c.want):
			t.Errorf("%s: %q, want %q", c.name, fe.Msg, c.want)
		case fe.Offset != at:
			t.Errorf("%s: refused at byte %d, want %d (%s)", c.name, fe.Offset, at, fe.Msg)
		}
	}
}

// TestValidateSeed11539 is the body wasm-smith seed 11539 (tools/sandbox-diff) minimised: an
// i32 (i8x16.all_true's result) where f64.add needs an f64. wazero compiled the module;
// wasmtime refused it.
func TestValidateSeed11539(t *testing.T) {
	checkCases(t, []bodyCase{{
		name: "seed 11539", results: []byte{f64}, locals: []byte{v128},
		before: Cat([]byte{0x44}, make([]byte, 8), LocalGet(0), []byte{0xfd, 0xa1, 0x01, 0xfd, 0xe3, 0x00}),
		at:     []byte{0xa0}, // f64.add
		want:   "f64 expected, i32 found",
	}})
}

func TestValidateOperands(t *testing.T) {
	i32c := I32Const(0)
	checkCases(t, []bodyCase{
		{name: "wrong operand type", before: I64Const(0), at: []byte{0x45}, rest: []byte{0x1a}, want: "i32 expected, i64 found"},
		{name: "stack underflow", before: i32c, at: []byte{0x6a}, rest: []byte{0x1a}, want: "the stack is empty"},
		{name: "value left at the end", before: i32c, want: "1 values left"},
		{name: "result missing at the end", results: []byte{I32}, want: "i32 expected, the stack is empty"},
		{name: "result of the wrong type", results: []byte{I32}, before: I64Const(0), want: "i32 expected, i64 found"},
		{name: "call with a wrong argument", params: []byte{I32}, before: I64Const(0), at: Call(0), want: "i32 expected, i64 found"},
		{name: "local.set of the wrong type", locals: []byte{f32}, before: i32c, at: LocalSet(0), want: "f32 expected, i32 found"},
		{name: "global.set of an immutable global", immutableGlobal: true, before: i32c, at: GlobalSet(0), want: "immutable global 0"},
		{name: "global.set of the wrong type", before: I64Const(0), at: GlobalSet(0), want: "i32 expected, i64 found"},
		{name: "select of mismatched types", before: Cat(i32c, I64Const(0), i32c), at: []byte{0x1b}, rest: []byte{0x1a}, want: "select of i32 and i64"},
		{name: "select of references", table: true, before: Cat([]byte{0xd0, funcref, 0xd0, funcref}, i32c), at: []byte{0x1b}, rest: []byte{0x1a}, want: "select t"},
		{name: "typed select of two types", before: Cat(i32c, i32c, i32c), at: []byte{0x1c, 2, I32, I32}, rest: []byte{0x1a}, want: "select with 2 types"},
		{name: "typed select mismatch", before: Cat(I64Const(0), i32c, i32c), at: []byte{0x1c, 1, I32}, rest: []byte{0x1a}, want: "i32 expected, i64 found"},
		{name: "memory op without memory", before: i32c, at: load(2, 0x28), rest: []byte{0x1a}, want: "without memory"},
		{name: "alignment above natural", memory: true, before: i32c, at: load(3, 0x28), rest: []byte{0x1a}, want: "above the natural alignment"},
		{name: "store operand", memory: true, before: Cat(i32c, I64Const(0)), at: load(2, 0x36), want: "i32 expected, i64 found"},
		{name: "ref.func undeclared", at: []byte{0xd2, 0x00}, rest: []byte{0x1a}, want: "not declared"},
		{name: "data.drop without data count", memory: true, at: []byte{0xfc, 9, 0}, want: "without a data count section"},
		{name: "table.set of an i32", table: true, before: Cat(i32c, i32c), at: []byte{0x26, 0}, want: "funcref expected, i32 found"},
		{name: "ref.is_null of an i32", before: i32c, at: []byte{0xd1}, rest: []byte{0x1a}, want: "ref.is_null of i32"},
		{name: "memory.fill of an i64", memory: true, before: Cat(i32c, I64Const(0), i32c), at: []byte{0xfc, 11, 0}, want: "i32 expected, i64 found"},
		{name: "trunc_sat of an i32", before: i32c, at: []byte{0xfc, 0}, rest: []byte{0x1a}, want: "f32 expected, i32 found"},
	})
}

func TestValidateControl(t *testing.T) {
	i32c := I32Const(0)
	checkCases(t, []bodyCase{
		{name: "br with the wrong value", before: Cat([]byte{0x02, I32}, I64Const(0)), at: []byte{0x0c, 0}, rest: []byte{end, 0x1a}, want: "i32 expected, i64 found"},
		{name: "br without its value", before: []byte{0x02, I32}, at: []byte{0x0c, 0}, rest: []byte{end, 0x1a}, want: "the stack is empty"},
		{name: "br_if with the wrong condition", before: Cat([]byte{0x02, 0x40}, I64Const(0)), at: []byte{0x0d, 0}, rest: []byte{end}, want: "i32 expected, i64 found"},
		{name: "br_table of two arities", before: Cat([]byte{0x02, I32, 0x02, 0x40}, i32c, i32c), at: []byte{0x0e, 1, 0, 1}, rest: []byte{end, end, 0x1a}, want: "takes 0 values, the default 1"},
		{name: "br_table of two label types", before: Cat([]byte{0x02, I32, 0x02, I64}, i32c, i32c), at: []byte{0x0e, 1, 0, 1}, rest: []byte{end, 0x1a, i32c[0], 0, end, 0x1a}, want: "i64 expected, i32 found"},
		{name: "if without else, params != results", before: Cat(i32c, []byte{0x04, I32}, i32c), at: []byte{end}, rest: []byte{0x1a}, want: "if without else"},
		{name: "if's condition", before: Cat(I64Const(0)), at: []byte{0x04, 0x40}, rest: []byte{end}, want: "i32 expected, i64 found"},
		{name: "else outside an if", before: []byte{0x02, 0x40}, at: []byte{0x05}, rest: []byte{end}, want: "else outside an if"},
		{name: "then branch leaves a value", before: Cat(i32c, []byte{0x04, 0x40}, i32c), at: []byte{0x05}, rest: []byte{end}, want: "1 values left"},
		{name: "block parameters of the wrong types", params: []byte{I32, I64}, results: []byte{I32, I64}, before: Cat(LocalGet(1), LocalGet(0)), at: []byte{0x02, 0x00}, rest: []byte{end}, want: "i64 expected, i32 found"},
		{name: "return of the wrong type", results: []byte{I32}, before: I64Const(0), at: []byte{0x0f}, want: "i32 expected, i64 found"},
		{name: "invalid block type", at: []byte{0x02, 0x60}, rest: []byte{end}, want: "invalid block type"},
		{name: "call_indirect's index", table: true, before: I64Const(0), at: []byte{0x11, 0, 0}, want: "i32 expected, i64 found"},
	})
}

func TestValidateSIMD(t *testing.T) {
	i32c := I32Const(0)
	checkCases(t, []bodyCase{
		{name: "extract_lane past the lanes", before: v128Const, at: []byte{0xfd, 21, 16}, rest: []byte{0x1a}, want: "lane 16 of 16"},
		{name: "i64x2 replace_lane past the lanes", before: Cat(v128Const, I64Const(0)), at: []byte{0xfd, 30, 2}, rest: []byte{0x1a}, want: "lane 2 of 2"},
		{name: "load_lane past the lanes", memory: true, before: Cat(i32c, v128Const), at: []byte{0xfd, 87, 3, 0, 2}, rest: []byte{0x1a}, want: "lane 2 of 2"},
		{name: "load_lane alignment", memory: true, before: Cat(i32c, v128Const), at: []byte{0xfd, 84, 1, 0, 0}, rest: []byte{0x1a}, want: "above the natural alignment"},
		{name: "v128.load alignment", memory: true, before: i32c, at: []byte{0xfd, 0, 5, 0}, rest: []byte{0x1a}, want: "above the natural alignment"},
		{name: "shuffle lane past 32", before: Cat(v128Const, v128Const), at: append([]byte{0xfd, 13}, append(make([]byte, 15), 32)...), rest: []byte{0x1a}, want: "shuffle lane 32"},
		{name: "unassigned opcode", before: Cat(v128Const, v128Const), at: []byte{0xfd, 0x9a, 0x01}, rest: []byte{0x1a}, want: "unsupported instruction 0xfd 154"},
		{name: "splat of the wrong type", before: I64Const(0), at: []byte{0xfd, 17}, rest: []byte{0x1a}, want: "i32 expected, i64 found"},
		{name: "shift count", before: Cat(v128Const, v128Const), at: []byte{0xfd, 107}, rest: []byte{0x1a}, want: "i32 expected, v128 found"},
		{name: "bitselect", before: Cat(v128Const, v128Const, i32c), at: []byte{0xfd, 82}, rest: []byte{0x1a}, want: "v128 expected, i32 found"},
	})
}

// TestValidateAccepts checks valid bodies of every feature: the validator must not refuse what
// the specification allows.
func TestValidateAccepts(t *testing.T) {
	i32c := I32Const(0)
	checkCases(t, []bodyCase{
		{name: "arithmetic", results: []byte{I64}, before: Cat(i32c, i32c, []byte{0x6a, 0xac}, I64Const(3), []byte{0x7e})},
		{name: "unreachable makes the stack polymorphic", results: []byte{I32}, before: []byte{0x00, 0x6a, 0x1b}},
		{name: "br leaves unreachable code", results: []byte{I32}, before: Cat([]byte{0x02, I32}, i32c, []byte{0x0c, 0, 0x45, 0x1a, 0x1b, 0x0b})},
		{name: "br_table to loops and blocks", before: Cat([]byte{0x03, 0x40, 0x02, 0x40}, i32c, []byte{0x0e, 2, 0, 1, 0, end, end})},
		{name: "br_if keeps its values", results: []byte{I32}, before: Cat([]byte{0x02, I32}, i32c, i32c, []byte{0x0d, 0, end})},
		{name: "if else with results", results: []byte{I64}, before: Cat(i32c, []byte{0x04, I64}, I64Const(1), []byte{0x05}, I64Const(2), []byte{end})},
		{name: "return in a block", results: []byte{I32}, before: Cat([]byte{0x02, 0x40}, i32c, []byte{0x0f, end}, i32c)},
		{name: "typed and untyped select", results: []byte{f64}, before: Cat([]byte{0x44}, make([]byte, 8), []byte{0x44}, make([]byte, 8), i32c, []byte{0x1b, 0xd0, funcref, 0xd0, funcref}, i32c, []byte{0x1c, 1, funcref, 0x1a})},
		{name: "locals of several types", params: []byte{I64}, locals: []byte{f32, I32, v128}, results: []byte{I64}, before: Cat(LocalGet(3), []byte{0xfd, 98, 0xfd, 99}, LocalSet(2), LocalGet(0))},
		{name: "memory and bulk memory", memory: true, dataCount: true, before: Cat(i32c, load(2, 0x28), i32c, load(0, 0x2d), []byte{0x6a, 0x1a}, i32c, i32c, i32c, []byte{0xfc, 8, 0, 0, 0xfc, 9, 0}, i32c, i32c, i32c, []byte{0xfc, 10, 0, 0})},
		{name: "tables", table: true, exportSelf: true, before: Cat(i32c, []byte{0xd2, 0, 0x26, 0}, i32c, []byte{0x25, 0, 0xd1, 0x1a, 0xd0, funcref}, i32c, []byte{0xfc, 15, 0, 0x1a, 0xfc, 16, 0, 0x1a}, i32c, []byte{0xd0, funcref}, i32c, []byte{0xfc, 17, 0}, i32c, i32c, i32c, []byte{0xfc, 14, 0, 0})},
		{name: "SIMD lanes and shuffle", results: []byte{f64}, before: Cat(v128Const, v128Const, append([]byte{0xfd, 13}, bytes.Repeat([]byte{31}, 16)...), []byte{0xfd, 33, 1})},
		{name: "global.set of a mutable global", before: Cat(i32c, GlobalSet(0))},
		{name: "multi-value blocks and loops", params: []byte{I32, I64}, results: []byte{I32, I64}, before: Cat(LocalGet(0), LocalGet(1), []byte{0x02, 0x00, 0x03, 0x00, end, end})},
		{name: "multi-value br to a loop", params: []byte{I32, I64}, results: []byte{I32, I64}, before: Cat(LocalGet(0), LocalGet(1), []byte{0x03, 0x00}, i32c, []byte{0x0d, 0, end})},
	})
}

// TestValidateExternref checks that externref (0x6f) is refused wherever a type is: the Rust
// host's wasmtime, built without its garbage collector, refuses it, so neither host takes it.
func TestValidateExternref(t *testing.T) {
	const extern = 0x6f
	i32c := I32Const(0)
	checkCases(t, []bodyCase{
		{name: "ref.null extern", before: []byte{0xd0}, at: []byte{extern}, rest: []byte{0x1a}, want: "externref is not supported"},
		{name: "block type", at: []byte{0x02, extern}, rest: []byte{0xd0, funcref, end, 0x1a}, want: "block type externref"},
		{name: "typed select", before: Cat([]byte{0xd0, funcref, 0xd0, funcref}, i32c, []byte{0x1c, 1}), at: []byte{extern}, rest: []byte{0x1a}, want: "externref is not supported"},
	})
	local := New()
	local.Func(local.Type(nil, nil), []byte{extern})
	param := New()
	param.Func(param.Type([]byte{extern}, nil), nil)
	result := New()
	result.Func(result.Type(nil, []byte{extern}), []byte{}, 0xd0, funcref)
	global := New()
	global.Global(extern, false, 0xd0, funcref)
	table := []byte("\x00asm\x01\x00\x00\x00\x04\x04\x01\x6f\x00\x01")
	for _, tc := range []struct {
		name string
		bin  []byte
	}{
		{"local", local.Bytes()}, {"parameter", param.Bytes()}, {"result", result.Bytes()},
		{"global", global.Bytes()}, {"table", table},
		// a passive segment of expressions (flags 5) of externref, without elements
		{"element segment", []byte("\x00asm\x01\x00\x00\x00\x09\x04\x01\x05\x6f\x00")},
	} {
		err := validate(tc.bin)
		var fe *wasmbin.FormatError
		if !errors.As(err, &fe) || !strings.Contains(fe.Msg, "externref is not supported") {
			t.Errorf("%s of externref: %v, want a *FormatError refusing externref", tc.name, err)
		} else if fe.Offset >= len(tc.bin) || tc.bin[fe.Offset] != extern {
			t.Errorf("%s of externref: refused at byte %d, not at the type", tc.name, fe.Offset)
		}
	}
}

// TestValidateAllocations checks that validating does not allocate per instruction: a body
// 100 times longer costs Parse and Instrument at most a few more allocations (buffers growing
// once more), not thousands (the stacks are reused).
func TestValidateAllocations(t *testing.T) {
	allocs := func(n int) float64 {
		b := New()
		typ := b.Type(nil, nil)
		b.Memory(1, 1)
		b.Table(1)
		one := Cat(I32Const(1), load(2, 0x28), []byte{0xd0, funcref, 0xd0, funcref}, I32Const(0),
			[]byte{0x1c, 1, funcref, 0x1a}, I32Const(0), []byte{0xd0, funcref, 0x26, 0, 0x02, I32},
			I32Const(0), []byte{end, 0x1a, 0x1a})
		b.Func(typ, nil, bytes.Repeat(one, n)...)
		bin := b.Bytes()
		return testing.AllocsPerRun(5, func() {
			if err := validate(bin); err != nil {
				t.Fatal(err)
			}
		})
	}
	if short, long := allocs(100), allocs(10000); long > short+10 {
		t.Errorf("%v allocations for 100 repetitions, %v for 10000", short, long)
	}
}
