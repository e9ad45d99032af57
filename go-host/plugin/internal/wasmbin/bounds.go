package wasmbin

import "fmt"

// Bounds are the structural limits Instrument enforces before anything is compiled: each
// bounds what a module may make the host allocate or compute while compiling it, whatever its
// size in bytes. A zero field means no limit.
type Bounds struct {
	Types             uint32 // function types
	Params, Results   uint32 // parameters and results of one function type
	Functions         uint32 // functions, imported and defined
	FunctionBytes     uint32 // bytes of one function body
	LocalsPerFunction uint32 // locals one function body declares
	Locals            uint32 // locals all bodies declare together
	Nesting           uint32 // block, loop and if nesting depth inside one body
	BrTableTargets    uint32 // labels of one br_table, its default included
	// FunctionBlocks bounds the control points of one body, Blocks those of all bodies
	// together (see BlockCost): wazero's compile time grows with their square per function.
	FunctionBlocks, Blocks uint32
	Globals                uint32 // globals, imported and defined
	Tables                 uint32 // tables, imported and defined
	// TableElements bounds the elements of all tables together: their initial sizes at load,
	// and their sizes after any table.grow (which fails, returning -1, beyond it).
	TableElements   uint32
	DataSegments    uint32 // data segments
	ElementSegments uint32 // element segments
	Exports         uint32 // exports
}

// LoopBlockCost and BulkBlockCost: each instruction adds to a body's control points
// (Bounds.FunctionBlocks): block, if, else and br_if one each, br_table one per label, loop
// LoopBlockCost (its header's charge adds two ifs and a call), each instruction replaced by a
// helper call (the bulk memory and table instructions, memory.grow, table.grow) BulkBlockCost.
// wasmtime compiles a body of n memory.fill instructions in time that grows faster than n
// (1000: 0.17 s, 4000: 1.5 s on 2 loaded vCPUs), so they weigh like loops.
const (
	LoopBlockCost = 4
	BulkBlockCost = 4
)

// exceeds reports whether n is above the limit lim (0: none).
func exceeds(n uint64, lim uint32) bool { return lim != 0 && n > uint64(lim) }

// checkBounds refuses a module whose sections exceed b (the per-body limits are checked as
// Instrument decodes each body). Every module may have at most one memory.
func (m *Module) checkBounds(b Bounds) error {
	var tableElems uint64
	for _, t := range m.tables {
		tableElems += uint64(t.Min)
	}
	for _, c := range []struct {
		what string
		n    uint64
		lim  uint32
	}{
		{"function types", uint64(m.types), b.Types},
		{"functions", m.funcs(), b.Functions},
		{"globals", uint64(m.globals()), b.Globals},
		{"tables", uint64(len(m.tables)), b.Tables},
		{"initial table elements (all tables)", tableElems, b.TableElements},
		{"data segments", uint64(m.dataSegments), b.DataSegments},
		{"element segments", uint64(m.elemSegments), b.ElementSegments},
		{"exports", uint64(len(m.Exports)), b.Exports},
		{"memories", uint64(m.memories), 1},
	} {
		if exceeds(c.n, c.lim) {
			return &FormatError{Msg: fmt.Sprintf("%d %s; the limit is %d", c.n, c.what, c.lim)}
		}
	}
	for i := range m.typeParams {
		if exceeds(uint64(m.typeParams[i]), b.Params) || exceeds(uint64(m.typeResults[i]), b.Results) {
			return &FormatError{Msg: fmt.Sprintf("function type %d has %d parameters and %d results; the limits are %d and %d",
				i, m.typeParams[i], m.typeResults[i], b.Params, b.Results)}
		}
	}
	return nil
}
