// Package wasmbin reads the parts of a WebAssembly binary module that the plugin host checks
// (imports, exports, memories, function bodies) and rewrites a module to meter its execution:
// see Instrument. It decodes the binary format itself (sections, LEB128, function bodies down
// to every instruction), so the host can refuse a module before wazero compiles it.
//
// Only the instructions of the feature set the host enables in wazero are understood
// (WebAssembly 2.0: multi-value, sign extension, saturating truncation, bulk memory, reference
// types, fixed-width SIMD). Anything else is a *FormatError, never a guess.
package wasmbin

import (
	"bytes"
	"fmt"
)

// FormatError reports a module the decoder refuses, with the byte offset where it went wrong.
type FormatError struct {
	Offset int
	Msg    string
}

// Error gives the offset and the reason.
func (e *FormatError) Error() string {
	return fmt.Sprintf("wasm binary at byte %d: %s", e.Offset, e.Msg)
}

// TrapError reports a valid module whose instantiation is certain to trap (a segment that
// does not fit), found before any instance is made; Offset is where in the binary.
type TrapError struct {
	Offset int
	Msg    string
}

// Error gives the offset and the reason.
func (e *TrapError) Error() string {
	return fmt.Sprintf("wasm binary at byte %d: instantiation traps: %s", e.Offset, e.Msg)
}

// Section ids of the binary format.
const (
	secCustom    = 0
	secType      = 1
	secImport    = 2
	secFunction  = 3
	secTable     = 4
	secMemory    = 5
	secGlobal    = 6
	secExport    = 7
	secStart     = 8
	secElement   = 9
	secCode      = 10
	secData      = 11
	secDataCount = 12
	secTag       = 13
)

// sectionOrder is the position each non-custom section must take (the tag section of the
// exception proposal sits between memory and global).
var sectionOrder = map[byte]int{
	secType: 1, secImport: 2, secFunction: 3, secTable: 4, secMemory: 5, secTag: 6,
	secGlobal: 7, secExport: 8, secStart: 9, secElement: 10, secDataCount: 11, secCode: 12,
	secData: 13,
}

// External kinds of imports and exports.
const (
	KindFunc   byte = 0
	KindTable  byte = 1
	KindMemory byte = 2
	KindGlobal byte = 3
	KindTag    byte = 4
)

// KindName names an external kind for messages.
func KindName(k byte) string {
	switch k {
	case KindFunc:
		return "func"
	case KindTable:
		return "table"
	case KindMemory:
		return "memory"
	case KindGlobal:
		return "global"
	case KindTag:
		return "tag"
	}
	return fmt.Sprintf("kind %#x", k)
}

// Import is one entry of the import section.
type Import struct {
	Module, Name string
	Kind         byte
}

// Export is one entry of the export section.
type Export struct {
	Name  string
	Kind  byte
	Index uint32
}

// Limits is a memory's size in 64 KiB pages; HasMax is false when no maximum is declared.
type Limits struct {
	Min, Max uint32
	HasMax   bool
}

// Table is a table's element type and size in elements.
type Table struct {
	RefType byte
	Limits
}

// section is one section as found in the binary: its id and payload.
type section struct {
	id      byte
	payload []byte
	offset  int // offset of the payload in the module
}

// Module is a decoded module: its sections, plus the facts the host checks.
type Module struct {
	sections []section

	Imports  []Import
	Exports  []Export
	Memories []Limits // defined memories (imported ones are in Imports)
	Tables   []Table  // defined tables (imported ones are in Imports)

	types           uint32
	typeParams      []uint32 // parameters of each type
	typeResults     []uint32 // results of each type
	resultTypes     [][]byte // each type's encoded vec(valtype) of results
	importedFuncs   uint32
	importedGlobals uint32
	definedGlobals  uint32
	definedFuncs    uint32
	funcTypes       []uint32 // type of each defined function
	tables          []Table  // every table, imported ones first: the table index space
	memories        uint32   // imported and defined
	elemSegments    uint32
	dataSegments    uint32
	dataCount       int64 // the data count section's count, -1 without one
	codeBytes       int   // size of the code section's payload

	// What the validator (validate.go) needs of the index spaces.
	sigs            []funcSig // each type's parameter and result types
	importFuncTypes []uint32  // type of each imported function
	globalTypes     []byte    // value type of every global, imported ones first
	globalMutable   []bool    // mutability of every global, imported ones first
	elemTypes       []byte    // reference type of each element segment
	refs            []uint64  // bit set of the declared function references (C.refs)
}

// funcSig is a function type's parameter and result types, one byte each (aliasing the module).
type funcSig struct{ params, results []byte }

// funcSigOf is the type of function idx (in range).
func (m *Module) funcSigOf(idx uint32) funcSig {
	if idx < m.importedFuncs {
		return m.sigs[m.importFuncTypes[idx]]
	}
	return m.sigs[m.funcTypes[idx-m.importedFuncs]]
}

// declare adds function idx to the declared function references, those ref.func may name in
// a body: the functions an element segment, a global's initialiser or an export names.
func (m *Module) declare(idx uint32) {
	for uint64(len(m.refs))*64 <= uint64(idx) {
		m.refs = append(m.refs, 0)
	}
	m.refs[idx/64] |= 1 << (idx % 64)
}

// declared reports whether function idx is a declared function reference.
func (m *Module) declared(idx uint32) bool {
	return uint64(idx/64) < uint64(len(m.refs)) && m.refs[idx/64]&(1<<(idx%64)) != 0
}

// funcs is the size of the module's function index space (imports included).
func (m *Module) funcs() uint64 { return uint64(m.importedFuncs) + uint64(m.definedFuncs) }

// globals is the size of the module's global index space (imports included).
func (m *Module) globals() uint32 { return m.importedGlobals + m.definedGlobals }

var magic = []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}

// Parse decodes the module's section structure, its imports, exports, memories and globals.
// Function bodies are decoded by Instrument.
func Parse(bin []byte) (*Module, error) {
	if len(bin) < len(magic) || !bytes.Equal(bin[:len(magic)], magic) {
		return nil, &FormatError{Offset: 0, Msg: "not a wasm core module (bad magic or version)"}
	}
	m := &Module{dataCount: -1}
	r := &reader{buf: bin, pos: len(magic)}
	last := 0
	for !r.done() {
		id, err := r.byte()
		if err != nil {
			return nil, err
		}
		n, err := r.u32()
		if err != nil {
			return nil, err
		}
		start := r.pos
		payload, err := r.bytes(uint64(n))
		if err != nil {
			return nil, err
		}
		if id == secCustom { // its name must be one
			if _, err := (&reader{buf: payload, base: start}).name(); err != nil {
				return nil, err
			}
		} else {
			order, ok := sectionOrder[id]
			if !ok {
				return nil, &FormatError{Offset: start, Msg: fmt.Sprintf("unknown section id %d", id)}
			}
			if order <= last {
				return nil, &FormatError{Offset: start, Msg: fmt.Sprintf("section %d out of order or repeated", id)}
			}
			last = order
		}
		s := section{id: id, payload: payload, offset: start}
		if err := checkCounts(s, len(bin)); err != nil {
			return nil, err
		}
		if err := m.decodeSection(s); err != nil {
			return nil, err
		}
		m.sections = append(m.sections, s)
	}
	return m, nil
}

// vectorSections are the sections that are one vector of entries.
var vectorSections = map[byte]bool{
	secType: true, secImport: true, secFunction: true, secTable: true, secMemory: true,
	secGlobal: true, secExport: true, secElement: true, secCode: true, secData: true,
}

// checkCounts refuses a section whose announced entry count exceeds its bytes (every entry
// takes at least one), and the sections of proposals the host does not enable. wazero
// allocates by the announced counts before reading the entries, so a few bytes announcing
// 2^32 entries would make it allocate gigabytes: the host must refuse them first.
func checkCounts(s section, moduleSize int) error {
	r := &reader{buf: s.payload, base: s.offset}
	switch {
	case s.id == secTag:
		return r.errAt("tag section: exception handling is not supported")
	case s.id == secDataCount:
		n, err := r.u32()
		if err == nil && uint64(n) > uint64(moduleSize) {
			err = r.errAt("data count %d exceeds the module's %d bytes", n, moduleSize)
		}
		return err
	case vectorSections[s.id]:
		n, err := r.u32()
		if err == nil && uint64(n) > uint64(len(r.buf)-r.pos) {
			err = r.errAt("%d entries announced in %d bytes", n, len(r.buf)-r.pos)
		}
		return err
	}
	return nil
}

// decodeSection records what the host needs from one section.
func (m *Module) decodeSection(s section) error {
	r := &reader{buf: s.payload, base: s.offset}
	var err error
	switch s.id {
	case secType:
		err = m.decodeTypes(r)
	case secData:
		err = m.decodeData(r)
	case secImport:
		err = m.decodeImports(r)
	case secFunction:
		err = m.decodeFunctions(r)
	case secMemory:
		err = m.decodeMemories(r)
	case secTable:
		err = m.decodeTables(r)
	case secGlobal:
		err = m.decodeGlobals(r)
	case secExport:
		err = m.decodeExports(r)
	case secStart:
		err = m.decodeStart(r)
	case secElement:
		err = m.decodeElements(r)
	case secDataCount:
		var n uint32
		n, err = r.u32()
		m.dataCount = int64(n)
	case secCode:
		m.codeBytes = len(s.payload)
		return nil // decoded by Instrument
	default:
		return nil
	}
	if err == nil && !r.done() {
		err = r.errAt("%d bytes left over at the end of section %d", len(r.buf)-r.pos, s.id)
	}
	return err
}

// decodeTypes counts the function types, checking that every length fits the section.
func (m *Module) decodeTypes(r *reader) error {
	var err error
	if m.types, err = r.count(); err != nil {
		return err
	}
	m.typeParams = make([]uint32, m.types)
	m.typeResults = make([]uint32, m.types)
	m.resultTypes = make([][]byte, m.types)
	m.sigs = make([]funcSig, m.types)
	for i := uint32(0); i < m.types; i++ {
		form, err := r.byte()
		if err != nil {
			return err
		}
		if form != 0x60 {
			return r.errAt("type form %#x: only function types are supported", form)
		}
		if m.typeParams[i], err = r.valTypes(); err != nil {
			return err
		}
		m.sigs[i].params = r.buf[r.pos-int(m.typeParams[i]) : r.pos] // one byte per value type
		at := r.pos
		if m.typeResults[i], err = r.valTypes(); err != nil {
			return err
		}
		m.resultTypes[i] = r.buf[at:r.pos]
		m.sigs[i].results = r.buf[r.pos-int(m.typeResults[i]) : r.pos]
	}
	return nil
}

// decodeData checks that every data segment's announced length fits the section, that an
// active one names an existing memory, and that its offset refers only to the module's own
// globals (the next indices will be the host's).
func (m *Module) decodeData(r *reader) error {
	n, err := r.count()
	if err != nil {
		return err
	}
	m.dataSegments = n
	if m.dataCount >= 0 && int64(n) != m.dataCount {
		return r.errAt("%d data segments, the data count section says %d", n, m.dataCount)
	}
	for i := uint32(0); i < n; i++ {
		flags, err := r.u32()
		if err != nil {
			return err
		}
		if flags > 2 {
			return r.errAt("data segment flags %d", flags)
		}
		mem := uint32(0)
		if flags == 2 { // explicit memory index
			if mem, err = r.u32(); err != nil {
				return err
			}
		}
		if flags != 1 { // active: offset expression
			if mem >= m.memories {
				return r.errAt("data segment %d: memory %d out of range (%d memories)", i, mem, m.memories)
			}
			if err := m.checkConstExpr(r, i32); err != nil {
				return err
			}
		}
		size, err := r.u32()
		if err != nil {
			return err
		}
		if _, err := r.bytes(uint64(size)); err != nil {
			return err
		}
	}
	return nil
}

// decodeFunctions counts the defined functions and checks their type indices (the next index
// will be the host's).
func (m *Module) decodeFunctions(r *reader) error {
	var err error
	if m.definedFuncs, err = r.count(); err != nil {
		return err
	}
	m.funcTypes = make([]uint32, m.definedFuncs)
	for i := range m.funcTypes {
		t, err := r.u32()
		if err != nil {
			return err
		}
		if t >= m.types {
			return r.errAt("function %d: type index %d out of range (%d types)", i, t, m.types)
		}
		m.funcTypes[i] = t
	}
	return nil
}

// decodeGlobals counts the defined globals and checks their initialisers.
func (m *Module) decodeGlobals(r *reader) error {
	n, err := r.count()
	if err != nil {
		return err
	}
	for i := uint32(0); i < n; i++ {
		t, err := r.valType()
		if err != nil {
			return err
		}
		mut, err := mutability(r)
		if err != nil {
			return err
		}
		if err := m.checkConstExpr(r, t); err != nil {
			return err
		}
		m.definedGlobals++
		m.globalTypes = append(m.globalTypes, t)
		m.globalMutable = append(m.globalMutable, mut)
	}
	return nil
}

// decodeStart checks the start function's index.
func (m *Module) decodeStart(r *reader) error {
	idx, err := r.u32()
	if err == nil && uint64(idx) >= m.funcs() {
		err = r.errAt("start function %d out of range (%d functions)", idx, m.funcs())
	}
	if err == nil {
		if sig := m.funcSigOf(idx); len(sig.params)+len(sig.results) != 0 {
			err = r.errAt("start function %d has parameters or results", idx)
		}
	}
	return err
}

// decodeElements checks every element segment's table, offset and function indices.
func (m *Module) decodeElements(r *reader) error {
	n, err := r.count()
	if err != nil {
		return err
	}
	m.elemSegments = n
	for i := uint32(0); i < n; i++ {
		flags, err := r.u32()
		if err != nil {
			return err
		}
		if flags > 7 {
			return r.errAt("element segment flags %d", flags)
		}
		table := uint32(0)
		if flags&3 == 2 { // explicit table index
			if table, err = r.u32(); err != nil {
				return err
			}
		}
		if flags&1 == 0 { // active: table, offset expression
			if uint64(table) >= uint64(len(m.tables)) {
				return r.errAt("element segment %d: table %d out of range (%d tables)", i, table, len(m.tables))
			}
			if err := m.checkConstExpr(r, i32); err != nil {
				return err
			}
		}
		elemType := byte(funcRef)
		if flags&3 != 0 { // element kind (0x00 without expressions) or reference type
			var k byte
			if flags&4 != 0 {
				k, err = r.refType()
				elemType = k
			} else if k, err = r.byte(); err == nil && k != 0 {
				err = r.errAt("element kind %#x", k)
			}
			if err != nil {
				return err
			}
		}
		if flags&1 == 0 && m.tables[table].RefType != elemType {
			return r.errAt("element segment %d: elements of type %s for table %d of %s", i, typeName(elemType), table, typeName(m.tables[table].RefType))
		}
		m.elemTypes = append(m.elemTypes, elemType)
		count, err := r.count()
		if err != nil {
			return err
		}
		for j := uint32(0); j < count; j++ {
			if flags&4 != 0 { // expressions
				err = m.checkConstExpr(r, elemType)
			} else { // function indices
				var idx uint32
				if idx, err = r.u32(); err == nil && uint64(idx) >= m.funcs() {
					err = r.errAt("element segment %d: function %d out of range (%d functions)", i, idx, m.funcs())
				}
				if err == nil {
					m.declare(idx)
				}
			}
			if err != nil {
				return err
			}
		}
	}
	return nil
}

func (m *Module) decodeImports(r *reader) error {
	n, err := r.count()
	if err != nil {
		return err
	}
	for i := uint32(0); i < n; i++ {
		var im Import
		if im.Module, err = r.name(); err != nil {
			return err
		}
		if im.Name, err = r.name(); err != nil {
			return err
		}
		if im.Kind, err = r.byte(); err != nil {
			return err
		}
		switch im.Kind {
		case KindFunc:
			m.importedFuncs++
			var t uint32
			if t, err = r.u32(); err == nil && t >= m.types {
				err = r.errAt("import %s.%s: type index %d out of range (%d types)", im.Module, im.Name, t, m.types)
			}
			m.importFuncTypes = append(m.importFuncTypes, t)
		case KindTable:
			var t Table
			if t.RefType, err = r.refType(); err == nil {
				t.Limits, err = readLimits(r)
			}
			m.tables = append(m.tables, t)
		case KindMemory:
			_, err = readMemoryLimits(r)
			m.memories++
		case KindGlobal:
			m.importedGlobals++
			var t byte
			var mut bool
			if t, err = r.valType(); err == nil {
				mut, err = mutability(r)
			}
			m.globalTypes = append(m.globalTypes, t)
			m.globalMutable = append(m.globalMutable, mut)
		case KindTag:
			if _, err = r.byte(); err == nil { // attribute
				_, err = r.u32()
			}
		default:
			return r.errAt("unknown import kind %#x", im.Kind)
		}
		if err != nil {
			return err
		}
		m.Imports = append(m.Imports, im)
	}
	return nil
}

func (m *Module) decodeMemories(r *reader) error {
	n, err := r.count()
	if err != nil {
		return err
	}
	for i := uint32(0); i < n; i++ {
		l, err := readMemoryLimits(r)
		if err != nil {
			return err
		}
		m.Memories = append(m.Memories, l)
		m.memories++
	}
	return nil
}

func (m *Module) decodeTables(r *reader) error {
	n, err := r.count()
	if err != nil {
		return err
	}
	for i := uint32(0); i < n; i++ {
		var t Table
		if t.RefType, err = r.refType(); err != nil {
			return err
		}
		if t.Limits, err = readLimits(r); err != nil {
			return err
		}
		m.Tables = append(m.Tables, t)
		m.tables = append(m.tables, t)
	}
	return nil
}

func (m *Module) decodeExports(r *reader) error {
	n, err := r.count()
	if err != nil {
		return err
	}
	names := make(map[string]bool, n)
	for i := uint32(0); i < n; i++ {
		var e Export
		if e.Name, err = r.name(); err != nil {
			return err
		}
		if names[e.Name] {
			return r.errAt("duplicate export name %q", e.Name)
		}
		names[e.Name] = true
		if e.Kind, err = r.byte(); err != nil {
			return err
		}
		if e.Index, err = r.u32(); err != nil {
			return err
		}
		var size uint64
		switch e.Kind {
		case KindFunc:
			size = m.funcs()
		case KindTable:
			size = uint64(len(m.tables))
		case KindMemory:
			size = uint64(m.memories)
		case KindGlobal:
			size = uint64(m.globals())
		default:
			return r.errAt("export %q: kind %s", e.Name, KindName(e.Kind))
		}
		if uint64(e.Index) >= size {
			return r.errAt("export %q: %s index %d out of range (%d)", e.Name, KindName(e.Kind), e.Index, size)
		}
		if e.Kind == KindFunc {
			m.declare(e.Index)
		}
		m.Exports = append(m.Exports, e)
	}
	return nil
}

// mutability reads a global's mutability flag: 0 or 1 (mutable).
func mutability(r *reader) (bool, error) {
	m, err := r.byte()
	if err == nil && m > 1 {
		err = r.errAt("global mutability %#x", m)
	}
	return m == 1, err
}

// maxMemoryPages is the most pages a 32-bit memory may declare (4 GiB).
const maxMemoryPages = 1 << 16

// readMemoryLimits reads a memory's limits, at most maxMemoryPages.
func readMemoryLimits(r *reader) (Limits, error) {
	l, err := readLimits(r)
	if err == nil && (l.Min > maxMemoryPages || (l.HasMax && l.Max > maxMemoryPages)) {
		err = r.errAt("memory of more than %d pages", maxMemoryPages)
	}
	return l, err
}

// readLimits reads a limits type: flags (bit 0: has max), min, [max]. Shared memories (flag
// bit 1, threads) are refused: the host does not enable threads, and the rewriter re-encodes
// limits without that bit.
func readLimits(r *reader) (Limits, error) {
	flags, err := r.byte()
	if err != nil {
		return Limits{}, err
	}
	if flags > 1 {
		return Limits{}, r.errAt("unsupported limits flags %#x (shared and 64-bit memories are not supported)", flags)
	}
	var l Limits
	if l.Min, err = r.u32(); err != nil {
		return l, err
	}
	if flags&1 != 0 {
		l.HasMax = true
		if l.Max, err = r.u32(); err == nil && l.Max < l.Min {
			err = r.errAt("limits: maximum %d below minimum %d", l.Max, l.Min)
		}
	}
	return l, err
}
