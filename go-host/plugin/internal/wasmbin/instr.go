package wasmbin

import "fmt"

// Opcodes the instrumentation looks at or emits.
const (
	opUnreachable = 0x00
	opBlock       = 0x02
	opLoop        = 0x03
	opIf          = 0x04
	opElse        = 0x05
	opEnd         = 0x0b
	opCall        = 0x10
	opRefFunc     = 0xd2
	opGlobalGet   = 0x23
	opGlobalSet   = 0x24
	opMemoryGrow  = 0x40
	opI32Const    = 0x41
	opI64Const    = 0x42
	opI32Or       = 0x72
	opI64LtS      = 0x53
	opI64Sub      = 0x7d
	opI64Add      = 0x7c
	opPrefixMisc  = 0xfc
	opPrefixSIMD  = 0xfd
	blockEmpty    = 0x40
	miscTableGrow = 15 // 0xfc 15
)

// instr is one decoded instruction: its opcode (prefixed opcodes have prefix != 0), where it
// starts and ends in the body, and its index immediate for global.get/global.set (a global)
// and call/ref.func (a function).
type instr struct {
	prefix     byte
	op         uint32
	start, end int
	index      uint32
	// typeIndex is the type index of call_indirect and of a block, loop or if whose block
	// type is one (-1 otherwise).
	typeIndex int64
}

// nextInstr decodes the instruction at r.pos and skips its immediates. Unknown opcodes (those
// of features the host does not enable) are errors.
func nextInstr(r *reader) (instr, error) {
	in := instr{start: r.pos, typeIndex: -1}
	b, err := r.byte()
	if err != nil {
		return in, err
	}
	in.op = uint32(b)
	switch {
	case b == 0x00 || b == 0x01 || b == opElse || b == opEnd || b == 0x0f || b == 0x1a || b == 0x1b:
		// unreachable, nop, else, end, return, drop, select: no immediates
	case b == opBlock || b == opLoop || b == opIf:
		var bt int64
		if bt, err = r.sleb(33); err == nil && bt >= 0 { // empty and value types are negative
			in.typeIndex = bt
		}
	case b == 0x0c || b == 0x0d || (b >= 0x20 && b <= 0x22) || b == 0x25 || b == 0x26:
		// br, br_if, local.*, table.get/set: one index
		_, err = r.u32()
	case b == opGlobalGet || b == opGlobalSet || b == opCall || b == opRefFunc:
		in.index, err = r.u32()
	case b == 0x0e: // br_table: vec(label) label
		err = skipIndexVec(r, 1)
	case b == 0x11: // call_indirect: type index, table index
		var t uint32
		if t, err = r.u32(); err == nil {
			in.typeIndex = int64(t)
			_, err = r.u32()
		}
	case b == 0x1c: // select t*
		err = r.valTypes()
	case b >= 0x28 && b <= 0x3e: // loads and stores: memarg
		err = skipU32s(r, 2)
	case b == 0x3f || b == opMemoryGrow: // memory.size, memory.grow: memory 0
		err = zeroByte(r)
	case b == opI32Const:
		_, err = r.sleb(32)
	case b == opI64Const:
		_, err = r.sleb(64)
	case b == 0x43:
		_, err = r.bytes(4)
	case b == 0x44:
		_, err = r.bytes(8)
	case b >= 0x45 && b <= 0xc4: // numeric and sign-extension instructions: no immediates
	case b == 0xd0: // ref.null t
		_, err = r.refType()
	case b == 0xd1: // ref.is_null
	case b == opPrefixMisc:
		in.prefix = b
		in.op, err = miscImmediates(r)
	case b == opPrefixSIMD:
		in.prefix = b
		in.op, err = simdImmediates(r)
	default:
		return in, &FormatError{Offset: r.base + in.start, Msg: fmt.Sprintf("unsupported instruction opcode %#02x", b)}
	}
	in.end = r.pos
	return in, err
}

// miscImmediates reads the 0xfc-prefixed instruction's sub-opcode and immediates.
func miscImmediates(r *reader) (uint32, error) {
	start := r.pos - 1
	sub, err := r.u32()
	if err != nil {
		return 0, err
	}
	switch {
	case sub <= 7: // saturating truncations
	case sub == 8: // memory.init data, memory 0
		if _, err = r.u32(); err == nil {
			err = zeroByte(r)
		}
	case sub == 9 || sub == 13 || (sub >= 15 && sub <= 17): // data.drop, elem.drop, table.grow/size/fill
		_, err = r.u32()
	case sub == 10: // memory.copy 0 0
		if err = zeroByte(r); err == nil {
			err = zeroByte(r)
		}
	case sub == 11: // memory.fill 0
		err = zeroByte(r)
	case sub == 12 || sub == 14: // table.init elem table, table.copy table table
		err = skipU32s(r, 2)
	default:
		return sub, &FormatError{Offset: r.base + start, Msg: fmt.Sprintf("unsupported instruction 0xfc %d", sub)}
	}
	return sub, err
}

// simdImmediates reads the 0xfd-prefixed instruction's sub-opcode and immediates (fixed-width
// SIMD; relaxed SIMD is not enabled).
func simdImmediates(r *reader) (uint32, error) {
	start := r.pos - 1
	sub, err := r.u32()
	if err != nil {
		return 0, err
	}
	switch {
	case sub <= 11 || sub == 92 || sub == 93: // loads, store, load_zero: memarg
		err = skipU32s(r, 2)
	case sub == 12 || sub == 13: // v128.const, i8x16.shuffle: 16 bytes
		_, err = r.bytes(16)
	case sub >= 21 && sub <= 34: // extract_lane / replace_lane: lane index
		_, err = r.byte()
	case sub >= 84 && sub <= 91: // load_lane / store_lane: memarg, lane index
		if err = skipU32s(r, 2); err == nil {
			_, err = r.byte()
		}
	case sub <= 255: // every other fixed-width SIMD instruction: no immediates
	default:
		return sub, &FormatError{Offset: r.base + start, Msg: fmt.Sprintf("unsupported instruction 0xfd %d", sub)}
	}
	return sub, err
}

func skipU32s(r *reader, n int) error {
	for i := 0; i < n; i++ {
		if _, err := r.u32(); err != nil {
			return err
		}
	}
	return nil
}

// skipIndexVec skips vec(u32) followed by extra more u32s.
func skipIndexVec(r *reader, extra int) error {
	n, err := r.count()
	if err != nil {
		return err
	}
	for i := uint32(0); i < n; i++ {
		if _, err := r.u32(); err != nil {
			return err
		}
	}
	return skipU32s(r, extra)
}

// zeroByte reads the reserved memory-index byte, which must be 0 without multi-memory.
func zeroByte(r *reader) error {
	b, err := r.byte()
	if err == nil && b != 0 {
		err = r.errAt("memory index %d: only memory 0 exists", b)
	}
	return err
}
