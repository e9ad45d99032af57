//go:build race

package main

// raceEnabled makes TestMain build the binary with -race too, so that the processes the
// tests run are checked by the race detector.
func init() { raceEnabled = true }
