package binpipe

import (
	"bytes"
	"math"
	"strconv"

	"github.com/binpipe/binpipe/go-host/internal/purego"
)

// CountByte returns the number of bytes in data equal to needle.
func (e *Engine) CountByte(data []byte, needle byte) (int, error) {
	const kernel = "count-byte"
	if e.closed.Load() {
		return 0, ErrClosed
	}
	p := e.route(kCountByte, len(data), true)
	switch {
	case p == pathGo:
		return countByteGo(data, needle), nil
	case p.isNative():
		n, err := e.nk(p).CountByte(e.ctx, data, needle)
		return int(n), e.nativeErr(kernel, err)
	}
	var total uint64
	err := e.call(kernel, p, func(k kernels) error {
		c := e.chunk()
		for {
			n := min(len(data), c)
			v, err := k.CountByte(e.ctx, data[:n], needle)
			total += v
			if data = data[n:]; err != nil || len(data) == 0 {
				return err
			}
		}
	})
	return int(total), err
}

// countByteGo is bytes.Count for one byte (assembly on amd64 and arm64).
func countByteGo(data []byte, needle byte) int {
	return bytes.Count(data, []byte{needle})
}

// FindByte returns the offset of the first byte of data equal to needle, or -1 if there is
// none.
func (e *Engine) FindByte(data []byte, needle byte) (int, error) {
	const kernel = "find-byte"
	if e.closed.Load() {
		return 0, ErrClosed
	}
	p := e.route(kFindByte, len(data), true)
	switch {
	case p == pathGo:
		return bytes.IndexByte(data, needle), nil
	case p.isNative():
		v, ok, err := e.nk(p).FindByte(e.ctx, data, needle)
		return found(v, ok, e.nativeErr(kernel, err))
	}
	return e.find(kernel, p, data, func(k kernels, chunk []byte) (uint64, bool, error) {
		return k.FindByte(e.ctx, chunk, needle)
	})
}

// FindAny returns the offset of the first byte of data equal to any byte of needles, or -1 if
// there is none. needles must hold 1 to 16 bytes (duplicates allowed), else the error matches
// ErrInvalidArgument.
func (e *Engine) FindAny(data, needles []byte) (int, error) {
	const kernel = "find-any"
	if len(needles) < 1 || len(needles) > 16 {
		return 0, invalidArgument(kernel, "needles must hold 1 to 16 bytes, got "+strconv.Itoa(len(needles)))
	}
	if e.closed.Load() {
		return 0, ErrClosed
	}
	p := e.route(kFindAny, len(data), true)
	switch {
	case p == pathGo:
		return purego.FindAny(data, needles), nil
	case p.isNative():
		v, ok, err := e.nk(p).FindAny(e.ctx, data, needles)
		return found(v, ok, e.nativeErr(kernel, err))
	}
	return e.find(kernel, p, data, func(k kernels, chunk []byte) (uint64, bool, error) {
		return k.FindAny(e.ctx, chunk, needles)
	})
}

// found converts a native search's answer: the offset, or -1 if there is no match.
func found(v uint64, ok bool, err error) (int, error) {
	switch {
	case err != nil:
		return 0, err
	case !ok:
		return -1, nil
	}
	return int(v), nil
}

// find runs a first-match search chunk by chunk on the wasm path.
func (e *Engine) find(kernel string, p path, data []byte, f func(k kernels, chunk []byte) (uint64, bool, error)) (int, error) {
	at := -1
	err := e.call(kernel, p, func(k kernels) error {
		c := e.chunk()
		for off := 0; ; off += c {
			n := min(len(data)-off, c)
			v, ok, err := f(k, data[off:off+n])
			if err != nil {
				return err
			}
			if ok {
				at = off + int(v)
				return nil
			}
			if off+n == len(data) {
				return nil
			}
		}
	})
	if err != nil {
		return 0, err
	}
	return at, nil
}

// IndexByte appends to dst the offset of every byte of data equal to needle, ascending, and
// returns the extended slice. Offsets are uint32: data longer than math.MaxUint32 bytes is
// refused with an error matching ErrTooLarge (Offset 4294967295). On error dst is returned
// unchanged.
func (e *Engine) IndexByte(dst []uint32, data []byte, needle byte) ([]uint32, error) {
	const kernel = "index-byte"
	if uint64(len(data)) > math.MaxUint32 {
		return dst, &KernelError{Kernel: kernel, Kind: KindTooLarge, Offset: math.MaxUint32,
			Message: "offsets past 4 GiB do not fit in a uint32"}
	}
	if e.closed.Load() {
		return dst, ErrClosed
	}
	p := e.route(kIndexByte, len(data), true)
	switch {
	case p == pathGo:
		return purego.IndexByte(dst, data, needle), nil
	case p.isNative():
		out, err := e.nk(p).IndexByte(e.ctx, dst, data, needle, 0)
		return keep(dst, out, e.nativeErr(kernel, err))
	}
	out := dst
	err := e.call(kernel, p, func(k kernels) error {
		c := e.chunk()
		for off := 0; ; off += c {
			n := min(len(data)-off, c)
			var err error
			if out, err = k.IndexByte(e.ctx, out, data[off:off+n], needle, uint32(off)); err != nil {
				return err
			}
			if off+n == len(data) {
				return nil
			}
		}
	})
	if err != nil {
		return dst, err
	}
	return out, nil
}

// Mismatch returns the first offset at which a and b differ; if one is a strict prefix of the
// other, the shorter length; -1 if they are equal.
func (e *Engine) Mismatch(a, b []byte) (int, error) {
	const kernel = "mismatch"
	if e.closed.Load() {
		return 0, ErrClosed
	}
	p := e.route(kMismatch, min(len(a), len(b)), true)
	switch {
	case p == pathGo:
		return purego.Mismatch(a, b), nil
	case p.isNative():
		v, ok, err := e.nk(p).Mismatch(e.ctx, a, b)
		return found(v, ok, e.nativeErr(kernel, err))
	}
	at := -1
	err := e.call(kernel, p, func(k kernels) error {
		// Each chunk pair has equal lengths unless one side reaches its end, so a chunk's
		// answer (a difference, or the shorter length) is the answer for the whole.
		c := e.chunk()
		for off := 0; ; off += c {
			na, nb := min(len(a)-off, c), min(len(b)-off, c)
			v, ok, err := k.Mismatch(e.ctx, a[off:off+na], b[off:off+nb])
			if err != nil {
				return err
			}
			if ok {
				at = off + int(v)
				return nil
			}
			if na < c { // both ended, equal
				return nil
			}
		}
	})
	if err != nil {
		return 0, err
	}
	return at, nil
}

// CountByte returns the number of bytes in data equal to needle. It runs Go's bytes.Count,
// unless this CPU class's measured table (tuned.go) says native code is faster.
func CountByte(data []byte, needle byte) int {
	n, err := defaultEngine().CountByte(data, needle)
	if err != nil {
		return countByteGo(data, needle)
	}
	return n
}

// FindByte returns the offset of the first byte of data equal to needle, or -1 if there is
// none: bytes.IndexByte, which it runs unless this CPU class's measured table says native
// code is faster.
func FindByte(data []byte, needle byte) int {
	n, err := defaultEngine().FindByte(data, needle)
	if err != nil {
		return bytes.IndexByte(data, needle)
	}
	return n
}

// FindAny returns the offset of the first byte of data equal to any byte of needles, or -1 if
// there is none: bytes.IndexAny for bytes rather than runes, with 1 to 16 needles (else the
// error matches ErrInvalidArgument).
//
//	i, err := binpipe.FindAny(line, []byte(",;\t\n")) // the first separator
func FindAny(data, needles []byte) (int, error) {
	n, err := defaultEngine().FindAny(data, needles)
	if retry(err) {
		return goEngine.FindAny(data, needles)
	}
	return n, err
}

// IndexByte appends to dst the offset of every byte of data equal to needle, ascending, and
// returns the extended slice. data longer than math.MaxUint32 bytes is refused with an error
// matching ErrTooLarge; on error dst is returned unchanged.
//
//	lines, err := binpipe.IndexByte(nil, text, '\n') // where every line ends
func IndexByte(dst []uint32, data []byte, needle byte) ([]uint32, error) {
	out, err := defaultEngine().IndexByte(dst, data, needle)
	if retry(err) {
		return goEngine.IndexByte(dst, data, needle)
	}
	return out, err
}

// Mismatch returns the first offset at which a and b differ; if one is a strict prefix of the
// other, the shorter length; -1 if they are equal.
//
//	binpipe.Mismatch([]byte("binpipe"), []byte("binary")) // 3
func Mismatch(a, b []byte) int {
	n, err := defaultEngine().Mismatch(a, b)
	if err != nil {
		n, _ = goEngine.Mismatch(a, b)
	}
	return n
}
