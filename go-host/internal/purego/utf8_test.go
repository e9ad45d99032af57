package purego

import (
	"bytes"
	"encoding/json"
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"
)

// stdUTF8Error derives Rust's (validUpTo, errorLen) from the standard library alone:
// validUpTo is the first offset where utf8.DecodeRune reports an invalid byte (size 1 and
// RuneError), and the invalid sequence is the longest prefix there that utf8.FullRune calls
// incomplete (a strict prefix of a valid encoding): errorLen 0 if that runs to the end of
// the input, else its length, at least 1.
func stdUTF8Error(data []byte) (int, int) {
	i := 0
	for i < len(data) {
		r, size := utf8.DecodeRune(data[i:])
		if r != utf8.RuneError || size != 1 {
			i += size
			continue
		}
		rest := data[i:]
		if !utf8.FullRune(rest) {
			return i, 0
		}
		k := 1
		for k < 3 && k < len(rest) && !utf8.FullRune(rest[:k+1]) {
			k++
		}
		if k == 1 && utf8.FullRune(rest[:1]) {
			return i, 1
		}
		return i, k
	}
	return len(data), 0
}

// checkUTF8 compares UTF8Validate with utf8.Valid and stdUTF8Error.
func checkUTF8(t *testing.T, data []byte) {
	t.Helper()
	v, e := UTF8Validate(data)
	sv, se := stdUTF8Error(data)
	if v != sv || e != se {
		t.Fatalf("%x: got (%d, %d), standard library says (%d, %d)", data, v, e, sv, se)
	}
	if (v == len(data)) != utf8.Valid(data) {
		t.Fatalf("%x: verdict %v, utf8.Valid %v", data, v == len(data), utf8.Valid(data))
	}
}

func TestUTF8Cases(t *testing.T) {
	// Expected values worked out by hand from Rust's rules.
	for _, tc := range []struct {
		data      string
		upTo, len int
	}{
		{"", 0, 0},
		{"héllo wörld €𝄞", len("héllo wörld €𝄞"), 0},
		{"a\x80b", 1, 1},
		{"a\xE2\x82", 1, 0},        // ends inside a 3-byte sequence
		{"a\xE2\x82b", 1, 2},       // cut short by ASCII
		{"\xED\xA0\x80", 0, 1},     // surrogate: ED must be followed by 80..9F
		{"\xC0\xAF", 0, 1},         // overlong lead
		{"\xE0\x80\x80", 0, 1},     // overlong 3-byte
		{"\xF0\x8F\xBF\xBF", 0, 1}, // overlong 4-byte
		{"\xF4\x90\x80\x80", 0, 1}, // above U+10FFFF
		{"\xF0\x90\x80", 0, 0},     // ends inside a 4-byte sequence
		{"\xF0\x90\x80A", 0, 3},    // 4-byte cut after three bytes
		{"\xF5\x80", 0, 1},
		{"ab\xFF", 2, 1},
		{"\xEF\xBF\xBD", 3, 0}, // U+FFFD itself is valid
	} {
		v, e := UTF8Validate([]byte(tc.data))
		if v != tc.upTo || e != tc.len {
			t.Errorf("UTF8Validate(%x) = (%d, %d), want (%d, %d)", tc.data, v, e, tc.upTo, tc.len)
		}
		checkUTF8(t, []byte(tc.data))
	}
}

func TestUTF8ExhaustiveShortSequences(t *testing.T) {
	// Every 1- and 2-byte input, and every 3-byte input starting with a lead byte, each
	// alone, after ASCII (the word-at-a-time path) and before ASCII.
	buf := make([]byte, 0, 16)
	for a := 0; a < 256; a++ {
		for b := 0; b < 256; b++ {
			checkUTF8(t, []byte{byte(a), byte(b)})
			buf = append(append(buf[:0], "01234567"...), byte(a), byte(b), 'x')
			checkUTF8(t, buf)
			if a < 0xC2 || a > 0xF4 {
				continue
			}
			for c := 0; c < 256; c++ {
				checkUTF8(t, []byte{byte(a), byte(b), byte(c)})
			}
		}
		checkUTF8(t, []byte{byte(a)})
	}
	// 4-byte leads with every continuation edge and a few random fourth bytes.
	edges := []byte{0x00, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xFF}
	for a := 0xF0; a <= 0xF5; a++ {
		for _, b := range edges {
			for _, c := range edges {
				for _, d := range edges {
					checkUTF8(t, []byte{byte(a), b, c, d})
					checkUTF8(t, []byte{byte(a), b, c, d, 'z'})
				}
			}
		}
	}
}

func TestUTF8RandomText(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	for trial := 0; trial < 300; trial++ {
		var sb strings.Builder
		for sb.Len() < rng.IntN(400) {
			switch rng.IntN(4) {
			case 0:
				sb.WriteRune(rune(0x20 + rng.IntN(0x5F)))
			case 1:
				sb.WriteRune(rune(0x80 + rng.IntN(0x780)))
			case 2:
				sb.WriteRune(rune(0xE000 + rng.IntN(0x2000)))
			default:
				sb.WriteRune(rune(0x10000 + rng.IntN(0x100000)))
			}
		}
		valid := []byte(sb.String())
		checkUTF8(t, valid)
		for cut := 0; cut <= len(valid); cut++ {
			checkUTF8(t, valid[:cut])
		}
		data := bytes.Clone(valid)
		for pos := range data {
			for _, bad := range []byte{0x80, 0xC0, 0xE0, 0xED, 0xF4, 0xFF, byte(rng.IntN(256))} {
				data[pos] = bad
				checkUTF8(t, data)
			}
			data[pos] = valid[pos]
		}
	}
}

func TestUTF8Vectors(t *testing.T) {
	for _, c := range loadSearchVectors(t, "validate.json", "utf8-validate") {
		data := searchInput(t, c.Input)
		v, e := UTF8Validate(data)
		if _, ok := c.Expect["ok"]; ok {
			if v != len(data) || e != 0 {
				t.Errorf("%s: got (%d, %d), want valid", c.Name, v, e)
			}
			continue
		}
		var want struct {
			ValidUpTo int  `json:"valid_up_to"`
			ErrorLen  *int `json:"error_len"`
		}
		if err := json.Unmarshal(c.Expect["utf8_error"], &want); err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		wantLen := 0
		if want.ErrorLen != nil {
			wantLen = *want.ErrorLen
		}
		if v != want.ValidUpTo || e != wantLen {
			t.Errorf("%s: got (%d, %d), want (%d, %d)", c.Name, v, e, want.ValidUpTo, wantLen)
		}
	}
}

func BenchmarkUTF8Validate(b *testing.B) {
	for _, tc := range []struct{ name, unit string }{
		{"ascii", "the quick brown fox "},
		{"mixed", "naïve café – 東京 🦀 "},
		{"cjk", "東京都渋谷区神南一丁目"},
	} {
		data := []byte(strings.Repeat(tc.unit, (64<<10)/len(tc.unit)))
		b.Run(tc.name, func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				UTF8Validate(data)
			}
		})
		b.Run(tc.name+"/utf8.Valid", func(b *testing.B) {
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				utf8.Valid(data)
			}
		})
	}
}
