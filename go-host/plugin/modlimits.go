package plugin

import (
	"fmt"
	"reflect"

	"github.com/binpipe/binpipe/go-host/plugin/internal/wasmbin"
)

// ModuleLimits bound the structure of a plugin module: what it may make the host allocate
// and compute outside its linear memory, and how long compiling it may take, whatever the
// module's size in bytes. Load checks them before compiling (KindLoad otherwise). A zero
// field means its default (tests/plugins/limits.json holds the defaults shared with the Rust
// host, and docs/plugins.md why each is what it is).
type ModuleLimits struct {
	MaxModuleBytes       uint32 // the module's size (default 8 MiB)
	MaxTypes             uint32 // function types (default 10000)
	MaxParams            uint32 // parameters of one function type (default 1000)
	MaxResults           uint32 // results of one function type (default 1000)
	MaxFunctions         uint32 // functions (default 20000)
	MaxFunctionBytes     uint32 // bytes of one function body (default 1 MiB)
	MaxLocalsPerFunction uint32 // locals one function declares (default 50000)
	MaxLocals            uint32 // locals all functions declare together (default 10^6; 8 bytes each in wazero)
	MaxNesting           uint32 // block/loop/if nesting depth in a body (default 1024)
	MaxBrTableTargets    uint32 // labels of one br_table, default included (default 4096)
	// MaxFunctionBlocks bounds the control points of one function (block, if, else, br_if:
	// 1; loop, each bulk memory or table instruction, memory.grow, table.grow: 4; br_table:
	// its labels), MaxBlocks those of all functions: wazero's compile time grows with their
	// square per function (defaults 4096 and 32768).
	MaxFunctionBlocks, MaxBlocks uint32
	MaxGlobals                   uint32 // globals (default 10000)
	MaxTables                    uint32 // tables (default 16)
	// MaxTableElements bounds the elements of all tables together, initially and after any
	// table.grow, which fails beyond it (default 65536; 8 bytes an element in wazero).
	MaxTableElements   uint32
	MaxDataSegments    uint32 // data segments (default 10000)
	MaxElementSegments uint32 // element segments (default 10000)
	MaxExports         uint32 // exports (default 10000)
}

// DefaultModuleLimits are the defaults of ModuleLimits.
var DefaultModuleLimits = ModuleLimits{
	MaxModuleBytes:       8 << 20,
	MaxTypes:             10_000,
	MaxParams:            1000,
	MaxResults:           1000,
	MaxFunctions:         20_000,
	MaxFunctionBytes:     1 << 20,
	MaxLocalsPerFunction: 50_000,
	MaxLocals:            1_000_000,
	MaxNesting:           1024,
	MaxBrTableTargets:    4096,
	MaxFunctionBlocks:    4096,
	MaxBlocks:            32768,
	MaxGlobals:           10_000,
	MaxTables:            16,
	MaxTableElements:     65536,
	MaxDataSegments:      10_000,
	MaxElementSegments:   10_000,
	MaxExports:           10_000,
}

// withDefaults fills zero fields from DefaultModuleLimits.
func (l ModuleLimits) withDefaults() ModuleLimits {
	v, d := reflect.ValueOf(&l).Elem(), reflect.ValueOf(DefaultModuleLimits)
	for i := 0; i < v.NumField(); i++ {
		if v.Field(i).IsZero() {
			v.Field(i).Set(d.Field(i))
		}
	}
	return l
}

// bounds converts the limits to the rewriter's.
func (l ModuleLimits) bounds() wasmbin.Bounds {
	return wasmbin.Bounds{
		Types: l.MaxTypes, Params: l.MaxParams, Results: l.MaxResults,
		Functions: l.MaxFunctions, FunctionBytes: l.MaxFunctionBytes,
		LocalsPerFunction: l.MaxLocalsPerFunction, Locals: l.MaxLocals,
		Nesting: l.MaxNesting, BrTableTargets: l.MaxBrTableTargets,
		FunctionBlocks: l.MaxFunctionBlocks, Blocks: l.MaxBlocks, Globals: l.MaxGlobals,
		Tables: l.MaxTables, TableElements: l.MaxTableElements,
		DataSegments: l.MaxDataSegments, ElementSegments: l.MaxElementSegments, Exports: l.MaxExports,
	}
}

// checkSize refuses a module larger than MaxModuleBytes.
func (l ModuleLimits) checkSize(n int) error {
	if uint64(n) > uint64(l.MaxModuleBytes) {
		return loadErr("", fmt.Sprintf("the module is %d bytes; the limit is %d", n, l.MaxModuleBytes), nil)
	}
	return nil
}
