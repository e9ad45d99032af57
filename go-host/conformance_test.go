package binpipe_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// vectorsGlob matches the shared conformance vector files, one per kernel family
// (tests/vectors/README.md).
const vectorsGlob = "../tests/vectors/*.json"

type vectorFile struct {
	Version int          `json:"version"`
	Cases   []vectorCase `json:"cases"`
}

// vectorInput is a case's data (or mismatch's b): hex bytes or SplitMix64 output.
type vectorInput struct {
	Hex *string `json:"hex"`
	Gen *struct {
		Seed uint64 `json:"seed"`
		Len  int    `json:"len"`
	} `json:"gen"`
}

type vectorCase struct {
	Name   string                     `json:"name"`
	Kernel string                     `json:"kernel"`
	Args   map[string]json.RawMessage `json:"args"`
	Input  vectorInput                `json:"input"`
	Expect struct {
		Value  json.RawMessage `json:"value"` // a number, or null for none
		Hex    *string         `json:"hex"`
		SHA256 string          `json:"sha256"`
		Len    *int            `json:"len"`
		Error  *struct {
			Kind   string  `json:"kind"`
			Offset *uint64 `json:"offset"`
			Stage  *int    `json:"stage"` // run-chain: the failing stage's index
		} `json:"error"`
		OK        *bool `json:"ok"`
		UTF8Error *struct {
			ValidUpTo int  `json:"valid_up_to"`
			ErrorLen  *int `json:"error_len"`
		} `json:"utf8_error"`
		Stats *struct {
			Count uint64          `json:"count"`
			Min   json.RawMessage `json:"min"`
			Max   json.RawMessage `json:"max"`
			Sum   json.RawMessage `json:"sum"`
		} `json:"stats"`
	} `json:"expect"`

	data       []byte   // the decoded input
	b          []byte   // mismatch's second list
	chainKinds []string // run-chain: the stage kinds, to name the failing stage's kernel
}

// handMade are cases written from KERNELS.md, run even without the vectors files.
const handMade = `{"version":1,"cases":[
{"name":"crc32c/check","kernel":"crc32c","args":{"seed":0},"input":{"hex":"313233343536373839"},"expect":{"value":3808858755}},
{"name":"crc32c/continue","kernel":"crc32c","args":{"seed":3808858755},"input":{"hex":""},"expect":{"value":3808858755}},
{"name":"crc32/check","kernel":"crc32","args":{"seed":0},"input":{"hex":"313233343536373839"},"expect":{"value":3421780262}},
{"name":"xxh3/empty","kernel":"xxh3-64","args":{"seed":0},"input":{"hex":""},"expect":{"value":3244421341483603138}},
{"name":"count/hello","kernel":"count-byte","args":{"needle":108},"input":{"hex":"68656c6c6f"},"expect":{"value":2}},
{"name":"find-byte/hello","kernel":"find-byte","args":{"needle":108},"input":{"hex":"68656c6c6f"},"expect":{"value":2}},
{"name":"find-byte/none","kernel":"find-byte","args":{"needle":0},"input":{"hex":"68656c6c6f"},"expect":{"value":null}},
{"name":"find-any/hello","kernel":"find-any","args":{"needles":"6f6c"},"input":{"hex":"68656c6c6f"},"expect":{"value":2}},
{"name":"find-any/none","kernel":"find-any","args":{"needles":"00"},"input":{"hex":""},"expect":{"value":null}},
{"name":"find-any/no-needles","kernel":"find-any","args":{"needles":""},"input":{"hex":"00"},"expect":{"error":{"kind":"invalid-argument"}}},
{"name":"find-any/17-needles","kernel":"find-any","args":{"needles":"000102030405060708090a0b0c0d0e0f10"},"input":{"hex":"00"},"expect":{"error":{"kind":"invalid-argument"}}},
{"name":"index-byte/hello","kernel":"index-byte","args":{"needle":108},"input":{"hex":"68656c6c6f"},"expect":{"hex":"0200000003000000"}},
{"name":"mismatch/prefix","kernel":"mismatch","args":{"b":{"hex":"6869"}},"input":{"hex":"686921"},"expect":{"value":2}},
{"name":"mismatch/equal","kernel":"mismatch","args":{"b":{"hex":"6869"}},"input":{"hex":"6869"},"expect":{"value":null}},
{"name":"utf8/ok","kernel":"utf8-validate","args":{},"input":{"hex":"68c3a9"},"expect":{"ok":true}},
{"name":"utf8/bad","kernel":"utf8-validate","args":{},"input":{"hex":"68ff"},"expect":{"utf8_error":{"valid_up_to":1,"error_len":1}}},
{"name":"utf8/cut","kernel":"utf8-validate","args":{},"input":{"hex":"68e282"},"expect":{"utf8_error":{"valid_up_to":1,"error_len":null}}},
{"name":"ascii-prefix/one","kernel":"ascii-prefix","args":{},"input":{"hex":"41c3a9"},"expect":{"value":1}},
{"name":"hex-encode/upper","kernel":"hex-encode","args":{"uppercase":true},"input":{"hex":"cafe"},"expect":{"hex":"43414645"}},
{"name":"hex-decode/ok","kernel":"hex-decode","args":{},"input":{"hex":"43614665"},"expect":{"hex":"cafe"}},
{"name":"hex-decode/bad","kernel":"hex-decode","args":{},"input":{"hex":"43614667"},"expect":{"error":{"kind":"invalid-data","offset":3}}},
{"name":"hex-decode/odd","kernel":"hex-decode","args":{},"input":{"hex":"436146"},"expect":{"error":{"kind":"invalid-data","offset":3}}},
{"name":"base64-encode/pad","kernel":"base64-encode","args":{"alphabet":"standard","padding":true},"input":{"hex":"6869"},"expect":{"hex":"61476b3d"}},
{"name":"base64-encode/url","kernel":"base64-encode","args":{"alphabet":"url-safe","padding":false},"input":{"hex":"fbff"},"expect":{"hex":"2d5f38"}},
{"name":"base64-decode/pad","kernel":"base64-decode","args":{"alphabet":"standard","padding":true},"input":{"hex":"61476b3d"},"expect":{"hex":"6869"}},
{"name":"base64-decode/cut","kernel":"base64-decode","args":{"alphabet":"standard","padding":true},"input":{"hex":"61476b"},"expect":{"error":{"kind":"invalid-data","offset":3}}},
{"name":"varint-encode/150","kernel":"varint-encode","args":{},"input":{"hex":"96000000000000000500000000000000"},"expect":{"hex":"960105"}},
{"name":"varint-decode/150","kernel":"varint-decode","args":{},"input":{"hex":"960105"},"expect":{"hex":"96000000000000000500000000000000"}},
{"name":"varint-decode/cut","kernel":"varint-decode","args":{},"input":{"hex":"0596"},"expect":{"error":{"kind":"invalid-data","offset":2}}},
{"name":"shuffle/es4","kernel":"shuffle","args":{"elem_size":4},"input":{"hex":"000102031011121320"},"expect":{"hex":"001001110212031320"}},
{"name":"unshuffle/es4","kernel":"unshuffle","args":{"elem_size":4},"input":{"hex":"001001110212031320"},"expect":{"hex":"000102031011121320"}},
{"name":"shuffle/es0","kernel":"shuffle","args":{"elem_size":0},"input":{"hex":"00"},"expect":{"error":{"kind":"invalid-argument"}}},
{"name":"unshuffle/es256","kernel":"unshuffle","args":{"elem_size":256},"input":{"hex":""},"expect":{"error":{"kind":"invalid-argument"}}},
{"name":"shuffle/es-max","kernel":"shuffle","args":{"elem_size":4294967295},"input":{"gen":{"seed":1,"len":7}},"expect":{"error":{"kind":"invalid-argument"}}},
{"name":"delta-encode/w2","kernel":"delta-encode","args":{"width":2},"input":{"hex":"0100030002"},"expect":{"hex":"0100020002"}},
{"name":"delta-decode/w2","kernel":"delta-decode","args":{"width":2},"input":{"hex":"0100020002"},"expect":{"hex":"0100030002"}},
{"name":"delta-encode/w3","kernel":"delta-encode","args":{"width":3},"input":{"hex":""},"expect":{"error":{"kind":"invalid-argument"}}},
{"name":"byteswap/w4","kernel":"byteswap","args":{"width":4},"input":{"hex":"0102030405"},"expect":{"hex":"0403020105"}},
{"name":"byteswap/w1","kernel":"byteswap","args":{"width":1},"input":{"hex":"01"},"expect":{"error":{"kind":"invalid-argument"}}},
{"name":"bitpack/3","kernel":"bitpack","args":{"bits":3},"input":{"hex":"01000000020000000300000004000000"},"expect":{"hex":"d108"}},
{"name":"bitpack/too-big","kernel":"bitpack","args":{"bits":3},"input":{"hex":"08000000"},"expect":{"error":{"kind":"invalid-argument"}}},
{"name":"bitpack/33","kernel":"bitpack","args":{"bits":33},"input":{"hex":""},"expect":{"error":{"kind":"invalid-argument"}}},
{"name":"bitunpack/3","kernel":"bitunpack","args":{"bits":3,"count":4},"input":{"hex":"d108"},"expect":{"hex":"01000000020000000300000004000000"}},
{"name":"bitunpack/cut","kernel":"bitunpack","args":{"bits":3,"count":6},"input":{"hex":"d108"},"expect":{"error":{"kind":"invalid-data","offset":2}}},
{"name":"extract-field/2of3","kernel":"extract-field","args":{"record_size":3,"offset":1,"width":2},"input":{"hex":"0001021011122021"},"expect":{"hex":"01021112"}},
{"name":"extract-field/wide","kernel":"extract-field","args":{"record_size":3,"offset":2,"width":2},"input":{"hex":""},"expect":{"error":{"kind":"invalid-argument"}}},
{"name":"compare/u16-lt","kernel":"compare","args":{"ty":"u16","op":"lt","value":{"unsigned":3}},"input":{"hex":"010005000200"},"expect":{"hex":"05"}},
{"name":"compare/i8-ge","kernel":"compare","args":{"ty":"i8","op":"ge","value":{"signed":-1}},"input":{"hex":"ff0080"},"expect":{"hex":"03"}},
{"name":"compare/f64-nan-ne","kernel":"compare","args":{"ty":"f64","op":"ne","value":{"float":"0x7ff8000000000000"}},"input":{"hex":"0000000000000000"},"expect":{"hex":"01"}},
{"name":"compare/class","kernel":"compare","args":{"ty":"u8","op":"eq","value":{"signed":1}},"input":{"hex":"01"},"expect":{"error":{"kind":"invalid-argument"}}},
{"name":"compare/range","kernel":"compare","args":{"ty":"u8","op":"eq","value":{"unsigned":256}},"input":{"hex":"01"},"expect":{"error":{"kind":"invalid-argument"}}},
{"name":"compare/ragged","kernel":"compare","args":{"ty":"u32","op":"eq","value":{"unsigned":1}},"input":{"hex":"010000"},"expect":{"error":{"kind":"invalid-argument"}}},
{"name":"select/w2","kernel":"select","args":{"width":2,"bitmap":"05"},"input":{"hex":"010002000300"},"expect":{"hex":"01000300"}},
{"name":"select/short-bitmap","kernel":"select","args":{"width":1,"bitmap":"ff"},"input":{"hex":"000102030405060708"},"expect":{"error":{"kind":"invalid-argument"}}},
{"name":"aggregate/i16","kernel":"aggregate","args":{"ty":"i16"},"input":{"hex":"feff05000100"},"expect":{"stats":{"count":3,"min":{"signed":-2},"max":{"signed":5},"sum":{"signed":4}}}},
{"name":"run-chain/delta-hex","kernel":"run-chain","args":{"stages":[{"kind":"delta-encode","params":{"width":1}},{"kind":"hex-encode","params":{"uppercase":false}}]},"input":{"hex":"010306"},"expect":{"hex":"303130323033"}},
{"name":"run-chain/empty","kernel":"run-chain","args":{"stages":[]},"input":{"hex":"cafe"},"expect":{"hex":"cafe"}},
{"name":"run-chain/varint-round-trip","kernel":"run-chain","args":{"stages":[{"kind":"varint-encode","params":{}},{"kind":"varint-decode","params":{}}]},"input":{"hex":"96000000000000000500000000000000"},"expect":{"hex":"96000000000000000500000000000000"}},
{"name":"run-chain/bad-hex-at-1","kernel":"run-chain","args":{"stages":[{"kind":"byteswap","params":{"width":2}},{"kind":"hex-decode","params":{}}]},"input":{"hex":"30673031"},"expect":{"error":{"kind":"invalid-data","offset":0,"stage":1}}},
{"name":"run-chain/ragged-varint","kernel":"run-chain","args":{"stages":[{"kind":"base64-encode","params":{"alphabet":"url-safe","padding":false}},{"kind":"varint-encode","params":{}}]},"input":{"hex":"000102"},"expect":{"error":{"kind":"invalid-argument","stage":1}}},
{"name":"run-chain/data-before-params","kernel":"run-chain","args":{"stages":[{"kind":"hex-decode","params":{}},{"kind":"shuffle","params":{"elem_size":0}}]},"input":{"hex":"7a7a"},"expect":{"error":{"kind":"invalid-data","offset":0,"stage":0}}},
{"name":"aggregate/empty-f32","kernel":"aggregate","args":{"ty":"f32"},"input":{"hex":""},"expect":{"stats":{"count":0,"min":null,"max":null,"sum":{"float":"0x0000000000000000"}}}}
]}`

func parseVectors(t *testing.T, data []byte) []vectorCase {
	t.Helper()
	var f vectorFile
	if err := json.Unmarshal(data, &f); err != nil {
		t.Fatalf("parsing vectors: %v", err)
	}
	if f.Version != 1 {
		t.Fatalf("vectors version %d, this reader knows 1", f.Version)
	}
	return f.Cases
}

func (in *vectorInput) bytes() ([]byte, error) {
	switch {
	case in.Hex != nil:
		return hex.DecodeString(*in.Hex)
	case in.Gen != nil:
		return splitmix64(in.Gen.Seed, in.Gen.Len), nil
	}
	return nil, errors.New("input has neither hex nor gen")
}

// prepare decodes the case's inputs once.
func (c *vectorCase) prepare(t *testing.T) {
	var err error
	if c.data, err = c.Input.bytes(); err != nil {
		t.Fatalf("%s: input: %v", c.Name, err)
	}
	if raw, ok := c.Args["b"]; ok {
		var b vectorInput
		if err := json.Unmarshal(raw, &b); err != nil {
			t.Fatalf("%s: arg b: %v", c.Name, err)
		}
		if c.b, err = b.bytes(); err != nil {
			t.Fatalf("%s: arg b: %v", c.Name, err)
		}
	}
}

// args reads the case's arguments; the first problem is fatal for the case.
type args struct {
	c       *vectorCase
	err     error
	tooWide bool // an integer argument does not fit in a Go int (32-bit platforms)
}

// errTooWide skips a case whose arguments the Go API cannot take on this platform.
var errTooWide = errors.New("an argument does not fit in int")

func (a *args) raw(name string) json.RawMessage {
	v, ok := a.c.Args[name]
	if !ok && a.err == nil {
		a.err = fmt.Errorf("missing arg %q", name)
	}
	return v
}

// u64 reads an integer argument (u8, u32 or u64) exactly.
func (a *args) u64(name string) uint64 {
	raw := a.raw(name)
	if raw == nil {
		return 0
	}
	v, err := strconv.ParseUint(string(raw), 10, 64)
	if err != nil && a.err == nil {
		a.err = fmt.Errorf("arg %q: %v", name, err)
	}
	return v
}

// int reads an integer argument as a Go int; a value above math.MaxInt (a u32 on a 32-bit
// platform) marks the case as one this platform skips.
func (a *args) int(name string) int {
	v := a.u64(name)
	if v > math.MaxInt {
		a.tooWide = true
		return 0
	}
	return int(v)
}

func (a *args) str(name string) string {
	var s string
	if raw := a.raw(name); raw != nil {
		if err := json.Unmarshal(raw, &s); err != nil && a.err == nil {
			a.err = fmt.Errorf("arg %q: %v", name, err)
		}
	}
	return s
}

func (a *args) bool(name string) bool {
	var b bool
	if raw := a.raw(name); raw != nil {
		if err := json.Unmarshal(raw, &b); err != nil && a.err == nil {
			a.err = fmt.Errorf("arg %q: %v", name, err)
		}
	}
	return b
}

func (a *args) hex(name string) []byte {
	b, err := hex.DecodeString(a.str(name))
	if err != nil && a.err == nil {
		a.err = fmt.Errorf("arg %q: %v", name, err)
	}
	return b
}

func (a *args) elemType() binpipe.ElemType {
	s := a.str("ty")
	for t := binpipe.U8; t <= binpipe.F64; t++ {
		if t.String() == s {
			return t
		}
	}
	if a.err == nil {
		a.err = fmt.Errorf("unknown ty %q", s)
	}
	return 0
}

func (a *args) op() binpipe.CmpOp {
	s := a.str("op")
	for op := binpipe.Eq; op <= binpipe.Ge; op++ {
		if op.String() == s {
			return op
		}
	}
	if a.err == nil {
		a.err = fmt.Errorf("unknown op %q", s)
	}
	return 0
}

func (a *args) alphabet() binpipe.Alphabet {
	switch s := a.str("alphabet"); s {
	case "standard":
		return binpipe.AlphabetStandard
	case "url-safe":
		return binpipe.AlphabetURLSafe
	default:
		if a.err == nil {
			a.err = fmt.Errorf("unknown alphabet %q", s)
		}
	}
	return 0
}

// stages reads run-chain's "stages": [{"kind": "<WIT case>", "params": {...}}], each
// stage's params named as its kernel's own arguments.
func (a *args) stages() []binpipe.Stage {
	var list []struct {
		Kind   string                     `json:"kind"`
		Params map[string]json.RawMessage `json:"params"`
	}
	if raw := a.raw("stages"); raw != nil {
		if err := json.Unmarshal(raw, &list); err != nil && a.err == nil {
			a.err = fmt.Errorf("arg \"stages\": %v", err)
		}
	}
	stages := make([]binpipe.Stage, 0, len(list))
	a.c.chainKinds = a.c.chainKinds[:0]
	for _, st := range list {
		p := &args{c: &vectorCase{Args: st.Params}}
		var s binpipe.Stage
		switch st.Kind {
		case "shuffle":
			s = binpipe.ShuffleStage(p.int("elem_size"))
		case "unshuffle":
			s = binpipe.UnshuffleStage(p.int("elem_size"))
		case "delta-encode":
			s = binpipe.DeltaEncodeStage(p.int("width"))
		case "delta-decode":
			s = binpipe.DeltaDecodeStage(p.int("width"))
		case "byteswap":
			s = binpipe.ByteswapStage(p.int("width"))
		case "extract-field":
			s = binpipe.ExtractFieldStage(p.int("record_size"), p.int("offset"), p.int("width"))
		case "hex-encode":
			s = binpipe.HexEncodeStage(p.bool("uppercase"))
		case "hex-decode":
			s = binpipe.HexDecodeStage()
		case "base64-encode":
			s = binpipe.Base64EncodeStage(p.alphabet(), p.bool("padding"))
		case "base64-decode":
			s = binpipe.Base64DecodeStage(p.alphabet(), p.bool("padding"))
		case "varint-encode":
			s = binpipe.VarintEncodeStage()
		case "varint-decode":
			s = binpipe.VarintDecodeStage()
		case "bitpack":
			s = binpipe.BitpackStage(p.int("bits"))
		case "bitunpack":
			s = binpipe.BitunpackStage(p.int("bits"), p.int("count"))
		default:
			p.err = fmt.Errorf("unknown stage kind %q", st.Kind)
		}
		if p.err != nil && a.err == nil {
			a.err = fmt.Errorf("stage %d: %v", len(stages), p.err)
		}
		a.tooWide = a.tooWide || p.tooWide
		stages = append(stages, s)
		a.c.chainKinds = append(a.c.chainKinds, st.Kind)
	}
	return stages
}

// checkChainError compares a run-chain error with the case's: a *ChainError naming the
// expected stage, whose *KernelError names that stage's kernel ("run-chain" for a chain of
// more than 64 stages).
func (c *vectorCase) checkChainError(err error, kerr *binpipe.KernelError) string {
	want := c.Expect.Error.Stage
	if want == nil {
		return "a run-chain error case without \"stage\""
	}
	var ce *binpipe.ChainError
	if !errors.As(err, &ce) || ce.Stage != *want {
		return fmt.Sprintf("error %v, want a *ChainError at stage %d", err, *want)
	}
	kernel := "run-chain" // a chain of more than 64 stages fails as a whole, at index 64
	if len(c.chainKinds) <= 64 && *want < len(c.chainKinds) {
		kernel = c.chainKinds[*want]
	}
	if kerr.Kernel != kernel {
		return fmt.Sprintf("error names kernel %q, want %q", kerr.Kernel, kernel)
	}
	return ""
}

// parseScalar reads {"unsigned": N}, {"signed": N} or {"float": "0x<16 hex digits>"}.
func parseScalar(raw json.RawMessage) (binpipe.Scalar, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil || len(m) != 1 {
		return binpipe.Scalar{}, fmt.Errorf("scalar %s: want one case", raw)
	}
	for k, v := range m {
		switch k {
		case "unsigned":
			u, err := strconv.ParseUint(string(v), 10, 64)
			return binpipe.Unsigned(u), err
		case "signed":
			i, err := strconv.ParseInt(string(v), 10, 64)
			return binpipe.Signed(i), err
		case "float":
			var s string
			if err := json.Unmarshal(v, &s); err != nil {
				return binpipe.Scalar{}, err
			}
			bits, err := strconv.ParseUint(strings.TrimPrefix(s, "0x"), 16, 64)
			return binpipe.Float(math.Float64frombits(bits)), err
		}
	}
	return binpipe.Scalar{}, fmt.Errorf("scalar %s: unknown case", raw)
}

func leU32s(b []byte) []uint32 {
	out := make([]uint32, len(b)/4)
	for i := range out {
		out[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	return out
}

func leU64s(b []byte) []uint64 {
	out := make([]uint64, len(b)/8)
	for i := range out {
		out[i] = binary.LittleEndian.Uint64(b[8*i:])
	}
	return out
}

func u32Bytes(v []uint32) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint32(b, x)
	}
	return b
}

func u64Bytes(v []uint64) []byte {
	var b []byte
	for _, x := range v {
		b = binary.LittleEndian.AppendUint64(b, x)
	}
	return b
}

// outcome is what one kernel call gave, in the vector format's terms.
type outcome struct {
	value  *uint64 // an integer or option result; nil with hasVal for none
	hasVal bool
	output []byte // a list result, as little-endian bytes
	isList bool
	stats  *binpipe.Stats
	err    error
}

func some(v uint64) outcome { return outcome{value: &v, hasVal: true} }

func opt(v int) outcome {
	if v < 0 {
		return outcome{hasVal: true}
	}
	return some(uint64(v))
}

// prefix is put in front of every appended result: it must survive, and dst must come back
// unchanged on error.
var prefix = []byte("keep")

// appended checks the append contract of a []byte result and strips the prefix.
func appended(out []byte, err error) outcome {
	if err != nil {
		if !bytes.Equal(out, prefix) {
			return outcome{err: fmt.Errorf("on error dst came back as %q, want it unchanged (%w)", out, err)}
		}
		return outcome{err: err}
	}
	if !bytes.HasPrefix(out, prefix) {
		return outcome{err: errors.New("dst prefix was overwritten")}
	}
	return outcome{output: out[len(prefix):], isList: true}
}

var u32Prefix, u64Prefix = []uint32{7, 8}, []uint64{7, 8}

func appendedU32(out []uint32, err error) outcome {
	switch {
	case err != nil && (len(out) != 2 || out[0] != 7 || out[1] != 8):
		return outcome{err: fmt.Errorf("on error dst came back as %v, want it unchanged (%w)", out, err)}
	case err != nil:
		return outcome{err: err}
	case len(out) < 2 || out[0] != 7 || out[1] != 8:
		return outcome{err: errors.New("dst prefix was overwritten")}
	}
	return outcome{output: u32Bytes(out[2:]), isList: true}
}

func appendedU64(out []uint64, err error) outcome {
	switch {
	case err != nil && (len(out) != 2 || out[0] != 7 || out[1] != 8):
		return outcome{err: fmt.Errorf("on error dst came back as %v, want it unchanged (%w)", out, err)}
	case err != nil:
		return outcome{err: err}
	case len(out) < 2 || out[0] != 7 || out[1] != 8:
		return outcome{err: errors.New("dst prefix was overwritten")}
	}
	return outcome{output: u64Bytes(out[2:]), isList: true}
}

// call runs the case's kernel on e.
func (c *vectorCase) call(e *binpipe.Engine) (outcome, error) {
	a := &args{c: c}
	in := c.data
	pre := func() []byte { return bytes.Clone(prefix) }
	var o outcome
	switch c.Kernel {
	case "crc32c", "crc32":
		seed := a.u64("seed")
		if a.err != nil {
			return o, a.err
		}
		f := e.CRC32C
		if c.Kernel == "crc32" {
			f = e.CRC32
		}
		v, err := f(in, uint32(seed))
		o, o.err = some(uint64(v)), err
	case "xxh3-64":
		seed := a.u64("seed")
		if a.err != nil {
			return o, a.err
		}
		v, err := e.XXH3(in, seed)
		o, o.err = some(v), err
	case "count-byte":
		needle := byte(a.u64("needle"))
		if a.err != nil {
			return o, a.err
		}
		v, err := e.CountByte(in, needle)
		o, o.err = some(uint64(v)), err
	case "find-byte":
		needle := byte(a.u64("needle"))
		if a.err != nil {
			return o, a.err
		}
		v, err := e.FindByte(in, needle)
		o, o.err = opt(v), err
	case "find-any":
		needles := a.hex("needles")
		if a.err != nil {
			return o, a.err
		}
		v, err := e.FindAny(in, needles)
		o, o.err = opt(v), err
	case "index-byte":
		needle := byte(a.u64("needle"))
		if a.err != nil {
			return o, a.err
		}
		o = appendedU32(e.IndexByte(bytesU32(u32Prefix), in, needle))
	case "mismatch":
		if c.b == nil && c.Args["b"] == nil {
			return o, errors.New("missing arg \"b\"")
		}
		v, err := e.Mismatch(in, c.b)
		o, o.err = opt(v), err
	case "utf8-validate":
		o.err = e.UTF8Validate(in)
	case "ascii-prefix":
		v, err := e.ASCIIPrefix(in)
		o, o.err = some(uint64(v)), err
	case "hex-encode":
		upper := a.bool("uppercase")
		if a.err != nil {
			return o, a.err
		}
		o = appended(e.HexEncode(pre(), in, upper))
	case "hex-decode":
		o = appended(e.HexDecode(pre(), in))
	case "base64-encode", "base64-decode":
		alpha, pad := a.alphabet(), a.bool("padding")
		if a.err != nil {
			return o, a.err
		}
		if c.Kernel == "base64-encode" {
			o = appended(e.Base64Encode(pre(), in, alpha, pad))
		} else {
			o = appended(e.Base64Decode(pre(), in, alpha, pad))
		}
	case "varint-encode":
		o = appended(e.VarintEncode(pre(), leU64s(in)))
	case "varint-decode":
		o = appendedU64(e.VarintDecode(bytesU64(u64Prefix), in))
	case "shuffle", "unshuffle":
		es := a.int("elem_size")
		if a.err != nil {
			return o, a.err
		}
		if c.Kernel == "shuffle" {
			o = appended(e.Shuffle(pre(), in, es))
		} else {
			o = appended(e.Unshuffle(pre(), in, es))
		}
	case "delta-encode", "delta-decode", "byteswap":
		w := a.int("width")
		if a.err != nil {
			return o, a.err
		}
		f := map[string]func([]byte, []byte, int) ([]byte, error){
			"delta-encode": e.DeltaEncode, "delta-decode": e.DeltaDecode, "byteswap": e.Byteswap,
		}[c.Kernel]
		o = appended(f(pre(), in, w))
	case "bitpack":
		bits := a.int("bits")
		if a.err != nil {
			return o, a.err
		}
		o = appended(e.Bitpack(pre(), leU32s(in), bits))
	case "bitunpack":
		bits, count := a.int("bits"), a.int("count")
		if a.err != nil {
			return o, a.err
		}
		o = appendedU32(e.Bitunpack(bytesU32(u32Prefix), in, bits, count))
	case "extract-field":
		rs, off, w := a.int("record_size"), a.int("offset"), a.int("width")
		if a.err != nil {
			return o, a.err
		}
		o = appended(e.ExtractField(pre(), in, rs, off, w))
	case "compare":
		ty, op := a.elemType(), a.op()
		v, err := parseScalar(a.raw("value"))
		if a.err != nil {
			return o, a.err
		}
		if err != nil {
			return o, err
		}
		o = appended(e.Compare(pre(), in, ty, op, v))
	case "select":
		w, bitmap := a.int("width"), a.hex("bitmap")
		if a.err != nil {
			return o, a.err
		}
		o = appended(e.Select(pre(), in, w, bitmap))
	case "run-chain":
		stages := a.stages()
		if a.err != nil {
			return o, a.err
		}
		o = appended(e.RunChain(pre(), in, stages...))
	case "aggregate":
		ty := a.elemType()
		if a.err != nil {
			return o, a.err
		}
		s, err := e.Aggregate(in, ty)
		o = outcome{stats: &s, err: err}
	default:
		return o, fmt.Errorf("unknown kernel %q", c.Kernel)
	}
	if a.tooWide {
		return o, errTooWide
	}
	return o, nil
}

func bytesU32(p []uint32) []uint32 { return append([]uint32(nil), p...) }
func bytesU64(p []uint64) []uint64 { return append([]uint64(nil), p...) }

var kindNames = map[string]error{
	"invalid-argument": binpipe.ErrInvalidArgument,
	"invalid-data":     binpipe.ErrInvalidData,
	"too-large":        binpipe.ErrTooLarge,
}

// run executes one case on e; it returns a description of the mismatch, or "".
func (c *vectorCase) run(t *testing.T, e *binpipe.Engine) string {
	o, err := c.call(e)
	if errors.Is(err, errTooWide) {
		return ""
	}
	if err != nil {
		t.Fatalf("%s: %v", c.Name, err)
	}
	x := c.Expect
	if x.Error != nil {
		want, ok := kindNames[x.Error.Kind]
		if !ok {
			t.Fatalf("%s: unknown error kind %q", c.Name, x.Error.Kind)
		}
		var kerr *binpipe.KernelError
		switch {
		case !errors.Is(o.err, want):
			return fmt.Sprintf("error %v, want kind %s", o.err, x.Error.Kind)
		case !errors.As(o.err, &kerr):
			return fmt.Sprintf("error %v is not a *KernelError", o.err)
		case c.Kernel == "run-chain":
			if msg := c.checkChainError(o.err, kerr); msg != "" {
				return msg
			}
		case kerr.Kernel != c.Kernel:
			return fmt.Sprintf("error names kernel %q", kerr.Kernel)
		case x.Error.Offset != nil && kerr.Offset != *x.Error.Offset:
			return fmt.Sprintf("error offset %d, want %d", kerr.Offset, *x.Error.Offset)
		}
		return ""
	}
	if x.UTF8Error != nil {
		var u *binpipe.UTF8Error
		want := binpipe.UTF8Error{ValidUpTo: x.UTF8Error.ValidUpTo}
		if x.UTF8Error.ErrorLen != nil {
			want.ErrorLen = *x.UTF8Error.ErrorLen
		}
		if !errors.As(o.err, &u) || *u != want || !errors.Is(o.err, binpipe.ErrInvalidData) {
			return fmt.Sprintf("error %v, want %+v", o.err, want)
		}
		return ""
	}
	if o.err != nil {
		return fmt.Sprintf("unexpected error %v", o.err)
	}
	switch {
	case x.OK != nil:
		if c.Kernel != "utf8-validate" || !*x.OK {
			t.Fatalf("%s: expect ok only fits utf8-validate", c.Name)
		}
	case x.Stats != nil:
		return c.checkStats(t, o.stats)
	case x.Value != nil:
		if !o.hasVal {
			return "the kernel has no integer result"
		}
		if string(x.Value) == "null" {
			if o.value != nil {
				return fmt.Sprintf("value %d, want none", *o.value)
			}
			return ""
		}
		want, err := strconv.ParseUint(string(x.Value), 10, 64)
		if err != nil {
			t.Fatalf("%s: expect value: %v", c.Name, err)
		}
		if o.value == nil || *o.value != want {
			return fmt.Sprintf("value %s, want %d", fmtOpt(o.value), want)
		}
	case x.Hex != nil:
		if !o.isList {
			return "the kernel has no list result"
		}
		if got := hex.EncodeToString(o.output); got != *x.Hex {
			return fmt.Sprintf("output %s, want %s", got, *x.Hex)
		}
	case x.SHA256 != "":
		sum := sha256.Sum256(o.output)
		if got := hex.EncodeToString(sum[:]); !o.isList || got != x.SHA256 || (x.Len != nil && len(o.output) != *x.Len) {
			return fmt.Sprintf("output sha256 %s len %d, want %s len %v", got, len(o.output), x.SHA256, *x.Len)
		}
	default:
		t.Fatalf("%s: expect has no known field", c.Name)
	}
	return ""
}

func fmtOpt(v *uint64) string {
	if v == nil {
		return "none"
	}
	return strconv.FormatUint(*v, 10)
}

func (c *vectorCase) checkStats(t *testing.T, got *binpipe.Stats) string {
	x := c.Expect.Stats
	optScalar := func(raw json.RawMessage) (binpipe.Scalar, bool) {
		if string(raw) == "null" || raw == nil {
			return binpipe.Scalar{}, false
		}
		s, err := parseScalar(raw)
		if err != nil {
			t.Fatalf("%s: %v", c.Name, err)
		}
		return s, true
	}
	want := binpipe.Stats{Count: x.Count}
	want.Min, want.HasMin = optScalar(x.Min)
	want.Max, want.HasMax = optScalar(x.Max)
	sum, ok := optScalar(x.Sum)
	if !ok {
		t.Fatalf("%s: stats sum is null", c.Name)
	}
	want.Sum = sum
	if *got != want {
		return fmt.Sprintf("stats %+v, want %+v", *got, want)
	}
	return ""
}

func runVectors(t *testing.T, cases []vectorCase, engines []namedEngine) {
	for i := range cases {
		cases[i].prepare(t)
	}
	for _, ne := range engines {
		t.Run(ne.name, func(t *testing.T) {
			failures := 0
			for i := range cases {
				if msg := cases[i].run(t, ne.e); msg != "" {
					t.Errorf("%s: %s", cases[i].Name, msg)
					if failures++; failures == 20 {
						t.Fatal("too many failures")
					}
				}
			}
		})
	}
}

func loadVectorsFile(t *testing.T) []vectorCase {
	files, err := filepath.Glob(vectorsGlob)
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatalf("no files match %s (tests/vectors/generate.py writes them)", vectorsGlob)
	}
	var cases []vectorCase
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		got := parseVectors(t, data)
		if len(got) == 0 {
			t.Fatalf("%s has no cases", file)
		}
		cases = append(cases, got...)
	}
	return cases
}

func TestConformanceHandMade(t *testing.T) {
	runVectors(t, parseVectors(t, []byte(handMade)), allEngines(t))
}

func TestConformanceVectors(t *testing.T) {
	runVectors(t, loadVectorsFile(t), allEngines(t))
}

// TestConformanceVectorsScalarModule runs every case on the scalar (no simd128) build of the
// module, named by BINPIPE_SCALAR_WASM.
func TestConformanceVectorsScalarModule(t *testing.T) {
	engines := scalarEngines(t)
	runVectors(t, loadVectorsFile(t), engines)
	runVectors(t, parseVectors(t, []byte(handMade)), engines)
}
