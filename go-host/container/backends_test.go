package container

import (
	"bytes"
	"context"
	"testing"

	binpipe "github.com/binpipe/binpipe/go-host"
)

// TestBackends packs with one engine backend and unpacks with another: the field chains give
// the same bytes whichever runs them.
func TestBackends(t *testing.T) {
	backends := []binpipe.Backend{binpipe.BackendGo, binpipe.BackendWasm, binpipe.BackendAuto}
	engines := make([]*binpipe.Engine, len(backends))
	for i, b := range backends {
		e, err := binpipe.New(context.Background(), binpipe.WithBackend(b))
		if err != nil {
			t.Fatalf("%v engine: %v", b, err)
		}
		defer e.Close()
		engines[i] = e
	}
	h := TelemetryHeader()
	h.FrameSize = 32 * 2048
	h.Fields[2].Stages = append(h.Fields[2].Stages, binpipe.HexEncodeStage(true), binpipe.Base64EncodeStage(binpipe.AlphabetURLSafe, false))
	h.Fields[0].Stages = append(h.Fields[0].Stages, binpipe.VarintEncodeStage())
	data := telemetry(10000, 8)[:10000*32-3]
	var first []byte
	for i, e := range engines {
		c := pack(t, data, h, WriterOptions{Engine: e, Workers: 2})
		if first == nil {
			first = c
		} else if !bytes.Equal(c, first) {
			t.Errorf("%v engine packs different bytes than %v", backends[i], backends[0])
		}
		other := engines[(i+1)%len(engines)]
		got, err := unpack(c, ReaderOptions{Engine: other, Workers: 2})
		if err != nil || !bytes.Equal(got, data) {
			t.Fatalf("packed with %v, unpacked with %v: %v", backends[i], backends[(i+1)%len(backends)], err)
		}
	}
}
