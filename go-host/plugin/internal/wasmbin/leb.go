package wasmbin

import (
	"fmt"
	"unicode/utf8"
)

// reader walks a byte slice and remembers how far it got, so every error can say where.
// base is the offset of buf[0] in the whole module, for error messages.
type reader struct {
	buf  []byte
	pos  int
	base int
}

// errAt is a *FormatError at the reader's current position.
func (r *reader) errAt(format string, args ...any) error {
	return &FormatError{Offset: r.base + r.pos, Msg: fmt.Sprintf(format, args...)}
}

// done reports whether every byte has been read.
func (r *reader) done() bool { return r.pos >= len(r.buf) }

// byte reads one byte.
func (r *reader) byte() (byte, error) {
	if r.pos >= len(r.buf) {
		return 0, r.errAt("unexpected end")
	}
	b := r.buf[r.pos]
	r.pos++
	return b, nil
}

// bytes reads n bytes (aliasing the input).
func (r *reader) bytes(n uint64) ([]byte, error) {
	if n > uint64(len(r.buf)-r.pos) {
		return nil, r.errAt("%d bytes announced, %d left", n, len(r.buf)-r.pos)
	}
	b := r.buf[r.pos : r.pos+int(n)]
	r.pos += int(n)
	return b, nil
}

// uleb reads an unsigned LEB128 number of at most bits bits, rejecting encodings longer than
// ceil(bits/7) bytes and unused high bits in the last byte, as the spec does.
func (r *reader) uleb(bits uint) (uint64, error) {
	var v uint64
	maxBytes := (bits + 6) / 7
	for i := uint(0); ; i++ {
		b, err := r.byte()
		if err != nil {
			return 0, err
		}
		if i == maxBytes-1 {
			rest := bits - 7*i // value bits the last byte may carry
			if b&0x80 != 0 || (rest < 7 && b>>rest != 0) {
				return 0, r.errAt("integer too long for u%d", bits)
			}
		}
		v |= uint64(b&0x7f) << (7 * i)
		if b&0x80 == 0 {
			return v, nil
		}
	}
}

// u32 reads an unsigned LEB128 u32.
func (r *reader) u32() (uint32, error) {
	v, err := r.uleb(32)
	return uint32(v), err
}

// count reads the length of a vector whose entries take at least one byte each, refusing a
// count larger than the bytes left: wazero allocates by such counts before reading entries.
func (r *reader) count() (uint32, error) {
	n, err := r.u32()
	if err == nil && uint64(n) > uint64(len(r.buf)-r.pos) {
		err = r.errAt("%d entries announced in %d bytes", n, len(r.buf)-r.pos)
	}
	return n, err
}

// valType reads a value type of WebAssembly 2.0 but externref (i32, i64, f32, f64, v128,
// funcref). The typed-reference encodings of later proposals take more bytes, and wazero
// reads them: refusing them keeps this decoder and wazero's reading the same bytes.
func (r *reader) valType() (byte, error) {
	t, err := r.byte()
	if err == nil && !isValType(t) {
		r.pos--
		err = r.typeErr("value", t)
	}
	return t, err
}

// refType reads a reference type: funcref, the only one the hosts support.
func (r *reader) refType() (byte, error) {
	t, err := r.byte()
	if err == nil && t != funcRef {
		r.pos--
		err = r.typeErr("reference", t)
	}
	return t, err
}

// typeErr refuses the value or reference type t at the reader's position.
func (r *reader) typeErr(what string, t byte) error {
	if t == externRef {
		return r.errAt("externref is not supported: only funcref (the Rust host's wasmtime has no garbage collector for externref)")
	}
	return r.errAt("unsupported %s type %#x", what, t)
}

// valTypes skips vec(valtype) and returns its length.
func (r *reader) valTypes() (uint32, error) {
	n, err := r.count()
	for i := uint32(0); err == nil && i < n; i++ {
		_, err = r.valType()
	}
	return n, err
}

// sleb reads a signed LEB128 number of at most bits bits (32, 33 or 64), rejecting overlong
// encodings and last bytes whose unused bits are not the sign extension.
func (r *reader) sleb(bits uint) (int64, error) {
	var v int64
	maxBytes := (bits + 6) / 7
	var shift uint
	for i := uint(0); ; i++ {
		b, err := r.byte()
		if err != nil {
			return 0, err
		}
		if i == maxBytes-1 {
			if b&0x80 != 0 {
				return 0, r.errAt("integer too long for s%d", bits)
			}
			// The bits above the value's width (bits - 7*i - 1 sign bit) must copy the sign.
			used := bits - 7*i
			if used < 7 {
				hi := int8(b<<1) >> (used) // the top 7-used bits with the sign bit, sign-extended
				if hi != 0 && hi != -1 {
					return 0, r.errAt("integer too large for s%d", bits)
				}
			}
		}
		v |= int64(b&0x7f) << shift
		shift += 7
		if b&0x80 == 0 {
			if shift < 64 && b&0x40 != 0 {
				v |= -1 << shift
			}
			return v, nil
		}
	}
}

// name reads a length-prefixed name, which must be valid UTF-8.
func (r *reader) name() (string, error) {
	n, err := r.u32()
	if err != nil {
		return "", err
	}
	at := r.pos
	b, err := r.bytes(uint64(n))
	if err == nil && !utf8.Valid(b) {
		r.pos = at
		err = r.errAt("name is not valid UTF-8")
	}
	return string(b), err
}

// appendU32 appends v as unsigned LEB128.
func appendU32(dst []byte, v uint32) []byte {
	for v >= 0x80 {
		dst = append(dst, byte(v)|0x80)
		v >>= 7
	}
	return append(dst, byte(v))
}

// appendS64 appends v as signed LEB128.
func appendS64(dst []byte, v int64) []byte {
	for {
		b := byte(v & 0x7f)
		v >>= 7
		if (v == 0 && b&0x40 == 0) || (v == -1 && b&0x40 != 0) {
			return append(dst, b)
		}
		dst = append(dst, b|0x80)
	}
}

// appendName appends a length-prefixed string.
func appendName(dst []byte, s string) []byte {
	return append(appendU32(dst, uint32(len(s))), s...)
}
