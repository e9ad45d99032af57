package binpipe

import (
	"github.com/binpipe/binpipe/go-host/internal/appendbuf"
	"strconv"

	"github.com/binpipe/binpipe/go-host/internal/purego"
)

// Alphabet is one of the two RFC 4648 base64 alphabets (the WIT codec.alphabet).
type Alphabet uint8

const (
	// AlphabetStandard is A-Z a-z 0-9 + / (RFC 4648 section 4), as base64.StdEncoding.
	AlphabetStandard Alphabet = iota
	// AlphabetURLSafe is A-Z a-z 0-9 - _ (RFC 4648 section 5), as base64.URLEncoding.
	AlphabetURLSafe
)

// String returns the WIT name: "standard" or "url-safe".
func (a Alphabet) String() string {
	switch a {
	case AlphabetStandard:
		return "standard"
	case AlphabetURLSafe:
		return "url-safe"
	}
	return "Alphabet(" + strconv.Itoa(int(a)) + ")"
}

// check refuses an Alphabet that is neither of the two.
func (a Alphabet) check(kernel string) error {
	if a > AlphabetURLSafe {
		return invalidArgument(kernel, "alphabet must be AlphabetStandard or AlphabetURLSafe, got "+a.String())
	}
	return nil
}

// HexEncode appends two hex digits per byte of src to dst, high nibble first, in a-f or, with
// uppercase, A-F, and returns the extended slice. src may alias dst's spare capacity.
func (e *Engine) HexEncode(dst, src []byte, uppercase bool) ([]byte, error) {
	const kernel = "hex-encode"
	if e.closed.Load() {
		return dst, ErrClosed
	}
	p := e.route(kHexEncode, len(src), true)
	switch {
	case p == pathGo:
		out, tail := appendbuf.Grow(dst, 2*len(src), src)
		purego.HexEncode(tail, src, uppercase)
		return appendbuf.Finish(out, tail, len(tail)), nil
	case p.isNative():
		out, err := e.nk(p).HexEncode(e.ctx, dst, src, uppercase)
		return keep(dst, out, e.nativeErr(kernel, err))
	}
	return e.bytesCall(kernel, p, dst, len(src), func(k kernels) ([]byte, error) {
		return k.HexEncode(e.ctx, dst, src, uppercase)
	})
}

// HexDecode appends to dst the bytes whose hex digits (0-9 a-f A-F, nothing else) are src, and
// returns the extended slice. A bad character is an error matching ErrInvalidData at its
// offset; an odd length is truncation, reported at len(src). On error dst is returned
// unchanged; src may alias dst's spare capacity (HexDecode(buf[:0], buf) decodes in place).
func (e *Engine) HexDecode(dst, src []byte) ([]byte, error) {
	const kernel = "hex-decode"
	if e.closed.Load() {
		return dst, ErrClosed
	}
	p := e.route(kHexDecode, len(src), true)
	switch {
	case p == pathGo:
		out, tail := appendbuf.Grow(dst, len(src)/2, src)
		n, bad := purego.HexDecode(tail, src)
		if bad >= 0 {
			return dst, invalidData(kernel, bad, "not a hex digit, or an odd number of digits")
		}
		return appendbuf.Finish(out, tail, n), nil
	case p.isNative():
		out, err := e.nk(p).HexDecode(e.ctx, dst, src)
		return keep(dst, out, e.nativeErr(kernel, err))
	}
	return e.bytesCall(kernel, p, dst, len(src), func(k kernels) ([]byte, error) {
		return k.HexDecode(e.ctx, dst, src)
	})
}

// Base64Encode appends the RFC 4648 base64 encoding of src in alphabet to dst and returns the
// extended slice; with padding the encoding is '='-padded to a multiple of 4 characters. An
// alphabet other than AlphabetStandard and AlphabetURLSafe is an error matching
// ErrInvalidArgument.
func (e *Engine) Base64Encode(dst, src []byte, alphabet Alphabet, padding bool) ([]byte, error) {
	const kernel = "base64-encode"
	if err := alphabet.check(kernel); err != nil {
		return dst, err
	}
	if e.closed.Load() {
		return dst, ErrClosed
	}
	urlSafe := alphabet == AlphabetURLSafe
	p := e.route(kBase64Encode, len(src), true)
	switch {
	case p == pathGo:
		out, tail := appendbuf.Grow(dst, (len(src)+2)/3*4, src)
		n := purego.Base64Encode(tail, src, urlSafe, padding)
		return appendbuf.Finish(out, tail, n), nil
	case p.isNative():
		out, err := e.nk(p).Base64Encode(e.ctx, dst, src, urlSafe, padding)
		return keep(dst, out, e.nativeErr(kernel, err))
	}
	return e.bytesCall(kernel, p, dst, len(src), func(k kernels) ([]byte, error) {
		return k.Base64Encode(e.ctx, dst, src, urlSafe, padding)
	})
}

// Base64Decode appends to dst the bytes whose strict RFC 4648 base64 encoding in alphabet is
// src: no whitespace; with padding the length is a multiple of 4 and the '=' padding exact,
// without it no '=' at all; unused trailing bits zero. Bad input is an error matching
// ErrInvalidData at the length of the longest prefix that could still be completed into a
// valid input (so a truncated input reports len(src)). On error dst is returned unchanged.
func (e *Engine) Base64Decode(dst, src []byte, alphabet Alphabet, padding bool) ([]byte, error) {
	const kernel = "base64-decode"
	if err := alphabet.check(kernel); err != nil {
		return dst, err
	}
	if e.closed.Load() {
		return dst, ErrClosed
	}
	urlSafe := alphabet == AlphabetURLSafe
	p := e.route(kBase64Decode, len(src), true)
	switch {
	case p == pathGo:
		out, tail := appendbuf.Grow(dst, (len(src)+3)/4*3, src)
		n, bad := purego.Base64Decode(tail, src, urlSafe, padding)
		if bad >= 0 {
			return dst, invalidData(kernel, bad, "not strict base64")
		}
		return appendbuf.Finish(out, tail, n), nil
	case p.isNative():
		out, err := e.nk(p).Base64Decode(e.ctx, dst, src, urlSafe, padding)
		return keep(dst, out, e.nativeErr(kernel, err))
	}
	return e.bytesCall(kernel, p, dst, len(src), func(k kernels) ([]byte, error) {
		return k.Base64Decode(e.ctx, dst, src, urlSafe, padding)
	})
}

// VarintEncode appends the unsigned LEB128 (protobuf varint) encoding of every value, shortest
// form, to dst and returns the extended slice.
func (e *Engine) VarintEncode(dst []byte, values []uint64) ([]byte, error) {
	const kernel = "varint-encode"
	if e.closed.Load() {
		return dst, ErrClosed
	}
	n := len(values) * 8
	p := e.route(kVarintEncode, n, true)
	switch {
	case p == pathGo:
		return purego.VarintEncode(dst, values), nil
	case p.isNative():
		out, err := e.nk(p).VarintEncode(e.ctx, dst, values)
		return keep(dst, out, e.nativeErr(kernel, err))
	}
	return e.bytesCall(kernel, p, dst, n, func(k kernels) ([]byte, error) {
		return k.VarintEncode(e.ctx, dst, values)
	})
}

// VarintDecode appends to dst the values of the consecutive unsigned LEB128 varints in src
// (non-shortest forms accepted) and returns the extended slice. An 11th byte, or a value above
// math.MaxUint64, is an error matching ErrInvalidData at the offending byte; a varint cut off by
// the end of src is reported at len(src). On error dst is returned unchanged.
func (e *Engine) VarintDecode(dst []uint64, src []byte) ([]uint64, error) {
	const kernel = "varint-decode"
	if e.closed.Load() {
		return dst, ErrClosed
	}
	p := e.route(kVarintDecode, len(src), true)
	switch {
	case p == pathGo:
		out, bad := purego.VarintDecode(dst, src)
		if bad >= 0 {
			return dst, invalidData(kernel, bad, "malformed varint")
		}
		return out, nil
	case p.isNative():
		out, err := e.nk(p).VarintDecode(e.ctx, dst, src)
		return keep(dst, out, e.nativeErr(kernel, err))
	}
	if err := e.fits(kernel, len(src)); err != nil {
		return dst, err
	}
	out := dst
	err := e.call(kernel, p, func(k kernels) (err error) {
		out, err = k.VarintDecode(e.ctx, dst, src)
		return err
	})
	if err != nil {
		return dst, err
	}
	return out, nil
}

// bytesCall runs a kernel with a []byte result on the wasm path p, whose input of n bytes
// cannot be split; on error it returns dst unchanged.
func (e *Engine) bytesCall(kernel string, p path, dst []byte, n int, f func(k kernels) ([]byte, error)) ([]byte, error) {
	if err := e.fits(kernel, n); err != nil {
		return dst, err
	}
	out := dst
	err := e.call(kernel, p, func(k kernels) (err error) {
		out, err = f(k)
		return err
	})
	if err != nil {
		return dst, err
	}
	return out, nil
}

// HexEncode appends two lowercase (or, with uppercase, uppercase) hex digits per byte of src
// to dst and returns the extended slice, like hex.AppendEncode.
//
//	s := binpipe.HexEncode(nil, []byte{0xca, 0xfe}, false) // "cafe"
func HexEncode(dst, src []byte, uppercase bool) []byte {
	out, err := defaultEngine().HexEncode(dst, src, uppercase)
	if err != nil {
		out, _ = goEngine.HexEncode(dst, src, uppercase)
	}
	return out
}

// HexDecode appends to dst the bytes whose hex digits (0-9 a-f A-F only) are src and returns
// the extended slice. A bad digit is an error matching ErrInvalidData whose *KernelError
// Offset is the digit's offset; an odd length reports len(src). On error dst is returned
// unchanged.
//
//	b, err := binpipe.HexDecode(nil, []byte("CAFE")) // []byte{0xca, 0xfe}
func HexDecode(dst, src []byte) ([]byte, error) {
	out, err := defaultEngine().HexDecode(dst, src)
	if retry(err) {
		return goEngine.HexDecode(dst, src)
	}
	return out, err
}

// Base64Encode appends the RFC 4648 base64 encoding of src in alphabet to dst ('='-padded to a
// multiple of 4 characters if padding) and returns the extended slice, like
// base64.StdEncoding.AppendEncode. An alphabet other than AlphabetStandard and AlphabetURLSafe
// returns dst unchanged.
//
//	s := binpipe.Base64Encode(nil, []byte("hi"), binpipe.AlphabetStandard, true) // "aGk="
func Base64Encode(dst, src []byte, alphabet Alphabet, padding bool) []byte {
	out, err := defaultEngine().Base64Encode(dst, src, alphabet, padding)
	if retry(err) {
		out, _ = goEngine.Base64Encode(dst, src, alphabet, padding)
	}
	return out
}

// Base64Decode appends to dst the bytes whose strict RFC 4648 base64 encoding in alphabet is
// src, and returns the extended slice. Strict: no whitespace; with padding the length is a
// multiple of 4 and the '=' padding exact, without it no '='; unused trailing bits zero. Bad
// input is an error matching ErrInvalidData at the length of the longest prefix that could
// still be completed (a truncated input reports len(src)). On error dst is returned unchanged.
//
//	b, err := binpipe.Base64Decode(nil, []byte("aGk="), binpipe.AlphabetStandard, true) // "hi"
func Base64Decode(dst, src []byte, alphabet Alphabet, padding bool) ([]byte, error) {
	out, err := defaultEngine().Base64Decode(dst, src, alphabet, padding)
	if retry(err) {
		return goEngine.Base64Decode(dst, src, alphabet, padding)
	}
	return out, err
}

// VarintEncode appends the unsigned LEB128 (protobuf varint) encoding of every value, shortest
// form, to dst and returns the extended slice, like repeated binary.AppendUvarint.
func VarintEncode(dst []byte, values []uint64) []byte {
	out, err := defaultEngine().VarintEncode(dst, values)
	if err != nil {
		out, _ = goEngine.VarintEncode(dst, values)
	}
	return out
}

// VarintDecode appends to dst the values of the consecutive unsigned LEB128 varints in src and
// returns the extended slice. A varint of more than 10 bytes or above math.MaxUint64 is an
// error matching ErrInvalidData at the offending byte; one cut off by the end of src reports
// len(src). On error dst is returned unchanged.
//
//	values, err := binpipe.VarintDecode(nil, []byte{0x96, 0x01, 0x05}) // [150 5]
func VarintDecode(dst []uint64, src []byte) ([]uint64, error) {
	out, err := defaultEngine().VarintDecode(dst, src)
	if retry(err) {
		return goEngine.VarintDecode(dst, src)
	}
	return out, err
}
