package binpipe_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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

type vectorCase struct {
	Name   string            `json:"name"`
	Kernel string            `json:"kernel"`
	Args   map[string]uint64 `json:"args"`
	Input  struct {
		Hex *string `json:"hex"`
		Gen *struct {
			Seed uint64 `json:"seed"`
			Len  int    `json:"len"`
		} `json:"gen"`
	} `json:"input"`
	Expect struct {
		Value  *uint64 `json:"value"`
		Hex    *string `json:"hex"`
		SHA256 string  `json:"sha256"`
		Len    *int    `json:"len"`
		Error  *struct {
			Kind   string  `json:"kind"`
			Offset *uint64 `json:"offset"`
		} `json:"error"`
	} `json:"expect"`
}

// handMade are cases written from KERNELS.md, run even without the vectors file.
const handMade = `{"version":1,"cases":[
{"name":"crc32c/check","kernel":"crc32c","args":{"seed":0},"input":{"hex":"313233343536373839"},"expect":{"value":3808858755}},
{"name":"crc32c/continue","kernel":"crc32c","args":{"seed":3808858755},"input":{"hex":""},"expect":{"value":3808858755}},
{"name":"count/hello","kernel":"count-byte","args":{"needle":108},"input":{"hex":"68656c6c6f"},"expect":{"value":2}},
{"name":"shuffle/es4","kernel":"shuffle","args":{"elem_size":4},"input":{"hex":"000102031011121320"},"expect":{"hex":"001001110212031320"}},
{"name":"unshuffle/es4","kernel":"unshuffle","args":{"elem_size":4},"input":{"hex":"001001110212031320"},"expect":{"hex":"000102031011121320"}},
{"name":"shuffle/es0","kernel":"shuffle","args":{"elem_size":0},"input":{"hex":"00"},"expect":{"error":{"kind":"invalid-argument"}}},
{"name":"unshuffle/es256","kernel":"unshuffle","args":{"elem_size":256},"input":{"hex":""},"expect":{"error":{"kind":"invalid-argument"}}},
{"name":"shuffle/es-max","kernel":"shuffle","args":{"elem_size":4294967295},"input":{"gen":{"seed":1,"len":7}},"expect":{"error":{"kind":"invalid-argument"}}}
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

func (c *vectorCase) input(t *testing.T) []byte {
	switch {
	case c.Input.Hex != nil:
		b, err := hex.DecodeString(*c.Input.Hex)
		if err != nil {
			t.Fatalf("%s: input: %v", c.Name, err)
		}
		return b
	case c.Input.Gen != nil:
		return splitmix64(c.Input.Gen.Seed, c.Input.Gen.Len)
	}
	t.Fatalf("%s: input has neither hex nor gen", c.Name)
	return nil
}

var kindNames = map[string]error{
	"invalid-argument": binpipe.ErrInvalidArgument,
	"invalid-data":     binpipe.ErrInvalidData,
	"too-large":        binpipe.ErrTooLarge,
}

// run executes one case on e; it returns a description of the mismatch, or "".
func (c *vectorCase) run(t *testing.T, e *binpipe.Engine, in []byte) string {
	var (
		value  uint64
		output []byte
		err    error
		isList bool
	)
	switch c.Kernel {
	case "crc32c":
		var v uint32
		v, err = e.CRC32C(in, uint32(c.Args["seed"]))
		value = uint64(v)
	case "count-byte":
		var v int
		v, err = e.CountByte(in, byte(c.Args["needle"]))
		value = uint64(v)
	case "shuffle", "unshuffle":
		isList = true
		es := int(c.Args["elem_size"])
		prefix := []byte("keep") // the result must be appended, not overwrite dst
		if c.Kernel == "shuffle" {
			output, err = e.Shuffle(prefix, in, es)
		} else {
			output, err = e.Unshuffle(prefix, in, es)
		}
		if err == nil {
			if !bytes.HasPrefix(output, prefix) {
				return "dst prefix was overwritten"
			}
			output = output[len(prefix):]
		}
	default:
		t.Fatalf("%s: unknown kernel %q", c.Name, c.Kernel)
	}
	x := c.Expect
	if x.Error != nil {
		want, ok := kindNames[x.Error.Kind]
		if !ok {
			t.Fatalf("%s: unknown error kind %q", c.Name, x.Error.Kind)
		}
		var kerr *binpipe.KernelError
		switch {
		case !errors.Is(err, want):
			return fmt.Sprintf("error %v, want kind %s", err, x.Error.Kind)
		case !errors.As(err, &kerr):
			return fmt.Sprintf("error %v is not a *KernelError", err)
		case x.Error.Offset != nil && kerr.Offset != *x.Error.Offset:
			return fmt.Sprintf("error offset %d, want %d", kerr.Offset, *x.Error.Offset)
		}
		return ""
	}
	if err != nil {
		return fmt.Sprintf("unexpected error %v", err)
	}
	switch {
	case x.Value != nil:
		if isList || value != *x.Value {
			return fmt.Sprintf("value %d, want %d", value, *x.Value)
		}
	case x.Hex != nil:
		if got := hex.EncodeToString(output); got != *x.Hex {
			return fmt.Sprintf("output %s, want %s", got, *x.Hex)
		}
	case x.SHA256 != "":
		sum := sha256.Sum256(output)
		if got := hex.EncodeToString(sum[:]); got != x.SHA256 || (x.Len != nil && len(output) != *x.Len) {
			return fmt.Sprintf("output sha256 %s len %d, want %s len %v", got, len(output), x.SHA256, *x.Len)
		}
	default:
		t.Fatalf("%s: expect has no known field", c.Name)
	}
	return ""
}

func runVectors(t *testing.T, cases []vectorCase, engines []namedEngine) {
	inputs := make([][]byte, len(cases))
	for i := range cases {
		inputs[i] = cases[i].input(t)
	}
	for _, ne := range engines {
		t.Run(ne.name, func(t *testing.T) {
			failures := 0
			for i := range cases {
				if msg := cases[i].run(t, ne.e, inputs[i]); msg != "" {
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
