package container

import (
	"strconv"
	"strings"
)

// FormatError reports a container that is not valid: truncated, corrupted or not a container
// at all.
type FormatError struct {
	// Frame is the index of the frame concerned (0 is the first), or -1 for the header and the
	// trailer.
	Frame int64
	// Offset is the byte offset in the container of the value found wrong (the start of the
	// payload for payload problems, the end of the data for truncations).
	Offset int64
	// Field names the record field concerned, or is empty.
	Field string
	// Msg says what is wrong.
	Msg string
}

// Error returns "container: frame 3 at offset 12345, field "seq": raw CRC-32C mismatch ...".
func (e *FormatError) Error() string {
	var b strings.Builder
	b.WriteString("container: ")
	if e.Frame >= 0 {
		b.WriteString("frame ")
		b.WriteString(strconv.FormatInt(e.Frame, 10))
		b.WriteString(" at ")
	}
	b.WriteString("offset ")
	b.WriteString(strconv.FormatInt(e.Offset, 10))
	if e.Field != "" {
		b.WriteString(", field ")
		b.WriteString(strconv.Quote(e.Field))
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

// headerError is a FormatError about the header (Frame -1).
func headerError(offset int64, field, msg string) *FormatError {
	return &FormatError{Frame: -1, Offset: offset, Field: field, Msg: "header: " + msg}
}
