package binpipe

import (
	"strconv"

	"github.com/binpipe/binpipe/go-host/internal/purego"
)

// UTF8Error reports why data is not UTF-8, exactly as Rust's core::str::Utf8Error does (the
// WIT validate.utf8-error). It matches ErrInvalidData with errors.Is.
type UTF8Error struct {
	// ValidUpTo is the length of the longest valid UTF-8 prefix.
	ValidUpTo int
	// ErrorLen is the length (1 to 3) of the invalid sequence at ValidUpTo, or 0 when the
	// input ends inside a sequence that more bytes could still complete.
	ErrorLen int
}

// Error describes the invalid sequence and where it starts.
func (e *UTF8Error) Error() string {
	at := strconv.Itoa(e.ValidUpTo)
	if e.ErrorLen == 0 {
		return "binpipe: utf8-validate: incomplete UTF-8 sequence at the end of the input, from offset " + at
	}
	return "binpipe: utf8-validate: invalid UTF-8 sequence of " + strconv.Itoa(e.ErrorLen) + " bytes at offset " + at
}

// Unwrap returns ErrInvalidData.
func (e *UTF8Error) Unwrap() error { return ErrInvalidData }

// Is reports whether target is ErrInvalidData.
func (e *UTF8Error) Is(target error) bool { return target == ErrInvalidData }

// utf8Error builds the result of a validation that stopped at validUpTo with status (the
// fast-path encoding: 0 valid, 1 to 3 the error length, 4 unfinished).
func utf8Error(validUpTo uint64, status uint32) error {
	switch status {
	case 0:
		return nil
	case 4:
		return &UTF8Error{ValidUpTo: int(validUpTo)}
	}
	return &UTF8Error{ValidUpTo: int(validUpTo), ErrorLen: int(status)}
}

// UTF8Validate returns nil if data is UTF-8, else a *UTF8Error: exactly the verdict of Rust's
// core::str::from_utf8 (and of Go's utf8.Valid, which agrees on which inputs are valid).
// Other errors are ErrClosed and ErrTrap.
func (e *Engine) UTF8Validate(data []byte) error {
	const kernel = "utf8-validate"
	if e.closed.Load() {
		return ErrClosed
	}
	p := e.route(kUTF8Validate, len(data), true)
	base := 0
	if p == pathWasm && e.cfg.backend == BackendAuto {
		// Go's word-at-a-time ASCII scan beats the module on ASCII (utf8ValidateWasmMin):
		// validate the ASCII prefix in Go, the rest (from a character boundary) by size.
		base = purego.ASCIIPrefix(data)
		data = data[base:]
		p = e.route(kUTF8Validate, len(data), true)
	}
	switch {
	case p == pathGo:
		upTo, errLen := purego.UTF8Validate(data)
		if upTo == len(data) {
			return nil
		}
		return &UTF8Error{ValidUpTo: base + upTo, ErrorLen: errLen}
	case p.isNative():
		upTo, status, err := e.nk(p).UTF8Validate(e.ctx, data)
		if err != nil {
			return e.nativeErr(kernel, err)
		}
		return utf8Error(uint64(base)+upTo, status)
	}
	upTo, status := uint64(base), uint32(0)
	err := e.call(kernel, p, func(k kernels) error {
		// A chunk that ends inside a sequence is validated again from that sequence's start;
		// it is at most 3 bytes long and a chunk at least 4, so every chunk makes progress.
		c := e.chunk()
		for off := 0; ; {
			n := min(len(data)-off, c)
			v, st, err := k.UTF8Validate(e.ctx, data[off:off+n])
			if err != nil {
				return err
			}
			switch {
			case st == 0 && off+n == len(data):
				return nil
			case st == 0:
				off += n
			case st == 4 && off+n < len(data):
				off += int(v)
			default:
				upTo, status = upTo+uint64(off)+v, st
				return nil
			}
		}
	})
	if err != nil {
		return err
	}
	return utf8Error(upTo, status)
}

// ASCIIPrefix returns the length of the longest prefix of data whose bytes are all below 0x80.
func (e *Engine) ASCIIPrefix(data []byte) (int, error) {
	const kernel = "ascii-prefix"
	if e.closed.Load() {
		return 0, ErrClosed
	}
	p := e.route(kASCIIPrefix, len(data), true)
	switch {
	case p == pathGo:
		return purego.ASCIIPrefix(data), nil
	case p.isNative():
		n, err := e.nk(p).ASCIIPrefix(e.ctx, data)
		return int(n), e.nativeErr(kernel, err)
	}
	total := 0
	err := e.call(kernel, p, func(k kernels) error {
		c := e.chunk()
		for {
			n := min(len(data), c)
			v, err := k.ASCIIPrefix(e.ctx, data[:n])
			if err != nil {
				return err
			}
			total += int(v)
			if int(v) < n || n == len(data) {
				return nil
			}
			data = data[n:]
		}
	})
	return total, err
}

// UTF8Validate returns nil if data is UTF-8, else a *UTF8Error saying where and why it is not,
// with exactly the verdict of Rust's core::str::from_utf8.
//
//	if err := binpipe.UTF8Validate(b); err != nil {
//		var u *binpipe.UTF8Error
//		errors.As(err, &u) // u.ValidUpTo bytes are valid
//	}
func UTF8Validate(data []byte) error {
	err := defaultEngine().UTF8Validate(data)
	if retry(err) {
		return goEngine.UTF8Validate(data)
	}
	return err
}

// ASCIIPrefix returns the length of the longest prefix of data whose bytes are all below 0x80
// (len(data) if data is ASCII).
func ASCIIPrefix(data []byte) int {
	n, err := defaultEngine().ASCIIPrefix(data)
	if err != nil {
		n, _ = goEngine.ASCIIPrefix(data)
	}
	return n
}
