package pipeline_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"strings"

	binpipe "github.com/binpipe/binpipe/go-host"
	"github.com/binpipe/binpipe/go-host/pipeline"
)

// A kernel chain and a Go stage over a stream: hex-encode every byte, then upper-case it in Go.
func ExampleNew() {
	upper := pipeline.Func("upper", func(dst, src []byte) ([]byte, error) {
		return append(dst, bytes.ToUpper(src)...), nil
	})
	p, err := pipeline.New(pipeline.Options{Workers: 2, BatchSize: 4},
		pipeline.Kernels(binpipe.HexEncodeStage(false)), upper)
	if err != nil {
		fmt.Println(err)
		return
	}
	stats, err := p.Run(context.Background(), strings.NewReader("binpipe!"), os.Stdout)
	fmt.Println()
	fmt.Println(stats.Batches, "batches,", stats.InBytes, "bytes in,", stats.OutBytes, "out, err:", err)
	// Output:
	// 62696E7069706521
	// 2 batches, 8 bytes in, 16 out, err: <nil>
}

// The error of a run says which batch and stage failed, and where in the input.
func ExampleError() {
	p, _ := pipeline.New(pipeline.Options{BatchSize: 4}, pipeline.Kernels(binpipe.HexDecodeStage()))
	var out bytes.Buffer
	_, err := p.Run(context.Background(), strings.NewReader("6869zz21"), &out)
	var perr *pipeline.Error
	if errors.As(err, &perr) {
		fmt.Printf("batch %d, stage %d (%s), input offset %d, invalid data: %v\n",
			perr.Batch, perr.Stage, perr.StageName, perr.Offset, errors.Is(err, binpipe.ErrInvalidData))
	}
	fmt.Printf("written before it: %q\n", out.String())
	// Output:
	// batch 1, stage 0 (hex-decode), input offset 4, invalid data: true
	// written before it: "hi"
}
