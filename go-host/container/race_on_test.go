//go:build race

package container

// raceEnabled is true under the race detector, which makes sync.Pool drop items on purpose (so
// pooled buffers are reallocated) and allocation counts say nothing.
const raceEnabled = true
