package wasmbin

// The helper functions Instrument appends: one per variable-cost instruction (and immediates)
// the bodies use. Each keeps the instruction's semantics and charges fuel in proportion to
// the work, in chunks short enough that a yield comes within a slice of fuel.

// Fuel charged for the work of variable-cost instructions.
const (
	// BulkByteCost: memory.fill, memory.copy and memory.init cost one unit per this many
	// bytes (plus one per chunk): about what wazero moves in the time of one instruction.
	BulkByteCost = 4
	// TableElementCost: table.fill, table.copy, table.init and table.grow cost this much per
	// element (plus one per chunk).
	TableElementCost = 1
	// GrowPageCost: memory.grow costs this much per page it adds.
	GrowPageCost = 1024
	// memoryChunk and tableChunk are the most a helper does between two charges.
	memoryChunk = 64 << 10
	tableChunk  = 4096
)

// The types Instrument appends after the module's own (m.types + the offsets below).
const (
	typeVoid       = iota // [] -> []: yield
	typeBulk              // [i32 i32 i32] -> []: memory.fill/copy/init, table.copy/init
	typeFillFunc          // [i32 funcref i32] -> []: table.fill (every table is of funcref)
	typeGrowMemory        // [i32] -> [i32]: memory.grow
	typeGrowFunc          // [funcref i32] -> [i32]: table.grow
	helperTypes    uint32 = iota
)

const (
	i32     = 0x7f
	i64     = 0x7e
	funcRef = 0x70
)

// appendHelperTypes appends the helper types, in the order of the constants above.
func appendHelperTypes(dst []byte) []byte {
	return append(dst,
		0x60, 0, 0,
		0x60, 3, i32, i32, i32, 0,
		0x60, 3, i32, funcRef, i32, 0,
		0x60, 1, i32, 1, i32,
		0x60, 2, funcRef, i32, 1, i32)
}

// helperKey names one helper: the instruction it replaces (prefix, opcode) and its immediates.
type helperKey struct {
	prefix byte
	op     uint32
	a, b   uint32
}

// helperBody is one helper's type (offset from m.types) and encoded body (locals, code).
type helperBody struct {
	typ  uint32
	code []byte
}

// appendHelperDecls appends the function section entries of the helpers.
func (rw *rewriter) appendHelperDecls(dst []byte) []byte {
	for _, h := range rw.bodies {
		dst = appendU32(dst, rw.m.types+h.typ)
	}
	return dst
}

// helperFor returns the function index of the helper replacing in, making the helper on first
// use; ok is false if in is not replaced.
func (rw *rewriter) helperFor(in instr) (idx uint32, ok bool) {
	key := helperKey{prefix: in.prefix, op: in.op, a: in.index, b: in.index2}
	switch {
	case in.prefix == 0 && in.op == opMemoryGrow:
		key.a = 0
		rw.st.Grows++
	case in.prefix != opPrefixMisc:
		return 0, false
	case in.op == miscTableGrow:
		rw.st.TableGrows++
	case in.op == miscMemoryFill || in.op == miscMemoryCopy || in.op == miscMemoryInit ||
		in.op == miscTableFill || in.op == miscTableCopy || in.op == miscTableInit:
		rw.st.Bulk++
	default:
		return 0, false
	}
	if idx, ok := rw.helpers[key]; ok {
		return idx, true
	}
	idx = rw.helperBase + uint32(len(rw.bodies))
	rw.helpers[key] = idx
	rw.bodies = append(rw.bodies, rw.makeHelper(in))
	return idx, true
}

// original re-encodes in itself (a helper runs the instruction it replaces).
func original(in instr) []byte {
	if in.prefix == 0 {
		return []byte{opMemoryGrow, 0}
	}
	b := appendU32([]byte{opPrefixMisc}, in.op)
	switch in.op {
	case miscMemoryInit:
		return append(appendU32(b, in.index), 0)
	case miscMemoryCopy:
		return append(b, 0, 0)
	case miscMemoryFill:
		return append(b, 0)
	case miscTableInit, miscTableCopy:
		return appendU32(appendU32(b, in.index), in.index2)
	}
	return appendU32(b, in.index) // table.grow, table.fill
}

// Small emitters for helper bodies.
func lget(dst []byte, i uint32) []byte { return appendU32(append(dst, opLocalGet), i) }
func lset(dst []byte, i uint32) []byte { return appendU32(append(dst, opLocalSet), i) }
func i32c(dst []byte, v int64) []byte  { return appendS64(append(dst, opI32Const), v) }
func i64c(dst []byte, v int64) []byte  { return appendS64(append(dst, opI64Const), v) }

// sum64 pushes (i64) local a + (i64) local b, which cannot overflow.
func sum64(dst []byte, a, b uint32) []byte {
	dst = append(lget(dst, a), opI64ExtendI32U)
	return append(append(lget(dst, b), opI64ExtendI32U), opI64Add)
}

// The helpers' locals: parameters 0 (destination), 1 (source or value), 2 (length), and one
// i32 local 3 (the chunk, or grow's result).
const (
	locD, locS, locN, locC = 0, 1, 2, 3
)

// makeHelper builds the helper of in (see helperFor).
func (rw *rewriter) makeHelper(in instr) helperBody {
	code := []byte{1, 1, i32} // one local: i32
	orig := original(in)
	if in.prefix == 0 || in.op == miscTableGrow {
		return rw.growHelper(in, code, orig)
	}
	typ := typeBulk
	unit, chunk := int64(TableElementCost), int64(tableChunk)
	var size func(dst []byte, table uint32) []byte // pushes the size of the space as i64
	memSize := func(dst []byte, _ uint32) []byte {
		return append(i64c(append(dst, opMemorySize, 0, opI64ExtendI32U), 16), opI64Shl)
	}
	tableSize := func(dst []byte, t uint32) []byte {
		return append(appendU32(appendU32(append(dst, opPrefixMisc), miscTableSize), t), opI64ExtendI32U)
	}
	// The ranges to check: [local, local+n) within the space of the table (or memory).
	type span struct {
		local   uint32
		table   uint32
		segment bool // a segment: checked by a zero-length run of the instruction at its end
	}
	var spans []span
	copyLike := false
	switch in.op {
	case miscMemoryFill:
		spans = []span{{local: locD}}
	case miscMemoryCopy:
		spans, copyLike = []span{{local: locD}, {local: locS}}, true
	case miscMemoryInit:
		spans = []span{{local: locD}, {local: locS, segment: true}}
	case miscTableFill:
		typ = typeFillFunc
		spans = []span{{local: locD, table: in.index}}
	case miscTableCopy:
		spans, copyLike = []span{{local: locD, table: in.index}, {local: locS, table: in.index2}}, true
	case miscTableInit:
		spans = []span{{local: locD, table: in.index2}, {local: locS, segment: true}}
	}
	if in.op == miscMemoryFill || in.op == miscMemoryCopy || in.op == miscMemoryInit {
		size, unit, chunk = memSize, 1, memoryChunk
	} else {
		size = tableSize
	}
	runOriginal := func(dst []byte) []byte {
		return append(lget(lget(lget(dst, locD), locS), locN), orig...)
	}
	// Out of bounds: run the original instruction, which traps before writing anything.
	for _, sp := range spans {
		code = sum64(code, sp.local, locN)
		if sp.segment {
			code = i64c(code, 0xffffffff)
		} else {
			code = size(code, sp.table)
		}
		code = append(code, opI64GtU, opIf, blockEmpty)
		code = append(runOriginal(code), opReturn, opEnd)
		if sp.segment { // the segment's end: a zero-length run there traps iff it lies beyond
			code = i32c(code, 0)
			code = append(lget(lget(code, locS), locN), opI32Add)
			code = append(i32c(code, 0), orig...)
		}
	}
	// cost pushes the i64 fuel of a chunk of c units.
	cost := func(dst []byte) []byte {
		dst = append(lget(dst, locC), opI64ExtendI32U)
		if in.op == miscMemoryFill || in.op == miscMemoryCopy || in.op == miscMemoryInit {
			dst = append(i64c(dst, 2), opI64ShrU) // BulkByteCost = 4
		} else if unit != 1 {
			dst = append(i64c(dst, unit), 0x7e) // i64.mul
		}
		return append(i64c(dst, 1), opI64Add)
	}
	// c = min(n, chunk)
	takeChunk := func(dst []byte) []byte {
		dst = i32c(lget(dst, locN), chunk)
		dst = append(i32c(lget(dst, locN), chunk), opI32LtU, opSelect)
		return lset(dst, locC)
	}
	advance := func(dst []byte, l uint32) []byte {
		return lset(append(lget(lget(dst, l), locC), opI32Add), l)
	}
	forward := func(dst []byte) []byte {
		dst = append(dst, opBlock, blockEmpty, opLoop, blockEmpty)
		dst = append(lget(dst, locN), opI32Eqz, opBrIf, 1)
		dst = rw.appendChargeOf(takeChunk(dst), cost(nil))
		dst = append(lget(lget(lget(dst, locD), locS), locC), orig...)
		dst = advance(dst, locD)
		if in.op != miscMemoryFill && in.op != miscTableFill { // the value does not move
			dst = advance(dst, locS)
		}
		dst = lset(append(lget(lget(dst, locN), locC), opI32Sub), locN)
		return append(dst, opBr, 0, opEnd, opEnd)
	}
	if !copyLike {
		code = forward(code)
	} else { // overlapping copies: backwards when the destination lies above the source
		code = append(lget(lget(code, locD), locS), opI32LeU, opIf, blockEmpty)
		code = append(forward(code), opElse)
		code = append(code, opBlock, blockEmpty, opLoop, blockEmpty)
		code = append(lget(code, locN), opI32Eqz, opBrIf, 1)
		code = takeChunk(code)
		code = lset(append(lget(lget(code, locN), locC), opI32Sub), locN)
		code = rw.appendChargeOf(code, cost(nil))
		code = append(lget(lget(code, locD), locN), opI32Add)
		code = append(lget(lget(code, locS), locN), opI32Add)
		code = append(lget(code, locC), orig...)
		code = append(code, opBr, 0, opEnd, opEnd, opEnd)
	}
	return helperBody{typ: uint32(typ), code: append(code, opEnd)}
}

// growHelper builds the helper of memory.grow (parameter: pages) or table.grow x (parameters:
// the initial reference, the elements): it fails a table.grow that would take the tables
// together past Bounds.TableElements, runs the instruction, records a failed memory.grow in
// the grow-failed global (bit 31: -1 sets it, page counts below 2^16 never do) and charges
// what a successful one added.
func (rw *rewriter) growHelper(in instr, code, orig []byte) helperBody {
	delta, res := uint32(0), uint32(1)
	typ := typeGrowMemory
	perUnit := int64(GrowPageCost)
	if in.prefix != 0 { // table.grow
		delta, res, perUnit = 1, 2, TableElementCost
		typ = typeGrowFunc
		if lim := rw.bounds.TableElements; lim != 0 {
			code = append(lget(code, delta), opI64ExtendI32U)
			for t := range rw.m.tables {
				code = appendU32(appendU32(append(code, opPrefixMisc), miscTableSize), uint32(t))
				code = append(code, opI64ExtendI32U, opI64Add)
			}
			code = append(i64c(code, int64(lim)), opI64GtU, opIf, blockEmpty)
			code = append(i32c(code, -1), opReturn, opEnd)
		}
		code = lget(code, 0)
	}
	code = append(lget(code, delta), orig...)
	code = appendU32(append(code, opLocalTee), res)
	if in.prefix == 0 {
		code = appendU32(append(code, opGlobalGet), rw.failed)
		code = append(code, opI32Or)
		code = appendU32(append(code, opGlobalSet), rw.failed)
	} else {
		code = append(code, 0x1a) // drop
	}
	code = append(i32c(lget(code, res), -1), 0x47, opIf, blockEmpty) // i32.ne
	cost := i64c(append(lget(nil, delta), opI64ExtendI32U), perUnit)
	cost = append(cost, 0x7e) // i64.mul
	code = append(rw.appendChargeOf(code, cost), opEnd)
	return helperBody{typ: uint32(typ), code: append(lget(code, res), opEnd)}
}

// appendCharge appends the charge of a constant cost.
func (rw *rewriter) appendCharge(dst []byte, cost int64) []byte {
	return rw.appendChargeOf(dst, i64c(nil, cost))
}

// appendChargeOf appends the charge described at Instrument, of the i64 cost the code cost
// pushes. It is stack-neutral, so it is valid at a function entry and at a loop header
// whatever the loop's parameters.
func (rw *rewriter) appendChargeOf(dst, cost []byte) []byte {
	dst = appendU32(append(dst, opGlobalGet), rw.fuel)
	dst = append(append(dst, cost...), opI64Sub)
	dst = appendU32(append(dst, opGlobalSet), rw.fuel)
	dst = appendU32(append(dst, opGlobalGet), rw.fuel)
	dst = append(dst, opI64Const, 0x00, opI64LtS, opIf, blockEmpty)
	dst = appendU32(append(dst, opCall), rw.yield)
	// budget -= slice - fuel (fuel is negative: what the cost took beyond the slice)
	dst = appendU32(append(dst, opGlobalGet), rw.budget)
	dst = appendU32(append(dst, opGlobalGet), rw.fuel)
	dst = append(dst, opI64Add)
	dst = append(i64c(dst, rw.slice), opI64Sub)
	dst = appendU32(append(dst, opGlobalSet), rw.budget)
	dst = appendU32(append(dst, opGlobalGet), rw.budget)
	dst = append(dst, opI64Const, 0x00, opI64LtS, opIf, blockEmpty)
	// the host's yield sees the negative budget and ends the call as out of fuel; unreachable
	// stays as the backstop should it return
	dst = append(appendU32(append(dst, opCall), rw.yield), opUnreachable, opEnd)
	dst = appendU32(append(i64c(dst, rw.slice), opGlobalSet), rw.fuel)
	return append(dst, opEnd)
}
