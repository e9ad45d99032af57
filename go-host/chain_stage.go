package binpipe

import (
	"math"
	"strconv"
	"strings"
)

// Stage is one step of a kernel chain (RunChain, ChainWorker): a transform or codec kernel and
// its parameters, the Go form of the WIT variant chain.stage. Make one with a constructor
// (ShuffleStage, DeltaEncodeStage, …) or ParseStage. Constructors never fail: a parameter out of
// range is reported when the stage is used, as a *ChainError naming the stage's index, whose
// *KernelError matches ErrInvalidArgument. The zero Stage is invalid. Stages are comparable
// values.
//
// Every stage works on bytes. Kernels that take or give integers read or write them
// little-endian: VarintEncodeStage reads 8-byte values, VarintDecodeStage writes them,
// BitpackStage reads 4-byte values and BitunpackStage writes them.
type Stage struct {
	kind    stageKind
	a, b, c int // the kernel's parameters in WIT order; unused ones are 0
}

// stageKind numbers the WIT stage cases from 1 (0 is the invalid zero Stage); the fast-path
// record kind is stageKind-1.
type stageKind uint8

const (
	kindNone stageKind = iota
	kindShuffle
	kindUnshuffle
	kindDeltaEncode
	kindDeltaDecode
	kindByteswap
	kindExtractField
	kindHexEncode
	kindHexDecode
	kindBase64Encode
	kindBase64Decode
	kindVarintEncode
	kindVarintDecode
	kindBitpack
	kindBitunpack
	kindCount // one past the last kind
)

// stageNames are the WIT names of the stage cases, which are also their kernels' names.
var stageNames = [kindCount]string{
	kindNone:         "",
	kindShuffle:      "shuffle",
	kindUnshuffle:    "unshuffle",
	kindDeltaEncode:  "delta-encode",
	kindDeltaDecode:  "delta-decode",
	kindByteswap:     "byteswap",
	kindExtractField: "extract-field",
	kindHexEncode:    "hex-encode",
	kindHexDecode:    "hex-decode",
	kindBase64Encode: "base64-encode",
	kindBase64Decode: "base64-decode",
	kindVarintEncode: "varint-encode",
	kindVarintDecode: "varint-decode",
	kindBitpack:      "bitpack",
	kindBitunpack:    "bitunpack",
}

// maxChainStages is the most stages one chain may have (the WIT contract's limit).
const maxChainStages = 64

// ShuffleStage is the Blosc byte shuffle of elemSize-byte elements (Shuffle); elemSize 1..=255.
func ShuffleStage(elemSize int) Stage { return Stage{kind: kindShuffle, a: elemSize} }

// UnshuffleStage is the inverse of ShuffleStage (Unshuffle).
func UnshuffleStage(elemSize int) Stage { return Stage{kind: kindUnshuffle, a: elemSize} }

// DeltaEncodeStage is the delta coding of width-byte elements (DeltaEncode); width 1, 2, 4 or 8.
func DeltaEncodeStage(width int) Stage { return Stage{kind: kindDeltaEncode, a: width} }

// DeltaDecodeStage is the inverse of DeltaEncodeStage (DeltaDecode).
func DeltaDecodeStage(width int) Stage { return Stage{kind: kindDeltaDecode, a: width} }

// ByteswapStage reverses the bytes of every width-byte element (Byteswap); width 2, 4 or 8.
func ByteswapStage(width int) Stage { return Stage{kind: kindByteswap, a: width} }

// ExtractFieldStage keeps bytes [offset, offset+width) of every whole recordSize-byte record
// (ExtractField).
func ExtractFieldStage(recordSize, offset, width int) Stage {
	return Stage{kind: kindExtractField, a: recordSize, b: offset, c: width}
}

// HexEncodeStage writes two hex digits per byte (HexEncode), A-F with uppercase.
func HexEncodeStage(uppercase bool) Stage { return Stage{kind: kindHexEncode, a: b2i(uppercase)} }

// HexDecodeStage decodes hex digits (HexDecode).
func HexDecodeStage() Stage { return Stage{kind: kindHexDecode} }

// Base64EncodeStage is RFC 4648 base64 in alphabet, '='-padded if padding (Base64Encode).
func Base64EncodeStage(a Alphabet, padding bool) Stage {
	return Stage{kind: kindBase64Encode, a: int(a), b: b2i(padding)}
}

// Base64DecodeStage is strict base64 decoding (Base64Decode).
func Base64DecodeStage(a Alphabet, padding bool) Stage {
	return Stage{kind: kindBase64Decode, a: int(a), b: b2i(padding)}
}

// VarintEncodeStage reads its input as little-endian uint64 values (a length that is not a
// multiple of 8 is ErrInvalidArgument) and writes their LEB128 encoding (VarintEncode).
func VarintEncodeStage() Stage { return Stage{kind: kindVarintEncode} }

// VarintDecodeStage decodes LEB128 varints and writes the values as little-endian uint64s
// (VarintDecode).
func VarintDecodeStage() Stage { return Stage{kind: kindVarintDecode} }

// BitpackStage reads its input as little-endian uint32 values (a length that is not a multiple
// of 4 is ErrInvalidArgument) and packs them into bits bits each, 0..=32 (Bitpack).
func BitpackStage(bits int) Stage { return Stage{kind: kindBitpack, a: bits} }

// BitunpackStage unpacks count values of bits bits each and writes them as little-endian
// uint32s (Bitunpack).
func BitunpackStage(bits, count int) Stage { return Stage{kind: kindBitunpack, a: bits, b: count} }

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Name is the stage's kernel: its WIT name, for example "shuffle" (empty for the zero Stage).
func (s Stage) Name() string {
	if s.kind >= kindCount {
		return ""
	}
	return stageNames[s.kind]
}

// String formats the stage as ParseStage reads it: the WIT name, then, after a colon, every
// parameter, comma-separated: "shuffle:4", "extract-field:32,8,4", "hex-encode:upper",
// "base64-encode:url,nopad", "bitunpack:3,1024"; stages without parameters are their name
// ("hex-decode", "varint-encode"). The zero Stage is "invalid-stage".
func (s Stage) String() string {
	name := s.Name()
	num := strconv.Itoa
	switch s.kind {
	case kindShuffle, kindUnshuffle, kindDeltaEncode, kindDeltaDecode, kindByteswap, kindBitpack:
		return name + ":" + num(s.a)
	case kindExtractField:
		return name + ":" + num(s.a) + "," + num(s.b) + "," + num(s.c)
	case kindBitunpack:
		return name + ":" + num(s.a) + "," + num(s.b)
	case kindHexEncode:
		if s.a != 0 {
			return name + ":upper"
		}
		return name + ":lower"
	case kindBase64Encode, kindBase64Decode:
		alpha := "Alphabet(" + num(s.a) + ")"
		switch Alphabet(s.a) {
		case AlphabetStandard:
			alpha = "std"
		case AlphabetURLSafe:
			alpha = "url"
		}
		if s.b != 0 {
			return name + ":" + alpha + ",pad"
		}
		return name + ":" + alpha + ",nopad"
	case kindHexDecode, kindVarintEncode, kindVarintDecode:
		return name
	}
	return "invalid-stage"
}

// check refuses a parameter outside its range with the same *KernelError the stage's kernel
// returns (the zero Stage is refused as run-chain's).
func (s Stage) check() *KernelError {
	name := s.Name()
	switch s.kind {
	case kindShuffle, kindUnshuffle:
		if s.a < 1 || s.a > 255 {
			return invalidArgument(name, "elem-size must be in 1..=255, got "+strconv.Itoa(s.a))
		}
	case kindDeltaEncode, kindDeltaDecode, kindByteswap:
		if err := checkWidth(name, s.a, s.kind != kindByteswap); err != nil {
			return err.(*KernelError)
		}
	case kindExtractField:
		return checkExtractField(s.a, s.b, s.c)
	case kindHexEncode:
		if s.a != 0 && s.a != 1 {
			return invalidArgument(name, "uppercase must be 0 or 1, got "+strconv.Itoa(s.a))
		}
	case kindBase64Encode, kindBase64Decode:
		if s.a != int(AlphabetStandard) && s.a != int(AlphabetURLSafe) {
			return invalidArgument(name, "alphabet must be AlphabetStandard or AlphabetURLSafe, got "+Alphabet(s.a).String())
		}
		if s.b != 0 && s.b != 1 {
			return invalidArgument(name, "padding must be 0 or 1, got "+strconv.Itoa(s.b))
		}
	case kindBitpack:
		if err := checkBits(name, s.a); err != nil {
			return err.(*KernelError)
		}
	case kindBitunpack:
		if err := checkBits(name, s.a); err != nil {
			return err.(*KernelError)
		}
		if s.b < 0 || uint64(s.b) > math.MaxUint32 {
			return invalidArgument(name, "count must be in 0..=4294967295, got "+strconv.Itoa(s.b))
		}
	case kindHexDecode, kindVarintEncode, kindVarintDecode:
	default:
		return invalidArgument("run-chain", "the zero Stage (or an unknown kind); make stages with the *Stage constructors or ParseStage")
	}
	if !s.encodable() {
		return invalidArgument(name, "a parameter the stage does not use is not zero")
	}
	return nil
}

// encodable reports whether s fits the module's stage record (docs/abi.md, "Chains"): every
// parameter a u32, unused ones 0, widths and bits at most 255, flags and the alphabet 0 or 1. The module
// refuses a record that does not before any stage runs; a parameter that fits but is out of
// the kernel's range is refused when the stage's turn comes.
func (s Stage) encodable() bool {
	used := 1
	switch s.kind {
	case kindHexDecode, kindVarintEncode, kindVarintDecode:
		used = 0
	case kindBase64Encode, kindBase64Decode, kindBitunpack:
		used = 2
	case kindExtractField:
		used = 3
	}
	for i, p := range [3]int{s.a, s.b, s.c} {
		if p < 0 || uint64(p) > math.MaxUint32 || (i >= used && p != 0) {
			return false
		}
	}
	switch s.kind {
	case kindNone:
		return false
	case kindDeltaEncode, kindDeltaDecode, kindByteswap, kindBitpack, kindBitunpack:
		return s.a <= 255
	case kindHexEncode:
		return s.a <= 1
	case kindBase64Encode, kindBase64Decode:
		return s.a <= 1 && s.b <= 1
	}
	return s.kind < kindCount
}

// checkExtractField refuses extract-field parameters outside their ranges.
func checkExtractField(recordSize, offset, width int) *KernelError {
	const kernel = "extract-field"
	switch {
	case recordSize < 1 || uint64(recordSize) > math.MaxUint32:
		return invalidArgument(kernel, "record-size must be in 1..=4294967295, got "+strconv.Itoa(recordSize))
	case width < 1 || uint64(width) > math.MaxUint32:
		return invalidArgument(kernel, "width must be in 1..=4294967295, got "+strconv.Itoa(width))
	case offset < 0 || uint64(offset) > math.MaxUint32 || offset > recordSize-width:
		return invalidArgument(kernel, "offset + width must be at most record-size, got offset "+
			strconv.Itoa(offset)+", width "+strconv.Itoa(width)+", record-size "+strconv.Itoa(recordSize))
	}
	return nil
}

// checkChain refuses a chain of more than maxChainStages stages or with a bad stage, as a
// *ChainError naming the stage (index maxChainStages for a chain that is too long).
func checkChain(stages []Stage) error {
	if len(stages) > maxChainStages {
		return &ChainError{Stage: maxChainStages, Err: invalidArgument("run-chain",
			"a chain has at most "+strconv.Itoa(maxChainStages)+" stages, got "+strconv.Itoa(len(stages)))}
	}
	for i, s := range stages {
		if err := s.check(); err != nil {
			return &ChainError{Stage: i, Err: err}
		}
	}
	return nil
}

// Inverse returns the stage that undoes s, and true, when running s and then the inverse gives
// back every input s accepts: shuffle ↔ unshuffle and delta-encode ↔ delta-decode (same
// parameter), byteswap (itself), hex-encode → hex-decode, base64-encode ↔ base64-decode (same
// alphabet and padding: strict decoding accepts only the encoder's output), varint-encode →
// varint-decode. It returns false for extract-field (it drops bytes), hex-decode (the digits'
// case is lost), varint-decode (non-shortest forms are accepted), bitpack (the value count is
// lost), bitunpack (bytes past the values are ignored) and an invalid stage.
func (s Stage) Inverse() (Stage, bool) {
	if s.check() != nil {
		return Stage{}, false
	}
	switch s.kind {
	case kindShuffle:
		return UnshuffleStage(s.a), true
	case kindUnshuffle:
		return ShuffleStage(s.a), true
	case kindDeltaEncode:
		return DeltaDecodeStage(s.a), true
	case kindDeltaDecode:
		return DeltaEncodeStage(s.a), true
	case kindByteswap:
		return s, true
	case kindHexEncode:
		return HexDecodeStage(), true
	case kindBase64Encode:
		return Stage{kind: kindBase64Decode, a: s.a, b: s.b}, true
	case kindBase64Decode:
		return Stage{kind: kindBase64Encode, a: s.a, b: s.b}, true
	case kindVarintEncode:
		return VarintDecodeStage(), true
	}
	return Stage{}, false
}

// ParseStage reads a stage in the form String writes: "shuffle:4", "delta-encode:8",
// "extract-field:32,8,4", "bitunpack:3,1024", "hex-encode:upper". Optional parameters may be
// left out: hex-encode is lowercase unless ":upper"; base64-encode and base64-decode take up
// to two words in any order, an alphabet ("std" or "standard", "url" or "url-safe", default
// std) and a padding ("pad" or "nopad", default pad), as in "base64-encode:url,nopad".
// Numbers are decimal digits only. A bad spec (unknown name, wrong number of parameters, a
// parameter that is not a number or out of the kernel's range) is an error that quotes the spec
// and matches ErrInvalidArgument.
func ParseStage(spec string) (Stage, error) {
	name, argText, hasArgs := strings.Cut(spec, ":")
	var args []string
	if hasArgs {
		args = strings.Split(argText, ",")
	}
	kind := kindNone
	for k := kindNone + 1; k < kindCount; k++ {
		if stageNames[k] == name {
			kind = k
		}
	}
	if kind == kindNone {
		return Stage{}, specError(spec, "unknown stage name "+strconv.Quote(name)+" (want one of "+strings.Join(stageNames[1:], ", ")+")")
	}
	s := Stage{kind: kind}
	var err error
	switch kind {
	case kindShuffle, kindUnshuffle, kindDeltaEncode, kindDeltaDecode, kindByteswap, kindBitpack:
		err = parseNums(args, &s.a)
	case kindExtractField:
		err = parseNums(args, &s.a, &s.b, &s.c)
	case kindBitunpack:
		err = parseNums(args, &s.a, &s.b)
	case kindHexEncode:
		err = parseHexCase(args, &s)
	case kindBase64Encode, kindBase64Decode:
		err = parseBase64Args(args, &s)
	default:
		if hasArgs {
			err = errorString("takes no parameters")
		}
	}
	if err != nil {
		return Stage{}, specError(spec, err.Error())
	}
	if kerr := s.check(); kerr != nil {
		return Stage{}, specError(spec, kerr.Message)
	}
	return s, nil
}

// ParseChain reads a comma-separated chain of stages, as in "delta-encode:8,shuffle:8" or
// "extract-field:32,8,4,base64-encode:url,nopad": an element that contains a colon or is a
// stage name starts a new stage, any other element is one more parameter of the stage before
// it. The empty string is the empty chain. Errors are ParseStage's, or one naming an element
// that belongs to no stage.
func ParseChain(spec string) ([]Stage, error) {
	if spec == "" {
		return nil, nil
	}
	var specs []string
	for _, el := range strings.Split(spec, ",") {
		name, _, _ := strings.Cut(el, ":")
		if strings.Contains(el, ":") || isStageName(name) || len(specs) == 0 {
			specs = append(specs, el)
			continue
		}
		specs[len(specs)-1] += "," + el
	}
	stages := make([]Stage, 0, len(specs))
	for _, sp := range specs {
		s, err := ParseStage(sp)
		if err != nil {
			return nil, err
		}
		stages = append(stages, s)
	}
	return stages, nil
}

func isStageName(name string) bool {
	for k := kindNone + 1; k < kindCount; k++ {
		if stageNames[k] == name {
			return true
		}
	}
	return false
}

// specError is ParseStage's error for spec.
func specError(spec, msg string) error {
	return &markedError{ErrInvalidArgument, errorString("binpipe: stage spec " + strconv.Quote(spec) + ": " + msg)}
}

// maxStageParam is the largest numeric stage parameter: the WIT's u32, or int's range where
// int has 32 bits.
const maxStageParam = min(math.MaxUint32, math.MaxInt)

// parseNums reads exactly len(dst) decimal numbers.
func parseNums(args []string, dst ...*int) error {
	if len(args) != len(dst) {
		return errorString("want " + strconv.Itoa(len(dst)) + " numeric parameter(s), got " + strconv.Itoa(len(args)))
	}
	for i, a := range args {
		if a == "" || len(a) > 10 || strings.Trim(a, "0123456789") != "" {
			return errorString("parameter " + strconv.Quote(a) + " is not a decimal number up to 10 digits")
		}
		v, err := strconv.ParseUint(a, 10, 64)
		if err != nil || v > maxStageParam {
			return errorString("parameter " + a + " is above " + strconv.FormatUint(maxStageParam, 10))
		}
		*dst[i] = int(v)
	}
	return nil
}

// parseHexCase reads hex-encode's optional "upper" or "lower".
func parseHexCase(args []string, s *Stage) error {
	switch {
	case len(args) == 0:
	case len(args) == 1 && args[0] == "lower":
	case len(args) == 1 && args[0] == "upper":
		s.a = 1
	default:
		return errorString("want no parameter, \"lower\" or \"upper\"")
	}
	return nil
}

// parseBase64Args reads up to one alphabet word and one padding word, in any order.
func parseBase64Args(args []string, s *Stage) error {
	s.a, s.b = int(AlphabetStandard), 1
	var sawAlpha, sawPad bool
	for _, a := range args {
		switch a {
		case "std", "standard", "url", "url-safe":
			if sawAlpha {
				return errorString("alphabet given twice")
			}
			sawAlpha = true
			if a == "url" || a == "url-safe" {
				s.a = int(AlphabetURLSafe)
			}
		case "pad", "nopad":
			if sawPad {
				return errorString("padding given twice")
			}
			sawPad = true
			s.b = b2i(a == "pad")
		default:
			return errorString("parameter " + strconv.Quote(a) + " is neither an alphabet (std, url) nor a padding (pad, nopad)")
		}
	}
	return nil
}
