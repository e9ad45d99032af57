package wasmbin

import "fmt"

// The sections outside the code that name functions, rewritten with the indices Instrument
// moves (see rewriter.fn).

// rewriteExports re-encodes the export section with function indices renumbered, counting the
// three exports appendExports adds. An exported global must be one of the module's own: the
// next indices are the appended ones.
func (rw *rewriter) rewriteExports() ([]byte, error) {
	out := appendU32(nil, uint32(len(rw.m.Exports))+3)
	for _, e := range rw.m.Exports {
		idx := e.Index
		switch e.Kind {
		case KindFunc:
			idx = rw.fn(idx)
		case KindGlobal:
			if idx >= rw.ownGlobals {
				return nil, &FormatError{Msg: fmt.Sprintf("export %q: global index %d out of range (the module has %d globals)", e.Name, idx, rw.ownGlobals)}
			}
		}
		out = appendU32(append(appendName(out, e.Name), e.Kind), idx)
	}
	return out, nil
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
		if err := mutability(r); err != nil {
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
		if flags&3 == 2 { // explicit table index
			t, err := r.u32()
			if err != nil {
				return nil, err
			}
			out = appendU32(out, t)
		}
		if flags&1 == 0 { // active: offset expression
			if out, err = rw.constExpr(r, out); err != nil {
				return nil, err
			}
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
// Constant expressions hold no blocks; one that does is refused.
func (rw *rewriter) constExpr(r *reader, out []byte) ([]byte, error) {
	for {
		in, err := nextInstr(r)
		if err != nil {
			return nil, err
		}
		switch {
		case in.prefix != 0:
		case in.op == opGlobalGet && in.index >= rw.ownGlobals:
			return nil, &FormatError{Offset: r.base + in.start,
				Msg: fmt.Sprintf("global index %d out of range (the module has %d globals)", in.index, rw.ownGlobals)}
		case in.op == opRefFunc:
			out = appendU32(append(out, opRefFunc), rw.fn(in.index))
			continue
		case in.op == opBlock || in.op == opLoop || in.op == opIf:
			return nil, &FormatError{Offset: r.base + in.start, Msg: "block in a constant expression"}
		}
		out = append(out, r.buf[in.start:in.end]...)
		if in.prefix == 0 && in.op == opEnd {
			return out, nil
		}
	}
}
