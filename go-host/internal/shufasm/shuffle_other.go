//go:build !amd64

package shufasm

// No assembly here: Supported reports false and the callers use internal/purego.
var level = levelNone

func blockLen() int { return 1 }

func shuffleBlocks(dst, src *byte, n, blocks, elemSize int)   { panic("shufasm: no assembly") }
func unshuffleBlocks(dst, src *byte, n, blocks, elemSize int) { panic("shufasm: no assembly") }
