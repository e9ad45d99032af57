package plugin_test

import (
	"bytes"
	"context"
	"errors"
	"math/rand/v2"
	"testing"

	"github.com/binpipe/binpipe/go-host/pipeline"
	"github.com/binpipe/binpipe/go-host/plugin"
)

// A plugin is a pipeline stage through pipeline.Transform; the plugin package does not import
// pipeline.
var _ pipeline.Transformer = (*plugin.Plugin)(nil)

// reverse is a Go stage that reverses each batch: with it before the plugin, a batch sent to
// the wrong place in the output would show.
func reverse(dst, src []byte) ([]byte, error) {
	for i := len(src) - 1; i >= 0; i-- {
		dst = append(dst, src[i])
	}
	return dst, nil
}

func TestStageInPipelineKeepsOrder(t *testing.T) {
	p := load(t, selective(), plugin.WithPoolSize(3))
	const batch = 4096
	in := make([]byte, 300*batch+123)
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range in {
		in[i] = byte(rng.IntN(0xfe)) // never 0xfe or 0xff: no batch fails
	}
	pl, err := pipeline.New(pipeline.Options{Workers: 4, BatchSize: batch},
		pipeline.Func("reverse", reverse), pipeline.Transform(p))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	stats, err := pl.Run(context.Background(), bytes.NewReader(in), &out)
	if err != nil {
		t.Fatal(err)
	}
	var want []byte
	for off := 0; off < len(in); off += batch {
		rev, _ := reverse(nil, in[off:min(off+batch, len(in))])
		want = append(want, inverted(rev)...)
	}
	if !bytes.Equal(out.Bytes(), want) {
		t.Fatal("pipeline output differs from reverse+invert batch by batch")
	}
	if len(stats.Stages) != 2 || stats.Stages[1].Name != "selective" || stats.Stages[1].InBytes != int64(len(in)) {
		t.Errorf("stats %+v", stats.Stages)
	}
}

func TestStageErrorsNameBatchAndKind(t *testing.T) {
	p := load(t, selective(), plugin.WithPoolSize(2))
	const batch, bad = 1024, 37
	for _, tc := range []struct {
		first byte
		kind  plugin.Kind
	}{{0xff, plugin.KindTrap}, {0xfe, plugin.KindPlugin}} {
		in := bytes.Repeat([]byte{1}, 100*batch)
		in[bad*batch] = tc.first
		pl, err := pipeline.New(pipeline.Options{Workers: 3, BatchSize: batch}, pipeline.Transform(p))
		if err != nil {
			t.Fatal(err)
		}
		var out bytes.Buffer
		_, err = pl.Run(context.Background(), bytes.NewReader(in), &out)
		var perr *pipeline.Error
		var plerr *plugin.Error
		if !errors.As(err, &perr) || !errors.As(err, &plerr) {
			t.Fatalf("%#x: %v, want a *pipeline.Error wrapping a *plugin.Error", tc.first, err)
		}
		if perr.Batch != bad || perr.Stage != 0 || perr.StageName != "selective" || perr.Offset != bad*batch || plerr.Kind != tc.kind {
			t.Errorf("%#x: %+v / %+v", tc.first, perr, plerr)
		}
		if out.Len() != bad*batch || !bytes.Equal(out.Bytes(), inverted(in[:bad*batch])) {
			t.Errorf("%#x: %d bytes written before the failing batch, want the %d before it", tc.first, out.Len(), bad*batch)
		}
	}
	// The plugin still works after the failed runs.
	if got, err := p.Transform(context.Background(), nil, []byte{0}); err != nil || got[0] != 0xff {
		t.Errorf("after the runs: %v %v", got, err)
	}
}
