package plugin_test

import (
	"encoding/binary"
	"time"

	. "github.com/binpipe/binpipe/go-host/plugin/internal/wasmtest"
)

// Test plugins assembled from bytes: the host must be tested on modules no compiler emits.
// Every module has the plugin shape: function 0 is cabi_realloc (a bump allocator growing
// memory as needed), 1 is describe, 2 is transform, helpers follow from index 3.

// Fixed addresses in the test plugins' memory.
const (
	areaDescribe = 16  // describe's return area
	strName      = 64  // the plugin's name
	strVersion   = 96  // its version
	strMessage   = 112 // "bad record"
	strNotUTF8   = 128 // two bytes that are not UTF-8
	areaResult   = 256 // transform's return area
	heapStart    = 1024
)

// Instruction bytes used below.
var (
	i32Add, i32Sub, i32And, i32Xor  = []byte{0x6a}, []byte{0x6b}, []byte{0x71}, []byte{0x73}
	i32Shl, i32ShrU, i32GtU, i32GeU = []byte{0x74}, []byte{0x76}, []byte{0x4b}, []byte{0x4f}
	i32Eq, i32Eqz, i32DivS          = []byte{0x46}, []byte{0x45}, []byte{0x6d}
	memSize, memGrow                = []byte{0x3f, 0x00}, []byte{0x40, 0x00}
	unreachable, drop, end          = []byte{0x00}, []byte{0x1a}, []byte{0x0b}
	ifVoid, ifI32, elseOp           = []byte{0x04, 0x40}, []byte{0x04, I32}, []byte{0x05}
	blockVoid, loopVoid             = []byte{0x02, 0x40}, []byte{0x03, 0x40}
)

func store32(offset uint32) []byte { return U32(offset, []byte{0x36, 0x02}) }
func store8(offset uint32) []byte  { return U32(offset, []byte{0x3a, 0x00}) }
func store64(offset uint32) []byte { return U32(offset, []byte{0x37, 0x03}) }
func load8u() []byte               { return []byte{0x2d, 0x00, 0x00} }
func br(depth uint32) []byte       { return U32(depth, []byte{0x0c}) }
func brIf(depth uint32) []byte     { return U32(depth, []byte{0x0d}) }

// okResult writes result::ok(list(ptr, len)) to the return area and leaves its address.
func okResult(ptr, n []byte) []byte {
	return Cat(I32Const(areaResult), I32Const(0), store8(0),
		I32Const(areaResult), ptr, store32(8),
		I32Const(areaResult), n, store32(12),
		I32Const(areaResult))
}

// errResult writes result::err(plugin-error{msg, offset}) (offset < 0: none).
func errResult(msgPtr, msgLen int32, offset int64) []byte {
	code := Cat(I32Const(areaResult), I32Const(1), store8(0),
		I32Const(areaResult), I32Const(msgPtr), store32(8),
		I32Const(areaResult), I32Const(msgLen), store32(12))
	if offset >= 0 {
		code = Cat(code, I32Const(areaResult), I32Const(1), store8(16),
			I32Const(areaResult), I64Const(offset), store64(24))
	}
	return Cat(code, I32Const(areaResult))
}

// helper is an extra function of a test plugin.
type helper struct {
	params, results, locals []byte
	code                    []byte
}

// spec describes a test plugin.
type spec struct {
	name             string
	recordSize       uint32
	maxBatch         uint32
	memMin           uint32
	locals           []byte // transform's extra locals (its params are 0: ptr, 1: len)
	transform        []byte
	helpers          []helper
	describe         []byte // describe's body; nil: return the area
	skipExports      map[string]bool
	importWASI       bool
	transformParams  []byte        // nil: (i32, i32)
	postTransformRet bool          // export a cabi_post_transform that traps
	deadline         time.Duration // 0: testLimits.Deadline
	tableMin         uint32        // declare table 0 with this many elements (0: no table)
}

func (s spec) bytes() []byte {
	b := New()
	if s.importWASI {
		b.ImportFunc("wasi_snapshot_preview1", "fd_write", b.Type([]byte{I32, I32, I32, I32}, []byte{I32}))
	}
	tRealloc := b.Type([]byte{I32, I32, I32, I32}, []byte{I32})
	tDescribe := b.Type(nil, []byte{I32})
	params := s.transformParams
	if params == nil {
		params = []byte{I32, I32}
	}
	tTransform := b.Type(params, []byte{I32})
	memMin := s.memMin
	if memMin == 0 {
		memMin = 1
	}
	b.Memory(memMin, -1)
	hp := b.Global(I32, true, I32Const(heapStart)...)
	if s.tableMin != 0 {
		b.Table(s.tableMin)
	}

	// cabi_realloc(old, old_size, align, size): p = align_up(hp, align); hp = p + size; grow
	// memory to cover hp, trapping if it cannot.
	pageBytes := Cat(memSize, I32Const(16), i32Shl)
	realloc := b.Func(tRealloc, []byte{I32}, Cat(
		GlobalGet(hp), LocalGet(2), i32Add, I32Const(1), i32Sub, I32Const(0), LocalGet(2), i32Sub, i32And, LocalSet(4),
		LocalGet(4), LocalGet(3), i32Add, GlobalSet(hp),
		GlobalGet(hp), pageBytes, i32GtU, ifVoid,
		GlobalGet(hp), pageBytes, i32Sub, I32Const(65535), i32Add, I32Const(16), i32ShrU, memGrow,
		I32Const(-1), i32Eq, ifVoid, unreachable, end,
		end,
		LocalGet(4))...)
	desc := s.describe
	if desc == nil {
		desc = I32Const(areaDescribe)
	}
	describe := b.Func(tDescribe, nil, desc...)
	transform := b.Func(tTransform, s.locals, s.transform...)
	for _, h := range s.helpers {
		b.Func(b.Type(h.params, h.results), h.locals, h.code...)
	}
	if s.postTransformRet {
		b.Export("cabi_post_transform", ExportFunc, b.Func(b.Type([]byte{I32}, nil), nil, unreachable...))
	}
	for name, idx := range map[string]int{"cabi_realloc": realloc, "describe": describe, "transform": transform} {
		if !s.skipExports[name] {
			b.Export(name, ExportFunc, idx)
		}
	}
	if !s.skipExports["memory"] {
		b.Export("memory", ExportMemory, 0)
	}

	area := make([]byte, 24)
	binary.LittleEndian.PutUint32(area[0:], strName)
	binary.LittleEndian.PutUint32(area[4:], uint32(len(s.name)))
	binary.LittleEndian.PutUint32(area[8:], strVersion)
	binary.LittleEndian.PutUint32(area[12:], 3)
	binary.LittleEndian.PutUint32(area[16:], s.recordSize)
	binary.LittleEndian.PutUint32(area[20:], s.maxBatch)
	b.Data(areaDescribe, area)
	b.Data(strName, []byte(s.name))
	b.Data(strVersion, []byte("1.0"))
	b.Data(strMessage, []byte("bad record"))
	b.Data(strNotUTF8, []byte{0xff, 0xfe})
	return b.Bytes()
}

// invert returns every byte of the batch inverted (a loop over the batch, in place).
func invert(name string) spec {
	return spec{name: name, locals: []byte{I32}, transform: Cat(
		blockVoid, loopVoid,
		LocalGet(2), LocalGet(1), i32GeU, brIf(1),
		LocalGet(0), LocalGet(2), i32Add,
		LocalGet(0), LocalGet(2), i32Add, load8u(), I32Const(255), i32Xor, store8(0),
		LocalGet(2), I32Const(1), i32Add, LocalSet(2),
		br(0), end, end,
		okResult(LocalGet(0), LocalGet(1)))}
}

// callTree calls a loop-free function that calls itself twice, depth levels deep (2^(depth+1)
// calls), then echoes the batch.
func callTree(depth int32) spec {
	return spec{name: "calltree", transform: Cat(I32Const(depth), Call(3), drop, okResult(LocalGet(0), LocalGet(1))),
		helpers: []helper{{params: []byte{I32}, results: []byte{I32}, code: Cat(
			LocalGet(0), i32Eqz, ifI32, I32Const(1), elseOp,
			LocalGet(0), I32Const(1), i32Sub, Call(3),
			LocalGet(0), I32Const(1), i32Sub, Call(3), i32Add, end)}}}
}

// hostile are plugins that misbehave in transform, with the kind each must give. A stack
// overflow takes wazero ~0.1 s (stacks grow by copying, up to ~50 MB), and so does growing
// memory page by page; seconds under the race detector: the recursion and grow-bomb cases have
// a longer deadline so that they show their kind.
func hostile(maxOutput int) map[string]struct {
	spec spec
	kind string
} {
	type entry = struct {
		spec spec
		kind string
	}
	return map[string]entry{
		"infinite-loop": {spec{name: "loop", transform: Cat(loopVoid, br(0), end, I32Const(0))}, "timeout"},
		"call-tree":     {callTree(60), "timeout"},
		"unreachable":   {spec{name: "unreachable", transform: Cat(unreachable)}, "trap"},
		"div-by-zero":   {spec{name: "div", transform: Cat(I32Const(1), I32Const(0), i32DivS)}, "trap"},
		"recursion": {spec{name: "recursion", transform: Cat(Call(3), drop, okResult(LocalGet(0), LocalGet(1))),
			helpers: []helper{{results: []byte{I32}, code: Cat(Call(3), I32Const(1), i32Add)}}, deadline: 30 * time.Second}, "trap"},
		"grow-bomb": {spec{name: "grow", transform: Cat(loopVoid, I32Const(1), memGrow, I32Const(-1), i32Eq,
			ifVoid, unreachable, end, br(0), end, I32Const(0)), deadline: 30 * time.Second}, "memory"},
		"result-ptr-out-of-range": {spec{name: "badptr", transform: okResult(I32Const(-65536), I32Const(100))}, "protocol"},
		"result-len-over-cap": {spec{name: "badlen", memMin: uint32(maxOutput>>16) + 2,
			transform: okResult(LocalGet(0), I32Const(int32(maxOutput+1)))}, "memory"},
		"result-len-over-memory":   {spec{name: "badlen2", transform: okResult(LocalGet(0), I32Const(1<<30))}, "protocol"},
		"return-area-out-of-range": {spec{name: "badarea", transform: I32Const(-8)}, "protocol"},
		"return-area-misaligned":   {spec{name: "misaligned", transform: I32Const(areaResult + 4)}, "protocol"},
		"bad-discriminant": {spec{name: "baddisc", transform: Cat(I32Const(areaResult), I32Const(7), store8(0),
			I32Const(areaResult))}, "protocol"},
		"error-not-utf8": {spec{name: "badutf8", transform: errResult(strNotUTF8, 2, -1)}, "protocol"},
		"table-grow-bomb": {spec{name: "tablegrow", tableMin: 1, transform: Cat(
			[]byte{0xd0, 0x70}, I32Const(1<<30), []byte{0xfc, 15, 0}, // table.grow(null, 2^30)
			I32Const(-1), i32Eq, ifVoid, unreachable, end, I32Const(0))}, "trap"},
		"post-return-trap": {spec{name: "post", transform: okResult(LocalGet(0), LocalGet(1)), postTransformRet: true}, "trap"},
	}
}
