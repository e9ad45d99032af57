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
	// MaxTableElements, if not 0, gives every table a maximum of at most this many elements
	// (wazero lets table.grow allocate up to 2^32 elements otherwise).
	MaxTableElements uint32
}

// MaxLocals is the most locals a function may declare (wasmtime's limit too). wazero
// allocates a byte per declared local before reading them, up to 4 GiB.
const MaxLocals = 50_000

// DefaultSlice is the fuel between two yields: about a millisecond of work, so that a yield (a
// call into Go, ~50 ns) costs nothing measurable.
const DefaultSlice = 1 << 20

// Stats says what Instrument inserted.
type Stats struct {
	Functions int // function entries charged
	Loops     int // loop headers charged
	Grows     int // memory.grow instructions watched
	// TableGrows counts table.grow instructions (left as they are).
	TableGrows int
}

// Instrument returns m rewritten so that its execution is metered and can be stopped at any
// time. It appends four mutable globals (appended, so no existing global index moves) and
// exports three of them (FuelExport, BudgetExport, GrowFailedExport); it appends the import
// of the host's yield function (YieldModule, YieldName) after the module's own function
// imports, so that every defined function's index moves up by one, and renumbers every
// reference to a defined function (call, ref.func, exports, the start function, element
// segments, global initialisers); and it rewrites every function body.
//
// At the entry of every function, and at the header of every loop (reached on entry and after
// every back-edge), it inserts a charge of cost fuel:
//
//	fuel -= cost
//	if fuel < 0 {
//		yield()                                   // the host may end the call here
//		budget -= slice; if budget < 0 { unreachable }
//		fuel += slice
//	}
//
// cost is the number of instructions in the function body or the loop body: an upper bound of
// the instructions the function runs until it calls, loops or returns (without a back-edge,
// control inside a body only moves forward, so each instruction runs at most once per
// activation or loop iteration). So the module calls yield at least once per slice of fuel,
// with or without loops.
//
// After every memory.grow it records the result, so that a failed grow (-1) sets bit 31 of the
// grow-failed global.
//
// Every instruction is decoded (see nextInstr), so an edit never lands inside an immediate. A
// module naming a global or a type at or beyond its own count is refused: that index would
// name an appended one and turn an invalid module into a valid one. The "name" custom section, whose function indices would
// be stale, is dropped.
func Instrument(m *Module, opt Options) ([]byte, Stats, error) {
	var st Stats
	for _, e := range m.Exports {
		if strings.HasPrefix(e.Name, ReservedPrefix) {
			return nil, st, &FormatError{Msg: fmt.Sprintf("export %q uses the prefix %q reserved by the host", e.Name, ReservedPrefix)}
		}
	}
	own := m.importedGlobals + m.definedGlobals
	if own > math.MaxUint32-4 || m.types == math.MaxUint32 || m.importedFuncs+m.definedFuncs == math.MaxUint32 {
		return nil, st, &FormatError{Msg: "too many globals, types or functions"}
	}
	slice := opt.Slice
	if slice <= 0 {
		slice = DefaultSlice
	}
	rw := &rewriter{
		m:          m,
		ownGlobals: own,
		fuel:       own, budget: own + 1, last: own + 2, failed: own + 3,
		yield: m.importedFuncs,
		slice: slice,
		fuel0: opt.InitialFuel,
		st:    &st,
	}

	out := append([]byte(nil), magic...)
	emit := func(id byte, payload []byte) {
		out = append(out, id)
		out = appendU32(out, uint32(len(payload)))
		out = append(out, payload...)
	}
	// Sections the rewrite needs that the module may lack, with their contents when missing.
	missing := map[byte][]byte{
		secType:   append(appendU32(nil, 1), funcTypeVoid...),
		secImport: appendYieldImport(appendU32(nil, 1), m.types),
		secGlobal: rw.appendGlobals(appendU32(nil, 4)),
		secExport: rw.appendExports(appendU32(nil, 3)),
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
			payload = append(extendVec(s, m.types, 1), funcTypeVoid...)
		case secImport:
			payload = appendYieldImport(extendVec(s, uint32(len(m.Imports)), 1), m.types)
		case secMemory:
			payload = rewriteMemories(m.Memories, opt.MaxPages)
		case secTable:
			payload = rewriteTables(m.Tables, opt.MaxTableElements)
		case secGlobal:
			payload, err = rw.rewriteGlobals(s)
		case secExport:
			if payload, err = rw.rewriteExports(); err == nil {
				payload = rw.appendExports(payload)
			}
		case secStart:
			payload, err = rw.rewriteStart(s)
		case secElement:
			payload, err = rw.rewriteElements(s)
		case secCode:
			payload, err = rw.rewriteCode(s)
		default:
			payload = s.payload
		}
		if err != nil {
			return nil, st, err
		}
		emit(s.id, payload)
	}
	emitMissing(math.MaxInt)
	if st.Functions != int(m.definedFuncs) {
		return nil, st, &FormatError{Msg: fmt.Sprintf("%d functions declared, %d bodies", m.definedFuncs, st.Functions)}
	}
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

// rewriter holds what the section rewrites share: the new indices and the charge's slice.
type rewriter struct {
	m                          *Module
	ownGlobals                 uint32 // globals of the module before instrumentation
	fuel, budget, last, failed uint32 // the appended globals
	yield                      uint32 // the yield import's function index
	slice                      int64
	fuel0                      int64 // the fuel global's initial value
	st                         *Stats
}

// fn renumbers a function index: defined functions move up by one, past the yield import.
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

// appendGlobals appends the four metering globals: fuel (i64), budget (i64), the last grow
// result (i32), the grow-failed flags (i32), all mutable.
func (rw *rewriter) appendGlobals(dst []byte) []byte {
	fuel := min(rw.fuel0, rw.slice) // the start function yields once per slice, like any call
	dst = append(dst, 0x7e, 0x01, opI64Const)
	dst = append(appendS64(dst, fuel), opEnd)
	dst = append(dst, 0x7e, 0x01, opI64Const)
	dst = append(appendS64(dst, rw.fuel0-fuel), opEnd)
	dst = append(dst, 0x7f, 0x01, opI32Const, 0x00, opEnd)
	return append(dst, 0x7f, 0x01, opI32Const, 0x00, opEnd)
}

// appendExports appends the exports of the fuel, budget and grow-failed globals.
func (rw *rewriter) appendExports(dst []byte) []byte {
	for _, e := range []struct {
		name string
		idx  uint32
	}{{FuelExport, rw.fuel}, {BudgetExport, rw.budget}, {GrowFailedExport, rw.failed}} {
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

// rewriteCode instruments every function body of the code section.
func (rw *rewriter) rewriteCode(s section) ([]byte, error) {
	r := &reader{buf: s.payload, base: s.offset}
	n, err := r.count()
	if err != nil {
		return nil, err
	}
	out := appendU32(nil, n)
	for i := uint32(0); i < n; i++ {
		size, err := r.u32()
		if err != nil {
			return nil, err
		}
		base := r.base + r.pos
		body, err := r.bytes(uint64(size))
		if err != nil {
			return nil, err
		}
		nb, err := rw.instrumentBody(&reader{buf: body, base: base})
		if err != nil {
			return nil, err
		}
		out = appendU32(out, uint32(len(nb)))
		out = append(out, nb...)
		rw.st.Functions++
	}
	if !r.done() {
		return nil, r.errAt("bytes left over after the last function body")
	}
	return out, nil
}

// Kinds of edit to a function body.
const (
	editCharge   = iota // insert a charge of cost fuel
	editGrow            // insert the grow check
	editFunction        // replace a call or ref.func with its renumbered form
)

// edit is a change to a body at position at: an insertion, or the replacement of the
// instruction [at, end) (editFunction, whose instruction is op with function index index).
type edit struct {
	at, end int
	kind    int
	cost    int64
	op      byte
	index   uint32
}

// instrumentBody decodes one body (locals, then the expression) and returns it with the
// charges and grow checks inserted and function indices renumbered.
func (rw *rewriter) instrumentBody(r *reader) ([]byte, error) {
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
		if locals += uint64(n); locals > MaxLocals {
			return nil, r.errAt("more than %d locals in one function", MaxLocals)
		}
		if _, err := r.valType(); err != nil {
			return nil, err
		}
	}
	exprStart := r.pos

	type frame struct {
		loop  bool
		at    int // loop: position after the loop instruction
		count int // loop: instructions counted before the loop body
	}
	var (
		stack = []frame{{}} // the function body's own block
		edits []edit
		count int
	)
	for len(stack) > 0 {
		in, err := nextInstr(r)
		if err != nil {
			return nil, err
		}
		count++
		if in.typeIndex >= int64(rw.m.types) {
			return nil, &FormatError{Offset: r.base + in.start,
				Msg: fmt.Sprintf("type index %d out of range (the module has %d types)", in.typeIndex, rw.m.types)}
		}
		if in.prefix != 0 {
			if in.prefix == opPrefixMisc && in.op == miscTableGrow {
				rw.st.TableGrows++
			}
			continue
		}
		switch in.op {
		case opBlock, opIf:
			stack = append(stack, frame{})
		case opLoop:
			stack = append(stack, frame{loop: true, at: in.end, count: count})
		case opEnd:
			f := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if f.loop {
				edits = append(edits, edit{at: f.at, end: f.at, kind: editCharge, cost: int64(count - f.count)})
				rw.st.Loops++
			}
		case opGlobalGet, opGlobalSet:
			if in.index >= rw.ownGlobals {
				return nil, &FormatError{Offset: r.base + in.start,
					Msg: fmt.Sprintf("global index %d out of range (the module has %d globals)", in.index, rw.ownGlobals)}
			}
		case opCall, opRefFunc:
			if rw.fn(in.index) != in.index {
				edits = append(edits, edit{at: in.start, end: in.end, kind: editFunction, op: byte(in.op), index: rw.fn(in.index)})
			}
		case opMemoryGrow:
			edits = append(edits, edit{at: in.end, end: in.end, kind: editGrow})
			rw.st.Grows++
		}
	}
	if !r.done() {
		return nil, r.errAt("bytes after the end of the function body")
	}
	// Loops were recorded at their end, inner loops first: order by position. Edits never
	// overlap: insertions sit between instructions, replacements cover one instruction.
	slices.SortStableFunc(edits, func(a, b edit) int { return a.at - b.at })

	out := make([]byte, 0, len(r.buf)+48*(len(edits)+1))
	out = append(out, r.buf[:exprStart]...)
	out = rw.appendCharge(out, int64(count))
	prev := exprStart
	for _, e := range edits {
		out = append(out, r.buf[prev:e.at]...)
		switch e.kind {
		case editCharge:
			out = rw.appendCharge(out, e.cost)
		case editGrow:
			out = rw.appendGrowCheck(out)
		case editFunction:
			out = appendU32(append(out, e.op), e.index)
		}
		prev = e.end
	}
	return append(out, r.buf[prev:]...), nil
}

// appendCharge appends the charge of cost fuel described at Instrument. It is stack-neutral,
// so it is valid at a function entry and at a loop header whatever the loop's parameters.
func (rw *rewriter) appendCharge(dst []byte, cost int64) []byte {
	dst = appendU32(append(dst, opGlobalGet), rw.fuel)
	dst = appendS64(append(dst, opI64Const), cost)
	dst = append(dst, opI64Sub)
	dst = appendU32(append(dst, opGlobalSet), rw.fuel)
	dst = appendU32(append(dst, opGlobalGet), rw.fuel)
	dst = append(dst, opI64Const, 0x00, opI64LtS, opIf, blockEmpty)
	dst = appendU32(append(dst, opCall), rw.yield)
	dst = appendU32(append(dst, opGlobalGet), rw.budget)
	dst = appendS64(append(dst, opI64Const), rw.slice)
	dst = append(dst, opI64Sub)
	dst = appendU32(append(dst, opGlobalSet), rw.budget)
	dst = appendU32(append(dst, opGlobalGet), rw.budget)
	dst = append(dst, opI64Const, 0x00, opI64LtS, opIf, blockEmpty, opUnreachable, opEnd)
	dst = appendU32(append(dst, opGlobalGet), rw.fuel)
	dst = appendS64(append(dst, opI64Const), rw.slice)
	dst = append(dst, opI64Add)
	dst = appendU32(append(dst, opGlobalSet), rw.fuel)
	return append(dst, opEnd)
}

// appendGrowCheck appends, after memory.grow left its result r on the stack:
// last = r; failed |= r; push r. A failed grow returns -1, so it sets bit 31 of failed, which
// page counts (below 65536) never do.
func (rw *rewriter) appendGrowCheck(dst []byte) []byte {
	dst = appendU32(append(dst, opGlobalSet), rw.last)
	dst = appendU32(append(dst, opGlobalGet), rw.last)
	dst = appendU32(append(dst, opGlobalGet), rw.last)
	dst = appendU32(append(dst, opGlobalGet), rw.failed)
	dst = append(dst, opI32Or)
	return appendU32(append(dst, opGlobalSet), rw.failed)
}
