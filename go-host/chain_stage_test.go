package binpipe_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// everyStage has one stage of each kind (two where a parameter changes the text), with its
// String form.
var everyStage = []struct {
	s    binpipe.Stage
	text string
}{
	{binpipe.ShuffleStage(4), "shuffle:4"},
	{binpipe.UnshuffleStage(255), "unshuffle:255"},
	{binpipe.DeltaEncodeStage(8), "delta-encode:8"},
	{binpipe.DeltaDecodeStage(1), "delta-decode:1"},
	{binpipe.ByteswapStage(2), "byteswap:2"},
	{binpipe.ExtractFieldStage(32, 8, 4), "extract-field:32,8,4"},
	{binpipe.HexEncodeStage(true), "hex-encode:upper"},
	{binpipe.HexEncodeStage(false), "hex-encode:lower"},
	{binpipe.HexDecodeStage(), "hex-decode"},
	{binpipe.Base64EncodeStage(binpipe.AlphabetURLSafe, false), "base64-encode:url,nopad"},
	{binpipe.Base64EncodeStage(binpipe.AlphabetStandard, true), "base64-encode:std,pad"},
	{binpipe.Base64DecodeStage(binpipe.AlphabetStandard, false), "base64-decode:std,nopad"},
	{binpipe.Base64DecodeStage(binpipe.AlphabetURLSafe, true), "base64-decode:url,pad"},
	{binpipe.VarintEncodeStage(), "varint-encode"},
	{binpipe.VarintDecodeStage(), "varint-decode"},
	{binpipe.BitpackStage(0), "bitpack:0"},
	{binpipe.BitunpackStage(32, 2147483647), "bitunpack:32,2147483647"}, // int32-safe: the suite also runs on 386
}

func TestStageStringRoundTrip(t *testing.T) {
	for _, c := range everyStage {
		if got := c.s.String(); got != c.text {
			t.Errorf("String() = %q, want %q", got, c.text)
		}
		back, err := binpipe.ParseStage(c.text)
		if err != nil || back != c.s {
			t.Errorf("ParseStage(%q) = %v, %v; want %v", c.text, back, err, c.s)
		}
		if name, _, _ := strings.Cut(c.text, ":"); c.s.Name() != name {
			t.Errorf("%v.Name() = %q, want %q", c.s, c.s.Name(), name)
		}
	}
}

func TestParseStageShortForms(t *testing.T) {
	for spec, want := range map[string]binpipe.Stage{
		"hex-encode":                   binpipe.HexEncodeStage(false),
		"base64-encode":                binpipe.Base64EncodeStage(binpipe.AlphabetStandard, true),
		"base64-encode:url":            binpipe.Base64EncodeStage(binpipe.AlphabetURLSafe, true),
		"base64-decode:nopad":          binpipe.Base64DecodeStage(binpipe.AlphabetStandard, false),
		"base64-decode:nopad,url-safe": binpipe.Base64DecodeStage(binpipe.AlphabetURLSafe, false),
		"base64-encode:standard,pad":   binpipe.Base64EncodeStage(binpipe.AlphabetStandard, true),
		"shuffle:0004":                 binpipe.ShuffleStage(4),
	} {
		got, err := binpipe.ParseStage(spec)
		if err != nil || got != want {
			t.Errorf("ParseStage(%q) = %v, %v; want %v", spec, got, err, want)
		}
	}
}

func TestParseStageRejects(t *testing.T) {
	for _, spec := range []string{
		"", ":", "shuffle", "shuffle:", "shuffle:0", "shuffle:256", "shuffle:-1", "shuffle:+4",
		"shuffle: 4", "shuffle:4,4", "shuffle:0x10", "shuffle:99999999999", "Shuffle:4", "shuffle:4 ",
		"unshuffle:1.5", "delta-encode:3", "delta-decode:16", "byteswap:1", "byteswap:3",
		"extract-field:32,8", "extract-field:32,30,4", "extract-field:0,0,1", "extract-field:8,0,0",
		"extract-field:4294967296,0,1", "hex-encode:UPPER", "hex-encode:upper,lower", "hex-decode:x",
		"hex-decode:", "base64-encode:url,url", "base64-encode:pad,nopad", "base64-encode:hex",
		"base64-decode:", "varint-encode:8", "varint-decode:1", "bitpack:33", "bitpack", "bitunpack:3",
		"bitunpack:33,1", "bitunpack:3,1,1", "run-chain", "invalid-stage", "crc32c",
	} {
		s, err := binpipe.ParseStage(spec)
		if err == nil {
			t.Errorf("ParseStage(%q) = %v, want an error", spec, s)
			continue
		}
		if !strings.Contains(err.Error(), strconv.Quote(spec)) || !errors.Is(err, binpipe.ErrInvalidArgument) {
			t.Errorf("ParseStage(%q): error %q does not quote the spec or match ErrInvalidArgument", spec, err)
		}
	}
}

func TestParseChain(t *testing.T) {
	for spec, want := range map[string][]binpipe.Stage{
		"":                               nil,
		"delta-encode:8,shuffle:8":       {binpipe.DeltaEncodeStage(8), binpipe.ShuffleStage(8)},
		"extract-field:32,8,4,shuffle:4": {binpipe.ExtractFieldStage(32, 8, 4), binpipe.ShuffleStage(4)},
		"base64-encode:url,nopad,hex-encode,hex-decode": {
			binpipe.Base64EncodeStage(binpipe.AlphabetURLSafe, false), binpipe.HexEncodeStage(false), binpipe.HexDecodeStage()},
	} {
		got, err := binpipe.ParseChain(spec)
		if err != nil || len(got) != len(want) {
			t.Errorf("ParseChain(%q) = %v, %v; want %v", spec, got, err, want)
			continue
		}
		for i := range got {
			if got[i] != want[i] {
				t.Errorf("ParseChain(%q)[%d] = %v, want %v", spec, i, got[i], want[i])
			}
		}
	}
	for _, spec := range []string{",", "shuffle:4,", "shuffle:4,,delta-encode:8", "url,shuffle:4", "shuffle:4,5"} {
		if got, err := binpipe.ParseChain(spec); err == nil {
			t.Errorf("ParseChain(%q) = %v, want an error", spec, got)
		}
	}
}

// TestStageInverse checks that every stage with an inverse is undone by it on data it accepts,
// and that the others say they have none.
func TestStageInverse(t *testing.T) {
	data := splitmix64(7, 4096+8)
	for _, c := range everyStage {
		inv, ok := c.s.Inverse()
		switch c.s.Name() {
		case "extract-field", "hex-decode", "varint-decode", "bitpack", "bitunpack":
			if ok {
				t.Errorf("%v.Inverse() = %v, true; want none", c.s, inv)
			}
			continue
		}
		if !ok {
			t.Errorf("%v.Inverse(): none, want one", c.s)
			continue
		}
		for _, n := range []int{0, 1, 5, 8, 255, len(data)} {
			if c.s.Name() == "varint-encode" && n%8 != 0 {
				continue // not a list of u64 values
			}
			in := data[:n]
			if c.s.Name() == "base64-decode" { // the decoder's input: an encoding it accepts
				var err error
				if in, err = binpipe.RunChain(nil, in, inv); err != nil {
					t.Fatal(err)
				}
			}
			got, err := binpipe.RunChain(nil, in, c.s, inv)
			if err != nil || string(got) != string(in) {
				t.Errorf("%v then %v on %d bytes: %v, equal %v", c.s, inv, len(in), err, string(got) == string(in))
			}
		}
	}
	if inv, ok := (binpipe.Stage{}).Inverse(); ok {
		t.Errorf("Stage{}.Inverse() = %v, true", inv)
	}
	if inv, ok := binpipe.ShuffleStage(0).Inverse(); ok {
		t.Errorf("ShuffleStage(0).Inverse() = %v, true", inv)
	}
}

// FuzzParseStage checks that whatever ParseStage accepts formats to a spec it reads back as
// the same stage.
func FuzzParseStage(f *testing.F) {
	for _, c := range everyStage {
		f.Add(c.text)
	}
	f.Add("base64-encode:nopad,url")
	f.Fuzz(func(t *testing.T, spec string) {
		s, err := binpipe.ParseStage(spec)
		if err != nil {
			return
		}
		back, err := binpipe.ParseStage(s.String())
		if err != nil || back != s {
			t.Fatalf("ParseStage(%q) = %v, but ParseStage(%q) = %v, %v", spec, s, s.String(), back, err)
		}
	})
}
