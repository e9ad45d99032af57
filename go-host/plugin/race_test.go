//go:build race

package plugin_test

// Under the race detector wazero's compiler (Go code) runs up to 8 times slower (measured on 2 loaded cores) and every
// allocation has shadow memory, so the hostile suite's load-time and memory bounds are
// scaled by these factors; the run without it (just test runs both) checks them as stated.
const (
	raceLoadFactor   = 8
	raceMemoryFactor = 4
)
