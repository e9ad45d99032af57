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

// Options configure Instrument.
type Options struct {
	// InitialFuel is the fuel global's initial value (the budget's is 0): what the start
	// function may spend, and anything run before the host first sets the fuel.
	InitialFuel int64
	// Slice is the fuel refilled from the budget each time the fuel runs out, when the
	// refill also passes a loop header so that wazero checks for the end of the call (see
	// Instrument). 0 means DefaultSlice.
	Slice int64
	// MaxPages, if not 0, lowers every declared memory maximum above it to it (memory.grow
	// beyond the host's limit fails either way; a lower declared maximum keeps wazero from
	// refusing the module for asking more than the limit).
	MaxPages uint32
}

// DefaultSlice is the fuel between two of wazero's termination checks in code without loops:
// about a millisecond of work, so that a check (an exit to Go, ~100 ns) costs nothing
// measurable.
const DefaultSlice = 1 << 20

// Stats says what Instrument inserted.
type Stats struct {
	Functions int // function entries charged
	Loops     int // loop headers charged
	Grows     int // memory.grow instructions watched
}

// Instrument returns m rewritten so that its execution is metered and stoppable. It appends
// four mutable globals (appended, so no existing index moves), exports three of them (see
// FuelExport, BudgetExport, GrowFailedExport), and rewrites every function body.
//
// At the entry of every function, and at the header of every loop (reached on entry and after
// every back-edge), it inserts a charge of cost fuel:
//
//	fuel -= cost
//	if fuel < 0 {
//		loop {}                                   // wazero's termination check
//		budget -= slice; if budget < 0 { unreachable }
//		fuel += slice
//	}
//
// cost is the number of instructions in the function body or the loop body: an upper bound of
// the instructions the function runs until it calls, loops or returns (without a back-edge,
// control inside a body only moves forward, so each instruction runs at most once per
// activation or loop iteration). The empty loop is there for wazero: compiled with
// WithCloseOnContextDone, every loop header leaves the compiled code to check whether the
// call's context has ended, and that is the only way compiled code ever yields to Go. So code
// without loops also yields, once per slice of fuel.
//
// After every memory.grow it records the result, so that a failed grow (-1) sets bit 31 of the
// grow-failed global.
//
// Every instruction is decoded (see nextInstr), so an insertion never lands inside an
// immediate, and a body that refers to a global index at or beyond the module's own count
// (which would reach the appended globals) is refused.
func Instrument(m *Module, opt Options) ([]byte, Stats, error) {
	var st Stats
	for _, e := range m.Exports {
		if strings.HasPrefix(e.Name, ReservedPrefix) {
			return nil, st, &FormatError{Msg: fmt.Sprintf("export %q uses the prefix %q reserved by the host", e.Name, ReservedPrefix)}
		}
	}
	own := m.importedGlobals + m.definedGlobals
	if own > math.MaxUint32-4 {
		return nil, st, &FormatError{Msg: "too many globals"}
	}
	slice := opt.Slice
	if slice <= 0 {
		slice = DefaultSlice
	}
	g := globals{fuel: own, budget: own + 1, last: own + 2, failed: own + 3, slice: slice}

	out := append([]byte(nil), magic...)
	haveGlobal, haveExport := false, false
	emit := func(id byte, payload []byte) {
		out = append(out, id)
		out = appendU32(out, uint32(len(payload)))
		out = append(out, payload...)
	}
	// emitMissing adds the global and export sections when the module has none, before the
	// first section that must follow them.
	emitMissing := func(beforeOrder int) {
		if !haveGlobal && beforeOrder > sectionOrder[secGlobal] {
			emit(secGlobal, appendGlobals(appendU32(nil, 4), opt.InitialFuel))
			haveGlobal = true
		}
		if !haveExport && beforeOrder > sectionOrder[secExport] {
			emit(secExport, appendExports(appendU32(nil, 3), g))
			haveExport = true
		}
	}
	for _, s := range m.sections {
		if s.id != secCustom {
			emitMissing(sectionOrder[s.id])
		}
		switch s.id {
		case secMemory:
			emit(s.id, rewriteMemories(m.Memories, opt.MaxPages))
		case secGlobal:
			emit(s.id, appendGlobals(extendVec(s, m.definedGlobals, 4), opt.InitialFuel))
			haveGlobal = true
		case secExport:
			emit(s.id, appendExports(extendVec(s, uint32(len(m.Exports)), 3), g))
			haveExport = true
		case secCode:
			body, err := m.rewriteCode(s, g, own, &st)
			if err != nil {
				return nil, st, err
			}
			emit(s.id, body)
		default:
			emit(s.id, s.payload)
		}
	}
	emitMissing(math.MaxInt)
	if st.Functions != int(m.definedFuncs) {
		return nil, st, &FormatError{Msg: fmt.Sprintf("%d functions declared, %d bodies", m.definedFuncs, st.Functions)}
	}
	return out, st, nil
}

// globals are the indices of the appended globals, and the slice size.
type globals struct {
	fuel, budget, last, failed uint32
	slice                      int64
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
func appendGlobals(dst []byte, fuel int64) []byte {
	dst = append(dst, 0x7e, 0x01, opI64Const)
	dst = append(appendS64(dst, fuel), opEnd)
	dst = append(dst, 0x7e, 0x01, opI64Const, 0x00, opEnd)
	dst = append(dst, 0x7f, 0x01, opI32Const, 0x00, opEnd)
	return append(dst, 0x7f, 0x01, opI32Const, 0x00, opEnd)
}

// appendExports appends the exports of the fuel, budget and grow-failed globals.
func appendExports(dst []byte, g globals) []byte {
	for _, e := range []struct {
		name string
		idx  uint32
	}{{FuelExport, g.fuel}, {BudgetExport, g.budget}, {GrowFailedExport, g.failed}} {
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
		if l.HasMax {
			out = append(out, 0x01)
			out = appendU32(appendU32(out, l.Min), l.Max)
		} else {
			out = appendU32(append(out, 0x00), l.Min)
		}
	}
	return out
}

// rewriteCode instruments every function body of the code section.
func (m *Module) rewriteCode(s section, g globals, ownGlobals uint32, st *Stats) ([]byte, error) {
	r := &reader{buf: s.payload, base: s.offset}
	n, err := r.u32()
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
		nb, err := instrumentBody(&reader{buf: body, base: base}, g, ownGlobals, st)
		if err != nil {
			return nil, err
		}
		out = appendU32(out, uint32(len(nb)))
		out = append(out, nb...)
		st.Functions++
	}
	if !r.done() {
		return nil, r.errAt("bytes left over after the last function body")
	}
	return out, nil
}

// insertion is a sequence to insert at a position of a body: a charge of cost fuel, or (cost
// < 0) the grow check.
type insertion struct {
	at   int
	cost int64
}

// instrumentBody decodes one body (locals, then the expression) and returns it with the
// charges and grow checks inserted.
func instrumentBody(r *reader, g globals, ownGlobals uint32, st *Stats) ([]byte, error) {
	groups, err := r.u32()
	if err != nil {
		return nil, err
	}
	for i := uint32(0); i < groups; i++ {
		if _, err := r.u32(); err != nil {
			return nil, err
		}
		if _, err := r.byte(); err != nil {
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
		ins   []insertion
		count int
	)
	for len(stack) > 0 {
		in, err := nextInstr(r)
		if err != nil {
			return nil, err
		}
		count++
		if in.prefix != 0 {
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
				ins = append(ins, insertion{at: f.at, cost: int64(count - f.count)})
				st.Loops++
			}
		case opGlobalGet, opGlobalSet:
			if in.global >= ownGlobals {
				return nil, &FormatError{Offset: r.base + in.start,
					Msg: fmt.Sprintf("global index %d out of range (the module has %d globals)", in.global, ownGlobals)}
			}
		case opMemoryGrow:
			ins = append(ins, insertion{at: in.end, cost: -1})
			st.Grows++
		}
	}
	if !r.done() {
		return nil, r.errAt("bytes after the end of the function body")
	}
	// Loops were recorded at their end, inner loops first: order by position. A grow check
	// and a loop charge never share a position (a loop header follows a loop instruction).
	slices.SortFunc(ins, func(a, b insertion) int { return a.at - b.at })

	out := make([]byte, 0, len(r.buf)+32*(len(ins)+1))
	out = append(out, r.buf[:exprStart]...)
	out = appendCharge(out, int64(count), g)
	prev := exprStart
	for _, x := range ins {
		out = append(out, r.buf[prev:x.at]...)
		if x.cost < 0 {
			out = appendGrowCheck(out, g)
		} else {
			out = appendCharge(out, x.cost, g)
		}
		prev = x.at
	}
	return append(out, r.buf[prev:]...), nil
}

// appendCharge appends the charge of cost fuel described at Instrument. It is stack-neutral,
// so it is valid at a function entry and at a loop header whatever the loop's parameters.
func appendCharge(dst []byte, cost int64, g globals) []byte {
	dst = appendU32(append(dst, opGlobalGet), g.fuel)
	dst = appendS64(append(dst, opI64Const), cost)
	dst = append(dst, opI64Sub)
	dst = appendU32(append(dst, opGlobalSet), g.fuel)
	dst = appendU32(append(dst, opGlobalGet), g.fuel)
	dst = append(dst, opI64Const, 0x00, opI64LtS, opIf, blockEmpty)
	dst = append(dst, opLoop, blockEmpty, opEnd)
	dst = appendU32(append(dst, opGlobalGet), g.budget)
	dst = appendS64(append(dst, opI64Const), g.slice)
	dst = append(dst, opI64Sub)
	dst = appendU32(append(dst, opGlobalSet), g.budget)
	dst = appendU32(append(dst, opGlobalGet), g.budget)
	dst = append(dst, opI64Const, 0x00, opI64LtS, opIf, blockEmpty, opUnreachable, opEnd)
	dst = appendU32(append(dst, opGlobalGet), g.fuel)
	dst = appendS64(append(dst, opI64Const), g.slice)
	dst = append(dst, opI64Add)
	dst = appendU32(append(dst, opGlobalSet), g.fuel)
	return append(dst, opEnd)
}

// appendGrowCheck appends, after memory.grow left its result r on the stack:
// last = r; failed |= r; push r. A failed grow returns -1, so it sets bit 31 of failed, which
// page counts (below 65536) never do.
func appendGrowCheck(dst []byte, g globals) []byte {
	dst = appendU32(append(dst, opGlobalSet), g.last)
	dst = appendU32(append(dst, opGlobalGet), g.last)
	dst = appendU32(append(dst, opGlobalGet), g.last)
	dst = appendU32(append(dst, opGlobalGet), g.failed)
	dst = append(dst, opI32Or)
	return appendU32(append(dst, opGlobalSet), g.failed)
}
