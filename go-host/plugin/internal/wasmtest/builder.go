// Package wasmtest assembles small wasm modules byte by byte for the plugin host's tests: the
// host must be tested on modules no compiler would emit (hostile ones), and the repository
// has no WAT assembler in Go. Only what the tests need is here.
package wasmtest

// Value types.
const (
	I32 byte = 0x7f
	I64 byte = 0x7e
)

// Export kinds.
const (
	ExportFunc   byte = 0x00
	ExportMemory byte = 0x02
	ExportGlobal byte = 0x03
)

// Builder collects the parts of one module. Function and type indices are returned by the
// methods that add them; imported functions must be added before defined ones.
type Builder struct {
	types, imports, funcs, globals, exports, code, data, elems [][]byte
	memory, table                                              []byte
	start                                                      int
	importedFuncs                                              int
}

// New returns an empty builder.
func New() *Builder { return &Builder{start: -1} }

// Type adds a function type and returns its index.
func (b *Builder) Type(params, results []byte) int {
	t := []byte{0x60}
	t = append(append(U32(uint32(len(params)), t), params...), U32(uint32(len(results)), nil)...)
	t = append(t, results...)
	b.types = append(b.types, t)
	return len(b.types) - 1
}

// ImportFunc adds a function import and returns its function index.
func (b *Builder) ImportFunc(module, name string, typ int) int {
	e := Name(module, nil)
	e = Name(name, e)
	e = append(e, ExportFunc)
	b.imports = append(b.imports, U32(uint32(typ), e))
	b.importedFuncs++
	return b.importedFuncs - 1
}

// ImportMemory adds a memory import.
func (b *Builder) ImportMemory(module, name string, min uint32) {
	e := Name(name, Name(module, nil))
	b.imports = append(b.imports, U32(min, append(e, ExportMemory, 0x00)))
}

// Func adds a function of type typ with the given extra locals (one value type each) and code
// (the final end is added) and returns its function index.
func (b *Builder) Func(typ int, locals []byte, code ...byte) int {
	b.funcs = append(b.funcs, U32(uint32(typ), nil))
	body := U32(uint32(len(locals)), nil)
	for _, l := range locals {
		body = append(U32(1, body), l)
	}
	body = append(append(body, code...), 0x0b)
	b.code = append(b.code, append(U32(uint32(len(body)), nil), body...))
	return b.importedFuncs + len(b.funcs) - 1
}

// Memory declares memory 0 with min pages and, if max >= 0, a maximum.
func (b *Builder) Memory(min uint32, max int64) {
	if max < 0 {
		b.memory = U32(min, []byte{0x00})
	} else {
		b.memory = U32(uint32(max), U32(min, []byte{0x01}))
	}
}

// Table declares table 0, of funcref, with min elements.
func (b *Builder) Table(min uint32) { b.table = U32(min, []byte{0x70, 0x00}) }

// Elem adds an active element segment for table 0 at offset holding the functions funcs.
func (b *Builder) Elem(offset int32, funcs ...int) {
	e := append(append([]byte{0x00}, I32Const(offset)...), 0x0b)
	e = U32(uint32(len(funcs)), e)
	for _, f := range funcs {
		e = U32(uint32(f), e)
	}
	b.elems = append(b.elems, e)
}

// Global adds a mutable or immutable global with an initial constant expression (end added)
// and returns its index.
func (b *Builder) Global(typ byte, mutable bool, init ...byte) int {
	m := byte(0)
	if mutable {
		m = 1
	}
	b.globals = append(b.globals, append(append([]byte{typ, m}, init...), 0x0b))
	return len(b.globals) - 1
}

// Export exports the item of the given kind and index under name.
func (b *Builder) Export(name string, kind byte, index int) {
	b.exports = append(b.exports, U32(uint32(index), append(Name(name, nil), kind)))
}

// Data adds an active data segment for memory 0 at offset.
func (b *Builder) Data(offset uint32, bytes []byte) {
	d := append([]byte{0x00, 0x41}, S64(int64(int32(offset)), nil)...)
	d = append(U32(uint32(len(bytes)), append(d, 0x0b)), bytes...)
	b.data = append(b.data, d)
}

// Start makes function f the start function.
func (b *Builder) Start(f int) { b.start = f }

// Bytes encodes the module.
func (b *Builder) Bytes() []byte {
	out := []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}
	out = vecSection(out, 1, b.types)
	out = vecSection(out, 2, b.imports)
	out = vecSection(out, 3, b.funcs)
	if b.table != nil {
		out = section(out, 4, append([]byte{0x01}, b.table...))
	}
	if b.memory != nil {
		out = section(out, 5, append([]byte{0x01}, b.memory...))
	}
	out = vecSection(out, 6, b.globals)
	out = vecSection(out, 7, b.exports)
	if b.start >= 0 {
		out = section(out, 8, U32(uint32(b.start), nil))
	}
	out = vecSection(out, 9, b.elems)
	out = vecSection(out, 10, b.code)
	return vecSection(out, 11, b.data)
}

func vecSection(out []byte, id byte, items [][]byte) []byte {
	if len(items) == 0 {
		return out
	}
	p := U32(uint32(len(items)), nil)
	for _, it := range items {
		p = append(p, it...)
	}
	return section(out, id, p)
}

func section(out []byte, id byte, payload []byte) []byte {
	return append(U32(uint32(len(payload)), append(out, id)), payload...)
}

// U32 appends v as unsigned LEB128 to dst.
func U32(v uint32, dst []byte) []byte {
	for v >= 0x80 {
		dst = append(dst, byte(v)|0x80)
		v >>= 7
	}
	return append(dst, byte(v))
}

// S64 appends v as signed LEB128 to dst.
func S64(v int64, dst []byte) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(dst, c)
		}
		dst = append(dst, c|0x80)
	}
}

// Name appends a length-prefixed string to dst.
func Name(s string, dst []byte) []byte { return append(U32(uint32(len(s)), dst), s...) }

// Instruction helpers: each returns the encoded instruction.

// I32Const is i32.const v.
func I32Const(v int32) []byte { return S64(int64(v), []byte{0x41}) }

// I64Const is i64.const v.
func I64Const(v int64) []byte { return S64(v, []byte{0x42}) }

// Call is call f.
func Call(f int) []byte { return U32(uint32(f), []byte{0x10}) }

// LocalGet is local.get i.
func LocalGet(i int) []byte { return U32(uint32(i), []byte{0x20}) }

// LocalSet is local.set i.
func LocalSet(i int) []byte { return U32(uint32(i), []byte{0x21}) }

// GlobalGet is global.get i.
func GlobalGet(i int) []byte { return U32(uint32(i), []byte{0x23}) }

// GlobalSet is global.set i.
func GlobalSet(i int) []byte { return U32(uint32(i), []byte{0x24}) }

// Cat concatenates instruction encodings.
func Cat(parts ...[]byte) []byte {
	var out []byte
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}
