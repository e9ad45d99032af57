package container

import (
	"strings"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// growth says how a stage changes the length of its input, for the worst-case bounds.
type growth uint8

const (
	sameSize   growth = iota // permutations and running sums/differences
	doubles                  // hex-encode: 2 digits per byte
	base64Size               // base64-encode: 4 bytes per 3, rounded up (the padded size)
	varintSize               // varint-encode: at most 10 bytes per 8-byte value
)

// fieldStageGrowth lists the stages allowed in a field chain, by the name in their spec
// string: exactly those whose output determines their input, so that the inverse chain gives
// the column back.
var fieldStageGrowth = map[string]growth{
	"shuffle":       sameSize,
	"unshuffle":     sameSize,
	"delta-encode":  sameSize,
	"delta-decode":  sameSize,
	"byteswap":      sameSize,
	"hex-encode":    doubles,
	"base64-encode": base64Size,
	"varint-encode": varintSize,
}

// stageName returns the kernel name of a spec string: what precedes the first ':'.
func stageName(spec string) string {
	name, _, _ := strings.Cut(spec, ":")
	return name
}

// parseFieldStage parses a spec string of a field chain and checks that it is canonical
// (binpipe.Stage.String gives it back) and allowed.
func parseFieldStage(spec string) (binpipe.Stage, growth, string) {
	g, ok := fieldStageGrowth[stageName(spec)]
	if !ok {
		return binpipe.Stage{}, 0, "stage " + quote(spec) + " is not allowed in a field chain (no exact inverse)"
	}
	s, err := binpipe.ParseStage(spec)
	if err != nil {
		return binpipe.Stage{}, 0, "stage " + quote(spec) + ": " + err.Error()
	}
	if s.String() != spec {
		return binpipe.Stage{}, 0, "stage " + quote(spec) + " is not in canonical form (" + quote(s.String()) + ")"
	}
	if _, ok := s.Inverse(); !ok {
		return binpipe.Stage{}, 0, "stage " + quote(spec) + " has no inverse"
	}
	return s, g, ""
}

// bound returns the worst-case output length of stages of growth gs for an n-byte column,
// saturating at MaxBlockSize+1 (any larger value is refused alike).
func bound(n uint64, gs []growth) uint64 {
	const limit = MaxBlockSize + 1
	for _, g := range gs {
		switch g {
		case doubles:
			n *= 2
		case base64Size:
			n = (n + 2) / 3 * 4
		case varintSize:
			n = (n + 7) / 8 * 10
		}
		if n > limit {
			return limit
		}
	}
	return n
}
