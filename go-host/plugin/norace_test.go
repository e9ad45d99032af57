//go:build !race

package plugin_test

// Without the race detector the hostile suite's bounds hold as limits.json states them.
const (
	raceLoadFactor   = 1
	raceMemoryFactor = 1
	raceStallChecked = true
)
