package plugin

import (
	"encoding/json"
	"os"
	"testing"
	"time"
)

// contractFile is the sandbox contract shared with the Rust host: every default limit by name.
const contractFile = "../../tests/plugins/limits.json"

// TestDefaultsMatchTheContract: the Go defaults are the contract's, name by name, and the
// contract names no limit the Go host lacks.
func TestDefaultsMatchTheContract(t *testing.T) {
	raw, err := os.ReadFile(contractFile)
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		Defaults map[string]uint64 `json:"defaults"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	l, err := Limits{}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	m := l.Module
	ours := map[string]uint64{
		"memory_pages":            uint64(l.MemoryPages),
		"deadline_ms":             uint64(l.Deadline / time.Millisecond),
		"max_output":              uint64(l.MaxOutput),
		"fuel":                    l.Fuel,
		"max_module_bytes":        uint64(m.MaxModuleBytes),
		"max_types":               uint64(m.MaxTypes),
		"max_params":              uint64(m.MaxParams),
		"max_results":             uint64(m.MaxResults),
		"max_functions":           uint64(m.MaxFunctions),
		"max_function_bytes":      uint64(m.MaxFunctionBytes),
		"max_locals_per_function": uint64(m.MaxLocalsPerFunction),
		"max_locals":              uint64(m.MaxLocals),
		"max_nesting":             uint64(m.MaxNesting),
		"max_br_table_targets":    uint64(m.MaxBrTableTargets),
		"max_function_blocks":     uint64(m.MaxFunctionBlocks),
		"max_blocks":              uint64(m.MaxBlocks),
		"max_globals":             uint64(m.MaxGlobals),
		"max_tables":              uint64(m.MaxTables),
		"max_table_elements":      uint64(m.MaxTableElements),
		"max_data_segments":       uint64(m.MaxDataSegments),
		"max_element_segments":    uint64(m.MaxElementSegments),
		"max_exports":             uint64(m.MaxExports),
		"max_error_message_bytes": maxMessage,
	}
	for name, want := range c.Defaults {
		got, ok := ours[name]
		if !ok {
			t.Errorf("%s: the contract names a limit the Go host lacks", name)
		} else if got != want {
			t.Errorf("%s: Go default %d, contract %d", name, got, want)
		}
	}
	for name := range ours {
		if _, ok := c.Defaults[name]; !ok {
			t.Errorf("%s: a Go limit missing from the contract", name)
		}
	}
}
