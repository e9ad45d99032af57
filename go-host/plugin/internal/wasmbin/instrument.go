package wasmbin

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// Names of the globals Instrument exports. The host reads and writes them between calls; a
// module that already exports a name starting with ReservedPrefix is refused.
const (
	ReservedPrefix   = "binpipe."
	FuelExport       = "binpipe.fuel"        // i64: fuel left in the current slice
	BudgetExport     = "binpipe.budget"      // i64: fuel left beyond the current slice
	GrowFailedExport = "binpipe.grow-failed" // i32: bit 31 set once a memory.grow returned -1
	StackExport      = "binpipe.stack"       // i32: stack slots in use (see Options.MaxStackSlots)
)

// The function Instrument imports: the host's yield, of type [] -> []. The host implements it
// by checking whether the call must end (its context is done) and aborting the call if so.
const (
	YieldModule = "binpipe.host"
	YieldName   = "yield"
)

// Options configure Instrument.
type Options struct {
	// InitialFuel is the fuel the module starts with (one slice in the fuel global, the rest
	// in the budget): what the start function may spend.
	InitialFuel int64
	// Slice is the fuel refilled from the budget, with a call to yield, each time the fuel
	// runs out. 0 means DefaultSlice.
	Slice int64
	// MaxPages, if not 0, lowers every declared memory maximum above it to it (memory.grow
	// beyond the host's limit fails either way; a lower declared maximum keeps wazero from
	// refusing the module for asking more than the limit).
	MaxPages uint32
	// Bounds are the structural limits the module must respect; Bounds.TableElements also
	// caps every table's maximum and, together, what table.grow may reach.
	Bounds Bounds
	// MaxStackSlots, if not 0, bounds the call stack: every function entry adds its frame's
	// weight (FrameWeight) to a counter (StackExport), every return takes it off, and an
	// entry that would pass MaxStackSlots calls yield, then traps: the counter stays above
	// MaxStackSlots, so the host can tell this trap from others.
	MaxStackSlots int32
}

// FrameWeight is what a call of a function counts against Options.MaxStackSlots: a constant
// for the frame, its parameters and locals, and its instructions (a bound on its operand
// stack's height), in 8-byte slots.
func FrameWeight(params, locals uint64, instructions int) int64 {
	return 8 + int64(params) + int64(locals) + int64(instructions)
}

// DefaultSlice is the fuel between two yields: about a millisecond of work, so that a yield (a
// call into Go, ~50 ns) costs nothing measurable.
const DefaultSlice = 1 << 20

// Stats says what Instrument inserted.
type Stats struct {
	// The module's shape, for comparing real modules with Bounds: the deepest nesting, the
	// largest br_table, the most control points in one body and in all (see LoopBlockCost).
	MaxNesting, MaxBrTableTargets, MaxFunctionBlocks, Blocks int

	Functions  int // function entries charged
	Loops      int // loop headers charged
	Grows      int // memory.grow instructions replaced by their metered helper
	TableGrows int // table.grow instructions replaced by their metered helper
	Bulk       int // memory/table fill, copy and init instructions replaced by chunking helpers
}

// Instrument returns m rewritten so that its execution is metered and can be stopped at any
// time. It first checks opt.Bounds and every index of every function body (so that no
// renumbering below can turn an invalid index into a valid one), and validates every body's
// operand types as the specification does (validate.go): a body wazero would compile despite
// a type error is refused here. It appends three mutable
// globals (appended, so no existing global index moves) and exports them (FuelExport,
// BudgetExport, GrowFailedExport); it appends the import of the host's yield function
// (YieldModule, YieldName) after the module's own function imports, so that every defined
// function's index moves up by one, and renumbers every reference to a defined function
// (call, ref.func, exports, the start function, element segments, global initialisers); it
// rewrites every function body, and appends helper functions (after all the module's own).
//
// At the entry of every function, and at the header of every loop (reached on entry and after
// every back-edge), it inserts a charge of cost fuel:
//
//	fuel -= cost
//	if fuel < 0 {
//		yield()                                   // the host may end the call here
//		budget -= slice - fuel; if budget < 0 { yield(); unreachable } // the host sees budget < 0
//		fuel = slice
//	}
//
// cost is the number of instructions in the function body or the loop body: an upper bound of
// the instructions the function runs until it calls, loops or returns (without a back-edge,
// control inside a body only moves forward, so each instruction runs at most once per
// activation or loop iteration). So the module calls yield at least once per slice of fuel,
// with or without loops, and a cost larger than a slice is taken from the budget whole (no
// call spends more than its fuel).
//
// Instructions whose work depends on their operands are replaced by calls of helpers that
// keep their semantics exactly: memory.fill, memory.copy, memory.init, table.fill, table.copy
// and table.init check the whole range first (running the original instruction, which traps
// before writing anything, when it is out of bounds), then do the work in chunks of at most
// 64 KiB (memory) or 4096 elements (tables), each charged in proportion to its length
// (BulkByteCost, TableElementCost), so a yield comes within a slice of fuel whatever the
// length. memory.grow and table.grow are charged for the pages or elements they add; a
// failed memory.grow (-1) sets bit 31 of the grow-failed global, and table.grow fails when
// the tables together would pass Bounds.TableElements.
//
// Every instruction is decoded (see nextInstr), so an edit never lands inside an immediate.
// The "name" custom section, whose function indices would be stale, is dropped.
func Instrument(m *Module, opt Options) ([]byte, Stats, error) {
	var st Stats
	for _, e := range m.Exports {
		if strings.HasPrefix(e.Name, ReservedPrefix) {
			return nil, st, &FormatError{Msg: fmt.Sprintf("export %q uses the prefix %q reserved by the host", e.Name, ReservedPrefix)}
		}
	}
	if err := m.checkBounds(opt.Bounds); err != nil {
		return nil, st, err
	}
	own := m.globals()
	if own > math.MaxUint32-4 || m.types > math.MaxUint32-helperTypes || m.funcs() > math.MaxUint32/2 {
		return nil, st, &FormatError{Msg: "too many globals, types or functions"}
	}
	slice := opt.Slice
	if slice <= 0 {
		slice = DefaultSlice
	}
	rw := &rewriter{
		m:          m,
		ownGlobals: own,
		fuel:       own, budget: own + 1, failed: own + 2, depth: own + 3,
		yield:      m.importedFuncs,
		helperBase: uint32(m.funcs()) + 1,
		helpers:    map[helperKey]uint32{},
		slice:      slice,
		fuel0:      opt.InitialFuel,
		bounds:     opt.Bounds,
		maxStack:   opt.MaxStackSlots,
		st:         &st,
	}
	// The code section is rewritten first: it decides which helpers the function section
	// (which comes before it) must declare.
	var code []byte
	for _, s := range m.sections {
		if s.id == secCode {
			var err error
			if code, err = rw.rewriteCode(s); err != nil {
				return nil, st, err
			}
		}
	}
	if st.Functions != int(m.definedFuncs) {
		return nil, st, &FormatError{Msg: fmt.Sprintf("%d functions declared, %d bodies", m.definedFuncs, st.Functions)}
	}

	out := append([]byte(nil), magic...)
	emit := func(id byte, payload []byte) {
		out = append(out, id)
		out = appendU32(out, uint32(len(payload)))
		out = append(out, payload...)
	}
	// Sections the rewrite needs that the module may lack, with their contents when missing.
	missing := map[byte][]byte{
		secType:   rw.appendTypes(appendU32(nil, helperTypes)),
		secImport: appendYieldImport(appendU32(nil, 1), m.types),
		secGlobal: rw.appendGlobals(appendU32(nil, 4)),
		secExport: rw.appendExports(appendU32(nil, meteringExports)),
	}
	emitMissing := func(beforeOrder int) {
		for _, id := range []byte{secType, secImport, secGlobal, secExport} {
			if p, ok := missing[id]; ok && sectionOrder[id] < beforeOrder {
				emit(id, p)
				delete(missing, id)
			}
		}
	}
	for _, s := range m.sections {
		if s.id == secCustom {
			if isNameSection(s) {
				continue
			}
			emit(s.id, s.payload)
			continue
		}
		emitMissing(sectionOrder[s.id])
		delete(missing, s.id)
		var payload []byte
		var err error
		switch s.id {
		case secType:
			payload = rw.appendTypes(extendVec(s, m.types, helperTypes+uint32(len(rw.blockTypes))))
		case secImport:
			payload = appendYieldImport(extendVec(s, uint32(len(m.Imports)), 1), m.types)
		case secFunction:
			payload = rw.appendHelperDecls(extendVec(s, m.definedFuncs, uint32(len(rw.bodies))))
		case secMemory:
			payload = rewriteMemories(m.Memories, opt.MaxPages)
		case secTable:
			payload = rewriteTables(m.Tables, opt.Bounds.TableElements)
		case secGlobal:
			payload, err = rw.rewriteGlobals(s)
		case secExport:
			payload = rw.appendExports(rw.rewriteExports())
		case secStart:
			payload, err = rw.rewriteStart(s)
		case secElement:
			payload, err = rw.rewriteElements(s)
		case secCode:
			payload = code
		default:
			payload = s.payload
		}
		if err != nil {
			return nil, st, err
		}
		emit(s.id, payload)
	}
	emitMissing(math.MaxInt)
	return out, st, nil
}

// funcTypeVoid is the type [] -> [].
var funcTypeVoid = []byte{0x60, 0x00, 0x00}

// appendYieldImport appends the import of yield, of type index typeIdx.
func appendYieldImport(dst []byte, typeIdx uint32) []byte {
	dst = appendName(appendName(dst, YieldModule), YieldName)
	return appendU32(append(dst, KindFunc), typeIdx)
}

// isNameSection reports whether s is the "name" custom section.
func isNameSection(s section) bool {
	r := &reader{buf: s.payload}
	name, err := r.name()
	return err == nil && name == "name"
}

// rewriter holds what the section rewrites share: the new indices, the helpers the bodies
// call and the charge's slice.
type rewriter struct {
	m                    *Module
	ownGlobals           uint32   // globals of the module before instrumentation
	fuel, budget, failed uint32   // the appended globals
	depth                uint32   // the appended global counting stack slots (see MaxStackSlots)
	blockTypes           []string // appended types [] -> results, for multi-value bodies
	maxStack             int32
	yield                uint32 // the yield import's function index
	helperBase           uint32 // the first helper's function index
	helpers              map[helperKey]uint32
	bodies               []helperBody // the helpers, in index order
	slice                int64
	fuel0                int64 // the fuel and budget globals' initial total
	bounds               Bounds
	locals               uint64    // locals declared so far, all bodies together
	v                    validator // checks each body's operand types as it is decoded
	st                   *Stats
}

// fn renumbers a function index (checked to be in range): defined functions move up by one,
// past the yield import.
func (rw *rewriter) fn(idx uint32) uint32 {
	if idx >= rw.yield {
		return idx + 1
	}
	return idx
}

// extendVec re-encodes a vector section's count as count+extra and keeps its entries as they
// are; the caller appends the extra entries.
func extendVec(s section, count, extra uint32) []byte {
	r := &reader{buf: s.payload}
	_, _ = r.u32() // already decoded by Parse
	out := appendU32(nil, count+extra)
	return append(out, s.payload[r.pos:]...)
}

// appendGlobals appends the four metering globals: fuel (i64), budget (i64), the
// grow-failed flags (i32), the stack slots in use (i32), all mutable.
func (rw *rewriter) appendGlobals(dst []byte) []byte {
	fuel := min(rw.fuel0, rw.slice) // the start function yields once per slice, like any call
	dst = append(dst, 0x7e, 0x01, opI64Const)
	dst = append(appendS64(dst, fuel), opEnd)
	dst = append(dst, 0x7e, 0x01, opI64Const)
	dst = append(appendS64(dst, rw.fuel0-fuel), opEnd)
	dst = append(dst, 0x7f, 0x01, opI32Const, 0x00, opEnd)
	return append(dst, 0x7f, 0x01, opI32Const, 0x00, opEnd)
}

// appendTypes appends the helper types, then the block types of wrapped bodies.
func (rw *rewriter) appendTypes(dst []byte) []byte {
	dst = appendHelperTypes(dst)
	for _, results := range rw.blockTypes {
		dst = append(append(dst, 0x60, 0x00), results...)
	}
	return dst
}

// blockType returns the block type [] -> results of type t's results.
func (rw *rewriter) blockType(t uint32) []byte {
	res := rw.m.resultTypes[t]
	switch rw.m.typeResults[t] {
	case 0:
		return []byte{blockEmpty}
	case 1:
		return res[len(res)-1:]
	}
	idx := slices.Index(rw.blockTypes, string(res))
	if idx < 0 {
		idx = len(rw.blockTypes)
		rw.blockTypes = append(rw.blockTypes, string(res))
	}
	return appendS64(nil, int64(rw.m.types+helperTypes)+int64(idx))
}

// meteringExports is the number of globals appendExports exports.
const meteringExports = 4

// appendExports appends the exports of the fuel, budget, grow-failed and stack globals.
func (rw *rewriter) appendExports(dst []byte) []byte {
	for _, e := range []struct {
		name string
		idx  uint32
	}{{FuelExport, rw.fuel}, {BudgetExport, rw.budget}, {GrowFailedExport, rw.failed}, {StackExport, rw.depth}} {
		dst = append(appendName(dst, e.name), KindGlobal)
		dst = appendU32(dst, e.idx)
	}
	return dst
}

// rewriteMemories re-encodes the memory section with maxima above maxPages lowered to it.
func rewriteMemories(mems []Limits, maxPages uint32) []byte {
	out := appendU32(nil, uint32(len(mems)))
	for _, l := range mems {
		if maxPages != 0 && l.HasMax && l.Max > maxPages {
			l.Max = maxPages
		}
		out = appendLimits(out, l)
	}
	return out
}

// rewriteTables re-encodes the table section with every maximum at most maxElems (0: as is).
// checkBounds made sure every minimum is at most maxElems.
func rewriteTables(tables []Table, maxElems uint32) []byte {
	out := appendU32(nil, uint32(len(tables)))
	for _, t := range tables {
		if maxElems != 0 && (!t.HasMax || t.Max > maxElems) {
			t.HasMax, t.Max = true, max(maxElems, t.Min)
		}
		out = appendLimits(append(out, t.RefType), t.Limits)
	}
	return out
}

// appendLimits appends a limits type.
func appendLimits(dst []byte, l Limits) []byte {
	if l.HasMax {
		return appendU32(appendU32(append(dst, 0x01), l.Min), l.Max)
	}
	return appendU32(append(dst, 0x00), l.Min)
}

// rewriteCode instruments every function body of the code section and appends the bodies of
// the helpers they call.
func (rw *rewriter) rewriteCode(s section) ([]byte, error) {
	r := &reader{buf: s.payload, base: s.offset}
	n, err := r.count()
	if err != nil {
		return nil, err
	}
	if n != rw.m.definedFuncs {
		return nil, r.errAt("%d functions declared, %d bodies", rw.m.definedFuncs, n)
	}
	var bodies []byte
	for i := uint32(0); i < n; i++ {
		size, err := r.u32()
		if err != nil {
			return nil, err
		}
		if exceeds(uint64(size), rw.bounds.FunctionBytes) {
			return nil, r.errAt("function %d has %d bytes of code; the limit is %d", i, size, rw.bounds.FunctionBytes)
		}
		base := r.base + r.pos
		body, err := r.bytes(uint64(size))
		if err != nil {
			return nil, err
		}
		nb, err := rw.instrumentBody(&reader{buf: body, base: base}, rw.m.funcTypes[i])
		if err != nil {
			return nil, err
		}
		bodies = appendU32(bodies, uint32(len(nb)))
		bodies = append(bodies, nb...)
		rw.st.Functions++
	}
	if !r.done() {
		return nil, r.errAt("bytes left over after the last function body")
	}
	out := appendU32(nil, n+uint32(len(rw.bodies)))
	out = append(out, bodies...)
	for _, h := range rw.bodies {
		out = append(appendU32(out, uint32(len(h.code))), h.code...)
	}
	return out, nil
}

// Kinds of edit to a function body.
const (
	editCharge  = iota // insert a charge of cost fuel
	editReplace        // replace the instruction with op and index (a call or ref.func)
)

// edit is a change to a body at position at: an insertion, or the replacement of the
// instruction [at, end) (editReplace, with the instruction op index).
type edit struct {
	at, end int
	kind    int
	cost    int64
	op      byte
	index   uint32
}

// instrumentBody decodes one body (locals, then the expression) of a function with params
// parameters, checks its structure and every index it names, and returns it with the charges
// inserted, function indices renumbered and variable-cost instructions replaced by helper
// calls.
func (rw *rewriter) instrumentBody(r *reader, typ uint32) ([]byte, error) {
	params := rw.m.typeParams[typ]
	rw.v.begin(rw.m, rw.m.sigs[typ])
	groups, err := r.count()
	if err != nil {
		return nil, err
	}
	var locals uint64
	for i := uint32(0); i < groups; i++ {
		n, err := r.u32()
		if err != nil {
			return nil, err
		}
		locals += uint64(n)
		if exceeds(locals, rw.bounds.LocalsPerFunction) {
			return nil, r.errAt("more than %d locals in one function", rw.bounds.LocalsPerFunction)
		}
		t, err := r.valType()
		if err != nil {
			return nil, err
		}
		rw.v.addLocals(n, t)
	}
	if rw.locals += locals; exceeds(rw.locals, rw.bounds.Locals) {
		return nil, r.errAt("more than %d locals in the module's functions together", rw.bounds.Locals)
	}
	declared := locals
	locals += uint64(params)
	exprStart := r.pos

	type frame struct {
		loop  bool
		at    int // loop: position after the loop instruction
		count int // loop: instructions counted before the loop body
	}
	var (
		stack  = []frame{{}} // the function body's own block
		edits  []edit
		count  int
		blocks uint64 // control points, see LoopBlockCost
	)
	for len(stack) > 0 {
		in, err := nextInstr(r)
		if err != nil {
			return nil, err
		}
		count++
		if err := rw.checkIndices(in, len(stack), locals); err != nil {
			return nil, &FormatError{Offset: r.base + in.start, Msg: err.Error()}
		}
		if err := rw.v.step(in, r.buf); err != nil { // operand types (validate.go)
			return nil, &FormatError{Offset: r.base + in.start, Msg: err.Error()}
		}
		if h, ok := rw.helperFor(in); ok {
			edits = append(edits, edit{at: in.start, end: in.end, kind: editReplace, op: opCall, index: h})
			// what a bulk instruction costs the compiler is a call here, a call with fuel
			// and deadline checks on the Rust host: not one instruction
			if blocks += BulkBlockCost; exceeds(blocks, rw.bounds.FunctionBlocks) {
				return nil, r.errAt("more than %d control points in one function", rw.bounds.FunctionBlocks)
			}
			continue
		}
		if in.prefix != 0 {
			continue
		}
		switch in.op {
		case opBlock, opIf, opElse, opBrIf:
			blocks++
		case opLoop:
			blocks += LoopBlockCost
		case opBrTable:
			blocks += uint64(in.targets)
			rw.st.MaxBrTableTargets = max(rw.st.MaxBrTableTargets, int(in.targets))
		}
		if exceeds(blocks, rw.bounds.FunctionBlocks) {
			return nil, r.errAt("more than %d control points in one function", rw.bounds.FunctionBlocks)
		}
		switch in.op {
		case opBlock, opIf, opLoop:
			if exceeds(uint64(len(stack)), rw.bounds.Nesting) {
				return nil, r.errAt("blocks nested deeper than %d", rw.bounds.Nesting)
			}
			rw.st.MaxNesting = max(rw.st.MaxNesting, len(stack))
			stack = append(stack, frame{loop: in.op == opLoop, at: in.end, count: count})
		case opEnd:
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if f.loop {
				edits = append(edits, edit{at: f.at, end: f.at, kind: editCharge, cost: int64(count - f.count)})
				rw.st.Loops++
			}
		case opReturn:
			if rw.maxStack > 0 { // the body is wrapped in a block: leave it, to the decrement
				edits = append(edits, edit{at: in.start, end: in.end, kind: editReplace, op: opBr, index: uint32(len(stack) - 1)})
			}
		case opCall, opRefFunc:
			if rw.fn(in.index) != in.index {
				edits = append(edits, edit{at: in.start, end: in.end, kind: editReplace, op: byte(in.op), index: rw.fn(in.index)})
			}
		}
	}
	if !r.done() {
		return nil, r.errAt("bytes after the end of the function body")
	}
	rw.st.MaxFunctionBlocks = max(rw.st.MaxFunctionBlocks, int(blocks))
	rw.st.Blocks += int(blocks)
	if exceeds(uint64(rw.st.Blocks), rw.bounds.Blocks) {
		return nil, r.errAt("more than %d control points in the module's functions together", rw.bounds.Blocks)
	}
	// Loops were recorded at their end, inner loops first: order by position. Edits never
	// overlap: insertions sit between instructions, replacements cover one instruction.
	slices.SortStableFunc(edits, func(a, b edit) int { return a.at - b.at })

	out := make([]byte, 0, len(r.buf)+48*(len(edits)+2))
	out = append(out, r.buf[:exprStart]...)
	out = rw.appendCharge(out, int64(count))
	weight := FrameWeight(uint64(params), declared, count)
	if rw.maxStack > 0 {
		// slots += weight; if slots > max { yield(); unreachable }; block (result ...) body end; slots -= weight
		out = appendU32(append(out, opGlobalGet), rw.depth)
		out = append(i32c(out, min(weight, math.MaxInt32)), opI32Add)
		out = appendU32(append(out, opGlobalSet), rw.depth)
		out = appendU32(append(out, opGlobalGet), rw.depth)
		out = append(i32c(out, int64(rw.maxStack)), opI32GtU, opIf, blockEmpty, opCall)
		out = append(appendU32(out, rw.yield), opUnreachable, opEnd)
		out = append(append(out, opBlock), rw.blockType(typ)...)
	}
	prev := exprStart
	for _, e := range edits {
		out = append(out, r.buf[prev:e.at]...)
		switch e.kind {
		case editCharge:
			out = rw.appendCharge(out, e.cost)
		case editReplace:
			out = appendU32(append(out, e.op), e.index)
		}
		prev = e.end
	}
	out = append(out, r.buf[prev:]...)
	if rw.maxStack > 0 { // out ends with the block's end
		out = appendU32(append(out, opGlobalGet), rw.depth)
		out = append(i32c(out, min(weight, math.MaxInt32)), opI32Sub)
		out = append(appendU32(append(out, opGlobalSet), rw.depth), opEnd)
	}
	return out, nil
}

// checkIndices checks the indices instruction in names against the module's index spaces,
// its labels against the depth blocks enclosing it, its locals against the function's
// locals, and br_table's size. Every index the rewriter renumbers or could make valid by
// appending (functions, globals, types, tables) is checked here, so no invalid module
// becomes valid; the others are checked so that the host's message names them.
func (rw *rewriter) checkIndices(in instr, depth int, locals uint64) error {
	m := rw.m
	if in.typeIndex >= int64(m.types) {
		return fmt.Errorf("type index %d out of range (the module has %d types)", in.typeIndex, m.types)
	}
	if in.memory && m.memories == 0 {
		return fmt.Errorf("memory instruction in a module without memory")
	}
	tables := uint64(len(m.tables))
	var bad string
	var limit uint64
	idx := uint64(in.index)
	if in.prefix == opPrefixMisc {
		switch in.op {
		case miscMemoryInit, miscDataDrop:
			if m.dataCount < 0 {
				return fmt.Errorf("data segment %d used without a data count section", in.index)
			}
			bad, limit = "data segment", uint64(m.dataCount)
		case miscElemDrop:
			bad, limit = "element segment", uint64(m.elemSegments)
		case miscTableInit:
			if idx >= uint64(m.elemSegments) {
				return fmt.Errorf("element segment %d out of range (%d segments)", in.index, m.elemSegments)
			}
			bad, limit, idx = "table", tables, uint64(in.index2)
		case miscTableCopy:
			if uint64(in.index2) >= tables {
				return fmt.Errorf("table %d out of range (%d tables)", in.index2, tables)
			}
			bad, limit = "table", tables
		case miscTableGrow, miscTableSize, miscTableFill:
			bad, limit = "table", tables
		}
	} else if in.prefix == 0 {
		switch in.op {
		case opBr, opBrIf, opBrTable:
			bad, limit = "label", uint64(depth)
			if in.op == opBrTable && exceeds(uint64(in.targets), rw.bounds.BrTableTargets) {
				return fmt.Errorf("br_table with %d labels; the limit is %d", in.targets, rw.bounds.BrTableTargets)
			}
		case opLocalGet, opLocalSet, opLocalTee:
			bad, limit = "local", locals
		case opGlobalGet, opGlobalSet:
			bad, limit = "global", uint64(rw.ownGlobals)
		case opCall, opRefFunc:
			bad, limit = "function", m.funcs()
		case opCallIndirect, opTableGet, opTableSet:
			bad, limit = "table", tables
		}
	}
	if bad != "" && idx >= limit {
		return fmt.Errorf("%s index %d out of range (%d)", bad, idx, limit)
	}
	return nil
}
