package wasmbin

import "fmt"

// checkConstExpr validates a constant expression (a global's initialiser, a segment's offset or
// element), up to and including its end: it may hold only constant instructions (the
// t.const, ref.null, ref.func and global.get of an imported immutable global) and must give
// exactly one value, of type want. A function it names becomes a declared function reference.
func (m *Module) checkConstExpr(r *reader, want byte) error {
	var (
		n    int  // values the expression has pushed
		last byte // the type of the last one
	)
	for {
		in, err := nextInstr(r)
		if err != nil {
			return err
		}
		at := func(format string, args ...any) error {
			return &FormatError{Offset: r.base + in.start, Msg: fmt.Sprintf(format, args...)}
		}
		var t byte
		switch {
		case in.prefix == opPrefixSIMD && in.op == simdV128Const:
			t = v128
		case in.prefix != 0:
			return at("instruction 0x%02x %d in a constant expression", in.prefix, in.op)
		case in.op == opI32Const:
			t = i32
		case in.op == opI64Const:
			t = i64
		case in.op == opF32Const:
			t = f32
		case in.op == opF64Const:
			t = f64
		case in.op == opRefNull:
			t = in.valType
		case in.op == opRefFunc:
			if uint64(in.index) >= m.funcs() {
				return at("function index %d out of range (the module has %d functions)", in.index, m.funcs())
			}
			m.declare(in.index)
			t = funcRef
		case in.op == opGlobalGet:
			if in.index >= m.globals() {
				return at("global index %d out of range (the module has %d globals)", in.index, m.globals())
			}
			if in.index >= m.importedGlobals || m.globalMutable[in.index] {
				return at("global.get %d in a constant expression: only imported immutable globals may be read", in.index)
			}
			t = m.globalTypes[in.index]
		case in.op == opEnd:
			if n != 1 || last != want {
				return at("constant expression gives %d values (the last %s); one %s is expected", n, typeName(last), typeName(want))
			}
			return nil
		default:
			return at("instruction 0x%02x in a constant expression", in.op)
		}
		n++
		last = t
	}
}
