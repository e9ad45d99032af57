//go:build race

package plugin_test

// Under the race detector wazero's compiler (Go code) runs up to 10 times slower (measured
// on 2 loaded cores), every allocation has shadow memory, and the runtime's own work is slow
// enough to show as stalls, so the hostile suite scales its load-time and memory bounds by
// these factors and does not hold its stall bound; the run without it (just test runs both)
// checks every bound as stated.
const (
	raceLoadFactor   = 10
	raceMemoryFactor = 4
	raceStallChecked = false
)
