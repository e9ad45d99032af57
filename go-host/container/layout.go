package container

import (
	"slices"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// layout is what encoding and decoding need from a valid header, computed once.
type layout struct {
	h          Header
	recordSize int
	frameSize  int
	fields     []fieldPlan
	gaps       []span // record bytes no field covers, ascending: the rest column
	restWidth  int    // total width of the gaps
	maxBlock   int    // blockBound(frameSize)
}

// span is a byte range of a record.
type span struct{ off, width int }

// fieldPlan is one field and its chains.
type fieldPlan struct {
	name       string
	off, width int
	encode     []binpipe.Stage // extract-field, then the field's stages
	decode     []binpipe.Stage // the inverses of the field's stages, last first
	growths    []growth
	specs      []string
}

// newLayout computes the layout of a header whose values parseHeader has checked: fields in
// range, not overlapping, stages allowed (growths[i] are the growths of field i's stages).
func newLayout(h Header, growths [][]growth) *layout {
	l := &layout{h: h, recordSize: int(h.RecordSize), frameSize: int(h.FrameSize)}
	for i, f := range h.Fields {
		p := fieldPlan{name: f.Name, off: int(f.Offset), width: int(f.Width), growths: growths[i]}
		p.encode = append(p.encode, binpipe.ExtractFieldStage(l.recordSize, p.off, p.width))
		p.encode = append(p.encode, f.Stages...)
		for j := len(f.Stages) - 1; j >= 0; j-- {
			inv, _ := f.Stages[j].Inverse() // parseFieldStage checked that it exists
			p.decode = append(p.decode, inv)
		}
		for _, s := range f.Stages {
			p.specs = append(p.specs, s.String())
		}
		l.fields = append(l.fields, p)
	}
	l.gaps = uncovered(l.recordSize, h.Fields)
	for _, g := range l.gaps {
		l.restWidth += g.width
	}
	l.maxBlock = l.blockBound(l.frameSize)
	return l
}

// uncovered returns the byte ranges of a record that no field covers, ascending.
func uncovered(recordSize int, fields []Field) []span {
	sorted := slices.Clone(fields)
	slices.SortFunc(sorted, func(a, b Field) int { return int(a.Offset) - int(b.Offset) })
	var gaps []span
	at := 0
	for _, f := range sorted {
		if int(f.Offset) > at {
			gaps = append(gaps, span{at, int(f.Offset) - at})
		}
		at = int(f.Offset + f.Width)
	}
	if at < recordSize {
		gaps = append(gaps, span{at, recordSize - at})
	}
	return gaps
}

// identity reports whether a frame's column block is its raw bytes: no fields, so the rest
// column is every record whole, followed by the tail.
func (l *layout) identity() bool { return len(l.fields) == 0 }

// blockBound is the largest column block a frame of rawLen bytes can have: the length table,
// each field's worst-case encoded column, the rest column and the tail. It saturates above
// MaxBlockSize.
func (l *layout) blockBound(rawLen int) int {
	records := uint64(rawLen / l.recordSize)
	n := uint64(4 * len(l.fields))
	for _, f := range l.fields {
		n += bound(records*uint64(f.width), f.growths)
	}
	n += records*uint64(l.restWidth) + uint64(rawLen%l.recordSize)
	return int(min(n, MaxBlockSize+1))
}
