package main

import (
	"bytes"
	"fmt"
	"testing"
)

// TestValidateUTF8 puts valid and invalid sequences across the 1 MiB batch boundary and
// checks the verdict and the absolute offset, for a file and for stdin.
func TestValidateUTF8(t *testing.T) {
	dir := t.TempDir()
	b := validateBatch
	ascii := func(n int) []byte { return bytes.Repeat([]byte("a"), n) }
	cat := func(parts ...[]byte) []byte { return bytes.Join(parts, nil) }
	euro := []byte("€")   // 3 bytes
	rocket := []byte("🚀") // 4 bytes
	tests := []struct {
		name string
		data []byte
		at   int // offset of the first error; -1 if valid
		msg  string
	}{
		{"empty", nil, -1, ""},
		{"ascii", []byte("hello"), -1, ""},
		{"euro split 1|2 across the batch", cat(ascii(b-1), euro, ascii(5)), -1, ""},
		{"euro split 2|1 across the batch", cat(ascii(b-2), euro, ascii(5)), -1, ""},
		{"rocket split 3|1 across the batch", cat(ascii(b-3), rocket), -1, ""},
		{"rocket split over three batches' worth", cat(ascii(2*b-2), rocket, ascii(b)), -1, ""},
		{"bad byte first", []byte{0xff, 'a'}, 0, "invalid UTF-8 sequence of 1 bytes at offset 0"},
		{"bad byte in the second batch", cat(ascii(b+10), []byte{0x80}), b + 10, fmt.Sprintf("at offset %d", b+10)},
		{"broken euro across the batch", cat(ascii(b-1), euro[:2], []byte("x")), b - 1, fmt.Sprintf("sequence of 2 bytes at offset %d", b-1)},
		{"truncated at the end", cat(ascii(b), rocket[:3]), b, fmt.Sprintf("incomplete UTF-8 sequence at the end of the input, at offset %d", b)},
		{"truncated at the end of the first batch", cat(ascii(b-2), rocket[:2]), b - 2, fmt.Sprintf("incomplete UTF-8 sequence at the end of the input, at offset %d", b-2)},
		{"surrogate", cat(ascii(3), []byte{0xed, 0xa0, 0x80}), 3, "at offset 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, dir, "in", tt.data)
			if tt.at < 0 {
				runCLI(t, dir, nil, "validate", "utf8", path).want(t, 0, fmt.Sprintf("valid UTF-8 (%d bytes)", len(tt.data)), "")
				runCLI(t, dir, tt.data, "validate", "utf8", "-").want(t, 0, "-: valid UTF-8", "")
				runCLI(t, dir, tt.data, "validate", "--json", "utf8", "-").want(t, 0, `"valid": true`, "")
				return
			}
			runCLI(t, dir, nil, "validate", "utf8", path).want(t, 1, "", tt.msg)
			runCLI(t, dir, tt.data, "validate", "utf8", "-").want(t, 1, "", tt.msg)
			runCLI(t, dir, tt.data, "validate", "utf8", "--json", "-").want(t, 1, fmt.Sprintf(`"offset": %d`, tt.at), "")
		})
	}
}
