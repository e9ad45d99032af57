package binpipe_test

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// refStage runs one stage through the single-kernel API of e (an independent path: the chain
// code shares none of it), converting the integer kernels' values to and from little-endian
// bytes. It reads the parameters back from the stage's String form.
func refStage(e *binpipe.Engine, s binpipe.Stage, in []byte) ([]byte, error) {
	name, argText, _ := strings.Cut(s.String(), ":")
	args := strings.Split(argText, ",")
	num := func(i int) int {
		v, err := strconv.Atoi(args[i])
		if err != nil {
			panic(fmt.Sprintf("refStage %v: %v", s, err))
		}
		return v
	}
	alphabet := func() binpipe.Alphabet {
		if args[0] == "url" {
			return binpipe.AlphabetURLSafe
		}
		return binpipe.AlphabetStandard
	}
	switch name {
	case "shuffle":
		return e.Shuffle(nil, in, num(0))
	case "unshuffle":
		return e.Unshuffle(nil, in, num(0))
	case "delta-encode":
		return e.DeltaEncode(nil, in, num(0))
	case "delta-decode":
		return e.DeltaDecode(nil, in, num(0))
	case "byteswap":
		return e.Byteswap(nil, in, num(0))
	case "extract-field":
		return e.ExtractField(nil, in, num(0), num(1), num(2))
	case "hex-encode":
		return e.HexEncode(nil, in, args[0] == "upper")
	case "hex-decode":
		return e.HexDecode(nil, in)
	case "base64-encode":
		return e.Base64Encode(nil, in, alphabet(), args[1] == "pad")
	case "base64-decode":
		return e.Base64Decode(nil, in, alphabet(), args[1] == "pad")
	case "varint-encode":
		if len(in)%8 != 0 {
			return nil, &binpipe.KernelError{Kernel: name, Kind: binpipe.KindInvalidArgument}
		}
		return e.VarintEncode(nil, leU64s(in))
	case "varint-decode":
		v, err := e.VarintDecode(nil, in)
		return u64Bytes(v), err
	case "bitpack":
		if len(in)%4 != 0 {
			return nil, &binpipe.KernelError{Kernel: name, Kind: binpipe.KindInvalidArgument}
		}
		return e.Bitpack(nil, leU32s(in), num(0))
	case "bitunpack":
		v, err := e.Bitunpack(nil, in, num(0), num(1))
		return u32Bytes(v), err
	}
	panic("refStage: unknown stage " + s.String())
}

// refChain runs stages one kernel call at a time; a failure comes back as a *ChainError.
func refChain(e *binpipe.Engine, in []byte, stages []binpipe.Stage) ([]byte, error) {
	for i, s := range stages {
		out, err := refStage(e, s, in)
		if err != nil {
			return nil, &binpipe.ChainError{Stage: i, Err: err}
		}
		in = out
	}
	return in, nil
}

// sameError reports why got differs from want: both nil, or both *ChainErrors with the same
// stage, kernel, kind and (for invalid data) offset.
func sameError(got, want error) string {
	if got == nil && want == nil {
		return ""
	}
	var gc, wc *binpipe.ChainError
	var gk, wk *binpipe.KernelError
	if !errors.As(got, &gc) || !errors.As(want, &wc) || !errors.As(got, &gk) || !errors.As(want, &wk) {
		return fmt.Sprintf("error %v, want %v", got, want)
	}
	if gc.Stage != wc.Stage || gk.Kernel != wk.Kernel || gk.Kind != wk.Kind ||
		(wk.Kind == binpipe.KindInvalidData && gk.Offset != wk.Offset) {
		return fmt.Sprintf("error %v, want %v", got, want)
	}
	return ""
}

// testChains are chains over arbitrary bytes; some fail for some inputs (a varint-encode of a
// length that is not a multiple of 8, a hex-decode of data that is not hex), which the
// reference must agree with.
var testChains = []string{
	"delta-encode:8,shuffle:8",
	"shuffle:8,unshuffle:8",
	"extract-field:32,8,4,shuffle:4",
	"extract-field:32,0,8,delta-encode:8,shuffle:8",
	"byteswap:4,delta-decode:2,unshuffle:3",
	"hex-encode:upper,hex-decode,base64-encode:url,nopad,base64-decode:url,nopad",
	"base64-encode:std,pad,hex-encode:lower,shuffle:5",
	"extract-field:16,0,8,varint-encode,varint-decode",
	"varint-encode,hex-encode:lower",
	"bitpack:32,bitunpack:32,16",
	"extract-field:4,0,1,bitpack:8",
	"hex-decode",
	"varint-decode",
	"bitunpack:7,100,delta-encode:4",
	"shuffle:1,delta-encode:1,delta-decode:1,unshuffle:1,byteswap:8,byteswap:8",
}

// chainInputs are the data the chains run on: random bytes of several lengths, valid hex,
// valid varints (single-byte ones: every byte below 0x80) and a varint stream with an error;
// one input starts at an odd address (a native integer stage then takes the Go path).
func chainInputs() [][]byte {
	var ins [][]byte
	for _, n := range []int{0, 1, 7, 8, 32, 100, 1000, 4099, 70000} {
		ins = append(ins, splitmix64(uint64(n), n))
	}
	ins = append(ins, splitmix64(3, 4097)[1:])
	ins = append(ins, []byte("00ff10Ab"), []byte("00fg"), []byte{0x05, 0x96, 0x01, 0x7f},
		bytes.Repeat([]byte{0x80}, 600), append(bytes.Repeat([]byte{0x7f}, 1000), 0x80))
	return ins
}

func TestRunChainMatchesKernels(t *testing.T) {
	ref := newEngine(t, binpipe.WithBackend(binpipe.BackendGo))
	for _, ne := range allEngines(t) {
		t.Run(ne.name, func(t *testing.T) {
			var ok, failed int
			for _, spec := range testChains {
				stages, err := binpipe.ParseChain(spec)
				if err != nil {
					t.Fatal(err)
				}
				for _, in := range chainInputs() {
					want, werr := refChain(ref, in, stages)
					prefix := []byte("keep")
					got, err := ne.e.RunChain(prefix, in, stages...)
					if msg := sameError(err, werr); msg != "" {
						t.Errorf("%s on %d bytes: %s", spec, len(in), msg)
						continue
					}
					if err != nil {
						failed++
						if string(got) != "keep" {
							t.Errorf("%s on %d bytes: failed but changed dst to %q", spec, len(in), got)
						}
						continue
					}
					ok++
					if !bytes.Equal(got[:4], prefix) || !bytes.Equal(got[4:], want) {
						t.Errorf("%s on %d bytes: %d bytes differ from the kernels' %d", spec, len(in), len(got)-4, len(want))
					}
				}
			}
			if ok < 50 || failed < 20 {
				t.Errorf("only %d chains succeeded and %d failed: the inputs no longer cover both", ok, failed)
			}
			t.Logf("%d chains succeeded, %d failed as the kernels do", ok, failed)
		})
	}
}

func TestRunChainErrors(t *testing.T) {
	hexStages := []binpipe.Stage{binpipe.ShuffleStage(1), binpipe.HexDecodeStage()}
	for _, ne := range allEngines(t) {
		_, err := ne.e.RunChain(nil, []byte("0a0b0z"), hexStages...)
		var ce *binpipe.ChainError
		var ke *binpipe.KernelError
		if !errors.As(err, &ce) || ce.Stage != 1 || !errors.Is(err, binpipe.ErrInvalidData) ||
			!errors.As(err, &ke) || ke.Kernel != "hex-decode" || ke.Offset != 5 {
			t.Errorf("%s: hex-decode of a bad digit: %v, want stage 1 invalid data at 5", ne.name, err)
		}
		if !strings.Contains(fmt.Sprint(err), "stage 1") {
			t.Errorf("%s: %q does not name the stage", ne.name, err)
		}

		bad := []binpipe.Stage{binpipe.ShuffleStage(4), binpipe.DeltaEncodeStage(4), binpipe.ByteswapStage(3)}
		if _, err := ne.e.RunChain(nil, []byte("abcd"), bad...); !errors.As(err, &ce) || ce.Stage != 2 ||
			!errors.Is(err, binpipe.ErrInvalidArgument) {
			t.Errorf("%s: byteswap:3 as stage 2: %v", ne.name, err)
		}
		if _, err := ne.e.RunChain(nil, nil, binpipe.ShuffleStage(2), binpipe.Stage{}); !errors.As(err, &ce) ||
			ce.Stage != 1 || !errors.Is(err, binpipe.ErrInvalidArgument) {
			t.Errorf("%s: zero Stage as stage 1: %v", ne.name, err)
		}
		// The module's order: a record it cannot hold first, else the stages in turn.
		for _, c := range []struct {
			late  binpipe.Stage
			stage int
		}{{binpipe.ByteswapStage(3), 0}, {binpipe.ByteswapStage(300), 1}, {binpipe.ShuffleStage(0), 0},
			{binpipe.ShuffleStage(-1), 1}, {binpipe.Base64EncodeStage(7, true), 1}, {binpipe.BitunpackStage(33, 1), 0}} {
			_, err := ne.e.RunChain(nil, []byte("zz"), binpipe.HexDecodeStage(), c.late)
			if !errors.As(err, &ce) || ce.Stage != c.stage {
				t.Errorf("%s: hex-decode of bad data, then %v: %v, want stage %d", ne.name, c.late, err, c.stage)
			}
		}
		long := make([]binpipe.Stage, 65)
		for i := range long {
			long[i] = binpipe.ByteswapStage(2)
		}
		if _, err := ne.e.RunChain(nil, nil, long...); !errors.As(err, &ce) || ce.Stage != 64 ||
			!errors.Is(err, binpipe.ErrInvalidArgument) {
			t.Errorf("%s: 65 stages: %v", ne.name, err)
		}
		if out, err := ne.e.RunChain(nil, []byte("x"), long[:64]...); err != nil || string(out) != "x" {
			t.Errorf("%s: 64 stages: %q, %v", ne.name, out, err)
		}
		if out, err := ne.e.RunChain([]byte("a"), []byte("bc")); err != nil || string(out) != "abc" {
			t.Errorf("%s: empty chain: %q, %v", ne.name, out, err)
		}
	}
}

// TestRunChainAliased runs chains whose input is dst's spare capacity: the result must be
// right, and a failing chain must leave the input intact.
func TestRunChainAliased(t *testing.T) {
	for _, ne := range allEngines(t) {
		for _, spec := range []string{"delta-encode:4", "delta-encode:4,shuffle:4", "hex-encode:lower,hex-decode,byteswap:2"} {
			stages, _ := binpipe.ParseChain(spec)
			data := splitmix64(3, 1000)
			want, err := binpipe.RunChain(nil, data, stages...)
			if err != nil {
				t.Fatal(err)
			}
			buf := make([]byte, 5000)
			copy(buf, data)
			got, err := ne.e.RunChain(buf[:0], buf[:1000], stages...)
			if err != nil || !bytes.Equal(got, want) {
				t.Errorf("%s: %s in place: %v", ne.name, spec, err)
			}
		}
		buf := make([]byte, 64)
		copy(buf, "0011xx")
		if _, err := ne.e.RunChain(buf[:0], buf[:6], binpipe.ByteswapStage(2), binpipe.ByteswapStage(2), binpipe.HexDecodeStage()); err == nil ||
			string(buf[:6]) != "0011xx" {
			t.Errorf("%s: failed in place chain left %q, %v", ne.name, buf[:6], err)
		}
	}
}

// TestRunChainAllocs checks that a warmed-up chain allocates nothing when dst has room, on
// every backend but the canonical ABI (which allocates on every call by design).
func TestRunChainAllocs(t *testing.T) {
	stages, _ := binpipe.ParseChain("extract-field:16,0,8,delta-encode:8,varint-encode,varint-decode,shuffle:8,hex-encode:lower,hex-decode,bitpack:32,bitunpack:32,100")
	data := splitmix64(9, 64<<10)
	n, err := binpipe.ChainOutputBound(len(data), stages...)
	if err != nil {
		t.Fatal(err)
	}
	dst := make([]byte, 0, n+16)
	for _, ne := range allEngines(t) {
		if ne.name == "canonical" {
			continue
		}
		allocs := testing.AllocsPerRun(20, func() {
			if _, err := ne.e.RunChain(dst, data, stages...); err != nil {
				t.Fatal(err)
			}
		})
		if allocs != 0 {
			t.Errorf("%s: RunChain allocates %v times per call with room in dst", ne.name, allocs)
		}
	}
}

func TestChainOutputBound(t *testing.T) {
	ref := newEngine(t, binpipe.WithBackend(binpipe.BackendGo))
	for _, spec := range testChains {
		stages, _ := binpipe.ParseChain(spec)
		for _, in := range chainInputs() {
			n, err := binpipe.ChainOutputBound(len(in), stages...)
			if err != nil {
				t.Fatalf("%s: %v", spec, err)
			}
			most, cur := len(in), in
			for _, s := range stages {
				if cur, err = refStage(ref, s, cur); err != nil {
					break
				}
				most = max(most, len(cur))
			}
			if most > n {
				t.Errorf("%s on %d bytes: bound %d, an intermediate has %d", spec, len(in), n, most)
			}
		}
	}
	for spec, want := range map[string]int{"": 10, "hex-encode": 20, "hex-decode": 10, "varint-decode": 80,
		"bitunpack:3,100": 400, "extract-field:5,0,1,hex-encode": 10, "base64-encode": 16, "varint-encode": 10} {
		stages, _ := binpipe.ParseChain(spec)
		if n, err := binpipe.ChainOutputBound(10, stages...); err != nil || n != want {
			t.Errorf("ChainOutputBound(10, %s) = %d, %v; want %d", spec, n, err, want)
		}
	}
	if _, err := binpipe.ChainOutputBound(-1); !errors.Is(err, binpipe.ErrInvalidArgument) {
		t.Errorf("ChainOutputBound(-1): %v", err)
	}
	var ce *binpipe.ChainError
	if _, err := binpipe.ChainOutputBound(1, binpipe.HexEncodeStage(false), binpipe.ShuffleStage(0)); !errors.As(err, &ce) || ce.Stage != 1 {
		t.Errorf("ChainOutputBound with a bad stage 1: %v", err)
	}
}

func TestChainStreamAlignment(t *testing.T) {
	for spec, want := range map[string]int{
		"": 1, "hex-encode": 1, "hex-decode": 2, "base64-encode:url,nopad": 3, "base64-decode": 4,
		"extract-field:32,8,4": 32, "varint-encode": 8, "bitpack:3": 32, "bitpack:8": 4, "bitpack:0": 4,
		"byteswap:8": 8, "shuffle:1": 1, "hex-encode,base64-encode": 3, "base64-encode,hex-decode": 3,
		"extract-field:3,0,1,base64-encode": 9, "extract-field:12,0,4,bitpack:3": 96,
		"varint-encode,hex-encode": 8, "bitpack:0,hex-decode": 4, "extract-field:6,0,4,byteswap:8": 12,
	} {
		stages, err := binpipe.ParseChain(spec)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := binpipe.StreamAlignment(stages...); err != nil || got != want {
			t.Errorf("StreamAlignment(%s) = %d, %v; want %d", spec, got, err, want)
		}
	}
	for spec, stage := range map[string]int{
		"shuffle:4": 0, "hex-encode,unshuffle:2": 1, "delta-encode:8": 0, "byteswap:2,delta-decode:2": 1,
		"varint-decode": 0, "bitunpack:3,8": 0, "varint-encode,base64-encode": 1, "varint-encode,hex-decode": 1,
	} {
		stages, _ := binpipe.ParseChain(spec)
		_, err := binpipe.StreamAlignment(stages...)
		var ce *binpipe.ChainError
		if !errors.As(err, &ce) || ce.Stage != stage || !errors.Is(err, binpipe.ErrInvalidArgument) ||
			!strings.Contains(err.Error(), stages[stage].String()) {
			t.Errorf("StreamAlignment(%s): %v, want an error naming stage %d", spec, err, stage)
		}
	}
}

// TestChainStreamAlignmentPerBatch checks the promise: per batch (multiples of the alignment, a
// short last one) and concatenated equals the whole stream.
func TestChainStreamAlignmentPerBatch(t *testing.T) {
	for _, spec := range []string{"hex-encode", "base64-encode:url,nopad", "extract-field:12,0,4,bitpack:3",
		"extract-field:3,0,1,base64-encode,hex-encode:upper", "extract-field:16,8,8,varint-encode,hex-encode",
		"hex-encode,hex-decode,byteswap:4", "base64-encode,base64-decode"} {
		stages, _ := binpipe.ParseChain(spec)
		align, err := binpipe.StreamAlignment(stages...)
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		data := splitmix64(11, 10000)
		if strings.Contains(spec, "bitpack:3") {
			for i := range data { // values below 2^3
				if i%4 == 0 {
					data[i] &= 7
				} else {
					data[i] = 0
				}
			}
		}
		whole, err := binpipe.RunChain(nil, data, stages...)
		if err != nil {
			t.Fatalf("%s: %v", spec, err)
		}
		for _, k := range []int{1, 2, 7} {
			batch := k * align
			var cat []byte
			for off := 0; off < len(data); off += batch {
				if cat, err = binpipe.RunChain(cat, data[off:min(off+batch, len(data))], stages...); err != nil {
					t.Fatalf("%s, batch %d at %d: %v", spec, batch, off, err)
				}
			}
			if !bytes.Equal(cat, whole) {
				t.Errorf("%s: batches of %d bytes differ from the whole", spec, batch)
			}
		}
	}
}

// TestRunChainPackageLevel checks the default engine against the Go engine.
func TestRunChainPackageLevel(t *testing.T) {
	ref := newEngine(t, binpipe.WithBackend(binpipe.BackendGo))
	stages, _ := binpipe.ParseChain("delta-encode:8,shuffle:8,hex-encode:lower")
	data := splitmix64(5, 300000)
	want, err := ref.RunChain(nil, data, stages...)
	if err != nil {
		t.Fatal(err)
	}
	got, err := binpipe.RunChain(nil, data, stages...)
	if err != nil || !bytes.Equal(got, want) {
		t.Errorf("RunChain: %v", err)
	}
}

// fuzzStages decodes up to 6 stages from spec, 3 bytes each: a kind and two parameter bytes,
// mapped onto parameters both in and out of range.
func fuzzStages(spec []byte) []binpipe.Stage {
	var stages []binpipe.Stage
	for i := 0; i+3 <= len(spec) && len(stages) < 6; i += 3 {
		k, p, q := spec[i]%14, int(spec[i+1]), int(spec[i+2])
		alphabet := binpipe.Alphabet(p & 1)
		switch k {
		case 0:
			stages = append(stages, binpipe.ShuffleStage(p%20))
		case 1:
			stages = append(stages, binpipe.UnshuffleStage(p%20))
		case 2:
			stages = append(stages, binpipe.DeltaEncodeStage(p%10))
		case 3:
			stages = append(stages, binpipe.DeltaDecodeStage(p%10))
		case 4:
			stages = append(stages, binpipe.ByteswapStage(p%10))
		case 5:
			stages = append(stages, binpipe.ExtractFieldStage(p%40, q%40, q/40+1))
		case 6:
			stages = append(stages, binpipe.HexEncodeStage(p&1 == 1))
		case 7:
			stages = append(stages, binpipe.HexDecodeStage())
		case 8:
			stages = append(stages, binpipe.Base64EncodeStage(alphabet, q&1 == 1))
		case 9:
			stages = append(stages, binpipe.Base64DecodeStage(alphabet, q&1 == 1))
		case 10:
			stages = append(stages, binpipe.VarintEncodeStage())
		case 11:
			stages = append(stages, binpipe.VarintDecodeStage())
		case 12:
			stages = append(stages, binpipe.BitpackStage(p%34))
		case 13:
			stages = append(stages, binpipe.BitunpackStage(p%34, q*4))
		}
	}
	return stages
}

// FuzzChainBackends runs random chains on random data on every backend and compares them with
// the Go backend: same bytes, or the same failing stage, kind and offset.
func FuzzChainBackends(f *testing.F) {
	f.Add([]byte{8, 0, 1, 9, 0, 1}, []byte("hello, chains"))
	f.Add([]byte{2, 8, 0, 0, 8, 0, 6, 0, 0}, splitmix64(1, 100))
	f.Add([]byte{10, 0, 0, 11, 0, 0}, splitmix64(2, 64))
	f.Add([]byte{12, 5, 0, 13, 5, 16}, make([]byte, 64))
	engines := allEngines(f)
	ref := engines[1].e // BackendGo
	f.Fuzz(func(t *testing.T, spec, data []byte) {
		stages := fuzzStages(spec)
		want, werr := ref.RunChain(nil, data, stages...)
		for _, ne := range engines {
			got, err := ne.e.RunChain(nil, data, stages...)
			if msg := sameError(err, werr); msg != "" {
				t.Fatalf("%s: %v: %s", ne.name, stages, msg)
			}
			if err == nil && !bytes.Equal(got, want) {
				t.Fatalf("%s: %v: output differs from Go's", ne.name, stages)
			}
		}
	})
}
