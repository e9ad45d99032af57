package wasmbin

// The sections outside the code that name functions, rewritten with the indices Instrument
// moves (see rewriter.fn).

import "fmt"

// rewriteExports re-encodes the export section with function indices renumbered, counting the
// metering exports appendExports adds. Parse checked every index.
func (rw *rewriter) rewriteExports() []byte {
	out := appendU32(nil, uint32(len(rw.m.Exports))+meteringExports)
	for _, e := range rw.m.Exports {
		idx := e.Index
		if e.Kind == KindFunc {
			idx = rw.fn(idx)
		}
		out = appendU32(append(appendName(out, e.Name), e.Kind), idx)
	}
	return out
}

// rewriteStart renumbers the start function.
func (rw *rewriter) rewriteStart(s section) ([]byte, error) {
	r := &reader{buf: s.payload, base: s.offset}
	idx, err := r.u32()
	if err != nil {
		return nil, err
	}
	if !r.done() {
		return nil, r.errAt("bytes left over in the start section")
	}
	return appendU32(nil, rw.fn(idx)), nil
}

// rewriteGlobals re-encodes the global section with ref.func renumbered in the initialisers,
// and appends the metering globals.
func (rw *rewriter) rewriteGlobals(s section) ([]byte, error) {
	r := &reader{buf: s.payload, base: s.offset}
	n, err := r.count()
	if err != nil {
		return nil, err
	}
	out := appendU32(nil, n+4)
	for i := uint32(0); i < n; i++ {
		start := r.pos
		if _, err := r.valType(); err != nil {
			return nil, err
		}
		if _, err := mutability(r); err != nil {
			return nil, err
		}
		out = append(out, r.buf[start:r.pos]...)
		if out, err = rw.constExpr(r, out); err != nil {
			return nil, err
		}
	}
	if !r.done() {
		return nil, r.errAt("bytes left over in the global section")
	}
	return rw.appendGlobals(out), nil
}

// rewriteElements re-encodes the element section with function indices renumbered, in each
// of the eight segment encodings.
func (rw *rewriter) rewriteElements(s section) ([]byte, error) {
	r := &reader{buf: s.payload, base: s.offset}
	n, err := r.count()
	if err != nil {
		return nil, err
	}
	out := appendU32(nil, n)
	for i := uint32(0); i < n; i++ {
		flags, err := r.u32()
		if err != nil {
			return nil, err
		}
		if flags > 7 {
			return nil, r.errAt("element segment flags %d", flags)
		}
		out = appendU32(out, flags)
		var table uint32
		if flags&3 == 2 { // explicit table index
			if table, err = r.u32(); err != nil {
				return nil, err
			}
			out = appendU32(out, table)
		}
		offset, offsetAt := int64(-1), r.base+r.pos
		if flags&1 == 0 { // active: offset expression
			start := r.pos
			if out, err = rw.constExpr(r, out); err != nil {
				return nil, err
			}
			offset = constI32(r.buf[start:r.pos])
		}
		if flags&3 != 0 { // element kind (0x00 without expressions) or reference type
			var k byte
			if flags&4 != 0 {
				k, err = r.refType()
			} else if k, err = r.byte(); err == nil && k != 0 {
				err = r.errAt("element kind %#x", k)
			}
			if err != nil {
				return nil, err
			}
			out = append(out, k)
		}
		count, err := r.count()
		if err != nil {
			return nil, err
		}
		out = appendU32(out, count)
		if err := rw.checkActiveElements(i, table, offset, offsetAt, count); err != nil {
			return nil, err
		}
		for j := uint32(0); j < count; j++ {
			if flags&4 != 0 { // expressions
				out, err = rw.constExpr(r, out)
			} else { // function indices
				var idx uint32
				if idx, err = r.u32(); err == nil {
					out = appendU32(out, rw.fn(idx))
				}
			}
			if err != nil {
				return nil, err
			}
		}
	}
	if !r.done() {
		return nil, r.errAt("bytes left over in the element section")
	}
	return out, nil
}

// constExpr copies a constant expression (up to its end) from r to out, renumbering ref.func.
// Parse checked its indices and that it holds no block.
func (rw *rewriter) constExpr(r *reader, out []byte) ([]byte, error) {
	for {
		in, err := nextInstr(r)
		if err != nil {
			return nil, err
		}
		if in.prefix == 0 && in.op == opRefFunc {
			out = appendU32(append(out, opRefFunc), rw.fn(in.index))
			continue
		}
		out = append(out, r.buf[in.start:in.end]...)
		if in.prefix == 0 && in.op == opEnd {
			return out, nil
		}
	}
}

// checkActiveElements refuses, as a *TrapError, an active element segment (offset >= 0)
// that does not fit its table's initial size. Instantiation would trap on it (the spec checks
// offset+count against the table's size even when count is 0), but wazero v1.12 lets an
// empty segment past the end through; a plugin has no imports, so every offset is a
// constant and the check is exact here, before any instance exists.
func (rw *rewriter) checkActiveElements(seg, table uint32, offset int64, at int, count uint32) error {
	if offset < 0 || int(table) >= len(rw.m.tables) {
		return nil // passive or declarative; a bad table index is the validator's
	}
	if size := uint64(rw.m.tables[table].Min); uint64(offset)+uint64(count) > size {
		return &TrapError{Offset: at, Msg: fmt.Sprintf(
			"element segment %d: %d elements at offset %d do not fit table %d of %d elements", seg, count, offset, table, size)}
	}
	return nil
}

// constI32 is the value of a constant expression that is one i32.const (as an unsigned
// offset), or -1 for any other expression.
func constI32(expr []byte) int64 {
	if len(expr) < 2 || expr[0] != opI32Const {
		return -1
	}
	r := &reader{buf: expr, pos: 1}
	v, err := r.sleb(32)
	if err != nil || r.pos != len(expr)-1 || expr[r.pos] != opEnd {
		return -1
	}
	return int64(uint32(v))
}
