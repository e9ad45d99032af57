package wasmbin

import "fmt"

// Opcodes the instrumentation looks at or emits.
const (
	opUnreachable   = 0x00
	opBlock         = 0x02
	opLoop          = 0x03
	opIf            = 0x04
	opElse          = 0x05
	opEnd           = 0x0b
	opBr            = 0x0c
	opBrIf          = 0x0d
	opBrTable       = 0x0e
	opReturn        = 0x0f
	opCall          = 0x10
	opCallIndirect  = 0x11
	opSelect        = 0x1b
	opLocalGet      = 0x20
	opLocalSet      = 0x21
	opLocalTee      = 0x22
	opTableGet      = 0x25
	opTableSet      = 0x26
	opMemorySize    = 0x3f
	opI32Eqz        = 0x45
	opI32LtU        = 0x49
	opI32LeU        = 0x4d
	opI32GtU        = 0x4b
	opI64GtU        = 0x56
	opI32Add        = 0x6a
	opI32Sub        = 0x6b
	opI64Shl        = 0x86
	opI64ShrU       = 0x88
	opI64ExtendI32U = 0xad
	opRefFunc       = 0xd2
	opGlobalGet     = 0x23
	opGlobalSet     = 0x24
	opMemoryGrow    = 0x40
	opI32Const      = 0x41
	opI64Const      = 0x42
	opI32Or         = 0x72
	opI64LtS        = 0x53
	opI64Sub        = 0x7d
	opI64Add        = 0x7c
	opF32Const      = 0x43
	opF64Const      = 0x44
	opDrop          = 0x1a
	opSelectT       = 0x1c
	opRefNull       = 0xd0
	opRefIsNull     = 0xd1
	opNop           = 0x01
	opPrefixMisc    = 0xfc
	opPrefixSIMD    = 0xfd
	blockEmpty      = 0x40
	// 0xfc sub-opcodes of the bulk memory and reference-types instructions
	miscMemoryInit = 8
	miscDataDrop   = 9
	miscMemoryCopy = 10
	miscMemoryFill = 11
	miscTableInit  = 12
	miscElemDrop   = 13
	miscTableCopy  = 14
	miscTableGrow  = 15
	miscTableSize  = 16
	miscTableFill  = 17
	// 0xfd sub-opcodes with immediates the validator checks
	simdV128Const = 12
	simdShuffle   = 13
)

// instr is one decoded instruction: its opcode (prefixed opcodes have prefix != 0), where it
// starts and ends in the body, and the index immediates the rewriter checks or renumbers.
type instr struct {
	prefix     byte
	op         uint32
	start, end int
	// index is the first index immediate: the global of global.get/set, the function of
	// call/ref.func, the label of br/br_if (the largest of br_table's), the local of
	// local.get/set/tee, the table of table.get/set/size/grow/fill and call_indirect, the
	// data segment of memory.init/data.drop, the element segment of table.init/elem.drop, the
	// destination table of table.copy.
	index uint32
	// index2 is the second: the table of table.init, the source table of table.copy.
	index2 uint32
	// targets is the number of br_table's labels (the default included).
	targets uint32
	// memory is set for instructions that need memory 0 to exist.
	memory bool
	// typeIndex is the type index of call_indirect and of a block, loop or if whose block
	// type is one (-1 otherwise).
	typeIndex int64
	// blockType is the block type of block, loop and if as read (blockEmpty's and the value
	// types' encodings are negative, see blockValType).
	blockType int64
	// valType is the type immediate of ref.null and of select t* (whose vector length is in
	// index).
	valType byte
	// align is the alignment exponent of a memory instruction's memarg.
	align uint32
	// lane is the lane index immediate of the SIMD lane instructions.
	lane byte
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
		if in.blockType, err = r.sleb(33); err == nil && in.blockType >= 0 { // empty and value types are negative
			in.typeIndex = in.blockType
		}
	case b == opBr || b == opBrIf || (b >= opLocalGet && b <= opLocalTee) || b == opTableGet || b == opTableSet ||
		b == opGlobalGet || b == opGlobalSet || b == opCall || b == opRefFunc:
		in.index, err = r.u32()
	case b == opBrTable: // vec(label) label
		in.index, in.targets, err = brTable(r)
	case b == opCallIndirect: // type index, table index
		var t uint32
		if t, err = r.u32(); err == nil {
			in.typeIndex = int64(t)
			in.index, err = r.u32()
		}
	case b == 0x1c: // select t*
		in.index, in.valType, err = selectTypes(r)
	case b >= 0x28 && b <= 0x3e: // loads and stores: memarg
		in.memory = true
		in.align, err = memarg(r)
	case b == 0x3f || b == opMemoryGrow: // memory.size, memory.grow: memory 0
		in.memory = true
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
		in.valType, err = r.refType()
	case b == 0xd1: // ref.is_null
	case b == opPrefixMisc:
		in.prefix = b
		err = miscImmediates(r, &in)
	case b == opPrefixSIMD:
		in.prefix = b
		err = simdImmediates(r, &in)
	default:
		return in, &FormatError{Offset: r.base + in.start, Msg: fmt.Sprintf("unsupported instruction opcode %#02x", b)}
	}
	in.end = r.pos
	return in, err
}

// brTable reads br_table's labels and returns the largest and their number.
func brTable(r *reader) (maxLabel, targets uint32, err error) {
	n, err := r.count()
	if err != nil {
		return 0, 0, err
	}
	for i := uint64(0); i <= uint64(n); i++ { // n labels, then the default
		l, err := r.u32()
		if err != nil {
			return 0, 0, err
		}
		maxLabel = max(maxLabel, l)
	}
	return maxLabel, n + 1, nil
}

// miscImmediates reads the 0xfc-prefixed instruction's sub-opcode and immediates into in.
func miscImmediates(r *reader, in *instr) error {
	start := r.pos - 1
	sub, err := r.u32()
	in.op = sub
	if err != nil {
		return err
	}
	switch {
	case sub <= 7: // saturating truncations
	case sub == miscMemoryInit: // data, memory 0
		in.memory = true
		if in.index, err = r.u32(); err == nil {
			err = zeroByte(r)
		}
	case sub == miscDataDrop || sub == miscElemDrop || (sub >= miscTableGrow && sub <= miscTableFill):
		in.index, err = r.u32()
	case sub == miscMemoryCopy: // memory 0, memory 0
		in.memory = true
		if err = zeroByte(r); err == nil {
			err = zeroByte(r)
		}
	case sub == miscMemoryFill: // memory 0
		in.memory = true
		err = zeroByte(r)
	case sub == miscTableInit || sub == miscTableCopy: // elem table, table table
		if in.index, err = r.u32(); err == nil {
			in.index2, err = r.u32()
		}
	default:
		return &FormatError{Offset: r.base + start, Msg: fmt.Sprintf("unsupported instruction 0xfc %d", sub)}
	}
	return err
}

// simdImmediates reads the 0xfd-prefixed instruction's sub-opcode and immediates into in
// (fixed-width SIMD; relaxed SIMD is not enabled). The validator refuses the unassigned
// opcodes below 256 (simdSigs).
func simdImmediates(r *reader, in *instr) error {
	start := r.pos - 1
	sub, err := r.u32()
	in.op = sub
	if err != nil {
		return err
	}
	switch {
	case sub <= 11 || sub == 92 || sub == 93: // loads, store, load_zero: memarg
		in.memory = true
		in.align, err = memarg(r)
	case sub == 12 || sub == 13: // v128.const, i8x16.shuffle: 16 bytes
		_, err = r.bytes(16)
	case sub >= 21 && sub <= 34: // extract_lane / replace_lane: lane index
		in.lane, err = r.byte()
	case sub >= 84 && sub <= 91: // load_lane / store_lane: memarg, lane index
		in.memory = true
		if in.align, err = memarg(r); err == nil {
			in.lane, err = r.byte()
		}
	case sub <= 255: // every other fixed-width SIMD instruction: no immediates
	default:
		return &FormatError{Offset: r.base + start, Msg: fmt.Sprintf("unsupported instruction 0xfd %d", sub)}
	}
	return err
}

// memarg reads a memory instruction's alignment exponent and offset, returning the alignment.
func memarg(r *reader) (uint32, error) {
	align, err := r.u32()
	if err == nil {
		_, err = r.u32()
	}
	return align, err
}

// selectTypes reads select's vec(valtype) and returns its length and last type.
func selectTypes(r *reader) (n uint32, t byte, err error) {
	if n, err = r.count(); err != nil {
		return 0, 0, err
	}
	for i := uint32(0); i < n && err == nil; i++ {
		t, err = r.valType()
	}
	return n, t, err
}

// zeroByte reads the reserved memory-index byte, which must be 0 without multi-memory.
func zeroByte(r *reader) error {
	b, err := r.byte()
	if err == nil && b != 0 {
		err = r.errAt("memory index %d: only memory 0 exists", b)
	}
	return err
}
