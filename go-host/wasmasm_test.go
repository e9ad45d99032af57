package binpipe

import (
	"github.com/binpipe/binpipe/go-host/internal/wasm"
	"github.com/tetratelabs/wazero/api"
)

// A tiny WebAssembly assembler for tests: enough to hand-build modules that break the host's
// expectations (wrong versions, missing exports, traps on demand).

const (
	tI32 byte = 0x7f
	tI64 byte = 0x7e
)

type asmFunc struct {
	name            string
	params, results []byte
	body            []byte // instructions, without the locals vector and the final end
}

func uleb(v uint64) []byte {
	var b []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v != 0 {
			b = append(b, c|0x80)
			continue
		}
		return append(b, c)
	}
}

func sleb(v int64) []byte {
	var b []byte
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && c&0x40 == 0) || (v == -1 && c&0x40 != 0) {
			return append(b, c)
		}
		b = append(b, c|0x80)
	}
}

func vec(items [][]byte) []byte {
	out := uleb(uint64(len(items)))
	for _, it := range items {
		out = append(out, it...)
	}
	return out
}

func name(s string) []byte { return append(uleb(uint64(len(s))), s...) }

func section(id byte, content []byte) []byte {
	return append(append([]byte{id}, uleb(uint64(len(content)))...), content...)
}

// i32c and i64c are i32.const and i64.const.
func i32c(v int32) []byte { return append([]byte{0x41}, sleb(int64(v))...) }
func i64c(v int64) []byte { return append([]byte{0x42}, sleb(v)...) }

// assemble builds a module exporting fns and, if pages > 0, a memory named "memory".
func assemble(pages int, fns ...asmFunc) []byte {
	var types, funcs, exports, codes [][]byte
	for i, f := range fns {
		types = append(types, append(append([]byte{0x60}, append(uleb(uint64(len(f.params))), f.params...)...),
			append(uleb(uint64(len(f.results))), f.results...)...))
		funcs = append(funcs, uleb(uint64(i)))
		exports = append(exports, append(append(name(f.name), 0x00), uleb(uint64(i))...))
		body := append(append([]byte{0x00}, f.body...), 0x0b) // no locals ... end
		codes = append(codes, append(uleb(uint64(len(body))), body...))
	}
	m := []byte{0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00}
	m = append(m, section(1, vec(types))...)
	m = append(m, section(3, vec(funcs))...)
	if pages > 0 {
		m = append(m, section(5, append([]byte{0x01, 0x00}, uleb(uint64(pages))...))...)
		exports = append(exports, append(append(name("memory"), 0x02), 0x00))
	}
	m = append(m, section(7, vec(exports))...)
	m = append(m, section(10, vec(codes))...)
	return m
}

// stub returns a function that returns zeros.
func stub(name string, params, results []byte) asmFunc {
	var body []byte
	for _, r := range results {
		if r == tI64 {
			body = append(body, i64c(0)...)
		} else {
			body = append(body, i32c(0)...)
		}
	}
	return asmFunc{name, params, results, body}
}

func versionFunc(name string, v int32) asmFunc {
	return asmFunc{name: name, results: []byte{tI32}, body: i32c(v)}
}

// fakeModule is a module with every export the host checks: version functions returning abi
// and wit, bp_alloc and cabi_realloc returning 1024, bp_crc32c returning 7 unless its seed is 0xDEAD, in which
// case it traps (unreachable), and stubs returning zeros for the rest. replace overrides
// exports by name.
func fakeModule(abi, wit int32, replace ...asmFunc) []byte {
	crcBody := []byte{0x20, 0x02} // local.get 2 (seed)
	crcBody = append(crcBody, i32c(0xDEAD)...)
	crcBody = append(crcBody, 0x46, 0x04, 0x40, 0x00, 0x0b) // i32.eq; if; unreachable; end
	crcBody = append(crcBody, i64c(7)...)
	special := map[string]asmFunc{
		"bp_alloc":     {name: "bp_alloc", params: []byte{tI32}, results: []byte{tI32}, body: i32c(1024)},
		"cabi_realloc": {name: "cabi_realloc", params: []byte{tI32, tI32, tI32, tI32}, results: []byte{tI32}, body: i32c(1024)},
		"bp_crc32c":    {name: "bp_crc32c", params: []byte{tI32, tI32, tI32}, results: []byte{tI64}, body: crcBody},
	}
	for _, f := range replace {
		special[f.name] = f
	}
	fns := []asmFunc{versionFunc("bp_abi_version", abi), versionFunc("bp_wit_version", wit)}
	for _, name := range wasm.Exports() {
		if f, ok := special[name]; ok {
			fns = append(fns, f)
			continue
		}
		params, results, _ := wasm.Signature(name)
		fns = append(fns, stub(name, valueTypes(params), valueTypes(results)))
	}
	return assemble(2, fns...)
}

// valueTypes converts wazero's value types to their binary encoding (which they are).
func valueTypes(ts []api.ValueType) []byte {
	b := make([]byte, len(ts))
	for i, t := range ts {
		b[i] = byte(t)
	}
	return b
}
