package binpipe_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	binpipe "github.com/binpipe/binpipe/go-host"
)

func ExampleRunChain() {
	// Four little-endian u16 readings: delta-encode them, then split the bytes into planes.
	readings := []byte{0x10, 0x01, 0x12, 0x01, 0x11, 0x01, 0x15, 0x01}
	stages, err := binpipe.ParseChain("delta-encode:2,shuffle:2")
	if err != nil {
		panic(err)
	}
	out, err := binpipe.RunChain(nil, readings, stages...)
	fmt.Printf("% x %v\n", out, err)

	// A stage's refusal names the stage; the offset is within that stage's input.
	_, err = binpipe.RunChain(nil, []byte("0g"), binpipe.ByteswapStage(2), binpipe.HexDecodeStage())
	var ce *binpipe.ChainError
	fmt.Println(errors.As(err, &ce), ce.Stage, errors.Is(err, binpipe.ErrInvalidData))
	// Output:
	// 10 02 ff 04 01 00 ff 00 <nil>
	// true 1 true
}

func ExampleParseStage() {
	s, err := binpipe.ParseStage("base64-encode:url")
	fmt.Println(s, err)
	inv, ok := s.Inverse()
	fmt.Println(inv, ok)
	_, err = binpipe.ParseStage("shuffle:0")
	fmt.Println(err)
	// Output:
	// base64-encode:url,pad <nil>
	// base64-decode:url,pad true
	// binpipe: stage spec "shuffle:0": elem-size must be in 1..=255, got 0
}

func ExampleStreamAlignment() {
	a, err := binpipe.StreamAlignment(binpipe.ExtractFieldStage(32, 8, 4), binpipe.Base64EncodeStage(binpipe.AlphabetStandard, false))
	fmt.Println(a, err)
	_, err = binpipe.StreamAlignment(binpipe.DeltaEncodeStage(8))
	fmt.Println(err)
	// Output:
	// 96 <nil>
	// binpipe: run-chain: stage 0: delta-encode: invalid-argument: stage delta-encode:8 cannot run per batch: each element depends on the one before it, across the batch boundary
}

func ExampleChainWorker() {
	w, err := binpipe.NewChainWorker(4, binpipe.HexEncodeStage(true))
	if err != nil {
		panic(err)
	}
	defer w.Close()
	r := strings.NewReader("binpipe")
	var out bytes.Buffer
	for {
		n, err := io.ReadFull(r, w.Input()) // straight into the worker's buffer
		if n > 0 {
			res, err := w.Run(n)
			if err != nil {
				panic(err)
			}
			out.Write(res) // straight from its result
		}
		if err != nil { // io.EOF or io.ErrUnexpectedEOF: the input is done
			break
		}
	}
	fmt.Println(out.String())
	// Output: 62696E70697065
}
