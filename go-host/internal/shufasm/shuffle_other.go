//go:build !amd64 || purego

package shufasm

// No assembly here (another GOARCH, or the purego build tag): Supported reports false and the callers use internal/purego.
var level = levelNone

// shuffleBody and unshuffleBody transform no elements here (never called: Supported is false).
func shuffleBody(dst, src []byte, n, elemSize int) int   { return 0 }
func unshuffleBody(dst, src []byte, n, elemSize int) int { return 0 }
