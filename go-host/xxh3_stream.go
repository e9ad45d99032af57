package binpipe

import (
	"encoding/binary"
	"hash"

	"github.com/binpipe/binpipe/go-host/internal/purego"
)

// XXH3State is a streaming XXH3 64-bit hash (xxHash 0.8 specification): written in any
// pieces, its Sum64 equals XXH3 of all the bytes written, with the same seed.
//
//	h := binpipe.NewXXH3(0)
//	_, _ = io.Copy(h, r) // any size of input, in memory of a few hundred bytes
//	sum := h.Sum64()      // == binpipe.XXH3(everything read from r, 0)
//
// It implements hash.Hash64 and runs in Go (no engine, no allocation after NewXXH3): a
// state holds at most 256 input bytes, taking each 64-byte stripe as soon as input follows
// it. It is not safe for concurrent use. The type is not named XXH3 because the one-shot
// function has that name.
type XXH3State struct {
	s    purego.XXH3State
	seed uint64
}

var _ hash.Hash64 = (*XXH3State)(nil)

// NewXXH3 returns a streaming XXH3 state for seed; seed 0 gives the plain XXH3_64bits hash.
func NewXXH3(seed uint64) *XXH3State {
	h := &XXH3State{seed: seed}
	h.s.Reset(seed)
	return h
}

// Write adds p to the input. It never fails: n is len(p) and err is nil.
func (h *XXH3State) Write(p []byte) (n int, err error) {
	h.s.Write(p)
	return len(p), nil
}

// Sum64 returns the hash of the bytes written since NewXXH3 or Reset, equal to
// XXH3(those bytes, seed). The state is unchanged: writing may go on.
func (h *XXH3State) Sum64() uint64 { return h.s.Sum64() }

// Sum appends the hash to b as 8 big-endian bytes (most significant first, the hash.Hash64
// convention, so hex of Sum(nil) reads as the %016x of Sum64) and returns the result. The
// state is unchanged.
func (h *XXH3State) Sum(b []byte) []byte { return binary.BigEndian.AppendUint64(b, h.s.Sum64()) }

// Reset forgets the input written so far; the seed stays the one given to NewXXH3.
func (h *XXH3State) Reset() { h.s.Reset(h.seed) }

// Size returns 8, the hash's length in bytes.
func (h *XXH3State) Size() int { return 8 }

// BlockSize returns 64, the XXH3 stripe. Write takes any length: each call copies at most
// a few hundred bytes, the rest is hashed in place.
func (h *XXH3State) BlockSize() int { return 64 }
