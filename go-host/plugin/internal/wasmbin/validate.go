package wasmbin

import "fmt"

// The function-body validator: the specification's validation algorithm (its appendix), run
// on the instructions Instrument decodes (nextInstr), after checkIndices has checked every
// index. It keeps an operand stack of value types, with unknown for the values of the
// polymorphic stack after unreachable, br, br_table and return, and a stack of control
// frames. Both stacks are reused from one body to the next, so a module's bodies are checked
// in time linear in their size, with allocations only to grow the stacks.

// Value types, as encoded, and unknown: a value of the polymorphic stack, of any type.
const (
	f32       = 0x7d
	f64       = 0x7c
	v128      = 0x7b
	externRef = 0x6f // refused wherever a type is read (see reader.typeErr)
	unknown   = 0
)

// typeName names a value type for messages.
func typeName(t byte) string {
	switch t {
	case i32:
		return "i32"
	case i64:
		return "i64"
	case f32:
		return "f32"
	case f64:
		return "f64"
	case v128:
		return "v128"
	case funcRef:
		return "funcref"
	case externRef:
		return "externref"
	case unknown:
		return "nothing"
	}
	return fmt.Sprintf("type %#x", t)
}

// valueTypes holds every byte at its own index, so valueTypes[t:t+1] is the one-type list of t.
var valueTypes = func() (a [256]byte) {
	for i := range a {
		a[i] = byte(i)
	}
	return a
}()

// ctrlFrame is an open block, loop, if or else, or the function body itself (op 0).
type ctrlFrame struct {
	op              byte
	params, results []byte
	height          int  // the operand stack's height at the frame's start
	unreachable     bool // the rest of the frame is unreachable: its stack is polymorphic
}

// labelTypes are the types a branch to f carries: a loop's parameters, otherwise its results.
func (f *ctrlFrame) labelTypes() []byte {
	if f.op == opLoop {
		return f.params
	}
	return f.results
}

// localRun is a run of locals of one type: those below end (counted from local 0) not in an
// earlier run.
type localRun struct {
	end uint64
	t   byte
}

// validator checks the operand types of one function body at a time.
type validator struct {
	m      *Module
	vals   []byte // the operand stack
	ctrls  []ctrlFrame
	params []byte     // the function's parameters: its first locals
	locals []localRun // its declared locals
	count  uint64     // parameters and locals so far
	tmp    []byte     // br_table's popped values
}

// begin starts the body of a function of type sig.
func (v *validator) begin(m *Module, sig funcSig) {
	v.m = m
	v.vals = v.vals[:0]
	v.ctrls = append(v.ctrls[:0], ctrlFrame{results: sig.results})
	v.params = sig.params
	v.locals = v.locals[:0]
	v.count = uint64(len(sig.params))
}

// addLocals declares n more locals of type t.
func (v *validator) addLocals(n uint32, t byte) {
	if n > 0 {
		v.count += uint64(n)
		v.locals = append(v.locals, localRun{end: v.count, t: t})
	}
}

// local is the type of local i (checked to be in range).
func (v *validator) local(i uint32) byte {
	if uint64(i) < uint64(len(v.params)) {
		return v.params[i]
	}
	lo, hi := 0, len(v.locals)-1 // the first run ending after i
	for lo < hi {
		mid := (lo + hi) / 2
		if v.locals[mid].end > uint64(i) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	return v.locals[lo].t
}

func (v *validator) push(t byte) { v.vals = append(v.vals, t) }

func (v *validator) pushAll(ts []byte) { v.vals = append(v.vals, ts...) }

// pop takes the top operand; want (or unknown) names what the instruction expects, for the
// message. Below the current frame's height only an unreachable frame gives values: unknown.
func (v *validator) pop(want byte) (byte, error) {
	f := &v.ctrls[len(v.ctrls)-1]
	if len(v.vals) == f.height {
		if f.unreachable {
			return unknown, nil
		}
		if want == unknown {
			return 0, fmt.Errorf("type mismatch: a value expected, the stack is empty")
		}
		return 0, fmt.Errorf("type mismatch: %s expected, the stack is empty", typeName(want))
	}
	t := v.vals[len(v.vals)-1]
	v.vals = v.vals[:len(v.vals)-1]
	return t, nil
}

// popWant takes the top operand, which must be of type want (or unknown), and returns its type.
func (v *validator) popWant(want byte) (byte, error) {
	t, err := v.pop(want)
	if err == nil && t != want && t != unknown {
		err = fmt.Errorf("type mismatch: %s expected, %s found", typeName(want), typeName(t))
	}
	return t, err
}

// popAll takes operands of the types ts, the last one from the top.
func (v *validator) popAll(ts []byte) error {
	for i := len(ts) - 1; i >= 0; i-- {
		if _, err := v.popWant(ts[i]); err != nil {
			return err
		}
	}
	return nil
}

// popSig takes the operands in and pushes the results out.
func (v *validator) popSig(in, out string) error {
	for i := len(in) - 1; i >= 0; i-- {
		if _, err := v.popWant(in[i]); err != nil {
			return err
		}
	}
	v.vals = append(v.vals, out...)
	return nil
}

// pushCtrl opens a frame whose parameters are already popped, and pushes them back inside it.
func (v *validator) pushCtrl(op byte, params, results []byte) {
	v.ctrls = append(v.ctrls, ctrlFrame{op: op, params: params, results: results, height: len(v.vals)})
	v.pushAll(params)
}

// popCtrl closes the innermost frame: its results must be exactly what is left in it.
func (v *validator) popCtrl() (ctrlFrame, error) {
	f := v.ctrls[len(v.ctrls)-1]
	if err := v.popAll(f.results); err != nil {
		return f, err
	}
	if len(v.vals) != f.height {
		return f, fmt.Errorf("type mismatch: %d values left on the stack at the end of the block", len(v.vals)-f.height)
	}
	v.ctrls = v.ctrls[:len(v.ctrls)-1]
	return f, nil
}

// setUnreachable makes the rest of the innermost frame polymorphic.
func (v *validator) setUnreachable() {
	f := &v.ctrls[len(v.ctrls)-1]
	v.vals = v.vals[:f.height]
	f.unreachable = true
}

// label is the frame a branch of relative depth l names (checked to be in range).
func (v *validator) label(l uint32) *ctrlFrame { return &v.ctrls[len(v.ctrls)-1-int(l)] }

// blockSig is the parameters and results of a block type as nextInstr read it.
func (v *validator) blockSig(bt int64) (params, results []byte, err error) {
	if bt >= 0 { // a type index, checked by checkIndices
		s := v.m.sigs[bt]
		return s.params, s.results, nil
	}
	t := byte(bt & 0x7f) // the one-byte encodings are negative: 0x40 is -64, 0x7f is -1
	switch {
	case bt < -64:
	case t == blockEmpty:
		return nil, nil, nil
	case isValType(t):
		return nil, valueTypes[t : t+1], nil
	case t == externRef:
		return nil, nil, fmt.Errorf("block type externref: only funcref is supported")
	}
	return nil, nil, fmt.Errorf("invalid block type %d", bt)
}

// isValType reports whether t is a value type the hosts support: externref is not one (see
// reader.typeErr).
func isValType(t byte) bool { return (t >= v128 && t <= i32) || t == funcRef }

// step checks one instruction of the body, whose bytes are in body.
func (v *validator) step(in instr, body []byte) error {
	switch in.prefix {
	case opPrefixMisc:
		return v.misc(in)
	case opPrefixSIMD:
		return v.simd(in, body)
	}
	if s := &plainSigs[in.op]; s.ok {
		if s.align != 0 && in.align > uint32(s.align-1) {
			return fmt.Errorf("alignment 2^%d above the natural alignment 2^%d", in.align, s.align-1)
		}
		return v.popSig(s.in, s.out)
	}
	if isControl(in.op) {
		return v.control(in, body)
	}
	m := v.m
	switch in.op {
	case opNop:
	case opDrop:
		_, err := v.pop(unknown)
		return err
	case opSelect:
		return v.selectOp()
	case opSelectT:
		if in.index != 1 {
			return fmt.Errorf("select with %d types (one is expected)", in.index)
		}
		return v.popSig(string([]byte{in.valType, in.valType, i32}), string(valueTypes[in.valType:in.valType+1]))
	case opLocalGet:
		v.push(v.local(in.index))
	case opLocalSet:
		_, err := v.popWant(v.local(in.index))
		return err
	case opLocalTee:
		t := v.local(in.index)
		_, err := v.popWant(t)
		v.push(t)
		return err
	case opGlobalGet:
		v.push(m.globalTypes[in.index])
	case opGlobalSet:
		if !m.globalMutable[in.index] {
			return fmt.Errorf("global.set of immutable global %d", in.index)
		}
		_, err := v.popWant(m.globalTypes[in.index])
		return err
	case opTableGet:
		if _, err := v.popWant(i32); err != nil {
			return err
		}
		v.push(m.tables[in.index].RefType)
	case opTableSet:
		return v.popSig(string([]byte{i32, m.tables[in.index].RefType}), "")
	case opRefNull:
		v.push(in.valType)
	case opRefIsNull:
		t, err := v.pop(funcRef)
		if err == nil && t != unknown && t != funcRef {
			err = fmt.Errorf("type mismatch: ref.is_null of %s", typeName(t))
		}
		v.push(i32)
		return err
	case opRefFunc:
		if !m.declared(in.index) {
			return fmt.Errorf("ref.func %d: the function is not declared (no element segment, export or global initialiser names it)", in.index)
		}
		v.push(funcRef)
	default:
		return fmt.Errorf("unsupported instruction opcode %#02x", in.op)
	}
	return nil
}

// isControl reports whether op is a control instruction (control handles them).
func isControl(op uint32) bool {
	return op == opUnreachable || (op >= opBlock && op <= opElse) || (op >= opEnd && op <= opCallIndirect)
}

// control checks the control instructions.
func (v *validator) control(in instr, body []byte) error {
	switch in.op {
	case opUnreachable:
		v.setUnreachable()
	case opBlock, opLoop, opIf:
		params, results, err := v.blockSig(in.blockType)
		if err != nil {
			return err
		}
		if in.op == opIf {
			if _, err := v.popWant(i32); err != nil {
				return err
			}
		}
		if err := v.popAll(params); err != nil {
			return err
		}
		v.pushCtrl(byte(in.op), params, results)
	case opElse:
		if v.ctrls[len(v.ctrls)-1].op != opIf {
			return fmt.Errorf("else outside an if")
		}
		f, err := v.popCtrl()
		if err != nil {
			return err
		}
		v.pushCtrl(opElse, f.params, f.results)
	case opEnd:
		f, err := v.popCtrl()
		if err != nil {
			return err
		}
		if f.op == opIf && string(f.params) != string(f.results) {
			return fmt.Errorf("type mismatch: an if without else must give back its parameters")
		}
		v.pushAll(f.results)
	case opBr:
		if err := v.popAll(v.label(in.index).labelTypes()); err != nil {
			return err
		}
		v.setUnreachable()
	case opBrIf:
		if _, err := v.popWant(i32); err != nil {
			return err
		}
		ts := v.label(in.index).labelTypes()
		if err := v.popAll(ts); err != nil {
			return err
		}
		v.pushAll(ts)
	case opBrTable:
		return v.brTable(body[in.start+1 : in.end])
	case opReturn:
		if err := v.popAll(v.ctrls[0].results); err != nil {
			return err
		}
		v.setUnreachable()
	case opCall:
		s := v.m.funcSigOf(in.index)
		if err := v.popAll(s.params); err != nil {
			return err
		}
		v.pushAll(s.results)
	case opCallIndirect:
		if t := v.m.tables[in.index].RefType; t != funcRef {
			return fmt.Errorf("call_indirect through table %d of %s", in.index, typeName(t))
		}
		if _, err := v.popWant(i32); err != nil {
			return err
		}
		s := v.m.sigs[in.typeIndex]
		if err := v.popAll(s.params); err != nil {
			return err
		}
		v.pushAll(s.results)
	}
	return nil
}

// brTable checks br_table, whose immediates (vec(label) label, already decoded once by
// nextInstr, every label checked in range) are imm: every label must take as many values as
// the default, each of its types.
func (v *validator) brTable(imm []byte) error {
	if _, err := v.popWant(i32); err != nil {
		return err
	}
	r := &reader{buf: imm}
	n, _ := r.u32()
	labels := r.pos
	for i := uint32(0); i < n; i++ { // skip to the default
		_, _ = r.u32()
	}
	def, _ := r.u32()
	arity := len(v.label(def).labelTypes())
	r.pos = labels
	for i := uint32(0); i < n; i++ {
		l, _ := r.u32()
		ts := v.label(l).labelTypes()
		if len(ts) != arity {
			return fmt.Errorf("type mismatch: br_table label %d takes %d values, the default %d", l, len(ts), arity)
		}
		v.tmp = v.tmp[:0]
		for k := len(ts) - 1; k >= 0; k-- {
			t, err := v.popWant(ts[k])
			if err != nil {
				return err
			}
			v.tmp = append(v.tmp, t)
		}
		for k := len(v.tmp) - 1; k >= 0; k-- {
			v.push(v.tmp[k])
		}
	}
	if err := v.popAll(v.label(def).labelTypes()); err != nil {
		return err
	}
	v.setUnreachable()
	return nil
}

// selectOp checks the untyped select: two operands of one numeric or vector type.
func (v *validator) selectOp() error {
	if _, err := v.popWant(i32); err != nil {
		return err
	}
	t1, err := v.pop(unknown)
	if err != nil {
		return err
	}
	t2, err := v.pop(unknown)
	if err != nil {
		return err
	}
	if t1 == funcRef || t2 == funcRef {
		return fmt.Errorf("type mismatch: select of references needs its type (select t)")
	}
	if t1 != t2 && t1 != unknown && t2 != unknown {
		return fmt.Errorf("type mismatch: select of %s and %s", typeName(t2), typeName(t1))
	}
	if t1 == unknown {
		t1 = t2
	}
	v.push(t1)
	return nil
}

// misc checks the 0xfc-prefixed instructions.
func (v *validator) misc(in instr) error {
	m := v.m
	switch in.op {
	case miscMemoryInit, miscMemoryCopy, miscMemoryFill:
		return v.popSig(bulkOperands, "")
	case miscDataDrop, miscElemDrop:
		return nil
	case miscTableInit:
		if e, t := m.elemTypes[in.index], m.tables[in.index2].RefType; e != t {
			return fmt.Errorf("table.init of %s elements into table %d of %s", typeName(e), in.index2, typeName(t))
		}
		return v.popSig(bulkOperands, "")
	case miscTableCopy:
		if d, s := m.tables[in.index].RefType, m.tables[in.index2].RefType; d != s {
			return fmt.Errorf("table.copy from %s table %d to %s table %d", typeName(s), in.index2, typeName(d), in.index)
		}
		return v.popSig(bulkOperands, "")
	case miscTableGrow:
		return v.popSig(string([]byte{m.tables[in.index].RefType, i32}), "\x7f")
	case miscTableSize:
		v.push(i32)
		return nil
	case miscTableFill:
		return v.popSig(string([]byte{i32, m.tables[in.index].RefType, i32}), "")
	}
	s := &miscSigs[in.op] // miscImmediates accepts only the sub-opcodes up to 17
	return v.popSig(s.in, s.out)
}

// bulkOperands are the operands of memory.init/copy/fill and table.init/copy.
const bulkOperands = "\x7f\x7f\x7f"

// simd checks the 0xfd-prefixed instructions; body holds the instruction's bytes.
func (v *validator) simd(in instr, body []byte) error {
	s := &simdSigs[in.op] // simdImmediates accepts only the sub-opcodes below 256
	if !s.ok {
		return fmt.Errorf("unsupported instruction 0xfd %d", in.op)
	}
	if s.align != 0 && in.align > uint32(s.align-1) {
		return fmt.Errorf("alignment 2^%d above the natural alignment 2^%d", in.align, s.align-1)
	}
	if s.lanes != 0 && in.lane >= s.lanes {
		return fmt.Errorf("lane %d of %d", in.lane, s.lanes)
	}
	if in.op == simdShuffle {
		for _, l := range body[in.end-16 : in.end] {
			if l >= 32 {
				return fmt.Errorf("i8x16.shuffle lane %d of 32", l)
			}
		}
	}
	return v.popSig(s.in, s.out)
}
