package purego

import (
	"bytes"
	"encoding/base64"
	"math/rand/v2"
	"strings"
	"testing"
)

// base64Modes are the four alphabet and padding choices.
var base64Modes = []struct{ urlSafe, padding bool }{{false, true}, {false, false}, {true, true}, {true, false}}

// base64DecodeOK is Base64Decode into a fresh buffer: the bytes, or the error offset.
func base64DecodeOK(src []byte, urlSafe, padding bool) ([]byte, int) {
	dst := make([]byte, (len(src)+3)/4*3)
	n, off := Base64Decode(dst, src, urlSafe, padding)
	return dst[:n], off
}

// stdlibStrict decodes with encoding/base64 in strict mode, refusing what it would skip
// (\r, \n): the standard library's verdict on the contract's strict base64.
func stdlibStrict(src []byte, urlSafe, padding bool) ([]byte, bool) {
	if bytes.ContainsAny(src, "\r\n") {
		return nil, false
	}
	out, err := base64Encoding(urlSafe, padding).Strict().DecodeString(string(src))
	return out, err == nil
}

// base64OffsetByDefinition is the error offset from the rule's definition, with the
// standard library judging validity: the longest prefix that some suffix of at most three
// characters among `A` and `=` makes valid (that always suffices), or -1 if src is valid.
func base64OffsetByDefinition(src []byte, urlSafe, padding bool) int {
	valid := func(s []byte) bool { _, ok := stdlibStrict(s, urlSafe, padding); return ok }
	if valid(src) {
		return -1
	}
	suffixes := []string{""}
	for k := 1; k <= 3; k++ {
		for bits := range 1 << k {
			var s strings.Builder
			for i := range k {
				s.WriteByte("A="[bits>>i&1])
			}
			suffixes = append(suffixes, s.String())
		}
	}
	for k := len(src); k >= 0; k-- {
		for _, s := range suffixes {
			if valid(append(src[:k:k], s...)) {
				return k
			}
		}
	}
	return 0
}

func TestBase64Cases(t *testing.T) {
	for _, tc := range []struct {
		src     string
		padding bool
		off     int
	}{
		{"Zm9vYmFy", true, -1},
		{"Zm9vYg==", true, -1},
		{"Zm9v YmFy", true, 4},  // whitespace
		{"Zm9vYmFy\n", true, 8}, // a newline encoding/base64 would skip
		{"Zm\r\n9v", false, 2},
		{"=m9v", true, 0},
		{"Z=9v", true, 1},
		{"Zh==", true, 2},     // unused bits set before `==`
		{"Zm9=", true, 3},     // unused bits set before `=`
		{"Zg==Zg==", true, 4}, // data after padding
		{"Zg=A", true, 3},
		{"Zg===", true, 4},
		{"Zg", true, 2}, // missing padding
		{"Zm9vY", false, 5},
		{"Zg==", false, 2}, // `=` without padding
		{"Zh", false, 2},   // unused bits set, completable
		{"-_8=", true, 0},  // the other alphabet
	} {
		_, off := base64DecodeOK([]byte(tc.src), false, tc.padding)
		if off != tc.off {
			t.Errorf("Base64Decode(%q, padding %v) offset %d, want %d", tc.src, tc.padding, off, tc.off)
		}
	}
	dst := make([]byte, 4)
	if n := Base64Encode(dst, []byte{0xfb, 0xff}, true, false); string(dst[:n]) != "-_8" {
		t.Errorf("Base64Encode url-safe unpadded = %q", dst[:n])
	}
	if n := Base64Encode(dst, []byte{0xfb, 0xff}, false, true); string(dst[:n]) != "+/8=" {
		t.Errorf("Base64Encode standard padded = %q", dst[:n])
	}
}

func TestBase64AgainstStdlib(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for _, m := range base64Modes {
		enc := base64Encoding(m.urlSafe, m.padding)
		for n := range 400 {
			src := make([]byte, n)
			for i := range src {
				src[i] = byte(rng.Uint32())
			}
			dst := make([]byte, enc.EncodedLen(n))
			if k := Base64Encode(dst, src, m.urlSafe, m.padding); k != len(dst) || string(dst) != enc.EncodeToString(src) {
				t.Fatalf("%v len %d: encode %q", m, n, dst[:k])
			}
			got, off := base64DecodeOK(dst, m.urlSafe, m.padding)
			if off != -1 || !bytes.Equal(got, src) {
				t.Fatalf("%v len %d: decode %x %d", m, n, got, off)
			}
		}
		// Every byte value at every position of short inputs.
		for _, base := range []string{"QUJD", "QUI=", "QQ==", "QUJDRA=="} {
			if !m.padding {
				base = strings.TrimRight(base, "=")
			}
			for n := range len(base) + 1 {
				for pos := range n {
					for b := range 256 {
						src := []byte(base[:n])
						src[pos] = byte(b)
						checkBase64(t, src, m.urlSafe, m.padding)
					}
				}
			}
		}
		// Random text with some bad bytes and `=`.
		const chars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/-_"
		for range 3000 {
			src := make([]byte, rng.IntN(120))
			for i := range src {
				switch rng.IntN(60) {
				case 0:
					src[i] = byte(rng.Uint32())
				case 1:
					src[i] = '='
				default:
					src[i] = chars[rng.IntN(len(chars))]
				}
			}
			checkBase64(t, src, m.urlSafe, m.padding)
			// Valid text cut or extended.
			text := []byte(enc.EncodeToString(src))
			checkBase64(t, text[:rng.IntN(len(text)+1)], m.urlSafe, m.padding)
			checkBase64(t, append(text, "=A\n"[rng.IntN(3)]), m.urlSafe, m.padding)
		}
	}
}

// checkBase64 compares Base64Decode with the strict standard library and the offset rule.
func checkBase64(t *testing.T, src []byte, urlSafe, padding bool) {
	t.Helper()
	got, off := base64DecodeOK(src, urlSafe, padding)
	want, ok := stdlibStrict(src, urlSafe, padding)
	if ok != (off == -1) || (ok && !bytes.Equal(got, want)) {
		t.Fatalf("%q url %v pad %v: got %x %d, encoding/base64 %x %v", src, urlSafe, padding, got, off, want, ok)
	}
	if def := base64OffsetByDefinition(src, urlSafe, padding); off != def {
		t.Fatalf("%q url %v pad %v: offset %d, definition %d", src, urlSafe, padding, off, def)
	}
}

func TestBase64Vectors(t *testing.T) {
	for _, c := range loadTextVectors(t, "base64-encode") {
		src := c.input(t)
		urlSafe := c.Args.Alphabet == "url-safe"
		dst := make([]byte, base64Encoding(urlSafe, c.Args.Padding).EncodedLen(len(src)))
		n := Base64Encode(dst, src, urlSafe, c.Args.Padding)
		c.check(t, dst[:n], -1)
	}
	for _, c := range loadTextVectors(t, "base64-decode") {
		got, off := base64DecodeOK(c.input(t), c.Args.Alphabet == "url-safe", c.Args.Padding)
		c.check(t, got, off)
	}
}

func BenchmarkBase64(b *testing.B) {
	src := make([]byte, 64<<10)
	for i := range src {
		src[i] = byte(i * 7)
	}
	text := []byte(base64.StdEncoding.EncodeToString(src))
	b.Run("encode", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		for b.Loop() {
			Base64Encode(text, src, false, true)
		}
	})
	b.Run("decode", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		dst := make([]byte, len(text)/4*3)
		for b.Loop() {
			Base64Decode(dst, text, false, true)
		}
	})
	b.Run("decode/encoding-base64", func(b *testing.B) {
		b.SetBytes(int64(len(src)))
		dst := make([]byte, len(text)/4*3)
		for b.Loop() {
			_, _ = base64.StdEncoding.Strict().Decode(dst, text)
		}
	})
}
