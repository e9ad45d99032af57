package container

import (
	"encoding/binary"
	"errors"
	"fmt"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// chainFunc runs a binpipe stage chain in append form (binpipe.RunChain or an Engine's).
type chainFunc func(dst, src []byte, stages ...binpipe.Stage) ([]byte, error)

// blockError is a problem found in a frame's column block.
type blockError struct {
	pos   int // byte position in the block
	field string
	msg   string
}

// appendBlock appends the column block of one frame's raw bytes to dst (docs/format.md,
// "Column block"): the table of encoded field lengths, each field's column through its chain,
// the rest column, the partial-record tail.
func (l *layout) appendBlock(dst, raw []byte, run chainFunc) ([]byte, error) {
	records := len(raw) / l.recordSize
	whole := raw[:records*l.recordSize]
	table := len(dst)
	dst = append(dst, make([]byte, 4*len(l.fields))...)
	for i, f := range l.fields {
		start := len(dst)
		if records > 0 {
			out, err := run(dst, whole, f.encode...)
			if err != nil {
				return dst, fmt.Errorf("field %q: encoding its column: %w", f.name, err)
			}
			dst = out
		}
		binary.LittleEndian.PutUint32(dst[table+4*i:], uint32(len(dst)-start))
	}
	if l.restWidth > 0 {
		dst = appendRest(dst, whole, l.recordSize, l.gaps, l.restWidth)
	}
	return append(dst, raw[len(whole):]...), nil
}

// decodeBlock rebuilds raw (len(raw) is the frame's raw length) from its column block, using
// *scratch for decoded columns.
func (l *layout) decodeBlock(raw, block []byte, run chainFunc, scratch *[]byte) *blockError {
	records := len(raw) / l.recordSize
	table := 4 * len(l.fields)
	if len(block) < table {
		return &blockError{0, "", fmt.Sprintf("column block of %d bytes is shorter than its length table (%d bytes)", len(block), table)}
	}
	at := table
	for i, f := range l.fields {
		n := int(binary.LittleEndian.Uint32(block[4*i:]))
		colLen := records * f.width
		if b := bound(uint64(colLen), f.growths); uint64(n) > b {
			return &blockError{4 * i, f.name, fmt.Sprintf("encoded column of %d bytes, above its bound %d for %d records", n, b, records)}
		}
		if n > len(block)-at {
			return &blockError{4 * i, f.name, fmt.Sprintf("encoded column of %d bytes runs past the end of the %d-byte column block", n, len(block))}
		}
		enc := block[at : at+n]
		col := enc
		if len(f.decode) > 0 && (n > 0 || colLen > 0) {
			out, err := run((*scratch)[:0], enc, f.decode...)
			if err != nil {
				return &blockError{at, f.name, "decoding the column: " + l.describeChainError(f, err)}
			}
			*scratch, col = out, out
		}
		if len(col) != colLen {
			return &blockError{at, f.name, fmt.Sprintf("column decodes to %d bytes, %d records need %d", len(col), records, colLen)}
		}
		scatter(raw, col, l.recordSize, f.off, f.width)
		at += n
	}
	rest, tail := records*l.restWidth, len(raw)-records*l.recordSize
	if len(block)-at != rest+tail {
		return &blockError{at, "", fmt.Sprintf("%d bytes follow the field columns, the rest column and tail need %d", len(block)-at, rest+tail)}
	}
	scatterRest(raw, block[at:at+rest], l.recordSize, l.gaps, l.restWidth, records)
	copy(raw[records*l.recordSize:], block[at+rest:])
	return nil
}

// describeChainError names the encoding stage whose inverse failed.
func (l *layout) describeChainError(f fieldPlan, err error) string {
	var ce *binpipe.ChainError
	if errors.As(err, &ce) && ce.Stage >= 0 && ce.Stage < len(f.specs) {
		return fmt.Sprintf("inverse of stage %s failed: %v", quote(f.specs[len(f.specs)-1-ce.Stage]), ce.Err)
	}
	return err.Error()
}
