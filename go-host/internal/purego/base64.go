package purego

import (
	"encoding/base64"
	"encoding/binary"
)

// The two RFC 4648 alphabets, indexed by 6-bit value.
const (
	base64Std = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
	base64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
)

// base64Values maps every byte to its value in an alphabet, or 0xFF (`=` included).
func base64Values(alphabet string) (t [256]byte) {
	for i := range t {
		t[i] = 0xFF
	}
	for i := range 64 {
		t[alphabet[i]] = byte(i)
	}
	return t
}

var (
	base64StdValues = base64Values(base64Std)
	base64URLValues = base64Values(base64URL)
)

// base64Encoding is the standard library's encoding for an alphabet and padding choice.
func base64Encoding(urlSafe, padding bool) *base64.Encoding {
	switch {
	case urlSafe && padding:
		return base64.URLEncoding
	case urlSafe:
		return base64.RawURLEncoding
	case padding:
		return base64.StdEncoding
	default:
		return base64.RawStdEncoding
	}
}

// Base64Encode writes the RFC 4648 base64 encoding of src to dst and returns its length: the
// standard alphabet or (urlSafe) the URL-safe one, `=`-padded to a multiple of 4 characters
// if padding. len(dst) must be at least that length (4*ceil(n/3) padded, ceil(4n/3) not).
//
//	n := purego.Base64Encode(dst, []byte{0xfb, 0xff}, true, false) // dst[:n] is "-_8"
//
// It is encoding/base64's Encode.
func Base64Encode(dst, src []byte, urlSafe, padding bool) int {
	enc := base64Encoding(urlSafe, padding)
	enc.Encode(dst, src)
	return enc.EncodedLen(len(src))
}

// Base64Decode strictly decodes base64 in the standard or (urlSafe) URL-safe alphabet into
// dst, which must hold 3*ceil(len(src)/4) bytes, and returns the number of bytes written and
// -1. On invalid input it returns 0 and the error offset (dst then holds unspecified bytes).
//
//	n, off := purego.Base64Decode(dst, []byte("+/8="), false, true) // dst[:n] is {0xfb, 0xff}
//	_, off = purego.Base64Decode(dst, []byte("+/8="), false, false) // off is 3: `=` unpadded
//
// Strict means the kernel contract (binpipe-kernels' base64 module documents the rules):
// characters of the alphabet only — no whitespace, not even the \r and \n that
// encoding/base64 skips in every mode; with padding, a length that is a multiple of 4 and
// exact `=` padding; without, no `=`; zero unused bits in the last character. The offset is
// the length of the longest prefix that can still be extended to valid input (see
// base64FirstError).
//
// The decoder reads 8 characters into one 64-bit word per step (the table and word assembly
// encoding/base64 uses), notes any character outside the alphabet, and on the first bad
// group lets base64FirstError find the exact offset.
func Base64Decode(dst, src []byte, urlSafe, padding bool) (n int, errOffset int) {
	values := &base64StdValues
	if urlSafe {
		values = &base64URLValues
	}
	// Every group of 4 before the final group (the last 1 to 4 characters) is 4 characters
	// of the alphabet.
	final := 0
	if len(src) > 0 {
		final = (len(src) - 1) / 4 * 4
	}
	dst = dst[:(len(src)+3)/4*3]
	i, o := 0, 0
	for ; i+8 <= final && o+8 <= len(dst); i, o = i+8, o+6 {
		s := src[i : i+8 : i+8]
		a, b, c, d := values[s[0]], values[s[1]], values[s[2]], values[s[3]]
		e, f, g, h := values[s[4]], values[s[5]], values[s[6]], values[s[7]]
		if (a|b|c|d|e|f|g|h)&0xC0 != 0 {
			return 0, base64FirstError(src, values, padding)
		}
		binary.BigEndian.PutUint64(dst[o:], uint64(a)<<58|uint64(b)<<52|uint64(c)<<46|
			uint64(d)<<40|uint64(e)<<34|uint64(f)<<28|uint64(g)<<22|uint64(h)<<16)
	}
	for ; i < final; i, o = i+4, o+3 {
		s := src[i : i+4 : i+4]
		a, b, c, d := values[s[0]], values[s[1]], values[s[2]], values[s[3]]
		if (a|b|c|d)&0xC0 != 0 {
			return 0, base64FirstError(src, values, padding)
		}
		v := uint32(a)<<18 | uint32(b)<<12 | uint32(c)<<6 | uint32(d)
		dst[o], dst[o+1], dst[o+2] = byte(v>>16), byte(v>>8), byte(v)
	}
	last := src[final:]
	if padding && len(last) == 4 {
		// Up to two `=` end the final group; the characters before them carry the data.
		switch {
		case last[2] == '=' && last[3] == '=':
			last = last[:2]
		case last[3] == '=':
			last = last[:3]
		}
	} else if padding && len(last) != 0 {
		return 0, base64FirstError(src, values, padding)
	}
	var v uint32
	for _, ch := range last {
		x := values[ch]
		if x == 0xFF {
			return 0, base64FirstError(src, values, padding)
		}
		v = v<<6 | uint32(x)
	}
	switch len(last) {
	case 0:
	case 2:
		if v&0x0F != 0 {
			return 0, base64FirstError(src, values, padding)
		}
		dst[o] = byte(v >> 4)
		o++
	case 3:
		if v&0x03 != 0 {
			return 0, base64FirstError(src, values, padding)
		}
		dst[o], dst[o+1] = byte(v>>10), byte(v>>2)
		o += 2
	case 4:
		dst[o], dst[o+1], dst[o+2] = byte(v>>16), byte(v>>8), byte(v)
		o += 3
	default:
		return 0, base64FirstError(src, values, padding)
	}
	return o, -1
}

// base64FirstError is the offset of the first violation of the strict decoding rules in src,
// character by character (the decoder calls it only for invalid input; for valid input it
// returns -1). The offset is the length of the longest prefix that can still be extended to
// valid input:
//   - a byte outside the alphabet (`=` too, without padding): its offset;
//   - with padding, `=` first or second in a group of 4, or after a character whose unused
//     bits are not zero (the second of `xx==`, the third of `xxx=`): the offset of that `=`;
//   - with padding, anything after a group that ends in `=`: its offset;
//   - then, with padding, a length that is not a multiple of 4: len(src) (missing padding);
//   - without padding, a length of 4k+1, or a last character of a final group of 2 or 3 with
//     unused bits set: len(src) (more characters could make it valid).
func base64FirstError(src []byte, values *[256]byte, padding bool) int {
	padded := false
	for i, ch := range src {
		if ch == '=' && padding {
			var fits bool
			switch i % 4 {
			case 2:
				fits = values[src[i-1]]&0x0F == 0
			case 3:
				fits = src[i-1] == '=' || values[src[i-1]]&0x03 == 0
			}
			if !fits {
				return i
			}
			padded = true
		} else if values[ch] == 0xFF || padded {
			return i
		}
	}
	n := len(src)
	switch {
	case padding && n%4 != 0:
		return n
	case n%4 == 1:
		return n
	case n%4 == 2 && values[src[n-1]]&0x0F != 0:
		return n
	case n%4 == 3 && values[src[n-1]]&0x03 != 0:
		return n
	}
	return -1
}
