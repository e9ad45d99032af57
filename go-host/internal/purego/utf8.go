package purego

// utf8Lead describes each possible first byte of a UTF-8 sequence: its sequence width in the
// low nibble (0 for a byte that cannot start one) and, in the high nibble, which range of
// utf8Second its second byte must fall in.
var utf8Lead = func() (t [256]uint8) {
	for b := 0; b < 0x80; b++ {
		t[b] = 1
	}
	for b := 0xC2; b <= 0xDF; b++ {
		t[b] = 2
	}
	for b := 0xE0; b <= 0xEF; b++ {
		t[b] = 3
	}
	t[0xE0] = 3 | 1<<4 // no overlongs: E0 A0..BF
	t[0xED] = 3 | 2<<4 // no surrogates: ED 80..9F
	for b := 0xF0; b <= 0xF4; b++ {
		t[b] = 4
	}
	t[0xF0] = 4 | 3<<4 // no overlongs: F0 90..BF
	t[0xF4] = 4 | 4<<4 // nothing above U+10FFFF: F4 80..8F
	return t
}()

// utf8Second holds the inclusive ranges allowed for a second byte, indexed by the high
// nibble of utf8Lead (Unicode's table 3-7 of well-formed byte sequences).
var utf8Second = [5][2]byte{{0x80, 0xBF}, {0xA0, 0xBF}, {0x80, 0x9F}, {0x90, 0xBF}, {0x80, 0x8F}}

// UTF8Validate reports whether data is UTF-8 exactly as Rust's core::str::from_utf8 does.
// validUpTo is the length of the longest valid prefix; validUpTo == len(data) means data is
// valid (and errorLen is 0). Otherwise errorLen is the length, 1 to 3, of the invalid
// sequence at validUpTo (the maximal prefix of a valid sequence there, at least one byte), or
// 0 when data ends inside a sequence that could still be completed.
//
//	purego.UTF8Validate([]byte("a\x80b"))     // 1, 1
//	purego.UTF8Validate([]byte("a\xE2\x82"))  // 1, 0
//	purego.UTF8Validate([]byte("\xED\xA0\x80")) // 0, 1 (a surrogate)
//
// The verdict is utf8.Valid's; the error offsets and lengths are Rust's, which the standard
// library does not report. ASCII runs are skipped by ASCIIPrefix, 32 and 8 bytes at a time.
func UTF8Validate(data []byte) (validUpTo, errorLen int) {
	n := len(data)
	i := 0
	for i < n {
		if data[i] < 0x80 {
			i += ASCIIPrefix(data[i:])
			continue
		}
		lead := utf8Lead[data[i]]
		width := int(lead & 0x0F)
		if width == 0 {
			return i, 1
		}
		if i+1 >= n {
			return i, 0
		}
		second := utf8Second[lead>>4]
		if b := data[i+1]; b < second[0] || b > second[1] {
			return i, 1
		}
		for k := 2; k < width; k++ {
			if i+k >= n {
				return i, 0
			}
			if b := data[i+k]; b < 0x80 || b > 0xBF {
				return i, k
			}
		}
		i += width
	}
	return n, 0
}
