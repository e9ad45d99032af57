package plugin

import (
	"encoding/json"
	"os"
	"testing"
)

// TestWASIDefaultsMatchTheContract: the minimal WASI's bounds and module-limit defaults are
// the contract's "wasi" object, name by name.
func TestWASIDefaultsMatchTheContract(t *testing.T) {
	raw, err := os.ReadFile(contractFile)
	if err != nil {
		t.Fatal(err)
	}
	var c struct {
		WASI map[string]uint64 `json:"wasi"`
	}
	if err := json.Unmarshal(raw, &c); err != nil {
		t.Fatal(err)
	}
	l, err := Limits{WASI: true}.withDefaults()
	if err != nil {
		t.Fatal(err)
	}
	ours := map[string]uint64{
		"max_data_segments": uint64(l.Module.MaxDataSegments),
		"max_blocks":        uint64(l.Module.MaxBlocks),
		"max_log_bytes":     wasiLogBytes,
		"max_iovecs":        wasiMaxIovecs,
		"max_subscriptions": wasiMaxSubscriptions,
	}
	if len(c.WASI) != len(ours) {
		t.Errorf("contract wasi %v, Go host %v", c.WASI, ours)
	}
	for name, want := range c.WASI {
		if got, ok := ours[name]; !ok || got != want {
			t.Errorf("%s: Go %d (known: %v), contract %d", name, got, ok, want)
		}
	}
	plain, _ := Limits{}.withDefaults()
	if plain.Module.MaxBlocks == l.Module.MaxBlocks {
		t.Error("without WASI the module limits must stay the plain defaults")
	}
}
