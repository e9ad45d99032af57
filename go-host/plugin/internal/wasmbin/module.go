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
	importedFuncs   uint32
	importedGlobals uint32
	definedGlobals  uint32
	definedFuncs    uint32
}

var magic = []byte{0x00, 'a', 's', 'm', 0x01, 0x00, 0x00, 0x00}

// Parse decodes the module's section structure, its imports, exports, memories and globals.
// Function bodies are decoded by Instrument.
func Parse(bin []byte) (*Module, error) {
	if len(bin) < len(magic) || !bytes.Equal(bin[:len(magic)], magic) {
		return nil, &FormatError{Offset: 0, Msg: "not a wasm core module (bad magic or version)"}
	}
	m := &Module{}
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
		if id != secCustom {
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
		err = decodeData(r, m.importedGlobals+m.definedGlobals)
	case secImport:
		err = m.decodeImports(r)
	case secFunction:
		err = m.decodeFunctions(r)
	case secMemory:
		err = m.decodeMemories(r)
	case secTable:
		err = m.decodeTables(r)
	case secGlobal:
		m.definedGlobals, err = r.u32()
		return err // the global definitions are kept as they are
	case secExport:
		err = m.decodeExports(r)
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
	for i := uint32(0); i < m.types; i++ {
		form, err := r.byte()
		if err != nil {
			return err
		}
		if form != 0x60 {
			return r.errAt("type form %#x: only function types are supported", form)
		}
		for j := 0; j < 2; j++ { // parameters, results
			if err := r.valTypes(); err != nil {
				return err
			}
		}
	}
	return nil
}

// decodeData checks that every data segment's announced length fits the section, and that its
// offset refers only to the module's own globals (the next indices will be the host's).
func decodeData(r *reader, ownGlobals uint32) error {
	n, err := r.count()
	if err != nil {
		return err
	}
	for i := uint32(0); i < n; i++ {
		flags, err := r.u32()
		if err != nil {
			return err
		}
		if flags > 2 {
			return r.errAt("data segment flags %d", flags)
		}
		if flags == 2 { // explicit memory index
			if _, err := r.u32(); err != nil {
				return err
			}
		}
		if flags != 1 { // active: offset expression
			if err := skipConstExpr(r, ownGlobals); err != nil {
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

// skipConstExpr skips a constant expression, up to and including its end, checking that it
// reads only globals below ownGlobals.
func skipConstExpr(r *reader, ownGlobals uint32) error {
	for {
		in, err := nextInstr(r)
		if err != nil {
			return err
		}
		if in.prefix == 0 && in.op == opGlobalGet && in.index >= ownGlobals {
			return &FormatError{Offset: r.base + in.start,
				Msg: fmt.Sprintf("global index %d out of range (the module has %d globals)", in.index, ownGlobals)}
		}
		if in.prefix == 0 && in.op == opEnd {
			return nil
		}
	}
}

// decodeFunctions counts the defined functions and checks their type indices (the next index
// will be the host's).
func (m *Module) decodeFunctions(r *reader) error {
	var err error
	if m.definedFuncs, err = r.count(); err != nil {
		return err
	}
	for i := uint32(0); i < m.definedFuncs; i++ {
		t, err := r.u32()
		if err != nil {
			return err
		}
		if t >= m.types {
			return r.errAt("function %d: type index %d out of range (%d types)", i, t, m.types)
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
		case KindTable:
			if _, err = r.refType(); err == nil {
				_, err = readLimits(r)
			}
		case KindMemory:
			_, err = readLimits(r)
		case KindGlobal:
			m.importedGlobals++
			if _, err = r.valType(); err == nil {
				err = mutability(r)
			}
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
		l, err := readLimits(r)
		if err != nil {
			return err
		}
		m.Memories = append(m.Memories, l)
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
	}
	return nil
}

func (m *Module) decodeExports(r *reader) error {
	n, err := r.count()
	if err != nil {
		return err
	}
	for i := uint32(0); i < n; i++ {
		var e Export
		if e.Name, err = r.name(); err != nil {
			return err
		}
		if e.Kind, err = r.byte(); err != nil {
			return err
		}
		if e.Index, err = r.u32(); err != nil {
			return err
		}
		m.Exports = append(m.Exports, e)
	}
	return nil
}

// mutability reads a global's mutability flag: 0 or 1.
func mutability(r *reader) error {
	m, err := r.byte()
	if err == nil && m > 1 {
		err = r.errAt("global mutability %#x", m)
	}
	return err
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
		l.Max, err = r.u32()
	}
	return l, err
}
