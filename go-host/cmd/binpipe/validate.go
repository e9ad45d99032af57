package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	binpipe "github.com/binpipe/binpipe/go-host"
)

const validateSynopsis = "binpipe validate utf8 [--json] FILE"

const validateAbout = `Checks that FILE ("-" for stdin) is UTF-8, streaming it in 1 MiB batches (a character split
between two batches is carried over). Prints "FILE: valid UTF-8 (N bytes)" and exits 0, or the
absolute byte offset of the first invalid sequence and exits 1. A file that ends inside a
character is invalid at that character's first byte.`

// validateBatch is how many bytes each UTF-8 validation call sees (plus at most 3 carried).
const validateBatch = 1 << 20

// utf8Verdict is the result of validate utf8.
type utf8Verdict struct {
	File  string `json:"file"`
	Valid bool   `json:"valid"`
	Bytes int64  `json:"bytes"`            // bytes read
	Error string `json:"error,omitempty"`  // why it is invalid
	At    *int64 `json:"offset,omitempty"` // offset of the first invalid byte
}

// cmdValidate runs "validate utf8 FILE".
func cmdValidate(ctx context.Context, std stdio, args []string) error {
	fs, jsonOut := newFlags("validate", validateSynopsis, validateAbout, std)
	pos, err := parseArgs(fs, validateSynopsis, args, 2, 2)
	if err != nil {
		return err
	}
	if pos[0] != "utf8" {
		return usagef(validateSynopsis, "unknown format %q: only utf8 is supported", pos[0])
	}
	in, err := openInput(std, pos[1])
	if err != nil {
		return err
	}
	defer in.Close()
	p := newProgress(std, in.size, "validate "+in.name)
	v, err := validateUTF8(ctx, p.reader(in.r))
	p.done()
	if err != nil {
		return err
	}
	v.File = in.name
	switch {
	case *jsonOut:
		if err := writeJSON(std.stdout, v); err != nil {
			return err
		}
	case v.Valid:
		fmt.Fprintf(std.stdout, "%s: valid UTF-8 (%d bytes)\n", v.File, v.Bytes)
	default:
		fmt.Fprintf(std.stderr, "binpipe validate: %s: %s\n", v.File, v.Error)
	}
	if !v.Valid {
		return errReported
	}
	return nil
}

// validateUTF8 validates r batch by batch. A batch that ends inside a character (the
// validator says "incomplete", ErrorLen 0) keeps those at most 3 bytes and puts them in front
// of the next batch, so offsets stay absolute and no character is judged half-read.
func validateUTF8(ctx context.Context, r io.Reader) (utf8Verdict, error) {
	buf := make([]byte, validateBatch+3)
	var base int64 // absolute offset of buf[0]
	carry := 0     // bytes at buf[:carry] left from the previous batch
	for {
		if err := ctx.Err(); err != nil {
			return utf8Verdict{}, err
		}
		n, rerr := readFull(r, buf[carry:carry+validateBatch])
		end := carry + n
		eof := errors.Is(rerr, io.EOF)
		if rerr != nil && !eof {
			return utf8Verdict{}, rerr
		}
		err := binpipe.UTF8Validate(buf[:end])
		var ue *binpipe.UTF8Error
		switch {
		case err == nil:
			carry = 0
		case !errors.As(err, &ue):
			return utf8Verdict{}, err
		case ue.ErrorLen == 0 && !eof:
			carry = end - ue.ValidUpTo
			copy(buf, buf[ue.ValidUpTo:end])
			base += int64(ue.ValidUpTo)
			continue
		default:
			at := base + int64(ue.ValidUpTo)
			msg := fmt.Sprintf("invalid UTF-8 sequence of %d bytes at offset %d", ue.ErrorLen, at)
			if ue.ErrorLen == 0 {
				msg = fmt.Sprintf("incomplete UTF-8 sequence at the end of the input, at offset %d", at)
			}
			return utf8Verdict{Valid: false, Bytes: base + int64(end), Error: msg, At: &at}, nil
		}
		base += int64(end)
		if eof {
			return utf8Verdict{Valid: true, Bytes: base}, nil
		}
	}
}
